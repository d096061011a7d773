//! The real 2015 Swisscom Mobile ID signature (`corpus/cms/mid-swisscom-mobileid-2015.p7s`):
//! content "Test: Sign this Text? (ptp2cn)", SHA-1, signer MIDCHE5HR8NAWUB3 under Swisscom
//! Rubin CA 2 and Swisscom Root CA 2 (the real anchors in `../shared/trust-anchors-real`).

mod common;

use common::*;
use sigverify::verdict::{CheckCode, CheckResult};
use sigverify::{Content, Indication, Policy, Report, SubIndication};

const DTBD: &str = "Test: Sign this Text? (ptp2cn)";

fn run(time: &str, policy: Option<&str>, content: Content<'_>) -> Report {
    let shared = shared();
    let anchors = shared.join("trust-anchors-real");
    let mut setup = Setup::new(
        &[anchors.join("Swisscom_Root_CA_2.pem")],
        &[anchors.join("Swisscom_Rubin_CA_2.pem")],
        at(time),
    );
    if let Some(p) = policy {
        setup.policy = Policy::from_toml(&std::fs::read_to_string(repo().join(p)).unwrap()).unwrap();
    }
    // As Mobile ID signatures are checked by default: without revocation checking (Mobile ID
    // user certificates are never revoked), so that the algorithm policy decides here.
    let setup = setup.revocation_off();
    setup.run(
        &read(&shared.join("corpus/cms/mid-swisscom-mobileid-2015.p7s")),
        content,
    )
}

fn check(r: &Report, code: CheckCode) -> CheckResult {
    r.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.result)
        .unwrap_or_else(|| panic!("{code:?} missing"))
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn today_it_is_indeterminate_because_the_certificate_expired() {
    let r = run("2026-11-01T00:00:00Z", None, Content::Data(DTBD.as_bytes()));
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(check(&r, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::MessageDigestMatch), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::CertificateValidity), CheckResult::Failed);
    assert_eq!(r.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn in_2015_the_default_policy_refuses_sha1() {
    let r = run("2015-02-12T12:00:00Z", None, Content::Data(DTBD.as_bytes()));
    assert_eq!(verdict(&r), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
    assert_eq!(check(&r, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::ChainBuilt), CheckResult::Passed);
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn in_2015_a_policy_accepting_sha1_passes_with_the_full_chain() {
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Data(DTBD.as_bytes()),
    );
    assert_eq!(
        verdict(&r),
        "TOTAL_PASSED",
        "{}",
        serde_json::to_string_pretty(&r).unwrap()
    );
    let s = &r.signatures[0];
    let signer = s.signer.as_ref().unwrap();
    assert_eq!(signer.subject_serial_number.as_deref(), Some("MIDCHE5HR8NAWUB3"));
    assert_eq!(signer.key_algorithm, "RSA");
    assert_eq!(signer.key_size, 2048);
    assert_eq!(s.signing_time.as_deref(), Some("2015-02-12T12:05:50Z"));
    assert_eq!(s.digest_algorithm.as_deref(), Some("SHA-1"));
    let subjects: Vec<&str> = s.chain.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects[1].contains("CN=Swisscom Rubin CA 2"), "{subjects:?}");
    assert!(subjects[2].contains("CN=Swisscom Root CA 2"), "{subjects:?}");
    assert_eq!(
        s.chain[2].sha256,
        "f09b122c7114f4a09bd4ea4f4a99d558b46e4c25cd81140d29c05613914c3841"
    );
    assert!(s.chain[2].trust_anchor);
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_wrong_dtbd_is_a_hash_failure() {
    let wrong = "Test: Sign this Text? (ptp2cX)";
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Data(wrong.as_bytes()),
    );
    assert_eq!(verdict(&r), "TOTAL_FAILED/HASH_FAILURE");
    // Also when the DTBD is given only as a hash.
    let digest = sigverify::HashAlg::Sha1.digest(wrong.as_bytes());
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Digest {
            alg: sigverify::HashAlg::Sha1,
            value: &digest,
        },
    );
    assert_eq!(verdict(&r), "TOTAL_FAILED/HASH_FAILURE");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn without_the_intermediate_no_chain_is_found() {
    let shared = shared();
    let anchors = shared.join("trust-anchors-real");
    let mut setup = Setup::new(
        &[anchors.join("Swisscom_Root_CA_2.pem")],
        &[],
        at("2015-02-12T12:00:00Z"),
    );
    setup.policy =
        Policy::from_toml(&std::fs::read_to_string(repo().join("testdata/policy/sha1-until-2016.toml")).unwrap())
            .unwrap();
    let r = setup.run(
        &read(&shared.join("corpus/cms/mid-swisscom-mobileid-2015.p7s")),
        Content::None,
    );
    assert_eq!(verdict(&r), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
}

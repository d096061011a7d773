//! Policy as data: the sub-indications that only a policy change produces.

mod common;

use common::*;
use sigverify::{Content, Policy};

fn rsa_attached(policy: &str) -> sigverify::Report {
    let t = repo().join("testdata");
    let mut setup = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at("2026-06-01T00:00:00Z"));
    setup.policy = Policy::from_toml(policy).unwrap();
    setup.run(&read(&t.join("samples/rsa-attached.p7m")), Content::None)
}

const BASE: &str = r#"
name = "test"
[[digest]]
algorithm = "SHA-256"
[[key]]
algorithm = "RSA"
min_bits = 2048
"#;

#[test]
fn a_policy_without_revocation_mode_requires_it_and_gives_try_later() {
    let r = rsa_attached(BASE);
    assert_eq!(verdict(&r), "INDETERMINATE/TRY_LATER");
}

#[test]
fn the_same_policy_passes_when_revocation_is_not_required() {
    let r = rsa_attached(&format!("{BASE}\n[revocation]\nmode = \"not-evaluated\"\n"));
    assert_eq!(verdict(&r), "TOTAL_PASSED");
}

#[test]
fn an_unlisted_digest_is_never_acceptable() {
    let policy = r#"
name = "no SHA-256"
[[digest]]
algorithm = "SHA-512"
[[key]]
algorithm = "RSA"
min_bits = 2048
[revocation]
mode = "not-evaluated"
"#;
    assert_eq!(
        verdict(&rsa_attached(policy)),
        "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE"
    );
}

#[test]
fn a_key_size_sunset_applies_to_every_certificate_of_the_path() {
    // RSA-2048 accepted only until 2025: the signer's key and every CA key in the path fail.
    let policy = r#"
name = "RSA-2048 until 2025"
[[digest]]
algorithm = "SHA-256"
[[key]]
algorithm = "RSA"
min_bits = 2048
until = 2025-01-01T00:00:00Z
[revocation]
mode = "not-evaluated"
"#;
    let r = rsa_attached(policy);
    assert_eq!(verdict(&r), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
    let chain = r.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == sigverify::verdict::CheckCode::ChainBuilt)
        .unwrap();
    assert_eq!(
        chain.sub_indication,
        Some(sigverify::SubIndication::CryptoConstraintsFailureNoPoe),
        "{chain:?}"
    );
}

#[test]
fn a_bad_policy_file_is_an_error_not_a_verdict() {
    assert!(Policy::from_toml("name = 1").is_err());
    assert!(Policy::from_toml("name = \"x\"\n[[key]]\nalgorithm = \"DSA\"\nmin_bits = 1").is_err());
    assert!(Policy::from_toml("name = \"x\"\n[revocation]\nmode = \"sometimes\"").is_err());
}

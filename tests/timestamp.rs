//! RFC 3161 time-stamp tokens validated fully (`process::timestamp::validate_token`): the
//! tokens and TSA certificates of `testdata/tsa/` (made by `testdata/tsa/generate.sh`: a TSA
//! certificate with a critical extendedKeyUsage timeStamping, one with it not critical, one
//! with another purpose beside it; tokens over `data.txt` of 2026-01-15T12:00:00Z).

mod common;

use common::*;
use sigverify::process::timestamp::{Covered, TokenValidation, validate_token, without_effect};
use sigverify::verdict::model::Conclusion;
use sigverify::verdict::{Check, CheckCode, CheckResult};
use sigverify::{HashAlg, Meter, SubIndication};

const VALIDATION_TIME: &str = "2026-06-01T00:00:00Z";
const GEN_TIME: &str = "2026-01-15T12:00:00Z";

fn tsa(file: &str) -> Vec<u8> {
    read(&repo().join("testdata/tsa").join(file))
}

/// Time-stamp tokens are the subject: validated without revocation checking (the samples and
/// tokens carry no revocation data).
fn rsa_root() -> Setup {
    Setup::new(&[repo().join("testdata/pki/rsa/root.pem")], &[], at(VALIDATION_TIME)).revocation_off()
}

/// `token` validated over `data` with `setup`.
fn validate(setup: &Setup, token: &[u8], data: &[u8]) -> TokenValidation {
    let ctx = context(setup);
    let meter = Meter::new(ctx.budget, None);
    let digest = |h: HashAlg| Some(h.digest(data));
    let covered = Covered {
        digest: &digest,
        what: "the data",
        revocation: &[],
    };
    validate_token(token, covered, &ctx, &meter)
}

fn check(v: &TokenValidation, code: CheckCode) -> Option<&Check> {
    v.checks.as_slice().iter().find(|c| c.code == code)
}

fn result(v: &TokenValidation, code: CheckCode) -> Option<CheckResult> {
    check(v, code).map(|c| c.result)
}

fn dump(v: &TokenValidation) -> String {
    let lines: Vec<String> = v
        .checks
        .as_slice()
        .iter()
        .map(|c| format!("{} {:?} {:?} {}", c.code.as_str(), c.result, c.sub_indication, c.detail))
        .collect();
    format!("{:?}\n{}", v.conclusion, lines.join("\n"))
}

#[test]
fn a_valid_token_proves_existence_at_its_gen_time() {
    let v = validate(&rsa_root(), &tsa("tsa.tst"), &tsa("data.txt"));
    assert_eq!(v.conclusion, Conclusion::Passed, "{}", dump(&v));
    assert_eq!(v.proof_of_existence, Some(at(GEN_TIME)));
    assert_eq!(v.gen_time, Some(at(GEN_TIME)));
    let cn = v.tsa.as_ref().and_then(|c| c.common_name.as_deref());
    assert_eq!(cn, Some("Test TSA (tsa)"));
    assert_eq!(v.chain.len(), 3, "tsa, ica, root");
    for code in [
        CheckCode::SigningCertificateFound,
        CheckCode::SigningCertificateReference,
        CheckCode::ChainBuilt,
        CheckCode::CertificateValidity,
        CheckCode::KeyUsage,
        CheckCode::ExtendedKeyUsage,
        CheckCode::TimestampImprint,
        CheckCode::TimestampSignature,
    ] {
        assert_eq!(result(&v, code), Some(CheckResult::Passed), "{code:?}\n{}", dump(&v));
    }
    assert_eq!(v.digest_algorithm, Some(HashAlg::Sha256));
}

#[test]
fn a_token_over_other_bytes_is_a_hash_failure() {
    let mut other = tsa("data.txt");
    other[0] ^= 1;
    let v = validate(&rsa_root(), &tsa("tsa.tst"), &other);
    assert_eq!(
        v.conclusion,
        Conclusion::Failed(SubIndication::HashFailure),
        "{}",
        dump(&v)
    );
    assert_eq!(result(&v, CheckCode::TimestampImprint), Some(CheckResult::Failed));
    assert_eq!(result(&v, CheckCode::TimestampSignature), Some(CheckResult::Passed));
    assert_eq!(v.proof_of_existence, None);
}

#[test]
fn unavailable_data_leaves_the_token_undecided() {
    let s = rsa_root();
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    let covered = Covered {
        digest: &|_| None,
        what: "the data",
        revocation: &[],
    };
    let v = validate_token(&tsa("tsa.tst"), covered, &ctx, &meter);
    assert_eq!(
        v.conclusion,
        Conclusion::Indeterminate(SubIndication::SignedDataNotFound),
        "{}",
        dump(&v)
    );
    assert_eq!(v.proof_of_existence, None);
}

#[test]
fn a_tsa_without_a_trust_anchor_gives_no_proof() {
    let s = Setup::new(&[], &[], at(VALIDATION_TIME));
    let v = validate(&s, &tsa("tsa.tst"), &tsa("data.txt"));
    assert_eq!(
        v.conclusion,
        Conclusion::Indeterminate(SubIndication::NoCertificateChainFound),
        "{}",
        dump(&v)
    );
    assert_eq!(v.proof_of_existence, None);
    assert_eq!(result(&v, CheckCode::TimestampSignature), Some(CheckResult::Passed));
}

#[test]
fn a_tsa_certificate_not_yet_valid_fails() {
    let s = Setup::new(
        &[repo().join("testdata/pki/rsa/root.pem")],
        &[],
        at("2023-06-01T00:00:00Z"),
    );
    let v = validate(&s, &tsa("tsa.tst"), &tsa("data.txt"));
    assert_eq!(
        v.conclusion,
        Conclusion::Failed(SubIndication::NotYetValid),
        "{}",
        dump(&v)
    );
}

#[test]
fn the_extended_key_usage_must_be_critical_and_time_stamping_only() {
    for (file, why) in [
        ("tsa-eku-noncritical.tst", "not critical"),
        ("tsa-eku-other.tst", "(timeStamping, emailProtection)"),
    ] {
        let v = validate(&rsa_root(), &tsa(file), &tsa("data.txt"));
        assert_eq!(
            v.conclusion,
            Conclusion::Indeterminate(SubIndication::ChainConstraintsFailure),
            "{file}\n{}",
            dump(&v)
        );
        let eku = check(&v, CheckCode::ExtendedKeyUsage).expect("EXTENDED_KEY_USAGE");
        assert_eq!(eku.result, CheckResult::Failed, "{file}");
        assert!(eku.detail.contains(why), "{file}: {}", eku.detail);
        // Everything else about the token is in order.
        assert_eq!(
            result(&v, CheckCode::TimestampSignature),
            Some(CheckResult::Passed),
            "{file}"
        );
        assert_eq!(
            result(&v, CheckCode::SigningCertificateReference),
            Some(CheckResult::Passed),
            "{file}"
        );
        assert_eq!(v.proof_of_existence, None, "{file}");
    }
}

#[test]
fn a_changed_token_signature_is_a_crypto_failure() {
    let mut token = tsa("tsa.tst");
    let last = token.len() - 1;
    token[last] ^= 1;
    let v = validate(&rsa_root(), &token, &tsa("data.txt"));
    assert_eq!(
        v.conclusion,
        Conclusion::Failed(SubIndication::SigCryptoFailure),
        "{}",
        dump(&v)
    );
    assert_eq!(v.proof_of_existence, None);
}

#[test]
fn broken_tokens_give_a_verdict_not_a_panic() {
    let token = tsa("tsa.tst");
    let data = tsa("data.txt");
    for len in (0..token.len()).step_by(7) {
        let v = validate(&rsa_root(), &token[..len], &data);
        assert!(!v.conclusion.passed(), "a prefix of {len} bytes passed");
        assert_eq!(v.proof_of_existence, None);
    }
}

#[test]
fn without_effect_reports_whether_the_tsa_was_validated() {
    let data = tsa("data.txt");
    let good = without_effect(&validate(&rsa_root(), &tsa("tsa.tst"), &data));
    let bad = without_effect(&validate(&rsa_root(), &tsa("tsa-eku-noncritical.tst"), &data));
    for (checks, wanted) in [
        (
            &good,
            "TSA certificate 'CN=Test TSA (tsa),O=sigverify test,C=CH' validated for time-stamping",
        ),
        (&bad, "not validated: EXTENDED_KEY_USAGE"),
    ] {
        let sig = checks
            .as_slice()
            .iter()
            .find(|c| c.code == CheckCode::TimestampSignature)
            .expect("TIMESTAMP_SIGNATURE");
        assert!(sig.detail.contains(wanted), "{}", sig.detail);
        assert!(checks.as_slice().iter().all(|c| c.sub_indication.is_none()));
        assert_eq!(checks.as_slice().len(), 2);
    }
    let imprint = good.as_slice().iter().find(|c| c.code == CheckCode::TimestampImprint);
    assert!(imprint.is_some_and(|c| c.detail.contains("proof of existence")));
}

/// A token whose imprint or signature digest the policy no longer accepts proves nothing: the
/// same token under a policy whose SHA-256 has a sunset before the validation time.
#[test]
fn a_token_over_a_digest_past_its_sunset_gives_no_proof_of_existence() {
    let mut setup = rsa_root();
    let policy = sigverify::Policy::default_policy();
    let text = std::fs::read_to_string(repo().join("policy/default.toml")).unwrap();
    let sunset = text.replace(
        "algorithm = \"SHA-256\"\n",
        "algorithm = \"SHA-256\"\nuntil = 2026-03-01T00:00:00Z\n",
    );
    assert_ne!(sunset, text, "the bundled policy lists SHA-256 as expected");
    setup.policy = OcspMode::Off
        .policy(&sigverify::Policy::from_toml(&sunset).unwrap())
        .into_owned();
    let v = validate(&setup, &tsa("tsa.tst"), &tsa("data.txt"));
    assert_eq!(v.proof_of_existence, None, "{}", dump(&v));
    assert_eq!(
        result(&v, CheckCode::CryptoPolicy),
        Some(CheckResult::Failed),
        "{}",
        dump(&v)
    );
    assert_ne!(v.conclusion, Conclusion::Passed);
    // The same token under the bundled policy proves existence.
    setup.policy = OcspMode::Off.policy(&policy).into_owned();
    assert!(
        validate(&setup, &tsa("tsa.tst"), &tsa("data.txt"))
            .proof_of_existence
            .is_some()
    );
}

/// Under the default policy (revocation required) the TSA's certificate needs a status like any
/// other: without revocation data the token proves nothing (TRY_LATER); with the CRLs of its
/// issuing CA and of the root among the data the signature carries, it proves existence; with a
/// CRL that revokes nothing of its path but is stale, it does not.
#[test]
fn the_tsa_path_takes_its_status_from_the_data_at_hand() {
    use sigverify::process::RevocationData;
    use std::borrow::Cow;
    let setup = Setup::new(&[repo().join("testdata/pki/rsa/root.pem")], &[], at(VALIDATION_TIME));
    let crl = |f: &str| RevocationData::Crl(Cow::Owned(read(&repo().join("testdata/crl").join(f))));
    let run = |data: &[RevocationData<'_>]| {
        let ctx = context(&setup);
        let meter = Meter::new(ctx.budget, None);
        let body = tsa("data.txt");
        let digest = |h: HashAlg| Some(h.digest(&body));
        let covered = Covered {
            digest: &digest,
            what: "the data",
            revocation: data,
        };
        validate_token(&tsa("tsa.tst"), covered, &ctx, &meter)
    };
    let none = run(&[]);
    assert_eq!(
        none.conclusion,
        Conclusion::Indeterminate(SubIndication::TryLater),
        "{}",
        dump(&none)
    );
    assert_eq!(none.proof_of_existence, None);
    let with = run(&[crl("empty.crl"), crl("root-empty.crl")]);
    assert_eq!(with.conclusion, Conclusion::Passed, "{}", dump(&with));
    assert_eq!(with.proof_of_existence, Some(at(GEN_TIME)));
    let revocation = check(&with, CheckCode::Revocation).unwrap();
    assert_eq!(revocation.result, CheckResult::Passed, "{}", dump(&with));
    let stale = run(&[crl("stale.crl"), crl("root-empty.crl")]);
    assert_eq!(stale.proof_of_existence, None, "{}", dump(&stale));
}

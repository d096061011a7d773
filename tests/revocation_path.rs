//! The revocation status of a path at a time, from real OCSP responses and CRLs of the test
//! PKI (`testdata/ocsp`, `testdata/crl`, made by openssl): current information, information
//! issued after the time, revocations before and after it, and unusable information.

mod common;

use std::sync::Arc;

use common::*;
use sigverify::formats::x509::Certificate;
use sigverify::revocation::path::{Info, path_check};
use sigverify::verdict::{Check, CheckResult, SubIndication};

fn cert(path: &str) -> Arc<Certificate> {
    let bytes = read(&repo().join("testdata").join(path));
    Arc::new(Certificate::from_pem_or_der(&bytes).unwrap().remove(0))
}

fn der(path: &str) -> Vec<u8> {
    read(&repo().join("testdata").join(path))
}

/// The `REVOCATION` check of `leaf` under the rsa ICA at `at`, from `info`, under the default
/// policy.
fn check(leaf: &str, info: &[Info<'_>], at: &str, claimed: Option<&str>, must_prove: bool) -> Check {
    check_in(OcspMode::Embedded, leaf, info, at, claimed, must_prove)
}

/// [`check`] with revocation checking as `mode` says.
fn check_in(mode: OcspMode, leaf: &str, info: &[Info<'_>], at: &str, claimed: Option<&str>, must_prove: bool) -> Check {
    let mut setup = Setup::new(&[], &[], common::at("2026-06-01T00:00:00Z"));
    setup.policy = mode.policy(&setup.policy).into_owned();
    let ctx = context(&setup);
    let meter = sigverify::Meter::new(ctx.budget, None);
    let path = [cert(leaf), cert("pki/rsa/ica.pem")];
    path_check(
        &path,
        info,
        common::at(at),
        claimed.map(common::at),
        must_prove,
        &ctx,
        &meter,
    )
}

#[test]
fn a_current_good_response_establishes_the_status() {
    let good = der("ocsp/good-ca.der");
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&good)],
        "2026-01-16T00:00:00Z",
        None,
        false,
    );
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
    assert!(c.detail.contains("OCSP good"), "{}", c.detail);
}

#[test]
fn information_issued_after_the_time_speaks_for_it() {
    // The response of 2026-01-15 shows the certificate good then, so not revoked on 01-01.
    let good = der("ocsp/good-ca.der");
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&good)],
        "2026-01-01T00:00:00Z",
        None,
        true,
    );
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
    assert!(c.detail.contains("issued after the time"), "{}", c.detail);
    let crl = der("crl/empty.crl");
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Crl(&crl)],
        "2026-01-01T00:00:00Z",
        None,
        true,
    );
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
}

#[test]
fn a_revocation_before_the_time_fails_and_one_after_it_does_not() {
    let revoked = der("ocsp/revoked.der");
    let info = [Info::Ocsp(&revoked)];
    // Revoked 2025-12-01: at 2026-01-16 the signature may predate it (no proof): REVOKED_NO_POE.
    let c = check("ocsp/leaf-revoked.pem", &info, "2026-01-16T00:00:00Z", None, false);
    assert_eq!(c.result, CheckResult::Failed, "{}", c.detail);
    assert_eq!(c.sub_indication, Some(SubIndication::RevokedNoPoe));
    // The signer claims to have signed after the revocation: REVOKED.
    let c = check(
        "ocsp/leaf-revoked.pem",
        &info,
        "2026-01-16T00:00:00Z",
        Some("2026-01-02T00:00:00Z"),
        false,
    );
    assert_eq!(c.sub_indication, Some(SubIndication::Revoked), "{}", c.detail);
    // At a time before the revocation the certificate was good.
    let c = check("ocsp/leaf-revoked.pem", &info, "2025-11-01T00:00:00Z", None, true);
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
    // The same from a CRL (leaf2 revoked 2026-01-10).
    let crl = der("crl/revoked.crl");
    let c = check("crl/leaf2.pem", &[Info::Crl(&crl)], "2026-01-16T00:00:00Z", None, false);
    assert_eq!(c.sub_indication, Some(SubIndication::RevokedNoPoe), "{}", c.detail);
    let c = check("crl/leaf2.pem", &[Info::Crl(&crl)], "2026-01-05T00:00:00Z", None, true);
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
}

#[test]
fn a_revocation_outweighs_a_good_status() {
    let good = der("crl/empty.crl");
    let revoked = der("crl/revoked.crl");
    let info = [Info::Crl(&good), Info::Crl(&revoked)];
    let c = check("crl/leaf2.pem", &info, "2026-01-16T00:00:00Z", None, false);
    assert_eq!(c.result, CheckResult::Failed, "{}", c.detail);
}

#[test]
fn unusable_information_establishes_nothing() {
    let at = "2026-01-16T00:00:00Z";
    for (file, why) in [
        ("ocsp/stale.der", "not fresh"),
        ("ocsp/responder-noeku.der", "unauthorised"),
        ("ocsp/responder-expired.der", "not valid at producedAt"),
        ("ocsp/unknown.der", "does not know"),
    ] {
        let data = der(file);
        let c = check("pki/rsa/leaf.pem", &[Info::Ocsp(&data)], at, None, false);
        assert_eq!(c.result, CheckResult::NotRun, "{file}: {}", c.detail);
        assert_eq!(
            c.sub_indication,
            Some(SubIndication::TryLater),
            "{file}: the default policy requires revocation status"
        );
        assert!(c.detail.contains(why), "{file}: {}", c.detail);
        let c = check_in(OcspMode::Off, "pki/rsa/leaf.pem", &[Info::Ocsp(&data)], at, None, false);
        assert_eq!(c.result, CheckResult::NotRun, "{file}: {}", c.detail);
        assert_eq!(c.sub_indication, None, "{file}: checking switched off");
        assert!(c.detail.contains(why), "{file}: {}", c.detail);
        assert!(
            c.detail.contains("revocation checking switched off by request"),
            "{file}: {}",
            c.detail
        );
        let c = check("pki/rsa/leaf.pem", &[Info::Ocsp(&data)], at, None, true);
        assert_eq!(c.sub_indication, Some(SubIndication::TryLater), "{file}: {}", c.detail);
    }
    // A tampered response (producedAt moved by a second): its signature no longer verifies.
    let mut data = der("ocsp/good-ca.der");
    let at_time = data.windows(15).position(|w| w == b"20260115120000Z").unwrap();
    data[at_time + 13] = b'1';
    let c = check("pki/rsa/leaf.pem", &[Info::Ocsp(&data)], at, None, true);
    assert_eq!(c.result, CheckResult::NotRun, "{}", c.detail);
    assert!(c.detail.contains("does not verify"), "{}", c.detail);
    // A CRL signed by another CA under the rsa ICA's name.
    let crl = der("crl/p256-signed.crl");
    let c = check("pki/rsa/leaf.pem", &[Info::Crl(&crl)], at, None, true);
    assert_eq!(c.result, CheckResult::NotRun, "{}", c.detail);
    // Nothing at all.
    let c = check("pki/rsa/leaf.pem", &[], at, None, true);
    assert!(c.detail.contains("no revocation information"), "{}", c.detail);
}

#[test]
fn the_tolerances_come_from_the_policy() {
    // good-ca-no-next-update.der: thisUpdate 2026-01-15T12:00Z, no nextUpdate; current for a
    // day under the bundled policy, for an hour under one that says so.
    let data = der("ocsp/good-ca-no-next-update.der");
    let mut setup = Setup::new(&[], &[], common::at("2026-06-01T00:00:00Z"));
    let run = |setup: &Setup, at: &str| {
        let ctx = context(setup);
        let meter = sigverify::Meter::new(ctx.budget, None);
        let path = [cert("pki/rsa/leaf.pem"), cert("pki/rsa/ica.pem")];
        path_check(&path, &[Info::Ocsp(&data)], common::at(at), None, true, &ctx, &meter)
    };
    assert_eq!(run(&setup, "2026-01-15T20:00:00Z").result, CheckResult::Passed);
    setup.policy =
        sigverify::Policy::from_toml("name = \"short\"\n[revocation]\nmode = \"required\"\nmax_age_seconds = 3600\n")
            .unwrap();
    let c = run(&setup, "2026-01-15T20:00:00Z");
    assert_eq!(c.result, CheckResult::NotRun, "{}", c.detail);
    assert!(
        sigverify::Policy::from_toml("name = \"x\"\n[revocation]\nmode = \"required\"\nskew_seconds = -1\n").is_err()
    );
}

/// RFC 6960 4.2.2.2.1: a delegated responder without id-pkix-ocsp-nocheck must itself be shown
/// not revoked; its answers alone establish nothing, and with the issuing CA's CRL (which
/// names neither it nor the leaf) they do. The responder with ocsp-nocheck needs no CRL.
#[test]
fn a_delegated_responder_without_nocheck_needs_its_own_status() {
    let nonocheck = der("ocsp/good-delegated-nonocheck.der");
    let nocheck = der("ocsp/good-delegated.der");
    let crl = der("crl/empty.crl");
    let at = "2026-01-16T00:00:00Z";
    let alone = check("pki/rsa/leaf.pem", &[Info::Ocsp(&nonocheck)], at, None, false);
    assert_eq!(alone.result, CheckResult::NotRun, "{}", alone.detail);
    assert!(alone.detail.contains("id-pkix-ocsp-nocheck"), "{}", alone.detail);
    let with_crl = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&nonocheck), Info::Crl(&crl)],
        at,
        None,
        false,
    );
    assert_eq!(with_crl.result, CheckResult::Passed, "{}", with_crl.detail);
    assert!(with_crl.detail.contains("OCSP good"), "{}", with_crl.detail);
    let trusted = check("pki/rsa/leaf.pem", &[Info::Ocsp(&nocheck)], at, None, false);
    assert_eq!(trusted.result, CheckResult::Passed, "{}", trusted.detail);
}

/// OCSP responses and CRLs are signatures too: one signed with a key the policy no longer
/// accepts at the validation time establishes nothing.
#[test]
fn revocation_information_signed_with_a_refused_key_is_not_used() {
    let text = std::fs::read_to_string(repo().join("policy/default.toml"))
        .unwrap()
        .replace("min_bits = 1900\n", "min_bits = 1900\nuntil = 2026-01-01T00:00:00Z\n");
    let mut setup = Setup::new(&[], &[], common::at("2026-06-01T00:00:00Z"));
    setup.policy = sigverify::Policy::from_toml(&text).unwrap();
    let ctx = context(&setup);
    let meter = sigverify::Meter::new(ctx.budget, None);
    let path = [cert("pki/rsa/leaf.pem"), cert("pki/rsa/ica.pem")];
    let (ocsp, crl) = (der("ocsp/good-ca.der"), der("crl/empty.crl"));
    for (info, why) in [
        (Info::Ocsp(&ocsp), "response signature: "),
        (Info::Crl(&crl), "CRL signature: "),
    ] {
        let at = common::at("2026-01-16T00:00:00Z");
        let c = path_check(&path, &[info], at, None, false, &ctx, &meter);
        assert_eq!(c.result, CheckResult::NotRun, "{}", c.detail);
        assert!(c.detail.contains(why), "{}", c.detail);
    }
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&ocsp)],
        "2026-01-16T00:00:00Z",
        None,
        false,
    );
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
}

/// A response is verified once per verification, and the memo is keyed by the signed bytes: a
/// copy with one signed byte changed (producedAt), met in the same verification after the
/// original, is still refused, and the original still serves.
#[test]
fn a_changed_response_is_refused_after_the_original_was_verified() {
    let good = der("ocsp/good-ca.der");
    let mut changed = good.clone();
    let at = changed.windows(2).position(|w| w == [0x18, 0x0f]).expect("producedAt");
    changed[at + 2 + 13] ^= 0x01;
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&good), Info::Ocsp(&changed)],
        "2026-01-16T00:00:00Z",
        None,
        false,
    );
    assert_eq!(c.result, CheckResult::Passed, "{}", c.detail);
    let c = check(
        "pki/rsa/leaf.pem",
        &[Info::Ocsp(&changed)],
        "2026-01-16T00:00:00Z",
        None,
        false,
    );
    assert_eq!(c.result, CheckResult::NotRun, "{}", c.detail);
    assert!(c.detail.contains("signature"), "{}", c.detail);

    // Both in one path check, the changed one first and then again after the original.
    let setup = Setup::new(&[], &[], common::at("2026-06-01T00:00:00Z"));
    let ctx = context(&setup);
    let meter = sigverify::Meter::new(ctx.budget, None);
    let path = [cert("pki/rsa/leaf.pem"), cert("pki/rsa/ica.pem")];
    let time = common::at("2026-01-16T00:00:00Z");
    let first = path_check(&path, &[Info::Ocsp(&good)], time, None, false, &ctx, &meter);
    assert_eq!(first.result, CheckResult::Passed, "{}", first.detail);
    let second = path_check(&path, &[Info::Ocsp(&changed)], time, None, false, &ctx, &meter);
    assert_eq!(second.result, CheckResult::NotRun, "{}", second.detail);
}

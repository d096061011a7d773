//! Revocation status is required by default: a signature whose signer's status cannot be
//! established is INDETERMINATE / TRY_LATER, never TOTAL_PASSED. The caller may switch checking
//! off ([`OcspMode::Off`]): the signature then passes, the report says checking was switched
//! off, and a certificate shown revoked still fails.

mod common;

use common::pki::*;
use common::*;
use sigverify::revocation::path::Info;
use sigverify::verdict::{Check, CheckCode, CheckResult};
use sigverify::{Content, Report, SubIndication, VerifyContext, verify};

const CONTENT: &[u8] = b"revocation mode\n";

fn revocation(r: &Report) -> &Check {
    r.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == CheckCode::Revocation)
        .expect("a REVOCATION check")
}

#[test]
fn the_default_policy_requires_revocation_status() {
    let p = sigverify::Policy::default_policy();
    assert_eq!(p.revocation, sigverify::policy::RevocationMode::Required);
    let off = OcspMode::Off.policy(&p);
    assert_eq!(off.revocation, sigverify::policy::RevocationMode::NotEvaluated);
    assert!(off.revocation_switched_off);
    assert_eq!(off.name, p.name);
    let embedded = OcspMode::Embedded.policy(&p);
    assert!(matches!(embedded, std::borrow::Cow::Borrowed(_)));
    // Live OCSP validates under the policy as configured; the asking is the shell's.
    let live = OcspMode::Live.policy(&p);
    assert!(matches!(live, std::borrow::Cow::Borrowed(_)));
    assert!(OcspMode::Live.is_live() && !OcspMode::Embedded.is_live());
}

#[test]
fn a_signature_without_revocation_data_is_try_later_by_default_and_passes_with_checking_off() {
    let (root, rk) = root("Revocation Mode Root");
    let (ica, ik) = intermediate("Revocation Mode ICA", &root, &rk);
    let (leaf, lk) = leaf("Revocation Mode Signer", &ica, &ik);
    let cms = sign_cms(CONTENT, &[(&leaf, &lk)], &[&ica], false);

    let strict = setup(&[&root], &[]).run(&cms, Content::None);
    assert_eq!(verdict(&strict), "INDETERMINATE/TRY_LATER", "{}", pretty(&strict));
    let c = revocation(&strict);
    assert_eq!(c.result, CheckResult::NotRun);
    assert_eq!(c.sub_indication, Some(SubIndication::TryLater));

    let off = setup(&[&root], &[]).revocation_off().run(&cms, Content::None);
    assert_eq!(verdict(&off), "TOTAL_PASSED", "{}", pretty(&off));
    let c = revocation(&off);
    assert_eq!(c.result, CheckResult::NotRun);
    assert_eq!(c.sub_indication, None);
    assert!(
        c.detail.contains("revocation checking switched off by request"),
        "{}",
        c.detail
    );
}

/// The demo RSA signer, its status handed in (`testdata/crl`, `testdata/ocsp`), at 2026-01-16.
fn with_revocation(data: &[Info<'_>], mode: OcspMode) -> Report {
    let t = repo().join("testdata");
    let mut s = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at("2026-01-16T00:00:00Z"));
    if mode == OcspMode::Off {
        s = s.revocation_off();
    }
    let ctx = VerifyContext {
        revocation: data,
        ..context(&s)
    };
    verify(&read(&t.join("samples/rsa-attached.p7m")), Content::None, &ctx)
}

#[test]
fn a_revoked_signer_fails_whatever_the_mode() {
    let t = repo().join("testdata");
    let crl = read(&t.join("crl/leaf-revoked.crl"));
    let root_crl = read(&t.join("crl/root-empty.crl"));
    let data = [Info::Crl(&crl), Info::Crl(&root_crl)];
    for mode in OcspMode::ALL.iter().copied() {
        let r = with_revocation(&data, mode);
        assert_eq!(verdict(&r), "TOTAL_FAILED/REVOKED", "{mode}: {}", pretty(&r));
        let c = revocation(&r);
        assert_eq!(c.result, CheckResult::Failed, "{mode}");
        assert!(c.detail.contains("revoked since 2026-01-10"), "{mode}: {}", c.detail);
    }
}

#[test]
fn a_status_proved_good_passes_under_the_default_policy() {
    let t = repo().join("testdata");
    let ocsp = read(&t.join("ocsp/good-ca.der"));
    let root_crl = read(&t.join("crl/root-empty.crl"));
    let data = [Info::Ocsp(&ocsp), Info::Crl(&root_crl)];
    for mode in OcspMode::ALL.iter().copied() {
        let r = with_revocation(&data, mode);
        assert_eq!(verdict(&r), "TOTAL_PASSED", "{mode}: {}", pretty(&r));
        assert_eq!(revocation(&r).result, CheckResult::Passed, "{mode}");
    }
}

#[test]
fn modes_are_named_in_lowercase() {
    assert_eq!(OcspMode::default(), OcspMode::Embedded);
    for (mode, name) in OcspMode::ALL.iter().zip(OcspMode::NAMES) {
        assert_eq!(mode.as_str(), *name);
        assert_eq!(name.parse::<OcspMode>(), Ok(*mode));
        assert_eq!(serde_json::to_value(mode).unwrap(), serde_json::json!(name));
        assert_eq!(
            serde_json::from_value::<OcspMode>(serde_json::json!(name)).unwrap(),
            *mode
        );
    }
    assert_eq!(OcspMode::from_name("OFF"), Some(OcspMode::Off));
    assert!("sometimes".parse::<OcspMode>().is_err());
    assert!(serde_json::from_value::<OcspMode>(serde_json::json!("Off")).is_err());
}

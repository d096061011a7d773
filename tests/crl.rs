//! CRL parsing and CRL status checks against the CRLs of `testdata/crl/` (made by
//! `testdata/crl/generate.sh` with `openssl ca -gencrl`; expected outcomes in its README) and
//! the CRLs carried by CMS files of the shared corpus.

mod common;

use common::{Setup, at, context, read, repo};
use sigverify::formats::cms;
use sigverify::formats::crl::{Crl, CrlError, MAX_CRL_LEN, RevocationReason};
use sigverify::formats::x509::Certificate;
use sigverify::revocation::Freshness;
use sigverify::revocation::crl::{CrlOutcome, CrlProblem, Revocation, check};
use sigverify::{Budget, Meter, UnixTime};

fn cert(path: &str) -> Certificate {
    let bytes = read(&repo().join("testdata").join(path));
    Certificate::from_pem_or_der(&bytes).unwrap().remove(0)
}

fn crl(name: &str) -> Vec<u8> {
    read(&repo().join("testdata/crl").join(name))
}

/// The RSA leaf the test CRLs revoke (serial 0F1E2D3C4B5A6978).
fn leaf2() -> Certificate {
    cert("crl/leaf2.pem")
}

fn rsa(name: &str) -> Certificate {
    cert(&format!("pki/rsa/{name}.pem"))
}

/// The status of `subject` (issued by the rsa ica) in the CRL `name` at `time`.
fn status_at(name: &str, subject: &Certificate, time: &str) -> CrlOutcome {
    status_with(&crl(name), subject, &rsa("ica"), time, Budget::default())
}

fn status_with(der: &[u8], subject: &Certificate, issuer: &Certificate, time: &str, budget: Budget) -> CrlOutcome {
    let setup = Setup::new(&[], &[], at(time));
    let ctx = context(&setup);
    let meter = Meter::new(budget, None);
    check(der, subject, issuer, at(time), &Freshness::default(), &ctx, &meter)
}

fn problem(outcome: &CrlOutcome) -> CrlProblem {
    outcome
        .problem()
        .unwrap_or_else(|| panic!("expected an unusable CRL, got {outcome:?}"))
}

const AT: &str = "2026-01-16T00:00:00Z";
const THIS_UPDATE: &str = "2026-01-15T00:00:00Z";
const NEXT_UPDATE: &str = "2026-01-22T00:00:00Z";

fn good(later_revocation: Option<Revocation>) -> CrlOutcome {
    CrlOutcome::Good {
        this_update: at(THIS_UPDATE),
        next_update: Some(at(NEXT_UPDATE)),
        later_revocation,
    }
}

fn key_compromise(time: &str) -> Revocation {
    Revocation {
        time: at(time),
        reason: Some(RevocationReason::KeyCompromise),
        invalidity_date: None,
    }
}

#[test]
fn parses_the_fields_of_a_crl() {
    let der = crl("revoked.crl");
    let c = Crl::from_der(&der).unwrap();
    let ica = rsa("ica");
    assert_eq!(c.version, 1);
    assert_eq!(c.issuer, ica.subject());
    assert_eq!(c.this_update, at(THIS_UPDATE));
    assert_eq!(c.next_update, Some(at(NEXT_UPDATE)));
    assert_eq!(c.entry_count, 1);
    assert_eq!(c.extensions.crl_number, Some(vec![0x10, 0x00]));
    assert_eq!(c.extensions.authority_key_id, ica.subject_key_id);
    assert!(c.extensions.delta_base.is_none() && c.extensions.issuing_distribution_point.is_none());
    let entry = c.find(leaf2().serial()).unwrap().unwrap();
    assert_eq!(entry.serial, hex::decode("0F1E2D3C4B5A6978").unwrap());
    assert_eq!(entry.revocation_date, at("2026-01-10T00:00:00Z"));
    assert_eq!(entry.reason, Some(RevocationReason::KeyCompromise));
    // A serial encoded with a redundant leading zero is the same integer.
    assert!(c.find(&hex::decode("000F1E2D3C4B5A6978").unwrap()).unwrap().is_some());
    assert!(c.find(rsa("leaf").serial()).unwrap().is_none());
    assert_eq!(Crl::from_der(&crl("empty.crl")).unwrap().entry_count, 0);
}

#[test]
fn parses_scope_and_delta_extensions() {
    let delta = crl("delta.crl");
    assert_eq!(
        Crl::from_der(&delta).unwrap().extensions.delta_base,
        Some(vec![0x03, 0xe7])
    );
    let der = crl("indirect.crl");
    let idp = Crl::from_der(&der)
        .unwrap()
        .extensions
        .issuing_distribution_point
        .unwrap();
    assert!(idp.indirect_crl && !idp.only_some_reasons && idp.distribution_point.is_some());
    let der = crl("some-reasons.crl");
    let idp = Crl::from_der(&der)
        .unwrap()
        .extensions
        .issuing_distribution_point
        .unwrap();
    assert!(idp.only_some_reasons && !idp.indirect_crl);
    let der = crl("user-certs-only.crl");
    let idp = Crl::from_der(&der)
        .unwrap()
        .extensions
        .issuing_distribution_point
        .unwrap();
    assert!(idp.only_user_certs && !idp.only_ca_certs && idp.distribution_point.is_none());
    let der = crl("unknown-critical.crl");
    assert_eq!(
        Crl::from_der(&der).unwrap().extensions.unknown_critical,
        vec!["1.3.6.1.4.1.99999.1".to_string()]
    );
}

#[test]
fn an_empty_crl_says_good() {
    assert_eq!(status_at("empty.crl", &rsa("leaf"), AT), good(None));
    assert_eq!(status_at("empty.crl", &leaf2(), AT), good(None));
}

#[test]
fn a_listed_certificate_is_revoked() {
    let revoked = status_at("revoked.crl", &leaf2(), AT);
    assert_eq!(revoked, CrlOutcome::Revoked(key_compromise("2026-01-10T00:00:00Z")));
    assert_eq!(revoked.message(), "revoked on 2026-01-10T00:00:00Z (keyCompromise)");
    assert_eq!(status_at("revoked.crl", &rsa("leaf"), AT), good(None));
}

#[test]
fn a_revocation_after_the_time_leaves_the_certificate_good_at_the_time() {
    let later = key_compromise("2026-01-18T00:00:00Z");
    let outcome = status_at("revoked-later.crl", &leaf2(), AT);
    assert_eq!(outcome, good(Some(later)));
    assert!(outcome.message().contains("revoked later, on 2026-01-18T00:00:00Z"));
    assert_eq!(
        status_at("revoked-later.crl", &leaf2(), "2026-01-19T00:00:00Z"),
        CrlOutcome::Revoked(later)
    );
    assert_eq!(
        status_at("revoked-later.crl", &leaf2(), "2026-01-18T00:00:00Z"),
        CrlOutcome::Revoked(later)
    );
}

#[test]
fn a_crl_signed_with_another_key_is_refused() {
    // Signed by the p256 ica's key, under the rsa ica's name.
    let outcome = status_at("p256-signed.crl", &rsa("leaf"), AT);
    assert_eq!(problem(&outcome), CrlProblem::BadSignature, "{outcome:?}");
    // Checked for a p256 certificate with the p256 ica: the names differ.
    let p256 = |n: &str| cert(&format!("pki/p256/{n}.pem"));
    let outcome = status_with(
        &crl("p256-signed.crl"),
        &p256("leaf"),
        &p256("ica"),
        AT,
        Budget::default(),
    );
    assert_eq!(problem(&outcome), CrlProblem::WrongIssuer, "{outcome:?}");
    // The genuine CRL for a certificate of another issuer.
    let outcome = status_with(&crl("empty.crl"), &p256("leaf"), &rsa("ica"), AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::WrongIssuer, "{outcome:?}");
    // The genuine CRL with the wrong issuer certificate (the rsa root).
    let outcome = status_with(&crl("empty.crl"), &rsa("leaf"), &rsa("root"), AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::WrongIssuer, "{outcome:?}");
}

#[test]
fn the_issuer_certificate_must_be_the_crl_signer() {
    // Named like the rsa ica, another key and key identifier.
    let attacker = cert("pki/neg/swap/attacker-ca.pem");
    let outcome = status_with(&crl("revoked.crl"), &leaf2(), &attacker, AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::WrongIssuer, "{outcome:?}");
    assert!(outcome.message().contains("authorityKeyIdentifier"), "{outcome:?}");
    // Without an authorityKeyIdentifier in the CRL, the signature gives it away.
    let outcome = status_with(&crl("p256-signed.crl"), &leaf2(), &attacker, AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::BadSignature, "{outcome:?}");
    // The rsa ica's name and key, with a keyUsage without cRLSign.
    let no_crl_sign = cert("crl/ica-no-crlsign.pem");
    let outcome = status_with(&crl("revoked.crl"), &leaf2(), &no_crl_sign, AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::WrongIssuer, "{outcome:?}");
    assert!(outcome.message().contains("cRLSign"), "{outcome:?}");
}

#[test]
fn a_tampered_crl_does_not_verify() {
    let mut der = crl("revoked.crl");
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let outcome = status_with(&der, &leaf2(), &rsa("ica"), AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::BadSignature, "{outcome:?}");
    // A changed revocation date (inside the signed part) does not verify either.
    let mut der = crl("revoked.crl");
    let date = b"260110000000Z";
    let pos = der.windows(date.len()).position(|w| w == date).unwrap();
    der[pos + 1] = b'9';
    let outcome = status_with(&der, &leaf2(), &rsa("ica"), AT, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::BadSignature, "{outcome:?}");
}

#[test]
fn freshness_bounds() {
    let leaf = rsa("leaf");
    let outcome = status_at("stale.crl", &leaf, AT);
    assert_eq!(problem(&outcome), CrlProblem::NotFresh, "{outcome:?}");
    // Default skew: 300 s on each side.
    assert_eq!(status_at("empty.crl", &leaf, "2026-01-14T23:55:00Z"), good(None));
    let early = status_at("empty.crl", &leaf, "2026-01-14T23:54:59Z");
    assert_eq!(problem(&early), CrlProblem::NotFresh, "{early:?}");
    assert_eq!(status_at("empty.crl", &leaf, "2026-01-22T00:05:00Z"), good(None));
    let late = status_at("empty.crl", &leaf, "2026-01-22T00:05:01Z");
    assert_eq!(problem(&late), CrlProblem::NotFresh, "{late:?}");
}

#[test]
fn unsupported_kinds_of_crl_are_reported_as_such() {
    let leaf = rsa("leaf");
    let cases = [
        ("delta.crl", CrlProblem::DeltaUnsupported),
        ("unknown-critical.crl", CrlProblem::UnknownCriticalExtension),
        ("indirect.crl", CrlProblem::IndirectUnsupported),
        ("some-reasons.crl", CrlProblem::ScopeUnsupported),
        // The rsa leaf has no cRLDistributionPoints.
        ("distribution-point.crl", CrlProblem::ScopeUnsupported),
    ];
    for (name, expected) in cases {
        let outcome = status_at(name, &leaf, AT);
        assert_eq!(problem(&outcome), expected, "{name}: {outcome:?}");
    }
}

#[test]
fn a_crl_whose_scope_covers_the_certificate_is_read() {
    // leaf2's cRLDistributionPoints names the CRL's distribution point.
    let revoked = CrlOutcome::Revoked(key_compromise("2026-01-10T00:00:00Z"));
    assert_eq!(status_at("distribution-point.crl", &leaf2(), AT), revoked);
    // onlyContainsUserCerts, and leaf2 is an end-entity certificate.
    assert_eq!(status_at("user-certs-only.crl", &leaf2(), AT), revoked);
}

#[test]
fn the_signature_check_is_metered() {
    let none = Budget {
        signatures: 0,
        ..Budget::default()
    };
    let outcome = status_with(&crl("empty.crl"), &rsa("leaf"), &rsa("ica"), AT, none);
    assert_eq!(problem(&outcome), CrlProblem::BudgetExhausted, "{outcome:?}");
}

#[test]
fn malformed_input_is_an_error_value() {
    let der = crl("revoked.crl");
    for len in [0, 1, 10, der.len() / 2, der.len() - 1] {
        let outcome = status_with(&der[..len], &leaf2(), &rsa("ica"), AT, Budget::default());
        assert_eq!(problem(&outcome), CrlProblem::Malformed, "{len}: {outcome:?}");
    }
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(Crl::from_der(&trailing).is_err());
    let huge = vec![0x30; MAX_CRL_LEN + 1];
    assert_eq!(Crl::from_der(&huge).unwrap_err(), CrlError::TooLarge("input"));
}

/// Every CRL carried in the `crls` of a CMS file of the shared corpus parses (one, in
/// `cms/dss-cades-broken-sig-tst.p7m`; the other `crls` entries there are OCSP responses), and
/// says, checked with the file's "Testing Root CA" (the CRL is scoped to a distribution point
/// the signer certificate names), that the signer was good when it was issued.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn real_crls_of_the_shared_corpus() {
    let corpus = common::shared().join("corpus");
    let manifest = String::from_utf8(read(&corpus.join("manifest.tsv"))).unwrap();
    let mut parsed = 0;
    for row in manifest.lines().map(|l| l.split('\t').collect::<Vec<_>>()) {
        if !matches!(row.get(1), Some(&"cms" | &"cms-detached")) {
            continue;
        }
        let bytes = read(&corpus.join(row[0]));
        let Ok(sd) = cms::parse_content_info(&bytes) else {
            continue;
        };
        for entry in sd
            .crls
            .iter()
            .filter(|t| t.tag == sigverify::formats::ber::Tag::SEQUENCE)
        {
            let c = Crl::from_der(entry.raw).unwrap_or_else(|e| panic!("{}: {e}", row[0]));
            assert!(c.next_update.is_none_or(|n| n > c.this_update), "{}", row[0]);
            parsed += 1;
        }
    }
    assert!(parsed >= 1, "{parsed} CRLs parsed");

    let bytes = read(&corpus.join("cms/dss-cades-broken-sig-tst.p7m"));
    let sd = cms::parse_content_info(&bytes).unwrap();
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .map(|d| Certificate::from_der(d).unwrap())
        .collect();
    let root = certs.iter().find(|c| c.is_self_issued()).unwrap();
    let signer = certs.iter().find(|c| !c.is_self_issued()).unwrap();
    let der = sd.crls[0].raw;
    let this_update = Crl::from_der(der).unwrap().this_update;
    let time = this_update.to_rfc3339();
    let outcome = status_with(der, signer, root, &time, Budget::default());
    assert!(
        matches!(outcome, CrlOutcome::Good { this_update: t, later_revocation: None, .. } if t == this_update),
        "{outcome:?}"
    );
    let after = UnixTime(this_update.0 + 30 * 86_400).to_rfc3339();
    let outcome = status_with(der, signer, root, &after, Budget::default());
    assert_eq!(problem(&outcome), CrlProblem::NotFresh, "{outcome:?}");
}

//! OCSP responses (RFC 6960): the generated responses of `testdata/ocsp/` (made by
//! `testdata/ocsp/generate.sh` with `openssl ocsp`, expected outcomes in its README), tampered
//! copies of them, and real responses carried by BDOC / ASiC-E containers of the shared corpus.

mod common;

use std::path::Path;

use base64::Engine;
use common::*;
use sigverify::formats::ber::{Fields, Tag, Tlv};
use sigverify::formats::ocsp::{self as format, ResponderId, ResponseStatus};
use sigverify::formats::x509::Certificate;
use sigverify::revocation::Freshness;
use sigverify::revocation::ocsp::{OcspOutcome, Responder, Verified, check, verify_signed_by};
use sigverify::{Budget, Meter, UnixTime, VerifyContext};

/// The time the responses were produced (`NOW` in the generator).
const NOW: &str = "2026-01-15T12:00:00Z";

fn cert(rel: &str) -> Certificate {
    let bytes = read(&repo().join("testdata").join(rel));
    Certificate::from_pem_or_der(&bytes)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .remove(0)
}

fn response(name: &str) -> Vec<u8> {
    read(&repo().join("testdata/ocsp").join(name))
}

fn setup() -> Setup {
    Setup::new(&[], &[], at(NOW))
}

/// `check` of the response bytes for `leaf` under `issuer` (paths under testdata/) at `when`.
fn outcome_of(bytes: &[u8], leaf: &str, issuer: &str, when: &str) -> OcspOutcome {
    let s = setup();
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    check(
        bytes,
        &cert(leaf),
        &cert(issuer),
        at(when),
        &Freshness::default(),
        &ctx,
        &meter,
    )
}

fn rsa(name: &str, when: &str) -> OcspOutcome {
    outcome_of(&response(name), "pki/rsa/leaf.pem", "pki/rsa/ica.pem", when)
}

fn good(o: OcspOutcome) -> Verified {
    match o {
        OcspOutcome::Good(v) => *v,
        other => panic!("expected good, got {other:?}"),
    }
}

#[test]
fn signed_by_the_ca_good() {
    for name in ["good-ca.der", "good-ca-keyid.der", "good-ca-sha256-certid.der"] {
        let v = good(rsa(name, NOW));
        assert_eq!(v.responder, Responder::Issuer, "{name}");
        assert_eq!(v.this_update, at(NOW), "{name}");
        assert_eq!(v.produced_at, at(NOW), "{name}");
        assert_eq!(v.next_update, Some(at("2026-01-22T12:00:00Z")), "{name}");
        assert_eq!(v.nonce, None, "{name}");
    }
    let v = good(outcome_of(
        &response("p256-good-ca.der"),
        "pki/p256/leaf.pem",
        "pki/p256/ica.pem",
        NOW,
    ));
    assert_eq!(v.responder, Responder::Issuer);
}

#[test]
fn responder_id_forms_are_read() {
    let by_name = response("good-ca.der");
    let by_key = response("good-ca-keyid.der");
    let name = format::parse_response(&by_name).unwrap().basic.unwrap();
    let key = format::parse_response(&by_key).unwrap().basic.unwrap();
    assert!(matches!(name.data.responder_id, ResponderId::ByName(_)));
    assert!(matches!(key.data.responder_id, ResponderId::ByKey(k) if k.len() == 20));
    assert_eq!(name.data.responses.len(), 1);
}

#[test]
fn delegated_responder_good() {
    for (name, no_check) in [
        ("good-delegated.der", true),
        ("good-delegated-keyid.der", true),
        ("good-delegated-nonocheck.der", false),
    ] {
        let v = good(rsa(name, NOW));
        let responder = cert(&format!(
            "ocsp/{}.pem",
            if no_check { "responder" } else { "responder-nonocheck" }
        ));
        assert_eq!(
            v.responder,
            Responder::Delegated {
                subject: responder.subject_string().to_string(),
                sha256: responder.sha256,
                no_check,
            },
            "{name}"
        );
    }
}

#[test]
fn revoked_unknown_and_other_certificates() {
    match outcome_of(
        &response("revoked.der"),
        "ocsp/leaf-revoked.pem",
        "pki/rsa/ica.pem",
        NOW,
    ) {
        OcspOutcome::Revoked { time, reason, response } => {
            assert_eq!(time, at("2025-12-01T00:00:00Z"));
            assert_eq!(reason, Some(1), "keyCompromise");
            assert_eq!(response.responder, Responder::Issuer);
        }
        other => panic!("expected revoked, got {other:?}"),
    }
    assert!(matches!(rsa("unknown.der", NOW), OcspOutcome::Unknown(_)));
    // A response about another serial; a good response asked about another certificate; the
    // right serial under another issuer.
    assert_eq!(rsa("revoked.der", NOW), OcspOutcome::NoMatchingResponse);
    let good_ca = response("good-ca.der");
    assert_eq!(
        outcome_of(&good_ca, "ocsp/leaf-revoked.pem", "pki/rsa/ica.pem", NOW),
        OcspOutcome::NoMatchingResponse
    );
    assert_eq!(
        outcome_of(&good_ca, "pki/rsa/leaf.pem", "pki/p256/ica.pem", NOW),
        OcspOutcome::NoMatchingResponse
    );
}

#[test]
fn freshness_window() {
    let t = |s: &str| at(s);
    // thisUpdate 12:00:00, nextUpdate a week later; 300 s of skew each side.
    for (when, fresh) in [
        ("2026-01-15T11:55:01Z", true),
        ("2026-01-15T11:54:59Z", false),
        ("2026-01-22T12:04:59Z", true),
        ("2026-01-22T12:05:01Z", false),
    ] {
        let o = rsa("good-ca.der", when);
        assert_eq!(matches!(o, OcspOutcome::Good(_)), fresh, "{when}: {o:?}");
        if !fresh {
            assert_eq!(
                o,
                OcspOutcome::NotFresh {
                    at: t(when),
                    this_update: t(NOW),
                    next_update: Some(t("2026-01-22T12:00:00Z"))
                }
            );
        }
    }
    // Without nextUpdate: 24 hours after thisUpdate.
    assert!(matches!(
        rsa("good-ca-no-next-update.der", "2026-01-16T11:59:00Z"),
        OcspOutcome::Good(_)
    ));
    assert!(matches!(
        rsa("good-ca-no-next-update.der", "2026-01-16T12:01:00Z"),
        OcspOutcome::NotFresh { next_update: None, .. }
    ));
    // Produced 2025-06-01 with a day of validity: stale at NOW, fresh then.
    assert!(matches!(rsa("stale.der", NOW), OcspOutcome::NotFresh { .. }));
    assert!(matches!(rsa("stale.der", "2025-06-01T18:00:00Z"), OcspOutcome::Good(_)));
}

#[test]
fn unauthorised_responders() {
    for (name, says) in [
        ("responder-noeku.der", "id-kp-OCSPSigning"),
        ("responder-foreign.der", "is not issued by"),
        ("delegated-no-certs.der", "not in the response"),
    ] {
        match rsa(name, NOW) {
            OcspOutcome::UnauthorisedResponder(m) => assert!(m.contains(says), "{name}: {m}"),
            other => panic!("{name}: expected an unauthorised responder, got {other:?}"),
        }
    }
    match rsa("responder-expired.der", NOW) {
        OcspOutcome::ResponderNotValid { subject, produced_at } => {
            assert!(subject.contains("Expired Responder"), "{subject}");
            assert_eq!(produced_at, at(NOW));
        }
        other => panic!("expected responder not valid, got {other:?}"),
    }
}

#[test]
fn tampered_responses_do_not_verify() {
    for name in ["good-ca.der", "good-delegated.der", "p256-good-ca.der"] {
        let bytes = response(name);
        let basic = format::parse_response(&bytes).unwrap().basic.unwrap();
        let sig_at = bytes
            .windows(basic.signature.len())
            .position(|w| w == basic.signature)
            .unwrap();
        let mut flipped = bytes.clone();
        flipped[sig_at + basic.signature.len() / 2] ^= 0x01;
        // producedAt one second later (the first occurrence of the time is producedAt).
        let mut later = bytes.clone();
        let t = later.windows(15).position(|w| w == b"20260115120000Z").unwrap();
        later[t + 13] = b'1';
        let (leaf, issuer) = if name.starts_with("p256") {
            ("pki/p256/leaf.pem", "pki/p256/ica.pem")
        } else {
            ("pki/rsa/leaf.pem", "pki/rsa/ica.pem")
        };
        for tampered in [flipped, later] {
            let o = outcome_of(&tampered, leaf, issuer, NOW);
            assert!(matches!(o, OcspOutcome::BadSignature(_)), "{name}: {o:?}");
        }
    }
}

#[test]
fn nonce_is_the_requests() {
    let v = good(rsa("nonce.der", NOW));
    let nonce = v.nonce.expect("nonce extension");
    // openssl writes the nonce as an OCTET STRING of 16 random bytes inside extnValue.
    assert_eq!(nonce.len(), 18);
    assert_eq!(&nonce[..2], &[0x04, 0x10]);
    let request = response("nonce-request.der");
    assert!(request.windows(nonce.len()).any(|w| w == nonce.as_slice()));
    let other = response("good-ca.der");
    assert!(!other.windows(nonce.len()).any(|w| w == nonce.as_slice()));
}

#[test]
fn every_signature_is_taken_from_the_budget() {
    let s = setup();
    let run = |name: &str, signatures: usize| {
        let ctx = VerifyContext {
            budget: Budget {
                signatures,
                ..Budget::default()
            },
            ..context(&s)
        };
        let meter = Meter::new(ctx.budget, None);
        check(
            &response(name),
            &cert("pki/rsa/leaf.pem"),
            &cert("pki/rsa/ica.pem"),
            at(NOW),
            &Freshness::default(),
            &ctx,
            &meter,
        )
    };
    assert_eq!(run("good-ca.der", 0), OcspOutcome::BudgetExhausted);
    assert!(matches!(run("good-ca.der", 1), OcspOutcome::Good(_)));
    // The response and the responder certificate: two checks.
    assert_eq!(run("good-delegated.der", 1), OcspOutcome::BudgetExhausted);
    assert!(matches!(run("good-delegated.der", 2), OcspOutcome::Good(_)));
}

#[test]
fn malformed_and_unsuccessful() {
    let good_ca = response("good-ca.der");
    for cut in [0, 1, 10, good_ca.len() / 2, good_ca.len() - 1] {
        let o = outcome_of(&good_ca[..cut], "pki/rsa/leaf.pem", "pki/rsa/ica.pem", NOW);
        assert!(matches!(o, OcspOutcome::Malformed(_)), "cut at {cut}: {o:?}");
    }
    let mut trailing = good_ca.clone();
    trailing.push(0);
    assert!(matches!(
        outcome_of(&trailing, "pki/rsa/leaf.pem", "pki/rsa/ica.pem", NOW),
        OcspOutcome::Malformed(_)
    ));
    let try_later = [0x30, 0x03, 0x0a, 0x01, 0x03];
    assert_eq!(
        outcome_of(&try_later, "pki/rsa/leaf.pem", "pki/rsa/ica.pem", NOW),
        OcspOutcome::NotSuccessful(ResponseStatus::TryLater)
    );
    let huge = vec![0u8; format::MAX_RESPONSE_LEN + 1];
    assert!(matches!(
        format::parse_response(&huge),
        Err(format::OcspError::TooLarge(_))
    ));
}

#[test]
fn every_outcome_has_its_own_message() {
    let outcomes = [
        rsa("good-ca.der", NOW),
        outcome_of(
            &response("revoked.der"),
            "ocsp/leaf-revoked.pem",
            "pki/rsa/ica.pem",
            NOW,
        ),
        rsa("unknown.der", NOW),
        rsa("revoked.der", NOW),
        rsa("stale.der", NOW),
        rsa("responder-noeku.der", NOW),
        rsa("responder-expired.der", NOW),
        outcome_of(
            &[0x30, 0x03, 0x0a, 0x01, 0x03],
            "pki/rsa/leaf.pem",
            "pki/rsa/ica.pem",
            NOW,
        ),
        outcome_of(&[0x30], "pki/rsa/leaf.pem", "pki/rsa/ica.pem", NOW),
    ];
    let mut messages: Vec<String> = outcomes.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("revoked at 2025-12-01T00:00:00Z (reason keyCompromise)"))
    );
    messages.sort();
    messages.dedup();
    assert_eq!(messages.len(), outcomes.len(), "{messages:#?}");
}

// ---------------------------------------------------------------------------------------------
// Real responses: the EncapsulatedOCSPValue of XAdES signatures in the shared corpus.

/// The text of the first element with local name `name` (any prefix).
fn element_text<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
    let mut from = 0;
    while let Some(i) = xml[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let open = xml[..i].rfind('<')?;
        let tag = &xml[open + 1..i];
        let after = xml[from..].chars().next()?;
        if !tag.starts_with('/') && (tag.is_empty() || tag.ends_with(':')) && (after == '>' || after == ' ') {
            let start = from + xml[from..].find('>')? + 1;
            let end = start + xml[start..].find('<')?;
            return Some(&xml[start..end]);
        }
    }
    None
}

fn b64(text: &str) -> Vec<u8> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).unwrap()
}

/// The signature document of a container of the shared corpus.
fn signature_xml(rel: &str) -> String {
    let bytes = read(&shared().join("corpus").join(rel));
    let limits = sigverify::formats::zip::ZipLimits::default();
    let archive = sigverify::formats::zip::read(&bytes, &limits).unwrap();
    let entry = archive
        .entries
        .iter()
        .find(|e| e.name == "META-INF/signatures0.xml")
        .unwrap();
    String::from_utf8(entry.data(&limits).unwrap().into_owned()).unwrap()
}

fn anchor(name: &str) -> Certificate {
    let p = shared().join("corpus/anchors/ee-test").join(name);
    Certificate::from_pem_or_der(&read(Path::new(&p))).unwrap().remove(0)
}

/// BDOC time-mark: the nonce is the digest of the signature value (a DigestInfo-like
/// SEQUENCE { AlgorithmIdentifier, OCTET STRING }); the responder, "TEST of SK OCSP RESPONDER
/// 2011", is certified by the root rather than by the signer's CA (a responder trusted by
/// configuration, RFC 6960 4.2.2.2 case 2), so the delegation rule does not authorise it.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn bdoc_time_mark_response() {
    let xml = signature_xml("bdoc/dd4j-valid-bdoc-tm.bdoc");
    let der = b64(element_text(&xml, "EncapsulatedOCSPValue").unwrap());
    let parsed = format::parse_response(&der).unwrap();
    assert_eq!(parsed.status, ResponseStatus::Successful);
    let basic = parsed.basic.unwrap();
    assert_eq!(basic.data.produced_at, at("2016-03-14T14:13:49Z"));
    assert_eq!(basic.certs.len(), 1);
    let responder = Certificate::from_der(basic.certs[0]).unwrap();
    assert!(responder.subject_string().contains("TEST of SK OCSP RESPONDER 2011"));

    let s = setup();
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    assert_eq!(verify_signed_by(&basic, &responder, &ctx, &meter), Ok(()));
    let mut tampered = der.clone();
    let sig_at = der
        .windows(basic.signature.len())
        .position(|w| w == basic.signature)
        .unwrap();
    tampered[sig_at + 7] ^= 0x80;
    let tampered_basic = format::parse_response(&tampered).unwrap().basic.unwrap();
    assert!(verify_signed_by(&tampered_basic, &responder, &ctx, &meter).is_err());

    // The nonce binds the response to this signature value.
    let nonce = Tlv::parse_exact(basic.data.nonce().unwrap()).unwrap();
    let mut f = Fields::new(&nonce).unwrap();
    let _alg = f.next(Tag::SEQUENCE).unwrap();
    let digest = f.next(Tag::OCTET_STRING).unwrap().value;
    let signature_value = b64(element_text(&xml, "SignatureValue").unwrap());
    assert_eq!(digest, sigverify::HashAlg::Sha256.digest(&signature_value).as_slice());

    let signer = Certificate::from_der(&b64(element_text(&xml, "X509Certificate").unwrap())).unwrap();
    let outcome = check(
        &der,
        &signer,
        &anchor("TEST_of_ESTEID-SK_2011.pem"),
        basic.data.produced_at,
        &Freshness::default(),
        &ctx,
        &meter,
    );
    assert!(
        matches!(&outcome, OcspOutcome::UnauthorisedResponder(m) if m.contains("is not issued by")),
        "{outcome:?}"
    );
}

/// ASiC-E with an ESTEID2018 signer: the response is signed by a delegated responder of the
/// signer's CA, with id-pkix-ocsp-nocheck.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn asice_delegated_responder_response() {
    let xml = signature_xml("asice/dd4j-valid-asice-esteid2018.asice");
    let der = b64(element_text(&xml, "EncapsulatedOCSPValue").unwrap());
    let signer = Certificate::from_der(&b64(element_text(&xml, "X509Certificate").unwrap())).unwrap();
    let s = setup();
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    let produced_at = format::parse_response(&der).unwrap().basic.unwrap().data.produced_at;
    assert_eq!(produced_at, UnixTime::parse_rfc3339("2024-09-02T12:36:48Z").unwrap());
    let v = good(check(
        &der,
        &signer,
        &anchor("TEST_of_ESTEID2018.pem"),
        produced_at,
        &Freshness::default(),
        &ctx,
        &meter,
    ));
    match v.responder {
        Responder::Delegated { subject, no_check, .. } => {
            assert!(subject.contains("AIA OCSP RESPONDER"), "{subject}");
            assert!(no_check);
        }
        other => panic!("expected a delegated responder, got {other:?}"),
    }
    assert!(v.nonce.is_some());
}

/// `check` of an rsa-leaf response with `anchors` (paths under testdata/) configured.
fn with_anchors(name: &str, anchors: &[&str]) -> OcspOutcome {
    let paths: Vec<_> = anchors.iter().map(|a| repo().join("testdata").join(a)).collect();
    let s = Setup::new(&paths, &[], at(NOW));
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    let (leaf, ica) = (cert("pki/rsa/leaf.pem"), cert("pki/rsa/ica.pem"));
    check(
        &response(name),
        &leaf,
        &ica,
        at(NOW),
        &Freshness::default(),
        &ctx,
        &meter,
    )
}

/// A responder whose certificate is a configured trust anchor with id-kp-OCSPSigning is
/// trusted directly, even when the response does not carry it; one without the EKU is not.
#[test]
fn responders_trusted_by_configuration() {
    assert!(matches!(
        with_anchors("delegated-no-certs.der", &[]),
        OcspOutcome::UnauthorisedResponder(_)
    ));
    let v = good(with_anchors("delegated-no-certs.der", &["ocsp/responder.pem"]));
    assert!(matches!(v.responder, Responder::Trusted { .. }), "{:?}", v.responder);
    // Trusting the responder certificate does not make one without the EKU a responder.
    assert!(matches!(
        with_anchors("responder-noeku.der", &["ocsp/responder-noeku.pem"]),
        OcspOutcome::UnauthorisedResponder(_)
    ));
}

/// The SK responder of a real BDOC time-mark is certified by the root, not by the signer's
/// CA: refused by RFC 6960's rule (`bdoc_time_mark_response`), trusted when the deployment
/// lists it as a trust anchor, as the corpus's ee-test anchors (and the Estonian trusted list)
/// do.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_bdoc_time_mark_responder_trusted_by_configuration() {
    let xml = signature_xml("bdoc/dd4j-valid-bdoc-tm.bdoc");
    let der = b64(element_text(&xml, "EncapsulatedOCSPValue").unwrap());
    let signer = Certificate::from_der(&b64(element_text(&xml, "X509Certificate").unwrap())).unwrap();
    let s = Setup::new(&[shared().join("corpus/anchors/ee-test")], &[], at(NOW));
    let ctx = context(&s);
    let meter = Meter::new(ctx.budget, None);
    let produced = at("2016-03-14T14:13:49Z");
    let outcome = check(
        &der,
        &signer,
        &anchor("TEST_of_ESTEID-SK_2011.pem"),
        produced,
        &Freshness::default(),
        &ctx,
        &meter,
    );
    let v = good(outcome);
    assert!(
        matches!(&v.responder, Responder::Trusted { subject } if subject.contains("TEST of SK OCSP RESPONDER 2011")),
        "{:?}",
        v.responder
    );
}

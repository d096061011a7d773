//! Revocation data and certificates that signatures carry are collected for evaluation:
//! CAdES certificate-values and revocation-values (OCSP responses wrapped as OCSPResponse).

mod common;

use common::*;
use sigverify::Content;
use sigverify::adapters::cades;
use sigverify::formats::cms;
use sigverify::process::RevocationData;

fn collected(file: &str) -> (usize, usize, usize) {
    let setup = Setup::new(&[], &[], at("2026-06-01T00:00:00Z"));
    let ctx = context(&setup);
    let bytes = read(&shared().join("corpus").join(file));
    let sd = cms::parse_content_info(&bytes).unwrap();
    let adapted = cades::adapt(&sd, Content::None, &ctx);
    let sut = &adapted.signatures[0];
    let ocsp: Vec<&[u8]> = sut
        .revocation_data
        .iter()
        .filter_map(|r| match r {
            RevocationData::Ocsp(d) => Some(d.as_ref()),
            _ => None,
        })
        .collect();
    for der in &ocsp {
        // OCSPResponse: SEQUENCE { ENUMERATED successful (0), [0] { SEQUENCE { id-pkix-ocsp-basic, ... } } }
        let (outer, rest) = sigverify::formats::ber::Tlv::parse(der).unwrap();
        assert!(rest.is_empty());
        assert!(
            outer.value.starts_with(&[0x0a, 0x01, 0x00, 0xa0]),
            "{file}: not a successful OCSPResponse"
        );
    }
    let crls = sut
        .revocation_data
        .iter()
        .filter(|r| matches!(r, RevocationData::Crl(_)))
        .count();
    (sut.certificates.len(), ocsp.len(), crls)
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn cades_lt_revocation_values_are_collected() {
    let (certs, ocsp, crls) = collected("cms/dss-Signature-CBp-LT-2.p7m");
    eprintln!("dss-Signature-CBp-LT-2: {certs} certificates, {ocsp} OCSP, {crls} CRL");
    assert!(ocsp + crls > 0, "no revocation value collected");
    let (certs, ocsp, crls) = collected("cms-detached/dd4j-CAdES-baseline-lt-extracted-p7s/signature.p7s");
    eprintln!("dd4j-CAdES-baseline-lt: {certs} certificates, {ocsp} OCSP, {crls} CRL");
    assert!(ocsp + crls > 0, "no revocation value collected");
}

/// Real LT signatures: a valid signature time-stamp gives the best signature time, and the
/// OCSP response the signature carries (XAdES RevocationValues, a PAdES DSS) establishes that
/// the signer's certificate was not revoked then.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn embedded_ocsp_proves_the_status_at_the_best_signature_time() {
    use sigverify::verdict::{CheckCode, CheckResult, Indication};
    for (file, bst) in [
        ("asice/dd4j-valid-asice-esteid2018.asice", "2024-09-02T12:36:45Z"),
        ("pades/dd4j-valid-pades-esteid2018.pdf", "2024-09-13T14:19:08Z"),
    ] {
        let corpus = shared().join("corpus");
        // The default policy (revocation required): the TSA certificates are trust anchors
        // themselves (the test trusted list names them), so only the signer's path needs a status.
        let setup = Setup::new(&[corpus.join("anchors/ee-test")], &[], at("2026-11-01T00:00:00Z"));
        let report = setup.run(&read(&corpus.join(file)), Content::None);
        assert_eq!(
            report.indication,
            Indication::TotalPassed,
            "{file}: {}",
            pretty(&report)
        );
        let s = &report.signatures[0];
        assert_eq!(s.best_signature_time.as_deref(), Some(bst), "{file}");
        let revocation = s.checks.iter().find(|c| c.code == CheckCode::Revocation).unwrap();
        assert_eq!(revocation.result, CheckResult::Passed, "{file}: {}", revocation.detail);
        assert!(
            revocation.detail.contains(&format!("not revoked at {bst}")),
            "{}",
            revocation.detail
        );
        assert!(revocation.detail.contains("OCSP good"), "{}", revocation.detail);
    }
}

/// A real production BDOC time-mark: the OCSP response's nonce is the digest of the signature
/// value, so its producedAt proves the signature existed then; the signer's certificate has
/// expired since, and is validated at that time (the same response shows it good).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_bdoc_time_mark_is_a_proof_of_existence() {
    use sigverify::verdict::{CheckCode, CheckResult, Indication};
    let corpus = shared().join("corpus");
    let setup = Setup::new(&[corpus.join("anchors/ee-prod")], &[], at("2026-11-01T00:00:00Z"));
    let report = setup.run(&read(&corpus.join("bdoc/dd4j-valid_prod_bdoc_eid.bdoc")), Content::None);
    assert_eq!(report.indication, Indication::TotalPassed, "{}", pretty(&report));
    let s = &report.signatures[0];
    assert_eq!(s.best_signature_time.as_deref(), Some("2017-07-26T08:54:15Z"));
    let poe = s.checks.iter().find(|c| c.code == CheckCode::ProofOfExistence).unwrap();
    assert_eq!(poe.result, CheckResult::Passed, "{}", poe.detail);
    assert!(poe.detail.contains("OCSP time-mark"), "{}", poe.detail);
    // Without the time-mark's responder among the anchors the response proves nothing, and the
    // expired certificate leaves the signature undecided.
    let anchors: Vec<_> = std::fs::read_dir(corpus.join("anchors/ee-prod"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains("OCSP"))
        .collect();
    let setup = Setup::new(&anchors, &[], at("2026-11-01T00:00:00Z"));
    let report = setup.run(&read(&corpus.join("bdoc/dd4j-valid_prod_bdoc_eid.bdoc")), Content::None);
    assert_ne!(report.indication, Indication::TotalPassed, "{}", pretty(&report));
}

/// Generated CAdES files (testdata/revocation-bench) under the default policy, which requires
/// revocation status: with OCSP responses for the leaf, the issuing CA and the TSA (in the
/// SignedData or in a revocation-values attribute) the signature is TOTAL_PASSED at level B-LT;
/// with the time-stamp alone, the TSA's status is unknown, so the time-stamp proves nothing and
/// the signer's status is not established: INDETERMINATE / TRY_LATER at level B-B.
#[test]
fn generated_lt_signatures_pass_under_the_default_policy() {
    use sigverify::verdict::SignatureLevel;
    let setup = Setup::new(
        &[repo().join("testdata/pki/rsa/root.pem")],
        &[],
        at("2026-06-01T00:00:00Z"),
    );
    let dir = repo().join("testdata/revocation-bench");
    for (file, verdict_want, level) in [
        ("cades-lt.p7m", "TOTAL_PASSED", SignatureLevel::BLt),
        ("cades-lt-rv.p7m", "TOTAL_PASSED", SignatureLevel::BLt),
        ("cades-t.p7m", "INDETERMINATE/TRY_LATER", SignatureLevel::BB),
        ("cades-b.p7m", "INDETERMINATE/TRY_LATER", SignatureLevel::BB),
    ] {
        let report = setup.run(&read(&dir.join(file)), Content::None);
        assert_eq!(verdict(&report), verdict_want, "{file}\n{}", pretty(&report));
        assert_eq!(report.signatures[0].level, Some(level), "{file}");
    }
}

/// A PDF document time-stamp over a later revision proves that the signatures before it
/// existed at its genTime: in 2041 the signer's and the TSA's certificates have expired (2040),
/// and with the CAs' CRLs the signature of `pades-rsa-doc-timestamp.pdf` passes at the
/// time-stamp's time, while the same signature without the time-stamp (`pades-rsa.pdf`) cannot
/// be shown to have existed while its certificate was valid.
#[test]
fn a_document_time_stamp_proves_the_earlier_signature_existed() {
    use sigverify::revocation::path::Info;
    let t = repo().join("testdata");
    let setup = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at("2041-01-01T00:00:00Z"));
    let crls = [read(&t.join("crl/empty.crl")), read(&t.join("crl/root-empty.crl"))];
    let info: Vec<Info<'_>> = crls.iter().map(|c| Info::Crl(c)).collect();
    let run = |file: &str| {
        let mut ctx = context(&setup);
        ctx.revocation = &info;
        sigverify::verify(&read(&t.join("pdf").join(file)), Content::None, &ctx)
    };
    let stamped = run("pades-rsa-doc-timestamp.pdf");
    assert_eq!(verdict(&stamped), "TOTAL_PASSED", "{}", pretty(&stamped));
    let s = &stamped.signatures[0];
    let by = s.best_signature_time_by.as_deref().unwrap_or_default();
    assert!(by.starts_with("document time-stamp by '"), "{by}");
    let alone = run("pades-rsa.pdf");
    assert_eq!(
        verdict(&alone),
        "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
        "{}",
        pretty(&alone)
    );
}

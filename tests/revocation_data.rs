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

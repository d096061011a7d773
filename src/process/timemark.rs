//! OCSP time-marks (the BDOC TM profile): an OCSP response whose nonce is the digest of the
//! signature value was requested with that value, so the value existed when the response was
//! produced. A good response for the signer's certificate, verified like any other, is a proof
//! of existence at its producedAt.

use std::sync::Arc;

use crate::context::{Meter, VerifyContext};
use crate::crypto::HashAlg;
use crate::formats::ber::{Fields, Tag, Tlv};
use crate::formats::ocsp;
use crate::formats::x509::Certificate;
use crate::process::timestamp::ProofOfExistence;
use crate::process::{RevocationData, SignatureUnderTest};
use crate::revocation::Freshness;
use crate::revocation::ocsp::{OcspOutcome, Responder};

/// The earliest proof of existence the signature's time-marks give for `signer`.
pub fn proof_of_existence(
    sut: &SignatureUnderTest<'_>,
    signer: &Certificate,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Option<ProofOfExistence> {
    let issuer = issuer_of(signer, sut, ctx)?;
    let fresh = Freshness::of(ctx.policy);
    sut.revocation_data
        .iter()
        .filter_map(|d| match d {
            RevocationData::Ocsp(der) => Some(der),
            _ => None,
        })
        .filter_map(|der| {
            // One parse for the nonce and producedAt; the check below verifies the response.
            let data = ocsp::parse_response(der).ok()?.basic?.data;
            if !data.nonce().is_some_and(|n| nonce_binds(n, &sut.value)) {
                return None;
            }
            match crate::revocation::ocsp::check(der, signer, &issuer, data.produced_at, &fresh, ctx, meter) {
                OcspOutcome::Good(v) => Some(ProofOfExistence {
                    time: v.produced_at,
                    by: format!("OCSP time-mark by {}", responder_name(&v.responder, &issuer)),
                    kind: crate::process::timestamp::ProofKind::TimeMark,
                }),
                _ => None,
            }
        })
        .min_by_key(|p| p.time)
}

/// The nonce holds the digest of `value`: `SEQUENCE { AlgorithmIdentifier, OCTET STRING }`
/// (BDOC time-marks), or an OCTET STRING with the SHA-1 of the value (DigiDoc 1.3 notary
/// confirmations).
pub fn nonce_binds(nonce: &[u8], value: &[u8]) -> bool {
    let check = || -> Option<bool> {
        let nonce = Tlv::parse_exact(nonce).ok()?;
        if nonce.tag == Tag::OCTET_STRING {
            return Some(!value.is_empty() && HashAlg::Sha1.digest(value) == nonce.value);
        }
        let mut f = Fields::new(&nonce).ok()?;
        let alg = HashAlg::from_algorithm_identifier(f.next(Tag::SEQUENCE).ok()?.raw).ok()?;
        let digest = f.next(Tag::OCTET_STRING).ok()?;
        f.finish().ok()?;
        Some(!value.is_empty() && alg.digest(value) == digest.value)
    };
    check().unwrap_or(false)
}

fn responder_name(r: &Responder, issuer: &Certificate) -> String {
    match r {
        Responder::Issuer => format!("'{}'", issuer.subject_string()),
        Responder::Delegated { subject, .. } | Responder::Trusted { subject } => format!("'{subject}'"),
    }
}

/// The signer's issuer among the signature's certificates, the intermediates and the anchors
/// (by name; the OCSP check verifies the response against it).
fn issuer_of(signer: &Certificate, sut: &SignatureUnderTest<'_>, ctx: &VerifyContext<'_>) -> Option<Arc<Certificate>> {
    sut.certificates
        .iter()
        .chain(ctx.intermediates.certs())
        .chain(ctx.trust.certs())
        .find(|c| c.subject() == signer.issuer() && c.is_ca())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;

    fn nonce(alg_oid: &[u8], digest: &[u8]) -> Vec<u8> {
        let alg = encode(0x30, &[encode(0x06, alg_oid), encode(0x05, &[])].concat());
        encode(0x30, &[alg, encode(0x04, digest)].concat())
    }

    #[test]
    fn a_nonce_binds_only_the_value_it_digests() {
        let sha256 = const_oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
        let value = b"the signature value";
        let good = nonce(sha256.as_bytes(), &HashAlg::Sha256.digest(value));
        assert!(nonce_binds(&good, value));
        assert!(!nonce_binds(&good, b"another signature value"));
        assert!(!nonce_binds(&good, b""));
        assert!(!nonce_binds(&nonce(sha256.as_bytes(), &[0; 32]), value));
        // A plain random nonce (an OCTET STRING) binds nothing; the SHA-1 of the value in an
        // OCTET STRING (DigiDoc 1.3) binds it.
        assert!(!nonce_binds(&encode(0x04, &[1; 16]), value));
        assert!(!nonce_binds(&encode(0x04, &[1; 20]), value));
        assert!(nonce_binds(&encode(0x04, &HashAlg::Sha1.digest(value)), value));
        assert!(!nonce_binds(
            &encode(0x04, &HashAlg::Sha1.digest(value)),
            b"another signature value"
        ));
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(!nonce_binds(&trailing, value));
    }
}

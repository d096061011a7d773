//! Identification of the signing certificate (EN 319 102-1 5.2.3).

use std::sync::Arc;

use crate::context::VerifyContext;
use crate::formats::x509::Certificate;
use crate::process::{SignatureUnderTest, SignerRef};
use crate::verdict::model::{Block, BlockResult};
use crate::verdict::{CheckCode, Checks, SubIndication};

/// The certificates that match how the signature names its signer: from the signature, the
/// configured intermediates and the trust anchors (indexed look-ups), without duplicates.
pub fn signing_certificate_candidates(sut: &SignatureUnderTest<'_>, ctx: &VerifyContext<'_>) -> Vec<Arc<Certificate>> {
    candidates(&sut.signer, &sut.certificates, ctx)
}

/// The certificates that match `signer` among `bag`, the configured intermediates and the
/// trust anchors, without duplicates.
pub fn candidates(signer: &SignerRef<'_>, bag: &[Arc<Certificate>], ctx: &VerifyContext<'_>) -> Vec<Arc<Certificate>> {
    let mut found: Vec<&Arc<Certificate>> = Vec::new();
    match signer {
        SignerRef::Certificate(c) => return vec![c.clone()],
        SignerRef::Unknown => return Vec::new(),
        SignerRef::IssuerSerial { issuer, serial } => {
            let key = crate::formats::x509::name_key(issuer);
            found.extend(bag.iter().filter(|c| c.serial() == *serial && c.issuer_key == key));
            ctx.intermediates.by_issuer_serial(&key, serial, &mut found);
            ctx.trust.by_issuer_serial(&key, serial, &mut found);
        }
        SignerRef::SubjectKeyId(ski) => {
            found.extend(bag.iter().filter(|c| c.subject_key_id.as_deref() == Some(*ski)));
            ctx.intermediates.by_subject_key_id(ski, &mut found);
            ctx.trust.by_subject_key_id(ski, &mut found);
        }
    }
    let mut out: Vec<Arc<Certificate>> = Vec::new();
    for c in found {
        if !out.iter().any(|o| o.sha256 == c.sha256) {
            out.push(c.clone());
        }
    }
    out
}

/// The block's result: whether a certificate was found, and whether the digest the signature
/// carries of its signing certificate (ESS signing-certificate, XAdES SigningCertificate) names
/// `signer`, the certificate whose key verified the signature (or the first candidate).
pub fn check_reference(
    sut: &SignatureUnderTest<'_>,
    candidates: &[Arc<Certificate>],
    signer: Option<&Certificate>,
) -> BlockResult {
    let mut checks = Checks::default();
    match signer {
        None if candidates.is_empty() => checks.fail(
            CheckCode::SigningCertificateFound,
            SubIndication::NoSigningCertificateFound,
            "no certificate in the signature or the configured certificates matches the signer identifier",
        ),
        None => {}
        Some(c) => checks.pass(CheckCode::SigningCertificateFound, format!("'{}'", c.subject_string())),
    }
    if let (Some(r), Some(cert)) = (&sut.signer_digest, signer) {
        let digest_ok = r.algorithm.digest(cert.der()) == r.digest;
        let serial_ok = r.serial.as_deref().is_none_or(|s| s == cert.serial());
        if digest_ok && serial_ok {
            checks.pass(
                CheckCode::SigningCertificateReference,
                format!("{} names the signer certificate", r.source),
            );
        } else {
            checks.fail(
                CheckCode::SigningCertificateReference,
                SubIndication::NoSigningCertificateFound,
                format!(
                    "{} names another certificate than the one that verifies the signature",
                    r.source
                ),
            );
        }
    }
    BlockResult::from_checks(Block::SigningCertificateIdentification, checks)
}

//! Identification of the signing certificate (EN 319 102-1 5.2.3).

use crate::detail;
use std::sync::Arc;

use crate::context::VerifyContext;
use crate::crypto::HashAlg;
use crate::formats::ber::{Fields, Tag};
use crate::formats::cms::{SignerInfo, oid};
use crate::formats::x509::Certificate;
use crate::process::{CertDigestRef, SignatureUnderTest, SignerRef};
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
            // The same bytes have the same comparable form: take it from a certificate of the
            // bag that names this issuer byte for byte, else compute it.
            let key = match bag.iter().find(|c| c.issuer() == *issuer) {
                Some(c) => c.issuer_key.clone(),
                None => crate::formats::x509::name_key(issuer),
            };
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
    signer: Option<&Arc<Certificate>>,
) -> BlockResult {
    let mut checks = Checks::default();
    match signer {
        None if candidates.is_empty() => checks.fail(
            CheckCode::SigningCertificateFound,
            SubIndication::NoSigningCertificateFound,
            "no certificate in the signature or the configured certificates matches the signer identifier",
        ),
        None => {}
        Some(c) => {
            let c = c.clone();
            checks.pass(CheckCode::SigningCertificateFound, detail!("'{}'", c.subject_string()))
        }
    }
    if let (Some(r), Some(cert)) = (&sut.signer_digest, signer) {
        check_digest_reference(r, cert, &mut checks);
    }
    BlockResult::from_checks(Block::SigningCertificateIdentification, checks)
}

/// Records whether the certificate digest `r` (and the serial number it names, if any) names
/// `cert`, the certificate whose key verified the signature (SIGNING_CERTIFICATE_REFERENCE).
pub fn check_digest_reference(r: &CertDigestRef, cert: &Certificate, checks: &mut Checks) {
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

/// ESS signing-certificate-v2 (RFC 5035) or signing-certificate (RFC 2634 5.4): the first
/// ESSCertID, which must name the signing certificate. `Err` when it cannot be read.
pub fn signing_certificate_reference(si: &SignerInfo<'_>) -> Result<Option<CertDigestRef>, String> {
    let (value, v2) = match (
        si.signed_single(&oid::SIGNING_CERTIFICATE_V2),
        si.signed_single(&oid::SIGNING_CERTIFICATE),
    ) {
        (Ok(Some(v)), _) => (v, true),
        (Ok(None), Ok(Some(v))) => (v, false),
        (Ok(None), Ok(None)) => return Ok(None),
        _ => return Err("signing-certificate attribute occurs more than once".into()),
    };
    let source = if v2 {
        "signing-certificate-v2"
    } else {
        "signing-certificate"
    };
    let malformed = |_| format!("{source}: malformed");
    let mut f = Fields::new(&value).map_err(malformed)?;
    let certs = f.next(Tag::SEQUENCE).map_err(malformed)?;
    let first = certs
        .children()
        .next()
        .ok_or_else(|| format!("{source}: no ESSCertID"))?
        .map_err(malformed)?;
    let mut c = Fields::new(&first).map_err(malformed)?;
    let algorithm = if v2 {
        match c.optional(Tag::SEQUENCE).map_err(malformed)? {
            Some(a) => HashAlg::from_algorithm_identifier(a.raw).map_err(|_| format!("{source}: unsupported hash"))?,
            None => HashAlg::Sha256,
        }
    } else {
        HashAlg::Sha1
    };
    let digest = c.next(Tag::OCTET_STRING).map_err(malformed)?.value.to_vec();
    let serial = match c.optional(Tag::SEQUENCE).map_err(malformed)? {
        Some(issuer_serial) => {
            let mut is = Fields::new(&issuer_serial).map_err(malformed)?;
            let _names = is.next(Tag::SEQUENCE).map_err(malformed)?;
            Some(is.next(Tag::INTEGER).map_err(malformed)?.value.to_vec())
        }
        None => None,
    };
    Ok(Some(CertDigestRef {
        source,
        algorithm,
        digest,
        serial,
    }))
}

//! The status of one certificate from one OCSP response (RFC 6960): the response must speak of
//! the certificate, be signed by its issuer or by a responder the issuer authorised, and be
//! current at the time asked about.
//!
//! Pure: the time comes in as an argument; every signature check is taken from the meter.
//! Whether the responder's own certificate is revoked is the caller's question: the outcome
//! says whether it carries id-pkix-ocsp-nocheck.

use crate::context::{Meter, VerifyContext};
use crate::crypto::{CryptoError, HashAlg, Message, PublicKey, SignatureScheme};
use crate::formats::ber::{Tag, Tlv};
use crate::formats::ocsp::{self, BasicOcspResponse, CertStatus, OcspResponse, ResponderId, SingleResponse};
use crate::formats::x509::{Certificate, names_equal};
use crate::revocation::Freshness;
use crate::time::UnixTime;

/// Who signed a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Responder {
    /// The issuer of the certificate, with its own key.
    Issuer,
    /// A delegated responder (RFC 6960 4.2.2.2): a certificate issued by the same CA with
    /// extendedKeyUsage id-kp-OCSPSigning, carried in the response.
    Delegated {
        /// The responder certificate's subject (RFC 4514).
        subject: String,
        /// SHA-256 of the responder certificate.
        sha256: [u8; 32],
        /// Whether it carries id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): the CA vouches for
        /// it for its lifetime; without it, the caller should check the responder's status.
        no_check: bool,
    },
    /// A responder the deployment trusts directly: its certificate, with extendedKeyUsage
    /// id-kp-OCSPSigning, is one of the configured trust anchors (as a national trusted list
    /// names a responder that the root, not the issuing CA, certified).
    Trusted {
        /// The responder certificate's subject (RFC 4514).
        subject: String,
    },
}

/// What a verified response says, besides the status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// thisUpdate of the SingleResponse.
    pub this_update: UnixTime,
    /// nextUpdate of the SingleResponse.
    pub next_update: Option<UnixTime>,
    /// producedAt of the response.
    pub produced_at: UnixTime,
    /// The signer.
    pub responder: Responder,
    /// extnValue contents of the nonce extension, as encoded (see
    /// [`ocsp::ResponseData::nonce`]); a BDOC time-mark binds the signature value here.
    pub nonce: Option<Vec<u8>>,
}

/// The outcome of [`check`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OcspOutcome {
    /// The certificate is good at the time asked about.
    #[error("OCSP: good (thisUpdate {}, produced at {})", .0.this_update, .0.produced_at)]
    Good(Box<Verified>),
    /// The certificate is revoked since `time`. A revocation is reported whatever the age of
    /// the response; the caller compares `time` with its own.
    #[error("OCSP: revoked at {time} (reason {})", crl_reason_name(*.reason))]
    Revoked {
        /// revocationTime.
        time: UnixTime,
        /// revocationReason (RFC 5280 5.3.1 CRLReason), when given.
        reason: Option<u8>,
        /// The rest of the response.
        response: Box<Verified>,
    },
    /// The responder does not know the certificate.
    #[error("OCSP: the responder does not know the certificate")]
    Unknown(Box<Verified>),
    /// responseStatus is not successful.
    #[error("OCSP: response status {}", .0.name())]
    NotSuccessful(ocsp::ResponseStatus),
    /// Not a readable OCSP response.
    #[error("OCSP: malformed response: {0}")]
    Malformed(String),
    /// No SingleResponse has this certificate's CertID.
    #[error("OCSP: the response does not speak of this certificate")]
    NoMatchingResponse,
    /// The response's signature does not verify.
    #[error("OCSP: the response signature does not verify: {0}")]
    BadSignature(String),
    /// The signature or the response's algorithm cannot be checked here.
    #[error("OCSP: cannot check the response signature: {0}")]
    Unsupported(String),
    /// The signer is neither the issuer nor a responder the issuer authorised.
    #[error("OCSP: unauthorised responder: {0}")]
    UnauthorisedResponder(String),
    /// The delegated responder's certificate is not valid at producedAt.
    #[error("OCSP: responder certificate '{subject}' is not valid at producedAt {produced_at}")]
    ResponderNotValid {
        /// The responder's subject.
        subject: String,
        /// producedAt.
        produced_at: UnixTime,
    },
    /// The information is not current at the time asked about.
    #[error("OCSP: not fresh for {at}: thisUpdate {this_update}, nextUpdate {}", display_opt(*.next_update))]
    NotFresh {
        /// The time asked about.
        at: UnixTime,
        /// thisUpdate.
        this_update: UnixTime,
        /// nextUpdate.
        next_update: Option<UnixTime>,
    },
    /// The verification's signature budget ran out.
    #[error("OCSP: signature budget exhausted")]
    BudgetExhausted,
}

fn display_opt(t: Option<UnixTime>) -> String {
    t.map_or_else(|| "absent".to_string(), |t| t.to_string())
}

/// The name of a CRLReason code (RFC 5280 5.3.1).
pub fn crl_reason_name(reason: Option<u8>) -> &'static str {
    match reason {
        None => "not given",
        Some(0) => "unspecified",
        Some(1) => "keyCompromise",
        Some(2) => "cACompromise",
        Some(3) => "affiliationChanged",
        Some(4) => "superseded",
        Some(5) => "cessationOfOperation",
        Some(6) => "certificateHold",
        Some(8) => "removeFromCRL",
        Some(9) => "privilegeWithdrawn",
        Some(10) => "aACompromise",
        Some(_) => "unknown",
    }
}

/// The status of `cert` (issued by `issuer`) at `at` from the OCSP response `response_der`.
pub fn check(
    response_der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UnixTime,
    fresh: &Freshness,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> OcspOutcome {
    let response = match ocsp::parse_response(response_der) {
        Ok(r) => r,
        Err(e) => return OcspOutcome::Malformed(e.to_string()),
    };
    match evaluate(&response, cert, issuer, at, fresh, ctx, meter) {
        Ok(o) | Err(o) => o,
    }
}

fn evaluate(
    response: &OcspResponse<'_>,
    cert: &Certificate,
    issuer: &Certificate,
    at: UnixTime,
    fresh: &Freshness,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<OcspOutcome, OcspOutcome> {
    let basic = match &response.basic {
        Some(b) => b,
        None => return Err(OcspOutcome::NotSuccessful(response.status)),
    };
    let single = find_single(basic, cert, issuer)?;
    let responder = authenticate(basic, issuer, ctx, meter)?;
    let verified = Box::new(Verified {
        this_update: single.this_update,
        next_update: single.next_update,
        produced_at: basic.data.produced_at,
        responder,
        nonce: basic.data.nonce().map(<[u8]>::to_vec),
    });
    Ok(match single.status {
        CertStatus::Revoked { time, reason } => OcspOutcome::Revoked {
            time,
            reason,
            response: verified,
        },
        CertStatus::Unknown => OcspOutcome::Unknown(verified),
        CertStatus::Good => {
            is_fresh(single, at, fresh)?;
            OcspOutcome::Good(verified)
        }
    })
}

/// thisUpdate <= at + skew, and nextUpdate >= at - skew (or, without nextUpdate,
/// at <= thisUpdate + max_age).
fn is_fresh(single: &SingleResponse<'_>, at: UnixTime, fresh: &Freshness) -> Result<(), OcspOutcome> {
    let issued_in_time = single.this_update.0 <= at.0.saturating_add(fresh.skew_seconds);
    let still_current = match single.next_update {
        Some(next) => next.0 >= at.0.saturating_sub(fresh.skew_seconds),
        None => at.0 <= single.this_update.0.saturating_add(fresh.max_age_seconds),
    };
    if issued_in_time && still_current {
        Ok(())
    } else {
        Err(OcspOutcome::NotFresh {
            at,
            this_update: single.this_update,
            next_update: single.next_update,
        })
    }
}

/// The SingleResponse whose CertID is `cert`'s. Several that disagree are refused.
fn find_single<'r, 'a>(
    basic: &'r BasicOcspResponse<'a>,
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<&'r SingleResponse<'a>, OcspOutcome> {
    let key = subject_public_key(issuer).ok_or_else(|| OcspOutcome::Malformed("issuer public key".into()))?;
    let mut found: Option<&SingleResponse<'a>> = None;
    for single in &basic.data.responses {
        if !cert_id_matches(single, cert, issuer.subject(), key)? {
            continue;
        }
        if let Some(c) = single.extensions.iter().find(|e| e.critical) {
            return Err(unknown_critical(c.oid));
        }
        match found {
            Some(prev) if prev.status != single.status => {
                return Err(OcspOutcome::Malformed(
                    "several SingleResponses with different statuses for the certificate".into(),
                ));
            }
            Some(_) => {}
            None => found = Some(single),
        }
    }
    if let Some(c) = basic.data.extensions.iter().find(|e| e.critical) {
        return Err(unknown_critical(c.oid));
    }
    found.ok_or(OcspOutcome::NoMatchingResponse)
}

fn unknown_critical(oid: &[u8]) -> OcspOutcome {
    OcspOutcome::Malformed(format!(
        "unsupported critical extension {}",
        crate::formats::alg::oid_string(oid)
    ))
}

/// CertID comparison: serial, then the issuer's name and key hashed under the CertID's
/// algorithm. An algorithm that cannot be read fails the whole response.
fn cert_id_matches(
    single: &SingleResponse<'_>,
    cert: &Certificate,
    issuer_name: &[u8],
    issuer_key: &[u8],
) -> Result<bool, OcspOutcome> {
    let id = &single.cert_id;
    if id.serial != cert.serial() {
        return Ok(false);
    }
    let alg = HashAlg::from_algorithm_identifier(id.hash_algorithm)
        .map_err(|e| OcspOutcome::Malformed(format!("CertID hash algorithm: {e}")))?;
    Ok(id.issuer_name_hash == alg.digest(issuer_name).as_slice()
        && id.issuer_key_hash == alg.digest(issuer_key).as_slice())
}

/// The subjectPublicKey BIT STRING contents (without the unused-bits octet) of a certificate.
fn subject_public_key(cert: &Certificate) -> Option<&[u8]> {
    cert.subject_public_key_bits()
}

/// Whether `responder_id` names `cert` (by subject, or by the SHA-1 of its key).
fn names_cert(responder_id: &ResponderId<'_>, cert: &Certificate) -> bool {
    match responder_id {
        ResponderId::ByName(name) => names_equal(name, cert.subject()),
        ResponderId::ByKey(hash) => {
            subject_public_key(cert).is_some_and(|k| HashAlg::Sha1.digest(k).as_slice() == *hash)
        }
    }
}

/// The signer of the response: the issuer itself, or a delegated responder carried in `certs`.
fn authenticate(
    basic: &BasicOcspResponse<'_>,
    issuer: &Certificate,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<Responder, OcspOutcome> {
    let rid = &basic.data.responder_id;
    if names_cert(rid, issuer) {
        verify_response(basic, &issuer.public_key, ctx, meter)?;
        return Ok(Responder::Issuer);
    }
    let responder = find_responder(basic, ctx)?;
    verify_response(basic, &responder.public_key, ctx, meter)?;
    let ocsp_signing = responder
        .ext_key_usage
        .as_deref()
        .is_some_and(|e| e.contains(&ocsp::oid::KP_OCSP_SIGNING));
    if ctx.trust.contains(&responder) && ocsp_signing {
        // Trusted by configuration (a trust anchor itself, as a national trusted list names
        // the SK responders of BDOC time-marks, which the root rather than the CA certifies).
        if !responder.valid_at(basic.data.produced_at) {
            return Err(OcspOutcome::ResponderNotValid {
                subject: responder.subject_string().to_string(),
                produced_at: basic.data.produced_at,
            });
        }
        return Ok(Responder::Trusted {
            subject: responder.subject_string().to_string(),
        });
    }
    authorised(&responder, issuer, basic.data.produced_at, ctx, meter)?;
    Ok(Responder::Delegated {
        subject: responder.subject_string().to_string(),
        sha256: responder.sha256,
        no_check: has_no_check(&responder),
    })
}

/// The certificate in `certs`, else among the trust anchors, that the responderID names
/// (certificates that cannot be read are passed over).
fn find_responder(
    basic: &BasicOcspResponse<'_>,
    ctx: &VerifyContext<'_>,
) -> Result<std::sync::Arc<Certificate>, OcspOutcome> {
    for der in &basic.certs {
        match ctx.parse_certificate(der) {
            Ok(cert) if names_cert(&basic.data.responder_id, &cert) => return Ok(cert),
            _ => {}
        }
    }
    if let Some(anchor) = ctx
        .trust
        .certs()
        .iter()
        .find(|c| names_cert(&basic.data.responder_id, c))
    {
        return Ok(anchor.clone());
    }
    Err(OcspOutcome::UnauthorisedResponder(
        "the responder is not the issuer and its certificate is not in the response".into(),
    ))
}

/// RFC 6960 4.2.2.2: issued by the CA that issued the certificate in question, with
/// id-kp-OCSPSigning, and (4.2.2.2.1 aside) valid when the response was produced.
fn authorised(
    responder: &Certificate,
    issuer: &Certificate,
    produced_at: UnixTime,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<(), OcspOutcome> {
    let subject = responder.subject_string().to_string();
    let eku = responder.ext_key_usage.as_deref().unwrap_or_default();
    if !eku.contains(&ocsp::oid::KP_OCSP_SIGNING) {
        return Err(OcspOutcome::UnauthorisedResponder(format!(
            "'{subject}' lacks extendedKeyUsage id-kp-OCSPSigning"
        )));
    }
    let scheme = SignatureScheme::from_algorithm_identifier(responder.signature_algorithm(), None)
        .map_err(|e| OcspOutcome::Unsupported(format!("responder certificate: {e}")))?;
    let issued_by_ca = names_equal(responder.issuer(), issuer.subject())
        && take(meter)?
        && ctx
            .verifier
            .verify(
                &issuer.public_key,
                &scheme,
                Message::Data(responder.tbs()),
                responder.signature(),
            )
            .is_ok();
    if !issued_by_ca {
        return Err(OcspOutcome::UnauthorisedResponder(format!(
            "'{subject}' is not issued by '{}'",
            issuer.subject_string()
        )));
    }
    if !responder.valid_at(produced_at) {
        return Err(OcspOutcome::ResponderNotValid { subject, produced_at });
    }
    Ok(())
}

fn has_no_check(cert: &Certificate) -> bool {
    extension_present(cert.tbs(), ocsp::oid::NO_CHECK.as_bytes())
}

/// Whether a TBSCertificate has an extension `oid` (contents octets).
fn extension_present(tbs: &[u8], oid: &[u8]) -> bool {
    let find = || -> Option<bool> {
        let tbs = Tlv::parse_exact(tbs).ok()?;
        let exts = tbs
            .children()
            .filter_map(Result::ok)
            .find(|t| t.tag == Tag::context(3, true))?;
        let list = Tlv::parse_exact(exts.value).ok()?;
        let mut kids = list.children().filter_map(Result::ok);
        Some(kids.any(|e| matches!(e.children().next(), Some(Ok(o)) if o.tag == Tag::OID && o.value == oid)))
    };
    find().unwrap_or(false)
}

fn take(meter: &Meter) -> Result<bool, OcspOutcome> {
    meter
        .take_signature()
        .map(|()| true)
        .map_err(|_| OcspOutcome::BudgetExhausted)
}

/// The response's signature over the exact ResponseData with `key`.
fn verify_response(
    basic: &BasicOcspResponse<'_>,
    key: &PublicKey,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<(), OcspOutcome> {
    let scheme = SignatureScheme::from_algorithm_identifier(basic.signature_algorithm, None)
        .map_err(|e| OcspOutcome::Unsupported(e.to_string()))?;
    crate::revocation::signature_policy(ctx, scheme.hash(), key)
        .map_err(|why| OcspOutcome::Unsupported(format!("response signature: {why}")))?;
    match crate::revocation::verify_once(ctx, meter, key, &scheme, basic.tbs_response_data, basic.signature) {
        Ok(()) => Ok(()),
        Err(None) => Err(OcspOutcome::BudgetExhausted),
        Err(Some(CryptoError::Unsupported(d))) => Err(OcspOutcome::Unsupported(d)),
        Err(Some(e)) => Err(OcspOutcome::BadSignature(format!("{} ({e})", scheme.name()))),
    }
}

/// The response's signature checked with `signer`'s key alone, for a responder the caller
/// trusts by other means (a trusted list naming it): no CertID, authorisation or freshness
/// check is made here.
pub fn verify_signed_by(
    basic: &BasicOcspResponse<'_>,
    signer: &Certificate,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<(), OcspOutcome> {
    verify_response(basic, &signer.public_key, ctx, meter)
}

//! The status of one certificate from one CRL (RFC 5280 5, 6.3), at a given time.
//!
//! [`check`] accepts a complete, direct CRL of the certificate's issuer, signed with the issuer
//! certificate's key, fresh for the time asked about. Delta CRLs, indirect CRLs and CRLs
//! limited to some reasons or to one distribution point are reported as unsupported rather
//! than read as if they covered the certificate. The caller gives the time and the issuer;
//! nothing here reads a clock or fetches anything.

use crate::context::{Meter, VerifyContext};
use crate::crypto::{CryptoError, SignatureScheme};
use crate::formats::crl::{self, Crl, IssuingDistributionPoint, RevocationReason, RevokedEntry};
use crate::formats::x509::{Certificate, key_usage, names_equal};
use crate::revocation::Freshness;
use crate::time::UnixTime;

/// A revocation read from a CRL entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// revocationDate.
    pub time: UnixTime,
    /// reasonCode, when given.
    pub reason: Option<RevocationReason>,
    /// invalidityDate, when given: when the key is known or suspected to have been compromised.
    pub invalidity_date: Option<UnixTime>,
}

/// Why a CRL says nothing about the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrlProblem {
    /// Not a CRL this verifier can read.
    Malformed,
    /// Not issued by the certificate's issuer (names, key identifier), or by an issuer
    /// certificate not allowed to sign CRLs.
    WrongIssuer,
    /// The signature does not verify with the issuer's key.
    BadSignature,
    /// The signature's digest or key is not accepted by the policy at the validation time.
    WeakAlgorithm,
    /// Issued after the time, or expired before it.
    NotFresh,
    /// A delta CRL (deltaCRLIndicator): only complete CRLs are read.
    DeltaUnsupported,
    /// An indirect CRL (indirectCRL, certificateIssuer entries).
    IndirectUnsupported,
    /// A CRL limited to some reasons or to a distribution point, or whose scope leaves the
    /// certificate out.
    ScopeUnsupported,
    /// A critical CRL or entry extension this verifier does not process.
    UnknownCriticalExtension,
    /// The signature check budget of the verification ran out.
    BudgetExhausted,
}

/// What one CRL says about one certificate at one time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrlOutcome {
    /// Not listed as revoked at the time.
    Good {
        /// thisUpdate.
        this_update: UnixTime,
        /// nextUpdate.
        next_update: Option<UnixTime>,
        /// A revocation listed with a date after the time: the certificate was good at the
        /// time, and is revoked from that date on.
        later_revocation: Option<Revocation>,
    },
    /// Revoked at or before the time.
    Revoked(Revocation),
    /// The CRL cannot be used for this certificate at this time.
    Unusable {
        /// The kind of problem.
        problem: CrlProblem,
        /// What exactly, for a report.
        message: String,
    },
}

impl CrlOutcome {
    fn unusable(problem: CrlProblem, message: impl Into<String>) -> CrlOutcome {
        CrlOutcome::Unusable {
            problem,
            message: message.into(),
        }
    }

    /// The problem, for an unusable CRL.
    pub fn problem(&self) -> Option<CrlProblem> {
        match self {
            CrlOutcome::Unusable { problem, .. } => Some(*problem),
            _ => None,
        }
    }

    /// A one-line description for a report.
    pub fn message(&self) -> String {
        match self {
            CrlOutcome::Good {
                this_update,
                later_revocation: Some(r),
                ..
            } => format!(
                "not revoked at the time (CRL of {this_update}); revoked later, on {}{}",
                r.time,
                reason_text(r.reason)
            ),
            CrlOutcome::Good { this_update, .. } => format!("not revoked (CRL of {this_update})"),
            CrlOutcome::Revoked(r) => format!("revoked on {}{}", r.time, reason_text(r.reason)),
            CrlOutcome::Unusable { message, .. } => message.clone(),
        }
    }
}

fn reason_text(reason: Option<RevocationReason>) -> String {
    reason.map(|r| format!(" ({})", r.name())).unwrap_or_default()
}

/// The status of `cert` at `at` according to the DER CRL `crl_der`, issued by `issuer` (the
/// certificate that issued `cert`). Uses one signature check of `meter`.
pub fn check(
    crl_der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UnixTime,
    fresh: &Freshness,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> CrlOutcome {
    let crl = match Crl::from_der(crl_der) {
        Ok(crl) => crl,
        Err(e) => return CrlOutcome::unusable(CrlProblem::Malformed, e.to_string()),
    };
    let usable = || -> Result<(), CrlOutcome> {
        check_issuer(&crl, cert, issuer)?;
        check_signature(&crl, issuer, ctx, meter)?;
        check_extensions(&crl)?;
        check_scope(&crl, cert)?;
        check_freshness(&crl, at, fresh)
    };
    match usable() {
        Ok(()) => status(&crl, cert, at),
        Err(unusable) => unusable,
    }
}

/// RFC 5280 6.3.3 (b)(1), (f): the CRL issuer is the certificate's issuer and the issuer
/// certificate's subject, the key identifiers (when both are given) agree, and the issuer
/// certificate may sign CRLs.
fn check_issuer(crl: &Crl<'_>, cert: &Certificate, issuer: &Certificate) -> Result<(), CrlOutcome> {
    let wrong = |m: &str| Err(CrlOutcome::unusable(CrlProblem::WrongIssuer, m));
    if !names_equal(crl.issuer, cert.issuer()) {
        return wrong("the CRL issuer is not the certificate's issuer");
    }
    if !names_equal(crl.issuer, issuer.subject()) {
        return wrong("the CRL issuer is not the subject of the issuer certificate");
    }
    if let (Some(aki), Some(ski)) = (&crl.extensions.authority_key_id, &issuer.subject_key_id) {
        if aki != ski {
            return wrong("the CRL's authorityKeyIdentifier is not the issuer certificate's key identifier");
        }
    }
    if issuer.key_usage.is_some_and(|ku| ku & key_usage::CRL_SIGN == 0) {
        return wrong("the issuer certificate's keyUsage does not allow cRLSign");
    }
    Ok(())
}

/// RFC 5280 6.3.3 (g): the signature verifies with the issuer's public key.
fn check_signature(
    crl: &Crl<'_>,
    issuer: &Certificate,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<(), CrlOutcome> {
    let bad = |m: String| Err(CrlOutcome::unusable(CrlProblem::BadSignature, m));
    let scheme = match SignatureScheme::from_algorithm_identifier(crl.signature_algorithm, None) {
        Ok(s) => s,
        Err(e) => return bad(format!("CRL signature algorithm: {e}")),
    };
    if let Err(why) = crate::revocation::signature_policy(ctx, scheme.hash(), &issuer.public_key) {
        return Err(CrlOutcome::unusable(
            CrlProblem::WeakAlgorithm,
            format!("CRL signature: {why}"),
        ));
    }
    match crate::revocation::verify_once(ctx, meter, &issuer.public_key, &scheme, crl.tbs, crl.signature) {
        Ok(()) => Ok(()),
        Err(None) => Err(CrlOutcome::unusable(
            CrlProblem::BudgetExhausted,
            "the signature check budget ran out before the CRL signature was checked",
        )),
        Err(Some(CryptoError::BadSignature)) => bad(format!(
            "the {} CRL signature does not verify with the issuer's key",
            scheme.name()
        )),
        Err(Some(e)) => bad(format!(
            "the CRL signature cannot be checked with the issuer's key: {e}"
        )),
    }
}

/// RFC 5280 5.2, 5.3: critical extensions must be understood; delta CRLs are not read.
fn check_extensions(crl: &Crl<'_>) -> Result<(), CrlOutcome> {
    let unknown = |oid: &str| {
        Err(CrlOutcome::unusable(
            CrlProblem::UnknownCriticalExtension,
            format!("the CRL has an unknown critical extension {oid}"),
        ))
    };
    if let Some(oid) = crl.extensions.unknown_critical.first() {
        return unknown(oid);
    }
    if let Some(oid) = &crl.entry_unknown_critical {
        return unknown(oid);
    }
    if crl.extensions.delta_base.is_some() {
        return Err(CrlOutcome::unusable(
            CrlProblem::DeltaUnsupported,
            "the CRL is a delta CRL (deltaCRLIndicator); only complete CRLs are read",
        ));
    }
    Ok(())
}

/// RFC 5280 5.2.5, 6.3.3 (b)(2): the CRL covers the certificate and all reasons, directly.
fn check_scope(crl: &Crl<'_>, cert: &Certificate) -> Result<(), CrlOutcome> {
    let indirect = crl.any_certificate_issuer
        || crl
            .extensions
            .issuing_distribution_point
            .as_ref()
            .is_some_and(|i| i.indirect_crl);
    if indirect {
        return Err(CrlOutcome::unusable(
            CrlProblem::IndirectUnsupported,
            "the CRL is an indirect CRL; only CRLs of the certificate issuer's own certificates are read",
        ));
    }
    match &crl.extensions.issuing_distribution_point {
        Some(idp) => idp_scope(idp, cert),
        None => Ok(()),
    }
}

fn idp_scope(idp: &IssuingDistributionPoint, cert: &Certificate) -> Result<(), CrlOutcome> {
    let cert_is_ca = cert.is_ca();
    let scope = |m: &str| Err(CrlOutcome::unusable(CrlProblem::ScopeUnsupported, m));
    if idp.only_some_reasons {
        return scope("the CRL covers only some revocation reasons (onlySomeReasons)");
    }
    if let Some(dp) = &idp.distribution_point {
        if !distribution_point_matches(dp, cert) {
            return scope(
                "the CRL covers one distribution point, which is not among the certificate's cRLDistributionPoints",
            );
        }
    }
    if idp.only_attribute_certs {
        return scope("the CRL covers attribute certificates only");
    }
    if idp.only_user_certs && cert_is_ca {
        return scope("the CRL covers end-entity certificates only, and the certificate is a CA");
    }
    if idp.only_ca_certs && !cert_is_ca {
        return scope("the CRL covers CA certificates only, and the certificate is not a CA");
    }
    Ok(())
}

/// RFC 5280 6.3.3 (b)(2)(i): one fullName of the CRL's distribution point is one of the
/// certificate's distribution point names (compared as encoded).
fn distribution_point_matches(dp: &[u8], cert: &Certificate) -> bool {
    let Some(crl_names) = crl::full_names(dp) else {
        return false;
    };
    let cert_names = crl::certificate_distribution_names(cert.tbs());
    crl_names.iter().any(|n| cert_names.contains(n))
}

/// thisUpdate no later than the time (with the skew); nextUpdate, or without one thisUpdate
/// plus the maximum age, no earlier.
fn check_freshness(crl: &Crl<'_>, at: UnixTime, fresh: &Freshness) -> Result<(), CrlOutcome> {
    let stale = |m: String| Err(CrlOutcome::unusable(CrlProblem::NotFresh, m));
    if crl.this_update.0 > at.0.saturating_add(fresh.skew_seconds) {
        return stale(format!("the CRL was issued on {}, after {at}", crl.this_update));
    }
    match crl.next_update {
        Some(next) if next.0 < at.0.saturating_sub(fresh.skew_seconds) => {
            stale(format!("the CRL's nextUpdate {next} is before {at}"))
        }
        None if at.0 > crl.this_update.0.saturating_add(fresh.max_age_seconds) => stale(format!(
            "the CRL of {} has no nextUpdate and is more than {} s older than {at}",
            crl.this_update, fresh.max_age_seconds
        )),
        _ => Ok(()),
    }
}

/// The certificate's entry, if any, read against the time.
fn status(crl: &Crl<'_>, cert: &Certificate, at: UnixTime) -> CrlOutcome {
    let entry = match crl.find(cert.serial()) {
        Ok(e) => e,
        Err(e) => return CrlOutcome::unusable(CrlProblem::Malformed, e.to_string()),
    };
    let good = |later_revocation| CrlOutcome::Good {
        this_update: crl.this_update,
        next_update: crl.next_update,
        later_revocation,
    };
    match entry {
        None => good(None),
        // RFC 5280 5.3.1: removeFromCRL belongs in delta CRLs only, which are not read.
        Some(RevokedEntry {
            reason: Some(RevocationReason::RemoveFromCrl),
            ..
        }) => CrlOutcome::unusable(CrlProblem::Malformed, "removeFromCRL entry in a complete CRL"),
        Some(e) => {
            let revocation = Revocation {
                time: e.revocation_date,
                reason: e.reason,
                invalidity_date: e.invalidity_date,
            };
            if e.revocation_date > at {
                good(Some(revocation))
            } else {
                CrlOutcome::Revoked(revocation)
            }
        }
    }
}

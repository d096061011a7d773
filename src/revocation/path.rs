//! The revocation status of a certificate path at a time, from the OCSP responses and CRLs at
//! hand (those the signature carries, a PDF's DSS, and those the caller gives).
//!
//! Each certificate of the path but the trust anchor needs information from its issuer that
//! speaks for the time: current at it, or issued after it (a certificate good at a later
//! time was not revoked at the time, since a revocation is not undone). A revocation dated at
//! or before the time outweighs any good status. Information that does not verify, is stale,
//! or comes from a responder its issuer did not authorise is reported and not used.

use std::sync::Arc;

use crate::context::{Meter, VerifyContext};
use crate::formats::x509::Certificate;
use crate::policy::RevocationMode;
use crate::revocation::Freshness;
use crate::revocation::crl::{self, CrlOutcome, CrlProblem};
use crate::revocation::ocsp::{self, OcspOutcome};
use crate::revocation::wanted::StatusWanted;
use crate::time::UnixTime;
use crate::verdict::{Check, CheckCode, CheckResult, SubIndication};

/// One piece of revocation information, DER.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Info<'a> {
    /// An OCSPResponse.
    Ocsp(&'a [u8]),
    /// A CertificateList.
    Crl(&'a [u8]),
}

/// What the information says of one certificate at the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not revoked at the time; how that is known.
    Good(String),
    /// Revoked at `time`, at or before the time asked about.
    Revoked {
        /// The revocation time.
        time: UnixTime,
        /// How that is known.
        detail: String,
    },
    /// Nothing usable; why each piece of information was not.
    Unknown(Vec<String>),
}

/// The status of `cert`, issued by `issuer`, at `at`.
pub fn certificate_status(
    cert: &Certificate,
    issuer: &Certificate,
    data: &[Info<'_>],
    at: UnixTime,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Status {
    let fresh = Freshness::of(ctx.policy);
    let mut good = None;
    let mut why_not = Vec::new();
    for item in data {
        let said = match *item {
            Info::Ocsp(der) => from_ocsp(der, cert, issuer, at, data, ctx, meter),
            Info::Crl(der) => from_crl(der, cert, issuer, at, &fresh, ctx, meter),
        };
        match said {
            Said::Revoked(time, detail) => return Status::Revoked { time, detail },
            Said::Good(detail) => good = good.or(Some(detail)),
            Said::NotAbout => {}
            Said::Unusable(why) => why_not.push(why),
        }
    }
    match good {
        Some(detail) => Status::Good(detail),
        None => Status::Unknown(why_not),
    }
}

enum Said {
    Good(String),
    Revoked(UnixTime, String),
    /// Information about another certificate or issuer.
    NotAbout,
    Unusable(String),
}

fn from_ocsp(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UnixTime,
    data: &[Info<'_>],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Said {
    let fresh = &Freshness::of(ctx.policy);
    let responder_refused = |outcome: &OcspOutcome| {
        let verified = match outcome {
            OcspOutcome::Good(v) | OcspOutcome::Revoked { response: v, .. } => v,
            _ => return None,
        };
        delegated_responder_status(der, verified, issuer, data, ctx, meter).err()
    };
    let outcome = ocsp::check(der, cert, issuer, at, fresh, ctx, meter);
    if let Some(why) = responder_refused(&outcome) {
        return Said::Unusable(why);
    }
    match outcome {
        OcspOutcome::Good(v) => Said::Good(format!("OCSP good, thisUpdate {}", v.this_update)),
        OcspOutcome::Revoked { time, .. } if time <= at => Said::Revoked(time, format!("OCSP: revoked at {time}")),
        OcspOutcome::Revoked { time, response, .. } => Said::Good(format!(
            "OCSP of {}: revoked only at {time}, after the time",
            response.this_update
        )),
        // Issued after the time: its status speaks for the time too.
        OcspOutcome::NotFresh { this_update, .. } if this_update > at => {
            let later = ocsp::check(der, cert, issuer, this_update, fresh, ctx, meter);
            if let Some(why) = responder_refused(&later) {
                return Said::Unusable(why);
            }
            match later {
                OcspOutcome::Good(v) => Said::Good(format!("OCSP good, issued after the time ({})", v.this_update)),
                OcspOutcome::Revoked { time, .. } if time <= at => {
                    Said::Revoked(time, format!("OCSP: revoked at {time}"))
                }
                OcspOutcome::Revoked { time, .. } => {
                    Said::Good(format!("OCSP: revoked only at {time}, after the time"))
                }
                other => Said::Unusable(other.to_string()),
            }
        }
        OcspOutcome::NoMatchingResponse => Said::NotAbout,
        other => Said::Unusable(other.to_string()),
    }
}

/// RFC 6960 4.2.2.2.1: a delegated responder whose certificate lacks id-pkix-ocsp-nocheck must
/// itself not have been revoked when it signed. Its status is sought in the CRLs at hand (an
/// OCSP answer about a responder from that responder would prove nothing); without one, its
/// answers are not used.
fn delegated_responder_status(
    der: &[u8],
    verified: &ocsp::Verified,
    issuer: &Certificate,
    data: &[Info<'_>],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<(), String> {
    let ocsp::Responder::Delegated {
        subject,
        sha256,
        no_check: false,
    } = &verified.responder
    else {
        return Ok(());
    };
    let parsed = crate::formats::ocsp::parse_response(der).ok();
    let certs = parsed.iter().flat_map(|r| r.basic.iter()).flat_map(|b| b.certs.iter());
    let responder = certs
        .filter_map(|c| ctx.parse_certificate(c).ok())
        .find(|c| c.sha256 == *sha256)
        .ok_or_else(|| format!("OCSP: delegated responder '{subject}' not found again"))?;
    let at = verified.produced_at;
    let crls = data.iter().filter_map(|i| match i {
        Info::Crl(der) => Some(*der),
        Info::Ocsp(_) => None,
    });
    let mut revoked = None;
    for crl in crls {
        match from_crl(crl, &responder, issuer, at, &Freshness::of(ctx.policy), ctx, meter) {
            Said::Good(_) => return Ok(()),
            Said::Revoked(time, _) => revoked = Some(time),
            Said::NotAbout | Said::Unusable(_) => {}
        }
    }
    Err(match revoked {
        Some(time) => format!("OCSP: the delegated responder '{subject}' was revoked at {time}"),
        None => format!(
            "OCSP: the delegated responder '{subject}' has no id-pkix-ocsp-nocheck, and no CRL at \
             hand establishes its status at {at} (RFC 6960 4.2.2.2.1)"
        ),
    })
}

fn from_crl(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    at: UnixTime,
    fresh: &Freshness,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Said {
    let outcome = crl::check(der, cert, issuer, at, fresh, ctx, meter);
    match &outcome {
        CrlOutcome::Good { .. } => Said::Good(format!("CRL: {}", outcome.message())),
        CrlOutcome::Revoked(r) => Said::Revoked(r.time, format!("CRL: {}", outcome.message())),
        CrlOutcome::Unusable {
            problem: CrlProblem::WrongIssuer,
            ..
        } => Said::NotAbout,
        CrlOutcome::Unusable {
            problem: CrlProblem::NotFresh,
            ..
        } => match crate::formats::crl::Crl::from_der(der).map(|c| c.this_update) {
            // Issued after the time: its list speaks for the time too.
            Ok(this_update) if this_update > at => {
                match crl::check(der, cert, issuer, this_update, fresh, ctx, meter) {
                    CrlOutcome::Revoked(r) if r.time <= at => {
                        Said::Revoked(r.time, format!("CRL: revoked on {}", r.time))
                    }
                    CrlOutcome::Revoked(r) => {
                        Said::Good(format!("CRL issued after the time: revoked only on {}", r.time))
                    }
                    good @ CrlOutcome::Good { .. } => {
                        Said::Good(format!("CRL issued after the time: {}", good.message()))
                    }
                    other => Said::Unusable(format!("CRL: {}", other.message())),
                }
            }
            _ => Said::Unusable(format!("CRL: {}", outcome.message())),
        },
        CrlOutcome::Unusable { .. } => Said::Unusable(format!("CRL: {}", outcome.message())),
    }
}

/// The `REVOCATION` check of a path (end entity first, the trust anchor last) at `at`.
/// `must_prove`: revocation status is required whatever the policy (a validation at a past
/// time, where only revocation information can show the certificate was not revoked).
pub fn path_check(
    path: &[Arc<Certificate>],
    data: &[Info<'_>],
    at: UnixTime,
    claimed_signing_time: Option<UnixTime>,
    must_prove: bool,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Check {
    let mut good = Vec::new();
    let mut unknown = Vec::new();
    for pair in path.windows(2) {
        let (cert, issuer) = (&pair[0], &pair[1]);
        let who = cert.subject_string();
        match certificate_status(cert, issuer, data, at, ctx, meter) {
            Status::Good(d) => good.push(format!("'{who}': {d}")),
            Status::Revoked { time, detail } => return revoked(who, time, &detail, claimed_signing_time),
            Status::Unknown(why) => {
                want(cert, issuer, meter);
                unknown.push(match why.is_empty() {
                    true => format!("'{who}': no revocation information"),
                    false => format!("'{who}': {}", why.join("; ")),
                });
            }
        }
    }
    if unknown.is_empty() {
        return Check {
            code: CheckCode::Revocation,
            result: CheckResult::Passed,
            sub_indication: None,
            detail: format!("not revoked at {at}: {}", good.join("; ")).into(),
        };
    }
    let required = must_prove || ctx.policy.revocation == RevocationMode::Required;
    Check {
        code: CheckCode::Revocation,
        result: CheckResult::NotRun,
        sub_indication: required.then_some(SubIndication::TryLater),
        detail: format!(
            "revocation status at {at} not established{}: {}{}",
            if required {
                String::new()
            } else if ctx.policy.revocation_switched_off {
                format!(" ({})", crate::revocation::SWITCHED_OFF)
            } else {
                " (the policy does not require it)".to_string()
            },
            unknown.join("; "),
            if good.is_empty() {
                String::new()
            } else {
                format!("; {}", good.join("; "))
            }
        )
        .into(),
    }
}

/// Records that no information at hand proves the status of every certificate of `path` (end
/// entity first, the trust anchor last) but the anchor.
pub fn want_all(path: &[Arc<Certificate>], meter: &Meter) {
    for pair in path.windows(2) {
        want(&pair[0], &pair[1], meter);
    }
}

fn want(cert: &Certificate, issuer: &Certificate, meter: &Meter) {
    if let Some(w) = StatusWanted::of(cert, issuer) {
        meter.want_status(w);
    }
}

/// A revoked certificate: the signature may have been made before the revocation, which only
/// a proof of existence could show (INDETERMINATE / REVOKED_NO_POE), unless the signer claims
/// to have signed after it (TOTAL_FAILED / REVOKED).
fn revoked(who: &str, time: UnixTime, detail: &str, claimed: Option<UnixTime>) -> Check {
    let after = claimed.is_some_and(|c| c >= time);
    Check {
        code: CheckCode::Revocation,
        result: CheckResult::Failed,
        sub_indication: Some(if after {
            SubIndication::Revoked
        } else {
            SubIndication::RevokedNoPoe
        }),
        detail: format!(
            "'{who}' is revoked since {time} ({detail}){}",
            if after {
                "; the signature claims a signing time after it"
            } else {
                ""
            }
        )
        .into(),
    }
}

//! Revocation: OCSP responses ([`ocsp`]) and CRLs ([`crl`]), and the status of a certificate
//! path at a time from those at hand ([`path`]), and the statuses a validation lacked
//! ([`wanted`]).

pub mod crl;
pub mod ocsp;
pub mod path;
pub mod wanted;

use crate::policy::{Policy, RevocationMode};
use crate::verdict::{Check, CheckCode, CheckResult, SubIndication};

/// How fresh revocation information must be to speak for a time (the policy's tolerances).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// Clock skew allowed between the issuer of the information and the time proved, in
    /// seconds (a thisUpdate this far after the time still counts as at it).
    pub skew_seconds: i64,
    /// Without a nextUpdate, how long after its thisUpdate the information counts, in seconds.
    pub max_age_seconds: i64,
}

impl Freshness {
    /// The tolerances `policy` sets (`[revocation] skew_seconds`, `max_age_seconds`).
    pub fn of(policy: &Policy) -> Freshness {
        Freshness {
            skew_seconds: policy.revocation_skew_seconds,
            max_age_seconds: policy.revocation_max_age_seconds,
        }
    }
}

impl Default for Freshness {
    /// 5 minutes of skew; 24 hours for information without a nextUpdate.
    fn default() -> Self {
        Freshness {
            skew_seconds: 300,
            max_age_seconds: 24 * 3600,
        }
    }
}

/// The revocation check of a certificate path: NOT_RUN, and under a policy that requires
/// revocation status, INDETERMINATE / TRY_LATER.
pub fn status(policy: &Policy) -> Check {
    let (sub, detail) = match policy.revocation {
        RevocationMode::NotEvaluated => (
            None,
            format!(
                "revocation status not evaluated (policy '{}' does not require it)",
                policy.name
            ),
        ),
        RevocationMode::Required => (
            Some(SubIndication::TryLater),
            "revocation status required by the policy but not evaluated".to_string(),
        ),
    };
    Check {
        code: CheckCode::Revocation,
        result: CheckResult::NotRun,
        sub_indication: sub,
        detail,
    }
}

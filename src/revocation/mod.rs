//! Revocation: OCSP and CRL evaluation of what the caller hands in. Not implemented yet; this
//! module says so in every report, as the policy asks.

use crate::policy::{Policy, RevocationMode};
use crate::verdict::{Check, CheckCode, CheckResult, SubIndication};

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

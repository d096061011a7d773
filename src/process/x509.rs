//! X.509 certificate validation (EN 319 102-1 5.2.6): a path to a trust anchor, the end
//! entity's validity, key usage for signing, critical extensions, and revocation.

use crate::detail;
use std::sync::Arc;

use crate::chain::purpose::{self, Purpose};
use crate::chain::{self, VerifiedPath};
use crate::context::{Meter, VerifyContext};
use crate::formats::x509::Certificate;
use crate::process::RevocationData;
use crate::time::UnixTime;
use crate::verdict::model::{Block, BlockResult, Conclusion};
use crate::verdict::{ChainElement, CheckCode, Checks, SubIndication};

/// What the revocation check of a path may use and must establish.
#[derive(Clone, Copy, Debug, Default)]
pub struct RevocationInput<'r, 'a> {
    /// The OCSP responses and CRLs at hand.
    pub data: &'r [RevocationData<'a>],
    /// Whether the status must be established whatever the policy says (a validation at a
    /// past time).
    pub must_prove: bool,
    /// The signing time the signer claims (unproven).
    pub claimed_signing_time: Option<UnixTime>,
    /// A time a valid time-stamp proves the signature existed at: when the status cannot be
    /// established at the validation time, information that speaks for this time shows the
    /// certificates were not revoked when the signature already existed.
    pub proof_time: Option<UnixTime>,
}

/// Runs the block on `cert` with the untrusted certificates `bag`; the certificate must allow
/// `purpose` (keyUsage and extendedKeyUsage, see [`purpose`]). Returns the result and the
/// path, when one was built. Revocation is as the policy says, with no data at hand.
pub fn validate(
    cert: &Arc<Certificate>,
    bag: &[Arc<Certificate>],
    purpose: Purpose,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (BlockResult, Vec<ChainElement>) {
    validate_with(cert, bag, purpose, RevocationInput::default(), ctx, meter)
}

/// [`validate`] with revocation information to evaluate at the context's time.
pub fn validate_with(
    cert: &Arc<Certificate>,
    bag: &[Arc<Certificate>],
    purpose: Purpose,
    revocation: RevocationInput<'_, '_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (BlockResult, Vec<ChainElement>) {
    let mut checks = Checks::default();
    let (chain, path) = match chain::build_path(cert, bag, ctx, meter) {
        Ok(path) => {
            let (n, anchor) = (path.certs().len(), path.anchor().clone());
            checks.pass(
                CheckCode::ChainBuilt,
                detail!("{n} certificate(s) to trust anchor '{}'", anchor.subject_string()),
            );
            (chain_elements(&path), Some(path))
        }
        Err(e) => {
            checks.fail(CheckCode::ChainBuilt, (&e).into(), e.to_string());
            (Vec::new(), None)
        }
    };
    check_end_entity(cert, ctx, purpose, &mut checks);
    checks.record(revocation_check(path.as_ref(), revocation, ctx, meter));
    // EN 319 102-1 5.2.6: NOT_YET_VALID proves the signature invalid; every other failure here
    // leaves it undecided. Within that, the checks' order decides (path first).
    (
        BlockResult::from_checks(Block::X509CertificateValidation, checks),
        chain,
    )
}

/// The `REVOCATION` check of the path built, from the information at hand
/// ([`crate::revocation::path`]); with none, the policy's word on unchecked revocation.
fn revocation_check(
    path: Option<&VerifiedPath>,
    input: RevocationInput<'_, '_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> crate::verdict::Check {
    if let Some(anchor) = path.filter(|p| p.certs().len() == 1) {
        return crate::verdict::Check {
            code: CheckCode::Revocation,
            result: crate::verdict::CheckResult::Passed,
            sub_indication: None,
            detail: format!(
                "'{}' is itself a trust anchor: no revocation status to establish",
                anchor.anchor().subject_string()
            )
            .into(),
        };
    }
    let data: Vec<crate::revocation::path::Info<'_>> = input
        .data
        .iter()
        .filter_map(|d| match d {
            RevocationData::Ocsp(der) => Some(crate::revocation::path::Info::Ocsp(der)),
            RevocationData::Crl(der) => Some(crate::revocation::path::Info::Crl(der)),
            RevocationData::Other => None,
        })
        .chain(ctx.revocation.iter().copied())
        .collect();
    let Some(path) = path.filter(|_| !data.is_empty() || input.must_prove) else {
        if let Some(path) = path {
            crate::revocation::path::want_all(path.certs(), meter);
        }
        return crate::revocation::status(ctx.policy);
    };
    let claimed = input.claimed_signing_time;
    let now = crate::revocation::path::path_check(path.certs(), &data, ctx.time, claimed, input.must_prove, ctx, meter);
    match input.proof_time {
        Some(t) if now.result == crate::verdict::CheckResult::NotRun && t < ctx.time => {
            let then =
                crate::revocation::path::path_check(path.certs(), &data, t, claimed, input.must_prove, ctx, meter);
            if then.result == crate::verdict::CheckResult::NotRun {
                now
            } else {
                then
            }
        }
        _ => now,
    }
}

/// The block's result when no signing certificate was identified: it could not run.
pub fn not_run() -> BlockResult {
    BlockResult {
        block: Block::X509CertificateValidation,
        conclusion: Conclusion::Indeterminate(SubIndication::NoSigningCertificateFound),
        checks: Checks::default(),
    }
}

fn chain_elements(path: &VerifiedPath) -> Vec<ChainElement> {
    let n = path.certs().len();
    path.certs()
        .iter()
        .enumerate()
        .map(|(i, c)| ChainElement {
            subject: c.subject_shared().clone(),
            sha256: c.texts().sha256_hex.clone(),
            not_after: c.texts().not_after.clone(),
            trust_anchor: i + 1 == n,
        })
        .collect()
}

/// RFC 5280 checks on the end entity: validity at the validation time (4.1.2.5), key usage
/// and extended key usage for `purpose` (4.2.1.3, 4.2.1.12), and critical extensions (4.2).
fn check_end_entity(cert: &Certificate, ctx: &VerifyContext<'_>, purpose: Purpose, checks: &mut Checks) {
    let (time, from, to) = (ctx.time, cert.not_before, cert.not_after);
    if time < from {
        checks.fail(
            CheckCode::CertificateValidity,
            SubIndication::NotYetValid,
            format!("not yet valid at {time} (valid {from} to {to})"),
        );
    } else if time > to {
        checks.fail(
            CheckCode::CertificateValidity,
            SubIndication::OutOfBoundsNoPoe,
            format!("expired at {time} (valid {from} to {to})"),
        );
    } else {
        checks.pass(
            CheckCode::CertificateValidity,
            detail!("valid {from} to {to}, validation time {time}"),
        );
    }
    match purpose::check_key_usage(cert, purpose) {
        Ok(d) => checks.pass(CheckCode::KeyUsage, d),
        Err(d) => checks.fail(CheckCode::KeyUsage, SubIndication::ChainConstraintsFailure, d),
    }
    match purpose::check_extended_key_usage(cert, purpose) {
        Ok(d) => checks.pass(CheckCode::ExtendedKeyUsage, d),
        Err(d) => checks.fail(CheckCode::ExtendedKeyUsage, SubIndication::ChainConstraintsFailure, d),
    }
    if cert.unknown_critical.is_empty() {
        checks.pass(CheckCode::CriticalExtensions, "no unsupported critical extension");
    } else {
        checks.fail(
            CheckCode::CriticalExtensions,
            SubIndication::ChainConstraintsFailure,
            format!("unsupported critical extension(s) {}", cert.unknown_critical.join(", ")),
        );
    }
}

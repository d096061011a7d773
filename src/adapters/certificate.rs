//! A certificate on its own: X.509 certificate validation and the policy on its key, for the
//! document-signing purpose (this service verifies certificates for signing).

use std::sync::Arc;

use crate::chain::purpose::Purpose;
use crate::context::{Meter, VerifyContext};
use crate::formats::x509::Certificate;
use crate::process::{self, x509};
use crate::verdict::model::{self, Block, BlockResult};
use crate::verdict::{CheckCode, Checks, Format, Report};

/// Verifies `cert`, with `bundled` (the certificates given with it, untrusted) as issuers
/// besides the context's intermediates: a path to a trust anchor, its validity, keyUsage and extendedKeyUsage for
/// document signing (for certificate issuing when it is a CA certificate, see
/// [`Purpose::of_certificate`]), critical extensions, revocation as the policy says, and its key under the
/// policy.
///
/// # Security
/// Revocation is not evaluated (see [`crate::revocation`]).
pub fn verify(cert: Arc<Certificate>, bundled: Vec<Certificate>, ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let mut checks = Checks::default();
    checks.pass(CheckCode::FormatParsed, parsed_detail(bundled.len()));
    let bag: Vec<Arc<Certificate>> = bundled.into_iter().map(Arc::new).collect();
    let (xcv, chain) = x509::validate(&cert, &bag, Purpose::of_certificate(&cert), ctx, meter);
    let sav = key_policy(&cert, ctx);
    let conclusion = model::certificate_validation(xcv.conclusion, sav.conclusion);
    checks.extend(xcv.checks);
    checks.extend(sav.checks);
    let mut report = Report::empty(Format::X509Certificate, ctx.time.to_rfc3339());
    (report.indication, report.sub_indication) = conclusion.verdict();
    report.certificate = Some(process::cert_info(&cert));
    report.chain = chain;
    report.checks = checks.into_vec();
    report
}

fn parsed_detail(bundled: usize) -> String {
    match bundled {
        0 => "X.509 certificate".into(),
        n => format!("X.509 certificate, with {n} more certificate(s) of its PEM bundle as untrusted issuers"),
    }
}

/// The policy on the certificate's key at the validation time.
fn key_policy(cert: &Certificate, ctx: &VerifyContext<'_>) -> BlockResult {
    let mut checks = Checks::default();
    match ctx.policy.check_key(&cert.public_key, ctx.time) {
        Ok(()) => checks.pass(
            CheckCode::CryptoPolicy,
            format!(
                "{}-{} key accepted",
                cert.public_key.algorithm_name(),
                cert.public_key.bits()
            ),
        ),
        Err(v) => checks.fail(CheckCode::CryptoPolicy, (&v).into(), v.detail),
    }
    BlockResult::from_checks(Block::SignatureAcceptanceValidation, checks)
}

#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod adapters;
#[cfg(feature = "server")]
pub mod api;
pub mod chain;
pub mod context;
pub mod crypto;
pub mod formats;
pub mod input;
#[cfg(feature = "online")]
pub mod online;
pub mod policy;
pub mod process;
pub mod profiles;
pub mod revocation;
pub mod store;
pub mod time;
pub mod trust;
pub mod verdict;

pub use adapters::raw::{parse_signature_algorithm, verify_raw};
pub use chain::Budget;
pub use context::{Content, MAX_INPUT_LEN, Meter, VerifyContext};
pub use crypto::{DefaultVerifier, HashAlg, Hasher, SignatureScheme, SignatureVerifier};
pub use policy::Policy;
pub use process::cert_info;
pub use profiles::mobileid;
pub use store::{CertPool, LinkCache, TrustStore};
pub use time::UnixTime;
pub use verdict::{Format, Indication, Report, SubIndication};

use input::Document;
use verdict::{CheckCode, Checks};

/// The hash algorithms with which to digest a detached content of `input` for
/// [`Content::Digests`], so that a caller can read a large content once, as a stream, and
/// verify in constant memory. Empty when `input` is not a readable CMS SignedData (a
/// certificate, a malformed input): the content is then not used.
pub fn detached_digest_algorithms(input: &[u8]) -> Vec<HashAlg> {
    match input::sniff(input) {
        Document::Cms(bytes) => formats::cms::parse_content_info(&bytes)
            .map(|sd| adapters::cades::content_digest_algorithms(&sd))
            .unwrap_or_default(),
        Document::Xml(bytes) => adapters::xades::external_digest_algorithms(&bytes),
        _ => Vec::new(),
    }
}

/// Verifies an XML signature document with detached files given by name (the URIs of its
/// external references): XML-DSig and XAdES. Other inputs are verified as by [`verify`], the
/// files then being ignored unless there is exactly one (the detached content).
pub fn verify_with_files(input: &[u8], files: &[(String, &[u8])], ctx: &VerifyContext<'_>) -> Report {
    match (input::sniff(input), files) {
        (Document::Xml(bytes), _) => {
            let meter = Meter::new(ctx.budget, ctx.cancel);
            let report = verify_xml(&bytes, adapters::xades::External::Named(files), ctx, &meter);
            with_wanted(report, &meter)
        }
        (_, [(_, one)]) => verify(input, Content::Data(one), ctx),
        _ => verify(input, Content::None, ctx),
    }
}

/// An XML input: a DigiDoc container, or an XML-DSig / XAdES document.
fn verify_xml(bytes: &[u8], external: adapters::xades::External<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let is_ddoc = formats::xml::document_text(bytes).is_some_and(adapters::ddoc::looks_like_ddoc);
    if is_ddoc {
        adapters::ddoc::verify(bytes, ctx, meter)
    } else {
        adapters::xades::verify_xml(bytes, external, ctx, meter)
    }
}

/// Verifies a signature or certificate.
///
/// `input` is a CMS SignedData (DER, BER, PEM or Base64), an XML-DSig / XAdES document, a
/// DigiDoc (DDOC) container, an ASiC-E / BDOC / ASiC-S container, a signed PDF (every
/// signature and document time-stamp, and what changed after each), or an X.509 certificate
/// (DER or PEM). `content` is the detached content, when the signature does not carry it (for an
/// XML signature: the data of its one external reference; see [`verify_with_files`] for
/// several). Malformed input
/// gives a TOTAL_FAILED / FORMAT_FAILURE report, never an error or a panic. The work is bounded
/// by `ctx.budget` over the whole input.
///
/// # Security
/// Revocation status is evaluated from the OCSP responses and CRLs the signature carries (see
/// [`revocation::path`]); no responder is asked (the statuses lacked are listed in
/// [`Report::revocation_wanted`], for the opt-in live OCSP of `online`). When it cannot be
/// established the report says so in a `REVOCATION` check and the policy decides whether that
/// prevents TOTAL_PASSED.
/// Time-stamp tokens are validated in full (imprint, token signature, the TSA certificate's
/// path and fitness for time-stamping, see [`process::timestamp`]); a PDF document time-stamp
/// is judged by those checks like a signature; the earliest valid signature time-stamp is the
/// best signature time, at which the path, revocation and algorithms are validated again when
/// the validation time cannot decide (an expired or revoked certificate). A PDF signature
/// passes only when its byte range covers its whole revision and every later change is allowed
/// (see [`adapters::pades`]). Trust anchors are trusted as configured.
pub fn verify(input: &[u8], content: Content<'_>, ctx: &VerifyContext<'_>) -> Report {
    let meter = Meter::new(ctx.budget, ctx.cancel);
    let report = verify_document(input, content, ctx, &meter);
    with_wanted(report, &meter)
}

/// The revocation statuses the verification lacked, handed to the caller in the report.
fn with_wanted(mut report: Report, meter: &Meter) -> Report {
    report.revocation_wanted = meter.take_wanted();
    report
}

fn verify_document(input: &[u8], content: Content<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    match input::sniff(input) {
        Document::Cms(bytes) => adapters::cades::verify(&bytes, content, ctx, meter),
        Document::Certificate(cert, bundled) => {
            adapters::certificate::verify(std::sync::Arc::new(*cert), bundled, ctx, meter)
        }
        Document::Xml(bytes) => verify_xml(&bytes, adapters::xades::External::Content(content), ctx, meter),
        Document::Zip(bytes) => adapters::asic::verify(&bytes, ctx, meter),
        Document::Pdf(bytes) => adapters::pades::verify(&bytes, ctx, meter),
        Document::Unsupported(format) => {
            let mut checks = Checks::default();
            checks.not_run(
                CheckCode::FormatSupported,
                Some(SubIndication::FormatNotSupported),
                format!("{format} signatures are not verified by this version"),
            );
            let mut report = Report::empty(format, ctx.time.to_rfc3339());
            report.checks = checks.into_vec();
            report.conclude();
            report
        }
        Document::Malformed(detail) => {
            let mut checks = Checks::default();
            checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, detail);
            let mut report = Report::empty(Format::Unknown, ctx.time.to_rfc3339());
            report.checks = checks.into_vec();
            report
        }
    }
}

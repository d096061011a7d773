//! MSign-compatible `VerifySignatures` (the Moldovan e-Government signing service's
//! verification operation), as SOAP 1.1 and as JSON.
//!
//! # Endpoints
//!
//! - `POST /msign/soap`: SOAP 1.1, document/literal wrapped as a WCF client generated from
//!   MSign's WSDL sends it: `SOAPAction: "https://msign.gov.md/IMSign/VerifySignatures"` (quoted
//!   or not; any other or none is an `a:ActionNotSupported` fault, as WCF answers), namespace
//!   `https://msign.gov.md`. SOAP headers: see `read_headers` (WCF's `Action` header,
//!   WS-Addressing; the reply then carries [`REPLY_ACTION`]). The
//!   request's elements may come in any order and under any prefix, but must be in that
//!   namespace; unknown elements are refused. A DTD (`<!DOCTYPE`, entity declarations) is
//!   refused, never expanded; the body size is bounded by the router's limit. Before the XML
//!   parser runs, [`crate::formats::xml::check`] bounds its work: depth 32, 64 elements per
//!   allowed item and 10,000 more, as many attributes in all, 64 on one element; the fault
//!   names the limit crossed.
//! - `GET /msign/soap?wsdl` (or `?singleWsdl`): the WSDL 1.1 of the operation with an embedded
//!   XSD ([`WSDL`]): MSign's schema as WCF publishes its data contracts (type and member names,
//!   order, `minOccurs`, `nillable`). Its `soap:address` is [`endpoint_address`]: the
//!   configured public URL, else the request's `Host`.
//! - `POST /msign/VerifySignatures`: the same operation as JSON, with the same PascalCase field
//!   names: `{"Contents":[{"Content":b64?,"CorrelationID":?,"Signature":b64}],"Language":"ro"?,
//!   "SignedContentType":"Hash"|"Pdf"|1|2}` gives `{"Results":[{"Certificates":[{"Certificate":
//!   b64,"SignatureValid":bool,"Subject":".."}],"CorrelationID":?,"Message":"..",
//!   "SignaturesValid":bool}]}` (`Certificates` is always present in JSON, possibly empty; in
//!   SOAP it is omitted when empty, as WCF does).
//!
//! # Semantics
//!
//! Each `VerificationContent` is verified with [`crate::verify`] at the time of the request
//! (MSign requests carry no validation time):
//!
//! - `SignedContentType` `Hash`: `Content` (required) is the hash that was signed, `Signature`
//!   a XAdES whose one external reference must have that digest (the signed document itself
//!   is not sent). **sigverify extension:** a CMS/CAdES detached signature is
//!   accepted as `Signature` too and verified against `Content` as its digest; the digest
//!   algorithm is inferred from the length (20 bytes SHA-1, 32 SHA-256, 48 SHA-384, 64
//!   SHA-512; any other length is an InvalidParameter fault).
//! - `Pdf`: `Signature` is the signed PDF; `Content` must be absent. Every signature of the PDF
//!   is verified as [`crate::adapters::pades`] describes (its byte range, its CMS, and what
//!   changed in later revisions). **sigverify extension:** a CMS given as `Pdf` is verified as
//!   a CMS without detached content (an attached signature).
//! - `SignaturesValid` is true only when the report is TOTAL_PASSED, has at least one
//!   signature, and every signature (counter-signatures and PDF document time-stamps included)
//!   is TOTAL_PASSED.
//! - `Certificates`: one per signature whose signer certificate was found, in the report's
//!   order (for a PDF: document order, the oldest revision first): `SignatureValid` (that
//!   signature is TOTAL_PASSED), `Subject` (as .NET renders it, `dotnet_subject`; at most 250
//!   characters) and
//!   `Certificate` (DER, from the certificates the signature carries, else the configured
//!   intermediates and anchors). A PDF document time-stamp is not a signer: it is left out
//!   (its verdict still counts for `SignaturesValid`). `SignedAt` is the signature's best
//!   signature time: the genTime of its earliest signature time-stamp that is fully valid (imprint,
//!   token signature, the TSA's path to a trust anchor), else the producedAt of a valid BDOC
//!   time-mark; without one it is absent, as MSign
//!   gives it only for a verified time-stamp (the `signingTime` attribute and a PDF's `/M` are
//!   claims of the signer, never used).
//! - `CorrelationID` is echoed; `Message` is a one-line verdict in `Language` (`ro` by default,
//!   as MSign; `ro`, `ru`, `en`, and as an extension `de`, `fr`, `it`, `et`), at most 100
//!   characters.
//!
//! # Faults
//!
//! A malformed request is a SOAP 1.1 fault (HTTP 500) with the code
//! `{https://msign.gov.md}InvalidParameter` and the field and what is wrong as its reason, no
//! detail (the shape WCF gives a `FaultException` with a code: see `Fault`), or, in JSON, a
//! 400 naming the field (`Contents[0].Signature`): bad XML or JSON,
//! a DTD, a missing `Signature` or `SignedContentType`, missing or empty `Contents`, more items
//! than `Limits::max_batch_items`, a duplicate or over-long (36) `CorrelationID`, bad Base64, a
//! hash of no known length, an unknown `Language`. An empty `Contents` is valid for the WSDL's
//! schema (as MSign's, whose arrays are `minOccurs="0"`) and refused here, as MSign's contract
//! says ("Required, at least one element"). A wrong SOAP envelope version is a
//! `s:VersionMismatch` fault, an unknown SOAPAction or `Action` header `a:ActionNotSupported`.
//! A hash of another algorithm than the signature's is verified, and its `Message` says the
//! hash has the wrong length for the signature's algorithm (`wrong_hash_algorithm`).

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::Arc;

use std::sync::atomic::AtomicBool;

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::body::{JsonBody, media_type, read_raw};
use super::json;
use super::metrics::{Summary, Verdict, json_with};
use super::native::b64;
use super::{ApiError, AppState, now, run_blocking};
use crate::crypto::HashAlg;
use crate::formats::{cms, x509, xml};
use crate::input::Document;
use crate::verdict::i18n::{self, Lang};
use crate::verdict::{CheckCode, Indication, PdfSignatureKind, Report, SignatureReport, SubIndication};
use crate::{Content, verify};

/// The MSign service namespace.
pub const NS: &str = "https://msign.gov.md";
/// The SOAPAction of VerifySignatures.
pub const SOAP_ACTION: &str = "https://msign.gov.md/IMSign/VerifySignatures";
/// The Action of the reply (`ReplyAction` of MSign's operation contract).
pub const REPLY_ACTION: &str = "https://msign.gov.md/IMSign/VerifySignaturesResponse";
/// The namespace of the `Action` header a WCF client sends with `BasicHttpBinding`
/// (`AddressingVersion.None`).
pub const ADDRESSING_NONE: &str = "http://schemas.microsoft.com/ws/2005/05/addressing/none";
/// WS-Addressing (member submission, 2004/08).
pub const ADDRESSING_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
/// WS-Addressing 1.0 (2005/08).
pub const ADDRESSING_2005: &str = "http://www.w3.org/2005/08/addressing";
const ADDRESSING: [&str; 3] = [ADDRESSING_NONE, ADDRESSING_2004, ADDRESSING_2005];
/// The anonymous addresses of the three addressing versions (the reply goes back on the
/// connection the request came on).
const ANONYMOUS: [&str; 3] = [
    "http://schemas.microsoft.com/2005/12/ServiceModel/Addressing/Anonymous",
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous",
    "http://www.w3.org/2005/08/addressing/anonymous",
];
/// SOAP 1.1 4.2.2: a header without `actor`, or with this one, is for this endpoint.
const ACTOR_NEXT: &str = "http://schemas.xmlsoap.org/soap/actor/next";
/// Longest `MessageID` echoed as `RelatesTo` (characters).
const MAX_MESSAGE_ID_CHARS: usize = 256;
/// The `soap:address` of [`WSDL`], replaced when the WSDL is served.
pub const WSDL_ADDRESS_PLACEHOLDER: &str = "http://localhost:8080/msign/soap";
/// The WSDL served at `GET /msign/soap?wsdl`.
pub const WSDL: &str = include_str!("msign.wsdl");
/// Longest `Message` (characters).
pub const MAX_MESSAGE_CHARS: usize = 100;
/// Longest `Subject` (characters).
pub const MAX_SUBJECT_CHARS: usize = 250;
/// Longest `CorrelationID` (characters).
pub const MAX_CORRELATION_ID_CHARS: usize = 36;

const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// `/msign/soap` (POST SOAP, GET `?wsdl`) and `/msign/VerifySignatures` (JSON).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/msign/soap", get(wsdl).post(soap))
        .route("/msign/VerifySignatures", post(json))
}

/// The `Message` of a result: a one-line verdict in `lang`, at most [`MAX_MESSAGE_CHARS`].
pub fn result_message(report: &Report, lang: Lang) -> String {
    // A bare certificate verifies as TOTAL_PASSED but is no signature: say so rather than "valid".
    if report.signatures.is_empty() && report.indication == Indication::TotalPassed {
        return truncate(
            &i18n::verdict_message(Indication::TotalFailed, Some(SubIndication::FormatFailure), lang),
            MAX_MESSAGE_CHARS,
        );
    }
    truncate(&localized(report, lang), MAX_MESSAGE_CHARS)
}

/// The one place that picks the message function (MSign's short form, string100).
fn localized(report: &Report, lang: Lang) -> String {
    i18n::msign_message(report, lang)
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The shared core: one request shape for both bindings, validated into `Prepared`.

/// `Hash` (1) or `Pdf` (2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SignedContentType {
    Hash,
    Pdf,
}

/// One `VerificationContent` as received, strings not yet decoded.
#[derive(Default)]
struct RawContent {
    content: Option<String>,
    correlation_id: Option<String>,
    signature: Option<String>,
}

/// A request as received by either binding.
#[derive(Default)]
pub(crate) struct RawRequest {
    contents: Option<Vec<RawContent>>,
    language: Option<String>,
    signed_content_type: Option<SignedContentType>,
}

/// A malformed request: the field (`Contents[0].Signature`) and what is wrong.
#[derive(Debug)]
struct Invalid {
    field: String,
    message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> ApiError {
        ApiError::bad(e.field, e.message)
    }
}

struct Item {
    correlation_id: Option<String>,
    signature: Vec<u8>,
    digest: Option<(HashAlg, Vec<u8>)>,
}

struct Prepared {
    lang: Lang,
    items: Vec<Item>,
}

fn decode(field: &str, v: &str) -> Result<Vec<u8>, Invalid> {
    b64(field, v).map_err(|e| match e {
        ApiError::BadRequest { field, message } => Invalid { field, message },
        _ => invalid(field, "not Base64"),
    })
}

fn hash_alg(len: usize) -> Option<HashAlg> {
    match len {
        20 => Some(HashAlg::Sha1),
        32 => Some(HashAlg::Sha256),
        48 => Some(HashAlg::Sha384),
        64 => Some(HashAlg::Sha512),
        _ => None,
    }
}

fn prepare(raw: RawRequest, max_items: usize) -> Result<Prepared, Invalid> {
    let kind = raw
        .signed_content_type
        .ok_or_else(|| invalid("SignedContentType", "required: Hash or Pdf"))?;
    let lang = match raw.language.as_deref().map(str::trim) {
        None | Some("") => Lang::Ro,
        Some(tag) => {
            Lang::parse(tag).ok_or_else(|| invalid("Language", "supported: ro, ru, en (also de, fr, it, et)"))?
        }
    };
    let contents = raw.contents.ok_or_else(|| invalid("Contents", "required"))?;
    if contents.is_empty() {
        return Err(invalid("Contents", "at least one VerificationContent is required"));
    }
    if contents.len() > max_items {
        return Err(invalid(
            "Contents",
            format!("{} items; at most {max_items}", contents.len()),
        ));
    }
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(contents.len());
    for (i, c) in contents.into_iter().enumerate() {
        let prefix = format!("Contents[{i}]");
        if let Some(id) = &c.correlation_id {
            if id.chars().count() > MAX_CORRELATION_ID_CHARS {
                return Err(invalid(
                    format!("{prefix}.CorrelationID"),
                    format!("longer than {MAX_CORRELATION_ID_CHARS} characters"),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(invalid(
                    format!("{prefix}.CorrelationID"),
                    "duplicate CorrelationID in the request",
                ));
            }
        }
        let field = format!("{prefix}.Signature");
        let signature = decode(
            &field,
            c.signature.as_deref().ok_or_else(|| invalid(&field, "required"))?,
        )?;
        if signature.is_empty() {
            return Err(invalid(field, "empty"));
        }
        let field = format!("{prefix}.Content");
        let content = c
            .content
            .as_deref()
            .map(|v| decode(&field, v))
            .transpose()?
            .filter(|v| !v.is_empty());
        let digest = match (kind, content) {
            (SignedContentType::Hash, None) => {
                return Err(invalid(
                    field,
                    "required with SignedContentType Hash: the hash that was signed",
                ));
            }
            (SignedContentType::Hash, Some(h)) => {
                let alg = hash_alg(h.len())
                    .ok_or_else(|| invalid(&field, format!("{} bytes: not a SHA-1/256/384/512 hash", h.len())))?;
                Some((alg, h))
            }
            (SignedContentType::Pdf, Some(_)) => {
                return Err(invalid(
                    field,
                    "only used with SignedContentType Hash; the PDF goes in Signature",
                ));
            }
            (SignedContentType::Pdf, None) => None,
        };
        items.push(Item {
            correlation_id: c.correlation_id,
            signature,
            digest,
        });
    }
    Ok(Prepared { lang, items })
}

/// One `VerificationCertificate`.
#[derive(Clone, Debug, Serialize)]
struct VerificationCertificate {
    /// DER, Base64.
    #[serde(rename = "Certificate")]
    certificate: String,
    #[serde(rename = "SignatureValid")]
    signature_valid: bool,
    /// Only from a verified time-stamp; never set by this version.
    #[serde(rename = "SignedAt", skip_serializing_if = "Option::is_none")]
    signed_at: Option<String>,
    #[serde(rename = "Subject")]
    subject: String,
}

/// One `VerificationResult`.
#[derive(Clone, Debug, Serialize)]
struct VerificationResult {
    #[serde(rename = "Certificates")]
    certificates: Vec<VerificationCertificate>,
    #[serde(rename = "CorrelationID", skip_serializing_if = "Option::is_none")]
    correlation_id: Option<String>,
    #[serde(rename = "Message")]
    message: String,
    #[serde(rename = "SignaturesValid")]
    signatures_valid: bool,
    /// For the request's log line and metrics only.
    #[serde(skip)]
    verdict: Verdict,
}

#[derive(Serialize)]
struct VerificationResponse {
    #[serde(rename = "Results")]
    results: Vec<VerificationResult>,
}

/// Verifies every item (blocking; runs on the blocking pool).
fn run(state: &AppState, p: &Prepared, time: crate::time::UnixTime, cancel: &AtomicBool) -> Vec<VerificationResult> {
    // The contract has no revocation option: the policy as configured (`embedded`).
    let ctx = state.context(time, cancel);
    p.items
        .iter()
        .map(|item| verify_item(state, item, p.lang, &ctx))
        .collect()
}

fn verify_item(state: &AppState, item: &Item, lang: Lang, ctx: &crate::VerifyContext<'_>) -> VerificationResult {
    let content = match &item.digest {
        Some((alg, value)) => Content::Digest { alg: *alg, value },
        None => Content::None,
    };
    let report = verify(&item.signature, content, ctx);
    let message = match wrong_hash_algorithm(item, &report) {
        Some((given, needed)) => wrong_hash_message(given, &needed, lang),
        None => result_message(&report, lang),
    };
    VerificationResult {
        certificates: certificates(state, &item.signature, &report),
        correlation_id: item.correlation_id.clone(),
        message,
        signatures_valid: signatures_valid(&report),
        verdict: Verdict::of(&report),
    }
}

/// When a hash was given but the signature digests its content with other algorithms (a
/// 20-byte SHA-1 hash for a SHA-256 signature), and that is what decided the verdict (the
/// signed data could not be matched: SIGNED_DATA_FOUND not run): the given algorithm and the
/// ones the signature uses. The generic message would say the signed data is missing, though
/// it was given.
fn wrong_hash_algorithm(item: &Item, report: &Report) -> Option<(HashAlg, Vec<HashAlg>)> {
    let (given, _) = item.digest.as_ref()?;
    let decided_by_data = i18n::deciding_check(report).is_some_and(|c| c.code == CheckCode::SignedDataFound);
    let needed = content_digest_algorithms(&item.signature);
    (decided_by_data && !needed.is_empty() && !needed.contains(given)).then_some((*given, needed))
}

/// The algorithms with which the signature digests its detached content: each signer's
/// digest algorithm (CMS), the DigestMethod of each external reference (XAdES).
fn content_digest_algorithms(signature: &[u8]) -> Vec<HashAlg> {
    match crate::input::sniff(signature) {
        Document::Cms(bytes) => cms::parse_content_info(&bytes)
            .map(|sd| crate::adapters::cades::content_digest_algorithms(&sd))
            .unwrap_or_default(),
        Document::Xml(bytes) => crate::adapters::xades::external_digest_algorithms(&bytes),
        _ => Vec::new(),
    }
}

/// `msign-hash-wrong-algorithm` in `lang`, then `(SHA-1 ≠ SHA-256)` when it fits in
/// [`MAX_MESSAGE_CHARS`].
fn wrong_hash_message(given: HashAlg, needed: &[HashAlg], lang: Lang) -> String {
    let text = i18n::message("msign-hash-wrong-algorithm", lang);
    let names: Vec<&str> = needed.iter().map(HashAlg::name).collect();
    let detail = format!("{text} ({} \u{2260} {})", given.name(), names.join("/"));
    if detail.chars().count() <= MAX_MESSAGE_CHARS {
        detail
    } else {
        truncate(&text, MAX_MESSAGE_CHARS)
    }
}

/// The report passed and has at least one signature, every one of them (counter-signatures
/// and document time-stamps included) TOTAL_PASSED.
fn signatures_valid(report: &Report) -> bool {
    let passed = |i: Indication| i == Indication::TotalPassed;
    passed(report.indication) && !report.signatures.is_empty() && report.signatures.iter().all(|s| passed(s.indication))
}

/// A PDF document time-stamp: a time-stamp authority's token, not a signer's signature.
fn is_document_timestamp(s: &SignatureReport) -> bool {
    s.pdf
        .as_ref()
        .is_some_and(|p| p.kind == PdfSignatureKind::DocumentTimestamp)
}

/// One `VerificationCertificate` per signature whose signer certificate was found, in report
/// order (for a PDF: document order), document time-stamps left out.
fn certificates(state: &AppState, signature: &[u8], report: &Report) -> Vec<VerificationCertificate> {
    let signers: Vec<&SignatureReport> = report.signatures.iter().filter(|s| !is_document_timestamp(s)).collect();
    if signers.iter().all(|s| s.signer.is_none()) {
        return Vec::new();
    }
    let carried = carried_certificates(signature);
    signers
        .into_iter()
        .filter_map(|s| {
            let signer = s.signer.as_ref()?;
            let der = signer_der(state, &carried, &signer.sha256).unwrap_or_default();
            Some(VerificationCertificate {
                certificate: base64::engine::general_purpose::STANDARD.encode(&der),
                signature_valid: s.indication == Indication::TotalPassed,
                // SignedAt is only for a verified time-stamp: the best signature time, which a
                // fully validated signature time-stamp gives. The signingTime attribute
                // (`s.signing_time`) is the signer's claim, NOT a verified time: never used.
                signed_at: s.best_signature_time.clone(),
                subject: truncate(
                    &dotnet_subject(&der).unwrap_or_else(|| signer.subject.to_string()),
                    MAX_SUBJECT_CHARS,
                ),
            })
        })
        .collect()
}

/// The subject of a certificate as MSign (a .NET service) gives it: `X509Certificate2.Subject`,
/// that is `CN=Nume Prenume, SERIALNUMBER=IDNP, O=.., C=MD` (the last RDN of the encoding
/// first, `, ` between RDNs); [`x509::name_to_dotnet_string`]. `None` when `der` is no
/// certificate.
fn dotnet_subject(der: &[u8]) -> Option<String> {
    let cert = x509::Certificate::from_der(der).ok()?;
    Some(x509::name_to_dotnet_string(cert.subject()))
}

/// The DER of the certificate whose SHA-256 is `sha256_hex`: among those the signature
/// carries, else the configured intermediates or anchors.
fn signer_der(state: &AppState, carried: &[Vec<u8>], sha256_hex: &str) -> Option<Vec<u8>> {
    let matches =
        |der: &[u8]| x509::Certificate::from_der(der).is_ok_and(|c| c.sha256_hex().eq_ignore_ascii_case(sha256_hex));
    if let Some(found) = carried.iter().find(|d| matches(d)) {
        return Some(found.clone());
    }
    state
        .intermediates
        .certs()
        .iter()
        .chain(state.anchors.certs())
        .find(|c| c.sha256_hex().eq_ignore_ascii_case(sha256_hex))
        .map(|c| c.der().to_vec())
}

/// The certificates a signature carries (DER), read as [`verify`] reads it: a CMS (raw, PEM
/// or Base64), an XML signature, or every signature of a PDF.
fn carried_certificates(signature: &[u8]) -> Vec<Vec<u8>> {
    match crate::input::sniff(signature) {
        Document::Cms(bytes) => cms::parse_content_info(&bytes)
            .map(|sd| sd.certificates.iter().map(|c| c.to_vec()).collect())
            .unwrap_or_default(),
        Document::Xml(bytes) => crate::adapters::xades::carried_certificates(&bytes),
        Document::Pdf(bytes) => crate::adapters::pades::carried_certificates(&bytes),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON binding.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonContent {
    #[serde(rename = "Content")]
    content: Option<String>,
    #[serde(rename = "CorrelationID")]
    correlation_id: Option<String>,
    #[serde(rename = "Signature")]
    signature: Option<String>,
}

/// `SignedContentType` in JSON: a name (`Hash`, `Pdf`, in any case) or a number (1, 2).
/// Read straight from the input (serde's `untagged` would first copy any value into a generic
/// tree); `null` is handled by the caller as absent.
enum ContentTypeInput {
    Name(String),
    Number(u64),
}

impl<'de> Deserialize<'de> for ContentTypeInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ContentTypeVisitor)
    }
}

struct ContentTypeVisitor;

impl serde::de::Visitor<'_> for ContentTypeVisitor {
    type Value = ContentTypeInput;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hash (1) or Pdf (2)")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ContentTypeInput, E> {
        json::short_string(serde::de::value::StrDeserializer::<E>::new(v)).map(ContentTypeInput::Name)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ContentTypeInput, E> {
        Ok(ContentTypeInput::Number(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ContentTypeInput, E> {
        Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self))
    }

    /// `1.0` is the integer 1 in JSON Schema's eyes; any other number is no content type.
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ContentTypeInput, E> {
        match v {
            1.0 => Ok(ContentTypeInput::Number(1)),
            2.0 => Ok(ContentTypeInput::Number(2)),
            _ => Err(E::invalid_value(serde::de::Unexpected::Float(v), &self)),
        }
    }
}

fn content_type(v: &ContentTypeInput) -> Result<SignedContentType, Invalid> {
    match v {
        ContentTypeInput::Name(s) if s.eq_ignore_ascii_case("Hash") => Ok(SignedContentType::Hash),
        ContentTypeInput::Name(s) if s.eq_ignore_ascii_case("Pdf") => Ok(SignedContentType::Pdf),
        ContentTypeInput::Number(1) => Ok(SignedContentType::Hash),
        ContentTypeInput::Number(2) => Ok(SignedContentType::Pdf),
        _ => Err(invalid("SignedContentType", "Hash (1) or Pdf (2)")),
    }
}

/// The JSON request as [`parse_json_request`] reads it.
#[derive(Default)]
struct JsonRequestBody {
    contents: Option<Vec<JsonContent>>,
    language: Option<String>,
    signed_content_type: Option<ContentTypeInput>,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum JsonField {
    Contents,
    Language,
    SignedContentType,
}

/// Reads a [`JsonRequestBody`], refusing `Contents` item `max_items + 1` before it is read (which
/// sets `over`).
struct JsonRequestSeed<'a> {
    max_items: usize,
    over: &'a Cell<bool>,
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonRequestSeed<'_> {
    type Value = JsonRequestBody;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<JsonRequestBody, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonRequestSeed<'_> {
    type Value = JsonRequestBody;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a VerifySignatures request object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonRequestBody, A::Error> {
        use serde::de::Error;
        let mut body = JsonRequestBody::default();
        let mut seen = HashSet::new();
        while let Some(field) = map.next_key::<JsonField>()? {
            let name = match field {
                JsonField::Contents => "Contents",
                JsonField::Language => "Language",
                JsonField::SignedContentType => "SignedContentType",
            };
            if !seen.insert(name) {
                return Err(A::Error::duplicate_field(name));
            }
            match field {
                JsonField::Contents => {
                    let seq = json::BoundedSeq::new(self.max_items, self.over);
                    body.contents = map.next_value_seed(json::Optional(seq))?;
                }
                JsonField::Language => body.language = map.next_value::<ShortOpt>()?.0,
                JsonField::SignedContentType => body.signed_content_type = map.next_value()?,
            }
        }
        Ok(body)
    }
}

#[derive(Deserialize)]
#[serde(transparent)]
struct ShortOpt(#[serde(deserialize_with = "json::short_opt_string")] Option<String>);

/// Reads a JSON VerifySignatures body (at most `max_items` `Contents`, refused while reading)
/// into the request both bindings share; [`prepare`] then validates it. Synchronous: meant for
/// the blocking pool.
///
/// # Errors
/// [`ApiError::BadRequest`] naming the field (`Contents[0].Signature`, `SignedContentType`,
/// `Contents` when there are too many items).
pub(crate) fn parse_json_request(body: &[u8], max_items: usize) -> Result<RawRequest, ApiError> {
    let over = Cell::new(false);
    let req = json::parse_seed(body, JsonRequestSeed { max_items, over: &over }).map_err(|e| {
        if over.get() {
            json::too_many("Contents", max_items)
        } else {
            e
        }
    })?;
    let signed_content_type = req.signed_content_type.as_ref().map(content_type).transpose()?;
    Ok(RawRequest {
        contents: req.contents.map(|c| {
            c.into_iter()
                .map(|c| RawContent {
                    content: c.content,
                    correlation_id: c.correlation_id,
                    signature: c.signature,
                })
                .collect()
        }),
        language: req.language,
        signed_content_type,
    })
}

/// [`parse_json_request`] and [`prepare`]: the number of items, or the error (fuzzing).
pub(crate) fn check_json_request(body: &[u8], max_items: usize) -> Result<usize, ApiError> {
    let raw = parse_json_request(body, max_items)?;
    Ok(prepare(raw, max_items)?.items.len())
}

async fn json(State(state): State<Arc<AppState>>, body: JsonBody) -> Result<Response, ApiError> {
    let time = now();
    let results = run_blocking::<_, ApiError, _>(&state, move |st, cancel| {
        let raw = parse_json_request(&body.bytes, st.limits.max_batch_items)?;
        let prepared = prepare(raw, st.limits.max_batch_items)?;
        Ok(run(st, &prepared, time, cancel))
    })
    .await?;
    let summary = summary(&results);
    Ok(json_with(VerificationResponse { results }, summary))
}

// ---------------------------------------------------------------------------------------------
// SOAP binding.

async fn wsdl(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let q = query.unwrap_or_default().to_ascii_lowercase();
    let key = q.split(['&', '=']).next().unwrap_or_default();
    if key == "wsdl" || key == "singlewsdl" {
        let wsdl = WSDL.replace(WSDL_ADDRESS_PLACEHOLDER, &escape(&endpoint_address(&state, &headers)));
        ([(header::CONTENT_TYPE, XML_CONTENT_TYPE)], wsdl).into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            "MSign VerifySignatures SOAP 1.1 endpoint: POST here; WSDL at ?wsdl\n",
        )
            .into_response()
    }
}

/// The `soap:address` of the served WSDL: the configured public URL (`--public-url`) and
/// `/msign/soap`, else `http://` (`https://` when the service speaks TLS itself) and the
/// request's `Host` when it is a plain host name or address with an optional port, else the
/// placeholder.
///
/// `X-Forwarded-Proto` and `Forwarded` are not read: any client can send them, and a
/// TLS-terminating proxy that does not strip them would let one client choose the address a
/// shared cache then serves to others. Behind such a proxy, set `--public-url`.
pub fn endpoint_address(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return format!("{}/msign/soap", url.trim_end_matches('/'));
    }
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| is_plain_host(h))
        .map(|h| {
            let scheme = if state.serves_https { "https" } else { "http" };
            format!("{scheme}://{h}/msign/soap")
        })
        .unwrap_or_else(|| WSDL_ADDRESS_PLACEHOLDER.to_string())
}

/// `host[:port]`: a DNS name or IPv4 address (letters, digits, `-`, `.`), or `[` an IPv6
/// address `]`; a port of at most five digits; at most 255 characters. Nothing that XML or a
/// URL would read as markup, a path, user info or a query.
fn is_plain_host(h: &str) -> bool {
    if h.is_empty() || h.len() > 255 {
        return false;
    }
    let (host, port) = match h.rfind(':') {
        Some(i) if !h[i..].contains(']') => (&h[..i], Some(&h[i + 1..])),
        _ => (h, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = match host.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        }
    };
    host_ok && port_ok
}

/// Checks a `--public-url`: `http://` or `https://`, then a plain host as [`endpoint_address`]
/// accepts it, then an optional path of URL-safe characters; the trailing `/` is dropped.
///
/// # Errors
/// What is wrong with the URL.
pub fn parse_public_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the public URL must start with http:// or https://")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !is_plain_host(host) {
        return Err(format!("not a plain host[:port]: {host:?}"));
    }
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b));
    if !path_ok {
        return Err("the path may hold letters, digits and -._~/% only".into());
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// A SOAP 1.1 fault code: one of SOAP's own (`s:Client`, `s:Server`, `s:MustUnderstand`,
/// `s:VersionMismatch`) or a qualified name, as WCF writes a `FaultCode` of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Code {
    Soap(&'static str),
    Qualified { ns: &'static str, name: &'static str },
}

impl Code {
    const INVALID_PARAMETER: Code = Code::Qualified {
        ns: NS,
        name: "InvalidParameter",
    };

    fn name(self) -> &'static str {
        match self {
            Code::Soap(n) | Code::Qualified { name: n, .. } => n,
        }
    }
}

/// A SOAP 1.1 fault, shaped as WCF writes a `FaultException` with a `FaultCode`.
///
/// MSign is a WCF service whose operations declare no `FaultContract` (its generated
/// `Reference.cs` has none): its faults are plain `FaultException`s with a code name
/// (AuthenticationFailed, AuthorizationFailed, InvalidParameter, RequestNotFound) and a
/// reason. WCF writes such a fault in SOAP 1.1 (`MessageFault.WriteTo11`) as the code's
/// subcode if it has one, else the code, as a qualified name declared on `faultcode` itself:
/// `<faultcode xmlns:a="https://msign.gov.md">a:InvalidParameter</faultcode>`, then
/// `<faultstring xml:lang="..">` with the reason, and no `detail` (a detail only comes from a
/// `FaultException<T>` or with `includeExceptionDetailInFaults`, as `ExceptionDetail`). A WCF
/// client reads it back as a `FaultException` whose `Code.Name` is `InvalidParameter`; a
/// `detail` element it has no fault contract for is what it cannot deserialize. zeep gives
/// the `faultcode` text (`a:InvalidParameter`) as `Fault.code`. SOAP's own codes are written
/// as WCF does, with the envelope's prefix: `s:Client`, `s:MustUnderstand`. An unknown action
/// is `a:ActionNotSupported` in the addressing namespace, as WCF's dispatcher answers it.
struct Fault {
    status: StatusCode,
    code: Code,
    string: String,
    /// The transport error behind the fault (for `Retry-After` and `Connection: close`).
    cause: Option<ApiError>,
}

impl Fault {
    fn client(string: impl Into<String>) -> Fault {
        Fault {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: Code::Soap("Client"),
            string: string.into(),
            cause: None,
        }
    }

    fn with_code(self, code: Code) -> Fault {
        Fault { code, ..self }
    }

    /// WCF's answer to an action no operation has (a ContractFilter mismatch).
    fn action_not_supported(addressing: &'static str) -> Fault {
        Fault::client(format!(
            "The message's action cannot be processed here: this endpoint serves \"{SOAP_ACTION}\" only."
        ))
        .with_code(Code::Qualified {
            ns: addressing,
            name: "ActionNotSupported",
        })
    }

    fn must_understand(what: &str) -> Fault {
        Fault::client(format!(
            "The header {what} is marked mustUnderstand and is not understood."
        ))
        .with_code(Code::Soap("MustUnderstand"))
    }
}

impl From<Invalid> for Fault {
    fn from(e: Invalid) -> Fault {
        Fault::client(format!("{}: {}", e.field, e.message)).with_code(Code::INVALID_PARAMETER)
    }
}

impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        let mut body = String::with_capacity(512);
        body.push_str(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>"#);
        match self.code {
            Code::Soap(name) => body.push_str(&format!("<faultcode>s:{name}</faultcode>")),
            Code::Qualified { ns, name } => {
                body.push_str(&format!(r#"<faultcode xmlns:a="{ns}">a:{name}</faultcode>"#))
            }
        }
        body.push_str(&format!(
            r#"<faultstring xml:lang="en">{}</faultstring>"#,
            escape(&self.string)
        ));
        body.push_str("</s:Fault></s:Body></s:Envelope>");
        let mut response = (self.status, [(header::CONTENT_TYPE, XML_CONTENT_TYPE)], body).into_response();
        if let Some(cause) = &self.cause {
            super::decorate(&mut response, cause);
        }
        response
    }
}

impl From<ApiError> for Fault {
    fn from(e: ApiError) -> Fault {
        if matches!(e, ApiError::Internal) {
            tracing::error!("internal error while serving an MSign request");
        }
        let status = e.status();
        match e {
            ApiError::BadRequest { field, message } => Invalid { field, message }.into(),
            e => Fault {
                status,
                code: Code::Soap(if status.is_server_error() { "Server" } else { "Client" }),
                string: e.message(),
                cause: Some(e),
            },
        }
    }
}

async fn soap(State(state): State<Arc<AppState>>, request: Request) -> Response {
    match soap_inner(&state, request).await {
        Ok((xml, summary)) => {
            let mut response = ([(header::CONTENT_TYPE, XML_CONTENT_TYPE)], xml).into_response();
            response.extensions_mut().insert(summary);
            response
        }
        Err(f) => f.into_response(),
    }
}

fn summary(results: &[VerificationResult]) -> Summary {
    results.iter().map(|r| r.verdict).collect()
}

async fn soap_inner(state: &Arc<AppState>, request: Request) -> Result<(String, Summary), Fault> {
    let (parts, body) = request.into_parts();
    let action = parts
        .headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"'));
    if action != Some(SOAP_ACTION) {
        return Err(Fault::action_not_supported(ADDRESSING_NONE));
    }
    match media_type(&parts.headers).as_deref() {
        Some("text/xml") => {}
        Some("application/soap+xml") => {
            return Err(Fault {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ..Fault::client("SOAP 1.2 is not supported; send SOAP 1.1 (text/xml)")
                    .with_code(Code::Soap("VersionMismatch"))
            });
        }
        _ => {
            return Err(Fault {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ..Fault::client("a SOAP 1.1 request must be sent as text/xml")
            });
        }
    }
    let body = read_raw(state, &parts.headers, body).await?;
    let time = now();
    let (results, addressing) = run_blocking::<_, Fault, _>(state, move |st, cancel| {
        let text = std::str::from_utf8(&body.bytes).map_err(|_| Fault::from(invalid("Envelope", "not UTF-8")))?;
        let (raw, addressing) = parse_envelope(text, st.limits.max_batch_items)?;
        let prepared = prepare(raw, st.limits.max_batch_items)?;
        Ok((run(st, &prepared, time, cancel), addressing))
    })
    .await?;
    Ok((response_xml(&results, &addressing), summary(&results)))
}

fn is(node: roxmltree::Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn is_nil(node: roxmltree::Node<'_, '_>) -> bool {
    node.attribute((XSI_NS, "nil"))
        .is_some_and(|v| v.trim() == "true" || v.trim() == "1")
}

fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

/// The text of a simple element (no child elements); `None` when `xsi:nil`.
fn text_of(node: roxmltree::Node<'_, '_>, field: &str) -> Result<Option<String>, Invalid> {
    if is_nil(node) {
        return Ok(None);
    }
    if elements(node).next().is_some() {
        return Err(invalid(field, "must hold text, not elements"));
    }
    Ok(Some(node.children().filter_map(|n| n.text()).collect()))
}

/// Checks that every child element of `parent` is in the MSign namespace, is one of `allowed`
/// and appears at most once (in any order).
fn check_children(parent: roxmltree::Node<'_, '_>, allowed: &[&str], path: &str) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    for child in elements(parent) {
        let name = child.tag_name().name();
        if child.tag_name().namespace() != Some(NS) {
            return Err(invalid(
                format!("{path}.{name}"),
                format!("element not in the {NS} namespace"),
            ));
        }
        if !allowed.contains(&name) {
            return Err(invalid(format!("{path}.{name}"), "unknown element"));
        }
        if !seen.insert(name) {
            return Err(invalid(format!("{path}.{name}"), "given more than once"));
        }
    }
    Ok(())
}

fn child<'a, 'i>(parent: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    elements(parent).find(|n| is(*n, NS, name))
}

/// Parses and validates a VerifySignatures SOAP envelope without verifying anything (the fuzz
/// entry point): the number of items, or the fault string.
pub fn parse_soap_request(text: &str, max_items: usize) -> Result<usize, String> {
    let (raw, _) = parse_envelope(text, max_items).map_err(|f| format!("{}: {}", f.code.name(), f.string))?;
    prepare(raw, max_items)
        .map(|p| p.items.len())
        .map_err(|i| format!("InvalidParameter: {}: {}", i.field, i.message))
}

/// The XML limits of an envelope of at most `max_items` items: 64 elements (and as many
/// attributes) per item and 10,000 more, at most 64 attributes on an element, depth 32 (an
/// envelope is 7 deep). The router's body limit bounds the size.
fn envelope_limits(max_items: usize) -> xml::XmlLimits {
    let elements = max_items.saturating_mul(64).saturating_add(10_000);
    xml::XmlLimits {
        max_bytes: usize::MAX,
        max_depth: 32,
        max_elements: elements,
        max_attributes_per_element: 64,
        max_attributes: elements,
    }
}

/// The envelope as a tree, once the pre-scan has bounded the parser's work (no DTD, no
/// entity, depth, elements and attributes counted). Faults name the limit or the position,
/// never the input's text.
fn parse_xml<'i>(text: &'i str, max_items: usize) -> Result<roxmltree::Document<'i>, Fault> {
    let limits = envelope_limits(max_items);
    xml::check(text, &limits).map_err(|e| Fault::from(invalid("Envelope", e.to_string())))?;
    roxmltree::Document::parse_with_options(text, xml::parsing_options(&limits)).map_err(|e| {
        Fault::from(invalid(
            "Envelope",
            format!("not well-formed XML: {}", xml::describe_parse_error(&e)),
        ))
    })
}

fn parse_envelope(text: &str, max_items: usize) -> Result<(RawRequest, Addressing), Fault> {
    let doc = parse_xml(text, max_items)?;
    let envelope = doc.root_element();
    if envelope.tag_name().name() != "Envelope" {
        return Err(invalid("Envelope", "the root element is not a SOAP Envelope").into());
    }
    match envelope.tag_name().namespace() {
        Some(SOAP_ENV_NS) => {}
        Some(SOAP12_ENV_NS) => {
            return Err(Fault::client("SOAP 1.2 is not supported; send SOAP 1.1 (text/xml)")
                .with_code(Code::Soap("VersionMismatch")));
        }
        _ => return Err(Fault::client("not a SOAP 1.1 envelope").with_code(Code::Soap("VersionMismatch"))),
    }
    let addressing = read_headers(envelope)?;
    let body = elements(envelope)
        .find(|n| is(*n, SOAP_ENV_NS, "Body"))
        .ok_or_else(|| Fault::from(invalid("Body", "missing SOAP Body")))?;
    let mut ops = elements(body);
    let op = match (ops.next(), ops.next()) {
        (Some(op), None) if is(op, NS, "VerifySignatures") => op,
        (Some(op), None) => {
            return Err(Fault::client(format!(
                "unknown operation {{{}}}{}; this endpoint serves {{{NS}}}VerifySignatures",
                op.tag_name().namespace().unwrap_or_default(),
                op.tag_name().name()
            )));
        }
        _ => return Err(invalid("Body", "must hold exactly one VerifySignatures element").into()),
    };
    check_children(op, &["request"], "VerifySignatures")?;
    let request = child(op, "request")
        .filter(|r| !is_nil(*r))
        .ok_or_else(|| Fault::from(invalid("request", "required")))?;
    Ok((parse_request(request, max_items)?, addressing))
}

/// The addressing headers of a request: their namespace, to answer in it, and the
/// `MessageID`, to relate the reply to.
#[derive(Debug, Default)]
struct Addressing {
    ns: Option<&'static str>,
    message_id: Option<String>,
}

fn must_understand(e: roxmltree::Node<'_, '_>) -> bool {
    e.attribute((SOAP_ENV_NS, "mustUnderstand"))
        .is_some_and(|v| matches!(v.trim(), "1" | "true"))
}

/// The SOAP headers meant for this endpoint (SOAP 1.1 4.2.2: no `actor`, or the `next` one);
/// those for another actor are not ours to process. Addressing headers (WCF's
/// `addressing/none` `Action`, WS-Addressing 2004/08 and 1.0) are read by
/// [`read_addressing`]; any other header marked `mustUnderstand` is a `s:MustUnderstand`
/// fault (SOAP 1.1 4.2.3), one that is not is ignored (such as Visual Studio's
/// `VsDebuggerCausalityData`).
fn read_headers(envelope: roxmltree::Node<'_, '_>) -> Result<Addressing, Fault> {
    let mut addressing = Addressing::default();
    for h in elements(envelope).filter(|n| is(*n, SOAP_ENV_NS, "Header")) {
        for e in elements(h) {
            if e.attribute((SOAP_ENV_NS, "actor"))
                .is_some_and(|a| a.trim() != ACTOR_NEXT)
            {
                continue;
            }
            let ns = e.tag_name().namespace().unwrap_or_default();
            match ADDRESSING.iter().find(|a| **a == ns) {
                Some(wsa) => read_addressing(e, wsa, &mut addressing)?,
                None if must_understand(e) => {
                    return Err(Fault::must_understand(&format!("{{{ns}}}{}", e.tag_name().name())));
                }
                None => {}
            }
        }
    }
    Ok(addressing)
}

/// One addressing header. `Action` must be VerifySignatures' (else `ActionNotSupported`, as
/// WCF answers). `To` is understood and not compared (behind a proxy the address the client
/// used is not this server's). `MessageID` is kept for the reply's `RelatesTo`. `ReplyTo` and
/// `FaultTo` must be anonymous: the reply always goes back on the request's connection.
/// `From` and `RelatesTo` carry nothing to act on. Another addressing header marked
/// `mustUnderstand` is not understood.
fn read_addressing(e: roxmltree::Node<'_, '_>, wsa: &'static str, out: &mut Addressing) -> Result<(), Fault> {
    if out.ns.is_some_and(|n| n != wsa) {
        return Err(invalid("Header", "addressing headers of two versions").into());
    }
    out.ns = Some(wsa);
    let name = e.tag_name().name();
    let text = || -> String {
        e.children()
            .filter_map(|n| n.text())
            .collect::<String>()
            .trim()
            .to_string()
    };
    match name {
        "Action" if text() == SOAP_ACTION => Ok(()),
        "Action" => Err(Fault::action_not_supported(wsa)),
        "To" | "From" | "RelatesTo" => Ok(()),
        "MessageID" => {
            let id = text();
            if id.chars().count() > MAX_MESSAGE_ID_CHARS {
                return Err(invalid(
                    "Header.MessageID",
                    format!("longer than {MAX_MESSAGE_ID_CHARS} characters"),
                )
                .into());
            }
            out.message_id = Some(id);
            Ok(())
        }
        "ReplyTo" | "FaultTo" => {
            let address = elements(e).find(|n| is(*n, wsa, "Address")).map(|a| {
                a.children()
                    .filter_map(|n| n.text())
                    .collect::<String>()
                    .trim()
                    .to_string()
            });
            match address {
                Some(a) if !ANONYMOUS.contains(&a.as_str()) => Err(Fault::client(format!(
                    "{name}: only the anonymous address is supported; the reply goes back on the request's connection"
                ))
                .with_code(Code::Qualified {
                    ns: wsa,
                    name: "OnlyAnonymousAddressSupported",
                })),
                _ => Ok(()),
            }
        }
        _ if must_understand(e) => Err(Fault::must_understand(&format!("{{{wsa}}}{name}"))),
        _ => Ok(()),
    }
}

fn parse_request(request: roxmltree::Node<'_, '_>, max_items: usize) -> Result<RawRequest, Invalid> {
    check_children(request, &["Contents", "Language", "SignedContentType"], "request")?;
    let mut raw = RawRequest::default();
    if let Some(lang) = child(request, "Language") {
        raw.language = text_of(lang, "Language")?;
    }
    if let Some(t) = child(request, "SignedContentType") {
        raw.signed_content_type = match text_of(t, "SignedContentType")?.as_deref().map(str::trim) {
            None => None,
            Some("Hash") => Some(SignedContentType::Hash),
            Some("Pdf") => Some(SignedContentType::Pdf),
            Some(_) => return Err(invalid("SignedContentType", "Hash or Pdf")),
        };
    }
    if let Some(contents) = child(request, "Contents").filter(|c| !is_nil(*c)) {
        let mut list = Vec::new();
        for (i, vc) in elements(contents).enumerate() {
            let path = format!("Contents[{i}]");
            if !is(vc, NS, "VerificationContent") {
                return Err(invalid(path, "Contents holds VerificationContent elements only"));
            }
            if list.len() >= max_items {
                let n = elements(contents).count();
                return Err(invalid("Contents", format!("{n} items; at most {max_items}")));
            }
            check_children(vc, &["Content", "CorrelationID", "Signature"], &path)?;
            let field = |name: &str| -> Result<Option<String>, Invalid> {
                match child(vc, name) {
                    Some(n) => text_of(n, &format!("{path}.{name}")),
                    None => Ok(None),
                }
            };
            list.push(RawContent {
                content: field("Content")?,
                correlation_id: field("CorrelationID")?,
                signature: field("Signature")?,
            });
        }
        raw.contents = Some(list);
    }
    Ok(raw)
}

/// XML-escapes text; characters XML 1.0 cannot carry become U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The reply envelope. When the request used addressing, the reply carries the reply action in
/// the same namespace (and `RelatesTo` the request's `MessageID`, in WS-Addressing), as a WCF
/// service writes it.
fn response_xml(results: &[VerificationResult], addressing: &Addressing) -> String {
    let mut x = String::with_capacity(1024 + results.len() * 2048);
    x.push_str(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">"#);
    if let Some(ns) = addressing.ns {
        x.push_str(&format!(
            r#"<s:Header><Action s:mustUnderstand="1" xmlns="{ns}">{REPLY_ACTION}</Action>"#
        ));
        if let Some(id) = addressing.message_id.as_deref().filter(|_| ns != ADDRESSING_NONE) {
            x.push_str(&format!(r#"<RelatesTo xmlns="{ns}">{}</RelatesTo>"#, escape(id)));
        }
        x.push_str("</s:Header>");
    }
    x.push_str("<s:Body>");
    x.push_str(&format!(
        r#"<VerifySignaturesResponse xmlns="{NS}"><VerifySignaturesResult><Results>"#
    ));
    for r in results {
        x.push_str("<VerificationResult>");
        if !r.certificates.is_empty() {
            x.push_str("<Certificates>");
            for c in &r.certificates {
                x.push_str("<VerificationCertificate>");
                x.push_str(&format!("<Certificate>{}</Certificate>", c.certificate));
                x.push_str(&format!("<SignatureValid>{}</SignatureValid>", c.signature_valid));
                if let Some(t) = &c.signed_at {
                    x.push_str(&format!("<SignedAt>{}</SignedAt>", escape(t)));
                }
                x.push_str(&format!("<Subject>{}</Subject>", escape(&c.subject)));
                x.push_str("</VerificationCertificate>");
            }
            x.push_str("</Certificates>");
        }
        if let Some(id) = &r.correlation_id {
            x.push_str(&format!("<CorrelationID>{}</CorrelationID>", escape(id)));
        }
        x.push_str(&format!("<Message>{}</Message>", escape(&r.message)));
        x.push_str(&format!("<SignaturesValid>{}</SignaturesValid>", r.signatures_valid));
        x.push_str("</VerificationResult>");
    }
    x.push_str("</Results></VerifySignaturesResult></VerifySignaturesResponse></s:Body></s:Envelope>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_at_char_boundary() {
        assert_eq!(truncate("ăîșțâ", 3), "ăîș");
        assert_eq!(truncate("abc", 100), "abc");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}");
    }

    fn json_refused(body: &str, max_items: usize) -> (String, String) {
        match check_json_request(body.as_bytes(), max_items) {
            Err(ApiError::BadRequest { field, message }) => (field, message),
            Err(other) => panic!("{body}: not a bad request: {other:?}"),
            Ok(n) => panic!("{body}: accepted {n} items"),
        }
    }

    const HASH: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    #[test]
    fn json_request_fields_are_named() {
        let long_id = "x".repeat(37);
        let cases = [
            (
                format!(r#"{{"Contents": [{{"Content": "{HASH}"}}], "SignedContentType": "Hash"}}"#),
                "Contents[0].Signature",
            ),
            (
                format!(r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "AAAA"}}]}}"#),
                "SignedContentType",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": 3}"#.to_string(),
                "SignedContentType",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": -1}"#.to_string(),
                "SignedContentType",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": [1]}"#.to_string(),
                "SignedContentType",
            ),
            (
                format!(r#"{{"Contents": [{{"Signature": "AAAA"}}], "SignedContentType": "{long_id}{long_id}"}}"#),
                "SignedContentType",
            ),
            (
                r#"{"Contents": [], "SignedContentType": "Hash"}"#.to_string(),
                "Contents",
            ),
            (
                r#"{"Contents": null, "SignedContentType": "Hash"}"#.to_string(),
                "Contents",
            ),
            (r#"{"SignedContentType": "Hash"}"#.to_string(), "Contents"),
            (
                format!(
                    r#"{{"Contents": [{{"Content": "{HASH}", "CorrelationID": "a", "Signature": "AAAA"}}, {{"Content": "{HASH}", "CorrelationID": "a", "Signature": "AAAA"}}], "SignedContentType": "Hash"}}"#
                ),
                "Contents[1].CorrelationID",
            ),
            (
                format!(
                    r#"{{"Contents": [{{"Content": "{HASH}", "CorrelationID": "{long_id}", "Signature": "AAAA"}}], "SignedContentType": "Hash"}}"#
                ),
                "Contents[0].CorrelationID",
            ),
            (
                format!(
                    r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "%%%"}}], "SignedContentType": "Hash"}}"#
                ),
                "Contents[0].Signature",
            ),
            (
                r#"{"Contents": [{"Content": "AAAA", "Signature": "AAAA"}], "SignedContentType": "Hash"}"#.to_string(),
                "Contents[0].Content",
            ),
            (
                format!(
                    r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "AAAA"}}], "SignedContentType": "Pdf"}}"#
                ),
                "Contents[0].Content",
            ),
            (
                format!(
                    r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "AAAA"}}], "SignedContentType": "Hash", "Language": "xx"}}"#
                ),
                "Language",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA", "Other": 1}], "SignedContentType": 2}"#.to_string(),
                "Contents[0].Other",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": 2, "Other": 1}"#.to_string(),
                "Other",
            ),
            (
                r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": 2, "SignedContentType": 2}"#.to_string(),
                "SignedContentType",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(json_refused(&body, 100).0, want, "{body}");
        }
    }

    #[test]
    fn json_content_type_by_name_number_or_absent() {
        for kind in [r#""Hash""#, r#""hash""#, r#""HASH""#, "1"] {
            let body = format!(
                r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "AAAA"}}], "SignedContentType": {kind}}}"#
            );
            assert_eq!(check_json_request(body.as_bytes(), 100).ok(), Some(1), "{body}");
        }
        for kind in [r#""Pdf""#, r#""pdf""#, "2"] {
            let body = format!(
                r#"{{"Contents": [{{"Signature": "AAAA"}}, {{"Signature": "AAAA"}}], "SignedContentType": {kind}}}"#
            );
            assert_eq!(check_json_request(body.as_bytes(), 100).ok(), Some(2), "{body}");
        }
        let body = r#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": null}"#;
        assert_eq!(
            json_refused(body, 100),
            ("SignedContentType".into(), "required: Hash or Pdf".into())
        );
    }

    #[test]
    fn json_contents_are_refused_past_the_limit_before_they_are_read() {
        let body = r#"{"Contents": [{"Signature": "AAAA"}, {"Signature": "AAAA"}, !!!"#;
        assert_eq!(json_refused(body, 2), ("Contents".into(), "more than 2 items".into()));
        let body = r#"{"Contents": [{"Signature": "AAAA"}, {"Signature": "AAAA"}], "SignedContentType": 2}"#;
        assert_eq!(check_json_request(body.as_bytes(), 2).ok(), Some(2));
    }

    fn testdata(path: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(path);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn leaf(dir: &str) -> Vec<u8> {
        x509::Certificate::from_pem_or_der(&testdata(&format!("pki/{dir}/leaf.pem"))).unwrap()[0]
            .der()
            .to_vec()
    }

    /// A state trusting the RSA and P-256 test roots, deployed with a policy that does not
    /// require revocation status (the PDF cases carry none; MSign has no per-request mode).
    fn pdf_state() -> AppState {
        let mut anchors = crate::CertPool::new();
        for dir in ["rsa", "p256"] {
            for c in x509::Certificate::from_pem_or_der(&testdata(&format!("pki/{dir}/root.pem"))).unwrap() {
                anchors.add(Arc::new(c));
            }
        }
        AppState::new(
            anchors,
            crate::CertPool::new(),
            crate::revocation::OcspMode::Off
                .policy(&crate::Policy::default_policy())
                .into_owned(),
            super::super::Limits::default(),
        )
    }

    /// testdata/pdf/cases.tsv validates at this time.
    fn cases_time() -> crate::time::UnixTime {
        crate::time::UnixTime::parse_rfc3339("2026-06-01T00:00:00Z").unwrap()
    }

    fn pdf_item(file: &str) -> VerificationResult {
        let state = pdf_state();
        let cancel = AtomicBool::new(false);
        let item = Item {
            correlation_id: None,
            signature: testdata(&format!("pdf/{file}")),
            digest: None,
        };
        verify_item(&state, &item, Lang::En, &state.context(cases_time(), &cancel))
    }

    fn der(c: &VerificationCertificate) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&c.certificate)
            .unwrap()
    }

    #[test]
    fn pdf_signed_once_is_valid_with_its_signer() {
        let r = pdf_item("pades-rsa.pdf");
        assert!(r.signatures_valid, "{r:?}");
        assert_eq!(r.certificates.len(), 1);
        assert_eq!(der(&r.certificates[0]), leaf("rsa"));
        assert!(r.certificates[0].signature_valid);
        assert!(r.certificates[0].subject.contains("Demo Signer RSA"), "{r:?}");
    }

    #[test]
    fn pdf_signers_come_in_document_order() {
        let r = pdf_item("two-signatures.pdf");
        let ders: Vec<Vec<u8>> = r.certificates.iter().map(der).collect();
        assert_eq!(ders, [leaf("rsa"), leaf("p256")]);
        // The second signature covers the last revision: nothing changed after it.
        assert!(r.certificates[1].signature_valid, "{r:?}");
    }

    #[test]
    fn pdf_changed_after_signing_is_not_valid() {
        let r = pdf_item("shadow-replace.pdf");
        assert!(!r.signatures_valid, "{r:?}");
        assert_eq!(r.certificates.len(), 1);
        assert!(!r.certificates[0].signature_valid);
    }

    #[test]
    fn document_timestamps_are_not_signers_but_count_for_validity() {
        let state = pdf_state();
        let cancel = AtomicBool::new(false);
        let pdf = testdata("pdf/pades-rsa.pdf");
        let mut report = verify(&pdf, Content::None, &state.context(cases_time(), &cancel));
        let mut stamp = report.signatures[0].clone();
        stamp.id = "S1".into();
        stamp.indication = Indication::Indeterminate;
        if let Some(info) = stamp.pdf.as_mut() {
            info.kind = PdfSignatureKind::DocumentTimestamp;
        }
        report.signatures.push(stamp);
        let certs = certificates(&state, &pdf, &report);
        assert_eq!(certs.len(), 1);
        assert_eq!(der(&certs[0]), leaf("rsa"));
        assert!(!signatures_valid(&report));
    }

    #[test]
    fn signed_at_is_the_best_signature_time_never_the_claimed_one() {
        let state = pdf_state();
        let cancel = AtomicBool::new(false);
        let pdf = testdata("pdf/pades-rsa.pdf");
        let mut report = verify(&pdf, Content::None, &state.context(cases_time(), &cancel));
        // The PDF's /M (a claim) is the report's signing time; no time-stamp: no SignedAt.
        assert!(report.signatures[0].signing_time.is_some());
        assert_eq!(certificates(&state, &pdf, &report)[0].signed_at, None);
        report.signatures[0].best_signature_time = Some("2026-01-15T12:05:00Z".into());
        let certs = certificates(&state, &pdf, &report);
        assert_eq!(certs[0].signed_at.as_deref(), Some("2026-01-15T12:05:00Z"));
    }

    #[test]
    fn carried_certificates_of_every_pdf_signature() {
        let carried = carried_certificates(&testdata("pdf/two-signatures.pdf"));
        assert!(carried.contains(&leaf("rsa")));
        assert!(carried.contains(&leaf("p256")));
        assert!(carried_certificates(b"%PDF-1.7\nnot a PDF").is_empty());
    }

    #[test]
    fn subjects_are_rendered_as_dotnet_renders_them() {
        let atv = |oid: u8, tag: u8, v: &str| {
            let mut a = vec![0x06, 0x03, 0x55, 0x04, oid, tag, v.len() as u8];
            a.extend_from_slice(v.as_bytes());
            let mut out = vec![0x30, a.len() as u8];
            out.extend(a);
            out
        };
        let set = |atvs: Vec<Vec<u8>>| {
            let body: Vec<u8> = atvs.concat();
            let mut out = vec![0x31, body.len() as u8];
            out.extend(body);
            out
        };
        let c = set(vec![atv(6, 0x13, "MD")]);
        let person = set(vec![atv(3, 0x0C, "Nume, Prenume"), atv(5, 0x13, "IDNP")]);
        let org = set(vec![atv(97, 0x0C, "NTRMD-1002600000000")]);
        let st = set(vec![atv(8, 0x0C, " Chi\"sinau")]);
        let body = [c, st, org, person].concat();
        let mut name = vec![0x30, body.len() as u8];
        name.extend(body);
        assert_eq!(
            x509::name_to_dotnet_string(&name),
            r#"CN="Nume, Prenume" + SERIALNUMBER=IDNP, OID.2.5.4.97=NTRMD-1002600000000, S=" Chi""sinau", C=MD"#
        );
        assert_eq!(x509::name_to_dotnet_string(b"\x30"), "#30");
    }

    #[test]
    fn public_urls_and_hosts() {
        assert_eq!(
            parse_public_url("https://a.example:8443/x/").as_deref(),
            Ok("https://a.example:8443/x")
        );
        assert!(parse_public_url("https://a.example/x?y").is_err());
        assert!(parse_public_url("javascript:alert(1)").is_err());
        for ok in [
            "a",
            "a.example",
            "a-b.example:1",
            "10.0.0.1:8080",
            "[2001:db8::1]",
            "[::1]:80",
        ] {
            assert!(is_plain_host(ok), "{ok}");
        }
        for bad in [
            "", ":80", "a:", "a:123456", "[::1", "[zz]:80", "a b", "a&b", "a\"b", "a/b", "a@b",
        ] {
            assert!(!is_plain_host(bad), "{bad}");
        }
    }

    #[test]
    fn wsdl_is_xml() {
        let doc = roxmltree::Document::parse(WSDL).expect("WSDL parses");
        assert_eq!(doc.root_element().tag_name().name(), "definitions");
    }
}

//! The native JSON API: `POST /api/v1/verify`, `/api/v1/verify/batch`,
//! `/api/v1/mobileid/verify`, `/api/v1/raw/verify`.

use std::sync::Arc;

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::body::JsonBody;
use super::metrics::{Verdict, json_with};
use super::{ApiError, AppState, json, language, live_deadline, now, run_blocking, run_small};
use crate::crypto::HashAlg;
use crate::revocation::OcspMode;
use crate::time::UnixTime;
use crate::verdict::Report;
use crate::verdict::i18n::{Lang, report_message};
use crate::{Content, verify};

pub(super) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/verify", post(verify_one))
        .route("/api/v1/verify/batch", post(verify_batch))
        .route("/api/v1/raw/verify", post(verify_raw_signature))
        .route("/api/v1/mobileid/verify", post(verify_mobile_id))
        .route("/api/v1/mobileid/verify/soap", post(verify_mobile_id_soap))
}

/// A digest given instead of the content.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HashInput {
    /// `SHA-256`, `SHA-384`, `SHA-512`, `SHA3-256`, `SHA3-384`, `SHA3-512` (also `SHA-1`, `SHA-224`).
    #[serde(deserialize_with = "json::short_string")]
    pub algorithm: String,
    /// Base64 digest.
    pub value: String,
}

/// `POST /api/v1/verify` body.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyRequest {
    /// The signature (CMS, DER or PEM; an XML-DSig/XAdES document; a DigiDoc; an
    /// ASiC-E/ASiC-S container; a signed PDF) or certificate, Base64.
    pub signature: String,
    /// Detached content, Base64.
    pub content: Option<String>,
    /// Detached files of an XML signature, by the names its references use.
    pub files: Option<Vec<NamedFile>>,
    /// Detached content as the text that was displayed and signed.
    pub dtbd: Option<String>,
    /// Detached content given as its digest.
    pub hash: Option<HashInput>,
    /// Validation time, RFC 3339; default now.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub validation_time: Option<String>,
    /// Message language (en, de, fr, it, ro, ru, et); default from Accept-Language, else en.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub language: Option<String>,
    /// OCSP responses (DER, Base64) for the revocation status of the signers' paths, besides
    /// what the signature carries; verified like embedded ones. At most 32.
    pub ocsp_responses: Option<Vec<String>>,
    /// CRLs (DER, Base64), likewise. At most 32.
    pub crls: Option<Vec<String>>,
    /// Revocation checking: `embedded` (default: the policy as configured, from the
    /// information the signature carries and `ocspResponses` / `crls`; the bundled policy
    /// requires the signers' revocation status, else INDETERMINATE / TRY_LATER), `live` (as
    /// `embedded`, and the statuses still lacking are asked of OCSP responders: those the
    /// service is configured with, or hosts on its allow-list (empty by default); the report
    /// then carries a `LIVE_REVOCATION` check) or `off` (not required: the report says
    /// revocation checking was switched off; a revoked certificate still fails).
    #[serde(default)]
    pub ocsp: Option<OcspMode>,
}

/// A detached file given by name.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NamedFile {
    /// The name an XML signature's Reference URI gives it (`document.pdf`).
    #[serde(deserialize_with = "json::short_string")]
    pub name: String,
    /// Its bytes, Base64.
    pub content: String,
}

/// A report with a one-line message in the requested language.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse {
    /// The report (same fields as the CLI's `--format json`).
    #[serde(flatten)]
    pub report: Report,
    /// One-line human verdict.
    pub message: String,
}

/// One verdict as JSON, its summary for the log line and metrics.
fn one(out: VerifyResponse) -> Response {
    let summary = std::iter::once(Verdict::of(&out.report)).collect();
    json_with(out, summary)
}

/// Strict Base64 (RFC 4648 standard alphabet, padded); whitespace (Unicode's) is ignored.
pub(crate) fn b64(field: &str, v: &str) -> Result<Vec<u8>, ApiError> {
    let engine = base64::engine::general_purpose::STANDARD;
    // Text that decodes as it is has no whitespace (none is in the alphabet); other text is
    // decoded without its whitespace.
    engine
        .decode(v)
        .or_else(|_| engine.decode(without_whitespace(v)))
        .map_err(|e| ApiError::bad(field, format!("not Base64: {e}")))
}

/// `v` without whitespace: the runs between whitespace copied whole when `v` is ASCII (an
/// ASCII byte never occurs inside a multi-byte character), else character by character.
fn without_whitespace(v: &str) -> Vec<u8> {
    if v.is_ascii() {
        let mut out = Vec::with_capacity(v.len());
        for run in v.as_bytes().split(|b| (*b as char).is_whitespace()) {
            out.extend_from_slice(run);
        }
        return out;
    }
    v.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .into_bytes()
}

/// The response language; an explicit one that is not [`is_language_tag`] is a 400 naming
/// `field`.
pub(crate) fn checked_language(field: &str, explicit: Option<&str>, headers: &HeaderMap) -> Result<Lang, ApiError> {
    if explicit.is_some_and(|l| !is_language_tag(l)) {
        return Err(ApiError::bad(
            field,
            "supported: en, de, fr, it, ro, ru, et (a region may follow: de-CH)",
        ));
    }
    Ok(language(explicit, headers))
}

/// A supported language as a tag: its code in any case, then subtags of 1 to 8 letters or
/// digits, each after `-` or `_` (`de`, `DE`, `de-CH`, `ro_MD`). The OpenAPI document states
/// this grammar as a pattern.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    Lang::ALL.iter().any(|l| l.code().eq_ignore_ascii_case(primary))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The validation time: an RFC 3339 date-time as given (no surrounding space; an empty string
/// is refused, not taken for "now"), or now when absent or `null`.
pub(crate) fn validation_time(field: &str, v: Option<&str>) -> Result<UnixTime, ApiError> {
    match v {
        Some(s) if s.trim() == s => UnixTime::parse_rfc3339(s).ok_or_else(|| bad_time(field)),
        Some(_) => Err(bad_time(field)),
        None => Ok(now()),
    }
}

fn bad_time(field: &str) -> ApiError {
    ApiError::bad(field, "not an RFC 3339 date-time (2026-01-31T12:00:00Z)")
}

/// Owned detached content.
pub(crate) enum OwnedContent {
    None,
    Data(Vec<u8>),
    Digest(HashAlg, Vec<u8>),
    Files(Vec<(String, Vec<u8>)>),
}

impl OwnedContent {
    pub(crate) fn as_content(&self) -> Content<'_> {
        match self {
            OwnedContent::None => Content::None,
            OwnedContent::Data(d) => Content::Data(d),
            OwnedContent::Digest(a, v) => Content::Digest { alg: *a, value: v },
            OwnedContent::Files(_) => Content::None,
        }
    }
}

pub(crate) fn parse_hash(prefix: &str, h: &HashInput) -> Result<(HashAlg, Vec<u8>), ApiError> {
    let alg = HashAlg::from_name(&h.algorithm)
        .ok_or_else(|| ApiError::bad(format!("{prefix}.algorithm"), "unknown hash algorithm"))?;
    let value = b64(&format!("{prefix}.value"), &h.value)?;
    if value.len() != alg.output_len() {
        return Err(ApiError::bad(
            format!("{prefix}.value"),
            format!("{} bytes; {} has {}", value.len(), alg.name(), alg.output_len()),
        ));
    }
    Ok((alg, value))
}

/// A verification request, validated and decoded.
pub(crate) struct Prepared {
    signature: Vec<u8>,
    content: OwnedContent,
    time: UnixTime,
    lang: Lang,
    ocsp: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    mode: OcspMode,
}

/// Most OCSP responses, and most CRLs, in one request.
pub(crate) const MAX_REVOCATION_ITEMS: usize = 32;

fn revocation_items(field: &str, items: Option<&[String]>) -> Result<Vec<Vec<u8>>, ApiError> {
    let items = items.unwrap_or_default();
    if items.len() > MAX_REVOCATION_ITEMS {
        return Err(ApiError::bad(field, format!("at most {MAX_REVOCATION_ITEMS}")));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| b64(&format!("{field}[{i}]"), v))
        .collect()
}

fn prepare(req: &VerifyRequest, prefix: &str, headers: &HeaderMap) -> Result<Prepared, ApiError> {
    let signature = b64(&format!("{prefix}signature"), &req.signature)?;
    let given = [
        req.content.is_some(),
        req.dtbd.is_some(),
        req.hash.is_some(),
        req.files.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if given > 1 {
        return Err(ApiError::bad(
            format!("{prefix}content"),
            "give at most one of content, dtbd, hash, files",
        ));
    }
    let content = match (&req.content, &req.dtbd, &req.hash, &req.files) {
        (Some(c), _, _, _) => OwnedContent::Data(b64(&format!("{prefix}content"), c)?),
        (_, Some(t), _, _) => OwnedContent::Data(t.as_bytes().to_vec()),
        (_, _, Some(h), _) => {
            let (alg, v) = parse_hash(&format!("{prefix}hash"), h)?;
            OwnedContent::Digest(alg, v)
        }
        (_, _, _, Some(files)) => OwnedContent::Files(named_files(&format!("{prefix}files"), files)?),
        _ => OwnedContent::None,
    };
    Ok(Prepared {
        signature,
        content,
        time: validation_time(&format!("{prefix}validationTime"), req.validation_time.as_deref())?,
        lang: checked_language(&format!("{prefix}language"), req.language.as_deref(), headers)?,
        ocsp: revocation_items(&format!("{prefix}ocspResponses"), req.ocsp_responses.as_deref())?,
        crls: revocation_items(&format!("{prefix}crls"), req.crls.as_deref())?,
        mode: req.ocsp.unwrap_or_default(),
    })
}

/// Most detached files in one request.
pub(crate) const MAX_FILES: usize = 100;

fn named_files(field: &str, files: &[NamedFile]) -> Result<Vec<(String, Vec<u8>)>, ApiError> {
    if files.len() > MAX_FILES {
        return Err(ApiError::bad(field, format!("at most {MAX_FILES} files")));
    }
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        if out.iter().any(|(n, _)| *n == f.name) {
            return Err(ApiError::bad(format!("{field}[{i}].name"), "given twice"));
        }
        out.push((f.name.clone(), b64(&format!("{field}[{i}].content"), &f.content)?));
    }
    Ok(out)
}

pub(crate) fn run(state: &AppState, p: &Prepared, cancel: &AtomicBool, live_until: Instant) -> VerifyResponse {
    use crate::revocation::path::Info;
    let given: Vec<Info<'_>> = p
        .ocsp
        .iter()
        .map(|d| Info::Ocsp(d))
        .chain(p.crls.iter().map(|d| Info::Crl(d)))
        .collect();
    let policy = p.mode.policy(&state.policy);
    let ctx = crate::VerifyContext {
        revocation: &given,
        policy: &policy,
        ..state.context(p.time, cancel)
    };
    let named: Vec<(String, &[u8])> = match &p.content {
        OwnedContent::Files(files) => files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect(),
        _ => Vec::new(),
    };
    let report = state.verify_in_mode(p.mode, live_until, &ctx, |ctx| match &p.content {
        OwnedContent::Files(_) => crate::verify_with_files(&p.signature, &named, ctx),
        other => verify(&p.signature, other.as_content(), ctx),
    });
    let message = report_message(&report, p.lang);
    VerifyResponse { report, message }
}

/// Verify one signature or certificate.
///
/// `signature` is a CMS/CAdES (with `content`, `dtbd` or `hash` when detached), an
/// XML-DSig/XAdES document (with `files` for its detached references), a DigiDoc, an
/// ASiC-E/ASiC-S container, a signed PDF, or an X.509 certificate. A PDF gives one entry in
/// `signatures` per PDF signature or document time-stamp, in document order (the oldest
/// revision first), each with `pdf`: its field, kind, byte range, the revision it covers and
/// every change made after it with the rule that allows or forbids it.
#[utoipa::path(post, path = "/api/v1/verify", request_body = VerifyRequest,
    responses((status = 200, description = "The verdict (whatever the indication)", body = VerifyResponse),
              super::openapi::ErrorResponses))]
pub(crate) async fn verify_one(State(state): State<Arc<AppState>>, body: JsonBody) -> Result<Response, ApiError> {
    let until = live_deadline(&state.limits, Instant::now());
    let out = run_blocking::<_, ApiError, _>(&state, move |st, cancel| {
        let p = parse_verify(&body.bytes, &body.headers)?;
        Ok(run(st, &p, cancel, until))
    })
    .await?;
    Ok(one(out))
}

/// Verify several signatures; results in request order.
#[utoipa::path(post, path = "/api/v1/verify/batch", request_body = Vec<VerifyRequest>,
    responses((status = 200, description = "One verdict per item, in order", body = Vec<VerifyResponse>),
              super::openapi::ErrorResponses))]
pub(crate) async fn verify_batch(State(state): State<Arc<AppState>>, body: JsonBody) -> Result<Response, ApiError> {
    let until = live_deadline(&state.limits, Instant::now());
    let out = run_blocking::<_, ApiError, _>(&state, move |st, cancel| {
        let prepared = parse_verify_batch(&body.bytes, st.limits.max_batch_items, &body.headers)?;
        Ok(prepared.iter().map(|p| run(st, p, cancel, until)).collect::<Vec<_>>())
    })
    .await?;
    let summary = out.iter().map(|r| Verdict::of(&r.report)).collect();
    Ok(json_with(out, summary))
}

/// A signature algorithm: a name, or a name with RSASSA-PSS parameters.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum AlgorithmInput {
    /// `sha256WithRSAEncryption`, `SHA256withRSA`, `SHA256withECDSA`, `SHA256WithECEncryption`
    /// (MID-REST), `rsassa-pss` (Smart-ID; with `signatureAlgorithmParameters`), ...
    Name(String),
    /// `{"name": "RSASSA-PSS", "hash": "SHA-512", "saltLength": 64}` (MGF1 with the same hash,
    /// trailer 0xbc).
    #[serde(rename_all = "camelCase")]
    WithParameters {
        /// Algorithm name.
        name: String,
        /// PSS hash (and MGF1 hash). Required with RSASSA-PSS.
        hash: Option<String>,
        /// PSS salt length in bytes. Required with RSASSA-PSS.
        salt_length: Option<usize>,
    },
}

/// The parameters of [`AlgorithmInput::WithParameters`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AlgorithmParameters {
    #[serde(deserialize_with = "json::short_string")]
    name: String,
    #[serde(default, deserialize_with = "json::short_opt_string")]
    hash: Option<String>,
    #[serde(default, deserialize_with = "json::opt_count")]
    salt_length: Option<usize>,
}

/// An optional [`AlgorithmInput`] read straight from the input: a short string or an object
/// (serde's `untagged` would first copy any value into a generic tree).
fn algorithm<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<AlgorithmInput>, D::Error> {
    d.deserialize_any(AlgorithmVisitor).map(Some)
}

struct AlgorithmVisitor;

impl<'de> serde::de::Visitor<'de> for AlgorithmVisitor {
    type Value = AlgorithmInput;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an algorithm name or {\"name\", \"hash\", \"saltLength\"}")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AlgorithmInput, E> {
        json::short_string(serde::de::value::StrDeserializer::<E>::new(v)).map(AlgorithmInput::Name)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<AlgorithmInput, A::Error> {
        let p = AlgorithmParameters::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(AlgorithmInput::WithParameters {
            name: p.name,
            hash: p.hash,
            salt_length: p.salt_length,
        })
    }
}

/// The signer's certificate: Base64 DER, PEM (a bundle: the signer first, then
/// intermediates), or Smart-ID's `cert` object as it returns it.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CertificateInput {
    /// Base64 DER, or PEM text.
    Text(String),
    /// Smart-ID: `{"value": "<Base64 DER>", "certificateLevel": "QUALIFIED"}` (the level is not
    /// used: the certificate itself says what it is).
    #[serde(rename_all = "camelCase")]
    Object {
        /// Base64 DER.
        value: String,
        /// `ADVANCED`, `QUALIFIED`, `QSCD`.
        #[allow(
            dead_code,
            reason = "read for the schema and the caller; the certificate says what it is"
        )]
        certificate_level: Option<String>,
    },
}

/// Smart-ID's `cert` object.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CertificateObject {
    value: String,
    #[serde(default, deserialize_with = "json::short_opt_string")]
    certificate_level: Option<String>,
}

fn certificate_input<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CertificateInput, D::Error> {
    d.deserialize_any(CertificateVisitor)
}

struct CertificateVisitor;

impl<'de> serde::de::Visitor<'de> for CertificateVisitor {
    type Value = CertificateInput;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Base64 DER or PEM certificate, or {\"value\", \"certificateLevel\"}")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CertificateInput, E> {
        Ok(CertificateInput::Text(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<CertificateInput, E> {
        Ok(CertificateInput::Text(v))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<CertificateInput, A::Error> {
        let c = CertificateObject::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(CertificateInput::Object {
            value: c.value,
            certificate_level: c.certificate_level,
        })
    }
}

/// At most [`MAX_RAW_INTERMEDIATES`](crate::adapters::raw::MAX_RAW_INTERMEDIATES) strings,
/// refused at the next one before it is read.
fn intermediates<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let over = std::cell::Cell::new(false);
    let seq = json::BoundedSeq::<String>::new(crate::adapters::raw::MAX_RAW_INTERMEDIATES, &over);
    serde::de::DeserializeSeed::deserialize(json::Optional(seq), d)
}

/// `POST /api/v1/raw/verify` body: a bare signature value (Smart-ID, Mobiil-ID), given either
/// as the `signature` object the service returned, unchanged, or as `signatureValue` and
/// `signatureAlgorithm` (with `signatureAlgorithmParameters` for RSASSA-PSS).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawVerifyRequest {
    /// The `signature` object of a Smart-ID v3 session-status response (`value`,
    /// `signatureAlgorithm`, `signatureAlgorithmParameters`, ...) or of a MID-REST session
    /// response (`value`, `algorithm`), as returned. Instead of `signatureValue` and
    /// `signatureAlgorithm`.
    pub signature: Option<crate::adapters::raw::ServiceSignature>,
    /// The signature value, Base64 (ECDSA: DER or raw r||s).
    pub signature_value: Option<String>,
    /// The signature algorithm.
    #[serde(default, deserialize_with = "algorithm")]
    pub signature_algorithm: Option<AlgorithmInput>,
    /// The RSASSA-PSS parameters, shaped as Smart-ID returns them: `hashAlgorithm` and
    /// `saltLength` required; `maskGenAlgorithm` (`id-mgf1` with the same hash) and
    /// `trailerField` (`0xbc`) checked when given. Unknown fields are refused.
    pub signature_algorithm_parameters: Option<crate::adapters::raw::PssParameters>,
    /// The signer's certificate: Base64 DER, PEM (a bundle: the signer first, then
    /// intermediates), or Smart-ID's `cert` object (`{"value", "certificateLevel"}`).
    #[serde(deserialize_with = "certificate_input")]
    pub certificate: CertificateInput,
    /// The signer's intermediate certificates (Base64 DER or PEM), for this request's path
    /// only. At most 8, with those of a PEM bundle.
    #[serde(default, deserialize_with = "intermediates")]
    pub intermediates: Option<Vec<String>>,
    /// The signed data, Base64.
    pub data: Option<String>,
    /// The digest of the signed data instead.
    pub hash: Option<HashInput>,
    /// Validation time, RFC 3339; default now.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub validation_time: Option<String>,
    /// Message language.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub language: Option<String>,
    /// Revocation checking of the signer's certificate: `embedded` (default: the policy as
    /// configured; the bundled policy requires revocation status, and a bare signature carries
    /// none, so INDETERMINATE / TRY_LATER), `live` (as `embedded`, the signer's status asked of
    /// an OCSP responder the service is configured with or allows) or `off` (not required; the
    /// report says so).
    #[serde(default)]
    pub ocsp: Option<OcspMode>,
}

/// Verify a bare signature value with the signer's certificate (Smart-ID, Mobiil-ID).
#[utoipa::path(post, path = "/api/v1/raw/verify", request_body = RawVerifyRequest,
    responses((status = 200, description = "The verdict", body = VerifyResponse),
              super::openapi::ErrorResponses))]
pub(crate) async fn verify_raw_signature(
    State(state): State<Arc<AppState>>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let until = live_deadline(&state.limits, Instant::now());
    let out = run_blocking::<_, ApiError, _>(&state, move |st, cancel| {
        let p = parse_raw(&body.bytes, &body.headers)?;
        Ok(run_raw(st, &p, cancel, until))
    })
    .await?;
    Ok(one(out))
}

/// `POST /api/v1/mobileid/verify` body.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MobileIdRequest {
    /// The MSS_SignatureResp or MSS_StatusResp (or Fault) exactly as Mobile ID returned it: the
    /// REST/JSON object (wrapped in its top-level key or not), or a string holding the SOAP
    /// envelope.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    #[serde(deserialize_with = "json::bounded_value")]
    pub response: serde_json::Value,
    /// What the request asked for: `dtbd`, `msisdn`, `apTransId`, `midSerial` (optional).
    pub expected: crate::mobileid::Expected,
    /// Validation time, RFC 3339; default now.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub validation_time: Option<String>,
    /// Message language.
    #[serde(default, deserialize_with = "json::short_opt_string")]
    pub language: Option<String>,
    /// Revocation checking of the signer's certificate: `off` (default: Mobile ID user
    /// certificates are never revoked, and Swisscom advises against revocation checks; the
    /// report says checking was switched off), `embedded` (the policy as configured) or `live`
    /// (as `embedded`, the status asked of an OCSP responder the service is configured with or
    /// allows).
    #[serde(default)]
    pub ocsp: Option<OcspMode>,
}

/// The query parameters of `POST /api/v1/mobileid/verify/soap` (a SOAP body, `text/xml` or
/// `application/soap+xml`): what the request asked for, and the options of
/// [`MobileIdRequest`]. Percent-encoded UTF-8 (`application/x-www-form-urlencoded` rules: `+`
/// is a space), so that any DTBD can be given.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MobileIdQuery {
    /// The DataToBeDisplayed of the request (signed as UTF-8).
    pub dtbd: String,
    /// The MSISDN of the request, in international form.
    pub msisdn: String,
    /// The AP_TransID of the request.
    pub ap_trans_id: String,
    /// The Mobile ID serial number pinned at the user's first signature, if any.
    pub mid_serial: Option<String>,
    /// Validation time, RFC 3339; default now.
    pub validation_time: Option<String>,
    /// Message language.
    pub language: Option<String>,
    /// Revocation checking: `off` (default), `embedded` or `live`.
    pub ocsp: Option<OcspMode>,
}

/// Check a Swisscom Mobile ID MSS_SignatureResp / MSS_StatusResp / Fault, in its REST/JSON form
/// or its SOAP envelope as a string, against the request ([`MobileIdRequest`]).
#[utoipa::path(post, path = "/api/v1/mobileid/verify", request_body = MobileIdRequest,
    responses((status = 200, description = "The verdict", body = VerifyResponse),
              super::openapi::ErrorResponses))]
pub(crate) async fn verify_mobile_id(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    use axum::extract::FromRequest;
    let until = live_deadline(&state.limits, Instant::now());
    let body = JsonBody::from_request(request, &state).await.map_err(|e| match e {
        ApiError::UnsupportedMediaType(_) => ApiError::UnsupportedMediaType(
            "application/json (a SOAP envelope as the body goes to /api/v1/mobileid/verify/soap)",
        ),
        e => e,
    })?;
    let out = run_small::<_, ApiError, _>(&state, body.bytes.len(), move |st, cancel| {
        let p = parse_mobile_id(&body.bytes, &body.headers)?;
        Ok(run_mobile_id(st, &p, cancel, until))
    })
    .await?;
    Ok(one(out))
}

/// Check a Swisscom Mobile ID response given as its SOAP envelope, exactly as Mobile ID
/// returned it (`text/xml` or `application/soap+xml`), against the request given in the query
/// ([`MobileIdQuery`]).
#[utoipa::path(post, path = "/api/v1/mobileid/verify/soap",
    request_body(content(
        (String = "text/xml"),
        (String = "application/soap+xml"),
    )),
    params(MobileIdQuery),
    responses((status = 200, description = "The verdict", body = VerifyResponse),
              super::openapi::ErrorResponses))]
pub(crate) async fn verify_mobile_id_soap(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let until = live_deadline(&state.limits, Instant::now());
    let is_soap =
        super::body::media_type(request.headers()).is_some_and(|m| m == "text/xml" || m == "application/soap+xml");
    if !is_soap {
        return Err(ApiError::UnsupportedMediaType("text/xml or application/soap+xml"));
    }
    let (parts, body) = request.into_parts();
    let body = super::body::read_raw(&state, &parts.headers, body).await?;
    let out = run_small::<_, ApiError, _>(&state, body.bytes.len(), move |st, cancel| {
        let p = parse_mobile_id_soap(&body.bytes, parts.uri.query(), &parts.headers)?;
        Ok(run_mobile_id(st, &p, cancel, until))
    })
    .await?;
    Ok(one(out))
}

// ---------------------------------------------------------------------------------------------
// Bodies read and validated on the blocking pool: each `parse_*` is the handler's work before
// verification, from the body's bytes (bounded JSON, see `json`), and each `run*` the rest.

/// Reads and validates a `POST /api/v1/verify` body; then [`run`].
pub(crate) fn parse_verify(body: &[u8], headers: &HeaderMap) -> Result<Prepared, ApiError> {
    let req: VerifyRequest = json::parse(body)?;
    prepare(&req, "", headers)
}

/// Reads and validates a `POST /api/v1/verify/batch` body (the array streamed, at most
/// `max_items` items); then [`run`] for each.
pub(crate) fn parse_verify_batch(
    body: &[u8],
    max_items: usize,
    headers: &HeaderMap,
) -> Result<Vec<Prepared>, ApiError> {
    let reqs: Vec<VerifyRequest> = json::parse_batch(body, max_items)?;
    reqs.iter()
        .enumerate()
        .map(|(i, r)| prepare(r, &format!("[{i}]."), headers))
        .collect()
}

/// A bare-signature request, validated and decoded.
pub(crate) struct PreparedRaw {
    signature: Vec<u8>,
    scheme: crate::SignatureScheme,
    certificate: Vec<u8>,
    intermediates: Vec<Vec<u8>>,
    content: OwnedContent,
    time: UnixTime,
    lang: Lang,
    mode: OcspMode,
}

/// Reads and validates a `POST /api/v1/raw/verify` body; then [`run_raw`].
pub(crate) fn parse_raw(body: &[u8], headers: &HeaderMap) -> Result<PreparedRaw, ApiError> {
    let req: RawVerifyRequest = json::parse(body)?;
    let (signature, scheme) = signature_of(&req)?;
    let intermediates = req.intermediates.as_deref().unwrap_or_default();
    Ok(PreparedRaw {
        signature,
        scheme,
        certificate: certificate_of(&req.certificate)?,
        intermediates: intermediates
            .iter()
            .enumerate()
            .map(|(i, c)| certificate_text(&format!("intermediates[{i}]"), c))
            .collect::<Result<_, _>>()?,
        content: raw_content(&req)?,
        time: validation_time("validationTime", req.validation_time.as_deref())?,
        lang: checked_language("language", req.language.as_deref(), headers)?,
        mode: req.ocsp.unwrap_or_default(),
    })
}

/// The signature value and its scheme: from the service's `signature` object, or from
/// `signatureValue` and `signatureAlgorithm` (and `signatureAlgorithmParameters`).
fn signature_of(req: &RawVerifyRequest) -> Result<(Vec<u8>, crate::SignatureScheme), ApiError> {
    let loose = req.signature_value.is_some()
        || req.signature_algorithm.is_some()
        || req.signature_algorithm_parameters.is_some();
    match (&req.signature, &req.signature_value, &req.signature_algorithm) {
        (Some(_), ..) if loose => Err(ApiError::bad(
            "signature",
            "give the signature object or signatureValue and signatureAlgorithm, not both",
        )),
        (Some(s), ..) => {
            let scheme = s.scheme().map_err(|e| scheme_error("signature", &e))?;
            Ok((b64("signature.value", &s.value)?, scheme))
        }
        (None, Some(v), Some(alg)) => {
            let scheme = scheme_of(alg, req.signature_algorithm_parameters.as_ref())?;
            Ok((b64("signatureValue", v)?, scheme))
        }
        (None, Some(_), None) => Err(ApiError::bad("signatureAlgorithm", "missing")),
        (None, None, _) => Err(ApiError::bad(
            "signatureValue",
            "give signatureValue and signatureAlgorithm, or the signature object Smart-ID or Mobiil-ID returned",
        )),
    }
}

fn scheme_of(
    alg: &AlgorithmInput,
    params: Option<&crate::adapters::raw::PssParameters>,
) -> Result<crate::SignatureScheme, ApiError> {
    use crate::adapters::raw::{PssParameters, parse_signature_scheme};
    match alg {
        AlgorithmInput::Name(n) => parse_signature_scheme(n, params),
        AlgorithmInput::WithParameters { .. } if params.is_some() => {
            return Err(ApiError::bad(
                "signatureAlgorithmParameters",
                "the parameters are given twice: in signatureAlgorithm and here",
            ));
        }
        AlgorithmInput::WithParameters {
            name,
            hash,
            salt_length,
        } => {
            let given = hash.is_some() || salt_length.is_some();
            let p = given.then(|| PssParameters {
                hash_algorithm: hash.clone(),
                salt_length: *salt_length,
                ..PssParameters::default()
            });
            parse_signature_scheme(name, p.as_ref())
        }
    }
    .map_err(|e| scheme_error("", &e))
}

/// A 400 for a signature algorithm that cannot be used, naming the name or the parameters
/// under `prefix` (`signature`, or none for the top level).
fn scheme_error(prefix: &str, e: &crate::adapters::raw::SchemeError) -> ApiError {
    let field = match (prefix, e.in_parameters()) {
        ("", false) => "signatureAlgorithm".to_string(),
        ("", true) => "signatureAlgorithmParameters".to_string(),
        (p, false) => format!("{p}.signatureAlgorithm"),
        (p, true) => format!("{p}.signatureAlgorithmParameters"),
    };
    ApiError::bad(field, e.to_string())
}

fn certificate_of(c: &CertificateInput) -> Result<Vec<u8>, ApiError> {
    match c {
        CertificateInput::Text(t) => certificate_text("certificate", t),
        CertificateInput::Object { value, .. } => b64("certificate.value", value),
    }
}

/// A certificate given as PEM text (kept as is) or Base64 DER (decoded).
fn certificate_text(field: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    if text.trim_start().starts_with("-----BEGIN") {
        Ok(text.as_bytes().to_vec())
    } else {
        b64(field, text)
    }
}

fn raw_content(req: &RawVerifyRequest) -> Result<OwnedContent, ApiError> {
    match (&req.data, &req.hash) {
        (Some(_), Some(_)) => Err(ApiError::bad("data", "give data or hash, not both")),
        (Some(d), None) => Ok(OwnedContent::Data(b64("data", d)?)),
        (None, Some(h)) => {
            let (alg, v) = parse_hash("hash", h)?;
            Ok(OwnedContent::Digest(alg, v))
        }
        (None, None) => Err(ApiError::bad("data", "give the signed data or its hash")),
    }
}

/// Verifies a [`PreparedRaw`] (blocking).
pub(crate) fn run_raw(state: &AppState, p: &PreparedRaw, cancel: &AtomicBool, live_until: Instant) -> VerifyResponse {
    let policy = p.mode.policy(&state.policy);
    let ctx = crate::VerifyContext {
        policy: &policy,
        ..state.context(p.time, cancel)
    };
    let report = state.verify_in_mode(p.mode, live_until, &ctx, |ctx| {
        crate::adapters::raw::verify_raw_with_intermediates(
            &p.signature,
            &p.scheme,
            &p.certificate,
            &p.intermediates,
            p.content.as_content(),
            ctx,
        )
    });
    let message = report_message(&report, p.lang);
    VerifyResponse { report, message }
}

/// A Mobile ID response as received.
enum MobileIdResponse {
    /// The REST/JSON form (or a JSON string holding the SOAP form).
    Json(serde_json::Value),
    /// The SOAP form, the body of a `text/xml` request.
    Soap(String),
}

/// A Mobile ID request, validated.
pub(crate) struct PreparedMobileId {
    response: MobileIdResponse,
    expected: crate::mobileid::Expected,
    time: UnixTime,
    lang: Lang,
    mode: OcspMode,
}

/// Reads and validates a `POST /api/v1/mobileid/verify` body (the response bounded, see
/// [`json::bounded_value`]); then [`run_mobile_id`].
pub(crate) fn parse_mobile_id(body: &[u8], headers: &HeaderMap) -> Result<PreparedMobileId, ApiError> {
    let req: MobileIdRequest = json::parse(body)?;
    Ok(PreparedMobileId {
        time: validation_time("validationTime", req.validation_time.as_deref())?,
        lang: checked_language("language", req.language.as_deref(), headers)?,
        response: MobileIdResponse::Json(req.response),
        expected: req.expected,
        mode: req.ocsp.unwrap_or(OcspMode::Off),
    })
}

/// Reads and validates a `POST /api/v1/mobileid/verify/soap` request: the body as
/// UTF-8 text (read by the bounded XML reader when checked), the expectations from the query
/// ([`MobileIdQuery`]); then [`run_mobile_id`].
pub(crate) fn parse_mobile_id_soap(
    body: &[u8],
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<PreparedMobileId, ApiError> {
    let q: MobileIdQuery = serde_urlencoded_query(query.unwrap_or(""))?;
    let text = std::str::from_utf8(body).map_err(|_| ApiError::bad("body", "the SOAP body is not UTF-8"))?;
    Ok(PreparedMobileId {
        time: validation_time("validationTime", q.validation_time.as_deref())?,
        lang: checked_language("language", q.language.as_deref(), headers)?,
        response: MobileIdResponse::Soap(text.to_string()),
        expected: crate::mobileid::Expected {
            dtbd: q.dtbd,
            msisdn: q.msisdn,
            ap_trans_id: q.ap_trans_id,
            mid_serial: q.mid_serial,
        },
        mode: q.ocsp.unwrap_or(OcspMode::Off),
    })
}

/// The query parameters of a SOAP Mobile ID request; a missing, unknown or repeated parameter
/// is a 400.
fn serde_urlencoded_query(query: &str) -> Result<MobileIdQuery, ApiError> {
    let uri: axum::http::Uri = format!("/?{query}")
        .parse()
        .map_err(|_| ApiError::bad("query", "malformed query"))?;
    axum::extract::Query::<MobileIdQuery>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::bad("query", e.body_text()))
}

/// Checks a [`PreparedMobileId`] (blocking).
pub(crate) fn run_mobile_id(
    state: &AppState,
    p: &PreparedMobileId,
    cancel: &AtomicBool,
    live_until: Instant,
) -> VerifyResponse {
    let policy = p.mode.policy(&state.policy);
    let ctx = crate::VerifyContext {
        policy: &policy,
        ..state.context(p.time, cancel)
    };
    let report = state.verify_in_mode(p.mode, live_until, &ctx, |ctx| match &p.response {
        MobileIdResponse::Json(v) => crate::mobileid::verify_response(v, &p.expected, ctx),
        MobileIdResponse::Soap(text) => crate::mobileid::verify_soap_response(text, &p.expected, ctx),
    });
    let message = report_message(&report, p.lang);
    VerifyResponse { report, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(v: &str) -> Result<Vec<u8>, String> {
        b64("f", v).map_err(|e| e.message())
    }

    #[test]
    fn base64_ignores_whitespace_and_line_breaks() {
        let want = Ok(b"Many hands make light work.".to_vec());
        for v in [
            "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu",
            "TWFueSBo YW5kcyBt\tYWtlIGxp\nZ2h0IHdv\r\ncmsu",
            "\x0BTWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu\x0C",
            // Unicode whitespace too: no-break space, line separator, ideographic space.
            "TWFueSBo\u{a0}YW5kcyBt\u{2028}YWtlIGxp\u{3000}Z2h0IHdvcmsu",
        ] {
            assert_eq!(decoded(v), want, "{v:?}");
        }
        let long = "QUJD".repeat(100);
        let folded: Vec<&str> = long
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        assert_eq!(decoded(&folded.join("\n")), Ok(b"ABC".repeat(100)));
        assert_eq!(decoded(""), Ok(Vec::new()));
        assert_eq!(decoded(" \n"), Ok(Vec::new()));
    }

    #[test]
    fn base64_refuses_other_characters_at_their_offset() {
        for (v, offset) in [
            ("TW Fu*eSBo", 4),
            ("TWFu-_Bo", 4),
            ("TWFu\u{e9}eSBo", 4),
            ("\u{a0}TWFu\u{e9}eSBo", 4),
        ] {
            let e = decoded(v).unwrap_err();
            assert!(
                e.starts_with("not Base64") && e.contains(&format!("offset {offset}")),
                "{v:?}: {e}"
            );
        }
        assert!(decoded("TWE").is_err());
        assert!(decoded("TQ=").is_err());
        assert!(decoded("TWE=\n=").is_err());
        assert_eq!(decoded("TWE=\n"), Ok(b"Ma".to_vec()));
    }
}

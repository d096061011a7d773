//! `GET /openapi.json`: the OpenAPI 3.1 document of every HTTP endpoint, generated from the code.
//!
//! utoipa derives the paths and schemas of the native API from the request and report types;
//! [`document_for`] then states what the derive cannot, from the same constants the parsers
//! use: formats (`byte`, `date-time`), patterns (language tags, the hash and signature
//! algorithm names the parsers accept), bounds (the running server's batch size, list and
//! field lengths), the rules between fields (one kind of detached content; a digest as long
//! as its algorithm's output), the MSign bindings, `/openapi.json` itself and examples. The
//! schema describes exactly what a request must be to get a verdict: what it forbids gets a
//! 400, never a verdict. Rules no JSON Schema can state (two detached files or two MSign
//! items of one name) are written in the descriptions.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::OpenApi;

use super::{AppState, Limits, json as bounded, msign, native};
use crate::crypto::HashAlg;
use crate::verdict::i18n::Lang;

/// The error body of a 4xx/5xx.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    /// What kind of error.
    #[schema(value_type = String)]
    pub error: String,
    /// JSON path of the offending field (400 only).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The error responses every JSON endpoint may give.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ErrorResponses {
    /// Malformed request.
    #[response(status = 400, description = "Malformed request: the body is not as the schema says")]
    BadRequest(ErrorResponse),
    /// Slow body.
    #[response(status = 408, description = "The body did not arrive at the minimum rate")]
    BodyTimeout(ErrorResponse),
    /// Body too large.
    #[response(status = 413, description = "The body exceeds the limit")]
    TooLarge(ErrorResponse),
    /// Wrong media type.
    #[response(status = 415, description = "The body is not application/json")]
    UnsupportedMediaType(ErrorResponse),
    /// Busy or past the deadline.
    #[response(
        status = 503,
        description = "Busy, or the verification ran past its deadline; retry",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))
    )]
    Unavailable(ErrorResponse),
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sigverify",
        description = "Signature and certificate verification with ETSI EN 319 102-1 verdicts. \
            A verdict is HTTP 200 whatever the indication; a request the schema forbids is a 400 \
            naming the field. Base64 fields (`format: byte`) may also hold whitespace (line \
            breaks of MIME Base64), which is ignored."
    ),
    paths(
        native::verify_one,
        native::verify_batch,
        native::verify_raw_signature,
        native::verify_mobile_id,
        native::verify_mobile_id_soap,
        super::healthz,
        super::readyz,
        super::metrics_text
    ),
    components(schemas(ErrorResponse))
)]
struct ApiDoc;

/// The document for the default [`Limits`].
pub fn document() -> Value {
    document_for(&Limits::default())
}

/// The document for a server with `limits` (its batch size).
pub fn document_for(limits: &Limits) -> Value {
    build(limits).0
}

/// The document, and the schema properties it meant to refine but did not find (empty unless
/// a request type changed without this module).
pub(crate) fn build(limits: &Limits) -> (Value, Vec<String>) {
    let mut doc = Doc {
        v: serde_json::to_value(ApiDoc::openapi()).unwrap_or_default(),
        missing: Vec::new(),
    };
    doc.errors();
    doc.verify(limits);
    doc.raw();
    doc.mobile_id();
    doc.mobile_id_soap();
    doc.report();
    doc.msign_json(limits);
    doc.msign_soap();
    doc.openapi_path();
    doc.examples();
    (doc.v, doc.missing)
}

/// `/openapi.json`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route(
        "/openapi.json",
        get(|State(state): State<Arc<AppState>>| async move { Json(document_for(&state.limits)) }),
    )
}

/// The document being refined.
struct Doc {
    v: Value,
    missing: Vec<String>,
}

impl Doc {
    fn schemas(&mut self) -> &mut Value {
        &mut self.v["components"]["schemas"]
    }

    /// Merges `patch` into property `prop` of schema `name`.
    fn prop(&mut self, name: &str, prop: &str, patch: Value) {
        match self.schemas()[name]["properties"].get_mut(prop) {
            Some(target) => merge(target, patch),
            None => self.missing.push(format!("{name}.{prop}")),
        }
    }

    /// Replaces property `prop` of schema `name` with `schema`.
    fn set_prop(&mut self, name: &str, prop: &str, schema: Value) {
        match self.schemas()[name]["properties"].get_mut(prop) {
            Some(target) => *target = schema,
            None => self.missing.push(format!("{name}.{prop}")),
        }
    }

    /// Merges `patch` into schema `name` itself.
    fn schema(&mut self, name: &str, patch: Value) {
        match self.schemas().get_mut(name) {
            Some(target) => merge(target, patch),
            None => self.missing.push(name.to_string()),
        }
    }

    /// The operation `method` of `path`.
    fn op(&mut self, path: &str, method: &str) -> &mut Value {
        &mut self.v["paths"][path][method]
    }

    fn errors(&mut self) {
        self.prop("ErrorResponse", "error", json!({"enum": super::ApiError::CODES}));
        let paths: Vec<String> = self.v["paths"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for path in paths {
            let Some(op) = self.v["paths"][&path].get_mut("post") else {
                continue;
            };
            if op.get("tags").is_none() {
                op["tags"] = json!(["native"]);
            }
            if let Some(header) = op.pointer_mut("/responses/503/headers/Retry-After") {
                merge(header, json!({"required": true, "schema": {"minimum": 0}}));
            }
        }
    }

    /// `VerifyRequest`, `NamedFile`, `HashInput` and the batch.
    fn verify(&mut self, limits: &Limits) {
        let v = "VerifyRequest";
        self.prop(v, "signature", json!({"format": "byte"}));
        self.prop(v, "content", json!({"format": "byte"}));
        self.prop(v, "files", json!({"maxItems": native::MAX_FILES}));
        self.prop(v, "validationTime", time_schema());
        self.prop(v, "language", language_schema());
        for list in ["ocspResponses", "crls"] {
            let items = json!({"maxItems": native::MAX_REVOCATION_ITEMS, "items": {"format": "byte"}});
            self.prop(v, list, items);
        }
        let one = at_most_one(&["content", "dtbd", "hash", "files"]);
        self.schema(v, json!({"not": one}));
        self.prop(
            "NamedFile",
            "name",
            json!({"maxLength": bounded::MAX_SHORT_FIELD_CHARS}),
        );
        self.prop("NamedFile", "content", json!({"format": "byte"}));
        self.schema("HashInput", hash_input());
        let batch = self
            .op("/api/v1/verify/batch", "post")
            .pointer_mut("/requestBody/content/application~1json/schema");
        match batch {
            Some(schema) => merge(schema, json!({"minItems": 1, "maxItems": limits.max_batch_items})),
            None => self.missing.push("batch request body".into()),
        }
    }

    /// `RawVerifyRequest`, its algorithm and the services' signature objects.
    fn raw(&mut self) {
        let r = "RawVerifyRequest";
        self.set_prop(
            r,
            "signatureValue",
            json!({"type": ["string", "null"], "format": "byte"}),
        );
        self.set_prop(
            r,
            "signatureAlgorithm",
            json!({"$ref": "#/components/schemas/AlgorithmInput"}),
        );
        self.set_prop(r, "certificate", certificate_schema());
        self.prop(r, "data", json!({"format": "byte"}));
        self.prop(r, "validationTime", time_schema());
        self.prop(r, "language", language_schema());
        self.prop(
            r,
            "intermediates",
            json!({"maxItems": crate::adapters::raw::MAX_RAW_INTERMEDIATES, "items": certificate_text_schema()}),
        );
        // Exactly one of data and hash; and one of the three ways to give the signature.
        let one_of_data = json!({"oneOf": [given("data"), given("hash")]});
        self.schema(r, json!({"allOf": [one_of_data, raw_signature_forms()]}));
        self.schema("AlgorithmInput", algorithm_schema());
        self.schema("PssParameters", pss_parameters_schema());
        self.schema("ServiceSignature", service_signature_schema());
    }

    fn mobile_id(&mut self) {
        let m = "MobileIdRequest";
        self.prop(m, "validationTime", time_schema());
        self.prop(m, "language", language_schema());
        let response = json!({
            "oneOf": [
                {
                    "type": "object",
                    "description": "The MSS_SignatureResp or MSS_StatusResp (or Fault) JSON object exactly \
                        as Mobile ID returned it, wrapped in its top-level key or not: at most 10000 JSON \
                        values nested at most 32 deep, no key twice in one object.",
                },
                {
                    "type": "string",
                    "description": "The SOAP envelope exactly as Mobile ID returned it (anything that is \
                        not one is a FORMAT_FAILURE verdict).",
                },
            ],
        });
        self.prop(m, "response", response);
    }

    /// The query of the SOAP form: formats as the handler reads them.
    fn mobile_id_soap(&mut self) {
        let Some(params) = self
            .op("/api/v1/mobileid/verify/soap", "post")
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        else {
            self.missing.push("/api/v1/mobileid/verify/soap parameters".into());
            return;
        };
        for p in params.iter_mut() {
            let patch = match p["name"].as_str() {
                Some("validationTime") => time_schema(),
                Some("language") => language_schema(),
                _ => continue,
            };
            merge(&mut p["schema"], patch);
        }
    }

    /// Formats of the report's times.
    fn report(&mut self) {
        let utc = json!({
            "pattern": "^(?:[0-9]{4,}|-[0-9]{3,})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
            "description": "The validation time used, RFC 3339 in UTC (`Z`); a `validationTime` \
                whose UTC date lies outside the years 0000 to 9999 gives a year of other than four digits.",
        });
        self.prop("Report", "validationTime", utc);
        for (schema, prop) in [
            ("CertInfo", "notBefore"),
            ("CertInfo", "notAfter"),
            ("ChainElement", "notAfter"),
            ("SignatureReport", "bestSignatureTime"),
        ] {
            self.prop(schema, prop, json!({"format": "date-time"}));
        }
    }

    fn msign_json(&mut self, limits: &Limits) {
        for (name, schema) in msign_schemas(limits) {
            self.schemas()[name] = schema;
        }
        let mut op = native_like_operation(
            "MSign VerifySignatures as JSON",
            "The MSign `VerifySignatures` operation with its PascalCase field names (the SOAP \
             binding is `POST /msign/soap`). Each item is verified at the time of the request \
             under the configured policy. `CorrelationID`s must differ between items (else 400).",
            "MSignVerifySignaturesRequest",
            "MSignVerifySignaturesResponse",
        );
        op["tags"] = json!(["msign"]);
        op["operationId"] = json!("msign_verify_signatures");
        let errors = self.op("/api/v1/verify", "post")["responses"].clone();
        merge_errors(&mut op, errors);
        self.v["paths"]["/msign/VerifySignatures"] = json!({"post": op});
    }

    fn msign_soap(&mut self) {
        self.v["paths"]["/msign/soap"] = soap_paths();
    }

    fn openapi_path(&mut self) {
        self.v["paths"]["/openapi.json"] = json!({"get": {
            "tags": ["meta"],
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": {
                "description": "The OpenAPI 3.1 document of the service (its limits as configured)",
                "content": {"application/json": {"schema": {"type": "object"}}}
            }}
        }});
    }

    fn examples(&mut self) {
        for (path, request, response) in examples() {
            let op = self.op(path, "post");
            op["requestBody"]["content"]["application/json"]["example"] = request;
            op["responses"]["200"]["content"]["application/json"]["example"] = response;
        }
    }
}

/// Merges `patch` into `target`: objects key by key, anything else replaced.
fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                merge(t.entry(k).or_insert(Value::Null), v);
            }
        }
        (t, p) => *t = p,
    }
}

/// The 400, 408, 413, 415 and 503 answers of `from` (another JSON operation's responses).
fn merge_errors(op: &mut Value, from: Value) {
    if let Value::Object(responses) = from {
        for (status, answer) in responses.into_iter().filter(|(s, _)| s != "200") {
            op["responses"][status] = answer;
        }
    }
}

fn native_like_operation(summary: &str, description: &str, request: &str, response: &str) -> Value {
    json!({
        "summary": summary,
        "description": description,
        "requestBody": {"required": true, "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{request}")}
        }}},
        "responses": {"200": {
            "description": "One result per item, in order",
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{response}")}}}
        }}
    })
}

/// A `validationTime`: RFC 3339, as `native::validation_time` reads it.
fn time_schema() -> Value {
    json!({
        "format": "date-time",
        "maxLength": bounded::MAX_SHORT_FIELD_CHARS,
        "description": "Validation time, an RFC 3339 date-time (`2026-01-31T12:00:00Z`, \
            `2026-01-31T13:00:00.5+01:00`); absent or null for the time of the request. An empty \
            string is refused (400), not taken for \"now\".",
        "examples": ["2026-01-31T12:00:00Z"],
    })
}

/// The language tags `native::is_language_tag` accepts.
pub(crate) fn language_pattern() -> String {
    format!(
        "^{}(?:[-_][A-Za-z0-9]{{1,8}})*$",
        any_case_choice(Lang::ALL.iter().map(|l| l.code()))
    )
}

fn language_schema() -> Value {
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    json!({
        "pattern": language_pattern(),
        "maxLength": bounded::MAX_SHORT_FIELD_CHARS,
        "description": format!(
            "Message language: {} in any case, optionally with subtags (`de-CH`); absent or null \
             for the best of Accept-Language, else en.",
            codes.join(", ")
        ),
        "examples": ["de", "fr-CH"],
    })
}

/// `(?:[Ee][Nn]|[Dd][Ee]|...)`: one of `words`, ASCII letters in either case.
fn any_case_choice<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let alternatives: Vec<String> = words.map(any_case).collect();
    format!("(?:{})", alternatives.join("|"))
}

fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match c.is_ascii_alphabetic() {
            true => format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()),
            false => regex_escape(c),
        })
        .collect()
}

fn regex_escape(c: char) -> String {
    match c {
        '-' | '.' | '+' | '*' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' | '\\' => {
            format!("\\{c}")
        }
        _ => c.to_string(),
    }
}

/// Every hash algorithm `HashAlg::from_name` knows.
pub(crate) const HASHES: [HashAlg; 8] = HashAlg::ALL;

/// The names `HashAlg::from_name` reads as one of `algs`: the letters and digits of the name
/// in order, letters in either case, with any `-` and `_` around and between them.
pub(crate) fn hash_name_pattern(algs: &[HashAlg]) -> String {
    let names = algs.iter().map(|a| {
        let compact: String = a.name().chars().filter(|c| *c != '-' && *c != '_').collect();
        let parts: Vec<String> = compact.chars().map(|c| any_case(&c.to_string())).collect();
        parts.join("[-_]*")
    });
    format!("^[-_]*(?:{})[-_]*$", names.collect::<Vec<_>>().join("|"))
}

/// Canonical Base64 (padded, zero trailing bits) of exactly `n` bytes.
pub(crate) fn base64_pattern(n: usize) -> String {
    const C: &str = "[A-Za-z0-9+/]";
    let tail = match n % 3 {
        1 => format!("{C}[AQgw]=="),
        2 => format!("{C}{{2}}[AEIMQUYcgkosw048]="),
        _ => String::new(),
    };
    format!("^(?:{C}{{4}}){{{}}}{tail}$", n / 3)
}

/// `HashInput`: one alternative per digest length, so that the value has the algorithm's.
fn hash_input() -> Value {
    let mut lengths: Vec<usize> = HASHES.iter().map(|h| h.output_len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let alternatives: Vec<Value> = lengths
        .into_iter()
        .map(|len| {
            let algs: Vec<HashAlg> = HASHES.iter().copied().filter(|h| h.output_len() == len).collect();
            let names: Vec<&str> = algs.iter().map(|h| h.name()).collect();
            json!({
                "type": "object",
                "title": names.join(", "),
                "required": ["algorithm", "value"],
                "additionalProperties": false,
                "properties": {
                    "algorithm": {"type": "string", "pattern": hash_name_pattern(&algs),
                        "maxLength": bounded::MAX_SHORT_FIELD_CHARS, "examples": names},
                    "value": {"type": "string", "format": "byte", "pattern": base64_pattern(len),
                        "description": format!("The {len}-byte digest, Base64")},
                }
            })
        })
        .collect();
    json!({
        "type": "object",
        "anyOf": alternatives,
        "description": "A digest given instead of the content: `algorithm` (SHA-1, SHA-224, SHA-256, \
            SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512; case, `-` and `_` do not matter) and \
            `value`, the digest in Base64, as long as the algorithm's output.",
        "example": {"algorithm": "SHA-256", "value": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="},
    })
}

/// `certificate` of the raw endpoint: Base64 DER, or PEM text.
/// A certificate as text: Base64 DER or PEM.
fn certificate_text_schema() -> Value {
    json!({"anyOf": [
        {"type": "string", "format": "byte", "title": "DER, Base64"},
        {"type": "string", "pattern": "^[ \t\r\n]*-----BEGIN", "title": "PEM"},
    ]})
}

/// The raw endpoint's `certificate`: text, or Smart-ID's `cert` object.
fn certificate_schema() -> Value {
    let object = json!({"type": "object", "title": "Smart-ID cert object", "required": ["value"],
        "additionalProperties": false, "properties": {
            "value": {"type": "string", "format": "byte"},
            "certificateLevel": {"type": ["string", "null"], "maxLength": bounded::MAX_SHORT_FIELD_CHARS}}});
    let text = certificate_text_schema();
    json!({"anyOf": [text["anyOf"][0], text["anyOf"][1], object]})
}

/// Field `name` given, and not `null`.
fn given(name: &str) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(name.to_string(), json!({"not": {"type": "null"}}));
    json!({"required": [name], "properties": properties})
}

/// None of `names` given (absent or `null`).
fn none_of(names: &[&str]) -> Value {
    json!({"not": {"anyOf": names.iter().map(|n| given(n)).collect::<Vec<_>>()}})
}

/// The three ways a raw request gives its signature: the service's `signature` object; a value
/// with an algorithm name or object; a value with `rsassa-pss` and Smart-ID's parameters.
fn raw_signature_forms() -> Value {
    let pss_name = json!({"properties": {"signatureAlgorithm": {"type": "string", "enum": PSS_NAMES}}});
    let not_pss_name = json!({"properties": {"signatureAlgorithm": {"not": {"type": "string", "enum": PSS_NAMES}}}});
    json!({"oneOf": [
        {"title": "the signature object", "allOf": [given("signature"),
            none_of(&["signatureValue", "signatureAlgorithm", "signatureAlgorithmParameters"])]},
        {"title": "a value and an algorithm", "allOf": [given("signatureValue"), given("signatureAlgorithm"),
            not_pss_name, none_of(&["signature", "signatureAlgorithmParameters"])]},
        {"title": "a value, rsassa-pss and its parameters", "allOf": [given("signatureValue"),
            given("signatureAlgorithm"), given("signatureAlgorithmParameters"), pss_name,
            none_of(&["signature"])]},
    ]})
}

/// The RSASSA-PSS parameters as Smart-ID gives them. The MGF1 hash must also equal
/// `hashAlgorithm` (which a schema cannot say; a different one is a 400).
fn pss_parameters_schema() -> Value {
    let hash = json!({"type": "string", "pattern": hash_name_pattern(&HASHES),
        "maxLength": bounded::MAX_SHORT_FIELD_CHARS});
    json!({
        "required": ["hashAlgorithm", "saltLength"],
        "additionalProperties": false,
        "properties": {
            "hashAlgorithm": hash,
            "saltLength": {"type": "integer", "minimum": 0, "maximum": crate::adapters::raw::MAX_SALT_LEN},
            "maskGenAlgorithm": {"type": ["object", "null"], "required": ["algorithm", "parameters"],
                "additionalProperties": false, "properties": {
                    "algorithm": {"type": "string", "enum": ["id-mgf1", "MGF1", "1.2.840.113549.1.1.8"]},
                    "parameters": {"type": "object", "required": ["hashAlgorithm"],
                        "additionalProperties": false, "properties": {"hashAlgorithm": hash}}}},
            "trailerField": {"type": ["string", "null"], "enum": ["0xbc", "0xBC", null]},
        },
    })
}

/// The `signature` object of Smart-ID (v3 session status) or of MID-REST.
fn service_signature_schema() -> Value {
    let names = signature_algorithm_names();
    let others: Vec<&String> = names.iter().filter(|n| !PSS_NAMES.contains(&n.as_str())).collect();
    json!({
        "required": ["value"],
        "properties": {"value": {"type": "string", "format": "byte"}},
        "oneOf": [
            {"title": "Smart-ID, RSASSA-PSS", "allOf": [given("signatureAlgorithm"),
                given("signatureAlgorithmParameters"), none_of(&["algorithm"]),
                {"properties": {"signatureAlgorithm": {"type": "string", "enum": PSS_NAMES}}}]},
            {"title": "Smart-ID, another algorithm", "allOf": [given("signatureAlgorithm"),
                none_of(&["algorithm", "signatureAlgorithmParameters"]),
                {"properties": {"signatureAlgorithm": {"type": "string", "enum": others}}}]},
            {"title": "MID-REST", "allOf": [given("algorithm"),
                none_of(&["signatureAlgorithm", "signatureAlgorithmParameters"]),
                {"properties": {"algorithm": {"type": "string", "enum": others}}}]},
        ],
    })
}

/// Signature algorithm names of the raw endpoint (`parse_signature_algorithm`).
pub(crate) fn signature_algorithm_names() -> Vec<String> {
    let mut names = Vec::new();
    for h in ["SHA1", "SHA224", "SHA256", "SHA384", "SHA512"] {
        let lower = h.to_ascii_lowercase();
        names.push(format!("{lower}WithRSAEncryption"));
        names.push(format!("{h}withRSA"));
        names.push(format!("{h}withECDSA"));
        names.push(format!("ecdsa-with-{h}"));
    }
    for h in ["SHA256", "SHA384", "SHA512"] {
        names.push(format!("{h}WithECEncryption"));
        names.push(format!("{h}WithRSAEncryption"));
    }
    for bits in ["256", "384", "512"] {
        names.push(format!("SHA3-{bits}withRSA"));
        names.push(format!("SHA3-{bits}withECDSA"));
    }
    names.extend(PSS_NAMES.iter().map(|n| n.to_string()));
    names
}

/// RSASSA-PSS, which needs its parameters (hash and salt length) wherever it is named.
pub(crate) const PSS_NAMES: [&str; 2] = ["RSASSA-PSS", "rsassa-pss"];

fn algorithm_schema() -> Value {
    let names = signature_algorithm_names();
    let hash = json!({"type": "string", "pattern": hash_name_pattern(&HASHES),
        "maxLength": bounded::MAX_SHORT_FIELD_CHARS});
    let salt = json!({"type": "integer", "minimum": 0, "maximum": crate::adapters::raw::MAX_SALT_LEN,
        "description": "PSS salt length in bytes"});
    let others: Vec<&String> = names.iter().filter(|n| !PSS_NAMES.contains(&n.as_str())).collect();
    json!({
        "description": "The signature algorithm: a name (`rsassa-pss` with `signatureAlgorithmParameters`), \
            or an object with the name and, for RSASSA-PSS, its hash (also MGF1's) and salt length.",
        "oneOf": [
            {"type": "string", "enum": names, "title": "name"},
            {"type": "object", "title": "RSASSA-PSS with parameters", "required": ["name", "hash", "saltLength"],
             "additionalProperties": false, "properties": {
                "name": {"type": "string", "enum": PSS_NAMES},
                "hash": hash,
                "saltLength": salt}},
            {"type": "object", "title": "name as an object", "required": ["name"],
             "additionalProperties": false, "properties": {
                "name": {"type": "string", "enum": others},
                "hash": {"type": "null"},
                "saltLength": {"type": "null"}}},
        ],
        "example": {"name": "RSASSA-PSS", "hash": "SHA-512", "saltLength": 64},
    })
}

/// The `not` of: two of `fields` given (not null).
fn at_most_one(fields: &[&str]) -> Value {
    let mut pairs = Vec::new();
    for (i, a) in fields.iter().enumerate() {
        for b in &fields[i + 1..] {
            let non_null = json!({"not": {"type": "null"}});
            let mut properties = serde_json::Map::new();
            properties.insert(a.to_string(), non_null.clone());
            properties.insert(b.to_string(), non_null);
            pairs.push(json!({"required": [a, b], "properties": properties}));
        }
    }
    json!({"anyOf": pairs})
}

/// The JSON binding's schemas, as `msign::parse_json_request` and its `prepare` read a request
/// and as its response is written.
fn msign_schemas(limits: &Limits) -> Vec<(&'static str, Value)> {
    vec![
        ("MSignVerifySignaturesRequest", msign_request(limits)),
        ("MSignVerificationContent", msign_content()),
        ("MSignVerifySignaturesResponse", msign_response()),
        ("MSignVerificationResult", msign_result()),
        ("MSignVerificationCertificate", msign_certificate()),
    ]
}

/// `SignedContentType` `Hash` (`hash`) or `Pdf`.
fn msign_kind(hash: bool) -> Value {
    let (name, number) = if hash { ("Hash", 1) } else { ("Pdf", 2) };
    json!({"anyOf": [
        {"type": "string", "pattern": format!("^{}$", any_case(name))},
        {"type": "integer", "enum": [number]},
    ]})
}

fn msign_request(limits: &Limits) -> Value {
    let digests: Vec<Value> = [20, 32, 48, 64]
        .into_iter()
        .map(|n| json!({"pattern": base64_pattern(n)}))
        .collect();
    let hash_items = json!({"required": ["Content"], "properties": {"Content": {"type": "string", "anyOf": digests}}});
    let pdf_items = json!({"properties": {"Content": {"anyOf": [{"type": "null"}, {"const": ""}]}}});
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    let language = format!(
        "^[ \t\r\n]*(?:{}(?:[-_][\\s\\S]*)?)?[ \t\r\n]*$",
        any_case_choice(codes.iter().copied())
    );
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["Contents", "SignedContentType"],
        "properties": {
            "Contents": {"type": "array", "minItems": 1, "maxItems": limits.max_batch_items,
                "items": {"$ref": "#/components/schemas/MSignVerificationContent"}},
            "Language": {"type": ["string", "null"], "pattern": language,
                "maxLength": bounded::MAX_SHORT_FIELD_CHARS,
                "description": "ro (default, also when empty), ru, en; de, fr, it, et as an extension"},
            "SignedContentType": {"anyOf": [msign_kind(true), msign_kind(false)],
                "description": "`Hash` (1): each `Content` is the SHA-1/256/384/512 hash that was signed \
                    and `Signature` a XAdES (or a detached CMS); `Pdf` (2): `Signature` is the signed PDF \
                    (or an attached CMS) and `Content` absent. Names in any case."},
        },
        "oneOf": [
            {"title": "Hash", "properties": {"SignedContentType": msign_kind(true),
                "Contents": {"items": hash_items}}},
            {"title": "Pdf", "properties": {"SignedContentType": msign_kind(false),
                "Contents": {"items": pdf_items}}},
        ],
    })
}

fn msign_content() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["Signature"],
        "properties": {
            "Content": {"type": ["string", "null"], "format": "byte",
                "description": "With `Hash`: the hash that was signed, Base64 (20, 32, 48 or 64 bytes)"},
            "CorrelationID": {"type": ["string", "null"], "maxLength": msign::MAX_CORRELATION_ID_CHARS,
                "description": "Echoed in the result; unique within the request"},
            "Signature": {"type": "string", "format": "byte", "minLength": 4,
                "description": "The signature (XAdES, PDF, CMS), Base64, not empty"},
        }
    })
}

fn msign_response() -> Value {
    json!({
        "type": "object",
        "required": ["Results"],
        "properties": {"Results": {"type": "array",
            "items": {"$ref": "#/components/schemas/MSignVerificationResult"}}}
    })
}

fn msign_result() -> Value {
    json!({
        "type": "object",
        "required": ["Certificates", "Message", "SignaturesValid"],
        "properties": {
            "Certificates": {"type": "array",
                "items": {"$ref": "#/components/schemas/MSignVerificationCertificate"},
                "description": "One per signature whose signer certificate was found, in order"},
            "CorrelationID": {"type": "string", "maxLength": msign::MAX_CORRELATION_ID_CHARS},
            "Message": {"type": "string", "maxLength": msign::MAX_MESSAGE_CHARS,
                "description": "One-line verdict in the request's language"},
            "SignaturesValid": {"type": "boolean",
                "description": "Every signature (time-stamps included) is TOTAL_PASSED, and there is one"},
        }
    })
}

fn msign_certificate() -> Value {
    json!({
        "type": "object",
        "required": ["Certificate", "SignatureValid", "Subject"],
        "properties": {
            "Certificate": {"type": "string", "format": "byte", "description": "DER, Base64"},
            "SignatureValid": {"type": "boolean"},
            "SignedAt": {"type": "string", "format": "date-time",
                "description": "The time a fully valid signature time-stamp proves"},
            "Subject": {"type": "string", "maxLength": msign::MAX_SUBJECT_CHARS,
                "description": "RFC 4514"},
        }
    })
}

/// `/msign/soap`: the WSDL and the SOAP 1.1 binding.
fn soap_paths() -> Value {
    let xml = |description: &str| {
        json!({"description": description,
        "content": {"text/xml": {"schema": {"type": "string"}}}})
    };
    json!({
        "get": {
            "tags": ["msign"], "operationId": "msign_wsdl", "summary": "The WSDL 1.1 of VerifySignatures",
            "parameters": [{"name": "wsdl", "in": "query", "required": false, "allowEmptyValue": true,
                "schema": {"type": "string"}, "description": "Present (`?wsdl`, or `?singleWsdl`) for the WSDL"}],
            "responses": {
                "200": xml("The WSDL, with its XSD embedded"),
                "404": {"description": "Without `?wsdl`: what the endpoint is",
                    "content": {"text/plain": {"schema": {"type": "string"}}}},
            }
        },
        "post": {
            "tags": ["msign"], "operationId": "msign_soap",
            "summary": "MSign VerifySignatures, SOAP 1.1",
            "description": "Document/literal SOAP 1.1 as the WSDL at `GET /msign/soap?wsdl` describes. \
                Faults are SOAP 1.1 faults with HTTP 500 (`s:Client` with an `InvalidParameter` \
                detail for a malformed request), as SOAP 1.1 requires.",
            "parameters": [{"name": "SOAPAction", "in": "header", "required": true,
                "schema": {"type": "string", "enum": [msign::SOAP_ACTION, format!("\"{}\"", msign::SOAP_ACTION)]}}],
            "requestBody": {"required": true, "content": {"text/xml": {"schema": {"type": "string"}}}},
            "responses": {
                "200": xml("The VerifySignaturesResponse envelope"),
                "408": xml("Fault: the body did not arrive at the minimum rate"),
                "413": xml("Fault: the body exceeds the limit"),
                "415": xml("Fault: not text/xml (SOAP 1.2 gets s:VersionMismatch)"),
                "500": xml("SOAP fault: a malformed request (s:Client) or a failure inside (s:Server)"),
                "503": {"description": "Fault: busy, or past the deadline; retry",
                    "headers": {"Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 0}}},
                    "content": {"text/xml": {"schema": {"type": "string"}}}},
            }
        }
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The demo signature of the README (RSA, attached content).
const DEMO_SIGNATURE: &[u8] = include_bytes!("../../testdata/demo/demo-rsa.p7m");
/// A Mobile ID status response: the signature is not ready yet.
const MOBILE_ID_STATUS: &str = include_str!("../../testdata/mobileid/status-504.json");
/// Requests' answers as the service gives them (`tests/openapi.rs` checks them).
const RESPONSE_EXAMPLES: &str = include_str!("openapi_examples.json");

/// (path, request, response) of every JSON verification endpoint.
pub(crate) fn examples() -> Vec<(&'static str, Value, Value)> {
    let answers: Value = serde_json::from_str(RESPONSE_EXAMPLES).unwrap_or_default();
    let verify = json!({"signature": b64(DEMO_SIGNATURE), "validationTime": "2026-06-01T00:00:00Z",
        "language": "en", "ocsp": "off"});
    let mobile: Value = serde_json::from_str(MOBILE_ID_STATUS).unwrap_or_default();
    vec![
        ("/api/v1/verify", verify.clone(), answers["verify"].clone()),
        ("/api/v1/verify/batch", json!([verify]), answers["batch"].clone()),
        ("/api/v1/raw/verify", raw_example(), answers["raw"].clone()),
        (
            "/api/v1/mobileid/verify",
            json!({"response": mobile, "validationTime": "2026-01-15T12:00:00Z",
            "expected": {"dtbd": "Login to Demo Bank?", "msisdn": "+41700092502", "apTransId": "REF-SIGVERIFY-0001"}}),
            answers["mobileid"].clone(),
        ),
        (
            "/msign/VerifySignatures",
            json!({"Contents": [{"Signature": b64(DEMO_SIGNATURE),
            "CorrelationID": "demo-1"}], "SignedContentType": "Pdf", "Language": "en"}),
            answers["msign"].clone(),
        ),
    ]
}

fn raw_example() -> Value {
    json!({
        "signatureValue": b64(include_bytes!("../../testdata/raw/p256-sha256.raw.sig")),
        "signatureAlgorithm": "SHA256withECDSA",
        "certificate": include_str!("../../testdata/pki/p256/leaf.pem"),
        "data": b64(include_bytes!("../../testdata/raw/challenge.bin")),
        "validationTime": "2026-06-01T00:00:00Z",
        "ocsp": "off",
    })
}

#[cfg(test)]
mod tests {
    use crate::verdict::{Format, SubIndication};

    #[test]
    fn every_refinement_finds_its_target() {
        let (_, missing) = super::build(&super::Limits::default());
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn the_document_lists_every_format_and_sub_indication() {
        let doc = super::document();
        let schemas = &doc["components"]["schemas"];
        let values = |name: &str| -> Vec<String> {
            schemas[name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is not an enum schema: {}", schemas[name]))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let formats: Vec<String> = Format::ALL.iter().map(|f| f.as_str().to_string()).collect();
        assert_eq!(values("Format"), formats);
        let subs: Vec<String> = SubIndication::ALL.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(values("SubIndication"), subs);
        assert!(schemas["MobileIdStatus"].is_object(), "{schemas}");
    }

    #[test]
    fn the_document_offers_the_revocation_modes() {
        let doc = super::document();
        let schemas = &doc["components"]["schemas"];
        let names: Vec<&str> = crate::revocation::OcspMode::NAMES.to_vec();
        assert_eq!(schemas["OcspMode"]["enum"], serde_json::json!(names), "{schemas}");
        for request in ["VerifyRequest", "RawVerifyRequest", "MobileIdRequest"] {
            let ocsp = &schemas[request]["properties"]["ocsp"];
            assert!(
                ocsp.to_string().contains("#/components/schemas/OcspMode"),
                "{request}.ocsp: {ocsp}"
            );
        }
    }

    #[test]
    fn the_document_describes_pdf_signatures() {
        let doc = super::document();
        let schemas = &doc["components"]["schemas"];
        let pdf = &schemas["SignatureReport"]["properties"]["pdf"];
        assert!(
            pdf.to_string().contains("#/components/schemas/PdfSignatureInfo"),
            "{pdf}"
        );
        let info = &schemas["PdfSignatureInfo"]["properties"];
        for key in [
            "fieldName",
            "kind",
            "byteRange",
            "revision",
            "revisions",
            "coversWholeRevision",
        ] {
            assert!(info[key].is_object(), "PdfSignatureInfo.{key}: {info}");
        }
        assert!(
            info["changesAfter"]
                .to_string()
                .contains("#/components/schemas/PdfChange"),
            "{info}"
        );
        let change = &schemas["PdfChange"]["properties"];
        for key in ["revision", "object", "change", "rule", "allowed"] {
            assert!(change[key].is_object(), "PdfChange.{key}: {change}");
        }
        let verify = &doc["paths"]["/api/v1/verify"]["post"]["description"];
        assert!(verify.as_str().is_some_and(|d| d.contains("signed PDF")), "{verify}");
        let kinds = &schemas["PdfSignatureKind"]["enum"];
        assert_eq!(
            *kinds,
            serde_json::json!(["APPROVAL", "CERTIFICATION", "DOCUMENT_TIMESTAMP"])
        );
    }
}

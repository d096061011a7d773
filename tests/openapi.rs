//! `GET /openapi.json`: a well-formed OpenAPI 3.1 document that covers every route of the
//! router, whose examples are real (each request example, sent to the router, gives the
//! documented answer), and whose schemas hold for real responses.
//!
//! The full OpenAPI 3.1 meta-schema check and the property-based run against the schema are
//! schemathesis's, in `.ci/run`. `SIGVERIFY_UPDATE_OPENAPI_EXAMPLES=1 cargo test --test openapi`
//! rewrites `src/api/openapi_examples.json` from the router's answers.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::{Value, json};
use sigverify::Policy;
use sigverify::api::{AppState, Limits, router};
use tower::ServiceExt;

fn state(limits: Limits) -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&[t.join("demo/anchors"), t.join("pki/p256/root.pem")]);
    let intermediates = load_pool(&[t.join("demo/intermediates"), t.join("pki/p256/ica.pem")]);
    Arc::new(AppState::new(anchors, intermediates, Policy::default_policy(), limits))
}

/// Sends one request to a fresh router; the status and the body (JSON when it is).
async fn send(limits: Limits, method: &str, uri: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type)
        .header("soapaction", sigverify::api::msign::SOAP_ACTION)
        .body(Body::from(body))
        .unwrap();
    let resp = router(state(limits)).oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

async fn post(uri: &str, body: &Value) -> (u16, Value) {
    send(
        Limits::default(),
        "POST",
        uri,
        "application/json",
        body.to_string().into_bytes(),
    )
    .await
}

async fn document(limits: Limits) -> Value {
    let (status, doc) = send(limits, "GET", "/openapi.json", "application/json", Vec::new()).await;
    assert_eq!(status, 200);
    doc
}

/// The file of the verification page for people (`GET /` and its script, style and labels):
/// HTML and assets for a browser, not API operations, so not in the API's document (its own
/// tests are in that file and in `tests/page.rs`).
const PAGE_SOURCE: &str = "page.rs";

/// Every `(method, path)` the router serves, as written in `src/api` (`.route("/path",
/// get(..).post(..))`), but the page's.
fn routed() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(repo().join("src/api")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") || path.file_name().is_some_and(|n| n == PAGE_SOURCE) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices(".route(") {
            let args = call_arguments(&text[i + ".route".len()..]);
            let Some(route) = args.split('"').nth(1) else { continue };
            for method in ["get", "post", "put", "delete", "patch"] {
                let called = args
                    .match_indices(&format!("{method}("))
                    .any(|(j, _)| !args[..j].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
                if called {
                    out.insert((method.to_string(), route.to_string()));
                }
            }
        }
    }
    out
}

/// The text inside the parentheses that open `s`.
fn call_arguments(s: &str) -> &str {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => return &s[1..i],
            ')' => depth -= 1,
            _ => {}
        }
    }
    s
}

fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_served() {
    let doc = document(Limits::default()).await;
    let routes = routed();
    assert!(routes.len() >= 10, "the route scan found too little: {routes:?}");
    assert_eq!(
        routes,
        documented(&doc),
        "router (left) and /openapi.json (right) differ"
    );
    for (method, path) in &routes {
        let uri = if path == "/msign/soap" && method == "get" {
            "/msign/soap?wsdl".to_string()
        } else {
            path.clone()
        };
        let (status, body) = send(
            Limits::default(),
            &method.to_uppercase(),
            &uri,
            "application/json",
            b"{}".to_vec(),
        )
        .await;
        assert!(![404, 405].contains(&status), "{method} {path}: {status} {body}");
        let documented = &doc["paths"][path][method]["responses"][status.to_string()];
        assert!(documented.is_object(), "{method} {path}: {status} is not documented");
    }
}

#[tokio::test]
async fn the_page_for_people_is_served_and_left_out_of_the_document() {
    let doc = document(Limits::default()).await;
    let (status, body) = send(Limits::default(), "GET", "/", "text/html", Vec::new()).await;
    assert_eq!(status, 200);
    assert!(
        body.as_str().is_some_and(|html| html.starts_with("<!DOCTYPE html>")),
        "{body}"
    );
    let paths = doc["paths"].as_object().unwrap();
    assert!(
        paths.keys().all(|p| p != "/" && !p.starts_with("/page/")),
        "{:?}",
        paths.keys()
    );
}

#[tokio::test]
async fn the_document_is_well_formed_openapi_3_1() {
    let doc = document(Limits::default()).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with('/'), "{path}");
        for (method, op) in item.as_object().unwrap() {
            assert!(["get", "post"].contains(&method.as_str()), "{method} {path}");
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} twice");
            let responses = op["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path}");
            for (status, answer) in responses {
                assert!(status.len() == 3 && status.parse::<u16>().is_ok(), "{path}: {status}");
                assert!(answer["description"].is_string(), "{method} {path} {status}");
            }
            if method == "post" {
                assert!(op["requestBody"]["content"].is_object(), "{path}");
            }
        }
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 20);
    for r in refs {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn json_endpoints_document_their_errors_and_limits() {
    let limits = Limits {
        max_batch_items: 7,
        ..Limits::default()
    };
    let doc = document(limits).await;
    for path in [
        "/api/v1/verify",
        "/api/v1/verify/batch",
        "/api/v1/raw/verify",
        "/api/v1/mobileid/verify",
        "/msign/VerifySignatures",
    ] {
        let responses = &doc["paths"][path]["post"]["responses"];
        for status in ["200", "400", "408", "413", "415", "503"] {
            assert!(responses[status].is_object(), "{path} lacks {status}");
        }
        let retry = &responses["503"]["headers"]["Retry-After"];
        assert_eq!(retry["required"], true, "{path}: {retry}");
        assert!(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"].is_object()
                || doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"].is_array()
        );
    }
    let batch = &doc["paths"]["/api/v1/verify/batch"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(batch["maxItems"], 7, "{batch}");
    let contents = &doc["components"]["schemas"]["MSignVerifySignaturesRequest"]["properties"]["Contents"];
    assert_eq!(contents["maxItems"], 7, "{contents}");
}

#[tokio::test]
async fn enums_and_formats_are_stated() {
    let doc = document(Limits::default()).await;
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["Indication"]["enum"],
        json!(["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"])
    );
    let codes: Vec<&str> = sigverify::verdict::CheckCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(s["CheckCode"]["enum"], json!(codes));
    assert_eq!(s["OcspMode"]["enum"], json!(["off", "embedded", "live"]));
    assert_eq!(s["VerifyRequest"]["properties"]["signature"]["format"], "byte");
    assert_eq!(
        s["VerifyRequest"]["properties"]["validationTime"]["format"],
        "date-time"
    );
    assert_eq!(
        s["RawVerifyRequest"]["properties"]["validationTime"]["format"],
        "date-time"
    );
    assert_eq!(s["CertInfo"]["properties"]["notAfter"]["format"], "date-time");
    assert_eq!(
        s["ErrorResponse"]["properties"]["error"]["enum"],
        json!(sigverify::api::ApiError::CODES)
    );
    let pattern = s["VerifyRequest"]["properties"]["language"]["pattern"]
        .as_str()
        .unwrap();
    for code in ["en", "de", "fr", "it", "ro", "ru", "et"] {
        assert!(pattern.contains(&any_case(code)), "{code}: {pattern}");
    }
    // Each signature algorithm name the document offers is one the raw endpoint reads.
    let names = s["AlgorithmInput"]["oneOf"][0]["enum"].as_array().unwrap();
    assert!(names.len() > 20);
    for name in names {
        let name = name.as_str().unwrap();
        // RSASSA-PSS is offered only with its parameters.
        let pss = name.eq_ignore_ascii_case("rsassa-pss");
        let (hash, salt) = if pss { (Some("SHA-256"), Some(32)) } else { (None, None) };
        assert!(sigverify::parse_signature_algorithm(name, hash, salt).is_ok(), "{name}");
        assert_eq!(
            sigverify::parse_signature_algorithm(name, None, None).is_ok(),
            !pss,
            "{name}"
        );
    }
    assert!(sigverify::parse_signature_algorithm("", None, None).is_err());
}

fn any_case(code: &str) -> String {
    code.chars()
        .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c))
        .collect()
}

/// Requests the document forbids get a 400; the ones it allows, a verdict.
#[tokio::test]
async fn the_service_refuses_what_the_schema_forbids() {
    let sig = "AAAA";
    for (uri, body, field) in [
        (
            "/api/v1/verify",
            json!({"signature": sig, "language": "xx"}),
            "language",
        ),
        ("/api/v1/verify", json!({"signature": sig, "language": ""}), "language"),
        (
            "/api/v1/verify",
            json!({"signature": sig, "language": " de"}),
            "language",
        ),
        (
            "/api/v1/verify",
            json!({"signature": sig, "validationTime": ""}),
            "validationTime",
        ),
        (
            "/api/v1/verify",
            json!({"signature": sig, "validationTime": " 2026-01-01T00:00:00Z"}),
            "validationTime",
        ),
        (
            "/api/v1/verify",
            json!({"signature": sig, "content": "AAAA", "dtbd": "x"}),
            "content",
        ),
        (
            "/api/v1/verify",
            json!({"signature": sig, "hash": {"algorithm": "SHA-256", "value": "AAAA"}}),
            "hash.value",
        ),
        (
            "/api/v1/mobileid/verify",
            json!({"response": [null, null], "expected": {"dtbd": "d", "msisdn": "+41", "apTransId": "t"}}),
            "response",
        ),
    ] {
        let (status, v) = post(uri, &body).await;
        assert_eq!(status, 400, "{body}: {v}");
        assert_eq!(v["field"], field, "{body}: {v}");
        assert_eq!(v["error"], "bad_request");
    }
    for language in ["de", "DE", "de-CH", "ro_MD", "fr-latn-CH"] {
        let (status, v) = post("/api/v1/verify", &json!({"signature": sig, "language": language})).await;
        assert_eq!(status, 200, "{language}: {v}");
    }
    for time in [
        "2026-01-31T12:00:00Z",
        "2026-01-31t13:00:00.5+01:00",
        "9999-12-31T23:59:59-23:59",
    ] {
        let (status, v) = post("/api/v1/verify", &json!({"signature": sig, "validationTime": time})).await;
        assert_eq!(status, 200, "{time}: {v}");
    }
    let (status, v) = post(
        "/api/v1/verify",
        &json!({"signature": sig, "hash": {"algorithm": "s_h-a3-256", "value": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn the_examples_are_real() {
    let doc = document(Limits::default()).await;
    let mut answers = serde_json::Map::new();
    for (key, path) in [
        ("verify", "/api/v1/verify"),
        ("batch", "/api/v1/verify/batch"),
        ("raw", "/api/v1/raw/verify"),
        ("mobileid", "/api/v1/mobileid/verify"),
        ("msign", "/msign/VerifySignatures"),
    ] {
        let op = &doc["paths"][path]["post"];
        let request = &op["requestBody"]["content"]["application/json"]["example"];
        let (status, answer) = post(path, request).await;
        assert_eq!(status, 200, "{path}: {answer}");
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        conforms(&doc, schema, &answer, path);
        let example = &op["responses"]["200"]["content"]["application/json"]["example"];
        if std::env::var_os("SIGVERIFY_UPDATE_OPENAPI_EXAMPLES").is_none() {
            conforms(&doc, schema, example, path);
            // The verdicts agree; details (messages, check texts) may have moved on since.
            assert_eq!(
                verdict(example),
                verdict(&answer),
                "{path}: the documented answer is not the router's"
            );
        }
        answers.insert(key.to_string(), answer);
    }
    if std::env::var_os("SIGVERIFY_UPDATE_OPENAPI_EXAMPLES").is_some() {
        let text = serde_json::to_string_pretty(&Value::Object(answers)).unwrap() + "\n";
        std::fs::write(repo().join("src/api/openapi_examples.json"), text).unwrap();
    }
}

/// What an answer concludes: format, indication and sub-indication of each report; validity
/// and correlation of each MSign result.
fn verdict(answer: &Value) -> Vec<Value> {
    match answer {
        Value::Array(items) => items.iter().flat_map(verdict).collect(),
        _ if answer["Results"].is_array() => answer["Results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                json!([
                    r["SignaturesValid"],
                    r["CorrelationID"],
                    r["Certificates"].as_array().map(Vec::len)
                ])
            })
            .collect(),
        _ => vec![json!([answer["format"], answer["indication"], answer["subIndication"]])],
    }
}

/// Checks `value` against `schema` (the keywords the document uses, formats and patterns left
/// to schemathesis); panics naming `at`.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        return conforms(doc, doc.pointer(r.strip_prefix('#').unwrap()).unwrap(), value, at);
    }
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            other => vec![other.as_str().unwrap()],
        };
        assert!(names.iter().any(|t| has_type(value, t)), "{at}: {value} is not {types}");
    }
    if let Some(values) = schema["enum"].as_array() {
        assert!(values.contains(value), "{at}: {value} not in {schema}");
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = schema[key].as_array() {
            let ok = list.iter().filter(|s| try_conforms(doc, s, value)).count();
            let good = match key {
                "allOf" => ok == list.len(),
                "anyOf" => ok > 0,
                _ => ok == 1,
            };
            assert!(good, "{at}: {key} of {} holds {ok} times for {value}", list.len());
        }
    }
    match value {
        Value::Object(map) => object_conforms(doc, schema, map, at),
        Value::Array(items) => {
            if let Some(n) = schema["maxItems"].as_u64() {
                assert!(items.len() as u64 <= n, "{at}: more than {n} items");
            }
            for (i, item) in items.iter().enumerate() {
                if schema["items"].is_object() {
                    conforms(doc, &schema["items"], item, &format!("{at}[{i}]"));
                }
            }
        }
        Value::String(s) => {
            if let Some(n) = schema["maxLength"].as_u64() {
                assert!(s.chars().count() as u64 <= n, "{at}: longer than {n}");
            }
        }
        _ => {}
    }
}

fn object_conforms(doc: &Value, schema: &Value, map: &serde_json::Map<String, Value>, at: &str) {
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap();
        assert!(map.contains_key(name), "{at}: no {name}");
    }
    let properties = schema["properties"].as_object();
    for (key, v) in map {
        match properties.and_then(|p| p.get(key)) {
            Some(s) => conforms(doc, s, v, &format!("{at}.{key}")),
            None => assert!(schema["additionalProperties"] != false, "{at}: {key} is not allowed"),
        }
    }
}

fn try_conforms(doc: &Value, schema: &Value, value: &Value) -> bool {
    let (doc, schema, value) = (doc.clone(), schema.clone(), value.clone());
    std::panic::catch_unwind(move || conforms(&doc, &schema, &value, "")).is_ok()
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => panic!("unknown type {t}"),
    }
}

//! The HTTP service over a real loopback socket (reqwest) and in process (`oneshot`).

mod common;

use std::sync::Arc;

use base64::Engine;
use common::*;
use serde_json::{Value, json};
use sigverify::Policy;
use sigverify::api::{AppState, Limits, router};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn testdata(p: &str) -> Vec<u8> {
    read(&repo().join("testdata").join(p))
}

fn state(limits: Limits) -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&[
        t.join("pki/rsa/root.pem"),
        t.join("pki/pss/root.pem"),
        t.join("pki/p256/root.pem"),
    ]);
    // Intermediates configured as a deployment would (raw signatures carry only the leaf).
    let intermediates = load_pool(&[
        t.join("pki/rsa/ica.pem"),
        t.join("pki/pss/ica.pem"),
        t.join("pki/p256/ica.pem"),
    ]);
    Arc::new(AppState::new(anchors, intermediates, Policy::default_policy(), limits))
}

/// Starts the real server on a loopback port; returns its base URL.
async fn serve(limits: Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state(limits));
    tokio::spawn(async move { serve_app(listener, app).await });
    format!("http://{addr}")
}

/// The real connection loop with its default timers.
async fn serve_app(listener: tokio::net::TcpListener, app: axum::Router) {
    let config = sigverify::api::server::ServerConfig::default();
    sigverify::api::server::serve(listener, app, config, std::future::pending())
        .await
        .unwrap();
}

async fn post(url: &str, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new().post(url).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn health_and_readiness() {
    let base = serve(Limits::default()).await;
    let r = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
    let r = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["trustAnchors"], 3);
    assert_eq!(v["earliestAnchorExpiry"], "2050-01-01T00:00:00Z");
}

#[tokio::test]
async fn verify_gives_the_cli_report_plus_a_message() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    // The report's shape is the subject: verified without revocation checking.
    let body = json!({
        "signature": b64(&testdata("samples/rsa-attached.p7m")),
        "validationTime": "2026-06-01T00:00:00Z",
        "language": "de",
        "ocsp": "off"
    });
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200);
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    assert!(v["subIndication"].is_null());
    assert_eq!(v["format"], "CMS");
    assert_eq!(v["validationTime"], "2026-06-01T00:00:00Z");
    assert_eq!(v["signatures"][0]["signer"]["subjectSerialNumber"], "MIDCHEDEMO0000001");
    assert!(v["message"].as_str().unwrap().len() > 3);

    // A tampered signature is a verdict: HTTP 200, TOTAL_FAILED.
    let body =
        json!({ "signature": b64(&testdata("samples/neg-sigflip-rsa.p7m")), "validationTime": "2026-06-01T00:00:00Z" });
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200);
    assert_eq!(v["indication"], "TOTAL_FAILED");
    assert_eq!(v["subIndication"], "SIG_CRYPTO_FAILURE");
}

#[tokio::test]
async fn detached_content_dtbd_and_hash() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    let sig = b64(&testdata("samples/rsa-detached.p7s"));
    let content = testdata("samples/content/content.txt");
    let at = "2026-06-01T00:00:00Z";
    // How the content is given is the subject: verified without revocation checking.
    let (_, v) = post(
        &url,
        &json!({"signature": sig, "content": b64(&content), "validationTime": at, "ocsp": "off"}),
    )
    .await;
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let digest = sigverify::HashAlg::Sha256.digest(&content);
    let (_, v) = post(
        &url,
        &json!({"signature": sig, "hash": {"algorithm": "SHA-256", "value": b64(&digest)}, "validationTime": at, "ocsp": "off"}),
    )
    .await;
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let (_, v) = post(
        &url,
        &json!({"signature": sig, "dtbd": "not the content", "validationTime": at, "ocsp": "off"}),
    )
    .await;
    assert_eq!(v["subIndication"], "HASH_FAILURE");
    let (_, v) = post(&url, &json!({"signature": sig, "validationTime": at, "ocsp": "off"})).await;
    assert_eq!(v["subIndication"], "SIGNED_DATA_NOT_FOUND");
}

#[tokio::test]
async fn malformed_requests_are_400_naming_the_field() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    let cases = [
        (json!({"signature": "%%%"}), "signature"),
        (
            json!({"signature": "AAAA", "validationTime": "yesterday"}),
            "validationTime",
        ),
        (
            json!({"signature": "AAAA", "hash": {"algorithm": "MD5", "value": "AAAA"}}),
            "hash.algorithm",
        ),
        (
            json!({"signature": "AAAA", "hash": {"algorithm": "SHA-256", "value": "AAAA"}}),
            "hash.value",
        ),
        (json!({"signature": "AAAA", "language": "xx"}), "language"),
        (json!({"signature": "AAAA", "dtbd": "a", "content": "AAAA"}), "content"),
        (json!({"nosignature": "AAAA"}), "nosignature"),
    ];
    for (body, field) in cases {
        let (status, v) = post(&url, &body).await;
        assert_eq!(status, 400, "{body}: {v}");
        assert_eq!(v["error"], "bad_request");
        assert!(v["field"].as_str().unwrap().contains(field), "{body}: {v}");
    }
    let r = reqwest::Client::new()
        .post(&url)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn batch_keeps_order_and_is_bounded() {
    let base = serve(Limits {
        max_batch_items: 3,
        ..Limits::default()
    })
    .await;
    let url = format!("{base}/api/v1/verify/batch");
    let at = "2026-06-01T00:00:00Z";
    // Order and bounds are the subject: verified without revocation checking.
    let items = json!([
        {"signature": b64(&testdata("samples/neg-content-modified.p7m")), "validationTime": at, "ocsp": "off"},
        {"signature": b64(&testdata("samples/rsa-attached.p7m")), "validationTime": at, "ocsp": "off"},
        {"signature": b64(&testdata("samples/neg-garbage.p7s")), "validationTime": at, "ocsp": "off"},
    ]);
    let (status, v) = post(&url, &items).await;
    assert_eq!(status, 200);
    let got: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["indication"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["TOTAL_FAILED", "TOTAL_PASSED", "TOTAL_FAILED"]);
    let mut four = items.as_array().unwrap().clone();
    four.push(four[0].clone());
    let (status, v) = post(&url, &Value::Array(four)).await;
    assert_eq!(status, 400, "{v}");
    let (status, _) = post(&url, &json!([])).await;
    assert_eq!(status, 400);
    // A bad item is named by its index.
    let (status, v) = post(&url, &json!([{"signature": "AAAA"}, {"signature": "%"}])).await;
    assert_eq!(status, 400);
    assert_eq!(v["field"], "[1].signature");
}

#[tokio::test]
async fn body_limit_is_a_413_not_a_crash() {
    let base = serve(Limits {
        max_body_bytes: 4096,
        ..Limits::default()
    })
    .await;
    let big = json!({"signature": "A".repeat(10_000)});
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/verify"))
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[tokio::test]
async fn raw_signatures_rsa_pss_and_ecdsa() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/raw/verify");
    let data = b64(&testdata("raw/challenge.bin"));
    let at = "2026-06-01T00:00:00Z";
    // The signature schemes are the subject: verified without revocation checking.
    let cases = [
        (
            "raw/rsa-pkcs1-sha256.sig",
            json!("sha256WithRSAEncryption"),
            "pki/rsa/leaf.pem",
            "TOTAL_PASSED",
        ),
        (
            "raw/rsa-pss-sha256.sig",
            json!({"name": "RSASSA-PSS", "hash": "SHA-256", "saltLength": 32}),
            "pki/pss/leaf.pem",
            "TOTAL_PASSED",
        ),
        (
            "raw/p256-sha256.der.sig",
            json!("SHA256withECDSA"),
            "pki/p256/leaf.pem",
            "TOTAL_PASSED",
        ),
        (
            "raw/p256-sha256.raw.sig",
            json!("SHA256withECDSA"),
            "pki/p256/leaf.pem",
            "TOTAL_PASSED",
        ),
        // The PSS signature checked as PKCS#1, and with another certificate's key: invalid.
        (
            "raw/rsa-pss-sha256.sig",
            json!("sha256WithRSAEncryption"),
            "pki/pss/leaf.pem",
            "TOTAL_FAILED",
        ),
        (
            "raw/rsa-pkcs1-sha256.sig",
            json!("sha256WithRSAEncryption"),
            "pki/untrusted/leaf.pem",
            "TOTAL_FAILED",
        ),
    ];
    for (sig, alg, cert, want) in cases {
        let cert_pem = String::from_utf8(testdata(cert)).unwrap();
        let body = json!({"signatureValue": b64(&testdata(sig)), "signatureAlgorithm": alg, "certificate": cert_pem, "data": data, "validationTime": at, "ocsp": "off"});
        let (status, v) = post(&url, &body).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["indication"], want, "{sig} {alg}: {v:#}");
    }
    // Given only the hash of the challenge.
    let digest = sigverify::HashAlg::Sha256.digest(&testdata("raw/challenge.bin"));
    let body = json!({"signatureValue": b64(&testdata("raw/rsa-pkcs1-sha256.sig")), "signatureAlgorithm": "SHA256withRSA",
        "certificate": b64(&sigverify::formats::x509::pem_blocks(&String::from_utf8(testdata("pki/rsa/leaf.pem")).unwrap(), "CERTIFICATE").unwrap()[0]),
        "hash": {"algorithm": "SHA-256", "value": b64(&digest)}, "validationTime": at, "ocsp": "off"});
    let (_, v) = post(&url, &body).await;
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    // A different challenge fails.
    let body = json!({"signatureValue": b64(&testdata("raw/rsa-pkcs1-sha256.sig")), "signatureAlgorithm": "SHA256withRSA",
        "certificate": String::from_utf8(testdata("pki/rsa/leaf.pem")).unwrap(), "data": b64(b"another challenge"), "validationTime": at, "ocsp": "off"});
    let (_, v) = post(&url, &body).await;
    assert_eq!(v["subIndication"], "SIG_CRYPTO_FAILURE");
    let (status, v) = post(
        &url,
        &json!({"signatureValue": "AAAA", "signatureAlgorithm": "md5WithRSA", "certificate": "AAAA", "data": "AAAA"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(v["field"], "signatureAlgorithm");
    let (status, v) = post(
        &url,
        &json!({"signatureValue": "AAAA", "signatureAlgorithm": "SHA256withRSA", "certificate": "AAAA", "data": "AAAA", "language": "xx"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(v["field"], "language");
}

#[tokio::test]
async fn accept_language_chooses_the_message_language() {
    let base = serve(Limits::default()).await;
    let body =
        json!({"signature": b64(&testdata("samples/neg-sigflip-rsa.p7m")), "validationTime": "2026-06-01T00:00:00Z"});
    let mut messages = Vec::new();
    for lang in ["en", "de", "fr", "it", "ro", "ru", "et"] {
        let r = reqwest::Client::new()
            .post(format!("{base}/api/v1/verify"))
            .header("accept-language", format!("{lang};q=0.9, xx;q=1.0"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        messages.push(v["message"].as_str().unwrap().to_string());
    }
    let distinct: std::collections::HashSet<_> = messages.iter().collect();
    assert_eq!(distinct.len(), 7, "one distinct message per language: {messages:#?}");
}

#[tokio::test]
async fn openapi_document_describes_the_real_responses() {
    let base = serve(Limits::default()).await;
    let doc: Value = reqwest::get(format!("{base}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/verify",
        "/api/v1/verify/batch",
        "/api/v1/raw/verify",
        "/api/v1/mobileid/verify",
    ] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} missing");
    }
    let schemas = &doc["components"]["schemas"];
    // Every field of a real response is described in the VerifyResponse schema (flattened Report).
    let body =
        json!({"signature": b64(&testdata("samples/rsa-attached.p7m")), "validationTime": "2026-06-01T00:00:00Z"});
    let (_, v) = post(&format!("{base}/api/v1/verify"), &body).await;
    let props = collect_properties(schemas, &schemas["VerifyResponse"]);
    for key in v.as_object().unwrap().keys() {
        assert!(
            props.contains(key),
            "response field {key} not in the OpenAPI schema ({props:?})"
        );
    }
    let sig_props = collect_properties(schemas, &schemas["SignatureReport"]);
    for key in v["signatures"][0].as_object().unwrap().keys() {
        assert!(
            sig_props.contains(key),
            "signature field {key} not in the OpenAPI schema"
        );
    }
    let request_props = collect_properties(schemas, &schemas["VerifyRequest"]);
    for key in [
        "signature",
        "content",
        "dtbd",
        "hash",
        "validationTime",
        "language",
        "ocspResponses",
        "crls",
    ] {
        assert!(request_props.contains(&key.to_string()), "{key}");
    }
}

/// OCSP responses and CRLs handed in with the request establish the path's revocation
/// status; a bad one is a 400 naming the field; too many are refused.
#[tokio::test]
async fn revocation_information_handed_in() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    let signature = b64(&testdata("samples/rsa-attached.p7m"));
    let body = json!({
        "signature": signature,
        "validationTime": "2026-01-16T00:00:00Z",
        "ocspResponses": [b64(&testdata("ocsp/good-ca.der"))],
        "crls": [b64(&testdata("crl/root-empty.crl"))],
    });
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200, "{v}");
    let checks = v["signatures"][0]["checks"].as_array().unwrap();
    let revocation = checks.iter().find(|c| c["code"] == "REVOCATION").unwrap();
    assert_eq!(revocation["result"], "PASSED", "{revocation}");
    // Without them: not established.
    let body = json!({"signature": signature, "validationTime": "2026-01-16T00:00:00Z"});
    let (_, v) = post(&url, &body).await;
    let checks = v["signatures"][0]["checks"].as_array().unwrap();
    let revocation = checks.iter().find(|c| c["code"] == "REVOCATION").unwrap();
    assert_eq!(revocation["result"], "NOT_RUN", "{revocation}");
    let body = json!({"signature": signature, "crls": ["not base64!"]});
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 400, "{v}");
    assert!(v.to_string().contains("crls[0]"), "{v}");
    let many: Vec<String> = (0..33).map(|_| "AA==".to_string()).collect();
    let body = json!({"signature": signature, "ocspResponses": many});
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 400, "{v}");
}

/// Revocation status is required by default (`"ocsp": "embedded"`): a signature without
/// revocation data is INDETERMINATE / TRY_LATER; `"ocsp": "off"` lets it pass and the report
/// says checking was switched off; a signer shown revoked fails either way; Mobile ID checks
/// default to `off`.
#[tokio::test]
async fn ocsp_mode_per_request() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    let signature = b64(&testdata("samples/rsa-attached.p7m"));
    let at = "2026-01-16T00:00:00Z";
    let revocation = |v: &Value| {
        v["signatures"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "REVOCATION")
            .cloned()
            .unwrap()
    };
    for body in [
        json!({"signature": signature, "validationTime": at}),
        json!({"signature": signature, "validationTime": at, "ocsp": "embedded"}),
    ] {
        let (status, v) = post(&url, &body).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["indication"], "INDETERMINATE", "{v:#}");
        assert_eq!(v["subIndication"], "TRY_LATER", "{v:#}");
    }
    let (_, v) = post(
        &url,
        &json!({"signature": signature, "validationTime": at, "ocsp": "off"}),
    )
    .await;
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let c = revocation(&v);
    assert_eq!(c["result"], "NOT_RUN", "{c}");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("revocation checking switched off by request"),
        "{c}"
    );
    for mode in ["off", "embedded"] {
        let body = json!({"signature": signature, "validationTime": at, "ocsp": mode,
            "crls": [b64(&testdata("crl/leaf-revoked.crl")), b64(&testdata("crl/root-empty.crl"))]});
        let (_, v) = post(&url, &body).await;
        assert_eq!(v["indication"], "TOTAL_FAILED", "{mode}: {v:#}");
        assert_eq!(v["subIndication"], "REVOKED", "{mode}: {v:#}");
    }
    let (status, v) = post(&url, &json!({"signature": signature, "ocsp": "sometimes"})).await;
    assert_eq!(status, 400, "{v}");
    // The bare-signature endpoint requires it too by default.
    let raw = json!({"signatureValue": b64(&testdata("raw/p256-sha256.der.sig")), "signatureAlgorithm": "SHA256withECDSA",
        "certificate": String::from_utf8(testdata("pki/p256/leaf.pem")).unwrap(),
        "data": b64(&testdata("raw/challenge.bin")), "validationTime": "2026-06-01T00:00:00Z"});
    let (_, v) = post(&format!("{base}/api/v1/raw/verify"), &raw).await;
    assert_eq!(v["subIndication"], "TRY_LATER", "{v:#}");
    // Mobile ID: off unless asked.
    let url = mobileid_server().await;
    let body = mobileid_body("signature-rsa.json", "signature-rsa.expected.json", |_| {});
    let (_, v) = post(&url, &body).await;
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let body = mobileid_body("signature-rsa.json", "signature-rsa.expected.json", |b| {
        b["ocsp"] = json!("embedded")
    });
    let (_, v) = post(&url, &body).await;
    assert_eq!(v["subIndication"], "TRY_LATER", "{v:#}");
}

/// A signed PDF given as `signature`: one signature per PDF signature, each with its `pdf`
/// details, every field of which the OpenAPI document describes.
#[tokio::test]
async fn verify_a_signed_pdf() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    // The PDF details are the subject: verified without revocation checking.
    let body = json!({"signature": b64(&testdata("pdf/pades-rsa.pdf")), "validationTime": "2026-06-01T00:00:00Z", "ocsp": "off"});
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["format"], "PDF");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
    let sigs = v["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1, "{v}");
    let pdf = &sigs[0]["pdf"];
    assert_eq!(pdf["coversWholeRevision"], true, "{pdf}");
    // The unsigned document is revision 1; the signature was written in revision 2, the last.
    assert_eq!(pdf["revision"], 2, "{pdf}");
    assert_eq!(pdf["revisions"], 2, "{pdf}");
    assert_eq!(pdf["kind"], "APPROVAL");
    assert_eq!(pdf["subFilter"], "ETSI.CAdES.detached");
    assert_eq!(pdf["fieldName"], "Sig1", "{pdf}");
    assert_eq!(pdf["changesAfter"], json!([]));
    assert!(
        sigs[0]["signer"]["subject"]
            .as_str()
            .unwrap()
            .contains("Demo Signer RSA")
    );

    // The page replaced after the signature: the change is listed and not allowed.
    let body = json!({"signature": b64(&testdata("pdf/shadow-replace.pdf")), "validationTime": "2026-06-01T00:00:00Z", "ocsp": "off"});
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    let pdf = &v["signatures"][0]["pdf"];
    assert_eq!(pdf["revision"], 2, "{pdf}");
    assert_eq!(pdf["revisions"], 3, "{pdf}");
    let changes = pdf["changesAfter"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["allowed"] == false), "{pdf}");

    let doc: Value = reqwest::get(format!("{base}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    let info_props = collect_properties(schemas, &schemas["PdfSignatureInfo"]);
    for key in pdf.as_object().unwrap().keys() {
        assert!(info_props.contains(key), "pdf.{key} not in the OpenAPI schema");
    }
    let change_props = collect_properties(schemas, &schemas["PdfChange"]);
    for key in changes.iter().flat_map(|c| c.as_object().unwrap().keys()) {
        assert!(
            change_props.contains(key),
            "changesAfter[].{key} not in the OpenAPI schema"
        );
    }
}

/// Property names of a schema, following `$ref` and `allOf`.
fn collect_properties(schemas: &Value, schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return collect_properties(schemas, &schemas[name]);
    }
    if let Some(p) = schema["properties"].as_object() {
        out.extend(p.keys().cloned());
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema[key].as_array() {
            for s in list {
                out.extend(collect_properties(schemas, s));
            }
        }
    }
    out
}

#[tokio::test]
async fn in_process_router_without_a_socket() {
    use tower::ServiceExt;
    let app = router(state(Limits::default()));
    let req = axum::http::Request::get("/healthz")
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 200);
}

fn mobileid_body(response: &str, expected: &str, edit: impl Fn(&mut Value)) -> Value {
    let t = repo().join("testdata/mobileid");
    let mut body = json!({
        "response": serde_json::from_slice::<Value>(&read(&t.join(response))).unwrap(),
        "expected": serde_json::from_slice::<Value>(&read(&t.join(expected))).unwrap(),
        "validationTime": "2026-06-01T00:00:00Z",
    });
    edit(&mut body);
    body
}

async fn mobileid_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let anchors = load_pool(&[repo().join("testdata/mobileid/root.pem")]);
    let state = Arc::new(AppState::new(
        anchors,
        load_pool(&[]),
        Policy::default_policy(),
        Limits::default(),
    ));
    tokio::spawn(async move { serve_app(listener, router(state)).await });
    format!("http://{addr}/api/v1/mobileid/verify")
}

#[tokio::test]
async fn mobile_id_responses_over_http() {
    let url = mobileid_server().await;
    let rsa = ("signature-rsa.json", "signature-rsa.expected.json");
    let ec = ("signature-ec.json", "signature-ec.expected.json");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, (&str, &str), Edit, &str)> = vec![
        ("valid RSA", rsa, Box::new(|_| {}), "TOTAL_PASSED"),
        ("valid EC", ec, Box::new(|_| {}), "TOTAL_PASSED"),
        (
            "MSISDN without +",
            rsa,
            Box::new(|b| b["expected"]["msisdn"] = json!("41700092502")),
            "TOTAL_PASSED",
        ),
        (
            "wrong DTBD",
            rsa,
            Box::new(|b| b["expected"]["dtbd"] = json!("Anmeldung bei Evil Bank?")),
            "TOTAL_FAILED/HASH_FAILURE",
        ),
        (
            "wrong AP_TransID",
            rsa,
            Box::new(|b| b["expected"]["apTransId"] = json!("REF-OTHER")),
            "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
        ),
        (
            "wrong MSISDN",
            rsa,
            Box::new(|b| b["expected"]["msisdn"] = json!("+41790000000")),
            "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
        ),
        (
            "serial mismatch",
            ec,
            Box::new(|b| b["expected"]["midSerial"] = json!("MIDCHEOTHER00000")),
            "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
        ),
        (
            "504 outstanding",
            ("status-504.json", "signature-rsa.expected.json"),
            Box::new(|_| {}),
            "INDETERMINATE/NO_SIGNATURE",
        ),
    ];
    for (name, (resp, exp), edit, want) in cases {
        let (status, v) = post(&url, &mobileid_body(resp, exp, edit)).await;
        assert_eq!(status, 200, "{name}");
        let got = match v["subIndication"].as_str() {
            Some(s) => format!("{}/{s}", v["indication"].as_str().unwrap()),
            None => v["indication"].as_str().unwrap().to_string(),
        };
        assert_eq!(got, want, "{name}: {v:#}");
    }
    // Every fault code of the reference guide 6.1, with its own explanation in each language.
    let template: Value = serde_json::from_slice(&read(&repo().join("testdata/mobileid/fault-401.json"))).unwrap();
    for code in [
        101u16, 102, 103, 104, 105, 107, 108, 109, 208, 209, 401, 402, 403, 404, 406, 422, 900,
    ] {
        let mut fault = template.clone();
        fault["Fault"]["Code"]["SubCode"]["Value"] = json!(format!("_{code}"));
        for lang in sigverify::verdict::i18n::Lang::ALL {
            let body = json!({"response": fault, "expected": {"dtbd": "x", "msisdn": "+41700092401", "apTransId": "REF"}, "language": lang.code()});
            let (status, v) = post(&url, &body).await;
            assert_eq!(status, 200);
            assert_ne!(v["indication"], "TOTAL_PASSED", "fault {code}");
            let explanation = sigverify::verdict::i18n::mobile_id_status_message(code, *lang).unwrap();
            assert!(
                v["message"].as_str().unwrap().ends_with(&explanation),
                "fault {code} {lang:?}: {}",
                v["message"]
            );
        }
    }
}

#[tokio::test]
async fn xml_signatures_with_named_files_and_containers() {
    let base = serve(Limits::default()).await;
    let url = format!("{base}/api/v1/verify");
    // References, named files and containers are the subject: without revocation checking.
    let xml = testdata("xml/detached-rsa.xml");
    let hello = testdata("xml/hello.txt");
    let body = json!({
        "signature": b64(&xml),
        "files": [{"name": "hello.txt", "content": b64(&hello)}],
        "validationTime": "2026-06-01T00:00:00Z",
        "ocsp": "off"
    });
    let (status, v) = post(&url, &body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["format"], "XADES");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let wrong = json!({
        "signature": b64(&xml),
        "files": [{"name": "other.txt", "content": b64(&hello)}],
        "validationTime": "2026-06-01T00:00:00Z",
        "ocsp": "off"
    });
    let (_, v) = post(&url, &wrong).await;
    assert_ne!(v["indication"], "TOTAL_PASSED", "{v:#}");
    let asic = json!({
        "signature": b64(&testdata("xml/asic-two-files.asice")),
        "validationTime": "2026-06-01T00:00:00Z",
        "ocsp": "off"
    });
    let (_, v) = post(&url, &asic).await;
    assert_eq!(v["format"], "ASIC_E");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    assert_eq!(v["dataFiles"].as_array().unwrap().len(), 2, "{v:#}");
    assert_eq!(v["dataFiles"][0]["coveredBy"], json!(["S0"]));
    let twice = json!({
        "signature": b64(&xml),
        "files": [{"name": "a", "content": ""}, {"name": "a", "content": ""}]
    });
    let (status, v) = post(&url, &twice).await;
    assert_eq!(status, 400);
    assert_eq!(v["field"], "files[1].name");
}

//! `GET /metrics`, request ids and the request log line, over a real loopback socket.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;
use common::*;
use serde_json::{Value, json};
use sigverify::Policy;
use sigverify::api::{AppState, Limits, router};

fn state(anchors: &[&str]) -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&anchors.iter().map(|a| t.join(a)).collect::<Vec<_>>());
    Arc::new(AppState::new(
        anchors,
        load_pool(&[]),
        Policy::default_policy(),
        Limits::default(),
    ))
}

/// Starts the real server on a loopback port; returns its base URL.
async fn serve(state: Arc<AppState>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state);
    tokio::spawn(async move {
        let config = sigverify::api::server::ServerConfig::default();
        sigverify::api::server::serve(listener, app, config, std::future::pending())
            .await
            .unwrap()
    });
    format!("http://{addr}")
}

/// One sample: metric name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Parses the text exposition strictly: `# HELP`/`# TYPE` lines, then samples of a declared
/// family (`name{k="v",...} value`).
fn parse(text: &str) -> Vec<Sample> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    assert!(text.ends_with('\n'), "the exposition ends with a newline");
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name, arg) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
            assert!(is_name(name), "{line}");
            match kind {
                "HELP" => assert!(!arg.is_empty(), "{line}"),
                "TYPE" => {
                    assert!(["counter", "gauge", "histogram"].contains(&arg), "{line}");
                    assert!(
                        types.insert(name.to_string(), arg.to_string()).is_none(),
                        "twice: {line}"
                    );
                }
                _ => panic!("unknown comment: {line}"),
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("bad value: {line}"));
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect(line))),
        };
        assert!(is_name(name), "{line}");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| {
                name.strip_suffix(s)
                    .filter(|f| types.get(*f).is_some_and(|t| t == "histogram"))
            })
            .unwrap_or(name);
        assert!(types.contains_key(family), "sample before its TYPE: {line}");
        out.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    out
}

fn parse_labels(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pair in text.split(',') {
        let (k, v) = pair.split_once('=').unwrap();
        assert!(is_name(k), "{pair}");
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).expect(pair);
        assert!(!v.contains(['"', '\\', '\n']), "{pair}");
        assert!(out.insert(k.to_string(), v.to_string()).is_none(), "{pair}");
    }
    out
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| {
            s.name == name
                && s.labels.len() == labels.len()
                && labels.iter().all(|(k, v)| s.labels.get(*k).is_some_and(|x| x == v))
        })
        .map(|s| s.value)
}

async fn scrape(base: &str) -> Vec<Sample> {
    let r = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    parse(&r.text().await.unwrap())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn counters_move_with_the_right_labels() {
    let base = serve(state(&["pki/rsa/root.pem", "pki/p256/root.pem"])).await;
    let before = scrape(&base).await;
    let verifications = |s: &[Sample], f: &str, i: &str| {
        value(s, "sigverify_verifications_total", &[("format", f), ("indication", i)]).unwrap()
    };
    let sig = b64(&read(&repo().join("testdata/samples/rsa-attached.p7m")));
    let client = reqwest::Client::new();
    let one: Value = client
        .post(format!("{base}/api/v1/verify"))
        .json(&json!({"signature": sig, "validationTime": "2026-06-01T00:00:00Z"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (format, indication) = (one["format"].as_str().unwrap(), one["indication"].as_str().unwrap());
    assert_eq!(format, "CMS");
    // A batch of two: the same signature and bytes that are no signature.
    let batch: Value = client
        .post(format!("{base}/api/v1/verify/batch"))
        .json(&json!([{"signature": sig, "validationTime": "2026-06-01T00:00:00Z"}, {"signature": "AAAA"}]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let junk = (
        batch[1]["format"].as_str().unwrap(),
        batch[1]["indication"].as_str().unwrap(),
    );
    let mid = scrape(&base).await;
    // MSign: one report per item.
    let r = client
        .post(format!("{base}/msign/VerifySignatures"))
        .json(&json!({"Contents": [{"Signature": sig}, {"Signature": "AAAA"}], "SignedContentType": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for _ in 0..2 {
        assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status(), 200);
    }
    let r = reqwest::get(format!("{base}/no/such/42")).await.unwrap();
    assert_eq!(r.status(), 404);
    let after = scrape(&base).await;

    let moved = |f: &str, i: &str| verifications(&mid, f, i) - verifications(&before, f, i);
    if junk == (format, indication) {
        assert_eq!(moved(format, indication), 3.0);
    } else {
        assert_eq!(moved(format, indication), 2.0);
        assert_eq!(moved(junk.0, junk.1), 1.0);
    }
    let total = |s: &[Sample]| -> f64 {
        s.iter()
            .filter(|s| s.name == "sigverify_verifications_total")
            .map(|s| s.value)
            .sum()
    };
    assert_eq!(total(&mid) - total(&before), 3.0, "nothing else counted");
    assert_eq!(total(&after) - total(&mid), 2.0, "each MSign item counted");
    let requests = |e: &str, s: &str| {
        value(
            &after,
            "sigverify_http_requests_total",
            &[("endpoint", e), ("status", s)],
        )
    };
    assert_eq!(requests("/api/v1/verify", "200"), Some(1.0));
    assert_eq!(requests("/api/v1/verify/batch", "200"), Some(1.0));
    assert_eq!(requests("/msign/VerifySignatures", "200"), Some(1.0));
    assert_eq!(requests("/healthz", "200"), Some(2.0));
    assert_eq!(requests("/metrics", "200"), Some(2.0), "the scrapes before");
    assert_eq!(requests("unmatched", "404"), Some(1.0), "never the raw path");
    assert!(after.iter().all(|s| !s.labels.values().any(|v| v.contains("no/such"))));

    let count = |e: &str| {
        value(
            &after,
            "sigverify_http_request_duration_seconds_count",
            &[("endpoint", e)],
        )
    };
    assert_eq!(count("/healthz"), Some(2.0));
    assert_eq!(count("/api/v1/verify"), Some(1.0));
    histograms_are_cumulative(&after);

    assert_eq!(
        value(&after, "sigverify_in_flight_requests", &[]),
        Some(1.0),
        "the scrape itself"
    );
    assert_eq!(value(&after, "sigverify_in_flight_verifications", &[]), Some(0.0));
    assert_eq!(value(&after, "sigverify_trust_anchors", &[]), Some(2.0));
    // Both test roots expire 2050-01-01T00:00:00Z.
    let expiry = value(&after, "sigverify_trust_anchor_earliest_expiry_timestamp_seconds", &[]);
    assert_eq!(expiry, Some(2_524_608_000.0));
}

/// Every endpoint's buckets: bounds ascending, counts non-decreasing, `+Inf` equal to `_count`.
fn histograms_are_cumulative(samples: &[Sample]) {
    let name = "sigverify_http_request_duration_seconds";
    let mut endpoints = 0;
    for count in samples.iter().filter(|s| s.name == format!("{name}_count")) {
        let endpoint = &count.labels["endpoint"];
        let buckets: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.name == format!("{name}_bucket") && &s.labels["endpoint"] == endpoint)
            .collect();
        assert!(buckets.len() >= 2, "{endpoint}");
        let le = |s: &Sample| -> f64 {
            match s.labels["le"].as_str() {
                "+Inf" => f64::INFINITY,
                v => v.parse().unwrap(),
            }
        };
        for pair in buckets.windows(2) {
            assert!(le(pair[0]) < le(pair[1]), "{endpoint}: bounds ascending");
            assert!(pair[0].value <= pair[1].value, "{endpoint}: cumulative");
        }
        let last = buckets.last().unwrap();
        assert_eq!(last.labels["le"], "+Inf");
        assert_eq!(last.value, count.value, "{endpoint}");
        assert!(value(samples, &format!("{name}_sum"), &[("endpoint", endpoint)]).is_some_and(|s| s >= 0.0));
        endpoints += 1;
    }
    assert!(endpoints >= 3);
}

#[tokio::test]
async fn every_documented_route_has_its_own_endpoint_label() {
    let base = serve(state(&["pki/rsa/root.pem"])).await;
    let doc: Value = reqwest::get(format!("{base}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(sigverify::api::metrics::ENDPOINTS.contains(&path.as_str()), "{path}");
    }
}

#[tokio::test]
async fn request_ids_echoed_generated_or_replaced() {
    let base = serve(state(&["pki/rsa/root.pem"])).await;
    let client = reqwest::Client::new();
    let id_of = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_string();
    let given = "req-2026.11.30:abc_DEF/42";
    let r = client
        .get(format!("{base}/healthz"))
        .header("x-request-id", given)
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&r), given);
    let generated = |id: &str| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit());
    let r = client.get(format!("{base}/healthz")).send().await.unwrap();
    let first = id_of(&r);
    assert!(generated(&first), "{first}");
    let r = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_ne!(id_of(&r), first, "a new id per request");
    let long = "a".repeat(1000);
    let insane: Vec<Vec<u8>> = vec![
        long.into_bytes(),
        b"a\tb".to_vec(),
        b"two words".to_vec(),
        "caf\u{e9}".as_bytes().to_vec(),
        Vec::new(),
    ];
    for id in insane {
        let value = reqwest::header::HeaderValue::from_bytes(&id).unwrap();
        let r = client
            .get(format!("{base}/no/route"))
            .header("x-request-id", value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let echoed = id_of(&r);
        assert!(generated(&echoed), "{:?} gave {echoed}", String::from_utf8_lossy(&id));
    }
    let at_limit = "b".repeat(128);
    let r = client
        .get(format!("{base}/healthz"))
        .header("x-request-id", &at_limit)
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&r), at_limit);
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log's JSON lines (as `sigverify serve` writes them) that mention `needle`.
fn lines_with(log: &Captured, needle: &str) -> Vec<Value> {
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    text.lines()
        .filter(|l| l.contains(needle))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn the_log_line_has_the_id_and_verdict_but_no_personal_data() {
    // The process's subscriber, as `sigverify serve` sets it up (a thread's own subscriber
    // would miss lines whose call sites another test's thread reached first).
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let base = serve(state(&["mobileid/root.pem"])).await;
    let t = repo().join("testdata/mobileid");
    let expected: Value = serde_json::from_slice(&read(&t.join("signature-rsa.expected.json"))).unwrap();
    let body = json!({
        "response": serde_json::from_slice::<Value>(&read(&t.join("signature-rsa.json"))).unwrap(),
        "expected": expected,
        "validationTime": "2026-06-01T00:00:00Z",
    });
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/api/v1/mobileid/verify"))
        .header("x-request-id", "mid-trace-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL_PASSED");
    let mut wrong = body.clone();
    wrong["expected"]["apTransId"] = json!("REF-OTHER");
    let r = client
        .post(format!("{base}/api/v1/mobileid/verify"))
        .header("x-request-id", "mid-trace-2")
        .json(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let lines = lines_with(&log, "mid-trace-1");
    assert_eq!(lines.len(), 1, "one line per request");
    let fields = &lines[0]["fields"];
    assert_eq!(fields["request_id"], "mid-trace-1");
    assert_eq!(fields["endpoint"], "/api/v1/mobileid/verify");
    assert_eq!(fields["status"], 200);
    assert_eq!(fields["format"], "MOBILE_ID");
    assert_eq!(fields["indication"], "TOTAL_PASSED");
    assert_eq!(fields["reports"], 1);
    assert!(fields.get("subIndication").is_none());
    let fields = &lines_with(&log, "mid-trace-2")[0]["fields"];
    assert_eq!(fields["indication"], "INDETERMINATE");
    assert_eq!(fields["subIndication"], "SIG_CONSTRAINTS_FAILURE");

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let msisdn = expected["msisdn"].as_str().unwrap();
    for secret in [expected["dtbd"].as_str().unwrap(), msisdn, &msisdn[1..], "Demo Bank"] {
        assert!(!text.contains(secret), "the log holds {secret:?}");
    }
}

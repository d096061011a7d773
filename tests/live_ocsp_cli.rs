//! `--ocsp live` end to end: the `sigverify` binary (`verify`, `serve`) and the HTTP service
//! over real sockets, asking a real responder (`openssl ocsp` on a loopback port, over the test
//! PKI of `testdata/ocsp/live/`), one that is down, one that never answers, and refusing the
//! hosts not on the allow-list. Skipped with a message when `openssl` is missing.
#![cfg(feature = "server")]

mod common;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use sigverify::Policy;
use sigverify::api::{AppState, Limits, router};
use sigverify::online::{FetchConfig, Responder};

use common::live_ocsp::{free_port, live, openssl_responder, pki};
use common::{load_pool, read};

const ICA: &str = "CN=sigverify RSA Issuing CA,O=sigverify Test PKI,C=CH";

/// `sigverify verify --format json --ocsp live` of a live test signature, trusting the rsa test
/// root, with the ICA and the root's CRL (the ICA's status) given, and `extra` flags.
fn verify_live(leaf: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .arg("verify")
        .arg("--trust-anchor")
        .arg(pki("root.pem"))
        .arg("--intermediate")
        .arg(pki("ica.pem"))
        .arg("--crl")
        .arg(live("root.crl"))
        .args(["--format", "json", "--ocsp", "live"])
        .args(extra)
        .arg(live(&format!("{leaf}.p7s")))
        .env_remove("SIGVERIFY_OCSP")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), reports[0].clone(), stderr)
}

fn live_check(report: &Value) -> &Value {
    let checks = report["checks"].as_array().unwrap();
    let found = checks.iter().find(|c| c["code"] == "LIVE_REVOCATION");
    found.unwrap_or_else(|| panic!("no LIVE_REVOCATION check: {report:#}"))
}

fn responder_flag(port: u16) -> String {
    format!("{ICA}=http://127.0.0.1:{port}/")
}

#[test]
fn good_from_a_configured_responder_passes() {
    let Some(responder) = openssl_responder() else { return };
    let flag = responder_flag(responder.port);
    let (code, r, stderr) = verify_live("leaf-good", &["--ocsp-responder", &flag]);
    assert_eq!(code, Some(0), "{r:#} {stderr}");
    assert_eq!(r["indication"], "TOTAL_PASSED", "{r:#}");
    assert_eq!(live_check(&r)["result"], "PASSED", "{r:#}");
}

#[test]
fn good_from_the_certificates_own_responder_on_the_allow_list_passes() {
    let Some(responder) = openssl_responder() else { return };
    let resolve = format!("ocsp.sigverify.test=127.0.0.1:{}", responder.port);
    let flags = [
        "--ocsp-allow-host",
        "*.sigverify.test",
        "--ocsp-allow-private",
        "--ocsp-resolve",
        &resolve,
    ];
    let (code, r, stderr) = verify_live("leaf-good", &flags);
    assert_eq!(code, Some(0), "{r:#} {stderr}");
    assert_eq!(r["indication"], "TOTAL_PASSED", "{r:#}");
    let detail = live_check(&r)["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("http://ocsp.sigverify.test/"), "{detail}");
}

#[test]
fn revoked_from_the_responder_fails() {
    let Some(responder) = openssl_responder() else { return };
    let flag = responder_flag(responder.port);
    let (code, r, stderr) = verify_live("leaf-revoked", &["--ocsp-responder", &flag]);
    assert_eq!(code, Some(1), "{r:#} {stderr}");
    assert_eq!(
        (&r["indication"], &r["subIndication"]),
        (&json!("TOTAL_FAILED"), &json!("REVOKED")),
        "{r:#}"
    );
}

#[test]
fn a_host_not_on_the_allow_list_is_refused_without_connecting() {
    // Where the certificate's responder would be, were it asked.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let resolve = format!("ocsp.sigverify.test={}", listener.local_addr().unwrap());
    // The addresses allowed, the name resolved: only the (empty) allow-list refuses.
    let (code, r, stderr) = verify_live("leaf-good", &["--ocsp-allow-private", "--ocsp-resolve", &resolve]);
    assert_eq!(code, Some(1), "{r:#} {stderr}");
    assert_eq!(
        (&r["indication"], &r["subIndication"]),
        (&json!("INDETERMINATE"), &json!("TRY_LATER")),
        "{r:#}"
    );
    let check = live_check(&r);
    assert_eq!(check["result"], "FAILED", "{r:#}");
    let detail = check["detail"].as_str().unwrap();
    assert!(
        detail.contains("ocsp.sigverify.test: host not on the allow-list"),
        "{detail}"
    );
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the responder was connected to: {other:?}"),
    }
}

#[test]
fn bad_live_flags_are_usage_errors() {
    let (code, _, stderr) = verify_live("leaf-good", &["--ocsp-responder", "ldap://ocsp.example.com/"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--ocsp-responder"), "{stderr}");
    let (code, _, stderr) = verify_live("leaf-good", &["--ocsp-timeout", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A `POST /api/v1/verify` body for a live test signature in live mode, with the root's CRL.
fn live_request(leaf: &str) -> Value {
    json!({
        "signature": b64(&read(&live(&format!("{leaf}.p7s")))),
        "crls": [b64(&read(&live("root.crl")))],
        "ocsp": "live"
    })
}

async fn post(url: &str, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new().post(url).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// The service with `limits`, asking `responder` for the ICA's certificates, on a loopback
/// port; its base URL.
async fn serve(limits: Limits, responder: String) -> String {
    let state = AppState::new(
        load_pool(&[pki("root.pem")]),
        load_pool(&[pki("ica.pem")]),
        Policy::default_policy(),
        limits,
    )
    .with_live_ocsp(FetchConfig {
        responders: vec![Responder {
            issuer: Some(ICA.into()),
            url: responder,
        }],
        ..FetchConfig::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::new(state));
    tokio::spawn(async move {
        let config = sigverify::api::server::ServerConfig::default();
        sigverify::api::server::serve(listener, app, config, std::future::pending())
            .await
            .unwrap();
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_asks_in_live_mode() {
    let Some(responder) = openssl_responder() else { return };
    let base = serve(Limits::default(), format!("http://127.0.0.1:{}/", responder.port)).await;
    let url = format!("{base}/api/v1/verify");
    let (status, v) = post(&url, &live_request("leaf-good")).await;
    assert_eq!(status, 200, "{v:#}");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    assert_eq!(live_check(&v)["result"], "PASSED", "{v:#}");
    let (_, v) = post(&url, &live_request("leaf-revoked")).await;
    assert_eq!(v["subIndication"], "REVOKED", "{v:#}");
    // Embedded mode asks no one: the leaf's status stays unknown.
    let mut embedded = live_request("leaf-good");
    embedded["ocsp"] = json!("embedded");
    let (_, v) = post(&url, &embedded).await;
    assert_eq!(v["indication"], "INDETERMINATE", "{v:#}");
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"] != "LIVE_REVOCATION")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responder_down_or_silent_is_indeterminate_within_the_deadline() {
    let limits = Limits {
        request_timeout: Duration::from_secs(3),
        ..Limits::default()
    };
    // Nobody listens.
    let base = serve(limits, format!("http://127.0.0.1:{}/", free_port())).await;
    let (status, v) = post(&format!("{base}/api/v1/verify"), &live_request("leaf-good")).await;
    assert_eq!(status, 200, "{v:#}");
    assert_eq!(
        (&v["indication"], &v["subIndication"]),
        (&json!("INDETERMINATE"), &json!("TRY_LATER")),
        "{v:#}"
    );
    let detail = live_check(&v)["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("responder down"), "{detail}");

    // Connections are accepted (the backlog), and never answered.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = serve(limits, format!("http://{}/", silent.local_addr().unwrap())).await;
    let started = Instant::now();
    let url = format!("{base}/api/v1/verify");
    let (status, v) = post(&url, &live_request("leaf-good")).await;
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(status, 200, "{v:#}");
    assert_eq!(v["indication"], "INDETERMINATE", "{v:#}");
    let detail = live_check(&v)["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("deadline"), "{detail}");
    // Meanwhile the service answered others.
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    drop(silent);
}

/// `sigverify serve` as deployed, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sigverify_serve_takes_the_live_flags() {
    let Some(responder) = openssl_responder() else { return };
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .arg("serve")
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--trust-anchor")
        .arg(pki("root.pem"))
        .arg("--intermediate")
        .arg(pki("ica.pem"))
        .args(["--ocsp-responder", &responder_flag(responder.port)])
        .args(["--ocsp-timeout", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "sigverify serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = client
        .post(format!("{base}/api/v1/verify"))
        .json(&live_request("leaf-good"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");
    assert_eq!(live_check(&v)["result"], "PASSED", "{v:#}");
}

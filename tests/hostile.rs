//! The service under hostile clients, over real sockets: slow heads, stalled bodies, idle
//! keep-alive connections, more connections than the cap, wrong media types, work past its
//! deadline, SIGTERM with a stalled client. No assertion is about speed: each test waits for
//! an outcome (a close, a status) with a generous bound that only a hang would exceed.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use common::*;
use sigverify::Policy;
use sigverify::api::server::{ServerConfig, serve};
use sigverify::api::{AppState, Limits, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest wait for an outcome; only a hang reaches it.
const PATIENCE: Duration = Duration::from_secs(20);

fn state(limits: Limits) -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&[t.join("pki/rsa/root.pem")]);
    let intermediates = load_pool(&[t.join("pki/rsa/ica.pem")]);
    Arc::new(AppState::new(anchors, intermediates, Policy::default_policy(), limits))
}

fn quick() -> ServerConfig {
    ServerConfig {
        header_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(300),
        max_connections: 64,
        shutdown_timeout: Duration::from_secs(5),
    }
}

async fn start(limits: Limits, config: ServerConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state(limits));
    tokio::spawn(async move { serve(listener, app, config, std::future::pending()).await });
    addr
}

/// Reads until the server closes the connection; what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&out).into_owned()
}

async fn healthz(addr: SocketAddr) -> u16 {
    let client = reqwest::Client::builder().timeout(PATIENCE).build().unwrap();
    client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .expect("/healthz answers")
        .status()
        .as_u16()
}

/// Opens a connection and sends a JSON POST head declaring `length` bytes, then `start` of
/// the body.
async fn post_head(addr: SocketAddr, length: usize, start: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(start).await.unwrap();
    s
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

#[tokio::test]
async fn a_head_that_never_completes_is_closed() {
    let addr = start(Limits::default(), quick()).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let got = until_closed(&mut s).await;
    assert!(got.is_empty(), "no response to half a head: {got:?}");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let addr = start(Limits::default(), quick()).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    assert!(until_closed(&mut s).await.is_empty());
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_response() {
    let addr = start(Limits::default(), quick()).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let got = until_closed(&mut s).await;
    assert_eq!(status_of(&got), 200, "{got}");
    assert!(got.contains("alive"));
}

#[tokio::test]
async fn a_stalled_body_gets_408_and_is_closed() {
    let limits = Limits {
        body_timeout: Duration::from_millis(300),
        min_body_rate: 1024,
        ..Limits::default()
    };
    let addr = start(limits, quick()).await;
    let mut s = post_head(addr, 100_000, b"{\"signature\":\"").await;
    let got = until_closed(&mut s).await;
    assert_eq!(status_of(&got), 408, "{got}");
    assert!(got.to_ascii_lowercase().contains("connection: close"), "{got}");
}

#[tokio::test]
async fn a_body_trickled_below_the_minimum_rate_is_cut_off() {
    let limits = Limits {
        body_timeout: Duration::from_millis(200),
        min_body_rate: 1_000,
        ..Limits::default()
    };
    let addr = start(limits, quick()).await;
    let mut s = post_head(addr, 100_000, b"").await;
    // One byte every 50 ms is 20 bytes/s: each byte resets no timer.
    let trickle = async {
        for _ in 0..400 {
            if s.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), trickle).await;
    let got = until_closed(&mut s).await;
    assert_eq!(status_of(&got), 408, "{got}");
}

#[tokio::test]
async fn healthz_stays_reachable_past_the_connection_cap() {
    let config = ServerConfig {
        header_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        max_connections: 20,
        ..quick()
    };
    let addr = start(Limits::default(), config).await;
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\n").await;
        slow.push(s);
    }
    for _ in 0..5 {
        assert_eq!(healthz(addr).await, 200);
    }
    // The oldest slow connections were closed to make room.
    let mut first = slow.swap_remove(0);
    assert!(until_closed(&mut first).await.is_empty());
}

#[tokio::test]
async fn over_the_cap_with_every_connection_busy_is_a_quick_503() {
    let limits = Limits {
        body_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let config = ServerConfig {
        max_connections: 3,
        ..quick()
    };
    let addr = start(limits, config).await;
    let mut busy = Vec::new();
    for _ in 0..3 {
        busy.push(post_head(addr, 1000, b"{").await);
    }
    // Let the three heads reach their handlers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let got = until_closed(&mut extra).await;
    assert_eq!(status_of(&got), 503, "{got}");
    assert!(got.to_ascii_lowercase().contains("retry-after: 1"), "{got}");
}

#[tokio::test]
async fn body_memory_exhausted_is_503_with_retry_after() {
    let limits = Limits {
        max_body_bytes: 1024 * 1024,
        max_inflight_body_bytes: 1024 * 1024,
        queue_timeout: Duration::from_millis(200),
        body_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let addr = start(limits, quick()).await;
    let _holder = post_head(addr, 1_000_000, b"").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut second = post_head(addr, 1_000_000, b"").await;
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(PATIENCE, second.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let got = String::from_utf8_lossy(&buf[..n]);
    assert_eq!(status_of(&got), 503, "{got}");
    assert!(got.to_ascii_lowercase().contains("retry-after: 1"), "{got}");
    assert!(got.contains("\"busy\""), "{got}");
}

#[tokio::test]
async fn json_endpoints_refuse_other_media_types_with_415() {
    let addr = start(Limits::default(), quick()).await;
    let client = reqwest::Client::new();
    for path in ["verify", "verify/batch", "raw/verify", "mobileid/verify"] {
        for ct in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
            let mut req = client.post(format!("http://{addr}/api/v1/{path}")).body("{}");
            if let Some(ct) = ct {
                req = req.header("content-type", ct);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 415, "{path} {ct:?}");
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(v["error"], "unsupported_media_type");
        }
    }
    let r = client
        .post(format!("http://{addr}/msign/VerifySignatures"))
        .header("content-type", "text/xml")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}

#[tokio::test]
async fn soap_requires_text_xml_and_answers_with_a_fault() {
    let addr = start(Limits::default(), quick()).await;
    let client = reqwest::Client::new();
    for (ct, code) in [
        ("application/json", "s:Client"),
        ("application/soap+xml; charset=utf-8", "s:VersionMismatch"),
    ] {
        let r = client
            .post(format!("http://{addr}/msign/soap"))
            .header("content-type", ct)
            .header("SOAPAction", "\"https://msign.gov.md/IMSign/VerifySignatures\"")
            .body("<x/>")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415, "{ct}");
        let text = r.text().await.unwrap();
        assert!(text.contains(&format!("<faultcode>{code}</faultcode>")), "{ct}: {text}");
    }
}

#[tokio::test]
async fn verification_past_its_deadline_is_stopped_with_a_503() {
    let limits = Limits {
        request_timeout: Duration::ZERO,
        ..Limits::default()
    };
    let addr = start(limits, quick()).await;
    let sig = std::fs::read(repo().join("testdata/samples/rsa-attached.p7m")).unwrap();
    let item = serde_json::json!({"signature": base64::engine::general_purpose::STANDARD.encode(sig)});
    let r = reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/verify/batch"))
        .json(&vec![item; 50])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"], "deadline");
}

#[test]
fn a_cancelled_verification_is_budget_exhausted_never_passed() {
    let t = repo().join("testdata");
    let time = sigverify::UnixTime::parse_rfc3339("2026-06-01T00:00:00Z").unwrap();
    // Cancellation is the subject: validated without revocation checking, so that the
    // uncancelled verification passes.
    let setup = Setup::new(&[t.join("pki/rsa/root.pem")], &[t.join("pki/rsa/ica.pem")], time).revocation_off();
    let sig = std::fs::read(repo().join("testdata/samples/rsa-attached.p7m")).unwrap();
    let mut ctx = context(&setup);
    let uncancelled = sigverify::verify(&sig, sigverify::Content::None, &ctx);
    assert_eq!(
        uncancelled.indication,
        sigverify::Indication::TotalPassed,
        "{uncancelled:#?}"
    );
    let cancel = std::sync::atomic::AtomicBool::new(true);
    ctx.cancel = Some(&cancel);
    let report = sigverify::verify(&sig, sigverify::Content::None, &ctx);
    assert_eq!(report.indication, sigverify::Indication::Indeterminate, "{report:#?}");
    assert_eq!(report.sub_indication, Some(sigverify::SubIndication::BudgetExhausted));
}

/// The real binary: SIGTERM with a client stalled mid-body and another idle one; the process
/// must exit by itself once the shutdown deadline has passed.
#[test]
fn sigterm_with_a_stalled_client_exits_after_the_shutdown_deadline() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .args(["serve", "--trust-anchor", "testdata/demo/anchors"])
        .args(["--shutdown-timeout-ms", "1000", "--body-timeout-ms", "600000"])
        .env("SIGVERIFY_LISTEN", "127.0.0.1:0")
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stdout.take().unwrap());
    let addr = listening_address(&mut log);
    let mut stalled = std::net::TcpStream::connect(&addr).unwrap();
    let head =
        "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    stalled.write_all(head.as_bytes()).unwrap();
    let _idle = std::net::TcpStream::connect(&addr).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: sends a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("the process did not exit after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let rest: Vec<String> = log.lines().map_while(Result::ok).collect();
    assert!(
        rest.iter()
            .any(|l| l.contains("shutdown deadline reached") && l.contains("\"dropped\":1")),
        "{rest:#?}"
    );
}

fn listening_address(log: &mut impl std::io::BufRead) -> String {
    let mut line = String::new();
    for _ in 0..50 {
        line.clear();
        if log.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.split("\"listen\":\"").nth(1) {
            return rest.split('"').next().unwrap().to_string();
        }
    }
    panic!("the server did not log its address: {line}");
}

/// Peak memory of the real binary given 16 MiB bodies of many small JSON values, the shape
/// that amplifies most when parsed into a generic tree, at every JSON endpoint. A memory
/// bound, not a time: the server's high-water mark (VmHWM) may not grow by more than 256 MiB.
#[test]
fn sixteen_mib_of_small_json_values_stay_within_the_memory_bound() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .args([
            "serve",
            "--trust-anchor",
            "testdata/demo/anchors",
            "--request-timeout-ms",
            "300000",
        ])
        .env("SIGVERIFY_LISTEN", "127.0.0.1:0")
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stdout.take().unwrap());
    let addr = listening_address(&mut log);
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    let before = high_water_kib(child.id());
    let limit = 16 * 1024 * 1024 - 1024;
    let many = |item: &str| {
        let n = limit / (item.len() + 1);
        vec![item; n].join(",")
    };
    let expected = r#""expected":{"dtbd":"x","msisdn":"41790000000","apTransId":"A1"}"#;
    let bodies = [
        (
            "/api/v1/mobileid/verify",
            format!(r#"{{"response":[{}],{expected}}}"#, many(r#"{"a":0}"#)),
        ),
        (
            "/api/v1/mobileid/verify",
            format!(r#"{{"response":[{}],{expected}}}"#, many("[]")),
        ),
        ("/api/v1/verify/batch", format!("[{}]", many("{}"))),
        ("/msign/VerifySignatures", format!(r#"{{"Contents":[{}]}}"#, many("{}"))),
        ("/api/v1/verify", format!(r#"{{"signature":"{}"}}"#, "A".repeat(limit))),
    ];
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let mut report = Vec::new();
    let mut grown = 0;
    for (path, body) in bodies {
        assert!(body.len() <= 16 * 1024 * 1024);
        let r = client
            .post(format!("http://{addr}{path}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().unwrap();
        grown = high_water_kib(child.id()) - before;
        report.push(format!(
            "{path}: {status}, response {} bytes, high water +{grown} KiB",
            text.len()
        ));
        assert!(text.len() < 64 * 1024, "{path}: the error echoes the request");
    }
    let _ = child.kill();
    let _ = child.wait();
    eprintln!("{}", report.join("\n"));
    assert!(grown < 256 * 1024, "{}", report.join("\n"));
}

fn high_water_kib(pid: u32) -> i64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test]
async fn a_soap_envelope_with_50000_attributes_is_refused_while_healthz_answers() {
    let addr = start(Limits::default(), quick()).await;
    let attrs: String = (0..50_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let envelope = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><VerifySignatures xmlns="https://msign.gov.md"{attrs}/></s:Body></s:Envelope>"#
    );
    let soap = tokio::spawn(async move {
        let r = reqwest::Client::new()
            .post(format!("http://{addr}/msign/soap"))
            .header("content-type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"https://msign.gov.md/IMSign/VerifySignatures\"")
            .body(envelope)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    });
    for _ in 0..3 {
        assert_eq!(healthz(addr).await, 200);
    }
    let (status, fault) = tokio::time::timeout(PATIENCE, soap).await.unwrap().unwrap();
    assert_eq!(status, 500, "{fault}");
    assert!(
        fault.contains(r#"<faultcode xmlns:a="https://msign.gov.md">a:InvalidParameter</faultcode>"#),
        "{fault}"
    );
    assert!(fault.contains("attributes"), "{fault}");
    assert!(
        fault.len() < 2048,
        "the fault echoes the request: {} bytes",
        fault.len()
    );
}

/// A body of unknown length (chunked) is read in reserved steps and stops at the body limit.
#[tokio::test]
async fn chunked_bodies_are_read_within_the_limit() {
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    };
    let addr = start(limits, quick()).await;
    let sig = std::fs::read(repo().join("testdata/samples/rsa-attached.p7m")).unwrap();
    // Body reading is the subject: verified without revocation checking, so that it passes.
    let body = format!(
        r#"{{"signature":"{}","validationTime":"2026-06-01T00:00:00Z","ocsp":"off"}}"#,
        base64::engine::general_purpose::STANDARD.encode(sig)
    );
    let chunked = |body: &[u8]| {
        let mut out = b"POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
        for piece in body.chunks(1000) {
            out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            out.extend_from_slice(piece);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        out
    };
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(&chunked(body.as_bytes())).await.unwrap();
    let got = until_closed(&mut s).await;
    assert_eq!(status_of(&got), 200, "{got}");
    assert!(got.contains("\"indication\":\"TOTAL_PASSED\""), "{got}");
    let mut s = TcpStream::connect(addr).await.unwrap();
    let _ = s.write_all(&chunked(&vec![b' '; 200 * 1024])).await;
    let got = until_closed(&mut s).await;
    assert_eq!(status_of(&got), 413, "{got}");
}

//! Live OCSP against a real responder (`openssl ocsp` on a loopback port, over the test PKI of
//! `testdata/ocsp/live/`) and against fake ones (down, slow, oversized, lying), the allow-list
//! and the address rules, and the cache. Skipped with a message when `openssl` is missing.
#![cfg(feature = "online")]

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sigverify::online::{FetchConfig, Fetcher, Responder, verify_with_live_ocsp};
use sigverify::policy::RevocationMode;
use sigverify::revocation::path::Info;
use sigverify::verdict::{Check, CheckCode, CheckResult};
use sigverify::{Content, Indication, Report, SubIndication, VerifyContext};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use common::live_ocsp::{free_port, live, openssl_responder, pki};
use common::{Setup, repo};

const HOST: &str = "ocsp.sigverify.test";

/// The test PKI's rsa root as anchor, its ICA, now, under a policy that requires revocation
/// status (the ICA's from the root's CRL, the leaf's from live OCSP).
fn setup() -> Setup {
    let mut s = Setup::new(&[pki("root.pem")], &[pki("ica.pem")], sigverify::online::fetch::now());
    s.policy.revocation = RevocationMode::Required;
    s
}

fn config(addr: SocketAddr) -> FetchConfig {
    FetchConfig {
        allow_hosts: vec![HOST.to_string()],
        allow_private: true,
        static_hosts: HashMap::from([(HOST.to_string(), addr)]),
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    }
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

async fn verify_live(fetcher: &Fetcher, leaf: &str) -> Report {
    let setup = setup();
    let input = std::fs::read(live(&format!("{leaf}.p7s"))).unwrap();
    let crl = std::fs::read(live("root.crl")).unwrap();
    verify_with_live_ocsp(fetcher, |extra| {
        let mut infos = vec![Info::Crl(&crl)];
        infos.extend_from_slice(extra);
        let ctx = VerifyContext {
            revocation: &infos,
            ..common::context(&setup)
        };
        sigverify::verify(&input, Content::None, &ctx)
    })
    .await
}

fn live_check(r: &Report) -> &Check {
    let found = r.checks.iter().find(|c| c.code == CheckCode::LiveRevocation);
    found.unwrap_or_else(|| panic!("no LIVE_REVOCATION check: {}", common::pretty(r)))
}

fn revocation_check(r: &Report) -> &Check {
    let checks = &r.signatures[0].checks;
    checks.iter().find(|c| c.code == CheckCode::Revocation).unwrap()
}

fn assert_refused(r: &Report, reason: &str) {
    assert_eq!(
        (r.indication, r.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::TryLater)),
        "{}",
        common::pretty(r)
    );
    let check = live_check(r);
    assert_eq!(check.result, CheckResult::Failed);
    assert!(check.detail.contains(reason), "'{reason}' not in {}", check.detail);
}

#[test]
fn without_live_ocsp_the_report_lists_what_it_lacked() {
    let r = setup().run(&std::fs::read(live("leaf-good.p7s")).unwrap(), Content::None);
    assert_eq!(r.indication, Indication::Indeterminate, "{}", common::pretty(&r));
    let leaf = r
        .revocation_wanted
        .iter()
        .find(|w| w.subject.contains("Live Good Signer"))
        .unwrap();
    assert_eq!(leaf.ocsp_urls, ["http://ocsp.sigverify.test/"]);
    assert!(leaf.issuer.contains("sigverify RSA Issuing CA"));
    // Not part of the serialized verdict.
    assert!(!serde_json::to_string(&r).unwrap().contains("revocationWanted"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_from_the_responder_passes() {
    let Some(responder) = openssl_responder() else { return };
    let fetcher = Fetcher::new(config(loopback(responder.port)));
    let r = verify_live(&fetcher, "leaf-good").await;
    assert_eq!(r.indication, Indication::TotalPassed, "{}", common::pretty(&r));
    assert_eq!(live_check(&r).result, CheckResult::Passed);
    assert!(
        revocation_check(&r).detail.contains("OCSP good"),
        "{}",
        revocation_check(&r).detail
    );
    assert!(r.revocation_wanted.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_from_the_responder_fails() {
    let Some(responder) = openssl_responder() else { return };
    let fetcher = Fetcher::new(config(loopback(responder.port)));
    let r = verify_live(&fetcher, "leaf-revoked").await;
    assert_eq!(
        (r.indication, r.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::Revoked)),
        "{}",
        common::pretty(&r)
    );
    assert!(revocation_check(&r).detail.contains("revoked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_to_the_responder_is_indeterminate() {
    let Some(responder) = openssl_responder() else { return };
    let fetcher = Fetcher::new(config(loopback(responder.port)));
    let r = verify_live(&fetcher, "leaf-unknown").await;
    assert_refused(&r, "did not establish the status");
    assert!(
        revocation_check(&r).detail.contains("does not know the certificate"),
        "{}",
        revocation_check(&r).detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_responder_needs_no_allow_list() {
    let Some(responder) = openssl_responder() else { return };
    let fetcher = Fetcher::new(FetchConfig {
        responders: vec![Responder {
            issuer: Some("CN=sigverify RSA Issuing CA,O=sigverify Test PKI,C=CH".into()),
            url: format!("http://127.0.0.1:{}/", responder.port),
        }],
        ..FetchConfig::default()
    });
    let r = verify_live(&fetcher, "leaf-good").await;
    assert_eq!(r.indication, Indication::TotalPassed, "{}", common::pretty(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responder_down() {
    let fetcher = Fetcher::new(config(loopback(free_port())));
    let r = verify_live(&fetcher, "leaf-good").await;
    assert_refused(&r, "responder down");
}

/// A fake responder on a loopback port: counts connections, and serves each with `serve`.
async fn fake<F, Fut>(serve: F) -> (SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream));
        }
    });
    (addr, count)
}

/// Reads one HTTP request (headers and Content-Length body).
async fn read_request(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return;
            }
        }
    }
}

/// Answers every request with `head` and `body`, then closes.
async fn answering(head: &'static str, body: Vec<u8>) -> (SocketAddr, Arc<AtomicUsize>) {
    let body = Arc::new(body);
    fake(move |mut stream| {
        let body = body.clone();
        async move {
            read_request(&mut stream).await;
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_responder_times_out() {
    let (addr, _) = fake(|stream| async move {
        tokio::time::sleep(Duration::from_secs(120)).await;
        drop(stream);
    })
    .await;
    let fetcher = Fetcher::new(FetchConfig {
        total_timeout: Duration::from_secs(1),
        ..config(addr)
    });
    let started = Instant::now();
    let r = verify_live(&fetcher, "leaf-good").await;
    assert_refused(&r, "responder timeout");
    // Generous: returns at all, long before the responder would answer.
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_response_refused() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nConnection: close\r\n\r\n";
    let (addr, _) = answering(head, vec![0x30; 1024 * 1024]).await;
    let r = verify_live(&Fetcher::new(config(addr)), "leaf-good").await;
    assert_refused(&r, "response larger than 65536 bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_http_status_and_not_ocsp_refused() {
    let (addr, _) = answering("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", Vec::new()).await;
    let r = verify_live(&Fetcher::new(config(addr)), "leaf-good").await;
    assert_refused(&r, "HTTP status 503");
    let head = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n";
    let (addr, _) = answering(head, b"<html>".to_vec()).await;
    let r = verify_live(&Fetcher::new(config(addr)), "leaf-good").await;
    assert_refused(&r, "not an OCSP response");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_with_another_nonce_refused() {
    // A genuine response of the ICA, to another request (another nonce).
    let replay = std::fs::read(repo().join("testdata/ocsp/nonce.der")).unwrap();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nConnection: close\r\n\r\n";
    let (addr, _) = answering(head, replay).await;
    let r = verify_live(&Fetcher::new(config(addr)), "leaf-good").await;
    assert_refused(&r, "nonce is not the request's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_list_and_address_rules_refuse_before_connecting() {
    let (addr, connections) = answering("HTTP/1.1 500 X\r\n\r\n", Vec::new()).await;
    let unlisted = Fetcher::new(FetchConfig {
        allow_hosts: vec!["ocsp.example.com".into(), "*.sigverify.test.example".into()],
        ..config(addr)
    });
    let r = verify_live(&unlisted, "leaf-good").await;
    assert_refused(&r, "ocsp.sigverify.test: host not on the allow-list");
    let loopback_refused = Fetcher::new(FetchConfig {
        allow_private: false,
        ..config(addr)
    });
    let r = verify_live(&loopback_refused, "leaf-good").await;
    assert_refused(&r, "127.0.0.1 is a loopback address, refused");
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_answer_asks_once() {
    let Some(responder) = openssl_responder() else { return };
    let upstream = loopback(responder.port);
    // A proxy that counts the connections made to the responder.
    let (addr, connections) = fake(move |mut client| async move {
        if let Ok(mut server) = TcpStream::connect(upstream).await {
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        }
    })
    .await;
    let fetcher = Fetcher::new(config(addr));
    let first = verify_live(&fetcher, "leaf-good").await;
    let second = verify_live(&fetcher, "leaf-good").await;
    for r in [&first, &second] {
        assert_eq!(r.indication, Indication::TotalPassed, "{}", common::pretty(r));
    }
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(
        live_check(&second).detail.contains("cached"),
        "{}",
        live_check(&second).detail
    );
}

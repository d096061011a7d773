//! HTTPS: the service over real TLS sockets (a rustls client on ring, `curl`, `openssl
//! s_client`), client-certificate authentication, certificate reload (file change, SIGHUP) and
//! the handshake under the connection watchdog. The PKI is generated at test time. Without curl
//! or openssl their parts are skipped with a message; with `SIGVERIFY_REQUIRE_TOOLS=1` they fail.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use common::pki::{self, Cert, KeyPair, Spec, eku};
use common::{load_pool, repo};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore, SupportedProtocolVersion};
use serde_json::{Value, json};
use sigverify::Policy;
use sigverify::api::server::{ServerConfig, serve_tls};
use sigverify::api::tls::{Tls, TlsFiles};
use sigverify::api::{AppState, Limits, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

const PATIENCE: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------------------------ PKI

/// A CA and its key.
struct Ca {
    cert: Cert,
    key: KeyPair,
}

impl Ca {
    fn new(cn: &str) -> Ca {
        let (cert, key) = pki::root(cn);
        Ca { cert, key }
    }

    /// A server certificate for `localhost`.
    fn server(&self, cn: &str) -> (Cert, KeyPair) {
        let key = pki::new_key();
        let spec = Spec::leaf(cn)
            .san_dns("localhost")
            .key_usage(&[pki::Ku::DigitalSignature])
            .eku(&[eku::SERVER_AUTH], false);
        (pki::issue(&spec, &key, &self.cert, &self.key), key)
    }

    /// A client certificate.
    fn client(&self, cn: &str) -> (Cert, KeyPair) {
        let key = pki::new_key();
        let spec = Spec::leaf(cn)
            .key_usage(&[pki::Ku::DigitalSignature])
            .eku(&[eku::CLIENT_AUTH], false);
        (pki::issue(&spec, &key, &self.cert, &self.key), key)
    }
}

/// A directory of PEM files, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("sigverify-tls-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Writes the server's chain (leaf, then its CA) and key as `cert.pem` and `key.pem`.
    fn server_files(&self, ca: &Ca, server: &(Cert, KeyPair)) {
        self.write("cert.pem", &format!("{}{}", server.0.pem(), ca.cert.pem()));
        self.write("key.pem", &server.1.serialize_pem());
    }

    fn files(&self, client_ca: Option<&str>) -> TlsFiles {
        TlsFiles {
            cert: self.path("cert.pem"),
            key: self.path("key.pem"),
            client_ca: client_ca.map(|name| self.path(name)),
        }
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// --------------------------------------------------------------------------------- server

fn state() -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&[t.join("pki/rsa/root.pem")]);
    let intermediates = load_pool(&[t.join("pki/rsa/ica.pem")]);
    Arc::new(AppState::new(
        anchors,
        intermediates,
        Policy::default_policy(),
        Limits::default(),
    ))
}

/// The real connection loop over TLS, in process; its address and the TLS configuration.
async fn start(files: TlsFiles, config: ServerConfig) -> (SocketAddr, Arc<Tls>) {
    let tls = Arc::new(Tls::load(files).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state());
    let serving = tls.clone();
    tokio::spawn(async move { serve_tls(listener, app, config, serving, std::future::pending()).await });
    (addr, tls)
}

// --------------------------------------------------------------------------------- client

const TLS13: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];
const TLS12: &[&SupportedProtocolVersion] = &[&rustls::version::TLS12];

/// A rustls client (ring) trusting `root`, with a client certificate when given.
fn connector(
    root: &Cert,
    identity: Option<&(Cert, KeyPair)>,
    versions: &[&'static SupportedProtocolVersion],
) -> TlsConnector {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(root.der.clone())).unwrap();
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots);
    let mut config = match identity {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
            builder
                .with_client_auth_cert(vec![CertificateDer::from(cert.der.clone())], key)
                .unwrap()
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    TlsConnector::from(Arc::new(config))
}

/// A handshake with `localhost` at `addr`; the server's certificate (DER) and the stream.
async fn connect(
    addr: SocketAddr,
    tls: &TlsConnector,
) -> Result<(Vec<u8>, tokio_rustls::client::TlsStream<TcpStream>), String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").unwrap();
    let stream = patient("handshake", tls.connect(name, tcp))
        .await?
        .map_err(|e| format!("handshake: {e}"))?;
    let served = stream.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    Ok((served, stream))
}

/// One HTTP/1.1 request over a new TLS connection: status and JSON body, or what failed.
async fn request(
    addr: SocketAddr,
    tls: &TlsConnector,
    path: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    let (_, stream) = connect(addr, tls).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let builder = hyper::Request::builder().uri(path).header("host", "localhost");
    let req = match body {
        None => builder.method("GET").body(Full::new(Bytes::new())),
        Some(v) => builder
            .method("POST")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(v.to_string()))),
    }
    .unwrap();
    let response = patient("response", sender.send_request(req))
        .await?
        .map_err(|e| format!("request: {e}"))?;
    let status = response.status().as_u16();
    let bytes = patient("response body", response.into_body().collect())
        .await?
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

/// `step` within [`PATIENCE`]; past it an error that says which step the server left
/// unanswered (a refusal must be an answer, never silence).
async fn patient<T>(step: &str, f: impl std::future::Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(PATIENCE, f)
        .await
        .map_err(|_| format!("{TIMED_OUT}: {step}"))
}

const TIMED_OUT: &str = "no answer within the test's patience";

/// Whether `r` failed with an answer (an alert, a closed connection), not with silence.
fn refused<T>(r: &Result<T, String>) -> bool {
    r.as_ref().is_err_and(|e| !e.starts_with(TIMED_OUT))
}

/// The certificate a new handshake presents.
async fn served(addr: SocketAddr, tls: &TlsConnector) -> Vec<u8> {
    connect(addr, tls).await.unwrap().0
}

/// Waits until a new handshake presents `cert`.
async fn until_served(addr: SocketAddr, tls: &TlsConnector, cert: &Cert) {
    let started = Instant::now();
    while served(addr, tls).await != cert.der {
        assert!(started.elapsed() < PATIENCE, "{} is not served", cert.label);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `curl` over HTTPS to `localhost` at `addr`: `(status, HTTP version)` or curl's error.
fn curl(addr: SocketAddr, ca: &Path, path: &str, extra: &[&str]) -> Result<(String, String), String> {
    let out = Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-w", "%{http_code} %{http_version}"])
        .args(["--max-time", "10", "--cacert"])
        .arg(ca)
        .args(["--resolve", &format!("localhost:{}:127.0.0.1", addr.port())])
        .args(extra)
        .arg(format!("https://localhost:{}{path}", addr.port()))
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        return Err(format!("{text} {}", String::from_utf8_lossy(&out.stderr)));
    }
    let (status, version) = text.split_once(' ').unwrap();
    Ok((status.to_string(), version.to_string()))
}

async fn curl_async(
    addr: SocketAddr,
    ca: PathBuf,
    path: &'static str,
    extra: Vec<String>,
) -> Result<(String, String), String> {
    tokio::task::spawn_blocking(move || {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        curl(addr, &ca, path, &extra)
    })
    .await
    .unwrap()
}

/// Whether `tool` runs (`curl --version`, `openssl version`); a missing tool skips its part of
/// a test with a message, or fails it under `SIGVERIFY_REQUIRE_TOOLS=1`.
fn tool(name: &str) -> bool {
    let arg = if name == "openssl" { "version" } else { "--version" };
    let runs = Command::new(name).arg(arg).output().is_ok_and(|o| o.status.success());
    let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    assert!(runs || !required, "SIGVERIFY_REQUIRE_TOOLS=1 but `{name}` does not run");
    if !runs {
        eprintln!("`{name}` not found: its part of the test skipped");
    }
    runs
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

// ---------------------------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_serves_readyz_and_verifications() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    let server = ca.server("sigverify.test");
    dir.server_files(&ca, &server);
    let (addr, _tls) = start(dir.files(None), ServerConfig::default()).await;
    let client = connector(&ca.cert, None, TLS13);

    assert_eq!(served(addr, &client).await, server.0.der);
    let (status, v) = request(addr, &client, "/readyz", None).await.unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "ready");

    let sig = std::fs::read(repo().join("testdata/samples/rsa-attached.p7m")).unwrap();
    let body = json!({"signature": b64(&sig), "validationTime": "2026-06-01T00:00:00Z", "ocsp": "off"});
    let (status, v) = request(addr, &client, "/api/v1/verify", Some(&body)).await.unwrap();
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v:#}");

    // TLS 1.2 as well.
    let (status, _) = request(addr, &connector(&ca.cert, None, TLS12), "/healthz", None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    // A client that does not trust the server's CA fails its handshake.
    let other = Ca::new("Other Root");
    let refused = request(addr, &connector(&other.cert, None, TLS13), "/healthz", None).await;
    assert!(refused.is_err(), "{refused:?}");

    // curl: HTTP/2 by ALPN, HTTP/1.1 on request.
    if tool("curl") {
        let ca_file = dir.write("ca.pem", &ca.cert.pem());
        let h2 = curl_async(addr, ca_file.clone(), "/readyz", vec![]).await.unwrap();
        assert_eq!(h2, ("200".to_string(), "2".to_string()));
        let h1 = curl_async(addr, ca_file, "/readyz", vec!["--http1.1".into()])
            .await
            .unwrap();
        assert_eq!(h1, ("200".to_string(), "1.1".to_string()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_the_tls_port_gets_no_http_answer() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    dir.server_files(&ca, &ca.server("sigverify.test"));
    let (addr, _tls) = start(dir.files(None), ServerConfig::default()).await;
    let mut plain = TcpStream::connect(addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let read = tokio::time::timeout(PATIENCE, plain.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server kept a plain-text connection open");
    assert!(!got.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&got));
    // The port still serves TLS clients.
    let (status, _) = request(addr, &connector(&ca.cert, None, TLS13), "/healthz", None)
        .await
        .unwrap();
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_client_ca_only_its_certificates_get_in() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    dir.server_files(&ca, &ca.server("sigverify.test"));
    let clients = Ca::new("Client CA");
    let stranger_ca = Ca::new("Stranger CA");
    dir.write("clients.pem", &clients.cert.pem());
    let (addr, _tls) = start(dir.files(Some("clients.pem")), ServerConfig::default()).await;
    let good = clients.client("Integrator A");
    let stranger = stranger_ca.client("Integrator A");

    let (status, v) = request(addr, &connector(&ca.cert, Some(&good), TLS13), "/readyz", None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{v}");
    let none = request(addr, &connector(&ca.cert, None, TLS13), "/readyz", None).await;
    assert!(refused(&none), "{none:?}");
    let other = request(addr, &connector(&ca.cert, Some(&stranger), TLS13), "/readyz", None).await;
    assert!(refused(&other), "{other:?}");
    // In TLS 1.2 the refusal ends the handshake itself.
    let tls12 = connect(addr, &connector(&ca.cert, None, TLS12)).await;
    assert!(
        refused(&tls12),
        "a TLS 1.2 handshake without a client certificate completed: {:?}",
        tls12.as_ref().err()
    );
    let tls12 = connect(addr, &connector(&ca.cert, Some(&stranger), TLS12)).await;
    assert!(
        refused(&tls12),
        "a TLS 1.2 handshake with a stranger's certificate completed: {:?}",
        tls12.as_ref().err()
    );
    let (status, _) = request(addr, &connector(&ca.cert, Some(&good), TLS12), "/healthz", None)
        .await
        .unwrap();
    assert_eq!(status, 200);

    if tool("curl") {
        let ca_file = dir.write("ca.pem", &ca.cert.pem());
        let cert = dir.write("client.pem", &good.0.pem());
        let key = dir.write("client.key", &good.1.serialize_pem());
        let with = vec![
            "--cert".into(),
            cert.display().to_string(),
            "--key".into(),
            key.display().to_string(),
        ];
        let ok = curl_async(addr, ca_file.clone(), "/readyz", with).await;
        assert_eq!(ok.unwrap().0, "200");
        let without = curl_async(addr, ca_file, "/readyz", vec![]).await;
        assert!(without.is_err(), "{without:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_the_client_certificate_subject() {
    use axum::Extension;
    use sigverify::api::tls::ClientSubject;
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    dir.server_files(&ca, &ca.server("sigverify.test"));
    let clients = Ca::new("Client CA");
    dir.write("clients.pem", &clients.cert.pem());
    let tls = Arc::new(Tls::load(dir.files(Some("clients.pem"))).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/who",
        axum::routing::get(|who: Option<Extension<ClientSubject>>| async move {
            axum::Json(json!({ "client": who.map(|Extension(ClientSubject(s))| s.to_string()) }))
        }),
    );
    tokio::spawn(serve_tls(
        listener,
        app,
        ServerConfig::default(),
        tls,
        std::future::pending(),
    ));
    let good = clients.client("Integrator B");
    let (status, v) = request(addr, &connector(&ca.cert, Some(&good), TLS13), "/who", None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let client = v["client"].as_str().unwrap();
    assert!(client.starts_with("CN=Integrator B (serial "), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_files_are_served_to_new_handshakes_and_a_broken_one_keeps_the_old() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    let first = ca.server("first");
    dir.server_files(&ca, &first);
    let (addr, tls) = start(dir.files(None), ServerConfig::default()).await;
    tokio::spawn(tls.clone().watch(Duration::from_millis(100)));
    let client = connector(&ca.cert, None, TLS13);
    assert_eq!(served(addr, &client).await, first.0.der);
    // A connection opened before the change keeps working after it.
    let (_, before) = connect(addr, &client).await.unwrap();

    let second = ca.server("second");
    dir.server_files(&ca, &second);
    until_served(addr, &client, &second.0).await;
    assert!(
        !tls.reload_if_changed().unwrap(),
        "nothing changed since the last reload"
    );
    drop(before);

    // A key that does not match the certificate, a key file without a key, a certificate
    // file without a certificate: the reload fails and the certificate in force stays.
    let third = ca.server("third");
    let cases = [
        (third.0.pem(), second.1.serialize_pem()),
        (third.0.pem(), "no key here\n".to_string()),
        (
            "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n".to_string(),
            third.1.serialize_pem(),
        ),
    ];
    for (cert, key) in cases {
        dir.write("cert.pem", &cert);
        dir.write("key.pem", &key);
        assert!(tls.reload().is_err(), "{cert}\n{key}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(served(addr, &client).await, second.0.der);
        let (status, _) = request(addr, &client, "/healthz", None).await.unwrap();
        assert_eq!(status, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_handshake_is_closed_and_evictable() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    dir.server_files(&ca, &ca.server("sigverify.test"));
    let config = ServerConfig {
        header_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_secs(60),
        max_connections: 3,
        shutdown_timeout: Duration::from_secs(5),
    };
    let (addr, _tls) = start(dir.files(None), config).await;
    // The start of a TLS record (a ClientHello that never completes).
    let partial: &[u8] = &[0x16, 0x03, 0x01, 0x02, 0x00, 0x01];
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(partial).await.unwrap();
    let mut got = Vec::new();
    let started = Instant::now();
    let read = tokio::time::timeout(PATIENCE, slow.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "a stalled handshake held its connection");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );

    // Stalled handshakes fill the cap; a new client evicts the oldest and is served.
    let config = ServerConfig {
        header_timeout: Duration::from_secs(60),
        ..config
    };
    let (addr, _tls) = start(dir.files(None), config).await;
    let mut stalled = Vec::new();
    for _ in 0..5 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(partial).await.unwrap();
        stalled.push(s);
    }
    let (status, _) = request(addr, &connector(&ca.cert, None, TLS13), "/healthz", None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    // The oldest stalled handshake was closed to make room.
    let mut oldest = stalled.swap_remove(0);
    let mut got = Vec::new();
    let read = tokio::time::timeout(PATIENCE, oldest.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "an evicted handshake kept its connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shutdown_ends_a_handshake_in_progress_at_once() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    dir.server_files(&ca, &ca.server("sigverify.test"));
    let tls = Arc::new(Tls::load(dir.files(None)).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = ServerConfig {
        header_timeout: Duration::from_secs(60),
        shutdown_timeout: Duration::from_secs(30),
        ..ServerConfig::default()
    };
    let serving = tokio::spawn(serve_tls(listener, router(state()), config, tls, async {
        let _ = stopped.await;
    }));
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(&[0x16, 0x03, 0x01]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    let dropped = tokio::time::timeout(PATIENCE, serving).await.unwrap().unwrap().unwrap();
    assert_eq!(dropped, 0);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

/// `openssl <args>` reading `input` on stdin; its stdout.
fn openssl(args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_in_pkcs1_and_sec1_form_are_read() {
    if !tool("openssl") {
        return;
    }
    let ca = Ca::new("TLS Root");
    let spec = Spec::leaf("localhost")
        .san_dns("localhost")
        .key_usage(&[pki::Ku::DigitalSignature]);
    let rsa_pkcs8 = openssl(
        &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "",
    );
    let rsa = KeyPair::from_pem_and_sign_algo(&rsa_pkcs8, &rcgen::PKCS_RSA_SHA256).unwrap();
    let ec = pki::new_key();
    let cases = [
        (&rsa, openssl(&["rsa", "-traditional"], &rsa_pkcs8), "RSA PRIVATE KEY"),
        (&ec, openssl(&["ec"], &ec.serialize_pem()), "EC PRIVATE KEY"),
    ];
    for (key, pem, label) in cases {
        assert!(pem.contains(&format!("BEGIN {label}")), "{pem}");
        let cert = pki::issue(&spec, key, &ca.cert, &ca.key);
        let dir = Dir::new();
        dir.write("cert.pem", &cert.pem());
        dir.write("key.pem", &pem);
        let (addr, _tls) = start(dir.files(None), ServerConfig::default()).await;
        let client = connector(&ca.cert, None, TLS13);
        assert_eq!(served(addr, &client).await, cert.der, "{label}");
        let (status, _) = request(addr, &client, "/healthz", None).await.unwrap();
        assert_eq!(status, 200, "{label}");
    }
}

// ------------------------------------------------------------------------- the real binary

/// `sigverify serve` with TLS, killed when dropped; its log lines come through a channel.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: mpsc::Receiver<String>,
    /// The "sigverify serving" log line.
    started: String,
}

impl Server {
    /// With TLS (the flags or environment given): checks that it serves HTTPS.
    fn start(args: &[&str], env: &[(&str, &Path)]) -> Server {
        let server = Server::spawn(args, env);
        assert!(server.started.contains("\"scheme\":\"https\""), "{}", server.started);
        server
    }

    fn spawn(args: &[&str], env: &[(&str, &Path)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigverify"));
        cmd.args([
            "serve",
            "--trust-anchor",
            "testdata/demo/anchors",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        for (name, value) in env {
            cmd.env(name, value);
        }
        let mut child = cmd.spawn().unwrap();
        let (tx, log) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: "0.0.0.0:0".parse().unwrap(),
            log,
            started: String::new(),
        };
        let line = server.wait_for("sigverify serving");
        let addr = line.split("\"listen\":\"").nth(1).unwrap().split('"').next().unwrap();
        server.addr = addr.parse().unwrap();
        server.started = line;
        server
    }

    /// The next log line containing `text`.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("no log line with {text:?}"),
            }
        }
    }

    fn hangup(&self) {
        // SAFETY: sends a signal to our own child process.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, libc::SIGHUP) }, 0);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The certificate `openssl s_client` is served by `localhost` at `addr` (DER); `None` when
/// openssl is missing.
fn openssl_served(addr: SocketAddr) -> Option<Vec<u8>> {
    if !tool("openssl") {
        return None;
    }
    let out = Command::new("openssl")
        .args(["s_client", "-connect", &addr.to_string(), "-servername", "localhost"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let b64: String = text
        .split("-----BEGIN CERTIFICATE-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END CERTIFICATE-----").next())
        .unwrap_or_else(|| panic!("openssl s_client printed no certificate: {text}"))
        .split_whitespace()
        .collect();
    Some(base64::engine::general_purpose::STANDARD.decode(b64).unwrap())
}

/// Without TLS there is nothing to reload: a SIGHUP (as sent to reload a service) is logged
/// and the service goes on serving (by default the signal would end the process).
#[test]
fn without_tls_sighup_is_ignored() {
    use std::io::{Read, Write};
    let server = Server::spawn(&[], &[]);
    assert!(server.started.contains("\"scheme\":\"http\""), "{}", server.started);
    server.hangup();
    server.wait_for("SIGHUP ignored");
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reloads_on_sighup_and_keeps_the_old_certificate_when_the_new_is_broken() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    let first = ca.server("first");
    dir.server_files(&ca, &first);
    let clients = Ca::new("Client CA");
    dir.write("clients.pem", &clients.cert.pem());
    let (cert, key, client_ca) = (dir.path("cert.pem"), dir.path("key.pem"), dir.path("clients.pem"));
    let server = Server::start(
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--tls-client-ca",
            client_ca.to_str().unwrap(),
            // Only the signal reloads here.
            "--tls-check-interval-ms",
            "600000",
        ],
        &[],
    );
    let good = clients.client("Integrator A");
    let client = connector(&ca.cert, Some(&good), TLS13);
    assert_eq!(served(server.addr, &client).await, first.0.der);
    let (status, _) = request(server.addr, &client, "/readyz", None).await.unwrap();
    assert_eq!(status, 200);
    let line = server.wait_for("TLS client certificate accepted");
    assert!(line.contains("CN=Integrator A"), "{line}");

    let second = ca.server("second");
    dir.server_files(&ca, &second);
    server.hangup();
    let line = server.wait_for("TLS files reloaded");
    assert!(line.contains("CN=second"), "{line}");
    assert_eq!(served(server.addr, &client).await, second.0.der);
    let addr = server.addr;
    if let Some(der) = tokio::task::spawn_blocking(move || openssl_served(addr)).await.unwrap() {
        assert_eq!(der, second.0.der, "openssl s_client was served another certificate");
    }

    // A broken key: the reload fails and the certificate in force stays.
    dir.write(
        "key.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    server.hangup();
    server.wait_for("TLS files not reloaded");
    assert_eq!(served(server.addr, &client).await, second.0.der);
    let (status, _) = request(server.addr, &client, "/healthz", None).await.unwrap();
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reloads_changed_files_named_by_environment_variables() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    let first = ca.server("first");
    dir.server_files(&ca, &first);
    let (cert, key) = (dir.path("cert.pem"), dir.path("key.pem"));
    let server = Server::start(
        &["--tls-check-interval-ms", "200"],
        &[("SIGVERIFY_TLS_CERT", &cert), ("SIGVERIFY_TLS_KEY", &key)],
    );
    let client = connector(&ca.cert, None, TLS13);
    assert_eq!(served(server.addr, &client).await, first.0.der);

    // A certificate whose key does not match: not reloaded.
    let second = ca.server("second");
    dir.write("cert.pem", &second.0.pem());
    let line = server.wait_for("TLS files not reloaded");
    assert!(line.contains("\"trigger\":\"files changed\""), "{line}");
    assert_eq!(served(server.addr, &client).await, first.0.der);
    // Its key arrives: reloaded.
    dir.write("key.pem", &second.1.serialize_pem());
    server.wait_for("TLS files reloaded");
    assert_eq!(served(server.addr, &client).await, second.0.der);
}

#[test]
fn tls_flags_go_in_pairs_and_bad_files_stop_the_start() {
    let (ca, dir) = (Ca::new("TLS Root"), Dir::new());
    let server = ca.server("sigverify.test");
    dir.server_files(&ca, &server);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sigverify"))
            .args([
                "serve",
                "--trust-anchor",
                "testdata/demo/anchors",
                "--listen",
                "127.0.0.1:0",
            ])
            .args(args)
            .current_dir(repo())
            .env_remove("SIGVERIFY_TLS_CERT")
            .env_remove("SIGVERIFY_TLS_KEY")
            .env_remove("SIGVERIFY_TLS_CLIENT_CA")
            .output()
            .unwrap()
    };
    let (cert, key) = (dir.path("cert.pem"), dir.path("key.pem"));
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    for args in [
        &["--tls-cert", cert][..],
        &["--tls-key", key],
        &["--tls-client-ca", cert],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("required"), "{args:?}");
    }
    // A key that is not the certificate's: the service does not start.
    let other = ca.server("other");
    let wrong = dir.write("wrong.key", &other.1.serialize_pem());
    let out = run(&["--tls-cert", cert, "--tls-key", wrong.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TLS") && stderr.contains("wrong.key"), "{stderr}");
    let missing = dir.path("missing.pem");
    let out = run(&["--tls-cert", missing.to_str().unwrap(), "--tls-key", key]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.pem"));
}

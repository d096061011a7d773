//! The MSign VerifySignatures SOAP endpoint driven by a SOAP client generated from the WSDL
//! the service serves: zeep (`tests/clients/msign_zeep.py`), against the real `sigverify serve`
//! binary over a real socket.
//!
//! Without Python's zeep the test is skipped with a message; with `SIGVERIFY_REQUIRE_TOOLS=1`
//! (as in CI) it fails instead. Install: `python3 -m pip install zeep`.
#![cfg(feature = "server")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use base64::Engine;
use common::*;
use serde_json::{Value, json};

/// Whether `python3 -c 'import zeep'` works; panics when not and `SIGVERIFY_REQUIRE_TOOLS=1`.
fn zeep_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import zeep"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "SIGVERIFY_REQUIRE_TOOLS=1 but python3 cannot import zeep");
        eprintln!("SKIPPED: python3 with zeep is not installed (python3 -m pip install zeep)");
    }
    ok
}

/// The server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A copy of the bundled policy that does not require revocation status (the samples carry
/// none, and MSign requests have no field for it).
fn policy_without_revocation(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo().join("policy/default.toml")).unwrap();
    assert!(text.contains("mode = \"required\""));
    let path = dir.join("policy.toml");
    std::fs::write(&path, text.replace("mode = \"required\"", "mode = \"not-evaluated\"")).unwrap();
    path
}

/// Starts `sigverify serve` on an ephemeral port trusting the RSA and P-256 test roots (over
/// HTTPS with a client CA when `tls` is given); its base URL.
fn serve(dir: &std::path::Path, tls: Option<&TlsFiles>) -> (Server, String) {
    let policy = policy_without_revocation(dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigverify"));
    if let Some(t) = tls {
        cmd.arg("serve").arg("--tls-cert").arg(&t.server_chain);
        cmd.arg("--tls-key")
            .arg(&t.server_key)
            .arg("--tls-client-ca")
            .arg(&t.ca);
    } else {
        cmd.arg("serve");
    }
    let mut child = cmd
        .args(["--trust-anchors-dir", "no-such-dir"])
        .args(["--trust-anchor", "testdata/pki/rsa/root.pem"])
        .args(["--trust-anchor", "testdata/pki/p256/root.pem"])
        .arg("--policy")
        .arg(&policy)
        .env("SIGVERIFY_LISTEN", "127.0.0.1:0")
        .env_remove("SIGVERIFY_PUBLIC_URL")
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(child.stdout.take().unwrap());
    let server = Server(child);
    let mut line = String::new();
    for _ in 0..50 {
        line.clear();
        if log.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.split("\"listen\":\"").nth(1) {
            let addr = rest.split('"').next().unwrap().to_string();
            // Keep reading the log so that the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in log.lines() {});
            let base = match tls {
                // The server's certificate names localhost.
                Some(_) => format!("https://localhost:{}", addr.rsplit(':').next().unwrap()),
                None => format!("http://{addr}"),
            };
            return (server, base);
        }
    }
    panic!("the server did not log its address: {line}");
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn leaf(dir: &str) -> String {
    let pem = read(&repo().join(format!("testdata/pki/{dir}/leaf.pem")));
    b64(sigverify::formats::x509::Certificate::from_pem_or_der(&pem).unwrap()[0].der())
}

/// cases.tsv rsa-detached-hash: SHA-256 of samples/content/content.txt; and another hash.
const HASH: &str = "VhfmqlvtStNxjWahE0hyKqnyMThqU1RzC92Rc4ZEnCI=";
const WRONG_HASH: &str = "obJYzyb3AjxWh1ssyJuPifTdrgeEWbg09/IVRzT0Vks=";

/// The cases of [`check_answers`], written to `dir/cases.json`.
fn cases_file(dir: &std::path::Path) -> std::path::PathBuf {
    let detached = b64(&read(&repo().join("testdata/samples/rsa-detached.p7s")));
    let xades = b64(&read(&repo().join("testdata/xml/msign-hash.xml")));
    let xades_hash = std::fs::read_to_string(repo().join("testdata/xml/hash.txt")).unwrap();
    let cases = json!([
        {"name": "valid", "type": "Hash", "language": "en", "contents": [
            {"content": HASH, "correlation_id": "ok", "signature": detached}]},
        {"name": "invalid", "type": "Hash", "language": "en", "contents": [
            {"content": WRONG_HASH, "correlation_id": "wrong", "signature": detached}]},
        {"name": "xades-hash", "type": "Hash", "contents": [
            {"content": xades_hash.trim(), "signature": xades}]},
        {"name": "pdf", "type": "Pdf", "language": "ro", "contents": [
            {"signature": b64(&read(&repo().join("testdata/pdf/pades-rsa.pdf")))}]},
        {"name": "fault", "type": "Hash", "contents": [
            {"content": "AAAA", "signature": detached}]},
        {"name": "empty", "type": "Pdf", "contents": []},
    ]);
    let path = dir.join("cases.json");
    std::fs::write(&path, cases.to_string()).unwrap();
    path
}

/// Runs the zeep client against `base` with `env` (its TLS settings).
fn zeep(base: &str, cases: &std::path::Path, env: &[(&str, &std::path::Path)]) -> std::process::Output {
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/clients/msign_zeep.py")).arg(base).arg(cases);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn zeep_client_generated_from_the_wsdl() {
    if !zeep_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sigverify-msign-zeep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_server, base) = serve(&dir, None);
    let out = zeep(&base, &cases_file(&dir), &[]);
    let _ = std::fs::remove_dir_all(&dir);
    check_answers(&out, &base);
}

/// MSign's own client: HTTPS with a client certificate (`BasicHttpsBinding`, transport
/// security). The same client and cases as over HTTP; without the client certificate, or with
/// one of another CA, the handshake is refused and no call is made.
#[test]
fn zeep_client_over_https_with_a_client_certificate() {
    if !zeep_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sigverify-msign-zeep-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tls = TlsFiles::generate(&dir);
    let (_server, base) = serve(&dir, Some(&tls));
    assert!(base.starts_with("https://localhost:"));
    let cases = cases_file(&dir);
    let out = zeep(
        &base,
        &cases,
        &[
            ("MSIGN_TLS_CA", &tls.ca),
            ("MSIGN_TLS_CLIENT_CERT", &tls.client_cert),
            ("MSIGN_TLS_CLIENT_KEY", &tls.client_key),
        ],
    );
    check_answers(&out, &base);
    for client in [None, Some((&tls.stranger_cert, &tls.stranger_key))] {
        let mut env = vec![("MSIGN_TLS_CA", tls.ca.as_path())];
        if let Some((c, k)) = client {
            env.extend([
                ("MSIGN_TLS_CLIENT_CERT", c.as_path()),
                ("MSIGN_TLS_CLIENT_KEY", k.as_path()),
            ]);
        }
        let out = zeep(&base, &cases, &env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{client:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(out.stdout.is_empty(), "{client:?}: no call may have been made");
        assert!(
            stderr.contains("SSL") || stderr.contains("Connection"),
            "{client:?}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// MSign's documented sample request, as WCF sends it, byte for byte over HTTPS with a client
/// certificate (curl): the contract's answer. Without the client certificate: no answer.
#[test]
fn msign_sample_request_over_https_with_a_client_certificate() {
    if !tool_available("curl") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sigverify-msign-curl-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tls = TlsFiles::generate(&dir);
    let (_server, base) = serve(&dir, Some(&tls));
    let sample = repo().join("testdata/msign/verify-signatures-wcf.xml");
    let curl = |client: bool| {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--max-time", "30", "--cacert"]).arg(&tls.ca);
        if client {
            cmd.arg("--cert")
                .arg(&tls.client_cert)
                .arg("--key")
                .arg(&tls.client_key);
        }
        cmd.args(["-H", "Content-Type: text/xml; charset=utf-8"])
            .args(["-H", "SOAPAction: \"https://msign.gov.md/IMSign/VerifySignatures\""])
            .arg("--data-binary")
            .arg(format!("@{}", sample.display()))
            .arg(format!("{base}/msign/soap"))
            .output()
            .unwrap()
    };
    let out = curl(true);
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{xml}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        xml.contains("https://msign.gov.md/IMSign/VerifySignaturesResponse</Action>"),
        "{xml}"
    );
    assert!(
        xml.contains("<Message>The signature is valid</Message><SignaturesValid>true</SignaturesValid>"),
        "{xml}"
    );
    assert!(
        xml.contains("<CorrelationID>b1c8f3a2-5d4e-4f6a-9b7c-0d1e2f3a4b5c</CorrelationID>"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<Subject>SERIALNUMBER=MIDCHEDEMO0000001, CN=Demo Signer RSA, O=sigverify Test PKI, C=CH</Subject>"
        ),
        "{xml}"
    );
    let out = curl(false);
    assert!(
        !out.status.success(),
        "without a client certificate: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether `tool --version` runs; panics when not and `SIGVERIFY_REQUIRE_TOOLS=1`.
fn tool_available(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "SIGVERIFY_REQUIRE_TOOLS=1 but {tool} is not installed");
        eprintln!("SKIPPED: {tool} is not installed");
    }
    ok
}

/// The PEM files of an HTTPS setup: a CA, the server's chain for localhost and its key, a
/// client certificate of the CA, and a client certificate of another CA.
struct TlsFiles {
    ca: std::path::PathBuf,
    server_chain: std::path::PathBuf,
    server_key: std::path::PathBuf,
    client_cert: std::path::PathBuf,
    client_key: std::path::PathBuf,
    stranger_cert: std::path::PathBuf,
    stranger_key: std::path::PathBuf,
}

impl TlsFiles {
    fn generate(dir: &std::path::Path) -> TlsFiles {
        use common::pki::{self, Spec, eku};
        let (ca, ca_key) = pki::root("sigverify MSign TLS CA");
        let (other, other_key) = pki::root("sigverify other TLS CA");
        let issue = |cn: &str, server: bool, issuer: &pki::Cert, issuer_key: &pki::KeyPair| {
            let key = pki::new_key();
            let spec = if server {
                Spec::leaf(cn).san_dns("localhost").eku(&[eku::SERVER_AUTH], false)
            } else {
                Spec::leaf(cn).eku(&[eku::CLIENT_AUTH], false)
            };
            let spec = spec.key_usage(&[pki::Ku::DigitalSignature]);
            (pki::issue(&spec, &key, issuer, issuer_key), key)
        };
        let write = |name: &str, text: String| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let (server, server_key) = issue("localhost", true, &ca, &ca_key);
        let (client, client_key) = issue("e-service client", false, &ca, &ca_key);
        let (stranger, stranger_key) = issue("stranger", false, &other, &other_key);
        TlsFiles {
            ca: write("ca.pem", ca.pem()),
            server_chain: write("server.pem", format!("{}{}", server.pem(), ca.pem())),
            server_key: write("server.key", server_key.serialize_pem()),
            client_cert: write("client.pem", client.pem()),
            client_key: write("client.key", client_key.serialize_pem()),
            stranger_cert: write("stranger.pem", stranger.pem()),
            stranger_key: write("stranger.key", stranger_key.serialize_pem()),
        }
    }
}

/// The zeep client's answers to the cases of [`cases_file`]: the contract's.
fn check_answers(out: &std::process::Output, base: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // The WSDL's address is this server's (from the Host header zeep sent).
    assert_eq!(lines[0]["address"], format!("{base}/msign/soap"));
    let case = |name: &str| {
        lines
            .iter()
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {stdout}"))
    };

    let r = &case("valid")["results"][0];
    assert_eq!(r["signatures_valid"], true, "{stdout}");
    assert_eq!(r["correlation_id"], "ok");
    assert_eq!(r["message"], "The signature is valid");
    let c = &r["certificates"][0];
    assert_eq!(c["signature_valid"], true);
    assert_eq!(c["certificate"], leaf("rsa"));
    assert_eq!(
        c["subject"],
        "SERIALNUMBER=MIDCHEDEMO0000001, CN=Demo Signer RSA, O=sigverify Test PKI, C=CH"
    );
    assert_eq!(c["signed_at"], Value::Null);

    let r = &case("invalid")["results"][0];
    assert_eq!(r["signatures_valid"], false, "{stdout}");
    assert_eq!(r["certificates"][0]["signature_valid"], false);
    assert_ne!(r["message"], "The signature is valid");

    let r = &case("xades-hash")["results"][0];
    assert_eq!(r["signatures_valid"], true, "{stdout}");
    assert_eq!(r["message"], "Semnătura este validă", "Romanian by default");
    assert_eq!(r["correlation_id"], Value::Null);

    let r = &case("pdf")["results"][0];
    assert_eq!(r["signatures_valid"], true, "{stdout}");
    assert_eq!(r["certificates"][0]["certificate"], leaf("rsa"));

    // zeep raises zeep.exceptions.Fault with the faultcode's QName.
    for name in ["fault", "empty"] {
        let f = &case(name)["fault"];
        assert_eq!(f["code"], "a:InvalidParameter", "{name}: {stdout}");
        assert!(
            f["message"].as_str().unwrap().starts_with("Contents"),
            "{name}: {stdout}"
        );
    }
}

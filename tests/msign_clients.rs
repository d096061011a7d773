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

/// Starts `sigverify serve` on an ephemeral port trusting the RSA and P-256 test roots; its
/// base URL.
fn serve(dir: &std::path::Path) -> (Server, String) {
    let policy = policy_without_revocation(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigverify"))
        .args(["serve", "--trust-anchors-dir", "no-such-dir"])
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
            return (server, format!("http://{addr}"));
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

#[test]
fn zeep_client_generated_from_the_wsdl() {
    if !zeep_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sigverify-msign-zeep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_server, base) = serve(&dir);
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
    let cases_file = dir.join("cases.json");
    std::fs::write(&cases_file, cases.to_string()).unwrap();
    let out = Command::new("python3")
        .arg(repo().join("tests/clients/msign_zeep.py"))
        .arg(&base)
        .arg(&cases_file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
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

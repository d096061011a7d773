//! A real OCSP responder for the live OCSP tests: `openssl ocsp` on a loopback port, answering
//! for the rsa ICA of the test PKI from `testdata/ocsp/live/index.txt`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::repo;

/// A file of `testdata/ocsp/live/`.
pub fn live(name: &str) -> PathBuf {
    repo().join("testdata/ocsp/live").join(name)
}

/// A file of the rsa test PKI.
pub fn pki(name: &str) -> PathBuf {
    repo().join("testdata/pki/rsa").join(name)
}

/// `openssl ocsp` answering for the rsa ICA from the live index, on a free loopback port.
pub struct OpensslResponder {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
}

impl Drop for OpensslResponder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `openssl ocsp` says it listens (a connection made to find out would stall
/// it: it serves one connection at a time and waits on one that sends nothing).
fn wait_listening(child: &mut Child) {
    use std::io::BufRead;
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("waiting for OCSP client connections") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(15))
        .expect("openssl ocsp did not start listening");
}

/// A loopback port free a moment ago.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Started, and listening; None (with a message) when `openssl` is missing.
pub fn openssl_responder() -> Option<OpensslResponder> {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("skipped: openssl not found (the live OCSP tests start `openssl ocsp` as responder)");
        return None;
    }
    let port = free_port();
    let child = Command::new("openssl")
        .args(["ocsp", "-index"])
        .arg(live("index.txt"))
        .args(["-port", &port.to_string(), "-ndays", "1", "-rsigner"])
        .arg(pki("ica.pem"))
        .arg("-rkey")
        .arg(pki("ica.key"))
        .arg("-CA")
        .arg(pki("ica.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut responder = OpensslResponder { child, port };
    wait_listening(&mut responder.child);
    Some(responder)
}

//! Live OCSP round trip: a full verification of a CMS signature (`testdata/ocsp/live/`) whose
//! leaf's status is asked of a local `openssl ocsp` responder on a loopback port, through the
//! fetcher's cache (`cached`: every iteration after the first answered from it) and without
//! it (`uncached`: a request, a response signed by the responder, and the second
//! verification, every iteration). Before measuring, each is verified once and must be
//! TOTAL_PASSED; every timed iteration asserts it too.
//!
//! Needs the `openssl` CLI; run with `cargo bench --bench live_ocsp`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sigverify::online::{FetchConfig, Fetcher, verify_with_live_ocsp};
use sigverify::policy::RevocationMode;
use sigverify::revocation::path::Info;
use sigverify::{CertPool, Content, DefaultVerifier, Indication, LinkCache, Policy, Report, UnixTime, VerifyContext};

const HOST: &str = "ocsp.sigverify.test";

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(path)
}

struct Responder(Child);

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

fn start_responder() -> (Responder, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ica = testdata("pki/rsa/ica.pem");
    let child = Command::new("openssl")
        .args(["ocsp", "-index"])
        .arg(testdata("ocsp/live/index.txt"))
        .args(["-port", &port.to_string(), "-ndays", "1", "-rsigner"])
        .arg(&ica)
        .arg("-rkey")
        .arg(testdata("pki/rsa/ica.key"))
        .arg("-CA")
        .arg(&ica)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the live OCSP bench needs the openssl CLI");
    let mut responder = Responder(child);
    wait_listening(&mut responder.0);
    (responder, port)
}

fn pool(paths: &[&str]) -> CertPool {
    let mut pool = CertPool::new();
    for p in paths {
        let pem = std::fs::read(testdata(p)).unwrap();
        for c in sigverify::formats::x509::Certificate::from_pem_or_der(&pem).unwrap() {
            pool.add(std::sync::Arc::new(c));
        }
    }
    pool
}

struct Setup {
    anchors: CertPool,
    intermediates: CertPool,
    policy: Policy,
    cache: LinkCache,
    input: Vec<u8>,
    crl: Vec<u8>,
}

impl Setup {
    fn verify(&self, extra: &[Info<'_>], time: UnixTime) -> Report {
        let mut infos = vec![Info::Crl(&self.crl)];
        infos.extend_from_slice(extra);
        let ctx = VerifyContext {
            trust: &self.anchors,
            intermediates: &self.intermediates,
            verifier: &DefaultVerifier,
            policy: &self.policy,
            time,
            cache: Some(&self.cache),
            budget: sigverify::Budget::default(),
            cancel: None,
            revocation: &infos,
        };
        sigverify::verify(&self.input, Content::None, &ctx)
    }
}

fn fetcher(port: u16, cache_entries: usize) -> Fetcher {
    Fetcher::new(FetchConfig {
        allow_hosts: vec![HOST.into()],
        allow_private: true,
        static_hosts: HashMap::from([(HOST.into(), SocketAddr::from(([127, 0, 0, 1], port)))]),
        cache_entries,
        ..FetchConfig::default()
    })
}

fn bench(c: &mut Criterion) {
    let (_responder, port) = start_responder();
    let mut policy = Policy::default_policy();
    policy.revocation = RevocationMode::Required;
    let setup = Setup {
        anchors: pool(&["pki/rsa/root.pem"]),
        intermediates: pool(&["pki/rsa/ica.pem"]),
        policy,
        cache: LinkCache::new(),
        input: std::fs::read(testdata("ocsp/live/leaf-good.p7s")).unwrap(),
        crl: std::fs::read(testdata("ocsp/live/root.crl")).unwrap(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("live_ocsp");
    for (name, entries) in [("uncached", 0), ("cached", 16)] {
        let fetcher = fetcher(port, entries);
        let run = || {
            let time = sigverify::online::fetch::now();
            let r = rt.block_on(verify_with_live_ocsp(&fetcher, |extra| setup.verify(extra, time)));
            assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
        };
        run();
        group.bench_function(name, |b| b.iter(run));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);

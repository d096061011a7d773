//! Throughput of a full `verify()` on CMS signatures (RSA-2048 and ECDSA P-256 chains:
//! leaf -> intermediate -> root), in three cache states:
//!
//! * `repeat_signer`: the link cache already holds leaf->ica and ica->root; one CMS signature
//!   check per verification.
//! * `first_time_signer`: the cache holds only ica->root; every iteration verifies a signature by
//!   a leaf never seen before (two signature checks). The cache is re-created and re-warmed
//!   outside the timed part whenever the leaves run out.
//! * `cold`: `cache: None`; three signature checks (CMS, ica->leaf, root->ica).
//!
//! Clock: wall time by default; with `SIGVERIFY_BENCH_CPU_TIME=1` the time is the CPU time of
//! the benchmarking thread (`CLOCK_THREAD_CPUTIME_ID`), which gives the one-core throughput
//! even when other processes compete for the cores (compare.sh sets it).
//!
//! Inputs come from `benches/gen.sh` (run automatically when `benches/data` is incomplete).
//! Before measuring, every file is verified once and must be TOTAL_PASSED, and the number of
//! signature checks per scenario is asserted with a counting verifier: the bench panics
//! otherwise, so it can never measure failures.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::crypto::{CryptoError, Message, PublicKey, SignatureScheme};
use sigverify::formats::x509::Certificate;
use sigverify::policy::RevocationMode;
use sigverify::{
    CertPool, Content, DefaultVerifier, Indication, LinkCache, Policy, SignatureVerifier, UnixTime, VerifyContext,
    verify,
};

const ALGS: [(&str, &str); 2] = [("rsa2048", "RSA-2048"), ("p256", "P-256")];
mod common;
use common::Clock;

const AT: &str = "2026-06-01T00:00:00Z";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join("data")
}

fn ensure_data() {
    let dir = data_dir();
    if ALGS.iter().all(|(a, _)| dir.join(a).join(".complete").exists()) {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join("gen.sh");
    let status = std::process::Command::new("bash")
        .arg(&script)
        .status()
        .expect("cannot run benches/gen.sh");
    assert!(status.success(), "benches/gen.sh failed: {status}");
}

struct Data {
    anchors: CertPool,
    ica: Vec<u8>,
    files: Vec<Vec<u8>>,
}

fn load(alg: &str) -> Data {
    let dir = data_dir().join(alg);
    let root = std::fs::read(dir.join("root.pem")).expect("root.pem");
    let mut anchors = CertPool::new();
    for c in Certificate::from_pem_or_der(&root).expect("root.pem parses") {
        anchors.add(Arc::new(c));
    }
    let ica = std::fs::read(dir.join("ica.pem")).expect("ica.pem");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("data dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "p7s"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{}: too few .p7s files", dir.display());
    let files = names.iter().map(|p| std::fs::read(p).expect("read .p7s")).collect();
    Data { anchors, ica, files }
}

/// Counts signature checks, to assert what each scenario measures.
struct Counting(AtomicUsize);

impl SignatureVerifier for Counting {
    fn verify(
        &self,
        key: &PublicKey,
        scheme: &SignatureScheme,
        message: Message<'_>,
        sig: &[u8],
    ) -> Result<(), CryptoError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        DefaultVerifier.verify(key, scheme, message, sig)
    }
}

fn ctx<'a>(
    d: &'a Data,
    empty: &'a CertPool,
    policy: &'a Policy,
    v: &'a dyn SignatureVerifier,
    cache: Option<&'a LinkCache>,
) -> VerifyContext<'a> {
    VerifyContext {
        trust: &d.anchors,
        intermediates: empty,
        verifier: v,
        policy,
        time: UnixTime::parse_rfc3339(AT).expect("time"),
        cache,
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    }
}

#[track_caller]
fn check_passed(bytes: &[u8], c: &VerifyContext<'_>) {
    let r = verify(bytes, Content::None, c);
    if r.indication != Indication::TotalPassed {
        panic!(
            "bench input does not verify: {:?}/{:?}\n{}",
            r.indication,
            r.sub_indication,
            serde_json::to_string_pretty(&r).unwrap_or_default()
        );
    }
}

/// Puts the ica->root link (only) into `cache`, by verifying the intermediate as a certificate.
fn warm_intermediate(d: &Data, empty: &CertPool, policy: &Policy, cache: &LinkCache) {
    let _ = verify(
        &d.ica,
        Content::None,
        &ctx(d, empty, policy, &DefaultVerifier, Some(cache)),
    );
}

/// Every file TOTAL_PASSED; 3 / 2 / 1 signature checks for cold / first-time / repeat.
fn sanity(alg: &str, d: &Data, empty: &CertPool, policy: &Policy) {
    let counter = Counting(AtomicUsize::new(0));
    for f in &d.files {
        check_passed(f, &ctx(d, empty, policy, &DefaultVerifier, None));
    }
    let cache = LinkCache::new();
    warm_intermediate(d, empty, policy, &cache);
    let c = ctx(d, empty, policy, &counter, Some(&cache));
    let expect = |what: &str, file: &[u8], n: usize, c: &VerifyContext<'_>| {
        counter.0.store(0, Ordering::Relaxed);
        check_passed(file, c);
        let got = counter.0.load(Ordering::Relaxed);
        assert_eq!(got, n, "{alg} {what}: expected {n} signature checks, got {got}");
    };
    expect("first-time signer", &d.files[0], 2, &c);
    expect("repeat signer", &d.files[0], 1, &c);
    expect("first-time signer", &d.files[1], 2, &c);
    let cold = ctx(d, empty, policy, &counter, None);
    expect("cold", &d.files[2], 3, &cold);
    eprintln!(
        "{alg}: {} files TOTAL_PASSED; signature checks cold/first-time/repeat = 3/2/1",
        d.files.len()
    );
}

/// The bundled policy without revocation checking: these inputs carry no revocation data, and
/// what revocation costs is measured by the `revocation` bench.
fn bench_policy() -> Policy {
    let mut policy = Policy::default_policy();
    policy.revocation = RevocationMode::NotEvaluated;
    policy
}

fn bench(c: &mut Criterion<Clock>) {
    let clock = Clock::from_env();
    eprintln!("clock: {}", if clock.cpu { "thread CPU time" } else { "wall time" });
    ensure_data();
    let empty = CertPool::new();
    let policy = bench_policy();
    for (alg, label) in ALGS {
        let d = load(alg);
        sanity(alg, &d, &empty, &policy);
        let mut g = c.benchmark_group(format!("verify/{label}"));
        g.throughput(Throughput::Elements(1));

        // (a) repeat signer: warm cache, same file.
        let cache = LinkCache::new();
        let warm = ctx(&d, &empty, &policy, &DefaultVerifier, Some(&cache));
        check_passed(&d.files[0], &warm);
        g.bench_function("repeat_signer", |b| {
            b.iter(|| {
                let r = verify(black_box(&d.files[0]), Content::None, &warm);
                assert!(r.indication == Indication::TotalPassed);
                r
            })
        });

        // (b) first-time signer: only ica->root cached, a new leaf each iteration.
        g.bench_function("first_time_signer", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let mut left = iters as usize;
                while left > 0 {
                    let cache = LinkCache::new();
                    warm_intermediate(&d, &empty, &policy, &cache);
                    let c = ctx(&d, &empty, &policy, &DefaultVerifier, Some(&cache));
                    let n = left.min(d.files.len());
                    let start = clock.now();
                    for f in &d.files[..n] {
                        let r = verify(black_box(f), Content::None, &c);
                        assert!(r.indication == Indication::TotalPassed);
                        black_box(r);
                    }
                    total += clock.now() - start;
                    left -= n;
                }
                total
            })
        });

        // (c) cold: no cache; CMS signature + two certificate signatures.
        let cold = ctx(&d, &empty, &policy, &DefaultVerifier, None);
        g.bench_function("cold", |b| {
            b.iter(|| {
                let r = verify(black_box(&d.files[0]), Content::None, &cold);
                assert!(r.indication == Indication::TotalPassed);
                r
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(Clock::from_env());
    targets = bench
}
criterion_main!(benches);

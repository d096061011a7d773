//! The in-process reference for the HTTP load bench (`benches/http_load.sh`): the Mobile ID
//! check `POST /api/v1/mobileid/verify` makes for the body that script sends, without HTTP.
//!
//! The input is `testdata/mobileid/signature-rsa.json` with
//! `testdata/mobileid/signature-rsa.expected.json`, validated at 2026-06-01T00:00:00Z against the
//! trust anchor `testdata/mobileid/root.pem`, revocation checking `off` (the endpoint's
//! default), with a warm link cache as a running service has after its first request. Each
//! iteration is [`sigverify::mobileid::verify_response`] on the already-parsed response: the
//! library-level check the handler calls. The verdict must be TOTAL_PASSED before measuring and
//! in every timed iteration, else the bench panics.
//!
//! Clock: wall time by default; with `SIGVERIFY_BENCH_CPU_TIME=1` the CPU time of the
//! benchmarking thread, which gives the one-core cost even when other processes compete for
//! the cores. Two cores at that cost do `2 / cost` checks per second: the in-process two-core
//! rate `http_load.sh` compares the HTTP throughput with.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::formats::x509::Certificate;
use sigverify::mobileid::{Expected, verify_response};
use sigverify::revocation::OcspMode;
use sigverify::{CertPool, DefaultVerifier, Indication, LinkCache, Policy, UnixTime, VerifyContext};

mod common;
use common::Clock;

const AT: &str = "2026-06-01T00:00:00Z";

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join("mobileid")
        .join(name)
}

fn read_json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let bytes = std::fs::read(testdata(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn anchors() -> CertPool {
    let pem = std::fs::read(testdata("root.pem")).expect("root.pem");
    let mut pool = CertPool::new();
    for c in Certificate::from_pem_or_der(&pem).expect("root.pem parses") {
        pool.add(Arc::new(c));
    }
    pool
}

fn bench(c: &mut Criterion<Clock>) {
    let clock = Clock::from_env();
    eprintln!("clock: {}", if clock.cpu { "thread CPU time" } else { "wall time" });
    let response: serde_json::Value = read_json("signature-rsa.json");
    let expected: Expected = read_json("signature-rsa.expected.json");
    let trust = anchors();
    let empty = CertPool::new();
    // The service's policy (the bundled one) under the endpoint's default `"ocsp": "off"`.
    let bundled = Policy::default_policy();
    let policy = OcspMode::Off.policy(&bundled);
    let cache = LinkCache::new();
    let ctx = VerifyContext {
        trust: &trust,
        intermediates: &empty,
        verifier: &DefaultVerifier,
        policy: &policy,
        time: UnixTime::parse_rfc3339(AT).expect("time"),
        cache: Some(&cache),
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    };
    // The first check warms the cache, as the service's first request does.
    for _ in 0..2 {
        let r = verify_response(&response, &expected, &ctx);
        assert!(
            r.indication == Indication::TotalPassed,
            "bench input does not verify: {:?}/{:?}\n{}",
            r.indication,
            r.sub_indication,
            serde_json::to_string_pretty(&r).unwrap_or_default()
        );
    }
    eprintln!("mobileid: signature-rsa.json TOTAL_PASSED");
    let mut g = c.benchmark_group("mobileid");
    g.throughput(Throughput::Elements(1));
    g.bench_function("verify_response", |b| {
        b.iter(|| {
            let r = verify_response(black_box(&response), black_box(&expected), &ctx);
            assert!(r.indication == Indication::TotalPassed);
            r
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(Clock::from_env());
    targets = bench
}
criterion_main!(benches);

//! Throughput of a full `verify()` on PAdES documents, with the inputs of `benches/gen_pades.sh`
//! (pyHanko, one PAdES B-B signature (`ETSI.CAdES.detached`, SHA-256) over the whole file by the
//! RSA-2048 leaf of `testdata/pki/rsa`, issuing CA embedded):
//!
//! * `pades/RSA-2048/small-100KB`: `small.pdf`, ~100 KB of uncompressed text pages; per
//!   verification, repeat signer (shared `LinkCache` holding the certificate links) and `_cold`
//!   (`cache: None`).
//! * `pades-50MB/RSA-2048/verify`: `large.pdf`, ~50 MB (an incompressible image stream), in
//!   bytes per second, repeat signer.
//! * `pades-50MB/RSA-2048/sha256`: `HashAlg::Sha256.digest` over the same 50 MB, in the same
//!   run: the ceiling of the large-file rate (the signature's message digest is a SHA-256 over
//!   all but the `/Contents` value).
//!
//! The inputs are generated, not checked in: `benches/gen_pades.sh` writes them to
//! `$SIGVERIFY_PADES_INPUTS`, else `$CARGO_TARGET_DIR/pades-bench`, else `target/pades-bench`,
//! where this bench reads them.
//!
//! Clock: wall time by default; `SIGVERIFY_BENCH_CPU_TIME=1` measures the CPU time of the
//! benchmarking thread (see `common/mod.rs`). Before measuring, each input is verified and must
//! be TOTAL_PASSED, and the number of signature checks is asserted with a counting verifier;
//! every timed iteration asserts TOTAL_PASSED.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::formats::x509::Certificate;
use sigverify::{CertPool, Content, DefaultVerifier, HashAlg, Indication, LinkCache, Policy, verify};

mod common;
mod sanity;
use common::Clock;
use sanity::{check_passed, ctx, sanity};

fn inputs_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SIGVERIFY_PADES_INPUTS") {
        return PathBuf::from(d);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("pades-bench")
}

fn input(name: &str) -> Vec<u8> {
    let p = inputs_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e} (make the inputs with benches/gen_pades.sh)", p.display()))
}

fn root_pool() -> CertPool {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pki/rsa/root.pem");
    let pem = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut anchors = CertPool::new();
    for cert in Certificate::from_pem_or_der(&pem).expect("root.pem parses") {
        anchors.add(Arc::new(cert));
    }
    anchors
}

fn bench(c: &mut Criterion<Clock>) {
    eprintln!(
        "clock: {}; inputs: {}",
        if Clock::from_env().cpu {
            "thread CPU time"
        } else {
            "wall time"
        },
        inputs_dir().display()
    );
    let empty = CertPool::new();
    let policy = Policy::default_policy();
    let anchors = root_pool();

    let small = input("small.pdf");
    sanity("small.pdf", &small, &anchors, &empty, &policy);
    let mut g = c.benchmark_group("pades/RSA-2048");
    g.throughput(Throughput::Elements(1));
    let cache = LinkCache::new();
    let warm = ctx(&anchors, &empty, &policy, &DefaultVerifier, Some(&cache));
    check_passed("small.pdf", &small, &warm);
    g.bench_function("small-100KB", |b| {
        b.iter(|| {
            let r = verify(black_box(&small), Content::None, &warm);
            assert!(r.indication == Indication::TotalPassed);
            r
        })
    });
    let cold = ctx(&anchors, &empty, &policy, &DefaultVerifier, None);
    g.bench_function("small-100KB_cold", |b| {
        b.iter(|| {
            let r = verify(black_box(&small), Content::None, &cold);
            assert!(r.indication == Indication::TotalPassed);
            r
        })
    });
    g.finish();

    let large = input("large.pdf");
    sanity("large.pdf", &large, &anchors, &empty, &policy);
    let mut g = c.benchmark_group("pades-50MB/RSA-2048");
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    let cache = LinkCache::new();
    let warm = ctx(&anchors, &empty, &policy, &DefaultVerifier, Some(&cache));
    check_passed("large.pdf", &large, &warm);
    g.bench_function("verify", |b| {
        b.iter(|| {
            let r = verify(black_box(&large), Content::None, &warm);
            assert!(r.indication == Indication::TotalPassed);
            r
        })
    });
    g.bench_function("sha256", |b| b.iter(|| HashAlg::Sha256.digest(black_box(&large))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(Clock::from_env());
    targets = bench
}
criterion_main!(benches);

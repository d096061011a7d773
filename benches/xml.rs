//! Throughput of a full `verify()` on XML signatures, with the xmlsec1-signed inputs of
//! `testdata/xml/` (RSA-2048 signer, chain leaf -> intermediate -> root of `testdata/pki/rsa`):
//!
//! * `xades/RSA-2048/enveloped`: `enveloped-rsa.xml`, XAdES-B-B enveloped signature over a
//!   small document (Reference `URI=""` + the SignedProperties Reference, exclusive C14N).
//! * `asice/RSA-2048/one-2KiB-file`: `asic-one-file.asice`, an ASiC-E container with one
//!   2 KiB data file (`hello.txt`) and one XAdES signature file: ZIP and container structure,
//!   manifest, the XAdES signature with the data file as its external reference, coverage.
//!
//! Each in two cache states, as in `verify.rs`:
//!
//! * no suffix (repeat signer): the shared `LinkCache` already holds leaf->ica and ica->root;
//!   one signature check per verification (the SignatureValue over SignedInfo).
//! * `_cold`: `cache: None`; three signature checks (SignedInfo, ica->leaf, root->ica).
//!
//! There is one signed file per format, so there is no first-time-signer variant.
//!
//! Clock: wall time by default; `SIGVERIFY_BENCH_CPU_TIME=1` measures the CPU time of the
//! benchmarking thread (see `common/mod.rs`). Before measuring, each input is verified and must
//! be TOTAL_PASSED, and the number of signature checks is asserted with a counting verifier;
//! every timed iteration asserts TOTAL_PASSED.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::formats::x509::Certificate;
use sigverify::{CertPool, Content, DefaultVerifier, Indication, LinkCache, Policy, verify};

mod common;
mod sanity;
use common::Clock;
use sanity::{check_passed, ctx, sanity};

/// (criterion group, function name, file under testdata/xml)
const INPUTS: [(&str, &str, &str); 2] = [
    ("xades/RSA-2048", "enveloped", "enveloped-rsa.xml"),
    ("asice/RSA-2048", "one-2KiB-file", "asic-one-file.asice"),
];

fn testdata(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn bench(c: &mut Criterion<Clock>) {
    eprintln!(
        "clock: {}",
        if Clock::from_env().cpu {
            "thread CPU time"
        } else {
            "wall time"
        }
    );
    let empty = CertPool::new();
    let policy = Policy::default_policy();
    let mut anchors = CertPool::new();
    for cert in Certificate::from_pem_or_der(&testdata("pki/rsa/root.pem")).expect("root.pem parses") {
        anchors.add(Arc::new(cert));
    }
    for (group, name, file) in INPUTS {
        let bytes = testdata(&format!("xml/{file}"));
        sanity(file, &bytes, &anchors, &empty, &policy);
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1));

        // Repeat signer: the cache holds both certificate links.
        let cache = LinkCache::new();
        let warm = ctx(&anchors, &empty, &policy, &DefaultVerifier, Some(&cache));
        check_passed(file, &bytes, &warm);
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = verify(black_box(&bytes), Content::None, &warm);
                assert!(r.indication == Indication::TotalPassed);
                r
            })
        });

        // Cold: no cache; SignedInfo + two certificate signatures.
        let cold = ctx(&anchors, &empty, &policy, &DefaultVerifier, None);
        g.bench_function(format!("{name}_cold"), |b| {
            b.iter(|| {
                let r = verify(black_box(&bytes), Content::None, &cold);
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

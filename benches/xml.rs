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
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::crypto::{CryptoError, Message, PublicKey, SignatureScheme};
use sigverify::formats::x509::Certificate;
use sigverify::{
    CertPool, Content, DefaultVerifier, Indication, LinkCache, Policy, SignatureVerifier, UnixTime, VerifyContext,
    verify,
};

mod common;
use common::Clock;

const AT: &str = "2026-06-01T00:00:00Z";

/// (criterion group, function name, file under testdata/xml)
const INPUTS: [(&str, &str, &str); 2] = [
    ("xades/RSA-2048", "enveloped", "enveloped-rsa.xml"),
    ("asice/RSA-2048", "one-2KiB-file", "asic-one-file.asice"),
];

fn testdata(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Counts signature checks, to assert what each variant measures.
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
    anchors: &'a CertPool,
    empty: &'a CertPool,
    policy: &'a Policy,
    v: &'a dyn SignatureVerifier,
    cache: Option<&'a LinkCache>,
) -> VerifyContext<'a> {
    VerifyContext {
        trust: anchors,
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
fn check_passed(name: &str, bytes: &[u8], c: &VerifyContext<'_>) {
    let r = verify(bytes, Content::None, c);
    if r.indication != Indication::TotalPassed {
        panic!(
            "bench input {name} does not verify: {:?}/{:?}\n{}",
            r.indication,
            r.sub_indication,
            serde_json::to_string_pretty(&r).unwrap_or_default()
        );
    }
}

/// TOTAL_PASSED; 3 signature checks cold, 3 the first time with a cache, 1 on repeat.
fn sanity(name: &str, bytes: &[u8], anchors: &CertPool, empty: &CertPool, policy: &Policy) {
    let counter = Counting(AtomicUsize::new(0));
    let cache = LinkCache::new();
    let expect = |what: &str, n: usize, c: &VerifyContext<'_>| {
        counter.0.store(0, Ordering::Relaxed);
        check_passed(name, bytes, c);
        let got = counter.0.load(Ordering::Relaxed);
        assert_eq!(got, n, "{name} {what}: expected {n} signature checks, got {got}");
    };
    expect("cold", 3, &ctx(anchors, empty, policy, &counter, None));
    let cached = ctx(anchors, empty, policy, &counter, Some(&cache));
    expect("first verification with a cache", 3, &cached);
    expect("repeat signer", 1, &cached);
    eprintln!("{name}: TOTAL_PASSED; signature checks cold/repeat = 3/1");
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

//! What an embedded RFC 3161 time-stamp and embedded OCSP responses add to a full `verify()` of
//! a CMS (CAdES) signature. The inputs are checked in under `testdata/revocation-bench/`
//! (written by its `generate.sh` with openssl from `testdata/pki/rsa` and `testdata/tsa`): one
//! attached CAdES signature (SHA-256, RSA-2048 leaf, issuing CA embedded, 2 KiB of content),
//!
//! * `cades-b`: as signed (CAdES-B-B);
//! * `cades-t`: with a signature-time-stamp unsigned attribute (B-T), a token of `tsa.pem`
//!   (its issuing CA inside the token);
//! * `cades-lt`: B-T with three OCSP responses in the SignedData's RevocationInfoChoices
//!   (`[1] id-ri-ocsp-response`): the leaf and the TSA by the issuing CA, the issuing CA by the
//!   root, all produced 29 minutes after the time-stamp (B-LT-like);
//! * `cades-lt-rv`: the same responses in a CAdES revocation-values attribute instead.
//!
//! Each is measured cold (`cache: None`) and as a repeat signer (a `LinkCache` already holding
//! the certificate links), at 2026-06-01T00:00:00Z, with the RSA test root as the only trust
//! anchor. The policy is the bundled one with `[revocation] mode = "not-evaluated"` set here,
//! so that the results do not depend on the bundled default: the OCSP responses are evaluated
//! either way, and the B and B-T files, which carry no revocation information, pass.
//!
//! Before measuring, each input must be TOTAL_PASSED, with a passed REVOCATION check (status
//! established at the time-stamp's time) for the OCSP ones and passed TIMESTAMP_IMPRINT and
//! TIMESTAMP_SIGNATURE checks for the time-stamped ones; the signature checks each makes are
//! counted and printed. Every timed iteration asserts TOTAL_PASSED. Clock: as in `pades.rs`.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sigverify::crypto::{CryptoError, Message, PublicKey, SignatureScheme};
use sigverify::formats::x509::Certificate;
use sigverify::policy::RevocationMode;
use sigverify::verdict::{CheckCode, CheckResult};
use sigverify::{
    CertPool, Content, DefaultVerifier, Indication, LinkCache, Policy, SignatureVerifier, VerifyContext, verify,
};

mod common;
mod sanity;
use common::Clock;
use sanity::{check_passed, ctx, sanity};

/// The inputs, and the time-stamp / OCSP checks each must show.
const INPUTS: &[(&str, bool, bool)] = &[
    ("cades-b", false, false),
    ("cades-t", true, false),
    ("cades-lt", true, true),
    ("cades-lt-rv", true, true),
];

fn testdata(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn root_pool() -> CertPool {
    let mut anchors = CertPool::new();
    for cert in Certificate::from_pem_or_der(&testdata("pki/rsa/root.pem")).expect("root.pem parses") {
        anchors.add(Arc::new(cert));
    }
    anchors
}

/// The bundled policy with the revocation mode fixed to "not-evaluated".
fn bench_policy() -> Policy {
    let mut policy = Policy::default_policy();
    policy.revocation = RevocationMode::NotEvaluated;
    policy
}

/// Counts signature checks.
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

/// TOTAL_PASSED, with the time-stamp and revocation checks the input is there to measure;
/// prints the signature checks made cold and as a repeat signer.
fn check_input(name: &str, bytes: &[u8], timestamp: bool, ocsp: bool, anchors: &CertPool, policy: &Policy) {
    let empty = CertPool::new();
    let cold = ctx(anchors, &empty, policy, &DefaultVerifier, None);
    let r = verify(bytes, Content::None, &cold);
    assert_eq!(r.indication, Indication::TotalPassed, "{name}: {:?}", r.sub_indication);
    assert_eq!(r.signatures.len(), 1, "{name}: one signature");
    let checks = &r.signatures[0].checks;
    let result = |code: CheckCode| {
        checks
            .iter()
            .find(|c| c.code == code)
            .map(|c| (c.result, c.detail.as_str()))
    };
    for code in [CheckCode::TimestampImprint, CheckCode::TimestampSignature] {
        match result(code) {
            Some((CheckResult::Passed, _)) if timestamp => {}
            None if !timestamp => {}
            other => panic!("{name}: {code:?} {other:?}"),
        }
    }
    match result(CheckCode::Revocation) {
        Some((CheckResult::Passed, detail)) if ocsp => {
            assert!(
                detail.contains("not revoked at 2026-01-15T12:01:00Z"),
                "{name}: {detail}"
            );
            assert_eq!(detail.matches("OCSP good").count(), 2, "{name}: {detail}");
        }
        Some((CheckResult::NotRun, _)) if !ocsp => {}
        other => panic!("{name}: REVOCATION {other:?}"),
    }

    let counter = Counting(AtomicUsize::new(0));
    let cache = LinkCache::new();
    let mut counts = Vec::new();
    for c in [
        ctx(anchors, &empty, policy, &counter, None),
        ctx(anchors, &empty, policy, &counter, Some(&cache)),
        ctx(anchors, &empty, policy, &counter, Some(&cache)),
    ] {
        counter.0.store(0, Ordering::Relaxed);
        check_passed(name, bytes, &c);
        counts.push(counter.0.load(Ordering::Relaxed).to_string());
    }
    eprintln!(
        "{name}: {} bytes, TOTAL_PASSED{}{}; signature checks cold/first cached/repeat = {}",
        bytes.len(),
        if timestamp { ", time-stamp passed" } else { "" },
        if ocsp { ", REVOCATION passed (OCSP)" } else { "" },
        counts.join("/")
    );
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
    let policy = bench_policy();
    let anchors = root_pool();
    let inputs: Vec<(&str, Vec<u8>)> = INPUTS
        .iter()
        .map(|(name, timestamp, ocsp)| {
            let bytes = testdata(&format!("revocation-bench/{name}.p7m"));
            check_input(name, &bytes, *timestamp, *ocsp, &anchors, &policy);
            (*name, bytes)
        })
        .collect();
    // The plain signature makes exactly the checks of the other benches' inputs.
    sanity("cades-b", &inputs[0].1, &anchors, &empty, &policy);

    let mut g = c.benchmark_group("revocation/RSA-2048");
    g.throughput(Throughput::Elements(1));
    for (name, bytes) in &inputs {
        let cache = LinkCache::new();
        let warm: VerifyContext<'_> = ctx(&anchors, &empty, &policy, &DefaultVerifier, Some(&cache));
        check_passed(name, bytes, &warm);
        g.bench_function(*name, |b| {
            b.iter(|| {
                let r = verify(black_box(bytes), Content::None, &warm);
                assert!(r.indication == Indication::TotalPassed);
                r
            })
        });
        let cold = ctx(&anchors, &empty, &policy, &DefaultVerifier, None);
        g.bench_function(format!("{name}_cold"), |b| {
            b.iter(|| {
                let r = verify(black_box(bytes), Content::None, &cold);
                assert!(r.indication == Indication::TotalPassed);
                r
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(Clock::from_env());
    targets = bench
}
criterion_main!(benches);

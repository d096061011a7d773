//! Shared by the XML and PAdES bench targets: the context they verify with, and the check
//! that each input verifies before it is timed (TOTAL_PASSED, and the signature checks each
//! variant costs).

use std::sync::atomic::{AtomicUsize, Ordering};

use sigverify::crypto::{CryptoError, Message, PublicKey, SignatureScheme};
use sigverify::verdict::Indication;
use sigverify::{
    CertPool, Content, DefaultVerifier, LinkCache, Policy, SignatureVerifier, UnixTime, VerifyContext, verify,
};

/// The validation time of every bench input.
pub const AT: &str = "2026-06-01T00:00:00Z";

/// Counts signature checks, to assert what each variant measures.
pub struct Counting(AtomicUsize);

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

pub fn ctx<'a>(
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
pub fn check_passed(name: &str, bytes: &[u8], c: &VerifyContext<'_>) {
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
pub fn sanity(name: &str, bytes: &[u8], anchors: &CertPool, empty: &CertPool, policy: &Policy) {
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
    eprintln!(
        "{name}: {} bytes, TOTAL_PASSED; signature checks cold/repeat = 3/1",
        bytes.len()
    );
}

//! What a verification needs besides its input: trust, policy, time, the crypto backend, a
//! cache, and the work budget of one verification.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::crypto::{HashAlg, SignatureVerifier};
use crate::formats::x509::{CertError, Certificate};
use crate::policy::Policy;
use crate::revocation::wanted::StatusWanted;
use crate::store::{CertPool, LinkCache, TrustStore};
use crate::time::UnixTime;

/// Largest input accepted (bytes).
pub const MAX_INPUT_LEN: usize = 64 * 1024 * 1024;

/// Everything a verification needs besides the input. Built per call from long-lived parts
/// (stores, policy, cache); cheap to build.
pub struct VerifyContext<'a> {
    /// Trust anchors.
    pub trust: &'a TrustStore,
    /// Untrusted certificates to use as issuers and as signer certificates.
    pub intermediates: &'a CertPool,
    /// Signature mathematics.
    pub verifier: &'a dyn SignatureVerifier,
    /// Algorithm constraints and requirements.
    pub policy: &'a Policy,
    /// The validation time. Required: the core never reads a clock.
    pub time: UnixTime,
    /// Cache of verified certificate links and parsed certificates, shared between calls.
    pub cache: Option<&'a LinkCache>,
    /// The work one verification of one input may do, over all its signatures.
    pub budget: Budget,
    /// Set by the caller (from another thread) to stop a verification that has run past its
    /// deadline: the work left is then reported as BUDGET_EXHAUSTED, as when the budget runs
    /// out. The core reads no clock; the shell owns the deadline.
    pub cancel: Option<&'a AtomicBool>,
    /// OCSP responses and CRLs the caller hands in, for every certificate of every path
    /// (untrusted: each is verified as embedded information is).
    pub revocation: &'a [crate::revocation::path::Info<'a>],
}

impl<'a> VerifyContext<'a> {
    /// The same context at another validation time: a past validation at a time a proof of
    /// existence gives.
    pub fn at(&self, time: UnixTime) -> VerifyContext<'a> {
        VerifyContext { time, ..*self }
    }

    /// Parses a certificate, through the cache when there is one.
    pub fn parse_certificate(&self, der: &[u8]) -> Result<Arc<Certificate>, CertError> {
        match self.cache {
            Some(cache) => cache.certificate(der),
            None => Certificate::from_der(der).map(Arc::new),
        }
    }
}

/// The work one verification of one input may do, over all its signatures, counter-signatures,
/// time-stamps and certificate paths. What is left undone when it runs out is reported as
/// INDETERMINATE / BUDGET_EXHAUSTED, never skipped silently.
///
/// The defaults verify a CMS with 100 signers under one intermediate (about 102 signature
/// checks) and stop a file of decoy certificates after a few hundred signature checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Most public-key signature checks (signature values, certificate links, time-stamp
    /// tokens). A link verified earlier in the same verification, or found in the shared
    /// [`LinkCache`], costs nothing.
    pub signatures: usize,
    /// Most candidate issuers examined while building paths.
    pub candidates: usize,
    /// Longest certificate path (certificates, anchor included).
    pub max_depth: usize,
    /// Most name comparisons in nameConstraints processing (RFC 5280 4.2.1.10).
    pub name_comparisons: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            signatures: 400,
            candidates: 4_000,
            max_depth: 10,
            name_comparisons: 250_000,
        }
    }
}

/// The budget spent so far by one verification. Made by the process for each input.
#[derive(Debug)]
pub struct Meter<'a> {
    limits: Budget,
    cancel: Option<&'a AtomicBool>,
    signatures: Cell<usize>,
    candidates: Cell<usize>,
    name_comparisons: Cell<usize>,
    links: RefCell<HashMap<[u8; 64], bool, crate::store::QuickState>>,
    wanted: RefCell<Vec<StatusWanted>>,
}

/// The budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted;

impl<'a> Meter<'a> {
    /// A fresh meter for `limits`, stopped early when `cancel` is set.
    pub fn new(limits: Budget, cancel: Option<&'a AtomicBool>) -> Meter<'a> {
        Meter {
            limits,
            cancel,
            signatures: Cell::new(0),
            candidates: Cell::new(0),
            name_comparisons: Cell::new(0),
            links: RefCell::new(HashMap::default()),
            wanted: RefCell::new(Vec::new()),
        }
    }

    /// The budget and the caller's deadline, read by every counter.
    pub fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn take(&self, counter: &Cell<usize>, limit: usize) -> Result<(), Exhausted> {
        if counter.get() >= limit || self.cancelled() {
            return Err(Exhausted);
        }
        counter.set(counter.get() + 1);
        Ok(())
    }

    /// Takes one signature check.
    pub fn take_signature(&self) -> Result<(), Exhausted> {
        self.take(&self.signatures, self.limits.signatures)
    }

    /// Takes one path-building candidate.
    pub fn take_candidate(&self) -> Result<(), Exhausted> {
        self.take(&self.candidates, self.limits.candidates)
    }

    /// The name comparisons left, for nameConstraints processing.
    pub fn name_comparisons_left(&self) -> usize {
        self.limits.name_comparisons.saturating_sub(self.name_comparisons.get())
    }

    /// Records what nameConstraints processing left of `left_before` comparisons.
    pub fn spend_name_comparisons(&self, left_before: usize, left_after: usize) {
        let spent = left_before.saturating_sub(left_after);
        self.name_comparisons.set(self.name_comparisons.get() + spent);
    }

    /// The longest path allowed.
    pub fn max_depth(&self) -> usize {
        self.limits.max_depth
    }

    /// The outcome of a link checked earlier in this verification.
    pub fn link(&self, key: &[u8; 64]) -> Option<bool> {
        self.links.borrow().get(key).copied()
    }

    /// Records the outcome of a link check.
    pub fn record_link(&self, key: [u8; 64], ok: bool) {
        self.links.borrow_mut().insert(key, ok);
    }

    /// Records a revocation status the validation lacked (once each).
    pub fn want_status(&self, wanted: StatusWanted) {
        let mut list = self.wanted.borrow_mut();
        if !list.contains(&wanted) {
            list.push(wanted);
        }
    }

    /// The revocation statuses the validation lacked, in the order first wanted.
    pub fn take_wanted(&self) -> Vec<StatusWanted> {
        self.wanted.take()
    }
}

/// The signed content of a detached signature, when the signature does not carry it.
#[derive(Clone, Copy, Debug)]
pub enum Content<'a> {
    /// Not given.
    None,
    /// The content bytes (a file, or a DTBD text as UTF-8).
    Data(&'a [u8]),
    /// Only the digest of the content.
    Digest {
        /// Hash algorithm of `value`.
        alg: HashAlg,
        /// The digest.
        value: &'a [u8],
    },
    /// The whole content, given as its digests: one per algorithm that
    /// [`crate::detached_digest_algorithms`] names for the input, computed by the caller in one
    /// pass over a content too large to hold (a file streamed from disk). Unlike
    /// [`Content::Digest`], which is all a caller knows of the content, this stands for the
    /// content itself: the report is the one [`Content::Data`] gives. An algorithm missing
    /// from the list makes the check that needs it fail for want of the content.
    Digests(&'a [(HashAlg, Vec<u8>)]),
}

impl<'a> Content<'a> {
    /// The digest under `alg` of a content given as [`Content::Digests`].
    pub fn digest_of(&self, alg: HashAlg) -> Option<&'a [u8]> {
        match self {
            Content::Digests(ds) => ds.iter().find(|(a, _)| *a == alg).map(|(_, v)| v.as_slice()),
            _ => None,
        }
    }
}

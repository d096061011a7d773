//! Certificate stores: trust anchors and configured intermediates, indexed for the look-ups that
//! path building and signer identification make (an EU trusted list brings thousands of
//! certificates), and the cache of work shared between verifications.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::{Arc, RwLock};

use crate::formats::x509::{CertError, Certificate};

/// A set of certificates indexed by subject name, subject key identifier, and issuer and
/// serial number.
#[derive(Clone, Debug, Default)]
pub struct CertPool {
    certs: Vec<Arc<Certificate>>,
    by_subject: HashMap<Vec<u8>, Vec<usize>, QuickState>,
    by_ski: HashMap<Vec<u8>, Vec<usize>, QuickState>,
    /// By serial number; the issuer is compared on look-up.
    by_serial: HashMap<Vec<u8>, Vec<usize>, QuickState>,
    fingerprints: HashSet<[u8; 32], QuickState>,
}

impl CertPool {
    /// An empty pool.
    pub fn new() -> CertPool {
        CertPool::default()
    }

    /// Adds a certificate (duplicates by fingerprint are ignored).
    pub fn add(&mut self, cert: Arc<Certificate>) {
        if !self.fingerprints.insert(cert.sha256) {
            return;
        }
        let i = self.certs.len();
        self.by_subject.entry(cert.subject_key.clone()).or_default().push(i);
        if let Some(ski) = &cert.subject_key_id {
            self.by_ski.entry(ski.clone()).or_default().push(i);
        }
        self.by_serial.entry(cert.serial().to_vec()).or_default().push(i);
        self.certs.push(cert);
    }

    /// All certificates, in insertion order.
    pub fn certs(&self) -> &[Arc<Certificate>] {
        &self.certs
    }

    /// Whether the pool holds this exact certificate.
    pub fn contains(&self, cert: &Certificate) -> bool {
        self.fingerprints.contains(&cert.sha256)
    }

    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    fn collect<'s>(&'s self, idx: Option<&Vec<usize>>, out: &mut Vec<&'s Arc<Certificate>>) {
        if let Some(idx) = idx {
            out.extend(idx.iter().filter_map(|i| self.certs.get(*i)));
        }
    }

    /// Certificates whose subject has the comparable form `name_key` (see
    /// [`crate::formats::x509::name_key`]).
    pub fn by_subject<'s>(&'s self, name_key: &[u8], out: &mut Vec<&'s Arc<Certificate>>) {
        self.collect(self.by_subject.get(name_key), out);
    }

    /// Certificates with this subject key identifier.
    pub fn by_subject_key_id<'s>(&'s self, ski: &[u8], out: &mut Vec<&'s Arc<Certificate>>) {
        self.collect(self.by_ski.get(ski), out);
    }

    /// Certificates with this issuer, in comparable form (see
    /// [`crate::formats::x509::name_key`]), and serial number
    /// (contents octets).
    pub fn by_issuer_serial<'s>(&'s self, issuer_key: &[u8], serial: &[u8], out: &mut Vec<&'s Arc<Certificate>>) {
        if let Some(idx) = self.by_serial.get(serial) {
            let same_issuer = |c: &&Arc<Certificate>| c.issuer_key == issuer_key;
            out.extend(idx.iter().filter_map(|i| self.certs.get(*i)).filter(same_issuer));
        }
    }
}

/// A keyed multiply-and-fold hash for the maps path building reads on every verification:
/// fingerprints (a certificate's, a link's two), whose octets are already uniform, and the
/// names and serial numbers of the configured certificates. SipHash took about a tenth of a
/// cached-chain verification's own work there. The key is random per map, so that no one who
/// grinds certificates can aim at a bucket without seeing the hashes; where a request's
/// certificates are inserted (the [`LinkCache`]), the keys are fingerprints, or a sample that
/// keeps at most [`CERTS_PER_SAMPLE`] certificates.
#[derive(Clone, Debug)]
pub(crate) struct QuickState {
    seed: u64,
}

impl Default for QuickState {
    fn default() -> QuickState {
        let mut h = RandomState::new().build_hasher();
        h.write_u8(0);
        QuickState { seed: h.finish() | 1 }
    }
}

impl BuildHasher for QuickState {
    type Hasher = QuickHasher;
    fn build_hasher(&self) -> QuickHasher {
        QuickHasher { state: self.seed }
    }
}

/// See [`QuickState`].
pub(crate) struct QuickHasher {
    state: u64,
}

impl QuickHasher {
    fn fold(&mut self, word: u64) {
        const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
        let product = u128::from(self.state ^ word) * u128::from(MULTIPLIER);
        self.state = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.fold(u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
        }
        let mut last = [0u8; 8];
        let rest = words.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.fold(u64::from_le_bytes(last) ^ rest.len() as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.fold(n as u64);
    }

    fn finish(&self) -> u64 {
        self.state
    }
}

/// The trust anchors: immutable after loading, shared by every verification.
pub type TrustStore = CertPool;

/// Cache of immutable work shared between verifications: issuer-to-child signatures already
/// verified, keyed by the exact bytes of both certificates (SHA-256 fingerprints; only
/// successes are cached), and parsed certificates, found by a keyed hash of a sample of their
/// DER (its length, head and tail, where the signature value is) and matched on every byte. A
/// verdict never depends on what the cache holds, only its cost does. Bounded: each map is
/// cleared when full, and certificates that share a sample keep at most
/// [`CERTS_PER_SAMPLE`] places.
#[derive(Debug, Default)]
pub struct LinkCache {
    links: RwLock<HashSet<[u8; 64], QuickState>>,
    certs: RwLock<HashMap<u64, Vec<Arc<Certificate>>>>,
    sampler: QuickState,
}

/// Most parsed certificates kept under one sample of their DER (certificates made to share
/// head and tail push each other out instead of making a lookup long).
pub const CERTS_PER_SAMPLE: usize = 4;

/// Most links kept in a [`LinkCache`].
pub const LINK_CACHE_CAPACITY: usize = 100_000;
/// Most parsed certificates kept in a [`LinkCache`].
pub const CERT_CACHE_CAPACITY: usize = 20_000;

/// The key of an issuer-to-child link: both certificates' fingerprints.
pub fn link_key(child: &Certificate, issuer: &Certificate) -> [u8; 64] {
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(&child.sha256);
    k[32..].copy_from_slice(&issuer.sha256);
    k
}

impl LinkCache {
    /// An empty cache.
    pub fn new() -> LinkCache {
        LinkCache::default()
    }

    /// Parses `der`, or returns the certificate parsed earlier from the same bytes.
    pub fn certificate(&self, der: &[u8]) -> Result<Arc<Certificate>, CertError> {
        let key = self.sample(der);
        let found = self.certs.read().ok().and_then(|m| {
            let same = m.get(&key)?.iter().find(|c| c.der() == der);
            same.cloned()
        });
        if let Some(c) = found {
            return Ok(c);
        }
        let cert = Arc::new(Certificate::from_der(der)?);
        if let Ok(mut m) = self.certs.write() {
            if m.len() >= CERT_CACHE_CAPACITY {
                m.clear();
            }
            let place = m.entry(key).or_default();
            if place.len() >= CERTS_PER_SAMPLE {
                place.remove(0);
            }
            place.push(cert.clone());
        }
        Ok(cert)
    }

    /// A keyed hash of `der`'s length, first 32 and last 96 octets: cheaper than hashing a
    /// whole certificate, unpredictable to whoever sends them (the key is random per cache). A
    /// sample shared by many certificates costs at most [`CERTS_PER_SAMPLE`] comparisons.
    fn sample(&self, der: &[u8]) -> u64 {
        let mut h = self.sampler.build_hasher();
        h.write_usize(der.len());
        h.write(&der[..der.len().min(32)]);
        h.write(&der[der.len().saturating_sub(96)..]);
        h.finish()
    }

    /// Whether the link was verified before.
    pub fn contains(&self, key: &[u8; 64]) -> bool {
        self.links.read().map(|s| s.contains(key)).unwrap_or(false)
    }

    /// Records a verified link.
    pub fn insert(&self, key: [u8; 64]) {
        if let Ok(mut s) = self.links.write() {
            if s.len() >= LINK_CACHE_CAPACITY {
                s.clear();
            }
            s.insert(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf_der() -> Vec<u8> {
        let pem = std::fs::read(format!("{}/testdata/pki/rsa/leaf.pem", env!("CARGO_MANIFEST_DIR"))).unwrap();
        Certificate::from_pem_or_der(&pem).unwrap().remove(0).der().to_vec()
    }

    /// Copies of `der` that differ only in one octet of the subject's common name, far from
    /// both ends: they share the sampled head and tail.
    fn variants(der: &[u8], n: u8) -> Vec<Vec<u8>> {
        let at = der.windows(11).rposition(|w| w == b"Demo Signer").unwrap();
        assert!(at > 32 && at < der.len() - 96);
        (0..n)
            .map(|i| {
                let mut v = der.to_vec();
                v[at] = b'A' + i;
                v
            })
            .collect()
    }

    #[test]
    fn the_same_bytes_give_the_same_certificate_and_other_bytes_never_do() {
        let cache = LinkCache::new();
        let der = leaf_der();
        let a = cache.certificate(&der).unwrap();
        assert!(Arc::ptr_eq(&a, &cache.certificate(&der).unwrap()));
        let others = variants(&der, 6);
        for v in &others {
            let c = cache.certificate(v).unwrap();
            assert_eq!(
                c.der(),
                &v[..],
                "a certificate sharing the sample is matched on every byte"
            );
            assert!(Arc::ptr_eq(&c, &cache.certificate(v).unwrap()));
        }
        let m = cache.certs.read().unwrap();
        assert_eq!(m.len(), 1, "all share one sample");
        assert_eq!(m.values().next().unwrap().len(), CERTS_PER_SAMPLE);
        drop(m);
        // Pushed out, then parsed again: still the right certificate.
        assert_eq!(cache.certificate(&der).unwrap().der(), &der[..]);
    }
}

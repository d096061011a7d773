//! Certificate path building and RFC 5280 checks.
//!
//! [`build_path`] searches from a certificate through the certificates a signature carries and
//! the configured intermediates to a trust anchor: depth-first, candidates whose subject key
//! identifier matches the child's authority key identifier first, trust anchors before
//! intermediates, backtracking on every failure, within a [`Budget`]. Each link is checked at the
//! validation time: the issuer's signature over the child's exact TBSCertificate, the issuer's
//! basicConstraints cA and pathLenConstraint, keyUsage keyCertSign, validity period, unknown
//! critical extensions, and the policy's cryptographic constraints. When no path is found, the
//! most specific failure met on the way is returned (webpki's `Error::rank`, Go's hint errors).
//! Trust anchors are trusted as given: their own validity and self-signature are not checked.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use crate::crypto::{Message, SignatureScheme, SignatureVerifier};
use crate::formats::x509::{CertError, Certificate, key_usage};
use crate::policy::Policy;
use crate::time::UnixTime;
use crate::verdict::SubIndication;

/// A set of certificates indexed by subject name.
#[derive(Clone, Debug, Default)]
pub struct CertPool {
    certs: Vec<Arc<Certificate>>,
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    fingerprints: HashSet<[u8; 32]>,
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
        self.by_subject
            .entry(cert.subject_key.clone())
            .or_default()
            .push(self.certs.len());
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

    /// Certificates whose subject has the comparable form `name_key` (see
    /// [`crate::formats::x509::name_key`]).
    fn issuers_of<'s>(&'s self, name_key: &[u8], out: &mut Vec<&'s Arc<Certificate>>) {
        if let Some(idx) = self.by_subject.get(name_key) {
            out.extend(idx.iter().map(|i| &self.certs[*i]));
        }
    }
}

/// The trust anchors: immutable after loading, shared by every verification.
pub type TrustStore = CertPool;

/// Cache of immutable work shared between verifications: issuer-to-child signatures already
/// verified, keyed by the exact bytes of both certificates (SHA-256 fingerprints; only
/// successes are cached), and parsed certificates, keyed by the SHA-256 of their DER. A
/// verdict never depends on what the cache holds, only its cost does. Bounded: each map is
/// cleared when full.
#[derive(Debug, Default)]
pub struct LinkCache {
    links: RwLock<HashSet<[u8; 64]>>,
    certs: RwLock<HashMap<[u8; 32], Arc<Certificate>>>,
}

/// Most links kept in a [`LinkCache`].
pub const LINK_CACHE_CAPACITY: usize = 100_000;
/// Most parsed certificates kept in a [`LinkCache`].
pub const CERT_CACHE_CAPACITY: usize = 20_000;

impl LinkCache {
    /// An empty cache.
    pub fn new() -> LinkCache {
        LinkCache::default()
    }

    fn key(child: &Certificate, issuer: &Certificate) -> [u8; 64] {
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(&child.sha256);
        k[32..].copy_from_slice(&issuer.sha256);
        k
    }

    /// Parses `der`, or returns the certificate parsed earlier from the same bytes.
    pub fn certificate(&self, der: &[u8]) -> Result<Arc<Certificate>, CertError> {
        let mut key = [0u8; 32];
        key.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, der).as_ref());
        if let Some(c) = self.certs.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(c);
        }
        let cert = Arc::new(Certificate::from_der(der)?);
        if let Ok(mut m) = self.certs.write() {
            if m.len() >= CERT_CACHE_CAPACITY {
                m.clear();
            }
            m.insert(key, cert.clone());
        }
        Ok(cert)
    }

    fn contains(&self, child: &Certificate, issuer: &Certificate) -> bool {
        self.links
            .read()
            .map(|s| s.contains(&Self::key(child, issuer)))
            .unwrap_or(false)
    }

    fn insert(&self, child: &Certificate, issuer: &Certificate) {
        if let Ok(mut s) = self.links.write() {
            if s.len() >= LINK_CACHE_CAPACITY {
                s.clear();
            }
            s.insert(Self::key(child, issuer));
        }
    }
}

/// Limits on path building.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Most signature verifications (cache hits included).
    pub signatures: usize,
    /// Most candidate issuers examined.
    pub candidates: usize,
    /// Longest path (certificates, anchor included).
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            signatures: 100,
            candidates: 2_000,
            max_depth: 10,
        }
    }
}

/// Why no acceptable path was found; ordered by specificity (least specific first).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// No candidate issuer led to a trust anchor.
    #[error("no issuer found for '{subject}' among the trust anchors and intermediates")]
    UnknownIssuer {
        /// Subject of the certificate whose issuer is missing.
        subject: String,
    },
    /// The path-building budget ran out.
    #[error("path building budget exhausted")]
    BudgetExceeded,
    /// An issuer's signature over a certificate does not verify.
    #[error("signature of '{issuer}' over '{subject}' does not verify")]
    BadSignature {
        /// Child subject.
        subject: String,
        /// Issuer subject.
        issuer: String,
    },
    /// A certificate's signature algorithm or an issuer key is unsupported or not accepted.
    #[error("{detail}")]
    Crypto {
        /// CRYPTO_CONSTRAINTS_FAILURE or CRYPTO_CONSTRAINTS_FAILURE_NO_POE.
        sub: SubIndication,
        /// English detail.
        detail: String,
    },
    /// An RFC 5280 constraint fails (not a CA, pathLenConstraint, keyUsage, critical extension).
    #[error("{detail}")]
    Constraint {
        /// English detail.
        detail: String,
    },
    /// A CA certificate is outside its validity period.
    #[error("CA certificate '{subject}' is not valid at {at} (valid {not_before} to {not_after})")]
    CaOutOfValidity {
        /// Subject.
        subject: String,
        /// Validation time.
        at: UnixTime,
        /// notBefore.
        not_before: UnixTime,
        /// notAfter.
        not_after: UnixTime,
    },
}

impl ChainError {
    fn rank(&self) -> u8 {
        match self {
            ChainError::UnknownIssuer { .. } => 0,
            ChainError::BudgetExceeded => 1,
            ChainError::BadSignature { .. } => 2,
            ChainError::Crypto { .. } => 3,
            ChainError::Constraint { .. } => 5,
            ChainError::CaOutOfValidity { .. } => 4,
        }
    }

    /// The sub-indication this failure gives a signature.
    pub fn sub_indication(&self) -> SubIndication {
        match self {
            ChainError::UnknownIssuer { .. } | ChainError::BudgetExceeded | ChainError::BadSignature { .. } => {
                SubIndication::NoCertificateChainFound
            }
            ChainError::Crypto { sub, .. } => *sub,
            ChainError::Constraint { .. } => SubIndication::ChainConstraintsFailure,
            ChainError::CaOutOfValidity { .. } => SubIndication::OutOfBoundsNoPoe,
        }
    }
}

/// A path whose every link was verified; only this module builds it.
#[derive(Clone, Debug)]
pub struct VerifiedPath {
    certs: Vec<Arc<Certificate>>,
}

impl VerifiedPath {
    /// Certificates from the end entity to the trust anchor (inclusive).
    pub fn certs(&self) -> &[Arc<Certificate>] {
        &self.certs
    }

    /// The trust anchor that ends the path.
    pub fn anchor(&self) -> &Arc<Certificate> {
        // A path always holds at least the end entity, which may itself be the anchor.
        &self.certs[self.certs.len() - 1]
    }
}

/// Everything path building needs besides the certificates.
pub struct ChainContext<'a> {
    /// Trust anchors.
    pub trust: &'a TrustStore,
    /// Configured untrusted intermediates.
    pub intermediates: &'a CertPool,
    /// Signature mathematics.
    pub verifier: &'a dyn SignatureVerifier,
    /// Algorithm constraints.
    pub policy: &'a Policy,
    /// Validation time.
    pub time: UnixTime,
    /// Verified links from earlier calls.
    pub cache: Option<&'a LinkCache>,
    /// Limits.
    pub budget: Budget,
}

struct Search<'c, 'a> {
    ctx: &'c ChainContext<'a>,
    bag: &'c [Arc<Certificate>],
    signatures: usize,
    candidates: usize,
    best: Option<ChainError>,
}

/// Builds a path from `end_entity` to a trust anchor. `bag` holds untrusted certificates that
/// came with the signature. Checks on the end entity itself (validity, keyUsage, its own
/// critical extensions) are left to the caller.
///
/// # Security
/// Revocation is not checked here. Trust anchors are trusted as configured.
pub fn build_path(
    end_entity: &Arc<Certificate>,
    bag: &[Arc<Certificate>],
    ctx: &ChainContext<'_>,
) -> Result<VerifiedPath, ChainError> {
    if ctx.trust.contains(end_entity) {
        return Ok(VerifiedPath {
            certs: vec![end_entity.clone()],
        });
    }
    let mut search = Search {
        ctx,
        bag,
        signatures: 0,
        candidates: 0,
        best: None,
    };
    let mut path = vec![end_entity.clone()];
    match search.extend(&mut path, &mut Vec::new()) {
        Ok(()) => Ok(VerifiedPath { certs: path }),
        Err(fatal) => Err(fatal),
    }
}

impl Search<'_, '_> {
    fn record(&mut self, e: ChainError) {
        if self.best.as_ref().is_none_or(|b| e.rank() > b.rank()) {
            self.best = Some(e);
        }
    }

    fn finish_err(&mut self, child: &Certificate) -> ChainError {
        self.best.clone().unwrap_or(ChainError::UnknownIssuer {
            subject: child.subject_string().to_string(),
        })
    }

    /// Extends `path` (whose last element is not an anchor) until an anchor is reached.
    ///
    /// A link whose signature does not verify is never followed. Other failures (constraints,
    /// validity, policy) are collected in `defects` along the way: a path that reaches an
    /// anchor with defects is not accepted, and its most specific defect is recorded; a path
    /// that reaches no anchor is reported as such, whatever defects it had.
    fn extend(&mut self, path: &mut Vec<Arc<Certificate>>, defects: &mut Vec<ChainError>) -> Result<(), ChainError> {
        let child = path[path.len() - 1].clone();
        let mut anchors = Vec::new();
        self.ctx.trust.issuers_of(&child.issuer_key, &mut anchors);
        let mut others: Vec<&Arc<Certificate>> =
            self.bag.iter().filter(|c| c.subject_key == child.issuer_key).collect();
        self.ctx.intermediates.issuers_of(&child.issuer_key, &mut others);
        let aki = child.authority_key_id.as_deref();
        let by_key = |c: &&Arc<Certificate>| match (aki, c.subject_key_id.as_deref()) {
            (Some(a), Some(s)) if a == s => 0,
            (Some(_), Some(_)) => 2,
            _ => 1,
        };
        anchors.sort_by_key(by_key);
        others.sort_by_key(by_key);
        let candidates: Vec<(Arc<Certificate>, bool)> = anchors
            .into_iter()
            .map(|c| (c.clone(), true))
            .chain(
                others
                    .into_iter()
                    .filter(|c| !self.ctx.trust.contains(c))
                    .map(|c| (c.clone(), false)),
            )
            .collect();

        for (cand, is_anchor) in candidates {
            self.candidates += 1;
            if self.candidates > self.ctx.budget.candidates || self.signatures >= self.ctx.budget.signatures {
                self.record(ChainError::BudgetExceeded);
                return Err(ChainError::BudgetExceeded);
            }
            if path.iter().any(|p| p.sha256 == cand.sha256) {
                continue;
            }
            if let Err(e) = self.verify_link(&child, &cand) {
                self.record(e);
                continue;
            }
            let mark = defects.len();
            defects.extend(self.link_policy(&child, &cand));
            // Intermediates between `cand` and the end entity (RFC 5280 6.1.4 (l), (m)).
            let below = path.len() - 1;
            if let Some((_, Some(max))) = cand.basic_constraints {
                if below > max as usize {
                    defects.push(ChainError::Constraint {
                        detail: format!(
                            "pathLenConstraint {max} of '{}' is exceeded by {below} intermediate CA(s) below it",
                            cand.subject_string()
                        ),
                    });
                }
            }
            if is_anchor {
                match defects.iter().max_by_key(|d| d.rank()) {
                    None => {
                        path.push(cand);
                        return Ok(());
                    }
                    Some(worst) => {
                        let worst = worst.clone();
                        self.record(worst);
                        defects.truncate(mark);
                        continue;
                    }
                }
            }
            defects.extend(self.check_ca(&cand));
            if path.len() + 1 >= self.ctx.budget.max_depth {
                defects.truncate(mark);
                continue;
            }
            path.push(cand);
            match self.extend(path, defects) {
                Ok(()) => return Ok(()),
                Err(ChainError::BudgetExceeded) => return Err(ChainError::BudgetExceeded),
                Err(_) => {
                    path.pop();
                    defects.truncate(mark);
                }
            }
        }
        Err(self.finish_err(&child))
    }

    /// The issuer's signature over the child's exact TBSCertificate (cached on success).
    fn verify_link(&mut self, child: &Certificate, issuer: &Certificate) -> Result<(), ChainError> {
        let scheme = SignatureScheme::from_algorithm_identifier(child.signature_algorithm(), None).map_err(|e| {
            ChainError::Crypto {
                sub: SubIndication::CryptoConstraintsFailure,
                detail: format!("certificate '{}': {e}", child.subject_string()),
            }
        })?;
        if let Some(cache) = self.ctx.cache {
            if cache.contains(child, issuer) {
                return Ok(());
            }
        }
        self.signatures += 1;
        match self.ctx.verifier.verify(
            &issuer.public_key,
            &scheme,
            Message::Data(child.tbs()),
            child.signature(),
        ) {
            Ok(()) => {
                if let Some(cache) = self.ctx.cache {
                    cache.insert(child, issuer);
                }
                Ok(())
            }
            Err(crate::crypto::CryptoError::Unsupported(d)) => Err(ChainError::Crypto {
                sub: SubIndication::CryptoConstraintsFailure,
                detail: format!("certificate '{}': {d}", child.subject_string()),
            }),
            Err(_) => Err(ChainError::BadSignature {
                subject: child.subject_string().to_string(),
                issuer: issuer.subject_string().to_string(),
            }),
        }
    }

    /// The policy's constraints on a verified link: the child's signature hash, the issuer's key.
    fn link_policy(&self, child: &Certificate, issuer: &Certificate) -> Vec<ChainError> {
        let mut out = Vec::new();
        let policy = self.ctx.policy;
        if let Ok(scheme) = SignatureScheme::from_algorithm_identifier(child.signature_algorithm(), None) {
            if let Err(v) = policy.check_digest(scheme.hash(), self.ctx.time) {
                out.push(ChainError::Crypto {
                    sub: v.sub,
                    detail: format!("signature on certificate '{}': {}", child.subject_string(), v.detail),
                });
            }
        }
        if let Err(v) = policy.check_key(&issuer.public_key, self.ctx.time) {
            out.push(ChainError::Crypto {
                sub: v.sub,
                detail: format!("key of '{}': {}", issuer.subject_string(), v.detail),
            });
        }
        out
    }

    /// RFC 5280 6.1.4 (k), (n), 6.1.3 (a)(2) and unknown critical extensions, for an
    /// intermediate CA.
    fn check_ca(&self, ca: &Certificate) -> Vec<ChainError> {
        let name = ca.subject_string();
        let mut out = Vec::new();
        if ca.is_ca()
            && ca.key_usage.is_none_or(|ku| ku & key_usage::KEY_CERT_SIGN != 0)
            && ca.unknown_critical.is_empty()
            && ca.valid_at(self.ctx.time)
        {
            return out;
        }
        if !ca.is_ca() {
            out.push(ChainError::Constraint {
                detail: format!("'{name}' issues certificates but is not a CA (basicConstraints cA is not set)"),
            });
        }
        if let Some(ku) = ca.key_usage {
            if ku & key_usage::KEY_CERT_SIGN == 0 {
                out.push(ChainError::Constraint {
                    detail: format!("keyUsage of CA '{name}' lacks keyCertSign"),
                });
            }
        }
        if !ca.unknown_critical.is_empty() {
            out.push(ChainError::Constraint {
                detail: format!(
                    "CA '{name}' has unsupported critical extension(s) {}",
                    ca.unknown_critical.join(", ")
                ),
            });
        }
        if !ca.valid_at(self.ctx.time) {
            out.push(ChainError::CaOutOfValidity {
                subject: name.to_string(),
                at: self.ctx.time,
                not_before: ca.not_before,
                not_after: ca.not_after,
            });
        }
        out
    }
}

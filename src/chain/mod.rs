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

pub mod name_constraints;
pub mod purpose;

use std::sync::Arc;

use crate::context::{Meter, VerifyContext};
use crate::crypto::{CryptoError, Message};
use crate::formats::x509::{Certificate, key_usage};
use crate::policy::Violation;
use crate::store::link_key;
use crate::time::UnixTime;
use name_constraints::NameConstraintError;

pub use crate::context::Budget;
pub use crate::store::{CertPool, LinkCache, TrustStore};

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
    /// The verification's work budget ran out while building the path.
    #[error("the work budget ran out while building a path for '{subject}'")]
    BudgetExhausted {
        /// Subject of the end entity.
        subject: String,
    },
    /// An issuer's signature over a certificate does not verify.
    #[error("signature of '{issuer}' over '{subject}' does not verify")]
    BadSignature {
        /// Child subject.
        subject: String,
        /// Issuer subject.
        issuer: String,
    },
    /// A certificate's signature algorithm or an issuer key is not implemented.
    #[error("{detail}")]
    Unsupported {
        /// English detail.
        detail: String,
    },
    /// A certificate's signature algorithm or an issuer key is not accepted by the policy.
    #[error("{detail}")]
    Policy {
        /// What the policy says.
        violation: Violation,
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
            ChainError::BudgetExhausted { .. } => 1,
            ChainError::BadSignature { .. } => 2,
            ChainError::Unsupported { .. } | ChainError::Policy { .. } => 3,
            ChainError::CaOutOfValidity { .. } => 4,
            ChainError::Constraint { .. } => 5,
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

struct Search<'c, 'a> {
    ctx: &'c VerifyContext<'a>,
    meter: &'c Meter<'c>,
    bag: &'c [Arc<Certificate>],
    best: Option<ChainError>,
}

/// Builds a path from `end_entity` to a trust anchor. `bag` holds untrusted certificates that
/// came with the signature. Checks on the end entity itself (validity, key usage, its own
/// critical extensions) are left to the caller. Every signature check and candidate is taken
/// from `meter`; when it runs out the search stops with [`ChainError::BudgetExhausted`].
///
/// # Security
/// Revocation is not checked here. Trust anchors are trusted as configured: their own validity
/// and self-signature are not checked.
pub fn build_path(
    end_entity: &Arc<Certificate>,
    bag: &[Arc<Certificate>],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Result<VerifiedPath, ChainError> {
    if ctx.trust.contains(end_entity) {
        return Ok(VerifiedPath {
            certs: vec![end_entity.clone()],
        });
    }
    let mut search = Search {
        ctx,
        meter,
        bag,
        best: None,
    };
    let mut path = vec![end_entity.clone()];
    search.extend(&mut path, &mut Vec::new())?;
    Ok(VerifiedPath { certs: path })
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

    fn exhausted(&mut self, path: &[Arc<Certificate>]) -> ChainError {
        let e = ChainError::BudgetExhausted {
            subject: path.first().map(|c| c.subject_string().to_string()).unwrap_or_default(),
        };
        self.record(e.clone());
        e
    }

    /// Issuer candidates of `child`, best first: trust anchors before untrusted certificates,
    /// and within each, those whose subject key identifier matches the child's authority key
    /// identifier first. The flag tells an anchor.
    fn candidates(&self, child: &Certificate) -> Vec<(Arc<Certificate>, bool)> {
        let mut anchors = Vec::new();
        self.ctx.trust.by_subject(&child.issuer_key, &mut anchors);
        let mut others: Vec<&Arc<Certificate>> =
            self.bag.iter().filter(|c| c.subject_key == child.issuer_key).collect();
        self.ctx.intermediates.by_subject(&child.issuer_key, &mut others);
        let aki = child.authority_key_id.as_deref();
        let by_key = |c: &&Arc<Certificate>| match (aki, c.subject_key_id.as_deref()) {
            (Some(a), Some(s)) if a == s => 0,
            (Some(_), Some(_)) => 2,
            _ => 1,
        };
        anchors.sort_by_key(by_key);
        others.sort_by_key(by_key);
        let mut seen = std::collections::HashSet::with_hasher(crate::store::QuickState::default());
        anchors
            .into_iter()
            .map(|c| (c.clone(), true))
            .chain(
                others
                    .into_iter()
                    .filter(|c| !self.ctx.trust.contains(c))
                    .map(|c| (c.clone(), false)),
            )
            .filter(|(c, _)| seen.insert(c.sha256))
            .collect()
    }

    /// Extends `path` (whose last element is not an anchor) until an anchor is reached.
    /// Recursion depth is bounded by the budget's `max_depth`.
    ///
    /// A link whose signature does not verify is never followed. Other failures (constraints,
    /// validity, policy) are collected in `defects` along the way: a path that reaches an
    /// anchor with defects is not accepted, and its most specific defect is recorded; a path
    /// that reaches no anchor is reported as such, whatever defects it had.
    fn extend(&mut self, path: &mut Vec<Arc<Certificate>>, defects: &mut Vec<ChainError>) -> Result<(), ChainError> {
        let child = path[path.len() - 1].clone();
        for (cand, is_anchor) in self.candidates(&child) {
            if self.meter.take_candidate().is_err() {
                return Err(self.exhausted(path));
            }
            if path.iter().any(|p| p.sha256 == cand.sha256) {
                continue;
            }
            match self.verify_link(&child, &cand) {
                Ok(()) => {}
                Err(e @ ChainError::BudgetExhausted { .. }) => return Err(e),
                Err(e) => {
                    self.record(e);
                    continue;
                }
            }
            let mark = defects.len();
            defects.extend(self.link_defects(path, &child, &cand));
            if is_anchor {
                path.push(cand);
                defects.extend(self.path_defects(path));
                match defects.iter().max_by_key(|d| d.rank()).cloned() {
                    None => return Ok(()),
                    Some(worst) => {
                        path.pop();
                        self.record(worst);
                        defects.truncate(mark);
                        continue;
                    }
                }
            }
            defects.extend(self.check_ca(&cand));
            if path.len() + 1 >= self.meter.max_depth() {
                defects.truncate(mark);
                continue;
            }
            path.push(cand);
            match self.extend(path, defects) {
                Ok(()) => return Ok(()),
                Err(e @ ChainError::BudgetExhausted { .. }) => return Err(e),
                Err(_) => {
                    path.pop();
                    defects.truncate(mark);
                }
            }
        }
        Err(self.finish_err(&child))
    }

    /// Defects of a verified link: the policy on the child's signature and the issuer's key,
    /// and the issuer's pathLenConstraint over the intermediates below it (RFC 5280 6.1.4
    /// (l), (m)).
    fn link_defects(&self, path: &[Arc<Certificate>], child: &Certificate, issuer: &Certificate) -> Vec<ChainError> {
        let mut out = self.link_policy(child, issuer);
        let below = path.len() - 1;
        if let Some((_, Some(max))) = issuer.basic_constraints {
            if below > max as usize {
                out.push(ChainError::Constraint {
                    detail: format!(
                        "pathLenConstraint {max} of '{}' is exceeded by {below} intermediate CA(s) below it",
                        issuer.subject_string()
                    ),
                });
            }
        }
        out
    }

    /// Defects of a complete path (end entity to anchor): name constraints (RFC 5280
    /// 4.2.1.10), each comparison taken from the budget.
    fn path_defects(&self, path: &[Arc<Certificate>]) -> Vec<ChainError> {
        let before = self.meter.name_comparisons_left();
        let mut left = before;
        let result = name_constraints::check_name_constraints(path, &mut left);
        self.meter.spend_name_comparisons(before, left);
        match result {
            Ok(()) => Vec::new(),
            Err(NameConstraintError::BudgetExceeded) => vec![ChainError::BudgetExhausted {
                subject: path.first().map(|c| c.subject_string().to_string()).unwrap_or_default(),
            }],
            Err(e) => vec![ChainError::Constraint {
                detail: format!("name constraints: {e}"),
            }],
        }
    }

    /// The issuer's signature over the child's exact TBSCertificate. A link checked earlier in
    /// this verification, or cached, costs no signature check.
    fn verify_link(&mut self, child: &Certificate, issuer: &Certificate) -> Result<(), ChainError> {
        let key = link_key(child, issuer);
        let bad = || ChainError::BadSignature {
            subject: child.subject_string().to_string(),
            issuer: issuer.subject_string().to_string(),
        };
        match self.meter.link(&key) {
            Some(true) => return Ok(()),
            Some(false) => return Err(bad()),
            None => {}
        }
        if self.ctx.cache.is_some_and(|c| c.contains(&key)) {
            return Ok(());
        }
        // Only links verified before are cached, so their algorithm was read before too.
        let scheme = child.signature_scheme().map_err(|e| ChainError::Unsupported {
            detail: format!("certificate '{}': {e}", child.subject_string()),
        })?;
        if self.meter.take_signature().is_err() {
            return Err(ChainError::BudgetExhausted {
                subject: child.subject_string().to_string(),
            });
        }
        let result = self.ctx.verifier.verify(
            &issuer.public_key,
            scheme,
            Message::Data(child.tbs()),
            child.signature(),
        );
        self.meter.record_link(key, result.is_ok());
        match result {
            Ok(()) => {
                if let Some(cache) = self.ctx.cache {
                    cache.insert(key);
                }
                Ok(())
            }
            Err(CryptoError::Unsupported(d)) => Err(ChainError::Unsupported {
                detail: format!("certificate '{}': {d}", child.subject_string()),
            }),
            Err(_) => Err(bad()),
        }
    }

    /// The policy's constraints on a verified link: the child's signature hash, the issuer's key.
    fn link_policy(&self, child: &Certificate, issuer: &Certificate) -> Vec<ChainError> {
        let mut out = Vec::new();
        let policy = self.ctx.policy;
        if let Ok(scheme) = child.signature_scheme() {
            if let Err(v) = policy.check_digest(scheme.hash(), self.ctx.time) {
                out.push(ChainError::Policy {
                    detail: format!("signature on certificate '{}': {}", child.subject_string(), v.detail),
                    violation: v,
                });
            }
        }
        if let Err(v) = policy.check_key(&issuer.public_key, self.ctx.time) {
            out.push(ChainError::Policy {
                detail: format!("key of '{}': {}", issuer.subject_string(), v.detail),
                violation: v,
            });
        }
        out
    }

    /// RFC 5280 6.1.4 (k), (n), 6.1.3 (a)(2) and unknown critical extensions, for an
    /// intermediate CA.
    fn check_ca(&self, ca: &Certificate) -> Vec<ChainError> {
        let name = ca.subject_string();
        let mut out = Vec::new();
        if !ca.is_ca() {
            out.push(ChainError::Constraint {
                detail: format!("'{name}' issues certificates but is not a CA (basicConstraints cA is not set)"),
            });
        }
        if ca.key_usage.is_some_and(|ku| ku & key_usage::KEY_CERT_SIGN == 0) {
            out.push(ChainError::Constraint {
                detail: format!("keyUsage of CA '{name}' lacks keyCertSign"),
            });
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

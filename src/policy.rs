//! Validation policy as data: which algorithms and key sizes are acceptable, and until when.
//!
//! The default policy is bundled (`policy/default.toml`); a deployment may pass its own file.
//! See that file for the meaning of each entry.

use serde::Deserialize;

use crate::crypto::{HashAlg, PublicKey};
use crate::time::UnixTime;

/// The bundled default policy text.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../policy/default.toml");

/// A policy file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// TOML syntax or schema error.
    #[error("policy: {0}")]
    Syntax(String),
    /// A value is not understood.
    #[error("policy: {0}")]
    Value(String),
}

/// What to do while revocation cannot be evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationMode {
    /// Record that revocation was not evaluated; the verdict is not changed.
    NotEvaluated,
    /// Revocation status is required: INDETERMINATE / TRY_LATER while it cannot be established.
    Required,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    name: String,
    #[serde(default)]
    digest: Vec<DigestEntry>,
    #[serde(default)]
    key: Vec<KeyEntry>,
    limits: Option<Limits>,
    revocation: Option<Revocation>,
    timestamps: Option<Timestamps>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DigestEntry {
    algorithm: String,
    until: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    algorithm: String,
    min_bits: usize,
    until: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    max_rsa_bits: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Timestamps {
    accept_expired_tsa: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Revocation {
    mode: RevocationMode,
    skew_seconds: Option<i64>,
    max_age_seconds: Option<i64>,
}

fn non_negative(v: Option<i64>, default: i64) -> Result<i64, PolicyError> {
    match v {
        None => Ok(default),
        Some(n) if n >= 0 => Ok(n),
        Some(n) => Err(PolicyError::Value(format!("revocation tolerance {n} is negative"))),
    }
}

/// Key families a policy speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFamily {
    /// RSA
    Rsa,
    /// Elliptic curve
    Ec,
}

/// A parsed policy.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Name, echoed in reports and logs.
    pub name: String,
    digests: Vec<(HashAlg, Option<UnixTime>)>,
    keys: Vec<(KeyFamily, usize, Option<UnixTime>)>,
    /// Largest RSA modulus accepted.
    pub max_rsa_bits: usize,
    /// Revocation requirement.
    pub revocation: RevocationMode,
    /// The caller switched revocation checking off for this validation
    /// ([`crate::revocation::OcspMode::Off`]): the mode is then
    /// [`RevocationMode::NotEvaluated`] and the reports say why.
    pub revocation_switched_off: bool,
    /// Clock skew allowed between revocation information and the time it speaks for, in
    /// seconds (default 300).
    pub revocation_skew_seconds: i64,
    /// How long information without a nextUpdate counts after its thisUpdate, in seconds
    /// (default 86,400).
    pub revocation_max_age_seconds: i64,
    /// Whether a time-stamp whose TSA certificate has expired since still proves existence
    /// when the TSA's path was valid at its genTime (default true).
    pub accept_expired_tsa: bool,
}

/// How an algorithm breaks the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    /// Never acceptable (not listed, too small, too large, unsupported).
    NotAccepted,
    /// Acceptable only before a sunset that the validation time is past.
    Sunset,
}

/// Why an algorithm is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Never acceptable, or past its sunset.
    pub kind: ViolationKind,
    /// English detail.
    pub detail: String,
}

impl Policy {
    /// Parses a policy file.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        let mut digests = Vec::new();
        for d in file.digest {
            let alg = HashAlg::from_name(&d.algorithm)
                .ok_or_else(|| PolicyError::Value(format!("unknown digest algorithm {}", d.algorithm)))?;
            digests.push((alg, d.until.map(|u| datetime(&u)).transpose()?));
        }
        let mut keys = Vec::new();
        for k in file.key {
            let family = match k.algorithm.to_ascii_uppercase().as_str() {
                "RSA" => KeyFamily::Rsa,
                "EC" | "ECDSA" => KeyFamily::Ec,
                other => return Err(PolicyError::Value(format!("unknown key algorithm {other}"))),
            };
            keys.push((family, k.min_bits, k.until.map(|u| datetime(&u)).transpose()?));
        }
        Ok(Policy {
            name: file.name,
            digests,
            keys,
            max_rsa_bits: file.limits.map_or(8192, |l| l.max_rsa_bits),
            revocation: file.revocation.as_ref().map_or(RevocationMode::Required, |r| r.mode),
            revocation_switched_off: false,
            revocation_skew_seconds: non_negative(file.revocation.as_ref().and_then(|r| r.skew_seconds), 300)?,
            revocation_max_age_seconds: non_negative(file.revocation.as_ref().and_then(|r| r.max_age_seconds), 86_400)?,
            accept_expired_tsa: file.timestamps.is_none_or(|t| t.accept_expired_tsa),
        })
    }

    /// The bundled default policy.
    pub fn default_policy() -> Policy {
        // The bundled file is checked by a unit test; a failure here is a build defect.
        Policy::from_toml(DEFAULT_POLICY_TOML).unwrap_or_else(|e| panic!("bundled policy: {e}"))
    }

    /// Whether `hash` is acceptable at `at`.
    pub fn check_digest(&self, hash: HashAlg, at: UnixTime) -> Result<(), Violation> {
        let Some((_, until)) = self.digests.iter().find(|(h, _)| *h == hash) else {
            return Err(Violation {
                kind: ViolationKind::NotAccepted,
                detail: format!("{} is not accepted by policy '{}'", hash.name(), self.name),
            });
        };
        match until {
            Some(u) if at > *u => Err(Violation {
                kind: ViolationKind::Sunset,
                detail: format!("{} is accepted only until {u} by policy '{}'", hash.name(), self.name),
            }),
            _ => Ok(()),
        }
    }

    /// Whether `key` is acceptable at `at`.
    pub fn check_key(&self, key: &PublicKey, at: UnixTime) -> Result<(), Violation> {
        let family = match key {
            PublicKey::Rsa { .. } => KeyFamily::Rsa,
            PublicKey::Ec { .. } => KeyFamily::Ec,
            PublicKey::Other { algorithm } => {
                return Err(Violation {
                    kind: ViolationKind::NotAccepted,
                    detail: format!("key algorithm {algorithm} is not supported"),
                });
            }
        };
        let bits = key.bits();
        if family == KeyFamily::Rsa && bits > self.max_rsa_bits {
            return Err(Violation {
                kind: ViolationKind::NotAccepted,
                detail: format!(
                    "RSA-{bits} is larger than the policy limit of {} bits",
                    self.max_rsa_bits
                ),
            });
        }
        let entries: Vec<Option<UnixTime>> = self
            .keys
            .iter()
            .filter(|(f, min, _)| *f == family && bits >= *min)
            .map(|(_, _, u)| *u)
            .collect();
        if entries.is_empty() {
            return Err(Violation {
                kind: ViolationKind::NotAccepted,
                detail: format!(
                    "{}-{bits} is not accepted by policy '{}'",
                    key.algorithm_name(),
                    self.name
                ),
            });
        }
        if entries.iter().any(Option::is_none) {
            return Ok(());
        }
        let until = entries.iter().flatten().max().copied();
        match until {
            Some(u) if at > u => Err(Violation {
                kind: ViolationKind::Sunset,
                detail: format!(
                    "{}-{bits} is accepted only until {u} by policy '{}'",
                    key.algorithm_name(),
                    self.name
                ),
            }),
            _ => Ok(()),
        }
    }
}

fn datetime(d: &toml::value::Datetime) -> Result<UnixTime, PolicyError> {
    let s = d.to_string();
    UnixTime::parse_rfc3339(&s)
        .or_else(|| UnixTime::parse_rfc3339(&format!("{s}T00:00:00Z")))
        .ok_or_else(|| PolicyError::Value(format!("date {s}: give a full RFC 3339 time or a date")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_parses_and_dates_apply() {
        let p = Policy::default_policy();
        let t2010 = UnixTime::parse_rfc3339("2010-01-01T00:00:00Z").unwrap();
        let t2015 = UnixTime::parse_rfc3339("2015-02-12T12:00:00Z").unwrap();
        assert!(p.check_digest(HashAlg::Sha1, t2010).is_ok());
        assert_eq!(
            p.check_digest(HashAlg::Sha1, t2015).unwrap_err().kind,
            ViolationKind::Sunset
        );
        assert!(p.check_digest(HashAlg::Sha256, t2015).is_ok());
        let rsa = |bits| PublicKey::Rsa {
            der: vec![],
            n: vec![],
            e: vec![],
            bits,
            prepared: Default::default(),
        };
        assert!(p.check_key(&rsa(1024), t2015).is_ok());
        assert_eq!(
            p.check_key(&rsa(1024), UnixTime::parse_rfc3339("2020-01-01T00:00:00Z").unwrap())
                .unwrap_err()
                .kind,
            ViolationKind::Sunset
        );
        assert!(p.check_key(&rsa(2048), UnixTime(4_000_000_000)).is_ok());
        assert_eq!(
            p.check_key(&rsa(512), t2015).unwrap_err().kind,
            ViolationKind::NotAccepted
        );
        assert_eq!(
            p.check_key(&rsa(16384), t2015).unwrap_err().kind,
            ViolationKind::NotAccepted
        );
        // The bundled policy requires revocation status.
        assert_eq!(p.revocation, RevocationMode::Required);
        assert!(!p.revocation_switched_off);
    }

    #[test]
    fn rejects_unknown_fields_and_names() {
        assert!(Policy::from_toml("name = \"x\"\nbogus = 1").is_err());
        assert!(Policy::from_toml("name = \"x\"\n[[digest]]\nalgorithm = \"MD5\"").is_err());
        // A policy that says nothing about revocation requires it (strict default).
        assert_eq!(
            Policy::from_toml("name = \"x\"").unwrap().revocation,
            RevocationMode::Required
        );
    }
}

//! Loading trust anchors and intermediates, and the pinned-anchor manifest.
//!
//! This module is the one place of the library that reads files; shells call it once at start.
//! [`check_pins`] is pure: a certificate that claims the name of a pinned anchor (its subject
//! commonName) with another SHA-256 fingerprint is refused.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::chain::CertPool;
use crate::formats::x509::Certificate;

/// The manifest bundled in `trust-anchors/manifest.toml`.
pub const BUNDLED_MANIFEST: &str = include_str!("../trust-anchors/manifest.toml");

/// Largest certificate file read (a PEM bundle of a few thousand certificates).
pub const MAX_FILE_LEN: u64 = 4 * 1024 * 1024;
/// Most files read from one directory.
const MAX_DIR_ENTRIES: usize = 10_000;

/// A pinned anchor: a name and the only fingerprint it may have.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The subject commonName the anchor carries.
    pub name: String,
    /// Subject DN, for documentation.
    pub subject: String,
    /// SHA-256 fingerprint of the DER, hex (colons allowed).
    pub sha256: String,
    /// Where to obtain the certificate.
    pub source: String,
    /// File name a deployer gives it in `trust-anchors/`.
    pub file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    anchor: Vec<Pin>,
}

/// Why certificates could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// Path.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// A file holds no usable certificate.
    #[error("{path}: {detail}")]
    BadCertificate {
        /// Path.
        path: PathBuf,
        /// Cause.
        detail: String,
    },
    /// A certificate claims a pinned name with another fingerprint.
    #[error(
        "{path}: certificate claims to be '{name}' but its SHA-256 fingerprint {found} differs from the pinned {expected}"
    )]
    PinMismatch {
        /// Path.
        path: PathBuf,
        /// Pinned name.
        name: String,
        /// Fingerprint found.
        found: String,
        /// Fingerprint pinned.
        expected: String,
    },
    /// The manifest is malformed.
    #[error("trust anchor manifest: {0}")]
    Manifest(String),
}

/// Parses a manifest.
pub fn parse_manifest(text: &str) -> Result<Vec<Pin>, TrustError> {
    let m: Manifest = toml::from_str(text).map_err(|e| TrustError::Manifest(e.to_string()))?;
    Ok(m.anchor)
}

fn normalize_fp(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Refuses a certificate whose subject commonName is a pinned name but whose fingerprint is not
/// the pinned one.
pub fn check_pins(cert: &Certificate, pins: &[Pin], path: &Path) -> Result<(), TrustError> {
    let Some(cn) = cert.subject_attribute("2.5.4.3") else {
        return Ok(());
    };
    for pin in pins.iter().filter(|p| p.name.eq_ignore_ascii_case(cn.trim())) {
        let expected = normalize_fp(&pin.sha256);
        if cert.sha256_hex() != expected {
            return Err(TrustError::PinMismatch {
                path: path.to_path_buf(),
                name: pin.name.clone(),
                found: cert.sha256_hex().to_string(),
                expected,
            });
        }
    }
    Ok(())
}

fn is_cert_file(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("pem" | "crt" | "cer" | "der")
    )
}

/// Reads certificates from files and directories (a directory: its `.pem`, `.crt`, `.cer`,
/// `.der` files, not recursively) into `pool`, checking each against `pins`. Returns how many
/// were read.
pub fn load_into(pool: &mut CertPool, paths: &[PathBuf], pins: &[Pin]) -> Result<usize, TrustError> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| TrustError::Io {
            path: p.clone(),
            source: e,
        })?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| TrustError::Io {
                    path: p.clone(),
                    source: e,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_cert_file(p))
                .take(MAX_DIR_ENTRIES)
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(p.clone());
        }
    }
    let mut n = 0;
    for f in files {
        let bytes = read_bounded(&f, MAX_FILE_LEN)?;
        let certs = Certificate::from_pem_or_der(&bytes).map_err(|e| TrustError::BadCertificate {
            path: f.clone(),
            detail: e.to_string(),
        })?;
        for c in certs {
            check_pins(&c, pins, &f)?;
            pool.add(Arc::new(c));
            n += 1;
        }
    }
    Ok(n)
}

/// Reads `path` whole, refusing one of more than `limit` bytes. The read itself stops there,
/// whatever the file's metadata says: a FIFO or a device such as `/dev/zero` has no length.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, TrustError> {
    use std::io::Read;
    let io = |source| TrustError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if u64::try_from(bytes.len()).map_or(true, |n| n > limit) {
        return Err(TrustError::BadCertificate {
            path: path.to_path_buf(),
            detail: format!("larger than {limit} bytes"),
        });
    }
    Ok(bytes)
}

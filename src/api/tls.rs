//! HTTPS for the service: a rustls server configuration (ring provider, TLS 1.2 and 1.3, ALPN
//! `h2` and `http/1.1`) read from PEM files, and optionally client-certificate authentication
//! against a bundle of CAs.
//!
//! The files can be replaced while the service runs: [`Tls::watch`] re-reads them when their
//! modification time, size or inode changes, [`Tls::reload_on_sighup`] on `SIGHUP`. A reload
//! that fails (unreadable file, no key, a key that does not match the certificate) is logged
//! and the configuration in force stays. Each handshake takes the configuration in force when
//! it starts, so connections already open keep the certificate they were served.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::formats::x509::Certificate;

/// Largest PEM file read (a certificate chain, a key or a CA bundle).
const MAX_PEM_BYTES: u64 = 4 * 1024 * 1024;

/// Most certificates taken from one file.
const MAX_CERTS: usize = 1_000;

/// Where the server's certificate, key and client CAs are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// PEM certificate chain: the server's certificate first, then its intermediates.
    pub cert: PathBuf,
    /// PEM private key: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
    /// (`EC PRIVATE KEY`).
    pub key: PathBuf,
    /// PEM bundle of CAs; when set, a client must present a certificate that chains to one of
    /// them, or the handshake is refused.
    pub client_ca: Option<PathBuf>,
}

impl TlsFiles {
    fn paths(&self) -> impl Iterator<Item = &Path> {
        [
            Some(self.cert.as_path()),
            Some(self.key.as_path()),
            self.client_ca.as_deref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// Why the TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A file is over the size limit.
    #[error("{}: larger than {MAX_PEM_BYTES} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A file is not well-formed PEM.
    #[error("{}: {source}", path.display())]
    Pem {
        /// The file.
        path: PathBuf,
        /// What the PEM reader said.
        source: rustls_pki_types::pem::Error,
    },
    /// A certificate file holds no certificate.
    #[error("{}: no CERTIFICATE block", path.display())]
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// A key file holds no private key.
    #[error("{}: no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block", path.display())]
    NoKey {
        /// The file.
        path: PathBuf,
    },
    /// A certificate file holds more certificates than `MAX_CERTS` (1,000).
    #[error("{}: more than {MAX_CERTS} certificates", path.display())]
    TooManyCertificates {
        /// The file.
        path: PathBuf,
    },
    /// rustls refused the certificate or the key (unsupported key, or a key that does not
    /// match the certificate).
    #[error("{} / {}: {source}", cert.display(), key.display())]
    CertifiedKey {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// What rustls said.
        source: rustls::Error,
    },
    /// A client CA could not be used as a trust anchor.
    #[error("{}: {detail}", path.display())]
    ClientCa {
        /// The CA bundle.
        path: PathBuf,
        /// What rustls said.
        detail: String,
    },
}

/// What identifies a file's content without reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode,
    })
}

/// The server's TLS configuration in force, and the files it comes from.
#[derive(Debug)]
pub struct Tls {
    files: TlsFiles,
    current: RwLock<Arc<Loaded>>,
    /// The files' stamps when last read (successfully or not), taken before reading.
    seen: Mutex<Vec<Option<Stamp>>>,
}

impl Tls {
    /// Reads the files and builds the configuration; an error names the file at fault.
    pub fn load(files: TlsFiles) -> Result<Tls, TlsError> {
        let seen = files.paths().map(stamp).collect();
        let loaded = build(&files)?;
        Ok(Tls {
            files,
            current: RwLock::new(Arc::new(loaded)),
            seen: Mutex::new(seen),
        })
    }

    /// The files this configuration comes from.
    pub fn files(&self) -> &TlsFiles {
        &self.files
    }

    /// The configuration in force.
    pub fn config(&self) -> Arc<ServerConfig> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).config.clone()
    }

    /// An acceptor with the configuration in force, for one handshake.
    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.config())
    }

    /// Re-reads the files; on success new handshakes use them, on failure the configuration
    /// in force stays.
    pub fn reload(&self) -> Result<(), TlsError> {
        let stamps: Vec<_> = self.files.paths().map(stamp).collect();
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = stamps;
        let loaded = build(&self.files)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(loaded);
        Ok(())
    }

    /// Re-reads the files if any changed since they were last read; `Ok(false)` when none did.
    /// A failed reload is not retried until a file changes again.
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let stamps: Vec<_> = self.files.paths().map(stamp).collect();
        if *self.seen.lock().unwrap_or_else(|e| e.into_inner()) == stamps {
            return Ok(false);
        }
        self.reload().map(|()| true)
    }

    /// The server certificate in force, for logs: subject, serial and expiry.
    pub fn describe(&self) -> String {
        describe(&self.current.read().unwrap_or_else(|e| e.into_inner()).leaf)
    }

    /// Checks the files every `every` and reloads them when they changed; never returns.
    pub async fn watch(self: Arc<Self>, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            let tls = self.clone();
            let outcome = tokio::task::spawn_blocking(move || tls.reload_if_changed()).await;
            match outcome {
                Ok(Ok(true)) => log_reloaded(&self, "files changed"),
                Ok(Ok(false)) | Err(_) => {}
                Ok(Err(e)) => log_failed(&e, "files changed"),
            }
        }
    }

    /// Handles `SIGHUP` from now on (call it inside the runtime, before announcing the
    /// service) and returns the task that reloads the files on each; the task never ends.
    #[cfg(unix)]
    pub fn reload_on_sighup(self: Arc<Self>) -> io::Result<impl Future<Output = ()> + Send + 'static> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hup = signal(SignalKind::hangup())?;
        Ok(async move {
            while hup.recv().await.is_some() {
                let tls = self.clone();
                match tokio::task::spawn_blocking(move || tls.reload()).await {
                    Ok(Ok(())) => log_reloaded(&self, "SIGHUP"),
                    Ok(Err(e)) => log_failed(&e, "SIGHUP"),
                    Err(_) => {}
                }
            }
        })
    }
}

/// The verified client certificate of a TLS connection (subject, serial and expiry), in each
/// request's extensions when the client presented one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSubject(pub Arc<str>);

/// A configuration and the server certificate in it.
#[derive(Debug)]
struct Loaded {
    config: Arc<ServerConfig>,
    leaf: CertificateDer<'static>,
}

fn log_reloaded(tls: &Tls, trigger: &str) {
    tracing::info!(trigger, certificate = %tls.describe(), "TLS files reloaded");
}

fn log_failed(e: &TlsError, trigger: &str) {
    tracing::error!(trigger, error = %e, "TLS files not reloaded; the certificate in force stays");
}

/// Subject, serial and expiry of a certificate, for logs.
pub fn describe(der: &[u8]) -> String {
    match Certificate::from_der(der) {
        Ok(c) => format!(
            "{} (serial {}, until {})",
            c.subject_string(),
            c.serial_hex(),
            c.not_after.to_rfc3339()
        ),
        Err(_) => "unparsed certificate".to_string(),
    }
}

/// Reads the files and builds a server configuration on the ring provider.
fn build(files: &TlsFiles) -> Result<Loaded, TlsError> {
    let chain = read_certs(&files.cert)?;
    let key = read_key(&files.key)?;
    let leaf = chain[0].clone();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|source| TlsError::CertifiedKey {
            cert: files.cert.clone(),
            key: files.key.clone(),
            source,
        })?;
    let builder = match &files.client_ca {
        None => builder.with_no_client_auth(),
        Some(path) => builder.with_client_cert_verifier(client_verifier(path, provider)?),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|source| TlsError::CertifiedKey {
            cert: files.cert.clone(),
            key: files.key.clone(),
            source,
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Loaded {
        config: Arc::new(config),
        leaf,
    })
}

/// A verifier that requires a client certificate chaining to one of the CAs in `path`.
fn client_verifier(
    path: &Path,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn rustls::server::danger::ClientCertVerifier>, TlsError> {
    let mut roots = RootCertStore::empty();
    for cert in read_certs(path)? {
        roots.add(cert).map_err(|e| TlsError::ClientCa {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    }
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| TlsError::ClientCa {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, TlsError> {
    use std::io::Read;
    let read_error = |source| TlsError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_PEM_BYTES {
        return Err(TlsError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// Every `CERTIFICATE` block of a PEM file, in order; at least one.
fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = read_bounded(path)?;
    let mut certs = Vec::new();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        if certs.len() == MAX_CERTS {
            return Err(TlsError::TooManyCertificates {
                path: path.to_path_buf(),
            });
        }
        certs.push(cert.map_err(|source| TlsError::Pem {
            path: path.to_path_buf(),
            source,
        })?);
    }
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.to_path_buf(),
        });
    }
    Ok(certs)
}

/// The first private key of a PEM file (PKCS#8, PKCS#1 or SEC1).
fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let bytes = read_bounded(path)?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|source| match source {
        rustls_pki_types::pem::Error::NoItemsFound => TlsError::NoKey {
            path: path.to_path_buf(),
        },
        source => TlsError::Pem {
            path: path.to_path_buf(),
            source,
        },
    })
}

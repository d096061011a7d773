//! The `sigverify` binary: a thin shell over the library.

mod cli {
    pub mod batch;
    pub mod mobileid;
    pub mod ordered;
    pub mod output;
    pub mod pdf;
    pub mod read;
}

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The binary's allocator: with glibc's, `verify` over many files on two threads spends about a
/// tenth more CPU time (benches/README.md, "CLI scaling over 10,000 distinct files"). Built
/// without transparent huge pages (`no_thp`): with them, a short run paid up to 1.6 ms of page
/// zeroing; without, start-up costs about 0.4 ms more than with glibc's ("The three speed
/// ratios, measured together").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use cli::read::{self, Input};
use sigverify::revocation::OcspMode;
#[cfg(feature = "online")]
use sigverify::revocation::path::Info;
use sigverify::verdict::i18n::Lang;
use sigverify::{
    CertPool, Content, DefaultVerifier, HashAlg, Indication, LinkCache, Policy, Report, UnixTime, VerifyContext, trust,
};

#[derive(Parser)]
#[command(
    name = "sigverify",
    version,
    about = "Verify signatures and certificates: CMS/CAdES, XAdES, ASiC, DigiDoc, PDF/PAdES, X.509 chains, ETSI verdicts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify signature files (CMS/CAdES, XML-DSig/XAdES, DigiDoc, ASiC-E/ASiC-S, signed PDFs) and certificates.
    Verify(VerifyArgs),
    /// Run the HTTP service (native JSON API, MSign VerifySignatures, Mobile ID checks).
    #[cfg(feature = "server")]
    Serve(ServeArgs),
    /// Check a Swisscom Mobile ID MSS_SignatureResp / MSS_StatusResp / Fault (JSON or SOAP) against the request.
    Mobileid(MobileIdArgs),
    /// Verify a bare signature value with the signer's certificate (Smart-ID, Mobiil-ID).
    Raw(RawArgs),
}

#[derive(clap::Args)]
struct TrustArgs {
    /// Trust anchor: a PEM/DER certificate file or a directory of them (repeatable).
    #[arg(
        long = "trust-anchor",
        value_name = "PATH",
        env = "SIGVERIFY_TRUST_ANCHORS",
        value_delimiter = ','
    )]
    trust_anchors: Vec<PathBuf>,
    /// Directory of deployed trust anchors, read when it exists.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "trust-anchors",
        env = "SIGVERIFY_TRUST_ANCHORS_DIR"
    )]
    trust_anchors_dir: PathBuf,
    /// Untrusted intermediate or signer certificate: file or directory (repeatable).
    #[arg(
        long = "intermediate",
        value_name = "PATH",
        env = "SIGVERIFY_INTERMEDIATES",
        value_delimiter = ','
    )]
    intermediates: Vec<PathBuf>,
    /// Policy file (TOML); default: the bundled policy.
    #[arg(long, value_name = "FILE", env = "SIGVERIFY_POLICY")]
    policy: Option<PathBuf>,
}

struct Loaded {
    anchors: CertPool,
    intermediates: CertPool,
    policy: Policy,
}

impl TrustArgs {
    fn load(&self) -> Result<Loaded> {
        let pins = trust::parse_manifest(trust::BUNDLED_MANIFEST)?;
        let mut anchors = CertPool::new();
        if self.trust_anchors_dir.is_dir() {
            trust::load_into(&mut anchors, std::slice::from_ref(&self.trust_anchors_dir), &pins)
                .context("--trust-anchors-dir")?;
        }
        trust::load_into(&mut anchors, &self.trust_anchors, &pins).context("--trust-anchor")?;
        let mut intermediates = CertPool::new();
        trust::load_into(&mut intermediates, &self.intermediates, &pins).context("--intermediate")?;
        let policy = match &self.policy {
            Some(p) => Policy::from_toml(&read::text(Input::option("--policy", p), read::POLICY)?)?,
            None => Policy::default_policy(),
        };
        if anchors.is_empty() {
            eprintln!(
                "sigverify: warning: no trust anchor loaded (add certificates to {} or pass --trust-anchor); no chain can be trusted",
                self.trust_anchors_dir.display()
            );
        }
        Ok(Loaded {
            anchors,
            intermediates,
            policy,
        })
    }
}

/// How `--ocsp live` asks OCSP responders (also `sigverify serve`, for `"ocsp": "live"`).
#[derive(clap::Args)]
struct LiveArgs {
    /// With live OCSP: a host a certificate's OCSP URL may name and be asked, an exact name or
    /// `*.example.com` (every name below it) (repeatable). None by default: then only
    /// --ocsp-responder is asked, and every other responder is refused (a certificate,
    /// possibly an attacker's, chooses the URL).
    #[arg(
        long = "ocsp-allow-host",
        value_name = "HOST",
        env = "SIGVERIFY_OCSP_ALLOW_HOSTS",
        value_delimiter = ','
    )]
    ocsp_allow_hosts: Vec<String>,
    /// With live OCSP: allow loopback, private, link-local and other non-public addresses for
    /// allowed hosts (refused by default).
    #[arg(long, env = "SIGVERIFY_OCSP_ALLOW_PRIVATE")]
    ocsp_allow_private: bool,
    /// With live OCSP: a responder to ask instead of the URLs the certificates name, for the
    /// certificates of one issuer (ISSUER_SUBJECT=URL, the subject as reports print it) or of
    /// every issuer (URL); trusted as configured: neither the allow-list nor the address rules
    /// apply (repeatable; the environment variable holds one).
    #[arg(
        long = "ocsp-responder",
        value_name = "[ISSUER_SUBJECT=]URL",
        env = "SIGVERIFY_OCSP_RESPONDER"
    )]
    ocsp_responders: Vec<String>,
    /// With live OCSP: the address to connect to for a host name, instead of DNS (checked by
    /// the same rules) (repeatable).
    #[arg(
        long = "ocsp-resolve",
        value_name = "HOST=IP:PORT",
        env = "SIGVERIFY_OCSP_RESOLVE",
        value_delimiter = ',',
        value_parser = parse_resolve
    )]
    ocsp_resolve: Vec<(String, std::net::SocketAddr)>,
    /// With live OCSP: most time for one certificate's status, all its URLs included, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "10", env = "SIGVERIFY_OCSP_TIMEOUT", value_parser = parse_seconds)]
    ocsp_timeout: std::time::Duration,
    /// With live OCSP: most time to connect to one address, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "3", env = "SIGVERIFY_OCSP_CONNECT_TIMEOUT", value_parser = parse_seconds)]
    ocsp_connect_timeout: std::time::Duration,
    /// With live OCSP: largest OCSP response read, in bytes.
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = 65_536,
        env = "SIGVERIFY_OCSP_MAX_BYTES"
    )]
    ocsp_max_bytes: usize,
}

/// A positive number of seconds (fractions allowed).
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if secs.is_nan() || secs <= 0.0 {
        return Err(format!("'{s}': give a positive number of seconds"));
    }
    std::time::Duration::try_from_secs_f64(secs).map_err(|e| format!("'{s}': {e}"))
}

/// `HOST=IP:PORT`.
fn parse_resolve(s: &str) -> Result<(String, std::net::SocketAddr), String> {
    let (host, addr) = s.split_once('=').ok_or_else(|| format!("'{s}' is not HOST=IP:PORT"))?;
    let addr = addr
        .trim()
        .parse()
        .map_err(|_| format!("'{addr}' is not IP:PORT ([v6]:PORT for IPv6)"))?;
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return Err(format!("'{s}': no host before '='"));
    }
    Ok((host, addr))
}

#[cfg(feature = "server")]
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "SIGVERIFY_LISTEN")]
    listen: String,
    #[command(flatten)]
    trust: TrustArgs,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024, env = "SIGVERIFY_MAX_BODY_BYTES")]
    max_body_bytes: usize,
    /// Most items in one batch request.
    #[arg(long, default_value_t = 100, env = "SIGVERIFY_MAX_BATCH_ITEMS")]
    max_batch_items: usize,
    /// Most verifications running at once (others wait up to --queue-timeout-ms, then 503).
    #[arg(long, default_value_t = 64, env = "SIGVERIFY_MAX_CONCURRENT")]
    max_concurrent: usize,
    /// How long a request may wait for a verification slot or for body memory, in milliseconds.
    #[arg(long, default_value_t = 5_000, env = "SIGVERIFY_QUEUE_TIMEOUT_MS")]
    queue_timeout_ms: u64,
    /// Request bodies held in memory at once, all requests together, in bytes.
    #[arg(long, default_value_t = 256 * 1024 * 1024, env = "SIGVERIFY_MAX_INFLIGHT_BODY_BYTES")]
    max_inflight_body_bytes: usize,
    /// Time allowed for a request body before --min-body-rate applies, in milliseconds.
    #[arg(long, default_value_t = 10_000, env = "SIGVERIFY_BODY_TIMEOUT_MS")]
    body_timeout_ms: u64,
    /// Slowest average rate of a request body, in bytes per second.
    #[arg(long, default_value_t = 64 * 1024, env = "SIGVERIFY_MIN_BODY_RATE")]
    min_body_rate: u64,
    /// Deadline of a request once its body is in (queue, parsing, verification), in milliseconds.
    #[arg(long, default_value_t = 15_000, env = "SIGVERIFY_REQUEST_TIMEOUT_MS")]
    request_timeout_ms: u64,
    /// Time allowed to send a request head, in milliseconds.
    #[arg(long, default_value_t = 10_000, env = "SIGVERIFY_HEADER_TIMEOUT_MS")]
    header_timeout_ms: u64,
    /// A keep-alive connection without traffic is closed after this many milliseconds.
    #[arg(long, default_value_t = 75_000, env = "SIGVERIFY_IDLE_TIMEOUT_MS")]
    idle_timeout_ms: u64,
    /// Most open connections; default: the descriptor limit less 128.
    #[arg(long, env = "SIGVERIFY_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// After SIGTERM, how long requests in flight may take before the process exits anyway,
    /// in milliseconds.
    #[arg(long, default_value_t = 20_000, env = "SIGVERIFY_SHUTDOWN_TIMEOUT_MS")]
    shutdown_timeout_ms: u64,
    // How requests in `"ocsp": "live"` mode ask OCSP responders.
    #[command(flatten)]
    live: LiveArgs,
    /// Public base URL of the service (`https://host/prefix`), for the endpoint address in the
    /// MSign WSDL; default: `http://` and the request's Host header.
    #[arg(long, value_name = "URL", env = "SIGVERIFY_PUBLIC_URL")]
    public_url: Option<String>,
    // HTTPS and client certificates.
    #[command(flatten)]
    tls: TlsArgs,
}

/// HTTPS: without --tls-cert and --tls-key the service speaks plain HTTP (behind a proxy that
/// terminates TLS).
#[cfg(feature = "server")]
#[derive(clap::Args)]
struct TlsArgs {
    /// PEM certificate chain (the server's certificate first) to serve HTTPS with; needs
    /// --tls-key. Re-read on SIGHUP and when the file changes.
    #[arg(long, value_name = "FILE", env = "SIGVERIFY_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", env = "SIGVERIFY_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// PEM bundle of CAs: clients must present a certificate that chains to one of them, or
    /// the handshake is refused. Needs --tls-cert.
    #[arg(long, value_name = "FILE", env = "SIGVERIFY_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// How often the TLS files are checked for changes, in milliseconds.
    #[arg(long, default_value_t = 5_000, env = "SIGVERIFY_TLS_CHECK_INTERVAL_MS")]
    tls_check_interval_ms: u64,
}

#[cfg(feature = "server")]
impl TlsArgs {
    /// The TLS configuration when --tls-cert is given.
    fn load(&self) -> Result<Option<std::sync::Arc<sigverify::api::tls::Tls>>> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let files = sigverify::api::tls::TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
            client_ca: self.tls_client_ca.clone(),
        };
        let tls = sigverify::api::tls::Tls::load(files).context("TLS")?;
        Ok(Some(std::sync::Arc::new(tls)))
    }
}

#[cfg(feature = "server")]
impl ServeArgs {
    fn limits(&self) -> sigverify::api::Limits {
        use std::time::Duration;
        sigverify::api::Limits {
            max_body_bytes: self.max_body_bytes,
            max_batch_items: self.max_batch_items,
            max_concurrent: self.max_concurrent,
            queue_timeout: Duration::from_millis(self.queue_timeout_ms),
            max_inflight_body_bytes: self.max_inflight_body_bytes,
            body_timeout: Duration::from_millis(self.body_timeout_ms),
            min_body_rate: self.min_body_rate,
            request_timeout: Duration::from_millis(self.request_timeout_ms),
        }
    }

    fn server(&self) -> sigverify::api::server::ServerConfig {
        use std::time::Duration;
        sigverify::api::server::ServerConfig {
            header_timeout: Duration::from_millis(self.header_timeout_ms),
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
            max_connections: self
                .max_connections
                .unwrap_or_else(sigverify::api::server::default_max_connections),
            shutdown_timeout: Duration::from_millis(self.shutdown_timeout_ms),
        }
    }
}

#[derive(clap::Args)]
struct MobileIdArgs {
    #[command(flatten)]
    trust: TrustArgs,
    /// The response file as Mobile ID returned it: the REST/JSON body, or the SOAP envelope
    /// (told apart by the first character, `<`).
    #[arg(long, value_name = "FILE")]
    response: PathBuf,
    /// The text that was displayed and signed (DTBD).
    #[arg(long)]
    dtbd: String,
    /// The MSISDN the request was sent to.
    #[arg(long)]
    msisdn: String,
    /// The AP_TransID of the request.
    #[arg(long)]
    ap_trans_id: String,
    /// The Mobile ID serial number pinned at the user's first signature.
    #[arg(long)]
    mid_serial: Option<String>,
    /// Revocation checking: `off` (the default: Mobile ID user certificates are never
    /// revoked, and Swisscom advises against revocation checks), `embedded` (the policy as
    /// configured, from the information at hand) or `live` (as `embedded`, and the statuses
    /// still lacking asked of OCSP responders: see --ocsp-responder, --ocsp-allow-host).
    #[arg(long, value_name = "MODE", default_value = "off", env = "SIGVERIFY_MOBILEID_OCSP", value_parser = ocsp_mode())]
    ocsp: OcspMode,
    #[command(flatten)]
    live: LiveArgs,
    /// Validation time (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

#[derive(clap::Args)]
struct RawArgs {
    #[command(flatten)]
    trust: TrustArgs,
    /// File holding the signature value (binary, or Base64 text), or the `signature` object
    /// of a Smart-ID v3 or MID-REST response as JSON (value, algorithm and parameters).
    #[arg(long, value_name = "FILE")]
    signature_value: PathBuf,
    /// Signature algorithm: sha256WithRSAEncryption, SHA256withECDSA, SHA256WithECEncryption,
    /// rsassa-pss (with --pss-hash and --pss-salt), ...; not with a JSON signature object.
    #[arg(long)]
    algorithm: Option<String>,
    /// RSASSA-PSS hash, also the MGF1 hash (required with rsassa-pss).
    #[arg(long)]
    pss_hash: Option<String>,
    /// RSASSA-PSS salt length in bytes (required with rsassa-pss).
    #[arg(long)]
    pss_salt: Option<usize>,
    /// The signer's certificate (PEM or DER; a PEM bundle: the signer first, then
    /// intermediates).
    #[arg(long, value_name = "FILE")]
    certificate: PathBuf,
    /// The signed data; hashed as it is read, never held whole.
    #[arg(long, value_name = "FILE", conflicts_with = "hash")]
    data: Option<PathBuf>,
    /// Largest --data read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = read::CONTENT_DEFAULT, env = "SIGVERIFY_MAX_CONTENT_BYTES")]
    max_content_bytes: u64,
    /// The digest of the signed data: ALG:BASE64.
    #[arg(long, value_name = "ALG:BASE64")]
    hash: Option<String>,
    /// Revocation checking: `embedded` (the policy as configured; the bundled one requires the
    /// signer's revocation status), `live` (as `embedded`, and the signer's status asked of an
    /// OCSP responder: see --ocsp-responder, --ocsp-allow-host) or `off` (not required; the
    /// report says it was switched off).
    #[arg(long, value_name = "MODE", default_value = "embedded", env = "SIGVERIFY_OCSP", value_parser = ocsp_mode())]
    ocsp: OcspMode,
    #[command(flatten)]
    live: LiveArgs,
    /// Validation time (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

/// Parses `--ocsp`, offering the modes' names.
fn ocsp_mode() -> impl clap::builder::TypedValueParser<Value = OcspMode> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(OcspMode::NAMES).map(|s| OcspMode::from_name(&s).unwrap_or_default())
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Lines for people.
    Text,
    /// A JSON array of reports, written as they come.
    Json,
    /// JSON Lines: one report per line, each written as it comes.
    Jsonl,
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    trust: TrustArgs,
    /// Detached content of the one signature FILE: for CMS the one signed file, hashed as it is
    /// read, never held whole; for XML signatures, one file per external reference, named by
    /// its file name (repeatable; then for every XML FILE). For several signatures, see --pair.
    #[arg(long = "content", value_name = "FILE")]
    contents: Vec<PathBuf>,
    /// Largest --content read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = read::CONTENT_DEFAULT, env = "SIGVERIFY_MAX_CONTENT_BYTES")]
    max_content_bytes: u64,
    /// Detached content of the one signature FILE, given as the text that was displayed and
    /// signed (UTF-8).
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["contents", "hash"])]
    dtbd: Option<String>,
    /// Detached content of the one signature FILE, given as its digest: ALG:BASE64, e.g. SHA-256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=
    #[arg(long, value_name = "ALG:BASE64", conflicts_with = "contents")]
    hash: Option<String>,
    /// Validation time (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// An OCSP response (DER) to use for the revocation status of the signers' paths, besides
    /// what the signatures carry (repeatable; verified like embedded ones).
    #[arg(long = "ocsp-response", value_name = "FILE")]
    ocsp_responses: Vec<PathBuf>,
    /// A CRL (DER) to use for the revocation status of the signers' paths (repeatable).
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<PathBuf>,
    /// Revocation checking: `embedded` (the policy as configured, from the information the
    /// signatures carry and --ocsp-response / --crl; the bundled policy requires the signers'
    /// revocation status), `live` (as `embedded`, and the statuses still lacking asked of OCSP
    /// responders: see --ocsp-responder, --ocsp-allow-host) or `off` (not required; the report
    /// says it was switched off; a revoked certificate still fails).
    #[arg(long, value_name = "MODE", default_value = "embedded", env = "SIGVERIFY_OCSP", value_parser = ocsp_mode())]
    ocsp: OcspMode,
    #[command(flatten)]
    live: LiveArgs,
    /// A signature and its detached content, SIG=CONTENT (split at the first `=`): the content
    /// is hashed as it is read, for that signature only (repeatable). SIG is verified where it
    /// stands among the FILEs, or after them when it is not one.
    #[arg(long = "pair", value_name = "SIG=CONTENT", value_parser = parse_pair, conflicts_with_all = ["contents", "dtbd", "hash"])]
    pairs: Vec<(PathBuf, PathBuf)>,
    /// Pair each detached CMS signature `X.p7s` (`X.p7m`, `X.sig`) with the regular file `X`
    /// beside it, when there is one, as its content; a signature carrying its content is never
    /// paired.
    #[arg(long, conflicts_with_all = ["contents", "dtbd", "hash"])]
    pair_content: bool,
    /// Language of the verdict messages added to each report (en, de, fr, it, ro, ru, et): a
    /// line per file and per signature in text, a `message` field in JSON.
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    language: Option<Lang>,
    /// Output format: text, json (an array) or jsonl (one report per line); each report is
    /// written as soon as it and those before it are verified.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Files to verify, reported in this order; `-` reads standard input (once; `./-` is a file
    /// named `-`).
    #[arg(required_unless_present = "pairs", value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// `--pair SIG=CONTENT`.
fn parse_pair(s: &str) -> Result<(PathBuf, PathBuf), String> {
    match s.split_once('=') {
        Some((sig, content)) if !sig.is_empty() && !content.is_empty() => Ok((sig.into(), content.into())),
        _ => Err(format!("'{s}' is not SIG=CONTENT")),
    }
}

/// `--language`: a supported language tag (`de`, `de-CH`).
fn parse_language(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("'{s}': supported: en, de, fr, it, ro, ru, et"))
}

/// Live OCSP in the CLI: one runtime and one fetcher (with its cache) for the process.
#[cfg(feature = "online")]
struct Live {
    runtime: tokio::runtime::Runtime,
    fetcher: sigverify::online::Fetcher,
}

/// Without the `online` feature there is no live OCSP: nothing of this type exists.
#[cfg(not(feature = "online"))]
enum Live {}

impl LiveArgs {
    /// How responders are asked, the policy's maximum age for responses without nextUpdate.
    #[cfg(feature = "online")]
    fn fetch_config(&self, policy: &Policy) -> Result<sigverify::online::FetchConfig> {
        let responders = self
            .ocsp_responders
            .iter()
            .map(|r| r.parse().map_err(|e: String| anyhow::anyhow!("--ocsp-responder {e}")))
            .collect::<Result<_>>()?;
        for host in &self.ocsp_allow_hosts {
            let name = host.strip_prefix("*.").unwrap_or(host);
            if name.is_empty() || name.contains(['*', '/', ':', '@']) {
                bail!("--ocsp-allow-host '{host}' is not a host name or *.domain");
            }
        }
        Ok(sigverify::online::FetchConfig {
            allow_hosts: self.ocsp_allow_hosts.clone(),
            allow_private: self.ocsp_allow_private,
            static_hosts: self.ocsp_resolve.iter().cloned().collect(),
            responders,
            connect_timeout: self.ocsp_connect_timeout,
            total_timeout: self.ocsp_timeout,
            max_response_bytes: self.ocsp_max_bytes,
            max_age_seconds: policy.revocation_max_age_seconds,
            ..sigverify::online::FetchConfig::default()
        })
    }

    /// For `--ocsp live`, the runtime and fetcher; None for the other modes.
    fn live(&self, mode: OcspMode, policy: &Policy) -> Result<Option<Live>> {
        if !mode.is_live() {
            return Ok(None);
        }
        #[cfg(feature = "online")]
        {
            let config = self.fetch_config(policy)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("sigverify-ocsp")
                .enable_all()
                .build()
                .context("live OCSP runtime")?;
            let fetcher = sigverify::online::Fetcher::new(config);
            Ok(Some(Live { runtime, fetcher }))
        }
        #[cfg(not(feature = "online"))]
        {
            let _ = policy;
            bail!("--ocsp live: this sigverify was built without live OCSP (the `online` feature)")
        }
    }
}

/// Verifies with `verify`; under live OCSP, asks the responders of the statuses the first
/// verification lacked and verifies again with their answers (this thread waits on the
/// runtime; rayon workers each wait for their own input).
fn verify_live_or_not<F>(live: Option<&Live>, ctx: &VerifyContext<'_>, verify: F) -> Report
where
    F: Fn(&VerifyContext<'_>) -> Report,
{
    let Some(live) = live else {
        return verify(ctx);
    };
    #[cfg(feature = "online")]
    {
        live.runtime
            .block_on(sigverify::online::verify_with_live_ocsp(&live.fetcher, |extra| {
                let infos: Vec<Info<'_>> = ctx.revocation.iter().chain(extra).cloned().collect();
                verify(&VerifyContext {
                    revocation: &infos,
                    ..*ctx
                })
            }))
    }
    #[cfg(not(feature = "online"))]
    match *live {}
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(args) => run_verify(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => run_serve(args).map(|()| true),
        Command::Mobileid(args) => run_mobileid(args),
        Command::Raw(args) => run_raw(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("sigverify: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_hash(s: &str) -> Result<(HashAlg, Vec<u8>)> {
    use base64::Engine;
    let (alg, value) = s.split_once(':').context("--hash takes ALG:BASE64")?;
    let alg = HashAlg::from_name(alg).with_context(|| format!("unknown hash algorithm '{alg}'"))?;
    let value = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .context("--hash value is not Base64")?;
    if value.len() != alg.output_len() {
        bail!(
            "--hash value has {} bytes, {} has {}",
            value.len(),
            alg.name(),
            alg.output_len()
        );
    }
    Ok((alg, value))
}

fn validation_time(at: Option<&str>) -> Result<UnixTime> {
    match at {
        Some(s) => UnixTime::parse_rfc3339(s).with_context(|| format!("--at '{s}' is not an RFC 3339 time")),
        None => Ok(UnixTime(
            i64::try_from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .context("clock before 1970")?
                    .as_secs(),
            )
            .context("clock")?,
        )),
    }
}

fn print_reports(reports: &[Report], format: OutputFormat) -> Result<()> {
    let entries: Vec<_> = reports.iter().cloned().map(cli::output::Entry::of).collect();
    cli::output::print(&entries, format, None)?;
    Ok(())
}

#[cfg(feature = "server")]
fn run_serve(args: ServeArgs) -> Result<()> {
    use tracing_subscriber::EnvFilter;
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let loaded = args.trust.load()?;
    let limits = args.limits();
    let server = args.server();
    let live = args.live.fetch_config(&loaded.policy)?;
    if live.total_timeout >= limits.request_timeout {
        tracing::warn!(
            ocsp_timeout_ms = live.total_timeout.as_millis() as u64,
            request_timeout_ms = limits.request_timeout.as_millis() as u64,
            "--ocsp-timeout is not below --request-timeout-ms: live OCSP is cut at four fifths of the request deadline"
        );
    }
    let (allow_hosts, responders) = (live.allow_hosts.len(), live.responders.len());
    let public_url = args
        .public_url
        .as_deref()
        .map(sigverify::api::msign::parse_public_url)
        .transpose();
    let public_url = public_url.map_err(anyhow::Error::msg).context("--public-url")?;
    let tls = args.tls.load()?;
    let state = std::sync::Arc::new(
        sigverify::api::AppState::new(loaded.anchors, loaded.intermediates, loaded.policy, limits)
            .with_live_ocsp(live)
            .with_public_url(public_url)
            .with_https(tls.is_some()),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("listen on {}", args.listen))?;
        if let Some(tls) = &tls {
            tokio::spawn(tls.clone().reload_on_sighup().context("SIGHUP")?);
            let every = std::time::Duration::from_millis(args.tls.tls_check_interval_ms.max(100));
            tokio::spawn(tls.clone().watch(every));
        } else {
            tokio::spawn(ignore_sighup().context("SIGHUP")?);
        }
        tracing::info!(
            listen = %listener.local_addr()?,
            scheme = if tls.is_some() { "https" } else { "http" },
            tls_certificate = tls.as_ref().map(|t| t.describe()),
            tls_client_ca = tls.as_ref().is_some_and(|t| t.files().client_ca.is_some()),
            trust_anchors = state.anchors.len(),
            intermediates = state.intermediates.len(),
            policy = %state.policy.name,
            max_connections = server.max_connections,
            ocsp_allow_hosts = allow_hosts,
            ocsp_responders = responders,
            "sigverify serving"
        );
        let app = sigverify::api::router(state);
        let dropped = match tls {
            Some(tls) => sigverify::api::server::serve_tls(listener, app, server, tls, shutdown_signal()).await?,
            None => sigverify::api::server::serve(listener, app, server, shutdown_signal()).await?,
        };
        tracing::info!(dropped, "sigverify stopped");
        Ok::<(), anyhow::Error>(())
    })?;
    // Verifications still running were told to stop; do not wait for them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Ok(())
}

/// Without TLS there is nothing to reload: SIGHUP (sent to reload a service) is logged and
/// ignored rather than ending the process.
#[cfg(feature = "server")]
fn ignore_sighup() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup())?;
    Ok(async move {
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP ignored: no TLS files to reload");
        }
    })
}

#[cfg(feature = "server")]
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn run_mobileid(args: MobileIdArgs) -> Result<bool> {
    let loaded = args.trust.load()?;
    let text = read::text(Input::option("--response", &args.response), read::MOBILEID_RESPONSE)?;
    // The SOAP envelope or the REST/JSON response, told apart by the first character.
    let response = if sigverify::mobileid::looks_like_xml(&text) {
        None
    } else {
        Some(
            serde_json::from_str::<serde_json::Value>(&text)
                .context("--response is neither a SOAP (XML) nor a JSON Mobile ID response")?,
        )
    };
    let expected = sigverify::mobileid::Expected {
        dtbd: args.dtbd,
        msisdn: args.msisdn,
        ap_trans_id: args.ap_trans_id,
        mid_serial: args.mid_serial,
    };
    let verifier = DefaultVerifier;
    let cache = LinkCache::new();
    let policy = args.ocsp.policy(&loaded.policy);
    let live = args.live.live(args.ocsp, &policy)?;
    let ctx = VerifyContext {
        trust: &loaded.anchors,
        intermediates: &loaded.intermediates,
        verifier: &verifier,
        policy: &policy,
        time: validation_time(args.at.as_deref())?,
        cache: Some(&cache),
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    };
    let mut report = verify_live_or_not(live.as_ref(), &ctx, |ctx| match &response {
        Some(json) => sigverify::mobileid::verify_response(json, &expected, ctx),
        None => sigverify::mobileid::verify_soap_response(&text, &expected, ctx),
    });
    report.file = Some(args.response.display().to_string());
    if args.format == OutputFormat::Text {
        let mut out = std::io::stdout().lock();
        cli::mobileid::write_text(&mut out, &report)?;
        std::io::Write::flush(&mut out)?;
    } else {
        print_reports(std::slice::from_ref(&report), args.format)?;
    }
    Ok(report.indication == Indication::TotalPassed)
}

fn run_raw(args: RawArgs) -> Result<bool> {
    let loaded = args.trust.load()?;
    let time = validation_time(args.at.as_deref())?;
    let (signature, scheme) = signature_and_scheme(&args)?;
    let certificate = read::whole(Input::option("--certificate", &args.certificate), read::CERTIFICATE)?;
    let data = args
        .data
        .as_ref()
        .map(|p| read::digests(Input::option("--data", p), &[scheme.hash()], args.max_content_bytes))
        .transpose()?;
    let hash = args.hash.as_deref().map(parse_hash).transpose()?;
    let content = match (&data, &hash) {
        (Some(d), _) => Content::Digests(d),
        (None, Some((alg, v))) => Content::Digest { alg: *alg, value: v },
        (None, None) => bail!("give --data or --hash"),
    };
    let verifier = DefaultVerifier;
    let policy = args.ocsp.policy(&loaded.policy);
    let live = args.live.live(args.ocsp, &policy)?;
    let ctx = VerifyContext {
        trust: &loaded.anchors,
        intermediates: &loaded.intermediates,
        verifier: &verifier,
        policy: &policy,
        time,
        cache: None,
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    };
    let mut report = verify_live_or_not(live.as_ref(), &ctx, |ctx| {
        sigverify::verify_raw(&signature, &scheme, &certificate, content, ctx)
    });
    report.file = Some(args.signature_value.display().to_string());
    print_reports(std::slice::from_ref(&report), args.format)?;
    Ok(report.indication == Indication::TotalPassed)
}

/// The signature value and its scheme: from the --signature-value file and --algorithm, or
/// from the service's JSON signature object in that file.
fn signature_and_scheme(args: &RawArgs) -> Result<(Vec<u8>, sigverify::SignatureScheme)> {
    use base64::Engine;
    let (value, service) = signature_value(&args.signature_value)?;
    let Some(s) = service else {
        let Some(name) = &args.algorithm else {
            bail!("give --algorithm, or a JSON signature object as --signature-value")
        };
        let scheme = sigverify::parse_signature_algorithm(name, args.pss_hash.as_deref(), args.pss_salt)?;
        return Ok((value, scheme));
    };
    if args.algorithm.is_some() || args.pss_hash.is_some() || args.pss_salt.is_some() {
        bail!("the JSON signature object names its algorithm: give no --algorithm, --pss-hash or --pss-salt");
    }
    let scheme = s.scheme().context("--signature-value: signature algorithm")?;
    let compact: String = s.value.chars().filter(|c| !c.is_whitespace()).collect();
    let value = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .context("--signature-value: value is not Base64")?;
    Ok((value, scheme))
}

/// The signature value file: the service's JSON `signature` object, Base64 text (white space
/// ignored), else the raw bytes.
fn signature_value(path: &Path) -> Result<(Vec<u8>, Option<sigverify::adapters::raw::ServiceSignature>)> {
    use base64::Engine;
    let raw = read::whole(Input::option("--signature-value", path), read::SIGNATURE_VALUE)?;
    let is_json =
        raw.trim_ascii_start().starts_with(b"{") && serde_json::from_slice::<serde::de::IgnoredAny>(&raw).is_ok();
    if is_json {
        let s = serde_json::from_slice(&raw).context("--signature-value: the JSON signature object")?;
        return Ok((Vec::new(), Some(s)));
    }
    let text: String = String::from_utf8_lossy(&raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Ok((
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .unwrap_or(raw),
        None,
    ))
}

fn run_verify(args: VerifyArgs) -> Result<bool> {
    cli::batch::run(args)
}

//! The `sigverify` binary: a thin shell over the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sigverify::{
    CertPool, Content, DefaultVerifier, HashAlg, Indication, LinkCache, Policy, Report, UnixTime, VerifyContext, trust,
    verify,
};

#[derive(Parser)]
#[command(
    name = "sigverify",
    version,
    about = "Verify signatures and certificates: CMS/CAdES, X.509 chains, ETSI verdicts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify signature files (CMS/CAdES) and certificates.
    Verify(VerifyArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Trust anchor: a PEM/DER certificate file or a directory of them (repeatable).
    #[arg(long = "trust-anchor", value_name = "PATH")]
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
    #[arg(long = "intermediate", value_name = "PATH")]
    intermediates: Vec<PathBuf>,
    /// Detached content of the signature (for CMS: the one signed file).
    #[arg(long = "content", value_name = "FILE")]
    contents: Vec<PathBuf>,
    /// Detached content given as the text that was displayed and signed (UTF-8).
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["contents", "hash"])]
    dtbd: Option<String>,
    /// Detached content given as its digest: ALG:BASE64, e.g. SHA-256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=
    #[arg(long, value_name = "ALG:BASE64", conflicts_with = "contents")]
    hash: Option<String>,
    /// Validation time (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Policy file (TOML); default: the bundled policy.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Files to verify.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => match run_verify(args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("sigverify: {e:#}");
                ExitCode::from(2)
            }
        },
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

fn run_verify(args: VerifyArgs) -> Result<bool> {
    let pins = trust::parse_manifest(trust::BUNDLED_MANIFEST)?;
    let mut anchors = CertPool::new();
    if args.trust_anchors_dir.is_dir() {
        trust::load_into(&mut anchors, std::slice::from_ref(&args.trust_anchors_dir), &pins)?;
    }
    trust::load_into(&mut anchors, &args.trust_anchors, &pins)?;
    let mut intermediates = CertPool::new();
    trust::load_into(&mut intermediates, &args.intermediates, &pins)?;
    let policy = match &args.policy {
        Some(p) => Policy::from_toml(&std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?)?,
        None => Policy::default_policy(),
    };
    let time = match &args.at {
        Some(s) => UnixTime::parse_rfc3339(s).with_context(|| format!("--at '{s}' is not an RFC 3339 time"))?,
        None => UnixTime(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .context("clock before 1970")?
                .as_secs() as i64,
        ),
    };
    if args.contents.len() > 1 {
        bail!("a CMS signature has one detached content; give one --content");
    }
    let content_bytes = match args.contents.first() {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("{}", p.display()))?),
        None => None,
    };
    let hash = args.hash.as_deref().map(parse_hash).transpose()?;
    let content = match (&content_bytes, &args.dtbd, &hash) {
        (Some(b), _, _) => Content::Data(b),
        (None, Some(t), _) => Content::Data(t.as_bytes()),
        (None, None, Some((alg, v))) => Content::Digest { alg: *alg, value: v },
        _ => Content::None,
    };
    if anchors.is_empty() {
        eprintln!(
            "sigverify: warning: no trust anchor loaded (add certificates to {} or pass --trust-anchor); no chain can be trusted",
            args.trust_anchors_dir.display()
        );
    }

    let cache = LinkCache::new();
    let verifier = DefaultVerifier;
    let ctx = VerifyContext {
        trust: &anchors,
        intermediates: &intermediates,
        verifier: &verifier,
        policy: &policy,
        time,
        cache: Some(&cache),
    };
    let progress = (args.files.len() > 1 && std::io::stderr().is_terminal())
        .then(|| indicatif::ProgressBar::new(args.files.len() as u64));
    let results: Vec<Result<Report>> = args
        .files
        .par_iter()
        .map(|path| {
            let r = (|| {
                let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
                if meta.len() > sigverify::MAX_INPUT_LEN as u64 {
                    bail!("{}: larger than {} bytes", path.display(), sigverify::MAX_INPUT_LEN);
                }
                let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
                let mut report = verify(&bytes, content, &ctx);
                report.file = Some(path.display().to_string());
                Ok(report)
            })();
            if let Some(p) = &progress {
                p.inc(1);
            }
            r
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        reports.push(r?);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &reports)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            for r in &reports {
                write_text(&mut out, r)?;
            }
        }
    }
    out.flush()?;
    Ok(reports.iter().all(|r| r.indication == Indication::TotalPassed))
}

fn verdict_text(i: Indication, s: Option<sigverify::SubIndication>) -> String {
    match s {
        Some(s) => format!("{}/{}", i.as_str(), s.as_str()),
        None => i.as_str().to_string(),
    }
}

fn reason(checks: &[sigverify::verdict::Check]) -> Option<String> {
    let first = checks
        .iter()
        .filter(|c| c.sub_indication.is_some())
        .min_by_key(|c| c.sub_indication)?;
    Some(first.detail.clone())
}

fn write_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let file = r.file.as_deref().unwrap_or("-");
    writeln!(
        out,
        "{file}: {} [{}] at {}",
        verdict_text(r.indication, r.sub_indication),
        r.format,
        r.validation_time
    )?;
    if let Some(c) = &r.certificate {
        writeln!(out, "  certificate {}", c.subject)?;
    }
    if r.signatures.is_empty() {
        if let Some(why) = reason(&r.checks) {
            writeln!(out, "  reason: {why}")?;
        }
    }
    for s in &r.signatures {
        let signer = s
            .signer
            .as_ref()
            .map_or("unknown signer".to_string(), |c| c.subject.clone());
        let role = s
            .counter_signature_of
            .as_ref()
            .map_or(String::new(), |p| format!(" (counter-signs {p})"));
        writeln!(
            out,
            "  {}{role}: {} signer \"{signer}\"",
            s.id,
            verdict_text(s.indication, s.sub_indication)
        )?;
        if let Some(why) = reason(&s.checks) {
            writeln!(out, "    reason: {why}")?;
        }
    }
    Ok(())
}

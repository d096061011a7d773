//! `sigverify verify FILE...`: one report per input, in input order, each written as soon as it
//! and those before it are verified; the inputs are verified in parallel within a bounded window
//! ([`super::ordered`]). An input that cannot be read (or whose content cannot be) gets a
//! report saying why, and the others are verified all the same; the exit status is then 2.
//!
//! A detached content is given for one input only: `--content` (or `--dtbd`, `--hash`) with
//! one FILE, `--pair SIG=CONTENT` per signature, or, with `--pair-content`, the file a
//! detached CMS signature is named after (`x` for `x.p7s`).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use sigverify::input::Document;
use sigverify::revocation::path::Info;
use sigverify::verdict::{CheckCode, Checks};
use sigverify::{Content, Format, Indication, LinkCache, Report, SubIndication, UnixTime, VerifyContext};

use super::ordered::{self, Event};
use super::output::{self, Entry, Printer};
use super::read::{self, Input};
use crate::{Live, Loaded, VerifyArgs};

/// The suffixes of a detached CMS signature named after its content (`x.p7s` signs `x`), for
/// `--pair-content`.
pub const PAIRED_SUFFIXES: [&str; 3] = ["p7s", "p7m", "sig"];

/// Results held at most while an earlier input is still being verified, per thread.
const WINDOW_PER_THREAD: usize = 64;

/// One input to verify, and the content file given for it.
struct Job {
    path: PathBuf,
    /// The content file and the option that gave it (`--content`, `--pair`).
    content: Option<(PathBuf, &'static str)>,
}

/// What every verification shares.
struct Run<'a> {
    ctx: VerifyContext<'a>,
    live: Option<&'a Live>,
    /// `--dtbd` or `--hash` (for one input), else `Content::None`.
    given: Content<'a>,
    /// Several `--content`: the detached files of XML signatures, by name.
    named: Option<Vec<(String, &'a [u8])>>,
    max_content: u64,
    pair_content: bool,
}

/// Runs `verify`: true when every input passed; an error (exit 2) when an input could not be
/// read, after every report was written.
pub fn run(mut args: VerifyArgs) -> Result<bool> {
    let jobs = jobs(&mut args)?;
    let Loaded {
        anchors,
        intermediates,
        policy,
    } = args.trust.load()?;
    let policy = args.ocsp.policy(&policy);
    let live = args.live.live(args.ocsp, &policy)?;
    let time = crate::validation_time(args.at.as_deref())?;
    let files = revocation_files(&args.ocsp_responses, &args.crls)?;
    let given: Vec<Info<'_>> = files
        .ocsp
        .iter()
        .map(|d| Info::Ocsp(d))
        .chain(files.crls.iter().map(|d| Info::Crl(d)))
        .collect();
    let named = match args.contents.len() {
        0 | 1 => None,
        _ => Some(named_files(&args.contents)?),
    };
    let hash = args.hash.as_deref().map(crate::parse_hash).transpose()?;
    // Not dropped: the process ends right after the run, and freeing one parsed certificate
    // per input (serially, after the last report) would cost more than the run's start-up.
    let cache = std::mem::ManuallyDrop::new(LinkCache::new());
    let run = Run {
        ctx: VerifyContext {
            trust: &anchors,
            intermediates: &intermediates,
            verifier: &sigverify::DefaultVerifier,
            policy: &policy,
            time,
            cache: Some(&*cache),
            budget: sigverify::Budget::default(),
            cancel: None,
            revocation: &given,
        },
        live: live.as_ref(),
        given: match (&args.dtbd, &hash) {
            (Some(t), _) => Content::Data(t.as_bytes()),
            (None, Some((alg, v))) => Content::Digest { alg: *alg, value: v },
            (None, None) => Content::None,
        },
        named: named
            .as_ref()
            .map(|n| n.iter().map(|(name, b)| (name.clone(), b.as_slice())).collect()),
        max_content: args.max_content_bytes,
        pair_content: args.pair_content,
    };
    stream(&jobs, &run, args.format, args.language)?.outcome()
}

/// The inputs in order: the FILEs, then the signatures of `--pair` that are not among them;
/// usage errors refused before anything is read. The FILEs are taken out of `args` (not copied:
/// there may be many).
fn jobs(args: &mut VerifyArgs) -> Result<Vec<Job>> {
    let files = std::mem::take(&mut args.files);
    let mut pairs: HashMap<&Path, (usize, &Path)> = HashMap::new();
    for (i, (sig, content)) in args.pairs.iter().enumerate() {
        if pairs.insert(sig, (i, content)).is_some() {
            bail!("--pair {}: the signature is paired twice", sig.display());
        }
    }
    let mut used = vec![false; args.pairs.len()];
    let mut jobs: Vec<Job> = files
        .into_iter()
        .map(|path| Job {
            content: pairs.get(path.as_path()).map(|&(i, c)| {
                used[i] = true;
                (c.to_path_buf(), "--pair")
            }),
            path,
        })
        .collect();
    let unused = args.pairs.iter().zip(used).filter(|(_, u)| !u);
    jobs.extend(unused.map(|((sig, content), _)| Job {
        path: sig.clone(),
        content: Some((content.clone(), "--pair")),
    }));
    one_content(args, &mut jobs)?;
    if jobs.iter().filter(|j| read::is_stdin(&j.path)).count() > 1 {
        bail!("standard input (-) can be read once; give - once");
    }
    Ok(jobs)
}

/// `--content` (one), `--dtbd` and `--hash` are the content of one signature: given with
/// several inputs, they are refused rather than applied to signatures of other contents.
fn one_content(args: &VerifyArgs, jobs: &mut [Job]) -> Result<()> {
    let option = match (args.contents.len(), &args.dtbd, &args.hash) {
        (1, ..) => "--content",
        (_, Some(_), _) => "--dtbd",
        (_, _, Some(_)) => "--hash",
        _ => return Ok(()),
    };
    if jobs.len() > 1 {
        bail!(
            "{option} is the detached content of one signature, and {} files are given: verify them one by one, \
             or pair each signature with its content (--pair SIG=CONTENT, --pair-content)",
            jobs.len()
        );
    }
    if let ([job], [content]) = (jobs, args.contents.as_slice()) {
        job.content = Some((content.clone(), "--content"));
    }
    Ok(())
}

/// Verifies the inputs and writes their reports as they come, with a progress bar on a
/// terminal. Each report is rendered on the thread that verified it, and written in order by
/// the thread that finished the next one; the output is flushed soon after ([`ordered`]).
fn stream(
    jobs: &[Job],
    run: &Run<'_>,
    format: crate::OutputFormat,
    lang: Option<sigverify::verdict::i18n::Lang>,
) -> Result<Tally> {
    let progress =
        (jobs.len() > 1 && std::io::stderr().is_terminal()).then(|| indicatif::ProgressBar::new(jobs.len() as u64));
    let mut printer = Printer::start(
        std::io::BufWriter::with_capacity(OUTPUT_BUFFER, stdout()?),
        format,
        lang,
    )?;
    let mut tally = Tally::default();
    let window = rayon::current_num_threads().saturating_mul(WINDOW_PER_THREAD);
    let buffers = Buffers::default();
    let verify = |job: &Job| {
        let done = Done::of(verify_job(job, run), format, lang, buffers.take());
        if let Some(p) = &progress {
            p.inc(1);
        }
        done
    };
    ordered::for_each(jobs, window, verify, |event| {
        let Event::Ready(done) = event else {
            return Ok(printer.flush()?);
        };
        tally.add(&done);
        let write = || -> std::io::Result<()> {
            if let Some(e) = &done.error {
                printer.flush()?;
                eprintln!("sigverify: {e}");
            }
            let bytes = done.rendered?;
            printer.rendered(&bytes)?;
            buffers.give(bytes);
            Ok(())
        };
        match &progress {
            Some(p) => p.suspend(write),
            None => write(),
        }?;
        Ok(())
    })?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    printer.finish()?;
    Ok(tally)
}

/// Reports written at once at most (they are written out sooner when the next one is not
/// ready).
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Standard output, unbuffered (the printer buffers, and flushes when it is about to wait):
/// Rust's own standard output would cut each write at its last line break and write the rest
/// apart.
fn stdout() -> Result<Box<dyn std::io::Write + Send>> {
    use std::io::Write;
    std::io::stdout().flush()?;
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Ok(Box::new(std::fs::File::from(fd)));
        }
    }
    Ok(Box::new(std::io::stdout()))
}

/// One input's report, rendered, and what the tally needs of it.
struct Done {
    rendered: std::io::Result<Vec<u8>>,
    passed: bool,
    /// Why the input could not be read.
    error: Option<String>,
}

impl Done {
    /// `entry`, rendered into `buffer` (empty).
    fn of(
        entry: Entry,
        format: crate::OutputFormat,
        lang: Option<sigverify::verdict::i18n::Lang>,
        mut buffer: Vec<u8>,
    ) -> Done {
        Done {
            rendered: output::render_into(&mut buffer, &entry, format, lang).map(|()| buffer),
            passed: entry.report.indication == Indication::TotalPassed,
            error: entry.error,
        }
    }
}

/// The buffers reports are rendered into, each given back once written: no more are ever in
/// use than the window and one per thread, so a run allocates only those.
#[derive(Default)]
struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

/// Largest buffer kept for another report (one that grew larger for a large report is freed).
const KEPT_RENDER_BUFFER: usize = 1024 * 1024;

impl Buffers {
    fn take(&self) -> Vec<u8> {
        let kept = self.0.lock().ok().and_then(|mut b| b.pop());
        kept.unwrap_or_else(|| Vec::with_capacity(output::RENDERED_CAPACITY))
    }

    fn give(&self, mut buffer: Vec<u8>) {
        if buffer.capacity() <= KEPT_RENDER_BUFFER {
            buffer.clear();
            if let Ok(mut b) = self.0.lock() {
                b.push(buffer);
            }
        }
    }
}

/// How many inputs passed and how many could not be read.
#[derive(Default)]
struct Tally {
    total: usize,
    passed: usize,
    unreadable: usize,
}

impl Tally {
    fn add(&mut self, d: &Done) {
        self.total += 1;
        self.passed += usize::from(d.passed);
        self.unreadable += usize::from(d.error.is_some());
    }

    fn outcome(&self) -> Result<bool> {
        if self.unreadable > 0 {
            bail!("{} of {} input(s) could not be read", self.unreadable, self.total);
        }
        Ok(self.passed == self.total)
    }
}

/// One input's report: read it, find its content, verify.
fn verify_job(job: &Job, run: &Run<'_>) -> Entry {
    let mut bytes = READ_BUFFER.take();
    let mut entry = match read::whole_into(Input::file(&job.path), read::SIGNATURE_FILE, &mut bytes) {
        Ok(()) => verify_bytes(job, &bytes, run),
        Err(e) => refused(format!("cannot read {e:#}"), run.ctx.time),
    };
    if bytes.capacity() <= KEPT_READ_BUFFER {
        READ_BUFFER.set(bytes);
    }
    entry.report.file = Some(job.path.display().to_string());
    entry
}

thread_local! {
    /// The buffer each thread reads its inputs into, one after another.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Largest read buffer a thread keeps for the next input (a larger one is freed).
const KEPT_READ_BUFFER: usize = 1024 * 1024;

/// A content file for the signature `bytes`: the one given for it, else (`--pair-content`) the
/// one it is named after.
struct ContentFile {
    path: PathBuf,
    option: &'static str,
    by_name: bool,
}

fn content_file(job: &Job, bytes: &[u8], run: &Run<'_>) -> Option<ContentFile> {
    if let Some((path, option)) = &job.content {
        return Some(ContentFile {
            path: path.clone(),
            option,
            by_name: false,
        });
    }
    if !run.pair_content {
        return None;
    }
    Some(ContentFile {
        path: paired_by_name(&job.path, bytes)?,
        option: "--pair-content",
        by_name: true,
    })
}

fn verify_bytes(job: &Job, bytes: &[u8], run: &Run<'_>) -> Entry {
    if let Some(ContentFile { path, option, by_name }) = content_file(job, bytes, run) {
        let algs = sigverify::detached_digest_algorithms(bytes);
        return match read::digests(Input::option(option, &path), &algs, run.max_content) {
            Ok(digests) => Entry {
                content: Some((path.display().to_string(), by_name)),
                ..Entry::of(run.verify(bytes, Content::Digests(&digests)))
            },
            Err(e) => refused(format!("cannot read {e:#}"), run.ctx.time),
        };
    }
    match &run.named {
        Some(_) if !looks_like_xml(bytes) => refused(
            format!(
                "{}: several --content files are for XML signatures; a CMS signature has one",
                job.path.display()
            ),
            run.ctx.time,
        ),
        Some(named) => Entry::of(crate::verify_live_or_not(run.live, &run.ctx, |ctx| {
            sigverify::verify_with_files(bytes, named, ctx)
        })),
        None => Entry::of(run.verify(bytes, run.given)),
    }
}

impl Run<'_> {
    fn verify(&self, bytes: &[u8], content: Content<'_>) -> Report {
        crate::verify_live_or_not(self.live, &self.ctx, |ctx| sigverify::verify(bytes, content, ctx))
    }
}

/// The report on an input that was not verified: TOTAL_FAILED / FORMAT_FAILURE, and why.
fn refused(why: String, time: UnixTime) -> Entry {
    let mut checks = Checks::default();
    checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, why.clone());
    let mut report = Report::empty(Format::Unknown, time.to_rfc3339());
    report.checks = checks.into_vec();
    Entry {
        error: Some(why),
        ..Entry::of(report)
    }
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let text = bytes.trim_ascii_start();
    text.starts_with(b"<") || text.starts_with(b"\xef\xbb\xbf<")
}

/// For `--pair-content`: the regular file `x` beside a signature `x.p7s` (`.p7m`, `.sig`), when
/// the signature is a CMS without its content (one that carries it is never paired).
pub fn paired_by_name(sig: &Path, bytes: &[u8]) -> Option<PathBuf> {
    let suffix = sig.extension()?.to_str()?.to_ascii_lowercase();
    if read::is_stdin(sig) || !PAIRED_SUFFIXES.contains(&suffix.as_str()) {
        return None;
    }
    let content = sig.with_extension("");
    (content.is_file() && is_detached_cms(bytes)).then_some(content)
}

/// A CMS SignedData without encapsulated content.
fn is_detached_cms(bytes: &[u8]) -> bool {
    match sigverify::input::sniff(bytes) {
        Document::Cms(der) => sigverify::formats::cms::parse_content_info(&der).is_ok_and(|sd| sd.econtent.is_none()),
        _ => false,
    }
}

/// The `--ocsp-response` and `--crl` files (DER).
struct GivenRevocation {
    ocsp: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
}

/// Reads the `--ocsp-response` and `--crl` files, each whole within its limit.
fn revocation_files(ocsp: &[PathBuf], crls: &[PathBuf]) -> Result<GivenRevocation> {
    let read_all = |paths: &[PathBuf], flag: &'static str, limit: usize| -> Result<Vec<Vec<u8>>> {
        paths
            .iter()
            .map(|p| read::whole(Input::option(flag, p), limit))
            .collect()
    };
    Ok(GivenRevocation {
        ocsp: read_all(ocsp, "--ocsp-response", read::OCSP_RESPONSE)?,
        crls: read_all(crls, "--crl", read::CRL)?,
    })
}

/// Several `--content` files: the detached files of XML signatures, named by their file names
/// (the URIs of the signatures' references); each read whole, within the signature file limit.
fn named_files(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>> {
    use anyhow::Context;
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .with_context(|| format!("--content {}: no file name", p.display()))?;
            let bytes = read::whole(Input::option("--content", p), read::SIGNATURE_FILE)?;
            Ok((name.to_string(), bytes))
        })
        .collect()
}

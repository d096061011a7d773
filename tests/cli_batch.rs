//! `sigverify verify FILE...` as a batch: every input gets a report, in input order, written as
//! it completes (text, JSON array, JSON Lines); unreadable inputs; standard input; PEM bundles;
//! detached contents paired per signature; verdict messages in a language.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;

fn sigverify() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sigverify"));
    c.current_dir(repo());
    c.env("SIGVERIFY_TRUST_ANCHORS_DIR", "/nonexistent");
    c.env_remove("SIGVERIFY_OCSP").env_remove("SIGVERIFY_MOBILEID_OCSP");
    c
}

/// `verify` of the RSA test samples at a fixed time, revocation off.
fn verify_rsa() -> Command {
    let mut c = sigverify();
    c.args(["verify", "--ocsp", "off", "--at", pki::CLOCK])
        .args(["--trust-anchor", "testdata/pki/rsa/root.pem"]);
    c
}

const GOOD: &str = "testdata/samples/rsa-attached.p7m";
const BAD: &str = "testdata/samples/neg-content-modified.p7m";
const MISSING: &str = "testdata/samples/no-such-file.p7m";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn files(reports: &[serde_json::Value]) -> Vec<&str> {
    reports.iter().map(|r| r["file"].as_str().unwrap()).collect()
}

/// A directory under the system temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("sigverify-batch-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ------------------------------------------------------------------------ unreadable inputs

#[test]
fn an_unreadable_file_among_valid_ones_gets_its_report_in_place() {
    let inputs = [GOOD, MISSING, BAD, "testdata/samples", GOOD];
    for format in ["text", "json", "jsonl"] {
        let out = verify_rsa().args(["--format", format]).args(inputs).output().unwrap();
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        // Exit 2: an input could not be read (I/O error), even though others were verified.
        assert_eq!(out.status.code(), Some(2), "{format}: {stdout}\n{stderr}");
        assert!(
            stderr.contains(&format!("cannot read {MISSING}: No such file or directory")),
            "{stderr}"
        );
        assert!(stderr.contains("2 of 5 input(s) could not be read"), "{stderr}");
        let reports: Vec<serde_json::Value> = match format {
            "json" => serde_json::from_str::<serde_json::Value>(&stdout)
                .unwrap()
                .as_array()
                .unwrap()
                .clone(),
            "jsonl" => jsonl(&out),
            _ => {
                let heads: Vec<&str> = stdout.lines().filter(|l| !l.starts_with(' ')).collect();
                assert_eq!(heads.len(), 5, "{stdout}");
                for (head, file) in heads.iter().zip(inputs) {
                    assert!(head.starts_with(&format!("{file}: ")), "{head}");
                }
                assert!(heads[0].contains(": TOTAL_PASSED [CMS]"), "{stdout}");
                assert!(heads[1].contains(": TOTAL_FAILED/FORMAT_FAILURE [UNKNOWN]"), "{stdout}");
                assert!(heads[2].contains(": TOTAL_FAILED/HASH_FAILURE [CMS]"), "{stdout}");
                assert!(
                    stdout.contains(&format!("  reason: cannot read {MISSING}: No such file or directory")),
                    "{stdout}"
                );
                continue;
            }
        };
        assert_eq!(files(&reports), inputs, "{format}");
        let verdicts: Vec<(&str, &str)> = reports
            .iter()
            .map(|r| {
                (
                    r["indication"].as_str().unwrap(),
                    r["subIndication"].as_str().unwrap_or("-"),
                )
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                ("TOTAL_PASSED", "-"),
                ("TOTAL_FAILED", "FORMAT_FAILURE"),
                ("TOTAL_FAILED", "HASH_FAILURE"),
                ("TOTAL_FAILED", "FORMAT_FAILURE"),
                ("TOTAL_PASSED", "-"),
            ]
        );
        let missing = &reports[1];
        assert_eq!(missing["format"], "UNKNOWN");
        assert_eq!(missing["checks"][0]["code"], "FORMAT_PARSED");
        assert_eq!(missing["checks"][0]["result"], "FAILED");
        let detail = missing["checks"][0]["detail"].as_str().unwrap();
        assert!(
            detail.starts_with(&format!("cannot read {MISSING}: No such file or directory")),
            "{detail}"
        );
        let dir = reports[3]["checks"][0]["detail"].as_str().unwrap();
        assert!(dir.starts_with("cannot read testdata/samples:"), "{dir}");
    }
    // Every input readable: 1 when one does not pass, 0 when all do.
    assert_eq!(verify_rsa().args([GOOD, BAD]).output().unwrap().status.code(), Some(1));
    assert_eq!(verify_rsa().args([GOOD, GOOD]).output().unwrap().status.code(), Some(0));
}

// --------------------------------------------------------------------------- output formats

#[test]
fn jsonl_gives_one_report_per_line_in_input_order() {
    // Many inputs, more than the reorder window holds, alternating pass and fail.
    let inputs: Vec<&str> = (0..150).map(|i| if i % 3 == 2 { BAD } else { GOOD }).collect();
    let out = verify_rsa().args(["--format", "jsonl"]).args(&inputs).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let reports = jsonl(&out);
    assert_eq!(reports.len(), inputs.len());
    assert_eq!(files(&reports), inputs);
    for (r, input) in reports.iter().zip(&inputs) {
        let expected = if *input == GOOD { "TOTAL_PASSED" } else { "TOTAL_FAILED" };
        assert_eq!(r["indication"], expected);
        assert!(r.get("message").is_none(), "no message without --language");
    }
    assert!(text(&out.stdout).ends_with("}\n"));
}

#[test]
fn json_is_one_valid_array() {
    let out = verify_rsa()
        .args(["--format", "json", GOOD, BAD, GOOD])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(files(arr), [GOOD, BAD, GOOD]);
    assert_eq!(arr[1]["subIndication"], "HASH_FAILURE");
    // One input: still an array.
    let out = verify_rsa().args(["--format", "json", GOOD]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a NUL-terminated path that outlives the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// The report on the first input is written while the second is still being read: its FIFO is
/// written only once the first line has come out.
#[cfg(unix)]
#[test]
fn each_report_is_written_as_it_completes() {
    let dir = TempDir::new("stream");
    let fifo = dir.0.join("late.p7m");
    mkfifo(&fifo);
    for format in ["jsonl", "text", "json"] {
        let mut child = verify_rsa()
            .args(["--format", format, GOOD])
            .arg(&fifo)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut first = String::new();
            // The JSON array's `[` comes first, then the first report.
            for _ in 0..if format == "json" { 3 } else { 1 } {
                r.read_line(&mut first).unwrap();
            }
            let _ = tx.send(first);
            let mut rest = String::new();
            r.read_to_string(&mut rest).unwrap();
            rest
        });
        let first = rx.recv_timeout(Duration::from_secs(60));
        // Whatever came, let the second input through.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .unwrap()
            .write_all(&read(&repo().join(BAD)))
            .unwrap();
        let first = first.unwrap_or_else(|_| panic!("{format}: nothing written before the second input was read"));
        assert!(first.contains(GOOD), "{format}: {first}");
        assert!(!first.contains("late.p7m"), "{format}: {first}");
        let rest = reader.join().unwrap();
        assert!(rest.contains("late.p7m"), "{format}: {rest}");
        assert_eq!(child.wait().unwrap().code(), Some(1));
    }
}

// --------------------------------------------------------------------------- standard input

#[test]
fn dash_is_standard_input_read_once() {
    let out = verify_rsa()
        .args(["--format", "jsonl", BAD, "-", BAD])
        .stdin(std::fs::File::open(repo().join(GOOD)).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let reports = jsonl(&out);
    assert_eq!(files(&reports), [BAD, "-", BAD]);
    assert_eq!(reports[1]["indication"], "TOTAL_PASSED");
    // Twice is a usage error, before anything is read or written.
    let out = verify_rsa()
        .args(["-", GOOD, "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("standard input (-) can be read once"));
    // Empty standard input: a report on it, the others verified.
    let out = verify_rsa()
        .args(["--format", "jsonl", "-", GOOD])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let reports = jsonl(&out);
    assert_eq!(files(&reports), ["-", GOOD]);
    assert_eq!(reports[0]["subIndication"], "FORMAT_FAILURE");
    assert_eq!(reports[1]["indication"], "TOTAL_PASSED");
}

// ------------------------------------------------------------------------------ PEM bundles

#[test]
fn a_pem_bundle_is_a_certificate_with_its_issuers() {
    let (root, root_key) = pki::root("Batch Root");
    let (ica, ica_key) = pki::intermediate("Batch ICA", &root, &root_key);
    let (leaf, _) = pki::leaf("Batch Leaf", &ica, &ica_key);
    let dir = TempDir::new("bundle");
    let anchor = dir.file("root.pem", root.pem().as_bytes());
    let alone = dir.file("leaf.pem", leaf.pem().as_bytes());
    let bundle = dir.file("bundle.pem", format!("{}\n{}", leaf.pem(), ica.pem()).as_bytes());
    let reversed = dir.file("reversed.pem", format!("{}{}", ica.pem(), leaf.pem()).as_bytes());
    let text_between = dir.file("between.pem", format!("{}issuer\n{}", leaf.pem(), ica.pem()).as_bytes());
    let out = sigverify()
        .args([
            "verify",
            "--ocsp",
            "off",
            "--at",
            pki::CLOCK,
            "--format",
            "jsonl",
            "--trust-anchor",
        ])
        .arg(&anchor)
        .args([&alone, &bundle, &reversed, &text_between])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let r = jsonl(&out);
    // The leaf alone has no path; with its issuer in the bundle it has.
    assert_eq!(r[0]["format"], "X509_CERTIFICATE");
    assert_eq!(r[0]["subIndication"], "NO_CERTIFICATE_CHAIN_FOUND", "{:#}", r[0]);
    assert_eq!(r[1]["indication"], "TOTAL_PASSED", "{:#}", r[1]);
    assert_eq!(r[1]["certificate"]["subject"], "CN=Batch Leaf");
    let chain: Vec<&str> = r[1]["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert_eq!(chain, ["CN=Batch Leaf", "CN=Batch ICA", "CN=Batch Root"]);
    // The first certificate is the subject: the ICA, verified with the leaf as a bystander.
    assert_eq!(r[2]["certificate"]["subject"], "CN=Batch ICA");
    assert_eq!(r[2]["indication"], "TOTAL_PASSED", "{:#}", r[2]);
    // Text between the blocks is refused, as after a single block.
    assert_eq!(r[3]["subIndication"], "FORMAT_FAILURE", "{:#}", r[3]);
}

// ---------------------------------------------------------------------------------- pairing

/// A root, and detached CMS signatures by a leaf under it.
struct Signer {
    root: pki::Cert,
    leaf: pki::Cert,
    key: rcgen::KeyPair,
}

impl Signer {
    fn new() -> Signer {
        let (root, root_key) = pki::root("Pairing Root");
        let (leaf, key) = pki::leaf("Pairing Signer", &root, &root_key);
        Signer { root, leaf, key }
    }

    fn sign(&self, content: &[u8], detached: bool) -> Vec<u8> {
        pki::sign_cms(content, &[(&self.leaf, &self.key)], &[], detached)
    }

    /// `verify` with JSON Lines output.
    fn verify(&self, dir: &TempDir) -> Command {
        self.verify_as(dir, "jsonl")
    }

    fn verify_as(&self, dir: &TempDir, format: &str) -> Command {
        let anchor = dir.file("anchor.pem", self.root.pem().as_bytes());
        let mut c = sigverify();
        c.args(["verify", "--ocsp", "off", "--at", pki::CLOCK, "--format", format])
            .arg("--trust-anchor")
            .arg(anchor);
        c
    }
}

#[test]
fn pair_content_pairs_a_detached_signature_with_the_file_it_is_named_after() {
    let s = Signer::new();
    let dir = TempDir::new("pair-by-name");
    let doc = dir.file("doc.txt", b"the document\n");
    let signed = dir.file("doc.txt.p7s", &s.sign(b"the document\n", true));
    let changed_doc = dir.file("changed.txt", b"the document, changed\n");
    let changed = dir.file("changed.txt.sig", &s.sign(b"the document\n", true));
    let lonely = dir.file("lonely.txt.p7s", &s.sign(b"no file beside it\n", true));
    // An attached signature is never paired, whatever lies beside it.
    dir.file("attached.txt", b"something else\n");
    let attached = dir.file("attached.txt.p7m", &s.sign(b"the attached content\n", false));
    let inputs = [&signed, &changed, &lonely, &attached];
    let out = s.verify(&dir).arg("--pair-content").args(inputs).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let r = jsonl(&out);
    assert_eq!(r.len(), 4);
    assert_eq!(r[0]["indication"], "TOTAL_PASSED", "{:#}", r[0]);
    assert_eq!(r[0]["content"], doc.display().to_string());
    assert_eq!(r[1]["subIndication"], "HASH_FAILURE", "{:#}", r[1]);
    assert_eq!(r[1]["content"], changed_doc.display().to_string());
    assert_ne!(r[2]["indication"], "TOTAL_PASSED");
    assert!(r[2].get("content").is_none());
    assert_eq!(r[3]["indication"], "TOTAL_PASSED", "{:#}", r[3]);
    assert!(r[3].get("content").is_none());
    // Without --pair-content nothing is paired; text says when a content was paired.
    let out = s.verify(&dir).arg(&signed).output().unwrap();
    assert_ne!(jsonl(&out)[0]["indication"], "TOTAL_PASSED");
    let out = s
        .verify_as(&dir, "text")
        .arg("--pair-content")
        .arg(&signed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains(&format!("  content {} (paired by name)", doc.display())),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn pair_gives_each_signature_its_own_content() {
    let s = Signer::new();
    let dir = TempDir::new("pair");
    let a = dir.file("a.bin", b"content A");
    let b = dir.file("b.bin", b"content B");
    let sig_a = dir.file("a.sig", &s.sign(b"content A", true));
    let sig_b = dir.file("b.sig", &s.sign(b"content B", true));
    let pair = |sig: &Path, content: &Path| format!("{}={}", sig.display(), content.display());
    // b.sig is a FILE, a.sig only paired: the FILEs first, then the other pairs.
    let out = s
        .verify(&dir)
        .args(["--pair", &pair(&sig_a, &a), "--pair", &pair(&sig_b, &b)])
        .arg(&sig_b)
        .arg(GOOD)
        .output()
        .unwrap();
    let r = jsonl(&out);
    let names: Vec<String> = [&sig_b, Path::new(GOOD), &sig_a]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(files(&r), names);
    assert_eq!(r[0]["indication"], "TOTAL_PASSED", "{:#}", r[0]);
    assert_eq!(r[0]["content"], b.display().to_string());
    assert!(r[1].get("content").is_none());
    assert_eq!(r[2]["indication"], "TOTAL_PASSED", "{:#}", r[2]);
    // Crossed pairs fail; the exit status says so.
    let out = s
        .verify(&dir)
        .args(["--pair", &pair(&sig_a, &b), "--pair", &pair(&sig_b, &a)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(jsonl(&out).iter().all(|r| r["subIndication"] == "HASH_FAILURE"));
    // A content that cannot be read: that signature's report says so, exit 2.
    let missing = dir.0.join("missing.bin");
    let out = s
        .verify(&dir)
        .args(["--pair", &pair(&sig_a, &missing), "--pair", &pair(&sig_b, &b)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let r = jsonl(&out);
    let detail = r[0]["checks"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("--pair") && detail.contains("missing.bin"), "{detail}");
    assert_eq!(r[1]["indication"], "TOTAL_PASSED");
    // Usage errors: a signature paired twice, a pair without '=', --pair with --content.
    for bad in [
        vec![
            "--pair".to_string(),
            pair(&sig_a, &a),
            "--pair".into(),
            pair(&sig_a, &b),
        ],
        vec!["--pair".to_string(), sig_a.display().to_string()],
        vec![
            "--pair".to_string(),
            pair(&sig_a, &a),
            "--content".into(),
            b.display().to_string(),
        ],
    ] {
        let out = s.verify(&dir).args(&bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty(), "{bad:?}");
    }
}

#[test]
fn one_content_for_several_signatures_is_refused() {
    let content = "testdata/samples/content/content.txt";
    let detached = "testdata/samples/rsa-detached.p7s";
    let hash = format!("SHA-256:{}", b64_sha256(&read(&repo().join(content))));
    for option in [["--content", content], ["--hash", hash.as_str()], ["--dtbd", "text"]] {
        let out = verify_rsa().args(option).args([detached, detached]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{option:?}");
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("{} is the detached content of one signature", option[0])) && err.contains("--pair"),
            "{err}"
        );
    }
    // For one signature it is that signature's content.
    let out = verify_rsa()
        .args(["--content", content, "--format", "jsonl", detached])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(jsonl(&out)[0]["content"], content);
}

fn b64_sha256(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(sigverify::HashAlg::Sha256.digest(data))
}

// --------------------------------------------------------------------------------- language

#[test]
fn language_gives_the_messages_in_that_language() {
    let out = verify_rsa()
        .args(["--language", "de", GOOD, BAD, MISSING])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let after = |head: &str| -> &str {
        let i = lines.iter().position(|l| l.starts_with(head)).unwrap();
        lines[i + 1].trim()
    };
    assert_eq!(after(&format!("{GOOD}: ")), "Die Signatur ist gültig.");
    assert_eq!(after("  S0: TOTAL_PASSED"), "Die Signatur ist gültig.");
    let bad = after(&format!("{BAD}: "));
    assert!(
        bad.starts_with("Die Signatur ist ungültig. Die signierten Daten wurden nach dem Signieren verändert."),
        "{bad}"
    );
    assert!(after(&format!("{MISSING}: ")).starts_with("Die Signatur ist ungültig."));
    // The codes and details stay as they are; without --language there is no message line.
    assert!(stdout.contains(&format!("{BAD}: TOTAL_FAILED/HASH_FAILURE [CMS]")));
    let plain = text(&verify_rsa().arg(GOOD).output().unwrap().stdout);
    assert!(
        !plain.contains("Die Signatur") && !plain.contains("The signature is valid"),
        "{plain}"
    );
    // JSON carries the message as the HTTP API does.
    let out = verify_rsa()
        .args(["--language", "fr", "--format", "jsonl", GOOD])
        .output()
        .unwrap();
    assert_eq!(jsonl(&out)[0]["message"], "La signature est valide.");
    let out = verify_rsa().args(["--language", "xx", GOOD]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("en, de, fr, it, ro, ru, et"));
}

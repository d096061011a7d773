//! The `sigverify` binary: exit codes, JSON contract, trust-anchor loading and pinning.

mod common;

use std::process::Command;

use common::*;
use sigverify::{Content, HashAlg};

fn sigverify() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sigverify"));
    c.current_dir(repo());
    // Do not pick up a deployer's anchors from the working directory.
    c.env("SIGVERIFY_TRUST_ANCHORS_DIR", "/nonexistent");
    // Nor a revocation mode from the environment: each test says the one it uses.
    c.env_remove("SIGVERIFY_OCSP").env_remove("SIGVERIFY_MOBILEID_OCSP");
    c
}

#[test]
fn demo_samples_pass_with_exit_0() {
    let demo = repo().join("testdata/demo");
    let mut files: Vec<_> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "p7m"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    // The demo samples carry no revocation data: verified without revocation checking.
    let out = sigverify()
        .args(["verify", "--ocsp", "off", "--trust-anchor", "testdata/demo/anchors"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.contains(": TOTAL_PASSED [CMS]")).count(),
        4,
        "{stdout}"
    );
}

#[test]
fn json_report_fields_are_the_contract() {
    let out = sigverify()
        .args([
            "verify",
            "--ocsp",
            "off",
            "--format",
            "json",
            "--at",
            "2026-06-01T00:00:00Z",
            "--trust-anchor",
            "testdata/pki/rsa/root.pem",
        ])
        .args([
            "testdata/samples/rsa-attached.p7m",
            "testdata/samples/neg-content-modified.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    let ok = &arr[0];
    assert_eq!(ok["file"], "testdata/samples/rsa-attached.p7m");
    assert_eq!(ok["format"], "CMS");
    assert_eq!(ok["indication"], "TOTAL_PASSED");
    assert!(ok["subIndication"].is_null());
    assert_eq!(ok["validationTime"], "2026-06-01T00:00:00Z");
    let sig = &ok["signatures"][0];
    for key in [
        "indication",
        "subIndication",
        "signer",
        "signingTime",
        "chain",
        "checks",
    ] {
        assert!(sig.get(key).is_some(), "signature field {key} missing");
    }
    assert_eq!(sig["signer"]["subjectSerialNumber"], "MIDCHEDEMO0000001");
    assert_eq!(sig["chain"].as_array().unwrap().len(), 3);
    assert!(
        sig["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"].is_string() && c["result"].is_string())
    );
    let bad = &arr[1];
    assert_eq!(bad["indication"], "TOTAL_FAILED");
    assert_eq!(bad["subIndication"], "HASH_FAILURE");
}

#[test]
fn detached_content_dtbd_and_hash_options() {
    let base = [
        "verify",
        "--ocsp",
        "off",
        "--at",
        "2026-06-01T00:00:00Z",
        "--trust-anchor",
        "testdata/pki/rsa/root.pem",
    ];
    let ok = sigverify()
        .args(base)
        .args([
            "--content",
            "testdata/samples/content/content.txt",
            "testdata/samples/rsa-detached.p7s",
        ])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
    let table = std::fs::read_to_string(repo().join("testdata/samples/cases.tsv")).unwrap();
    let row = |case: &str| -> String {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{case}\t")))
            .unwrap()
            .split('\t')
            .nth(2)
            .unwrap()
            .to_string()
    };
    let dtbd = row("rsa-detached-dtbd");
    let dtbd = dtbd.strip_prefix("dtbd:").unwrap();
    let ok = sigverify()
        .args(base)
        .args(["--dtbd", dtbd, "testdata/samples/rsa-detached-dtbd.p7s"])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
    let bad = sigverify()
        .args(base)
        .args(["--dtbd", "something else", "testdata/samples/rsa-detached-dtbd.p7s"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("TOTAL_FAILED/HASH_FAILURE"));
    let hash = row("rsa-detached-hash");
    let hash = hash.strip_prefix("hash:").unwrap();
    let ok = sigverify()
        .args(base)
        .args(["--hash", hash, "testdata/samples/rsa-detached.p7s"])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        sigverify()
            .args(["verify", "does-not-exist.p7s"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        sigverify()
            .args(["verify", "--at", "yesterday", "testdata/demo/demo-rsa.p7m"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        sigverify()
            .args(["verify", "--hash", "MD5:AAAA", "testdata/demo/demo-rsa.p7m"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(sigverify().args(["verify"]).status().unwrap().code(), Some(2));
}

#[test]
fn a_certificate_claiming_a_pinned_name_is_refused() {
    let out = sigverify()
        .args([
            "verify",
            "--trust-anchor",
            "testdata/pki/fake/fake-swisscom-root-ca-2.pem",
            "testdata/demo/demo-rsa.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims to be 'Swisscom Root CA 2'") && err.contains("f09b122c"),
        "{err}"
    );
    // The same check guards the intermediates.
    let out = sigverify()
        .args([
            "verify",
            "--intermediate",
            "testdata/pki/fake/fake-swisscom-root-ca-2.pem",
            "testdata/demo/demo-rsa.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn the_real_pinned_anchors_load() {
    let shared = shared();
    let dir = shared.join("trust-anchors-real");
    let out = sigverify()
        .args(["verify", "--ocsp", "off", "--format", "json", "--trust-anchor"])
        .arg(&dir)
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    // Rubin CA 4 is itself among the anchors: a one-element path, valid until 2029.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["format"], "X509_CERTIFICATE", "{v}");
    assert_eq!(out.status.code(), Some(0), "{v}");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_certificate_is_verified_on_its_own() {
    let shared = shared();
    let dir = shared.join("trust-anchors-real");
    // Rubin CA 4 (RSA-4096, RSASSA-PSS) under Swisscom Root CA 4 (RSA-8192, PSS).
    let out = sigverify()
        .args([
            "verify",
            "--ocsp",
            "off",
            "--format",
            "json",
            "--at",
            "2026-06-01T00:00:00Z",
            "--trust-anchor",
        ])
        .arg(dir.join("Swisscom_Root_CA_4.pem"))
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["indication"], "TOTAL_PASSED", "{v:#}");
    assert_eq!(v[0]["chain"].as_array().unwrap().len(), 2);
    assert_eq!(
        v[0]["chain"][1]["sha256"],
        "e4e92b4b7330e434c84dd1d5120e68b842b4729f29e72dfe664238612c1835b2"
    );
    // After its notAfter (2029-01-28) it is out of bounds.
    let out = sigverify()
        .args([
            "verify",
            "--ocsp",
            "off",
            "--format",
            "json",
            "--at",
            "2030-01-01T00:00:00Z",
            "--trust-anchor",
        ])
        .arg(dir.join("Swisscom_Root_CA_4.pem"))
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["subIndication"], "OUT_OF_BOUNDS_NO_POE");
}

#[test]
fn mobileid_and_raw_subcommands() {
    let expected: serde_json::Value =
        serde_json::from_slice(&read(&repo().join("testdata/mobileid/signature-ec.expected.json"))).unwrap();
    let out = sigverify()
        .args([
            "mobileid",
            "--trust-anchor",
            "testdata/mobileid/root.pem",
            "--at",
            "2026-06-01T00:00:00Z",
        ])
        .args(["--response", "testdata/mobileid/signature-ec.json"])
        .args(["--dtbd", expected["dtbd"].as_str().unwrap()])
        .args(["--msisdn", "+41700092501", "--ap-trans-id", "REF-SIGVERIFY-0002"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let expected: serde_json::Value =
        serde_json::from_slice(&read(&repo().join("testdata/mobileid/signature-ec.expected.json"))).unwrap();
    assert_eq!(expected["apTransId"], "REF-SIGVERIFY-0002", "fixture changed");
    assert_eq!(out.status.code(), Some(0), "{text}");
    let out = sigverify()
        .args([
            "mobileid",
            "--trust-anchor",
            "testdata/mobileid/root.pem",
            "--at",
            "2026-06-01T00:00:00Z",
        ])
        .args([
            "--response",
            "testdata/mobileid/fault-401.json",
            "--dtbd",
            "x",
            "--msisdn",
            "+41",
            "--ap-trans-id",
            "R",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let raw = |sig: &str, alg: &str| {
        sigverify()
            .args([
                "raw",
                "--ocsp",
                "off",
                "--trust-anchor",
                "testdata/pki/p256/root.pem",
                "--intermediate",
                "testdata/pki/p256/ica.pem",
            ])
            .args([
                "--at",
                "2026-06-01T00:00:00Z",
                "--signature-value",
                sig,
                "--algorithm",
                alg,
            ])
            .args([
                "--certificate",
                "testdata/pki/p256/leaf.pem",
                "--data",
                "testdata/raw/challenge.bin",
            ])
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(raw("testdata/raw/p256-sha256.raw.sig", "SHA256withECDSA"), Some(0));
    assert_eq!(raw("testdata/raw/p256-sha256.der.sig", "ecdsa-with-SHA256"), Some(0));
    assert_eq!(raw("testdata/raw/p256-sha256.der.sig", "SHA384withECDSA"), Some(1));
}

// ------------------------------------------------------------------------- bounded reads

/// `/dev/zero` given to each input: the read stops at the input's limit, whatever the file
/// claims to be, and the error names the input and the limit (exit 2, as other usage errors).
/// Streamed contents have a limit of their own, lowered here with `--max-content-bytes`.
#[cfg(target_os = "linux")]
#[test]
fn dev_zero_given_to_every_input_stops_at_its_limit() {
    let trust = ["--trust-anchor", "testdata/pki/p256/root.pem"];
    let detached = "testdata/samples/rsa-detached.p7s";
    let raw = |signature: &str, certificate: &str, data: &str| -> Vec<String> {
        [
            "raw",
            "--algorithm",
            "SHA256withECDSA",
            "--signature-value",
            signature,
            "--certificate",
            certificate,
            "--data",
            data,
            "--max-content-bytes",
            "1000000",
        ]
        .map(String::from)
        .to_vec()
    };
    let sig = "testdata/raw/p256-sha256.raw.sig";
    let cert = "testdata/pki/p256/leaf.pem";
    let data = "testdata/raw/challenge.bin";
    let mobileid = ["mobileid", "--dtbd", "x", "--msisdn", "+41", "--ap-trans-id", "R"];
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            args(&["verify", "/dev/zero"]),
            "/dev/zero: larger than 67108864 bytes".into(),
        ),
        (
            args(&[
                "verify",
                "--content",
                "/dev/zero",
                "--max-content-bytes",
                "1000000",
                detached,
            ]),
            "--content /dev/zero: larger than 1000000 bytes".into(),
        ),
        (
            args(&["verify", "--policy", "/dev/zero", detached]),
            "--policy /dev/zero: larger than 1048576 bytes".into(),
        ),
        (
            args(&["verify", "--trust-anchor", "/dev/zero", detached]),
            "--trust-anchor: /dev/zero: larger than 4194304 bytes".into(),
        ),
        (
            args(&["verify", "--intermediate", "/dev/zero", detached]),
            "--intermediate: /dev/zero: larger than 4194304 bytes".into(),
        ),
        (
            [&mobileid[..], &["--response", "/dev/zero"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            "--response /dev/zero: larger than 4194304 bytes".into(),
        ),
        (
            raw("/dev/zero", cert, data),
            "--signature-value /dev/zero: larger than 1048576 bytes".into(),
        ),
        (
            raw(sig, "/dev/zero", data),
            "--certificate /dev/zero: larger than 1048576 bytes".into(),
        ),
        (
            raw(sig, cert, "/dev/zero"),
            "--data /dev/zero: larger than 1000000 bytes".into(),
        ),
    ];
    for (argv, message) in cases {
        let mut cmd = sigverify();
        cmd.args(&argv[..1]).args(trust).args(&argv[1..]);
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{argv:?}: {err}");
        assert!(err.contains(&message), "{argv:?}: {err}");
    }
    // `-` reads standard input, under the signature files' limit.
    let out = sigverify()
        .args(["verify", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("standard input: larger than 67108864 bytes"), "{err}");
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn dash_reads_a_signature_from_standard_input_once() {
    let base = [
        "verify",
        "--ocsp",
        "off",
        "--at",
        "2026-06-01T00:00:00Z",
        "--trust-anchor",
        "testdata/pki/rsa/root.pem",
    ];
    let file = || std::fs::File::open(repo().join("testdata/samples/rsa-attached.p7m")).unwrap();
    let out = sigverify()
        .args(base)
        .args(["-", "testdata/samples/neg-content-modified.p7m"])
        .stdin(file())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("-: TOTAL_PASSED [CMS]"), "{stdout}");
    assert!(
        stdout.contains("neg-content-modified.p7m: TOTAL_FAILED/HASH_FAILURE"),
        "{stdout}"
    );
    // A detached signature on standard input, its content streamed.
    let out = sigverify()
        .args(base)
        .args(["--content", "testdata/samples/content/content.txt", "-"])
        .stdin(std::fs::File::open(repo().join("testdata/samples/rsa-detached.p7s")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out = sigverify().args(base).args(["-", "-"]).stdin(file()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input (-) can be read once"));
}

/// A directory under the system temporary directory, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("sigverify-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
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

/// A generated root, a signer under it, and a detached CMS over `content` by the signer.
struct Signed {
    root: pki::Cert,
    cms: Vec<u8>,
}

fn signed_detached(content: &[u8]) -> Signed {
    let (root, root_key) = pki::root("CLI Root");
    let (leaf, leaf_key) = pki::leaf("CLI Signer", &root, &root_key);
    let cms = pki::sign_cms(content, &[(&leaf, &leaf_key)], &[], true);
    Signed { root, cms }
}

fn json_output(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn a_streamed_content_gives_the_report_of_the_content_itself() {
    let content = b"the detached content, streamed\n";
    let signed = signed_detached(content);
    let dir = TempDir::new("streamed");
    let root = dir.file("root.pem", signed.root.pem().as_bytes());
    let sig = dir.file("sig.p7s", &signed.cms);
    let setup = pki::setup(&[&signed.root], &[]).revocation_off();
    for (given, expected) in [(&content[..], "TOTAL_PASSED"), (b"another content\n", "TOTAL_FAILED")] {
        let file = dir.file("content.bin", given);
        let verify = |extra: &[&std::ffi::OsStr]| {
            let mut c = sigverify();
            c.args([
                "verify",
                "--ocsp",
                "off",
                "--format",
                "json",
                "--at",
                pki::CLOCK,
                "--trust-anchor",
            ])
            .arg(&root)
            .args(extra)
            .arg(&sig);
            json_output(&mut c)
        };
        let mut streamed = verify(&["--content".as_ref(), file.as_os_str()]);
        let hashed = verify(&["--hash".as_ref(), format!("SHA-256:{}", b64_sha256(given)).as_ref()]);
        assert_eq!(streamed[0]["indication"], expected, "{streamed:#}");
        assert_eq!(hashed[0]["indication"], streamed[0]["indication"], "{hashed:#}");
        assert_eq!(hashed[0]["subIndication"], streamed[0]["subIndication"], "{hashed:#}");
        // The report names the content file it was verified with; apart from that, it is the
        // one the library gives for the content itself.
        let named = streamed[0].as_object_mut().unwrap().remove("content");
        assert_eq!(named, Some(file.display().to_string().into()));
        let mut library = setup.run(&signed.cms, Content::Data(given));
        library.file = Some(sig.display().to_string());
        assert_eq!(streamed[0], serde_json::to_value(&library).unwrap());
    }
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a NUL-terminated path that outlives the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// Runs `cmd` while a thread writes `bytes` into the FIFO at `path` (`None`: zeros, endlessly,
/// until the reader closes it).
#[cfg(unix)]
fn with_fifo_writer(path: &std::path::Path, bytes: Option<Vec<u8>>, cmd: &mut Command) -> std::process::Output {
    use std::io::Write;
    let p = path.to_path_buf();
    let writer = std::thread::spawn(move || {
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&p) else {
            return;
        };
        match bytes {
            Some(b) => {
                let _ = f.write_all(&b);
            }
            None => {
                let zeros = vec![0u8; 64 * 1024];
                while f.write_all(&zeros).is_ok() {}
            }
        }
    });
    let out = cmd.output().unwrap();
    // A reader that did not open the FIFO would leave the writer blocked in open: open it
    // once, without blocking, to let the writer finish.
    {
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path);
    }
    writer.join().unwrap();
    out
}

#[cfg(unix)]
#[test]
fn fifos_are_read_as_streams_and_stop_at_the_limit() {
    let content = b"the detached content, through a FIFO\n";
    let signed = signed_detached(content);
    let dir = TempDir::new("fifo");
    let root = dir.file("root.pem", signed.root.pem().as_bytes());
    let sig_file = dir.file("sig.p7s", &signed.cms);
    let fifo = dir.0.join("input.fifo");
    mkfifo(&fifo);
    let verify = || {
        let mut c = sigverify();
        c.args(["verify", "--ocsp", "off", "--at", pki::CLOCK, "--trust-anchor"])
            .arg(&root);
        c
    };
    // The signature through the FIFO, then the content through it.
    let out = with_fifo_writer(
        &fifo,
        Some(signed.cms.clone()),
        verify()
            .args(["--hash", &format!("SHA-256:{}", b64_sha256(content))])
            .arg(&fifo),
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = with_fifo_writer(
        &fifo,
        Some(content.to_vec()),
        verify().arg("--content").arg(&fifo).arg(&sig_file),
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Endless: a signature file stops at its limit, a streamed content at --max-content-bytes.
    let out = with_fifo_writer(&fifo, None, verify().arg(&fifo));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("input.fifo: larger than 67108864 bytes"), "{err}");
    let out = with_fifo_writer(
        &fifo,
        None,
        verify()
            .args(["--max-content-bytes", "5000000", "--content"])
            .arg(&fifo)
            .arg(&sig_file),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("input.fifo: larger than 5000000 bytes"), "{err}");
}

fn b64_sha256(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(HashAlg::Sha256.digest(data))
}

/// Verifies a detached signature over a sparse file of `size` zero bytes, streamed with
/// `--content`, and returns the child's peak resident set size in bytes (from wait4).
#[cfg(target_os = "linux")]
fn peak_rss_verifying_streamed_content(size: u64) -> u64 {
    use std::io::Read;
    let dir = TempDir::new(&format!("rss-{size}"));
    let big = dir.0.join("big.bin");
    std::fs::File::create(&big).unwrap().set_len(size).unwrap();
    // The digest, read as the verifier will read it (the test holds no more of it either).
    let mut sha256 = ring::digest::Context::new(&ring::digest::SHA256);
    let mut f = std::fs::File::open(&big).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        sha256.update(&buf[..n]);
    }
    let (root, root_key) = pki::root("CLI Root");
    let (leaf, leaf_key) = pki::leaf("CLI Signer", &root, &root_key);
    let cms = pki::sign_cms_detached_digest(
        sha256.finish().as_ref(),
        &[(&leaf, &leaf_key)],
        &[],
        &pki::CmsOptions::default(),
    );
    let root_file = dir.file("root.pem", root.pem().as_bytes());
    let sig = dir.file("big.p7s", &cms);
    let stdout = dir.0.join("stdout.txt");
    let mut child = sigverify()
        .args(["verify", "--ocsp", "off", "--at", pki::CLOCK, "--trust-anchor"])
        .arg(&root_file)
        .arg("--content")
        .arg(&big)
        .arg(&sig)
        .stdout(std::fs::File::create(&stdout).unwrap())
        .spawn()
        .unwrap();
    // The child's own high-water mark, read from /proc while it runs (VmHWM only grows; it is
    // gone once the process has exited). The rusage of wait4 would not do: the child is
    // spawned with vfork semantics, and the kernel counts the parent's peak (this test
    // binary's, with other tests running) as the child's.
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(vm_hwm_kib)
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let report = std::fs::read_to_string(&stdout).unwrap();
    assert!(status.success(), "{status}: {report}");
    assert!(report.contains(": TOTAL_PASSED [CMS]"), "{report}");
    assert!(peak_kib > 0, "VmHWM was never read");
    eprintln!("verify --content of {size} bytes: peak RSS {peak_kib} KiB");
    peak_kib * 1024
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(target_os = "linux")]
#[test]
fn a_256_mib_content_is_verified_in_constant_memory() {
    let rss = peak_rss_verifying_streamed_content(256 << 20);
    assert!(rss < 64 << 20, "peak RSS {} MiB", rss >> 20);
}

#[cfg(target_os = "linux")]
#[test]
fn a_2_gib_content_is_verified_in_constant_memory() {
    let rss = peak_rss_verifying_streamed_content(2 << 30);
    assert!(rss < 64 << 20, "peak RSS {} MiB", rss >> 20);
}

/// `verify` on PDFs: each signature's field, kind, the revision it covers, and the changes
/// after it that are not allowed.
#[test]
fn pdf_signatures_in_text_output() {
    let run = |file: &str| {
        let out = sigverify()
            .args(["verify", "--ocsp", "off", "--at", "2026-06-01T00:00:00Z"])
            .args(["--trust-anchor", "testdata/pki/rsa/root.pem"])
            .args(["--trust-anchor", "testdata/pki/p256/root.pem"])
            .arg(format!("testdata/pdf/{file}"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, text) = run("pades-rsa.pdf");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains(": TOTAL_PASSED [PDF] at "), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[2..],
        [
            "    revocation NOT checked: revocation status not evaluated (revocation checking switched off by request)",
            "    level B-B",
            "    field Sig1, approval signature, covers revision 2 of 2 entirely",
            "    nothing changed after it"
        ],
        "{text}"
    );

    // The page content replaced in revision 3, after Sig1.
    let (code, text) = run("shadow-replace.pdf");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("    field Sig1, approval signature, covers revision 2 of 3 entirely\n"),
        "{text}"
    );
    assert!(text.contains(" not allowed\n"), "{text}");
    assert!(text.contains("      not allowed: revision 3 object 5: "), "{text}");

    // Two signers; whether the update after Sig1 is allowed is not asserted here.
    let (_, text) = run("two-signatures.pdf");
    assert!(
        text.contains("    field Sig1, approval signature, covers revision 2 of 3 entirely\n"),
        "{text}"
    );
    let sig2 = text.split("  S1: ").nth(1).unwrap_or_default();
    assert!(
        sig2.starts_with("TOTAL_PASSED signer \"SERIALNUMBER=MIDCHEDEMO0000003"),
        "{text}"
    );
    assert!(
        sig2.contains(
            "    field Sig2, approval signature, covers revision 3 of 3 entirely\n    nothing changed after it\n"
        ),
        "{text}"
    );

    // A byte range that ends inside its revision: no revision is covered.
    let (code, text) = run("byterange-not-eof.pdf");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("ends at the end of no revision (1 in the file)\n"),
        "{text}"
    );
    assert!(text.contains("later changes cannot be judged\n"), "{text}");
}

#[test]
fn help_names_the_formats() {
    let out = sigverify().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let verify = text
        .lines()
        .find(|l| l.trim_start().starts_with("verify "))
        .unwrap_or_default();
    for format in ["CMS/CAdES", "XAdES", "DigiDoc", "ASiC", "PDF"] {
        assert!(verify.contains(format), "{format}: {text}");
    }
}

/// `--ocsp-response` and `--crl` hand in revocation information: with an OCSP response for the
/// leaf and the root's CRL for the ICA, the whole path's status is established.
#[test]
fn revocation_information_handed_in() {
    let run = |extra: &[&str], format: &str| {
        let out = sigverify()
            .args(["verify", "--at", "2026-01-16T00:00:00Z", "--format", format])
            .args(["--trust-anchor", "testdata/pki/rsa/root.pem"])
            .args(extra)
            .arg("testdata/samples/rsa-attached.p7m")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let both = [
        "--ocsp-response",
        "testdata/ocsp/good-ca.der",
        "--crl",
        "testdata/crl/root-empty.crl",
    ];
    let (code, out) = run(&both, "json");
    assert_eq!(code, Some(0), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let checks = json[0]["signatures"][0]["checks"].as_array().unwrap();
    let revocation = checks.iter().find(|c| c["code"] == "REVOCATION").unwrap();
    assert_eq!(revocation["result"], "PASSED", "{revocation}");
    let detail = revocation["detail"].as_str().unwrap();
    assert!(
        detail.contains("OCSP good") && detail.contains("CRL: not revoked"),
        "{detail}"
    );
    let (code, text) = run(&both, "text");
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("revocation NOT checked"), "{text}");
    // The leaf's response alone leaves the ICA's status open: said plainly, and by default
    // (revocation status required) the signature does not pass.
    let (code, text) = run(&both[..2], "text");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("INDETERMINATE/TRY_LATER"), "{text}");
    assert!(text.contains("revocation NOT checked"), "{text}");
    assert!(text.contains("no revocation information"), "{text}");
}

/// By default (`--ocsp embedded`) a signature without revocation data does not pass (exit 1);
/// `--ocsp off` (or `SIGVERIFY_OCSP=off`) lets it pass and says checking was switched off; a
/// signer shown revoked fails either way.
#[test]
fn ocsp_mode_off_and_embedded() {
    let run = |mode: Option<&str>, env: Option<&str>, extra: &[&str]| {
        let mut c = sigverify();
        c.args(["verify", "--at", "2026-01-16T00:00:00Z"])
            .args(["--trust-anchor", "testdata/pki/rsa/root.pem"]);
        if let Some(m) = mode {
            c.args(["--ocsp", m]);
        }
        if let Some(e) = env {
            c.env("SIGVERIFY_OCSP", e);
        }
        let out = c.args(extra).arg("testdata/samples/rsa-attached.p7m").output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    for (mode, env) in [(None, None), (Some("embedded"), None), (None, Some("embedded"))] {
        let (code, text) = run(mode, env, &[]);
        assert_eq!(code, Some(1), "{mode:?} {env:?}: {text}");
        assert!(text.contains("INDETERMINATE/TRY_LATER"), "{text}");
        assert!(text.contains("revocation NOT checked"), "{text}");
    }
    for (mode, env) in [
        (Some("off"), None),
        (None, Some("off")),
        (Some("off"), Some("embedded")),
    ] {
        let (code, text) = run(mode, env, &[]);
        assert_eq!(code, Some(0), "{mode:?} {env:?}: {text}");
        assert!(text.contains(": TOTAL_PASSED [CMS]"), "{text}");
        assert!(
            text.contains(
                "revocation NOT checked: revocation status not evaluated (revocation checking switched off by request)"
            ),
            "{text}"
        );
    }
    let revoked = [
        "--crl",
        "testdata/crl/leaf-revoked.crl",
        "--crl",
        "testdata/crl/root-empty.crl",
    ];
    for mode in ["off", "embedded"] {
        let (code, text) = run(Some(mode), None, &revoked);
        assert_eq!(code, Some(1), "{mode}: {text}");
        assert!(text.contains("TOTAL_FAILED/REVOKED"), "{mode}: {text}");
    }
    let (code, text) = run(Some("sometimes"), None, &[]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("off") && text.contains("embedded"), "{text}");
}

/// The Mobile ID check does not check revocation unless asked (`--ocsp embedded`), as the
/// Swisscom guide recommends; `raw` requires it by default, as `verify` does.
#[test]
fn mobileid_defaults_to_ocsp_off_and_raw_to_embedded() {
    let expected: serde_json::Value =
        serde_json::from_slice(&read(&repo().join("testdata/mobileid/signature-ec.expected.json"))).unwrap();
    let mobileid = |extra: &[&str]| {
        let out = sigverify()
            .args(["mobileid", "--trust-anchor", "testdata/mobileid/root.pem"])
            .args(["--at", "2026-06-01T00:00:00Z"])
            .args(["--response", "testdata/mobileid/signature-ec.json"])
            .args(["--dtbd", expected["dtbd"].as_str().unwrap()])
            .args(["--msisdn", "+41700092501", "--ap-trans-id", "REF-SIGVERIFY-0002"])
            .args(extra)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, text) = mobileid(&[]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = mobileid(&["--ocsp", "embedded"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("TRY_LATER"), "{text}");
    let raw = |extra: &[&str]| {
        sigverify()
            .args(["raw", "--trust-anchor", "testdata/pki/p256/root.pem"])
            .args([
                "--intermediate",
                "testdata/pki/p256/ica.pem",
                "--at",
                "2026-06-01T00:00:00Z",
            ])
            .args([
                "--signature-value",
                "testdata/raw/p256-sha256.raw.sig",
                "--algorithm",
                "SHA256withECDSA",
            ])
            .args([
                "--certificate",
                "testdata/pki/p256/leaf.pem",
                "--data",
                "testdata/raw/challenge.bin",
            ])
            .args(extra)
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(raw(&[]), Some(1));
    assert_eq!(raw(&["--ocsp", "off"]), Some(0));
}

//! PDF signatures checked against other verifiers, signature by signature (matched by their
//! `/ByteRange`), over every file of `testdata/pdf/` and every PAdES file of the shared corpus:
//!
//! - `pdfsig -nocert` (poppler): where sigverify finds a signature cryptographically intact
//!   (SIGNATURE_VALUE passed over the byte range's data, no HASH_FAILURE), pdfsig must not say "Digest Mismatch" or
//!   "Signature is Invalid"; where pdfsig says "Digest Mismatch", sigverify must not pass the
//!   signature; where pdfsig says "Signature is Valid", sigverify must not call the signature
//!   value or the digest wrong (SIG_CRYPTO_FAILURE, HASH_FAILURE).
//! - pyHanko (`validate_pdf_signature`, when a Python with pyHanko is found: `SIGVERIFY_PYHANKO`
//!   or `/tmp/pdfvenv/bin/python`): the same for its `intact` and `valid`, and where pyHanko
//!   finds the coverage unclear, a modification it does not allow, or DocMDP broken, sigverify
//!   must not pass the signature.
//!
//! A tool that is not installed skips its test with a message. With `SIGVERIFY_REQUIRE_TOOLS=1`
//! (set by `.ci/run`, which installs pdfsig) a missing pdfsig fails its test; pyHanko is not
//! installed by CI, so its absence fails the test only with `SIGVERIFY_REQUIRE_PYHANKO=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use sigverify::verdict::CheckResult;
use sigverify::{Content, Indication, Report, SubIndication};

const VALIDATION_TIME: &str = "2026-06-01T00:00:00Z";

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// The PDFs compared: `testdata/pdf/*.pdf` and, when the shared corpus is there, its
/// `pades/*.pdf`.
fn files() -> Vec<PathBuf> {
    let mut dirs = vec![repo().join("testdata/pdf")];
    let corpus = shared_dir().join("corpus/pades");
    if corpus.is_dir() {
        dirs.push(corpus);
    } else {
        assert!(
            !std::env::var("SIGVERIFY_REQUIRE_SHARED").is_ok_and(|v| v == "1"),
            "SIGVERIFY_REQUIRE_SHARED=1 but {} is missing",
            shared_dir().display()
        );
    }
    let mut out = Vec::new();
    for d in dirs {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        v.sort();
        out.extend(v);
    }
    assert!(out.len() >= 29, "only {} PDF files", out.len());
    out
}

fn setup() -> Setup {
    let t = repo().join("testdata/pki");
    Setup::new(
        &[t.join("rsa/root.pem"), t.join("p256/root.pem")],
        &[],
        at(VALIDATION_TIME),
    )
}

/// What sigverify says of one signature.
struct Ours {
    id: String,
    /// `[a, b, c, d]` as in the file.
    byte_range: Vec<i64>,
    /// SIGNATURE_VALUE passed over signed data that was found (the byte range lies in the file),
    /// and no check failed with HASH_FAILURE.
    intact: bool,
    /// The signature value or the digest was found wrong.
    crypto_wrong: bool,
    passed: bool,
    summary: String,
}

fn ours(report: &Report) -> Vec<Ours> {
    report
        .signatures
        .iter()
        .filter_map(|s| {
            let pdf = s.pdf.as_ref()?;
            let hash_failure = s
                .checks
                .iter()
                .any(|c| c.sub_indication == Some(SubIndication::HashFailure));
            let value = result_of_code(&s.checks, "SIGNATURE_VALUE");
            let crypto_wrong = hash_failure
                || s.checks.iter().any(|c| {
                    c.result == CheckResult::Failed && c.sub_indication == Some(SubIndication::SigCryptoFailure)
                });
            Some(Ours {
                id: s.id.clone(),
                byte_range: pdf.byte_range.clone(),
                intact: value == Some(CheckResult::Passed)
                    && result_of_code(&s.checks, "SIGNED_DATA_FOUND") == Some(CheckResult::Passed)
                    && !hash_failure,
                crypto_wrong,
                passed: s.indication == Indication::TotalPassed,
                summary: format!(
                    "{} {}/{} failed {:?}",
                    s.id,
                    s.indication.as_str(),
                    s.sub_indication.map_or("-", |x| x.as_str()),
                    failed_codes(&s.checks)
                ),
            })
        })
        .collect()
}

/// pdfsig's `Signed Ranges: [a - b], [c - d]` as a `/ByteRange`.
fn ranges_to_byte_range(text: &str) -> Option<Vec<i64>> {
    let nums: Vec<i64> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    match nums.as_slice() {
        [a, b, c, d] => Some(vec![*a, b - a, *c, d - c]),
        _ => None,
    }
}

/// pdfsig's opinion of each signature whose ranges it prints: (byte range, validation line).
fn pdfsig(path: &Path) -> Vec<(Vec<i64>, String)> {
    let out = Command::new("pdfsig").arg("-nocert").arg(path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut result = Vec::new();
    let mut range = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("Signature #") {
            range = None;
        } else if let Some(r) = line.strip_prefix("- Signed Ranges:") {
            range = ranges_to_byte_range(r);
        } else if let Some(v) = line.strip_prefix("- Signature Validation:") {
            if let Some(r) = range.take() {
                result.push((r, v.trim().to_string()));
            }
        }
    }
    result
}

fn pdfsig_available() -> bool {
    match Command::new("pdfsig").arg("-v").output() {
        Ok(_) => true,
        Err(e) => {
            assert!(
                !required("SIGVERIFY_REQUIRE_TOOLS"),
                "SIGVERIFY_REQUIRE_TOOLS=1 but `pdfsig` does not run: {e}"
            );
            eprintln!("SKIPPED: `pdfsig` is not installed ({e}); install it (Debian: poppler-utils)");
            false
        }
    }
}

#[test]
fn pdfsig_agrees_on_what_is_intact() {
    if !pdfsig_available() {
        return;
    }
    let setup = setup();
    let mut failures = Vec::new();
    let mut compared = 0;
    for path in files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = setup.run(&read(&path), Content::None);
        let mine = ours(&report);
        for (range, said) in pdfsig(&path) {
            let Some(o) = mine.iter().find(|o| o.byte_range == range) else {
                continue;
            };
            compared += 1;
            eprintln!("{name} {range:?}: pdfsig \"{said}\", sigverify {}", o.summary);
            let pdfsig_wrong = said.contains("Digest Mismatch") || said.contains("Signature is Invalid");
            if o.intact && pdfsig_wrong && sha1_subfilter_confirmed(&path, &range) {
                eprintln!("{name}: pdfsig misreads adbe.pkcs7.sha1; openssl confirms the carried SHA-1");
            } else if o.intact && pdfsig_wrong {
                failures.push(format!("{name} {}: intact here, pdfsig says \"{said}\"", o.id));
            }
            if said.contains("Digest Mismatch") && o.passed {
                failures.push(format!("{name} {}: pdfsig says \"{said}\", passed here", o.id));
            }
            if said.contains("Signature is Valid") && o.crypto_wrong {
                failures.push(format!(
                    "{name} {}: pdfsig says \"{said}\", here the signature value or digest is wrong: {}",
                    o.id, o.summary
                ));
            }
        }
    }
    assert!(compared >= 30, "only {compared} signatures compared with pdfsig");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// pdfsig reports "Digest Mismatch" for every `adbe.pkcs7.sha1` signature. For such a
/// signature, confirms independently that the CMS content openssl extracts is the SHA-1 of the
/// byte range (so the disagreement is pdfsig's).
fn sha1_subfilter_confirmed(path: &Path, range: &[i64]) -> bool {
    let bytes = read(path);
    let [a, b, c, d] = <[i64; 4]>::try_from(range.to_vec()).unwrap().map(|x| x as usize);
    let dict_start = bytes[..a + b]
        .windows(13)
        .rposition(|w| w == b"/SubFilter /a")
        .unwrap_or(0);
    if !bytes[dict_start..a + b].windows(15).any(|w| w == b"adbe.pkcs7.sha1") {
        return false;
    }
    let hex = std::str::from_utf8(&bytes[a + b + 1..c - 1]).unwrap();
    let mut der = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<u8>>();
    // The CMS is a DER SEQUENCE with a long-form length: cut the zero padding after it.
    let len = match der[1] {
        0x82 => 4 + (usize::from(der[2]) << 8 | usize::from(der[3])),
        0x81 => 3 + usize::from(der[2]),
        n => 2 + usize::from(n),
    };
    der.truncate(len);
    let dir = std::env::temp_dir().join(format!("sigverify-sha1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cms, content) = (dir.join("sig.der"), dir.join("content.bin"));
    std::fs::write(&cms, &der).unwrap();
    let ok = Command::new("openssl")
        .args(["cms", "-verify", "-noverify", "-inform", "DER", "-in"])
        .arg(&cms)
        .arg("-out")
        .arg(&content)
        .output()
        .is_ok_and(|o| o.status.success());
    let carried = std::fs::read(&content).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let mut signed = bytes[a..a + b].to_vec();
    signed.extend_from_slice(&bytes[c..c + d]);
    ok && carried == sigverify::HashAlg::Sha1.digest(&signed)
}

/// pyHanko's opinion of each signature, one line each:
/// `a b c d<TAB>intact<TAB>valid<TAB>coverage<TAB>modification<TAB>docmdp_ok`, or
/// `a b c d<TAB>error<TAB>why`.
const PYHANKO_SCRIPT: &str = r#"
import io, sys, logging, datetime
logging.disable(logging.CRITICAL)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from asn1crypto import pem, x509
roots = []
for p in sys.argv[2:]:
    with open(p, "rb") as f:
        roots.append(x509.Certificate.load(pem.unarmor(f.read())[2]))
moment = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "rb") as f:
    r = PdfFileReader(io.BytesIO(f.read()), strict=False)
for s in r.embedded_signatures:
    try:
        br = " ".join(str(int(x)) for x in s.sig_object["/ByteRange"])
    except Exception:
        continue
    try:
        vc = ValidationContext(trust_roots=roots, moment=moment, allow_fetching=False)
        st = validate_pdf_signature(s, vc)
        print("\t".join([br, str(st.intact), str(st.valid), getattr(st.coverage, "name", str(st.coverage)),
                         getattr(st.modification_level, "name", str(st.modification_level)), str(st.docmdp_ok)]))
    except Exception as e:
        print("\t".join([br, "error", type(e).__name__]))
"#;

fn pyhanko_python() -> Option<String> {
    let candidates: Vec<String> = std::env::var("SIGVERIFY_PYHANKO")
        .ok()
        .into_iter()
        .chain(["/tmp/pdfvenv/bin/python".to_string(), "python3".to_string()])
        .collect();
    for py in &candidates {
        let ok = Command::new(py)
            .args(["-c", "import pyhanko.sign.validation"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(py.clone());
        }
    }
    assert!(
        !required("SIGVERIFY_REQUIRE_PYHANKO"),
        "SIGVERIFY_REQUIRE_PYHANKO=1 but no Python with pyHanko among {candidates:?}"
    );
    eprintln!("SKIPPED: no Python with pyHanko among {candidates:?} (pip install pyhanko; SIGVERIFY_PYHANKO=python)");
    None
}

#[test]
fn pyhanko_agrees_on_what_is_intact_and_allowed() {
    let Some(py) = pyhanko_python() else { return };
    let setup = setup();
    let pki = repo().join("testdata/pki");
    let roots = [pki.join("rsa/root.pem"), pki.join("p256/root.pem")];
    let mut failures = Vec::new();
    let mut compared = 0;
    for path in files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = setup.run(&read(&path), Content::None);
        let mine = ours(&report);
        let out = Command::new(&py)
            .arg("-c")
            .arg(PYHANKO_SCRIPT)
            .arg(&path)
            .args(&roots)
            .output()
            .unwrap();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let range: Vec<i64> = cols[0].split(' ').filter_map(|n| n.parse().ok()).collect();
            let Some(o) = mine.iter().find(|o| o.byte_range == range) else {
                continue;
            };
            compared += 1;
            eprintln!("{name} {range:?}: pyHanko {:?}, sigverify {}", &cols[1..], o.summary);
            if cols.len() != 6 {
                continue;
            }
            let (intact, valid) = (cols[1] == "True", cols[2] == "True");
            let (coverage, modification, docmdp_ok) = (cols[3], cols[4], cols[5] == "True");
            if o.intact && !intact {
                failures.push(format!("{name} {}: intact here, pyHanko says not intact", o.id));
            }
            if !(intact && valid) && o.passed {
                failures.push(format!(
                    "{name} {}: pyHanko intact={intact} valid={valid}, passed here",
                    o.id
                ));
            }
            if intact && valid && o.crypto_wrong {
                failures.push(format!(
                    "{name} {}: pyHanko finds it intact and valid, here the signature value or digest is wrong: {}",
                    o.id, o.summary
                ));
            }
            if (coverage == "UNCLEAR" || modification == "OTHER" || !docmdp_ok) && o.passed {
                failures.push(format!(
                    "{name} {}: pyHanko coverage {coverage}, modification {modification}, docmdp_ok {docmdp_ok}; passed here",
                    o.id
                ));
            }
        }
    }
    assert!(compared >= 30, "only {compared} signatures compared with pyHanko");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

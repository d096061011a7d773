//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod live_ocsp;
pub mod pki;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sigverify::formats::x509::Certificate;
pub use sigverify::revocation::OcspMode;
use sigverify::verdict::Check;
use sigverify::{
    CertPool, Content, DefaultVerifier, HashAlg, LinkCache, Policy, Report, UnixTime, VerifyContext, verify,
};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory the build script looked in for the shared corpus: `../shared` beside the
/// repository, or `SIGVERIFY_SHARED_DIR` (see `build.rs`).
pub fn shared_dir() -> PathBuf {
    PathBuf::from(env!("SIGVERIFY_SHARED_RESOLVED"))
}

/// `../shared`, for the tests that need it. Such tests carry
/// `#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]`:
/// without the corpus they are compiled as ignored, and `cargo test` counts them so. Run anyway
/// (`--include-ignored`), they fail here rather than pass without having run.
pub fn shared() -> PathBuf {
    let p = shared_dir();
    assert!(
        p.join("corpus/manifest.tsv").is_file(),
        "this test needs {}/corpus/manifest.tsv, which is missing",
        p.display()
    );
    p
}

pub fn load_pool(paths: &[PathBuf]) -> CertPool {
    let mut pool = CertPool::new();
    for p in paths {
        let files: Vec<PathBuf> = if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "pem" || e == "crt" || e == "der"))
                .collect();
            v.sort();
            v
        } else {
            vec![p.clone()]
        };
        for f in files {
            let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            for c in Certificate::from_pem_or_der(&bytes).unwrap_or_else(|e| panic!("{}: {e}", f.display())) {
                pool.add(Arc::new(c));
            }
        }
    }
    pool
}

pub fn at(s: &str) -> UnixTime {
    UnixTime::parse_rfc3339(s).unwrap_or_else(|| panic!("bad time {s}"))
}

/// Owned inputs of one verification.
pub struct Setup {
    pub anchors: CertPool,
    pub intermediates: CertPool,
    pub policy: Policy,
    pub time: UnixTime,
    pub cache: LinkCache,
}

impl Setup {
    pub fn new(anchors: &[PathBuf], intermediates: &[PathBuf], time: UnixTime) -> Setup {
        Setup {
            anchors: load_pool(anchors),
            intermediates: load_pool(intermediates),
            policy: Policy::default_policy(),
            time,
            cache: LinkCache::new(),
        }
    }

    /// A setup from pools built in memory (see `pki.rs`), with the default policy.
    pub fn with_pools(anchors: CertPool, intermediates: CertPool, time: UnixTime) -> Setup {
        Setup {
            anchors,
            intermediates,
            policy: Policy::default_policy(),
            time,
            cache: LinkCache::new(),
        }
    }

    /// The same setup validating without revocation checking ([`OcspMode::Off`]): for tests
    /// whose subject is not revocation. Information at hand is still evaluated.
    pub fn revocation_off(mut self) -> Setup {
        self.policy = OcspMode::Off.policy(&self.policy).into_owned();
        self
    }

    pub fn run(&self, input: &[u8], content: Content<'_>) -> Report {
        verify(input, content, &context(self))
    }
}

/// The one place the tests build a [`VerifyContext`]: every test verifies through it (or
/// through [`Setup::run`]), so a change of the context's fields is made here only.
///
/// With the default work budget for one verification.
pub fn context(setup: &Setup) -> VerifyContext<'_> {
    VerifyContext {
        trust: &setup.anchors,
        intermediates: &setup.intermediates,
        verifier: &DefaultVerifier,
        policy: &setup.policy,
        time: setup.time,
        cache: Some(&setup.cache),
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    }
}

pub enum OwnedContent {
    None,
    Data(Vec<u8>),
    Digest(HashAlg, Vec<u8>),
}

impl OwnedContent {
    pub fn as_content(&self) -> Content<'_> {
        match self {
            OwnedContent::None => Content::None,
            OwnedContent::Data(d) => Content::Data(d),
            OwnedContent::Digest(a, v) => Content::Digest { alg: *a, value: v },
        }
    }
}

pub fn verdict(r: &Report) -> String {
    match r.sub_indication {
        Some(s) => format!("{}/{}", r.indication.as_str(), s.as_str()),
        None => r.indication.as_str().to_string(),
    }
}

pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The check that decided a report that did not pass: the first check, among the file's checks
/// and then each signature's in order, whose sub-indication is the report's.
pub fn deciding_check(r: &Report) -> Option<&Check> {
    let sub = r.sub_indication?;
    r.checks
        .iter()
        .chain(r.signatures.iter().flat_map(|s| s.checks.iter()))
        .find(|c| c.sub_indication == Some(sub))
}

/// Codes of the failed checks of a list, by their stable spelling.
pub fn failed_codes(checks: &[Check]) -> Vec<&'static str> {
    checks
        .iter()
        .filter(|c| c.result == sigverify::verdict::CheckResult::Failed)
        .map(|c| c.code.as_str())
        .collect()
}

/// The result of the check with this code (stable spelling) in a list, when there is one.
pub fn result_of_code(checks: &[Check], code: &str) -> Option<sigverify::verdict::CheckResult> {
    checks.iter().find(|c| c.code.as_str() == code).map(|c| c.result)
}

/// Check codes that occur more than once in one list of the report (the file's checks, or a
/// signature's), as `"<list>: <CODE>"`.
pub fn duplicate_codes(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let lists = std::iter::once(("file", &r.checks)).chain(r.signatures.iter().map(|s| (s.id.as_str(), &s.checks)));
    for (name, checks) in lists {
        let mut seen = std::collections::HashSet::new();
        for c in checks {
            if !seen.insert(c.code.as_str()) {
                out.push(format!("{name}: {}", c.code.as_str()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// JSON of a report, for assertion messages.
pub fn pretty(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default()
}

/// One row of `testdata/samples/cases.tsv` (made by `testdata/gen/generate.py`).
#[derive(Clone, Debug)]
pub struct CaseRow {
    pub case: String,
    pub file: String,
    /// `-`: attached content or a certificate; `none`: a detached signature without content;
    /// `file:<path>`, `dtbd:<text>`, `hash:<alg>:<base64>`.
    pub content: String,
    pub anchors: String,
    pub intermediates: String,
    pub at: String,
    pub policy: String,
    pub indication: String,
    pub sub_indication: String,
    /// The code of the check that decided (see [`deciding_check`]); `-` for a passed case.
    pub check: String,
    pub note: String,
}

impl CaseRow {
    /// The expected verdict as [`verdict`] spells it.
    pub fn expected(&self) -> String {
        if self.sub_indication == "-" {
            self.indication.clone()
        } else {
            format!("{}/{}", self.indication, self.sub_indication)
        }
    }

    /// Verifies the row's file with its anchors, intermediates, time, policy and content,
    /// without revocation checking: the table's cases are about formats, chains and algorithms,
    /// and none carries revocation data.
    pub fn run(&self) -> Report {
        let root = repo().join("testdata");
        let list = |s: &str| -> Vec<PathBuf> {
            if s == "-" {
                vec![]
            } else {
                s.split(',').map(|p| root.join(p)).collect()
            }
        };
        let mut setup = Setup::new(&list(&self.anchors), &list(&self.intermediates), at(&self.at));
        if self.policy != "default" {
            setup.policy = Policy::from_toml(&std::fs::read_to_string(root.join(&self.policy)).unwrap()).unwrap();
        }
        let setup = setup.revocation_off();
        let c = &self.content;
        let owned = if c == "-" || c == "none" {
            OwnedContent::None
        } else if let Some(f) = c.strip_prefix("file:") {
            OwnedContent::Data(read(&root.join(f)))
        } else if let Some(t) = c.strip_prefix("dtbd:") {
            OwnedContent::Data(t.as_bytes().to_vec())
        } else if let Some(h) = c.strip_prefix("hash:") {
            use base64::Engine;
            let (alg, v) = h.split_once(':').unwrap();
            OwnedContent::Digest(
                HashAlg::from_name(alg).unwrap(),
                base64::engine::general_purpose::STANDARD.decode(v).unwrap(),
            )
        } else {
            panic!("{}: bad content column {c}", self.case)
        };
        setup.run(&read(&root.join(&self.file)), owned.as_content())
    }
}

/// The rows of `testdata/samples/cases.tsv`, read by the names in its header.
pub fn case_rows() -> Vec<CaseRow> {
    let table = std::fs::read_to_string(repo().join("testdata/samples/cases.tsv")).unwrap();
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), header.len(), "bad row: {line}");
            let get = |name: &str| col(name).map_or("-", |i| cols[i]).to_string();
            CaseRow {
                case: get("case"),
                file: get("file"),
                content: get("content"),
                anchors: get("anchors"),
                intermediates: get("intermediates"),
                at: get("at"),
                policy: get("policy"),
                indication: get("indication"),
                sub_indication: get("sub_indication"),
                check: get("check"),
                note: get("note"),
            }
        })
        .collect()
}

/// One row of `../shared/corpus/manifest.tsv`.
pub struct CorpusRow {
    pub file: String,
    pub format: String,
    pub expected: String,
    pub reason: String,
    /// The trust anchors the row names (none: `none ...`).
    pub anchors: Vec<PathBuf>,
    pub notes: String,
}

/// The manifest rows whose (format, file) `keep` accepts, in order.
pub fn corpus_rows(keep: impl Fn(&str, &str) -> bool) -> Vec<CorpusRow> {
    let corpus = shared().join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect::<Vec<&str>>())
        .filter(|cols| keep(cols[1], cols[0]))
        .map(|cols| CorpusRow {
            file: cols[0].to_string(),
            format: cols[1].to_string(),
            expected: cols[2].to_string(),
            reason: cols[3].to_string(),
            anchors: if cols[4].starts_with("none") {
                vec![]
            } else {
                cols[4].split(',').map(|a| corpus.join(a.trim())).collect()
            },
            notes: cols[6].to_string(),
        })
        .collect()
}

/// Whether `report` gives a row's class: `valid` is TOTAL_PASSED, `invalid` is TOTAL_FAILED,
/// `indeterminate` is INDETERMINATE. A reviewed exception gives the verdict expected instead.
pub fn gives_class(report: &Report, expected: &str, exception: Option<&str>) -> bool {
    use sigverify::Indication;
    match (exception, expected) {
        (Some(instead), _) => verdict(report).starts_with(instead),
        (None, "valid") => report.indication == Indication::TotalPassed,
        (None, "invalid") => report.indication == Indication::TotalFailed,
        (None, "indeterminate") => report.indication == Indication::Indeterminate,
        (None, other) => panic!("unknown label {other}"),
    }
}

/// Corpus rows labelled under the policy of the project they come from, which accepts SHA-1
/// without a sunset (digidoc4j's constraint.xml), with the class they have there. The default
/// policy accepts SHA-1 only until 2012-08-01, and each of these signatures (or its
/// certificate) uses SHA-1 after that, so by default they are INDETERMINATE (never
/// TOTAL_PASSED, never TOTAL_FAILED); under `testdata/policy/sha1-no-sunset.toml` they give
/// their label (`tests/corpus_ltv.rs`).
pub const SHA1_LABELLED: &[(&str, &str)] = &[
    ("bdoc/dd4j-valid-bdoc-tm.bdoc", "valid"),
    ("bdoc/dd4j-bdoc-with-tm-and-ts-signature.bdoc", "valid"),
    ("bdoc/dd4j-23147_weak-warning-sha1.bdoc", "valid"),
    ("asice/dss-Signature-A-EE_AS-6.asice", "valid"),
    ("ddoc/dd4j-ddoc-valid.ddoc", "valid"),
    ("ddoc/dd4j-container-with-sig-params.ddoc", "valid"),
    ("pades/dd4j-hellopades-pades-lt-sha256-sign.pdf", "valid"),
    ("xades-detached/dd4j-valid-bdoc-tm-detached/valid-bdoc-tm.xml", "valid"),
    ("bdoc/dd4j-bdoc-tm-ocsp-revoked.bdoc", "invalid"),
];

/// The verdict a [`SHA1_LABELLED`] row gives under the default policy.
pub fn sha1_exception(file: &str) -> Option<&'static str> {
    SHA1_LABELLED
        .iter()
        .any(|(f, _)| *f == file)
        .then_some("INDETERMINATE/")
}

/// The policy the [`SHA1_LABELLED`] rows are labelled under.
pub fn sha1_no_sunset_policy() -> Policy {
    let text = std::fs::read_to_string(repo().join("testdata/policy/sha1-no-sunset.toml")).unwrap();
    Policy::from_toml(&text).unwrap()
}

/// A ZIP archive of stored entries.
pub fn stored_zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = sigverify::formats::zip::crc32(data);
        let common = [
            &20u16.to_le_bytes()[..],
            &0u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &0u32.to_le_bytes(),
            &crc.to_le_bytes(),
            &(data.len() as u32).to_le_bytes(),
            &(data.len() as u32).to_le_bytes(),
            &(name.len() as u16).to_le_bytes(),
            &0u16.to_le_bytes(),
        ]
        .concat();
        out.extend([b"PK\x03\x04".as_slice(), &common, name.as_bytes(), data].concat());
        let tail = [&[0u8; 6][..], &0u32.to_le_bytes(), &offset.to_le_bytes()].concat();
        central.extend(
            [
                b"PK\x01\x02".as_slice(),
                &20u16.to_le_bytes(),
                &common,
                &tail,
                name.as_bytes(),
            ]
            .concat(),
        );
    }
    let (at, size, n) = (out.len() as u32, central.len() as u32, entries.len() as u16);
    out.extend(central);
    out.extend(
        [
            b"PK\x05\x06".as_slice(),
            &[0; 4],
            &n.to_le_bytes(),
            &n.to_le_bytes(),
            &size.to_le_bytes(),
            &at.to_le_bytes(),
            &[0; 2],
        ]
        .concat(),
    );
    out
}

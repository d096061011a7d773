//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sigverify::formats::x509::Certificate;
use sigverify::{
    CertPool, Content, DefaultVerifier, HashAlg, LinkCache, Policy, Report, UnixTime, VerifyContext, verify,
};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, when present. CI sets SIGVERIFY_REQUIRE_SHARED=1 so that
/// its absence fails instead of skipping.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    if p.join("corpus/manifest.tsv").is_file() {
        return Some(p);
    }
    if std::env::var("SIGVERIFY_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "../shared is required (SIGVERIFY_REQUIRE_SHARED=1) but {} is missing",
            p.display()
        );
    }
    eprintln!("SKIPPED: ../shared not found beside the repository; corpus tests did not run");
    None
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

    pub fn run(&self, input: &[u8], content: Content<'_>) -> Report {
        let ctx = VerifyContext {
            trust: &self.anchors,
            intermediates: &self.intermediates,
            verifier: &DefaultVerifier,
            policy: &self.policy,
            time: self.time,
            cache: Some(&self.cache),
            budget: sigverify::Budget::default(),
        };
        verify(input, content, &ctx)
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

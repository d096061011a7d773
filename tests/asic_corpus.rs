//! Every ASiC container of the shared corpus (`asice/`, `bdoc/`, `other/`) through
//! `asic::read_container`: what it finds, printed, and checked against [`EXPECTED`].
//!
//! The rows of `manifest.tsv` with reason `malformed` are malformed containers except
//! `asice/dd4j-REF-03_TS-no-signedpropref.asice`, whose XAdES signature lacks its reference to the
//! SignedProperties: the container is sound. Three other rows are invalid for a container-level
//! reason that a container reader sees: a data file the manifest does not name (KS-18), a file
//! the manifest names that the ZIP lacks (zip_misses_file...), neither mimetype nor manifest
//! (notABDoc). `dd4j-mimetype_mismatch.asice` (reason manifest-mismatch) is sound as a container:
//! its manifest gives RELEASE-NOTES.txt a media type that differs from the one in the signature,
//! which only the XAdES side can compare; its mimetype is not the first entry (a warning).

mod common;

use common::*;
use sigverify::formats::asic::{self, Container, Problem, Severity};
use sigverify::formats::zip::ZipLimits;

/// What each container must give: `None` is a ZIP error; `Some(errors)` the problems of its
/// error findings (empty: sound, warnings allowed).
const EXPECTED: &[(&str, Option<&[Problem]>)] = &[
    (
        "asice/dd4j-KS-18_lisatudfail.4.asice",
        Some(&[Problem::DataFileNotInManifest]),
    ),
    ("asice/dd4j-missing_manifest.asice", Some(&[Problem::ManifestMissing])),
    (
        "asice/dd4j-missing_mimetype_file.asice",
        Some(&[Problem::MimetypeMissing]),
    ),
    (
        "asice/dd4j-zip_misses_file_which_is_in_manifest.asice",
        Some(&[Problem::ManifestNamesMissingFile]),
    ),
    ("asice/dss-malformed-container.asice", None),
    (
        "bdoc/dd4j-notABDoc.bdoc",
        Some(&[Problem::MimetypeMissing, Problem::ManifestMissing, Problem::NoSignature]),
    ),
];

fn describe(c: &Container<'_>) -> String {
    let sigs: Vec<String> = c
        .signatures
        .iter()
        .map(|s| format!("{}({:?})", s.name, s.kind))
        .collect();
    let data: Vec<String> = c
        .data_files
        .iter()
        .map(|d| format!("{}[{}]", d.name, d.media_type.as_deref().unwrap_or("-")))
        .collect();
    let findings: Vec<String> = c
        .findings
        .iter()
        .map(|f| {
            format!(
                "{:?}:{:?}{}",
                f.severity,
                f.problem,
                f.subject.as_deref().map(|s| format!("({s})")).unwrap_or_default()
            )
        })
        .collect();
    format!(
        "{:?} {:?} sigs={sigs:?} data={data:?} other={:?} findings={findings:?}",
        c.kind, c.mimetype, c.other_meta_inf
    )
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_containers() {
    let corpus = shared().join("corpus");
    let mut files = Vec::new();
    for dir in ["asice", "bdoc", "other"] {
        for e in std::fs::read_dir(corpus.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension()
                .is_some_and(|x| x == "asice" || x == "bdoc" || x == "asics")
            {
                files.push(format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 42, "the corpus has 24 asice, 14 bdoc, 4 asics files");
    for (name, _) in EXPECTED {
        assert!(files.iter().any(|f| f == name), "{name} is not in the corpus");
    }
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(corpus.join(f)).unwrap();
        let expected = EXPECTED.iter().find(|(n, _)| n == f).map_or(Some(&[][..]), |(_, e)| *e);
        let got = match asic::read_container(&bytes, &ZipLimits::default()) {
            Ok(c) => {
                println!("{f}: {}", describe(&c));
                Some(
                    c.findings
                        .iter()
                        .filter(|x| x.severity == Severity::Error)
                        .map(|x| x.problem)
                        .collect::<Vec<_>>(),
                )
            }
            Err(e) => {
                println!("{f}: ERROR {e}");
                None
            }
        };
        if got.as_deref() != expected {
            failures.push(format!("{f}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

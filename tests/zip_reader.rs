//! The ZIP reader and the ASiC container reader on the files of `testdata/zip/`, written by
//! `testdata/zip/generate.py` (which says how each is made).

use std::time::Instant;

use sigverify::formats::asic::{self, ContainerKind, Problem, Severity, SignatureKind};
use sigverify::formats::zip::{self, Field, InflateProblem, Method, NameProblem, ZipError, ZipLimits};

fn file(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/zip/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_err(name: &str) -> ZipError {
    zip::read(&file(name), &ZipLimits::default()).expect_err(name)
}

/// Reads `name` and the data of every entry.
fn read_all(name: &str) -> Result<Vec<(String, Vec<u8>)>, ZipError> {
    let bytes = file(name);
    let limits = ZipLimits::default();
    let archive = zip::read(&bytes, &limits)?;
    archive
        .entries
        .iter()
        .map(|e| Ok((e.name.clone(), e.data(&limits)?.into_owned())))
        .collect()
}

const TEXT: &[u8] = b"Hello, ASiC.\n";

fn text() -> Vec<u8> {
    TEXT.repeat(20)
}

#[test]
fn crc32_check_value() {
    assert_eq!(zip::crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(zip::crc32(b""), 0);
}

#[test]
fn stored_entries_are_borrowed() {
    let bytes = file("stored.zip");
    let limits = ZipLimits::default();
    let archive = zip::read(&bytes, &limits).unwrap();
    let names: Vec<&str> = archive.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["mimetype", "a.txt", "dir/"]);
    let a = &archive.entries[1];
    assert_eq!(a.method, Method::Stored);
    assert!(matches!(a.data(&limits).unwrap(), std::borrow::Cow::Borrowed(_)));
    assert_eq!(a.data(&limits).unwrap().as_ref(), text());
    assert!(archive.entries[2].is_dir());
    assert_eq!(archive.entries[0].local_header_offset, 0);
    assert_eq!(&archive.entries[0].local_header[..4], b"PK\x03\x04");
    assert!(archive.entries[0].local_extra.is_empty());
}

#[test]
fn deflated_descriptor_and_zip64_archives_read() {
    for name in ["deflated.zip", "descriptor.zip", "zip64.zip"] {
        let entries = read_all(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(entries[0], ("a.txt".to_owned(), text()), "{name}");
    }
    let bytes = file("descriptor.zip");
    let archive = zip::read(&bytes, &ZipLimits::default()).unwrap();
    assert!(archive.entries.iter().all(|e| e.data_descriptor));
    let bytes = file("zip64.zip");
    let archive = zip::read(&bytes, &ZipLimits::default()).unwrap();
    assert_eq!(archive.entries[0].method, Method::Deflated);
    assert!(
        !archive.entries[0].local_extra.is_empty(),
        "ZIP64 extra field in the local header"
    );
}

#[test]
fn local_header_must_match_central_directory() {
    assert!(matches!(
        read_err("name-mismatch.zip"),
        ZipError::LocalMismatch { field: Field::Name, .. }
    ));
    assert!(matches!(
        read_err("size-mismatch.zip"),
        ZipError::LocalMismatch {
            field: Field::CompressedSize,
            ..
        }
    ));
    assert!(matches!(
        read_err("descriptor-mismatch.zip"),
        ZipError::DescriptorMismatch {
            field: Field::Crc32,
            ..
        }
    ));
}

#[test]
fn bad_names_are_refused() {
    for (file, problem) in [
        ("name-dotdot.zip", NameProblem::DotDot),
        ("name-absolute.zip", NameProblem::Absolute),
        ("name-backslash.zip", NameProblem::Backslash),
        ("name-drive.zip", NameProblem::DriveLetter),
        ("name-nul.zip", NameProblem::Control),
        ("name-cp437.zip", NameProblem::NotAscii),
    ] {
        match read_err(file) {
            ZipError::BadName { problem: p, .. } => assert_eq!(p, problem, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
    assert_eq!(
        read_err("duplicate.zip"),
        ZipError::DuplicateName { name: "a.txt".into() }
    );
}

#[test]
fn entries_must_tile_the_file() {
    assert!(matches!(read_err("same-local.zip"), ZipError::Overlap { .. }));
    assert!(matches!(read_err("nested-overlap.zip"), ZipError::Overlap { .. }));
    assert_eq!(read_err("prefix.zip"), ZipError::Gap { offset: 0, len: 15 });
    assert!(matches!(read_err("between.zip"), ZipError::Gap { len: 4, .. }));
}

#[test]
fn end_record_is_strict() {
    assert_eq!(read_err("comment-lies.zip"), ZipError::CommentLength);
    assert_eq!(read_err("multi-disk.zip"), ZipError::MultiDisk);
    let bytes = file("stored.zip");
    for cut in [1, 10, 21, 22, 100, bytes.len() - 1] {
        assert!(
            zip::read(&bytes[..bytes.len() - cut], &ZipLimits::default()).is_err(),
            "cut {cut}"
        );
    }
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"garbage");
    assert_eq!(
        zip::read(&appended, &ZipLimits::default()),
        Err(ZipError::CommentLength)
    );
    assert_eq!(zip::read(&[], &ZipLimits::default()), Err(ZipError::NoEndRecord));
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    for name in ["stored.zip", "descriptor.zip", "zip64.zip"] {
        let bytes = file(name);
        for len in 0..bytes.len() {
            assert!(
                zip::read(&bytes[..len], &ZipLimits::default()).is_err(),
                "{name} cut to {len}"
            );
        }
    }
}

#[test]
fn encryption_and_other_methods_are_refused() {
    assert!(matches!(read_err("encrypted.zip"), ZipError::Encrypted { .. }));
    assert!(matches!(
        read_err("method-bzip2.zip"),
        ZipError::UnsupportedMethod { method: 12, .. }
    ));
}

#[test]
fn data_is_checked_when_read() {
    assert!(matches!(read_all("bad-crc.zip"), Err(ZipError::Crc32 { .. })));
    assert!(matches!(
        read_all("trailing-deflate.zip"),
        Err(ZipError::Inflate {
            problem: InflateProblem::TrailingBytes,
            ..
        })
    ));
}

#[test]
fn too_many_entries() {
    let limits = ZipLimits {
        max_entries: 2,
        ..ZipLimits::default()
    };
    assert_eq!(
        zip::read(&file("stored.zip"), &limits),
        Err(ZipError::TooManyEntries { count: 3, limit: 2 })
    );
    let limits = ZipLimits {
        max_entry_size: 100,
        ..ZipLimits::default()
    };
    assert!(matches!(
        zip::read(&file("stored.zip"), &limits),
        Err(ZipError::EntryTooLarge { size: 260, .. })
    ));
}

#[test]
fn deflate_bombs_are_refused_quickly() {
    let start = Instant::now();
    assert!(matches!(read_err("bomb.zip"), ZipError::EntryRatio { limit: 100, .. }));
    // The header lies (1,000 bytes for 20 MB): inflating stops at the declared size.
    assert!(matches!(
        read_all("bomb-lying.zip"),
        Err(ZipError::Inflate {
            problem: InflateProblem::LongerThanDeclared,
            ..
        })
    ));
    let elapsed = start.elapsed();
    println!("both bombs refused in {elapsed:?}");
    assert!(elapsed.as_secs() < 2, "{elapsed:?}");
    // With the ratio check off, the size limit still refuses 200 MB before inflating.
    let limits = ZipLimits {
        max_ratio: u64::MAX,
        ..ZipLimits::default()
    };
    let bytes = file("bomb.zip");
    assert!(matches!(
        zip::read(&bytes, &limits),
        Err(ZipError::EntryTooLarge { .. })
    ));
}

fn container(name: &str) -> (asic::Container<'static>, Vec<(Severity, Problem)>) {
    let bytes: &'static [u8] = Vec::leak(file(name));
    let c = asic::read_container(bytes, &ZipLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let findings = c.findings.iter().map(|f| (f.severity, f.problem)).collect();
    (c, findings)
}

#[test]
fn asic_e_containers() {
    let (c, findings) = container("ok.asice");
    assert_eq!(findings, []);
    assert_eq!(c.kind, ContainerKind::AsicE);
    assert_eq!(c.mimetype.as_deref(), Some(asic::MIMETYPE_ASIC_E));
    let data: Vec<(&str, Option<&str>)> = c
        .data_files
        .iter()
        .map(|d| (d.name.as_str(), d.media_type.as_deref()))
        .collect();
    assert_eq!(data, [("a.txt", Some("text/plain")), ("b.txt", Some("text/plain"))]);
    assert_eq!(c.data_files[0].bytes.as_ref(), text());
    assert_eq!(c.signatures.len(), 1);
    assert_eq!(
        (c.signatures[0].name.as_str(), c.signatures[0].kind),
        ("META-INF/signatures0.xml", SignatureKind::Xades)
    );
    assert_eq!(c.manifest.as_ref().map(Vec::len), Some(3));

    let (_, findings) = container("ok-compressed-mimetype.asice");
    assert_eq!(
        findings,
        [
            (Severity::Warning, Problem::MimetypeCompressed),
            (Severity::Warning, Problem::MimetypeExtraField)
        ]
    );
    let (c, _) = container("other-meta-inf.asice");
    assert_eq!(
        c.other_meta_inf,
        ["META-INF/ASiCManifest.xml", "META-INF/sub/signatures9.xml"]
    );
    assert_eq!(c.signatures.len(), 1);
}

#[test]
fn malformed_asic_e_containers() {
    for (name, expected) in [
        ("mimetype-wrong.asice", Problem::MimetypeUnknown),
        ("mimetype-missing.asice", Problem::MimetypeMissing),
        ("manifest-missing.asice", Problem::ManifestMissing),
        ("manifest-malformed.asice", Problem::ManifestMalformed),
        ("manifest-doctype.asice", Problem::ManifestMalformed),
        ("manifest-root-mismatch.asice", Problem::ManifestRootMismatch),
        ("manifest-extra-file.asice", Problem::ManifestNamesMissingFile),
        ("manifest-misses-file.asice", Problem::DataFileNotInManifest),
    ] {
        let (c, findings) = container(name);
        let errors: Vec<Problem> = findings
            .iter()
            .filter(|f| f.0 == Severity::Error)
            .map(|f| f.1)
            .collect();
        assert_eq!(errors, [expected], "{name}: {:?}", c.findings);
        assert!(c.is_malformed());
    }
    let (c, _) = container("manifest-extra-file.asice");
    assert_eq!(c.findings[0].subject.as_deref(), Some("gone.txt"));
}

#[test]
fn asic_s_containers() {
    let (c, findings) = container("ok.asics");
    assert_eq!(findings, []);
    assert_eq!(c.kind, ContainerKind::AsicS);
    assert_eq!(c.signatures[0].kind, SignatureKind::Cades);
    assert_eq!(c.data_files.len(), 1);
    assert_eq!(c.manifest, None);
    let (c, findings) = container("two-data.asics");
    assert_eq!(findings, [(Severity::Error, Problem::TooManyDataFiles)]);
    assert_eq!(c.signatures[0].kind, SignatureKind::Timestamp);
    let (_, findings) = container("no-signature.asics");
    assert_eq!(findings, [(Severity::Error, Problem::NoSignature)]);
}

#[test]
fn broken_zips_are_container_errors() {
    for name in ["bad-crc.zip", "comment-lies.zip", "nested-overlap.zip"] {
        assert!(
            asic::read_container(&file(name), &ZipLimits::default()).is_err(),
            "{name}"
        );
    }
}

//! ASiC-E, BDOC and ASiC-S containers through `sigverify::verify`: every container row of
//! `../shared/corpus/manifest.tsv` against its expected class, and the generated containers of
//! `testdata/xml/cases.tsv` (signed with xmlsec1 from the test PKI) against their verdicts.
//!
//! Every `valid` corpus row is a long-term signature whose signer certificate has expired by
//! the validation time: it is TOTAL_PASSED only because a time-stamp or an OCSP time-mark
//! proves it existed while the certificate was valid and not revoked.

mod common;

use common::*;
use sigverify::{Content, Indication, Report};

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

/// (file, verdict we give instead, why). The rows labelled under a policy that accepts SHA-1
/// are in `common::SHA1_LABELLED`.
const CORPUS_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "asice/dd4j-23200_weakdigest-wrong-nonce.asice",
        "INDETERMINATE",
        "labelled invalid by the BDOC profile rule of its source (the OCSP response's nonce must \
         bind the signature value). Here the response, whose nonce binds nothing, proves no time \
         of existence, so the expired certificate and the SHA-1 signature are undecided: \
         INDETERMINATE, never TOTAL_PASSED. The signature value itself verifies",
    ),
    (
        "bdoc/dd4j-nonce-vale-sisu.bdoc",
        "INDETERMINATE",
        "labelled invalid by the same BDOC profile rule (the time-mark's nonce does not bind the \
         signature value); its response proves nothing here, so the signature is undecided",
    ),
    (
        "asice/dd4j-test.asice",
        "INDETERMINATE",
        "labelled valid with the ee-test anchors, but its signature time-stamp is by the \
         production 'SK TIMESTAMPING AUTHORITY' (ee-prod) and its certificate chain uses SHA-1 \
         after the default policy's sunset; with both anchor sets and SHA-1 accepted it passes \
         (tests/corpus_ltv.rs)",
    ),
];

fn container_format(format: &str, file: &str) -> bool {
    matches!(format, "asice" | "bdoc") || (format == "other" && file.ends_with(".asics"))
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_container_rows() {
    let corpus = shared().join("corpus");
    let rows = corpus_rows(container_format);
    let mut failures = Vec::new();
    for row in &rows {
        let setup = Setup::new(&row.anchors, &[], at(VALIDATION_TIME));
        let report = setup.run(&read(&corpus.join(&row.file)), Content::None);
        let exception = CORPUS_EXCEPTIONS
            .iter()
            .find(|e| e.0 == row.file)
            .map(|e| e.1)
            .or_else(|| sha1_exception(&row.file));
        let (file, expected, reason) = (&row.file, &row.expected, &row.reason);
        eprintln!("{file}: expected {expected} ({reason}), got {}", verdict(&report));
        print_checks(&report);
        if !gives_class(&report, expected, exception) {
            failures.push(format!(
                "{file}: expected {expected} ({reason}), got {}",
                verdict(&report)
            ));
        }
    }
    assert_eq!(rows.len(), 42, "the manifest should hold 42 container rows");
    assert!(
        failures.is_empty(),
        "{} of {} corpus rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn print_checks(report: &Report) {
    for c in &report.checks {
        eprintln!("  file {:?} {:?} {}", c.code, c.result, c.detail);
    }
    for s in &report.signatures {
        eprintln!(
            "  {}: {:?}/{:?} covers {:?}",
            s.id, s.indication, s.sub_indication, s.covers
        );
    }
}

/// (file, verdict we give instead, why).
const CASE_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "asic-unsigned-file.asice",
        "TOTAL_FAILED/FORMAT_FAILURE",
        "a data file that no signature covers makes the container TOTAL_FAILED (the corpus labels \
         such containers invalid, as DigiDoc does): a reader would take the added file for signed",
    ),
    (
        "asic-mimetype-not-first.asice",
        "TOTAL_PASSED",
        "mimetype out of place is a warning: real containers that verify elsewhere (DSS, DigiDoc) \
         have it so, and it changes nothing that is signed",
    ),
    (
        "asic-mimetype-deflated.asice",
        "TOTAL_PASSED",
        "a compressed mimetype is a warning, for the same reason (valid BDOC files of the corpus \
         have one)",
    ),
];

#[test]
fn generated_container_cases() {
    let t = repo().join("testdata");
    // The container structure is the subject: validated without revocation checking (the
    // generated containers carry no revocation data).
    let setup = Setup::new(
        &[t.join("pki/rsa/root.pem"), t.join("pki/p256/root.pem")],
        &[],
        at("2026-06-01T00:00:00Z"),
    )
    .revocation_off();
    let cases = std::fs::read_to_string(t.join("xml/cases.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in cases.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, expected, why) = (cols[0], cols[2], cols[3]);
        if !file.ends_with(".asice") {
            continue;
        }
        n += 1;
        let report = setup.run(&read(&t.join("xml").join(file)), Content::None);
        let want = CASE_EXCEPTIONS.iter().find(|e| e.0 == file).map_or(expected, |e| e.1);
        eprintln!("{file}: expected {want}, got {}", verdict(&report));
        print_checks(&report);
        if !verdict(&report).starts_with(want) {
            failures.push(format!("{file}: expected {want} ({why}), got {}", verdict(&report)));
        }
    }
    assert!(n >= 11, "only {n} container cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_container_report_names_each_data_file_and_its_signatures() {
    let t = repo().join("testdata");
    // What the report says of data files is the subject: validated without revocation checking.
    let setup = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at("2026-06-01T00:00:00Z")).revocation_off();
    let report = setup.run(&read(&t.join("xml/asic-two-files.asice")), Content::None);
    assert_eq!(report.indication, Indication::TotalPassed, "{}", pretty(&report));
    let names: Vec<(&str, &[String])> = report
        .data_files
        .iter()
        .map(|f| (f.name.as_str(), f.covered_by.as_slice()))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for (name, by) in names {
        assert_eq!(by, ["S0".to_string()], "{name}");
    }
    let unsigned = setup.run(&read(&t.join("xml/asic-unsigned-file.asice")), Content::None);
    let uncovered: Vec<&str> = unsigned
        .data_files
        .iter()
        .filter(|f| f.covered_by.is_empty())
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(uncovered, ["unsigned.txt"], "{}", pretty(&unsigned));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn level_t_without_revocation_data_is_indeterminate_unless_revocation_checking_is_off() {
    let corpus = shared().join("corpus");
    let input = read(&corpus.join("asice/dd4j-signature-level-T.asice"));
    let setup = Setup::new(&[corpus.join("anchors/ee-test/")], &[], at(VALIDATION_TIME));
    let report = setup.run(&input, Content::None);
    assert_eq!(verdict(&report), "INDETERMINATE/TRY_LATER", "{}", pretty(&report));
    let off = setup.revocation_off().run(&input, Content::None);
    assert_eq!(verdict(&off), "TOTAL_PASSED", "{}", pretty(&off));
    let revocation = off.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == sigverify::verdict::CheckCode::Revocation)
        .expect("a REVOCATION check");
    assert_eq!(revocation.result, sigverify::verdict::CheckResult::NotRun);
    assert!(
        revocation
            .detail
            .contains("revocation checking switched off by request"),
        "{}",
        revocation.detail
    );
}

/// An ASiC-S time-stamp token stands as the signature of its one data file: its imprint over
/// the file, its signature and its TSA's path decide. Its TSA certificate is a trust anchor, so
/// no revocation status is needed. The same container with one byte of the data file changed
/// (and the ZIP entry's CRC mended, so that only the time-stamp can notice) fails.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn asics_time_stamp_token_is_the_signature_of_its_data_file() {
    let corpus = shared().join("corpus");
    let setup = Setup::new(&[corpus.join("anchors/ee-test/")], &[], at(VALIDATION_TIME));
    let bytes = read(&corpus.join("other/dd4j-1xTST-text-data-file.asics"));
    let report = setup.run(&bytes, Content::None);
    assert_eq!(verdict(&report), "TOTAL_PASSED", "{}", pretty(&report));
    let s = &report.signatures[0];
    assert_eq!(s.covers, vec!["test.txt".to_string()]);
    assert!(s.signer.as_ref().unwrap().subject.contains("TIMESTAMPING AUTHORITY"));
    assert!(s.best_signature_time.is_some());
    let imprint = s
        .checks
        .iter()
        .find(|c| c.code == sigverify::verdict::CheckCode::TimestampImprint);
    assert!(
        imprint.is_some_and(|c| c.detail.contains("test.txt")),
        "{}",
        pretty(&report)
    );

    let changed = change_stored_entry(&bytes, "test.txt");
    let report = setup.run(&changed, Content::None);
    assert_eq!(verdict(&report), "TOTAL_FAILED/HASH_FAILURE", "{}", pretty(&report));
}

/// The container rewritten with stored entries, the first byte of `name` flipped.
fn change_stored_entry(zip: &[u8], name: &str) -> Vec<u8> {
    use sigverify::formats::zip;
    let limits = zip::ZipLimits::default();
    let archive = zip::read(zip, &limits).unwrap();
    let entries: Vec<(String, Vec<u8>)> = archive
        .entries
        .iter()
        .map(|e| {
            let mut data = e.data(&limits).unwrap().into_owned();
            if e.name == name {
                data[0] ^= 0x01;
            }
            (e.name.clone(), data)
        })
        .collect();
    stored_zip(&entries)
}

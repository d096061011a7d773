//! DigiDoc (DDOC): every `ddoc` row of `../shared/corpus/manifest.tsv` against its expected
//! class, with the anchors the row names, validated at a fixed time in 2026 (as
//! `tests/corpus.rs`), and containers edited in the test to attack the coverage rules.
//!
//! Expected classes: valid → TOTAL_PASSED, or INDETERMINATE when the verdict needs what is not
//! evaluated yet (the embedded OCSP response, proof of existence before the certificate
//! expired or before SHA-1's sunset); invalid → TOTAL_FAILED; indeterminate → INDETERMINATE.
//! Reviewed exceptions are listed in `CORPUS_EXCEPTIONS` with the reason.

mod common;

use common::*;
use sigverify::adapters::ddoc::{is_ddoc, looks_like_ddoc, verify};
use sigverify::verdict::{CheckCode, CheckResult};
use sigverify::{Indication, Meter, Report, SubIndication};

/// (file, verdict we give instead, why).
const CORPUS_EXCEPTIONS: &[(&str, &str, &str)] = &[];

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

fn run(setup: &Setup, bytes: &[u8]) -> Report {
    let ctx = context(setup);
    let meter = Meter::new(ctx.budget, ctx.cancel);
    verify(bytes, &ctx, &meter)
}

fn show(file: &str, report: &Report) {
    eprintln!("{file}: {}", verdict(report));
    for c in &report.checks {
        eprintln!("  file {:?} {:?} {}", c.code, c.result, c.detail);
    }
    for s in &report.signatures {
        eprintln!(
            "  {}: {:?}/{:?} covers {:?}",
            s.id, s.indication, s.sub_indication, s.covers
        );
        for c in &s.checks {
            eprintln!("    {:?} {:?} {}", c.code, c.result, c.detail);
        }
    }
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_ddoc_rows() {
    let corpus = shared().join("corpus");
    let rows = corpus_rows(|format, _| format == "ddoc");
    let mut failures = Vec::new();
    for row in &rows {
        let setup = Setup::new(&row.anchors, &[], at(VALIDATION_TIME));
        let report = run(&setup, &read(&corpus.join(&row.file)));
        show(&row.file, &report);
        assert_eq!(report.format, sigverify::verdict::Format::Ddoc);
        let exception = CORPUS_EXCEPTIONS
            .iter()
            .find(|e| e.0 == row.file)
            .map(|e| e.1)
            .or_else(|| sha1_exception(&row.file));
        if !gives_class(&report, &row.expected, exception) {
            failures.push(format!(
                "{}: expected {} ({}), got {}\n{}",
                row.file,
                row.expected,
                row.reason,
                verdict(&report),
                pretty(&report)
            ));
        }
    }
    assert_eq!(rows.len(), 5, "the manifest should hold 5 ddoc rows");
    assert!(
        failures.is_empty(),
        "{} of {} corpus rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn valid_ddoc() -> String {
    String::from_utf8(read(&shared().join("corpus/ddoc/dd4j-ddoc-valid.ddoc"))).unwrap()
}

fn ee_setup() -> Setup {
    Setup::new(&[shared().join("corpus/anchors/ee-test/")], &[], at(VALIDATION_TIME))
}

fn check(r: &Report, code: CheckCode) -> Option<CheckResult> {
    r.checks.iter().find(|c| c.code == code).map(|c| c.result)
}

fn sig_check(r: &Report, code: CheckCode) -> Option<CheckResult> {
    r.signatures[0].checks.iter().find(|c| c.code == code).map(|c| c.result)
}

/// What the valid container gives: its data file, the DataFile reference and the signature
/// value verified, the signing certificate reference read from the v1.1.1 properties. The
/// SignedProperties reference verified in DigiDoc's form; INDETERMINATE overall (SHA-1 and an
/// expired signer need proof of existence, which the OCSP notary gives at a later stage).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn the_valid_container_is_described() {
    let r = run(&ee_setup(), valid_ddoc().as_bytes());
    show("valid", &r);
    assert_ne!(r.indication, Indication::TotalPassed, "{}", pretty(&r));
    assert_eq!(r.data_files.len(), 1);
    let f = &r.data_files[0];
    assert_eq!(f.name, "test.txt");
    assert_eq!(f.media_type.as_deref(), Some("text/plain"));
    assert_eq!(f.size, 15);
    assert_eq!(f.covered_by, vec!["S0".to_string()]);
    assert_eq!(check(&r, CheckCode::DataFileCoverage), Some(CheckResult::Passed));
    assert_eq!(check(&r, CheckCode::ContainerStructure), Some(CheckResult::Passed));
    assert!(d0_matches(&r), "{}", pretty(&r));
    assert_eq!(sig_check(&r, CheckCode::SignatureValue), Some(CheckResult::Passed));
    assert_eq!(
        sig_check(&r, CheckCode::SigningCertificateReference),
        Some(CheckResult::Passed)
    );
    assert_eq!(
        sig_check(&r, CheckCode::SignedAttributesWellFormed),
        Some(CheckResult::Passed)
    );
    assert_eq!(r.signatures[0].signing_time.as_deref(), Some("2018-11-23T13:31:00Z"));
}

/// Whether the signature's reference `#D0` verified.
fn d0_matches(r: &Report) -> bool {
    r.signatures[0]
        .checks
        .iter()
        .any(|c| c.code == CheckCode::MessageDigestMatch && c.detail.contains("matches the SHA-1 of the #D0"))
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_changed_data_file_fails() {
    let text = valid_ddoc().replace("c2VlIG9uIHRlc3RmYWls", "c2VlIG9uIHRlc3RmYWlt");
    let r = run(&ee_setup(), text.as_bytes());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    assert_eq!(r.signatures[0].sub_indication, Some(SubIndication::HashFailure));
    assert!(!d0_matches(&r));
    assert!(d0_matches(&run(&ee_setup(), valid_ddoc().as_bytes())));
}

fn with_second_file(id: &str) -> String {
    let extra = format!(
        "<DataFile ContentType=\"EMBEDDED_BASE64\" Filename=\"extra.txt\" Id=\"{id}\" MimeType=\"text/plain\" \
         Size=\"3\" xmlns=\"http://www.sk.ee/DigiDoc/v1.3.0#\">YWJj</DataFile>\n<Signature Id=\"S0\""
    );
    let text = valid_ddoc();
    assert!(text.contains("<Signature Id=\"S0\""));
    text.replacen("<Signature Id=\"S0\"", &extra, 1)
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn an_added_data_file_is_not_passed() {
    let r = run(&ee_setup(), with_second_file("D1").as_bytes());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    assert_eq!(check(&r, CheckCode::DataFileCoverage), Some(CheckResult::Failed));
    assert_eq!(r.data_files[1].name, "extra.txt");
    assert!(r.data_files[1].covered_by.is_empty());
    // The signature itself is as intact as in the unedited container.
    assert!(d0_matches(&r));
    assert_eq!(sig_check(&r, CheckCode::SignatureValue), Some(CheckResult::Passed));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_duplicate_data_file_id_is_a_format_failure() {
    let r = run(&ee_setup(), with_second_file("D0").as_bytes());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
    // An Id repeated on another element than a DataFile is caught by the signature's reader.
    let text = valid_ddoc().replacen("<SignatureValue Id=\"S0-SIG\">", "<SignatureValue Id=\"D0\">", 1);
    let r = run(&ee_setup(), text.as_bytes());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    assert_eq!(r.sub_indication, Some(SubIndication::FormatFailure));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_doctype_is_a_format_failure() {
    let text = valid_ddoc().replacen(
        "<SignedDoc ",
        "<!DOCTYPE SignedDoc [<!ENTITY x \"y\">]>\n<SignedDoc ",
        1,
    );
    let r = run(&ee_setup(), text.as_bytes());
    assert_eq!(
        verdict(&r).split(' ').next(),
        Some("TOTAL_FAILED/FORMAT_FAILURE"),
        "{}",
        pretty(&r)
    );
    assert!(r.signatures.is_empty());
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn hashcode_and_detached_files_are_not_verified() {
    for kind in ["HASHCODE", "DETACHED"] {
        let text = valid_ddoc()
            .replacen("ContentType=\"EMBEDDED_BASE64\"", &format!("ContentType=\"{kind}\""), 1)
            .replacen("c2VlIG9uIHRlc3RmYWls", "", 1);
        let r = run(&ee_setup(), text.as_bytes());
        // The content is not in the file: INDETERMINATE, never a hash failure or a pass.
        assert_eq!(r.indication, Indication::Indeterminate, "{kind}: {}", pretty(&r));
        assert_eq!(check(&r, CheckCode::SignedDataFound), Some(CheckResult::NotRun));
        let s = &r.signatures[0].checks;
        let found = s.iter().find(|c| c.code == CheckCode::SignedDataFound).unwrap();
        assert_eq!(found.result, CheckResult::NotRun, "{kind}");
        assert!(
            found.detail.contains("is not in the container"),
            "{kind}: {}",
            found.detail
        );
        assert!(!d0_matches(&r), "{kind}: #D0 is not digested");
        assert_eq!(r.data_files[0].size, 15, "{kind}: the declared Size");
    }
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn unknown_formats_and_versions_are_format_failures() {
    let cases = [
        ("format=\"DIGIDOC-XML\"", "format=\"OTHER\""),
        ("version=\"1.3\"", "version=\"1.4\""),
        ("version=\"1.3\"", "version=\"1.2\""),
        ("Filename=\"test.txt\" ", ""),
        ("Size=\"15\"", "Size=\"fifteen\""),
        ("c2VlIG9uIHRlc3RmYWls", "c2VlIG9u@HRlc3RmYWls"),
    ];
    for (from, to) in cases {
        let text = valid_ddoc().replacen(from, to, 1);
        assert_ne!(text, valid_ddoc());
        let r = run(&ee_setup(), text.as_bytes());
        assert_eq!(
            (r.indication, r.sub_indication),
            (Indication::TotalFailed, Some(SubIndication::FormatFailure)),
            "{to}: {}",
            pretty(&r)
        );
    }
    let text = valid_ddoc().replacen("format=\"DIGIDOC-XML\"", "format=\"SK-XML\"", 1);
    let r = run(&ee_setup(), text.as_bytes());
    assert_eq!(r.sub_indication, Some(SubIndication::FormatNotSupported));
}

/// Size is signed metadata: a different one breaks the signature; on a container signed that
/// way it would be a warning only (the content, as signed, is reported).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_size_that_differs_is_signed_and_reported() {
    let text = valid_ddoc().replacen("Size=\"15\"", "Size=\"16\"", 1);
    let r = run(&ee_setup(), text.as_bytes());
    assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    assert_eq!(check(&r, CheckCode::ContainerStructure), Some(CheckResult::Warning));
    assert_eq!(r.data_files[0].size, 15);
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn elements_out_of_place_are_format_failures() {
    let cases = [
        // A signature nested in a data file's place.
        (
            "</SignedDoc>",
            "<DataFile Id=\"D9\" Filename=\"late\" ContentType=\"EMBEDDED_BASE64\" xmlns=\"http://www.sk.ee/DigiDoc/v1.3.0#\">YQ==</DataFile></SignedDoc>",
        ),
        ("</SignedDoc>", "<Other/></SignedDoc>"),
        ("</SignedDoc>", "stray text</SignedDoc>"),
    ];
    for (from, to) in cases {
        let text = valid_ddoc().replacen(from, to, 1);
        let r = run(&ee_setup(), text.as_bytes());
        assert_eq!(
            verdict(&r).split(' ').next(),
            Some("TOTAL_FAILED/FORMAT_FAILURE"),
            "{to}"
        );
    }
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn sniffing() {
    let text = valid_ddoc();
    assert!(looks_like_ddoc(&text));
    assert!(looks_like_ddoc(&format!(
        "\u{feff}<!-- c -->\n<?pi x?>{}",
        &text[text.find("<SignedDoc").unwrap()..]
    )));
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(is_ddoc(&doc));
    for other in [
        "<SignedDoc format=\"XADES\"/>",
        "<Other format=\"DIGIDOC-XML\"/>",
        "",
        "<",
        "<!--",
        "<?xml",
    ] {
        assert!(!looks_like_ddoc(other), "{other}");
    }
    assert!(looks_like_ddoc("<d:SignedDoc format='DIGIDOC-XML' xmlns:d='x'/>"));
}

#[test]
fn hostile_bytes_give_a_verdict() {
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    for input in [
        &b""[..],
        b"\xff\xfe",
        b"<SignedDoc format=\"DIGIDOC-XML\" version=\"1.3\"/>",
        b"<SignedDoc format=\"DIGIDOC-XML\" version=\"1.3\" xmlns=\"http://www.sk.ee/DigiDoc/v1.3.0#\"/>",
        b"<SignedDoc format=\"DIGIDOC-XML\" version=\"1.1\"><DataFile Id=\"D0\" Filename=\"a\" ContentType=\"EMBEDDED_BASE64\">YQ==</DataFile></SignedDoc>",
    ] {
        let r = run(&setup, input);
        assert_eq!(r.indication, Indication::TotalFailed, "{}", pretty(&r));
    }
}

/// DigiDoc's SignedProperties digest (the element's own text, without its inherited
/// namespace) is accepted, and said so; through `sigverify::verify`, the file is a DDOC.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn digidoc_signed_properties_form_through_verify() {
    let corpus = shared().join("corpus");
    let setup = Setup::new(&[corpus.join("anchors/ee-test/")], &[], at(VALIDATION_TIME));
    let report = setup.run(
        &read(&corpus.join("ddoc/dd4j-ddoc-valid.ddoc")),
        sigverify::Content::None,
    );
    assert_eq!(report.format, sigverify::Format::Ddoc);
    let s = &report.signatures[0];
    assert_ne!(
        s.sub_indication,
        Some(SubIndication::HashFailure),
        "{}",
        pretty(&report)
    );
    let text = serde_json::to_string(&report).unwrap();
    assert!(text.contains("as DigiDoc writes it"), "{}", pretty(&report));
    assert_eq!(report.indication, Indication::Indeterminate, "{}", pretty(&report));
}

/// The DigiDoc form still covers every byte of the properties: a changed SigningTime fails.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn changed_signed_properties_fail_in_either_form() {
    let corpus = shared().join("corpus");
    let setup = Setup::new(&[corpus.join("anchors/ee-test/")], &[], at(VALIDATION_TIME));
    let text = std::fs::read_to_string(corpus.join("ddoc/dd4j-ddoc-valid.ddoc")).unwrap();
    assert!(text.contains("2018-11-23T13:31:00Z"));
    let changed = text.replace("2018-11-23T13:31:00Z", "2018-11-22T13:31:00Z");
    let report = setup.run(changed.as_bytes(), sigverify::Content::None);
    assert_eq!(verdict(&report), "TOTAL_FAILED/HASH_FAILURE", "{}", pretty(&report));
}

/// A DigiDoc container whose signatures were all removed is not a signed document.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_ddoc_without_signatures_does_not_pass() {
    let text = valid_ddoc();
    let start = text.find("<Signature Id=\"S0\"").unwrap();
    let end = text.find("</Signature>").unwrap() + "</Signature>".len();
    let stripped = format!("{}{}", &text[..start], &text[end..]);
    let r = run(&ee_setup(), stripped.as_bytes());
    assert!(r.signatures.is_empty(), "{}", pretty(&r));
    assert_eq!(verdict(&r), "TOTAL_FAILED/FORMAT_FAILURE", "{}", pretty(&r));
}

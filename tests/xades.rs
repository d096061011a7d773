//! XML-DSig and XAdES: every `xades` and `xades-detached` row of
//! `../shared/corpus/manifest.tsv` against its expected class, with the anchors the row names,
//! validated at a fixed time in 2026 (as `tests/corpus.rs`).
//!
//! Expected classes: valid → TOTAL_PASSED, or INDETERMINATE when the chain or time needs
//! revocation or time-stamp evaluation (not done yet); invalid → TOTAL_FAILED; indeterminate →
//! INDETERMINATE. Reviewed exceptions are listed in `CORPUS_EXCEPTIONS` with the reason.

mod common;

use common::*;
use sigverify::adapters::xades::{External, verify_xml};
use sigverify::{Content, Indication, Meter, Report};

/// (file, verdict we give instead, why).
const CORPUS_EXCEPTIONS: &[(&str, &str, &str)] = &[];

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

fn run(setup: &Setup, bytes: &[u8], external: External<'_>) -> Report {
    let ctx = context(setup);
    let meter = Meter::new(ctx.budget, ctx.cancel);
    verify_xml(bytes, external, &ctx, &meter)
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_xades_rows() {
    let corpus = shared().join("corpus");
    let rows = corpus_rows(|format, _| format == "xades" || format == "xades-detached");
    let mut failures = Vec::new();
    for row in &rows {
        let setup = Setup::new(&row.anchors, &[], at(VALIDATION_TIME));
        let content = row
            .notes
            .split("Detached content: ")
            .nth(1)
            .map(|rest| rest.split_whitespace().next().unwrap().trim_end_matches('.'))
            .map(|p| read(&corpus.join(p)));
        let (file, expected, reason) = (&row.file, &row.expected, &row.reason);
        assert_eq!(
            row.format == "xades-detached",
            content.is_some(),
            "{file}: detached content not found in notes"
        );
        let external = match &content {
            Some(c) => External::Content(Content::Data(c)),
            None => External::None,
        };
        let report = run(&setup, &read(&corpus.join(file)), external);
        let exception = CORPUS_EXCEPTIONS
            .iter()
            .find(|e| e.0 == file)
            .map(|e| e.1)
            .or_else(|| sha1_exception(file));
        eprintln!("{file}: expected {expected} ({reason}), got {}", verdict(&report));
        for s in &report.signatures {
            eprintln!(
                "  {}: {:?}/{:?} covers {:?}",
                s.id, s.indication, s.sub_indication, s.covers
            );
            for c in &s.checks {
                eprintln!("    {:?} {:?} {}", c.code, c.result, c.detail);
            }
        }
        if !gives_class(&report, expected, exception) {
            failures.push(format!(
                "{file}: expected {expected} ({reason}), got {}\n{}",
                verdict(&report),
                serde_json::to_string_pretty(&report).unwrap()
            ));
        }
    }
    assert_eq!(rows.len(), 11, "the manifest should hold 11 xades/xades-detached rows");
    assert!(
        failures.is_empty(),
        "{} of {} corpus rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

const CASES_TIME: &str = "2026-06-01T00:00:00Z";

/// (file, indication we give instead, why).
const CASE_EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "sibling-ref-id.xml",
    "INDETERMINATE",
    "the signature covers only doc:Payment, an element inside the document, not the document: \
     a standalone XML signature must cover the whole document, its document element, an Object of \
     its own or detached data (the wrapping defence of adapters::xades); what it signs is intact \
     (MESSAGE_DIGEST_MATCH and SIGNATURE_VALUE pass) but the verdict is SIGNED_DATA_NOT_FOUND",
)];

/// The generated XML cases: about references, transforms and formats, and carrying no
/// revocation data, so validated without revocation checking.
fn pki_setup() -> Setup {
    let pki = repo().join("testdata/pki");
    let roots: Vec<_> = ["rsa", "p256", "p384", "pss"]
        .iter()
        .map(|d| pki.join(d).join("root.pem"))
        .collect();
    Setup::new(&roots, &[], at(CASES_TIME)).revocation_off()
}

fn xml_case(file: &str) -> Vec<u8> {
    read(&repo().join("testdata/xml").join(file))
}

fn b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// Every XML row of `testdata/xml/cases.tsv` (files made with xmlsec1 from the test PKI) gives
/// its expected indication; the ASiC rows belong to the container adapter.
#[test]
fn generated_xml_cases() {
    let cases = std::fs::read_to_string(repo().join("testdata/xml/cases.tsv")).unwrap();
    let setup = pki_setup();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in cases.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, detached, expected, why) = (cols[0], cols[1], cols[2], cols[3]);
        if !file.ends_with(".xml") {
            continue;
        }
        n += 1;
        let data = (detached != "-" && !detached.starts_with("hash:")).then(|| xml_case(detached));
        let digest = detached.strip_prefix("hash:SHA-256:").map(b64);
        let content = match (&data, &digest) {
            (Some(d), _) => Content::Data(d),
            (None, Some(h)) => Content::Digest {
                alg: sigverify::HashAlg::Sha256,
                value: h,
            },
            _ => Content::None,
        };
        let external = match content {
            Content::None => External::None,
            c => External::Content(c),
        };
        let report = run(&setup, &xml_case(file), external);
        eprintln!("{file} [{detached}]: expected {expected}, got {}", verdict(&report));
        let want = CASE_EXCEPTIONS.iter().find(|e| e.0 == file).map_or(expected, |e| e.1);
        if report.indication.as_str() != want {
            failures.push(format!(
                "{file} [{detached}]: expected {expected} ({why}), got {}\n{}",
                verdict(&report),
                serde_json::to_string_pretty(&report).unwrap()
            ));
        }
    }
    assert!(n >= 29, "only {n} XML cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn detail_of(r: &Report, code: sigverify::verdict::CheckCode) -> String {
    r.signatures[0]
        .checks
        .iter()
        .filter(|c| c.code == code)
        .map(|c| c.detail.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn case(file: &str, external: External<'_>) -> Report {
    run(&pki_setup(), &xml_case(file), external)
}

#[test]
fn valid_enveloped_signature_reports_what_it_covers() {
    let r = case("enveloped-rsa.xml", External::None);
    assert_eq!(verdict(&r), "TOTAL_PASSED");
    let covers = &r.signatures[0].covers;
    assert_eq!(covers.len(), 2, "{covers:?}");
    assert_eq!(covers[0], "");
    assert!(covers[1].contains("SignedProperties"), "{covers:?}");
}

#[test]
fn duplicate_ids_are_a_format_failure() {
    for file in ["xsw-duplicate-id.xml", "xsw-object-wrapper.xml"] {
        let r = case(file, External::None);
        assert!(
            verdict(&r).starts_with("TOTAL_FAILED/FORMAT_FAILURE"),
            "{file}: {}",
            verdict(&r)
        );
        assert!(
            detail_of(&r, sigverify::verdict::CheckCode::FormatParsed).contains("more than one element"),
            "{file}"
        );
    }
}

#[test]
fn key_substitution_is_caught_by_the_signing_certificate_reference() {
    let r = case("key-substitution.xml", External::None);
    assert!(
        verdict(&r).starts_with("INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND"),
        "{}",
        verdict(&r)
    );
    assert!(detail_of(&r, sigverify::verdict::CheckCode::SigningCertificateReference).contains("another certificate"));
}

#[test]
fn xslt_is_never_run_and_hmac_is_refused() {
    let r = case("xslt-transform.xml", External::None);
    assert_eq!(r.indication, Indication::Indeterminate);
    assert!(
        detail_of(&r, sigverify::verdict::CheckCode::SignedDataFound).contains("XSLT transforms are never executed")
    );
    let r = case("alg-hmac-sha1.xml", External::None);
    assert!(
        verdict(&r).starts_with("TOTAL_FAILED/FORMAT_FAILURE"),
        "{}",
        verdict(&r)
    );
    assert!(detail_of(&r, sigverify::verdict::CheckCode::AlgorithmSupported).contains("HMAC"));
}

#[test]
fn msign_hash_mode_matched_mismatched_and_wrong_algorithm() {
    let document = xml_case("msign-document.txt");
    let sha256 = sigverify::HashAlg::Sha256.digest(&document);
    let digest = |alg, value| External::Content(Content::Digest { alg, value });
    let r = case("msign-hash.xml", digest(sigverify::HashAlg::Sha256, &sha256));
    assert_eq!(verdict(&r), "TOTAL_PASSED");
    assert!(detail_of(&r, sigverify::verdict::CheckCode::SignedDataFound).contains("given as its digest"));
    let other = sigverify::HashAlg::Sha256.digest(b"other content");
    let r = case("msign-hash.xml", digest(sigverify::HashAlg::Sha256, &other));
    assert!(verdict(&r).starts_with("TOTAL_FAILED/HASH_FAILURE"), "{}", verdict(&r));
    let sha512 = sigverify::HashAlg::Sha512.digest(&document);
    let r = case("msign-hash.xml", digest(sigverify::HashAlg::Sha512, &sha512));
    assert!(
        verdict(&r).starts_with("INDETERMINATE/SIGNED_DATA_NOT_FOUND"),
        "{}",
        verdict(&r)
    );
    assert!(detail_of(&r, sigverify::verdict::CheckCode::SignedDataFound).contains("the given hash is SHA-512"));
    let r = case("msign-hash.xml", External::None);
    assert!(
        verdict(&r).starts_with("INDETERMINATE/SIGNED_DATA_NOT_FOUND"),
        "{}",
        verdict(&r)
    );
}

#[test]
fn named_external_files_resolve_by_name_only() {
    let hello = xml_case("hello.txt");
    let files = [("hello.txt".to_string(), &hello[..])];
    assert_eq!(
        verdict(&case("detached-rsa.xml", External::Named(&files))),
        "TOTAL_PASSED"
    );
    let wrong = [("other.txt".to_string(), &hello[..])];
    let r = case("detached-rsa.xml", External::Named(&wrong));
    // The signature's data is not found; the file given is covered by nothing.
    let s = &r.signatures[0];
    assert_eq!(s.indication, Indication::Indeterminate, "{}", verdict(&r));
    assert_eq!(s.sub_indication, Some(sigverify::SubIndication::SignedDataNotFound));
    assert_eq!(verdict(&r), "TOTAL_FAILED/FORMAT_FAILURE");
    let changed = [("hello.txt".to_string(), &b"changed"[..])];
    let r = case("detached-rsa.xml", External::Named(&changed));
    assert!(verdict(&r).starts_with("TOTAL_FAILED/HASH_FAILURE"), "{}", verdict(&r));
}

#[test]
fn a_signature_over_an_inner_element_only_is_not_passed() {
    let r = case("sibling-ref-id.xml", External::None);
    assert!(
        verdict(&r).starts_with("INDETERMINATE/SIGNED_DATA_NOT_FOUND"),
        "{}",
        verdict(&r)
    );
    assert!(detail_of(&r, sigverify::verdict::CheckCode::SignedDataFound).contains("only a part of the document"));
    assert!(
        r.signatures[0]
            .checks
            .iter()
            .any(|c| c.code == sigverify::verdict::CheckCode::SignatureValue
                && c.result == sigverify::verdict::CheckResult::Passed)
    );
}

#[test]
fn bad_input_gives_a_verdict() {
    let setup = pki_setup();
    for (bytes, what) in [
        (&b"\xff\xfe<a/>"[..], "not UTF-8"),
        (b"<a><b></a>", "malformed"),
        (b"<a/>", "no signature"),
        (b"", "empty"),
        (b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "DTD"),
    ] {
        let r = run(&setup, bytes, External::None);
        assert!(
            verdict(&r).starts_with("TOTAL_FAILED/FORMAT_FAILURE"),
            "{what}: {}",
            verdict(&r)
        );
    }
    let many = format!(
        "<a>{}</a>",
        "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>".repeat(101)
    );
    let r = run(&setup, many.as_bytes(), External::None);
    assert!(
        verdict(&r).starts_with("TOTAL_FAILED/FORMAT_FAILURE"),
        "{}",
        verdict(&r)
    );
    let empty_sig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
    let r = run(&setup, empty_sig.as_bytes(), External::None);
    assert!(
        verdict(&r).starts_with("TOTAL_FAILED/FORMAT_FAILURE"),
        "{}",
        verdict(&r)
    );
}

#[test]
fn a_second_broken_signature_is_judged_on_its_own() {
    let r = case("second-signature-broken.xml", External::None);
    use sigverify::verdict::{CheckCode, CheckResult};
    assert_eq!(r.signatures.len(), 2);
    // Both cover only doc:Payment (INDETERMINATE by the coverage rule); the first verifies.
    let value = |i: usize| {
        r.signatures[i]
            .checks
            .iter()
            .find(|c| c.code == CheckCode::SignatureValue)
            .map(|c| c.result)
    };
    assert_eq!(value(0), Some(CheckResult::Passed));
    assert_eq!(r.signatures[0].indication, Indication::Indeterminate);
    assert_eq!(value(1), Some(CheckResult::Failed));
    assert_eq!(r.signatures[1].indication, Indication::TotalFailed);
}

/// The XAdES signature time-stamp covers the canonical SignatureValue element (the corpus's
/// own check says imprint_ok=True).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn xades_timestamp_imprint_is_over_the_signature_value_element() {
    use sigverify::verdict::{CheckCode, CheckResult};
    let corpus = shared().join("corpus");
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    let r = run(
        &setup,
        &read(&corpus.join("xades/dss-xades-lta-valid.xml")),
        External::None,
    );
    let ts = r.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == CheckCode::TimestampImprint)
        .unwrap();
    assert_eq!(ts.result, CheckResult::Passed, "{}", ts.detail);
}

/// A named file the caller gives is one it takes for signed: every signature must cover it.
#[test]
fn every_named_file_given_must_be_covered() {
    let setup = pki_setup();
    let xml = xml_case("detached-rsa.xml");
    let hello = xml_case("hello.txt");
    let other = xml_case("msign-document.txt");
    let one = [("hello.txt".to_string(), hello.as_slice())];
    let report = run(&setup, &xml, External::Named(&one));
    assert_eq!(verdict(&report), "TOTAL_PASSED", "{}", pretty(&report));
    assert_eq!(report.data_files[0].covered_by, ["S0".to_string()]);
    let two = [
        ("hello.txt".to_string(), hello.as_slice()),
        ("msign-document.txt".to_string(), other.as_slice()),
    ];
    let report = run(&setup, &xml, External::Named(&two));
    assert_eq!(verdict(&report), "TOTAL_FAILED/FORMAT_FAILURE", "{}", pretty(&report));
    assert!(report.data_files[1].covered_by.is_empty());
}

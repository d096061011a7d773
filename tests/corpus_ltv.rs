//! Long-term validation on real files: the corpus rows labelled under a policy that accepts
//! SHA-1 without a sunset (`common::SHA1_LABELLED`) give their label under
//! `testdata/policy/sha1-no-sunset.toml`, and each valid one does so only through a proof of
//! existence: its signer certificate has expired by the validation time, the report names the
//! best signature time, and the same file with proofs of existence refused is not passed.

mod common;

use common::*;
use sigverify::{Content, Indication, Report};

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

/// The row's file verified with its anchors (plus `extra` sets) under `policy`.
fn run_row(row: &CorpusRow, extra: &[&str], policy: sigverify::Policy) -> Report {
    let corpus = shared().join("corpus");
    let mut anchors = row.anchors.clone();
    anchors.extend(extra.iter().map(|a| corpus.join(a)));
    let mut setup = Setup::new(&anchors, &[], at(VALIDATION_TIME));
    setup.policy = policy;
    let content = row
        .notes
        .split("Detached content: ")
        .nth(1)
        .map(|rest| rest.split_whitespace().next().unwrap().trim_end_matches('.'))
        .map(|p| read(&corpus.join(p)));
    let bytes = read(&corpus.join(&row.file));
    match &content {
        Some(c) => setup.run(&bytes, Content::Data(c)),
        None => setup.run(&bytes, Content::None),
    }
}

fn row(file: &str) -> CorpusRow {
    let mut rows = corpus_rows(|_, f| f == file);
    assert_eq!(rows.len(), 1, "{file} is not a corpus row");
    rows.remove(0)
}

/// Every signature of a valid file passed through a proof of existence, after its signer
/// certificate expired (document time-stamps are proofs themselves).
fn assert_proved_by_existence(file: &str, report: &Report) {
    use sigverify::verdict::PdfSignatureKind;
    let now = at(VALIDATION_TIME);
    let signatures = report.signatures.iter();
    for s in signatures.filter(|s| {
        s.pdf
            .as_ref()
            .is_none_or(|p| p.kind != PdfSignatureKind::DocumentTimestamp)
    }) {
        let signer = s
            .signer
            .as_ref()
            .unwrap_or_else(|| panic!("{file} {}: no signer", s.id));
        let expired = sigverify::UnixTime::parse_rfc3339(&signer.not_after).unwrap() < now;
        assert!(expired, "{file} {}: the signer certificate has not expired", s.id);
        let best = s.best_signature_time.as_deref();
        assert!(best.is_some(), "{file} {}: no best signature time", s.id);
        let poe = s.checks.iter().find(|c| c.code.as_str() == "PROOF_OF_EXISTENCE");
        assert!(
            poe.is_some_and(|c| c.result == sigverify::verdict::CheckResult::Passed),
            "{file} {}: no passed PROOF_OF_EXISTENCE\n{}",
            s.id,
            pretty(report)
        );
    }
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn sha1_labelled_rows_give_their_label_under_the_source_policy() {
    let mut failures = Vec::new();
    for (file, label) in SHA1_LABELLED {
        let row = row(file);
        assert_eq!(row.expected, *label, "{file}: the manifest label changed");
        let report = run_row(&row, &[], sha1_no_sunset_policy());
        eprintln!("{file}: {}", verdict(&report));
        if !gives_class(&report, label, None) {
            failures.push(format!(
                "{file}: expected {label}, got {}\n{}",
                verdict(&report),
                pretty(&report)
            ));
            continue;
        }
        if *label == "valid" {
            assert_proved_by_existence(file, &report);
        }
        if *file == "pades/dd4j-hellopades-pades-lt-sha256-sign.pdf" {
            // A signature time-stamp, the DSS's OCSP responses, then a document time-stamp.
            let level = report.signatures[0].level;
            assert_eq!(level, Some(sigverify::verdict::SignatureLevel::BLta), "{file}");
        }
        let default = run_row(&row, &[], sigverify::Policy::default_policy());
        assert_eq!(
            default.indication,
            Indication::Indeterminate,
            "{file} under the default policy"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_time_stamp_by_the_production_tsa_passes_with_its_anchor() {
    let row = row("asice/dd4j-test.asice");
    let without = run_row(&row, &[], sha1_no_sunset_policy());
    assert_eq!(without.indication, Indication::Indeterminate, "{}", pretty(&without));
    let with = run_row(&row, &["anchors/ee-prod"], sha1_no_sunset_policy());
    assert_eq!(with.indication, Indication::TotalPassed, "{}", pretty(&with));
    assert_proved_by_existence(&row.file, &with);
}

/// With expired TSA certificates refused, the LT rows whose TSA certificate expired before the
/// validation time lose their proof of existence: the time-stamp's TSA is what proved them.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn refusing_expired_tsa_certificates_takes_the_proof_away() {
    for file in ["asice/dd4j-valid-asice.asice", "other/ldp-test.asics"] {
        let row = row(file);
        let passed = run_row(&row, &[], sigverify::Policy::default_policy());
        assert_eq!(
            passed.indication,
            Indication::TotalPassed,
            "{file}\n{}",
            pretty(&passed)
        );
        let strict = sigverify::Policy::from_toml(
            &std::fs::read_to_string(repo().join("policy/default.toml"))
                .unwrap()
                .replace("accept_expired_tsa = true", "accept_expired_tsa = false"),
        )
        .unwrap();
        let refused = run_row(&row, &[], strict);
        assert_eq!(
            refused.indication,
            Indication::Indeterminate,
            "{file}\n{}",
            pretty(&refused)
        );
    }
}

/// The level names the evidence that was validated: a time-stamp, embedded revocation data and
/// a valid archive time-stamp (B-LTA), a time-stamp and embedded revocation data (B-LT), a
/// time-stamp alone (B-T), an OCSP time-mark (TM), nothing (B-B).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn levels_name_the_evidence_that_was_validated() {
    use sigverify::verdict::SignatureLevel as L;
    for (file, level, by) in [
        (
            "asice/dd4j-valid-asice.asice",
            L::BLt,
            Some("time-stamp by 'CN=DEMO of SK TSA 2014"),
        ),
        ("asice/dd4j-signature-level-T.asice", L::BT, Some("time-stamp by")),
        ("asice/dd4j-valid-asice-lta.asice", L::BLta, Some("time-stamp by")),
        (
            "bdoc/dd4j-valid_prod_bdoc_eid.bdoc",
            L::Tm,
            Some("OCSP time-mark by 'EMAILADDRESS=pki@sk.ee,CN=SK OCSP RESPONDER 2011"),
        ),
        ("cms/mid-swisscom-mobileid-2015.p7s", L::BB, None),
    ] {
        let row = row(file);
        let report = run_row(&row, &[], sigverify::Policy::default_policy());
        let s = &report.signatures[0];
        assert_eq!(s.level, Some(level), "{file}\n{}", pretty(&report));
        match by {
            Some(by) => {
                let got = s.best_signature_time_by.as_deref().unwrap_or_default();
                assert!(got.starts_with(by), "{file}: {got}");
                assert!(s.best_signature_time.is_some(), "{file}");
            }
            None => assert_eq!(s.best_signature_time, None, "{file}"),
        }
    }
}

/// The TIMESTAMP_IMPRINT check of a signature report (signature and archive time-stamps
/// merged under one code).
fn imprint(s: &sigverify::verdict::SignatureReport) -> &sigverify::verdict::Check {
    s.checks
        .iter()
        .find(|c| c.code.as_str() == "TIMESTAMP_IMPRINT")
        .expect("a TIMESTAMP_IMPRINT check")
}

/// A XAdES archive time-stamp is evaluated: its imprint covers the references' data,
/// SignedInfo, SignatureValue, KeyInfo, the unsigned properties before it and the other
/// ds:Objects, and a valid one makes a B-LT signature B-LTA.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn archive_time_stamps_are_evaluated() {
    let row = row("asice/dd4j-valid-asice-lta.asice");
    let report = run_row(&row, &[], sigverify::Policy::default_policy());
    let s = &report.signatures[0];
    assert_eq!(
        s.level,
        Some(sigverify::verdict::SignatureLevel::BLta),
        "{}",
        pretty(&report)
    );
    let c = imprint(s);
    assert_eq!(c.result, sigverify::verdict::CheckResult::Passed, "{}", pretty(&report));
    assert!(
        c.detail
            .contains("(archive time-stamp) (a proof of existence at its genTime)"),
        "{}",
        c.detail
    );
    let noted = s
        .checks
        .iter()
        .any(|c| c.detail.contains("not evaluated") && c.detail.contains("ArchiveTimeStamp"));
    assert!(!noted, "{}", pretty(&report));

    // A referenced ds:Object with a base64 transform; no anchor for the TSA: the imprint
    // still matches.
    let bytes = read(&shared().join("corpus/xades/dss-xades-lta-valid.xml"));
    let report = Setup::new(&[], &[], at(VALIDATION_TIME)).run(&bytes, Content::None);
    let c = imprint(&report.signatures[0]);
    assert_eq!(c.result, sigverify::verdict::CheckResult::Passed, "{}", pretty(&report));
    assert!(c.detail.contains("(archive time-stamp)"), "{}", c.detail);
}

/// An unsigned property before the archive time-stamp changed (the Id of the
/// SignatureTimeStamp, which nothing else covers): the archive time-stamp's imprint fails
/// without effect and gives no proof, the level is B-LT, and the signature still passes.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn an_archive_time_stamp_over_changed_properties_gives_no_proof() {
    use sigverify::formats::zip;
    let row = row("asice/dd4j-valid-asice-lta.asice");
    let bytes = read(&shared().join("corpus").join(&row.file));
    let limits = zip::ZipLimits::default();
    let archive = zip::read(&bytes, &limits).unwrap();
    let (from, to) = (
        "SignatureTimeStamp Id=\"TS-105dbafd",
        "SignatureTimeStamp Id=\"TS-105dbafe",
    );
    let entries: Vec<(String, Vec<u8>)> = archive
        .entries
        .iter()
        .map(|e| {
            let data = e.data(&limits).unwrap().into_owned();
            if e.name == "META-INF/signatures1.xml" {
                let text = String::from_utf8(data).unwrap();
                assert_eq!(text.matches(from).count(), 1);
                (e.name.clone(), text.replace(from, to).into_bytes())
            } else {
                (e.name.clone(), data)
            }
        })
        .collect();
    let changed = stored_zip(&entries);
    let report = Setup::new(&row.anchors, &[], at(VALIDATION_TIME)).run(&changed, Content::None);
    assert_eq!(verdict(&report), "TOTAL_PASSED", "{}", pretty(&report));
    let s = &report.signatures[0];
    assert_eq!(
        s.level,
        Some(sigverify::verdict::SignatureLevel::BLt),
        "{}",
        pretty(&report)
    );
    let c = imprint(s);
    assert_eq!(c.result, sigverify::verdict::CheckResult::Failed, "{}", pretty(&report));
    assert_eq!(c.sub_indication, None, "{}", pretty(&report));
    assert!(
        c.detail.contains("(archive time-stamp) (no proof of existence)"),
        "{}",
        c.detail
    );
    // The signature time-stamp, which the change does not touch, still proves existence.
    assert!(
        c.detail
            .contains("covers this signature value (a proof of existence at its genTime)"),
        "{}",
        c.detail
    );
    let by = s.best_signature_time_by.as_deref().unwrap_or_default();
    assert!(by.starts_with("time-stamp by"), "{by}");
}

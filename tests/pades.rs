//! PDF signatures through `sigverify::verify`: every row of `testdata/pdf/cases.tsv` (made by
//! `testdata/pdf/generate.py`) gives its expected indication, each attack fails for its own
//! reason (the check that catches it, not merely some failure), the valid files are described
//! correctly (kind, revision covered, signer), and single-byte mutations of a valid file are
//! refused.
//!
//! Validation time 2026-06-01T00:00:00Z, anchors `testdata/pki/{rsa,p256}/root.pem`, default
//! policy, as `testdata/pdf/README.md` defines the cases.

mod common;

use std::path::PathBuf;

use common::*;
use sigverify::verdict::{CheckResult, PdfSignatureKind, SignatureReport};
use sigverify::{Content, Indication, Report, SubIndication};

const VALIDATION_TIME: &str = "2026-06-01T00:00:00Z";

fn dir() -> PathBuf {
    repo().join("testdata/pdf")
}

/// The PDF cases are about byte ranges, revisions and changes, and carry no revocation data:
/// validated without revocation checking.
fn setup() -> Setup {
    let t = repo().join("testdata/pki");
    Setup::new(
        &[t.join("rsa/root.pem"), t.join("p256/root.pem")],
        &[],
        at(VALIDATION_TIME),
    )
    .revocation_off()
}

/// The rows of `cases.tsv`: (file, expected indication, why), read by the header's names.
fn cases() -> Vec<(String, String, String)> {
    let table = std::fs::read_to_string(dir().join("cases.tsv")).unwrap();
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, expected, why) = (col("file"), col("expected"), col("why"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), header.len(), "bad row: {l}");
            (
                cols[file].to_string(),
                cols[expected].to_string(),
                cols[why].to_string(),
            )
        })
        .collect()
}

fn run(file: &str) -> Report {
    setup().run(&read(&dir().join(file)), Content::None)
}

fn result(checks: &[sigverify::verdict::Check], code: &str) -> Option<CheckResult> {
    result_of_code(checks, code)
}

fn failed(checks: &[sigverify::verdict::Check], code: &str) -> bool {
    result(checks, code) == Some(CheckResult::Failed)
}

/// One line per signature, for assertion messages.
fn summary(r: &Report) -> String {
    let mut out = format!("{} file-failed={:?}", verdict(r), failed_codes(&r.checks));
    for s in &r.signatures {
        out.push_str(&format!(
            "\n  {} {}/{} failed={:?}",
            s.id,
            s.indication.as_str(),
            s.sub_indication.map_or("-", |x| x.as_str()),
            failed_codes(&s.checks)
        ));
        for c in s.checks.iter().filter(|c| c.result == CheckResult::Failed) {
            out.push_str(&format!("\n    {}: {}", c.code.as_str(), c.detail));
        }
    }
    out
}

#[test]
fn every_case_gives_its_indication() {
    let rows = cases();
    assert!(rows.len() >= 29, "only {} rows in cases.tsv", rows.len());
    let mut failures = Vec::new();
    for (file, expected, why) in &rows {
        let report = run(file);
        eprintln!("{file}: expected {expected}, got {}", verdict(&report));
        if report.indication.as_str() != expected {
            failures.push(format!("{file}: expected {expected} ({why}), got {}", summary(&report)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// What an attack file must show beyond its indication: the check that catches it.
fn reason_holds(file: &str, r: &Report) -> Result<(), String> {
    let sigs = &r.signatures;
    if file.starts_with("byterange-") || file == "usf-byterange-zero-valid-cms.pdf" {
        // The CMS alone would accept these: its signature value verifies over the range.
        let caught = sigs.iter().any(|s| {
            failed(&s.checks, "BYTE_RANGE") && result(&s.checks, "SIGNATURE_VALUE") == Some(CheckResult::Passed)
        });
        return if caught {
            Ok(())
        } else {
            Err("no signature with BYTE_RANGE failed and SIGNATURE_VALUE passed".into())
        };
    }
    if (file.starts_with("shadow-") && file != "shadow-hide-signed.pdf") || file == "certified-p1-form-fill.pdf" {
        return first_signature_sees_a_forbidden_change(r);
    }
    if file.starts_with("usf-") {
        let caught = sigs
            .iter()
            .any(|s| failed(&s.checks, "BYTE_RANGE") || failed(&s.checks, "FORMAT_PARSED"));
        if !caught {
            return Err("no signature with BYTE_RANGE or FORMAT_PARSED failed".into());
        }
        // The update that redefines the signature dictionary also replaces the page content:
        // the genuine signature before it must see that change as forbidden.
        if sigs.len() > 1 {
            first_signature_sees_a_forbidden_change(r)?;
        }
        return Ok(());
    }
    match file {
        "pkcs7-sha1-forged.pdf" => {
            // The CMS verifies over its content (the SHA-1 it carries); the byte range's
            // SHA-1 is what differs.
            let caught = sigs.iter().any(|s| {
                s.sub_indication == Some(SubIndication::HashFailure)
                    && result(&s.checks, "SIGNATURE_VALUE") == Some(CheckResult::Passed)
                    && s.checks.iter().any(|c| {
                        c.code.as_str() == "MESSAGE_DIGEST_MATCH" && c.detail.contains("SHA-1 of the byte range")
                    })
            });
            if caught {
                Ok(())
            } else {
                Err("expected HASH_FAILURE on the SHA-1 of the byte range with SIGNATURE_VALUE passed".into())
            }
        }
        "contents-copied.pdf" => {
            let sig_hash = sigs
                .iter()
                .any(|s| s.sub_indication == Some(SubIndication::HashFailure));
            if r.sub_indication == Some(SubIndication::HashFailure) && sig_hash {
                Ok(())
            } else {
                Err("expected HASH_FAILURE on the file and on a signature".into())
            }
        }
        "truncated.pdf" => {
            if failed(&r.checks, "FORMAT_PARSED") {
                Ok(())
            } else {
                Err("expected FORMAT_PARSED failed at file level".into())
            }
        }
        "trailing-garbage.pdf" => {
            if failed(&r.checks, "DOCUMENT_MODIFICATIONS") {
                Ok(())
            } else {
                Err("expected DOCUMENT_MODIFICATIONS failed at file level".into())
            }
        }
        other => Err(format!("{other}: no attack family known for this file")),
    }
}

fn first_signature_sees_a_forbidden_change(r: &Report) -> Result<(), String> {
    let s0 = r.signatures.first().ok_or("no signature")?;
    if !failed(&s0.checks, "DOCUMENT_MODIFICATIONS") {
        return Err(format!("{}: DOCUMENT_MODIFICATIONS did not fail", s0.id));
    }
    let info = s0.pdf.as_ref().ok_or("no PDF details on the first signature")?;
    if info.changes_after.iter().any(|c| !c.allowed && c.object.is_some()) {
        Ok(())
    } else {
        Err(format!(
            "{}: no forbidden change naming an object in {:?}",
            s0.id, info.changes_after
        ))
    }
}

#[test]
fn every_attack_fails_for_its_reason() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (file, expected, _) in cases() {
        if expected != "TOTAL_FAILED" {
            continue;
        }
        n += 1;
        let report = run(&file);
        if let Err(e) = reason_holds(&file, &report) {
            failures.push(format!("{file}: {e}\n{}", summary(&report)));
        }
    }
    assert!(n >= 16, "only {n} attack files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One signature of a valid file, as it must be reported.
struct Expect {
    field: &'static str,
    kind: PdfSignatureKind,
    docmdp: Option<u8>,
    /// The revision (1-based) the signature covers.
    revision: usize,
    /// The signer's commonName.
    signer: &'static str,
    sub_filter: &'static str,
}

const RSA: &str = "Demo Signer RSA";
const P256: &str = "Demo Signer ECDSA P-256";
/// The time-stamping authority of `testdata/tsa/tsa.pem`.
const TSA: &str = "Test TSA (tsa)";
const CADES: &str = "ETSI.CAdES.detached";
const PKCS7: &str = "adbe.pkcs7.detached";

const fn approval(field: &'static str, revision: usize, signer: &'static str) -> Expect {
    Expect {
        field,
        kind: PdfSignatureKind::Approval,
        docmdp: None,
        revision,
        signer,
        sub_filter: CADES,
    }
}

const fn certification(p: u8, revision: usize) -> Expect {
    Expect {
        field: "Cert",
        kind: PdfSignatureKind::Certification,
        docmdp: Some(p),
        revision,
        signer: RSA,
        sub_filter: CADES,
    }
}

const fn document_timestamp(field: &'static str, revision: usize) -> Expect {
    Expect {
        field,
        kind: PdfSignatureKind::DocumentTimestamp,
        docmdp: None,
        revision,
        signer: TSA,
        sub_filter: "ETSI.RFC3161",
    }
}

/// (file, revisions in the file, its signatures in order).
const VALID: &[(&str, usize, &[Expect])] = &[
    ("pades-rsa.pdf", 2, &[approval("Sig1", 2, RSA)]),
    // The linearized original (first-page and main sections) is one revision.
    ("linearized-signed.pdf", 2, &[approval("Sig1", 2, RSA)]),
    (
        "pkcs7-detached-rsa.pdf",
        2,
        &[Expect {
            sub_filter: PKCS7,
            ..approval("Sig1", 2, RSA)
        }],
    ),
    ("pades-p256.pdf", 2, &[approval("Sig1", 2, P256)]),
    (
        "two-signatures.pdf",
        3,
        &[approval("Sig1", 2, RSA), approval("Sig2", 3, P256)],
    ),
    (
        "three-signatures.pdf",
        4,
        &[
            approval("Sig1", 2, RSA),
            approval("Sig2", 3, P256),
            approval("Sig3", 4, RSA),
        ],
    ),
    ("certified-p1.pdf", 2, &[certification(1, 2)]),
    ("certified-p2.pdf", 2, &[certification(2, 2)]),
    ("certified-p3.pdf", 2, &[certification(3, 2)]),
    ("signed-then-dss.pdf", 3, &[approval("Sig1", 2, RSA)]),
    (
        "pades-rsa-doc-timestamp.pdf",
        3,
        &[approval("Sig1", 2, RSA), document_timestamp("DocTS1", 3)],
    ),
    (
        "certified-p2-then-signed.pdf",
        3,
        &[certification(2, 2), approval("Sig2", 3, P256)],
    ),
    ("certified-p2-form-fill.pdf", 3, &[certification(2, 2)]),
    ("shadow-hide-signed.pdf", 2, &[approval("Sig1", 2, RSA)]),
    (
        "hand-signed-valid.pdf",
        1,
        &[Expect {
            sub_filter: PKCS7,
            ..approval("Signature1", 1, RSA)
        }],
    ),
];

/// Where each revision of `bytes` ends: after each `%%EOF` and its end-of-line marker.
/// The ends of the revisions, found by their `%%EOF` markers; the marker after a linearized
/// file's first-page section (`startxref 0`) ends no revision.
fn revision_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while let Some(k) = bytes[i..].windows(5).position(|w| w == b"%%EOF") {
        let mut end = i + k + 5;
        if bytes[..i + k].ends_with(b"startxref\n0\n") {
            i = end;
            continue;
        }
        if bytes[end..].starts_with(b"\r\n") {
            end += 2;
        } else if bytes[end..].starts_with(b"\n") || bytes[end..].starts_with(b"\r") {
            end += 1;
        }
        ends.push(end);
        i = end;
    }
    ends
}

fn check_signature(file: &str, bytes: &[u8], revisions: usize, s: &SignatureReport, e: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            out.push(format!("{file} {}: {what}", s.id));
        }
    };
    expect(
        s.indication == Indication::TotalPassed,
        format!("{} {:?}", s.indication.as_str(), failed_codes(&s.checks)),
    );
    let cn = s.signer.as_ref().and_then(|c| c.common_name.as_deref());
    expect(cn == Some(e.signer), format!("signer {cn:?}, expected {}", e.signer));
    let Some(info) = &s.pdf else {
        expect(false, "no PDF details".into());
        return out;
    };
    expect(
        info.field_name.as_deref() == Some(e.field),
        format!("field {:?}, expected {}", info.field_name, e.field),
    );
    expect(
        info.kind == e.kind,
        format!("kind {:?}, expected {:?}", info.kind, e.kind),
    );
    expect(
        info.docmdp_permissions == e.docmdp,
        format!("DocMDP {:?}, expected {:?}", info.docmdp_permissions, e.docmdp),
    );
    expect(
        info.sub_filter.as_deref() == Some(e.sub_filter),
        format!("SubFilter {:?}", info.sub_filter),
    );
    expect(info.covers_whole_revision, "does not cover its whole revision".into());
    expect(
        info.revision == Some(e.revision) && info.revisions == revisions,
        format!(
            "covers revision {:?} of {}, expected {} of {revisions}",
            info.revision, info.revisions, e.revision
        ),
    );
    // The byte range, read from the report, must start at 0 and end where that revision ends
    // in the file (found here independently, by its `%%EOF`).
    let ends = revision_ends(bytes);
    let br = &info.byte_range;
    let range_end = (br.len() == 4).then(|| usize::try_from(br[2] + br[3]).unwrap_or(usize::MAX));
    expect(
        br.first() == Some(&0) && range_end.is_some() && range_end == ends.get(e.revision - 1).copied(),
        format!("byte range {br:?}, revision ends {ends:?}"),
    );
    // A signature of the last revision sees no change; an earlier one sees only allowed ones.
    let later = e.revision < revisions;
    expect(
        later != info.changes_after.is_empty() && info.changes_after.iter().all(|c| c.allowed),
        format!("changes after: {:?}", info.changes_after),
    );
    out
}

#[test]
fn valid_files_are_described_correctly() {
    let listed: Vec<&str> = VALID.iter().map(|v| v.0).collect();
    let passing: Vec<String> = cases()
        .into_iter()
        .filter(|c| c.1 == "TOTAL_PASSED")
        .map(|c| c.0)
        .collect();
    assert_eq!(
        listed, passing,
        "VALID must list exactly the TOTAL_PASSED rows of cases.tsv"
    );
    let mut failures = Vec::new();
    for (file, revisions, expected) in VALID {
        let bytes = read(&dir().join(file));
        let report = setup().run(&bytes, Content::None);
        assert_eq!(
            revision_ends(&bytes).len(),
            *revisions,
            "{file}: the table's revision count disagrees with the file"
        );
        if report.indication != Indication::TotalPassed {
            failures.push(format!("{file}: {}", summary(&report)));
        }
        if report.signatures.len() != expected.len() {
            failures.push(format!(
                "{file}: {} signature(s), expected {}\n{}",
                report.signatures.len(),
                expected.len(),
                summary(&report)
            ));
            continue;
        }
        for (s, e) in report.signatures.iter().zip(expected.iter()) {
            failures.extend(check_signature(file, &bytes, *revisions, s, e));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `/ByteRange [a b c d]` of the first signature dictionary of `bytes`, read by hand.
fn byte_range(bytes: &[u8]) -> [usize; 4] {
    let k = bytes
        .windows(11)
        .position(|w| w == b"/ByteRange[" || w == b"/ByteRange ")
        .unwrap();
    let rest = &bytes[k + 10..];
    let open = rest.iter().position(|&b| b == b'[').unwrap();
    let close = rest.iter().position(|&b| b == b']').unwrap();
    let text = std::str::from_utf8(&rest[open + 1..close]).unwrap();
    let v: Vec<usize> = text.split_whitespace().map(|n| n.parse().unwrap()).collect();
    v.try_into().unwrap()
}

fn find(bytes: &[u8], what: &[u8]) -> usize {
    bytes
        .windows(what.len())
        .position(|w| w == what)
        .unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(what)))
}

#[test]
fn a_changed_byte_in_the_signed_content_is_a_hash_failure() {
    let original = read(&dir().join("pades-rsa.pdf"));
    assert_eq!(
        setup().run(&original, Content::None).indication,
        Indication::TotalPassed
    );
    let [a, b, c, d] = byte_range(&original);
    // The amount in the page content stream, inside the first signed part.
    let at = find(&original, b"pay 100.00") + 4;
    assert!(a <= at && at < a + b, "the amount at {at} is not in [{a}, {})", a + b);
    assert!(c + d <= original.len());
    let mut mutated = original.clone();
    assert_eq!(mutated[at], b'1');
    mutated[at] = b'9';
    let report = setup().run(&mutated, Content::None);
    assert_eq!(verdict(&report), "TOTAL_FAILED/HASH_FAILURE", "{}", summary(&report));
    assert_eq!(
        result(&report.signatures[0].checks, "MESSAGE_DIGEST_MATCH"),
        Some(CheckResult::Failed),
        "{}",
        summary(&report)
    );
}

#[test]
fn a_nonzero_byte_in_the_contents_padding_is_refused() {
    let original = read(&dir().join("pades-rsa.pdf"));
    let [_, b, c, _] = byte_range(&original);
    // The gap is `<hex>`: the CMS, then '0' digits of padding up to the '>'.
    assert_eq!(original[b], b'<');
    assert_eq!(original[c - 1], b'>');
    let last_digit = c - 2;
    assert!(
        original[last_digit - 16..=last_digit].iter().all(|&x| x == b'0'),
        "the /Contents of pades-rsa.pdf does not end in zero padding"
    );
    // Zero padding is not signed, but a nonzero byte after the CMS is data after the
    // ContentInfo, not padding.
    let mut mutated = original.clone();
    mutated[last_digit] = b'1';
    let report = setup().run(&mutated, Content::None);
    assert_ne!(report.indication, Indication::TotalPassed, "{}", summary(&report));
    let mut middle = original.clone();
    middle[last_digit - 8] = b'f';
    let report = setup().run(&middle, Content::None);
    assert_ne!(report.indication, Indication::TotalPassed, "{}", summary(&report));
}

#[test]
fn the_dss_is_read_into_certificates_and_revocation_data() {
    use sigverify::adapters::pades::dss;
    use sigverify::formats::pdf;
    let setup = setup();
    let ctx = common::context(&setup);
    let bytes = read(&dir().join("signed-then-dss.pdf"));
    let file = pdf::read(&bytes, &pdf::PdfLimits::default()).unwrap();
    let found = dss::read(&file, &ctx);
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let subjects: Vec<&str> = found.certificates.iter().map(|c| c.subject_string()).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(found.revocation.is_empty());
    // No DSS: nothing.
    let bytes = read(&dir().join("pades-rsa.pdf"));
    let file = pdf::read(&bytes, &pdf::PdfLimits::default()).unwrap();
    let none = dss::read(&file, &ctx);
    assert!(none.certificates.is_empty() && none.revocation.is_empty());
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_real_dss_holds_ocsp_responses() {
    use sigverify::adapters::pades::dss;
    use sigverify::formats::pdf;
    let setup = setup();
    let ctx = common::context(&setup);
    let bytes = read(&shared().join("corpus/pades/dd4j-valid-pades-esteid2018.pdf"));
    let file = pdf::read(&bytes, &pdf::PdfLimits::default()).unwrap();
    let found = dss::read(&file, &ctx);
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    assert!(!found.certificates.is_empty());
    let ocsp = found
        .revocation
        .iter()
        .filter(|r| matches!(r, sigverify::process::RevocationData::Ocsp(_)))
        .count();
    assert!(ocsp > 0, "no OCSP response in the DSS");
}

/// A document time-stamp is judged like a signature: its token's genTime is its time, its TSA
/// certificate its signer, with the path to the rsa root.
#[test]
fn a_document_time_stamp_reports_its_tsa_and_gen_time() {
    let report = run("pades-rsa-doc-timestamp.pdf");
    let ts = &report.signatures[1];
    assert_eq!(ts.indication, Indication::TotalPassed, "{}", summary(&report));
    assert_eq!(ts.signing_time.as_deref(), Some("2026-01-15T12:05:00Z"));
    assert_eq!(ts.chain.len(), 3, "{:?}", ts.chain);
    for code in [
        "TIMESTAMP_IMPRINT",
        "TIMESTAMP_SIGNATURE",
        "CHAIN_BUILT",
        "EXTENDED_KEY_USAGE",
    ] {
        assert_eq!(
            result(&ts.checks, code),
            Some(CheckResult::Passed),
            "{code}\n{}",
            summary(&report)
        );
    }
}

/// A TSA certificate whose extendedKeyUsage timeStamping is not critical (RFC 3161 2.3): the
/// document time-stamp is INDETERMINATE for that check, the signature before it still passes.
#[test]
fn a_document_time_stamp_needs_a_critical_time_stamping_eku() {
    let report = run("doc-timestamp-eku-noncritical.pdf");
    assert_eq!(report.signatures.len(), 2, "{}", summary(&report));
    assert_eq!(
        report.signatures[0].indication,
        Indication::TotalPassed,
        "{}",
        summary(&report)
    );
    let ts = &report.signatures[1];
    assert_eq!(
        (ts.indication, ts.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::ChainConstraintsFailure)),
        "{}",
        summary(&report)
    );
    assert!(failed(&ts.checks, "EXTENDED_KEY_USAGE"), "{}", summary(&report));
    assert_eq!(result(&ts.checks, "CHAIN_BUILT"), Some(CheckResult::Passed));
    assert_eq!(result(&ts.checks, "TIMESTAMP_SIGNATURE"), Some(CheckResult::Passed));
}

/// The document time-stamp's token covers the byte range: a changed byte in it is a hash
/// failure of the time-stamp (and of the signature before it).
#[test]
fn a_changed_byte_under_a_document_time_stamp_is_a_hash_failure() {
    let original = read(&dir().join("pades-rsa-doc-timestamp.pdf"));
    let at = find(&original, b"pay 100.00") + 4;
    let mut mutated = original.clone();
    mutated[at] = b'9';
    let report = setup().run(&mutated, Content::None);
    let ts = &report.signatures[1];
    assert_eq!(
        (ts.indication, ts.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::HashFailure)),
        "{}",
        summary(&report)
    );
    assert!(failed(&ts.checks, "TIMESTAMP_IMPRINT"), "{}", summary(&report));
    assert_eq!(result(&ts.checks, "TIMESTAMP_SIGNATURE"), Some(CheckResult::Passed));
}

/// Without the TSA's trust anchor the document time-stamp proves nothing: INDETERMINATE.
#[test]
fn a_document_time_stamp_without_its_anchor_is_indeterminate() {
    let t = repo().join("testdata/pki");
    let s = Setup::new(&[t.join("p256/root.pem")], &[], at(VALIDATION_TIME));
    let report = s.run(&read(&dir().join("pades-rsa-doc-timestamp.pdf")), Content::None);
    let ts = &report.signatures[1];
    assert_eq!(
        (ts.indication, ts.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::NoCertificateChainFound)),
        "{}",
        summary(&report)
    );
}

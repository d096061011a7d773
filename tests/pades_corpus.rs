//! Every `pades` row of `../shared/corpus/manifest.tsv` through `sigverify::verify`, with the
//! anchors the row names, against its expected class (see `gives_class`): real signers' PDFs
//! (DigiDoc4j, DSS, pyHanko, Swisscom) and their corrupted variants.
//!
//! A `valid` row may give INDETERMINATE but never TOTAL_FAILED; the rows listed in
//! [`CORPUS_EXCEPTIONS`] give the verdict named there instead of their class, each for the reason
//! given, and are held to that verdict so that an exception cannot outlive its reason unseen.

mod common;

use common::*;
use sigverify::{Content, Report};

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

/// (file, verdict we give instead, why).
const CORPUS_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "pades/dss-BadEncodedCMS.pdf",
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND",
        "labelled invalid because DSS finds no signature in it: the signer certificate's serial \
         number is a non-minimal INTEGER (a leading zero octet), which DSS, OpenSSL and pyHanko \
         refuse to parse. The certificate reader here takes the serial as encoded; the CMS \
         signature value verifies over its byte range, and with no trust anchor for the row (and \
         a SHA-1 ECDSA signature the policy no longer accepts) the verdict is INDETERMINATE, \
         never TOTAL_PASSED",
    ),
    (
        "pades/dss-pades-unsupported-signature-algorithm.pdf",
        "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
        "labelled invalid (bad signature): the SignerInfo names the P-256 curve OID \
         (1.2.840.10045.3.1.7) as its signature algorithm, which is no signature algorithm; the \
         value is not verified (ALGORITHM_SUPPORTED failed, SIGNATURE_VALUE not run), and a \
         signature whose algorithm is not supported is INDETERMINATE, as for any unsupported \
         algorithm, never TOTAL_PASSED",
    ),
];

fn print_checks(report: &Report) {
    for c in &report.checks {
        eprintln!("  file {} {:?} {}", c.code.as_str(), c.result, c.detail);
    }
    for s in &report.signatures {
        eprintln!(
            "  {}: {}/{} signer {:?}",
            s.id,
            s.indication.as_str(),
            s.sub_indication.map_or("-", |x| x.as_str()),
            s.signer.as_ref().map(|c| &*c.subject)
        );
        if let Some(p) = &s.pdf {
            eprintln!(
                "    {:?} {:?} {:?} revision {:?}/{} whole={} changes={}",
                p.field_name,
                p.kind,
                p.sub_filter,
                p.revision,
                p.revisions,
                p.covers_whole_revision,
                p.changes_after.len()
            );
        }
        for c in &s.checks {
            eprintln!("    {} {:?} {}", c.code.as_str(), c.result, c.detail);
        }
    }
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_pades_rows() {
    let corpus = shared().join("corpus");
    let rows = corpus_rows(|format, _| format == "pades");
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
                "{file}: expected {} ({reason}), got {}",
                exception.unwrap_or(expected),
                verdict(&report)
            ));
        }
    }
    assert_eq!(rows.len(), 12, "the manifest should hold 12 pades rows");
    for (file, _, _) in CORPUS_EXCEPTIONS {
        assert!(
            rows.iter().any(|r| r.file == *file),
            "exception {file} is not a pades row"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

//! Every `cms` and `cms-detached` row of `../shared/corpus/manifest.tsv` against its expected
//! class, with the anchors the row names, validated at a fixed time in 2026 (the labels are
//! defined for an offline validation in 2026).
//!
//! Reviewed exceptions (labels we disagree with) are listed in `CORPUS_EXCEPTIONS` with the
//! reason.

mod common;

use common::*;
use sigverify::{Content, Indication};

/// (file, verdict we give instead, why).
const CORPUS_EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "cms/dss-CAdES-BpT_modified_ts_hash.p7m",
    "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND",
    "the signature itself is intact (the manifest's own check says so); only its signature \
         time-stamp, an unsigned attribute, was tampered with. A time-stamp that does not verify \
         gives no proof of existence and is reported as failed (TIMESTAMP_IMPRINT), but does not \
         make the signature TOTAL_FAILED; the manifest notes that validators differ here. No \
         anchor is available, so the signature stays INDETERMINATE.",
)];

const VALIDATION_TIME: &str = "2026-11-01T00:00:00Z";

/// CI sets SIGVERIFY_REQUIRE_SHARED=1: there the corpus tests must run, not be ignored.
#[test]
fn shared_corpus_is_present_when_required() {
    let required = std::env::var("SIGVERIFY_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    if required && !cfg!(shared_corpus) {
        panic!(
            "SIGVERIFY_REQUIRE_SHARED=1 but {}/corpus/manifest.tsv was not found when building: \
             the corpus tests were compiled as ignored",
            shared_dir().display()
        );
    }
}

/// The build script decides once whether the corpus is there; a checkout of ../shared made
/// after that is not seen by it (it watches no directory outside the repository). Say so
/// instead of ignoring the corpus tests without reason.
#[test]
fn shared_corpus_detection_is_current() {
    let present = shared_dir().join("corpus/manifest.tsv").is_file();
    assert_eq!(
        cfg!(shared_corpus),
        present,
        "{}/corpus/manifest.tsv is {} now but was {} when the tests were built: `touch build.rs` \
         and run again",
        shared_dir().display(),
        if present { "present" } else { "missing" },
        if present { "missing" } else { "present" },
    );
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_cms_rows() {
    let shared = shared();
    let corpus = shared.join("corpus");
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, format, expected, reason, anchors, notes) = (cols[0], cols[1], cols[2], cols[3], cols[4], cols[6]);
        if format != "cms" && format != "cms-detached" {
            continue;
        }
        n += 1;
        let anchor_paths: Vec<_> = if anchors.starts_with("none") {
            vec![]
        } else {
            anchors.split(',').map(|a| corpus.join(a.trim())).collect()
        };
        let setup = Setup::new(&anchor_paths, &[], at(VALIDATION_TIME));
        let content = notes
            .split("Detached content: ")
            .nth(1)
            .map(|rest| rest.split_whitespace().next().unwrap().trim_end_matches('.'))
            .map(|p| read(&corpus.join(p)));
        assert_eq!(
            format == "cms-detached",
            content.is_some(),
            "{file}: detached content not found in notes"
        );
        let report = setup.run(
            &read(&corpus.join(file)),
            content.as_deref().map_or(Content::None, Content::Data),
        );
        let want = match expected {
            "valid" => Indication::TotalPassed,
            "invalid" => Indication::TotalFailed,
            "indeterminate" => Indication::Indeterminate,
            other => panic!("{file}: unknown label {other}"),
        };
        let exception = CORPUS_EXCEPTIONS.iter().find(|e| e.0 == file);
        let ok = match exception {
            Some((_, instead, _)) => verdict(&report).starts_with(instead),
            None => report.indication == want,
        };
        eprintln!("{file}: expected {expected} ({reason}), got {}", verdict(&report));
        if !ok {
            failures.push(format!(
                "{file}: expected {expected} ({reason}), got {}\n{}",
                verdict(&report),
                serde_json::to_string_pretty(&report).unwrap()
            ));
        }
    }
    assert_eq!(n, 13, "the manifest should hold 13 cms/cms-detached rows");
    assert!(
        failures.is_empty(),
        "{} of {n} corpus rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn corpus_report(file: &str) -> sigverify::Report {
    let shared = shared();
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    setup.run(&read(&shared.join("corpus").join(file)), Content::None)
}

fn result_of(
    r: &sigverify::Report,
    sig: usize,
    code: sigverify::verdict::CheckCode,
) -> sigverify::verdict::CheckResult {
    r.signatures[sig]
        .checks
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.result)
        .unwrap_or_else(|| panic!("{code:?} missing"))
}

/// DSS-667: the signed attributes are stored out of DER order while the signature covers
/// their DER encoding (the RSA signature's DigestInfo holds the SHA-256 of the sorted SET).
/// RFC 5652 5.4 says the DER encoding is what is signed: the signature is intact.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn unsorted_signed_attributes_are_verified_as_rfc_5652_says() {
    use sigverify::verdict::{CheckCode, CheckResult};
    let r = corpus_report("cms/dss-DER_reordered_prova.txt.p7m");
    assert_eq!(result_of(&r, 0, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(result_of(&r, 0, CheckCode::MessageDigestMatch), CheckResult::Passed);
    assert_eq!(
        result_of(&r, 0, CheckCode::SignedAttributesDerOrder),
        CheckResult::Warning
    );
    assert_eq!(r.indication, Indication::Indeterminate);
}

/// The signature time-stamp checks agree with the corpus's own checks (imprint_ok, cms_ok).
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn timestamp_imprints_agree_with_the_corpus_notes() {
    use sigverify::verdict::{CheckCode, CheckResult};
    let r = corpus_report("cms/dss-CAdES-BpT_modified_ts_hash.p7m");
    assert_eq!(result_of(&r, 0, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(result_of(&r, 0, CheckCode::TimestampImprint), CheckResult::Failed);
    assert_eq!(result_of(&r, 0, CheckCode::TimestampSignature), CheckResult::Failed);
    let r = corpus_report("cms/dss-Signature-CBp-LT-2.p7m");
    assert_eq!(result_of(&r, 0, CheckCode::TimestampImprint), CheckResult::Passed);
    assert_eq!(result_of(&r, 0, CheckCode::TimestampSignature), CheckResult::Passed);
}

/// Counter-signatures are verified and reported as signatures of their own.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn counter_signatures_are_reported() {
    use sigverify::verdict::{CheckCode, CheckResult};
    let r = corpus_report("cms/dss-counterSig.p7m");
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[1].counter_signature_of.as_deref(), Some("S0"));
    assert_eq!(result_of(&r, 1, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(result_of(&r, 1, CheckCode::MessageDigestMatch), CheckResult::Passed);
}

/// Re-encodes `bytes` (definite-length DER) with the element whose encoding starts at
/// `target` wrapped in an OCTET STRING; the lengths of every enclosing element follow.
fn wrap_in_octet_string(bytes: &[u8], target: *const u8) -> Vec<u8> {
    use sigverify::formats::ber::{Tlv, encode};
    let (tlv, _) = Tlv::parse(bytes).unwrap();
    if tlv.raw.as_ptr() == target {
        return encode(0x04, tlv.raw);
    }
    let inside = |t: &Tlv<'_>| {
        let start = t.raw.as_ptr() as usize;
        (start..start + t.raw.len()).contains(&(target as usize))
    };
    if !tlv.tag.constructed || !inside(&tlv) {
        return tlv.raw.to_vec();
    }
    let contents: Vec<u8> = tlv
        .children()
        .flat_map(|c| wrap_in_octet_string(c.unwrap().raw, target))
        .collect();
    encode(tlv.raw[0], &contents)
}

/// Some German qualified CAdES signatures (DSS's `Signature-C-DE_CRY-3.p7m`) carry their
/// signature time-stamp token wrapped in an OCTET STRING. The wrapping is accepted: made here
/// from the corpus's time-stamped `dss-Signature-CBp-LT-2.p7m`, the signature stays intact and
/// its time-stamp is read. Unsigned attributes are outside the signature, so the re-encoding
/// changes no signed byte.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_time_stamp_wrapped_in_an_octet_string_is_read() {
    use sigverify::formats::cms::{self, oid};
    use sigverify::verdict::{CheckCode, CheckResult};
    let original = read(&shared().join("corpus/cms/dss-Signature-CBp-LT-2.p7m"));
    let before = corpus_report("cms/dss-Signature-CBp-LT-2.p7m");
    let sd = cms::parse_content_info(&original).unwrap();
    let attrs = sd.signer_infos[0].unsigned(&oid::SIGNATURE_TIME_STAMP);
    let token = attrs[0].values[0].raw.as_ptr();
    let wrapped = wrap_in_octet_string(&original, token);
    assert_ne!(wrapped, original);
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    let after = setup.run(&wrapped, Content::None);
    assert_eq!(verdict(&after), verdict(&before), "{}", pretty(&after));
    assert_ne!(verdict(&after), "TOTAL_FAILED/FORMAT_FAILURE");
    assert_eq!(result_of(&after, 0, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(result_of(&after, 0, CheckCode::TimestampImprint), CheckResult::Passed);
    assert_eq!(result_of(&after, 0, CheckCode::TimestampSignature), CheckResult::Passed);
}

/// A time-stamp token that cannot be read at all gives no proof of existence and is reported
/// as failed, but does not make the intact signature TOTAL_FAILED.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn an_unreadable_time_stamp_does_not_invalidate_the_signature() {
    use sigverify::formats::ber::encode;
    use sigverify::formats::cms::{self, oid};
    use sigverify::verdict::{CheckCode, CheckResult};
    let original = read(&shared().join("corpus/cms/dss-Signature-CBp-LT-2.p7m"));
    let before = corpus_report("cms/dss-Signature-CBp-LT-2.p7m");
    let sd = cms::parse_content_info(&original).unwrap();
    let token = sd.signer_infos[0].unsigned(&oid::SIGNATURE_TIME_STAMP)[0].values[0].raw;
    // The token replaced by an OCTET STRING of the same length holding no ContentInfo.
    let junk = encode(0x04, &vec![0x55; token.len().saturating_sub(4)]);
    let start = token.as_ptr() as usize - original.as_ptr() as usize;
    let mut broken = original[..start].to_vec();
    broken.extend_from_slice(&junk);
    broken.extend_from_slice(&original[start + token.len()..]);
    assert_eq!(
        broken.len(),
        original.len(),
        "same length, so no enclosing length changes"
    );
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    let after = setup.run(&broken, Content::None);
    assert_eq!(verdict(&after), verdict(&before), "{}", pretty(&after));
    assert_eq!(result_of(&after, 0, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(result_of(&after, 0, CheckCode::TimestampImprint), CheckResult::Failed);
}

/// The SignedData's RevocationInfoChoices reach every signature under test as embedded
/// revocation data (evaluated by a later version): the LT-level sample carries some.
#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn embedded_revocation_data_is_described() {
    use sigverify::formats::cms;
    let bytes = read(&shared().join("corpus/cms/dss-Signature-CBp-LT-2.p7m"));
    let sd = cms::parse_content_info(&bytes).unwrap();
    let setup = Setup::new(&[], &[], at(VALIDATION_TIME));
    let adapted = sigverify::adapters::cades::adapt(&sd, Content::None, &context(&setup));
    assert!(!sd.crls.is_empty(), "the sample carries revocation data");
    for sut in &adapted.signatures {
        assert_eq!(sut.revocation_data.len(), sd.crls.len());
    }
}

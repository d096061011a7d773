//! Verdict messages: every code has a message in every language, every message renders, and
//! the MSign and Accept-Language contracts hold.

use std::collections::{BTreeMap, BTreeSet};

use sigverify::verdict::i18n::{self, Lang};
use sigverify::verdict::{Check, CheckCode, CheckResult, Indication, Report, SignatureReport, SubIndication};

/// Section 6.1 of the Swisscom Mobile ID reference guide, status and fault codes.
const MOBILE_ID_CODES: &[u16] = &[
    100, 101, 102, 103, 104, 105, 107, 108, 109, 208, 209, 401, 402, 403, 404, 406, 422, 500, 501, 502, 503, 504, 900,
];

/// Messages that may read the same in another language as in English: none today. Proper
/// names and codes (Mobile ID, Swisscom, AP_TransID, DER) appear inside translated sentences.
const SAME_AS_ENGLISH_ALLOWED: &[(&str, &str)] = &[];

fn kebab(code: &str) -> String {
    code.to_ascii_lowercase().replace('_', "-")
}

/// The ids the code lists call for, derived here independently of the library.
fn expected_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for i in ["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"] {
        ids.insert(format!("indication-{}", kebab(i)));
        ids.insert(format!("certificate-indication-{}", kebab(i)));
    }
    for s in SubIndication::ALL {
        ids.insert(format!("sub-{}", kebab(s.as_str())));
    }
    for c in CheckCode::ALL {
        ids.insert(format!("check-{}", kebab(c.as_str())));
        ids.insert(format!("check-{}-failed", kebab(c.as_str())));
    }
    for c in MOBILE_ID_CODES {
        ids.insert(format!("mobileid-status-{c}"));
    }
    ids.insert("msign-all-valid".into());
    ids.insert("msign-not-valid".into());
    ids.insert("msign-hash-wrong-algorithm".into());
    ids
}

fn ids_of(lang: Lang) -> BTreeSet<String> {
    i18n::message_ids(lang).into_iter().map(str::to_string).collect()
}

#[test]
fn every_code_has_a_message_in_every_language_and_nothing_else() {
    let expected = expected_ids();
    let library: BTreeSet<String> = i18n::expected_message_ids().into_iter().collect();
    assert_eq!(library, expected, "library's id list differs from the code lists");
    assert_eq!(i18n::MOBILE_ID_STATUS_CODES, MOBILE_ID_CODES);

    let mut problems = Vec::new();
    let english = ids_of(Lang::En);
    for lang in Lang::ALL {
        let list = i18n::message_ids(*lang);
        let ids = ids_of(*lang);
        if list.len() != ids.len() {
            problems.push(format!("{}: duplicate message ids", lang.code()));
        }
        for missing in expected.difference(&ids) {
            problems.push(format!("{}: missing {missing}", lang.code()));
        }
        for unused in ids.difference(&expected) {
            problems.push(format!("{}: {unused} is used by no code", lang.code()));
        }
        if ids != english {
            problems.push(format!("{}: ids differ from en", lang.code()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ftl_files_parse_without_errors() {
    for lang in Lang::ALL {
        let res = fluent_bundle::FluentResource::try_new(i18n::ftl_source(*lang).to_string());
        assert!(res.is_ok(), "{}: {:?}", lang.code(), res.err().map(|e| e.1));
    }
}

#[test]
fn every_message_renders_non_empty_without_isolation_marks() {
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        for id in expected_ids() {
            match i18n::try_message(&id, *lang) {
                Ok(m) if m.trim().is_empty() => problems.push(format!("{}: {id} is empty", lang.code())),
                Ok(m) if m.contains(['\u{2068}', '\u{2069}']) => {
                    problems.push(format!("{}: {id} has isolation marks", lang.code()))
                }
                Ok(m) if m.contains(['{', '}']) || m.contains("TODO") || m.contains("FIXME") => {
                    problems.push(format!("{}: {id} looks like a placeholder: {m}", lang.code()))
                }
                Ok(_) => {}
                Err(e) => problems.push(e),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whole words that betray English left in another language.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "been", "could", "cannot", "please", "signed", "not", "try", "again",
];

#[test]
fn translations_are_not_english() {
    let mut problems = Vec::new();
    for lang in Lang::ALL.iter().filter(|l| **l != Lang::En) {
        for id in expected_ids() {
            let en = i18n::try_message(&id, Lang::En).unwrap_or_default();
            let m = i18n::try_message(&id, *lang).unwrap_or_default();
            if m == en && !SAME_AS_ENGLISH_ALLOWED.contains(&(lang.code(), id.as_str())) {
                problems.push(format!("{}: {id} is the English text", lang.code()));
            }
            let lower = m.to_lowercase();
            for w in lower.split(|c: char| c.is_whitespace() || "(),;:".contains(c)) {
                if ENGLISH_WORDS.contains(&w) {
                    problems.push(format!("{}: {id} contains English word '{w}': {m}", lang.code()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn scripts_and_diacritics() {
    for id in expected_ids() {
        let ro = i18n::try_message(&id, Lang::Ro).unwrap_or_default();
        // Romanian takes ș and ț with a comma below, never the cedilla forms ş ţ.
        assert!(!ro.contains(['ş', 'Ş', 'ţ', 'Ţ']), "ro: {id} uses cedilla: {ro}");
        let ru = i18n::try_message(&id, Lang::Ru).unwrap_or_default();
        assert!(
            ru.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
            "ru: {id} has no Cyrillic: {ru}"
        );
        // Latin letters in Russian only in names and codes.
        let latin_words: Vec<&str> = ru
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .filter(|w| {
                ![
                    "Mobile",
                    "ID",
                    "AP_TransID",
                    "AP_ID",
                    "DER",
                    "PIN",
                    "SIM",
                    "Swisscom",
                    "Selfcare",
                    "ZIP",
                    "mimetype",
                    "PDF",
                ]
                .contains(w)
            })
            .collect();
        assert!(latin_words.is_empty(), "ru: {id} has Latin words {latin_words:?}");
    }
    // Spot checks of the letters each language needs.
    let all = |lang: Lang| {
        expected_ids()
            .iter()
            .map(|id| i18n::message(id, lang))
            .collect::<String>()
    };
    for (lang, letters) in [
        (Lang::Ro, &['ă', 'â', 'î', 'ș', 'ț'][..]),
        (Lang::Et, &['ä', 'õ', 'ü'][..]),
        (Lang::De, &['ä', 'ü'][..]),
        (Lang::Fr, &['é', 'è', 'ê'][..]),
        (Lang::It, &['è', 'à'][..]),
    ] {
        let text = all(lang);
        for l in letters {
            assert!(text.contains(*l), "{}: no '{l}' anywhere", lang.code());
        }
    }
}

#[test]
fn english_reference_texts() {
    assert_eq!(
        i18n::verdict_message(Indication::TotalPassed, None, Lang::En),
        "The signature is valid."
    );
    assert_eq!(
        i18n::verdict_message(Indication::TotalFailed, Some(SubIndication::HashFailure), Lang::En),
        "The signature is not valid. The signed data has been modified after signing."
    );
    assert_eq!(
        i18n::verdict_message(Indication::TotalPassed, None, Lang::De),
        "Die Signatur ist gültig."
    );
    assert_eq!(
        i18n::check_message(CheckCode::MessageDigestMatch, Lang::En),
        "The signed data matches the signature."
    );
    assert_eq!(
        i18n::check_failure_message(CheckCode::ApTransIdMatch, Lang::En),
        "The Mobile ID response belongs to another transaction (AP_TransID)."
    );
    assert_eq!(
        i18n::mobile_id_status_message(401, Lang::En).as_deref(),
        Some("The user cancelled the request on the phone.")
    );
    assert_eq!(i18n::mobile_id_status_message(0, Lang::En), None);
    for c in MOBILE_ID_CODES {
        for lang in Lang::ALL {
            assert!(i18n::mobile_id_status_message(*c, *lang).is_some());
        }
    }
}

fn check(code: CheckCode, result: CheckResult, sub: Option<SubIndication>) -> Check {
    Check {
        code,
        result,
        sub_indication: sub,
        detail: Default::default(),
    }
}

fn report(indication: Indication, sub: Option<SubIndication>, sig_checks: Vec<Check>, top: Vec<Check>) -> Report {
    let signatures = if sig_checks.is_empty() {
        Vec::new()
    } else {
        vec![
            SignatureReport {
                id: "S0".into(),
                counter_signature_of: None,
                indication: Indication::TotalPassed,
                sub_indication: None,
                signer: None,
                signing_time: None,
                digest_algorithm: None,
                signature_algorithm: None,
                chain: Vec::new(),
                covers: Vec::new(),
                best_signature_time: None,
                best_signature_time_by: None,
                level: None,
                pdf: None,
                checks: vec![check(CheckCode::SignatureValue, CheckResult::Passed, None)],
            },
            SignatureReport {
                id: "S1".into(),
                counter_signature_of: None,
                indication,
                sub_indication: sub,
                signer: None,
                signing_time: None,
                digest_algorithm: None,
                signature_algorithm: None,
                chain: Vec::new(),
                covers: Vec::new(),
                best_signature_time: None,
                best_signature_time_by: None,
                level: None,
                pdf: None,
                checks: sig_checks,
            },
        ]
    };
    Report {
        file: None,
        format: sigverify::Format::Cms,
        mobile_id_status: None,
        data_files: Vec::new(),
        indication,
        sub_indication: sub,
        validation_time: "2026-06-01T00:00:00Z".into(),
        signatures,
        certificate: None,
        chain: Vec::new(),
        checks: top,
        revocation_wanted: Vec::new(),
    }
}

#[test]
fn report_message_names_the_deciding_check() {
    let r = report(
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
        vec![
            check(CheckCode::FormatParsed, CheckResult::Passed, None),
            check(CheckCode::Revocation, CheckResult::NotRun, None),
            check(
                CheckCode::MessageDigestMatch,
                CheckResult::Failed,
                Some(SubIndication::HashFailure),
            ),
        ],
        vec![check(CheckCode::FormatParsed, CheckResult::Passed, None)],
    );
    assert_eq!(
        i18n::report_message(&r, Lang::En),
        "The signature is not valid. The signed data has been modified after signing. \
         The signed data does not match the signature: it was modified or another document was provided."
    );
    assert_eq!(
        i18n::msign_message(&r, Lang::En),
        "The signed data does not match the signature: it was modified or another document was provided."
    );

    // Top-level decision (no signature).
    let r = report(
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
        Vec::new(),
        vec![check(
            CheckCode::FormatParsed,
            CheckResult::Failed,
            Some(SubIndication::FormatFailure),
        )],
    );
    assert_eq!(
        i18n::report_message(&r, Lang::Fr),
        "La signature n’est pas valide. La signature est endommagée ou ne respecte pas les règles de son format. \
         Le fichier est endommagé ou n’est ni une signature ni un certificat valide."
    );

    // Passed: the verdict alone; MSign's own sample text.
    let r = report(
        Indication::TotalPassed,
        None,
        vec![check(CheckCode::SignatureValue, CheckResult::Passed, None)],
        Vec::new(),
    );
    assert_eq!(i18n::report_message(&r, Lang::En), "The signature is valid.");
    assert_eq!(i18n::msign_message(&r, Lang::En), "The signature is valid");
    assert_eq!(i18n::msign_message(&r, Lang::Ro), "Semnătura este validă");

    // A bare certificate.
    let mut r = report(
        Indication::Indeterminate,
        Some(SubIndication::OutOfBoundsNoPoe),
        Vec::new(),
        vec![check(
            CheckCode::CertificateValidity,
            CheckResult::Failed,
            Some(SubIndication::OutOfBoundsNoPoe),
        )],
    );
    r.format = sigverify::Format::X509Certificate;
    assert!(
        i18n::report_message(&r, Lang::De).starts_with("Die Gültigkeit des Zertifikats konnte nicht bestätigt werden.")
    );
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[test]
fn msign_message_fits_string100() {
    for lang in Lang::ALL {
        for sub in SubIndication::ALL {
            // With no deciding check, and with each check code as the deciding one.
            let mut reports = vec![report(sub.indication(), Some(*sub), Vec::new(), Vec::new())];
            for code in CheckCode::ALL {
                reports.push(report(
                    sub.indication(),
                    Some(*sub),
                    vec![check(*code, CheckResult::Failed, Some(*sub))],
                    Vec::new(),
                ));
            }
            for r in &reports {
                let m = i18n::msign_message(r, *lang);
                assert!(!m.is_empty());
                assert!(utf16_len(&m) <= 100, "{}: {} chars: {m}", lang.code(), utf16_len(&m));
            }
        }
    }
}

#[test]
fn truncation_keeps_char_boundaries() {
    let long = "Подпись ".repeat(30);
    let t = i18n::truncate(&long, 100);
    assert!(utf16_len(&t) <= 100);
    assert!(t.ends_with('…'));
    assert!(long.starts_with(t.trim_end_matches('…')));
}

#[test]
fn accept_language() {
    assert_eq!(
        Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7"),
        Some(Lang::Fr)
    );
    assert_eq!(Lang::from_accept_language("da, en-GB;q=0.8"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("xx"), None);
    assert_eq!(Lang::from_accept_language(""), None);
    assert_eq!(Lang::from_accept_language("de;q=0, ro;q=0.5"), Some(Lang::Ro));
    assert_eq!(Lang::from_accept_language("en;q=0.5, ru"), Some(Lang::Ru));
    assert_eq!(Lang::from_accept_language("*"), None);
    assert_eq!(Lang::parse("de-CH"), Some(Lang::De));
    assert_eq!(Lang::parse("RO"), Some(Lang::Ro));
    assert_eq!(Lang::parse("et_EE"), Some(Lang::Et));
    assert_eq!(Lang::parse("rm"), None);
}

#[test]
fn every_language_differs_per_message() {
    // Two languages sharing a text would mean a copy-paste slip.
    for id in expected_ids() {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for lang in Lang::ALL {
            let m = i18n::message(&id, *lang);
            if let Some(other) = seen.insert(m.clone(), lang.code()) {
                panic!("{id}: {} and {other} share the text {m}", lang.code());
            }
        }
    }
}

#[test]
fn msign_message_prefers_the_most_specific_reason_that_fits() {
    // No deciding check: the sub-indication's message.
    let r = report(
        Indication::TotalFailed,
        Some(SubIndication::Revoked),
        Vec::new(),
        Vec::new(),
    );
    assert_eq!(
        i18n::msign_message(&r, Lang::Ro),
        "Certificatul semnatarului a fost revocat."
    );
    // A failure message longer than 100 characters falls back to a shorter one, never cut.
    let r = report(
        Indication::Indeterminate,
        Some(SubIndication::SigConstraintsFailure),
        vec![check(
            CheckCode::MobileIdSerialMatch,
            CheckResult::Failed,
            Some(SubIndication::SigConstraintsFailure),
        )],
        Vec::new(),
    );
    for lang in Lang::ALL {
        let m = i18n::msign_message(&r, *lang);
        assert!(!m.ends_with('…'), "{}: {m}", lang.code());
    }
}

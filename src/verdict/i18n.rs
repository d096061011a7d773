//! Verdict messages in en, de, fr, it, ro, ru and et, for end users of the services that rely
//! on the verdicts (Swisscom Mobile ID: en, de, fr, it; MSign: ro, ru, en; Mobiil-ID: et).
//!
//! The messages are Fluent files (`src/verdict/locales/<lang>/verdict.ftl`) embedded at compile
//! time; the core does no I/O. Message ids derive from the stable codes:
//!
//! - `indication-<kebab>`: the short verdict of an [`Indication`] (`indication-total-passed`);
//! - `certificate-indication-<kebab>`: the same for a report on a bare certificate;
//! - `sub-<kebab>`: what a [`SubIndication`] means (`sub-hash-failure`);
//! - `check-<kebab>`: what a [`CheckCode`] establishes, `check-<kebab>-failed`: why it failed;
//! - `mobileid-status-<code>`: a Swisscom Mobile ID status or fault code (reference guide 6.1);
//! - `msign-all-valid`, `msign-not-valid`: MSign's `Message` field.
//!
//! A message missing in a language falls back to English, and a message missing in English to
//! its id; the tests make sure neither happens.

use std::sync::OnceLock;

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use unic_langid::LanguageIdentifier;

use crate::verdict::{Check, CheckCode, Indication, Report, SubIndication};

/// Languages with verdict messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (fallback)
    En,
    /// German
    De,
    /// French
    Fr,
    /// Italian
    It,
    /// Romanian
    Ro,
    /// Russian
    Ru,
    /// Estonian
    Et,
}

impl Lang {
    /// Every language.
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::De, Lang::Fr, Lang::It, Lang::Ro, Lang::Ru, Lang::Et];

    /// ISO 639-1 code.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::It => "it",
            Lang::Ro => "ro",
            Lang::Ru => "ru",
            Lang::Et => "et",
        }
    }

    /// Parses a language tag (`de`, `de-CH`, `RO`); `None` if not supported.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.iter().copied().find(|l| l.code() == primary)
    }

    /// The best supported language of an `Accept-Language` header (RFC 9110 12.5.4, q-values).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or_default();
            let q = it
                .find_map(|p| {
                    let p = p.trim();
                    let v = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))?;
                    v.trim().parse::<f32>().ok()
                })
                .unwrap_or(1.0);
            if let Some(l) = Lang::parse(tag) {
                if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                    best = Some((l, q));
                }
            }
        }
        best.map(|(l, _)| l)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::De => 1,
            Lang::Fr => 2,
            Lang::It => 3,
            Lang::Ro => 4,
            Lang::Ru => 5,
            Lang::Et => 6,
        }
    }
}

/// The Swisscom Mobile ID status and fault codes with a message (reference guide, 6.1).
pub const MOBILE_ID_STATUS_CODES: &[u16] = &[
    100, 101, 102, 103, 104, 105, 107, 108, 109, 208, 209, 401, 402, 403, 404, 406, 422, 500, 501, 502, 503, 504, 900,
];

/// Ids of the messages that do not derive from a code list.
pub const EXTRA_MESSAGE_IDS: &[&str] = &["msign-all-valid", "msign-not-valid", "msign-hash-wrong-algorithm"];

/// MSign's limit for the `Message` field (string100).
pub const MSIGN_MESSAGE_MAX: usize = 100;

/// The embedded Fluent source of a language.
pub fn ftl_source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("locales/en/verdict.ftl"),
        Lang::De => include_str!("locales/de/verdict.ftl"),
        Lang::Fr => include_str!("locales/fr/verdict.ftl"),
        Lang::It => include_str!("locales/it/verdict.ftl"),
        Lang::Ro => include_str!("locales/ro/verdict.ftl"),
        Lang::Ru => include_str!("locales/ru/verdict.ftl"),
        Lang::Et => include_str!("locales/et/verdict.ftl"),
    }
}

/// The ids of the messages defined in a language's Fluent source, in file order (terms,
/// comments and continuation lines excluded).
pub fn message_ids(lang: Lang) -> Vec<&'static str> {
    ftl_source(lang)
        .lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let mut chars = id.chars();
            let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
            (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')).then_some(id)
        })
        .collect()
}

/// Every message id the code lists call for, in every language.
pub fn expected_message_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for i in [
        Indication::TotalPassed,
        Indication::Indeterminate,
        Indication::TotalFailed,
    ] {
        ids.push(indication_id(i));
        ids.push(certificate_indication_id(i));
    }
    ids.extend(SubIndication::ALL.iter().map(|s| sub_id(*s)));
    for c in CheckCode::ALL {
        ids.push(check_id(*c));
        ids.push(check_failed_id(*c));
    }
    ids.extend(MOBILE_ID_STATUS_CODES.iter().map(|c| mobile_id_status_id(*c)));
    ids.extend(EXTRA_MESSAGE_IDS.iter().map(|s| s.to_string()));
    ids
}

/// `TOTAL_PASSED` → `total-passed`.
fn kebab(code: &str) -> String {
    code.to_ascii_lowercase().replace('_', "-")
}

fn indication_id(i: Indication) -> String {
    format!("indication-{}", kebab(i.as_str()))
}

fn certificate_indication_id(i: Indication) -> String {
    format!("certificate-indication-{}", kebab(i.as_str()))
}

fn sub_id(s: SubIndication) -> String {
    format!("sub-{}", kebab(s.as_str()))
}

fn check_id(c: CheckCode) -> String {
    format!("check-{}", kebab(c.as_str()))
}

fn check_failed_id(c: CheckCode) -> String {
    format!("check-{}-failed", kebab(c.as_str()))
}

fn mobile_id_status_id(code: u16) -> String {
    format!("mobileid-status-{code}")
}

/// One bundle per language, in [`Lang::ALL`] order.
struct Bundles(Vec<FluentBundle<FluentResource>>);

fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles(Lang::ALL.iter().map(|l| build_bundle(*l)).collect()))
}

fn build_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    // A syntax error drops only the faulty entries; the tests keep the files error-free.
    let resource = match FluentResource::try_new(ftl_source(lang).to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let langid: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    // Duplicate ids keep their first definition; the tests reject duplicates.
    let _ = bundle.add_resource(resource);
    bundle
}

/// Renders a message of one language, without fallback: `Err` when the message does not exist
/// in that language or when Fluent reports errors while formatting it.
pub fn try_message(id: &str, lang: Lang) -> Result<String, String> {
    let bundle = bundles()
        .0
        .get(lang.index())
        .ok_or_else(|| format!("no bundle for {}", lang.code()))?;
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .ok_or_else(|| format!("{}: no message '{id}'", lang.code()))?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(format!("{}: '{id}': {errors:?}", lang.code()))
    }
}

/// Renders a message, falling back to English, then to the id itself.
pub fn message(id: &str, lang: Lang) -> String {
    try_message(id, lang)
        .or_else(|_| try_message(id, Lang::En))
        .unwrap_or_else(|_| id.to_string())
}

/// The message for a check code: what the check establishes.
pub fn check_message(code: CheckCode, lang: Lang) -> String {
    message(&check_id(code), lang)
}

/// Why a check failed, for the user.
pub fn check_failure_message(code: CheckCode, lang: Lang) -> String {
    message(&check_failed_id(code), lang)
}

/// The message of a sub-indication: what it means for the user.
pub fn sub_indication_message(sub: SubIndication, lang: Lang) -> String {
    message(&sub_id(sub), lang)
}

/// The short verdict of an indication alone (`The signature is valid.`).
pub fn indication_message(indication: Indication, lang: Lang) -> String {
    message(&indication_id(indication), lang)
}

/// A one-line verdict for an indication and sub-indication: the indication's message, then the
/// sub-indication's (none when passed).
pub fn verdict_message(indication: Indication, sub: Option<SubIndication>, lang: Lang) -> String {
    join(
        indication_message(indication, lang),
        sub_message_unless_passed(indication, sub, lang),
    )
}

fn sub_message_unless_passed(indication: Indication, sub: Option<SubIndication>, lang: Lang) -> Option<String> {
    match (indication, sub) {
        (Indication::TotalPassed, _) | (_, None) => None,
        (_, Some(s)) => Some(sub_indication_message(s, lang)),
    }
}

fn join(first: String, second: Option<String>) -> String {
    match second {
        Some(s) if !s.is_empty() => format!("{first} {s}"),
        _ => first,
    }
}

/// The check that decided a report's verdict: among the checks of the first signature whose
/// sub-indication is the report's, the first one carrying that sub-indication (or, failing
/// that, any sub-indication); else the same among the report's top-level checks.
pub fn deciding_check(report: &Report) -> Option<&Check> {
    if report.indication == Indication::TotalPassed {
        return None;
    }
    let sub = report.sub_indication?;
    let pick = |checks: &'_ [Check]| -> Option<usize> {
        checks
            .iter()
            .position(|c| c.sub_indication == Some(sub))
            .or_else(|| checks.iter().position(|c| c.sub_indication.is_some()))
    };
    report
        .signatures
        .iter()
        .filter(|s| s.sub_indication == Some(sub))
        .find_map(|s| pick(&s.checks).map(|i| &s.checks[i]))
        .or_else(|| pick(&report.checks).map(|i| &report.checks[i]))
}

/// A one-line human verdict for a report: the verdict and, when not passed, the check that
/// decided it.
pub fn report_message(report: &Report, lang: Lang) -> String {
    let verdict = if report.format == crate::verdict::Format::X509Certificate {
        join(
            message(&certificate_indication_id(report.indication), lang),
            sub_message_unless_passed(report.indication, report.sub_indication, lang),
        )
    } else {
        verdict_message(report.indication, report.sub_indication, lang)
    };
    let deciding = deciding_check(report);
    // A Mobile ID status or fault: no signature was checked; explain that very code (reference
    // guide 6.1) after the bare indication, or, when the status is not about a signature at
    // all (NO_SIGNATURE), after saying so instead of speaking of a signature's validity.
    if deciding.is_some_and(|c| c.code == CheckCode::MobileIdStatus) {
        if let Some(text) = report
            .mobile_id_status
            .as_ref()
            .and_then(|s| mobile_id_status_message(s.code, lang))
        {
            let first = match report.sub_indication {
                Some(SubIndication::NoSignature) => sub_indication_message(SubIndication::NoSignature, lang),
                _ => indication_message(report.indication, lang),
            };
            return join(first, Some(text));
        }
    }
    join(verdict, deciding.map(|c| check_failure_message(c.code, lang)))
}

/// The message for a Swisscom Mobile ID status or fault code (reference guide 6.1); `None` for
/// an unknown code.
pub fn mobile_id_status_message(code: u16, lang: Lang) -> Option<String> {
    MOBILE_ID_STATUS_CODES
        .contains(&code)
        .then(|| message(&mobile_id_status_id(code), lang))
}

/// MSign's `Message` field (string100): `msign-all-valid` when the report passed, else the most
/// specific reason that fits in [`MSIGN_MESSAGE_MAX`] characters (UTF-16 code units, as .NET
/// counts them): the deciding check's failure message, else the sub-indication's, else the
/// indication's (`msign-not-valid` for TOTAL_FAILED); if none fits, the first one cut with "…".
pub fn msign_message(report: &Report, lang: Lang) -> String {
    if report.indication == Indication::TotalPassed {
        return truncate(&message("msign-all-valid", lang), MSIGN_MESSAGE_MAX);
    }
    let mut candidates = Vec::new();
    if let Some(c) = deciding_check(report) {
        candidates.push(check_failure_message(c.code, lang));
    }
    if let Some(s) = report.sub_indication {
        candidates.push(sub_indication_message(s, lang));
    }
    candidates.push(match report.indication {
        Indication::Indeterminate => indication_message(Indication::Indeterminate, lang),
        _ => message("msign-not-valid", lang),
    });
    let first = candidates.first().cloned().unwrap_or_default();
    candidates
        .into_iter()
        .find(|m| utf16_len(m) <= MSIGN_MESSAGE_MAX)
        .unwrap_or_else(|| truncate(&first, MSIGN_MESSAGE_MAX))
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Cuts `s` to at most `max` UTF-16 code units at a character boundary, ending with "…" when
/// cut.
pub fn truncate(s: &str, max: usize) -> String {
    if utf16_len(s) <= max {
        return s.to_string();
    }
    let budget = max.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert_eq!(
            sub_id(SubIndication::CryptoConstraintsFailureNoPoe),
            "sub-crypto-constraints-failure-no-poe"
        );
        assert_eq!(
            check_failed_id(CheckCode::ApTransIdMatch),
            "check-ap-trans-id-match-failed"
        );
        assert_eq!(indication_id(Indication::TotalPassed), "indication-total-passed");
    }

    #[test]
    fn truncates_at_char_boundary() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        let cyr = "Подпись недействительна";
        let t = truncate(cyr, 10);
        assert_eq!(utf16_len(&t), 10);
        assert!(t.ends_with('…'));
        assert_eq!(truncate("ab cd", 4), "ab…");
    }

    #[test]
    fn english_samples() {
        assert_eq!(
            indication_message(Indication::TotalPassed, Lang::En),
            "The signature is valid."
        );
        assert_eq!(
            sub_indication_message(SubIndication::HashFailure, Lang::En),
            "The signed data has been modified after signing."
        );
        assert_eq!(message("msign-all-valid", Lang::En), "The signature is valid");
        assert_eq!(
            mobile_id_status_message(401, Lang::En).as_deref(),
            Some("The user cancelled the request on the phone.")
        );
        assert_eq!(mobile_id_status_message(999, Lang::En), None);
    }

    #[test]
    fn no_isolation_marks() {
        for l in Lang::ALL {
            for id in message_ids(*l) {
                let m = message(id, *l);
                assert!(!m.contains(['\u{2068}', '\u{2069}']), "{id}");
            }
        }
    }
}

//! Swisscom Mobile ID responses: the checks an Application Provider must make on a
//! `MSS_SignatureResp`, `MSS_StatusResp` or `Fault` (Mobile ID Reference Guide 4.1.2, 4.2, 6.1).
//!
//! Both forms the guide documents are read, into one model that then goes through the same
//! checks: the REST/JSON form ([`verify_response`]; `json`), and the SOAP form
//! ([`verify_soap_response`]; `soap`, through the crate's bounded XML reader, DTDs refused). A
//! JSON string holding the SOAP envelope is read as SOAP. Where the guide prints a JSON value
//! both quoted and bare (`"MajorVersion": 1`, `"MobileUser": 41700092502`, status codes), both
//! are accepted. With what the AP sent ([`Expected`]), each gives a [`Report`] of format
//! `MOBILE_ID`:
//!
//! * `MOBILE_ID_STATUS`: the status is a completed signature (500 SIGNATURE, 502 VALID_SIGNATURE).
//!   Other statuses and faults map to a verdict (see [`status_verdict`]); the other checks are
//!   then NOT_RUN. The report's `mobileIdStatus` gives the code, its name and its
//!   [`MobileIdStatusKind`]. Statuses that are not about a signature (the user cancelled, the
//!   transaction expired or is still outstanding, the account is blocked, the AP's request was
//!   refused) are INDETERMINATE / NO_SIGNATURE: never TOTAL_FAILED, which would say a signature
//!   was found invalid, and never TOTAL_PASSED.
//! * `FORMAT_PARSED`: the response is well-formed, `MajorVersion` is 1 (and `MinorVersion`, when
//!   given, a version number).
//! * `AP_TRANS_ID_MATCH`, `MSISDN_MATCH`: the response answers this request (4.1.2 1).
//! * `SIGNATURE_PRESENT`, `MOBILE_ID_SINGLE_SIGNATURE`: `MSS_Signature.Base64Signature` is a CMS
//!   SignedData with a signature, and with exactly one. The CMS adapter describes it, with the
//!   DTBD as its content, and the validation process verifies it (4.1.2 2, 3): a different DTBD
//!   is TOTAL_FAILED/HASH_FAILURE, chain and validity as configured in the [`VerifyContext`].
//!   Its signature reports go to [`Report::signatures`]; the checks the CMS adapter makes on the
//!   SignedData as a whole join the Mobile ID checks in [`Report::checks`].
//! * `MOBILE_ID_SERIAL_MATCH`: the signer's Mobile ID serial number equals the pinned one (4.2),
//!   or, when none is pinned, an INFO check naming the serial to pin.
//!
//! Pure: no I/O, no clock; time, trust and policy come in the [`VerifyContext`]. Malformed
//! responses are a TOTAL_FAILED/FORMAT_FAILURE verdict, never a panic.

mod codes;
mod json;
mod soap;

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

use crate::adapters::cades;
use crate::context::{Content, MAX_INPUT_LEN, Meter, VerifyContext};
use crate::formats::cms;
use crate::verdict::{
    CheckCode, Checks, Format, MobileIdStatus, MobileIdStatusKind, Report, SignatureReport, SubIndication,
};

pub use codes::{status_kind, status_name, status_verdict};
pub use soap::{MSS_NS, looks_like_xml};

/// What the Application Provider sent and expects back.
///
/// Deserializes from `{"dtbd": "...", "msisdn": "...", "apTransId": "...", "midSerial": "..."}`
/// (`midSerial` optional). Unknown fields are refused, so that a misspelt `midSerial` cannot
/// silently switch off the serial number check.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expected {
    /// The DataToBeDisplayed / DataToBeSigned text of the request (signed as UTF-8).
    pub dtbd: String,
    /// The MSISDN of the request, in international form (`+41791234567`, `41791234567` or
    /// `0041791234567`; spaces ignored). A national number (`079...`) never matches.
    pub msisdn: String,
    /// The AP_TransID of the request.
    pub ap_trans_id: String,
    /// The Mobile ID serial number pinned at the user's first signature (`MIDCHE...`), if any.
    #[serde(default)]
    pub mid_serial: Option<String>,
}

/// The three response messages of Mobile ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    SignatureResp,
    StatusResp,
    Fault,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::SignatureResp => "MSS_SignatureResp",
            Kind::StatusResp => "MSS_StatusResp",
            Kind::Fault => "Fault",
        }
    }
}

/// A value read from a response, or why it could not be (missing, wrong type), in English.
type Field<T> = Result<T, String>;

/// A Mobile ID response as read from either form, before any check.
enum Response {
    Fault(Fault),
    Signature(SignatureResp),
}

/// A Fault (Reference Guide 3.2.2.3).
struct Fault {
    /// `Code.SubCode.Value` (`_401`), when readable.
    code: Option<u16>,
    /// `Reason`.
    reason: Option<String>,
    /// `Detail`, the MSSP's own text.
    detail: Option<String>,
}

/// An MSS_SignatureResp or MSS_StatusResp: the fields the checks read.
struct SignatureResp {
    kind: Kind,
    status: Field<Status>,
    /// `None` when absent.
    major_version: Option<Field<String>>,
    minor_version: Option<Field<String>>,
    ap_trans_id: Field<String>,
    msisdn: Field<String>,
    /// `MSS_Signature.Base64Signature`, as written.
    signature: Field<String>,
}

/// `Status`: `StatusCode.Value` and `StatusMessage`.
struct Status {
    code: u16,
    message: Option<String>,
}

/// The signer's Mobile ID serial number (subject serialNumber, `MIDCHE...`) of a report's
/// single signature, to pin at a user's first signature (Reference Guide 4.2).
///
/// # Security
/// Pin only a serial from a TOTAL_PASSED report: the serial of an unverified signature is
/// whatever the sender chose.
pub fn mobile_id_serial(report: &Report) -> Option<String> {
    match report.signatures.as_slice() {
        [s] => s.signer.as_ref()?.subject_serial_number.as_deref().map(str::to_string),
        _ => None,
    }
}

/// The Mobile ID status or fault code a report of [`verify_response`] was given.
pub fn mobile_id_status_code(report: &Report) -> Option<u16> {
    report.mobile_id_status.as_ref().map(|s| s.code)
}

/// Verifies a Mobile ID response in its REST/JSON form against the request the AP sent.
///
/// `response` is `{"MSS_SignatureResp": {...}}`, `{"MSS_StatusResp": {...}}` or
/// `{"Fault": {...}}`, or the inner object alone (the kind is then told by its fields); or a
/// JSON string holding the SOAP form, read as [`verify_soap_response`] reads it. See the
/// [module documentation](self) for the checks.
///
/// # Security
/// The response's own TLS channel to Mobile ID is not checked here (the AP's client does
/// that); revocation of the signer's certificate is checked only as the context's policy asks.
pub fn verify_response(response: &Value, expected: &Expected, ctx: &VerifyContext<'_>) -> Report {
    match response {
        Value::String(text) if looks_like_xml(text) => verify_soap_response(text, expected, ctx),
        _ => verify_read(json::read(response), expected, ctx),
    }
}

/// Verifies a Mobile ID response in its SOAP form (the envelope exactly as Mobile ID returned
/// it, or the `mss:MSS_SignatureResp` / `mss:MSS_StatusResp` element alone) against the request
/// the AP sent: the same checks as [`verify_response`]. XML with a DTD, or past the reader's
/// limits (4 MiB, depth 32, 10,000 elements), is a FORMAT_FAILURE.
///
/// # Security
/// As [`verify_response`]; the envelope is not signed, and nothing in it is trusted beyond the
/// CMS signature it carries.
pub fn verify_soap_response(xml: &str, expected: &Expected, ctx: &VerifyContext<'_>) -> Report {
    verify_read(soap::read(xml), expected, ctx)
}

fn verify_read(read: Result<Response, String>, expected: &Expected, ctx: &VerifyContext<'_>) -> Report {
    let mut out = Outcome::default();
    match read {
        Err(detail) => out
            .checks
            .fail(CheckCode::FormatParsed, SubIndication::FormatFailure, detail),
        Ok(Response::Fault(f)) => check_fault(&f, &mut out),
        Ok(Response::Signature(r)) => check_signature_response(&r, expected, ctx, &mut out),
    }
    let mut report = Report::empty(Format::MobileId, ctx.time.to_rfc3339());
    report.signatures = out.signatures;
    report.mobile_id_status = out.status;
    report.checks = out.checks.into_vec();
    report.conclude();
    report
}

/// What the checks of a response found.
#[derive(Default)]
struct Outcome {
    checks: Checks,
    signatures: Vec<SignatureReport>,
    status: Option<MobileIdStatus>,
}

/// Longest piece of a response or request value repeated in a report (characters).
const MAX_SHOWN_CHARS: usize = 64;

/// `s` as a report may repeat it: whole when short, else its first characters and its length,
/// so that a hostile response cannot make the report (and every response carrying it) huge.
fn shown(s: &str) -> String {
    match s.char_indices().nth(MAX_SHOWN_CHARS) {
        None => s.to_string(),
        Some((end, _)) => format!("{}… ({} bytes)", &s[..end], s.len()),
    }
}

/// The other checks, when the status is not a signature.
fn not_run_rest(checks: &mut Checks, why: &str) {
    for code in [
        CheckCode::ApTransIdMatch,
        CheckCode::MsisdnMatch,
        CheckCode::SignaturePresent,
        CheckCode::MobileIdSingleSignature,
        CheckCode::MobileIdSerialMatch,
    ] {
        checks.not_run(code, None, format!("not run: {why}"));
    }
}

/// A Fault (Reference Guide 3.2.2.3): never a signature.
fn check_fault(f: &Fault, out: &mut Outcome) {
    let checks = &mut out.checks;
    let reason = f.reason.as_deref();
    let mssp = f
        .detail
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| format!(", MSSP detail '{}'", shown(d)))
        .unwrap_or_default();
    match f.code {
        Some(code) => {
            // A Fault never carries a signature, whatever its code says.
            let sub = status_verdict(code).unwrap_or(SubIndication::FormatFailure);
            out.status = Some(codes::status(code, reason));
            checks.fail(
                CheckCode::MobileIdStatus,
                sub,
                format!("{} (Fault{mssp})", codes::describe(code, reason)),
            );
        }
        None => checks.fail(
            CheckCode::MobileIdStatus,
            SubIndication::FormatFailure,
            format!(
                "Fault without a readable Code.SubCode.Value (reason '{}'{mssp})",
                shown(reason.unwrap_or("none"))
            ),
        ),
    }
    not_run_rest(checks, "the response is a Fault, no signature was returned");
}

/// MSS_SignatureResp / MSS_StatusResp: the status, the version, whether the response answers
/// this request, then the CMS signature and the Mobile ID serial number.
fn check_signature_response(r: &SignatureResp, expected: &Expected, ctx: &VerifyContext<'_>, out: &mut Outcome) {
    if !check_status(r, out) {
        return;
    }
    match &r.major_version {
        Some(v) => check_versions(v, r.minor_version.as_ref(), &mut out.checks),
        None => out.checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "MajorVersion is missing",
        ),
    }
    check_request_match(r, expected, &mut out.checks);
    check_cms_signature(&r.signature, expected, ctx, out);
    check_serial(expected, out);
}

/// The status (Reference Guide 3.2.2.2, 3.3.2, 6.1). `true` when it is a completed signature
/// and the other checks are to run.
fn check_status(r: &SignatureResp, out: &mut Outcome) -> bool {
    let checks = &mut out.checks;
    let status = match &r.status {
        Ok(s) => s,
        Err(e) => {
            checks.fail(
                CheckCode::MobileIdStatus,
                SubIndication::FormatFailure,
                format!("{}: {e}", r.kind.name()),
            );
            not_run_rest(checks, "the response has no readable status");
            return false;
        }
    };
    let message = status.message.as_deref();
    out.status = Some(codes::status(status.code, message));
    let text = format!("{} ({})", codes::describe(status.code, message), r.kind.name());
    match status_verdict(status.code) {
        Some(sub) => {
            checks.fail(CheckCode::MobileIdStatus, sub, text);
            // The version is checked when given; a 504 poll answer may be a bare Status.
            if let Some(v) = &r.major_version {
                check_versions(v, r.minor_version.as_ref(), checks);
            }
            let why = match status_kind(status.code) {
                MobileIdStatusKind::Pending => "the transaction is not finished, no signature yet",
                _ => "the status is not a completed signature",
            };
            not_run_rest(checks, why);
            false
        }
        None => {
            checks.pass(CheckCode::MobileIdStatus, text);
            true
        }
    }
}

/// AP_TransID and MSISDN (Reference Guide 4.1.2 1): the response answers this request.
fn check_request_match(r: &SignatureResp, expected: &Expected, checks: &mut Checks) {
    match &r.ap_trans_id {
        Ok(id) if *id == expected.ap_trans_id => checks.pass(
            CheckCode::ApTransIdMatch,
            format!("AP_TransID '{}' is the request's", shown(id)),
        ),
        Ok(id) => checks.fail(
            CheckCode::ApTransIdMatch,
            SubIndication::SigConstraintsFailure,
            format!(
                "AP_TransID '{}' differs from the request's '{}': the response answers another request",
                shown(id),
                shown(&expected.ap_trans_id)
            ),
        ),
        Err(e) => checks.fail(CheckCode::ApTransIdMatch, SubIndication::FormatFailure, e.clone()),
    }
    match &r.msisdn {
        Ok(got) => check_msisdn(got, &expected.msisdn, checks),
        Err(e) => checks.fail(CheckCode::MsisdnMatch, SubIndication::FormatFailure, e.clone()),
    }
}

/// The CMS signature over the DTBD (4.1.2 2, 3), through the CMS adapter and the validation
/// process.
fn check_cms_signature(b64: &Field<String>, expected: &Expected, ctx: &VerifyContext<'_>, out: &mut Outcome) {
    let der = match b64.as_ref().map_err(String::clone).and_then(|s| decode_base64(s)) {
        Ok(der) => der,
        Err(e) => {
            out.checks
                .fail(CheckCode::SignaturePresent, SubIndication::FormatFailure, e);
            return out
                .checks
                .not_run(CheckCode::MobileIdSingleSignature, None, "not run: no CMS signature");
        }
    };
    let sd = match cms::parse_content_info(&der) {
        Ok(sd) => sd,
        Err(e) => {
            out.checks.fail(
                CheckCode::SignaturePresent,
                SubIndication::FormatFailure,
                format!("MSS_Signature.Base64Signature is not a CMS SignedData: {e}"),
            );
            return out
                .checks
                .not_run(CheckCode::MobileIdSingleSignature, None, "not run: no CMS signature");
        }
    };
    let adapted = cades::adapt(&sd, Content::Data(expected.dtbd.as_bytes()), ctx);
    let meter = Meter::new(ctx.budget, ctx.cancel);
    for sut in &adapted.signatures {
        out.signatures
            .extend(crate::process::validate_signature(sut, ctx, &meter));
    }
    check_signature_count(out.signatures.len(), &mut out.checks);
    out.checks.extend(adapted.checks);
}

/// A signature at all, then exactly one: Mobile ID returns one signature per response.
fn check_signature_count(n: usize, checks: &mut Checks) {
    match n {
        0 => {
            checks.fail(
                CheckCode::SignaturePresent,
                SubIndication::FormatFailure,
                "the CMS holds no signature",
            );
            checks.not_run(CheckCode::MobileIdSingleSignature, None, "not run: no signature");
        }
        1 => {
            checks.pass(CheckCode::SignaturePresent, "the CMS holds a signature");
            checks.pass(
                CheckCode::MobileIdSingleSignature,
                "the CMS holds exactly one signature, as Mobile ID returns",
            );
        }
        n => {
            checks.pass(CheckCode::SignaturePresent, format!("the CMS holds {n} signatures"));
            checks.fail(
                CheckCode::MobileIdSingleSignature,
                SubIndication::FormatFailure,
                format!("the CMS holds {n} signatures (counter-signatures included); Mobile ID returns exactly one"),
            );
        }
    }
}

/// The Mobile ID serial number (Reference Guide 4.2) of the one signer the process identified.
fn check_serial(expected: &Expected, out: &mut Outcome) {
    let serial = match out.signatures.as_slice() {
        [s] => s.signer.as_ref().map(|c| c.subject_serial_number.clone()),
        _ => None,
    };
    let checks = &mut out.checks;
    match (serial, expected.mid_serial.as_deref()) {
        (None, _) => checks.not_run(
            CheckCode::MobileIdSerialMatch,
            None,
            "not run: the signer certificate was not identified",
        ),
        (Some(Some(got)), Some(pinned)) if got.trim().eq_ignore_ascii_case(pinned.trim()) => checks.pass(
            CheckCode::MobileIdSerialMatch,
            format!("Mobile ID serial number '{got}' is the pinned one"),
        ),
        (Some(Some(got)), Some(pinned)) => checks.fail(
            CheckCode::MobileIdSerialMatch,
            SubIndication::SigConstraintsFailure,
            format!(
                "Mobile ID serial number '{got}' differs from the pinned '{}': the account was \
                 re-activated without a valid recovery, the second factor is not assured",
                shown(pinned)
            ),
        ),
        (Some(None), Some(pinned)) => checks.fail(
            CheckCode::MobileIdSerialMatch,
            SubIndication::SigConstraintsFailure,
            format!(
                "the signer certificate has no subject serialNumber; expected the pinned '{}'",
                shown(pinned)
            ),
        ),
        (Some(Some(got)), None) => checks.info(
            CheckCode::MobileIdSerialMatch,
            format!("no serial number pinned; pin '{got}' for this user's next signatures"),
        ),
        (Some(None), None) => checks.info(
            CheckCode::MobileIdSerialMatch,
            "no serial number pinned, and the signer certificate has no subject serialNumber",
        ),
    }
}

/// `MajorVersion` must be 1; `MinorVersion`, when given, a version number (the guide shows 1
/// and 2).
fn check_versions(major: &Field<String>, minor: Option<&Field<String>>, checks: &mut Checks) {
    let minor_ok = |m: &str| !m.is_empty() && m.len() <= 4 && m.bytes().all(|b| b.is_ascii_digit());
    match (major, minor) {
        (Err(e), _) | (_, Some(Err(e))) => {
            checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, e.clone())
        }
        (Ok(v), _) if v.trim() != "1" => checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            format!("MajorVersion '{}' is not 1", shown(v)),
        ),
        (Ok(_), Some(Ok(m))) if !minor_ok(m.trim()) => checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            format!("MinorVersion '{}' is not a version number", shown(m)),
        ),
        (Ok(_), _) => checks.pass(CheckCode::FormatParsed, "Mobile ID response, MajorVersion 1"),
    }
}

/// Strict Base64 (RFC 4648 standard alphabet, padded); whitespace is ignored.
fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    if s.len() > MAX_INPUT_LEN.saturating_mul(2) {
        return Err(format!(
            "MSS_Signature.Base64Signature of {} characters is too long",
            s.len()
        ));
    }
    let engine = base64::engine::general_purpose::STANDARD;
    // Text without whitespace decodes as it is (whitespace is not in the alphabet, so text
    // that decodes has none); other text is decoded without its whitespace.
    let decoded = match engine.decode(s) {
        Ok(der) if !der.is_empty() => return Ok(der),
        _ => {
            let compact = without_ascii_whitespace(s.as_bytes());
            if compact.is_empty() {
                return Err("MSS_Signature.Base64Signature is empty".into());
            }
            engine.decode(compact)
        }
    };
    decoded.map_err(|e| format!("MSS_Signature.Base64Signature is not Base64: {e}"))
}

/// `s` without its ASCII whitespace (space, tab, line feed, form feed, carriage return), the
/// runs between whitespace copied whole. An ASCII byte never occurs inside a multi-byte UTF-8
/// sequence, so the bytes left are the characters left.
fn without_ascii_whitespace(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for run in s.split(u8::is_ascii_whitespace) {
        out.extend_from_slice(run);
    }
    out
}

/// An MSISDN in international form: spaces removed, then one leading `+` or `00` removed; the
/// rest must be digits not starting with 0. National numbers (`079...`) are not accepted: the
/// country code cannot be guessed safely, so they never match.
fn international(msisdn: &str) -> Option<String> {
    let compact: String = msisdn.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact
        .strip_prefix('+')
        .or_else(|| compact.strip_prefix("00"))
        .unwrap_or(&compact);
    (!digits.is_empty() && digits.len() <= 15 && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_string())
}

fn check_msisdn(got: &str, expected: &str, checks: &mut Checks) {
    let Some(g) = international(got) else {
        checks.fail(
            CheckCode::MsisdnMatch,
            SubIndication::FormatFailure,
            format!(
                "MobileUser.MSISDN '{}' is not an international phone number",
                shown(got)
            ),
        );
        return;
    };
    match international(expected) {
        Some(e) if e == g => checks.pass(CheckCode::MsisdnMatch, format!("MSISDN +{g} is the request's")),
        Some(e) => checks.fail(
            CheckCode::MsisdnMatch,
            SubIndication::SigConstraintsFailure,
            format!("MSISDN +{g} differs from the request's +{e}: the response is for another phone"),
        ),
        None => checks.fail(
            CheckCode::MsisdnMatch,
            SubIndication::SigConstraintsFailure,
            format!(
                "the expected MSISDN '{}' is not in international form (+41..., 41..., 0041...); \
                 it cannot be matched with +{g}",
                shown(expected)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_with_whitespace_and_line_breaks() {
        let plain = "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu";
        let want = b"Many hands make light work.".to_vec();
        assert_eq!(decode_base64(plain), Ok(want.clone()));
        for spaced in [
            "TWFueSBo YW5kcyBt\tYWtlIGxp\nZ2h0IHdv\r\ncmsu",
            "  TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu\n",
            "TWFu\x0CeSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu",
            "T W F u e S B o Y W 5 k c y B t Y W t l I G x p Z 2 h 0 I H d v c m s u",
        ] {
            assert_eq!(decode_base64(spaced), Ok(want.clone()), "{spaced:?}");
        }
        // A 76-column MIME layout.
        let long = "QUJD".repeat(100);
        let folded: Vec<&str> = long
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        assert_eq!(decode_base64(&folded.join("\r\n")), Ok(b"ABC".repeat(100)));
    }

    #[test]
    fn base64_refusals() {
        assert!(decode_base64("").unwrap_err().contains("is empty"));
        assert!(decode_base64(" \r\n\t").unwrap_err().contains("is empty"));
        // Only ASCII whitespace is ignored: a vertical tab, a no-break space and other
        // characters are refused, at their offset in the text without its whitespace.
        for bad in [
            "TWFu\x0BeSBo",
            "TWFu\u{a0}eSBo",
            "TWFu\u{2028}eSBo",
            "TW Fu*eSBo",
            "TWFu-_Bo",
            "TWFueSB",
        ] {
            let e = decode_base64(bad).unwrap_err();
            assert!(e.contains("is not Base64"), "{bad:?}: {e}");
        }
        assert!(decode_base64("TW Fu*eSBo").unwrap_err().contains("offset 4"));
        // Padding is required and must be right.
        assert!(decode_base64("TWE").is_err());
        assert_eq!(decode_base64("TWE="), Ok(b"Ma".to_vec()));
        assert!(decode_base64("TWE=\n=").is_err());
        assert!(decode_base64("TQ=").is_err());
    }

    #[test]
    fn msisdn_forms() {
        assert_eq!(international("+41 79 123 45 67").as_deref(), Some("41791234567"));
        assert_eq!(international("41791234567").as_deref(), Some("41791234567"));
        assert_eq!(international("0041791234567").as_deref(), Some("41791234567"));
        assert_eq!(international("0791234567"), None);
        assert_eq!(international("+0041791234567"), None);
        assert_eq!(international(""), None);
        assert_eq!(international("+41-79"), None);
    }
}

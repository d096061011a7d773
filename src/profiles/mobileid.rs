//! Swisscom Mobile ID responses: the checks an Application Provider must make on a
//! `MSS_SignatureResp`, `MSS_StatusResp` or `Fault` (Mobile ID Reference Guide 4.1.2, 4.2, 6.1).
//!
//! [`verify_response`] takes the REST/JSON response exactly as Mobile ID returned it and what the
//! AP sent ([`Expected`]), and gives a [`Report`] of format `MOBILE_ID`:
//!
//! * `MOBILE_ID_STATUS`: the status is a completed signature (500 SIGNATURE, 502 VALID_SIGNATURE).
//!   Faults and other statuses map to a verdict (see [`status_verdict`]); the other checks are
//!   then NOT_RUN.
//! * `FORMAT_PARSED`: the response is well-formed, `MajorVersion` is "1".
//! * `AP_TRANS_ID_MATCH`, `MSISDN_MATCH`: the response answers this request (4.1.2 1).
//! * `SIGNATURE_PRESENT`: `MSS_Signature.Base64Signature` is a CMS SignedData with exactly one
//!   signature. The CMS adapter describes it, with the DTBD as its content, and the validation
//!   process verifies it (4.1.2 2, 3): a different DTBD is TOTAL_FAILED/HASH_FAILURE, chain and
//!   validity as configured in the [`VerifyContext`]. Its signature report goes to
//!   [`Report::signatures`]; the checks the CMS adapter makes on the SignedData as a whole join
//!   the Mobile ID checks in [`Report::checks`].
//! * `MOBILE_ID_SERIAL_MATCH`: the signer's Mobile ID serial number equals the pinned one (4.2),
//!   or, when none is pinned, an INFO check naming the serial to pin.
//!
//! Pure: no I/O, no clock; time, trust and policy come in the [`VerifyContext`]. Malformed
//! responses are a TOTAL_FAILED/FORMAT_FAILURE verdict, never a panic.

use base64::Engine;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::adapters::cades;
use crate::context::{Content, MAX_INPUT_LEN, Meter, VerifyContext};
use crate::formats::cms;
use crate::verdict::{CheckCode, Checks, Format, MobileIdStatus, Report, SignatureReport, SubIndication};

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

/// Status and fault codes (Reference Guide 6.1): code, message, description.
const CODES: &[(u16, &str, &str)] = &[
    (
        100,
        "REQUEST_OK",
        "the request was accepted; the signature is not available yet",
    ),
    (101, "WRONG_PARAM", "the AP's request contains wrong parameters"),
    (102, "MISSING_PARAM", "the AP's request has missing parameters"),
    (103, "WRONG_DATA_LENGTH", "the DTBD exceeds the maximum allowed length"),
    (
        104,
        "UNAUTHORIZED_ACCESS",
        "the AP is not authorized to access the Mobile ID API",
    ),
    (
        105,
        "UNKNOWN_CLIENT",
        "the MSISDN is unknown or the AP may not use the app method",
    ),
    (
        107,
        "INAPPROPRIATE_DATA",
        "inappropriate data (typically the DTBD lacks the AP's prefix)",
    ),
    (
        108,
        "INCOMPATIBLE_INTERFACE",
        "wrong MajorVersion or MinorVersion in the request",
    ),
    (
        109,
        "UNSUPPORTED_PROFILE",
        "the signature profile is not supported or not allowed",
    ),
    (
        208,
        "EXPIRED_TRANSACTION",
        "the transaction timed out; the AP may try again",
    ),
    (
        209,
        "OTA_ERROR",
        "temporary over-the-air communication problem with the SIM",
    ),
    (401, "USER_CANCEL", "the user cancelled the request"),
    (402, "PIN_NR_BLOCKED", "the Mobile ID PIN is blocked"),
    (403, "CARD_BLOCKED", "the Mobile ID user is suspended"),
    (404, "NO_KEY_FOUND", "the Mobile ID user is not in an active state"),
    (
        406,
        "PB_SIGNATURE_PROCESS",
        "a signature transaction is already ongoing; try again later",
    ),
    (422, "NO_CERT_FOUND", "the Mobile ID user is not in an active state"),
    (500, "SIGNATURE", "the signature transaction was successful"),
    (
        501,
        "REVOKED_CERTIFICATE",
        "the Mobile ID user's certificate has been revoked",
    ),
    (502, "VALID_SIGNATURE", "the signature transaction was successful"),
    (
        503,
        "INVALID_SIGNATURE",
        "the signature transaction failed due to invalid signature data",
    ),
    (
        504,
        "OUTSTANDING_TRANSACTION",
        "the transaction is outstanding; try again later",
    ),
    (900, "INTERNAL_ERROR", "internal error of the MSSP; try again later"),
];

/// The verdict a Mobile ID status or fault code gives: `None` for a completed signature (500,
/// 502), else the sub-indication of the failure:
///
/// * 100, 504 (not finished yet), 208, 209, 406, 900 (temporary): INDETERMINATE/TRY_LATER;
/// * 501 REVOKED_CERTIFICATE: TOTAL_FAILED/REVOKED;
/// * 503 INVALID_SIGNATURE: TOTAL_FAILED/SIG_CRYPTO_FAILURE;
/// * every other fault (101..109, 401..422) and unknown codes: no signature was produced,
///   TOTAL_FAILED/FORMAT_FAILURE.
pub fn status_verdict(code: u16) -> Option<SubIndication> {
    match code {
        500 | 502 => None,
        100 | 504 | 208 | 209 | 406 | 900 => Some(SubIndication::TryLater),
        501 => Some(SubIndication::Revoked),
        503 => Some(SubIndication::SigCryptoFailure),
        _ => Some(SubIndication::FormatFailure),
    }
}

/// The signer's Mobile ID serial number (subject serialNumber, `MIDCHE...`) of a report's
/// single signature, to pin at a user's first signature (Reference Guide 4.2).
///
/// # Security
/// Pin only a serial from a TOTAL_PASSED report: the serial of an unverified signature is
/// whatever the sender chose.
pub fn mobile_id_serial(report: &Report) -> Option<String> {
    match report.signatures.as_slice() {
        [s] => s.signer.as_ref()?.subject_serial_number.clone(),
        _ => None,
    }
}

/// The Mobile ID status or fault code a report of [`verify_response`] was given.
pub fn mobile_id_status_code(report: &Report) -> Option<u16> {
    report.mobile_id_status.as_ref().map(|s| s.code)
}

/// Verifies a Mobile ID response (REST/JSON) against the request the AP sent.
///
/// `response` is `{"MSS_SignatureResp": {...}}`, `{"MSS_StatusResp": {...}}` or
/// `{"Fault": {...}}`, or the inner object alone (the kind is then told by its fields).
/// See the [module documentation](self) for the checks.
pub fn verify_response(response: &Value, expected: &Expected, ctx: &VerifyContext<'_>) -> Report {
    let mut out = Outcome::default();
    match unwrap_response(response) {
        Err(detail) => out
            .checks
            .fail(CheckCode::FormatParsed, SubIndication::FormatFailure, detail),
        Ok((Kind::Fault, body)) => check_fault(body, &mut out),
        Ok((kind, body)) => check_signature_response(kind, body, expected, ctx, &mut out),
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

fn status(code: u16, message: Option<&str>) -> MobileIdStatus {
    let known = CODES.iter().find(|(c, _, _)| *c == code);
    MobileIdStatus {
        code,
        message: shown(
            message
                .filter(|m| !m.trim().is_empty())
                .or(known.map(|k| k.1))
                .unwrap_or("UNKNOWN"),
        ),
    }
}

/// The response kind and its body object.
fn unwrap_response(response: &Value) -> Result<(Kind, &Map<String, Value>), String> {
    let Value::Object(outer) = response else {
        return Err(format!(
            "the Mobile ID response is a JSON {}, not an object",
            type_name(response)
        ));
    };
    let wrapped: Vec<(Kind, &Value)> = [Kind::SignatureResp, Kind::StatusResp, Kind::Fault]
        .into_iter()
        .filter_map(|k| outer.get(k.name()).map(|v| (k, v)))
        .collect();
    match wrapped.as_slice() {
        [(kind, Value::Object(body))] => Ok((*kind, body)),
        [(kind, other)] => Err(format!("{} is a JSON {}, not an object", kind.name(), type_name(other))),
        [] if outer.contains_key("Code") || outer.contains_key("Reason") => Ok((Kind::Fault, outer)),
        [] if outer.contains_key("Status") || outer.contains_key("MSS_Signature") => {
            // MSS_SignatureResp and MSS_StatusResp have the same fields to check.
            Ok((Kind::SignatureResp, outer))
        }
        [] => Err("not a Mobile ID response: no MSS_SignatureResp, MSS_StatusResp or Fault".into()),
        _ => Err("ambiguous Mobile ID response: several of MSS_SignatureResp, MSS_StatusResp, Fault".into()),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The string at `path` below `obj`; `Err` names the path and what was found instead.
fn string_at<'a>(obj: &'a Map<String, Value>, path: &[&str]) -> Result<&'a str, String> {
    let name = path.join(".");
    let mut cur: Option<&Value> = None;
    let mut map = Some(obj);
    for key in path {
        let next = map.and_then(|m| m.get(*key));
        match next {
            Some(v) => {
                cur = Some(v);
                map = v.as_object();
            }
            None => return Err(format!("{name} is missing")),
        }
    }
    match cur {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!("{name} is a JSON {}, not a string", type_name(other))),
        None => Err(format!("{name} is missing")),
    }
}

/// A status or fault code given as `"500"`, `500`, `"_101"` or `"mss:_101"`.
fn parse_code(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => {
            let s = s.trim();
            let s = s.rsplit(':').next().unwrap_or(s).trim_start_matches('_');
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
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

fn describe(code: u16, message: Option<&str>) -> String {
    let known = CODES.iter().find(|(c, _, _)| *c == code);
    let message = shown(
        message
            .filter(|m| !m.trim().is_empty())
            .or(known.map(|k| k.1))
            .unwrap_or("UNKNOWN"),
    );
    match known {
        Some((_, _, description)) => format!("{code} {message}: {description}"),
        None => format!("{code} {message}: unknown Mobile ID status or fault code"),
    }
}

/// The other checks, when the status is not a signature.
fn not_run_rest(checks: &mut Checks, why: &str) {
    for code in [
        CheckCode::ApTransIdMatch,
        CheckCode::MsisdnMatch,
        CheckCode::SignaturePresent,
        CheckCode::MobileIdSerialMatch,
    ] {
        checks.not_run(code, None, format!("not run: {why}"));
    }
}

/// A Fault (Reference Guide 3.2.2.3): always a failure.
fn check_fault(body: &Map<String, Value>, out: &mut Outcome) {
    let checks = &mut out.checks;
    let code_value = body
        .get("Code")
        .and_then(|c| c.get("SubCode"))
        .and_then(|s| s.get("Value"));
    let reason = body.get("Reason").and_then(Value::as_str);
    let detail = body
        .get("Detail")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty());
    let mssp = detail
        .map(|d| format!(", MSSP detail '{}'", shown(d)))
        .unwrap_or_default();
    match code_value.and_then(parse_code) {
        Some(code) => {
            // A Fault never carries a signature, whatever its code says.
            let sub = status_verdict(code).unwrap_or(SubIndication::FormatFailure);
            out.status = Some(status(code, reason));
            checks.fail(
                CheckCode::MobileIdStatus,
                sub,
                format!("{} (Fault{mssp})", describe(code, reason)),
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
fn check_signature_response(
    kind: Kind,
    body: &Map<String, Value>,
    expected: &Expected,
    ctx: &VerifyContext<'_>,
    out: &mut Outcome,
) {
    if !check_status(kind, body, out) {
        return;
    }
    let checks = &mut out.checks;
    match body.get("MajorVersion") {
        Some(v) => check_major_version(v, checks),
        None => checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "MajorVersion is missing",
        ),
    }
    check_request_match(body, expected, checks);
    check_cms_signature(body, expected, ctx, out);
    check_serial(expected, out);
}

/// The status (Reference Guide 3.2.2.2, 3.3.2, 6.1). `true` when it is a completed signature
/// and the other checks are to run.
fn check_status(kind: Kind, body: &Map<String, Value>, out: &mut Outcome) -> bool {
    let checks = &mut out.checks;
    let code = match body
        .get("Status")
        .and_then(|s| s.get("StatusCode"))
        .and_then(|c| c.get("Value"))
    {
        Some(v) => parse_code(v)
            .ok_or_else(|| format!("Status.StatusCode.Value {} is not a status code", shown(&v.to_string()))),
        None => Err("Status.StatusCode.Value is missing".to_string()),
    };
    let message = body
        .get("Status")
        .and_then(|s| s.get("StatusMessage"))
        .and_then(Value::as_str);
    let code = match code {
        Ok(c) => c,
        Err(e) => {
            checks.fail(
                CheckCode::MobileIdStatus,
                SubIndication::FormatFailure,
                format!("{}: {e}", kind.name()),
            );
            not_run_rest(checks, "the response has no readable status");
            return false;
        }
    };
    out.status = Some(status(code, message));
    let text = describe(code, message);
    match status_verdict(code) {
        Some(sub) => {
            checks.fail(CheckCode::MobileIdStatus, sub, format!("{text} ({})", kind.name()));
            // The version is checked when given; a 504 poll answer may be a bare Status.
            if let Some(v) = body.get("MajorVersion") {
                check_major_version(v, checks);
            }
            not_run_rest(checks, "the status is not a completed signature");
            false
        }
        None => {
            checks.pass(CheckCode::MobileIdStatus, format!("{text} ({})", kind.name()));
            true
        }
    }
}

/// AP_TransID and MSISDN (Reference Guide 4.1.2 1): the response answers this request.
fn check_request_match(body: &Map<String, Value>, expected: &Expected, checks: &mut Checks) {
    match string_at(body, &["AP_Info", "AP_TransID"]) {
        Ok(id) if id == expected.ap_trans_id => checks.pass(
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
        Err(e) => checks.fail(CheckCode::ApTransIdMatch, SubIndication::FormatFailure, e),
    }
    // MobileUser is {"MSISDN": "..."}; the guide's MSS_StatusResp example shows it bare.
    let msisdn = match body.get("MobileUser") {
        Some(Value::String(s)) => Ok(s.as_str()),
        _ => string_at(body, &["MobileUser", "MSISDN"]),
    };
    match msisdn {
        Ok(got) => check_msisdn(got, &expected.msisdn, checks),
        Err(e) => checks.fail(CheckCode::MsisdnMatch, SubIndication::FormatFailure, e),
    }
}

/// The CMS signature over the DTBD (4.1.2 2, 3), through the CMS adapter and the validation
/// process.
fn check_cms_signature(body: &Map<String, Value>, expected: &Expected, ctx: &VerifyContext<'_>, out: &mut Outcome) {
    let der = match string_at(body, &["MSS_Signature", "Base64Signature"]).and_then(decode_base64) {
        Ok(der) => der,
        Err(e) => {
            return out
                .checks
                .fail(CheckCode::SignaturePresent, SubIndication::FormatFailure, e);
        }
    };
    let sd = match cms::parse_content_info(&der) {
        Ok(sd) => sd,
        Err(e) => {
            return out.checks.fail(
                CheckCode::SignaturePresent,
                SubIndication::FormatFailure,
                format!("MSS_Signature.Base64Signature is not a CMS SignedData: {e}"),
            );
        }
    };
    let adapted = cades::adapt(&sd, Content::Data(expected.dtbd.as_bytes()), ctx);
    let meter = Meter::new(ctx.budget, ctx.cancel);
    for sut in &adapted.signatures {
        out.signatures
            .extend(crate::process::validate_signature(sut, ctx, &meter));
    }
    match out.signatures.len() {
        1 => out
            .checks
            .pass(CheckCode::SignaturePresent, "the CMS holds exactly one signature"),
        n => out.checks.fail(
            CheckCode::SignaturePresent,
            SubIndication::FormatFailure,
            format!("the CMS holds {n} signatures (counter-signatures included); Mobile ID gives exactly one"),
        ),
    }
    out.checks.extend(adapted.checks);
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

fn check_major_version(v: &Value, checks: &mut Checks) {
    match v {
        Value::String(s) if s == "1" => checks.pass(CheckCode::FormatParsed, "Mobile ID response, MajorVersion 1"),
        other => checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            format!("MajorVersion {} is not \"1\"", shown(&other.to_string())),
        ),
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
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err("MSS_Signature.Base64Signature is empty".into());
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| format!("MSS_Signature.Base64Signature is not Base64: {e}"))
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
    fn msisdn_forms() {
        assert_eq!(international("+41 79 123 45 67").as_deref(), Some("41791234567"));
        assert_eq!(international("41791234567").as_deref(), Some("41791234567"));
        assert_eq!(international("0041791234567").as_deref(), Some("41791234567"));
        assert_eq!(international("0791234567"), None);
        assert_eq!(international("+0041791234567"), None);
        assert_eq!(international(""), None);
        assert_eq!(international("+41-79"), None);
    }

    #[test]
    fn codes() {
        assert_eq!(parse_code(&Value::from("_101")), Some(101));
        assert_eq!(parse_code(&Value::from("mss:_401")), Some(401));
        assert_eq!(parse_code(&Value::from(504)), Some(504));
        assert_eq!(parse_code(&Value::from("x")), None);
        assert_eq!(parse_code(&Value::from(-1)), None);
        assert_eq!(status_verdict(502), None);
        assert_eq!(status_verdict(900), Some(SubIndication::TryLater));
        assert_eq!(
            describe(401, Some("USER_CANCEL")),
            "401 USER_CANCEL: the user cancelled the request"
        );
    }
}

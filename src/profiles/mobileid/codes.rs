//! Status and fault codes of the Mobile ID Reference Guide, section 6.1, and the verdict each
//! gives.

use crate::verdict::{MobileIdStatus, MobileIdStatusKind, SubIndication};

use super::shown;

/// Status and fault codes (Reference Guide 6.1): code, name, what it means, description.
const CODES: &[(u16, &str, MobileIdStatusKind, &str)] = &[
    (
        100,
        "REQUEST_OK",
        MobileIdStatusKind::Pending,
        "the request was accepted; the signature is not available yet",
    ),
    (
        101,
        "WRONG_PARAM",
        MobileIdStatusKind::RequestRejected,
        "the AP's request contains wrong parameters",
    ),
    (
        102,
        "MISSING_PARAM",
        MobileIdStatusKind::RequestRejected,
        "the AP's request has missing parameters",
    ),
    (
        103,
        "WRONG_DATA_LENGTH",
        MobileIdStatusKind::RequestRejected,
        "the DTBD exceeds the maximum allowed length",
    ),
    (
        104,
        "UNAUTHORIZED_ACCESS",
        MobileIdStatusKind::Unauthorized,
        "the AP is not authorized to access the Mobile ID API",
    ),
    (
        105,
        "UNKNOWN_CLIENT",
        MobileIdStatusKind::UserAccount,
        "the MSISDN is unknown or the AP may not use the app method",
    ),
    (
        107,
        "INAPPROPRIATE_DATA",
        MobileIdStatusKind::RequestRejected,
        "inappropriate data (typically the DTBD lacks the AP's prefix)",
    ),
    (
        108,
        "INCOMPATIBLE_INTERFACE",
        MobileIdStatusKind::RequestRejected,
        "wrong MajorVersion or MinorVersion in the request",
    ),
    (
        109,
        "UNSUPPORTED_PROFILE",
        MobileIdStatusKind::RequestRejected,
        "the signature profile is not supported or not allowed",
    ),
    (
        208,
        "EXPIRED_TRANSACTION",
        MobileIdStatusKind::Expired,
        "the transaction timed out; the AP may try again",
    ),
    (
        209,
        "OTA_ERROR",
        MobileIdStatusKind::TemporaryFailure,
        "temporary over-the-air communication problem with the SIM",
    ),
    (
        401,
        "USER_CANCEL",
        MobileIdStatusKind::UserCancelled,
        "the user cancelled the request",
    ),
    (
        402,
        "PIN_NR_BLOCKED",
        MobileIdStatusKind::UserAccount,
        "the Mobile ID PIN is blocked",
    ),
    (
        403,
        "CARD_BLOCKED",
        MobileIdStatusKind::UserAccount,
        "the Mobile ID user is suspended",
    ),
    (
        404,
        "NO_KEY_FOUND",
        MobileIdStatusKind::UserAccount,
        "the Mobile ID user is not in an active state",
    ),
    (
        406,
        "PB_SIGNATURE_PROCESS",
        MobileIdStatusKind::TemporaryFailure,
        "a signature transaction is already ongoing; try again later",
    ),
    (
        422,
        "NO_CERT_FOUND",
        MobileIdStatusKind::UserAccount,
        "the Mobile ID user is not in an active state",
    ),
    (
        500,
        "SIGNATURE",
        MobileIdStatusKind::Signature,
        "the signature transaction was successful",
    ),
    (
        501,
        "REVOKED_CERTIFICATE",
        MobileIdStatusKind::SignatureFailed,
        "the Mobile ID user's certificate has been revoked",
    ),
    (
        502,
        "VALID_SIGNATURE",
        MobileIdStatusKind::Signature,
        "the signature transaction was successful",
    ),
    (
        503,
        "INVALID_SIGNATURE",
        MobileIdStatusKind::SignatureFailed,
        "the signature transaction failed due to invalid signature data",
    ),
    (
        504,
        "OUTSTANDING_TRANSACTION",
        MobileIdStatusKind::Pending,
        "the transaction is outstanding; try again later",
    ),
    (
        900,
        "INTERNAL_ERROR",
        MobileIdStatusKind::TemporaryFailure,
        "internal error of the MSSP; try again later",
    ),
];

fn known(code: u16) -> Option<&'static (u16, &'static str, MobileIdStatusKind, &'static str)> {
    CODES.iter().find(|c| c.0 == code)
}

/// The guide's symbolic name of a status or fault code (`USER_CANCEL`).
pub fn status_name(code: u16) -> Option<&'static str> {
    known(code).map(|c| c.1)
}

/// What a status or fault code means (reference guide 6.1); [`MobileIdStatusKind::Unknown`]
/// for a code the guide does not list.
pub fn status_kind(code: u16) -> MobileIdStatusKind {
    known(code).map_or(MobileIdStatusKind::Unknown, |c| c.2)
}

/// The verdict a Mobile ID status or fault code gives: `None` for a completed signature (500,
/// 502), else the sub-indication:
///
/// * statuses that are not about a signature (pending 100, 504; user cancel 401; expired 208;
///   the user's account 105, 402..422; the AP's request 101..109; temporary 209, 406, 900):
///   INDETERMINATE/NO_SIGNATURE, the report's `mobileIdStatus.kind` telling which;
/// * 501 REVOKED_CERTIFICATE: TOTAL_FAILED/REVOKED;
/// * 503 INVALID_SIGNATURE: TOTAL_FAILED/SIG_CRYPTO_FAILURE;
/// * codes the guide does not list: the response is not as documented,
///   TOTAL_FAILED/FORMAT_FAILURE.
pub fn status_verdict(code: u16) -> Option<SubIndication> {
    match (code, status_kind(code)) {
        (_, MobileIdStatusKind::Signature) => None,
        (501, _) => Some(SubIndication::Revoked),
        (503, _) => Some(SubIndication::SigCryptoFailure),
        (_, MobileIdStatusKind::Unknown | MobileIdStatusKind::SignatureFailed) => Some(SubIndication::FormatFailure),
        _ => Some(SubIndication::NoSignature),
    }
}

/// The typed status of a report: the code, its name and kind, and the message the response
/// gave (else the guide's name).
pub(super) fn status(code: u16, message: Option<&str>) -> MobileIdStatus {
    let name = status_name(code);
    MobileIdStatus {
        code,
        name: name.map(str::to_string),
        kind: status_kind(code),
        message: shown(message.filter(|m| !m.trim().is_empty()).or(name).unwrap_or("UNKNOWN")),
    }
}

/// `401 USER_CANCEL: the user cancelled the request` (English, for the check's detail).
pub(super) fn describe(code: u16, message: Option<&str>) -> String {
    let known = known(code);
    let message = shown(
        message
            .filter(|m| !m.trim().is_empty())
            .or(known.map(|k| k.1))
            .unwrap_or("UNKNOWN"),
    );
    match known {
        Some((_, _, _, description)) => format!("{code} {message}: {description}"),
        None => format!("{code} {message}: unknown Mobile ID status or fault code"),
    }
}

/// A status or fault code as written: `500`, `_101` or `mss:_101` (a prefix, then an
/// underscore, as SOAP and JSON faults spell sub-codes); at most four digits.
pub(super) fn parse_code_text(s: &str) -> Option<u16> {
    let s = s.trim();
    let s = s.rsplit(':').next().unwrap_or(s);
    let s = s.strip_prefix('_').unwrap_or(s);
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_kinds() {
        assert_eq!(status_verdict(502), None);
        assert_eq!(status_verdict(401), Some(SubIndication::NoSignature));
        assert_eq!(status_verdict(504), Some(SubIndication::NoSignature));
        assert_eq!(status_verdict(900), Some(SubIndication::NoSignature));
        assert_eq!(status_verdict(501), Some(SubIndication::Revoked));
        assert_eq!(status_verdict(503), Some(SubIndication::SigCryptoFailure));
        assert_eq!(status_verdict(999), Some(SubIndication::FormatFailure));
        assert_eq!(status_kind(104), MobileIdStatusKind::Unauthorized);
        assert_eq!(status_kind(208), MobileIdStatusKind::Expired);
        assert_eq!(status_name(402), Some("PIN_NR_BLOCKED"));
        assert_eq!(
            describe(401, Some("USER_CANCEL")),
            "401 USER_CANCEL: the user cancelled the request"
        );
    }

    #[test]
    fn code_spellings() {
        assert_eq!(parse_code_text("_101"), Some(101));
        assert_eq!(parse_code_text("mss:_401"), Some(401));
        assert_eq!(parse_code_text(" 504 "), Some(504));
        assert_eq!(parse_code_text("x"), None);
        assert_eq!(parse_code_text("-1"), None);
        assert_eq!(parse_code_text("__1"), None);
        assert_eq!(parse_code_text("12345"), None);
    }
}

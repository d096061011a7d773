//! OCSP responses (RFC 6960 4.2), read with the exact bytes of the signed ResponseData.
//!
//! ```text
//! OCSPResponse ::= SEQUENCE {
//!    responseStatus         OCSPResponseStatus,          -- ENUMERATED
//!    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
//! ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
//! BasicOCSPResponse ::= SEQUENCE {
//!    tbsResponseData      ResponseData,
//!    signatureAlgorithm   AlgorithmIdentifier,
//!    signature            BIT STRING,
//!    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//! ResponseData ::= SEQUENCE {
//!    version              [0] EXPLICIT Version DEFAULT v1,
//!    responderID              ResponderID,
//!    producedAt               GeneralizedTime,
//!    responses                SEQUENCE OF SingleResponse,
//!    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
//! ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
//! SingleResponse ::= SEQUENCE {
//!    certID                       CertID,
//!    certStatus                   CertStatus,
//!    thisUpdate                   GeneralizedTime,
//!    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
//!    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
//! CertID ::= SEQUENCE {
//!    hashAlgorithm       AlgorithmIdentifier,
//!    issuerNameHash      OCTET STRING, issuerKeyHash OCTET STRING,
//!    serialNumber        CertificateSerialNumber }
//! CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
//!    unknown [2] IMPLICIT UnknownInfo }
//! RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime,
//!    revocationReason [0] EXPLICIT CRLReason OPTIONAL }
//! ```
//! Parsing makes no trust decision: `revocation::ocsp` checks the signature and the responder.

use crate::formats::ber::{self, BerError, Class, Fields, Tag, Tlv};
use crate::time::UnixTime;

/// Object identifiers of OCSP.
#[allow(missing_docs)]
pub mod oid {
    use const_oid::ObjectIdentifier as Oid;
    pub const BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
    pub const NONCE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.2");
    pub const NO_CHECK: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.5");
    pub const KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");
}

/// Largest OCSP response accepted (bytes): room for [`MAX_CERTS`] large certificates.
pub const MAX_RESPONSE_LEN: usize = 1024 * 1024;
/// Most SingleResponses read from one response.
pub const MAX_SINGLE_RESPONSES: usize = 64;
/// Most certificates read from `certs`.
pub const MAX_CERTS: usize = 16;
/// Most extensions read from one Extensions list.
pub const MAX_EXTENSIONS: usize = 32;

const ENUMERATED: Tag = Tag {
    class: Class::Universal,
    constructed: false,
    number: 10,
};

/// Why bytes are not an OCSP response this verifier can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OcspError {
    /// The ASN.1 is malformed.
    #[error("malformed ASN.1: {0}")]
    Asn1(#[from] BerError),
    /// A rule of RFC 6960 is broken.
    #[error("{0}")]
    Structure(&'static str),
    /// Larger than [`MAX_RESPONSE_LEN`].
    #[error("OCSP response of {0} bytes is larger than the limit")]
    TooLarge(usize),
    /// A responseType other than id-pkix-ocsp-basic.
    #[error("unsupported OCSP response type {0}")]
    UnsupportedType(String),
}

/// OCSPResponseStatus (RFC 6960 4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseStatus {
    /// 0: the response has valid confirmations.
    Successful,
    /// 1: illegal confirmation request.
    MalformedRequest,
    /// 2: internal error in the issuer.
    InternalError,
    /// 3: try again later.
    TryLater,
    /// 5: the request must be signed.
    SigRequired,
    /// 6: request unauthorized.
    Unauthorized,
}

impl ResponseStatus {
    fn from_code(code: i64) -> Option<ResponseStatus> {
        Some(match code {
            0 => ResponseStatus::Successful,
            1 => ResponseStatus::MalformedRequest,
            2 => ResponseStatus::InternalError,
            3 => ResponseStatus::TryLater,
            5 => ResponseStatus::SigRequired,
            6 => ResponseStatus::Unauthorized,
            _ => return None,
        })
    }

    /// The name RFC 6960 gives the status.
    pub fn name(&self) -> &'static str {
        match self {
            ResponseStatus::Successful => "successful",
            ResponseStatus::MalformedRequest => "malformedRequest",
            ResponseStatus::InternalError => "internalError",
            ResponseStatus::TryLater => "tryLater",
            ResponseStatus::SigRequired => "sigRequired",
            ResponseStatus::Unauthorized => "unauthorized",
        }
    }
}

/// An OCSPResponse.
#[derive(Clone, Debug)]
pub struct OcspResponse<'a> {
    /// responseStatus.
    pub status: ResponseStatus,
    /// The basic response; present exactly when the status is successful.
    pub basic: Option<BasicOcspResponse<'a>>,
}

/// A BasicOCSPResponse.
#[derive(Clone, Debug)]
pub struct BasicOcspResponse<'a> {
    /// The ResponseData exactly as encoded (what the responder signed).
    pub tbs_response_data: &'a [u8],
    /// The ResponseData.
    pub data: ResponseData<'a>,
    /// signatureAlgorithm DER.
    pub signature_algorithm: &'a [u8],
    /// The signature value (BIT STRING contents without the unused-bits octet).
    pub signature: &'a [u8],
    /// DER of each certificate in `certs`, in order.
    pub certs: Vec<&'a [u8]>,
}

/// How the response names its signer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponderId<'a> {
    /// byName: the responder's subject Name DER.
    ByName(&'a [u8]),
    /// byKey: SHA-1 of the responder's subjectPublicKey BIT STRING contents.
    ByKey(&'a [u8]),
}

/// One extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    /// extnID contents octets.
    pub oid: &'a [u8],
    /// critical.
    pub critical: bool,
    /// extnValue contents octets.
    pub value: &'a [u8],
}

/// A ResponseData.
#[derive(Clone, Debug)]
pub struct ResponseData<'a> {
    /// Version (0 = v1, the only one defined).
    pub version: i64,
    /// responderID.
    pub responder_id: ResponderId<'a>,
    /// producedAt.
    pub produced_at: UnixTime,
    /// The SingleResponses.
    pub responses: Vec<SingleResponse<'a>>,
    /// responseExtensions, empty when absent.
    pub extensions: Vec<Extension<'a>>,
}

impl<'a> ResponseData<'a> {
    /// The extnValue contents of the nonce extension (id-pkix-ocsp-nonce, RFC 8954), as
    /// encoded: usually the DER of an OCTET STRING holding the nonce.
    pub fn nonce(&self) -> Option<&'a [u8]> {
        self.extensions
            .iter()
            .find(|e| e.oid == oid::NONCE.as_bytes())
            .map(|e| e.value)
    }
}

/// CertID: which certificate a SingleResponse speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertId<'a> {
    /// hashAlgorithm DER.
    pub hash_algorithm: &'a [u8],
    /// Hash of the issuer's subject Name DER.
    pub issuer_name_hash: &'a [u8],
    /// Hash of the issuer's subjectPublicKey BIT STRING contents.
    pub issuer_key_hash: &'a [u8],
    /// serialNumber contents octets.
    pub serial: &'a [u8],
}

/// certStatus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertStatus {
    /// good.
    Good,
    /// revoked.
    Revoked {
        /// revocationTime.
        time: UnixTime,
        /// revocationReason (CRLReason, RFC 5280 5.3.1), when given.
        reason: Option<u8>,
    },
    /// unknown.
    Unknown,
}

/// A SingleResponse.
#[derive(Clone, Debug)]
pub struct SingleResponse<'a> {
    /// certID.
    pub cert_id: CertId<'a>,
    /// certStatus.
    pub status: CertStatus,
    /// thisUpdate.
    pub this_update: UnixTime,
    /// nextUpdate.
    pub next_update: Option<UnixTime>,
    /// singleExtensions, empty when absent.
    pub extensions: Vec<Extension<'a>>,
}

/// Parses an OCSPResponse; nothing may follow it.
pub fn parse_response(bytes: &[u8]) -> Result<OcspResponse<'_>, OcspError> {
    if bytes.len() > MAX_RESPONSE_LEN {
        return Err(OcspError::TooLarge(bytes.len()));
    }
    let outer = Tlv::parse_exact(bytes)?;
    if outer.tag != Tag::SEQUENCE {
        return Err(OcspError::Structure("OCSPResponse is not a SEQUENCE"));
    }
    let mut f = Fields::new(&outer)?;
    let code = ber::small_integer(&integer_view(&f.next(ENUMERATED)?))?;
    let status = ResponseStatus::from_code(code).ok_or(OcspError::Structure("unknown OCSPResponseStatus"))?;
    let bytes_field = f.optional(Tag::context(0, true))?;
    f.finish()?;
    let basic = match (status, bytes_field) {
        (ResponseStatus::Successful, Some(rb)) => Some(parse_response_bytes(&Tlv::parse_exact(rb.value)?)?),
        (ResponseStatus::Successful, None) => {
            return Err(OcspError::Structure("successful response without responseBytes"));
        }
        (_, Some(_)) => return Err(OcspError::Structure("responseBytes in an unsuccessful response")),
        (_, None) => None,
    };
    Ok(OcspResponse { status, basic })
}

/// An ENUMERATED read as an INTEGER (same contents rules).
fn integer_view<'a>(t: &Tlv<'a>) -> Tlv<'a> {
    Tlv {
        tag: Tag::INTEGER,
        ..*t
    }
}

fn parse_response_bytes<'a>(rb: &Tlv<'a>) -> Result<BasicOcspResponse<'a>, OcspError> {
    let mut f = Fields::new(rb)?;
    let kind = f.next(Tag::OID)?;
    let response = f.next(Tag::OCTET_STRING)?;
    f.finish()?;
    if kind.value != oid::BASIC.as_bytes() {
        return Err(OcspError::UnsupportedType(crate::formats::alg::oid_string(kind.value)));
    }
    if response.tag.constructed {
        return Err(OcspError::Structure("constructed response OCTET STRING"));
    }
    parse_basic(response.value)
}

/// Parses a BasicOCSPResponse (the contents of ResponseBytes.response).
pub fn parse_basic(bytes: &[u8]) -> Result<BasicOcspResponse<'_>, OcspError> {
    let basic = Tlv::parse_exact(bytes)?;
    if basic.tag != Tag::SEQUENCE {
        return Err(OcspError::Structure("BasicOCSPResponse is not a SEQUENCE"));
    }
    let mut f = Fields::new(&basic)?;
    let tbs = f.next(Tag::SEQUENCE)?;
    let signature_algorithm = f.next(Tag::SEQUENCE)?.raw;
    let sig = f.next(Tag::BIT_STRING)?;
    let certs = f.optional(Tag::context(0, true))?;
    f.finish()?;
    let signature = match sig.value.split_first() {
        Some((0, rest)) if !sig.tag.constructed => rest,
        _ => return Err(OcspError::Structure("signature BIT STRING")),
    };
    let certs = match certs {
        Some(c) => parse_certs(&Tlv::parse_exact(c.value)?)?,
        None => Vec::new(),
    };
    Ok(BasicOcspResponse {
        tbs_response_data: tbs.raw,
        data: parse_response_data(&tbs)?,
        signature_algorithm,
        signature,
        certs,
    })
}

fn parse_certs<'a>(seq: &Tlv<'a>) -> Result<Vec<&'a [u8]>, OcspError> {
    if seq.tag != Tag::SEQUENCE {
        return Err(OcspError::Structure("certs is not a SEQUENCE OF Certificate"));
    }
    let certs = seq.children_vec(MAX_CERTS)?;
    if certs.iter().any(|c| c.tag != Tag::SEQUENCE) {
        return Err(OcspError::Structure("an entry of certs is not a Certificate"));
    }
    Ok(certs.iter().map(|c| c.raw).collect())
}

fn parse_response_data<'a>(tbs: &Tlv<'a>) -> Result<ResponseData<'a>, OcspError> {
    let mut f = Fields::new(tbs)?;
    let version = match f.optional(Tag::context(0, true))? {
        Some(v) => ber::small_integer(&Tlv::parse_exact(v.value)?)?,
        None => 0,
    };
    if version != 0 {
        return Err(OcspError::Structure("ResponseData version is not v1"));
    }
    let responder_id = parse_responder_id(&f.next_any()?)?;
    let produced_at = generalized_time(&f.next(Tag::GENERALIZED_TIME)?)?;
    let list = f.next(Tag::SEQUENCE)?;
    let extensions = match f.optional(Tag::context(1, true))? {
        Some(e) => parse_extensions(&Tlv::parse_exact(e.value)?)?,
        None => Vec::new(),
    };
    f.finish()?;
    let mut responses = Vec::new();
    for r in list.children_vec(MAX_SINGLE_RESPONSES)? {
        responses.push(parse_single(&r)?);
    }
    Ok(ResponseData {
        version,
        responder_id,
        produced_at,
        responses,
        extensions,
    })
}

fn parse_responder_id<'a>(t: &Tlv<'a>) -> Result<ResponderId<'a>, OcspError> {
    let inner = || -> Result<Tlv<'a>, OcspError> { Ok(Tlv::parse_exact(t.value)?) };
    if t.tag == Tag::context(1, true) {
        let name = inner()?;
        if name.tag != Tag::SEQUENCE {
            return Err(OcspError::Structure("responderID byName is not a Name"));
        }
        Ok(ResponderId::ByName(name.raw))
    } else if t.tag == Tag::context(2, true) {
        let key = inner()?;
        if key.tag != Tag::OCTET_STRING || key.value.len() != 20 {
            return Err(OcspError::Structure("responderID byKey is not a SHA-1 hash"));
        }
        Ok(ResponderId::ByKey(key.value))
    } else {
        Err(OcspError::Structure("unknown ResponderID choice"))
    }
}

fn parse_single<'a>(t: &Tlv<'a>) -> Result<SingleResponse<'a>, OcspError> {
    if t.tag != Tag::SEQUENCE {
        return Err(OcspError::Structure("SingleResponse is not a SEQUENCE"));
    }
    let mut f = Fields::new(t)?;
    let cert_id = parse_cert_id(&f.next(Tag::SEQUENCE)?)?;
    let status = parse_cert_status(&f.next_any()?)?;
    let this_update = generalized_time(&f.next(Tag::GENERALIZED_TIME)?)?;
    let next_update = match f.optional(Tag::context(0, true))? {
        Some(n) => Some(generalized_time(&Tlv::parse_exact(n.value)?)?),
        None => None,
    };
    let extensions = match f.optional(Tag::context(1, true))? {
        Some(e) => parse_extensions(&Tlv::parse_exact(e.value)?)?,
        None => Vec::new(),
    };
    f.finish()?;
    Ok(SingleResponse {
        cert_id,
        status,
        this_update,
        next_update,
        extensions,
    })
}

fn parse_cert_id<'a>(t: &Tlv<'a>) -> Result<CertId<'a>, OcspError> {
    let mut f = Fields::new(t)?;
    let hash_algorithm = f.next(Tag::SEQUENCE)?.raw;
    let issuer_name_hash = primitive(f.next(Tag::OCTET_STRING)?)?;
    let issuer_key_hash = primitive(f.next(Tag::OCTET_STRING)?)?;
    let serial = f.next(Tag::INTEGER)?;
    f.finish()?;
    if serial.value.is_empty() || serial.value.len() > 64 || serial.tag.constructed {
        return Err(OcspError::Structure("CertID serialNumber"));
    }
    Ok(CertId {
        hash_algorithm,
        issuer_name_hash,
        issuer_key_hash,
        serial: serial.value,
    })
}

fn primitive(t: Tlv<'_>) -> Result<&[u8], OcspError> {
    if t.tag.constructed {
        return Err(OcspError::Structure("constructed OCTET STRING in a CertID"));
    }
    Ok(t.value)
}

fn parse_cert_status(t: &Tlv<'_>) -> Result<CertStatus, OcspError> {
    match (t.tag.class, t.tag.number, t.tag.constructed) {
        (Class::Context, 0, false) if t.value.is_empty() => Ok(CertStatus::Good),
        (Class::Context, 2, false) if t.value.is_empty() => Ok(CertStatus::Unknown),
        (Class::Context, 1, true) => {
            let mut f = Fields::new(t)?;
            let time = generalized_time(&f.next(Tag::GENERALIZED_TIME)?)?;
            let reason = match f.optional(Tag::context(0, true))? {
                Some(r) => Some(crl_reason(&Tlv::parse_exact(r.value)?)?),
                None => None,
            };
            f.finish()?;
            Ok(CertStatus::Revoked { time, reason })
        }
        _ => Err(OcspError::Structure("unknown CertStatus choice")),
    }
}

/// CRLReason ::= ENUMERATED { 0..10 without 7 } (RFC 5280 5.3.1).
fn crl_reason(t: &Tlv<'_>) -> Result<u8, OcspError> {
    if t.tag != ENUMERATED {
        return Err(OcspError::Structure("CRLReason is not ENUMERATED"));
    }
    match ber::small_integer(&integer_view(t))? {
        r @ (0..=6 | 8..=10) => Ok(r as u8),
        _ => Err(OcspError::Structure("unknown CRLReason")),
    }
}

/// `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, at most [`MAX_EXTENSIONS`].
fn parse_extensions<'a>(seq: &Tlv<'a>) -> Result<Vec<Extension<'a>>, OcspError> {
    if seq.tag != Tag::SEQUENCE {
        return Err(OcspError::Structure("Extensions is not a SEQUENCE"));
    }
    let mut out: Vec<Extension<'a>> = Vec::new();
    for ext in seq.children_vec(MAX_EXTENSIONS)? {
        let mut f = Fields::new(&ext)?;
        let oid = f.next(Tag::OID)?.value;
        let critical = match f.optional(Tag::BOOLEAN)? {
            Some(b) => b.value.first().is_some_and(|v| *v != 0),
            None => false,
        };
        let value = primitive(f.next(Tag::OCTET_STRING)?)?;
        f.finish()?;
        if out.iter().any(|e| e.oid == oid) {
            return Err(OcspError::Structure("duplicate extension"));
        }
        out.push(Extension { oid, critical, value });
    }
    Ok(out)
}

/// A GeneralizedTime `YYYYMMDDHHMMSS[.f+]Z` (RFC 6960 uses the RFC 5280 form; fractions of a
/// second, which some responders write, are dropped).
pub fn generalized_time(t: &Tlv<'_>) -> Result<UnixTime, OcspError> {
    if t.tag != Tag::GENERALIZED_TIME {
        return Err(OcspError::Structure("time is not a GeneralizedTime"));
    }
    parse_generalized_time(t.value).ok_or(OcspError::Structure("malformed GeneralizedTime"))
}

fn parse_generalized_time(v: &[u8]) -> Option<UnixTime> {
    let (body, rest) = (v.get(..14)?, v.get(14..)?);
    let fraction_ok = match rest {
        [b'Z'] => true,
        [b'.', digits @ .., b'Z'] => !digits.is_empty() && digits.len() <= 9 && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !fraction_ok || !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> i64 { body[r].iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')) };
    UnixTime::from_parts(num(0..4), num(4..6), num(6..8), num(8..10), num(10..12), num(12..14))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_times() {
        let t = |s: &str| parse_generalized_time(s.as_bytes());
        assert_eq!(t("20260115120000Z"), UnixTime::parse_rfc3339("2026-01-15T12:00:00Z"));
        assert_eq!(t("20260115120000.25Z"), UnixTime::parse_rfc3339("2026-01-15T12:00:00Z"));
        for bad in [
            "20260115120000",
            "2026011512000Z",
            "20260115120000.Z",
            "20261315120000Z",
            "2026011512000aZ",
            "20260115120000+0100",
            "20260115120000.1234567890Z",
            "",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    /// An OCSPResponse around a BasicOCSPResponse with `singles` copies of one SingleResponse
    /// and `certs` copies of an (unread) certificate SEQUENCE.
    fn built(singles: usize, certs: usize) -> Vec<u8> {
        use crate::formats::ber::encode;
        let alg = encode(0x30, &encode(0x06, crate::formats::alg::oid::SHA1.as_bytes()));
        let cert_id = encode(
            0x30,
            &[alg, encode(0x04, &[1; 20]), encode(0x04, &[2; 20]), encode(0x02, &[7])].concat(),
        );
        let time = encode(0x18, b"20260115120000Z");
        let single = encode(0x30, &[cert_id, vec![0x80, 0x00], time.clone()].concat());
        let responder = encode(0xa2, &encode(0x04, &[3; 20]));
        let list = encode(0x30, &single.repeat(singles));
        let tbs = encode(0x30, &[responder, time, list].concat());
        let sig_alg = encode(
            0x30,
            &encode(0x06, crate::formats::alg::oid::SHA256_WITH_RSA.as_bytes()),
        );
        let certs = encode(0xa0, &encode(0x30, &encode(0x30, &[]).repeat(certs)));
        let basic = encode(0x30, &[tbs, sig_alg, encode(0x03, &[0, 9, 9]), certs].concat());
        let rb = encode(
            0x30,
            &[encode(0x06, oid::BASIC.as_bytes()), encode(0x04, &basic)].concat(),
        );
        encode(0x30, &[vec![0x0a, 0x01, 0x00], encode(0xa0, &rb)].concat())
    }

    #[test]
    fn counts_are_bounded() {
        let ok = built(MAX_SINGLE_RESPONSES, MAX_CERTS);
        let r = parse_response(&ok).unwrap().basic.unwrap();
        assert_eq!(r.data.responses.len(), MAX_SINGLE_RESPONSES);
        assert_eq!(r.certs.len(), MAX_CERTS);
        assert_eq!(r.data.responses[0].status, CertStatus::Good);
        assert_eq!(r.data.responses[0].cert_id.serial, &[7]);
        assert!(parse_response(&built(MAX_SINGLE_RESPONSES + 1, 1)).is_err());
        assert!(parse_response(&built(1, MAX_CERTS + 1)).is_err());
    }

    #[test]
    fn status_only_responses() {
        // OCSPResponse { tryLater }
        let r = parse_response(&[0x30, 0x03, 0x0a, 0x01, 0x03]).unwrap();
        assert_eq!(r.status, ResponseStatus::TryLater);
        assert!(r.basic.is_none());
        // successful without responseBytes; unknown status 4; trailing byte.
        assert!(parse_response(&[0x30, 0x03, 0x0a, 0x01, 0x00]).is_err());
        assert!(parse_response(&[0x30, 0x03, 0x0a, 0x01, 0x04]).is_err());
        assert!(parse_response(&[0x30, 0x03, 0x0a, 0x01, 0x03, 0x00]).is_err());
        // INTEGER instead of ENUMERATED.
        assert!(parse_response(&[0x30, 0x03, 0x02, 0x01, 0x03]).is_err());
    }
}

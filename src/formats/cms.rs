//! CMS SignedData (RFC 5652 5), read with the exact bytes of every signed part.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE {
//!   version CMSVersion,
//!   digestAlgorithms SET OF DigestAlgorithmIdentifier,
//!   encapContentInfo EncapsulatedContentInfo,
//!   certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//!   signerInfos SET OF SignerInfo }
//! EncapsulatedContentInfo ::= SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
//! SignerInfo ::= SEQUENCE {
//!   version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
//!   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
//!   signatureAlgorithm SignatureAlgorithmIdentifier, signature OCTET STRING,
//!   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
//! SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber,
//!   subjectKeyIdentifier [0] SubjectKeyIdentifier }
//! ```
//! BER is accepted (indefinite lengths, constructed OCTET STRINGs), as real signers produce it.
//! Parsing makes no trust decision.

use std::borrow::Cow;

use crate::formats::ber::{self, BerError, Fields, Tag, Tlv};

/// Object identifiers of CMS.
#[allow(missing_docs)]
pub mod oid {
    use const_oid::ObjectIdentifier as Oid;
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
    pub const COUNTER_SIGNATURE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.6");
    pub const SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    pub const SIGNATURE_TIME_STAMP: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
    pub const CMS_ALGORITHM_PROTECTION: Oid = Oid::new_unwrap("1.2.840.113549.1.9.52");
    pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    pub const CERT_VALUES: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.23");
    pub const REVOCATION_VALUES: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.24");
    pub const OCSP_BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
}

/// Signers, certificates and CRLs of a SignedData are not counted here: their number is bounded
/// by the input's size, and the work they cause by the verification's budget.
/// Most attributes in one attribute set.
pub const MAX_ATTRIBUTES: usize = 64;
/// Deepest counter-signature nesting followed.
pub const MAX_COUNTER_SIGNATURE_DEPTH: usize = 2;

/// Why bytes are not a SignedData this verifier can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// The ASN.1 is malformed.
    #[error("malformed ASN.1: {0}")]
    Asn1(#[from] BerError),
    /// Well-formed, but not a SignedData.
    #[error("not a CMS SignedData (content type {0})")]
    NotSignedData(String),
    /// A structural rule of RFC 5652 is broken.
    #[error("{0}")]
    Structure(&'static str),
    /// Bytes follow the end of the ContentInfo.
    #[error("{0} byte(s) after the end of the ContentInfo")]
    Trailing(usize),
}

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId<'a> {
    /// issuerAndSerialNumber: issuer Name DER and serial contents octets.
    IssuerSerial {
        /// Issuer Name DER.
        issuer: &'a [u8],
        /// Serial number contents octets.
        serial: &'a [u8],
    },
    /// subjectKeyIdentifier.
    SubjectKeyId(&'a [u8]),
}

/// One attribute: type and values.
#[derive(Clone, Debug)]
pub struct Attribute<'a> {
    /// OID contents octets.
    pub oid: &'a [u8],
    /// The values (elements of the SET).
    pub values: Vec<Tlv<'a>>,
}

/// A SignerInfo with the bytes that were signed.
#[derive(Clone, Debug)]
pub struct SignerInfo<'a> {
    /// CMSVersion.
    pub version: i64,
    /// Signer identifier.
    pub sid: SignerId<'a>,
    /// digestAlgorithm DER.
    pub digest_algorithm: &'a [u8],
    /// The signed attributes element exactly as encoded (`[0] IMPLICIT`), if present.
    pub signed_attrs_raw: Option<Tlv<'a>>,
    /// The signed attributes.
    pub signed_attrs: Vec<Attribute<'a>>,
    /// signatureAlgorithm DER.
    pub signature_algorithm: &'a [u8],
    /// The signature value.
    pub signature: Cow<'a, [u8]>,
    /// The unsigned attributes.
    pub unsigned_attrs: Vec<Attribute<'a>>,
}

impl<'a> SignerInfo<'a> {
    /// The values of signed attribute `oid` (all instances).
    pub fn signed(&self, oid: &const_oid::ObjectIdentifier) -> Vec<&Attribute<'a>> {
        self.signed_attrs.iter().filter(|a| a.oid == oid.as_bytes()).collect()
    }

    /// The single value of signed attribute `oid`: `None` when absent, an error when it occurs
    /// more than once or has several values.
    pub fn signed_single(&self, oid: &const_oid::ObjectIdentifier) -> Result<Option<Tlv<'a>>, String> {
        match self.signed(oid).as_slice() {
            [] => Ok(None),
            [a] if a.values.len() == 1 => Ok(Some(a.values[0])),
            [_] => Err(format!("attribute {oid} has several values")),
            _ => Err(format!("attribute {oid} occurs more than once")),
        }
    }

    /// The values of unsigned attribute `oid` (all instances).
    pub fn unsigned(&self, oid: &const_oid::ObjectIdentifier) -> Vec<&Attribute<'a>> {
        self.unsigned_attrs.iter().filter(|a| a.oid == oid.as_bytes()).collect()
    }
}

/// A SignedData.
#[derive(Clone, Debug)]
pub struct SignedData<'a> {
    /// digestAlgorithms: the AlgorithmIdentifier DER of each entry (an unsigned hint).
    pub digest_algorithms: Vec<&'a [u8]>,
    /// eContentType OID contents octets.
    pub econtent_type: &'a [u8],
    /// eContent octets (segments of a constructed OCTET STRING joined), when attached.
    pub econtent: Option<Cow<'a, [u8]>>,
    /// DER of each certificate in `certificates` (other certificate choices are skipped).
    pub certificates: Vec<&'a [u8]>,
    /// Each entry of `crls` (RevocationInfoChoice) as encoded: a CertificateList SEQUENCE, or
    /// `[1] OtherRevocationInfoFormat` (OCSP responses among them).
    pub crls: Vec<Tlv<'a>>,
    /// The signers.
    pub signer_infos: Vec<SignerInfo<'a>>,
    /// Zero bytes that followed the ContentInfo (padding).
    pub padding: usize,
}

/// Whether `bytes` start like a ContentInfo of type SignedData (cheap sniff).
pub fn looks_like_signed_data(bytes: &[u8]) -> bool {
    let Ok((outer, _)) = Tlv::parse(bytes) else {
        return false;
    };
    if outer.tag != Tag::SEQUENCE {
        return false;
    }
    matches!(outer.children().next(), Some(Ok(t)) if t.tag == Tag::OID && t.value == oid::SIGNED_DATA.as_bytes())
}

/// Parses a ContentInfo holding a SignedData; nothing but zero padding may follow it (its length
/// is [`SignedData::padding`]).
pub fn parse_content_info(bytes: &[u8]) -> Result<SignedData<'_>, CmsError> {
    let (outer, trailing) = Tlv::parse(bytes)?;
    // Zero bytes after the structure are padding (a fixed-size signature buffer, as PDF
    // /Contents have) and can hide nothing; any other byte after it is refused.
    if trailing.iter().any(|b| *b != 0) {
        return Err(CmsError::Trailing(trailing.len()));
    }
    if outer.tag != Tag::SEQUENCE {
        return Err(CmsError::Structure("ContentInfo is not a SEQUENCE"));
    }
    let mut f = Fields::new(&outer)?;
    let ctype = f.next(Tag::OID)?;
    if ctype.value != oid::SIGNED_DATA.as_bytes() {
        return Err(CmsError::NotSignedData(crate::formats::alg::oid_string(ctype.value)));
    }
    let content = f.next(Tag::context(0, true))?;
    f.finish()?;
    let sd = Tlv::parse_exact(content.value)?;
    let mut sd = parse_signed_data(&sd)?;
    sd.padding = trailing.len();
    Ok(sd)
}

fn parse_signed_data<'a>(sd: &Tlv<'a>) -> Result<SignedData<'a>, CmsError> {
    if !sd.tag.same_type(Tag::SEQUENCE) {
        return Err(CmsError::Structure("SignedData is not a SEQUENCE"));
    }
    let mut f = Fields::new(sd)?;
    // CMSVersion of a SignedData is 1, 3, 4 or 5 (RFC 5652 5.1).
    if !matches!(ber::small_integer(&f.next(Tag::INTEGER)?)?, 1 | 3 | 4 | 5) {
        return Err(CmsError::Structure("SignedData version is not 1, 3, 4 or 5"));
    }
    let digest_algorithms = f
        .next(Tag::SET)?
        .children_vec(MAX_ATTRIBUTES)?
        .iter()
        .map(|t| t.raw)
        .collect();
    let eci = f.next(Tag::SEQUENCE)?;
    let certs = f.optional(Tag::context(0, true))?;
    let crls = f.optional(Tag::context(1, true))?;
    let signer_infos = f.next(Tag::SET)?;
    f.finish()?;

    let mut e = Fields::new(&eci)?;
    let econtent_type = e.next(Tag::OID)?.value;
    let econtent = match e.optional(Tag::context(0, true))? {
        Some(wrapper) => {
            let os = Tlv::parse_exact(wrapper.value)?;
            if !os.tag.same_type(Tag::OCTET_STRING) {
                return Err(CmsError::Structure("eContent is not an OCTET STRING"));
            }
            Some(os.string_value()?)
        }
        None => None,
    };
    e.finish()?;

    let mut certificates = Vec::new();
    if let Some(certs) = certs {
        for c in certs.children() {
            let c = c?;
            // CertificateChoices: only `certificate` (a SEQUENCE) is used; attribute and other
            // certificate formats are context-tagged and skipped.
            if c.tag == Tag::SEQUENCE {
                certificates.push(c.raw);
            }
        }
    }
    let crls = match crls {
        Some(c) => c.children_vec(usize::MAX)?,
        None => Vec::new(),
    };
    let mut infos = Vec::new();
    for si in signer_infos.children_vec(usize::MAX)? {
        infos.push(parse_signer_info(&si)?);
    }
    Ok(SignedData {
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        crls,
        signer_infos: infos,
        padding: 0,
    })
}

/// Parses one SignerInfo.
pub fn parse_signer_info<'a>(si: &Tlv<'a>) -> Result<SignerInfo<'a>, CmsError> {
    if !si.tag.same_type(Tag::SEQUENCE) {
        return Err(CmsError::Structure("SignerInfo is not a SEQUENCE"));
    }
    let mut f = Fields::new(si)?;
    let version = ber::small_integer(&f.next(Tag::INTEGER)?)?;
    let sid_tlv = f.next_any()?;
    let sid = if sid_tlv.tag.same_type(Tag::SEQUENCE) {
        let mut s = Fields::new(&sid_tlv)?;
        let issuer = s.next(Tag::SEQUENCE)?;
        let serial = s.next(Tag::INTEGER)?;
        s.finish()?;
        SignerId::IssuerSerial {
            issuer: issuer.raw,
            serial: serial.value,
        }
    } else if sid_tlv.tag.same_type(Tag::context(0, false)) {
        SignerId::SubjectKeyId(sid_tlv.value)
    } else {
        return Err(CmsError::Structure("unknown SignerIdentifier"));
    };
    // RFC 5652 5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
    let expected_version = if matches!(sid, SignerId::IssuerSerial { .. }) {
        1
    } else {
        3
    };
    if version != expected_version {
        return Err(CmsError::Structure(
            "SignerInfo version does not match its signer identifier",
        ));
    }
    let digest_algorithm = f.next(Tag::SEQUENCE)?.raw;
    let signed_attrs_raw = f.optional(Tag::context(0, true))?;
    let signed_attrs = match &signed_attrs_raw {
        Some(t) => parse_attributes(t)?,
        None => Vec::new(),
    };
    let signature_algorithm = f.next(Tag::SEQUENCE)?.raw;
    let signature = f.next(Tag::OCTET_STRING)?.string_value()?;
    let unsigned_attrs = match f.optional(Tag::context(1, true))? {
        Some(t) => parse_attributes(&t)?,
        None => Vec::new(),
    };
    f.finish()?;
    Ok(SignerInfo {
        version,
        sid,
        digest_algorithm,
        signed_attrs_raw,
        signed_attrs,
        signature_algorithm,
        signature,
        unsigned_attrs,
    })
}

/// `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }`
fn parse_attributes<'a>(set: &Tlv<'a>) -> Result<Vec<Attribute<'a>>, CmsError> {
    let mut out = Vec::new();
    for a in set.children_vec(MAX_ATTRIBUTES)? {
        let mut f = Fields::new(&a)?;
        let oid = f.next(Tag::OID)?.value;
        let values = f.next(Tag::SET)?.children_vec(MAX_ATTRIBUTES)?;
        f.finish()?;
        out.push(Attribute { oid, values });
    }
    Ok(out)
}

/// Whether the elements of a SET OF are in DER order (X.690 11.6: ascending by encoding).
pub fn is_der_sorted(set: &Tlv<'_>) -> bool {
    let kids: Vec<&[u8]> = set.children().filter_map(Result::ok).map(|t| t.raw).collect();
    kids.windows(2)
        .all(|w| der_set_cmp(w[0], w[1]) != std::cmp::Ordering::Greater)
}

/// The SET OF with its elements sorted into DER order, tagged as a universal SET.
pub fn der_sorted_set(set: &Tlv<'_>) -> Vec<u8> {
    let mut kids: Vec<&[u8]> = set.children().filter_map(Result::ok).map(|t| t.raw).collect();
    kids.sort_by(|a, b| der_set_cmp(a, b));
    ber::encode(0x31, &kids.concat())
}

fn der_set_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    // Encodings compared as octet strings, the shorter padded with zeros (X.690 11.6).
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| (a.get(i).copied().unwrap_or(0), b.get(i).copied().unwrap_or(0)))
        .map(|(x, y)| x.cmp(&y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// RFC 3161 TSTInfo, only what is needed to check a time-stamp's message imprint.
#[derive(Clone, Debug)]
pub struct TstInfo<'a> {
    /// messageImprint.hashAlgorithm DER.
    pub imprint_algorithm: &'a [u8],
    /// messageImprint.hashedMessage.
    pub imprint: &'a [u8],
    /// genTime as encoded (GeneralizedTime text).
    pub gen_time: &'a str,
}

impl TstInfo<'_> {
    /// genTime as a time (RFC 3161 2.4.2: `YYYYMMDDhhmmss[.s...]Z`, fractions dropped); `None`
    /// when it is not of that form.
    pub fn gen_time_unix(&self) -> Option<crate::time::UnixTime> {
        let (whole, rest) = self.gen_time.split_at_checked(14)?;
        let fraction = rest.strip_suffix('Z')?;
        let fraction_ok = fraction.is_empty()
            || fraction
                .strip_prefix('.')
                .is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        if !fraction_ok || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |a: usize, b: usize| whole.get(a..b)?.parse::<i64>().ok();
        crate::time::UnixTime::from_parts(
            num(0, 4)?,
            num(4, 6)?,
            num(6, 8)?,
            num(8, 10)?,
            num(10, 12)?,
            num(12, 14)?,
        )
    }
}

/// Parses a TSTInfo (RFC 3161 2.4.2):
/// `TSTInfo ::= SEQUENCE { version INTEGER, policy OID, messageImprint MessageImprint,
/// serialNumber INTEGER, genTime GeneralizedTime, ... }`
pub fn parse_tst_info(bytes: &[u8]) -> Result<TstInfo<'_>, CmsError> {
    let t = Tlv::parse_exact(bytes)?;
    let mut f = Fields::new(&t)?;
    let _version = f.next(Tag::INTEGER)?;
    let _policy = f.next(Tag::OID)?;
    let mi = f.next(Tag::SEQUENCE)?;
    let _serial = f.next(Tag::INTEGER)?;
    let gen_time = f.next(Tag::GENERALIZED_TIME)?;
    let mut m = Fields::new(&mi)?;
    let imprint_algorithm = m.next(Tag::SEQUENCE)?.raw;
    let imprint = m.next(Tag::OCTET_STRING)?.value;
    m.finish()?;
    Ok(TstInfo {
        imprint_algorithm,
        imprint,
        gen_time: std::str::from_utf8(gen_time.value).map_err(|_| CmsError::Structure("genTime"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::TstInfo;

    fn gen_time(s: &str) -> Option<i64> {
        let t = TstInfo {
            imprint_algorithm: &[],
            imprint: &[],
            gen_time: s,
        };
        t.gen_time_unix().map(|t| t.0)
    }

    #[test]
    fn gen_time_reads_rfc_3161_forms_only() {
        assert_eq!(gen_time("20260115120000Z"), Some(1_768_478_400));
        assert_eq!(gen_time("20260115120000.25Z"), Some(1_768_478_400));
        for bad in [
            "20260115120000",
            "20260115120000.Z",
            "20260115120000+0100",
            "2026011512000Z",
            "20261315120000Z",
            "2026011512000aZ",
            "20260115120000.2aZ",
            "€0260115120000Z",
            "",
        ] {
            assert_eq!(gen_time(bad), None, "{bad}");
        }
    }
}

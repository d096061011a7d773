//! X.509 certificates (RFC 5280 4.1), kept with the exact bytes of every signed part.
//!
//! ```text
//! Certificate  ::=  SEQUENCE  {
//!      tbsCertificate       TBSCertificate,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//! ```
//! The TBSCertificate is hashed as it appears in the input, never re-encoded.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;

use crate::crypto::{AlgError, PublicKey};
use crate::formats::ber::{self, BerError, Class, Fields, Tag, Tlv};
use crate::time::UnixTime;

/// Largest certificate accepted (bytes).
pub const MAX_CERT_LEN: usize = 64 * 1024;

/// Why bytes are not a certificate this verifier can use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// Not well-formed DER/BER.
    #[error("malformed certificate: {0}")]
    Malformed(&'static str),
    /// The subject public key could not be read.
    #[error("malformed public key")]
    BadKey,
}

impl From<BerError> for CertError {
    fn from(_: BerError) -> Self {
        CertError::Malformed("ASN.1 structure")
    }
}

impl From<AlgError> for CertError {
    fn from(_: AlgError) -> Self {
        CertError::BadKey
    }
}

/// keyUsage bits (RFC 5280 4.2.1.3), bit `n` of the named bit list as `1 << n`.
#[allow(missing_docs)]
pub mod key_usage {
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub const NON_REPUDIATION: u16 = 1 << 1;
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    pub const CRL_SIGN: u16 = 1 << 6;
}

/// Most names read from one subjectAltName extension, and most subtrees read from each list of
/// a nameConstraints extension.
pub const MAX_GENERAL_NAMES: usize = 1024;

/// Most key purposes read from one extKeyUsage extension.
pub const MAX_KEY_PURPOSES: usize = 64;

/// A GeneralName (RFC 5280 4.2.1.6), as found in subjectAltName and in the subtrees of
/// nameConstraints (RFC 5280 4.2.1.10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneralName {
    /// rfc822Name `[1] IA5String`: an e-mail address; in a constraint a mailbox, a host, or a
    /// domain with a leading dot.
    Rfc822(String),
    /// dNSName `[2] IA5String`.
    Dns(String),
    /// directoryName `[4] Name` (explicitly tagged): the DER of the Name.
    Directory(Vec<u8>),
    /// uniformResourceIdentifier `[6] IA5String`.
    Uri(String),
    /// iPAddress `[7] OCTET STRING`: 4 or 16 octets in subjectAltName; address then mask (8 or
    /// 32 octets, the mask contiguous) in a name constraint.
    Ip(Vec<u8>),
    /// otherName `[0]`, x400Address `[3]`, ediPartyName `[5]` or registeredID `[8]`: not
    /// interpreted; `tag` is the context tag number.
    Other {
        /// The context tag number.
        tag: u8,
    },
}

impl GeneralName {
    /// The name of the form as RFC 5280 4.2.1.6 spells it (`"dNSName"`, ...).
    pub fn form(&self) -> &'static str {
        match self {
            GeneralName::Rfc822(_) => "rfc822Name",
            GeneralName::Dns(_) => "dNSName",
            GeneralName::Directory(_) => "directoryName",
            GeneralName::Uri(_) => "uniformResourceIdentifier",
            GeneralName::Ip(_) => "iPAddress",
            GeneralName::Other { tag: 0 } => "otherName",
            GeneralName::Other { tag: 3 } => "x400Address",
            GeneralName::Other { tag: 5 } => "ediPartyName",
            GeneralName::Other { tag: 8 } => "registeredID",
            GeneralName::Other { .. } => "GeneralName",
        }
    }

    /// Whether both names are of the same form (the same CHOICE alternative).
    pub fn same_form(&self, other: &GeneralName) -> bool {
        match (self, other) {
            (GeneralName::Other { tag: a }, GeneralName::Other { tag: b }) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

/// nameConstraints (RFC 5280 4.2.1.10): the `base` of every GeneralSubtree (`minimum` is 0 and
/// `maximum` absent, as the RFC requires; anything else is refused as malformed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameConstraints {
    /// permittedSubtrees `[0]`, empty when absent.
    pub permitted_subtrees: Vec<GeneralName>,
    /// excludedSubtrees `[1]`, empty when absent.
    pub excluded_subtrees: Vec<GeneralName>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// Most OCSP responder URIs kept from authorityInfoAccess.
pub const MAX_OCSP_URLS: usize = 8;
/// Longest OCSP responder URI kept (bytes).
pub const MAX_URL_LEN: usize = 2048;

/// A parsed certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Range<usize>,
    signature_algorithm: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    serial: Range<usize>,
    signature: Vec<u8>,
    /// Version (0 = v1, 2 = v3).
    pub version: i64,
    /// notBefore.
    pub not_before: UnixTime,
    /// notAfter.
    pub not_after: UnixTime,
    /// basicConstraints: (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage bits, see [`key_usage`].
    pub key_usage: Option<u16>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// extKeyUsage (RFC 5280 4.2.1.12): the KeyPurposeIds, in certificate order.
    pub ext_key_usage: Option<Vec<ObjectIdentifier>>,
    /// Whether extKeyUsage is marked critical.
    pub ext_key_usage_critical: bool,
    /// subjectAltName (RFC 5280 4.2.1.6), empty when absent.
    pub subject_alt_names: Vec<GeneralName>,
    /// nameConstraints (RFC 5280 4.2.1.10).
    pub name_constraints: Option<NameConstraints>,
    /// The OCSP responder URIs of authorityInfoAccess (RFC 5280 4.2.2.1, id-ad-ocsp), in
    /// certificate order: at most [`MAX_OCSP_URLS`], each printable ASCII of at most
    /// [`MAX_URL_LEN`] bytes (others are left out, as is a malformed extension: the URIs are
    /// only hints of where to ask).
    pub ocsp_urls: Vec<String>,
    /// Critical extensions this verifier does not process (dotted OIDs).
    pub unknown_critical: Vec<String>,
    /// The subject public key.
    pub public_key: PublicKey,
    /// SHA-256 of the DER.
    pub sha256: [u8; 32],
    /// Subject in comparable form (see [`name_key`]).
    pub subject_key: Vec<u8>,
    /// Issuer in comparable form (see [`name_key`]).
    pub issuer_key: Vec<u8>,
    subject_text: OnceLock<Arc<str>>,
    issuer_text: OnceLock<Arc<str>>,
    /// SHA-1 of the subject Name DER and of the subjectPublicKey, hexadecimal (an OCSP CertID's
    /// issuerNameHash and issuerKeyHash when this certificate is the issuer).
    issuer_hashes: OnceLock<Option<(Arc<str>, Arc<str>)>>,
    texts: OnceLock<Texts>,
    scheme: OnceLock<Result<crate::crypto::SignatureScheme, crate::crypto::AlgError>>,
}

/// A certificate's fields as report text, made once per certificate (a cached certificate is
/// described in every report that names it) and shared, so that a report takes them without
/// copying.
#[derive(Clone, Debug)]
pub struct Texts {
    /// The SHA-256 fingerprint, lower-case hexadecimal.
    pub sha256_hex: Arc<str>,
    /// serialNumber, upper-case hexadecimal.
    pub serial_hex: Arc<str>,
    /// notBefore, RFC 3339.
    pub not_before: Arc<str>,
    /// notAfter, RFC 3339.
    pub not_after: Arc<str>,
    /// The first commonName of the subject.
    pub common_name: Option<Arc<str>>,
    /// The first serialNumber attribute of the subject.
    pub subject_serial_number: Option<Arc<str>>,
}

/// Extensions whose criticality this verifier honours: processed, or with no effect on a
/// path whose acceptable policy set is any-policy.
const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.14",            // subjectKeyIdentifier
    "2.5.29.15",            // keyUsage
    "2.5.29.17",            // subjectAltName
    "2.5.29.18",            // issuerAltName
    "2.5.29.19",            // basicConstraints
    "2.5.29.30",            // nameConstraints
    "2.5.29.31",            // cRLDistributionPoints
    "2.5.29.32",            // certificatePolicies
    "2.5.29.35",            // authorityKeyIdentifier
    "2.5.29.37",            // extKeyUsage
    "2.5.29.46",            // freshestCRL
    "2.5.29.9",             // subjectDirectoryAttributes
    "1.3.6.1.5.5.7.1.1",    // authorityInfoAccess
    "1.3.6.1.5.5.7.1.3",    // qcStatements
    "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
];

impl Certificate {
    /// Parses one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertError> {
        if der.len() > MAX_CERT_LEN {
            return Err(CertError::Malformed("certificate too large"));
        }
        let base = der.as_ptr() as usize;
        let range = |t: &Tlv<'_>| -> Range<usize> {
            let start = t.raw.as_ptr() as usize - base;
            start..start + t.raw.len()
        };
        let (tbs, sig_alg, signature) = split_certificate(der)?;
        let mut t = Fields::new(&tbs)?;
        let version = parse_version(&mut t)?;
        let serial = t.next(Tag::INTEGER)?;
        if serial.value.is_empty() || serial.value.len() > 64 {
            return Err(CertError::Malformed("serial number"));
        }
        let inner_sig_alg = t.next(Tag::SEQUENCE)?;
        // RFC 5280 4.1.1.2: must equal the outer signatureAlgorithm.
        if inner_sig_alg.raw != sig_alg.raw {
            return Err(CertError::Malformed(
                "signature algorithm mismatch between TBS and certificate",
            ));
        }
        let issuer = t.next(Tag::SEQUENCE)?;
        let validity = t.next(Tag::SEQUENCE)?;
        let subject = t.next(Tag::SEQUENCE)?;
        let spki = t.next(Tag::SEQUENCE)?;
        let _issuer_uid = t.optional(Tag::context(1, false))?;
        let _subject_uid = t.optional(Tag::context(2, false))?;
        let extensions = t.optional(Tag::context(3, true))?;
        t.finish()?;

        let (not_before, not_after) = parse_validity(&validity)?;

        let public_key = PublicKey::from_spki(spki.raw)?;
        let mut c = Certificate {
            der: Vec::new(),
            tbs: range(&tbs),
            signature_algorithm: range(&sig_alg),
            issuer: range(&issuer),
            subject: range(&subject),
            spki: range(&spki),
            serial: {
                let start = serial.value.as_ptr() as usize - base;
                start..start + serial.value.len()
            },
            signature,
            version,
            not_before,
            not_after,
            basic_constraints: None,
            key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            ext_key_usage: None,
            ext_key_usage_critical: false,
            subject_alt_names: Vec::new(),
            name_constraints: None,
            ocsp_urls: Vec::new(),
            unknown_critical: Vec::new(),
            public_key,
            sha256: [0; 32],
            subject_key: name_key(subject.raw),
            issuer_key: name_key(issuer.raw),
            subject_text: OnceLock::new(),
            issuer_text: OnceLock::new(),
            issuer_hashes: OnceLock::new(),
            texts: OnceLock::new(),
            scheme: OnceLock::new(),
        };
        if let Some(exts) = extensions {
            if version != 2 {
                return Err(CertError::Malformed("extensions in a certificate before v3"));
            }
            c.parse_extensions(&Tlv::parse_exact(exts.value)?)?;
        }
        c.sha256
            .copy_from_slice(ring::digest::digest(&ring::digest::SHA256, der).as_ref());
        c.der = der.to_vec();
        Ok(c)
    }

    /// Parses every certificate of a PEM text, or one DER certificate.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Vec<Certificate>, CertError> {
        if looks_like_pem(bytes) {
            let text = std::str::from_utf8(bytes).map_err(|_| CertError::Malformed("PEM is not UTF-8"))?;
            pem_blocks(text, "CERTIFICATE")?
                .iter()
                .map(|d| Certificate::from_der(d))
                .collect()
        } else {
            Ok(vec![Certificate::from_der(bytes)?])
        }
    }

    fn parse_extensions(&mut self, seq: &Tlv<'_>) -> Result<(), CertError> {
        let mut seen: Vec<&[u8]> = Vec::new();
        for ext in seq.children_vec(64)? {
            let mut f = Fields::new(&ext)?;
            let oid = f.next(Tag::OID)?;
            let critical = match f.optional(Tag::BOOLEAN)? {
                Some(b) => b.value.first().is_some_and(|v| *v != 0),
                None => false,
            };
            let value = f.next(Tag::OCTET_STRING)?;
            f.finish()?;
            // RFC 5280 4.2: a certificate MUST NOT include more than one instance of an extension.
            if seen.contains(&oid.value) {
                return Err(CertError::Malformed("duplicate extension"));
            }
            seen.push(oid.value);
            let name = crate::formats::alg::oid_string(oid.value);
            let inner = value.value;
            match name.as_str() {
                "2.5.29.19" => self.basic_constraints = Some(parse_basic_constraints(inner)?),
                "2.5.29.15" => self.key_usage = Some(parse_key_usage(inner)?),
                "2.5.29.14" => {
                    let ski = Tlv::parse_exact(inner)?;
                    if ski.tag != Tag::OCTET_STRING {
                        return Err(CertError::Malformed("subjectKeyIdentifier"));
                    }
                    self.subject_key_id = Some(ski.value.to_vec());
                }
                "2.5.29.35" => {
                    let aki = Tlv::parse_exact(inner)?;
                    let mut f = Fields::new(&aki)?;
                    if let Some(k) = f.optional(Tag::context(0, false))? {
                        self.authority_key_id = Some(k.value.to_vec());
                    }
                }
                "2.5.29.37" => {
                    self.ext_key_usage = Some(parse_ext_key_usage(inner)?);
                    self.ext_key_usage_critical = critical;
                }
                "2.5.29.17" => self.subject_alt_names = parse_alt_names(inner)?,
                "2.5.29.30" => self.name_constraints = Some(parse_name_constraints(inner, critical)?),
                "1.3.6.1.5.5.7.1.1" => self.ocsp_urls = parse_ocsp_urls(inner),
                n if critical && !KNOWN_EXTENSIONS.contains(&n) => self.unknown_critical.push(name),
                _ => {}
            }
        }
        Ok(())
    }

    /// The whole DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TBSCertificate exactly as encoded (what the issuer signed).
    pub fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// The signatureAlgorithm AlgorithmIdentifier DER.
    pub fn signature_algorithm(&self) -> &[u8] {
        &self.der[self.signature_algorithm.clone()]
    }

    /// The signature scheme of [`Certificate::signature_algorithm`] (its parameters
    /// resolved); read once.
    pub fn signature_scheme(&self) -> Result<&crate::crypto::SignatureScheme, &crate::crypto::AlgError> {
        self.scheme
            .get_or_init(|| crate::crypto::SignatureScheme::from_algorithm_identifier(self.signature_algorithm(), None))
            .as_ref()
    }

    /// The signature value.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The issuer Name DER.
    pub fn issuer(&self) -> &[u8] {
        &self.der[self.issuer.clone()]
    }

    /// The subject Name DER.
    pub fn subject(&self) -> &[u8] {
        &self.der[self.subject.clone()]
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki(&self) -> &[u8] {
        &self.der[self.spki.clone()]
    }

    /// The serial number's contents octets (two's complement, as encoded).
    pub fn serial(&self) -> &[u8] {
        &self.der[self.serial.clone()]
    }

    /// Whether subject and issuer names are equal (self-issued, RFC 5280 3.4.61... 6.1).
    pub fn is_self_issued(&self) -> bool {
        self.subject_key == self.issuer_key
    }

    /// Whether this certificate is a CA certificate (basicConstraints cA).
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// Whether the certificate is valid at `t` (RFC 5280 4.1.2.5, inclusive bounds).
    pub fn valid_at(&self, t: UnixTime) -> bool {
        self.not_before <= t && t <= self.not_after
    }

    /// Subject in RFC 4514 form.
    pub fn subject_string(&self) -> &str {
        self.subject_shared()
    }

    /// Issuer in RFC 4514 form.
    pub fn issuer_string(&self) -> &str {
        self.issuer_shared()
    }

    /// [`Certificate::subject_string`], shared (a report takes it without copying).
    pub fn subject_shared(&self) -> &Arc<str> {
        self.subject_text.get_or_init(|| name_to_string(self.subject()).into())
    }

    /// [`Certificate::issuer_string`], shared.
    pub fn issuer_shared(&self) -> &Arc<str> {
        self.issuer_text.get_or_init(|| name_to_string(self.issuer()).into())
    }

    /// The first subject attribute of type `oid` (dotted), as text.
    pub fn subject_attribute(&self, oid: &str) -> Option<String> {
        name_attribute(self.subject(), oid)
    }

    /// Every subject attribute of type `oid` (dotted), as text, in order.
    pub fn subject_attributes(&self, oid: &str) -> Vec<String> {
        name_attributes(self.subject(), oid)
    }

    /// Fingerprint as lowercase hex.
    pub fn sha256_hex(&self) -> &str {
        &self.texts().sha256_hex
    }

    /// The fields reports show, as text; made on first use.
    pub fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| Texts {
            sha256_hex: hex::encode(self.sha256).into(),
            serial_hex: self.serial_hex().into(),
            not_before: self.not_before.to_rfc3339().into(),
            not_after: self.not_after.to_rfc3339().into(),
            common_name: self.subject_attribute("2.5.4.3").map(Into::into),
            subject_serial_number: self.subject_attribute("2.5.4.5").map(Into::into),
        })
    }

    /// Serial number as uppercase hex.
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(self.serial())
    }

    /// SHA-1 of the subject Name DER and of the subjectPublicKey, hexadecimal: the
    /// issuerNameHash and issuerKeyHash of an OCSP CertID (RFC 6960 4.1.1) for a certificate
    /// this one issued. Computed once; None when the key cannot be read.
    pub fn issuer_hashes_sha1(&self) -> Option<&(Arc<str>, Arc<str>)> {
        let hashes = self.issuer_hashes.get_or_init(|| {
            let key = self.subject_public_key_bits()?;
            Some((
                hex::encode(crate::crypto::HashAlg::Sha1.digest(self.subject())).into(),
                hex::encode(crate::crypto::HashAlg::Sha1.digest(key)).into(),
            ))
        });
        hashes.as_ref()
    }

    /// The subjectPublicKey BIT STRING contents, without the unused-bits octet (what an OCSP
    /// CertID's issuerKeyHash and a responderID byKey hash).
    pub fn subject_public_key_bits(&self) -> Option<&[u8]> {
        let spki = Tlv::parse_exact(self.spki()).ok()?;
        let mut f = Fields::new(&spki).ok()?;
        let _alg = f.next(Tag::SEQUENCE).ok()?;
        let bits = f.next(Tag::BIT_STRING).ok()?;
        match bits.value.split_first() {
            Some((0, key)) => Some(key),
            _ => None,
        }
    }
}

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }` (RFC 5280
/// 4.1): the TBSCertificate, the signatureAlgorithm and the signature's octets.
fn split_certificate(der: &[u8]) -> Result<(Tlv<'_>, Tlv<'_>, Vec<u8>), CertError> {
    let cert = Tlv::parse_exact(der)?;
    if cert.tag != Tag::SEQUENCE || cert.indefinite {
        return Err(CertError::Malformed("not a DER SEQUENCE"));
    }
    let mut f = Fields::new(&cert)?;
    let tbs = f.next(Tag::SEQUENCE)?;
    let sig_alg = f.next(Tag::SEQUENCE)?;
    let sig = f.next(Tag::BIT_STRING)?;
    f.finish()?;
    let signature = match sig.value.split_first() {
        Some((0, rest)) => rest.to_vec(),
        _ => return Err(CertError::Malformed("signature BIT STRING")),
    };
    Ok((tbs, sig_alg, signature))
}

/// `version [0] EXPLICIT Version DEFAULT v1` (RFC 5280 4.1.2.1): 0, 1 or 2.
fn parse_version(t: &mut Fields<'_>) -> Result<i64, CertError> {
    let version = match t.optional(Tag::context(0, true))? {
        Some(v) => ber::small_integer(&Tlv::parse_exact(v.value)?)?,
        None => 0,
    };
    if !(0..=2).contains(&version) {
        return Err(CertError::Malformed("version"));
    }
    Ok(version)
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }` (RFC 5280 4.1.2.5).
fn parse_validity(validity: &Tlv<'_>) -> Result<(UnixTime, UnixTime), CertError> {
    let mut v = Fields::new(validity)?;
    let not_before = parse_time(&v.next_any()?)?;
    let not_after = parse_time(&v.next_any()?)?;
    v.finish()?;
    Ok((not_before, not_after))
}

/// basicConstraints (RFC 5280 4.2.1.9): (cA, pathLenConstraint).
fn parse_basic_constraints(inner: &[u8]) -> Result<(bool, Option<u32>), CertError> {
    let bc = Tlv::parse_exact(inner)?;
    let mut f = Fields::new(&bc)?;
    let ca = match f.optional(Tag::BOOLEAN)? {
        Some(b) => b.value.first().is_some_and(|v| *v != 0),
        None => false,
    };
    let path_len = match f.optional(Tag::INTEGER)? {
        Some(i) => Some(u32::try_from(ber::small_integer(&i)?).map_err(|_| CertError::Malformed("pathLenConstraint"))?),
        None => None,
    };
    f.finish()?;
    Ok((ca, path_len))
}

/// The id-ad-ocsp uniformResourceIdentifiers of authorityInfoAccess (RFC 5280 4.2.2.1):
/// `SEQUENCE OF AccessDescription { accessMethod OID, accessLocation GeneralName }`.
fn parse_ocsp_urls(inner: &[u8]) -> Vec<String> {
    const ID_AD_OCSP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];
    let Ok(seq) = Tlv::parse_exact(inner).and_then(|s| s.children_vec(64)) else {
        return Vec::new();
    };
    seq.iter()
        .filter_map(|d| {
            let mut f = Fields::new(d).ok()?;
            let method = f.next(Tag::OID).ok()?;
            let location = f.next_any().ok()?;
            let uri = method.value == ID_AD_OCSP && location.tag == Tag::context(6, false);
            let text = std::str::from_utf8(location.value).ok()?;
            let printable = text.bytes().all(|b| b.is_ascii_graphic());
            (uri && printable && !text.is_empty() && text.len() <= MAX_URL_LEN).then(|| text.to_string())
        })
        .take(MAX_OCSP_URLS)
        .collect()
}

/// keyUsage (RFC 5280 4.2.1.3) as the bits of [`key_usage`].
fn parse_key_usage(inner: &[u8]) -> Result<u16, CertError> {
    let bits = Tlv::parse_exact(inner)?;
    let named = match bits.value.split_first() {
        Some((_, named)) if bits.tag == Tag::BIT_STRING && (1..=2).contains(&named.len()) => named,
        _ => return Err(CertError::Malformed("keyUsage")),
    };
    let mut ku = 0u16;
    for (i, byte) in named.iter().enumerate() {
        for bit in 0..8 {
            if byte & (0x80 >> bit) != 0 {
                ku |= 1 << (i * 8 + bit);
            }
        }
    }
    Ok(ku)
}

/// extKeyUsage (RFC 5280 4.2.1.12): `SEQUENCE SIZE (1..MAX) OF KeyPurposeId`, at most
/// [`MAX_KEY_PURPOSES`] of them.
fn parse_ext_key_usage(inner: &[u8]) -> Result<Vec<ObjectIdentifier>, CertError> {
    let bad = CertError::Malformed("extKeyUsage");
    let seq = Tlv::parse_exact(inner)?;
    if seq.tag != Tag::SEQUENCE {
        return Err(bad);
    }
    let purposes = seq.children_vec(MAX_KEY_PURPOSES).map_err(|_| bad.clone())?;
    if purposes.is_empty() {
        return Err(bad);
    }
    purposes
        .iter()
        .map(|p| {
            if p.tag != Tag::OID {
                return Err(bad.clone());
            }
            ObjectIdentifier::from_bytes(p.value).map_err(|_| bad.clone())
        })
        .collect()
}

/// subjectAltName (RFC 5280 4.2.1.6): `SEQUENCE SIZE (1..MAX) OF GeneralName`, at most
/// [`MAX_GENERAL_NAMES`] of them (an empty sequence names nothing and is let through).
fn parse_alt_names(inner: &[u8]) -> Result<Vec<GeneralName>, CertError> {
    let bad = CertError::Malformed("subjectAltName");
    let seq = Tlv::parse_exact(inner)?;
    if seq.tag != Tag::SEQUENCE {
        return Err(bad);
    }
    let names = seq.children_vec(MAX_GENERAL_NAMES).map_err(|_| bad)?;
    names.iter().map(|n| parse_general_name(n, false)).collect()
}

/// nameConstraints (RFC 5280 4.2.1.10):
///
/// ```text
/// NameConstraints ::= SEQUENCE {
///      permittedSubtrees       [0]     GeneralSubtrees OPTIONAL,
///      excludedSubtrees        [1]     GeneralSubtrees OPTIONAL }
/// ```
/// RFC 5280 4.2.1.10: an empty sequence is not allowed, and is refused as malformed.
fn parse_name_constraints(inner: &[u8], critical: bool) -> Result<NameConstraints, CertError> {
    let nc = Tlv::parse_exact(inner)?;
    if nc.tag != Tag::SEQUENCE {
        return Err(CertError::Malformed("nameConstraints"));
    }
    let mut f = Fields::new(&nc)?;
    let permitted = f.optional(Tag::context(0, true))?;
    let excluded = f.optional(Tag::context(1, true))?;
    f.finish()?;
    if permitted.is_none() && excluded.is_none() {
        return Err(CertError::Malformed("empty nameConstraints"));
    }
    Ok(NameConstraints {
        permitted_subtrees: permitted.map(|t| parse_subtrees(&t)).transpose()?.unwrap_or_default(),
        excluded_subtrees: excluded.map(|t| parse_subtrees(&t)).transpose()?.unwrap_or_default(),
        critical,
    })
}

/// `GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree` (implicitly tagged), at most
/// [`MAX_GENERAL_NAMES`] of them:
///
/// ```text
/// GeneralSubtree ::= SEQUENCE {
///      base                    GeneralName,
///      minimum         [0]     BaseDistance DEFAULT 0,
///      maximum         [1]     BaseDistance OPTIONAL }
/// ```
/// RFC 5280 4.2.1.10: "the minimum MUST be zero, and maximum MUST be absent".
fn parse_subtrees(list: &Tlv<'_>) -> Result<Vec<GeneralName>, CertError> {
    let bad = CertError::Malformed("GeneralSubtree");
    if !list.tag.constructed {
        return Err(bad);
    }
    let subtrees = list.children_vec(MAX_GENERAL_NAMES).map_err(|_| bad.clone())?;
    if subtrees.is_empty() {
        return Err(bad);
    }
    let mut out = Vec::with_capacity(subtrees.len());
    for subtree in &subtrees {
        if subtree.tag != Tag::SEQUENCE {
            return Err(bad);
        }
        let mut f = Fields::new(subtree)?;
        let base = parse_general_name(&f.next_any()?, true)?;
        if let Some(min) = f.optional(Tag::context(0, false))? {
            if min.tag.constructed || min.value != [0] {
                return Err(bad);
            }
        }
        if f.optional(Tag::context(1, false))?.is_some() {
            return Err(bad);
        }
        f.finish()?;
        out.push(base);
    }
    Ok(out)
}

/// One GeneralName (RFC 5280 4.2.1.6). `in_constraint`: an iPAddress is an address and a
/// contiguous mask (RFC 5280 4.2.1.10) rather than an address alone.
fn parse_general_name(t: &Tlv<'_>, in_constraint: bool) -> Result<GeneralName, CertError> {
    let bad = CertError::Malformed("GeneralName");
    if t.tag.class != Class::Context {
        return Err(bad);
    }
    let primitive = !t.tag.constructed;
    Ok(match t.tag.number {
        1 if primitive => GeneralName::Rfc822(ia5_string(t.value)?),
        2 if primitive => GeneralName::Dns(ia5_string(t.value)?),
        6 if primitive => GeneralName::Uri(ia5_string(t.value)?),
        4 if t.tag.constructed => {
            let name = Tlv::parse_exact(t.value)?;
            if name.tag != Tag::SEQUENCE || name_rdn_keys(name.raw).is_none() {
                return Err(bad);
            }
            GeneralName::Directory(name.raw.to_vec())
        }
        7 if primitive => {
            let ok = match (in_constraint, t.value.len()) {
                (false, 4 | 16) => true,
                (true, 8 | 32) => contiguous_mask(t.value.get(t.value.len() / 2..).unwrap_or_default()),
                _ => false,
            };
            if !ok {
                return Err(CertError::Malformed("iPAddress"));
            }
            GeneralName::Ip(t.value.to_vec())
        }
        0 if t.tag.constructed => GeneralName::Other { tag: 0 },
        3 if t.tag.constructed => GeneralName::Other { tag: 3 },
        5 if t.tag.constructed => GeneralName::Other { tag: 5 },
        8 if primitive => GeneralName::Other { tag: 8 },
        _ => return Err(bad),
    })
}

/// An IA5String's contents: ASCII only (X.680 41.4, T.50).
fn ia5_string(v: &[u8]) -> Result<String, CertError> {
    if !v.is_ascii() {
        return Err(CertError::Malformed("IA5String is not ASCII"));
    }
    String::from_utf8(v.to_vec()).map_err(|_| CertError::Malformed("IA5String is not ASCII"))
}

/// Whether a mask of at most 16 octets is ones followed by zeros.
fn contiguous_mask(mask: &[u8]) -> bool {
    if mask.is_empty() || mask.len() > 16 {
        return false;
    }
    let value = mask.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let aligned = value << (128 - 8 * mask.len());
    aligned.leading_ones() + aligned.trailing_zeros() >= 128
}

/// Compares two Names: equal [`name_key`]s.
pub fn names_equal(a: &[u8], b: &[u8]) -> bool {
    a == b || name_key(a) == name_key(b)
}

/// A Name in comparable form: RFC 5280 7.1 comparison in its common subset (string types
/// ignored, case folded, white space collapsed, attributes of an RDN in any order). A Name that
/// cannot be read compares by its exact bytes.
pub fn name_key(der: &[u8]) -> Vec<u8> {
    normalized_name(der).unwrap_or_else(|| {
        let mut raw = vec![0xff];
        raw.extend_from_slice(der);
        raw
    })
}

fn normalized_name(der: &[u8]) -> Option<Vec<u8>> {
    let name = Tlv::parse_exact(der).ok()?;
    let mut out = Vec::with_capacity(der.len());
    if name.tag != Tag::SEQUENCE {
        return None;
    }
    for rdn in name.children() {
        out.extend_from_slice(&rdn_key(&rdn.ok()?).ok()??);
    }
    Some(out)
}

/// The relative distinguished names of a Name, most significant first, each in the comparable
/// form of [`name_key`] (an RDN with a value that is not a string: `0xff` and its exact bytes).
/// `None` when the bytes are not a Name. Used for the RDN-by-RDN prefix comparison of
/// directoryName constraints (RFC 5280 4.2.1.10, 7.1).
pub fn name_rdn_keys(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    let name = Tlv::parse_exact(der).ok()?;
    if name.tag != Tag::SEQUENCE {
        return None;
    }
    name.children()
        .map(|rdn| {
            let rdn = rdn.ok()?;
            Some(rdn_key(&rdn).ok()?.unwrap_or_else(|| {
                let mut raw = vec![0xff];
                raw.extend_from_slice(rdn.raw);
                raw
            }))
        })
        .collect()
}

/// One RDN in comparable form (attributes sorted, values case-folded and white space
/// collapsed); `Ok(None)` when a value is not a string.
fn rdn_key(rdn: &Tlv<'_>) -> Result<Option<Vec<u8>>, BerError> {
    if rdn.tag != Tag::SET {
        return Err(BerError::UnexpectedTag);
    }
    let mut set = Vec::new();
    let mut all_strings = true;
    for atv in rdn.children() {
        let atv = atv?;
        if atv.tag != Tag::SEQUENCE {
            return Err(BerError::UnexpectedTag);
        }
        let mut f = Fields::new(&atv)?;
        let oid = f.next(Tag::OID)?;
        let value = f.next_any()?;
        match string_value(&value) {
            Some(text) => {
                let folded = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                set.push((oid.value, folded));
            }
            None => all_strings = false,
        }
    }
    if !all_strings {
        return Ok(None);
    }
    set.sort();
    let mut out = Vec::new();
    for (oid, text) in set {
        out.push(0);
        out.extend_from_slice(&(oid.len() as u32).to_be_bytes());
        out.extend_from_slice(oid);
        out.extend_from_slice(&(text.len() as u32).to_be_bytes());
        out.extend_from_slice(text.as_bytes());
    }
    out.push(1);
    Ok(Some(out))
}

fn string_value(v: &Tlv<'_>) -> Option<String> {
    match v.tag.number {
        12 | 19 | 22 | 20 | 26 => Some(String::from_utf8_lossy(v.value).into_owned()),
        30 => {
            let units: Vec<u16> = v
                .value
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        28 => {
            let chars: String = v
                .value
                .chunks(4)
                .filter_map(|c| {
                    let bytes: [u8; 4] = c.try_into().ok()?;
                    char::from_u32(u32::from_be_bytes(bytes))
                })
                .collect();
            Some(chars)
        }
        _ => None,
    }
}

/// Every string value of the attributes of type `oid` (dotted) in a Name, in order; values that
/// are not strings and a Name that cannot be read give nothing.
pub fn name_attributes(der: &[u8], oid: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (Ok(want), Ok(name)) = (ObjectIdentifier::new(oid), Tlv::parse_exact(der)) else {
        return out;
    };
    for atv in name.children().flatten().flat_map(|rdn| rdn.children()).flatten() {
        let Ok(mut f) = Fields::new(&atv) else { continue };
        if f.next(Tag::OID).is_ok_and(|o| o.value == want.as_bytes()) {
            out.extend(f.next_any().ok().and_then(|v| string_value(&v)));
        }
    }
    out
}

fn name_attribute(der: &[u8], oid: &str) -> Option<String> {
    let want = const_oid::ObjectIdentifier::new(oid).ok()?;
    let name = Tlv::parse_exact(der).ok()?;
    for rdn in name.children() {
        for atv in rdn.ok()?.children() {
            let atv = atv.ok()?;
            let mut f = Fields::new(&atv).ok()?;
            let o = f.next(Tag::OID).ok()?;
            if o.value == want.as_bytes() {
                return string_value(&f.next_any().ok()?);
            }
        }
    }
    None
}

/// Short names of common attribute types (RFC 4514 3, RFC 5280 appendix A, EN 319 412-1).
const ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "TITLE"),
    ("2.5.4.42", "GN"),
    ("2.5.4.43", "INITIALS"),
    ("2.5.4.44", "GENERATIONQUALIFIER"),
    ("2.5.4.46", "DNQUALIFIER"),
    ("2.5.4.65", "PSEUDONYM"),
    ("2.5.4.97", "ORGANIZATIONIDENTIFIER"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "EMAILADDRESS"),
];

fn attribute_name(oid: &[u8]) -> String {
    static TABLE: OnceLock<Vec<(Vec<u8>, &'static str)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        ATTRIBUTE_NAMES
            .iter()
            .filter_map(|(o, n)| {
                const_oid::ObjectIdentifier::new(o)
                    .ok()
                    .map(|o| (o.as_bytes().to_vec(), *n))
            })
            .collect()
    });
    match table.iter().find(|(o, _)| o == oid) {
        Some((_, n)) => (*n).to_string(),
        None => crate::formats::alg::oid_string(oid),
    }
}

/// A Name in RFC 4514 form (most specific RDN first, values escaped, values that are not
/// strings as `#` and the hex of their encoding).
pub fn name_to_string(der: &[u8]) -> String {
    render_name(
        der,
        &NameStyle {
            attribute: attribute_name,
            value: escape_rfc4514,
            between_values: "+",
            between_rdns: ",",
        },
    )
}

/// How [`render_name`] writes a Name: the attribute's name, a string value, the separators.
struct NameStyle {
    attribute: fn(&[u8]) -> String,
    value: fn(&str) -> String,
    between_values: &'static str,
    between_rdns: &'static str,
}

/// A Name, the last RDN first, as `style` says; values that are not strings as `#` and the hex
/// of their encoding; a Name that does not parse as `#` and the hex of it.
fn render_name(der: &[u8], style: &NameStyle) -> String {
    let render = || -> Option<String> {
        let name = Tlv::parse_exact(der).ok()?;
        let mut rdns = Vec::new();
        for rdn in name.children() {
            let mut parts = Vec::new();
            for atv in rdn.ok()?.children() {
                let atv = atv.ok()?;
                let mut f = Fields::new(&atv).ok()?;
                let oid = f.next(Tag::OID).ok()?;
                let value = f.next_any().ok()?;
                let text = match string_value(&value) {
                    Some(t) => (style.value)(&t),
                    None => format!("#{}", hex::encode(value.raw)),
                };
                parts.push(format!("{}={text}", (style.attribute)(oid.value)));
            }
            rdns.push(parts.join(style.between_values));
        }
        rdns.reverse();
        Some(rdns.join(style.between_rdns))
    };
    render().unwrap_or_else(|| format!("#{}", hex::encode(der)))
}

/// Short names .NET's `X500DistinguishedName.Name` uses (those of Windows' `CertNameToStr`);
/// any other type is written `OID.` and its dotted form.
const DOTNET_ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "S"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "T"),
    ("2.5.4.42", "G"),
    ("2.5.4.43", "I"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "E"),
];

fn dotnet_attribute_name(oid: &[u8]) -> String {
    let dotted = crate::formats::alg::oid_string(oid);
    match DOTNET_ATTRIBUTE_NAMES.iter().find(|(o, _)| *o == dotted) {
        Some((_, n)) => (*n).to_string(),
        None => format!("OID.{dotted}"),
    }
}

/// A value as .NET writes it: in double quotes (inner quotes doubled) when empty, when it
/// starts or ends with white space, or when it holds one of `,+="\n<>#;`.
fn dotnet_quote(v: &str) -> String {
    let edge = |c: Option<char>| c.is_some_and(|c| c == ' ' || ('\u{9}'..='\u{d}').contains(&c));
    let needs = v.is_empty()
        || edge(v.chars().next())
        || edge(v.chars().last())
        || v.contains([',', '+', '=', '"', '\n', '<', '>', '#', ';']);
    if needs {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// A Name as .NET renders `X500DistinguishedName.Name` (and `X509Certificate2.Subject`):
/// `Decode(X500DistinguishedNameFlags.Reversed)`, the last RDN first (`CN=..., O=..., C=..`),
/// RDNs separated by `, `, the values of a multi-valued RDN by ` + `, Windows' short names
/// (`S`, `E`, `G`, `T`; `OID.2.5.4.97` for others), values quoted rather than escaped; values
/// that are not strings as `#` and the hex of their encoding.
pub fn name_to_dotnet_string(der: &[u8]) -> String {
    render_name(
        der,
        &NameStyle {
            attribute: dotnet_attribute_name,
            value: dotnet_quote,
            between_values: " + ",
            between_rdns: ", ",
        },
    )
}

fn escape_rfc4514(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let last = v.chars().count().saturating_sub(1);
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
    out
}

/// A Time (UTCTime or GeneralizedTime, RFC 5280 4.1.2.5): seconds, `Z`, no fractions.
pub(crate) fn parse_time(t: &Tlv<'_>) -> Result<UnixTime, CertError> {
    let s = std::str::from_utf8(t.value).map_err(|_| CertError::Malformed("time"))?;
    // Only digits and a final `Z` (RFC 5280 4.1.2.5.1, 4.1.2.5.2); slicing below relies on it.
    if !s.is_ascii() {
        return Err(CertError::Malformed("time"));
    }
    let (year, rest) = if t.tag == Tag::UTC_TIME && s.len() == 13 {
        let yy: i64 = s[..2].parse().map_err(|_| CertError::Malformed("time"))?;
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &s[2..])
    } else if t.tag == Tag::GENERALIZED_TIME && s.len() == 15 {
        (s[..4].parse().map_err(|_| CertError::Malformed("time"))?, &s[4..])
    } else {
        return Err(CertError::Malformed("time"));
    };
    if !rest.ends_with('Z') || !rest[..10].bytes().all(|b| b.is_ascii_digit()) {
        return Err(CertError::Malformed("time"));
    }
    let num = |r: Range<usize>| -> i64 { rest[r].parse().unwrap_or(-1) };
    UnixTime::from_parts(year, num(0..2), num(2..4), num(4..6), num(6..8), num(8..10))
        .ok_or(CertError::Malformed("time"))
}

/// Whether bytes look like PEM text.
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or(&[]);
    trimmed.starts_with(b"-----BEGIN ")
}

/// Decodes the PEM blocks with `label`.
pub fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, CertError> {
    use base64::Engine;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start + begin.len()..];
        let stop = after.find(&end).ok_or(CertError::Malformed("unterminated PEM block"))?;
        let body: String = after[..stop].chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|_| CertError::Malformed("PEM base64"))?;
        out.push(der);
        rest = &after[stop + end.len()..];
    }
    if out.is_empty() {
        return Err(CertError::Malformed("no PEM certificate block"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;
    use rcgen::{CertificateParams, CustomExtension, ExtendedKeyUsagePurpose, KeyPair, SanType};

    fn issue(params: &CertificateParams) -> Result<Certificate, CertError> {
        let key = KeyPair::generate().unwrap();
        Certificate::from_der(params.self_signed(&key).unwrap().der())
    }

    /// A certificate with one extension given as DER.
    fn with_extension(oid: &[u64], content: Vec<u8>, critical: bool) -> Result<Certificate, CertError> {
        let mut ext = CustomExtension::from_oid_content(oid, content);
        ext.set_criticality(critical);
        let mut params = CertificateParams::default();
        params.custom_extensions = vec![ext];
        issue(&params)
    }

    const EKU: &[u64] = &[2, 5, 29, 37];
    const SAN: &[u64] = &[2, 5, 29, 17];
    const NC: &[u64] = &[2, 5, 29, 30];

    #[test]
    fn extended_key_usage() {
        let mut params = CertificateParams::default();
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::CodeSigning,
            ExtendedKeyUsagePurpose::Other(vec![1, 2, 3, 4]),
        ];
        let cert = issue(&params).unwrap();
        assert_eq!(
            cert.ext_key_usage,
            Some(vec![
                ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3"),
                ObjectIdentifier::new_unwrap("1.2.3.4"),
            ])
        );
        assert!(!cert.ext_key_usage_critical);
        assert_eq!(issue(&CertificateParams::default()).unwrap().ext_key_usage, None);

        let oid = |s: &str| encode(0x06, ObjectIdentifier::new_unwrap(s).as_bytes());
        let critical = with_extension(EKU, encode(0x30, &oid("1.3.6.1.5.5.7.3.4")), true).unwrap();
        assert!(critical.ext_key_usage_critical);
        assert!(critical.unknown_critical.is_empty());
    }

    #[test]
    fn malformed_extended_key_usage() {
        let malformed = |content: Vec<u8>| {
            assert!(
                matches!(
                    with_extension(EKU, content.clone(), false),
                    Err(CertError::Malformed(_))
                ),
                "{}",
                hex::encode(&content)
            );
        };
        malformed(encode(0x30, &[]));
        malformed(encode(0x30, &encode(0x02, &[1])));
        malformed(encode(0x31, &encode(0x06, &[0x2a, 0x03])));
        malformed(encode(0x06, &[0x2a, 0x03]));
        malformed(encode(0x30, &encode(0x06, &[0x2a, 0x83])));
        malformed(encode(0x30, &encode(0x06, &[0x2a, 0x03]).repeat(MAX_KEY_PURPOSES + 1)));
    }

    #[test]
    fn ocsp_urls_of_authority_info_access() {
        const AIA: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 1];
        let oid = |s: &str| encode(0x06, ObjectIdentifier::new_unwrap(s).as_bytes());
        let access = |method: &str, location: Vec<u8>| encode(0x30, &[oid(method), location].concat());
        let ocsp = "1.3.6.1.5.5.7.48.1";
        let descriptions = [
            access(ocsp, encode(0x86, b"http://ocsp.example.com/")),
            access("1.3.6.1.5.5.7.48.2", encode(0x86, b"http://ca.example.com/ca.crt")),
            access(ocsp, encode(0x82, b"ocsp.example.com")),
            access(ocsp, encode(0x86, "http://é.example/".as_bytes())),
            access(ocsp, encode(0x86, "http://x/".repeat(300).as_bytes())),
            access(ocsp, encode(0x86, b"http://ocsp2.example.com/")),
        ]
        .concat();
        let cert = with_extension(AIA, encode(0x30, &descriptions), false).unwrap();
        assert_eq!(
            cert.ocsp_urls,
            ["http://ocsp.example.com/", "http://ocsp2.example.com/"]
        );
        let many = access(ocsp, encode(0x86, b"http://a/")).repeat(20);
        let cert = with_extension(AIA, encode(0x30, &many), false).unwrap();
        assert_eq!(cert.ocsp_urls.len(), MAX_OCSP_URLS);
        // Malformed: no URL, the certificate still reads.
        let cert = with_extension(AIA, encode(0x31, &[]), false).unwrap();
        assert!(cert.ocsp_urls.is_empty());
    }

    #[test]
    fn subject_alt_names() {
        let mut params = CertificateParams::default();
        params.subject_alt_names = vec![
            SanType::DnsName("example.com".try_into().unwrap()),
            SanType::Rfc822Name("a@example.com".try_into().unwrap()),
            SanType::URI("https://example.com/".try_into().unwrap()),
            SanType::IpAddress("192.0.2.1".parse().unwrap()),
            SanType::IpAddress("2001:db8::1".parse().unwrap()),
            SanType::OtherName((vec![1, 2, 3], "x".into())),
        ];
        let cert = issue(&params).unwrap();
        let mut v6 = vec![0x20, 0x01, 0x0d, 0xb8];
        v6.extend([0; 11]);
        v6.push(1);
        assert_eq!(
            cert.subject_alt_names,
            vec![
                GeneralName::Dns("example.com".into()),
                GeneralName::Rfc822("a@example.com".into()),
                GeneralName::Uri("https://example.com/".into()),
                GeneralName::Ip(vec![192, 0, 2, 1]),
                GeneralName::Ip(v6),
                GeneralName::Other { tag: 0 },
            ]
        );
        let name = encode(0x30, &encode(0x31, &[]));
        let dir = with_extension(SAN, encode(0x30, &encode(0xa4, &name)), false).unwrap();
        assert_eq!(dir.subject_alt_names, vec![GeneralName::Directory(name)]);
    }

    #[test]
    fn malformed_subject_alt_names() {
        let malformed = |names: Vec<u8>| {
            assert!(
                matches!(
                    with_extension(SAN, encode(0x30, &names), false),
                    Err(CertError::Malformed(_))
                ),
                "{}",
                hex::encode(&names)
            );
        };
        malformed(encode(0x82, "é.example".as_bytes()));
        malformed(encode(0x87, &[10, 0, 0, 1, 255, 0, 0, 0]));
        malformed(encode(0x87, &[10, 0, 0]));
        malformed(encode(0xa2, &encode(0x16, b"example.com")));
        malformed(encode(0x89, b"x"));
        malformed(encode(0x04, b"x"));
        // directoryName is explicitly tagged: [4] { Name }.
        malformed(encode(0xa4, &encode(0x31, &[])));
        malformed(encode(0x82, b"a.example").repeat(MAX_GENERAL_NAMES + 1));
    }

    fn subtree(base: Vec<u8>) -> Vec<u8> {
        encode(0x30, &base)
    }

    #[test]
    fn name_constraints() {
        let permitted = [
            subtree(encode(0x82, b"example.com")),
            subtree([encode(0x87, &[10, 0, 0, 0, 255, 0, 0, 0]), encode(0x80, &[0])].concat()),
        ]
        .concat();
        let excluded = subtree(encode(0x81, b".example.org"));
        let nc = encode(0x30, &[encode(0xa0, &permitted), encode(0xa1, &excluded)].concat());
        let cert = with_extension(NC, nc, true).unwrap();
        assert!(cert.unknown_critical.is_empty());
        assert_eq!(
            cert.name_constraints,
            Some(NameConstraints {
                permitted_subtrees: vec![
                    GeneralName::Dns("example.com".into()),
                    GeneralName::Ip(vec![10, 0, 0, 0, 255, 0, 0, 0]),
                ],
                excluded_subtrees: vec![GeneralName::Rfc822(".example.org".into())],
                critical: true,
            })
        );
        let only_excluded = encode(0x30, &encode(0xa1, &excluded));
        let cert = with_extension(NC, only_excluded, false).unwrap();
        let nc = cert.name_constraints.unwrap();
        assert!(!nc.critical && nc.permitted_subtrees.is_empty());
    }

    #[test]
    fn malformed_name_constraints() {
        let malformed = |nc: Vec<u8>| {
            assert!(
                matches!(with_extension(NC, nc.clone(), true), Err(CertError::Malformed(_))),
                "{}",
                hex::encode(&nc)
            );
        };
        let dns = encode(0x82, b"example.com");
        let permitted = |subtrees: Vec<u8>| encode(0x30, &encode(0xa0, &subtrees));
        malformed(encode(0x30, &[]));
        malformed(permitted(Vec::new()));
        malformed(permitted(subtree([dns.clone(), encode(0x80, &[1])].concat())));
        malformed(permitted(subtree([dns.clone(), encode(0x81, &[2])].concat())));
        malformed(permitted(subtree(
            [dns.clone(), encode(0x80, &[0]), encode(0x81, &[2])].concat(),
        )));
        malformed(permitted(subtree(encode(0x82, "bücher.example".as_bytes()))));
        malformed(permitted(subtree(encode(0x87, &[10, 0, 0, 0, 255, 0, 255, 0]))));
        malformed(permitted(subtree(encode(0x87, &[10, 0, 0, 1]))));
        // rcgen 0.14.7's implicitly tagged directoryName.
        malformed(permitted(subtree(encode(0xa4, &encode(0x31, &[])))));
        malformed(permitted(subtree(dns.clone()).repeat(MAX_GENERAL_NAMES + 1)));
        malformed(encode(0x30, &encode(0xa2, &subtree(dns.clone()))));
        malformed(encode(
            0x30,
            &[encode(0xa1, &subtree(dns.clone())), encode(0xa0, &subtree(dns))].concat(),
        ));
    }

    #[test]
    fn contiguous_masks() {
        assert!(contiguous_mask(&[255, 255, 0, 0]));
        assert!(contiguous_mask(&[0, 0, 0, 0]));
        assert!(contiguous_mask(&[255; 16]));
        assert!(contiguous_mask(&[255, 254, 0, 0]));
        assert!(!contiguous_mask(&[255, 0, 255, 0]));
        assert!(!contiguous_mask(&[0, 0, 0, 1]));
        assert!(!contiguous_mask(&[]));
    }

    #[test]
    fn rdn_keys_agree_with_name_key() {
        let atv = |oid: &str, tag: u8, v: &[u8]| {
            let oid = encode(0x06, ObjectIdentifier::new_unwrap(oid).as_bytes());
            encode(0x30, &[oid, encode(tag, v)].concat())
        };
        let c = encode(0x31, &atv("2.5.4.6", 0x13, b"EE"));
        let o = encode(0x31, &atv("2.5.4.10", 0x0c, b"Some  Org"));
        let name = encode(0x30, &[c.clone(), o.clone()].concat());
        let rdns = name_rdn_keys(&name).unwrap();
        assert_eq!(rdns.len(), 2);
        assert_eq!(rdns.concat(), name_key(&name));
        let folded = encode(
            0x30,
            &[c.clone(), encode(0x31, &atv("2.5.4.10", 0x13, b"some org"))].concat(),
        );
        assert_eq!(name_rdn_keys(&folded), Some(rdns));
        // A value that is not a string: that RDN by its bytes.
        let odd = encode(0x31, &atv("2.5.4.10", 0x04, b"x"));
        let name = encode(0x30, &[c, odd.clone()].concat());
        assert_eq!(name_rdn_keys(&name).unwrap()[1], [&[0xff][..], &odd].concat());
        assert_eq!(name_rdn_keys(&encode(0x31, &[])), None);
        let emails = encode(
            0x30,
            &[
                encode(0x31, &atv(EMAIL, 0x16, b"a@x")),
                encode(0x31, &atv(EMAIL, 0x16, b"b@y")),
            ]
            .concat(),
        );
        assert_eq!(
            name_attributes(&emails, EMAIL),
            vec!["a@x".to_string(), "b@y".to_string()]
        );
    }

    const EMAIL: &str = "1.2.840.113549.1.9.1";
}

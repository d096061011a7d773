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
use std::sync::OnceLock;

use crate::crypto::{AlgError, PublicKey};
use crate::formats::ber::{self, BerError, Fields, Tag, Tlv};
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
    subject_text: OnceLock<String>,
    issuer_text: OnceLock<String>,
}

/// Extensions whose criticality this verifier honours: processed, or with no effect on a
/// path whose acceptable policy set is any-policy.
const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.14",            // subjectKeyIdentifier
    "2.5.29.15",            // keyUsage
    "2.5.29.17",            // subjectAltName
    "2.5.29.18",            // issuerAltName
    "2.5.29.19",            // basicConstraints
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
        let cert = Tlv::parse_exact(der)?;
        if cert.tag != Tag::SEQUENCE || cert.indefinite {
            return Err(CertError::Malformed("not a DER SEQUENCE"));
        }
        let base = der.as_ptr() as usize;
        let range = |t: &Tlv<'_>| -> Range<usize> {
            let start = t.raw.as_ptr() as usize - base;
            start..start + t.raw.len()
        };
        let mut f = Fields::new(&cert)?;
        let tbs = f.next(Tag::SEQUENCE)?;
        let sig_alg = f.next(Tag::SEQUENCE)?;
        let sig = f.next(Tag::BIT_STRING)?;
        f.finish()?;
        let signature = match sig.value.split_first() {
            Some((0, rest)) => rest.to_vec(),
            _ => return Err(CertError::Malformed("signature BIT STRING")),
        };

        let mut t = Fields::new(&tbs)?;
        let version = match t.optional(Tag::context(0, true))? {
            Some(v) => ber::small_integer(&Tlv::parse_exact(v.value)?)?,
            None => 0,
        };
        if !(0..=2).contains(&version) {
            return Err(CertError::Malformed("version"));
        }
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

        let mut v = Fields::new(&validity)?;
        let not_before = parse_time(&v.next_any()?)?;
        let not_after = parse_time(&v.next_any()?)?;
        v.finish()?;

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
            unknown_critical: Vec::new(),
            public_key,
            sha256: [0; 32],
            subject_key: name_key(subject.raw),
            issuer_key: name_key(issuer.raw),
            subject_text: OnceLock::new(),
            issuer_text: OnceLock::new(),
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
            let name = crate::crypto::alg::oid_string(oid.value);
            let inner = value.value;
            match name.as_str() {
                "2.5.29.19" => {
                    let bc = Tlv::parse_exact(inner)?;
                    let mut f = Fields::new(&bc)?;
                    let ca = match f.optional(Tag::BOOLEAN)? {
                        Some(b) => b.value.first().is_some_and(|v| *v != 0),
                        None => false,
                    };
                    let path_len = match f.optional(Tag::INTEGER)? {
                        Some(i) => Some(
                            u32::try_from(ber::small_integer(&i)?)
                                .map_err(|_| CertError::Malformed("pathLenConstraint"))?,
                        ),
                        None => None,
                    };
                    f.finish()?;
                    self.basic_constraints = Some((ca, path_len));
                }
                "2.5.29.15" => {
                    let bits = Tlv::parse_exact(inner)?;
                    if bits.tag != Tag::BIT_STRING || bits.value.len() < 2 || bits.value.len() > 3 {
                        return Err(CertError::Malformed("keyUsage"));
                    }
                    let mut ku = 0u16;
                    for (i, byte) in bits.value[1..].iter().enumerate() {
                        for bit in 0..8 {
                            if byte & (0x80 >> bit) != 0 {
                                ku |= 1 << (i * 8 + bit);
                            }
                        }
                    }
                    self.key_usage = Some(ku);
                }
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
        self.subject_text.get_or_init(|| name_to_string(self.subject()))
    }

    /// Issuer in RFC 4514 form.
    pub fn issuer_string(&self) -> &str {
        self.issuer_text.get_or_init(|| name_to_string(self.issuer()))
    }

    /// The first subject attribute of type `oid` (dotted), as text.
    pub fn subject_attribute(&self, oid: &str) -> Option<String> {
        name_attribute(self.subject(), oid)
    }

    /// Fingerprint as lowercase hex.
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }

    /// Serial number as uppercase hex.
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(self.serial())
    }
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
        let rdn = rdn.ok()?;
        if rdn.tag != Tag::SET {
            return None;
        }
        let mut set = Vec::new();
        for atv in rdn.children() {
            let atv = atv.ok()?;
            if atv.tag != Tag::SEQUENCE {
                return None;
            }
            let mut f = Fields::new(&atv).ok()?;
            let oid = f.next(Tag::OID).ok()?;
            let value = f.next_any().ok()?;
            let text = string_value(&value)?;
            let folded = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            set.push((oid.value, folded));
        }
        set.sort();
        for (oid, text) in set {
            out.push(0);
            out.extend_from_slice(&(oid.len() as u32).to_be_bytes());
            out.extend_from_slice(oid);
            out.extend_from_slice(&(text.len() as u32).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        out.push(1);
    }
    Some(out)
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
        None => crate::crypto::alg::oid_string(oid),
    }
}

/// A Name in RFC 4514 form (most specific RDN first, values escaped, values that are not
/// strings as `#` and the hex of their encoding).
pub fn name_to_string(der: &[u8]) -> String {
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
                    Some(t) => escape_rfc4514(&t),
                    None => format!("#{}", hex::encode(value.raw)),
                };
                parts.push(format!("{}={text}", attribute_name(oid.value)));
            }
            rdns.push(parts.join("+"));
        }
        rdns.reverse();
        Some(rdns.join(","))
    };
    render().unwrap_or_else(|| format!("#{}", hex::encode(der)))
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

fn parse_time(t: &Tlv<'_>) -> Result<UnixTime, CertError> {
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

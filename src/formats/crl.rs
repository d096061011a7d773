//! Certificate revocation lists (RFC 5280 5), kept with the exact bytes that were signed.
//!
//! ```text
//! CertificateList  ::=  SEQUENCE  {
//!      tbsCertList          TBSCertList,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
//!
//! TBSCertList  ::=  SEQUENCE  {
//!      version                 Version OPTIONAL,   -- if present, MUST be v2
//!      signature               AlgorithmIdentifier,
//!      issuer                  Name,
//!      thisUpdate              Time,
//!      nextUpdate              Time OPTIONAL,
//!      revokedCertificates     SEQUENCE OF SEQUENCE  {
//!           userCertificate         CertificateSerialNumber,
//!           revocationDate          Time,
//!           crlEntryExtensions      Extensions OPTIONAL }  OPTIONAL,
//!      crlExtensions           [0]  EXPLICIT Extensions OPTIONAL }
//! ```
//! Parsing reads every entry once, to check it and count it, but keeps none: a lookup by serial
//! ([`Crl::find`]) walks the entries again, so a CRL of many entries costs no memory per entry.

use crate::formats::ber::{self, BerError, Class, Fields, Tag, Tlv};
use crate::formats::x509;
use crate::time::UnixTime;

/// Largest CRL accepted (bytes).
pub const MAX_CRL_LEN: usize = 16 * 1024 * 1024;

/// Most revoked-certificate entries accepted in one CRL. An entry takes at least 20 octets,
/// so under [`MAX_CRL_LEN`] about 840,000 fit; this bound holds should the size cap be raised.
pub const MAX_ENTRIES: usize = 1_000_000;

/// Most extensions read from the CRL or from one entry.
pub const MAX_EXTENSIONS: usize = 32;

/// Why bytes are not a CRL this verifier can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CrlError {
    /// Not a well-formed CertificateList; the text names the part.
    #[error("malformed CRL: {0}")]
    Malformed(&'static str),
    /// Larger than [`MAX_CRL_LEN`] or with more than [`MAX_ENTRIES`] entries.
    #[error("CRL too large: {0}")]
    TooLarge(&'static str),
}

impl From<BerError> for CrlError {
    fn from(_: BerError) -> Self {
        CrlError::Malformed("ASN.1 structure")
    }
}

/// CRLReason (RFC 5280 5.3.1); value 7 is unused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum RevocationReason {
    Unspecified,
    KeyCompromise,
    CaCompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    CertificateHold,
    RemoveFromCrl,
    PrivilegeWithdrawn,
    AaCompromise,
}

impl RevocationReason {
    /// From the ENUMERATED value; `None` for 7 and values past 10.
    pub fn from_code(code: i64) -> Option<RevocationReason> {
        use RevocationReason::*;
        Some(match code {
            0 => Unspecified,
            1 => KeyCompromise,
            2 => CaCompromise,
            3 => AffiliationChanged,
            4 => Superseded,
            5 => CessationOfOperation,
            6 => CertificateHold,
            8 => RemoveFromCrl,
            9 => PrivilegeWithdrawn,
            10 => AaCompromise,
            _ => return None,
        })
    }

    /// The name RFC 5280 5.3.1 gives the value (`"keyCompromise"`, ...).
    pub fn name(&self) -> &'static str {
        use RevocationReason::*;
        match self {
            Unspecified => "unspecified",
            KeyCompromise => "keyCompromise",
            CaCompromise => "cACompromise",
            AffiliationChanged => "affiliationChanged",
            Superseded => "superseded",
            CessationOfOperation => "cessationOfOperation",
            CertificateHold => "certificateHold",
            RemoveFromCrl => "removeFromCRL",
            PrivilegeWithdrawn => "privilegeWithdrawn",
            AaCompromise => "aACompromise",
        }
    }
}

/// issuingDistributionPoint (RFC 5280 5.2.5): the scope of the CRL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssuingDistributionPoint {
    /// distributionPoint `[0]`, as encoded, when present.
    pub distribution_point: Option<Vec<u8>>,
    /// onlyContainsUserCerts.
    pub only_user_certs: bool,
    /// onlyContainsCACerts.
    pub only_ca_certs: bool,
    /// onlySomeReasons present: the CRL covers some revocation reasons only.
    pub only_some_reasons: bool,
    /// indirectCRL: entries may name other certificate issuers.
    pub indirect_crl: bool,
    /// onlyContainsAttributeCerts.
    pub only_attribute_certs: bool,
}

/// The CRL extensions this verifier reads (RFC 5280 5.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrlExtensions {
    /// cRLNumber, big-endian without leading zeros.
    pub crl_number: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// deltaCRLIndicator: the BaseCRLNumber of a delta CRL.
    pub delta_base: Option<Vec<u8>>,
    /// issuingDistributionPoint.
    pub issuing_distribution_point: Option<IssuingDistributionPoint>,
    /// Critical extensions this verifier does not process (dotted OIDs).
    pub unknown_critical: Vec<String>,
}

/// One revokedCertificates entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevokedEntry<'a> {
    /// userCertificate: the serial number's contents octets, as encoded.
    pub serial: &'a [u8],
    /// revocationDate.
    pub revocation_date: UnixTime,
    /// reasonCode (RFC 5280 5.3.1).
    pub reason: Option<RevocationReason>,
    /// invalidityDate (RFC 5280 5.3.2).
    pub invalidity_date: Option<UnixTime>,
    /// Whether a certificateIssuer extension (RFC 5280 5.3.3, indirect CRLs) is present.
    pub certificate_issuer: bool,
    /// The OID contents of the first critical entry extension not processed here.
    pub unknown_critical: Option<&'a [u8]>,
}

/// A parsed CRL, borrowing the input.
#[derive(Clone, Debug)]
pub struct Crl<'a> {
    /// The TBSCertList exactly as encoded (what the issuer signed).
    pub tbs: &'a [u8],
    /// The signatureAlgorithm AlgorithmIdentifier DER (equal to the TBSCertList's `signature`).
    pub signature_algorithm: &'a [u8],
    /// The signature value (the BIT STRING's octets).
    pub signature: &'a [u8],
    /// Version: 0 = v1 (absent), 1 = v2.
    pub version: i64,
    /// The issuer Name DER.
    pub issuer: &'a [u8],
    /// thisUpdate.
    pub this_update: UnixTime,
    /// nextUpdate.
    pub next_update: Option<UnixTime>,
    /// The CRL extensions read.
    pub extensions: CrlExtensions,
    /// Number of revoked-certificate entries.
    pub entry_count: usize,
    /// Whether some entry carries a certificateIssuer extension.
    pub any_certificate_issuer: bool,
    /// The first critical entry extension not processed here (dotted OID).
    pub entry_unknown_critical: Option<String>,
    revoked: Option<Tlv<'a>>,
}

impl<'a> Crl<'a> {
    /// Parses one DER CRL, reading and checking every entry.
    pub fn from_der(der: &'a [u8]) -> Result<Crl<'a>, CrlError> {
        if der.len() > MAX_CRL_LEN {
            return Err(CrlError::TooLarge("input"));
        }
        let (tbs, sig_alg, signature) = split(der)?;
        let mut t = Fields::new(&tbs)?;
        let version = match t.optional(Tag::INTEGER)? {
            Some(v) if ber::small_integer(&v)? == 1 => 1,
            Some(_) => return Err(CrlError::Malformed("version")),
            None => 0,
        };
        // RFC 5280 5.1.2.2: must equal the outer signatureAlgorithm.
        if t.next(Tag::SEQUENCE)?.raw != sig_alg.raw {
            return Err(CrlError::Malformed("signature algorithm mismatch between TBS and CRL"));
        }
        let issuer = t.next(Tag::SEQUENCE)?;
        let this_update = parse_time(&t.next_any()?)?;
        let next_update = optional_time(&mut t)?;
        let revoked = t.optional(Tag::SEQUENCE)?;
        let exts = t.optional(Tag::context(0, true))?;
        t.finish()?;
        if exts.is_some() && version != 1 {
            return Err(CrlError::Malformed("extensions in a v1 CRL"));
        }
        let extensions = match exts {
            Some(e) => parse_crl_extensions(&Tlv::parse_exact(e.value)?)?,
            None => CrlExtensions::default(),
        };
        let mut crl = Crl {
            tbs: tbs.raw,
            signature_algorithm: sig_alg.raw,
            signature,
            version,
            issuer: issuer.raw,
            this_update,
            next_update,
            extensions,
            entry_count: 0,
            any_certificate_issuer: false,
            entry_unknown_critical: None,
            revoked,
        };
        crl.scan_entries()?;
        Ok(crl)
    }

    /// Reads every entry once: counts them and notes what concerns the whole CRL.
    fn scan_entries(&mut self) -> Result<(), CrlError> {
        let mut count = 0usize;
        for entry in self.entries() {
            let entry = entry?;
            count += 1;
            if count > MAX_ENTRIES {
                return Err(CrlError::TooLarge("revoked certificate entries"));
            }
            self.any_certificate_issuer |= entry.certificate_issuer;
            if self.entry_unknown_critical.is_none() {
                self.entry_unknown_critical = entry.unknown_critical.map(crate::formats::alg::oid_string);
            }
        }
        self.entry_count = count;
        Ok(())
    }

    /// The revoked-certificate entries, in CRL order, read as they are walked.
    pub fn entries(&self) -> impl Iterator<Item = Result<RevokedEntry<'a>, CrlError>> + use<'a> {
        let v2 = self.version == 1;
        self.revoked
            .map(|r| r.children())
            .into_iter()
            .flatten()
            .map(move |e| parse_entry(&e?, v2))
    }

    /// The entry for the certificate with serial number contents `serial` (as in
    /// [`x509::Certificate::serial`]), compared as integers (redundant sign octets ignored).
    pub fn find(&self, serial: &[u8]) -> Result<Option<RevokedEntry<'a>>, CrlError> {
        let want = minimal_integer(serial);
        for entry in self.entries() {
            let entry = entry?;
            if minimal_integer(entry.serial) == want {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }
}

/// `CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }`.
fn split(der: &[u8]) -> Result<(Tlv<'_>, Tlv<'_>, &[u8]), CrlError> {
    let crl = Tlv::parse_exact(der)?;
    if crl.tag != Tag::SEQUENCE || crl.indefinite {
        return Err(CrlError::Malformed("not a DER SEQUENCE"));
    }
    let mut f = Fields::new(&crl)?;
    let tbs = f.next(Tag::SEQUENCE)?;
    let sig_alg = f.next(Tag::SEQUENCE)?;
    let sig = f.next(Tag::BIT_STRING)?;
    f.finish()?;
    if tbs.tag != Tag::SEQUENCE || tbs.indefinite {
        return Err(CrlError::Malformed("tbsCertList"));
    }
    match sig.value.split_first() {
        Some((0, rest)) if !sig.tag.constructed => Ok((tbs, sig_alg, rest)),
        _ => Err(CrlError::Malformed("signature BIT STRING")),
    }
}

/// An INTEGER's contents without the sign octets DER would not have.
fn minimal_integer(v: &[u8]) -> &[u8] {
    let mut v = v;
    while let [first, second, ..] = v {
        let redundant = (*first == 0 && second & 0x80 == 0) || (*first == 0xff && second & 0x80 != 0);
        if !redundant {
            break;
        }
        v = &v[1..];
    }
    v
}

fn parse_time(t: &Tlv<'_>) -> Result<UnixTime, CrlError> {
    x509::parse_time(t).map_err(|_| CrlError::Malformed("time"))
}

/// A Time (UTCTime or GeneralizedTime) if the next field is one.
fn optional_time(f: &mut Fields<'_>) -> Result<Option<UnixTime>, CrlError> {
    if let Some(t) = f.optional(Tag::UTC_TIME)? {
        return parse_time(&t).map(Some);
    }
    f.optional(Tag::GENERALIZED_TIME)?.map(|t| parse_time(&t)).transpose()
}

/// UNIVERSAL 10 (CRLReason).
const ENUMERATED: Tag = Tag {
    class: Class::Universal,
    constructed: false,
    number: 10,
};

/// `2.5.29.n` as OID contents octets.
const fn id_ce(n: u8) -> [u8; 3] {
    [0x55, 0x1d, n]
}

const CRL_NUMBER: [u8; 3] = id_ce(20);
const REASON_CODE: [u8; 3] = id_ce(21);
const INVALIDITY_DATE: [u8; 3] = id_ce(24);
const DELTA_CRL_INDICATOR: [u8; 3] = id_ce(27);
const ISSUING_DISTRIBUTION_POINT: [u8; 3] = id_ce(28);
const CERTIFICATE_ISSUER: [u8; 3] = id_ce(29);
const AUTHORITY_KEY_ID: [u8; 3] = id_ce(35);
const ISSUER_ALT_NAME: [u8; 3] = id_ce(18);

/// One Extension: (OID contents, critical, extnValue contents).
type Extension<'a> = (&'a [u8], bool, &'a [u8]);

/// Walks `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, at most [`MAX_EXTENSIONS`],
/// refusing a repeated extension (RFC 5280 4.2), without allocating.
fn for_each_extension<'a>(
    seq: &Tlv<'a>,
    mut visit: impl FnMut(Extension<'a>) -> Result<(), CrlError>,
) -> Result<(), CrlError> {
    if seq.tag != Tag::SEQUENCE {
        return Err(CrlError::Malformed("extensions"));
    }
    let mut seen: [&[u8]; MAX_EXTENSIONS] = [&[]; MAX_EXTENSIONS];
    for (i, ext) in seq.children().enumerate() {
        let ext = ext?;
        if i >= MAX_EXTENSIONS {
            return Err(CrlError::TooLarge("extensions"));
        }
        let mut f = Fields::new(&ext)?;
        let oid = f.next(Tag::OID)?.value;
        let critical = match f.optional(Tag::BOOLEAN)? {
            Some(b) => b.value.first().is_some_and(|v| *v != 0),
            None => false,
        };
        let value = f.next(Tag::OCTET_STRING)?.value;
        f.finish()?;
        if seen[..i].contains(&oid) {
            return Err(CrlError::Malformed("duplicate extension"));
        }
        seen[i] = oid;
        visit((oid, critical, value))?;
    }
    Ok(())
}

fn parse_crl_extensions(seq: &Tlv<'_>) -> Result<CrlExtensions, CrlError> {
    let mut out = CrlExtensions::default();
    for_each_extension(seq, |(oid, critical, value)| {
        match oid {
            o if o == CRL_NUMBER => out.crl_number = Some(parse_crl_number(value, "cRLNumber")?),
            o if o == DELTA_CRL_INDICATOR => out.delta_base = Some(parse_crl_number(value, "deltaCRLIndicator")?),
            o if o == AUTHORITY_KEY_ID => out.authority_key_id = parse_aki(value)?,
            o if o == ISSUING_DISTRIBUTION_POINT => out.issuing_distribution_point = Some(parse_idp(value)?),
            o if o == ISSUER_ALT_NAME => {}
            _ if critical => out.unknown_critical.push(crate::formats::alg::oid_string(oid)),
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// `CRLNumber ::= INTEGER (0..MAX)`, at most 20 octets (RFC 5280 5.2.3).
fn parse_crl_number(value: &[u8], what: &'static str) -> Result<Vec<u8>, CrlError> {
    let n = Tlv::parse_exact(value)?;
    if n.tag != Tag::INTEGER || n.value.len() > 21 || n.value.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(CrlError::Malformed(what));
    }
    ber::unsigned_integer(&n).map_err(|_| CrlError::Malformed(what))
}

/// authorityKeyIdentifier: the keyIdentifier `[0]`, if any.
fn parse_aki(value: &[u8]) -> Result<Option<Vec<u8>>, CrlError> {
    let aki = Tlv::parse_exact(value)?;
    if aki.tag != Tag::SEQUENCE {
        return Err(CrlError::Malformed("authorityKeyIdentifier"));
    }
    let mut f = Fields::new(&aki)?;
    Ok(f.optional(Tag::context(0, false))?.map(|k| k.value.to_vec()))
}

/// issuingDistributionPoint (RFC 5280 5.2.5), fields in order, all optional.
fn parse_idp(value: &[u8]) -> Result<IssuingDistributionPoint, CrlError> {
    let idp = Tlv::parse_exact(value)?;
    if idp.tag != Tag::SEQUENCE {
        return Err(CrlError::Malformed("issuingDistributionPoint"));
    }
    let mut f = Fields::new(&idp)?;
    let flag = |f: &mut Fields<'_>, n: u32| -> Result<bool, CrlError> {
        match f.optional(Tag::context(n, false))? {
            Some(b) if !b.tag.constructed && b.value.len() == 1 => Ok(b.value[0] != 0),
            Some(_) => Err(CrlError::Malformed("issuingDistributionPoint flag")),
            None => Ok(false),
        }
    };
    let out = IssuingDistributionPoint {
        distribution_point: f.optional(Tag::context(0, true))?.map(|d| d.raw.to_vec()),
        only_user_certs: flag(&mut f, 1)?,
        only_ca_certs: flag(&mut f, 2)?,
        only_some_reasons: f.optional(Tag::context(3, false))?.is_some(),
        indirect_crl: flag(&mut f, 4)?,
        only_attribute_certs: flag(&mut f, 5)?,
    };
    f.finish()?;
    Ok(out)
}

/// One revokedCertificates entry; `v2`: whether entry extensions are allowed.
fn parse_entry<'a>(entry: &Tlv<'a>, v2: bool) -> Result<RevokedEntry<'a>, CrlError> {
    if entry.tag != Tag::SEQUENCE {
        return Err(CrlError::Malformed("revoked certificate entry"));
    }
    let mut f = Fields::new(entry)?;
    let serial = f.next(Tag::INTEGER)?;
    if serial.value.is_empty() || serial.value.len() > 64 || serial.tag.constructed {
        return Err(CrlError::Malformed("serial number"));
    }
    let mut out = RevokedEntry {
        serial: serial.value,
        revocation_date: parse_time(&f.next_any()?)?,
        reason: None,
        invalidity_date: None,
        certificate_issuer: false,
        unknown_critical: None,
    };
    if let Some(exts) = f.optional(Tag::SEQUENCE)? {
        if !v2 {
            return Err(CrlError::Malformed("entry extensions in a v1 CRL"));
        }
        for_each_extension(&exts, |ext| read_entry_extension(&mut out, ext))?;
    }
    f.finish()?;
    Ok(out)
}

fn read_entry_extension<'a>(out: &mut RevokedEntry<'a>, (oid, critical, value): Extension<'a>) -> Result<(), CrlError> {
    match oid {
        o if o == REASON_CODE => {
            let code = Tlv::parse_exact(value)?;
            let reason = match code.tag == ENUMERATED && code.value.len() == 1 {
                true => RevocationReason::from_code(i64::from(code.value[0])),
                false => None,
            };
            out.reason = Some(reason.ok_or(CrlError::Malformed("reasonCode"))?);
        }
        o if o == INVALIDITY_DATE => {
            let t = Tlv::parse_exact(value)?;
            if t.tag != Tag::GENERALIZED_TIME {
                return Err(CrlError::Malformed("invalidityDate"));
            }
            out.invalidity_date = Some(parse_time(&t)?);
        }
        o if o == CERTIFICATE_ISSUER => out.certificate_issuer = true,
        _ if critical && out.unknown_critical.is_none() => out.unknown_critical = Some(oid),
        _ => {}
    }
    Ok(())
}

/// Most names read from one DistributionPointName, and most distribution points read from one
/// certificate.
pub const MAX_DISTRIBUTION_NAMES: usize = 64;

/// The fullName GeneralNames of a `[0] DistributionPointName` (the `distributionPoint` field of
/// an issuingDistributionPoint or of a DistributionPoint), each as encoded. `None` for a
/// nameRelativeToCRLIssuer, or when the field is malformed or has too many names.
pub fn full_names(distribution_point: &[u8]) -> Option<Vec<&[u8]>> {
    let outer = Tlv::parse_exact(distribution_point).ok()?;
    let name = Tlv::parse_exact(outer.value).ok()?;
    if outer.tag != Tag::context(0, true) || name.tag != Tag::context(0, true) {
        return None;
    }
    let names = name.children_vec(MAX_DISTRIBUTION_NAMES).ok()?;
    Some(names.iter().map(|n| n.raw).collect())
}

/// The fullName GeneralNames of every distribution point of a certificate's
/// cRLDistributionPoints extension (RFC 5280 4.2.1.13), each as encoded, read from the
/// TBSCertificate `tbs`. Empty when the extension is absent or cannot be read.
pub fn certificate_distribution_names(tbs: &[u8]) -> Vec<&[u8]> {
    let Some(value) = certificate_extension(tbs, &id_ce(31)) else {
        return Vec::new();
    };
    let Ok(points) = Tlv::parse_exact(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for point in points.children().take(MAX_DISTRIBUTION_NAMES).flatten() {
        let Ok(mut f) = Fields::new(&point) else { continue };
        if let Ok(Some(dp)) = f.optional(Tag::context(0, true)) {
            out.extend(full_names(dp.raw).unwrap_or_default());
        }
    }
    out
}

/// The extnValue contents of the extension `oid` (contents octets) of a TBSCertificate.
fn certificate_extension<'a>(tbs: &'a [u8], oid: &[u8]) -> Option<&'a [u8]> {
    let tbs = Tlv::parse_exact(tbs).ok()?;
    let exts = tbs.children().flatten().find(|t| t.tag == Tag::context(3, true))?;
    let seq = Tlv::parse_exact(exts.value).ok()?;
    for ext in seq.children().take(MAX_EXTENSIONS * 2) {
        let mut f = Fields::new(&ext.ok()?).ok()?;
        if f.next(Tag::OID).ok()?.value != oid {
            continue;
        }
        let _critical = f.optional(Tag::BOOLEAN).ok()?;
        return Some(f.next(Tag::OCTET_STRING).ok()?.value);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;

    const ALG: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
    ];

    fn utc(s: &str) -> Vec<u8> {
        encode(0x17, s.as_bytes())
    }

    fn ext(oid: u8, critical: bool, value: &[u8]) -> Vec<u8> {
        let crit = if critical { encode(0x01, &[0xff]) } else { Vec::new() };
        encode(0x30, &[encode(0x06, &id_ce(oid)), crit, encode(0x04, value)].concat())
    }

    fn entry(serial: &[u8], exts: Option<Vec<u8>>) -> Vec<u8> {
        let exts = exts.map(|e| encode(0x30, &e)).unwrap_or_default();
        encode(0x30, &[encode(0x02, serial), utc("260110000000Z"), exts].concat())
    }

    /// A CertificateList around the given TBSCertList fields after `signature` (issuer first).
    fn crl(version: Option<u8>, fields: &[Vec<u8>]) -> Vec<u8> {
        let version = version.map(|v| encode(0x02, &[v])).unwrap_or_default();
        let tbs = encode(0x30, &[version, ALG.to_vec(), fields.concat()].concat());
        encode(0x30, &[tbs, ALG.to_vec(), encode(0x03, &[0, 1, 2, 3])].concat())
    }

    fn name() -> Vec<u8> {
        encode(
            0x30,
            &encode(
                0x31,
                &encode(0x30, &[encode(0x06, &[0x55, 4, 3]), encode(0x0c, b"CA")].concat()),
            ),
        )
    }

    fn with_entries(version: Option<u8>, entries: &[Vec<u8>], crl_exts: Option<Vec<u8>>) -> Vec<u8> {
        let mut fields = vec![
            name(),
            utc("260115000000Z"),
            utc("260122000000Z"),
            encode(0x30, &entries.concat()),
        ];
        fields.extend(crl_exts.map(|e| encode(0xa0, &encode(0x30, &e))));
        crl(version, &fields)
    }

    #[test]
    fn reads_a_minimal_crl() {
        let der = crl(None, &[name(), utc("260115000000Z")]);
        let c = Crl::from_der(&der).unwrap();
        assert_eq!((c.version, c.next_update, c.entry_count), (0, None, 0));
        assert_eq!(c.signature, &[1, 2, 3]);
        let reason = ext(21, false, &encode(0x0a, &[1]));
        let der = with_entries(Some(1), &[entry(&[0x00, 0x80], Some(reason)), entry(&[5], None)], None);
        let c = Crl::from_der(&der).unwrap();
        assert_eq!(c.entry_count, 2);
        let e = c.find(&[0x00, 0x80]).unwrap().unwrap();
        assert_eq!(e.reason, Some(RevocationReason::KeyCompromise));
        // 0x80 alone is -128, not 128.
        assert!(c.find(&[0x80]).unwrap().is_none());
        assert!(c.find(&[0x00, 0x05]).unwrap().is_some());
    }

    #[test]
    fn refuses_what_rfc_5280_forbids() {
        let malformed = |der: Vec<u8>| assert!(matches!(Crl::from_der(&der), Err(CrlError::Malformed(_))));
        let reason = |code: u8| ext(21, false, &encode(0x0a, &[code]));
        // Entry extensions, and CRL extensions, in a v1 CRL.
        malformed(with_entries(None, &[entry(&[1], Some(reason(1)))], None));
        malformed(with_entries(None, &[], Some(ext(20, false, &encode(0x02, &[1])))));
        // Version other than v2.
        malformed(with_entries(Some(2), &[], None));
        // Reason code 7 (unused) and past 10.
        malformed(with_entries(Some(1), &[entry(&[1], Some(reason(7)))], None));
        malformed(with_entries(Some(1), &[entry(&[1], Some(reason(11)))], None));
        // The same extension twice.
        let number = ext(20, false, &encode(0x02, &[1]));
        malformed(with_entries(Some(1), &[], Some([number.clone(), number].concat())));
        // A negative cRLNumber; an invalidityDate that is a UTCTime.
        malformed(with_entries(Some(1), &[], Some(ext(20, false, &encode(0x02, &[0x80])))));
        let invalidity = ext(24, false, &utc("260101000000Z"));
        malformed(with_entries(Some(1), &[entry(&[1], Some(invalidity))], None));
        // Inner and outer signature algorithms differ.
        let mut der = crl(None, &[name(), utc("260115000000Z")]);
        let last_alg = der.len() - 6 - 3;
        der[last_alg] ^= 1;
        assert_eq!(
            Crl::from_der(&der).unwrap_err(),
            CrlError::Malformed("signature algorithm mismatch between TBS and CRL")
        );
        // A serial of no octets.
        malformed(with_entries(Some(1), &[entry(&[], None)], None));
    }

    #[test]
    fn notes_what_concerns_the_whole_crl() {
        let unknown = encode(
            0x30,
            &[encode(0x06, &[0x2a, 3]), encode(0x01, &[0xff]), encode(0x04, &[5, 0])].concat(),
        );
        let issuer = ext(29, true, &encode(0x30, &[]));
        let der = with_entries(Some(1), &[entry(&[1], Some(unknown)), entry(&[2], Some(issuer))], None);
        let c = Crl::from_der(&der).unwrap();
        assert_eq!(c.entry_unknown_critical.as_deref(), Some("1.2.3"));
        assert!(c.any_certificate_issuer);
        let too_many: Vec<u8> = (0..=MAX_EXTENSIONS as u8)
            .flat_map(|i| ext(100 + i, false, &[5, 0]))
            .collect();
        assert_eq!(
            Crl::from_der(&with_entries(Some(1), &[], Some(too_many))).unwrap_err(),
            CrlError::TooLarge("extensions")
        );
    }

    #[test]
    fn minimal_integers() {
        assert_eq!(minimal_integer(&[0, 0, 0x7f]), &[0x7f]);
        assert_eq!(minimal_integer(&[0, 0x80]), &[0, 0x80]);
        assert_eq!(minimal_integer(&[0xff, 0xff, 0x80]), &[0x80]);
        assert_eq!(minimal_integer(&[0xff, 0x7f]), &[0xff, 0x7f]);
        assert_eq!(minimal_integer(&[0]), &[0]);
    }
}

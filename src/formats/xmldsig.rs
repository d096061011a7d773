//! XML-DSig ([XML Signature Syntax and Processing 1.1](https://www.w3.org/TR/xmldsig-core1/))
//! and the XAdES qualifying properties ([ETSI EN 319 132-1](https://www.etsi.org/deliver/etsi_en/319100_319199/31913201/))
//! read from a parsed document into plain structs. Parsing only: nothing is digested,
//! canonicalized or verified here ([`mod@reference`] resolves and transforms references).
//!
//! ```text
//! <Signature Id?>  SignedInfo, SignatureValue, KeyInfo?, Object*
//! <SignedInfo>     CanonicalizationMethod, SignatureMethod, Reference+
//! <Reference Id? URI? Type?>  Transforms?, DigestMethod, DigestValue
//! ```
//!
//! The reader is strict: a required element missing, an element out of place, a value that
//! is not base64 is a [`DsigError`], which the adapter reports as a format failure. Every list
//! is bounded ([`MAX_SIGNATURES`], [`MAX_REFERENCES`], [`MAX_TRANSFORMS`],
//! [`MAX_CERTIFICATES`]); nothing recurses over the input.

pub mod reference;

use roxmltree::{Document, Node, NodeId};

/// The XML-DSig namespace.
pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The XAdES v1.3.2 namespace (signed and unsigned properties).
pub const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// The XAdES v1.4.1 namespace (unsigned properties added by EN 319 132-1).
pub const XADES141: &str = "http://uri.etsi.org/01903/v1.4.1#";
/// The XAdES v1.1.1 namespace (ETSI TS 101 903 V1.1.1; DIGIDOC-XML 1.3 signatures).
pub const XADES111: &str = "http://uri.etsi.org/01903/v1.1.1#";
/// The prefix of every XAdES namespace (v1.1.1, v1.2.2, v1.3.2, v1.4.1).
pub const XADES_ANY: &str = "http://uri.etsi.org/01903/";
/// The Type of the Reference that covers the SignedProperties.
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
/// The Type of the Reference that covers the SignedProperties in XAdES v1.1.1 (TS 101 903
/// V1.1.1 6.2.1, as DIGIDOC-XML 1.3 writes it).
pub const SIGNED_PROPERTIES_TYPE_V111: &str = "http://uri.etsi.org/01903/v1.1.1#SignedProperties";
/// The namespace of `InclusiveNamespaces` (Exclusive XML Canonicalization 1.0).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The `xml:` namespace.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Most `ds:Signature` elements read in one document.
pub const MAX_SIGNATURES: usize = 100;
/// Most references of one signature.
pub const MAX_REFERENCES: usize = 1000;
/// Most transforms of one reference.
pub const MAX_TRANSFORMS: usize = 8;
/// Most certificates of one signature (KeyInfo, CertificateValues, SigningCertificate).
pub const MAX_CERTIFICATES: usize = 100;
/// Most signature time-stamps, revocation values and data object formats of one signature.
pub const MAX_PROPERTIES: usize = 100;

/// Why a signature cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DsigError {
    /// A required element or attribute is missing.
    #[error("{0} is missing")]
    Missing(&'static str),
    /// An element where the schema allows none, or not in its place.
    #[error("unexpected element in {0}")]
    Unexpected(&'static str),
    /// A value that is not base64.
    #[error("{0} is not base64")]
    NotBase64(&'static str),
    /// More elements than the reader takes.
    #[error("more than {limit} {what}")]
    TooMany {
        /// What.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Occurs more than once where it must be unique.
    #[error("more than one {0}")]
    Duplicate(&'static str),
}

/// An algorithm reference: `Algorithm` and, for exclusive canonicalization, the
/// `InclusiveNamespaces PrefixList`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Algorithm {
    /// The `Algorithm` URI.
    pub uri: String,
    /// `ec:InclusiveNamespaces/@PrefixList`, split on whitespace (`#default` kept as is).
    pub inclusive_prefixes: Vec<String>,
    /// Whether the element has other element content (an `XPath`, XSLT style sheet, ...).
    pub has_parameters: bool,
}

/// `ds:Reference`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `Id`.
    pub id: Option<String>,
    /// `URI`; `None` when absent (the application knows the data).
    pub uri: Option<String>,
    /// `Type`.
    pub type_: Option<String>,
    /// `Transforms/Transform`, in order.
    pub transforms: Vec<Algorithm>,
    /// `DigestMethod/@Algorithm`.
    pub digest_method: String,
    /// `DigestValue`, decoded.
    pub digest_value: Vec<u8>,
}

/// `ds:SignedInfo`.
#[derive(Clone, Debug)]
pub struct SignedInfo<'a, 'i> {
    /// The element (canonicalized to give the signed bytes).
    pub element: Node<'a, 'i>,
    /// `CanonicalizationMethod`.
    pub canonicalization: Algorithm,
    /// `SignatureMethod/@Algorithm`.
    pub signature_method: Algorithm,
    /// `Reference+`.
    pub references: Vec<Reference>,
}

/// `ds:Signature`.
#[derive(Clone, Debug)]
pub struct Signature<'a, 'i> {
    /// The element.
    pub element: Node<'a, 'i>,
    /// `Id`.
    pub id: Option<&'a str>,
    /// `SignedInfo`.
    pub signed_info: SignedInfo<'a, 'i>,
    /// The `SignatureValue` element (a XAdES signature time-stamp covers its canonical form).
    pub signature_value_element: Node<'a, 'i>,
    /// `SignatureValue`, decoded.
    pub signature_value: Vec<u8>,
    /// `KeyInfo/X509Data/X509Certificate`, decoded, in order.
    pub key_info_certificates: Vec<Vec<u8>>,
    /// `Object*`.
    pub objects: Vec<Node<'a, 'i>>,
    /// The XAdES properties, when the signature has them.
    pub xades: Option<Xades<'a, 'i>>,
}

/// The XAdES properties of a signature, as far as they are read.
#[derive(Clone, Debug)]
pub enum Xades<'a, 'i> {
    /// `QualifyingProperties` in the v1.3.2 namespace.
    V132(Box<QualifyingProperties<'a, 'i>>),
    /// `QualifyingProperties` in the v1.1.1 namespace (read with the v1.3.2 rules; the
    /// properties it shares with v1.3.2 have the same structure).
    V111(Box<QualifyingProperties<'a, 'i>>),
    /// `QualifyingProperties` in another XAdES namespace (v1.2.2), not read.
    Other(String),
}

impl<'a, 'i> Xades<'a, 'i> {
    /// The properties, when they are read.
    pub fn properties(&self) -> Option<&QualifyingProperties<'a, 'i>> {
        match self {
            Xades::V132(qp) | Xades::V111(qp) => Some(qp),
            Xades::Other(_) => None,
        }
    }
}

/// Whether `t` is the Type of a Reference to SignedProperties ([`SIGNED_PROPERTIES_TYPE`] or
/// [`SIGNED_PROPERTIES_TYPE_V111`]).
pub fn is_signed_properties_type(t: Option<&str>) -> bool {
    matches!(t, Some(SIGNED_PROPERTIES_TYPE | SIGNED_PROPERTIES_TYPE_V111))
}

/// `xades:QualifyingProperties`.
#[derive(Clone, Debug, Default)]
pub struct QualifyingProperties<'a, 'i> {
    /// `Target`.
    pub target: Option<String>,
    /// The `SignedProperties` element.
    pub signed_properties: Option<Node<'a, 'i>>,
    /// `SignedProperties/@Id`.
    pub signed_properties_id: Option<String>,
    /// `SigningTime`, as written.
    pub signing_time: Option<String>,
    /// `SigningCertificate` or `SigningCertificateV2`.
    pub signing_certificate: Option<SigningCertificate>,
    /// `SignedDataObjectProperties/DataObjectFormat*`.
    pub data_object_formats: Vec<DataObjectFormat>,
    /// `UnsignedSignatureProperties/SignatureTimeStamp*`.
    pub signature_timestamps: Vec<SignatureTimeStamp>,
    /// `UnsignedSignatureProperties/ArchiveTimeStamp*` (v1.4.1, or v1.3.2), in document order.
    pub archive_timestamps: Vec<ArchiveTimeStamp<'a, 'i>>,
    /// `CertificateValues/EncapsulatedX509Certificate*`, decoded.
    pub certificate_values: Vec<Vec<u8>>,
    /// `RevocationValues/OCSPValues/EncapsulatedOCSPValue*`, decoded.
    pub ocsp_values: Vec<Vec<u8>>,
    /// `RevocationValues/CRLValues/EncapsulatedCRLValue*`, decoded.
    pub crl_values: Vec<Vec<u8>>,
    /// Unsigned values that could not be decoded (what and why). They are not signed, so
    /// they cannot make the signature unreadable; they are reported and not used.
    pub unreadable_unsigned: Vec<String>,
    /// The names of the other unsigned signature properties (`SigAndRefsTimeStamp`,
    /// `CompleteCertificateRefs`, ...), each once: they are not evaluated, and the report says so.
    pub not_evaluated: Vec<String>,
}

/// `SigningCertificate` (v1) or `SigningCertificateV2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningCertificate {
    /// Whether it is `SigningCertificateV2`.
    pub v2: bool,
    /// `Cert+`.
    pub certs: Vec<CertId>,
}

/// `Cert`: `CertDigest` and the issuer and serial number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertId {
    /// `CertDigest/DigestMethod/@Algorithm`.
    pub digest_method: String,
    /// `CertDigest/DigestValue`, decoded.
    pub digest_value: Vec<u8>,
    /// `IssuerSerial` or `IssuerSerialV2`.
    pub issuer_serial: IssuerSerial,
}

/// How a `Cert` names its issuer and serial number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssuerSerial {
    /// Not given.
    None,
    /// v1: `X509IssuerName` (an RFC 4514 string) and `X509SerialNumber` (decimal).
    V1 {
        /// `X509IssuerName`.
        issuer_name: String,
        /// `X509SerialNumber`.
        serial: String,
    },
    /// v2: the DER of an `IssuerSerial` (RFC 5035), decoded from base64.
    V2(Vec<u8>),
}

/// `DataObjectFormat`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataObjectFormat {
    /// `ObjectReference`.
    pub object_reference: Option<String>,
    /// `MimeType`.
    pub mime_type: Option<String>,
}

/// `SignatureTimeStamp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureTimeStamp {
    /// `ds:CanonicalizationMethod`, when given (C14N 1.0 otherwise).
    pub canonicalization: Option<Algorithm>,
    /// `EncapsulatedTimeStamp`, decoded; or why it could not be.
    pub tokens: Vec<Result<Vec<u8>, DsigError>>,
}

/// `ArchiveTimeStamp` (XAdES v1.4.1 `xadesv141:ArchiveTimeStamp`, or the v1.3.2 one): a
/// time-stamp with the structure of a [`SignatureTimeStamp`], whose place among the unsigned
/// signature properties decides what it covers.
#[derive(Clone, Debug)]
pub struct ArchiveTimeStamp<'a, 'i> {
    /// The element (its preceding siblings are covered).
    pub element: Node<'a, 'i>,
    /// Its canonicalization method and tokens.
    pub stamp: SignatureTimeStamp,
}

/// The `ds:Signature` elements of `doc`, in document order, at most [`MAX_SIGNATURES`] (more
/// is an error).
///
/// # Errors
/// [`DsigError::TooMany`].
pub fn signature_elements<'a, 'i>(doc: &'a Document<'i>) -> Result<Vec<Node<'a, 'i>>, DsigError> {
    let mut out = Vec::new();
    for n in doc.descendants().filter(|n| is(n, DSIG, "Signature")) {
        if out.len() == MAX_SIGNATURES {
            return Err(DsigError::TooMany {
                what: "signatures",
                limit: MAX_SIGNATURES,
            });
        }
        out.push(n);
    }
    Ok(out)
}

/// Reads one `ds:Signature` element.
///
/// # Errors
/// What makes it unreadable: see [`DsigError`].
pub fn parse_signature<'a, 'i>(element: Node<'a, 'i>) -> Result<Signature<'a, 'i>, DsigError> {
    let mut kids = Children::new(element, "Signature");
    let signed_info = parse_signed_info(kids.required(DSIG, "SignedInfo")?)?;
    let signature_value_element = kids.required(DSIG, "SignatureValue")?;
    let signature_value = base64_of(signature_value_element, "SignatureValue")?;
    let key_info_certificates = match kids.optional(DSIG, "KeyInfo") {
        Some(k) => key_info_certificates(k)?,
        None => Vec::new(),
    };
    let mut objects = Vec::new();
    while let Some(o) = kids.optional(DSIG, "Object") {
        objects.push(o);
    }
    kids.end()?;
    let xades = xades(&objects)?;
    Ok(Signature {
        element,
        id: element.attribute("Id"),
        signed_info,
        signature_value_element,
        signature_value,
        key_info_certificates,
        objects,
        xades,
    })
}

fn parse_signed_info<'a, 'i>(element: Node<'a, 'i>) -> Result<SignedInfo<'a, 'i>, DsigError> {
    let mut kids = Children::new(element, "SignedInfo");
    let canonicalization = algorithm(kids.required(DSIG, "CanonicalizationMethod")?)?;
    let signature_method = algorithm(kids.required(DSIG, "SignatureMethod")?)?;
    let mut references = Vec::new();
    while let Some(r) = kids.optional(DSIG, "Reference") {
        if references.len() == MAX_REFERENCES {
            return Err(DsigError::TooMany {
                what: "references",
                limit: MAX_REFERENCES,
            });
        }
        references.push(parse_reference(r)?);
    }
    kids.end()?;
    if references.is_empty() {
        return Err(DsigError::Missing("Reference"));
    }
    Ok(SignedInfo {
        element,
        canonicalization,
        signature_method,
        references,
    })
}

fn parse_reference(element: Node<'_, '_>) -> Result<Reference, DsigError> {
    let mut kids = Children::new(element, "Reference");
    let mut transforms = Vec::new();
    if let Some(ts) = kids.optional(DSIG, "Transforms") {
        let mut t_kids = Children::new(ts, "Transforms");
        while let Some(t) = t_kids.optional(DSIG, "Transform") {
            if transforms.len() == MAX_TRANSFORMS {
                return Err(DsigError::TooMany {
                    what: "transforms",
                    limit: MAX_TRANSFORMS,
                });
            }
            transforms.push(algorithm(t)?);
        }
        t_kids.end()?;
        if transforms.is_empty() {
            return Err(DsigError::Missing("Transform"));
        }
    }
    let digest_method = algorithm(kids.required(DSIG, "DigestMethod")?)?.uri;
    let digest_value = base64_of(kids.required(DSIG, "DigestValue")?, "DigestValue")?;
    kids.end()?;
    Ok(Reference {
        id: element.attribute("Id").map(str::to_string),
        uri: element.attribute("URI").map(str::to_string),
        type_: element.attribute("Type").map(str::to_string),
        transforms,
        digest_method,
        digest_value,
    })
}

/// An element with an `Algorithm` attribute and, maybe, `InclusiveNamespaces` or other
/// parameters.
fn algorithm(element: Node<'_, '_>) -> Result<Algorithm, DsigError> {
    let uri = element.attribute("Algorithm").ok_or(DsigError::Missing("Algorithm"))?;
    let mut inclusive_prefixes = Vec::new();
    let mut has_parameters = false;
    for c in element.children().filter(Node::is_element) {
        if is(&c, EXC_C14N, "InclusiveNamespaces") {
            let list = c.attribute("PrefixList").unwrap_or_default();
            inclusive_prefixes.extend(list.split_ascii_whitespace().take(MAX_PROPERTIES).map(str::to_string));
        } else {
            has_parameters = true;
        }
    }
    Ok(Algorithm {
        uri: uri.to_string(),
        inclusive_prefixes,
        has_parameters,
    })
}

fn key_info_certificates(key_info: Node<'_, '_>) -> Result<Vec<Vec<u8>>, DsigError> {
    let mut out = Vec::new();
    for data in key_info.children().filter(|n| is(n, DSIG, "X509Data")) {
        for c in data.children().filter(|n| is(n, DSIG, "X509Certificate")) {
            push_bounded(
                &mut out,
                base64_of(c, "X509Certificate")?,
                "certificates",
                MAX_CERTIFICATES,
            )?;
        }
    }
    Ok(out)
}

/// The `QualifyingProperties` of the signature's objects: at most one.
fn xades<'a, 'i>(objects: &[Node<'a, 'i>]) -> Result<Option<Xades<'a, 'i>>, DsigError> {
    let mut found = None;
    for qp in objects
        .iter()
        .flat_map(|o| o.children())
        .filter(|n| n.is_element() && n.tag_name().name() == "QualifyingProperties")
    {
        let ns = qp.tag_name().namespace().unwrap_or_default();
        if !ns.starts_with(XADES_ANY) {
            continue;
        }
        if found.is_some() {
            return Err(DsigError::Duplicate("QualifyingProperties"));
        }
        found = Some(match ns {
            XADES => Xades::V132(Box::new(qualifying_properties(qp, XADES)?)),
            XADES111 => Xades::V111(Box::new(qualifying_properties(qp, XADES111)?)),
            _ => Xades::Other(ns.to_string()),
        });
    }
    Ok(found)
}

/// `QualifyingProperties` whose properties are in the namespace `ns` ([`XADES`] or
/// [`XADES111`]).
fn qualifying_properties<'a, 'i>(
    qp: Node<'a, 'i>,
    ns: &'static str,
) -> Result<QualifyingProperties<'a, 'i>, DsigError> {
    let mut out = QualifyingProperties {
        target: qp.attribute("Target").map(str::to_string),
        ..QualifyingProperties::default()
    };
    let mut kids = Children::new(qp, "QualifyingProperties");
    if let Some(sp) = kids.optional(ns, "SignedProperties") {
        out.signed_properties = Some(sp);
        out.signed_properties_id = sp.attribute("Id").map(str::to_string);
        signed_properties(sp, ns, &mut out)?;
    }
    if let Some(up) = kids.optional(ns, "UnsignedProperties") {
        for usp in up.children().filter(|n| is(n, ns, "UnsignedSignatureProperties")) {
            unsigned_signature_properties(usp, ns, &mut out)?;
        }
    }
    kids.end()?;
    Ok(out)
}

fn signed_properties(
    sp: Node<'_, '_>,
    ns: &'static str,
    out: &mut QualifyingProperties<'_, '_>,
) -> Result<(), DsigError> {
    if let Some(ssp) = unique_child(sp, ns, "SignedSignatureProperties")? {
        out.signing_time = unique_child(ssp, ns, "SigningTime")?.map(|t| text_of(t).trim().to_string());
        let v1 = unique_child(ssp, ns, "SigningCertificate")?;
        let v2 = unique_child(ssp, ns, "SigningCertificateV2")?;
        out.signing_certificate = match (v1, v2) {
            (Some(_), Some(_)) => return Err(DsigError::Duplicate("SigningCertificate")),
            (Some(e), None) => Some(signing_certificate(e, ns, false)?),
            (None, Some(e)) if ns == XADES => Some(signing_certificate(e, ns, true)?),
            (None, Some(_)) => return Err(DsigError::Unexpected("SignedSignatureProperties")),
            (None, None) => None,
        };
    }
    if let Some(sdop) = unique_child(sp, ns, "SignedDataObjectProperties")? {
        for f in sdop.children().filter(|n| is(n, ns, "DataObjectFormat")) {
            let text = |name| child(f, ns, name).map(|e| text_of(e).trim().to_string());
            let format = DataObjectFormat {
                object_reference: f.attribute("ObjectReference").map(str::to_string),
                mime_type: text("MimeType"),
            };
            push_bounded(
                &mut out.data_object_formats,
                format,
                "data object formats",
                MAX_PROPERTIES,
            )?;
        }
    }
    Ok(())
}

fn signing_certificate(element: Node<'_, '_>, ns: &'static str, v2: bool) -> Result<SigningCertificate, DsigError> {
    let mut certs = Vec::new();
    for cert in element.children().filter(Node::is_element) {
        if !is(&cert, ns, "Cert") {
            return Err(DsigError::Unexpected("SigningCertificate"));
        }
        let digest = child(cert, ns, "CertDigest").ok_or(DsigError::Missing("CertDigest"))?;
        let method = cert_digest_child(digest, ns, "DigestMethod")?;
        let value = cert_digest_child(digest, ns, "DigestValue")?;
        let issuer_serial = if v2 {
            match child(cert, ns, "IssuerSerialV2") {
                Some(s) => IssuerSerial::V2(base64_of(s, "IssuerSerialV2")?),
                None => IssuerSerial::None,
            }
        } else {
            match child(cert, ns, "IssuerSerial") {
                Some(s) => IssuerSerial::V1 {
                    issuer_name: child(s, DSIG, "X509IssuerName").map(text_of).unwrap_or_default(),
                    serial: child(s, DSIG, "X509SerialNumber")
                        .map(|n| text_of(n).trim().to_string())
                        .unwrap_or_default(),
                },
                None => IssuerSerial::None,
            }
        };
        let id = CertId {
            digest_method: algorithm(method)?.uri,
            digest_value: base64_of(value, "CertDigest")?,
            issuer_serial,
        };
        push_bounded(&mut certs, id, "certificates", MAX_CERTIFICATES)?;
    }
    if certs.is_empty() {
        return Err(DsigError::Missing("Cert"));
    }
    Ok(SigningCertificate { v2, certs })
}

fn unsigned_signature_properties<'a, 'i>(
    usp: Node<'a, 'i>,
    ns: &'static str,
    out: &mut QualifyingProperties<'a, 'i>,
) -> Result<(), DsigError> {
    for p in usp.children().filter(|n| is_unsigned(n, ns)) {
        match p.tag_name().name() {
            "SignatureTimeStamp" => {
                let ts = signature_timestamp(p, ns)?;
                push_bounded(&mut out.signature_timestamps, ts, "time-stamps", MAX_PROPERTIES)?;
            }
            "CertificateValues" => {
                for c in p
                    .children()
                    .filter(|n| is_unsigned_named(n, ns, "EncapsulatedX509Certificate"))
                {
                    match base64_of(c, "EncapsulatedX509Certificate") {
                        Ok(der) => push_bounded(&mut out.certificate_values, der, "certificates", MAX_CERTIFICATES)?,
                        Err(e) => unreadable(out, e)?,
                    }
                }
            }
            "RevocationValues" => revocation_values(p, ns, out)?,
            "ArchiveTimeStamp" => {
                let stamp = signature_timestamp(p, ns)?;
                let ats = ArchiveTimeStamp { element: p, stamp };
                push_bounded(&mut out.archive_timestamps, ats, "time-stamps", MAX_PROPERTIES)?;
            }
            other => {
                if !out.not_evaluated.iter().any(|n| n == other) {
                    push_bounded(&mut out.not_evaluated, other.to_string(), "properties", MAX_PROPERTIES)?;
                }
            }
        }
    }
    Ok(())
}

fn signature_timestamp(p: Node<'_, '_>, ns: &'static str) -> Result<SignatureTimeStamp, DsigError> {
    let canonicalization = match child(p, DSIG, "CanonicalizationMethod") {
        Some(c) => Some(algorithm(c)?),
        None => None,
    };
    let mut tokens = Vec::new();
    for t in p
        .children()
        .filter(|n| is_unsigned_named(n, ns, "EncapsulatedTimeStamp"))
    {
        push_bounded(
            &mut tokens,
            base64_of(t, "EncapsulatedTimeStamp"),
            "time-stamp tokens",
            MAX_PROPERTIES,
        )?;
    }
    Ok(SignatureTimeStamp {
        canonicalization,
        tokens,
    })
}

fn revocation_values(
    p: Node<'_, '_>,
    ns: &'static str,
    out: &mut QualifyingProperties<'_, '_>,
) -> Result<(), DsigError> {
    for group in p.children().filter(|n| is_unsigned(n, ns)) {
        let (name, into) = match group.tag_name().name() {
            "OCSPValues" => ("EncapsulatedOCSPValue", &mut out.ocsp_values),
            "CRLValues" => ("EncapsulatedCRLValue", &mut out.crl_values),
            _ => continue,
        };
        let mut bad = Vec::new();
        for v in group.children().filter(|n| is_unsigned_named(n, ns, name)) {
            match base64_of(v, name) {
                Ok(der) => push_bounded(into, der, "revocation values", MAX_PROPERTIES)?,
                Err(e) => bad.push(e),
            }
        }
        for e in bad {
            unreadable(out, e)?;
        }
    }
    Ok(())
}

/// Records an unsigned value that could not be decoded.
fn unreadable(out: &mut QualifyingProperties<'_, '_>, e: DsigError) -> Result<(), DsigError> {
    push_bounded(
        &mut out.unreadable_unsigned,
        e.to_string(),
        "unreadable values",
        MAX_PROPERTIES,
    )
}

/// The elements that carry each Id value (`Id`, `ID`, `id` without namespace, `xml:id`):
/// one entry per value, in document order. A value carried by two different elements is
/// listed in `duplicates`.
#[derive(Debug, Default)]
pub struct IdIndex {
    ids: std::collections::HashMap<String, NodeId>,
    /// Id values carried by more than one element.
    pub duplicates: Vec<String>,
}

impl IdIndex {
    /// Indexes every element of `doc`.
    pub fn new(doc: &Document<'_>) -> IdIndex {
        let mut index = IdIndex::default();
        for n in doc.descendants().filter(Node::is_element) {
            for a in n.attributes() {
                let is_id = match a.namespace() {
                    None => matches!(a.name(), "Id" | "ID" | "id"),
                    Some(ns) => ns == XML_NS && a.name() == "id",
                };
                if !is_id {
                    continue;
                }
                let v = a.value();
                match index.ids.get(v) {
                    Some(id) if *id != n.id() => index.duplicates.push(v.to_string()),
                    Some(_) => {}
                    None => {
                        index.ids.insert(v.to_string(), n.id());
                    }
                }
            }
        }
        index.duplicates.sort();
        index.duplicates.dedup();
        index
    }

    /// The element whose Id is `id`.
    pub fn get(&self, id: &str) -> Option<NodeId> {
        self.ids.get(id).copied()
    }
}

/// The element children of a node, taken in schema order.
struct Children<'a, 'i> {
    iter: std::iter::Peekable<Box<dyn Iterator<Item = Node<'a, 'i>> + 'a>>,
    parent: &'static str,
}

impl<'a, 'i: 'a> Children<'a, 'i> {
    fn new(node: Node<'a, 'i>, parent: &'static str) -> Self {
        let iter: Box<dyn Iterator<Item = Node<'a, 'i>> + 'a> = Box::new(node.children().filter(Node::is_element));
        Children {
            iter: iter.peekable(),
            parent,
        }
    }

    fn optional(&mut self, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
        self.iter.next_if(|n| is(n, ns, name))
    }

    fn required(&mut self, ns: &str, name: &'static str) -> Result<Node<'a, 'i>, DsigError> {
        self.optional(ns, name).ok_or(DsigError::Missing(name))
    }

    fn end(mut self) -> Result<(), DsigError> {
        match self.iter.next() {
            None => Ok(()),
            Some(_) => Err(DsigError::Unexpected(self.parent)),
        }
    }
}

/// Whether `n` is the element `{ns}name`.
pub fn is(n: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
}

/// Whether `n` is an element of the unsigned properties of XAdES properties in `ns`: in `ns`
/// itself or, for v1.3.2, in the v1.4.1 namespace.
fn is_unsigned(n: &Node<'_, '_>, ns: &str) -> bool {
    let own = n.tag_name().namespace();
    n.is_element() && (own == Some(ns) || (ns == XADES && own == Some(XADES141)))
}

fn is_unsigned_named(n: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    is_unsigned(n, ns) && n.tag_name().name() == name
}

/// `CertDigest/DigestMethod` or `DigestValue`: in the XML-DSig namespace; for v1.1.1
/// properties in the XAdES namespace, where the v1.1.1 schema declares them (DigestAlgAndValueType
/// has local elements of the XML-DSig types), or in the XML-DSig one as later versions do, and
/// then exactly once.
fn cert_digest_child<'a, 'i>(digest: Node<'a, 'i>, ns: &str, name: &'static str) -> Result<Node<'a, 'i>, DsigError> {
    if ns != XADES111 {
        return child(digest, DSIG, name).ok_or(DsigError::Missing(name));
    }
    let mut found = digest.children().filter(|c| is(c, DSIG, name) || is(c, XADES111, name));
    let first = found.next().ok_or(DsigError::Missing(name))?;
    match found.next() {
        Some(_) => Err(DsigError::Duplicate(name)),
        None => Ok(first),
    }
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, ns, name))
}

fn unique_child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &'static str) -> Result<Option<Node<'a, 'i>>, DsigError> {
    let mut it = n.children().filter(|c| is(c, ns, name));
    let first = it.next();
    match it.next() {
        Some(_) => Err(DsigError::Duplicate(name)),
        None => Ok(first),
    }
}

fn push_bounded<T>(v: &mut Vec<T>, item: T, what: &'static str, limit: usize) -> Result<(), DsigError> {
    if v.len() >= limit {
        return Err(DsigError::TooMany { what, limit });
    }
    v.push(item);
    Ok(())
}

/// The text content of an element: its text children, concatenated (elements inside are not
/// expected and are skipped).
pub fn text_of(n: Node<'_, '_>) -> String {
    n.children().filter(Node::is_text).filter_map(|t| t.text()).collect()
}

/// The base64 content of an element; whitespace is allowed anywhere.
fn base64_of(n: Node<'_, '_>, what: &'static str) -> Result<Vec<u8>, DsigError> {
    if n.children().any(|c| c.is_element()) {
        return Err(DsigError::Unexpected(what));
    }
    decode_base64(&text_of(n)).ok_or(DsigError::NotBase64(what))
}

/// Base64 (RFC 4648, padded) with ASCII whitespace anywhere.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).ok()
}

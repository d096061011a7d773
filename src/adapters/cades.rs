//! CMS / CAdES: a SignedData becomes file-level checks and one [`SignatureUnderTest`] per
//! SignerInfo (counter-signatures nested in it).

use crate::detail;
use std::borrow::Cow;
use std::sync::Arc;

use crate::context::{Content, VerifyContext};
use crate::crypto::{AlgError, HashAlg, SignatureScheme};
use crate::formats::ber::{Fields, Tag, Tlv};
use crate::formats::cms::{self, SignedData, SignerId, SignerInfo, oid};
use crate::formats::x509::Certificate;
use crate::process::{
    DataObject, RevocationData, SignatureUnderTest, SignedBytes, SignedForm, SignedMessage, SignerRef, TimestampToken,
};
use crate::time::UnixTime;
use crate::verdict::{Check, CheckCode, CheckResult, Checks, Format, Report, SubIndication};

/// What the adapter makes of one SignedData.
pub struct Cades<'a> {
    /// Checks on the SignedData as a whole.
    pub checks: Checks,
    /// One signature per SignerInfo, in file order.
    pub signatures: Vec<SignatureUnderTest<'a>>,
}

/// Reads a parsed SignedData. `content` is the detached content the caller gives (a given
/// content for a signature that carries its own must equal it).
pub fn adapt<'a>(sd: &'a SignedData<'a>, content: Content<'_>, ctx: &VerifyContext<'_>) -> Cades<'a> {
    let mut checks = Checks::default();
    let (signers, certs, crls) = (sd.signer_infos.len(), sd.certificates.len(), sd.crls.len());
    let content_is = if sd.econtent.is_some() { "attached" } else { "detached" };
    checks.pass(
        CheckCode::FormatParsed,
        detail!("CMS SignedData, {signers} signer(s), {certs} certificate(s), {crls} CRL(s), content {content_is}"),
    );
    if sd.padding > 0 {
        checks.warn(
            CheckCode::FormatParsed,
            format!("{} zero byte(s) of padding after the ContentInfo", sd.padding),
        );
    }
    let bag = certificates(sd, ctx, &mut checks);
    check_digest_algorithms(sd, &mut checks);
    if sd.signer_infos.is_empty() {
        checks.fail(
            CheckCode::SignaturePresent,
            SubIndication::FormatFailure,
            "the SignedData holds no SignerInfo",
        );
    } else {
        checks.pass(CheckCode::SignaturePresent, detail!("{signers} signature(s)"));
    }
    let content = effective_content(sd, content, &mut checks);
    let digests = Digests::default();
    let revocation: Vec<RevocationData<'a>> = sd.crls.iter().map(revocation_data).collect();
    let signatures = sd
        .signer_infos
        .iter()
        .enumerate()
        .map(|(i, si)| {
            let signer = Signer {
                si,
                econtent_type: Some(sd.econtent_type),
                content,
                digests: &digests,
                revocation: &revocation,
                bag: &bag,
                id: format!("S{i}"),
                parent: None,
                depth: 0,
            };
            signer.to_sut()
        })
        .collect();
    Cades { checks, signatures }
}

/// The hash algorithms a content given as [`Content::Digests`] must be digested with for `sd`:
/// each signer's digest algorithm and, for a signer without signed attributes (whose signature
/// is over the content itself), its signature scheme's hash. When the SignedData carries its
/// content, SHA-256 as well, to compare a given content with it. Counter-signatures and
/// time-stamps cover signature values, not the content: they need none.
pub fn content_digest_algorithms(sd: &SignedData<'_>) -> Vec<HashAlg> {
    let mut algs = Vec::new();
    for si in &sd.signer_infos {
        let Ok(digest) = HashAlg::from_algorithm_identifier(si.digest_algorithm) else {
            continue;
        };
        algs.push(digest);
        if si.signed_attrs_raw.is_none() {
            if let Ok(scheme) = SignatureScheme::from_algorithm_identifier(si.signature_algorithm, Some(digest)) {
                algs.push(scheme.hash());
            }
        }
    }
    if sd.econtent.is_some() {
        // Whatever the signers use, a given content is compared with the carried one under
        // SHA-256 too, never under a weak digest alone.
        algs.push(HashAlg::Sha256);
    }
    algs.sort();
    algs.dedup();
    algs
}

/// The certificates of the SignedData; one that cannot be read is skipped with a warning.
fn certificates(sd: &SignedData<'_>, ctx: &VerifyContext<'_>, checks: &mut Checks) -> Vec<Arc<Certificate>> {
    let mut bag = Vec::new();
    for der in &sd.certificates {
        match ctx.parse_certificate(der) {
            Ok(c) => bag.push(c),
            Err(e) => checks.warn(
                CheckCode::FormatParsed,
                format!("a certificate in the SignedData is skipped: {e}"),
            ),
        }
    }
    bag
}

/// digestAlgorithms is an unsigned hint for one-pass processing (RFC 5652 5.1): it must be
/// well-formed; a signer's algorithm missing from it is reported, not fatal.
fn check_digest_algorithms(sd: &SignedData<'_>, checks: &mut Checks) {
    if sd
        .digest_algorithms
        .iter()
        .any(|d| crate::formats::alg::split_algorithm_identifier(d).is_err())
    {
        checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "malformed digestAlgorithms entry",
        );
    }
    let listed: Vec<Option<HashAlg>> = sd
        .digest_algorithms
        .iter()
        .map(|d| HashAlg::from_algorithm_identifier(d).ok())
        .collect();
    for si in &sd.signer_infos {
        if let Ok(d) = HashAlg::from_algorithm_identifier(si.digest_algorithm) {
            if !listed.contains(&Some(d)) {
                checks.warn(
                    CheckCode::FormatParsed,
                    format!(
                        "the signer's digest algorithm {} is not listed in digestAlgorithms",
                        d.name()
                    ),
                );
            }
        }
    }
}

/// The content the signatures are checked against: the attached one, or the one given. Both
/// given: they must be equal (the signature is then checked against what the caller says was
/// signed, a DTBD or a hash).
fn effective_content<'c>(sd: &'c SignedData<'_>, given: Content<'c>, checks: &mut Checks) -> Content<'c> {
    let Some(attached) = &sd.econtent else {
        return given;
    };
    let same = match given {
        Content::None => return Content::Data(attached),
        Content::Data(g) => g == &attached[..],
        Content::Digest { alg, value } => alg.digest(attached) == value,
        Content::Digests(ds) => !ds.is_empty() && ds.iter().all(|(alg, value)| alg.digest(attached) == *value),
    };
    if same {
        checks.pass(
            CheckCode::SignedDataFound,
            "the given content equals the content the signature carries",
        );
    } else {
        checks.fail(
            CheckCode::MessageDigestMatch,
            SubIndication::HashFailure,
            "the given content differs from the content the signature carries",
        );
    }
    given
}

/// One RevocationInfoChoice (RFC 5652 10.2.1): a CRL, or `[1] OtherRevocationInfoFormat`
/// holding an OCSP response (id-ri-ocsp-response, RFC 5940) or a BasicOCSPResponse
/// (id-pkix-ocsp-basic).
fn revocation_data<'a>(t: &Tlv<'a>) -> RevocationData<'a> {
    const OCSP_RESPONSE: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");
    if t.tag == Tag::SEQUENCE {
        return RevocationData::Crl(Cow::Borrowed(t.raw));
    }
    let other = || -> Option<(Tlv<'a>, Tlv<'a>)> {
        let mut f = Fields::new(t).ok()?;
        Some((f.next(Tag::OID).ok()?, f.next_any().ok()?))
    };
    match other() {
        // RFC 5940: an OCSPResponse.
        Some((format, info)) if t.tag.same_type(Tag::context(1, true)) && format.value == OCSP_RESPONSE.as_bytes() => {
            RevocationData::Ocsp(Cow::Borrowed(info.raw))
        }
        // What CAdES / PAdES signers (DSS among them) write: a BasicOCSPResponse.
        Some((format, info))
            if t.tag.same_type(Tag::context(1, true)) && format.value == oid::OCSP_BASIC.as_bytes() =>
        {
            RevocationData::Ocsp(Cow::Owned(ocsp_response(info.raw)))
        }
        _ => RevocationData::Other,
    }
}

/// Most certificates or revocation values read from one CAdES attribute.
const MAX_EMBEDDED: usize = 256;

/// `RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
/// ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] OPTIONAL }`
/// (ETSI EN 319 122-1 5.5.2).
fn revocation_values<'a>(value: &Tlv<'a>) -> Vec<RevocationData<'a>> {
    let mut out = Vec::new();
    for part in value.children().take(3).flatten() {
        // EXPLICIT tags (ETSI's ExplicitSyntax88 module): [n] holds one SEQUENCE OF.
        let items = || {
            part.children()
                .flatten()
                .flat_map(|l| l.children())
                .flatten()
                .take(MAX_EMBEDDED)
        };
        if part.tag.same_type(Tag::context(0, true)) {
            out.extend(items().map(|c| RevocationData::Crl(Cow::Borrowed(c.raw))));
        } else if part.tag.same_type(Tag::context(1, true)) {
            out.extend(items().map(|b| RevocationData::Ocsp(Cow::Owned(ocsp_response(b.raw)))));
        } else {
            out.push(RevocationData::Other);
        }
    }
    out
}

/// A BasicOCSPResponse wrapped as a successful OCSPResponse (RFC 6960 4.2.1), the one form
/// the OCSP evaluation reads.
pub fn ocsp_response(basic: &[u8]) -> Vec<u8> {
    use crate::formats::ber::encode;
    let mut bytes = encode(0x06, oid::OCSP_BASIC.as_bytes());
    bytes.extend(encode(0x04, basic));
    let response_bytes = encode(0xa0, &encode(0x30, &bytes));
    let mut inner = encode(0x0a, &[0]);
    inner.extend(response_bytes);
    encode(0x30, &inner)
}

/// Digests of one content, each algorithm computed once.
#[derive(Default)]
struct Digests(std::cell::RefCell<Vec<(HashAlg, Vec<u8>)>>);

impl Digests {
    fn of(&self, alg: HashAlg, data: &[u8]) -> Vec<u8> {
        if let Some((_, d)) = self.0.borrow().iter().find(|(a, _)| *a == alg) {
            return d.clone();
        }
        let d = alg.digest(data);
        self.0.borrow_mut().push((alg, d.clone()));
        d
    }
}

/// One SignerInfo and where it sits.
struct Signer<'s, 'a> {
    si: &'s SignerInfo<'a>,
    /// The eContentType; `None` for a counter-signature (RFC 5652 11.4).
    econtent_type: Option<&'a [u8]>,
    content: Content<'s>,
    /// Digests of `content`, computed once per algorithm for all the signers that share it.
    digests: &'s Digests,
    /// The SignedData's RevocationInfoChoices, which serve every signer.
    revocation: &'s [RevocationData<'a>],
    bag: &'s [Arc<Certificate>],
    id: String,
    parent: Option<String>,
    depth: usize,
}

impl<'a> Signer<'_, 'a> {
    fn to_sut(&self) -> SignatureUnderTest<'a> {
        let si = self.si;
        let mut fc = Checks::default();
        let (digest, scheme) = algorithms(si, &mut fc);
        let attrs = signed_attributes(si, self.econtent_type, &mut fc);
        if let (Some(d), Ok(s)) = (digest, &scheme) {
            check_algorithm_protection(si, d, s, &mut fc);
        }
        let signer_digest = match crate::process::identify::signing_certificate_reference(si) {
            Ok(r) => r,
            Err(e) => {
                fc.fail(CheckCode::SigningCertificateReference, SubIndication::FormatFailure, e);
                None
            }
        };
        let counter_signatures = self.counter_signatures(&mut fc);
        note_archive_timestamps(si, &mut fc);
        SignatureUnderTest {
            id: self.id.clone(),
            counter_signature_of: self.parent.clone(),
            format_checks: fc,
            digest_algorithm: digest,
            value: si.signature.clone(),
            signed_bytes: self.signed_bytes(digest, scheme.as_ref().ok()),
            data_objects: self.data_objects(digest, attrs.message_digest),
            scheme,
            signer: match &si.sid {
                SignerId::IssuerSerial { issuer, serial } => SignerRef::IssuerSerial { issuer, serial },
                SignerId::SubjectKeyId(k) => SignerRef::SubjectKeyId(k),
            },
            signer_digest,
            certificates: self.certificates(),
            claimed_signing_time: attrs.signing_time,
            timestamps: timestamps(si),
            revocation_data: self.revocation_data(),
            later_proofs: Vec::new(),
            counter_signatures,
        }
    }

    /// The SignedData's certificates and the signer's CAdES certificate-values (untrusted,
    /// for path building). A value that cannot be read is left out.
    fn certificates(&self) -> Vec<Arc<Certificate>> {
        let mut out = self.bag.to_vec();
        let values = self.si.unsigned(&oid::CERT_VALUES);
        let ders = values.iter().flat_map(|a| a.values.iter()).flat_map(|v| v.children());
        out.extend(
            ders.take(MAX_EMBEDDED)
                .flatten()
                .filter_map(|c| Certificate::from_der(c.raw).ok().map(Arc::new)),
        );
        out
    }

    /// The SignedData's RevocationInfoChoices and the signer's CAdES revocation-values
    /// (`crlVals [0]`, `ocspVals [1]` of BasicOCSPResponses, each wrapped as an OCSPResponse).
    fn revocation_data(&self) -> Vec<RevocationData<'a>> {
        let mut out = self.revocation.to_vec();
        for attr in self.si.unsigned(&oid::REVOCATION_VALUES) {
            for value in &attr.values {
                out.extend(revocation_values(value));
            }
        }
        out
    }

    /// The content object, digested with the signer's digest algorithm.
    fn data_objects(&self, digest: Option<HashAlg>, claimed: Option<Vec<u8>>) -> Vec<DataObject> {
        let Some(d) = digest else { return Vec::new() };
        let name = if self.parent.is_some() {
            "counter-signed signature value"
        } else {
            "content"
        };
        let actual = match self.content {
            // Without a claimed digest the signature covers the data itself: nothing to hash.
            Content::Data(_) | Content::Digests(_) if claimed.is_none() => {
                Ok((Vec::new(), format!("{name} available")))
            }
            Content::Data(data) => Ok((self.digests.of(d, data), format!("{name} available"))),
            Content::Digests(_) => match self.content.digest_of(d) {
                Some(value) => Ok((value.to_vec(), format!("{name} available"))),
                None => Err(format!("the {name} was given without its {} digest", d.name())),
            },
            Content::Digest { alg, value } if alg == d => Ok((value.to_vec(), format!("{name} given as its digest"))),
            Content::Digest { alg, .. } => Err(format!(
                "the given hash is {} but the signature uses {}",
                alg.name(),
                d.name()
            )),
            Content::None => Err("detached signature: the signed content was not given".to_string()),
        };
        vec![DataObject {
            name: name.to_string(),
            digest_algorithm: d,
            claimed,
            actual,
        }]
    }

    /// With signed attributes: the SET OF exactly as encoded, then, when not in DER order, its
    /// DER encoding (RFC 5652 5.4; some signers sign the sorted form). Without: the content,
    /// or its digest under the scheme's hash (every supported scheme verifies over a digest).
    fn signed_bytes(&self, digest: Option<HashAlg>, scheme: Option<&SignatureScheme>) -> SignedBytes<'a> {
        if let Some(raw) = &self.si.signed_attrs_raw {
            return SignedBytes::Alternatives(signed_attribute_forms(raw));
        }
        let form = |message| {
            SignedBytes::Alternatives(vec![SignedForm {
                message,
                on_success: None,
            }])
        };
        match (self.content, scheme) {
            (Content::Data(d), _) => form(SignedMessage::Data(Cow::Owned(d.to_vec()))),
            (Content::Digest { alg, value }, Some(s)) if alg == s.hash() && Some(alg) == digest => {
                form(SignedMessage::Digest(value.to_vec()))
            }
            (Content::Digests(_), Some(s)) => match self.content.digest_of(s.hash()) {
                Some(value) => form(SignedMessage::Digest(value.to_vec())),
                None => SignedBytes::Missing(format!(
                    "the signature is over the content itself, which was given without its {} digest",
                    s.hash().name()
                )),
            },
            _ => SignedBytes::Missing("the signature is over the content itself, which was not given".into()),
        }
    }

    fn counter_signatures(&self, fc: &mut Checks) -> Vec<SignatureUnderTest<'a>> {
        let values: Vec<&Tlv<'a>> = self
            .si
            .unsigned(&oid::COUNTER_SIGNATURE)
            .into_iter()
            .flat_map(|a| a.values.iter())
            .collect();
        if values.is_empty() {
            return Vec::new();
        }
        fc.info(
            CheckCode::CounterSignatures,
            format!("{} counter-signature(s), reported as {}-C*", values.len(), self.id),
        );
        values
            .into_iter()
            .enumerate()
            .map(|(j, v)| self.counter_signature(j, v))
            .collect()
    }

    fn counter_signature(&self, j: usize, value: &Tlv<'a>) -> SignatureUnderTest<'a> {
        let id = format!("{}-C{j}", self.id);
        if self.depth >= cms::MAX_COUNTER_SIGNATURE_DEPTH {
            return unreadable(id, &self.id, "counter-signatures nested too deeply".into());
        }
        match cms::parse_signer_info(value) {
            Ok(csi) => Signer {
                si: &csi,
                econtent_type: None,
                content: Content::Data(&self.si.signature),
                digests: &Digests::default(),
                revocation: self.revocation,
                bag: self.bag,
                id,
                parent: Some(self.id.clone()),
                depth: self.depth + 1,
            }
            .to_sut(),
            Err(e) => unreadable(id, &self.id, format!("counter-signature: {e}")),
        }
    }
}

/// A signature that could not be read: format checking fails, nothing else can run.
fn unreadable<'a>(id: String, parent: &str, why: String) -> SignatureUnderTest<'a> {
    SignatureUnderTest::unreadable(id, Some(parent.to_string()), why)
}

/// The digest and signature algorithms (format checking: ALGORITHM_SUPPORTED). A signature
/// algorithm that names its own hash (sha256WithRSAEncryption, ecdsa-with-SHA384, RSASSA-PSS)
/// must name the SignerInfo's digestAlgorithm: a contradiction is a FORMAT_FAILURE, as DSS
/// treats such a signature as not intact.
fn algorithms(si: &SignerInfo<'_>, fc: &mut Checks) -> (Option<HashAlg>, Result<SignatureScheme, AlgError>) {
    let digest = match HashAlg::from_algorithm_identifier(si.digest_algorithm) {
        Ok(d) => d,
        Err(e) => {
            fc.fail(
                CheckCode::AlgorithmSupported,
                (&e).into(),
                format!("digest algorithm: {e}"),
            );
            return (None, Err(e));
        }
    };
    let scheme = SignatureScheme::from_algorithm_identifier(si.signature_algorithm, Some(digest));
    let own_hash = SignatureScheme::from_algorithm_identifier(si.signature_algorithm, None).map(|s| s.hash());
    match (&scheme, own_hash) {
        (Err(e), _) => fc.fail(CheckCode::AlgorithmSupported, e.into(), e.to_string()),
        (Ok(s), Ok(h)) if h != digest => fc.fail(
            CheckCode::AlgorithmSupported,
            SubIndication::FormatFailure,
            format!(
                "digestAlgorithm {} contradicts the hash {} of signatureAlgorithm {}",
                digest.name(),
                h.name(),
                s.name()
            ),
        ),
        (Ok(s), _) => {
            let (digest, s) = (digest.name(), s.clone());
            fc.pass(
                CheckCode::AlgorithmSupported,
                detail!("digest {digest}, signature {}", s.name()),
            )
        }
    }
    (Some(digest), scheme)
}

/// What the signed attributes say.
struct SignedAttributes {
    message_digest: Option<Vec<u8>>,
    signing_time: Option<UnixTime>,
}

/// The single value of a signed attribute that must occur at most once (RFC 5652 5.3, 11).
fn single_value<'a>(si: &SignerInfo<'a>, o: &const_oid::ObjectIdentifier) -> Result<Option<Tlv<'a>>, String> {
    si.signed_single(o)
}

/// contentType, messageDigest and signingTime (RFC 5652 5.3, 11.1-11.3).
fn signed_attributes(si: &SignerInfo<'_>, econtent_type: Option<&[u8]>, fc: &mut Checks) -> SignedAttributes {
    let mut out = SignedAttributes {
        message_digest: None,
        signing_time: None,
    };
    if si.signed_attrs_raw.is_none() {
        if econtent_type.is_some_and(|t| t != oid::DATA.as_bytes()) {
            fc.fail(
                CheckCode::SignedAttributesWellFormed,
                SubIndication::FormatFailure,
                "signed attributes are required when the content type is not id-data (RFC 5652 5.3)",
            );
        }
        return out;
    }
    let ct = single_value(si, &oid::CONTENT_TYPE);
    let md = single_value(si, &oid::MESSAGE_DIGEST);
    let st = single_value(si, &oid::SIGNING_TIME);
    let mut ok = matches!((&ct, &md, &st), (Ok(_), Ok(Some(m)), Ok(_)) if m.tag == Tag::OCTET_STRING);
    if let Ok(Some(m)) = &md {
        out.message_digest = Some(m.value.to_vec());
    }
    match (econtent_type, ct) {
        (Some(ect), Ok(Some(v))) if v.tag == Tag::OID && v.value == ect => {
            fc.pass(CheckCode::ContentTypeMatch, "contentType attribute equals eContentType")
        }
        (Some(_), Ok(Some(_))) => fc.fail(
            CheckCode::ContentTypeMatch,
            SubIndication::FormatFailure,
            "contentType attribute differs from eContentType",
        ),
        (Some(_), _) => ok = false,
        // RFC 5652 11.1: a countersignature carries no contentType attribute.
        (None, Ok(None)) => {}
        (None, _) => fc.fail(
            CheckCode::ContentTypeMatch,
            SubIndication::FormatFailure,
            "a counter-signature must not carry a contentType attribute",
        ),
    }
    if let Ok(Some(t)) = st {
        out.signing_time = parse_any_time(&t);
    }
    if ok {
        let n = si.signed_attrs.len();
        fc.pass(
            CheckCode::SignedAttributesWellFormed,
            detail!("{n} signed attribute(s)"),
        );
    } else {
        fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "signed attributes must hold exactly one contentType and one messageDigest (RFC 5652 5.3) and at most one signingTime",
        );
    }
    out
}

/// The signed attributes exactly as encoded, then their DER encoding when they are not in DER
/// order, each with the remark to record when it is the form that verifies.
fn signed_attribute_forms(raw: &Tlv<'_>) -> Vec<SignedForm<'static>> {
    let remark = |result, detail: &'static str| Check {
        code: CheckCode::SignedAttributesDerOrder,
        result,
        sub_indication: None,
        detail: detail.into(),
    };
    let as_encoded = SignedMessage::Data(Cow::Owned(raw.retagged(0x31)));
    if cms::is_der_sorted(raw) {
        return vec![SignedForm {
            message: as_encoded,
            on_success: Some(remark(CheckResult::Passed, "signed attributes in DER order")),
        }];
    }
    vec![
        SignedForm {
            message: as_encoded,
            on_success: Some(remark(
                CheckResult::Warning,
                "signed attributes are not in DER order; the signature covers them as encoded",
            )),
        },
        SignedForm {
            message: SignedMessage::Data(Cow::Owned(cms::der_sorted_set(raw))),
            on_success: Some(remark(
                CheckResult::Warning,
                "signed attributes are not in DER order; the signature covers their DER encoding",
            )),
        },
    ]
}

/// `CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, signatureAlgorithm [1] IMPLICIT
/// OPTIONAL, macAlgorithm [2] IMPLICIT OPTIONAL }` must name the algorithms actually used
/// (RFC 6211).
fn check_algorithm_protection(si: &SignerInfo<'_>, digest: HashAlg, scheme: &SignatureScheme, fc: &mut Checks) {
    let result = match single_value(si, &oid::CMS_ALGORITHM_PROTECTION) {
        Ok(None) => return,
        Ok(Some(v)) => algorithm_protection_names(&v, digest, scheme),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => fc.pass(
            CheckCode::AlgorithmProtection,
            "cmsAlgorithmProtection names the algorithms used",
        ),
        Err(e) => fc.fail(CheckCode::AlgorithmProtection, SubIndication::FormatFailure, e),
    }
}

fn algorithm_protection_names(v: &Tlv<'_>, digest: HashAlg, scheme: &SignatureScheme) -> Result<(), String> {
    let malformed = |_| "malformed cmsAlgorithmProtection".to_string();
    let mut f = Fields::new(v).map_err(malformed)?;
    let d = f.next(Tag::SEQUENCE).map_err(malformed)?;
    if HashAlg::from_algorithm_identifier(d.raw).ok() != Some(digest) {
        return Err("cmsAlgorithmProtection digest algorithm differs from the one used".into());
    }
    match f.optional(Tag::context(1, true)).map_err(malformed)? {
        Some(s) => {
            let seq = crate::formats::ber::encode(0x30, s.value);
            match SignatureScheme::from_algorithm_identifier(&seq, Some(digest)) {
                Ok(p) if &p == scheme => Ok(()),
                _ => Err("cmsAlgorithmProtection signature algorithm differs from the one used".into()),
            }
        }
        None => Err("cmsAlgorithmProtection without signatureAlgorithm".into()),
    }
}

/// Archive and other long-term time-stamps (CAdES archive-time-stamp v2 and v3, ES-C and
/// certificate-and-CRL time-stamps) are not evaluated: the report says so, and gives no level
/// above B-LT for them.
fn note_archive_timestamps(si: &SignerInfo<'_>, fc: &mut Checks) {
    use const_oid::ObjectIdentifier as Oid;
    const NOT_EVALUATED: [(Oid, &str); 4] = [
        (Oid::new_unwrap("1.2.840.113549.1.9.16.2.48"), "archive-time-stamp-v2"),
        (Oid::new_unwrap("0.4.0.1733.2.4"), "archive-time-stamp-v3"),
        (Oid::new_unwrap("1.2.840.113549.1.9.16.2.25"), "ES-C time-stamp"),
        (
            Oid::new_unwrap("1.2.840.113549.1.9.16.2.26"),
            "certificate-and-CRL time-stamp",
        ),
    ];
    let found: Vec<&str> = NOT_EVALUATED
        .iter()
        .filter(|(oid, _)| !si.unsigned(oid).is_empty())
        .map(|(_, name)| *name)
        .collect();
    if !found.is_empty() {
        fc.info(
            CheckCode::FormatParsed,
            format!(
                "unsigned attributes not evaluated (no B-LTA level from them): {}",
                found.join(", ")
            ),
        );
    }
}

/// Signature time-stamp tokens (RFC 3161 over the signature value, CAdES
/// id-aa-signatureTimeStampToken). Some signers wrap the token in an OCTET STRING (German
/// qualified signatures); the wrapping is accepted.
fn timestamps<'a>(si: &SignerInfo<'a>) -> Vec<TimestampToken<'a>> {
    si.unsigned(&oid::SIGNATURE_TIME_STAMP)
        .into_iter()
        .flat_map(|a| a.values.iter())
        .map(|v| TimestampToken {
            token: if v.tag.same_type(Tag::OCTET_STRING) {
                v.string_value()
                    .map_err(|e| format!("time-stamp token in an OCTET STRING: {e}"))
            } else {
                Ok(Cow::Borrowed(v.raw))
            },
            covered: None,
        })
        .collect()
}

fn parse_any_time(t: &Tlv<'_>) -> Option<UnixTime> {
    let s = std::str::from_utf8(t.value).ok()?;
    let (y, rest) = match (t.tag, s.len()) {
        (Tag::UTC_TIME, 13) => {
            let yy: i64 = s.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        (Tag::GENERALIZED_TIME, n) if n >= 15 => (s.get(..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let n = |a: usize| -> Option<i64> { rest.get(a..a + 2)?.parse().ok() };
    UnixTime::from_parts(y, n(0)?, n(2)?, n(4)?, n(6)?, n(8)?)
}

/// Verifies a CMS SignedData (the bytes of the ContentInfo, nothing after it) against
/// `content` (detached content, a DTBD, or a hash): every signer and counter-signature through
/// the validation process.
pub fn verify(bytes: &[u8], content: Content<'_>, ctx: &VerifyContext<'_>, meter: &crate::context::Meter) -> Report {
    let mut report = Report::empty(Format::Cms, ctx.time.to_rfc3339());
    let sd = match cms::parse_content_info(bytes) {
        Ok(sd) => sd,
        Err(e) => {
            let mut checks = Checks::default();
            checks.fail(
                CheckCode::FormatParsed,
                SubIndication::FormatFailure,
                format!("CMS SignedData: {e}"),
            );
            report.checks = checks.into_vec();
            return report;
        }
    };
    let cades = adapt(&sd, content, ctx);
    for sut in &cades.signatures {
        report
            .signatures
            .extend(crate::process::validate_signature(sut, ctx, meter));
    }
    report.checks = cades.checks.into_vec();
    report.conclude();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;

    #[test]
    fn revocation_values_give_crls_and_wrapped_ocsp_responses() {
        let crl = encode(0x30, &encode(0x02, &[1]));
        let basic = encode(0x30, &encode(0x02, &[2]));
        let crl_vals = encode(0xa0, &encode(0x30, &crl));
        let ocsp_vals = encode(0xa1, &encode(0x30, &basic));
        let other = encode(0xa2, &encode(0x30, &[]));
        let value = encode(0x30, &[crl_vals, ocsp_vals, other].concat());
        let tlv = Tlv::parse_exact(&value).unwrap();
        let found = revocation_values(&tlv);
        assert_eq!(found.len(), 3);
        assert!(matches!(&found[0], RevocationData::Crl(d) if d.as_ref() == crl.as_slice()));
        let wrapped = ocsp_response(&basic);
        assert!(matches!(&found[1], RevocationData::Ocsp(d) if *d.as_ref() == *wrapped.as_slice()));
        assert!(matches!(found[2], RevocationData::Other));
        // The wrapping: OCSPResponse { successful, [0] { id-pkix-ocsp-basic, OCTET STRING basic } }.
        let outer = Tlv::parse_exact(&wrapped).unwrap();
        let mut f = Fields::new(&outer).unwrap();
        assert_eq!(f.next_any().unwrap().raw, [0x0a, 0x01, 0x00]);
        let bytes = f.next_any().unwrap();
        let seq = Tlv::parse_exact(bytes.value).unwrap();
        let mut g = Fields::new(&seq).unwrap();
        assert_eq!(g.next(Tag::OID).unwrap().value, oid::OCSP_BASIC.as_bytes());
        assert_eq!(g.next(Tag::OCTET_STRING).unwrap().value, basic.as_slice());
    }
}

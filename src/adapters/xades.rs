//! XML-DSig and XAdES: each `ds:Signature` of an XML document becomes a
//! [`SignatureUnderTest`] for the format-blind process.
//!
//! - Each `ds:Reference` is a [`DataObject`] (its URI, and Type when given): the claimed digest
//!   is its DigestValue, the actual one the digest of the dereferenced and transformed data
//!   ([`crate::formats::xmldsig::reference`]).
//! - The signed bytes are the canonical form of `ds:SignedInfo` under its
//!   CanonicalizationMethod.
//! - XAdES (v1.3.2 properties, and v1.1.1 ones read with the same rules): the SignedProperties
//!   must be covered by exactly one Reference of Type
//!   `http://uri.etsi.org/01903#SignedProperties` (or its v1.1.1 spelling
//!   `http://uri.etsi.org/01903/v1.1.1#SignedProperties`); SigningCertificate(V2)
//!   names the signing certificate ([`CertDigestRef`]), and a XAdES signature without it
//!   cannot be TOTAL_PASSED (INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND), nor can one whose
//!   properties are in another XAdES namespace (v1.2.2), which is not read. SigningTime is the claimed
//!   signing time; SignatureTimeStamp tokens cover the canonical form of the
//!   `ds:SignatureValue` element; CertificateValues and RevocationValues are carried along.
//!   An ArchiveTimeStamp (v1.4.1, or v1.3.2) covers the signature, its references' data and
//!   the unsigned properties before it (`DocEnv::archive_input`); a valid one is a proof of
//!   existence of it all ([`ProofKind::ArchiveTimestamp`], level B-LTA), and its checks are
//!   recorded without effect, as for signature time-stamps.
//! - A plain XML-DSig signature (no XAdES properties) names no signing certificate in its
//!   signed part: the KeyInfo certificate is the signer candidate, and the report says so.
//! - [`Scope::Standalone`] (an XML file on its own): a signature must cover the document, not
//!   only a part of it (the defence against signature wrapping): one of its references other
//!   than the SignedProperties one must be `""`, the document element by Id, a `ds:Object` of
//!   the signature itself or an element in one (enveloping; not a `ds:Manifest`, whose own
//!   references are not verified, nor `ds:SignatureProperties`), or detached data the caller
//!   gave. Otherwise the
//!   signature is INDETERMINATE / SIGNED_DATA_NOT_FOUND: what it signs is intact, but it is
//!   not the document.

use std::borrow::Cow;
use std::sync::Arc;

use roxmltree::{Document, Node};

use crate::context::{Content, Meter, VerifyContext};
use crate::crypto::HashAlg;
use crate::formats::ber::{Fields, Tag, Tlv};
use crate::formats::x509::Certificate;
use crate::formats::xml::{self, XmlLimits};
use crate::formats::xmldsig::reference::{self, Env, Given, Outcome, Target, Work};
use crate::formats::xmldsig::{
    self, IdIndex, IssuerSerial, QualifyingProperties, Signature, SigningCertificate, Xades,
};
use crate::process::timestamp::{self, ProofKind, ProofOfExistence};
use crate::process::{
    CertDigestRef, DataObject, RevocationData, SignatureUnderTest, SignedBytes, SignedForm, SignedMessage, SignerRef,
    TimestampToken,
};
use crate::time::UnixTime;
use crate::verdict::{CheckCode, Checks, Format, Report, SignatureReport, SubIndication};

/// The data a signature's external references (URIs that are not same-document) may name.
#[derive(Clone, Copy, Debug)]
pub enum External<'a> {
    /// Nothing given: an external reference is not found.
    None,
    /// Named files (a container's entries, or the caller's detached files): a reference's URI,
    /// percent-decoded, must equal a name. URIs with `..` segments, absolute paths or a
    /// scheme are never resolved.
    Named(&'a [(String, &'a [u8])]),
    /// The single detached content of a signature with exactly one external reference: its
    /// bytes, or only its digest (MSign's Hash mode), which must then be under the reference's
    /// DigestMethod (else the data is not found) and is compared with its DigestValue; the
    /// reference must then have no transforms.
    Content(Content<'a>),
}

impl<'a> External<'a> {
    fn given(self) -> Given<'a> {
        match self {
            External::None | External::Content(Content::None) => Given::None,
            External::Named(files) => Given::Named(files),
            External::Content(Content::Data(d)) => Given::Data(d),
            External::Content(Content::Digest { alg, value }) => Given::Digest(alg, value),
            External::Content(Content::Digests(ds)) => Given::Digests(ds),
        }
    }
}

/// Bytes canonicalization and decoding may produce for one document: 256 MiB, or 16 times
/// the document when that is more.
pub fn work_allowance(document_len: usize) -> usize {
    (256 * 1024 * 1024).max(document_len.saturating_mul(16))
}

/// Where the signature document sits, which decides what its signatures must cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// An XML file on its own: each signature must cover the document (see the module docs).
    Standalone,
    /// A container's signature file: the container checks which of its files each signature
    /// covers ([`Coverage`]).
    Container,
}

/// What one signature's references cover outside the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The signature's report id (`S0`).
    pub id: String,
    /// The external names its references resolved to, in reference order.
    pub external: Vec<String>,
}

/// The signatures of one XML document, described.
#[derive(Debug)]
pub struct Described {
    /// Checks on the document as a whole.
    pub checks: Checks,
    /// One signature per `ds:Signature`, in document order.
    pub signatures: Vec<SignatureUnderTest<'static>>,
    /// What each signature covers outside the document, in the same order.
    pub coverage: Vec<Coverage>,
}

/// Describes every `ds:Signature` of `doc` for the validation process.
pub fn describe(
    doc: &Document<'_>,
    external: External<'_>,
    scope: Scope,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Described {
    let mut checks = Checks::default();
    let mut out = Described {
        checks: Checks::default(),
        signatures: Vec::new(),
        coverage: Vec::new(),
    };
    let elements = match xmldsig::signature_elements(doc) {
        Ok(e) => e,
        Err(e) => {
            checks.fail(CheckCode::SignaturePresent, SubIndication::FormatFailure, e.to_string());
            out.checks = checks;
            return out;
        }
    };
    if elements.is_empty() {
        checks.fail(
            CheckCode::SignaturePresent,
            SubIndication::FormatFailure,
            "the XML document holds no ds:Signature element",
        );
    } else {
        checks.pass(CheckCode::SignaturePresent, format!("{} signature(s)", elements.len()));
    }
    let doc_env = DocEnv {
        doc,
        meter,
        ids: IdIndex::new(doc),
        external,
        scope,
        work: Work::new(work_allowance(doc.input_text().len())),
    };
    for (i, element) in elements.into_iter().enumerate() {
        let id = format!("S{i}");
        let (sut, coverage) = if meter.cancelled() {
            (
                unreadable(id.clone(), "the verification was cancelled".into()),
                Vec::new(),
            )
        } else {
            doc_env.signature(element, id.clone(), ctx)
        };
        out.signatures.push(sut);
        out.coverage.push(Coverage { id, external: coverage });
    }
    out.checks = checks;
    out
}

/// Parses `text` and verifies each of its signatures; for a container's adapter. Returns the
/// document-level checks, one report per signature, and what each covers outside the
/// document. A text that is not well-formed XML, has a DTD or crosses
/// [`XmlLimits::signature_document`] gives a FORMAT_FAILURE check and no signature.
pub fn verify_signature_document(
    text: &str,
    external: External<'_>,
    scope: Scope,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (Checks, Vec<SignatureReport>, Vec<Coverage>) {
    let mut checks = Checks::default();
    let doc = match xml::parse(text, &XmlLimits::signature_document()) {
        Ok(d) => d,
        Err(e) => {
            checks.fail(
                CheckCode::FormatParsed,
                SubIndication::FormatFailure,
                format!("XML: {e}"),
            );
            return (checks, Vec::new(), Vec::new());
        }
    };
    checks.pass(CheckCode::FormatParsed, "well-formed XML");
    let described = describe(&doc, external, scope, ctx, meter);
    checks.extend(described.checks);
    let mut reports = Vec::new();
    for sut in &described.signatures {
        reports.extend(crate::process::validate_signature(sut, ctx, meter));
    }
    (checks, reports, described.coverage)
}

/// Verifies the XML-DSig and XAdES signatures of an XML document on its own
/// ([`Scope::Standalone`]). `external` gives the detached data its references may name.
///
/// # Security
/// Only the transforms of the module documentation run; XSLT and XPath never do, and a
/// reference that needs them is not digested (the signature cannot pass). External
/// references are resolved only through `external`; nothing is fetched. A signature that
/// covers only a part of the document is not TOTAL_PASSED. Revocation data and time-stamps are
/// handled as for CMS (see [`crate::verify`]).
pub fn verify_xml(bytes: &[u8], external: External<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let mut report = Report::empty(Format::Xades, ctx.time.to_rfc3339());
    let Some(text) = xml::document_text(bytes) else {
        let mut checks = Checks::default();
        checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "the XML document is not UTF-8",
        );
        report.checks = checks.into_vec();
        return report;
    };
    let (mut checks, signatures, coverage) = verify_signature_document(text, external, Scope::Standalone, ctx, meter);
    if let External::Named(files) = external {
        report.data_files = named_file_coverage(files, &signatures, &coverage, &mut checks);
    }
    report.checks = checks.into_vec();
    report.signatures = signatures;
    report.conclude();
    report
}

/// The caller's named files are what it takes for signed: each must be covered by every
/// signature of the document, else the file is not TOTAL_PASSED (FORMAT_FAILURE, as for a
/// container's data file).
fn named_file_coverage(
    files: &[(String, &[u8])],
    signatures: &[SignatureReport],
    coverage: &[Coverage],
    checks: &mut Checks,
) -> Vec<crate::verdict::DataFileReport> {
    let top: Vec<&str> = signatures
        .iter()
        .filter(|s| s.counter_signature_of.is_none())
        .map(|s| s.id.as_str())
        .collect();
    let mut out = Vec::new();
    let mut uncovered = Vec::new();
    for (name, bytes) in files {
        let by: Vec<String> = coverage
            .iter()
            .filter(|c| c.external.iter().any(|e| e == name))
            .map(|c| c.id.clone())
            .collect();
        if top.is_empty() || top.iter().any(|id| !by.iter().any(|b| b == id)) {
            uncovered.push(format!("'{name}'"));
        }
        out.push(crate::verdict::DataFileReport {
            name: name.clone(),
            media_type: None,
            size: bytes.len() as u64,
            covered_by: by,
        });
    }
    if uncovered.is_empty() {
        checks.pass(
            CheckCode::DataFileCoverage,
            "every given file is covered by every signature",
        );
    } else {
        checks.fail(
            CheckCode::DataFileCoverage,
            SubIndication::FormatFailure,
            format!("given but not covered by every signature: {}", uncovered.join(", ")),
        );
    }
    out
}

/// The certificates the document's signatures carry (KeyInfo, then CertificateValues), DER;
/// empty when the document cannot be read. For callers that must return the signer's
/// certificate itself (MSign's `Certificates`).
pub fn carried_certificates(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for_each_signature(bytes, |sig| {
        out.extend(sig.key_info_certificates);
        if let Some(Xades::V132(qp)) = sig.xades {
            out.extend(qp.certificate_values);
        }
    });
    out
}

/// The digest algorithms of the external references (URIs naming detached data) of the
/// document's signatures, for a caller that digests a large detached content as it reads it.
/// Empty when the document cannot be read.
pub fn external_digest_algorithms(bytes: &[u8]) -> Vec<HashAlg> {
    let mut algs = Vec::new();
    for_each_signature(bytes, |sig| {
        let external = sig
            .signed_info
            .references
            .into_iter()
            .filter(|r| r.uri.as_deref().is_some_and(|u| !u.is_empty() && !u.starts_with('#')));
        algs.extend(external.filter_map(|r| reference::digest_algorithm(&r.digest_method).ok()));
    });
    algs.sort();
    algs.dedup();
    algs
}

/// Calls `f` with each readable `ds:Signature` of the document in `bytes`; nothing when the
/// document cannot be read.
fn for_each_signature(bytes: &[u8], mut f: impl FnMut(Signature<'_, '_>)) {
    let Some(text) = xml::document_text(bytes) else {
        return;
    };
    let Ok(doc) = xml::parse(text, &XmlLimits::signature_document()) else {
        return;
    };
    for element in xmldsig::signature_elements(&doc).unwrap_or_default() {
        if let Ok(sig) = xmldsig::parse_signature(element) {
            f(sig);
        }
    }
}

/// The document and what its signatures share.
struct DocEnv<'d, 'i, 'e> {
    doc: &'d Document<'i>,
    meter: &'e Meter<'e>,
    ids: IdIndex,
    external: External<'e>,
    scope: Scope,
    work: Work,
}

/// What the references of one signature gave.
struct References {
    data_objects: Vec<DataObject>,
    outcomes: Vec<Outcome>,
}

impl<'d, 'i> DocEnv<'d, 'i, '_> {
    fn signature(
        &self,
        element: Node<'d, 'i>,
        id: String,
        ctx: &VerifyContext<'_>,
    ) -> (SignatureUnderTest<'static>, Vec<String>) {
        let sig = match xmldsig::parse_signature(element) {
            Ok(s) => s,
            Err(e) => return (unreadable(id, format!("ds:Signature: {e}")), Vec::new()),
        };
        let mut fc = Checks::default();
        fc.pass(CheckCode::FormatParsed, kind(&sig));
        if !self.ids.duplicates.is_empty() {
            fc.fail(
                CheckCode::FormatParsed,
                SubIndication::FormatFailure,
                format!(
                    "{} Id value(s) carried by more than one element, such as '{}'",
                    self.ids.duplicates.len(),
                    reference::short(&self.ids.duplicates[0])
                ),
            );
        }
        let refs = self.references(&sig, &mut fc);
        let qp = sig.xades.as_ref().and_then(Xades::properties);
        if let Some(qp) = qp {
            check_signed_properties(&sig, qp, &refs.outcomes, &mut fc);
        }
        if let Some(Xades::Other(ns)) = &sig.xades {
            fc.not_run(
                CheckCode::SigningCertificateReference,
                Some(SubIndication::NoSigningCertificateFound),
                format!(
                    "XAdES properties in namespace '{}' are not read: the signing certificate reference cannot be checked",
                    reference::short(ns)
                ),
            );
        }
        if self.scope == Scope::Standalone {
            self.check_document_coverage(&sig, &refs.outcomes, &mut fc);
        }
        let external = covered_names(&refs.outcomes);
        let mut sut = build(&sig, qp, id, refs, fc, ctx);
        if let Some(qp) = qp {
            let (checks, proofs) = self.archive_timestamps(&sig, qp, &sut.revocation_data, ctx);
            sut.format_checks.extend(checks);
            sut.later_proofs.extend(proofs);
        }
        (sut, external)
    }

    /// What the signature's references are processed with.
    fn env<'s>(&'s self, sig: &Signature<'d, 'i>) -> Env<'s, 'd, 'i> {
        let externals = sig
            .signed_info
            .references
            .iter()
            .filter(|r| !reference::is_same_document(r.uri.as_deref()))
            .count();
        Env {
            doc: self.doc,
            ids: &self.ids,
            signature: sig.element,
            external: self.external.given(),
            single_external: externals == 1,
            work: &self.work,
        }
    }

    fn references(&self, sig: &Signature<'d, 'i>, fc: &mut Checks) -> References {
        let refs = &sig.signed_info.references;
        let env = self.env(sig);
        let mut out = References {
            data_objects: Vec::new(),
            outcomes: Vec::new(),
        };
        for r in refs {
            let outcome = reference::process(&env, r);
            match reference::digest_algorithm(&r.digest_method) {
                Ok(alg) => out.data_objects.push(DataObject {
                    name: reference_name(r),
                    digest_algorithm: alg,
                    claimed: Some(r.digest_value.clone()),
                    actual: outcome.actual.clone(),
                }),
                Err(e) => fc.fail(
                    CheckCode::AlgorithmSupported,
                    (&e).into(),
                    format!("reference '{}': {e}", reference_name(r)),
                ),
            }
            out.outcomes.push(outcome);
        }
        out
    }

    /// The archive time-stamps of the signature, each validated over the input of its message
    /// imprint ([`Self::archive_input`]) with the signature's revocation data at hand: their
    /// TIMESTAMP_IMPRINT and TIMESTAMP_SIGNATURE checks, recorded without effect as for
    /// signature time-stamps, and the proof of existence each valid one gives.
    fn archive_timestamps(
        &self,
        sig: &Signature<'d, 'i>,
        qp: &QualifyingProperties<'d, 'i>,
        revocation: &[RevocationData<'_>],
        ctx: &VerifyContext<'_>,
    ) -> (Checks, Vec<ProofOfExistence>) {
        let mut checks = Checks::default();
        let mut proofs = Vec::new();
        let tokens: usize = qp.archive_timestamps.iter().map(|a| a.stamp.tokens.len()).sum();
        if tokens > timestamp::MAX_TIMESTAMPS {
            checks.info(
                CheckCode::TimestampImprint,
                format!(
                    "{tokens} archive time-stamps; the first {} are examined",
                    timestamp::MAX_TIMESTAMPS
                ),
            );
        }
        let mut examined = 0;
        for ats in &qp.archive_timestamps {
            if examined == timestamp::MAX_TIMESTAMPS || self.meter.cancelled() {
                break;
            }
            let method = ts_method(&ats.stamp);
            let input = self.archive_input(sig, ats, &method);
            for token in ats.stamp.tokens.iter().take(timestamp::MAX_TIMESTAMPS - examined) {
                examined += 1;
                let input = match &input {
                    Ok(i) => i,
                    Err(why) => {
                        checks.fail_no_effect(
                            CheckCode::TimestampImprint,
                            format!("the data the archive time-stamp covers could not be computed: {why}"),
                        );
                        continue;
                    }
                };
                let found = match token {
                    Ok(t) => {
                        let digest = |h: HashAlg| Some(h.digest(input));
                        let covered = timestamp::Covered {
                            digest: &digest,
                            what: "the signature and its unsigned properties before it (archive time-stamp)",
                            revocation,
                        };
                        timestamp::validate_token(t, covered, ctx, self.meter)
                    }
                    Err(e) => {
                        checks.fail_no_effect(CheckCode::TimestampImprint, format!("archive time-stamp token: {e}"));
                        continue;
                    }
                };
                if let (Some(time), Some(tsa)) = (found.proof_of_existence, &found.tsa) {
                    proofs.push(ProofOfExistence {
                        time,
                        by: format!("archive time-stamp by '{}'", tsa.subject),
                        kind: ProofKind::ArchiveTimestamp,
                    });
                }
                checks.extend(timestamp::without_effect(&found));
            }
        }
        (checks, proofs)
    }

    /// The input of an archive time-stamp's message imprint: EN 319 132-1 V1.1.1 5.5.2.2 (the
    /// XAdES 1.4.1 `xadesv141:ArchiveTimeStamp`), each element canonicalized under the
    /// time-stamp's CanonicalizationMethod, concatenated in this order:
    ///
    /// 1. for each `ds:Reference` of SignedInfo, in order, the octets its processing digests
    ///    (the dereferenced data after its transforms);
    /// 2. `ds:SignedInfo`, `ds:SignatureValue`, and `ds:KeyInfo` when present;
    /// 3. each element child of UnsignedSignatureProperties before the time-stamp, in
    ///    document order (no reordering of time-stamp validation data);
    /// 4. each `ds:Object` of the signature, in order, but the one holding the
    ///    QualifyingProperties, whether a Reference covers it or not (the XAdES 1.4.1 rule;
    ///    EN 319 132-1 V1.1.1 leaves out the objects a Reference covers, which does not give
    ///    the imprint of time-stamps DSS writes over a signature with an enveloped object).
    ///
    /// The v1.3.2 `ArchiveTimeStamp` is taken by the same rule.
    fn archive_input(
        &self,
        sig: &Signature<'d, 'i>,
        ats: &xmldsig::ArchiveTimeStamp<'d, 'i>,
        method: &xmldsig::Algorithm,
    ) -> Result<Vec<u8>, String> {
        let env = self.env(sig);
        let mut out = Vec::new();
        for r in &sig.signed_info.references {
            out.extend(reference::octets(&env, r)?);
        }
        let key_info = sig
            .element
            .children()
            .find(|n| xmldsig::is(n, xmldsig::DSIG, "KeyInfo"));
        let before = ats
            .element
            .prev_sibling_element()
            .into_iter()
            .flat_map(|p| std::iter::successors(Some(p), Node::prev_sibling_element))
            .collect::<Vec<_>>();
        let objects = sig.objects.iter().filter(|o| {
            !o.children()
                .any(|c| c.is_element() && c.tag_name().name() == "QualifyingProperties")
        });
        let elements = [sig.signed_info.element, sig.signature_value_element]
            .into_iter()
            .chain(key_info)
            .chain(before.into_iter().rev())
            .chain(objects.copied());
        for e in elements {
            out.extend(reference::canonicalize_element(e, method)?);
        }
        Ok(out)
    }

    /// The wrapping defence of [`Scope::Standalone`].
    fn check_document_coverage(&self, sig: &Signature<'_, '_>, outcomes: &[Outcome], fc: &mut Checks) {
        let root = self.doc.root_element().id();
        let covers = sig
            .signed_info
            .references
            .iter()
            .zip(outcomes)
            .filter(|(r, _)| !xmldsig::is_signed_properties_type(r.type_.as_deref()))
            .find_map(|(r, o)| match &o.target {
                Target::Document => Some("the whole document".to_string()),
                Target::Element(n) if *n == root => Some("the document element".to_string()),
                Target::Element(n) if self.in_own_object(sig, *n) => {
                    Some("an Object of the signature (enveloping)".to_string())
                }
                Target::External(_) | Target::DetachedContent => Some(format!("detached data '{}'", reference_name(r))),
                _ => None,
            });
        match covers {
            Some(what) => fc.pass(CheckCode::SignedDataFound, format!("the signature covers {what}")),
            None => fc.not_run(
                CheckCode::SignedDataFound,
                Some(SubIndication::SignedDataNotFound),
                "the signature covers neither the whole document, nor its document element, nor an Object \
                 of its own, nor detached data: only a part of the document is signed",
            ),
        }
    }
}

impl DocEnv<'_, '_, '_> {
    /// Whether `n` is one of the signature's own `ds:Object`s or inside one, but neither its
    /// XAdES QualifyingProperties, a `ds:SignatureProperties` (the signature's own properties
    /// are not signed data) nor a `ds:Manifest` (whose references are not verified here).
    fn in_own_object(&self, sig: &Signature<'_, '_>, n: roxmltree::NodeId) -> bool {
        let Some(node) = self.doc.get_node(n) else {
            return false;
        };
        let mut ancestors = node.ancestors();
        let inside = ancestors.any(|a| sig.objects.iter().any(|o| o.id() == a.id()));
        let metadata = |a: Node<'_, '_>| {
            a.is_element()
                && matches!(
                    a.tag_name().name(),
                    "QualifyingProperties" | "SignatureProperties" | "Manifest"
                )
        };
        inside && !node.ancestors().any(metadata)
    }
}

/// What the report calls a signature.
fn kind(sig: &Signature<'_, '_>) -> String {
    let n = sig.signed_info.references.len();
    match &sig.xades {
        Some(Xades::V132(_)) => format!("XAdES signature (v1.3.2 properties), {n} reference(s)"),
        Some(Xades::V111(_)) => format!("XAdES signature (v1.1.1 properties), {n} reference(s)"),
        Some(Xades::Other(_)) => format!("XAdES signature in an older namespace, {n} reference(s)"),
        None => format!("plain XML-DSig signature (no XAdES properties), {n} reference(s)"),
    }
}

/// A reference's name for the report: its URI, and its Type when given.
fn reference_name(r: &xmldsig::Reference) -> String {
    let uri = r.uri.as_deref().map_or("(no URI)", reference::short);
    match r.type_.as_deref() {
        Some(t) if !t.is_empty() => format!("{uri} ({})", reference::short(t)),
        _ => uri.to_string(),
    }
}

fn covered_names(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|o| match &o.target {
            Target::External(n) if o.actual.is_ok() => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// EN 319 132-1 4.3.1 / 6.3: exactly one Reference of Type SignedProperties, resolving to the
/// SignedProperties element; QualifyingProperties/@Target naming this signature.
fn check_signed_properties(
    sig: &Signature<'_, '_>,
    qp: &QualifyingProperties<'_, '_>,
    outcomes: &[Outcome],
    fc: &mut Checks,
) {
    let target_ok = match (sig.id, &qp.target) {
        (Some(id), Some(t)) => t.strip_prefix('#') == Some(id),
        _ => false,
    };
    if !target_ok {
        fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "QualifyingProperties/@Target does not name this signature's Id",
        );
    }
    let Some(sp) = qp.signed_properties else {
        return fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "XAdES QualifyingProperties without SignedProperties",
        );
    };
    let typed: Vec<&Outcome> = sig
        .signed_info
        .references
        .iter()
        .zip(outcomes)
        .filter(|(r, _)| xmldsig::is_signed_properties_type(r.type_.as_deref()))
        .map(|(_, o)| o)
        .collect();
    match typed.as_slice() {
        [o] if o.target == Target::Element(sp.id()) => fc.pass(
            CheckCode::SignedAttributesWellFormed,
            "one Reference of Type SignedProperties covers the SignedProperties",
        ),
        [] => fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "no Reference of Type SignedProperties: the XAdES properties are not signed",
        ),
        // Its data could not be computed (a transform not run here): what it covers is unknown.
        [Outcome { actual: Err(why), .. }] => fc.not_run(
            CheckCode::SignedAttributesWellFormed,
            Some(SubIndication::SignedDataNotFound),
            format!("the Reference of Type SignedProperties could not be processed ({why}): it is not known to cover the SignedProperties"),
        ),
        [_] => fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "the Reference of Type SignedProperties does not resolve to this signature's SignedProperties",
        ),
        _ => fc.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "more than one Reference of Type SignedProperties",
        ),
    }
}

/// The signature under test from the parsed signature and its references.
fn build(
    sig: &Signature<'_, '_>,
    qp: Option<&QualifyingProperties<'_, '_>>,
    id: String,
    refs: References,
    mut fc: Checks,
    ctx: &VerifyContext<'_>,
) -> SignatureUnderTest<'static> {
    let scheme = reference::signature_scheme(&sig.signed_info.signature_method);
    match &scheme {
        Ok(s) => fc.pass(CheckCode::AlgorithmSupported, format!("signature {}", s.name())),
        // A MAC keyed with anything the verifier can see (a public certificate) is no
        // signature of the signer: the signature is not of its format.
        Err(e) if reference::is_hmac(&sig.signed_info.signature_method.uri) => fc.fail(
            CheckCode::AlgorithmSupported,
            SubIndication::FormatFailure,
            format!("{e}: an XML signature must be an asymmetric signature"),
        ),
        Err(e) => fc.fail(CheckCode::AlgorithmSupported, e.into(), e.to_string()),
    }
    let signed_bytes = match reference::canonicalize_element(sig.signed_info.element, &sig.signed_info.canonicalization)
    {
        Ok(b) => SignedBytes::Alternatives(vec![SignedForm {
            message: SignedMessage::Data(Cow::Owned(b)),
            on_success: None,
        }]),
        Err(e) => {
            fc.fail(
                CheckCode::AlgorithmSupported,
                SubIndication::CryptoConstraintsFailure,
                format!("SignedInfo: {e}"),
            );
            SignedBytes::Missing(format!("SignedInfo: {e}"))
        }
    };
    let mut certificates = parse_certificates(&sig.key_info_certificates, ctx, &mut fc);
    let key_info_count = certificates.len();
    if let Some(qp) = qp {
        certificates.extend(parse_certificates(&qp.certificate_values, ctx, &mut fc));
        for what in &qp.unreadable_unsigned {
            fc.warn(CheckCode::FormatParsed, format!("unsigned property not used: {what}"));
        }
        if !qp.not_evaluated.is_empty() {
            fc.info(
                CheckCode::FormatParsed,
                format!("unsigned properties not evaluated: {}", qp.not_evaluated.join(", ")),
            );
        }
    }
    let signer_digest = qp.and_then(|qp| signing_certificate_reference(qp, &mut fc));
    let signer = choose_signer(
        &certificates[..key_info_count],
        &certificates,
        signer_digest.as_ref(),
        ctx,
    );
    SignatureUnderTest {
        id,
        counter_signature_of: None,
        format_checks: fc,
        digest_algorithm: weakest_digest(&refs.data_objects, ctx),
        scheme,
        value: Cow::Owned(sig.signature_value.clone()),
        signed_bytes,
        data_objects: refs.data_objects,
        signer,
        signer_digest,
        certificates,
        claimed_signing_time: qp
            .and_then(|q| q.signing_time.as_deref())
            .and_then(UnixTime::parse_rfc3339),
        timestamps: qp.map(|q| timestamps(sig, q)).unwrap_or_default(),
        revocation_data: qp.map(revocation_data).unwrap_or_default(),
        later_proofs: Vec::new(),
        counter_signatures: Vec::new(),
    }
}

/// The digest algorithm the policy refuses at the validation time, when a reference uses one;
/// else that of the first reference. The acceptance block then judges the weakest.
fn weakest_digest(data_objects: &[DataObject], ctx: &VerifyContext<'_>) -> Option<HashAlg> {
    data_objects
        .iter()
        .map(|d| d.digest_algorithm)
        .find(|h| ctx.policy.check_digest(*h, ctx.time).is_err())
        .or_else(|| data_objects.first().map(|d| d.digest_algorithm))
}

fn parse_certificates(ders: &[Vec<u8>], ctx: &VerifyContext<'_>, fc: &mut Checks) -> Vec<Arc<Certificate>> {
    let mut out = Vec::new();
    for der in ders {
        match ctx.parse_certificate(der) {
            Ok(c) => out.push(c),
            Err(e) => fc.warn(
                CheckCode::FormatParsed,
                format!("a certificate of the signature is skipped: {e}"),
            ),
        }
    }
    out
}

/// SigningCertificate(V2): the first Cert names the signing certificate. Without one, a XAdES
/// signature cannot pass. `None` also when it cannot be read (a failed format check).
fn signing_certificate_reference(qp: &QualifyingProperties<'_, '_>, fc: &mut Checks) -> Option<CertDigestRef> {
    let Some(SigningCertificate { v2, certs }) = &qp.signing_certificate else {
        fc.not_run(
            CheckCode::SigningCertificateReference,
            Some(SubIndication::NoSigningCertificateFound),
            "the XAdES signature has no SigningCertificate or SigningCertificateV2 property",
        );
        return None;
    };
    let source = if *v2 {
        "xades SigningCertificateV2"
    } else {
        "xades SigningCertificate"
    };
    let first = certs.first()?;
    let algorithm = match reference::digest_algorithm(&first.digest_method) {
        Ok(a) => a,
        Err(e) => {
            fc.fail(
                CheckCode::SigningCertificateReference,
                (&e).into(),
                format!("{source}: {e}"),
            );
            return None;
        }
    };
    let serial = match &first.issuer_serial {
        IssuerSerial::None => Ok(None),
        IssuerSerial::V1 { serial, .. } => decimal_integer(serial)
            .map(Some)
            .ok_or("X509SerialNumber is not a decimal integer"),
        IssuerSerial::V2(der) => issuer_serial_v2(der)
            .map(|(_, s)| Some(s))
            .ok_or("IssuerSerialV2 is not an IssuerSerial"),
    };
    match serial {
        Ok(serial) => Some(CertDigestRef {
            source,
            algorithm,
            digest: first.digest_value.clone(),
            serial,
        }),
        Err(e) => {
            fc.fail(
                CheckCode::SigningCertificateReference,
                SubIndication::FormatFailure,
                format!("{source}: {e}"),
            );
            None
        }
    }
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER, ... }` (RFC 5035):
/// the issuer Name DER (the first directoryName) and the serial's contents octets.
fn issuer_serial_v2(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let t = Tlv::parse_exact(der).ok()?;
    let mut f = Fields::new(&t).ok()?;
    let names = f.next(Tag::SEQUENCE).ok()?;
    let serial = f.next(Tag::INTEGER).ok()?;
    let dir = names
        .children()
        .find_map(|c| c.ok().filter(|c| c.tag.same_type(Tag::context(4, true))))?;
    let name = dir.children().next()?.ok()?;
    Some((name.raw.to_vec(), serial.value.to_vec()))
}

/// A decimal integer (X509SerialNumber) as INTEGER contents octets (two's complement,
/// minimal). At most 100 digits; non-negative only.
pub fn decimal_integer(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Big-endian base-256 digits, multiplied by 10 and added to per decimal digit.
    let mut n: Vec<u8> = vec![0];
    for d in s.bytes() {
        let mut carry = u32::from(d - b'0');
        for byte in n.iter_mut().rev() {
            let v = u32::from(*byte) * 10 + carry;
            *byte = u8::try_from(v & 0xff).unwrap_or_default();
            carry = v >> 8;
        }
        while carry > 0 {
            n.insert(0, u8::try_from(carry & 0xff).unwrap_or_default());
            carry >>= 8;
        }
    }
    let skip = n.iter().take_while(|b| **b == 0).count().min(n.len() - 1);
    let mut out: Vec<u8> = n[skip..].to_vec();
    if out[0] & 0x80 != 0 {
        out.insert(0, 0);
    }
    Some(out)
}

/// The signer certificate: with a SigningCertificate reference, the certificate of the
/// signature (or, by IssuerSerialV2, of the configured ones) whose digest it names; otherwise
/// the end-entity of the KeyInfo certificates (one that issued none of the others). When the
/// reference names none of them, the KeyInfo certificate is still the candidate, and
/// identification fails on the reference (key substitution).
fn choose_signer(
    key_info: &[Arc<Certificate>],
    all: &[Arc<Certificate>],
    reference: Option<&CertDigestRef>,
    ctx: &VerifyContext<'_>,
) -> SignerRef<'static> {
    if let Some(r) = reference {
        let named = |c: &&Arc<Certificate>| r.algorithm.digest(c.der()) == r.digest;
        if let Some(c) = all.iter().find(named) {
            return SignerRef::Certificate(c.clone());
        }
        let configured = configured_by_serial(r, ctx);
        if let Some(c) = configured.iter().find(named) {
            return SignerRef::Certificate(c.clone());
        }
    }
    let leaf = key_info
        .iter()
        .find(|c| {
            !key_info
                .iter()
                .any(|o| o.sha256 != c.sha256 && o.issuer_key == c.subject_key)
        })
        .or_else(|| key_info.first());
    match leaf {
        Some(c) => SignerRef::Certificate(c.clone()),
        None => SignerRef::Unknown,
    }
}

/// The configured certificates (intermediates, anchors) with the serial the reference names.
fn configured_by_serial(r: &CertDigestRef, ctx: &VerifyContext<'_>) -> Vec<Arc<Certificate>> {
    let Some(serial) = &r.serial else { return Vec::new() };
    ctx.intermediates
        .certs()
        .iter()
        .chain(ctx.trust.certs())
        .filter(|c| c.serial() == serial.as_slice())
        .cloned()
        .collect()
}

/// SignatureTimeStamp tokens, each over the canonical form of the `ds:SignatureValue` element
/// under the time-stamp's CanonicalizationMethod (C14N 1.0 by default).
fn timestamps(sig: &Signature<'_, '_>, qp: &QualifyingProperties<'_, '_>) -> Vec<TimestampToken<'static>> {
    let mut out = Vec::new();
    for ts in &qp.signature_timestamps {
        let method = ts_method(ts);
        let covered = reference::canonicalize_element(sig.signature_value_element, &method).map(Cow::Owned);
        for token in &ts.tokens {
            out.push(TimestampToken {
                token: token.clone().map(Cow::Owned).map_err(|e| e.to_string()),
                covered: Some(covered.clone()),
            });
        }
    }
    out
}

/// A time-stamp's CanonicalizationMethod; C14N 1.0 when it has none.
fn ts_method(ts: &xmldsig::SignatureTimeStamp) -> xmldsig::Algorithm {
    ts.canonicalization.clone().unwrap_or_else(|| xmldsig::Algorithm {
        uri: reference::uri::C14N10.to_string(),
        inclusive_prefixes: Vec::new(),
        has_parameters: false,
    })
}

fn revocation_data(qp: &QualifyingProperties<'_, '_>) -> Vec<RevocationData<'static>> {
    let ocsp = qp
        .ocsp_values
        .iter()
        .map(|d| RevocationData::Ocsp(Cow::Owned(d.clone())));
    let crl = qp.crl_values.iter().map(|d| RevocationData::Crl(Cow::Owned(d.clone())));
    ocsp.chain(crl).collect()
}

/// A signature that could not be read: format checking fails, nothing else can run.
fn unreadable(id: String, why: String) -> SignatureUnderTest<'static> {
    SignatureUnderTest::unreadable(id, None, why)
}

#[cfg(test)]
mod tests {
    use super::decimal_integer;

    #[test]
    fn decimal_serials_become_integer_contents() {
        assert_eq!(decimal_integer("0"), Some(vec![0]));
        assert_eq!(decimal_integer("127"), Some(vec![0x7f]));
        assert_eq!(decimal_integer("128"), Some(vec![0, 0x80]));
        assert_eq!(decimal_integer("65536"), Some(vec![1, 0, 0]));
        assert_eq!(
            decimal_integer("340282366920938463463374607431768211455"),
            Some([vec![0], vec![0xff; 16]].concat())
        );
        for bad in ["", "-1", "12a", &"9".repeat(101)] {
            assert_eq!(decimal_integer(bad), None, "{bad}");
        }
    }
}

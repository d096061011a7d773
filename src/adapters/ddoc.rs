//! DigiDoc containers (DIGIDOC-XML 1.3; 1.1 and 1.2 read with the same rules): one XML
//! document whose root `SignedDoc` holds the data files and then the signatures.
//!
//! ```text
//! <SignedDoc format="DIGIDOC-XML" version="1.3" xmlns="http://www.sk.ee/DigiDoc/v1.3.0#">
//!   <DataFile Id="D0" Filename ContentType MimeType Size>base64</DataFile>+
//!   <ds:Signature Id="S0">  Reference URI="#D0", Reference to the SignedProperties
//!     (XAdES v1.1.1 properties, the OCSP response in RevocationValues)  </ds:Signature>*
//! </SignedDoc>
//! ```
//!
//! - The root must be `SignedDoc` with `format="DIGIDOC-XML"` and a version this module knows
//!   (1.1, 1.2 without namespace; 1.3 in `http://www.sk.ee/DigiDoc/v1.3.0#`); anything else,
//!   an element out of place, a DataFile without Id, Filename or ContentType, a duplicate Id, a
//!   `Size` that is not a number, EMBEDDED_BASE64 content that is not base64: TOTAL_FAILED /
//!   FORMAT_FAILURE (`CONTAINER_STRUCTURE`). The older SK-XML format is recognised but not
//!   verified (INDETERMINATE / FORMAT_NOT_SUPPORTED).
//! - Each `ds:Signature` goes through the XML-DSig / XAdES adapter ([`Scope::Container`]): a
//!   reference `#D0` is the digest of the canonical DataFile element in its document context,
//!   which covers its attributes and its base64 content. A signature without XAdES v1.1.1
//!   properties that this crate reads cannot be TOTAL_PASSED (its signing certificate
//!   reference is not checked).
//! - A signature covers a DataFile when one of its references has the URI `#<Id>` and no
//!   transforms (DigiDoc writes none). Every DataFile must be covered by every signature
//!   (`DATA_FILE_COVERAGE`), else TOTAL_FAILED / FORMAT_FAILURE: a reader would take it for
//!   signed.
//! - Only EMBEDDED_BASE64 content is verified. The content of a DETACHED or HASHCODE DataFile
//!   is not in the file (a HASHCODE reference digests the DataFile as it was with its
//!   content), and EMBEDDED (text) content is not read: the references to such a file are not
//!   digested and the signatures are INDETERMINATE / SIGNED_DATA_NOT_FOUND.
//! - `Size` is signed metadata: when it differs from the decoded length of the content, the
//!   content (what the signature covers) is reported with its real length and a warning is
//!   recorded; the verdict does not change.
//! - The embedded OCSP response is carried to the process as revocation data; SHA-1 is judged by
//!   the policy as for any signature.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use crate::adapters::xades::{self, External, Scope};
use crate::context::{Meter, VerifyContext};
use crate::formats::xml::{self, XmlLimits};
use crate::formats::xmldsig::{self, DSIG, Xades};
use crate::process::SignatureUnderTest;
use crate::verdict::{CheckCode, Checks, DataFileReport, Format, Report, SubIndication};

/// The DIGIDOC-XML 1.3 namespace.
pub const DIGIDOC13: &str = "http://www.sk.ee/DigiDoc/v1.3.0#";
/// Most DataFile elements read in one container.
pub const MAX_DATA_FILES: usize = 1000;
/// How far into the text [`looks_like_ddoc`] looks for the root element.
const SNIFF_LEN: usize = 64 * 1024;

/// Whether `text` starts like a DigiDoc container: after the XML declaration, comments and
/// processing instructions, the root element is `SignedDoc` with `format="DIGIDOC-XML"` (or
/// the older `SK-XML`). A sniff for the input router; [`verify`] checks the rest.
pub fn looks_like_ddoc(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = match text.char_indices().nth(SNIFF_LEN) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let Some(tag) = root_start_tag(head) else {
        return false;
    };
    let name_end = tag.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/');
    let name = &tag[..name_end.unwrap_or(tag.len())];
    let local = name.rsplit(':').next().unwrap_or(name);
    local == "SignedDoc"
        && ["DIGIDOC-XML", "SK-XML"]
            .iter()
            .any(|f| has_attribute(tag, "format", f))
}

/// The text of the root element's start tag (from its name to its `>`), skipping the prolog.
fn root_start_tag(mut rest: &str) -> Option<&str> {
    loop {
        rest = rest.trim_start();
        let body = rest.strip_prefix('<')?;
        // Offsets in `rest`: '<' + "!--" + comment + "-->"; '<' + declaration + '>'.
        let end = if let Some(r) = body.strip_prefix("!--") {
            r.find("-->").map(|i| i + 7)?
        } else if body.starts_with('?') || body.starts_with('!') {
            body.find('>').map(|i| i + 2)?
        } else {
            return body.find('>').map(|i| &body[..i]);
        };
        rest = rest.get(end..)?;
    }
}

fn has_attribute(tag: &str, name: &str, value: &str) -> bool {
    [format!("{name}=\"{value}\""), format!("{name}='{value}'")]
        .iter()
        .any(|a| tag.split_ascii_whitespace().any(|w| w.trim_end_matches('/') == a))
}

/// Whether `doc` is a DigiDoc container (its root is `SignedDoc` with a DigiDoc format).
pub fn is_ddoc(doc: &Document<'_>) -> bool {
    let root = doc.root_element();
    root.tag_name().name() == "SignedDoc" && matches!(root.attribute("format"), Some("DIGIDOC-XML" | "SK-XML"))
}

/// How a DataFile carries its content.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ContentType {
    /// The content, base64, in the element: verified.
    EmbeddedBase64,
    /// Anything else (DETACHED, HASHCODE, EMBEDDED): not verified here.
    NotVerified(String),
}

/// One `DataFile`, as read.
#[derive(Debug)]
struct DataFile {
    id: String,
    name: String,
    media_type: Option<String>,
    content_type: ContentType,
    size: u64,
}

/// A container that cannot be read: the check and its detail.
struct Unreadable {
    sub: SubIndication,
    code: CheckCode,
    detail: String,
}

impl Unreadable {
    fn format(detail: impl Into<String>) -> Unreadable {
        Unreadable {
            sub: SubIndication::FormatFailure,
            code: CheckCode::ContainerStructure,
            detail: detail.into(),
        }
    }
}

/// Verifies a DigiDoc container.
///
/// # Security
/// Only EMBEDDED_BASE64 data files are verified; a container with others is at best
/// INDETERMINATE. The embedded OCSP response is carried as revocation data, not trusted on its
/// own. Nothing is fetched.
pub fn verify(bytes: &[u8], ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let mut report = Report::empty(Format::Ddoc, ctx.time.to_rfc3339());
    let mut checks = Checks::default();
    let Some(text) = xml::document_text(bytes) else {
        checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "the DigiDoc container is not UTF-8",
        );
        report.checks = checks.into_vec();
        return report;
    };
    let doc = match xml::parse(text, &XmlLimits::signature_document()) {
        Ok(d) => d,
        Err(e) => {
            checks.fail(
                CheckCode::FormatParsed,
                SubIndication::FormatFailure,
                format!("XML: {e}"),
            );
            report.checks = checks.into_vec();
            return report;
        }
    };
    checks.pass(CheckCode::FormatParsed, "well-formed XML");
    match read_container(&doc) {
        Ok((files, warnings)) => verify_container(&doc, &files, warnings, ctx, meter, &mut checks, &mut report),
        Err(u) => match u.sub {
            SubIndication::FormatFailure => checks.fail(u.code, u.sub, u.detail),
            sub => checks.not_run(u.code, Some(sub), u.detail),
        },
    }
    report.checks = checks.into_vec();
    report.conclude();
    report
}

/// The signatures and the data files of a container whose structure is sound.
fn verify_container(
    doc: &Document<'_>,
    files: &[DataFile],
    warnings: Vec<String>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
    report: &mut Report,
) {
    checks.pass(
        CheckCode::ContainerStructure,
        format!("DigiDoc container with {} data file(s)", files.len()),
    );
    for w in warnings {
        checks.warn(CheckCode::ContainerStructure, w);
    }
    let described = xades::describe(doc, External::None, Scope::Container, ctx, meter);
    checks.extend(described.checks);
    let mut signatures = described.signatures;
    digidoc_signed_properties(doc, &mut signatures);
    let covered = coverage(doc, files, &mut signatures);
    for sut in &signatures {
        report
            .signatures
            .extend(crate::process::validate_signature(sut, ctx, meter));
    }
    report.data_files = coverage_checks(files, &signatures, &covered, checks);
    not_verified_checks(files, checks);
}

/// DigiDoc wrote the SignedProperties digest over the element's own text, canonicalized
/// without the XAdES namespace it inherits from `QualifyingProperties` (JDigiDoc and
/// libdigidoc hash the properties as they generate them, before placing them). When the
/// standard digest of a SignedProperties reference does not match and this one does, it
/// stands, and the report says how it was computed. The bytes covered are the same element;
/// only the namespace context differs, and the properties are read in their real namespace.
/// Checked against every DigiDoc file of the corpus (three match only this way; the tampered
/// one matches neither way).
fn digidoc_signed_properties(doc: &Document<'_>, signatures: &mut [SignatureUnderTest<'static>]) {
    let Ok(elements) = xmldsig::signature_elements(doc) else {
        return;
    };
    for (element, sut) in elements.into_iter().zip(signatures.iter_mut()) {
        let Ok(sig) = xmldsig::parse_signature(element) else {
            continue;
        };
        for r in &sig.signed_info.references {
            if !xmldsig::is_signed_properties_type(r.type_.as_deref()) {
                continue;
            }
            let Some(id) = r.uri.as_deref().and_then(|u| u.strip_prefix('#')) else {
                continue;
            };
            let Some(digest) = own_text_digest(doc, element, id, &r.digest_method) else {
                continue;
            };
            if digest != r.digest_value {
                continue;
            }
            let name = format!("#{id}");
            for d in sut.data_objects.iter_mut().filter(|d| d.name.starts_with(&name)) {
                let standard_matches = matches!(&d.actual, Ok((v, _)) if *v == r.digest_value);
                if d.claimed.as_deref() == Some(r.digest_value.as_slice()) && !standard_matches {
                    d.actual = Ok((
                        digest.clone(),
                        format!("{name} canonicalized as DigiDoc writes it (without its inherited namespace)"),
                    ));
                }
            }
        }
    }
}

/// The digest of the canonical form of the element with Id `id` inside `signature`, parsed
/// from its own text alone.
fn own_text_digest(doc: &Document<'_>, signature: Node<'_, '_>, id: &str, method: &str) -> Option<Vec<u8>> {
    use crate::formats::xml::c14n::{self, Algorithm, Method, Subset};
    let alg = xmldsig::reference::digest_algorithm(method).ok()?;
    let element = signature
        .descendants()
        .find(|n| n.is_element() && n.attribute("Id") == Some(id))?;
    let text = doc.input_text().get(element.range())?;
    let own = xml::parse(text, &XmlLimits::signature_document()).ok()?;
    let mut out = Vec::new();
    c14n::canonicalize(
        &Subset::document(&own),
        &Method::new(Algorithm::C14n10, false),
        &mut out,
    )
    .ok()?;
    Some(alg.digest(&out))
}

/// The root, the DataFiles and the place of every signature.
fn read_container(doc: &Document<'_>) -> Result<(Vec<DataFile>, Vec<String>), Unreadable> {
    let root = doc.root_element();
    let ns = check_root(root)?;
    let mut files: Vec<DataFile> = Vec::new();
    let mut warnings = Vec::new();
    let mut seen_signature = false;
    for n in root.children() {
        if n.is_text() && n.text().is_some_and(|t| !t.trim().is_empty()) {
            return Err(Unreadable::format("text content in SignedDoc"));
        }
        if !n.is_element() {
            continue;
        }
        if xmldsig::is(&n, DSIG, "Signature") {
            seen_signature = true;
        } else if n.tag_name().name() == "DataFile" && n.tag_name().namespace() == ns && !seen_signature {
            if files.len() == MAX_DATA_FILES {
                return Err(Unreadable::format(format!("more than {MAX_DATA_FILES} data files")));
            }
            let file = read_data_file(n, &mut warnings)?;
            if files.iter().any(|f| f.id == file.id) {
                return Err(Unreadable::format(format!(
                    "two DataFiles with the Id '{}'",
                    short(&file.id)
                )));
            }
            files.push(file);
        } else {
            return Err(Unreadable::format(format!(
                "unexpected element '{}' in SignedDoc",
                short(n.tag_name().name())
            )));
        }
    }
    if files.is_empty() {
        return Err(Unreadable::format("the container holds no DataFile"));
    }
    check_signature_places(doc, root)?;
    Ok((files, warnings))
}

/// `SignedDoc/@format`, `@version` and the namespace they call for.
fn check_root<'a>(root: Node<'a, '_>) -> Result<Option<&'a str>, Unreadable> {
    if root.tag_name().name() != "SignedDoc" {
        return Err(Unreadable::format("the root element is not SignedDoc"));
    }
    let version = root.attribute("version").unwrap_or_default();
    match root.attribute("format") {
        Some("DIGIDOC-XML") => {}
        Some("SK-XML") => {
            return Err(Unreadable {
                sub: SubIndication::FormatNotSupported,
                code: CheckCode::FormatSupported,
                detail: format!("the SK-XML format (version '{}') is not verified", short(version)),
            });
        }
        other => {
            return Err(Unreadable::format(format!(
                "unknown SignedDoc format '{}'",
                short(other.unwrap_or_default())
            )));
        }
    }
    let expected = match version {
        "1.3" => Some(DIGIDOC13),
        "1.1" | "1.2" => None,
        v => {
            return Err(Unreadable::format(format!(
                "unknown DIGIDOC-XML version '{}'",
                short(v)
            )));
        }
    };
    if root.tag_name().namespace() != expected {
        return Err(Unreadable::format(format!(
            "DIGIDOC-XML {version}: SignedDoc in namespace '{}'",
            short(root.tag_name().namespace().unwrap_or("(none)"))
        )));
    }
    Ok(expected)
}

/// Every `ds:Signature` of the document is a child of `SignedDoc`.
fn check_signature_places(doc: &Document<'_>, root: Node<'_, '_>) -> Result<(), Unreadable> {
    let elements = xmldsig::signature_elements(doc).map_err(|e| Unreadable::format(e.to_string()))?;
    if elements.iter().any(|e| e.parent() != Some(root)) {
        return Err(Unreadable::format("a ds:Signature that is not a child of SignedDoc"));
    }
    Ok(())
}

fn read_data_file(n: Node<'_, '_>, warnings: &mut Vec<String>) -> Result<DataFile, Unreadable> {
    let attr = |name: &'static str| {
        n.attribute(name)
            .ok_or_else(|| Unreadable::format(format!("a DataFile without {name}")))
    };
    let id = attr("Id")?.to_string();
    let name = attr("Filename")?.to_string();
    let declared = match n.attribute("Size") {
        Some(s) => Some(
            s.trim()
                .parse::<u64>()
                .map_err(|_| Unreadable::format(format!("DataFile '{}': Size is not a number", short(&id))))?,
        ),
        None => None,
    };
    if n.children().any(|c| c.is_element()) {
        return Err(Unreadable::format(format!("DataFile '{}' holds elements", short(&id))));
    }
    let content_type = match attr("ContentType")? {
        "EMBEDDED_BASE64" => ContentType::EmbeddedBase64,
        other => ContentType::NotVerified(other.to_string()),
    };
    let size = match &content_type {
        ContentType::EmbeddedBase64 => embedded_size(n, &id, declared, warnings)?,
        ContentType::NotVerified(_) => declared.unwrap_or_default(),
    };
    Ok(DataFile {
        id,
        name,
        media_type: n.attribute("MimeType").map(str::to_string),
        content_type,
        size,
    })
}

/// The decoded length of EMBEDDED_BASE64 content; a warning when `Size` says otherwise.
fn embedded_size(
    n: Node<'_, '_>,
    id: &str,
    declared: Option<u64>,
    warnings: &mut Vec<String>,
) -> Result<u64, Unreadable> {
    let content = xmldsig::decode_base64(&xmldsig::text_of(n))
        .ok_or_else(|| Unreadable::format(format!("DataFile '{}': the content is not base64", short(id))))?;
    let size = u64::try_from(content.len()).unwrap_or(u64::MAX);
    match declared {
        Some(d) if d != size => warnings.push(format!(
            "DataFile '{}': Size says {d} bytes, the content has {size}",
            short(id)
        )),
        None => warnings.push(format!("DataFile '{}' has no Size", short(id))),
        Some(_) => {}
    }
    Ok(size)
}

/// Which data files each signature covers (indices into `files`); the references to data
/// files whose content is not verified are marked as not found in the signatures' data objects,
/// and a signature without readable XAdES v1.1.1 properties cannot pass.
fn coverage(doc: &Document<'_>, files: &[DataFile], signatures: &mut [SignatureUnderTest<'static>]) -> Vec<Vec<usize>> {
    let by_uri: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("#{}", f.id), i))
        .collect();
    let elements = xmldsig::signature_elements(doc).unwrap_or_default();
    let mut out = Vec::new();
    for (element, sut) in elements.into_iter().zip(signatures.iter_mut()) {
        let Ok(sig) = xmldsig::parse_signature(element) else {
            out.push(Vec::new());
            continue;
        };
        if !matches!(sig.xades, Some(Xades::V111(_))) {
            sut.format_checks.not_run(
                CheckCode::SigningCertificateReference,
                Some(SubIndication::NoSigningCertificateFound),
                "a DigiDoc signature without XAdES v1.1.1 properties: its signing certificate reference is not checked",
            );
        }
        let mut covered = Vec::new();
        // The data objects follow the references whose digest algorithm is known.
        let digested = sig
            .signed_info
            .references
            .iter()
            .filter(|r| xmldsig::reference::digest_algorithm(&r.digest_method).is_ok());
        for (r, object) in digested.zip(sut.data_objects.iter_mut()) {
            let Some(&i) = r.uri.as_deref().and_then(|u| by_uri.get(u)) else {
                continue;
            };
            if let ContentType::NotVerified(kind) = &files[i].content_type {
                object.actual = Err(format!(
                    "the content of the {kind} data file '{}' is not in the container",
                    short(&files[i].name)
                ));
            }
            if r.transforms.is_empty() && !covered.contains(&i) {
                covered.push(i);
            }
        }
        out.push(covered);
    }
    out
}

/// Every data file is covered by every signature.
fn coverage_checks(
    files: &[DataFile],
    signatures: &[SignatureUnderTest<'static>],
    covered: &[Vec<usize>],
    checks: &mut Checks,
) -> Vec<DataFileReport> {
    let mut out = Vec::new();
    let mut uncovered = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let covered_by: Vec<String> = signatures
            .iter()
            .zip(covered)
            .filter(|(_, c)| c.contains(&i))
            .map(|(s, _)| s.id.clone())
            .collect();
        if covered_by.len() < signatures.len() {
            uncovered.push(format!("'{}'", short(&f.name)));
        }
        out.push(DataFileReport {
            name: f.name.clone(),
            media_type: f.media_type.clone(),
            size: f.size,
            covered_by,
        });
    }
    if signatures.is_empty() {
        return out;
    }
    if uncovered.is_empty() {
        checks.pass(
            CheckCode::DataFileCoverage,
            format!("each of the {} data file(s) is covered by every signature", files.len()),
        );
    } else {
        checks.fail(
            CheckCode::DataFileCoverage,
            SubIndication::FormatFailure,
            format!("not covered by every signature: {}", uncovered.join(", ")),
        );
    }
    out
}

/// Data files whose content is not verified leave the container INDETERMINATE.
fn not_verified_checks(files: &[DataFile], checks: &mut Checks) {
    for f in files {
        if let ContentType::NotVerified(kind) = &f.content_type {
            checks.not_run(
                CheckCode::SignedDataFound,
                Some(SubIndication::SignedDataNotFound),
                format!(
                    "data file '{}' ({}): only EMBEDDED_BASE64 content is verified",
                    short(&f.name),
                    short(kind)
                ),
            );
        }
    }
}

/// At most 100 characters of a value from the input, for a report.
fn short(s: &str) -> &str {
    xmldsig::reference::short(s)
}

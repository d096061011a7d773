//! The container structure of ASiC-E, ASiC-S ([ETSI EN 319 162-1](https://www.etsi.org/deliver/etsi_en/319100_319199/31916201/01.01.01_60/en_31916201v010101p.pdf))
//! and BDOC 2.1: which file is what, and what is wrong with the container. No signature is
//! verified here.
//!
//! [`read_container`] reads the ZIP with [`zip::read`] (an unreadable ZIP is an
//! [`AsicError`]) and describes it:
//!
//! - `mimetype` (EN 319 162-1 §4.4.1, §A.1): its content names the kind,
//!   `application/vnd.etsi.asic-e+zip` (ASiC-E and BDOC) or `application/vnd.etsi.asic-s+zip`.
//!   Missing or any other content is an error finding. It should be the first entry, stored,
//!   without an extra field in its local header; real containers break each of these, so they
//!   are warnings;
//! - `META-INF/manifest.xml`, the OpenDocument manifest (§A.1): its `file-entry` elements; the
//!   root entry `/` whose media type must be the mimetype; the files it names that the ZIP does
//!   not hold and (ASiC-E) the data files it does not name are errors; it is required in ASiC-E;
//! - signature files directly in `META-INF/`: `*signatures*.xml` (XAdES), `*signature*.p7s`
//!   (CAdES), `*timestamp*.tst` (RFC 3161 token); ASiC-S names exactly `signatures.xml`,
//!   `signature.p7s` or `timestamp.tst` (another name is a warning). Other `META-INF/` files
//!   (ASiCManifest, evidence records) are listed;
//! - data files: every other entry outside `META-INF/`, directories excluded. ASiC-S holds
//!   exactly one.
//!
//! Each data and signature file is read through [`Entry::data`](super::zip::Entry::data), so its
//! CRC-32 and size are checked.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use thiserror::Error;

use super::xml::{self, XmlLimits};
use super::zip::{self, Archive, Entry, Method, ZipError, ZipLimits};

/// The media type of ASiC-E (and BDOC 2.1).
pub const MIMETYPE_ASIC_E: &str = "application/vnd.etsi.asic-e+zip";
/// The media type of ASiC-S.
pub const MIMETYPE_ASIC_S: &str = "application/vnd.etsi.asic-s+zip";
/// The namespace of the OpenDocument manifest.
pub const MANIFEST_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";

const MIMETYPE: &str = "mimetype";
const META_INF: &str = "META-INF/";
const MANIFEST: &str = "META-INF/manifest.xml";
/// The longest mimetype content kept as text.
const MAX_MIMETYPE_LEN: usize = 256;
const SUBJECT_CHARS: usize = 64;

/// The kind of container, from its mimetype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    /// Extended: any number of data files and signatures (BDOC 2.1 is one).
    AsicE,
    /// Simple: one data file.
    AsicS,
    /// No mimetype, or another one.
    Unknown,
}

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The container breaks a rule that real containers break too.
    Warning,
    /// The container is malformed.
    Error,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// No `mimetype` entry (error).
    MimetypeMissing,
    /// `mimetype` holds neither ASiC media type (error).
    MimetypeUnknown,
    /// `mimetype` is not the first entry (warning).
    MimetypeNotFirst,
    /// `mimetype` is compressed (warning).
    MimetypeCompressed,
    /// `mimetype` has an extra field in its local header (warning).
    MimetypeExtraField,
    /// No `META-INF/manifest.xml` in an ASiC-E container (error).
    ManifestMissing,
    /// The manifest is not a readable OpenDocument manifest (error); the subject says why.
    ManifestMalformed,
    /// More manifest entries than the ZIP entry limit (error).
    ManifestTooLarge,
    /// A `file-entry` without `full-path` or `media-type` (error).
    ManifestEntryIncomplete,
    /// Two `file-entry` elements with the same path (error).
    ManifestDuplicate,
    /// No root entry `/` (warning).
    ManifestRootMissing,
    /// The root entry's media type is not the mimetype (error).
    ManifestRootMismatch,
    /// The manifest names a file that the container does not hold (error).
    ManifestNamesMissingFile,
    /// A data file that the manifest does not name (error, ASiC-E).
    DataFileNotInManifest,
    /// No signature or time-stamp file (error).
    NoSignature,
    /// No data file (error).
    NoDataFile,
    /// An ASiC-S container with more than one data file (error).
    TooManyDataFiles,
    /// An ASiC-S signature file with a name other than the standard one (warning).
    NonStandardSignatureName,
}

impl Problem {
    /// What the problem is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Problem::MimetypeMissing => "no mimetype entry",
            Problem::MimetypeUnknown => "the mimetype is not an ASiC media type",
            Problem::MimetypeNotFirst => "the mimetype is not the first entry",
            Problem::MimetypeCompressed => "the mimetype entry is compressed",
            Problem::MimetypeExtraField => "the mimetype entry has an extra field",
            Problem::ManifestMissing => "no META-INF/manifest.xml",
            Problem::ManifestMalformed => "the manifest cannot be read",
            Problem::ManifestTooLarge => "the manifest has more entries than the container may",
            Problem::ManifestEntryIncomplete => "a manifest entry lacks its path or media type",
            Problem::ManifestDuplicate => "the manifest names a file twice",
            Problem::ManifestRootMissing => "the manifest has no root entry",
            Problem::ManifestRootMismatch => "the manifest's root media type is not the mimetype",
            Problem::ManifestNamesMissingFile => "the manifest names a file the container does not hold",
            Problem::DataFileNotInManifest => "a data file is not in the manifest",
            Problem::NoSignature => "no signature file",
            Problem::NoDataFile => "no data file",
            Problem::TooManyDataFiles => "an ASiC-S container holds more than one data file",
            Problem::NonStandardSignatureName => "the signature file does not have the standard name",
        }
    }
}

/// One thing found wrong with the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// What it is.
    pub problem: Problem,
    /// The file or path concerned, or for [`Problem::ManifestMalformed`] the reason, cut to 64
    /// characters.
    pub subject: Option<String>,
}

/// One `file-entry` of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// `manifest:full-path`.
    pub path: String,
    /// `manifest:media-type`.
    pub media_type: String,
}

/// What a signature file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureKind {
    /// XAdES signatures (`*signatures*.xml`).
    Xades,
    /// A CAdES signature (`*signature*.p7s`).
    Cades,
    /// An RFC 3161 time-stamp token (`*timestamp*.tst`).
    Timestamp,
}

/// A signature file of the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureFile<'a> {
    /// The entry name.
    pub name: String,
    /// What it holds.
    pub kind: SignatureKind,
    /// Its content.
    pub bytes: Cow<'a, [u8]>,
}

/// A data file of the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFile<'a> {
    /// The entry name.
    pub name: String,
    /// The media type the manifest gives it.
    pub media_type: Option<String>,
    /// Its content.
    pub bytes: Cow<'a, [u8]>,
}

/// A description of an ASiC container. A container with an [`Severity::Error`] finding is
/// malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container<'a> {
    /// The kind, from the mimetype.
    pub kind: ContainerKind,
    /// The mimetype's content, when it is UTF-8 and at most 256 bytes.
    pub mimetype: Option<String>,
    /// What is wrong, in the order found.
    pub findings: Vec<Finding>,
    /// The manifest's entries, when there is a readable manifest.
    pub manifest: Option<Vec<ManifestEntry>>,
    /// The signature files, in ZIP order.
    pub signatures: Vec<SignatureFile<'a>>,
    /// The data files, in ZIP order.
    pub data_files: Vec<DataFile<'a>>,
    /// The other files under `META-INF/` (ASiCManifest, evidence records, ...).
    pub other_meta_inf: Vec<String>,
    /// `META-INF/manifest.xml` and the other files under `META-INF/` that are not signature
    /// files, with their content (a signature's references may name them).
    pub meta_inf_files: Vec<DataFile<'a>>,
}

impl Container<'_> {
    /// Whether a finding is an error.
    pub fn is_malformed(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Why [`read_container`] could not describe the input.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AsicError {
    /// Not a ZIP file this crate reads, or an entry whose data is bad.
    #[error("container: {0}")]
    Zip(#[from] ZipError),
}

/// Reads `bytes` as an ASiC container (see the [module documentation](self)).
///
/// # Errors
/// The ZIP structure or an entry's data fails [`zip::read`] or
/// [`Entry::data`](super::zip::Entry::data).
pub fn read_container<'a>(bytes: &'a [u8], limits: &ZipLimits) -> Result<Container<'a>, AsicError> {
    let archive = zip::read(bytes, limits)?;
    let mut c = Container {
        kind: ContainerKind::Unknown,
        mimetype: None,
        findings: Vec::new(),
        manifest: None,
        signatures: Vec::new(),
        data_files: Vec::new(),
        other_meta_inf: Vec::new(),
        meta_inf_files: Vec::new(),
    };
    check_mimetype(&archive, limits, &mut c)?;
    let manifest_entry = sort_entries(&archive, limits, &mut c)?;
    match manifest_entry {
        Some(entry) => read_manifest(&entry.data(limits)?, limits, &mut c),
        None if c.kind != ContainerKind::AsicS => c.add(Severity::Error, Problem::ManifestMissing, None),
        None => {}
    }
    if let Some(manifest) = c.manifest.take() {
        check_manifest(&manifest, &archive, &mut c);
        c.manifest = Some(manifest);
    }
    check_kind_rules(&mut c);
    Ok(c)
}

impl Container<'_> {
    fn add(&mut self, severity: Severity, problem: Problem, subject: Option<&str>) {
        self.findings.push(Finding {
            severity,
            problem,
            subject: subject.map(short),
        });
    }
}

/// The `mimetype` entry: present, content, then its place and form.
fn check_mimetype(archive: &Archive<'_>, limits: &ZipLimits, c: &mut Container<'_>) -> Result<(), AsicError> {
    let Some((index, entry)) = archive.entries.iter().enumerate().find(|(_, e)| e.name == MIMETYPE) else {
        c.add(Severity::Error, Problem::MimetypeMissing, None);
        return Ok(());
    };
    let content = entry.data(limits)?;
    c.mimetype = std::str::from_utf8(&content)
        .ok()
        .filter(|s| s.len() <= MAX_MIMETYPE_LEN)
        .map(str::to_owned);
    c.kind = match c.mimetype.as_deref() {
        Some(MIMETYPE_ASIC_E) => ContainerKind::AsicE,
        Some(MIMETYPE_ASIC_S) => ContainerKind::AsicS,
        _ => ContainerKind::Unknown,
    };
    if c.kind == ContainerKind::Unknown {
        c.add(Severity::Error, Problem::MimetypeUnknown, c.mimetype.clone().as_deref());
    }
    if index != 0 {
        c.add(Severity::Warning, Problem::MimetypeNotFirst, None);
    }
    if entry.method != Method::Stored {
        c.add(Severity::Warning, Problem::MimetypeCompressed, None);
    }
    if !entry.local_extra.is_empty() {
        c.add(Severity::Warning, Problem::MimetypeExtraField, None);
    }
    Ok(())
}

/// Puts each entry in its place; returns the manifest entry.
fn sort_entries<'a, 'b>(
    archive: &'b Archive<'a>,
    limits: &ZipLimits,
    c: &mut Container<'a>,
) -> Result<Option<&'b Entry<'a>>, AsicError> {
    let mut manifest = None;
    for entry in &archive.entries {
        if entry.is_dir() || entry.name == MIMETYPE {
            continue;
        }
        if entry.name == MANIFEST {
            manifest = Some(entry);
            c.meta_inf_files.push(DataFile {
                name: entry.name.clone(),
                media_type: None,
                bytes: entry.data(limits)?,
            });
            continue;
        }
        let Some(rest) = entry.name.strip_prefix(META_INF) else {
            c.data_files.push(DataFile {
                name: entry.name.clone(),
                media_type: None,
                bytes: entry.data(limits)?,
            });
            continue;
        };
        match signature_kind(rest) {
            Some(kind) => c.signatures.push(SignatureFile {
                name: entry.name.clone(),
                kind,
                bytes: entry.data(limits)?,
            }),
            None => {
                c.other_meta_inf.push(entry.name.clone());
                c.meta_inf_files.push(DataFile {
                    name: entry.name.clone(),
                    media_type: None,
                    bytes: entry.data(limits)?,
                });
            }
        }
    }
    Ok(manifest)
}

/// The kind of a file directly in `META-INF/` by its name (EN 319 162-1 §4.4.2, §4.4.3).
fn signature_kind(rest: &str) -> Option<SignatureKind> {
    if rest.contains('/') {
        return None;
    }
    if rest.contains("signatures") && rest.ends_with(".xml") {
        Some(SignatureKind::Xades)
    } else if rest.contains("signature") && rest.ends_with(".p7s") {
        Some(SignatureKind::Cades)
    } else if rest.contains("timestamp") && rest.ends_with(".tst") {
        Some(SignatureKind::Timestamp)
    } else {
        None
    }
}

/// Parses the manifest into `c.manifest`, or adds the finding that says why not.
fn read_manifest(bytes: &[u8], limits: &ZipLimits, c: &mut Container<'_>) {
    match parse_manifest(bytes, limits.max_entries) {
        Ok(entries) => c.manifest = Some(entries),
        Err((problem, reason)) => c.add(Severity::Error, problem, reason.as_deref()),
    }
}

type ManifestFailure = (Problem, Option<String>);

/// The `file-entry` children of an OpenDocument `manifest` root element, at most
/// `max_entries + 1` of them (the root entry and one per ZIP entry).
fn parse_manifest(bytes: &[u8], max_entries: usize) -> Result<Vec<ManifestEntry>, ManifestFailure> {
    let malformed = |why: String| (Problem::ManifestMalformed, Some(why));
    let text = std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8".into()))?;
    let limits = XmlLimits::default();
    xml::check(text, &limits).map_err(|e| malformed(e.to_string()))?;
    let doc = roxmltree::Document::parse_with_options(text, xml::parsing_options(&limits))
        .map_err(|e| malformed(xml::describe_parse_error(&e)))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(MANIFEST_NS) || root.tag_name().name() != "manifest" {
        return Err(malformed("the root element is not manifest:manifest".into()));
    }
    let mut out = Vec::new();
    for node in root.children().filter(|n| is_manifest_element(n, "file-entry")) {
        if out.len() > max_entries {
            return Err((Problem::ManifestTooLarge, None));
        }
        let attr = |name| node.attribute((MANIFEST_NS, name)).map(str::to_owned);
        match (attr("full-path"), attr("media-type")) {
            (Some(path), Some(media_type)) => out.push(ManifestEntry { path, media_type }),
            (path, _) => return Err((Problem::ManifestEntryIncomplete, path)),
        }
    }
    Ok(out)
}

fn is_manifest_element(node: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MANIFEST_NS) && node.tag_name().name() == name
}

/// The manifest against the container: root entry, duplicates, files named but missing, data
/// files not named; gives the data files their media types.
fn check_manifest(manifest: &[ManifestEntry], archive: &Archive<'_>, c: &mut Container<'_>) {
    let names: HashSet<&str> = archive.entries.iter().map(|e| e.name.as_str()).collect();
    let mut seen = HashSet::with_capacity(manifest.len());
    let mut root = None;
    for m in manifest {
        if !seen.insert(m.path.as_str()) {
            c.add(Severity::Error, Problem::ManifestDuplicate, Some(&m.path));
        } else if m.path == "/" {
            root = Some(m.media_type.as_str());
        } else if !names.contains(m.path.as_str()) {
            c.add(Severity::Error, Problem::ManifestNamesMissingFile, Some(&m.path));
        }
    }
    match root {
        None => c.add(Severity::Warning, Problem::ManifestRootMissing, None),
        // Compared only with a known mimetype: an unknown one is an error of its own.
        Some(t) if c.kind != ContainerKind::Unknown && c.mimetype.as_deref() != Some(t) => {
            c.add(Severity::Error, Problem::ManifestRootMismatch, Some(t));
        }
        Some(_) => {}
    }
    assign_media_types(manifest, c);
}

fn assign_media_types(manifest: &[ManifestEntry], c: &mut Container<'_>) {
    let types: HashMap<&str, &str> = manifest
        .iter()
        .map(|m| (m.path.as_str(), m.media_type.as_str()))
        .collect();
    let mut unnamed = Vec::new();
    for file in &mut c.data_files {
        file.media_type = types.get(file.name.as_str()).map(|t| (*t).to_owned());
        if file.media_type.is_none() && c.kind != ContainerKind::AsicS {
            unnamed.push(file.name.clone());
        }
    }
    for name in unnamed {
        c.add(Severity::Error, Problem::DataFileNotInManifest, Some(&name));
    }
}

/// What each kind needs: a signature, data files (ASiC-S: exactly one, and the standard names).
fn check_kind_rules(c: &mut Container<'_>) {
    if c.signatures.is_empty() {
        c.add(Severity::Error, Problem::NoSignature, None);
    }
    if c.data_files.is_empty() {
        c.add(Severity::Error, Problem::NoDataFile, None);
    }
    if c.kind != ContainerKind::AsicS {
        return;
    }
    if c.data_files.len() > 1 {
        c.add(Severity::Error, Problem::TooManyDataFiles, None);
    }
    let odd: Vec<String> = c
        .signatures
        .iter()
        .filter(|s| !is_standard_asic_s_name(&s.name, s.kind))
        .map(|s| s.name.clone())
        .collect();
    for name in odd {
        c.add(Severity::Warning, Problem::NonStandardSignatureName, Some(&name));
    }
}

/// EN 319 162-1 §4.3.2: the names of the signature files of ASiC-S.
fn is_standard_asic_s_name(name: &str, kind: SignatureKind) -> bool {
    let expected = match kind {
        SignatureKind::Xades => "META-INF/signatures.xml",
        SignatureKind::Cades => "META-INF/signature.p7s",
        SignatureKind::Timestamp => "META-INF/timestamp.tst",
    };
    name == expected
}

/// `s` cut to 64 characters, control characters replaced by `?`.
fn short(s: &str) -> String {
    s.chars()
        .take(SUBJECT_CHARS)
        .map(|ch| if ch.is_control() { '?' } else { ch })
        .collect()
}

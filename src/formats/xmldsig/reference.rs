//! Reference processing (XML-DSig 1.1 section 4.4.3 and core validation 3.2.1): dereference
//! the URI, apply the transforms, digest the result.
//!
//! - Same-document URIs: `""` (the whole document without comments), `#id` (the one element
//!   with that Id: `Id`, `ID`, `id` without namespace, or `xml:id`), and the two simple
//!   XPointers `#xpointer(/)` and `#xpointer(id('x'))` (comments kept). Anything else after `#`
//!   is not supported.
//! - Other URIs are external: they are resolved only through what the caller gives
//!   ([`Given`]); nothing is ever fetched or read from a file system.
//! - Transforms: enveloped-signature, the six canonicalization methods and base64 decoding.
//!   XPath, XPath Filter 2.0 and XSLT (never executed) are not supported: a reference that
//!   uses one is not digested, so its signature cannot pass.
//! - A node-set left at the end is canonicalized with C14N 1.0 (without comments).
//!
//! The work is bounded by a [`Work`] allowance of canonicalized and decoded bytes shared by
//! every reference of a document.

use std::cell::Cell;

use roxmltree::{Document, Node, NodeId};

use super::{Algorithm, IdIndex, Reference, decode_base64};
use crate::crypto::{AlgError, HashAlg, SignatureScheme};
use crate::formats::xml::c14n::{self, Method, Subset};
use crate::formats::xml::{self, XmlLimits};

/// Transform URIs.
pub mod uri {
    /// Enveloped signature transform.
    pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    /// Base64 decoding.
    pub const BASE64: &str = "http://www.w3.org/2000/09/xmldsig#base64";
    /// XPath filtering (not supported).
    pub const XPATH: &str = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    /// XPath Filter 2.0 (not supported).
    pub const XPATH_FILTER2: &str = "http://www.w3.org/2002/06/xmldsig-filter2";
    /// XSLT (never executed).
    pub const XSLT: &str = "http://www.w3.org/TR/1999/REC-xslt-19991116";
    /// Canonical XML 1.0 without comments, the default conversion of a node-set to octets.
    pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
}

/// The data a signature's external references (URIs that are not same-document) may name,
/// as the caller gives it (the adapter's `External`, in terms of this module).
#[derive(Clone, Copy, Debug)]
pub enum Given<'a> {
    /// Nothing given: an external reference is not found.
    None,
    /// Named files (a container's entries, or the caller's detached files): a reference's URI,
    /// percent-decoded, must equal a name. URIs with `..` segments, absolute paths or a
    /// scheme are never resolved.
    Named(&'a [(String, &'a [u8])]),
    /// The bytes of the single detached content of a signature with exactly one external
    /// reference.
    Data(&'a [u8]),
    /// Only the digest of that content: it must be under the reference's DigestMethod, and
    /// the reference must have no transforms.
    Digest(HashAlg, &'a [u8]),
    /// The content as its digests under several algorithms (a stream digested by the caller);
    /// the reference must have no transforms.
    Digests(&'a [(HashAlg, Vec<u8>)]),
}

/// What a reference points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The whole document (`""`, `#xpointer(/)`).
    Document,
    /// An element of the document.
    Element(NodeId),
    /// External data, by name (the decoded URI).
    External(String),
    /// The single detached content given for the signature.
    DetachedContent,
    /// Not resolved.
    Unresolved,
}

/// The result of processing one reference.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// What the reference points at.
    pub target: Target,
    /// The digest of the transformed data under the reference's DigestMethod, with how the
    /// data was obtained; or why it could not be computed.
    pub actual: Result<(Vec<u8>, String), String>,
}

/// An allowance of bytes that canonicalization and decoding may produce, shared by the
/// references of a document.
#[derive(Debug)]
pub struct Work(Cell<usize>);

impl Work {
    /// An allowance of `bytes`.
    pub fn new(bytes: usize) -> Work {
        Work(Cell::new(bytes))
    }

    fn take(&self, n: usize) -> Result<(), String> {
        let left = self.0.get();
        if left == 0 {
            return Err("the work allowance for canonicalization ran out".into());
        }
        self.0.set(left.saturating_sub(n));
        Ok(())
    }
}

/// What one reference is processed with.
pub struct Env<'s, 'a, 'i> {
    /// The document.
    pub doc: &'a Document<'i>,
    /// Its Ids.
    pub ids: &'s IdIndex,
    /// The `ds:Signature` element the references belong to (enveloped-signature removes it).
    pub signature: Node<'a, 'i>,
    /// What external references may name.
    pub external: Given<'s>,
    /// Whether the signature has exactly one external reference (a single given content is
    /// only assigned then).
    pub single_external: bool,
    /// The allowance.
    pub work: &'s Work,
}

/// The data between transforms.
enum Data<'a, 'i> {
    Nodes {
        apex: Node<'a, 'i>,
        excluded: Vec<NodeId>,
        comments: bool,
    },
    Octets(Vec<u8>),
}

/// Whether `uri` is a same-document reference.
pub fn is_same_document(uri: Option<&str>) -> bool {
    uri.is_some_and(|u| u.is_empty() || u.starts_with('#'))
}

/// Dereferences, transforms and digests `r`.
pub fn process(env: &Env<'_, '_, '_>, r: &Reference) -> Outcome {
    let alg = match digest_algorithm(&r.digest_method) {
        Ok(a) => a,
        Err(e) => {
            return Outcome {
                target: Target::Unresolved,
                actual: Err(format!("digest method: {e}")),
            };
        }
    };
    if !is_same_document(r.uri.as_deref()) {
        return external(env, r, alg);
    }
    let uri = r.uri.as_deref().unwrap_or_default();
    let (target, data) = match same_document(env, uri) {
        Ok(x) => x,
        Err(e) => {
            return Outcome {
                target: Target::Unresolved,
                actual: Err(e),
            };
        }
    };
    let actual = transform_all(env, data, &r.transforms).map(|octets| {
        (
            alg.digest(&octets),
            format!("reference '{uri}' resolved in the document"),
        )
    });
    Outcome { target, actual }
}

/// The octets `r`'s processing digests: its data dereferenced and transformed (a node-set
/// ending the transforms is turned into octets with C14N 1.0), as [`process`] computes them.
///
/// # Errors
/// Why they cannot be computed: the data is not found, or given only as its digest, or a
/// transform is not supported.
pub fn octets(env: &Env<'_, '_, '_>, r: &Reference) -> Result<Vec<u8>, String> {
    let uri = r.uri.as_deref();
    let shown = uri.map_or_else(|| "(no URI)".to_string(), |u| short(u).to_string());
    if is_same_document(uri) {
        let (_, data) = same_document(env, uri.unwrap_or_default())?;
        return transform_all(env, data, &r.transforms);
    }
    let data = match env.external {
        Given::Named(files) => {
            let name = uri
                .and_then(file_name)
                .ok_or_else(|| format!("reference '{shown}' is not a relative file name"))?;
            files
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, d)| *d)
                .ok_or_else(|| format!("no file named '{}' was given", short(&name)))?
        }
        Given::Data(d) if env.single_external => d,
        _ => return Err(format!("the data of reference '{shown}' is not available")),
    };
    transform_all(env, Data::Octets(data.to_vec()), &r.transforms)
}

fn same_document<'a, 'i>(env: &Env<'_, 'a, 'i>, uri: &str) -> Result<(Target, Data<'a, 'i>), String> {
    let nodes = |apex: Node<'a, 'i>, comments| Data::Nodes {
        apex,
        excluded: Vec::new(),
        comments,
    };
    if uri.is_empty() {
        return Ok((Target::Document, nodes(env.doc.root(), false)));
    }
    let frag = uri.strip_prefix('#').unwrap_or(uri);
    if frag == "xpointer(/)" {
        return Ok((Target::Document, nodes(env.doc.root(), true)));
    }
    let (id, comments) = match xpointer_id(frag) {
        Some(id) => (id, true),
        None if frag.contains('(') => return Err(format!("the XPointer '{}' is not supported", short(frag))),
        None => (frag, false),
    };
    if env.ids.duplicates.iter().any(|d| d == id) {
        return Err(format!("the Id '{}' is carried by more than one element", short(id)));
    }
    let node = env
        .ids
        .get(id)
        .and_then(|n| env.doc.get_node(n))
        .ok_or_else(|| format!("no element with the Id '{}'", short(id)))?;
    Ok((Target::Element(node.id()), nodes(node, comments)))
}

/// `xpointer(id('x'))` or `xpointer(id("x"))`.
fn xpointer_id(frag: &str) -> Option<&str> {
    let inner = frag.strip_prefix("xpointer(id(")?.strip_suffix("))")?;
    let q = inner.chars().next()?;
    if q != '\'' && q != '"' {
        return None;
    }
    let id = inner.strip_prefix(q)?.strip_suffix(q)?;
    (!id.contains(['\'', '"'])).then_some(id)
}

fn external(env: &Env<'_, '_, '_>, r: &Reference, alg: HashAlg) -> Outcome {
    let unresolved = |why: String| Outcome {
        target: Target::Unresolved,
        actual: Err(why),
    };
    let shown = r
        .uri
        .as_deref()
        .map_or_else(|| "(no URI)".to_string(), |u| short(u).to_string());
    match env.external {
        Given::None => unresolved(format!("reference '{shown}' names detached data, which was not given")),
        Given::Named(files) => {
            let Some(name) = r.uri.as_deref().and_then(file_name) else {
                return unresolved(format!("reference '{shown}' is not a relative file name"));
            };
            let Some((_, data)) = files.iter().find(|(n, _)| *n == name) else {
                return unresolved(format!("no file named '{}' was given", short(&name)));
            };
            let actual = transform_all(env, Data::Octets(data.to_vec()), &r.transforms)
                .map(|o| (alg.digest(&o), format!("file '{}' available", short(&name))));
            Outcome {
                target: Target::External(name),
                actual,
            }
        }
        _ if !env.single_external => unresolved(format!(
            "reference '{shown}': the signature has several detached references, the single given \
             content cannot be assigned to one"
        )),
        given => Outcome {
            target: Target::DetachedContent,
            actual: detached_content(env, r, alg, given, &shown),
        },
    }
}

fn detached_content(
    env: &Env<'_, '_, '_>,
    r: &Reference,
    alg: HashAlg,
    content: Given<'_>,
    shown: &str,
) -> Result<(Vec<u8>, String), String> {
    let digest_only = |value: Option<&[u8]>, given: HashAlg| {
        if !r.transforms.is_empty() {
            return Err(format!(
                "reference '{shown}' has transforms, which cannot be applied to a given digest"
            ));
        }
        match value {
            Some(v) if given == alg => Ok((
                v.to_vec(),
                format!("content of reference '{shown}' given as its digest"),
            )),
            _ => Err(format!(
                "the given hash is {} but reference '{shown}' uses {}",
                given.name(),
                alg.name()
            )),
        }
    };
    match content {
        Given::Data(d) => transform_all(env, Data::Octets(d.to_vec()), &r.transforms).map(|o| {
            (
                alg.digest(&o),
                format!("detached content of reference '{shown}' available"),
            )
        }),
        Given::Digest(given, value) => digest_only(Some(value), given),
        Given::Digests(ds) => match ds.iter().find(|(a, _)| *a == alg) {
            Some((_, v)) => digest_only(Some(v), alg),
            None => Err(format!(
                "the content was given without its {} digest, which reference '{shown}' needs",
                alg.name()
            )),
        },
        Given::None | Given::Named(_) => Err(format!("reference '{shown}' names detached data, which was not given")),
    }
}

/// A URI as a relative file name: percent-decoded; no scheme, query, fragment, absolute path,
/// backslash or `..` segment.
pub fn file_name(uri: &str) -> Option<String> {
    if uri.is_empty() || uri.contains([':', '?', '#', '\\']) || uri.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(uri)?;
    let bad_segment = decoded.split('/').any(|s| s == ".." || s == "." || s.is_empty());
    if bad_segment || decoded.contains(['\\', '\0']) {
        return None;
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Applies `transforms` in order, then turns a node-set into octets with C14N 1.0.
fn transform_all<'a, 'i>(
    env: &Env<'_, 'a, 'i>,
    mut data: Data<'a, 'i>,
    transforms: &[Algorithm],
) -> Result<Vec<u8>, String> {
    for t in transforms {
        data = transform(env, data, t)?;
    }
    match data {
        Data::Octets(o) => Ok(o),
        nodes => to_octets(env, &nodes, &default_method()),
    }
}

fn transform<'a, 'i>(env: &Env<'_, 'a, 'i>, data: Data<'a, 'i>, t: &Algorithm) -> Result<Data<'a, 'i>, String> {
    match t.uri.as_str() {
        uri::ENVELOPED => match data {
            Data::Nodes {
                apex,
                mut excluded,
                comments,
            } => {
                excluded.push(env.signature.id());
                Ok(Data::Nodes {
                    apex,
                    excluded,
                    comments,
                })
            }
            Data::Octets(_) => Err("the enveloped-signature transform over octets is not supported".into()),
        },
        uri::BASE64 => base64_transform(env, &data).map(Data::Octets),
        uri::XPATH | uri::XPATH_FILTER2 => Err("XPath transforms are not supported".into()),
        uri::XSLT => Err("XSLT transforms are never executed".into()),
        other => match Method::from_uri(other) {
            Some(mut m) if !t.has_parameters => {
                m.inclusive_prefixes.clone_from(&t.inclusive_prefixes);
                canonicalize_data(env, data, &m).map(Data::Octets)
            }
            _ => Err(format!("the transform '{}' is not supported", short(other))),
        },
    }
}

fn default_method() -> Method {
    Method {
        algorithm: c14n::Algorithm::C14n10,
        with_comments: false,
        inclusive_prefixes: Vec::new(),
    }
}

/// Canonicalizes a node-set, or octets parsed as an XML document.
fn canonicalize_data(env: &Env<'_, '_, '_>, data: Data<'_, '_>, m: &Method) -> Result<Vec<u8>, String> {
    match data {
        nodes @ Data::Nodes { .. } => to_octets(env, &nodes, m),
        Data::Octets(o) => {
            env.work.take(o.len())?;
            let text = std::str::from_utf8(&o).map_err(|_| "data to canonicalize is not UTF-8".to_string())?;
            let doc = xml::parse(text, &XmlLimits::signature_document())
                .map_err(|e| format!("data to canonicalize is not XML: {e}"))?;
            let subset = Subset {
                apex: doc.root(),
                excluded: Vec::new(),
            };
            run_c14n(env, &subset, m)
        }
    }
}

fn to_octets(env: &Env<'_, '_, '_>, data: &Data<'_, '_>, m: &Method) -> Result<Vec<u8>, String> {
    let Data::Nodes {
        apex,
        excluded,
        comments,
    } = data
    else {
        return Err("internal: octets where a node-set was expected".into());
    };
    let mut m = m.clone();
    // A bare-name or empty URI removes comments (XML-DSig 4.4.3.3).
    m.with_comments &= *comments;
    let subset = Subset {
        apex: *apex,
        excluded: excluded.clone(),
    };
    run_c14n(env, &subset, &m)
}

fn run_c14n(env: &Env<'_, '_, '_>, subset: &Subset<'_, '_>, m: &Method) -> Result<Vec<u8>, String> {
    env.work.take(0)?;
    let mut out = Vec::new();
    c14n::canonicalize(subset, m, &mut out).map_err(|e| format!("canonicalization: {e}"))?;
    env.work.take(out.len())?;
    Ok(out)
}

/// Base64 decoding of octets, or of the text of a node-set.
fn base64_transform(env: &Env<'_, '_, '_>, data: &Data<'_, '_>) -> Result<Vec<u8>, String> {
    let text = match data {
        Data::Octets(o) => std::str::from_utf8(o)
            .map_err(|_| "base64 transform input is not text".to_string())?
            .to_string(),
        Data::Nodes { apex, excluded, .. } => node_set_text(*apex, excluded),
    };
    env.work.take(text.len())?;
    decode_base64(&text).ok_or_else(|| "base64 transform input is not base64".to_string())
}

/// The text nodes under `apex` outside the excluded subtrees, concatenated.
fn node_set_text(apex: Node<'_, '_>, excluded: &[NodeId]) -> String {
    apex.descendants()
        .filter(Node::is_text)
        .filter(|t| !t.ancestors().any(|a| excluded.contains(&a.id())))
        .filter_map(|t| t.text())
        .collect()
}

/// The canonical form of one element (SignedInfo, SignatureValue) under `alg`.
///
/// # Errors
/// The method is not a canonicalization method, or canonicalization fails.
pub fn canonicalize_element(element: Node<'_, '_>, alg: &Algorithm) -> Result<Vec<u8>, String> {
    let mut m = match Method::from_uri(&alg.uri) {
        Some(m) if !alg.has_parameters => m,
        _ => {
            return Err(format!(
                "canonicalization method '{}' is not supported",
                short(&alg.uri)
            ));
        }
    };
    m.inclusive_prefixes.clone_from(&alg.inclusive_prefixes);
    let subset = Subset {
        apex: element,
        excluded: Vec::new(),
    };
    let mut out = Vec::new();
    c14n::canonicalize(&subset, &m, &mut out).map_err(|e| format!("canonicalization: {e}"))?;
    Ok(out)
}

/// A DigestMethod URI.
///
/// # Errors
/// [`AlgError::Unsupported`] for any other.
pub fn digest_algorithm(uri: &str) -> Result<HashAlg, AlgError> {
    Ok(match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlg::Sha1,
        "http://www.w3.org/2001/04/xmldsig-more#sha224" => HashAlg::Sha224,
        "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlg::Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" | "http://www.w3.org/2001/04/xmlenc#sha384" => HashAlg::Sha384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlg::Sha512,
        "http://www.w3.org/2007/05/xmldsig-more#sha3-256" => HashAlg::Sha3_256,
        "http://www.w3.org/2007/05/xmldsig-more#sha3-384" => HashAlg::Sha3_384,
        "http://www.w3.org/2007/05/xmldsig-more#sha3-512" => HashAlg::Sha3_512,
        other => return Err(AlgError::Unsupported(format!("digest method {}", short(other)))),
    })
}

/// A SignatureMethod URI (RFC 6931 names for RSA PKCS#1 v1.5, RSASSA-PSS with MGF1 and salt
/// equal to the hash length, ECDSA with the value as `r || s`).
///
/// # Errors
/// [`AlgError::Unsupported`] for HMAC, DSA and any other.
pub fn signature_scheme(alg: &Algorithm) -> Result<SignatureScheme, AlgError> {
    const MORE: &str = "http://www.w3.org/2001/04/xmldsig-more#";
    const MORE07: &str = "http://www.w3.org/2007/05/xmldsig-more#";
    let unsupported = || AlgError::Unsupported(format!("signature method {}", short(&alg.uri)));
    if is_hmac(&alg.uri) {
        return Err(AlgError::Unsupported(format!(
            "signature method {} (HMAC: a shared secret, not a signature)",
            short(&alg.uri)
        )));
    }
    if alg.has_parameters {
        return Err(unsupported());
    }
    let hash = |name: &str| HashAlg::from_name(name).ok_or_else(unsupported);
    let u = alg.uri.as_str();
    if u == "http://www.w3.org/2000/09/xmldsig#rsa-sha1" {
        return Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha1));
    }
    if let Some(h) = u.strip_prefix(MORE).and_then(|r| r.strip_prefix("rsa-")) {
        return Ok(SignatureScheme::RsaPkcs1(hash(h)?));
    }
    if let Some(h) = u.strip_prefix(MORE).and_then(|r| r.strip_prefix("ecdsa-")) {
        return Ok(SignatureScheme::Ecdsa(hash(h)?));
    }
    if let Some(h) = u.strip_prefix(MORE07).and_then(|r| r.strip_suffix("-rsa-MGF1")) {
        let h = hash(h)?;
        return Ok(SignatureScheme::RsaPss {
            hash: h,
            mgf_hash: h,
            salt_len: h.output_len(),
        });
    }
    Err(unsupported())
}

/// Whether a SignatureMethod URI names an HMAC.
pub fn is_hmac(uri: &str) -> bool {
    uri.to_ascii_lowercase().contains("hmac")
}

/// At most 100 characters of an attacker-chosen string, for messages.
pub fn short(s: &str) -> &str {
    match s.char_indices().nth(100) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(text: &str, uri: &str, transforms: &[&str]) -> Outcome {
        let doc = Document::parse(text).unwrap();
        let ids = IdIndex::new(&doc);
        let work = Work::new(1 << 20);
        let env = Env {
            doc: &doc,
            ids: &ids,
            signature: doc.root_element(),
            external: Given::None,
            single_external: false,
            work: &work,
        };
        let r = Reference {
            id: None,
            uri: Some(uri.to_string()),
            type_: None,
            transforms: transforms
                .iter()
                .map(|t| Algorithm {
                    uri: (*t).to_string(),
                    inclusive_prefixes: Vec::new(),
                    has_parameters: false,
                })
                .collect(),
            digest_method: "http://www.w3.org/2001/04/xmlenc#sha256".into(),
            digest_value: Vec::new(),
        };
        process(&env, &r)
    }

    const DOC: &str = "<r><!--c--><a Id=\"x\">t<!--d--></a><b xml:id=\"y\">u</b></r>";

    fn sha256(b: &[u8]) -> Vec<u8> {
        HashAlg::Sha256.digest(b)
    }

    #[test]
    fn empty_uri_drops_comments_xpointer_keeps_them() {
        let plain = outcome(DOC, "", &[]).actual.unwrap().0;
        assert_eq!(plain, sha256(b"<r><a Id=\"x\">t</a><b xml:id=\"y\">u</b></r>"));
        let with = outcome(
            DOC,
            "#xpointer(/)",
            &["http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"],
        );
        assert_eq!(
            with.actual.unwrap().0,
            sha256(b"<r><!--c--><a Id=\"x\">t<!--d--></a><b xml:id=\"y\">u</b></r>")
        );
    }

    #[test]
    fn ids_and_xpointer_ids_resolve() {
        let by_id = outcome(DOC, "#x", &[]);
        assert_eq!(by_id.actual.unwrap().0, sha256(b"<a Id=\"x\">t</a>"));
        let xml_id = outcome(DOC, "#y", &[]);
        assert!(matches!(xml_id.target, Target::Element(_)));
        let xp = outcome(DOC, "#xpointer(id('x'))", &[]);
        assert!(matches!(xp.target, Target::Element(_)));
        assert!(outcome(DOC, "#nope", &[]).actual.is_err());
        assert!(outcome(DOC, "#xpointer(//a)", &[]).actual.is_err());
    }

    #[test]
    fn duplicate_ids_do_not_resolve() {
        let o = outcome("<r><a Id=\"x\"/><b ID=\"x\"/></r>", "#x", &[]);
        assert!(o.actual.unwrap_err().contains("more than one element"));
        // Id and id with the same value on one element are one element.
        assert!(outcome("<r><a Id=\"x\" id=\"x\"/></r>", "#x", &[]).actual.is_ok());
    }

    #[test]
    fn unsupported_transforms_are_not_run() {
        for t in [uri::XPATH, uri::XPATH_FILTER2, uri::XSLT, "urn:unknown"] {
            assert!(outcome(DOC, "", &[t]).actual.is_err(), "{t}");
        }
        assert!(outcome(DOC, "", &[uri::ENVELOPED]).actual.is_ok());
    }

    #[test]
    fn enveloped_signature_excludes_the_signature() {
        let doc = "<r><p>1</p><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><x/></ds:Signature></r>";
        let parsed = Document::parse(doc).unwrap();
        let ids = IdIndex::new(&parsed);
        let work = Work::new(1 << 20);
        let sig = parsed
            .descendants()
            .find(|n| n.tag_name().name() == "Signature")
            .unwrap();
        let env = Env {
            doc: &parsed,
            ids: &ids,
            signature: sig,
            external: Given::None,
            single_external: false,
            work: &work,
        };
        let data = same_document(&env, "").unwrap().1;
        let t = Algorithm {
            uri: uri::ENVELOPED.into(),
            inclusive_prefixes: Vec::new(),
            has_parameters: false,
        };
        let out = transform_all(&env, data, &[t]).unwrap();
        assert_eq!(out, b"<r><p>1</p></r>");
    }

    #[test]
    fn base64_transform_decodes_text() {
        let o = outcome("<r><a Id=\"x\">aGVs\nbG8=</a></r>", "#x", &[uri::BASE64]);
        assert_eq!(o.actual.unwrap().0, sha256(b"hello"));
    }

    #[test]
    fn file_names_are_relative_and_plain() {
        assert_eq!(file_name("hello.txt").as_deref(), Some("hello.txt"));
        assert_eq!(file_name("dir/a%20b.txt").as_deref(), Some("dir/a b.txt"));
        for bad in [
            "../x",
            "a/../x",
            "/etc/passwd",
            "http://x/y",
            "file:a",
            "a\\b",
            "%2e%2e/x",
            "a//b",
            "",
            "%zz",
        ] {
            assert_eq!(file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn algorithm_uris() {
        let alg = |u: &str| Algorithm {
            uri: u.into(),
            inclusive_prefixes: Vec::new(),
            has_parameters: false,
        };
        let s = |u: &str| signature_scheme(&alg(u));
        assert_eq!(
            s("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
            Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha256))
        );
        assert_eq!(
            s("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"),
            Ok(SignatureScheme::Ecdsa(HashAlg::Sha384))
        );
        assert_eq!(
            s("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"),
            Ok(SignatureScheme::RsaPss {
                hash: HashAlg::Sha256,
                mgf_hash: HashAlg::Sha256,
                salt_len: 32
            })
        );
        assert_eq!(
            s("http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
            Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha1))
        );
        for bad in [
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        ] {
            assert!(s(bad).is_err(), "{bad}");
        }
        assert_eq!(
            digest_algorithm("http://www.w3.org/2007/05/xmldsig-more#sha3-256"),
            Ok(HashAlg::Sha3_256)
        );
        assert!(digest_algorithm("http://www.w3.org/2001/04/xmldsig-more#md5").is_err());
    }

    #[test]
    fn given_digests_need_the_reference_algorithm_and_no_transforms() {
        let doc = Document::parse("<r/>").unwrap();
        let ids = IdIndex::new(&doc);
        let work = Work::new(1 << 20);
        let h = sha256(b"data");
        let mut env = Env {
            doc: &doc,
            ids: &ids,
            signature: doc.root_element(),
            external: Given::Digest(HashAlg::Sha256, &h),
            single_external: true,
            work: &work,
        };
        let mut r = Reference {
            id: None,
            uri: Some("data.txt".into()),
            type_: None,
            transforms: Vec::new(),
            digest_method: "http://www.w3.org/2001/04/xmlenc#sha256".into(),
            digest_value: Vec::new(),
        };
        assert_eq!(process(&env, &r).actual.unwrap().0, h);
        r.digest_method = "http://www.w3.org/2001/04/xmlenc#sha512".into();
        assert!(process(&env, &r).actual.is_err());
        r.digest_method = "http://www.w3.org/2001/04/xmlenc#sha256".into();
        r.transforms.push(Algorithm {
            uri: uri::C14N10.into(),
            inclusive_prefixes: Vec::new(),
            has_parameters: false,
        });
        assert!(process(&env, &r).actual.is_err());
        r.transforms.clear();
        env.single_external = false;
        assert!(process(&env, &r).actual.is_err());
    }
}

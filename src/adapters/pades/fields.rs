//! Signature discovery: the signature fields of every revision, found by walking that
//! revision's AcroForm (ISO 32000-2 12.7.3, 12.8.1), never by scanning bytes.
//!
//! A signature is one version of a signature dictionary: its object number and the revision
//! that wrote it. A dictionary that a later revision rewrites is a second signature (the
//! universal signature forgery attacks rewrite it), unless the rewrite is identical.

use std::collections::HashSet;

use crate::formats::pdf::{Dict, ObjRef, Object, Pdf, PdfError};

/// Most fields walked in one revision's AcroForm.
const MAX_FIELDS: usize = 10_000;
/// Most fields walked over all revisions (a file of many revisions each listing many fields
/// would otherwise cost revisions x fields object reads).
const MAX_FIELD_VISITS: usize = 100_000;
/// Deepest field hierarchy.
const MAX_FIELD_DEPTH: usize = 32;

/// A signature field with a value, as first seen.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The fully qualified field name.
    pub field_name: Option<String>,
    /// The signature dictionary's object number.
    pub sig: u32,
    /// The revision that wrote the signature dictionary (index, 0 first).
    pub defined_in: usize,
    /// The field's `/Lock` dictionary, if any.
    pub lock: Option<Dict>,
}

/// Every signature of the file, oldest first, and the revisions whose AcroForm could not be
/// read (with why).
pub fn discover(pdf: &Pdf<'_>) -> (Vec<Found>, Vec<(usize, String)>) {
    let mut found: Vec<Found> = Vec::new();
    let mut problems = Vec::new();
    let mut visits = 0usize;
    for rev in 0..pdf.revisions.len() {
        if visits > MAX_FIELD_VISITS {
            problems.push((
                rev,
                format!("more than {MAX_FIELD_VISITS} fields walked over all revisions"),
            ));
            break;
        }
        match signature_fields(pdf, rev, &mut visits) {
            Ok(fields) => {
                for f in fields {
                    if !found.iter().any(|g| same_signature(pdf, g, &f)) {
                        found.push(f);
                    }
                }
            }
            Err(e) => problems.push((rev, e)),
        }
    }
    found.sort_by_key(|f| f.defined_in);
    (found, problems)
}

/// Two sightings of one signature: the same dictionary version, or an identical rewrite.
fn same_signature(pdf: &Pdf<'_>, a: &Found, b: &Found) -> bool {
    if a.sig != b.sig {
        return false;
    }
    if a.defined_in == b.defined_in {
        return true;
    }
    let read = |f: &Found| pdf.object(f.defined_in, f.sig).ok().map(|o| o.object);
    matches!((read(a), read(b)), (Some(x), Some(y)) if x == y)
}

/// One node of the field tree still to visit.
struct Node {
    object: Object,
    parent_name: Option<String>,
    inherited_ft: Option<Vec<u8>>,
    depth: usize,
}

/// The signature fields with a value in revision `rev`'s AcroForm, in field order.
fn signature_fields(pdf: &Pdf<'_>, rev: usize, visits: &mut usize) -> Result<Vec<Found>, String> {
    let err = |e: PdfError| e.to_string();
    let trailer = &pdf.revisions.get(rev).ok_or("no such revision")?.trailer;
    let root = trailer.get(b"Root".as_slice()).ok_or("the trailer has no /Root")?;
    let catalog = pdf.resolve(root, rev).map_err(err)?;
    let catalog = catalog.as_dict().ok_or("/Root is not a dictionary")?;
    let Some(acroform) = catalog.get(b"AcroForm".as_slice()) else {
        return Ok(Vec::new());
    };
    let acroform = pdf.resolve(acroform, rev).map_err(err)?;
    let Some(fields) = acroform.as_dict().and_then(|d| d.get(b"Fields".as_slice())) else {
        return Ok(Vec::new());
    };
    let fields = pdf.resolve(fields, rev).map_err(err)?;
    let fields = fields.as_array().ok_or("/Fields is not an array")?;
    let mut stack: Vec<Node> = fields
        .iter()
        .rev()
        .map(|o| Node {
            object: o.clone(),
            parent_name: None,
            inherited_ft: None,
            depth: 0,
        })
        .collect();
    walk(pdf, rev, &mut stack, visits)
}

fn walk(pdf: &Pdf<'_>, rev: usize, stack: &mut Vec<Node>, visits: &mut usize) -> Result<Vec<Found>, String> {
    let mut out = Vec::new();
    let mut seen: HashSet<ObjRef> = HashSet::new();
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        *visits += 1;
        if visited > MAX_FIELDS || node.depth > MAX_FIELD_DEPTH {
            return Err(format!(
                "more than {MAX_FIELDS} fields or deeper than {MAX_FIELD_DEPTH}"
            ));
        }
        if let Object::Ref(r) = node.object {
            if !seen.insert(r) {
                return Err(format!("field object {} is reached twice", r.num));
            }
        }
        let object = pdf.resolve(&node.object, rev).map_err(|e| e.to_string())?;
        let Some(dict) = object.as_dict() else {
            return Err("a field is not a dictionary".into());
        };
        let name = match (node.parent_name, dict.get(b"T".as_slice())) {
            (Some(p), Some(Object::String(t))) => Some(format!("{p}.{}", text_string(t))),
            (None, Some(Object::String(t))) => Some(text_string(t)),
            (p, _) => p,
        };
        let ft = dict
            .get(b"FT".as_slice())
            .and_then(Object::as_name)
            .map(<[u8]>::to_vec)
            .or(node.inherited_ft);
        if let Some(kids) = dict.get(b"Kids".as_slice()) {
            let kids = pdf.resolve(kids, rev).map_err(|e| e.to_string())?;
            for kid in kids.as_array().ok_or("/Kids is not an array")?.iter().rev() {
                stack.push(Node {
                    object: kid.clone(),
                    parent_name: name.clone(),
                    inherited_ft: ft.clone(),
                    depth: node.depth + 1,
                });
            }
        }
        if ft.as_deref() == Some(b"Sig".as_slice()) {
            if let Some(found) = signature_value(pdf, rev, dict, name)? {
                out.push(found);
            }
        }
    }
    Ok(out)
}

/// The field's `/V`, when it names a signature dictionary.
fn signature_value(pdf: &Pdf<'_>, rev: usize, field: &Dict, name: Option<String>) -> Result<Option<Found>, String> {
    match field.get(b"V".as_slice()) {
        None | Some(Object::Null) => Ok(None),
        Some(Object::Ref(r)) => {
            let defined_in = (0..=rev)
                .rev()
                .find(|&i| pdf.revisions.get(i).is_some_and(|x| x.objects.contains_key(&r.num)))
                .ok_or_else(|| format!("signature dictionary {} is not in the file", r.num))?;
            let lock = match field.get(b"Lock".as_slice()) {
                Some(l) => pdf.resolve(l, rev).ok().and_then(|o| o.as_dict().cloned()),
                None => None,
            };
            Ok(Some(Found {
                field_name: name,
                sig: r.num,
                defined_in,
                lock,
            }))
        }
        Some(_) => Err(format!(
            "signature field {} has a value that is not an indirect signature dictionary",
            name.as_deref().unwrap_or("(unnamed)")
        )),
    }
}

/// A PDF text string (ISO 32000-2 7.9.2.2): UTF-16BE with a byte order mark, UTF-8 with one,
/// else PDFDocEncoding (read here as Latin-1, which it equals for the printable range).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff".as_slice()) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf".as_slice()) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

//! `/ByteRange` (ISO 32000-2 12.8.1): what a PDF signature covers, and whether that is a whole
//! revision.
//!
//! The range must be four non-negative integers `[0 b c d]`, the gap `b..c` exactly the
//! signature dictionary's `/Contents` hex string, `c + d` inside the file and equal to the end
//! of the revision that wrote the signature dictionary (its `%%EOF`, with or without the
//! end-of-line marker after it). Then every byte of that revision but the signature value is
//! signed, and so is every earlier revision. Anything else is a FORMAT_FAILURE: the
//! universal-signature-forgery, wrapping and not-to-the-end attacks all break one of these.

use crate::crypto::HashAlg;
use crate::formats::pdf::{Dict, IndirectObject, Object, Pdf};

/// What [`check`] found.
#[derive(Clone, Debug, Default)]
pub struct RangeCheck {
    /// The integers of `/ByteRange`, as given.
    pub raw: Vec<i64>,
    /// The two signed parts (start, length), when both lie inside the file.
    pub parts: Option<[(usize, usize); 2]>,
    /// The revision (index) whose end the range reaches, when it reaches one.
    pub revision: Option<usize>,
    /// Every rule the range breaks; empty when it covers its whole revision.
    pub problems: Vec<String>,
}

impl RangeCheck {
    /// Every byte of the revision but `/Contents` is covered.
    pub fn whole_revision(&self) -> bool {
        self.problems.is_empty() && self.revision.is_some()
    }

    /// The digest under `alg` of the signed parts, when they lie inside the file.
    pub fn digest(&self, bytes: &[u8], alg: HashAlg) -> Option<Vec<u8>> {
        let parts = self.parts?;
        let mut h = alg.hasher();
        for (start, len) in parts {
            h.update(bytes.get(start..start.checked_add(len)?)?);
        }
        Some(h.finish())
    }
}

/// Checks `dict`'s `/ByteRange` against `sig` (the signature dictionary as read from the
/// revision `defined_in` that wrote it) and the file.
pub fn check(pdf: &Pdf<'_>, sig: &IndirectObject, dict: &Dict, defined_in: usize) -> RangeCheck {
    let mut out = RangeCheck::default();
    let Some(raw) = integers(dict.get(b"ByteRange".as_slice())) else {
        out.problems
            .push("/ByteRange is missing or not an array of integers".into());
        return out;
    };
    out.raw.clone_from(&raw);
    let [a, b, c, d] = match <[i64; 4]>::try_from(raw) {
        Ok(v) if v.iter().all(|&x| x >= 0) => v.map(|x| usize::try_from(x).unwrap_or(usize::MAX)),
        _ => {
            out.problems.push("/ByteRange is not four non-negative integers".into());
            return out;
        }
    };
    let len = pdf.bytes.len();
    let inside = |s: usize, l: usize| s.checked_add(l).is_some_and(|e| e <= len);
    if inside(a, b) && inside(c, d) {
        out.parts = Some([(a, b), (c, d)]);
    } else {
        out.problems
            .push(format!("/ByteRange reaches past the end of the file ({len} bytes)"));
        return out;
    }
    if a != 0 {
        out.problems.push(format!("/ByteRange starts at byte {a}, not at 0"));
    }
    if a + b > c {
        out.problems.push("the two parts of /ByteRange overlap".into());
    } else if let Err(why) = gap_is_contents(pdf.bytes, a + b..c, sig, dict) {
        out.problems.push(why);
    }
    out.revision = revision_ending_at(pdf, c + d);
    match out.revision {
        None => out.problems.push(format!(
            "/ByteRange ends at byte {}, which is not the end of a revision (revisions end at {})",
            c + d,
            revision_ends(pdf)
        )),
        Some(k) if k != defined_in => out.problems.push(format!(
            "/ByteRange ends with revision {}, but the signature dictionary is written by revision {}",
            k + 1,
            defined_in + 1
        )),
        Some(_) => {}
    }
    out
}

fn integers(o: Option<&Object>) -> Option<Vec<i64>> {
    o?.as_array()?.iter().map(Object::as_integer).collect()
}

/// The gap must be exactly the `/Contents` hex string of the signature dictionary: `<`, hex
/// digits and white space that decode to the value read, `>`, inside the dictionary's object.
fn gap_is_contents(bytes: &[u8], gap: std::ops::Range<usize>, sig: &IndirectObject, dict: &Dict) -> Result<(), String> {
    let Some(Object::String(contents)) = dict.get(b"Contents".as_slice()) else {
        return Err("the signature dictionary has no /Contents string".into());
    };
    let Some(span) = &sig.span else {
        return Err("the signature dictionary is in an object stream, where /Contents cannot be left out".into());
    };
    if gap.start < span.start || gap.end > span.end {
        return Err("the gap in /ByteRange lies outside the signature dictionary".into());
    }
    let text = bytes.get(gap).unwrap_or_default();
    let inner = text
        .strip_prefix(b"<".as_slice())
        .and_then(|t| t.strip_suffix(b">".as_slice()));
    match inner.and_then(hex_decode) {
        Some(v) if v == *contents => Ok(()),
        _ => Err("the gap in /ByteRange is not exactly the /Contents hex string".into()),
    }
}

/// Hex digits and white space; an odd last digit is followed by 0 (ISO 32000-2 7.3.4.3).
fn hex_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    for &ch in text {
        if ch.is_ascii_whitespace() || ch == 0 {
            continue;
        }
        let v = char::from(ch).to_digit(16)? as u8;
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Some(out)
}

/// The revision whose `%%EOF` (with or without one end-of-line marker) ends at `end`.
fn revision_ending_at(pdf: &Pdf<'_>, end: usize) -> Option<usize> {
    pdf.revisions.iter().position(|r| {
        let tail = pdf.bytes.get(r.end..end);
        matches!(tail, Some(b"" | b"\n" | b"\r\n" | b"\r"))
    })
}

fn revision_ends(pdf: &Pdf<'_>) -> String {
    let ends: Vec<String> = pdf.revisions.iter().map(|r| r.end.to_string()).collect();
    ends.join(", ")
}

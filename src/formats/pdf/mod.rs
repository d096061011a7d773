//! A strict PDF reader over a byte slice that keeps revisions apart
//! ([ISO 32000-2 §7.5](https://pdfa.org/resource/iso-32000-2/)).
//!
//! [`read`] starts at the last `startxref`, follows `/Prev` (and `/XRefStm` in hybrid files)
//! and keeps each cross-reference section as one [`Revision`], oldest first, with its own object
//! map, trailer and end (the byte just past its `%%EOF`). [`Pdf::object`] reads an object as of
//! a given revision. Nothing is repaired:
//!
//! - every section must be followed by `startxref`, its own offset and `%%EOF`;
//! - a `/Prev` loop, an offset outside the file and an entry that does not point at
//!   `num generation obj` of the right number and generation are errors;
//! - an object must lie wholly before the `%%EOF` of the revision that lists it: an entry or
//!   a stream `/Length` that reaches into a later update would let unsigned bytes define a
//!   signed revision;
//! - objects are parsed without recursion, to at most [`PdfLimits::max_depth`] nested arrays
//!   and dictionaries; [`PdfLimits`] also bound revisions, cross-reference entries, decoded
//!   stream sizes and compression ratios, object streams and reference chains;
//! - `FlateDecode` (with PNG predictors) is the only filter; others are
//!   [`PdfError::UnsupportedFilter`] for that stream.
//!
//! Errors name the problem and a byte offset or an object number, never the file's content.

mod filter;
mod lexer;
mod object;
mod xref;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use thiserror::Error;

use lexer::{Lexer, Token};
pub use object::{Dict, ObjRef, Object, Stream};

/// What [`read`] and the [`Pdf`] methods allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PdfLimits {
    /// Deepest nesting of arrays and dictionaries in one object.
    pub max_depth: usize,
    /// Most revisions (cross-reference sections).
    pub max_revisions: usize,
    /// Most cross-reference entries over all sections.
    pub max_xref_entries: usize,
    /// Largest decoded stream (bytes).
    pub max_stream_size: usize,
    /// Highest ratio of decoded to encoded size for a stream decoded above
    /// [`ratio_threshold`](Self::ratio_threshold).
    pub max_ratio: usize,
    /// Decoded size (bytes) up to which the ratio is not checked.
    pub ratio_threshold: usize,
    /// Most objects in one object stream (`/N`).
    pub max_objstm_objects: usize,
    /// Most references followed by [`Pdf::resolve`] for one object.
    pub max_ref_depth: usize,
    /// Bytes searched back from the end of the file for `startxref`.
    pub tail_search: usize,
}

impl Default for PdfLimits {
    /// Depth 64, 1,000 revisions, 1,000,000 entries, 64 MiB a stream, ratio 200 above 1 MB,
    /// 100,000 objects an object stream, 32 references, the last 4 KiB for `startxref`.
    fn default() -> Self {
        PdfLimits {
            max_depth: 64,
            max_revisions: 1_000,
            max_xref_entries: 1_000_000,
            max_stream_size: 64 * 1024 * 1024,
            max_ratio: 200,
            ratio_threshold: 1_000_000,
            max_objstm_objects: 100_000,
            max_ref_depth: 32,
            tail_search: 4096,
        }
    }
}

/// Where a cross-reference entry says an object is (§7.5.4, §7.5.8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefEntry {
    /// A free entry.
    Free {
        /// The next free object number.
        next: u32,
        /// The generation to use if the number is reused.
        generation: u16,
    },
    /// An object at a byte offset.
    InUse {
        /// Offset of `num generation obj`.
        offset: usize,
        /// Generation number.
        generation: u16,
    },
    /// An in-use table entry at offset 0, where no object can start (the header is there):
    /// some writers list objects they never wrote this way. Read as the null object (§7.3.10).
    Null {
        /// Generation number.
        generation: u16,
    },
    /// An object inside an object stream (generation 0).
    Compressed {
        /// Object number of the object stream.
        stream: u32,
        /// Index within the object stream.
        index: u32,
    },
}

/// The kind of cross-reference section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefKind {
    /// A classic `xref` table.
    Table,
    /// A cross-reference stream (`/Type /XRef`).
    Stream,
    /// A table whose trailer has `/XRefStm`.
    Hybrid,
}

/// One revision: one cross-reference section with its trailer.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// Offset of the section (`xref` or the stream object).
    pub xref_offset: usize,
    /// The byte just after this revision's `%%EOF`.
    pub end: usize,
    /// The kind of section.
    pub kind: XrefKind,
    /// The trailer dictionary (the stream dictionary for a cross-reference stream).
    pub trailer: Dict,
    /// The entries this section lists (not those of earlier revisions).
    pub objects: BTreeMap<u32, XrefEntry>,
}

/// A PDF whose cross-reference sections passed every check of [`read`].
#[derive(Clone, Debug, PartialEq)]
pub struct Pdf<'a> {
    /// The file.
    pub bytes: &'a [u8],
    /// The revisions, oldest first.
    pub revisions: Vec<Revision>,
    /// How many bytes follow the last `%%EOF` and its end-of-line marker, if any.
    pub trailing_garbage: Option<usize>,
    limits: PdfLimits,
}

/// An indirect object as read from the file.
#[derive(Clone, Debug, PartialEq)]
pub struct IndirectObject {
    /// Its number and generation.
    pub id: ObjRef,
    /// The object.
    pub object: Object,
    /// From `num` to the end of `endobj` in the file; `None` inside an object stream.
    pub span: Option<Range<usize>>,
}

/// Why [`read`] or a [`Pdf`] method refused a file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No `startxref` near the end of the file.
    #[error("no startxref near the end of the file")]
    NoStartxref,
    /// The file ends in the middle of something.
    #[error("the file is truncated")]
    Truncated,
    /// An offset points outside the file.
    #[error("offset {offset} is outside the file")]
    OffsetOutOfFile {
        /// The offset.
        offset: usize,
    },
    /// `/Prev` leads back to a section already read.
    #[error("/Prev loops back to offset {offset}")]
    PrevLoop {
        /// The offset seen twice.
        offset: usize,
    },
    /// More revisions than [`PdfLimits::max_revisions`].
    #[error("more than {limit} revisions")]
    TooManyRevisions {
        /// The limit.
        limit: usize,
    },
    /// Bad syntax.
    #[error("syntax error at offset {offset}: {what}")]
    Syntax {
        /// Where.
        offset: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// Nesting deeper than [`PdfLimits::max_depth`].
    #[error("nesting deeper than {limit} at offset {offset}")]
    TooDeep {
        /// Where.
        offset: usize,
        /// The limit.
        limit: usize,
    },
    /// A bad cross-reference section.
    #[error("cross-reference section at offset {offset}: {what}")]
    Xref {
        /// Where.
        offset: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// A cross-reference entry does not point at `num generation obj` of that object.
    #[error("object {num}: the entry does not point at the object")]
    NotAnObject {
        /// The object number.
        num: u32,
    },
    /// No such revision.
    #[error("no revision {index}")]
    NoSuchRevision {
        /// The index asked for.
        index: usize,
    },
    /// The object is not in use as of the revision.
    #[error("object {num} is not in use")]
    NoSuchObject {
        /// The object number.
        num: u32,
    },
    /// A bad object stream.
    #[error("object stream {num}: {what}")]
    ObjectStream {
        /// The object stream's number.
        num: u32,
        /// What is wrong.
        what: &'static str,
    },
    /// A filter or parameter this reader does not support.
    #[error("unsupported filter or decode parameters")]
    UnsupportedFilter,
    /// A corrupt Flate stream.
    #[error("corrupt Flate stream")]
    Inflate,
    /// A bad PNG predictor row.
    #[error("bad predictor data")]
    Predictor,
    /// A stream decodes to more than allowed (size or ratio).
    #[error("stream decodes to more than {limit} bytes")]
    StreamTooLarge {
        /// The cap that applied.
        limit: usize,
    },
    /// A stream's `/Length` is missing or invalid.
    #[error("bad /Length at offset {offset}")]
    BadLength {
        /// Where the object starts.
        offset: usize,
    },
    /// An object reaches past the end of the revision that lists it.
    #[error("object {num} reaches past the end of its revision")]
    OutsideRevision {
        /// The object number.
        num: u32,
    },
    /// References chain further than [`PdfLimits::max_ref_depth`].
    #[error("references chain further than {limit}")]
    RefDepth {
        /// The limit.
        limit: usize,
    },
}

/// Reads the cross-reference structure of `bytes`; objects are read later, on demand.
pub fn read<'a>(bytes: &'a [u8], limits: &PdfLimits) -> Result<Pdf<'a>, PdfError> {
    let mut offset = last_startxref(bytes, limits)?;
    let mut seen = HashSet::new();
    let mut budget = limits.max_xref_entries;
    let mut revisions = Vec::new();
    loop {
        if !seen.insert(offset) {
            return Err(PdfError::PrevLoop { offset });
        }
        if revisions.len() >= limits.max_revisions {
            return Err(PdfError::TooManyRevisions {
                limit: limits.max_revisions,
            });
        }
        let s = section(bytes, offset, limits, &mut budget)?;
        let prev = prev_offset(&s.trailer, offset)?;
        if s.startxref != offset {
            let main = linearized_main(bytes, offset, &s, prev, limits, &mut budget)?;
            revisions.push(merge_linearized(offset, s, main));
            break;
        }
        revisions.push(Revision {
            xref_offset: offset,
            end: s.end,
            kind: s.kind,
            trailer: s.trailer,
            objects: s.entries,
        });
        match prev {
            Some(p) => offset = p,
            None => break,
        }
    }
    revisions.reverse();
    let last_end = revisions.last().map_or(0, |r| r.end);
    let pdf = Pdf {
        bytes,
        revisions,
        trailing_garbage: trailing(bytes, last_end),
        limits: *limits,
    };
    pdf.check_entries()?;
    Ok(pdf)
}

fn section(bytes: &[u8], offset: usize, limits: &PdfLimits, budget: &mut usize) -> Result<xref::Section, PdfError> {
    xref::read_section(bytes, offset, limits, budget).map_err(|e| match e {
        PdfError::Syntax { offset: o, .. } if o == offset => PdfError::Xref {
            offset,
            what: "no cross-reference section there",
        },
        e => e,
    })
}

/// A section whose `startxref` does not point at itself is only the first-page section of a
/// linearized file (ISO 32000-2 Annex F): the file starts with a linearization dictionary, the
/// section is followed by `startxref 0`, its `/Prev` points forward to the main section, which
/// is followed by a `startxref` pointing back at the first-page section and has no `/Prev`.
/// The two make the original document's one revision.
fn linearized_main(
    bytes: &[u8],
    offset: usize,
    first: &xref::Section,
    prev: Option<usize>,
    limits: &PdfLimits,
    budget: &mut usize,
) -> Result<xref::Section, PdfError> {
    let bad = PdfError::Xref {
        offset,
        what: "startxref does not point at its section",
    };
    let Some(main_at) = prev.filter(|&p| p > offset && first.startxref == 0) else {
        return Err(bad);
    };
    if !is_linearized(bytes, limits) {
        return Err(bad);
    }
    let main = section(bytes, main_at, limits, budget)?;
    if main.startxref != offset || prev_offset(&main.trailer, main_at)?.is_some() {
        return Err(bad);
    }
    Ok(main)
}

fn merge_linearized(offset: usize, first: xref::Section, main: xref::Section) -> Revision {
    let mut objects = main.entries;
    objects.extend(first.entries);
    Revision {
        xref_offset: offset,
        end: main.end,
        kind: first.kind,
        trailer: first.trailer,
        objects,
    }
}

/// The first object of the file is a linearization parameter dictionary (`/Linearized`).
fn is_linearized(bytes: &[u8], limits: &PdfLimits) -> bool {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let Some(at) = head.windows(4).position(|w| w == b" obj") else {
        return false;
    };
    let start = head[..at]
        .iter()
        .rposition(|b| *b == b'\n' || *b == b'\r')
        .map_or(0, |i| i + 1);
    let no_streams = |_| Err(PdfError::BadLength { offset: start });
    parse_indirect(bytes, start, limits, &no_streams)
        .ok()
        .and_then(|o| o.object.as_dict().map(|d| d.contains_key(b"Linearized".as_slice())))
        .unwrap_or(false)
}

fn prev_offset(trailer: &Dict, offset: usize) -> Result<Option<usize>, PdfError> {
    match trailer.get(b"Prev".as_slice()) {
        None => Ok(None),
        Some(Object::Integer(p)) => usize::try_from(*p)
            .map(Some)
            .map_err(|_| PdfError::OffsetOutOfFile { offset }),
        Some(_) => Err(PdfError::Xref {
            offset,
            what: "bad /Prev",
        }),
    }
}

fn trailing(bytes: &[u8], end: usize) -> Option<usize> {
    let rest = bytes.get(end..).unwrap_or_default();
    let rest = rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
        .or_else(|| rest.strip_prefix(b"\r"))
        .unwrap_or(rest);
    (!rest.is_empty()).then_some(rest.len())
}

/// The offset after the last `startxref` in the last [`PdfLimits::tail_search`] bytes.
fn last_startxref(bytes: &[u8], limits: &PdfLimits) -> Result<usize, PdfError> {
    let from = bytes.len().saturating_sub(limits.tail_search);
    let tail = bytes.get(from..).unwrap_or_default();
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or(PdfError::NoStartxref)?;
    let mut lx = Lexer::new(bytes, from + at + 9);
    match lx.next_token()? {
        Some((_, Token::Integer(n))) => usize::try_from(n).map_err(|_| PdfError::NoStartxref),
        None => Err(PdfError::Truncated),
        _ => Err(PdfError::NoStartxref),
    }
}

/// A `/Length` resolver for [`parse_indirect`].
type LengthFn<'f> = &'f dyn Fn(ObjRef) -> Result<i64, PdfError>;

/// Parses `num generation obj ... endobj` at exactly `offset`, with stream data if a stream.
pub(crate) fn parse_indirect(
    bytes: &[u8],
    offset: usize,
    limits: &PdfLimits,
    length: LengthFn<'_>,
) -> Result<IndirectObject, PdfError> {
    if offset >= bytes.len() {
        return Err(PdfError::OffsetOutOfFile { offset });
    }
    let mut lx = Lexer::new(bytes, offset);
    let id = object_header(&mut lx, offset)?;
    let object = object::parse_object(&mut lx, limits.max_depth)?;
    let object = match (lx.next_token()?, object) {
        (Some((_, Token::Keyword(b"endobj"))), o) => {
            return Ok(IndirectObject {
                id,
                object: o,
                span: Some(offset..lx.pos),
            });
        }
        (Some((_, Token::Keyword(b"stream"))), Object::Dict(dict)) => {
            stream_body(&mut lx, bytes, dict, offset, length)?
        }
        (None, _) => return Err(PdfError::Truncated),
        _ => {
            return Err(PdfError::Syntax {
                offset: lx.pos,
                what: "no endobj",
            });
        }
    };
    expect_keyword(&mut lx, b"endobj")?;
    Ok(IndirectObject {
        id,
        object,
        span: Some(offset..lx.pos),
    })
}

fn object_header(lx: &mut Lexer<'_>, offset: usize) -> Result<ObjRef, PdfError> {
    let bad = PdfError::Syntax {
        offset,
        what: "not `num gen obj`",
    };
    let num = match lx.next_token()? {
        Some((at, Token::Integer(n))) if at == offset => u32::try_from(n).map_err(|_| bad.clone())?,
        _ => return Err(bad),
    };
    let generation = match lx.next_token()? {
        Some((_, Token::Integer(g))) => u16::try_from(g).map_err(|_| bad.clone())?,
        _ => return Err(bad),
    };
    match lx.next_token()? {
        Some((_, Token::Keyword(b"obj"))) => Ok(ObjRef { num, generation }),
        _ => Err(bad),
    }
}

fn expect_keyword(lx: &mut Lexer<'_>, word: &'static [u8]) -> Result<(), PdfError> {
    match lx.next_token()? {
        Some((_, Token::Keyword(w))) if w == word => Ok(()),
        None => Err(PdfError::Truncated),
        _ => Err(PdfError::Syntax {
            offset: lx.pos,
            what: "expected endstream or endobj",
        }),
    }
}

fn stream_body<'b>(
    lx: &mut Lexer<'b>,
    bytes: &'b [u8],
    dict: Dict,
    offset: usize,
    length: LengthFn<'_>,
) -> Result<Object, PdfError> {
    // `stream` is followed by CRLF or LF (§7.3.8.1).
    let rest = bytes.get(lx.pos..).unwrap_or_default();
    let start = lx.pos
        + if rest.starts_with(b"\r\n") {
            2
        } else if rest.starts_with(b"\n") {
            1
        } else {
            return Err(PdfError::Syntax {
                offset: lx.pos,
                what: "no end-of-line after stream",
            });
        };
    let len = match dict.get(b"Length".as_slice()) {
        Some(Object::Integer(n)) => *n,
        Some(Object::Ref(r)) => length(*r)?,
        _ => return Err(PdfError::BadLength { offset }),
    };
    let len = usize::try_from(len).map_err(|_| PdfError::BadLength { offset })?;
    let end = start
        .checked_add(len)
        .filter(|&e| e <= bytes.len())
        .ok_or(PdfError::Truncated)?;
    *lx = Lexer::new(bytes, end);
    expect_keyword(lx, b"endstream")?;
    Ok(Object::Stream(Stream { dict, data: start..end }))
}

impl<'a> Pdf<'a> {
    /// The limits this file was read with.
    pub fn limits(&self) -> &PdfLimits {
        &self.limits
    }

    /// The entry for `num` as of revision `rev` (the newest section up to `rev` that lists it).
    pub fn entry(&self, rev: usize, num: u32) -> Result<Option<XrefEntry>, PdfError> {
        let revs = self
            .revisions
            .get(..=rev)
            .ok_or(PdfError::NoSuchRevision { index: rev })?;
        Ok(revs.iter().rev().find_map(|r| r.objects.get(&num).copied()))
    }

    /// The entry for `num` as of revision `rev` and the index of the revision that lists it.
    fn listed(&self, rev: usize, num: u32) -> Result<Option<(usize, XrefEntry)>, PdfError> {
        let revs = self
            .revisions
            .get(..=rev)
            .ok_or(PdfError::NoSuchRevision { index: rev })?;
        Ok(revs
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, r)| r.objects.get(&num).map(|e| (i, *e))))
    }

    /// Object `num` as of revision `rev`. An object must lie wholly within the revision that
    /// lists it (before its `%%EOF`): bytes of a later update cannot be part of an earlier one.
    pub fn object(&self, rev: usize, num: u32) -> Result<IndirectObject, PdfError> {
        let (listed_in, entry) = match self.listed(rev, num)? {
            Some((i, e)) => (i, Some(e)),
            None => (rev, None),
        };
        let end = self.revisions.get(listed_in).map_or(0, |r| r.end);
        let obj = self.object_entry(rev, num, entry)?;
        match &obj.span {
            Some(span) if span.end > end => Err(PdfError::OutsideRevision { num }),
            _ => Ok(obj),
        }
    }

    fn object_entry(&self, rev: usize, num: u32, entry: Option<XrefEntry>) -> Result<IndirectObject, PdfError> {
        match entry {
            Some(XrefEntry::InUse { offset, generation }) => self.object_at(rev, num, offset, generation),
            Some(XrefEntry::Compressed { stream, index }) => self.compressed(rev, num, stream, index),
            Some(XrefEntry::Null { generation }) => Ok(IndirectObject {
                id: ObjRef { num, generation },
                object: Object::Null,
                span: None,
            }),
            Some(XrefEntry::Free { .. }) | None => Err(PdfError::NoSuchObject { num }),
        }
    }

    fn object_at(&self, rev: usize, num: u32, offset: usize, generation: u16) -> Result<IndirectObject, PdfError> {
        let length = |r: ObjRef| self.length(rev, r);
        let obj = parse_indirect(self.bytes, offset, &self.limits, &length).map_err(|e| match e {
            PdfError::Syntax { offset: o, .. } if o == offset => PdfError::NotAnObject { num },
            e => e,
        })?;
        if obj.id != (ObjRef { num, generation }) {
            return Err(PdfError::NotAnObject { num });
        }
        Ok(obj)
    }

    /// A `/Length` given by reference: a direct integer object, not itself a stream.
    fn length(&self, rev: usize, r: ObjRef) -> Result<i64, PdfError> {
        let Some(XrefEntry::InUse { offset, generation }) = self.entry(rev, r.num)? else {
            return Err(PdfError::BadLength { offset: 0 });
        };
        let no_streams = |_| Err(PdfError::BadLength { offset });
        let obj = parse_indirect(self.bytes, offset, &self.limits, &no_streams)?;
        match obj {
            IndirectObject {
                id,
                object: Object::Integer(n),
                ..
            } if id == (ObjRef { num: r.num, generation }) => Ok(n),
            _ => Err(PdfError::BadLength { offset }),
        }
    }

    fn compressed(&self, rev: usize, num: u32, stream: u32, index: u32) -> Result<IndirectObject, PdfError> {
        let bad = |what| PdfError::ObjectStream { num: stream, what };
        // An object stream is never itself compressed (§7.5.7), so this does not recurse.
        let Some(XrefEntry::InUse { .. }) = self.entry(rev, stream)? else {
            return Err(bad("not an object at an offset"));
        };
        let Object::Stream(s) = self.object(rev, stream).map_err(|_| bad("not readable"))?.object else {
            return Err(bad("not a stream"));
        };
        let data = self.decode(&s)?;
        let object = object_stream_member(&s.dict, &data, num, index, &self.limits).map_err(|e| match e {
            PdfError::ObjectStream { what, .. } => bad(what),
            e => e,
        })?;
        Ok(IndirectObject {
            id: ObjRef { num, generation: 0 },
            object,
            span: None,
        })
    }

    /// The stream's raw (encoded) bytes.
    pub fn stream_data(&self, s: &Stream) -> &'a [u8] {
        self.bytes.get(s.data.clone()).unwrap_or_default()
    }

    /// The stream's data decoded by its filters, within the limits.
    pub fn decode(&self, s: &Stream) -> Result<Vec<u8>, PdfError> {
        filter::decode(&s.dict, self.stream_data(s), &self.limits)
    }

    /// Follows references from `obj` as of revision `rev`, up to [`PdfLimits::max_ref_depth`].
    pub fn resolve(&self, obj: &Object, rev: usize) -> Result<Object, PdfError> {
        let mut cur = obj.clone();
        for _ in 0..=self.limits.max_ref_depth {
            match cur {
                Object::Ref(r) => cur = self.object(rev, r.num)?.object,
                other => return Ok(other),
            }
        }
        Err(PdfError::RefDepth {
            limit: self.limits.max_ref_depth,
        })
    }

    /// Every in-use entry of every revision must point at `num generation obj` of that object.
    fn check_entries(&self) -> Result<(), PdfError> {
        for r in &self.revisions {
            for (&num, e) in &r.objects {
                if let XrefEntry::InUse { offset, generation } = *e {
                    check_header(self.bytes, num, offset, generation)?;
                    if offset >= r.end {
                        return Err(PdfError::OutsideRevision { num });
                    }
                }
            }
        }
        Ok(())
    }
}

fn check_header(bytes: &[u8], num: u32, offset: usize, generation: u16) -> Result<(), PdfError> {
    if offset >= bytes.len() {
        return Err(PdfError::OffsetOutOfFile { offset });
    }
    let mut lx = Lexer::new(bytes, offset);
    match object_header(&mut lx, offset) {
        Ok(id) if id == (ObjRef { num, generation }) => Ok(()),
        _ => Err(PdfError::NotAnObject { num }),
    }
}

/// Object `num` at `index` in a decoded object stream (§7.5.7).
fn object_stream_member(
    dict: &Dict,
    data: &[u8],
    num: u32,
    index: u32,
    limits: &PdfLimits,
) -> Result<Object, PdfError> {
    let bad = |what| PdfError::ObjectStream { num: 0, what };
    if dict.get(b"Type".as_slice()).and_then(Object::as_name) != Some(b"ObjStm") {
        return Err(bad("not /Type /ObjStm"));
    }
    let get = |k: &[u8]| {
        dict.get(k)
            .and_then(Object::as_integer)
            .and_then(|i| usize::try_from(i).ok())
    };
    let n = get(b"N")
        .filter(|&n| n <= limits.max_objstm_objects)
        .ok_or(bad("bad /N"))?;
    let first = get(b"First").filter(|&f| f <= data.len()).ok_or(bad("bad /First"))?;
    let index = usize::try_from(index).map_err(|_| bad("index out of range"))?;
    if index >= n {
        return Err(bad("index out of range"));
    }
    let header = data.get(..first).unwrap_or_default();
    let mut lx = Lexer::new(header, 0);
    for _ in 0..index {
        pair(&mut lx).ok_or(bad("bad header"))?;
    }
    let (obj_num, rel) = pair(&mut lx).ok_or(bad("bad header"))?;
    if obj_num != i64::from(num) {
        return Err(bad("object number does not match the header"));
    }
    let at = usize::try_from(rel)
        .ok()
        .and_then(|r| first.checked_add(r))
        .filter(|&a| a < data.len())
        .ok_or(bad("offset out of range"))?;
    let mut lx = Lexer::new(data, at);
    object::parse_object(&mut lx, limits.max_depth)
}

fn pair(lx: &mut Lexer<'_>) -> Option<(i64, i64)> {
    match (lx.next_token().ok()??, lx.next_token().ok()??) {
        ((_, Token::Integer(a)), (_, Token::Integer(b))) if a >= 0 && b >= 0 => Some((a, b)),
        _ => None,
    }
}

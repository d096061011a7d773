//! Cross-reference sections (§7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrid files), each read
//! on its own so that every revision keeps its own map.

use std::collections::BTreeMap;

use super::lexer::{Lexer, Token};
use super::object::{Dict, Object, parse_object};
use super::{PdfError, PdfLimits, XrefEntry, XrefKind, filter, parse_indirect};

/// One section as read: its entries, trailer, and where its `%%EOF` ends.
pub(crate) struct Section {
    pub(crate) kind: XrefKind,
    pub(crate) entries: BTreeMap<u32, XrefEntry>,
    pub(crate) trailer: Dict,
    pub(crate) end: usize,
    /// The offset the `startxref` after the section gives.
    pub(crate) startxref: usize,
}

fn xref_err(offset: usize, what: &'static str) -> PdfError {
    PdfError::Xref { offset, what }
}

/// Reads the section at `offset`, then `startxref n %%EOF` after it (the caller checks `n`).
pub(crate) fn read_section(
    bytes: &[u8],
    offset: usize,
    limits: &PdfLimits,
    budget: &mut usize,
) -> Result<Section, PdfError> {
    if offset >= bytes.len() {
        return Err(PdfError::OffsetOutOfFile { offset });
    }
    let (kind, mut entries, trailer, after) = if bytes[offset..].starts_with(b"xref") {
        let (entries, trailer, after) = read_table(bytes, offset, limits, budget)?;
        (XrefKind::Table, entries, trailer, after)
    } else {
        let (entries, trailer, after) = read_stream(bytes, offset, limits, budget)?;
        (XrefKind::Stream, entries, trailer, after)
    };
    let kind = match trailer.get(b"XRefStm".as_slice()) {
        None => kind,
        Some(Object::Integer(at)) if kind == XrefKind::Table => {
            let at = usize::try_from(*at).map_err(|_| xref_err(offset, "bad /XRefStm"))?;
            let (hidden, _, _) = read_stream(bytes, at, limits, budget)?;
            for (num, e) in hidden {
                let free = matches!(entries.get(&num), None | Some(XrefEntry::Free { .. }));
                if free {
                    entries.insert(num, e);
                }
            }
            XrefKind::Hybrid
        }
        Some(_) => return Err(xref_err(offset, "bad /XRefStm")),
    };
    let (startxref, end) = read_startxref(bytes, after)?;
    Ok(Section {
        kind,
        entries,
        trailer,
        end,
        startxref,
    })
}

/// `startxref`, an offset, `%%EOF`; returns the offset and the byte just past `%%EOF`.
fn read_startxref(bytes: &[u8], after: usize) -> Result<(usize, usize), PdfError> {
    let mut lx = Lexer::new(bytes, after);
    match lx.next_token()? {
        Some((_, Token::Keyword(b"startxref"))) => {}
        None => return Err(PdfError::Truncated),
        _ => return Err(xref_err(after, "no startxref after the section")),
    }
    let points_at = match lx.next_token()? {
        Some((_, Token::Integer(n))) => usize::try_from(n).map_err(|_| xref_err(after, "bad startxref"))?,
        None => return Err(PdfError::Truncated),
        _ => return Err(xref_err(after, "bad startxref")),
    };
    lx.skip_white();
    let rest = bytes.get(lx.pos..).unwrap_or_default();
    if !rest.starts_with(b"%%EOF") {
        return Err(if rest.is_empty() {
            PdfError::Truncated
        } else {
            xref_err(lx.pos, "no %%EOF after startxref")
        });
    }
    Ok((points_at, lx.pos + 5))
}

type Parsed = (BTreeMap<u32, XrefEntry>, Dict, usize);

fn take(budget: &mut usize, n: usize, offset: usize) -> Result<(), PdfError> {
    *budget = budget
        .checked_sub(n)
        .ok_or(xref_err(offset, "too many cross-reference entries"))?;
    Ok(())
}

fn int(lx: &mut Lexer<'_>, what: &'static str) -> Result<i64, PdfError> {
    let at = lx.pos;
    match lx.next_token()? {
        Some((_, Token::Integer(n))) => Ok(n),
        None => Err(PdfError::Truncated),
        _ => Err(xref_err(at, what)),
    }
}

fn read_table(bytes: &[u8], offset: usize, limits: &PdfLimits, budget: &mut usize) -> Result<Parsed, PdfError> {
    let mut lx = Lexer::new(bytes, offset + 4);
    let mut entries = BTreeMap::new();
    loop {
        let mut ahead = lx.clone();
        match ahead.next_token()? {
            Some((_, Token::Keyword(b"trailer"))) => {
                lx = ahead;
                break;
            }
            None => return Err(PdfError::Truncated),
            _ => read_subsection(&mut lx, &mut entries, budget)?,
        }
    }
    let trailer = match parse_object(&mut lx, limits.max_depth)? {
        Object::Dict(d) => d,
        _ => return Err(xref_err(offset, "trailer is not a dictionary")),
    };
    Ok((entries, trailer, lx.pos))
}

fn read_subsection(
    lx: &mut Lexer<'_>,
    entries: &mut BTreeMap<u32, XrefEntry>,
    budget: &mut usize,
) -> Result<(), PdfError> {
    let at = lx.pos;
    let first = u32::try_from(int(lx, "bad subsection header")?).map_err(|_| xref_err(at, "bad subsection header"))?;
    let count = u32::try_from(int(lx, "bad subsection header")?).map_err(|_| xref_err(at, "bad subsection header"))?;
    take(budget, usize::try_from(count).unwrap_or(usize::MAX), at)?;
    for i in 0..count {
        let num = first.checked_add(i).ok_or(xref_err(at, "object number out of range"))?;
        let field = int(lx, "bad table entry")?;
        let generation = u16::try_from(int(lx, "bad table entry")?).map_err(|_| xref_err(at, "bad generation"))?;
        let entry = match lx.next_token()? {
            Some((_, Token::Keyword(b"n"))) if field == 0 => XrefEntry::Null { generation },
            Some((_, Token::Keyword(b"n"))) => XrefEntry::InUse {
                offset: usize::try_from(field).map_err(|_| xref_err(at, "bad offset"))?,
                generation,
            },
            Some((_, Token::Keyword(b"f"))) => XrefEntry::Free {
                next: u32::try_from(field).map_err(|_| xref_err(at, "bad free entry"))?,
                generation,
            },
            None => return Err(PdfError::Truncated),
            _ => return Err(xref_err(lx.pos, "bad table entry")),
        };
        if entries.insert(num, entry).is_some() {
            return Err(xref_err(at, "object listed twice in one section"));
        }
    }
    Ok(())
}

fn read_stream(bytes: &[u8], offset: usize, limits: &PdfLimits, budget: &mut usize) -> Result<Parsed, PdfError> {
    let obj = parse_indirect(bytes, offset, limits, &|_| {
        Err(xref_err(offset, "indirect /Length in an xref stream"))
    })?;
    let Object::Stream(stream) = obj.object else {
        return Err(xref_err(offset, "not a cross-reference stream"));
    };
    let dict = &stream.dict;
    if dict.get(b"Type".as_slice()).and_then(Object::as_name) != Some(b"XRef") {
        return Err(xref_err(offset, "not a cross-reference stream"));
    }
    let raw = bytes.get(stream.data.clone()).ok_or(PdfError::Truncated)?;
    let data = filter::decode(dict, raw, limits)?;
    let widths = widths(dict, offset)?;
    let entries = stream_entries(dict, &data, widths, offset, budget)?;
    let end = obj.span.map_or(offset, |s| s.end);
    Ok((entries, stream.dict, end))
}

fn widths(dict: &Dict, offset: usize) -> Result<[usize; 3], PdfError> {
    let w = dict
        .get(b"W".as_slice())
        .and_then(Object::as_array)
        .ok_or(xref_err(offset, "bad /W"))?;
    let mut out = [0usize; 3];
    if w.len() != 3 {
        return Err(xref_err(offset, "bad /W"));
    }
    for (slot, o) in out.iter_mut().zip(w) {
        *slot = o
            .as_integer()
            .and_then(|i| usize::try_from(i).ok())
            .filter(|&i| i <= 8)
            .ok_or(xref_err(offset, "bad /W"))?;
    }
    Ok(out)
}

fn index(dict: &Dict, offset: usize) -> Result<Vec<(u32, u32)>, PdfError> {
    let bad = || xref_err(offset, "bad /Index or /Size");
    let as_u32 = |o: &Object| o.as_integer().and_then(|i| u32::try_from(i).ok()).ok_or_else(bad);
    match dict.get(b"Index".as_slice()) {
        None => Ok(vec![(0, as_u32(dict.get(b"Size".as_slice()).ok_or_else(bad)?)?)]),
        Some(Object::Array(a)) if a.len() % 2 == 0 => {
            a.chunks(2).map(|p| Ok((as_u32(&p[0])?, as_u32(&p[1])?))).collect()
        }
        Some(_) => Err(bad()),
    }
}

fn be(field: &[u8]) -> u64 {
    field.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
}

fn stream_entries(
    dict: &Dict,
    data: &[u8],
    w: [usize; 3],
    offset: usize,
    budget: &mut usize,
) -> Result<BTreeMap<u32, XrefEntry>, PdfError> {
    let width = w[0] + w[1] + w[2];
    let ranges = index(dict, offset)?;
    let rows: usize = ranges
        .iter()
        .map(|&(_, n)| usize::try_from(n).unwrap_or(usize::MAX))
        .fold(0, usize::saturating_add);
    if width == 0 || rows.checked_mul(width) != Some(data.len()) {
        return Err(xref_err(
            offset,
            "cross-reference stream length does not match /W and /Index",
        ));
    }
    take(budget, rows, offset)?;
    let mut entries = BTreeMap::new();
    let mut row_iter = data.chunks(width);
    for (first, count) in ranges {
        for i in 0..count {
            let row = row_iter
                .next()
                .ok_or(xref_err(offset, "short cross-reference stream"))?;
            let num = first
                .checked_add(i)
                .ok_or(xref_err(offset, "object number out of range"))?;
            let (t, rest) = row.split_at(w[0]);
            let (f2, f3) = rest.split_at(w[1]);
            let kind = if w[0] == 0 { 1 } else { be(t) };
            if let Some(e) = stream_entry(kind, be(f2), be(f3), offset)? {
                if entries.insert(num, e).is_some() {
                    return Err(xref_err(offset, "object listed twice in one section"));
                }
            }
        }
    }
    Ok(entries)
}

fn stream_entry(kind: u64, f2: u64, f3: u64, offset: usize) -> Result<Option<XrefEntry>, PdfError> {
    let bad = || xref_err(offset, "cross-reference stream field out of range");
    let generation = |v: u64| u16::try_from(v).map_err(|_| bad());
    let num = |v: u64| u32::try_from(v).map_err(|_| bad());
    Ok(match kind {
        0 => Some(XrefEntry::Free {
            next: num(f2)?,
            generation: generation(f3)?,
        }),
        1 => Some(XrefEntry::InUse {
            offset: usize::try_from(f2).map_err(|_| bad())?,
            generation: generation(f3)?,
        }),
        2 => Some(XrefEntry::Compressed {
            stream: num(f2)?,
            index: num(f3)?,
        }),
        // Other types are references to the null object (§7.5.8.3).
        _ => None,
    })
}

//! Stream filters (§7.4): `FlateDecode` with the PNG predictors (§7.4.4.4); every other
//! filter is refused. Output is capped before it is produced.

use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};

use super::object::{Dict, Object};
use super::{PdfError, PdfLimits};

/// Decodes `raw` by the filters the stream dictionary names.
pub(crate) fn decode(dict: &Dict, raw: &[u8], limits: &PdfLimits) -> Result<Vec<u8>, PdfError> {
    let filters = names(dict.get(b"Filter".as_slice()))?;
    let parms = dict.get(b"DecodeParms".as_slice());
    match filters.as_slice() {
        [] => cap(raw.to_vec(), limits.max_stream_size),
        [f] if f.as_slice() == b"FlateDecode" => {
            let parms = match parms {
                Some(Object::Array(a)) if a.len() == 1 => a.first(),
                other => other,
            };
            let out = inflate(raw, limits)?;
            predict(out, parms)
        }
        _ => Err(PdfError::UnsupportedFilter),
    }
}

fn cap(data: Vec<u8>, limit: usize) -> Result<Vec<u8>, PdfError> {
    if data.len() > limit {
        return Err(PdfError::StreamTooLarge { limit });
    }
    Ok(data)
}

fn names(filter: Option<&Object>) -> Result<Vec<Vec<u8>>, PdfError> {
    match filter {
        None | Some(Object::Null) => Ok(Vec::new()),
        Some(Object::Name(n)) => Ok(vec![n.clone()]),
        Some(Object::Array(a)) => a
            .iter()
            .map(|o| o.as_name().map(<[u8]>::to_vec).ok_or(PdfError::UnsupportedFilter))
            .collect(),
        Some(_) => Err(PdfError::UnsupportedFilter),
    }
}

/// zlib inflate, stopping at the smaller of the size cap and the ratio cap.
pub(crate) fn inflate(raw: &[u8], limits: &PdfLimits) -> Result<Vec<u8>, PdfError> {
    let by_ratio = raw.len().saturating_mul(limits.max_ratio).max(limits.ratio_threshold);
    let limit = by_ratio.min(limits.max_stream_size);
    match decompress_to_vec_zlib_with_limit(raw, limit) {
        Ok(out) => Ok(out),
        Err(e) if e.status == TINFLStatus::HasMoreOutput => Err(PdfError::StreamTooLarge { limit }),
        Err(_) => Err(PdfError::Inflate),
    }
}

fn parm(parms: Option<&Object>, key: &[u8], default: i64) -> Result<i64, PdfError> {
    match parms.and_then(Object::as_dict).and_then(|d| d.get(key)) {
        None => Ok(default),
        Some(Object::Integer(i)) => Ok(*i),
        Some(_) => Err(PdfError::UnsupportedFilter),
    }
}

/// Undoes a PNG predictor (10..=15): each row is a filter type byte and then the row.
fn predict(data: Vec<u8>, parms: Option<&Object>) -> Result<Vec<u8>, PdfError> {
    let predictor = parm(parms, b"Predictor", 1)?;
    if predictor == 1 {
        return Ok(data);
    }
    if !(10..=15).contains(&predictor) {
        return Err(PdfError::UnsupportedFilter);
    }
    let colors = parm(parms, b"Colors", 1)?;
    let bits = parm(parms, b"BitsPerComponent", 8)?;
    let columns = parm(parms, b"Columns", 1)?;
    let bad = || PdfError::UnsupportedFilter;
    let in_range = |v: i64, hi: i64| (1..=hi).contains(&v).then_some(v).ok_or_else(bad);
    let bits_per_pixel = in_range(colors, 32)? * in_range(bits, 16)?;
    let row = usize::try_from((in_range(columns, 1 << 24)? * bits_per_pixel + 7) / 8).map_err(|_| bad())?;
    let bpp = usize::try_from((bits_per_pixel + 7) / 8).map_err(|_| bad())?;
    unpng(&data, row, bpp)
}

fn unpng(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>, PdfError> {
    // Rows longer than the data are refused before anything row-sized is allocated.
    if data.len() % (row + 1) != 0 {
        return Err(PdfError::Predictor);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&kind, line) = chunk.split_first().ok_or(PdfError::Predictor)?;
        if line.len() != row {
            return Err(PdfError::Predictor);
        }
        let mut cur = line.to_vec();
        for i in 0..row {
            let left = if i >= bpp { cur[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            let add = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2).to_le_bytes()[0],
                4 => paeth(left, up, up_left),
                _ => return Err(PdfError::Predictor),
            };
            cur[i] = cur[i].wrapping_add(add);
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

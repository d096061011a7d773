//! A bounded BER/DER TLV reader that hands out the exact bytes of every element.
//!
//! The typed ASN.1 crates decode into owned structures and, when asked for bytes, re-encode
//! them. Signatures are computed over the bytes the signer produced (signed attributes that
//! are not in DER order, certificates with odd but valid encodings), so the verifier must hash
//! exactly those bytes: X.690 8.1 (identifier, length, contents) is all that is needed to find
//! them. Definite and indefinite lengths (X.690 8.1.3) are read; nesting depth and element
//! counts are bounded so hostile input cannot exhaust the stack.

use std::borrow::Cow;

/// Maximum nesting depth followed when skipping indefinite-length elements.
pub const MAX_DEPTH: usize = 48;

/// Why bytes are not a well-formed BER element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BerError {
    /// The input ended inside an element.
    #[error("truncated ASN.1 element")]
    Truncated,
    /// A length is longer than the input or than four octets.
    #[error("invalid ASN.1 length")]
    BadLength,
    /// An indefinite length on a primitive element, or nesting deeper than [`MAX_DEPTH`].
    #[error("invalid or too deeply nested ASN.1 structure")]
    BadStructure,
    /// A tag other than the one the schema requires.
    #[error("unexpected ASN.1 tag")]
    UnexpectedTag,
    /// Bytes follow the element where none may.
    #[error("trailing data after ASN.1 element")]
    TrailingData,
}

/// Tag classes (X.690 8.1.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// UNIVERSAL
    Universal,
    /// APPLICATION
    Application,
    /// context-specific
    Context,
    /// PRIVATE
    Private,
}

/// An identifier: class, constructed bit, tag number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Tag class.
    pub class: Class,
    /// Constructed (true) or primitive.
    pub constructed: bool,
    /// Tag number.
    pub number: u32,
}

impl Tag {
    /// UNIVERSAL 2
    pub const INTEGER: Tag = Tag::universal(2, false);
    /// UNIVERSAL 3
    pub const BIT_STRING: Tag = Tag::universal(3, false);
    /// UNIVERSAL 4 (primitive form)
    pub const OCTET_STRING: Tag = Tag::universal(4, false);
    /// UNIVERSAL 5
    pub const NULL: Tag = Tag::universal(5, false);
    /// UNIVERSAL 6
    pub const OID: Tag = Tag::universal(6, false);
    /// UNIVERSAL 16, constructed
    pub const SEQUENCE: Tag = Tag::universal(16, true);
    /// UNIVERSAL 17, constructed
    pub const SET: Tag = Tag::universal(17, true);
    /// UNIVERSAL 1
    pub const BOOLEAN: Tag = Tag::universal(1, false);
    /// UNIVERSAL 23
    pub const UTC_TIME: Tag = Tag::universal(23, false);
    /// UNIVERSAL 24
    pub const GENERALIZED_TIME: Tag = Tag::universal(24, false);

    const fn universal(number: u32, constructed: bool) -> Tag {
        Tag {
            class: Class::Universal,
            constructed,
            number,
        }
    }

    /// A context-specific tag `[number]`.
    pub const fn context(number: u32, constructed: bool) -> Tag {
        Tag {
            class: Class::Context,
            constructed,
            number,
        }
    }

    /// Same class and number, whatever the constructed bit (BER allows both forms of strings).
    pub fn same_type(&self, other: Tag) -> bool {
        self.class == other.class && self.number == other.number
    }
}

/// One element: its tag, its whole encoding and its contents.
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    /// The identifier.
    pub tag: Tag,
    /// The whole element: identifier, length, contents (and end-of-contents when indefinite).
    pub raw: &'a [u8],
    /// The contents octets (without the end-of-contents octets of an indefinite length).
    pub value: &'a [u8],
    /// Whether the length was indefinite.
    pub indefinite: bool,
}

impl<'a> Tlv<'a> {
    /// Reads one element at the start of `input`; returns it and the rest.
    pub fn parse(input: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8]), BerError> {
        parse_at_depth(input, 0)
    }

    /// Reads exactly one element spanning all of `input`.
    pub fn parse_exact(input: &'a [u8]) -> Result<Tlv<'a>, BerError> {
        let (tlv, rest) = Tlv::parse(input)?;
        if !rest.is_empty() {
            return Err(BerError::TrailingData);
        }
        Ok(tlv)
    }

    /// Reads one element that must carry `tag` (compared by class and number).
    pub fn parse_tagged(input: &'a [u8], tag: Tag) -> Result<(Tlv<'a>, &'a [u8]), BerError> {
        let (tlv, rest) = Tlv::parse(input)?;
        if !tlv.tag.same_type(tag) {
            return Err(BerError::UnexpectedTag);
        }
        Ok((tlv, rest))
    }

    /// Iterates over the children of a constructed element.
    pub fn children(&self) -> Children<'a> {
        Children {
            rest: if self.tag.constructed { self.value } else { &[] },
        }
    }

    /// Children as a vector, failing on the first malformed one, at most `max` of them.
    pub fn children_vec(&self, max: usize) -> Result<Vec<Tlv<'a>>, BerError> {
        let mut out = Vec::new();
        for child in self.children() {
            if out.len() >= max {
                return Err(BerError::BadStructure);
            }
            out.push(child?);
        }
        Ok(out)
    }

    /// The contents of a string type, joining the segments of a constructed (BER) string.
    pub fn string_value(&self) -> Result<Cow<'a, [u8]>, BerError> {
        if !self.tag.constructed {
            return Ok(Cow::Borrowed(self.value));
        }
        let mut out = Vec::with_capacity(self.value.len());
        collect_segments(self, self.tag.number, &mut out, 0)?;
        Ok(Cow::Owned(out))
    }

    /// The DER encoding of this element with its identifier replaced by `tag_byte` (used to
    /// turn `[0] IMPLICIT SignedAttributes` into the `SET OF` that was signed, RFC 5652 5.4).
    /// A definite-length element keeps its exact bytes; an indefinite one gets a definite
    /// length around its exact children.
    pub fn retagged(&self, tag_byte: u8) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.raw.len() + 4);
        out.push(tag_byte);
        if self.indefinite {
            push_der_length(&mut out, self.value.len());
            out.extend_from_slice(self.value);
        } else {
            // Identifier of a low tag number is one byte; keep the original length octets.
            let header_len = self.raw.len() - self.value.len();
            out.extend_from_slice(self.raw.get(1..header_len).unwrap_or_default());
            out.extend_from_slice(self.value);
        }
        out
    }
}

/// Appends a DER length.
pub fn push_der_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let n = bytes.len() - skip;
        out.push(0x80 | n as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Encodes one definite-length element (`tag_byte` is a one-byte identifier).
pub fn encode(tag_byte: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() + 6);
    out.push(tag_byte);
    push_der_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

fn collect_segments(tlv: &Tlv<'_>, number: u32, out: &mut Vec<u8>, depth: usize) -> Result<(), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError::BadStructure);
    }
    for child in tlv.children() {
        let child = child?;
        if child.tag.class != Class::Universal || child.tag.number != number {
            return Err(BerError::UnexpectedTag);
        }
        if child.tag.constructed {
            collect_segments(&child, number, out, depth + 1)?;
        } else {
            out.extend_from_slice(child.value);
        }
    }
    Ok(())
}

/// Iterator over the children of a constructed element.
pub struct Children<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, BerError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Tlv::parse(self.rest) {
            Ok((tlv, rest)) => {
                self.rest = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

fn parse_at_depth(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError::BadStructure);
    }
    let (&first, mut pos) = (input.first().ok_or(BerError::Truncated)?, 1usize);
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let b = *input.get(pos).ok_or(BerError::Truncated)?;
            pos += 1;
            if number > (u32::MAX >> 7) {
                return Err(BerError::BadStructure);
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag = Tag {
        class,
        constructed,
        number,
    };
    let len_byte = *input.get(pos).ok_or(BerError::Truncated)?;
    pos += 1;
    if len_byte == 0x80 {
        if !constructed {
            return Err(BerError::BadStructure);
        }
        // Indefinite length: children until the end-of-contents octets 00 00.
        let start = pos;
        loop {
            let rest = input.get(pos..).ok_or(BerError::Truncated)?;
            if rest.len() < 2 {
                return Err(BerError::Truncated);
            }
            if rest[0] == 0 && rest[1] == 0 {
                let value = &input[start..pos];
                let end = pos + 2;
                return Ok((
                    Tlv {
                        tag,
                        raw: &input[..end],
                        value,
                        indefinite: true,
                    },
                    &input[end..],
                ));
            }
            let (child, after) = parse_at_depth(rest, depth + 1)?;
            pos += child.raw.len();
            debug_assert_eq!(input.len() - pos, after.len());
        }
    }
    let len = if len_byte < 0x80 {
        usize::from(len_byte)
    } else {
        let n = usize::from(len_byte & 0x7f);
        if n > 4 {
            return Err(BerError::BadLength);
        }
        let bytes = input.get(pos..pos + n).ok_or(BerError::Truncated)?;
        pos += n;
        bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    let end = pos.checked_add(len).ok_or(BerError::BadLength)?;
    if end > input.len() {
        return Err(BerError::Truncated);
    }
    Ok((
        Tlv {
            tag,
            raw: &input[..end],
            value: &input[pos..end],
            indefinite: false,
        },
        &input[end..],
    ))
}

/// A sequential reader over the children of a constructed element, for schema-driven parsing.
pub struct Fields<'a> {
    iter: std::iter::Peekable<Children<'a>>,
}

impl<'a> Fields<'a> {
    /// Reads the children of `tlv`, which must be constructed.
    pub fn new(tlv: &Tlv<'a>) -> Result<Self, BerError> {
        if !tlv.tag.constructed {
            return Err(BerError::UnexpectedTag);
        }
        Ok(Fields {
            iter: tlv.children().peekable(),
        })
    }

    /// The next field, which must carry `tag`.
    pub fn next(&mut self, tag: Tag) -> Result<Tlv<'a>, BerError> {
        match self.iter.next() {
            Some(Ok(t)) if t.tag.same_type(tag) => Ok(t),
            Some(Ok(_)) => Err(BerError::UnexpectedTag),
            Some(Err(e)) => Err(e),
            None => Err(BerError::Truncated),
        }
    }

    /// The next field, whatever its tag.
    pub fn next_any(&mut self) -> Result<Tlv<'a>, BerError> {
        match self.iter.next() {
            Some(r) => r,
            None => Err(BerError::Truncated),
        }
    }

    /// The next field if it carries `tag`.
    pub fn optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, BerError> {
        match self.iter.peek() {
            Some(Ok(t)) if t.tag.same_type(tag) => self.next(tag).map(Some),
            Some(Err(e)) => Err(*e),
            _ => Ok(None),
        }
    }

    /// Fails if fields remain.
    pub fn finish(mut self) -> Result<(), BerError> {
        match self.iter.next() {
            None => Ok(()),
            Some(Err(e)) => Err(e),
            Some(Ok(_)) => Err(BerError::TrailingData),
        }
    }

    /// Whether fields remain.
    pub fn is_empty(&mut self) -> bool {
        self.iter.peek().is_none()
    }
}

/// The value of a non-negative INTEGER as big-endian bytes without leading zeros.
pub fn unsigned_integer(tlv: &Tlv<'_>) -> Result<Vec<u8>, BerError> {
    if !tlv.tag.same_type(Tag::INTEGER) || tlv.value.is_empty() {
        return Err(BerError::UnexpectedTag);
    }
    let v = tlv.value;
    let skip = v.iter().take_while(|b| **b == 0).count();
    Ok(v[skip..].to_vec())
}

/// A small INTEGER (versions, path lengths).
pub fn small_integer(tlv: &Tlv<'_>) -> Result<i64, BerError> {
    if !tlv.tag.same_type(Tag::INTEGER) || tlv.value.is_empty() || tlv.value.len() > 8 {
        return Err(BerError::UnexpectedTag);
    }
    let mut v: i64 = if tlv.value[0] & 0x80 != 0 { -1 } else { 0 };
    for b in tlv.value {
        v = (v << 8) | i64::from(*b);
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_definite_and_indefinite() {
        // SEQUENCE (indefinite) { INTEGER 5, OCTET STRING (constructed, indefinite) { "ab", "c" } }
        let bytes = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00, 0x00,
        ];
        let tlv = Tlv::parse_exact(&bytes).unwrap();
        assert!(tlv.indefinite);
        let kids = tlv.children_vec(10).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(small_integer(&kids[0]).unwrap(), 5);
        assert_eq!(&*kids[1].string_value().unwrap(), b"abc");
        assert_eq!(
            tlv.retagged(0x31),
            vec![
                0x31, 0x0e, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00
            ]
        );
    }

    #[test]
    fn rejects_hostile_lengths() {
        assert_eq!(
            Tlv::parse(&[0x30, 0x85, 1, 1, 1, 1, 1]).unwrap_err(),
            BerError::BadLength
        );
        assert_eq!(Tlv::parse(&[0x30, 0x82, 0xff, 0xff]).unwrap_err(), BerError::Truncated);
        assert_eq!(Tlv::parse(&[0x04, 0x80, 0, 0]).unwrap_err(), BerError::BadStructure);
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert_eq!(Tlv::parse(&deep).unwrap_err(), BerError::BadStructure);
        assert!(Tlv::parse(&[]).is_err());
    }
}

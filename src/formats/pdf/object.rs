//! PDF objects (§7.3) and the object parser: iterative, with an explicit stack whose depth
//! [`PdfLimits::max_depth`](super::PdfLimits::max_depth) bounds.

use std::collections::BTreeMap;
use std::ops::Range;

use super::PdfError;
use super::lexer::{Lexer, Token};

/// A dictionary (§7.3.7): keys are names (decoded, without the slash), each at most once.
pub type Dict = BTreeMap<Vec<u8>, Object>;

/// A PDF object.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// An integer.
    Integer(i64),
    /// A real number.
    Real(f64),
    /// A name, `#xx` escapes decoded, without the slash.
    Name(Vec<u8>),
    /// A literal or hexadecimal string, decoded.
    String(Vec<u8>),
    /// An array.
    Array(Vec<Object>),
    /// A dictionary.
    Dict(Dict),
    /// An indirect reference `num generation R`.
    Ref(ObjRef),
    /// A stream: its dictionary and where its (still encoded) data lies in the file.
    Stream(Stream),
}

/// An indirect reference: object number and generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    /// Object number.
    pub num: u32,
    /// Generation number.
    pub generation: u16,
}

/// A stream object (§7.3.8).
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    /// The stream dictionary.
    pub dict: Dict,
    /// The encoded data's byte range in the file (between `stream`+EOL and `endstream`).
    pub data: Range<usize>,
}

impl Object {
    /// The dictionary of a dictionary or a stream.
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Object::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The name, if this is one.
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }
}

enum Frame {
    Array(Vec<Object>),
    Dict(Dict, Option<Vec<u8>>),
}

fn syntax(offset: usize, what: &'static str) -> PdfError {
    PdfError::Syntax { offset, what }
}

/// Parses one direct object at the lexer's position (no `obj` wrapper, no stream data).
pub(crate) fn parse_object(lx: &mut Lexer<'_>, max_depth: usize) -> Result<Object, PdfError> {
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (at, token) = lx.next_token()?.ok_or(PdfError::Truncated)?;
        let value = match token {
            Token::ArrayOpen | Token::DictOpen if stack.len() >= max_depth => {
                return Err(PdfError::TooDeep {
                    offset: at,
                    limit: max_depth,
                });
            }
            Token::ArrayOpen => {
                stack.push(Frame::Array(Vec::new()));
                continue;
            }
            Token::DictOpen => {
                stack.push(Frame::Dict(Dict::new(), None));
                continue;
            }
            Token::ArrayClose => match stack.pop() {
                Some(Frame::Array(v)) => Object::Array(v),
                _ => return Err(syntax(at, "unbalanced ]")),
            },
            Token::DictClose => match stack.pop() {
                Some(Frame::Dict(d, None)) => Object::Dict(d),
                Some(Frame::Dict(_, Some(_))) => return Err(syntax(at, "dictionary key without value")),
                _ => return Err(syntax(at, "unbalanced >>")),
            },
            other => scalar(lx, at, other)?,
        };
        match stack.last_mut() {
            None => return Ok(value),
            Some(Frame::Array(v)) => v.push(value),
            Some(Frame::Dict(d, key)) => put(d, key, value, at)?,
        }
    }
}

fn put(d: &mut Dict, key: &mut Option<Vec<u8>>, value: Object, at: usize) -> Result<(), PdfError> {
    match (key.take(), value) {
        (None, Object::Name(n)) => *key = Some(n),
        (None, _) => return Err(syntax(at, "dictionary key is not a name")),
        (Some(k), v) => {
            if d.insert(k, v).is_some() {
                return Err(syntax(at, "duplicate dictionary key"));
            }
        }
    }
    Ok(())
}

fn scalar(lx: &mut Lexer<'_>, at: usize, token: Token<'_>) -> Result<Object, PdfError> {
    Ok(match token {
        Token::Integer(n) => reference(lx, n).unwrap_or(Object::Integer(n)),
        Token::Real(x) => Object::Real(x),
        Token::Name(n) => Object::Name(n),
        Token::Str(s) => Object::String(s),
        Token::Keyword(b"true") => Object::Bool(true),
        Token::Keyword(b"false") => Object::Bool(false),
        Token::Keyword(b"null") => Object::Null,
        _ => return Err(syntax(at, "unexpected token")),
    })
}

/// `num generation R` if the next two tokens are a generation and `R`; the lexer moves only then.
fn reference(lx: &mut Lexer<'_>, num: i64) -> Option<Object> {
    let num = u32::try_from(num).ok()?;
    let mut ahead = lx.clone();
    let Ok(Some((_, Token::Integer(generation)))) = ahead.next_token() else {
        return None;
    };
    let generation = u16::try_from(generation).ok()?;
    let Ok(Some((_, Token::Keyword(b"R")))) = ahead.next_token() else {
        return None;
    };
    *lx = ahead;
    Some(Object::Ref(ObjRef { num, generation }))
}

//! Bounded JSON parsing of request bodies.
//!
//! A request body is parsed straight from its bytes ([`serde_json::Deserializer::from_slice`])
//! into the request types, to the end of the input, with these bounds:
//!
//! - **Memory.** No part of a request is buffered as a generic tree: free-form JSON (the Mobile
//!   ID `response`) is built by `bounded_value`, which refuses more than
//!   [`MAX_VALUE_NODES`] values or nesting deeper than [`MAX_VALUE_DEPTH`]; a batch is streamed
//!   by [`parse_batch`], which refuses item `max_items + 1` before reading it. What is kept is
//!   then at most a small multiple of the body (strings are copied once).
//! - **Field lengths.** Short fields (language tags, times, algorithm names, file names) are
//!   refused beyond [`MAX_SHORT_FIELD_CHARS`] characters (`short_string`, `short_opt_string`),
//!   counted as JSON Schema's `maxLength` counts them.
//! - **No echo.** An error names the field by its JSON path (`[3].hash.algorithm`,
//!   `response.MSS_SignatureResp.Status`) and says what is wrong. Text that comes from the input
//!   (an unknown field name, a string of the wrong type, an unknown key in a path) is cut to
//!   [`MAX_ECHO_CHARS`] characters, and a message to [`MAX_MESSAGE_CHARS`], so an error is
//!   never larger than about 1 KiB whatever the body.
//!
//! The functions are synchronous and meant to run after admission, where the request is
//! verified (see `run_blocking` and `run_small`).

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_path_to_error::{Path, Segment, Track};

use super::ApiError;

/// Most input-derived characters an error message repeats.
pub const MAX_ECHO_CHARS: usize = 64;
/// Longest error message (characters), position included.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// Longest field path in an error (characters).
pub const MAX_FIELD_CHARS: usize = 300;
/// Most JSON values (objects, arrays, scalars) in one free-form value (the Mobile ID `response`).
/// A real Mobile ID MSS_SignatureResp has fewer than 100.
pub const MAX_VALUE_NODES: usize = 10_000;
/// Deepest nesting of objects and arrays in one free-form value (the Mobile ID `response`).
pub const MAX_VALUE_DEPTH: usize = 32;
/// Longest short field: language tags, RFC 3339 times, algorithm names, file names (characters,
/// that is Unicode scalar values, as JSON Schema's `maxLength` counts).
pub const MAX_SHORT_FIELD_CHARS: usize = 64;

/// Parses a whole request body as `T`, to the end of the input.
///
/// # Errors
/// [`ApiError::BadRequest`] naming the field (its JSON path, `body` for the body as a whole)
/// and what is wrong, without repeating the input at length (see the module documentation).
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    parse_fast(body, || PhantomData::<T>)
}

/// Parses a whole body with the seed `seed` makes: first without tracking the path (most bodies
/// are well-formed, and the tracking costs an allocation per key), then, for a body that is
/// refused, again with [`parse_seed`] for the error naming the field. Both passes apply the
/// same bounds, and a refused body is refused by both.
fn parse_fast<'de, S: DeserializeSeed<'de>>(body: &'de [u8], seed: impl Fn() -> S) -> Result<S::Value, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match seed().deserialize(&mut de).map(|value| (value, de.end())) {
        Ok((value, Ok(()))) => Ok(value),
        _ => parse_seed(body, seed()),
    }
}

/// Parses a body that is a JSON array of `T`, streaming it: item `max_items + 1` is refused as
/// soon as it starts, before the rest of the body is read.
///
/// # Errors
/// As [`parse`]; a body that is not an array, an empty array (`field` `[]`, "empty batch") or
/// one of more than `max_items` items (`field` `[]`) is refused.
pub fn parse_batch<T: DeserializeOwned>(body: &[u8], max_items: usize) -> Result<Vec<T>, ApiError> {
    let over = Cell::new(false);
    let items = parse_fast(body, || BoundedSeq::<T>::new(max_items, &over))
        .map_err(|e| if over.get() { too_many("[]", max_items) } else { e })?;
    if items.is_empty() {
        return Err(ApiError::bad("[]", "empty batch"));
    }
    Ok(items)
}

/// Parses a whole body with `seed`, to the end of the input, with the errors of [`parse`].
pub(crate) fn parse_seed<'de, S: DeserializeSeed<'de>>(body: &'de [u8], seed: S) -> Result<S::Value, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut track = Track::new();
    let value = seed
        .deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
        .map_err(|e| bad_json(&track.path(), &e))?;
    de.end().map_err(|e| bad_json(&Track::new().path(), &e))?;
    Ok(value)
}

/// The error for a list longer than `max_items`.
pub(crate) fn too_many(field: &str, max_items: usize) -> ApiError {
    ApiError::bad(field, format!("more than {max_items} items"))
}

/// A JSON array of `T`, refused at item `max + 1` (which sets `over`, so that the caller can
/// tell that error from the others).
pub(crate) struct BoundedSeq<'a, T> {
    max: usize,
    over: &'a Cell<bool>,
    item: PhantomData<T>,
}

impl<'a, T> BoundedSeq<'a, T> {
    pub(crate) fn new(max: usize, over: &'a Cell<bool>) -> Self {
        BoundedSeq {
            max,
            over,
            item: PhantomData,
        }
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for BoundedSeq<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at most {} items", self.max)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max).min(1024));
        while items.len() < self.max {
            match seq.next_element()? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
        // Called only when another item starts; refuses it before it is read.
        seq.next_element_seed(Refuse(self.over))?;
        Ok(items)
    }
}

/// `null` (as `None`) or what `S` reads.
pub(crate) struct Optional<S>(pub(crate) S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Optional<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Optional<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// A seed that refuses whatever it is given, and says so in the flag.
struct Refuse<'a>(&'a Cell<bool>);

impl<'de> DeserializeSeed<'de> for Refuse<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        self.0.set(true);
        Err(de::Error::custom("too many items"))
    }
}

/// Reads and validates a request body as the handler of `endpoint` does before verifying
/// (`verify`, `batch`, `raw`, `mobileid`, `msign-json`; batches of at most 100 items), without
/// verifying anything: the fuzzing entry point. The error is `field: message`.
#[doc(hidden)]
pub fn fuzz_request_body(endpoint: &str, body: &[u8]) -> Result<(), String> {
    use super::{msign, native};
    let headers = axum::http::HeaderMap::new();
    let result = match endpoint {
        "verify" => native::parse_verify(body, &headers).map(drop),
        "batch" => native::parse_verify_batch(body, 100, &headers).map(drop),
        "raw" => native::parse_raw(body, &headers).map(drop),
        "mobileid" => native::parse_mobile_id(body, &headers).map(drop),
        "msign-json" => msign::check_json_request(body, 100).map(drop),
        _ => return Err(format!("unknown endpoint {}", echo(endpoint))),
    };
    result.map_err(|e| match e {
        ApiError::BadRequest { field, message } => format!("{field}: {message}"),
        other => format!("{other:?}"),
    })
}

// ---------------------------------------------------------------------------------------------
// Short strings.

/// A string of at most [`MAX_SHORT_FIELD_CHARS`] characters (`#[serde(deserialize_with)]`).
pub(crate) fn short_string<'de, D: de::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_str(ShortString)
}

/// An optional string of at most [`MAX_SHORT_FIELD_CHARS`] characters; `null` is `None`
/// (`#[serde(default, deserialize_with)]`).
pub(crate) fn short_opt_string<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(ShortOption)
}

struct ShortString;

impl Visitor<'_> for ShortString {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string of at most {MAX_SHORT_FIELD_CHARS} characters")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if v.chars().nth(MAX_SHORT_FIELD_CHARS).is_some() {
            return Err(E::custom(format!(
                "more than {MAX_SHORT_FIELD_CHARS} characters ({} bytes)",
                v.len()
            )));
        }
        Ok(v.to_owned())
    }
}

struct ShortOption;

impl<'de> Visitor<'de> for ShortOption {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null or a string of at most {MAX_SHORT_FIELD_CHARS} characters")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        short_string(d).map(Some)
    }
}

// ---------------------------------------------------------------------------------------------
// Counts.

/// An optional count: a non-negative integer, also when written with a zero fraction (`64.0`,
/// the same JSON Schema `integer`); `null` is `None` (`#[serde(default, deserialize_with)]`).
pub(crate) fn opt_count<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    d.deserialize_option(OptCount)
}

struct OptCount;

impl<'de> Visitor<'de> for OptCount {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a non-negative integer")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(Count).map(Some)
    }
}

struct Count;

impl Visitor<'_> for Count {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        usize::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
        usize::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<usize, E> {
        // Below 2^64 every integral f64 converts exactly.
        if v.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&v) {
            return self.visit_u64(v as u64);
        }
        Err(E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

// ---------------------------------------------------------------------------------------------
// Free-form values.

/// A free-form JSON object of at most [`MAX_VALUE_NODES`] values nested at most
/// [`MAX_VALUE_DEPTH`] deep, with no key twice in an object (`#[serde(deserialize_with)]`).
/// At the top, an object or a string (a Mobile ID SOAP envelope, bounded by the body's limit);
/// anything else (an array, a number, `null`) is refused.
pub(crate) fn bounded_value<'de, D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    let mut left = MAX_VALUE_NODES - 1;
    d.deserialize_any(TopValue(ValueSeed {
        left: &mut left,
        depth: 0,
    }))
}

/// The top of a free-form value: an object or a string.
struct TopValue<'a>(ValueSeed<'a>);

impl<'de> Visitor<'de> for TopValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or a string")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        self.0.visit_map(map)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
}

/// One value; `left` counts down the values still allowed.
struct ValueSeed<'a> {
    left: &'a mut usize,
    depth: usize,
}

impl ValueSeed<'_> {
    fn child(&mut self) -> ValueSeed<'_> {
        ValueSeed {
            left: self.left,
            depth: self.depth + 1,
        }
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_VALUE_DEPTH {
            return Err(E::custom(format!("nested deeper than {MAX_VALUE_DEPTH} levels")));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if *self.left == 0 {
            return Err(de::Error::custom(format!("more than {MAX_VALUE_NODES} JSON values")));
        }
        *self.left -= 1;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.child())? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom("a key given twice in one object"));
            }
            let v = map.next_value_seed(self.child())?;
            object.insert(key, v);
        }
        Ok(Value::Object(object))
    }
}

// ---------------------------------------------------------------------------------------------
// Errors that never echo the input.

/// A 400 for a JSON error at `path`.
fn bad_json(path: &Path, e: &serde_json::Error) -> ApiError {
    ApiError::bad(field_of(path, e), message_of(e))
}

/// The JSON path of the field (`[3].hash.algorithm`), keys cut to [`MAX_ECHO_CHARS`]; `body`
/// for the body as a whole (and for a key that could not be read). An unknown field is named by its (cut) name under its parent.
fn field_of(path: &Path, e: &serde_json::Error) -> String {
    let mut out = String::new();
    let push_key = |out: &mut String, key: &str| {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&echo(key));
    };
    let mut segments: Vec<&Segment> = path.iter().collect();
    while segments.last().is_some_and(|s| matches!(s, Segment::Unknown)) {
        segments.pop();
    }
    for segment in segments {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => push_key(&mut out, key),
            Segment::Enum { variant } => push_key(&mut out, variant),
            Segment::Unknown => push_key(&mut out, "?"),
        }
    }
    if let Some(name) = unknown_field_name(&text_of(e)) {
        if !out.ends_with(&echo(name)) {
            push_key(&mut out, name);
        }
    }
    if out.is_empty() {
        return "body".to_string();
    }
    cap(&out, MAX_FIELD_CHARS)
}

/// serde's text without its position (` at line L column C`).
fn text_of(e: &serde_json::Error) -> String {
    let mut text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    if text.ends_with(&position) {
        text.truncate(text.len() - position.len());
    }
    text
}

/// serde's text, input-derived parts cut, then the position.
fn message_of(e: &serde_json::Error) -> String {
    let mut msg = cap(&cut_echoes(&text_of(e)), MAX_MESSAGE_CHARS - 40);
    if e.line() > 0 {
        msg.push_str(&format!(" (line {}, column {})", e.line(), e.column()));
    }
    msg
}

/// The name in serde's `unknown field `NAME`, expected ...` (or `..., there are no fields`)
/// and `duplicate field `NAME``: the field the error is about, below the path serde reports.
fn unknown_field_name(text: &str) -> Option<&str> {
    quoted_name(text, "unknown field `")
        .map(|(name, _)| name)
        .or_else(|| text.strip_prefix("duplicate field `")?.strip_suffix('`'))
}

/// For `PREFIXNAME`, expected ...` (or `, there are no ...`): NAME and what follows it. The
/// name is raw input and may hold anything, so its end is the last separator: what serde
/// writes after it (names of known fields or variants) holds none.
fn quoted_name<'t>(text: &'t str, prefix: &str) -> Option<(&'t str, &'t str)> {
    let rest = text.strip_prefix(prefix)?;
    let end = rest.rfind("`, expected ").or_else(|| rest.rfind("`, there are no "))?;
    Some((&rest[..end], &rest[end..]))
}

/// serde's message with every input-derived part cut to [`MAX_ECHO_CHARS`] characters.
fn cut_echoes(text: &str) -> String {
    for prefix in ["unknown field `", "unknown variant `"] {
        if let Some((name, tail)) = quoted_name(text, prefix) {
            return format!("{prefix}{}{tail}", echo(name));
        }
    }
    // `invalid type: string "..."`, `invalid value: string "..."`: Debug-escaped, so the value
    // ends at the first unescaped quote.
    if let Some(start) = text.find("string \"").map(|i| i + "string \"".len()) {
        if let Some(len) = escaped_len(&text[start..]) {
            let (value, tail) = text[start..].split_at(len);
            return format!("{}{}{tail}", &text[..start], echo(value));
        }
    }
    text.to_string()
}

/// The length of a Debug-escaped string body up to (not including) its closing quote.
fn escaped_len(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// `s`, or its first [`MAX_ECHO_CHARS`] characters, `…` and its length in bytes (for a string
/// serde quoted, the length of the quoted form).
pub(crate) fn echo(s: &str) -> String {
    match s.char_indices().nth(MAX_ECHO_CHARS) {
        Some((i, _)) => format!("{}… ({} bytes)", &s[..i], s.len()),
        None => s.to_string(),
    }
}

/// `s` cut to `max` characters (the last one `…` when cut).
fn cap(s: &str, max: usize) -> String {
    if s.char_indices().nth(max).is_none() {
        return s.to_string();
    }
    let cut = s.char_indices().nth(max.saturating_sub(1)).map_or(0, |(i, _)| i);
    format!("{}…", &s[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::native::{MobileIdRequest, RawVerifyRequest, VerifyRequest};

    /// The field and message of a refused body.
    fn refused<T: DeserializeOwned>(body: &[u8]) -> (String, String) {
        match parse::<T>(body) {
            Err(ApiError::BadRequest { field, message }) => (field, message),
            Err(other) => panic!("not a bad request: {other:?}"),
            Ok(_) => panic!("accepted: {}", String::from_utf8_lossy(&body[..body.len().min(200)])),
        }
    }

    fn refused_batch(body: &[u8], max: usize) -> (String, String) {
        match parse_batch::<VerifyRequest>(body, max) {
            Err(ApiError::BadRequest { field, message }) => (field, message),
            Err(other) => panic!("not a bad request: {other:?}"),
            Ok(v) => panic!("accepted {} items", v.len()),
        }
    }

    const MOBILE_ID_EXPECTED: &str = r#""expected": {"dtbd": "d", "msisdn": "+41", "apTransId": "t"}"#;

    #[test]
    fn accepts_a_request_and_requires_the_end() {
        let r: VerifyRequest = parse(br#"{"signature": "AAAA", "language": "de"}"#).unwrap();
        assert_eq!(r.language.as_deref(), Some("de"));
        let (field, message) = refused::<VerifyRequest>(br#"{"signature": "AAAA"} {}"#);
        assert_eq!(field, "body");
        assert!(message.starts_with("trailing characters"), "{message}");
        let (field, _) = refused::<VerifyRequest>(b"{not json");
        assert_eq!(field, "body");
    }

    #[test]
    fn names_the_field_by_its_path() {
        let (field, message) =
            refused::<VerifyRequest>(br#"{"signature": "AAAA", "hash": {"algorithm": 5, "value": ""}}"#);
        assert_eq!(field, "hash.algorithm");
        assert!(message.starts_with("invalid type: integer `5`"), "{message}");
        let (field, _) = refused::<VerifyRequest>(br#"{"signature": "AAAA", "nosignature": 1}"#);
        assert_eq!(field, "nosignature");
        let (field, message) = refused::<VerifyRequest>(br#"{"signature": "AAAA", "signature": "AAAA"}"#);
        assert_eq!(field, "signature", "{message}");
        let (field, _) = refused::<VerifyRequest>(
            br#"{"signature": "AAAA", "hash": {"algorithm": "SHA-256", "value": "", "x": 1}}"#,
        );
        assert_eq!(field, "hash.x");
        let (field, message) = refused_batch(
            br#"[{"signature": "AAAA"}, {"signature": "AAAA", "hash": {"algorithm": null}}]"#,
            10,
        );
        assert_eq!(field, "[1].hash.algorithm", "{message}");
    }

    #[test]
    fn a_huge_unknown_field_name_is_not_echoed() {
        let name = "é".repeat(8 * 1024 * 1024 - 1) + "x";
        assert!(name.len() > 15_000_000);
        let body = format!(r#"{{"signature": "AAAA", "{name}": 1}}"#);
        let (field, message) = refused::<VerifyRequest>(body.as_bytes());
        assert!(field.len() + message.len() < 1024, "{field}: {message}");
        assert!(field.starts_with(&"é".repeat(MAX_ECHO_CHARS)), "{field}");
        assert!(field.ends_with(&format!("… ({} bytes)", name.len())), "{field}");
        assert!(message.starts_with("unknown field `éé"), "{message}");
        assert!(message.contains("expected one of `signature`"), "{message}");
        // The name is in the message once, cut.
        assert_eq!(
            message.matches(&format!("({} bytes)", name.len())).count(),
            1,
            "{message}"
        );
    }

    #[test]
    fn a_huge_string_of_the_wrong_type_is_not_echoed() {
        let value = "\"q\\\"".repeat(4 * 1024 * 1024);
        let body = format!(r#"{{"signature": "AAAA", "hash": {{"algorithm": "SHA-256", "value": {{"{value}": 1}}}}}}"#);
        let (field, message) = refused::<VerifyRequest>(body.as_bytes());
        assert!(field.len() + message.len() < 1024, "{field}: {message}");
        let body = format!(
            r#"{{"signatureValue": "AAAA", "signatureAlgorithm": "x", "certificate": "", "hash": {{"algorithm": "SHA-256", "value": "", "saltLength": "{}"}}}}"#,
            "y".repeat(15_000_000)
        );
        let (_, message) = refused::<RawVerifyRequest>(body.as_bytes());
        assert!(message.len() < 1024, "{message}");
        let body = format!(
            r#"{{"response": {{}}, {MOBILE_ID_EXPECTED}, "language": ["{}"]}}"#,
            "z".repeat(15_000_000)
        );
        let (field, message) = refused::<MobileIdRequest>(body.as_bytes());
        assert_eq!(field, "language");
        assert!(message.len() < 1024, "{message}");
        // A string where a number goes: serde quotes it; the quote is cut.
        let body = format!(
            r#"{{"signatureValue": "AAAA", "signatureAlgorithm": {{"name": "RSASSA-PSS", "saltLength": "{}"}}, "certificate": ""}}"#,
            "\\\"w".repeat(5_000_000)
        );
        let (field, message) = refused::<RawVerifyRequest>(body.as_bytes());
        assert_eq!(field, "signatureAlgorithm.saltLength");
        assert!(message.starts_with(r#"invalid type: string "\"w\"w"#), "{message}");
        assert!(
            message.contains("… (15000000 bytes)\", expected a non-negative integer"),
            "{message}"
        );
    }

    #[test]
    fn short_fields_are_bounded() {
        let long = "a".repeat(MAX_SHORT_FIELD_CHARS + 1);
        for (body, want) in [
            (format!(r#"{{"signature": "", "language": "{long}"}}"#), "language"),
            (
                format!(r#"{{"signature": "", "validationTime": "{long}"}}"#),
                "validationTime",
            ),
            (
                format!(r#"{{"signature": "", "hash": {{"algorithm": "{long}", "value": ""}}}}"#),
                "hash.algorithm",
            ),
        ] {
            let (field, message) = refused::<VerifyRequest>(body.as_bytes());
            assert_eq!(field, want);
            assert!(
                message.starts_with("more than 64 characters (65 bytes) (line 1, column "),
                "{message}"
            );
        }
        let exact = "a".repeat(MAX_SHORT_FIELD_CHARS);
        let r: VerifyRequest =
            parse(format!(r#"{{"signature": "", "language": "{exact}", "validationTime": null}}"#).as_bytes()).unwrap();
        assert_eq!(r.language.as_deref(), Some(exact.as_str()));
        // Characters, not bytes: 64 four-byte characters are within the bound, 65 are not.
        let wide = "𝓣".repeat(MAX_SHORT_FIELD_CHARS);
        let body = format!(r#"{{"signature": "", "files": [{{"name": "{wide}", "content": ""}}]}}"#);
        let r: VerifyRequest = parse(body.as_bytes()).unwrap();
        assert_eq!(r.files.unwrap()[0].name, wide);
        let body = format!(r#"{{"signature": "", "files": [{{"name": "{wide}𝓣", "content": ""}}]}}"#);
        let (field, message) = refused::<VerifyRequest>(body.as_bytes());
        assert_eq!(field, "files[0].name");
        assert!(message.starts_with("more than 64 characters (260 bytes)"), "{message}");
        assert_eq!(r.validation_time, None);
        let body = format!(r#"{{"signatureValue": "", "signatureAlgorithm": "{long}", "certificate": ""}}"#);
        assert_eq!(refused::<RawVerifyRequest>(body.as_bytes()).0, "signatureAlgorithm");
    }

    #[test]
    fn a_salt_length_is_an_integer_however_written() {
        let salt = |v: &str| {
            let body = format!(
                r#"{{"signatureValue": "", "signatureAlgorithm": {{"name": "RSASSA-PSS", "saltLength": {v}}}, "certificate": ""}}"#
            );
            parse::<RawVerifyRequest>(body.as_bytes()).map(|r| match r.signature_algorithm {
                Some(crate::api::native::AlgorithmInput::WithParameters { salt_length, .. }) => salt_length,
                other => panic!("{other:?}"),
            })
        };
        assert_eq!(salt("64").ok(), Some(Some(64)));
        assert_eq!(salt("177.0").ok(), Some(Some(177)));
        assert_eq!(salt("1e2").ok(), Some(Some(100)));
        assert_eq!(salt("null").ok(), Some(None));
        for bad in ["-1", "1.5", "-0.5", "1e20", r#""64""#] {
            let Err(ApiError::BadRequest { field, .. }) = salt(bad) else {
                panic!("accepted {bad}")
            };
            assert_eq!(field, "signatureAlgorithm.saltLength", "{bad}");
        }
    }

    #[test]
    fn algorithm_is_a_name_or_parameters() {
        let r: RawVerifyRequest = parse(br#"{"signatureValue": "", "signatureAlgorithm": {"name": "RSASSA-PSS", "hash": "SHA-512", "saltLength": 64}, "certificate": ""}"#).unwrap();
        assert!(matches!(
            r.signature_algorithm,
            Some(crate::api::native::AlgorithmInput::WithParameters {
                salt_length: Some(64),
                ..
            })
        ));
        let (field, _) =
            refused::<RawVerifyRequest>(br#"{"signatureValue": "", "signatureAlgorithm": [1, 2], "certificate": ""}"#);
        assert_eq!(field, "signatureAlgorithm");
        let (field, _) = refused::<RawVerifyRequest>(
            br#"{"signatureValue": "", "signatureAlgorithm": {"name": "x", "other": 1}, "certificate": ""}"#,
        );
        assert_eq!(field, "signatureAlgorithm.other");
    }

    #[test]
    fn a_batch_is_refused_at_the_item_past_the_limit() {
        let (field, message) = refused_batch(b"[]", 3);
        assert_eq!((field.as_str(), message.as_str()), ("[]", "empty batch"));
        // The fourth item is not even JSON: the refusal comes before it is read.
        let (field, message) = refused_batch(br#"[{"signature": ""}, {"signature": ""}, {"signature": ""}, !!!"#, 3);
        assert_eq!((field.as_str(), message.as_str()), ("[]", "more than 3 items"));
        let v =
            parse_batch::<VerifyRequest>(br#"[{"signature": ""}, {"signature": ""}, {"signature": ""}]"#, 3).unwrap();
        assert_eq!(v.len(), 3);
        let (field, _) = refused_batch(br#"{"signature": ""}"#, 3);
        assert_eq!(field, "body");
    }

    fn mobile_id(response: &str) -> Result<MobileIdRequest, ApiError> {
        parse::<MobileIdRequest>(format!(r#"{{"response": {response}, {MOBILE_ID_EXPECTED}}}"#).as_bytes())
    }

    #[test]
    fn the_mobile_id_response_is_bounded() {
        let ok = mobile_id(
            r#"{"MSS_StatusResp": {"Status": {"StatusCode": {"Value": 504}}, "x": [1, 2.5, -3, true, null, "s"]}}"#,
        )
        .unwrap();
        assert_eq!(ok.response["MSS_StatusResp"]["Status"]["StatusCode"]["Value"], 504);
        assert_eq!(ok.response["MSS_StatusResp"]["x"][1], 2.5);
        let many = format!("[{}0]", "{},".repeat(MAX_VALUE_NODES));
        let Err(ApiError::BadRequest { field, message }) =
            mobile_id(&format!(r#"{{"MSS_SignatureResp": {{"Status": {many}}}}}"#))
        else {
            panic!("accepted");
        };
        assert!(field.starts_with("response.MSS_SignatureResp.Status["), "{field}");
        assert!(message.starts_with("more than 10000 JSON values"), "{message}");
        let just = format!("[{}0]", "1,".repeat(MAX_VALUE_NODES - 3));
        assert!(mobile_id(&format!(r#"{{"a": {just}}}"#)).is_ok());
        // The object at the top is the first level.
        let deep = format!(
            r#"{{"a": {}{}}}"#,
            "[".repeat(MAX_VALUE_DEPTH),
            "]".repeat(MAX_VALUE_DEPTH)
        );
        let Err(ApiError::BadRequest { message, .. }) = mobile_id(&deep) else {
            panic!("accepted")
        };
        assert!(message.starts_with("nested deeper than 32 levels"), "{message}");
        let deep = format!(
            r#"{{"a": {}{}}}"#,
            "[".repeat(MAX_VALUE_DEPTH - 1),
            "]".repeat(MAX_VALUE_DEPTH - 1)
        );
        assert!(mobile_id(&deep).is_ok());
        let Err(ApiError::BadRequest { message, .. }) = mobile_id(r#"{"a": 1, "a": 2}"#) else {
            panic!("accepted")
        };
        assert!(message.starts_with("a key given twice"), "{message}");
    }

    #[test]
    fn the_mobile_id_response_is_an_object_or_a_string() {
        for response in ["[null, null]", "[]", "null", "5", "true"] {
            let Err(ApiError::BadRequest { field, message }) = mobile_id(response) else {
                panic!("accepted: {response}")
            };
            assert_eq!(field, "response", "{response}");
            assert!(
                message.contains("expected a JSON object or a string"),
                "{response}: {message}"
            );
        }
        assert!(mobile_id("{}").is_ok());
        assert!(mobile_id(r#""<soapenv:Envelope/>""#).is_ok());
    }

    #[test]
    fn echo_and_cap_cut_on_char_boundaries() {
        assert_eq!(echo("short"), "short");
        let long = "ț".repeat(100);
        assert_eq!(echo(&long), format!("{}… (200 bytes)", "ț".repeat(64)));
        assert_eq!(cap("abc", 3), "abc");
        assert_eq!(cap("abcd", 3), "ab…");
        assert_eq!(
            cut_echoes("unknown field `a`, expected `b`, expected one of `c`, `d`"),
            "unknown field `a`, expected `b`, expected one of `c`, `d`"
        );
    }

    #[test]
    fn the_fuzz_entry_reads_every_endpoint() {
        assert_eq!(fuzz_request_body("verify", br#"{"signature": "AAAA"}"#), Ok(()));
        assert_eq!(
            fuzz_request_body("verify", br#"{"signature": "%"}"#),
            Err("signature: not Base64: Invalid symbol 37, offset 0.".into())
        );
        assert_eq!(fuzz_request_body("batch", br#"[{"signature": "AAAA"}]"#), Ok(()));
        assert!(fuzz_request_body("raw", br#"{"signatureValue": "AAAA", "signatureAlgorithm": "SHA256withRSA", "certificate": "AAAA", "data": "AAAA"}"#).is_ok());
        assert!(
            fuzz_request_body(
                "mobileid",
                format!(r#"{{"response": {{}}, {MOBILE_ID_EXPECTED}}}"#).as_bytes()
            )
            .is_ok()
        );
        assert!(
            fuzz_request_body(
                "msign-json",
                br#"{"Contents": [{"Signature": "AAAA"}], "SignedContentType": 2}"#
            )
            .is_ok()
        );
        assert!(fuzz_request_body("other", b"{}").is_err());
    }
}

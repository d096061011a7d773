//! A bounded pre-scan of XML text, run before a tree parser sees it.
//!
//! XML readers do work that the size of the text does not bound: `roxmltree` checks each
//! attribute of an element against every earlier one (quadratic: 50,000 attributes on one
//! element take seconds, 500,000 minutes), resolves namespaces per element, and recurses by
//! depth. [`check`] walks the text once, left to right, without recursion and without building
//! anything, and refuses it when it crosses one of the [`XmlLimits`]:
//!
//! - a document type declaration (`<!DOCTYPE`): no DTD, so no entity is ever declared or
//!   expanded;
//! - the size of the text, the depth of element nesting, the number of elements, of
//!   attributes on one element and of attributes in all;
//! - namespace declarations in scope where a tree parser copies them: `roxmltree` gives each
//!   element that declares a namespace its own copy of every binding in scope, checking each
//!   against the others (quadratic), so [`MAX_NAMESPACE_WORK`] bounds the sum, over those
//!   elements, of the square of the declarations in scope (counted along the ancestors, an
//!   upper bound of the bindings).
//!
//! It follows only what it must to count correctly: start tags (name, then `name="value"` or
//! `name='value'` pairs, so that a `>` or `<` inside a quoted value cannot end the tag), end
//! tags, empty-element tags, comments (`<!-- -->`), CDATA sections (`<![CDATA[ ]]>`) and
//! processing instructions (`<? ?>`, the XML declaration among them), whose contents may hold
//! anything. Well-formedness (names, characters, entity references, matching end tags) is left
//! to the parser that runs next; a construct the scan cannot follow (an unterminated comment or
//! tag, a stray `</`, an attribute without a quoted value) is an error of its own. Errors name
//! the limit or the construct and give a byte offset, never the input's text.
//!
//! Every XML reader of the crate runs it first: the MSign SOAP binding today, the XAdES and
//! DDOC readers next. Use [`parsing_options`] for the `roxmltree` options that go with the
//! limits (no DTD, a node limit), or [`parse`], which runs both. [`c14n`] canonicalizes a
//! parsed document (or a subset of it) for XML-DSig.

pub mod c14n;

use thiserror::Error;

/// The most namespace work [`check`] allows: the sum, over the elements that declare a
/// namespace, of the square of the namespace declarations in scope there (their own and their
/// ancestors'). Real documents stay far below (10,000 declaring elements with 10 declarations
/// in scope make 1,000,000); 60 nested elements declaring 60 namespaces each, then 200,000
/// elements declaring one more, would take `roxmltree` minutes.
pub const MAX_NAMESPACE_WORK: usize = 1 << 26;

/// What [`check`] allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XmlLimits {
    /// Longest text (bytes).
    pub max_bytes: usize,
    /// Deepest element nesting (the root element is at depth 1).
    pub max_depth: usize,
    /// Most elements in the document.
    pub max_elements: usize,
    /// Most attributes (namespace declarations included) on one element.
    pub max_attributes_per_element: usize,
    /// Most attributes in the whole document.
    pub max_attributes: usize,
}

impl Default for XmlLimits {
    /// Generous for signed documents (XAdES, DDOC, SOAP envelopes): 16 MiB, depth 64, 100,000
    /// elements, 64 attributes on an element, 200,000 in all.
    fn default() -> Self {
        XmlLimits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_elements: 100_000,
            max_attributes_per_element: 64,
            max_attributes: 200_000,
        }
    }
}

impl XmlLimits {
    /// For signature files (XAdES, ASiC signature files, DDOC): up to the library's input limit
    /// ([`crate::MAX_INPUT_LEN`], 64 MiB), depth 64, 1,000,000 elements, 64 attributes on an
    /// element, 4,000,000 in all.
    pub fn signature_document() -> Self {
        XmlLimits {
            max_bytes: crate::MAX_INPUT_LEN,
            max_depth: 64,
            max_elements: 1_000_000,
            max_attributes_per_element: 64,
            max_attributes: 4_000_000,
        }
    }
}

/// What [`check`] counted in a document it accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XmlStats {
    /// Elements.
    pub elements: usize,
    /// Attributes (namespace declarations included).
    pub attributes: usize,
    /// Deepest nesting seen.
    pub max_depth: usize,
    /// Comments, CDATA sections and processing instructions.
    pub other_nodes: usize,
}

/// Why [`check`] refused a text. Offsets are byte offsets into the text.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum XmlError {
    /// Longer than [`XmlLimits::max_bytes`].
    #[error("larger than {limit} bytes")]
    TooLarge {
        /// The limit crossed.
        limit: usize,
    },
    /// A `<!DOCTYPE`: DTDs are refused.
    #[error("a document type declaration (DTD) at byte {offset}; DTDs are not accepted")]
    Doctype {
        /// Where it starts.
        offset: usize,
    },
    /// Elements nested deeper than [`XmlLimits::max_depth`].
    #[error("elements nested deeper than {limit} levels (byte {offset})")]
    TooDeep {
        /// The limit crossed.
        limit: usize,
        /// The start tag that crossed it.
        offset: usize,
    },
    /// More than [`XmlLimits::max_elements`] elements.
    #[error("more than {limit} elements (byte {offset})")]
    TooManyElements {
        /// The limit crossed.
        limit: usize,
        /// The start tag that crossed it.
        offset: usize,
    },
    /// More than [`XmlLimits::max_attributes_per_element`] attributes on one element.
    #[error("more than {limit} attributes on one element (byte {offset})")]
    TooManyAttributesOnElement {
        /// The limit crossed.
        limit: usize,
        /// The attribute that crossed it.
        offset: usize,
    },
    /// More than [`XmlLimits::max_attributes`] attributes in the document.
    #[error("more than {limit} attributes in the document (byte {offset})")]
    TooManyAttributes {
        /// The limit crossed.
        limit: usize,
        /// The attribute that crossed it.
        offset: usize,
    },
    /// Namespace declarations in scope past [`MAX_NAMESPACE_WORK`].
    #[error("too many namespace declarations in scope (byte {offset})")]
    TooManyNamespaces {
        /// The start tag that crossed the limit.
        offset: usize,
    },
    /// Refused by the tree parser after the scan accepted it (see [`parse`]).
    #[error("not well-formed XML: {detail}")]
    Parse {
        /// What is wrong and where, without the input's text ([`describe_parse_error`]).
        detail: String,
    },
    /// A construct the scan cannot follow.
    #[error("not well-formed XML: {what} (byte {offset})")]
    Malformed {
        /// What is wrong.
        what: &'static str,
        /// Where.
        offset: usize,
    },
}

/// Scans `text` once and refuses it when it crosses one of `limits` or has a DTD (see the
/// [module documentation](self)). Linear in the length of `text`; no recursion.
///
/// # Errors
/// The first limit crossed, a DTD, or a construct the scan cannot follow.
pub fn check(text: &str, limits: &XmlLimits) -> Result<XmlStats, XmlError> {
    if text.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let mut scan = Scan {
        text: text.as_bytes(),
        pos: 0,
        depth: 0,
        limits,
        stats: XmlStats::default(),
        in_scope: Vec::new(),
        namespace_work: 0,
    };
    while let Some(lt) = find_byte(scan.text, scan.pos, b'<') {
        scan.pos = lt;
        scan.markup()?;
    }
    if scan.depth > 0 {
        return Err(malformed("an element is not closed", text.len()));
    }
    Ok(scan.stats)
}

/// The text of an XML document given as bytes: UTF-8 (the only encoding read), without a
/// leading byte-order mark. `None` when the bytes are not UTF-8.
pub fn document_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// [`check`], then `roxmltree` with [`parsing_options`]: a tree of a text that stays within
/// `limits`. A DTD is refused.
///
/// # Errors
/// What [`check`] refuses, or [`XmlError::Parse`] when the text is not well-formed XML (the
/// message does not repeat the input).
pub fn parse<'i>(text: &'i str, limits: &XmlLimits) -> Result<roxmltree::Document<'i>, XmlError> {
    check(text, limits)?;
    roxmltree::Document::parse_with_options(text, parsing_options(limits)).map_err(|e| XmlError::Parse {
        detail: describe_parse_error(&e),
    })
}

/// The `roxmltree` options that go with `limits`: no DTD, and a node limit that covers what
/// [`check`] allowed (each element, a text node beside each, and comments and the like).
pub fn parsing_options<'i>(limits: &XmlLimits) -> roxmltree::ParsingOptions<'i> {
    let nodes = limits.max_elements.saturating_mul(3).saturating_add(16);
    roxmltree::ParsingOptions {
        // Never expand entities: a DTD is refused outright (the default, stated on purpose).
        allow_dtd: false,
        nodes_limit: u32::try_from(nodes).unwrap_or(u32::MAX),
        ..roxmltree::ParsingOptions::default()
    }
}

/// A `roxmltree` error described without the input's text (it names elements, prefixes and
/// entities as written, which may be of any length): what is wrong and where.
pub fn describe_parse_error(e: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    let what = match e {
        E::DuplicatedNamespace(..) => "a namespace declared twice on one element",
        E::UnknownNamespace(..) => "an undeclared namespace prefix",
        E::UnexpectedCloseTag(..) => "an end tag that does not match its start tag",
        E::UnknownEntityReference(..) => "a reference to an undeclared entity",
        E::DuplicatedAttribute(..) => "an attribute given twice on one element",
        E::EntityResolver(..) => "an external entity",
        // The other errors carry no text of the input; their own message is short.
        other => return format!("{other}"),
    };
    format!("{what} at {}", e.pos())
}

fn malformed(what: &'static str, offset: usize) -> XmlError {
    XmlError::Malformed { what, offset }
}

/// The first `b` at or after `from`.
fn find_byte(text: &[u8], from: usize, b: u8) -> Option<usize> {
    text.get(from..)?.iter().position(|&c| c == b).map(|i| from + i)
}

/// The first `needle` at or after `from`.
fn find_seq(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = text.get(from..)?;
    // `windows` compares at most `needle.len()` (at most 3) bytes per position: linear.
    hay.windows(needle.len()).position(|w| w == needle).map(|i| from + i)
}

struct Scan<'a> {
    text: &'a [u8],
    pos: usize,
    depth: usize,
    limits: &'a XmlLimits,
    stats: XmlStats,
    /// Namespace declarations in scope in each open element (own and ancestors').
    in_scope: Vec<usize>,
    /// The sum that [`MAX_NAMESPACE_WORK`] bounds.
    namespace_work: usize,
}

impl Scan<'_> {
    fn starts(&self, prefix: &[u8]) -> bool {
        self.text.get(self.pos..).is_some_and(|t| t.starts_with(prefix))
    }

    /// At a `<`: skips one markup construct, counting what it must.
    fn markup(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        if self.starts(b"<!--") {
            self.skip_past(start + 4, b"-->", "an unterminated comment")
        } else if self.starts(b"<![CDATA[") {
            self.skip_past(start + 9, b"]]>", "an unterminated CDATA section")
        } else if self.starts(b"<!DOCTYPE") {
            Err(XmlError::Doctype { offset: start })
        } else if self.starts(b"<!") {
            Err(malformed("a markup declaration outside a DTD", start))
        } else if self.starts(b"<?") {
            self.skip_past(start + 2, b"?>", "an unterminated processing instruction")
        } else if self.starts(b"</") {
            self.end_tag()
        } else {
            self.start_tag()
        }
    }

    /// Moves past the next `end` at or after `from`.
    fn skip_past(&mut self, from: usize, end: &[u8], what: &'static str) -> Result<(), XmlError> {
        let at = find_seq(self.text, from, end).ok_or_else(|| malformed(what, self.pos))?;
        self.stats.other_nodes += 1;
        self.pos = at + end.len();
        Ok(())
    }

    fn end_tag(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        if self.depth == 0 {
            return Err(malformed("an end tag without a start tag", start));
        }
        let gt = find_byte(self.text, start, b'>').ok_or_else(|| malformed("an unterminated end tag", start))?;
        self.depth -= 1;
        self.in_scope.pop();
        self.pos = gt + 1;
        Ok(())
    }

    /// A start tag or an empty-element tag: the name, then attributes up to `>` or `/>`.
    fn start_tag(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        self.stats.elements += 1;
        if self.stats.elements > self.limits.max_elements {
            return Err(XmlError::TooManyElements {
                limit: self.limits.max_elements,
                offset: start,
            });
        }
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(XmlError::TooDeep {
                limit: self.limits.max_depth,
                offset: start,
            });
        }
        self.stats.max_depth = self.stats.max_depth.max(self.depth);
        self.pos = start + 1;
        if self.name() == 0 {
            return Err(malformed("a `<` that starts no tag", start));
        }
        self.attributes(start)
    }

    /// Skips a name (anything up to white space, `=`, `/`, `>`, `<` or a quote); its length.
    fn name(&mut self) -> usize {
        let from = self.pos;
        while let Some(&c) = self.text.get(self.pos) {
            if c.is_ascii_whitespace() || matches!(c, b'=' | b'/' | b'>' | b'<' | b'"' | b'\'') {
                break;
            }
            self.pos += 1;
        }
        self.pos - from
    }

    fn skip_space(&mut self) {
        while self.text.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    /// The attributes of the start tag at `tag`, through its `>` or `/>`.
    fn attributes(&mut self, tag: usize) -> Result<(), XmlError> {
        let mut on_element = 0usize;
        let mut declarations = 0usize;
        loop {
            self.skip_space();
            match self.text.get(self.pos) {
                None => return Err(malformed("an unterminated start tag", tag)),
                Some(b'>') => {
                    self.pos += 1;
                    let in_scope = self.count_namespaces(declarations, tag)?;
                    self.in_scope.push(in_scope);
                    return Ok(());
                }
                Some(b'/') if self.text.get(self.pos + 1) == Some(&b'>') => {
                    self.depth -= 1;
                    self.pos += 2;
                    self.count_namespaces(declarations, tag)?;
                    return Ok(());
                }
                Some(_) => {
                    on_element += 1;
                    self.count_attribute(on_element)?;
                    if self.attribute()? {
                        declarations += 1;
                    }
                }
            }
        }
    }

    /// Adds the namespace work of an element with `declarations` of its own (see
    /// [`MAX_NAMESPACE_WORK`]); the declarations in scope in it.
    fn count_namespaces(&mut self, declarations: usize, tag: usize) -> Result<usize, XmlError> {
        let in_scope = self.in_scope.last().copied().unwrap_or(0).saturating_add(declarations);
        if declarations > 0 {
            self.namespace_work = self.namespace_work.saturating_add(in_scope.saturating_mul(in_scope));
            if self.namespace_work > MAX_NAMESPACE_WORK {
                return Err(XmlError::TooManyNamespaces { offset: tag });
            }
        }
        Ok(in_scope)
    }

    fn count_attribute(&mut self, on_element: usize) -> Result<(), XmlError> {
        self.stats.attributes += 1;
        if on_element > self.limits.max_attributes_per_element {
            return Err(XmlError::TooManyAttributesOnElement {
                limit: self.limits.max_attributes_per_element,
                offset: self.pos,
            });
        }
        if self.stats.attributes > self.limits.max_attributes {
            return Err(XmlError::TooManyAttributes {
                limit: self.limits.max_attributes,
                offset: self.pos,
            });
        }
        Ok(())
    }

    /// `name = "value"` or `name = 'value'`; the value may hold `>` and `<`. Whether it is a
    /// namespace declaration (`xmlns` or `xmlns:*`).
    fn attribute(&mut self) -> Result<bool, XmlError> {
        let start = self.pos;
        let len = self.name();
        let name = self.text.get(start..start + len).unwrap_or_default();
        let declaration = name == b"xmlns" || name.starts_with(b"xmlns:");
        if len == 0 {
            return Err(malformed("an attribute without a name", start));
        }
        self.skip_space();
        if self.text.get(self.pos) != Some(&b'=') {
            return Err(malformed("an attribute without `=`", start));
        }
        self.pos += 1;
        self.skip_space();
        let quote = match self.text.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(malformed("an attribute value without quotes", start)),
        };
        let end = find_byte(self.text, self.pos + 1, quote)
            .ok_or_else(|| malformed("an unterminated attribute value", start))?;
        self.pos = end + 1;
        Ok(declaration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> XmlLimits {
        XmlLimits {
            max_bytes: 10_000,
            max_depth: 4,
            max_elements: 10,
            max_attributes_per_element: 3,
            max_attributes: 5,
        }
    }

    #[test]
    fn counts_what_a_parser_would_build() {
        let text =
            r#"<?xml version="1.0"?><!-- <x a="1"> --><a x="1" y='2'><b/><c z="3">t<![CDATA[<d e="f">]]></c></a>"#;
        let stats = check(text, &small()).unwrap();
        assert_eq!(
            stats,
            XmlStats {
                elements: 3,
                attributes: 3,
                max_depth: 2,
                other_nodes: 3
            }
        );
        assert!(roxmltree::Document::parse_with_options(text, parsing_options(&small())).is_ok());
    }

    #[test]
    fn quoted_values_hide_markup() {
        let text = r#"<a x="<b c='1'>" y='>' z="/>"><b q=">>" /></a>"#;
        let stats = check(text, &small()).unwrap();
        assert_eq!((stats.elements, stats.attributes, stats.max_depth), (2, 4, 2));
        // Whitespace around `=` is allowed.
        assert_eq!(check("<a x = '1'\n/>", &small()).unwrap().attributes, 1);
    }

    #[test]
    fn comments_cdata_and_instructions_hide_markup() {
        let text = r#"<a><!-- <b c="d"> <e> --><![CDATA[<f g="h"><i>]]><?pi <j k="l">?></a>"#;
        let stats = check(text, &small()).unwrap();
        assert_eq!((stats.elements, stats.attributes, stats.other_nodes), (1, 0, 3));
    }

    #[test]
    fn each_limit_is_named() {
        let l = small();
        assert_eq!(
            check(&"a".repeat(10_001), &l),
            Err(XmlError::TooLarge { limit: 10_000 })
        );
        assert_eq!(
            check("<a><a><a><a><a/></a></a></a></a>", &l),
            Err(XmlError::TooDeep { limit: 4, offset: 12 })
        );
        assert!(check("<a><a><a><a/></a></a></a>", &l).is_ok());
        assert_eq!(
            check(&format!("<r>{}</r>", "<e/>".repeat(10)), &l),
            Err(XmlError::TooManyElements { limit: 10, offset: 39 })
        );
        assert_eq!(
            check(r#"<a w="1" x="2" y="3" z="4"/>"#, &l),
            Err(XmlError::TooManyAttributesOnElement { limit: 3, offset: 21 })
        );
        assert_eq!(
            check(r#"<r a="1" b="2"><e a="1" b="2"/><e a="1" b="2"/></r>"#, &l),
            Err(XmlError::TooManyAttributes { limit: 5, offset: 40 })
        );
        assert_eq!(
            check(r#"<!DOCTYPE a [<!ENTITY x "y">]><a/>"#, &l),
            Err(XmlError::Doctype { offset: 0 })
        );
    }

    #[test]
    fn namespace_declarations_in_scope_are_bounded() {
        // 20 nested elements declaring 20 namespaces each, then elements declaring one more:
        // each of these costs 401^2.
        let mut text = String::new();
        for d in 0..20 {
            text.push_str("<a");
            for k in 0..20 {
                text.push_str(&format!(" xmlns:p{d}x{k}='u'"));
            }
            text.push('>');
        }
        let inner_start = text.len();
        text.push_str(&"<b xmlns:q='v'/>".repeat(1000));
        text.push_str(&"</a>".repeat(20));
        let limits = XmlLimits::signature_document();
        let work_before: usize = (1..=20).map(|d| (d * 20) * (d * 20)).sum();
        let crossing = (MAX_NAMESPACE_WORK - work_before) / (401 * 401);
        assert_eq!(
            check(&text, &limits),
            Err(XmlError::TooManyNamespaces {
                offset: inner_start + crossing * 16
            })
        );
        let fits = text.replacen("<b xmlns:q='v'/>", "", 1000 - crossing);
        assert!(check(&fits, &limits).is_ok());
        // The same elements without declarations of their own cost nothing.
        let plain = text.replace("<b xmlns:q='v'/>", "<b q='v'/>");
        assert!(check(&plain, &limits).is_ok());
        // Declarations closed with their element leave scope.
        let siblings = format!("<r>{}</r>", "<a xmlns:a='1' xmlns:b='2'/>".repeat(1000));
        assert!(check(&siblings, &limits).is_ok());
    }

    #[test]
    fn what_it_cannot_follow_is_an_error() {
        for (text, what) in [
            ("<a><!-- x", "an unterminated comment"),
            ("<a><![CDATA[ x", "an unterminated CDATA section"),
            ("<?xml version='1.0'", "an unterminated processing instruction"),
            ("<a", "an unterminated start tag"),
            ("<a x='1", "an unterminated attribute value"),
            ("<a x=1>", "an attribute value without quotes"),
            ("<a x>", "an attribute without `=`"),
            ("<a =''>", "an attribute without a name"),
            ("</a>", "an end tag without a start tag"),
            ("<a></a", "an unterminated end tag"),
            ("<a>", "an element is not closed"),
            ("< a/>", "a `<` that starts no tag"),
            ("<a><!ENTITY x 'y'></a>", "a markup declaration outside a DTD"),
        ] {
            match check(text, &small()) {
                Err(XmlError::Malformed { what: got, .. }) => assert_eq!(got, what, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn parse_errors_do_not_repeat_names() {
        let long = "n".repeat(100_000);
        for text in [
            format!("<a><{long}></b></a>"),
            format!("<{long}:a/>"),
            format!("<a>&{long};</a>"),
            format!("<a {long}='1' {long}='2'/>"),
        ] {
            let e = roxmltree::Document::parse(&text).unwrap_err();
            let d = describe_parse_error(&e);
            assert!(d.len() < 100 && !d.contains("nnnn"), "{d}");
        }
        let e = roxmltree::Document::parse("<a>").unwrap_err();
        assert!(!describe_parse_error(&e).is_empty());
    }
}

//! XML canonicalization for XML-DSig: Canonical XML 1.0 and 1.1, with and without comments, and
//! Exclusive XML Canonicalization 1.0 with an `InclusiveNamespaces` prefix list.
//!
//! - Canonical XML 1.0: <https://www.w3.org/TR/2001/REC-xml-c14n-20010315>
//! - Canonical XML 1.1: <https://www.w3.org/TR/2008/REC-xml-c14n11-20080502/>
//! - Exclusive XML Canonicalization 1.0: <https://www.w3.org/TR/2002/REC-xml-exc-c14n-20020718/>
//!
//! The input is a [`roxmltree`] tree, which has already done what the specifications ask of the
//! XML processor: entity and character references expanded, line endings normalized, attribute
//! values normalized, CDATA sections turned into text, and no DTD (a `<!DOCTYPE` is refused by
//! [`super::parse`], so there are no default attributes to add). What is left is the
//! serialization: the namespace axis, attribute order, escaping, and the nodes outside the
//! document element.
//!
//! A [`Subset`] is the kind of node-set XML-DSig builds: a subtree (or the whole document) less
//! some subtrees (the enveloped-signature transform). The traversal uses an explicit stack of
//! open elements, never recursion.
//!
//! Limitations: Canonical XML 1.1 joins `xml:base` values of omitted ancestors onto the apex
//! (section 2.4); only the case where that needs no join (no ancestor has `xml:base`, or the
//! apex's own value is an absolute URI without dot segments) is implemented, the rest is
//! [`C14nError::Unsupported`].

use roxmltree::{Node, NodeId, NodeType};
use thiserror::Error;

/// The namespace of the `xml:` prefix.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The canonicalization algorithm, without the comments choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Canonical XML 1.0 (inclusive).
    C14n10,
    /// Canonical XML 1.1 (inclusive).
    C14n11,
    /// Exclusive XML Canonicalization 1.0.
    ExcC14n10,
}

/// A canonicalization method as an XML-DSig `CanonicalizationMethod` or `Transform` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Whether comments are kept (the `#WithComments` variants).
    pub with_comments: bool,
    /// The `InclusiveNamespaces PrefixList` of [`Algorithm::ExcC14n10`] (ignored by the other
    /// algorithms): prefixes treated by the inclusive rules; `#default` means the default
    /// namespace.
    pub inclusive_prefixes: Vec<String>,
}

/// Canonical XML 1.0, without comments.
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Canonical XML 1.0, with comments.
pub const C14N10_WITH_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Canonical XML 1.1, without comments.
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// Canonical XML 1.1, with comments.
pub const C14N11_WITH_COMMENTS: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// Exclusive XML Canonicalization 1.0, without comments.
pub const EXC_C14N10: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive XML Canonicalization 1.0, with comments.
pub const EXC_C14N10_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

impl Method {
    /// A method with an empty prefix list.
    pub fn new(algorithm: Algorithm, with_comments: bool) -> Method {
        Method {
            algorithm,
            with_comments,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// The method one of the six W3C URIs names:
    /// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315(#WithComments)`,
    /// `http://www.w3.org/2006/12/xml-c14n11(#WithComments)`,
    /// `http://www.w3.org/2001/10/xml-exc-c14n#(WithComments)`. `None` for any other text.
    pub fn from_uri(uri: &str) -> Option<Method> {
        let (algorithm, with_comments) = match uri {
            C14N10 => (Algorithm::C14n10, false),
            C14N10_WITH_COMMENTS => (Algorithm::C14n10, true),
            C14N11 => (Algorithm::C14n11, false),
            C14N11_WITH_COMMENTS => (Algorithm::C14n11, true),
            EXC_C14N10 => (Algorithm::ExcC14n10, false),
            EXC_C14N10_WITH_COMMENTS => (Algorithm::ExcC14n10, true),
            _ => return None,
        };
        Some(Method::new(algorithm, with_comments))
    }

    /// The W3C URI of this method (the prefix list is not part of it).
    pub fn uri(&self) -> &'static str {
        match (self.algorithm, self.with_comments) {
            (Algorithm::C14n10, false) => C14N10,
            (Algorithm::C14n10, true) => C14N10_WITH_COMMENTS,
            (Algorithm::C14n11, false) => C14N11,
            (Algorithm::C14n11, true) => C14N11_WITH_COMMENTS,
            (Algorithm::ExcC14n10, false) => EXC_C14N10,
            (Algorithm::ExcC14n10, true) => EXC_C14N10_WITH_COMMENTS,
        }
    }
}

/// A document subset as XML-DSig uses them: every node of the subtree rooted at `apex` (an
/// element; or the document root node, meaning the whole document including comments and
/// processing instructions outside the document element), less the subtrees rooted at the
/// `excluded` nodes (the enveloped-signature transform), less comments when the method is
/// without comments.
#[derive(Clone, Debug)]
pub struct Subset<'a, 'input> {
    /// The root of the subtree: an element or the document's root node.
    pub apex: Node<'a, 'input>,
    /// Subtrees left out.
    pub excluded: Vec<NodeId>,
}

impl<'a, 'input> Subset<'a, 'input> {
    /// The whole document.
    pub fn document(doc: &'a roxmltree::Document<'input>) -> Self {
        Subset {
            apex: doc.root(),
            excluded: Vec::new(),
        }
    }

    /// The subtree rooted at `apex`.
    pub fn subtree(apex: Node<'a, 'input>) -> Self {
        Subset {
            apex,
            excluded: Vec::new(),
        }
    }
}

/// Why a subset could not be canonicalized.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum C14nError {
    /// The apex is neither an element nor the document's root node.
    #[error("the apex of a canonicalized subset must be an element or the document root")]
    BadApex,
    /// Something the implementation does not do (rather than give wrong bytes).
    #[error("canonicalization not supported: {what}")]
    Unsupported {
        /// What.
        what: &'static str,
    },
    /// The output would grow past `limit` bytes.
    #[error("the canonical form is larger than {limit} bytes")]
    OutputTooLarge {
        /// The limit crossed.
        limit: usize,
    },
    /// A name could not be read back from the document text.
    #[error("a qualified name could not be read from the document at byte {offset}")]
    Name {
        /// Where the node starts.
        offset: usize,
    },
}

/// The output may grow by at most this many bytes per byte of the document, and at least
/// [`MIN_OUTPUT_LIMIT`]: canonical forms of real documents stay within a small multiple (the
/// worst escape, `"` to `&quot;`, is six bytes for one), while exclusive canonicalization can
/// repeat a long namespace declaration on every element.
pub const OUTPUT_FACTOR: usize = 8;
/// See [`OUTPUT_FACTOR`].
pub const MIN_OUTPUT_LIMIT: usize = 1024 * 1024;

/// Appends the canonical form of `subset` under `method` to `out`.
///
/// # Errors
/// [`C14nError::BadApex`] when the apex is a text, comment or processing-instruction node;
/// [`C14nError::Unsupported`] for the `xml:base` joins of Canonical XML 1.1 that are not
/// implemented; [`C14nError::OutputTooLarge`] when the output would exceed
/// [`OUTPUT_FACTOR`] times the document's length (at least [`MIN_OUTPUT_LIMIT`]).
/// On error `out` may hold part of the output.
pub fn canonicalize(subset: &Subset<'_, '_>, method: &Method, out: &mut Vec<u8>) -> Result<(), C14nError> {
    let text = subset.apex.document().input_text();
    let mut excluded: Vec<u32> = subset.excluded.iter().map(|id| id.get()).collect();
    excluded.sort_unstable();
    let mut c = Canon {
        method,
        text,
        limit: text.len().saturating_mul(OUTPUT_FACTOR).max(MIN_OUTPUT_LIMIT),
        start: out.len(),
        out,
        excluded,
        rendered: Vec::new(),
        open: Vec::new(),
    };
    match subset.apex.node_type() {
        NodeType::Root => c.document(subset.apex),
        NodeType::Element => c.subtree(subset.apex),
        _ => Err(C14nError::BadApex),
    }
}

/// One attribute as it is written: sort keys, qualified name, value.
struct Attr<'a> {
    ns: &'a str,
    local: &'a str,
    qname: &'a str,
    value: &'a str,
}

struct Canon<'s, 'a> {
    method: &'s Method,
    text: &'a str,
    limit: usize,
    start: usize,
    out: &'s mut Vec<u8>,
    /// Node ids (`NodeId::get`) of excluded subtrees, sorted.
    excluded: Vec<u32>,
    /// Namespace declarations rendered on the open elements, outermost first: (prefix, URI);
    /// the prefix `""` is the default namespace.
    rendered: Vec<(&'a str, &'a str)>,
    /// The open elements: qualified name and the length of `rendered` before their start tag.
    open: Vec<(&'a str, usize)>,
}

impl<'s, 'a> Canon<'s, 'a> {
    fn is_excluded(&self, node: Node<'_, '_>) -> bool {
        self.excluded.binary_search(&node.id().get()).is_ok()
    }

    fn check_size(&self) -> Result<(), C14nError> {
        if self.out.len().saturating_sub(self.start) > self.limit {
            return Err(C14nError::OutputTooLarge { limit: self.limit });
        }
        Ok(())
    }

    /// The whole document: the document element's subtree, with the comments and processing
    /// instructions around it each on a line of its own.
    fn document<'i: 'a>(&mut self, root: Node<'a, 'i>) -> Result<(), C14nError> {
        if self.is_excluded(root) {
            return Ok(());
        }
        let mut after_element = false;
        for child in root.children() {
            if self.is_excluded(child) {
                continue;
            }
            match child.node_type() {
                NodeType::Element => {
                    self.subtree(child)?;
                    after_element = true;
                }
                NodeType::Comment | NodeType::PI if self.keeps(child) => {
                    if after_element {
                        self.out.push(b'\n');
                    }
                    self.leaf(child);
                    if !after_element {
                        self.out.push(b'\n');
                    }
                }
                // Text outside the document element is white space, which is not rendered.
                _ => {}
            }
        }
        self.check_size()
    }

    fn keeps(&self, node: Node<'_, '_>) -> bool {
        self.method.with_comments || !node.is_comment()
    }

    /// The subtree rooted at element `apex`, depth first without recursion.
    fn subtree<'i: 'a>(&mut self, apex: Node<'a, 'i>) -> Result<(), C14nError> {
        let mut node = apex;
        loop {
            if self.enter(node, node.id() == apex.id())? {
                if let Some(child) = node.first_child() {
                    node = child;
                    continue;
                }
                self.end_tag();
            }
            loop {
                if node.id() == apex.id() {
                    return Ok(());
                }
                if let Some(next) = node.next_sibling() {
                    node = next;
                    break;
                }
                // A node other than the apex has a parent: the apex or an element below it.
                node = node.parent().ok_or(C14nError::BadApex)?;
                self.end_tag();
            }
        }
    }

    /// Writes a node; for an element only its start tag, and `true` (its children and end tag
    /// are to follow).
    fn enter<'i: 'a>(&mut self, node: Node<'a, 'i>, is_apex: bool) -> Result<bool, C14nError> {
        if self.is_excluded(node) {
            return Ok(false);
        }
        match node.node_type() {
            NodeType::Element => {
                self.start_tag(node, is_apex)?;
                self.check_size()?;
                Ok(true)
            }
            NodeType::Text | NodeType::Comment | NodeType::PI => {
                if self.keeps(node) {
                    self.leaf(node);
                    self.check_size()?;
                }
                Ok(false)
            }
            NodeType::Root => Ok(false),
        }
    }

    /// A text, comment or processing-instruction node.
    fn leaf(&mut self, node: Node<'_, '_>) {
        match node.node_type() {
            NodeType::Text => escape_text(self.out, node.text().unwrap_or("")),
            NodeType::Comment => {
                self.out.extend_from_slice(b"<!--");
                push_newlines_normalized(self.out, node.text().unwrap_or(""));
                self.out.extend_from_slice(b"-->");
            }
            NodeType::PI => {
                if let Some(pi) = node.pi() {
                    self.out.extend_from_slice(b"<?");
                    self.out.extend_from_slice(pi.target.as_bytes());
                    if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                        self.out.push(b' ');
                        push_newlines_normalized(self.out, value);
                    }
                    self.out.extend_from_slice(b"?>");
                }
            }
            NodeType::Root | NodeType::Element => {}
        }
    }

    fn start_tag<'i: 'a>(&mut self, e: Node<'a, 'i>, is_apex: bool) -> Result<(), C14nError> {
        let qname = element_qname(self.text, e)?;
        self.open.push((qname, self.rendered.len()));
        let declarations = match self.method.algorithm {
            Algorithm::ExcC14n10 => self.exclusive_namespaces(e, qname),
            Algorithm::C14n10 | Algorithm::C14n11 => self.inclusive_namespaces(e),
        };
        let mut attrs = element_attributes(self.text, e)?;
        if is_apex {
            self.inherit_xml_attributes(e, &mut attrs)?;
        }
        attrs.sort_by(|a, b| (a.ns, a.local).cmp(&(b.ns, b.local)));
        self.out.push(b'<');
        self.out.extend_from_slice(qname.as_bytes());
        for (prefix, uri) in declarations {
            self.out.extend_from_slice(b" xmlns");
            if !prefix.is_empty() {
                self.out.push(b':');
                self.out.extend_from_slice(prefix.as_bytes());
            }
            push_attribute_value(self.out, uri);
            self.rendered.push((prefix, uri));
        }
        for a in &attrs {
            self.out.push(b' ');
            self.out.extend_from_slice(a.qname.as_bytes());
            push_attribute_value(self.out, a.value);
        }
        self.out.push(b'>');
        Ok(())
    }

    fn end_tag(&mut self) {
        if let Some((qname, mark)) = self.open.pop() {
            self.out.extend_from_slice(b"</");
            self.out.extend_from_slice(qname.as_bytes());
            self.out.push(b'>');
            self.rendered.truncate(mark);
        }
    }

    /// The URI an output ancestor last rendered for `prefix`.
    fn rendered_uri(&self, prefix: &str) -> Option<&'a str> {
        self.rendered.iter().rev().find(|(p, _)| *p == prefix).map(|(_, u)| *u)
    }

    /// Whether the declaration `prefix` = `uri` differs from what the output already has in
    /// scope. For the default namespace, "none" and `""` are the same.
    fn needs(&self, prefix: &str, uri: &str) -> bool {
        match self.rendered_uri(prefix) {
            Some(r) => r != uri,
            None => !(prefix.is_empty() && uri.is_empty()),
        }
    }

    /// Canonical XML 1.0 and 1.1, section 2.3 / 4.7 of 1.0: every namespace node of the
    /// element that an output ancestor does not already have; `xmlns=""` when the default
    /// namespace was declared on an output ancestor and is not in scope here. Sorted by prefix.
    fn inclusive_namespaces<'i: 'a>(&self, e: Node<'a, 'i>) -> Vec<(&'a str, &'a str)> {
        let mut default = "";
        let mut v = Vec::new();
        for ns in e.namespaces() {
            match ns.name() {
                None => default = ns.uri(),
                Some(p) if self.needs(p, ns.uri()) => v.push((p, ns.uri())),
                Some(_) => {}
            }
        }
        if self.needs("", default) {
            v.push(("", default));
        }
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// Exclusive C14N 1.0, section 3: the namespaces the element visibly utilizes (its own
    /// prefix, or the default namespace when it has none, and its attributes' prefixes), plus
    /// those of the prefix list that are in scope, when an output ancestor has not rendered
    /// the same declaration. Sorted by prefix.
    fn exclusive_namespaces<'i: 'a>(&self, e: Node<'a, 'i>, qname: &'a str) -> Vec<(&'a str, &'a str)> {
        let mut wanted: Vec<&'a str> = vec![prefix_of(qname)];
        for a in e.attributes() {
            if let Some(name) = attribute_qname(self.text, &a) {
                let p = prefix_of(name);
                if !p.is_empty() && p != "xml" {
                    wanted.push(p);
                }
            }
        }
        for p in &self.method.inclusive_prefixes {
            let p = if p == "#default" { "" } else { p.as_str() };
            if let Some(ns) = e.namespaces().find(|ns| ns.name().unwrap_or("") == p) {
                wanted.push(ns.name().unwrap_or(""));
            } else if p.is_empty() {
                wanted.push("");
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut v = Vec::new();
        for p in wanted {
            let uri = namespace_in_scope(e, p);
            if self.needs(p, uri) {
                v.push((p, uri));
            }
        }
        v
    }

    /// Canonical XML 1.0 section 2.4 and 1.1 section 2.4: the apex of a subset takes the
    /// `xml:` attributes of its omitted ancestors that it does not have itself (1.0:
    /// `xml:lang`, `xml:space`, `xml:base`, `xml:id`; 1.1: `xml:lang`, `xml:space`, and
    /// `xml:base` joined). Exclusive canonicalization takes none.
    fn inherit_xml_attributes<'i: 'a>(&self, e: Node<'a, 'i>, attrs: &mut Vec<Attr<'a>>) -> Result<(), C14nError> {
        let names: &[&'static str] = match self.method.algorithm {
            Algorithm::C14n10 => &["base", "id", "lang", "space"],
            Algorithm::C14n11 => {
                check_xml_base_11(e)?;
                &["lang", "space"]
            }
            Algorithm::ExcC14n10 => &[],
        };
        for &local in names {
            if attrs.iter().any(|a| a.ns == XML_NS && a.local == local) {
                continue;
            }
            let found = e.ancestors().skip(1).find_map(|anc| anc.attribute((XML_NS, local)));
            if let Some(value) = found {
                attrs.push(Attr {
                    ns: XML_NS,
                    local,
                    qname: xml_qname(local),
                    value,
                });
            }
        }
        Ok(())
    }
}

fn xml_qname(local: &str) -> &'static str {
    match local {
        "base" => "xml:base",
        "id" => "xml:id",
        "lang" => "xml:lang",
        _ => "xml:space",
    }
}

/// Canonical XML 1.1 section 2.4 (xml:base fix-up): only the cases that need no join.
fn check_xml_base_11(e: Node<'_, '_>) -> Result<(), C14nError> {
    let ancestors_have_base = e.ancestors().skip(1).any(|a| a.has_attribute((XML_NS, "base")));
    if !ancestors_have_base {
        return Ok(());
    }
    match e.attribute((XML_NS, "base")) {
        Some(own) if is_plain_absolute_uri(own) => Ok(()),
        _ => Err(C14nError::Unsupported {
            what: "Canonical XML 1.1 xml:base fix-up that joins the values of omitted ancestors",
        }),
    }
}

/// An absolute URI (`scheme:` ...) with no `.` or `..` segment: joining it onto any base gives
/// itself.
fn is_plain_absolute_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    let path = rest.split(['?', '#']).next().unwrap_or("");
    scheme_ok && !path.split('/').any(|seg| seg == "." || seg == "..")
}

/// The URI bound to `prefix` (`""`: the default namespace) on `e`; `""` when none is.
fn namespace_in_scope<'a>(e: Node<'a, '_>, prefix: &str) -> &'a str {
    e.namespaces()
        .find(|ns| ns.name().unwrap_or("") == prefix)
        .map_or("", |ns| ns.uri())
}

/// The prefix of a qualified name; `""` when it has none.
fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

/// Bytes that end a name in a start tag.
fn ends_name(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'=')
}

/// The name starting at byte `from` of `text`.
fn name_at(text: &str, from: usize) -> Option<&str> {
    let rest = text.get(from..)?;
    let len = rest.bytes().position(ends_name).unwrap_or(rest.len());
    rest.get(..len)
}

/// The qualified name of element `e` as written (`roxmltree` keeps only the namespace URI).
fn element_qname<'i>(text: &'i str, e: Node<'_, 'i>) -> Result<&'i str, C14nError> {
    let start = e.range().start;
    name_at(text, start.saturating_add(1))
        .filter(|q| text.as_bytes().get(start) == Some(&b'<') && names_match(q, e.tag_name().name()))
        .ok_or(C14nError::Name { offset: start })
}

fn attribute_qname<'i>(text: &'i str, a: &roxmltree::Attribute<'_, 'i>) -> Option<&'i str> {
    name_at(text, a.range().start).filter(|q| names_match(q, a.name()))
}

/// Whether qualified name `qname` has local part `local`.
fn names_match(qname: &str, local: &str) -> bool {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l) == local
}

fn element_attributes<'a, 'i: 'a>(text: &'i str, e: Node<'a, 'i>) -> Result<Vec<Attr<'a>>, C14nError> {
    e.attributes()
        .map(|a| {
            let qname = attribute_qname(text, &a).ok_or(C14nError::Name {
                offset: a.range().start,
            })?;
            Ok(Attr {
                ns: a.namespace().unwrap_or(""),
                local: a.name(),
                qname,
                value: a.value(),
            })
        })
        .collect()
}

/// ` ="value"` with the value escaped as C14N section 2.3 asks for attribute values (the
/// leading ` ` and the name are written by the caller; this writes `="..."`).
fn push_attribute_value(out: &mut Vec<u8>, value: &str) {
    out.extend_from_slice(b"=\"");
    for &b in value.as_bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// Text escaped as C14N section 2.3 asks for text nodes.
fn escape_text(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

/// Comment and processing-instruction text with line endings normalized (XML 1.0 section 2.11;
/// `roxmltree` keeps them as written there).
fn push_newlines_normalized(out: &mut Vec<u8>, text: &str) {
    let mut bytes = text.as_bytes().iter().peekable();
    while let Some(&b) = bytes.next() {
        if b == b'\r' {
            out.push(b'\n');
            if bytes.peek() == Some(&&b'\n') {
                bytes.next();
            }
        } else {
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests;

//! XML canonicalization checked against libxml2, byte for byte:
//!
//! - whole documents against `xmllint --c14n`, `--c14n11` and `--exc-c14n` (all three keep
//!   comments): hand-written documents, the repository's XML files, and every XML file of the
//!   shared corpus (with the `META-INF/*.xml` of its ASiC containers);
//! - document subsets against `xmlsec1 --verify --store-references --store-signatures`, which
//!   prints what it digested for each same-document `Reference` of a signature (a subtree by
//!   `Id`, or the whole document less the enveloped signature) and the canonical `SignedInfo`
//!   it verified: real signers' subsets, apex namespace inheritance included.
//!
//! A tool that is not installed skips its test with a message; with `SIGVERIFY_REQUIRE_TOOLS=1`
//! (set by `.ci/run`) a missing tool fails it.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sigverify::formats::xml::c14n::{Algorithm, Method, Subset, canonicalize};
use sigverify::formats::xml::{XmlError, XmlLimits, parse};

/// Whether `tool` runs; panics when it does not and `SIGVERIFY_REQUIRE_TOOLS=1`.
fn tool_available(tool: &str) -> bool {
    match Command::new(tool).arg("--version").output() {
        Ok(_) => true,
        Err(e) => {
            let required = std::env::var("SIGVERIFY_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
            assert!(!required, "SIGVERIFY_REQUIRE_TOOLS=1 but `{tool}` does not run: {e}");
            eprintln!("SKIPPED: `{tool}` is not installed ({e}); install it (Debian: libxml2-utils, xmlsec1)");
            false
        }
    }
}

/// Runs `cmd args` with `input` on stdin: exit success and stdout.
fn run(cmd: &str, args: &[&str], input: &[u8]) -> (bool, Vec<u8>) {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A tool that stops reading early closes the pipe; that is not this test's failure.
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (out.status.success(), out.stdout)
}

fn text_of(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// What happened to one document.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// All three algorithms gave xmllint's bytes.
    Matched,
    /// Refused by both (not well-formed).
    BothRefused,
    /// A DOCTYPE, which this crate refuses and libxml2 reads.
    Doctype,
    /// Not UTF-8.
    NotUtf8,
}

/// Compares the three methods with comments against xmllint on `bytes`; panics on a
/// difference.
fn compare_with_xmllint(name: &str, bytes: &[u8]) -> Outcome {
    let Some(text) = text_of(bytes) else {
        return Outcome::NotUtf8;
    };
    let doc = match parse(text, &XmlLimits::signature_document()) {
        Ok(d) => d,
        Err(XmlError::Doctype { .. }) => return Outcome::Doctype,
        Err(e) => {
            let (ok, _) = run("xmllint", &["--noout", "-"], bytes);
            assert!(!ok, "{name}: refused ({e}) but xmllint reads it");
            return Outcome::BothRefused;
        }
    };
    for (flag, alg) in [
        ("--c14n", Algorithm::C14n10),
        ("--c14n11", Algorithm::C14n11),
        ("--exc-c14n", Algorithm::ExcC14n10),
    ] {
        let (ok, expected) = run("xmllint", &[flag, "-"], bytes);
        assert!(ok, "{name}: xmllint {flag} failed on a document this crate reads");
        let mut ours = Vec::new();
        canonicalize(&Subset::document(&doc), &Method::new(alg, true), &mut ours)
            .unwrap_or_else(|e| panic!("{name} {flag}: {e}"));
        assert!(
            ours == expected,
            "{name} {flag}: differs from xmllint\n--- ours ---\n{}\n--- xmllint ---\n{}",
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&expected)
        );
    }
    Outcome::Matched
}

/// Documents that exercise the rules: namespace declarations and undeclarations, attribute
/// order, escaping, line ends, comments and PIs around the document element, CDATA.
const HAND_WRITTEN: &[&str] = &[
    "<?xml version=\"1.0\"?>\r\n<?pi  data  \r\n more ?>\r\n<!-- c1 -->\r\n<doc>\r\n<e/>\r\n</doc>\r\n<!-- c2 --><?end?>\r\n",
    "<a xmlns=\"urn:x\" xmlns:p=\"urn:p\"><b xmlns=\"\"><c xmlns=\"urn:x\"/><p:d xmlns:p=\"urn:p\"/><p:e xmlns:p=\"urn:q\"/></b></a>",
    "<p:a xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" xmlns:z=\"urn:a\" xmlns:a=\"urn:z\" q:x=\"1\" p:x=\"2\" x=\"3\" a:y=\"4\" z:y=\"5\" xml:lang=\"en\"/>",
    "<a b=\"&#9;&#10;&#13; x\ty\nz\r\n&lt;&gt;&amp;&quot;'\" c='\"'>&#13;&#10;\r\n\r<![CDATA[<&>]]>]]&gt;&#x10FFFF;</a>",
    "<a><!----><!-- - --><?t?><?t  ?><?t x?><b><![CDATA[]]></b>\u{e9}\u{1f600}</a>",
    "<r xmlns:u=\"urn:u\"><u:a xmlns:v=\"urn:v\"><v:b u:c=\"1\"/></u:a><x xmlns:u=\"urn:u2\" u:y=\"2\"/></r>",
    "<r xmlns=\"urn:d\"><a xmlns=\"urn:d\"><b xmlns=\"\"><c xmlns=\"\"/></b></a></r>",
    "\u{feff}<r xml:space=\"preserve\" xml:base=\"http://e.org/a/\"> <s xml:base=\"b/\"/> </r>",
];

#[test]
fn xmllint_agrees_on_hand_written_documents() {
    if !tool_available("xmllint") {
        return;
    }
    for (i, text) in HAND_WRITTEN.iter().enumerate() {
        assert_eq!(
            compare_with_xmllint(&format!("hand-written #{i}"), text.as_bytes()),
            Outcome::Matched
        );
    }
}

/// Every file under `dir` whose name ends with one of `exts`, sorted.
fn files_under(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| exts.iter().any(|x| n.ends_with(x)))
            {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// The `META-INF/*.xml` entries of a ZIP container (`unzip`), as (name, bytes).
fn container_xml(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(list) = Command::new("unzip").arg("-Z1").arg(zip).output() else {
        return Vec::new();
    };
    let names = String::from_utf8_lossy(&list.stdout).into_owned();
    names
        .lines()
        .filter(|n| n.starts_with("META-INF/") && n.ends_with(".xml") && !n[9..].contains('/'))
        .filter_map(|n| {
            let out = Command::new("unzip").arg("-p").arg(zip).arg(n).output().ok()?;
            out.status
                .success()
                .then(|| (format!("{}!{n}", zip.display()), out.stdout))
        })
        .collect()
}

/// The XML documents of the shared corpus: `*.xml`, `*.ddoc`, and the `META-INF/*.xml` of the
/// containers.
fn corpus_documents() -> Vec<(String, Vec<u8>)> {
    let corpus = common::shared().join("corpus");
    let mut docs: Vec<(String, Vec<u8>)> = files_under(&corpus, &[".xml", ".ddoc"])
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    if tool_available("unzip") {
        for zip in files_under(&corpus, &[".asice", ".bdoc", ".asics", ".sce", ".scs"]) {
            docs.extend(container_xml(&zip));
        }
    }
    docs
}

fn tally(docs: &[(String, Vec<u8>)]) -> [usize; 4] {
    let mut counts = [0; 4];
    for (name, bytes) in docs {
        let i = match compare_with_xmllint(name, bytes) {
            Outcome::Matched => 0,
            Outcome::BothRefused => 1,
            Outcome::Doctype => 2,
            Outcome::NotUtf8 => 3,
        };
        counts[i] += 1;
    }
    eprintln!(
        "{} documents: {} matched xmllint (3 algorithms each), {} refused by both, {} with a DOCTYPE, {} not UTF-8",
        docs.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    counts
}

#[test]
fn xmllint_agrees_on_repository_xml() {
    if !tool_available("xmllint") {
        return;
    }
    let repo = common::repo();
    let mut docs = Vec::new();
    for dir in ["testdata", "fuzz/seeds"] {
        for p in files_under(&repo.join(dir), &[".xml"]) {
            docs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    let [matched, ..] = tally(&docs);
    assert!(matched >= 1, "no XML file of the repository was compared");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn xmllint_agrees_on_corpus_xml() {
    if !tool_available("xmllint") {
        return;
    }
    let docs = corpus_documents();
    let [matched, ..] = tally(&docs);
    // 12 XML files and 5 DDOC files today, plus the containers' signature files.
    assert!(matched >= 15, "only {matched} corpus documents were compared");
}

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// `--id-attr` options: the `Id` attributes XAdES, ASiC and DDOC references point at.
const ID_ATTRS: &[&str] = &[
    "--id-attr:Id",
    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
    "--id-attr:Id",
    "http://uri.etsi.org/01903/v1.1.1#:SignedProperties",
    "--id-attr:Id",
    "http://www.sk.ee/DigiDoc/v1.3.0#:DataFile",
    "--id-attr:Id",
    "DataFile",
    "--id-attr:Id",
    "SignedProperties",
];

/// What xmlsec1 printed for the first signature of a file: the URI and pre-digest buffer of
/// each `SignedInfo` reference it processed, and the canonical `SignedInfo`.
#[derive(Debug, Default)]
struct Xmlsec {
    references: Vec<(String, Vec<u8>)>,
    signed_info: Option<Vec<u8>>,
}

fn between<'a>(text: &'a [u8], start: &[u8], end: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let s = text.windows(start.len()).position(|w| w == start)? + start.len();
    let e = text[s..].windows(end.len()).position(|w| w == end)? + s;
    Some((&text[s..e], &text[e..]))
}

fn run_xmlsec(sig: &Path) -> Xmlsec {
    let out = Command::new("xmlsec1")
        .args([
            "--verify",
            "--insecure",
            "--store-references",
            "--store-signatures",
            "--print-debug",
        ])
        .args(ID_ATTRS)
        .arg(sig.file_name().unwrap())
        .current_dir(sig.parent().unwrap())
        .output()
        .unwrap();
    let text = out.stdout;
    let mut x = Xmlsec::default();
    let split = b"== Manifest References List:";
    let end = text.windows(split.len()).position(|w| w == split).unwrap_or(text.len());
    let mut refs = &text[..end];
    while let Some((uri, rest)) = between(refs, b"== URI: \"", b"\"\n") {
        let Some((buf, rest)) = between(
            rest,
            b"== PreDigest data - start buffer:\n",
            b"\n== PreDigest data - end buffer",
        ) else {
            break;
        };
        x.references
            .push((String::from_utf8_lossy(uri).into_owned(), buf.to_vec()));
        refs = rest;
    }
    let presigned = between(
        &text,
        b"== PreSigned data - start buffer:\n",
        b"\n== PreSigned data - end buffer",
    );
    x.signed_info = presigned.map(|(b, _)| b.to_vec());
    x
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((DSIG, name)))
}

/// The method a `CanonicalizationMethod` or `Transform` element names, with its
/// `InclusiveNamespaces PrefixList`.
fn method_of(e: roxmltree::Node<'_, '_>) -> Option<Method> {
    let mut m = Method::from_uri(e.attribute("Algorithm")?)?;
    if let Some(list) = e.children().find(|c| c.tag_name().name() == "InclusiveNamespaces") {
        m.inclusive_prefixes = list
            .attribute("PrefixList")
            .unwrap_or("")
            .split_whitespace()
            .map(String::from)
            .collect();
    }
    Some(m)
}

/// Our bytes for a same-document reference (`""` or `#id`) whose transforms are only the
/// enveloped-signature transform and canonicalization; `None` for any other reference.
fn reference_bytes(
    doc: &roxmltree::Document<'_>,
    sig: roxmltree::Node<'_, '_>,
    r: roxmltree::Node<'_, '_>,
) -> Option<Vec<u8>> {
    let uri = r.attribute("URI")?;
    let apex = match uri.strip_prefix('#') {
        None if uri.is_empty() => doc.root(),
        None => return None,
        Some(id) => doc
            .descendants()
            .find(|n| ["Id", "ID", "id"].iter().any(|a| n.attribute(*a) == Some(id)))?,
    };
    let mut subset = Subset {
        apex,
        excluded: Vec::new(),
    };
    let mut method = Method::new(Algorithm::C14n10, false);
    for t in child(r, "Transforms")
        .into_iter()
        .flat_map(|t| t.children().filter(|c| c.is_element()))
    {
        if t.attribute("Algorithm") == Some(ENVELOPED) {
            subset.excluded.push(sig.id());
        } else {
            method = method_of(t)?;
        }
    }
    // A same-document URI without an XPointer removes comments (XML-DSig section 4.3.3.3).
    method.with_comments = false;
    let mut out = Vec::new();
    canonicalize(&subset, &method, &mut out).unwrap();
    Some(out)
}

/// Compares one signature file with xmlsec1: (buffers compared, references skipped).
fn compare_with_xmlsec(name: &str, sig_path: &Path) -> (usize, usize) {
    let bytes = std::fs::read(sig_path).unwrap();
    let Some(text) = text_of(&bytes) else { return (0, 0) };
    let Ok(doc) = parse(text, &XmlLimits::signature_document()) else {
        return (0, 0);
    };
    let Some(sig) = doc.descendants().find(|n| n.has_tag_name((DSIG, "Signature"))) else {
        return (0, 0);
    };
    let x = run_xmlsec(sig_path);
    let signed_info = child(sig, "SignedInfo").unwrap();
    let (mut compared, mut skipped) = (0, 0);
    if let Some(expected) = &x.signed_info {
        let method = method_of(child(signed_info, "CanonicalizationMethod").unwrap()).unwrap();
        let mut ours = Vec::new();
        canonicalize(&Subset::subtree(signed_info), &method, &mut ours).unwrap();
        assert_bytes(&format!("{name} SignedInfo"), &ours, expected);
        compared += 1;
    }
    let refs = signed_info.children().filter(|c| c.has_tag_name((DSIG, "Reference")));
    for (r, (uri, expected)) in refs.zip(&x.references) {
        assert_eq!(r.attribute("URI").unwrap_or(""), uri, "{name}: reference order");
        match reference_bytes(&doc, sig, r) {
            Some(ours) => {
                assert_bytes(&format!("{name} Reference URI=\"{uri}\""), &ours, expected);
                compared += 1;
            }
            None => skipped += 1,
        }
    }
    (compared, skipped)
}

fn assert_bytes(what: &str, ours: &[u8], expected: &[u8]) {
    assert!(
        ours == expected,
        "{what}: differs from xmlsec1\n--- ours ---\n{}\n--- xmlsec1 ---\n{}",
        String::from_utf8_lossy(ours),
        String::from_utf8_lossy(expected)
    );
}

/// A scratch directory under the system's temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("sigverify-c14n-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Each signature file of a container, copied to the container's extracted root so that
/// xmlsec1 finds the signed files its references name.
fn container_signatures(zip: &Path, scratch: &Path) -> Vec<PathBuf> {
    let dir = scratch.join(zip.file_name().unwrap());
    std::fs::create_dir_all(&dir).unwrap();
    let ok = Command::new("unzip")
        .arg("-qq")
        .arg("-o")
        .arg(zip)
        .arg("-d")
        .arg(&dir)
        .stderr(Stdio::null())
        .status();
    if !ok.is_ok_and(|s| s.success()) {
        return Vec::new();
    }
    let meta = dir.join("META-INF");
    let mut sigs = Vec::new();
    for p in files_under(&meta, &[".xml"]) {
        let n = p.file_name().unwrap().to_string_lossy().into_owned();
        if n.contains("signatures") && p.parent() == Some(meta.as_path()) {
            let copy = dir.join(format!("__{n}"));
            std::fs::copy(&p, &copy).unwrap();
            sigs.push(copy);
        }
    }
    sigs
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn xmlsec1_digests_and_signs_the_same_bytes() {
    if !tool_available("xmlsec1") || !tool_available("unzip") {
        return;
    }
    let corpus = common::shared().join("corpus");
    let scratch = Scratch::new("xmlsec");
    let mut files = files_under(&corpus, &[".xml", ".ddoc"]);
    for zip in files_under(&corpus, &[".asice", ".bdoc", ".asics"]) {
        files.extend(container_signatures(&zip, &scratch.0));
    }
    let (mut compared, mut skipped) = (0, 0);
    for f in &files {
        let (c, s) = compare_with_xmlsec(&f.display().to_string(), f);
        compared += c;
        skipped += s;
    }
    eprintln!(
        "{} signature files: {compared} xmlsec1 buffers matched, {skipped} references skipped",
        files.len()
    );
    assert!(compared >= 40, "only {compared} xmlsec1 buffers were compared");
}

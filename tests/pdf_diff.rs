//! Difference analysis after PDF signatures: the generated test files, the PAdES corpus and
//! hand-built incremental updates.

mod common;

use sigverify::adapters::pades::diff::{Change, FieldLock, Level, changes_after, rules};
use std::collections::BTreeMap;

use sigverify::formats::pdf::{self, Pdf, PdfLimits, XrefEntry};

/// The numbers after each `/ByteRange [` in the file.
fn byte_ranges(bytes: &[u8]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let key = b"/ByteRange";
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(key.len()).position(|w| w == key) {
        let start = at + i + key.len();
        at = start;
        let rest = &bytes[start..(start + 100).min(bytes.len())];
        let text = String::from_utf8_lossy(rest);
        let Some(open) = text.find('[') else { continue };
        let Some(close) = text.find(']') else { continue };
        if open > close {
            continue;
        }
        let nums: Vec<usize> = text[open + 1..close]
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        out.push(nums);
    }
    out
}

/// The revision indices the file's signatures cover: those whose end (or end plus an
/// end-of-line) is where a `/ByteRange` ends.
fn signed_revisions(pdf: &Pdf<'_>) -> Vec<usize> {
    let mut out = Vec::new();
    for br in byte_ranges(pdf.bytes) {
        let [_, _, c, d] = br[..] else { continue };
        let end = c + d;
        let hit = pdf.revisions.iter().position(|r| {
            end >= r.end && end - r.end <= 2 && pdf.bytes[r.end..end].iter().all(|b| *b == b'\r' || *b == b'\n')
        });
        if let Some(i) = hit
            && !out.contains(&i)
        {
            out.push(i);
        }
    }
    out.sort_unstable();
    out
}

fn dump(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            format!(
                "  rev {} obj {:?}: {} [{}] {}\n",
                c.revision, c.object, c.what, c.rule, c.allowed
            )
        })
        .collect()
}

fn not_allowed(changes: &[Change]) -> Vec<&Change> {
    changes.iter().filter(|c| !c.allowed).collect()
}

/// Whether some change to `object` (or to the trailer, for `None`) was judged by `rule` with
/// the verdict `allowed`.
fn fired(changes: &[Change], object: Option<u32>, rule: &str, allowed: bool) -> bool {
    changes
        .iter()
        .any(|c| c.object == object && c.rule == rule && c.allowed == allowed)
}

fn analyse(path: &std::path::Path, signed: usize, level: Level, locks: &[FieldLock]) -> Vec<Change> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pdf = pdf::read(&bytes, &PdfLimits::default()).unwrap();
    changes_after(&pdf, signed, level, locks)
}

/// The signed revisions of a file, as found from its `/ByteRange`s.
fn signed_of(path: &std::path::Path) -> Vec<usize> {
    let bytes = std::fs::read(path).unwrap();
    let pdf = pdf::read(&bytes, &PdfLimits::default()).unwrap();
    signed_revisions(&pdf)
}

/// One test file: the revisions its signatures cover (checked against the `/ByteRange`s, so
/// a regenerated file with another layout is noticed), the level, and the rule that must fire.
struct Case {
    file: &'static str,
    signed: &'static [usize],
    level: Level,
    /// `Some((object, rule))`: a change to that object breaks that rule (after the first signed
    /// revision); `None`: every change after every signature is allowed.
    broken: Option<(Option<u32>, &'static str)>,
    /// A rule that must fire allowed after the first signature, for files with allowed updates.
    allowed_rule: Option<&'static str>,
}

const fn ok(file: &'static str, signed: &'static [usize], level: Level, rule: &'static str) -> Case {
    Case {
        file,
        signed,
        level,
        broken: None,
        allowed_rule: Some(rule),
    }
}

const fn bad(file: &'static str, level: Level, object: u32, rule: &'static str) -> Case {
    Case {
        file,
        signed: &[1],
        level,
        broken: Some((Some(object), rule)),
        allowed_rule: None,
    }
}

const FF: Level = Level::FormFilling;

const TESTDATA: &[Case] = &[
    ok("two-signatures.pdf", &[1, 2], FF, rules::NEW_SIGNATURE),
    ok("three-signatures.pdf", &[1, 2, 3], FF, rules::NEW_SIGNATURE),
    ok("signed-then-dss.pdf", &[1], FF, rules::DSS),
    ok("signed-then-dss.pdf", &[1], Level::NoChanges, rules::DSS),
    ok("certified-p2-then-signed.pdf", &[1, 2], FF, rules::NEW_SIGNATURE),
    ok("certified-p2-form-fill.pdf", &[1], FF, rules::FILL),
    // At DocMDP level 3 the FreeText annotation of the overlay attack is an allowed change.
    ok("shadow-overlay.pdf", &[1], Level::Annotations, rules::ANNOTATION),
    bad("shadow-replace.pdf", FF, 5, rules::CONTENT),
    bad("shadow-overlay.pdf", FF, 3, rules::ANNOTATION),
    bad("shadow-hide.pdf", FF, 3, rules::PAGE),
    bad("certified-p1-form-fill.pdf", Level::NoChanges, 6, rules::FILL),
    bad("usf-contents-missing.pdf", FF, 9, rules::SIG_DICT),
    bad("usf-contents-empty.pdf", FF, 9, rules::SIG_DICT),
    bad("usf-contents-zeros.pdf", FF, 9, rules::SIG_DICT),
    bad("usf-byterange-missing.pdf", FF, 9, rules::SIG_DICT),
    bad("usf-byterange-zero.pdf", FF, 9, rules::SIG_DICT),
];

fn check_case(dir: &std::path::Path, case: &Case) {
    let path = dir.join(case.file);
    assert_eq!(signed_of(&path), case.signed, "{}: signed revisions", case.file);
    let first = case.signed.first().copied().unwrap_or_default();
    let changes = analyse(&path, first, case.level, &[]);
    match case.broken {
        Some((object, rule)) => assert!(
            fired(&changes, object, rule, false),
            "{}: expected {rule} broken by object {object:?}:\n{}",
            case.file,
            dump(&changes)
        ),
        None => {
            for &s in case.signed {
                let later = analyse(&path, s, case.level, &[]);
                assert!(
                    not_allowed(&later).is_empty(),
                    "{} after {s}:\n{}",
                    case.file,
                    dump(&later)
                );
            }
        }
    }
    if let Some(rule) = case.allowed_rule {
        assert!(
            changes.iter().any(|c| c.rule == rule && c.allowed),
            "{}: expected {rule} allowed:\n{}",
            case.file,
            dump(&changes)
        );
    }
}

#[test]
fn generated_files() {
    let dir = common::repo().join("testdata/pdf");
    for case in TESTDATA {
        check_case(&dir, case);
    }
}

#[test]
fn nothing_after_the_signature_is_no_change() {
    let dir = common::repo().join("testdata/pdf");
    for file in [
        "pades-rsa.pdf",
        "pades-p256.pdf",
        "certified-p1.pdf",
        "shadow-hide-signed.pdf",
    ] {
        let path = dir.join(file);
        assert_eq!(signed_of(&path), [1], "{file}");
        assert!(analyse(&path, 1, Level::NoChanges, &[]).is_empty(), "{file}");
        // A signature over the original document of a file with one update: every update is judged.
        assert!(!analyse(&path, 0, Level::FormFilling, &[]).is_empty(), "{file}");
    }
}

/// Real PAdES files with DSS and document time-stamp updates: each signed revision, the rules
/// that must fire, and no change that is not allowed, even at DocMDP level 1.
const CORPUS: &[(&str, &[usize], &[&str])] = &[
    ("dd4j-valid-pades-esteid2018.pdf", &[2], &[rules::DSS]),
    (
        "phk-pades-lta-dss-indirect-arrs.pdf",
        &[2, 3],
        &[rules::DSS, rules::TIME_STAMP],
    ),
    (
        "dd4j-hellopades-pades-lt-sha256-sign.pdf",
        &[1, 2],
        &[rules::DSS, rules::TIME_STAMP],
    ),
];

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn corpus_updates_are_allowed() {
    let dir = common::shared().join("corpus/pades");
    for &(file, signed, expected) in CORPUS {
        let path = dir.join(file);
        assert_eq!(signed_of(&path), signed, "{file}: signed revisions");
        for level in [Level::NoChanges, Level::FormFilling, Level::Annotations] {
            for &s in signed {
                let changes = analyse(&path, s, level, &[]);
                assert!(
                    not_allowed(&changes).is_empty(),
                    "{file} after {s}:\n{}",
                    dump(&changes)
                );
            }
        }
        let first = analyse(&path, signed[0], Level::NoChanges, &[]);
        for rule in expected {
            assert!(
                first.iter().any(|c| c.rule == *rule),
                "{file}: {rule}:\n{}",
                dump(&first)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-built documents: an original revision 0 (treated as the signed one) and updates.

/// Writes objects and classic cross-reference sections, each update with `/Prev`.
struct Doc {
    buf: Vec<u8>,
    offsets: BTreeMap<u32, usize>,
    prev: Option<usize>,
}

impl Doc {
    fn obj(&mut self, num: u32, body: &str) {
        self.offsets.insert(num, self.buf.len());
        self.buf
            .extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    fn stream(&mut self, num: u32, data: &str) {
        self.obj(num, &format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len()));
    }

    /// A section listing `used` (at their last offsets) and `free`, then the trailer.
    fn section(&mut self, used: &[u32], free: &[u32], trailer: &str) {
        let at = self.buf.len();
        let mut s = String::from("xref\n");
        for n in free {
            s.push_str(&format!("{n} 1\n0000000000 00001 f\r\n"));
        }
        for n in used {
            s.push_str(&format!("{n} 1\n{:010} 00000 n\r\n", self.offsets[n]));
        }
        let prev = self.prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        s.push_str(&format!("trailer\n<< {trailer}{prev} >>\nstartxref\n{at}\n%%EOF\n"));
        self.buf.extend_from_slice(s.as_bytes());
        self.prev = Some(at);
    }

    /// An update whose section is a cross-reference stream (object `num`, `/W [1 4 2]`) with
    /// `rows` (number, type, field 2, field 3).
    fn xref_stream(&mut self, num: u32, rows: &[(u32, u8, u32, u16)], trailer: &str) {
        let at = self.buf.len();
        let mut data = Vec::new();
        let mut index = String::new();
        for &(n, t, f2, f3) in rows.iter().chain([(num, 1, u32::try_from(at).unwrap(), 0)].iter()) {
            data.push(t);
            data.extend_from_slice(&f2.to_be_bytes());
            data.extend_from_slice(&f3.to_be_bytes());
            index.push_str(&format!("{n} 1 "));
        }
        let prev = self.prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        let dict = format!(
            "<< /Type /XRef /W [1 4 2] /Index [{index}] {trailer}{prev} /Length {} >>\nstream\n",
            data.len()
        );
        self.offsets.insert(num, at);
        self.buf.extend_from_slice(format!("{num} 0 obj\n{dict}").as_bytes());
        self.buf.extend_from_slice(&data);
        self.buf
            .extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
        self.prev = Some(at);
    }

    /// Object stream `num` holding `members` (number, body).
    fn object_stream(&mut self, num: u32, members: &[(u32, &str)]) {
        let mut header = String::new();
        let mut body = String::new();
        for (n, text) in members {
            header.push_str(&format!("{n} {} ", body.len()));
            body.push_str(text);
            body.push('\n');
        }
        let data = format!("{header}{body}");
        let dict = format!(
            "/Type /ObjStm /N {} /First {} /Length {}",
            members.len(),
            header.len(),
            data.len()
        );
        self.obj(num, &format!("<< {dict} >>\nstream\n{data}\nendstream"));
    }

    /// Changes after revision 0.
    fn changes(&self, level: Level, locks: &[FieldLock]) -> Vec<Change> {
        let pdf = pdf::read(&self.buf, &PdfLimits::default()).unwrap();
        changes_after(&pdf, 0, level, locks)
    }
}

const TRAILER: &str = "/Size 10 /Root 1 0 R";
const PAGE: &str = "/Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R \
                    /Resources << /XObject << /X1 20 0 R >> >>";

/// Catalog 1, page tree 2, page 3 (its resources refer to the missing object 20), content 4,
/// an unused font 5, text field `amount` 6, form 7, signed field `Sig1` 8 with signature 9.
fn base() -> Doc {
    let mut d = Doc {
        buf: b"%PDF-1.7\n".to_vec(),
        offsets: BTreeMap::new(),
        prev: None,
    };
    d.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>");
    d.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    d.obj(3, &format!("<< {PAGE} /Annots [6 0 R 8 0 R] >>"));
    d.stream(4, "BT /F1 12 Tf 10 100 Td (pay 100) Tj ET");
    d.obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    d.obj(
        6,
        "<< /FT /Tx /T (amount) /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R >>",
    );
    d.obj(7, "<< /Fields [6 0 R 8 0 R] /SigFlags 3 >>");
    d.obj(
        8,
        "<< /FT /Sig /T (Sig1) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>",
    );
    d.obj(
        9,
        "<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 1 2 3] /Contents <00> >>",
    );
    d.section(&[1, 2, 3, 4, 5, 6, 7, 8, 9], &[0], TRAILER);
    d
}

#[test]
fn rewritten_unchanged_is_no_change() {
    let mut d = base();
    d.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>");
    d.stream(4, "BT /F1 12 Tf 10 100 Td (pay 100) Tj ET");
    d.section(&[1, 4], &[], TRAILER);
    assert_eq!(d.changes(Level::NoChanges, &[]), []);
}

#[test]
fn freeing_a_signed_object_is_not_allowed() {
    let mut d = base();
    d.section(&[], &[5], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(5), rules::FREED, false), "{}", dump(&c));
}

#[test]
fn freeing_an_object_added_after_the_signature_is_allowed() {
    let mut d = base();
    d.obj(10, "<< /Producer (x) >>");
    d.section(&[10], &[], "/Size 11 /Root 1 0 R");
    d.section(&[], &[10], "/Size 11 /Root 1 0 R");
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(10), rules::FREED_NEW, true), "{}", dump(&c));
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
}

#[test]
fn shrinking_size_is_not_allowed() {
    let mut d = base();
    d.section(&[], &[], "/Size 9 /Root 1 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, None, rules::SIZE, false), "{}", dump(&c));
}

#[test]
fn filling_a_dangling_reference_is_not_allowed() {
    let mut d = base();
    d.stream(20, "BT (pay 9000) Tj ET");
    d.obj(21, "<< /Producer (x) >>");
    d.section(&[20, 21], &[], "/Size 22 /Root 1 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(20), rules::DANGLING, false), "{}", dump(&c));
    assert!(fired(&c, Some(21), rules::NEW, true), "{}", dump(&c));
    assert_eq!(not_allowed(&c).len(), 1, "{}", dump(&c));
}

#[test]
fn changing_root_is_not_allowed() {
    let mut d = base();
    d.obj(10, "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>");
    d.section(&[10], &[], "/Size 11 /Root 10 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, None, rules::ROOT, false), "{}", dump(&c));
}

#[test]
fn adding_encrypt_is_not_allowed() {
    let mut d = base();
    d.obj(10, "<< /Filter /Standard >>");
    d.section(&[10], &[], "/Size 11 /Root 1 0 R /Encrypt 10 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, None, rules::ENCRYPT, false), "{}", dump(&c));
}

#[test]
fn a_new_page_is_not_allowed() {
    let mut d = base();
    d.obj(2, "<< /Type /Pages /Kids [3 0 R 10 0 R] /Count 2 >>");
    d.obj(
        10,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    );
    d.section(&[2, 10], &[], "/Size 11 /Root 1 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(2), rules::PAGE_TREE, false), "{}", dump(&c));
}

#[test]
fn catalog_keys_other_than_the_pades_ones_may_not_change() {
    let mut d = base();
    d.obj(
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R /OpenAction [3 0 R /Fit] >>",
    );
    d.section(&[1], &[], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(1), rules::CATALOG, false), "{}", dump(&c));
}

fn with_annotation() -> Doc {
    let mut d = base();
    d.obj(3, &format!("<< {PAGE} /Annots [6 0 R 8 0 R 10 0 R] >>"));
    d.obj(
        10,
        "<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (note) >>",
    );
    d.section(&[3, 10], &[], "/Size 11 /Root 1 0 R");
    d
}

#[test]
fn annotations_are_allowed_at_level_3_only() {
    let d = with_annotation();
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(3), rules::ANNOTATION, true), "{}", dump(&c));
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
    let c = d.changes(Level::FormFilling, &[]);
    assert!(fired(&c, Some(3), rules::ANNOTATION, false), "{}", dump(&c));
}

#[test]
fn changing_an_existing_annotation_is_judged_by_level() {
    let mut d = with_annotation();
    d.obj(
        10,
        "<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (changed) >>",
    );
    d.section(&[10], &[], "/Size 11 /Root 1 0 R");
    let pdf = pdf::read(&d.buf, &PdfLimits::default()).unwrap();
    let after_annotation = |level| changes_after(&pdf, 1, level, &[]);
    assert!(fired(
        &after_annotation(Level::Annotations),
        Some(10),
        rules::ANNOTATION,
        true
    ));
    assert!(fired(
        &after_annotation(Level::FormFilling),
        Some(10),
        rules::ANNOTATION,
        false
    ));
}

fn filled() -> Doc {
    let mut d = base();
    d.obj(
        6,
        "<< /FT /Tx /T (amount) /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R /V (9000) >>",
    );
    d.section(&[6], &[], TRAILER);
    d
}

#[test]
fn form_filling_and_fieldmdp_locks() {
    let d = filled();
    let c = d.changes(Level::FormFilling, &[]);
    assert!(fired(&c, Some(6), rules::FILL, true), "{}", dump(&c));
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(6), rules::FILL, false), "{}", dump(&c));
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let locked = [
        FieldLock::Include(names(&["amount"])),
        FieldLock::Exclude(names(&["other"])),
        FieldLock::All,
    ];
    for lock in locked {
        let c = d.changes(Level::Annotations, std::slice::from_ref(&lock));
        assert!(fired(&c, Some(6), rules::LOCKED, false), "{lock:?}: {}", dump(&c));
    }
    for lock in [
        FieldLock::Include(names(&["other"])),
        FieldLock::Exclude(names(&["amount"])),
    ] {
        let c = d.changes(Level::FormFilling, std::slice::from_ref(&lock));
        assert!(fired(&c, Some(6), rules::FILL, true), "{lock:?}: {}", dump(&c));
    }
}

#[test]
fn a_signed_signature_field_and_its_dictionary_may_not_change() {
    let mut d = base();
    d.obj(
        8,
        "<< /FT /Sig /T (Sig1) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 10 0 R >>",
    );
    d.obj(
        9,
        "<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 0 0 0] /Contents <00> >>",
    );
    d.obj(
        10,
        "<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 1 2 3] /Contents <01> >>",
    );
    d.section(&[8, 9, 10], &[], "/Size 11 /Root 1 0 R");
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(8), rules::SIGNED_FIELD, false), "{}", dump(&c));
    assert!(fired(&c, Some(9), rules::SIG_DICT, false), "{}", dump(&c));
}

/// Adds field 10 (`/FT /Sig` widget with value 11 of type `sig_type`) to the form and the page.
fn with_new_field(ft: &str, sig_type: &str) -> Doc {
    let mut d = base();
    d.obj(3, &format!("<< {PAGE} /Annots [6 0 R 8 0 R 10 0 R] >>"));
    d.obj(7, "<< /Fields [6 0 R 8 0 R 10 0 R] /SigFlags 3 >>");
    d.obj(
        10,
        &format!("<< /FT /{ft} /T (New) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 11 0 R >>"),
    );
    d.obj(
        11,
        &format!("<< /Type /{sig_type} /ByteRange [0 1 2 3] /Contents <00> >>"),
    );
    d.section(&[3, 7, 10, 11], &[], "/Size 12 /Root 1 0 R");
    d
}

#[test]
fn document_time_stamps_are_allowed_at_every_level() {
    let c = with_new_field("Sig", "DocTimeStamp").changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(7), rules::TIME_STAMP, true), "{}", dump(&c));
    assert!(fired(&c, Some(3), rules::TIME_STAMP, true), "{}", dump(&c));
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
}

#[test]
fn new_signatures_need_level_2() {
    let d = with_new_field("Sig", "Sig");
    let c = d.changes(Level::FormFilling, &[]);
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(7), rules::NEW_SIGNATURE, false), "{}", dump(&c));
}

#[test]
fn new_fields_other_than_signatures_are_not_allowed() {
    let c = with_new_field("Tx", "Sig").changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(7), rules::NEW_FIELD, false), "{}", dump(&c));
    assert!(fired(&c, Some(3), rules::WIDGET_ADDED, false), "{}", dump(&c));
}

#[test]
fn an_object_shown_before_signing_keeps_its_role_when_pointed_at_from_the_dss() {
    let mut d = base();
    d.obj(
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R /DSS << /Certs [4 0 R] >> >>",
    );
    d.section(&[1], &[], TRAILER);
    d.stream(4, "BT (pay 9000) Tj ET");
    d.section(&[4], &[], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(1), rules::DSS, true), "{}", dump(&c));
    assert!(fired(&c, Some(4), rules::CONTENT, false), "{}", dump(&c));
}

#[test]
fn unreadable_objects_are_not_allowed() {
    let mut d = base();
    d.obj(5, "<< /Type >>");
    d.section(&[5], &[], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(5), rules::UNREADABLE, false), "{}", dump(&c));
}

#[test]
fn other_objects_have_no_rule() {
    let mut d = base();
    d.obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>");
    d.section(&[5], &[], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(5), rules::OTHER, false), "{}", dump(&c));
}

/// An update written as an object stream and a cross-reference stream: the page rewritten
/// inside the object stream with another content, the form gaining a time-stamp field.
fn compressed_update() -> Doc {
    let mut d = base();
    let page = format!("<< {PAGE} /Annots [6 0 R 8 0 R] >>").replace("/Contents 4 0 R", "/Contents 5 0 R");
    d.object_stream(
        10,
        &[
            (3, page.as_str()),
            (7, "<< /Fields [6 0 R 8 0 R 12 0 R] /SigFlags 3 >>"),
            (12, "<< /FT /Sig /T (TS) /V 13 0 R >>"),
        ],
    );
    d.obj(13, "<< /Type /DocTimeStamp /ByteRange [0 1 2 3] /Contents <00> >>");
    let at = |d: &Doc, n| u32::try_from(d.offsets[&n]).unwrap();
    let rows = [
        (3, 2, 10, 0),
        (7, 2, 10, 1),
        (10, 1, at(&d, 10), 0),
        (12, 2, 10, 2),
        (13, 1, at(&d, 13), 0),
    ];
    d.xref_stream(11, &rows, "/Size 14 /Root 1 0 R");
    d
}

#[test]
fn changes_inside_object_streams_are_judged() {
    let d = compressed_update();
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(3), rules::PAGE, false), "{}", dump(&c));
    assert!(fired(&c, Some(7), rules::TIME_STAMP, true), "{}", dump(&c));
    assert!(fired(&c, Some(10), rules::STRUCTURE_NEW, true), "{}", dump(&c));
    assert!(fired(&c, Some(11), rules::STRUCTURE_NEW, true), "{}", dump(&c));
    assert!(fired(&c, Some(12), rules::NEW, true), "{}", dump(&c));
    assert_eq!(not_allowed(&c).len(), 1, "{}", dump(&c));
}

#[test]
fn object_stream_members_match_objects_read_one_by_one() {
    let d = compressed_update();
    let pdf = pdf::read(&d.buf, &PdfLimits::default()).unwrap();
    let members = pdf.object_stream(1, 10).unwrap();
    assert_eq!(members.len(), 3);
    for (i, (num, object)) in members.iter().enumerate() {
        let entry = pdf.entry(1, *num).unwrap();
        assert_eq!(
            entry,
            Some(XrefEntry::Compressed {
                stream: 10,
                index: u32::try_from(i).unwrap()
            })
        );
        assert_eq!(object.as_ref().unwrap(), &pdf.object(1, *num).unwrap().object);
    }
    assert!(pdf.object_stream(1, 13).is_err(), "not an object stream");
    assert!(pdf.object_stream(0, 10).is_err(), "not in use at revision 0");
}

#[test]
fn field_flags_may_change_with_form_filling_but_a_signed_field_may_not() {
    let mut d = base();
    d.obj(
        6,
        "<< /FT /Tx /T (amount) /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R /Ff 1 >>",
    );
    d.obj(
        8,
        "<< /FT /Sig /T (Sig1) /Subtype /Widget /Rect [0 0 9 9] /P 3 0 R /V 9 0 R >>",
    );
    d.section(&[6, 8], &[], TRAILER);
    let c = d.changes(Level::FormFilling, &[]);
    assert!(fired(&c, Some(6), rules::FIELD_FLAGS, true), "{}", dump(&c));
    assert!(fired(&c, Some(8), rules::SIGNED_FIELD, false), "{}", dump(&c));
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(6), rules::FIELD_FLAGS, false), "{}", dump(&c));
}

#[test]
fn signing_an_existing_empty_signature_field() {
    let mut d = base();
    d.obj(
        10,
        "<< /FT /Sig /T (Empty) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>",
    );
    d.obj(3, &format!("<< {PAGE} /Annots [6 0 R 8 0 R 10 0 R] >>"));
    d.obj(7, "<< /Fields [6 0 R 8 0 R 10 0 R] /SigFlags 3 >>");
    d.section(&[3, 7, 10], &[], "/Size 11 /Root 1 0 R");
    d.obj(
        10,
        "<< /FT /Sig /T (Empty) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 11 0 R /AP << /N 12 0 R >> >>",
    );
    d.obj(11, "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>");
    d.stream(12, "q Q");
    d.section(&[10, 11, 12], &[], "/Size 13 /Root 1 0 R");
    let pdf = pdf::read(&d.buf, &PdfLimits::default()).unwrap();
    // Revision 1 added the empty field; revision 2 signs it.
    let c = changes_after(&pdf, 1, Level::FormFilling, &[]);
    assert!(fired(&c, Some(10), rules::SIGN_EMPTY, true), "{}", dump(&c));
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
    let c = changes_after(&pdf, 1, Level::NoChanges, &[]);
    assert!(fired(&c, Some(10), rules::SIGN_EMPTY, false), "{}", dump(&c));
    let c = changes_after(&pdf, 1, Level::FormFilling, &[FieldLock::Include(vec!["Empty".into()])]);
    assert!(fired(&c, Some(10), rules::LOCKED, false), "{}", dump(&c));
}

#[test]
fn a_visible_time_stamp_widget_needs_level_2() {
    let mut d = base();
    d.obj(3, &format!("<< {PAGE} /Annots [6 0 R 8 0 R 10 0 R] >>"));
    d.obj(7, "<< /Fields [6 0 R 8 0 R 10 0 R] /SigFlags 3 >>");
    let field = "/FT /Sig /T (TS) /Subtype /Widget /Rect [10 90 190 110] /P 3 0 R /V 11 0 R /AP << /N 12 0 R >>";
    d.obj(10, &format!("<< {field} >>"));
    d.obj(11, "<< /Type /DocTimeStamp /ByteRange [0 1 2 3] /Contents <00> >>");
    d.stream(12, "1 1 1 rg 0 0 180 20 re f BT (pay 9000) Tj ET");
    d.section(&[3, 7, 10, 11, 12], &[], "/Size 13 /Root 1 0 R");
    let c = d.changes(Level::NoChanges, &[]);
    assert!(fired(&c, Some(3), rules::TIME_STAMP_VISIBLE, false), "{}", dump(&c));
    let c = d.changes(Level::FormFilling, &[]);
    assert!(not_allowed(&c).is_empty(), "{}", dump(&c));
}

#[test]
fn loops_in_the_page_tree_and_the_field_tree_end() {
    let mut d = base();
    d.obj(2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>");
    d.obj(
        6,
        "<< /FT /Tx /T (amount) /Kids [6 0 R] /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R >>",
    );
    d.section(&[2, 6], &[], TRAILER);
    d.obj(2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>");
    d.obj(
        6,
        "<< /FT /Tx /T (amount) /Kids [6 0 R] /Subtype /Widget /Rect [10 10 100 30] /P 3 0 R /V (1) >>",
    );
    d.section(&[2, 6], &[], TRAILER);
    let pdf = pdf::read(&d.buf, &PdfLimits::default()).unwrap();
    let c = changes_after(&pdf, 1, Level::FormFilling, &[]);
    assert!(fired(&c, Some(2), rules::PAGE_TREE, false), "{}", dump(&c));
    assert!(fired(&c, Some(6), rules::FILL, true), "{}", dump(&c));
}

/// Every revision of every test and corpus file as the signed one, at every level: the
/// analysis ends, and every change names its revision (after the signed one) and a rule.
#[test]
fn every_revision_of_every_file() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(common::repo().join("testdata/pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    if let Ok(rd) = std::fs::read_dir(common::shared_dir().join("corpus/pades")) {
        files.extend(rd.map(|e| e.unwrap().path()));
    }
    let mut analysed = 0;
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "pdf")) {
        let bytes = std::fs::read(f).unwrap();
        let Ok(pdf) = pdf::read(&bytes, &PdfLimits::default()) else {
            continue;
        };
        for signed in 0..pdf.revisions.len() + 1 {
            for level in [Level::NoChanges, Level::FormFilling, Level::Annotations] {
                for c in changes_after(&pdf, signed, level, &[FieldLock::All]) {
                    assert!(
                        c.revision > signed && c.revision < pdf.revisions.len(),
                        "{}: {c:?}",
                        f.display()
                    );
                    assert!(!c.rule.is_empty() && !c.what.is_empty(), "{}: {c:?}", f.display());
                    analysed += 1;
                }
            }
        }
    }
    assert!(analysed > 100, "{analysed} changes");
}

#[test]
fn objects_that_change_kind_or_do_not_fit_their_role_get_no_allowing_rule() {
    let mut d = base();
    d.obj(
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R /Length 1 >>\nstream\nx\nendstream",
    );
    d.obj(7, "[6 0 R 8 0 R]");
    d.section(&[1, 7], &[], TRAILER);
    let c = d.changes(Level::Annotations, &[]);
    assert!(fired(&c, Some(1), rules::KIND, false), "{}", dump(&c));
    assert!(fired(&c, Some(7), rules::KIND, false), "{}", dump(&c));

    // `/Fields` given as a dictionary: its changes are not compared as a list of fields.
    let mut d = base();
    d.obj(7, "<< /Fields 10 0 R >>");
    d.obj(10, "<< /A 1 >>");
    d.section(&[7, 10], &[], "/Size 11 /Root 1 0 R");
    d.obj(10, "<< /A 2 >>");
    d.section(&[10], &[], "/Size 11 /Root 1 0 R");
    let pdf = pdf::read(&d.buf, &PdfLimits::default()).unwrap();
    let c = changes_after(&pdf, 1, Level::Annotations, &[]);
    assert!(fired(&c, Some(10), rules::OTHER, false), "{}", dump(&c));
}

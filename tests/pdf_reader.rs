//! The strict PDF reader: revisions kept apart, limits, and the PAdES corpus.

use std::collections::BTreeMap;

use miniz_oxide::deflate::compress_to_vec_zlib;
use sigverify::formats::pdf::{self, Object, PdfError, PdfLimits, XrefEntry, XrefKind};

/// A tiny writer that records object offsets and writes cross-reference sections.
struct Writer {
    buf: Vec<u8>,
    offsets: BTreeMap<u32, usize>,
}

impl Writer {
    fn new() -> Self {
        Writer {
            buf: b"%PDF-1.7\n".to_vec(),
            offsets: BTreeMap::new(),
        }
    }

    fn obj(&mut self, num: u32, body: &str) {
        self.obj_bytes(num, body.as_bytes());
    }

    fn obj_bytes(&mut self, num: u32, body: &[u8]) {
        self.offsets.insert(num, self.buf.len());
        self.buf.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, num: u32, dict: &str, data: &[u8]) {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.obj_bytes(num, &body);
    }

    fn tail(&mut self, at: usize) {
        self.buf
            .extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
    }

    /// A classic table listing `nums` (and the free object 0 when `zero`).
    fn table(&mut self, nums: &[u32], zero: bool, trailer: &str) -> usize {
        let at = self.buf.len();
        let mut s = String::from("xref\n");
        if zero {
            s.push_str("0 1\n0000000000 65535 f\r\n");
        }
        for n in nums {
            s.push_str(&format!("{n} 1\n{:010} 00000 n\r\n", self.offsets[n]));
        }
        s.push_str(&format!("trailer\n<< {trailer} >>\n"));
        self.buf.extend_from_slice(s.as_bytes());
        self.tail(at);
        at
    }

    /// A cross-reference stream (object `num`, /W [1 2 1]) with `rows` (type, field 2, field 3).
    fn xref_stream(&mut self, num: u32, rows: &[(u32, u8, u16, u8)], extra: &str, flate: bool) -> usize {
        let at = self.buf.len();
        let mut data = Vec::new();
        let mut index = String::new();
        for &(n, t, f2, f3) in rows {
            data.push(t);
            data.extend_from_slice(&f2.to_be_bytes());
            data.push(f3);
            index.push_str(&format!("{n} 1 "));
        }
        let (data, filter) = if flate {
            (compress_to_vec_zlib(&data, 6), "/Filter /FlateDecode")
        } else {
            (data, "")
        };
        let dict = format!("/Type /XRef /W [1 2 1] /Index [{index}] /Size 100 {filter} {extra}");
        self.stream(num, &dict, &data);
        self.tail(at);
        at
    }

    fn row(&self, n: u32) -> (u32, u8, u16, u8) {
        (n, 1, u16::try_from(self.offsets[&n]).unwrap(), 0)
    }
}

fn limits() -> PdfLimits {
    PdfLimits::default()
}

fn simple() -> Writer {
    let mut w = Writer::new();
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    let mut body = b"<< /Length 4 0 R >>\nstream\n".to_vec();
    body.extend_from_slice(b"BT endstream ET");
    body.extend_from_slice(b"\nendstream");
    w.obj_bytes(3, &body);
    w.obj(4, "15");
    w.obj(
        5,
        r"[ (a\(b\)c\n\101 (x)) <48 65 6C6C6F7> /A#20B 1.5 -3 true null 2 0 R % comment
      << /K [1 2 [3]] >> ]",
    );
    w.table(&[1, 2, 3, 4, 5], true, "/Size 6 /Root 1 0 R");
    w
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

#[test]
fn one_revision_with_a_classic_table() {
    let w = simple();
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    assert_eq!(pdf.revisions.len(), 1);
    let rev = &pdf.revisions[0];
    assert_eq!(rev.kind, XrefKind::Table);
    assert_eq!(rev.objects.len(), 6);
    assert_eq!(rev.end, w.buf.len() - 1);
    assert_eq!(pdf.trailing_garbage, None);
    let root = pdf.resolve(&rev.trailer[b"Root".as_slice()], 0).unwrap();
    let pages = pdf.resolve(&root.as_dict().unwrap()[b"Pages".as_slice()], 0).unwrap();
    assert_eq!(pages.as_dict().unwrap()[b"Type".as_slice()], name("Pages"));
    let one = pdf.object(0, 1).unwrap();
    assert_eq!(
        &w.buf[one.span.unwrap()],
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj"
    );
    let Object::Stream(s) = pdf.object(0, 3).unwrap().object else {
        panic!("not a stream")
    };
    assert_eq!(pdf.stream_data(&s), b"BT endstream ET");
    assert_eq!(pdf.decode(&s).unwrap(), b"BT endstream ET");
}

#[test]
fn strings_names_and_numbers() {
    let w = simple();
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    let Object::Array(a) = pdf.object(0, 5).unwrap().object else {
        panic!("not an array")
    };
    assert_eq!(a[0], Object::String(b"a(b)c\nA (x)".to_vec()));
    assert_eq!(a[1], Object::String(b"Hellop".to_vec()));
    assert_eq!(a[2], name("A B"));
    assert_eq!(a[3], Object::Real(1.5));
    assert_eq!(a[4], Object::Integer(-3));
    assert_eq!(a[5], Object::Bool(true));
    assert_eq!(a[6], Object::Null);
    assert!(matches!(a[7], Object::Ref(r) if r.num == 2 && r.generation == 0));
    assert!(matches!(&a[8], Object::Dict(d) if d.len() == 1));
}

#[test]
fn incremental_update_keeps_the_old_object() {
    let mut w2 = simple();
    let prev = find_last(&w2.buf, b"\nxref\n") + 1;
    w2.obj(1, "<< /Type /Catalog /Pages 2 0 R /New true >>");
    w2.table(&[1], false, &format!("/Size 6 /Root 1 0 R /Prev {prev}"));
    let pdf = pdf::read(&w2.buf, &limits()).unwrap();
    assert_eq!(pdf.revisions.len(), 2);
    assert!(pdf.revisions[0].end < pdf.revisions[1].end);
    assert!(w2.buf[..pdf.revisions[0].end].ends_with(b"%%EOF"));
    let old = pdf.object(0, 1).unwrap().object;
    let new = pdf.object(1, 1).unwrap().object;
    assert!(!old.as_dict().unwrap().contains_key(b"New".as_slice()));
    assert_eq!(new.as_dict().unwrap()[b"New".as_slice()], Object::Bool(true));
    assert_eq!(pdf.object(1, 2).unwrap(), pdf.object(0, 2).unwrap());
    assert_eq!(pdf.revisions[1].objects.len(), 1);
    assert_eq!(pdf.object(2, 1).unwrap_err(), PdfError::NoSuchRevision { index: 2 });
}

fn find_last(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).rposition(|w| w == needle).unwrap()
}

fn xref_stream_file(flate: bool) -> Vec<u8> {
    let mut w = Writer::new();
    w.obj(1, "<< /Type /Catalog >>");
    w.obj(2, "(two)");
    let rows = [w.row(1), w.row(2)];
    w.xref_stream(3, &rows, "/Root 1 0 R", flate);
    w.buf
}

#[test]
fn xref_streams_plain_and_flate() {
    for flate in [false, true] {
        let buf = xref_stream_file(flate);
        let pdf = pdf::read(&buf, &limits()).unwrap();
        assert_eq!(pdf.revisions.len(), 1);
        assert_eq!(pdf.revisions[0].kind, XrefKind::Stream);
        assert_eq!(pdf.revisions[0].objects.len(), 2);
        assert_eq!(pdf.object(0, 2).unwrap().object, Object::String(b"two".to_vec()));
    }
}

fn objstm_file() -> Vec<u8> {
    let mut w = Writer::new();
    let header = "6 0 7 11 ";
    let objs = "(six)      << /Seven 7 >>";
    let data = compress_to_vec_zlib(format!("{header}{objs}").as_bytes(), 6);
    w.stream(
        5,
        &format!("/Type /ObjStm /N 2 /First {} /Filter /FlateDecode", header.len()),
        &data,
    );
    w.obj(1, "<< /Type /Catalog >>");
    let rows = [w.row(1), w.row(5), (6, 2, 5, 0), (7, 2, 5, 1)];
    w.xref_stream(8, &rows, "/Root 1 0 R", true);
    w.buf
}

#[test]
fn object_stream_members() {
    let buf = objstm_file();
    let pdf = pdf::read(&buf, &limits()).unwrap();
    assert_eq!(
        pdf.revisions[0].objects[&7],
        XrefEntry::Compressed { stream: 5, index: 1 }
    );
    assert_eq!(pdf.object(0, 6).unwrap().object, Object::String(b"six".to_vec()));
    let seven = pdf.object(0, 7).unwrap();
    assert_eq!(seven.span, None);
    assert_eq!(seven.object.as_dict().unwrap()[b"Seven".as_slice()], Object::Integer(7));
}

#[test]
fn prev_loop_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    let at = w.buf.len();
    w.table(&[1], true, &format!("/Size 2 /Prev {at}"));
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::PrevLoop { offset: at }
    );
}

#[test]
fn offset_outside_the_file_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    w.offsets.insert(1, 99_999);
    w.table(&[1], true, "/Size 2");
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::OffsetOutOfFile { offset: 99_999 }
    );
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    w.table(&[1], true, "/Size 2 /Prev 99999");
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::OffsetOutOfFile { offset: 99_999 }
    );
}

#[test]
fn entry_not_at_its_object_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    w.obj(2, "<< >>");
    w.offsets.insert(1, w.offsets[&2]);
    w.table(&[1, 2], true, "/Size 3");
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::NotAnObject { num: 1 }
    );
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    w.offsets.insert(1, w.offsets[&1] + 2);
    w.table(&[1], true, "/Size 2");
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::NotAnObject { num: 1 }
    );
}

#[test]
fn garbage_after_the_last_eof_is_reported() {
    let mut w = simple();
    w.buf.extend_from_slice(b"junk");
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    assert_eq!(pdf.trailing_garbage, Some(4));
}

#[test]
fn every_truncation_is_an_error() {
    let w = simple();
    let end = w.buf.len() - 1;
    for cut in 0..end {
        assert!(pdf::read(&w.buf[..cut], &limits()).is_err(), "prefix {cut}");
    }
    assert!(pdf::read(&w.buf[..end], &limits()).is_ok());
}

#[test]
fn deep_nesting_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, &"[".repeat(10_000));
    w.obj(2, &"<< /A ".repeat(10_000));
    w.table(&[1, 2], true, "/Size 3");
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    assert!(matches!(pdf.object(0, 1), Err(PdfError::TooDeep { limit: 64, .. })));
    assert!(matches!(pdf.object(0, 2), Err(PdfError::TooDeep { limit: 64, .. })));
    let mut w = Writer::new();
    w.obj(1, "<< >>");
    w.table(&[1], true, &"[".repeat(10_000));
    assert!(matches!(pdf::read(&w.buf, &limits()), Err(PdfError::TooDeep { .. })));
}

#[test]
fn flate_bomb_is_an_error() {
    let mut w = Writer::new();
    let bomb = compress_to_vec_zlib(&vec![0u8; 4 << 20], 6);
    w.stream(1, "/Filter /FlateDecode", &bomb);
    w.table(&[1], true, "/Size 2");
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    let Object::Stream(s) = pdf.object(0, 1).unwrap().object else {
        panic!("not a stream")
    };
    assert!(matches!(pdf.decode(&s), Err(PdfError::StreamTooLarge { .. })));
    let tight = PdfLimits {
        max_stream_size: 1000,
        ..limits()
    };
    let pdf = pdf::read(&w.buf, &tight).unwrap();
    assert_eq!(pdf.decode(&s), Err(PdfError::StreamTooLarge { limit: 1000 }));
}

#[test]
fn other_filters_are_unsupported() {
    let mut w = Writer::new();
    w.stream(1, "/Filter /LZWDecode", b"xx");
    w.table(&[1], true, "/Size 2");
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    let Object::Stream(s) = pdf.object(0, 1).unwrap().object else {
        panic!("not a stream")
    };
    assert_eq!(pdf.decode(&s), Err(PdfError::UnsupportedFilter));
}

/// Corpus files whose structure is broken on purpose: ten bytes were cut from the signed
/// content, so `startxref` and every later offset miss by ten and a strict reader refuses it.
const BROKEN: &[&str] = &["dss-pdf-signed-corrupted.pdf"];

#[test]
fn pades_corpus_parses() {
    let dir = std::path::Path::new("/work/shared/corpus/pades");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("no corpus at {}", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if BROKEN.contains(&file.as_str()) {
            let e = pdf::read(&bytes, &limits()).unwrap_err();
            eprintln!("{file}: refused as expected: {e}");
            continue;
        }
        let pdf = pdf::read(&bytes, &limits()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let revs: Vec<String> = pdf
            .revisions
            .iter()
            .map(|r| format!("{:?}:{}@{}", r.kind, r.objects.len(), r.end))
            .collect();
        eprintln!(
            "{file}: {} revisions [{}] garbage {:?}",
            revs.len(),
            revs.join(" "),
            pdf.trailing_garbage
        );
        for (i, r) in pdf.revisions.iter().enumerate() {
            for (&num, e) in &r.objects {
                if !matches!(e, XrefEntry::Free { .. }) {
                    pdf.object(i, num)
                        .unwrap_or_else(|e| panic!("{} rev {i} obj {num}: {e}", path.display()));
                }
            }
        }
    }
}

/// Writes `fuzz/seeds/pdf/{xref-stream,objstm}.pdf` (run on purpose with `--ignored`).
#[test]
#[ignore]
fn write_fuzz_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/pdf");
    std::fs::write(dir.join("xref-stream.pdf"), xref_stream_file(true)).unwrap();
    std::fs::write(dir.join("objstm.pdf"), objstm_file()).unwrap();
}

#[test]
fn an_entry_beyond_its_revision_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    w.offsets.insert(6, 0);
    let first = w.table(&[1, 2, 6], true, "/Size 7 /Root 1 0 R");
    // Object 6 is written after the first revision's %%EOF, where an update's bytes lie.
    w.obj(6, "(written later)");
    let placeholder = b"6 1\n0000000000 00000 n";
    let at = find_last(&w.buf, placeholder) + 4;
    let real = format!("{:010}", w.offsets[&6]);
    w.buf[at..at + 10].copy_from_slice(real.as_bytes());
    w.table(&[1], false, &format!("/Size 7 /Root 1 0 R /Prev {first}"));
    assert_eq!(
        pdf::read(&w.buf, &limits()).unwrap_err(),
        PdfError::OutsideRevision { num: 6 }
    );
}

#[test]
fn an_object_reaching_into_a_later_revision_is_an_error() {
    let mut w = Writer::new();
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    // A stream whose /Length runs over the first revision's xref and %%EOF into the update.
    w.offsets.insert(3, w.buf.len());
    w.buf.extend_from_slice(b"3 0 obj\n<< /Length 0000 >>\nstream\n");
    let data_start = w.buf.len();
    let first = w.table(&[1, 2, 3], true, "/Size 4 /Root 1 0 R");
    let length = w.buf.len() - data_start;
    w.buf.extend_from_slice(b"\nendstream\nendobj\n");
    w.table(&[1], false, &format!("/Size 4 /Root 1 0 R /Prev {first}"));
    let len_at = find_last(&w.buf, b"/Length 0000") + 8;
    w.buf[len_at..len_at + 4].copy_from_slice(format!("{length:04}").as_bytes());
    let pdf = pdf::read(&w.buf, &limits()).unwrap();
    assert_eq!(pdf.object(0, 3).unwrap_err(), PdfError::OutsideRevision { num: 3 });
    assert_eq!(pdf.object(1, 3).unwrap_err(), PdfError::OutsideRevision { num: 3 });
}

#[test]
fn a_linearized_original_is_one_revision() {
    let bytes = std::fs::read("testdata/pdf/linearized-signed.pdf").unwrap();
    let pdf = pdf::read(&bytes, &limits()).unwrap();
    assert_eq!(pdf.revisions.len(), 2);
    // The first-page section comes first in the file, its /Prev points forward to the main
    // section; together they are the original document, which ends at the main section's %%EOF.
    let original = &pdf.revisions[0];
    assert!(original.xref_offset < 1024);
    assert!(bytes[..original.end].ends_with(b"%%EOF"));
    assert!(bytes[original.end..].starts_with(b"\n"));
    assert!(original.trailer.contains_key(b"Root".as_slice()));
    let first_page_trailer_at = find_last(&bytes[..1024], b"startxref\n0\n");
    assert!(first_page_trailer_at > original.xref_offset);
    for num in pdf.revisions[0].objects.keys() {
        if let Ok(o) = pdf.object(0, *num) {
            assert!(o.span.is_none_or(|s| s.end <= original.end));
        }
    }
}

#[test]
fn startxref_zero_without_a_linearization_dictionary_is_an_error() {
    let mut bytes = std::fs::read("testdata/pdf/linearized-signed.pdf").unwrap();
    let at = find_last(&bytes[..1024], b"/Linearized");
    bytes[at..at + 11].copy_from_slice(b"/Xinearized");
    assert!(matches!(
        pdf::read(&bytes, &limits()).unwrap_err(),
        PdfError::Xref {
            what: "startxref does not point at its section",
            ..
        }
    ));
}

//! Hostile PDFs: the work of finding signatures is bounded however the file multiplies
//! revisions and fields, and such a file never passes.

mod common;

use common::{Setup, at};
use sigverify::Content;
use sigverify::verdict::{CheckCode, CheckResult, Indication};

/// A file of `revisions` revisions, each rewriting the catalog; the AcroForm (written once)
/// lists `fields` signature fields without values.
fn many_revisions(revisions: usize, fields: usize) -> Vec<u8> {
    let mut buf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    fn obj(buf: &mut Vec<u8>, offsets: &mut Vec<(usize, usize)>, num: usize, body: &str) {
        offsets.push((num, buf.len()));
        buf.extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    obj(
        &mut buf,
        &mut offsets,
        1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>",
    );
    obj(&mut buf, &mut offsets, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
    let kids: Vec<String> = (0..fields).map(|i| format!("{} 0 R", 10 + i)).collect();
    obj(
        &mut buf,
        &mut offsets,
        3,
        &format!("<< /Fields [{}] >>", kids.join(" ")),
    );
    for i in 0..fields {
        obj(&mut buf, &mut offsets, 10 + i, &format!("<< /FT /Sig /T (f{i}) >>"));
    }
    let mut prev: Option<usize> = None;
    let mut written = 0;
    for r in 0..revisions {
        if r > 0 {
            obj(
                &mut buf,
                &mut offsets,
                1,
                "<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>",
            );
        }
        let at = buf.len();
        let mut table = String::from("xref\n");
        for (num, off) in &offsets[written..] {
            table.push_str(&format!("{num} 1\n{off:010} 00000 n\r\n"));
        }
        written = offsets.len();
        let prev_entry = prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        table.push_str(&format!(
            "trailer\n<< /Size {} /Root 1 0 R{prev_entry} >>\nstartxref\n{at}\n%%EOF\n",
            10 + fields
        ));
        buf.extend_from_slice(table.as_bytes());
        prev = Some(at);
    }
    buf
}

#[test]
fn many_revisions_times_many_fields_is_refused_not_walked() {
    let setup = Setup::new(&[], &[], at("2026-06-01T00:00:00Z"));
    let report = setup.run(&many_revisions(400, 1_000), Content::None);
    assert_ne!(report.indication, Indication::TotalPassed);
    let parsed = report
        .checks
        .iter()
        .find(|c| c.code == CheckCode::FormatParsed)
        .unwrap();
    assert_eq!(parsed.result, CheckResult::Failed, "{}", parsed.detail);
    assert!(
        parsed.detail.contains("fields walked over all revisions"),
        "{}",
        parsed.detail
    );
}

#[test]
fn fields_without_values_are_not_signatures() {
    let setup = Setup::new(&[], &[], at("2026-06-01T00:00:00Z"));
    let report = setup.run(&many_revisions(3, 5), Content::None);
    assert_eq!(report.indication, Indication::TotalFailed);
    assert!(report.signatures.is_empty());
    let present = report
        .checks
        .iter()
        .find(|c| c.code == CheckCode::SignaturePresent)
        .unwrap();
    assert_eq!(present.result, CheckResult::Failed);
}

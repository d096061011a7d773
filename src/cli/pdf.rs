//! The text output of a PDF signature: its field and kind, the revision it covers, and the
//! changes made after it that no rule allows (`--format json` carries every detail).

use std::io::Write;

use sigverify::verdict::{PdfSignatureInfo, PdfSignatureKind};

/// Most changes not allowed listed for one signature; the rest are counted.
const CHANGES_LISTED: usize = 20;

/// Writes the lines about one PDF signature, indented under its verdict line.
pub fn write(out: &mut impl Write, info: &PdfSignatureInfo) -> std::io::Result<()> {
    let field = info
        .field_name
        .as_deref()
        .map_or("an unnamed field".to_string(), |f| format!("field {}", printable(f)));
    writeln!(out, "    {field}, {}, {}", kind(info), coverage(info))?;
    let allowed = info.changes_after.iter().filter(|c| c.allowed).count();
    let forbidden: Vec<_> = info.changes_after.iter().filter(|c| !c.allowed).collect();
    match (info.revision, allowed, forbidden.len()) {
        (None, ..) => writeln!(
            out,
            "    the revision it covers is not known: later changes cannot be judged"
        )?,
        (Some(_), 0, 0) => writeln!(out, "    nothing changed after it")?,
        (Some(_), a, f) => writeln!(out, "    changes after it: {a} allowed, {f} not allowed")?,
    }
    for c in forbidden.iter().take(CHANGES_LISTED) {
        let object = c.object.map_or(String::new(), |n| format!(" object {n}"));
        writeln!(
            out,
            "      not allowed: revision {}{object}: {} ({})",
            c.revision,
            printable(&c.change),
            printable(&c.rule)
        )?;
    }
    if forbidden.len() > CHANGES_LISTED {
        writeln!(out, "      and {} more not allowed", forbidden.len() - CHANGES_LISTED)?;
    }
    Ok(())
}

fn kind(info: &PdfSignatureInfo) -> String {
    match (info.kind, info.docmdp_permissions) {
        (PdfSignatureKind::Approval, _) => "approval signature".into(),
        (PdfSignatureKind::Certification, Some(p)) => format!("certification signature (DocMDP P={p})"),
        (PdfSignatureKind::Certification, None) => "certification signature".into(),
        (PdfSignatureKind::DocumentTimestamp, _) => "document time-stamp".into(),
    }
}

fn coverage(info: &PdfSignatureInfo) -> String {
    match (info.revision, info.covers_whole_revision) {
        (Some(r), true) => format!("covers revision {r} of {} entirely", info.revisions),
        (Some(r), false) => format!(
            "covers revision {r} of {} only in part (byte range {:?})",
            info.revisions, info.byte_range
        ),
        (None, _) => format!(
            "byte range {:?} ends at the end of no revision ({} in the file)",
            info.byte_range, info.revisions
        ),
    }
}

/// Text from the PDF with control characters escaped, so that it cannot drive a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigverify::verdict::PdfChange;

    fn info() -> PdfSignatureInfo {
        PdfSignatureInfo {
            field_name: Some("Sig1".into()),
            kind: PdfSignatureKind::Approval,
            sub_filter: None,
            claimed_time: None,
            byte_range: vec![0, 10, 20, 30],
            docmdp_permissions: None,
            revision: Some(2),
            revisions: 3,
            covers_whole_revision: true,
            changes_after: Vec::new(),
        }
    }

    fn text(info: &PdfSignatureInfo) -> String {
        let mut out = Vec::new();
        write(&mut out, info).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn change(allowed: bool) -> PdfChange {
        PdfChange {
            revision: 3,
            object: Some(5),
            change: "object written".into(),
            rule: "the rule".into(),
            allowed,
        }
    }

    #[test]
    fn names_field_kind_and_coverage() {
        let t = text(&info());
        assert_eq!(
            t,
            "    field Sig1, approval signature, covers revision 2 of 3 entirely\n    nothing changed after it\n"
        );
    }

    #[test]
    fn lists_changes_not_allowed_and_counts_the_others() {
        let mut i = info();
        i.changes_after = vec![change(true), change(false), change(true)];
        let t = text(&i);
        assert!(t.contains("changes after it: 2 allowed, 1 not allowed\n"), "{t}");
        assert!(
            t.contains("      not allowed: revision 3 object 5: object written (the rule)\n"),
            "{t}"
        );
        i.changes_after = vec![change(false); CHANGES_LISTED + 3];
        let t = text(&i);
        assert_eq!(t.matches("not allowed: revision").count(), CHANGES_LISTED, "{t}");
        assert!(t.contains("and 3 more not allowed"), "{t}");
    }

    #[test]
    fn partial_and_unknown_coverage_and_escaped_names() {
        let mut i = info();
        i.covers_whole_revision = false;
        i.kind = PdfSignatureKind::Certification;
        i.docmdp_permissions = Some(1);
        i.field_name = Some("a\u{1b}[2Jb".into());
        let t = text(&i);
        assert!(t.starts_with("    field a\\u{1b}[2Jb, certification signature (DocMDP P=1), covers revision 2 of 3 only in part (byte range [0, 10, 20, 30])"), "{t}");
        i.revision = None;
        let t = text(&i);
        assert!(
            t.contains("byte range [0, 10, 20, 30] ends at the end of no revision (3 in the file)\n"),
            "{t}"
        );
        assert!(t.contains("later changes cannot be judged\n"), "{t}");
        assert!(!t.contains("nothing changed"), "{t}");
    }
}

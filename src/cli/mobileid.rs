//! The text output of `sigverify mobileid`.

use std::io::Write;

use sigverify::Report;

use super::output::{revocation_note, verdict_text};

fn result_text(r: sigverify::verdict::CheckResult) -> &'static str {
    use sigverify::verdict::CheckResult as R;
    match r {
        R::Passed => "PASSED",
        R::Failed => "FAILED",
        R::Warning => "WARNING",
        R::NotRun => "NOT_RUN",
        R::Info => "INFO",
    }
}

/// A Mobile ID report as text: the verdict, the status (code, name, kind), the message an end
/// user would read, then every check that failed (or could not run and costs the verdict) with
/// its code and detail, the response's own and each signature's.
pub fn write_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    use sigverify::verdict::{CheckResult, i18n};
    let file = r.file.as_deref().unwrap_or("-");
    writeln!(
        out,
        "{file}: {} [{}] at {}",
        verdict_text(r.indication, r.sub_indication),
        r.format,
        r.validation_time
    )?;
    if let Some(s) = &r.mobile_id_status {
        let name = s.name.as_deref().unwrap_or("unknown code");
        writeln!(out, "  Mobile ID status {} {name} ({})", s.code, s.kind.as_str())?;
    }
    writeln!(out, "  {}", i18n::report_message(r, i18n::Lang::En))?;
    let costly = |c: &&sigverify::verdict::Check| {
        c.result == CheckResult::Failed || (c.result == CheckResult::NotRun && c.sub_indication.is_some())
    };
    for c in r.checks.iter().filter(costly) {
        writeln!(
            out,
            "  check {} {}: {}",
            c.code.as_str(),
            result_text(c.result),
            c.detail
        )?;
    }
    for s in &r.signatures {
        let signer = s.signer.as_ref().map_or("unknown signer", |c| &*c.subject);
        writeln!(
            out,
            "  {}: {} signer \"{signer}\"",
            s.id,
            verdict_text(s.indication, s.sub_indication)
        )?;
        for c in s.checks.iter().filter(costly) {
            writeln!(
                out,
                "    check {} {}: {}",
                c.code.as_str(),
                result_text(c.result),
                c.detail
            )?;
        }
        if let Some(note) = revocation_note(&s.checks) {
            writeln!(out, "    {note}")?;
        }
    }
    Ok(())
}

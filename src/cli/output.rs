//! The reports on standard output, written one at a time as they come: text, a JSON array
//! (`[` first, each report as it comes, `]` at the end) or JSON Lines (one report a line), each
//! report flushed at once. With a language, each report gets its verdict in words in that
//! language (the message the HTTP API gives as `message`).

use std::io::Write;

use serde::Serialize;
use sigverify::Report;
use sigverify::verdict::i18n::{self, Lang};
use sigverify::verdict::{Check, CheckCode, CheckResult, SignatureReport};

use crate::OutputFormat;

/// One input's report, with what the command line adds to it.
pub struct Entry {
    /// The report (`file` set to the input's name).
    pub report: Report,
    /// The detached content file it was verified with, and whether it was paired by name.
    pub content: Option<(String, bool)>,
    /// Why the input (or its content) could not be read, when it could not; the report says so
    /// too.
    pub error: Option<String>,
}

impl Entry {
    /// A report as the library gave it.
    pub fn of(report: Report) -> Entry {
        Entry {
            report,
            content: None,
            error: None,
        }
    }
}

/// A report as `--format json` and `jsonl` print it: the library's fields, and the content
/// file and the message when there are.
#[derive(Serialize)]
struct JsonEntry<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// Renders one report in `format`: for a JSON array, the element without the separator before
/// it, indented as an element ([`Printer::rendered`] adds the separator). Done on the thread
/// that verified the input, so that only bytes reach the thread that writes them.
pub fn render(e: &Entry, format: OutputFormat, lang: Option<Lang>) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(RENDERED_CAPACITY);
    render_into(&mut out, e, format, lang)?;
    Ok(out)
}

/// [`render`] at the end of `out`, so that one buffer can serve one report after another.
pub fn render_into(out: &mut Vec<u8>, e: &Entry, format: OutputFormat, lang: Option<Lang>) -> std::io::Result<()> {
    let json = JsonEntry {
        report: &e.report,
        content: e.content.as_ref().map(|(c, _)| c.as_str()),
        message: lang.map(|l| i18n::report_message(&e.report, l)),
    };
    match format {
        OutputFormat::Json => Ok(json.serialize(&mut serde_json::Serializer::with_formatter(out, Element::new()))?),
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut *out, &json)?;
            out.push(b'\n');
            Ok(())
        }
        OutputFormat::Text => write_text(out, e, lang),
    }
}

/// Room for a typical rendered report (a CMS signature's JSON report is about 5 KB).
pub const RENDERED_CAPACITY: usize = 8 * 1024;

/// serde_json's pretty printing (two spaces a level) one level in: each line of a JSON array's
/// element starts with the two spaces of the array's level.
struct Element {
    level: usize,
    has_value: bool,
}

impl Element {
    fn new() -> Element {
        Element {
            level: 1,
            has_value: false,
        }
    }

    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(out, b"\n")?;
        }
        out.write_all(bracket)
    }

    fn new_line(&self, out: &mut (impl Write + ?Sized), sep: &[u8]) -> std::io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        out.write_all(sep)?;
        let mut width = 2 * self.level;
        while width > 0 {
            let n = width.min(SPACES.len());
            out.write_all(&SPACES[..n])?;
            width -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Element {
    fn begin_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }
    fn end_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }
    fn begin_array_value<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.new_line(out, if first { b"\n" } else { b",\n" })
    }
    fn end_array_value<W: Write + ?Sized>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }
    fn end_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }
    fn begin_object_key<W: Write + ?Sized>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.new_line(out, if first { b"\n" } else { b",\n" })
    }
    fn begin_object_value<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }
    fn end_object_value<W: Write + ?Sized>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes reports as they come; the caller flushes when it is about to wait (so that each report
/// is out as soon as it and those before it are done) and at the end.
pub struct Printer<W: Write> {
    out: W,
    format: OutputFormat,
    lang: Option<Lang>,
    written: usize,
}

impl<W: Write> Printer<W> {
    /// Starts the output (`[` for a JSON array).
    pub fn start(mut out: W, format: OutputFormat, lang: Option<Lang>) -> std::io::Result<Printer<W>> {
        if matches!(format, OutputFormat::Json) {
            out.write_all(b"[")?;
            out.flush()?;
        }
        Ok(Printer {
            out,
            format,
            lang,
            written: 0,
        })
    }

    /// Writes one report.
    pub fn entry(&mut self, e: &Entry) -> std::io::Result<()> {
        let bytes = render(e, self.format, self.lang)?;
        self.rendered(&bytes)
    }

    /// Writes one report [`render`]ed in this printer's format and language.
    pub fn rendered(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if matches!(self.format, OutputFormat::Json) {
            self.out.write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
        }
        self.written += 1;
        self.out.write_all(bytes)
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    /// Ends the output (`]` for a JSON array).
    pub fn finish(mut self) -> std::io::Result<()> {
        if matches!(self.format, OutputFormat::Json) {
            self.out.write_all(b"\n]\n")?;
        }
        self.out.flush()
    }
}

/// Prints finished reports (the commands with one report).
pub fn print(entries: &[Entry], format: OutputFormat, lang: Option<Lang>) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut p = Printer::start(std::io::BufWriter::new(stdout.lock()), format, lang)?;
    for e in entries {
        p.entry(e)?;
    }
    p.finish()
}

/// `TOTAL_FAILED/HASH_FAILURE`, `TOTAL_PASSED`.
pub fn verdict_text(i: sigverify::Indication, s: Option<sigverify::SubIndication>) -> String {
    match s {
        Some(s) => format!("{}/{}", i.as_str(), s.as_str()),
        None => i.as_str().to_string(),
    }
}

/// The check that gave the verdict's sub-indication (the first one carrying it).
fn deciding(checks: &[Check], sub: Option<sigverify::SubIndication>) -> Option<&Check> {
    let sub = sub?;
    checks
        .iter()
        .find(|c| c.sub_indication == Some(sub))
        .or_else(|| checks.iter().find(|c| c.sub_indication.is_some()))
}

/// The detail of the check that gave the verdict's sub-indication.
pub fn reason(checks: &[Check], sub: Option<sigverify::SubIndication>) -> Option<String> {
    deciding(checks, sub).map(|c| c.detail.to_string())
}

/// A signature's verdict in words: the verdict, then why, from its deciding check.
fn signature_message(s: &SignatureReport, lang: Lang) -> String {
    let verdict = i18n::verdict_message(s.indication, s.sub_indication, lang);
    match deciding(&s.checks, s.sub_indication) {
        Some(c) if s.indication != sigverify::Indication::TotalPassed => {
            format!("{verdict} {}", i18n::check_failure_message(c.code, lang))
        }
        _ => verdict,
    }
}

/// The text of one report: a line for the file, one per signature, and what explains them.
pub fn write_text(out: &mut impl Write, e: &Entry, lang: Option<Lang>) -> std::io::Result<()> {
    let r = &e.report;
    let file = r.file.as_deref().unwrap_or("-");
    writeln!(
        out,
        "{file}: {} [{}] at {}",
        verdict_text(r.indication, r.sub_indication),
        r.format,
        r.validation_time
    )?;
    if let Some(l) = lang {
        writeln!(out, "  {}", i18n::report_message(r, l))?;
    }
    if let Some((content, by_name)) = &e.content {
        let how = if *by_name { " (paired by name)" } else { "" };
        writeln!(out, "  content {content}{how}")?;
    }
    if let Some(c) = &r.certificate {
        writeln!(out, "  certificate {}", c.subject)?;
    }
    write_file_reason(out, r)?;
    for f in &r.data_files {
        let by = if f.covered_by.is_empty() {
            "no signature".to_string()
        } else {
            f.covered_by.join(", ")
        };
        writeln!(out, "  data file \"{}\" ({} bytes): covered by {by}", f.name, f.size)?;
    }
    for s in &r.signatures {
        write_signature(out, s, lang)?;
    }
    Ok(())
}

/// The reason of a file-level verdict: a failed or not run file-level check, or for a file
/// without signatures, the check that decided.
fn write_file_reason(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let file_level = r
        .checks
        .iter()
        .find(|c| c.sub_indication.is_some() && matches!(c.result, CheckResult::Failed | CheckResult::NotRun));
    match file_level {
        Some(c) => writeln!(out, "  reason: {}", c.detail),
        None if r.signatures.is_empty() => match reason(&r.checks, r.sub_indication) {
            Some(why) => writeln!(out, "  reason: {why}"),
            None => Ok(()),
        },
        None => Ok(()),
    }
}

fn write_signature(out: &mut impl Write, s: &SignatureReport, lang: Option<Lang>) -> std::io::Result<()> {
    let signer = s
        .signer
        .as_ref()
        .map_or("unknown signer".to_string(), |c| c.subject.to_string());
    let role = s
        .counter_signature_of
        .as_ref()
        .map_or(String::new(), |p| format!(" (counter-signs {p})"));
    writeln!(
        out,
        "  {}{role}: {} signer \"{signer}\"",
        s.id,
        verdict_text(s.indication, s.sub_indication)
    )?;
    if let Some(l) = lang {
        writeln!(out, "    {}", signature_message(s, l))?;
    }
    if let Some(why) = reason(&s.checks, s.sub_indication) {
        writeln!(out, "    reason: {why}")?;
    }
    if let Some(note) = revocation_note(&s.checks) {
        writeln!(out, "    {note}")?;
    }
    if let Some(level) = s.level {
        let existed = match (&s.best_signature_time, &s.best_signature_time_by) {
            (Some(t), Some(by)) => format!("; existed at {t} ({by})"),
            _ => String::new(),
        };
        writeln!(out, "    level {}{existed}", level.as_str())?;
    }
    if let Some(info) = &s.pdf {
        super::pdf::write(out, info)?;
    }
    Ok(())
}

/// Says plainly when the signer's revocation status was not checked, whatever the verdict: a
/// TOTAL_PASSED under a policy that does not require it means valid apart from revocation.
pub fn revocation_note(checks: &[Check]) -> Option<String> {
    let c = checks.iter().find(|c| c.code == CheckCode::Revocation)?;
    (c.result == CheckResult::NotRun).then(|| format!("revocation NOT checked: {}", c.detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the array element used to be: serde_json's pretty printing, every line shifted.
    fn shifted(v: &impl Serialize) -> String {
        serde_json::to_string_pretty(v).unwrap().replace('\n', "\n  ")
    }

    fn element(v: &impl Serialize) -> String {
        let mut out = Vec::new();
        v.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Element::new()))
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_element_is_pretty_printed_one_level_in() {
        let v = serde_json::json!({
            "a": [1, [], {}, [{"b": "x\ny"}], {"c": [true, null]}],
            "d": {},
            "e": "\"quoted\"",
        });
        assert_eq!(element(&v), shifted(&v));
        for scalar in [serde_json::json!(1), serde_json::json!([]), serde_json::json!({})] {
            assert_eq!(element(&scalar), shifted(&scalar));
        }
        // Deeper than the spaces written at once.
        let deep = (0..40).fold(
            serde_json::json!("x"),
            |v, i| serde_json::json!({ format!("k{i}"): [v] }),
        );
        assert_eq!(element(&deep), shifted(&deep));
    }

    #[test]
    fn a_rendered_report_is_the_report_as_json() {
        let mut report = Report::empty(sigverify::Format::Unknown, "2026-06-01T00:00:00Z".into());
        report.file = Some("a \"b\".p7s".into());
        let e = Entry {
            content: Some(("c.bin".into(), true)),
            ..Entry::of(report)
        };
        let json = String::from_utf8(render(&e, OutputFormat::Json, None).unwrap()).unwrap();
        let expected = JsonEntry {
            report: &e.report,
            content: Some("c.bin"),
            message: None,
        };
        assert_eq!(json, shifted(&expected));
        let line = render(&e, OutputFormat::Jsonl, None).unwrap();
        assert_eq!(line, [serde_json::to_vec(&expected).unwrap(), b"\n".to_vec()].concat());
    }
}

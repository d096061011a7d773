//! PAdES and PDF signatures: every signature field of every revision ([`fields`]), its byte
//! range ([`range`]), its CMS through the CAdES adapter, and what changed after it ([`diff`]).
//!
//! - The file must read with the strict reader ([`crate::formats::pdf`]); one that needs repair
//!   is TOTAL_FAILED / FORMAT_FAILURE, as are bytes after the last `%%EOF` that are not an
//!   incremental update.
//! - Each signature's CMS (`adbe.pkcs7.detached`, `ETSI.CAdES.detached`, `adbe.pkcs7.sha1`) is
//!   verified over its byte range, hashed in place (the file is never copied), by the same
//!   validation process as any CMS signature. `BYTE_RANGE` fails unless the range covers the
//!   whole revision that wrote the signature.
//! - `DOCUMENT_MODIFICATIONS` fails when a later revision makes a change that no rule allows
//!   (DocMDP / FieldMDP permissions, PAdES additions): the signature then does not cover the
//!   document as it is shown, and is TOTAL_FAILED / FORMAT_FAILURE. Its report says which
//!   revision it covers and lists every later change with its rule.
//! - A document time-stamp (`ETSI.RFC3161`) is judged like a signature: its byte range and
//!   the changes after it as above, then its token as [`crate::process::timestamp`] validates
//!   one: the message imprint over the byte range, the token's signature, its ESS
//!   signing-certificate naming the time-stamping authority's certificate, and that
//!   certificate's path to a trust anchor and fitness for time-stamping (critical
//!   extendedKeyUsage timeStamping). A valid one is TOTAL_PASSED; its report's signer is the
//!   TSA's certificate and its signing time the token's genTime. It is not yet used as proof
//!   of existence for the signatures before it (long-term validation).

pub mod diff;
pub mod dss;
pub mod fields;
pub mod range;

use crate::context::{Content, Meter, VerifyContext};
use crate::crypto::HashAlg;
use crate::formats::cms;
use crate::formats::pdf::{self, Dict, IndirectObject, Object, Pdf, PdfLimits};
use crate::process::timestamp::{ProofKind, ProofOfExistence};
use crate::process::{DataObject, SignatureUnderTest};
use crate::time::UnixTime;
use crate::verdict::{
    CheckCode, Checks, Format, PdfChange, PdfSignatureInfo, PdfSignatureKind, Report, SignatureReport, SubIndication,
};

use diff::{FieldLock, Level};
use fields::Found;
use range::RangeCheck;

/// Most signatures verified in one PDF (each costs a CMS verification and an analysis of the
/// revisions after it).
pub const MAX_SIGNATURES: usize = 256;

/// Verifies every signature of a PDF.
pub fn verify(bytes: &[u8], ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let mut report = Report::empty(Format::Pdf, ctx.time.to_rfc3339());
    let mut checks = Checks::default();
    let pdf = match pdf::read(bytes, &PdfLimits::default()) {
        Ok(p) => p,
        Err(e) => {
            checks.fail(
                CheckCode::FormatParsed,
                SubIndication::FormatFailure,
                format!("PDF: {e}"),
            );
            report.checks = checks.into_vec();
            return report;
        }
    };
    checks.pass(
        CheckCode::FormatParsed,
        format!("PDF, {} revision(s)", pdf.revisions.len()),
    );
    trailing_bytes(&pdf, &mut checks);
    if pdf
        .revisions
        .iter()
        .any(|r| r.trailer.contains_key(b"Encrypt".as_slice()))
    {
        checks.warn(
            CheckCode::FormatParsed,
            "the PDF is encrypted: signatures are verified over the stored bytes; field names are shown as stored",
        );
    }
    let (found, problems) = fields::discover(&pdf);
    for (rev, why) in problems {
        checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            format!("revision {}: the signature fields cannot be read: {why}", rev + 1),
        );
    }
    if found.is_empty() {
        checks.fail(
            CheckCode::SignaturePresent,
            SubIndication::FormatFailure,
            "the PDF has no signed signature field",
        );
    } else {
        checks.pass(CheckCode::SignaturePresent, format!("{} signature(s)", found.len()));
    }
    if found.len() > MAX_SIGNATURES {
        checks.not_run(
            CheckCode::SignaturePresent,
            Some(SubIndication::BudgetExhausted),
            format!("{} signatures; the first {MAX_SIGNATURES} are verified", found.len()),
        );
    }
    let found = &found[..found.len().min(MAX_SIGNATURES)];
    let sigs: Vec<SigDict> = found.iter().map(|f| SigDict::read(&pdf, f)).collect();
    let dss = dss::read(&pdf, ctx);
    for why in &dss.skipped {
        checks.warn(CheckCode::FormatParsed, format!("{why}: skipped"));
    }
    // Document time-stamps first: a valid one proves that every signature in the revisions it
    // covers existed at its genTime.
    let order = found.iter().zip(&sigs).enumerate();
    let (stamps, others): (Vec<_>, Vec<_>) =
        order.partition(|(_, (_, s))| s.kind == PdfSignatureKind::DocumentTimestamp);
    let mut done: Vec<(usize, Vec<SignatureReport>)> = Vec::new();
    for (i, (f, sig)) in stamps.into_iter().chain(others) {
        if meter.cancelled() {
            checks.record(crate::process::budget_check(
                CheckCode::SignaturePresent,
                "every signature was verified",
            ));
            break;
        }
        let permissions = Permissions::before(found, &sigs, f.defined_in);
        let proofs = document_proofs(done.iter().flat_map(|(_, r)| r), f.defined_in);
        let at = Place {
            pdf: &pdf,
            dss: &dss,
            proofs: &proofs,
        };
        done.push((i, verify_one(&at, f, sig, &permissions, 0, ctx, meter)));
    }
    done.sort_by_key(|(i, _)| *i);
    for (_, mut reports) in done {
        renumber(&mut reports, report.signatures.len());
        report.signatures.extend(reports);
    }
    report.checks = checks.into_vec();
    report.conclude();
    report
}

/// Bytes after the last `%%EOF` that are not an incremental update: white space is tolerated
/// with a warning, anything else fails.
fn trailing_bytes(pdf: &Pdf<'_>, checks: &mut Checks) {
    let Some(n) = pdf.trailing_garbage else { return };
    let end = pdf.revisions.last().map_or(0, |r| r.end);
    let rest = pdf.bytes.get(end..).unwrap_or_default();
    if rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        checks.warn(
            CheckCode::DocumentModifications,
            format!("{n} byte(s) of white space after the last %%EOF"),
        );
    } else {
        checks.fail(
            CheckCode::DocumentModifications,
            SubIndication::FormatFailure,
            format!("{n} byte(s) after the last %%EOF are not an incremental update"),
        );
    }
}

/// A signature dictionary, read from the revision that wrote it.
struct SigDict {
    object: Result<IndirectObject, String>,
    kind: PdfSignatureKind,
    docmdp: Option<u8>,
    lock: Option<FieldLock>,
}

impl SigDict {
    fn read(pdf: &Pdf<'_>, f: &Found) -> SigDict {
        let object = pdf
            .object(f.defined_in, f.sig)
            .map_err(|e| e.to_string())
            .and_then(|o| match o.object {
                Object::Dict(_) => Ok(o),
                _ => Err(format!("signature value {} is not a dictionary", f.sig)),
            });
        let dict = object.as_ref().ok().and_then(|o| o.object.as_dict());
        let docmdp = dict.and_then(|d| transform_params(pdf, f.defined_in, d, b"DocMDP"));
        let docmdp_level = docmdp
            .as_ref()
            .map(|p| match p.get(b"P".as_slice()).and_then(Object::as_integer) {
                Some(1) => 1,
                Some(3) => 3,
                _ => 2,
            });
        let fieldmdp = dict.and_then(|d| transform_params(pdf, f.defined_in, d, b"FieldMDP"));
        let lock = f.lock.as_ref().or(fieldmdp.as_ref()).and_then(field_lock);
        let is_timestamp = dict.is_some_and(|d| {
            d.get(b"Type".as_slice()).and_then(Object::as_name) == Some(b"DocTimeStamp")
                || d.get(b"SubFilter".as_slice()).and_then(Object::as_name) == Some(b"ETSI.RFC3161")
        });
        let kind = match (is_timestamp, docmdp_level) {
            (true, _) => PdfSignatureKind::DocumentTimestamp,
            (false, Some(_)) => PdfSignatureKind::Certification,
            (false, None) => PdfSignatureKind::Approval,
        };
        SigDict {
            object,
            kind,
            docmdp: docmdp_level,
            lock,
        }
    }

    fn dict(&self) -> Option<&Dict> {
        self.object.as_ref().ok().and_then(|o| o.object.as_dict())
    }
}

/// The `/TransformParams` of the signature reference with `/TransformMethod` `method`.
fn transform_params(pdf: &Pdf<'_>, rev: usize, dict: &Dict, method: &[u8]) -> Option<Dict> {
    let refs = pdf.resolve(dict.get(b"Reference".as_slice())?, rev).ok()?;
    refs.as_array()?.iter().find_map(|r| {
        let r = pdf.resolve(r, rev).ok()?;
        let r = r.as_dict()?;
        if r.get(b"TransformMethod".as_slice()).and_then(Object::as_name) != Some(method) {
            return None;
        }
        match r.get(b"TransformParams".as_slice()) {
            Some(p) => pdf.resolve(p, rev).ok()?.as_dict().cloned(),
            None => Some(Dict::new()),
        }
    })
}

/// A FieldMDP `/Lock` or transform parameters: `/Action` and `/Fields`.
fn field_lock(d: &Dict) -> Option<FieldLock> {
    let names = || -> Vec<String> {
        d.get(b"Fields".as_slice())
            .and_then(Object::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|o| match o {
                Object::String(s) => Some(fields::text_string(s)),
                _ => None,
            })
            .collect()
    };
    match d.get(b"Action".as_slice()).and_then(Object::as_name)? {
        b"All" => Some(FieldLock::All),
        b"Include" => Some(FieldLock::Include(names())),
        b"Exclude" => Some(FieldLock::Exclude(names())),
        _ => None,
    }
}

/// What the signatures up to a revision allow after it.
struct Permissions {
    level: Level,
    locks: Vec<FieldLock>,
}

impl Permissions {
    /// The DocMDP level of a certification signature written up to revision `rev` (form
    /// filling when there is none) and the FieldMDP locks of every signature written so far.
    fn before(found: &[Found], sigs: &[SigDict], rev: usize) -> Permissions {
        let so_far = || {
            found
                .iter()
                .zip(sigs)
                .filter(move |(f, _)| f.defined_in <= rev)
                .map(|(_, s)| s)
        };
        let level = match so_far().find_map(|s| s.docmdp) {
            Some(1) => Level::NoChanges,
            Some(3) => Level::Annotations,
            _ => Level::FormFilling,
        };
        Permissions {
            level,
            locks: so_far().filter_map(|s| s.lock.clone()).collect(),
        }
    }
}

/// The file a signature is in, the DSS that serves every signature of it, and the proofs of
/// existence the document time-stamps give the signature.
struct Place<'p, 'a> {
    pdf: &'p Pdf<'a>,
    dss: &'p dss::Dss,
    proofs: &'p [ProofOfExistence],
}

/// The proofs of existence that the valid document time-stamps among `reports` give a
/// signature written in revision `defined_in`: each covers every revision up to the one it
/// covers, so a signature in one of them existed at its genTime.
fn document_proofs<'r>(reports: impl Iterator<Item = &'r SignatureReport>, defined_in: usize) -> Vec<ProofOfExistence> {
    reports
        .filter(|r| r.indication == crate::verdict::Indication::TotalPassed)
        .filter_map(|r| {
            let pdf = r.pdf.as_ref()?;
            // `revision` counts from 1, `defined_in` from 0.
            let covers = pdf.revision? > defined_in;
            let time = UnixTime::parse_rfc3339(r.best_signature_time.as_deref()?)?;
            let tsa = r.signer.as_ref().map_or("", |c| &*c.subject);
            (pdf.kind == PdfSignatureKind::DocumentTimestamp && covers).then(|| ProofOfExistence {
                time,
                by: format!("document time-stamp by '{tsa}'"),
                kind: ProofKind::DocumentTimestamp,
            })
        })
        .collect()
}

/// One signature: its byte range, what changed after it, and its CMS or time-stamp token.
fn verify_one(
    at: &Place<'_, '_>,
    f: &Found,
    sig: &SigDict,
    permissions: &Permissions,
    base: usize,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Vec<SignatureReport> {
    let pdf = at.pdf;
    let (object, dict) = match (&sig.object, sig.dict()) {
        (Ok(o), Some(d)) => (o, d),
        (Err(why), _) => {
            return unreadable(
                base,
                Checks::default(),
                format!("signature dictionary: {why}"),
                ctx,
                meter,
            );
        }
        (Ok(_), None) => return unreadable(base, Checks::default(), "not a dictionary".into(), ctx, meter),
    };
    let range = range::check(pdf, object, dict, f.defined_in);
    let changes = range
        .revision
        .map(|k| diff::changes_after(pdf, k, permissions.level, &permissions.locks));
    let mut format = Checks::default();
    range_checks(&range, &mut format);
    modification_checks(changes.as_deref(), &mut format);
    let mut reports = match sig.kind {
        PdfSignatureKind::DocumentTimestamp => vec![document_timestamp(at, dict, &range, format, base, ctx, meter)],
        _ => cms_signature(at, dict, &range, format, base, ctx, meter),
    };
    let info = signature_info(pdf, f, sig, dict, &range, changes.unwrap_or_default());
    if let Some(first) = reports.first_mut() {
        if first.signing_time.is_none() {
            first.signing_time.clone_from(&info.claimed_time);
        }
        first.pdf = Some(info);
    }
    reports
}

fn range_checks(range: &RangeCheck, checks: &mut Checks) {
    if range.whole_revision() {
        checks.pass(
            CheckCode::ByteRange,
            format!(
                "{:?} covers revision {} entirely but for /Contents",
                range.raw,
                range.revision.map_or(0, |k| k + 1)
            ),
        );
    } else {
        checks.fail(
            CheckCode::ByteRange,
            SubIndication::FormatFailure,
            format!("{:?}: {}", range.raw, range.problems.join("; ")),
        );
    }
}

/// Most changes named in one check's detail (the report lists them all).
const CHANGES_NAMED: usize = 5;

fn modification_checks(changes: Option<&[diff::Change]>, checks: &mut Checks) {
    let code = CheckCode::DocumentModifications;
    let Some(changes) = changes else {
        return checks.not_run(
            code,
            None,
            "the revision the signature covers is not known: later changes cannot be judged",
        );
    };
    let name = |c: &diff::Change| match c.object {
        Some(n) => format!("revision {} object {n}: {} ({})", c.revision + 1, c.what, c.rule),
        None => format!("revision {}: {} ({})", c.revision + 1, c.what, c.rule),
    };
    let forbidden: Vec<String> = changes.iter().filter(|c| !c.allowed).map(name).collect();
    if changes.is_empty() {
        checks.pass(code, "nothing was changed after the signature");
    } else if forbidden.is_empty() {
        checks.pass(
            code,
            format!(
                "{} later change(s), each allowed (see the report's changes)",
                changes.len()
            ),
        );
    } else {
        let shown: Vec<&str> = forbidden.iter().take(CHANGES_NAMED).map(String::as_str).collect();
        checks.fail(
            code,
            SubIndication::FormatFailure,
            format!(
                "{} change(s) after the signature are not allowed: {}{}",
                forbidden.len(),
                shown.join("; "),
                if forbidden.len() > CHANGES_NAMED { "; ..." } else { "" }
            ),
        );
    }
}

fn signature_info(
    pdf: &Pdf<'_>,
    f: &Found,
    sig: &SigDict,
    dict: &Dict,
    range: &RangeCheck,
    changes: Vec<diff::Change>,
) -> PdfSignatureInfo {
    let text = |k: &[u8]| match dict.get(k) {
        Some(Object::String(s)) => Some(fields::text_string(s)),
        _ => None,
    };
    PdfSignatureInfo {
        field_name: f.field_name.clone(),
        kind: sig.kind,
        sub_filter: dict
            .get(b"SubFilter".as_slice())
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned()),
        claimed_time: text(b"M").map(|m| pdf_date(&m).map_or(m, |t| t.to_rfc3339())),
        byte_range: range.raw.clone(),
        docmdp_permissions: sig.docmdp,
        revision: range.revision.map(|k| k + 1),
        revisions: pdf.revisions.len(),
        covers_whole_revision: range.whole_revision(),
        changes_after: changes
            .into_iter()
            .map(|c| PdfChange {
                revision: c.revision + 1,
                object: c.object,
                change: c.what,
                rule: c.rule,
                allowed: c.allowed,
            })
            .collect(),
    }
}

/// A PDF date (ISO 32000-2 7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year
/// optional.
fn pdf_date(s: &str) -> Option<UnixTime> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let part = |a: usize, b: usize, default: i64| -> Option<i64> {
        match digits.get(a..b) {
            Some(p) => p.parse().ok(),
            None if digits.len() <= a => Some(default),
            None => None,
        }
    };
    let t = UnixTime::from_parts(
        part(0, 4, 0).filter(|_| digits.len() >= 4)?,
        part(4, 6, 1)?,
        part(6, 8, 1)?,
        part(8, 10, 0)?,
        part(10, 12, 0)?,
        part(12, 14, 0)?,
    )?;
    let rest = s.get(digits.len()..).unwrap_or_default();
    let sign = match rest.chars().next() {
        Some('+') => -1,
        Some('-') => 1,
        _ => return Some(t),
    };
    let off: Vec<i64> = rest[1..]
        .split('\'')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let minutes = off.first().copied().unwrap_or(0) * 60 + off.get(1).copied().unwrap_or(0);
    Some(UnixTime(t.0 + sign * minutes * 60))
}

/// A signature that could not be read: it fails format checking, with `checks` beside.
fn unreadable(
    base: usize,
    checks: Checks,
    why: String,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Vec<SignatureReport> {
    let mut sut = SignatureUnderTest::unreadable(format!("S{base}"), None, why);
    let mut fc = std::mem::take(&mut sut.format_checks);
    fc.extend(checks);
    sut.format_checks = fc;
    crate::process::validate_signature(&sut, ctx, meter)
}

/// The SubFilters whose `/Contents` is a CMS SignedData.
const CMS_SUB_FILTERS: &[&[u8]] = &[b"adbe.pkcs7.detached", b"ETSI.CAdES.detached", b"adbe.pkcs7.sha1"];

/// A CMS signature over the byte range, through the CAdES adapter and the validation process.
fn cms_signature(
    at: &Place<'_, '_>,
    dict: &Dict,
    range: &RangeCheck,
    mut format: Checks,
    base: usize,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Vec<SignatureReport> {
    let pdf = at.pdf;
    let sub_filter = dict.get(b"SubFilter".as_slice()).and_then(Object::as_name);
    if !sub_filter.is_some_and(|s| CMS_SUB_FILTERS.contains(&s)) {
        let name = sub_filter.map_or("(none)".into(), |s| String::from_utf8_lossy(s).into_owned());
        format.not_run(
            CheckCode::FormatSupported,
            Some(SubIndication::FormatNotSupported),
            format!("SubFilter {name} is not verified by this version"),
        );
        return unreadable(base, format, format!("SubFilter {name}"), ctx, meter);
    }
    let Some(Object::String(contents)) = dict.get(b"Contents".as_slice()) else {
        return unreadable(
            base,
            format,
            "the signature dictionary has no /Contents string".into(),
            ctx,
            meter,
        );
    };
    let mut sd = match cms::parse_content_info(contents) {
        Ok(sd) => sd,
        Err(e) => return unreadable(base, format, format!("the CMS in /Contents: {e}"), ctx, meter),
    };
    // /Contents is a fixed-size buffer: zero padding after the CMS is how PDF signatures look.
    sd.padding = 0;
    let sha1_mode = sub_filter == Some(b"adbe.pkcs7.sha1".as_slice());
    let digests: Vec<(HashAlg, Vec<u8>)> = crate::adapters::cades::content_digest_algorithms(&sd)
        .into_iter()
        .filter_map(|a| Some((a, range.digest(pdf.bytes, a)?)))
        .collect();
    let content = if sha1_mode {
        Content::None
    } else if range.parts.is_some() {
        Content::Digests(&digests)
    } else {
        Content::None
    };
    let cades = crate::adapters::cades::adapt(&sd, content, ctx);
    let mut out = Vec::new();
    for mut sut in cades.signatures {
        let mut fc = cades.checks.clone();
        fc.extend(format.clone());
        fc.extend(std::mem::take(&mut sut.format_checks));
        sut.format_checks = fc;
        if sha1_mode && sut.counter_signature_of.is_none() {
            sut.data_objects.push(sha1_data_object(&sd, range, pdf.bytes));
        }
        sut.certificates.extend(at.dss.certificates.iter().cloned());
        sut.revocation_data.extend(at.dss.revocation.iter().cloned());
        sut.later_proofs.extend(at.proofs.iter().cloned());
        out.extend(crate::process::validate_signature(&sut, ctx, meter));
    }
    renumber(&mut out, base);
    out
}

/// `adbe.pkcs7.sha1`: the CMS carries the SHA-1 digest of the byte range as its content; the
/// document is a data object of its own, so that the process compares the digests and the
/// policy judges SHA-1 as the document's digest.
fn sha1_data_object(sd: &cms::SignedData<'_>, range: &RangeCheck, bytes: &[u8]) -> DataObject {
    DataObject {
        name: "byte range (its SHA-1 digest is the signed content)".into(),
        digest_algorithm: HashAlg::Sha1,
        claimed: Some(sd.econtent.as_deref().unwrap_or_default().to_vec()),
        actual: range
            .digest(bytes, HashAlg::Sha1)
            .map(|d| (d, "byte range available".to_string()))
            .ok_or_else(|| "the byte range lies outside the file".to_string()),
    }
}

/// Signature ids of one CMS (`S0`, `S0-C0`, `S1`) shifted by `base`.
fn renumber(reports: &mut [SignatureReport], base: usize) {
    let map = |id: &str| -> String {
        let (head, tail) = id.split_once('-').unwrap_or((id, ""));
        let n: usize = head.trim_start_matches('S').parse().unwrap_or(0);
        if tail.is_empty() {
            format!("S{}", n + base)
        } else {
            format!("S{}-{tail}", n + base)
        }
    };
    for r in reports {
        r.id = map(&r.id);
        r.counter_signature_of = r.counter_signature_of.as_deref().map(map);
    }
}

/// A document time-stamp, judged like a signature: its byte range and the later changes
/// (`format`), then the token validated over the byte range
/// ([`crate::process::timestamp::validate_token`]: imprint, token signature, the TSA's
/// certificate and chain). The report's signer is the TSA's certificate, its signing time the
/// token's genTime.
fn document_timestamp(
    at: &Place<'_, '_>,
    dict: &Dict,
    range: &RangeCheck,
    mut format: Checks,
    base: usize,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> SignatureReport {
    let Some(Object::String(token)) = dict.get(b"Contents".as_slice()) else {
        format.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "the document time-stamp has no /Contents string",
        );
        return SignatureReport {
            id: format!("S{base}"),
            covers: vec!["byte range".into()],
            ..crate::process::timestamp::unreadable_report("the byte range", format)
        };
    };
    let digest = |h: HashAlg| range.digest(at.pdf.bytes, h);
    let covered = crate::process::timestamp::Covered {
        digest: &digest,
        what: "the byte range",
        revocation: &at.dss.revocation,
    };
    SignatureReport {
        id: format!("S{base}"),
        covers: vec!["byte range".into()],
        ..crate::process::timestamp::token_report(token, covered, format, ctx, meter)
    }
}

/// The certificates carried by the CMS of every signature and document time-stamp of a PDF
/// that [`verify`] verifies (DER, in document order, repeats kept), for a caller that reports a
/// signer's certificate whole. Empty when the file cannot be read.
pub fn carried_certificates(bytes: &[u8]) -> Vec<Vec<u8>> {
    let Ok(pdf) = pdf::read(bytes, &PdfLimits::default()) else {
        return Vec::new();
    };
    let (found, _) = fields::discover(&pdf);
    let mut out = Vec::new();
    for f in found.iter().take(MAX_SIGNATURES) {
        let sig = SigDict::read(&pdf, f);
        let Some(Object::String(contents)) = sig.dict().and_then(|d| d.get(b"Contents".as_slice())) else {
            continue;
        };
        if let Ok(sd) = cms::parse_content_info(contents) {
            out.extend(sd.certificates.iter().map(|c| c.to_vec()));
        }
    }
    out
}

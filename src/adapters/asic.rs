//! ASiC-E (BDOC 2.1 included) and ASiC-S containers: the ZIP and the container's structure
//! ([`crate::formats::asic`]), then every signature file through its format's adapter, then
//! the coverage of the data files.
//!
//! - A malformed ZIP or container (see [`crate::formats::asic::Problem`]) fails
//!   `CONTAINER_STRUCTURE`: the container is TOTAL_FAILED / FORMAT_FAILURE whatever its
//!   signatures say. Deviations that real containers show (mimetype not first, compressed, with
//!   an extra field) are warnings.
//! - XAdES signature files are verified with the container's data files as the only external
//!   data their references may name; CAdES (ASiC-S) with the one data file as detached content.
//! - Every data file must be covered by every signature (`DATA_FILE_COVERAGE`); one that a
//!   signature does not cover makes the container TOTAL_FAILED / FORMAT_FAILURE, since a
//!   reader would take it for signed.
//! - The media type the manifest gives a data file must be the one each signature's
//!   DataObjectFormat gives it, when it gives one other than `application/octet-stream`.
//! - An ASiC-S time-stamp token is read but not yet evaluated: INDETERMINATE.

use std::collections::BTreeMap;

use crate::adapters::xades::{self, Coverage, External, Scope};
use crate::context::{Content, Meter, VerifyContext};
use crate::formats::asic::{self, Container, ContainerKind, Severity, SignatureKind};
use crate::formats::xml::{self, XmlLimits};
use crate::formats::xmldsig::{self, Xades};
use crate::formats::zip::ZipLimits;
use crate::verdict::{CheckCode, Checks, DataFileReport, Format, Report, SignatureReport, SubIndication};

/// Verifies an ASiC container.
pub fn verify(bytes: &[u8], ctx: &VerifyContext<'_>, meter: &Meter) -> Report {
    let container = match asic::read_container(bytes, &ZipLimits::default()) {
        Ok(c) => c,
        Err(e) => {
            let mut report = Report::empty(Format::Zip, ctx.time.to_rfc3339());
            let mut checks = Checks::default();
            checks.fail(
                CheckCode::ContainerStructure,
                SubIndication::FormatFailure,
                e.to_string(),
            );
            report.checks = checks.into_vec();
            return report;
        }
    };
    let format = match container.kind {
        ContainerKind::AsicS => Format::AsicS,
        ContainerKind::AsicE | ContainerKind::Unknown => Format::AsicE,
    };
    let mut report = Report::empty(format, ctx.time.to_rfc3339());
    let mut checks = Checks::default();
    structure_checks(&container, &mut checks);
    // What XAdES references may name: the data files, and for some profiles the manifest.
    // Only the data files count for coverage.
    let files: Vec<(String, &[u8])> = container
        .data_files
        .iter()
        .chain(&container.meta_inf_files)
        .map(|f| (f.name.clone(), f.bytes.as_ref()))
        .collect();
    let mut coverage = Vec::new();
    for file in &container.signatures {
        let mut found = verify_signature_file(file, &container, &files, ctx, meter, &mut checks);
        renumber(&mut found, report.signatures.len());
        coverage.extend(found.coverage);
        report.signatures.extend(found.reports);
    }
    report.data_files = coverage_checks(&container, &report.signatures, &coverage, &mut checks);
    report.checks = checks.into_vec();
    report.conclude();
    report
}

/// The container's findings as `CONTAINER_STRUCTURE` checks.
fn structure_checks(container: &Container<'_>, checks: &mut Checks) {
    for f in &container.findings {
        let what = match &f.subject {
            Some(s) => format!("{}: '{s}'", f.problem.describe()),
            None => f.problem.describe().to_string(),
        };
        match f.severity {
            Severity::Error => checks.fail(CheckCode::ContainerStructure, SubIndication::FormatFailure, what),
            Severity::Warning => checks.warn(CheckCode::ContainerStructure, what),
        }
    }
    if container.findings.is_empty() {
        let kind = match container.kind {
            ContainerKind::AsicS => "ASiC-S",
            _ => "ASiC-E",
        };
        checks.pass(
            CheckCode::ContainerStructure,
            format!(
                "{kind}: {} data file(s), {} signature file(s)",
                container.data_files.len(),
                container.signatures.len()
            ),
        );
    }
}

/// The reports of one signature file and what each signature covers.
#[derive(Default)]
struct Found {
    reports: Vec<SignatureReport>,
    coverage: Vec<Coverage>,
}

fn verify_signature_file(
    file: &asic::SignatureFile<'_>,
    container: &Container<'_>,
    files: &[(String, &[u8])],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) -> Found {
    match file.kind {
        SignatureKind::Xades => xades_file(file, container, files, ctx, meter, checks),
        SignatureKind::Cades => cades_file(file, container, ctx, meter, checks),
        SignatureKind::Timestamp => timestamp_file(file, container, ctx, meter, checks),
    }
}

/// An ASiC-S time-stamp token (ETSI EN 319 162-1 4.3.3.2): it stands as the signature of the
/// one data file, judged like a signature (imprint over the file, token signature, TSA path).
fn timestamp_file(
    file: &asic::SignatureFile<'_>,
    container: &Container<'_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) -> Found {
    let [data] = container.data_files.as_slice() else {
        checks.fail(
            CheckCode::DataFileCoverage,
            SubIndication::FormatFailure,
            format!(
                "{}: a time-stamp token in ASiC-S covers exactly one data file",
                file.name
            ),
        );
        return Found::default();
    };
    let what = format!("the data file '{}'", data.name);
    let digest = |h: crate::crypto::HashAlg| Some(h.digest(&data.bytes));
    let covered = crate::process::timestamp::Covered {
        digest: &digest,
        what: &what,
        revocation: &[],
    };
    let report = crate::process::timestamp::token_report(&file.bytes, covered, Checks::default(), ctx, meter);
    Found {
        coverage: vec![Coverage {
            id: report.id.clone(),
            external: vec![data.name.clone()],
        }],
        reports: vec![SignatureReport {
            covers: vec![data.name.clone()],
            ..report
        }],
    }
}

fn xades_file(
    file: &asic::SignatureFile<'_>,
    container: &Container<'_>,
    files: &[(String, &[u8])],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) -> Found {
    let Some(text) = xml::document_text(&file.bytes) else {
        checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            format!("{}: not UTF-8", file.name),
        );
        return Found::default();
    };
    let (doc_checks, reports, coverage) =
        xades::verify_signature_document(text, External::Named(files), Scope::Container, ctx, meter);
    for mut c in doc_checks.into_vec() {
        c.detail = format!("{}: {}", file.name, c.detail).into();
        checks.record(c);
    }
    media_type_checks(text, &file.name, container, checks);
    Found { reports, coverage }
}

fn cades_file(
    file: &asic::SignatureFile<'_>,
    container: &Container<'_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) -> Found {
    let [data] = container.data_files.as_slice() else {
        checks.fail(
            CheckCode::DataFileCoverage,
            SubIndication::FormatFailure,
            format!(
                "{}: a CAdES signature in ASiC-S covers exactly one data file",
                file.name
            ),
        );
        return Found::default();
    };
    let inner = crate::adapters::cades::verify(&file.bytes, Content::Data(&data.bytes), ctx, meter);
    for mut c in inner.checks {
        c.detail = format!("{}: {}", file.name, c.detail).into();
        checks.record(c);
    }
    let coverage = inner
        .signatures
        .iter()
        .filter(|s| s.counter_signature_of.is_none())
        .map(|s| Coverage {
            id: s.id.clone(),
            external: vec![data.name.clone()],
        })
        .collect();
    Found {
        reports: inner.signatures,
        coverage,
    }
}

/// Gives the signatures of one file ids that follow those already reported (`S0`, `S1`, ...;
/// counter-signatures keep their suffix).
fn renumber(found: &mut Found, offset: usize) {
    if offset == 0 {
        return;
    }
    let map = |id: &str| -> String {
        let (head, tail) = id.split_once('-').map_or((id, ""), |(h, t)| (h, t));
        let n: usize = head.trim_start_matches('S').parse().unwrap_or(0);
        if tail.is_empty() {
            format!("S{}", n + offset)
        } else {
            format!("S{}-{tail}", n + offset)
        }
    };
    for r in &mut found.reports {
        r.id = map(&r.id);
        r.counter_signature_of = r.counter_signature_of.as_deref().map(map);
    }
    for c in &mut found.coverage {
        c.id = map(&c.id);
    }
}

/// Which signatures cover each data file; every data file must be covered by every signature.
fn coverage_checks(
    container: &Container<'_>,
    signatures: &[SignatureReport],
    coverage: &[Coverage],
    checks: &mut Checks,
) -> Vec<DataFileReport> {
    let top: Vec<&str> = signatures
        .iter()
        .filter(|s| s.counter_signature_of.is_none())
        .map(|s| s.id.as_str())
        .collect();
    let mut covered: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in coverage {
        for name in &c.external {
            covered.entry(name.as_str()).or_default().push(c.id.clone());
        }
    }
    let mut out = Vec::new();
    let mut uncovered = Vec::new();
    for f in &container.data_files {
        let by = covered.get(f.name.as_str()).cloned().unwrap_or_default();
        if top.iter().any(|id| !by.iter().any(|b| b == id)) {
            uncovered.push(f.name.clone());
        }
        out.push(DataFileReport {
            name: f.name.clone(),
            media_type: f.media_type.clone(),
            size: f.bytes.len() as u64,
            covered_by: by,
        });
    }
    match (uncovered.is_empty(), top.is_empty()) {
        (_, true) => {}
        (true, false) => checks.pass(
            CheckCode::DataFileCoverage,
            format!("each of the {} data file(s) is covered by every signature", out.len()),
        ),
        (false, false) => checks.fail(
            CheckCode::DataFileCoverage,
            SubIndication::FormatFailure,
            format!(
                "not covered by every signature: {}",
                uncovered
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
    out
}

/// A data file's media type in the manifest must be the one a signature's DataObjectFormat
/// gives it (the reader opens the file as the manifest says).
fn media_type_checks(text: &str, file: &str, container: &Container<'_>, checks: &mut Checks) {
    let Ok(doc) = xml::parse(text, &XmlLimits::signature_document()) else {
        return;
    };
    let Ok(elements) = xmldsig::signature_elements(&doc) else {
        return;
    };
    for element in elements {
        let Ok(sig) = xmldsig::parse_signature(element) else {
            continue;
        };
        let Some(Xades::V132(qp)) = &sig.xades else {
            continue;
        };
        for dof in &qp.data_object_formats {
            let (Some(reference), Some(mime)) = (&dof.object_reference, &dof.mime_type) else {
                continue;
            };
            let Some(uri) = sig
                .signed_info
                .references
                .iter()
                .find(|r| {
                    r.id.as_deref()
                        .is_some_and(|id| reference.strip_prefix('#') == Some(id))
                })
                .and_then(|r| r.uri.clone())
            else {
                continue;
            };
            let Some(name) = xmldsig::reference::file_name(&uri) else {
                continue;
            };
            let declared = container
                .data_files
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.media_type.as_deref());
            if let Some(declared) = declared {
                // application/octet-stream in the signature says nothing of the type: any
                // manifest type agrees with it (DigiDoc writes it so).
                let generic = mime.eq_ignore_ascii_case("application/octet-stream");
                if !generic && !declared.eq_ignore_ascii_case(mime) {
                    checks.fail(
                        CheckCode::ContainerStructure,
                        SubIndication::FormatFailure,
                        format!(
                            "{file}: the manifest gives '{name}' the media type '{declared}', the signature '{mime}'"
                        ),
                    );
                }
            }
        }
    }
}

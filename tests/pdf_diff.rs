//! Difference analysis after PDF signatures: the generated test files, the PAdES corpus and
//! hand-built incremental updates.

mod common;

use sigverify::adapters::pades::diff::{Change, FieldLock, Level, changes_after, rules};
use sigverify::formats::pdf::{self, Pdf, PdfLimits};

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

#[test]
fn dump_all() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(common::repo().join("testdata/pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    if let Ok(rd) = std::fs::read_dir(common::shared_dir().join("corpus/pades")) {
        files.extend(rd.map(|e| e.unwrap().path()));
    }
    files.sort();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "pdf")) {
        let bytes = std::fs::read(f).unwrap();
        let Ok(pdf) = pdf::read(&bytes, &PdfLimits::default()) else {
            println!("{}: unreadable", f.display());
            continue;
        };
        println!(
            "{}: {} revisions, signed {:?}",
            f.display(),
            pdf.revisions.len(),
            signed_revisions(&pdf)
        );
        for s in signed_revisions(&pdf) {
            let c = changes_after(&pdf, s, Level::FormFilling, &[]);
            println!(" after {s}:\n{}", dump(&c));
        }
    }
}

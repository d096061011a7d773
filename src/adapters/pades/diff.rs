//! What changed after a signature: every object that a later revision lists, judged by a rule.
//!
//! This first version allows nothing: every object a later revision writes is a change that no
//! rule allows, so a signature followed by any incremental update does not cover the document.

use crate::formats::pdf::{Pdf, XrefEntry};

/// What DocMDP allows after a signature (ISO 32000-2 12.8.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// P=1: no changes (PAdES additions excepted: DSS, document time-stamps).
    NoChanges,
    /// P=2: form filling and signing (the default after an approval signature).
    FormFilling,
    /// P=3: form filling, signing and annotations.
    Annotations,
}

/// A FieldMDP lock (ISO 32000-2 12.7.5.5, `/Lock` of a signature field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldLock {
    /// No field may change.
    All,
    /// The fields named (fully qualified names) may not change.
    Include(Vec<String>),
    /// Only the fields named may change.
    Exclude(Vec<String>),
}

/// One change after the signed revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Index of the revision that makes it (0 is the original document).
    pub revision: usize,
    /// The object changed, when the change is to one object.
    pub object: Option<u32>,
    /// What changed.
    pub what: String,
    /// The rule that allows it or that it breaks.
    pub rule: String,
    /// Whether the rule allows it.
    pub allowed: bool,
}

/// Every change the revisions after `signed` make, each judged.
pub fn changes_after(pdf: &Pdf<'_>, signed: usize, _level: Level, _locks: &[FieldLock]) -> Vec<Change> {
    let mut out = Vec::new();
    for (i, rev) in pdf.revisions.iter().enumerate().skip(signed + 1) {
        for (&num, entry) in &rev.objects {
            let what = match entry {
                XrefEntry::Free { .. } => "object freed",
                _ => "object written",
            };
            out.push(Change {
                revision: i,
                object: Some(num),
                what: what.to_string(),
                rule: "no rule allows changes after a signature in this version".to_string(),
                allowed: false,
            });
        }
    }
    out
}

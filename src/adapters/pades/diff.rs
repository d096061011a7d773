//! What changed after a signature: every object that a later revision lists, judged by a rule
//! (ISO 32000-2 12.8.2.2 DocMDP, 12.7.5.5 FieldMDP; PAdES additions: DSS, document time-stamps).
//!
//! Each revision after the signed one is compared with the revision before it, entry by entry
//! over the entries its section lists, plus its trailer. An object keeps the role it had at the
//! signed revision (catalog, form field, page, signature dictionary, DSS, ...); objects added
//! later take the role the previous revision gives them, and objects nothing reaches are judged
//! by their own type. Every change gets a rule that allows or forbids it; an object re-listed
//! unchanged is not a change. The walks over the object graph use work lists and share a step
//! budget bounded by the cross-reference entries the reader accepted.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::formats::pdf::{Dict, ObjRef, Object, ObjectStreamMember, Pdf, PdfError, XrefEntry};

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

/// The rules, as reported in [`Change::rule`].
pub mod rules {
    /// The trailer's `/Root` changed.
    pub const ROOT: &str = "the /Root reference may not change";
    /// `/Encrypt` added, removed or changed.
    pub const ENCRYPT: &str = "/Encrypt may not be added or changed after a signature";
    /// `/Size` smaller than before.
    pub const SIZE: &str = "/Size may not shrink";
    /// `/Info` or `/ID` changed.
    pub const INFO: &str = "document information and /ID may change";
    /// An object in use at the signed revision freed.
    pub const FREED: &str = "objects in use at the signed revision may not be freed";
    /// An object added after the signature freed.
    pub const FREED_NEW: &str = "an object added after the signature may be freed";
    /// A reference of the signed revision that pointed nowhere now points at something.
    pub const DANGLING: &str = "an object referenced but missing at the signed revision may not be added";
    /// A new object number.
    pub const NEW: &str = "a new object is inert until a changed object refers to it";
    /// A new object stream or cross-reference stream.
    pub const STRUCTURE_NEW: &str =
        "new object streams and xref streams are structure; their members are judged by their entries";
    /// An object that cannot be read.
    pub const UNREADABLE: &str = "an unreadable object is not an allowed change";
    /// A catalog key other than those allowed changed.
    pub const CATALOG: &str =
        "the catalog may change only in /AcroForm, /DSS, /Metadata, /Extensions, /MarkInfo and /Version";
    /// Catalog keys that may change.
    pub const CATALOG_EXTRAS: &str = "catalog /Extensions, /MarkInfo and /Version may change";
    /// DSS and VRI.
    pub const DSS: &str = "the DSS may be added or updated (PAdES LTV)";
    /// XMP metadata.
    pub const METADATA: &str = "document metadata may change";
    /// The document information dictionary.
    pub const INFO_DICT: &str = "the document information dictionary may change";
    /// The form removed.
    pub const FORM_REMOVED: &str = "the form may not be removed";
    /// `/Fields` lost, reordered or changed entries.
    pub const FIELDS: &str = "the form's /Fields may only gain entries";
    /// `/SigFlags`.
    pub const SIG_FLAGS: &str = "/SigFlags may change";
    /// `/DR`, `/DA`, `/Q`, `/NeedAppearances`.
    pub const FORM_DEFAULTS: &str = "form defaults may change at DocMDP level 2";
    /// Other form dictionary keys.
    pub const FORM_OTHER: &str = "no rule allows changing other keys of the form dictionary";
    /// A new signature field or a signature in it.
    pub const NEW_SIGNATURE: &str = "a new signature field is allowed at DocMDP level 2";
    /// A document time-stamp.
    pub const TIME_STAMP: &str = "a document time-stamp may be added at every level";
    /// A document time-stamp whose widget shows something.
    pub const TIME_STAMP_VISIBLE: &str = "a visible document time-stamp widget needs DocMDP level 2";
    /// A new field that is not a signature field.
    pub const NEW_FIELD: &str = "only signature fields may be added to the form";
    /// A field value or appearance.
    pub const FILL: &str = "form fields may be filled at DocMDP level 2";
    /// A FieldMDP lock.
    pub const LOCKED: &str = "a FieldMDP lock forbids changing this field";
    /// Signing an existing empty signature field.
    pub const SIGN_EMPTY: &str = "an empty signature field may be signed at DocMDP level 2";
    /// A signed field's value.
    pub const SIGNED_FIELD: &str = "a signed signature field may not change";
    /// Field flags (`/Ff`, read-only after signing) and `/Type`.
    pub const FIELD_FLAGS: &str = "field flags may change at DocMDP level 2";
    /// Other keys of a field.
    pub const FIELD_OTHER: &str = "no rule allows changing a form field's other keys";
    /// A signature dictionary rewritten.
    pub const SIG_DICT: &str = "a signature dictionary may never change once signed";
    /// A page object's keys other than `/Annots`.
    pub const PAGE: &str = "page objects may only gain annotations";
    /// A page's content stream.
    pub const CONTENT: &str = "page content may not change";
    /// The page tree.
    pub const PAGE_TREE: &str = "the page tree may not change";
    /// Annotations other than widgets.
    pub const ANNOTATION: &str = "annotations other than widgets may change only at DocMDP level 3";
    /// Widgets removed.
    pub const WIDGET_REMOVED: &str = "widget annotations may not be removed";
    /// Widgets of other fields added.
    pub const WIDGET_ADDED: &str = "widget annotations may only be added for signature fields";
    /// Object streams and cross-reference streams rewritten.
    pub const STRUCTURE: &str = "existing object streams and xref streams may not be overridden";
    /// An object turned into another kind of object.
    pub const KIND: &str = "an object may not change its kind (dictionary, array, stream, ...)";
    /// Anything else.
    pub const OTHER: &str = "no rule allows changing objects of this type";
}

/// Every change the revisions after `signed` make, each judged.
pub fn changes_after(pdf: &Pdf<'_>, signed: usize, level: Level, locks: &[FieldLock]) -> Vec<Change> {
    let mut log = Vec::new();
    if signed.saturating_add(1) >= pdf.revisions.len() {
        return log;
    }
    let objs = Objects::new(pdf);
    let ctx = Ctx::new(&objs, signed, level, locks);
    let mut prev_roles = ctx.signed_roles.clone();
    let last = pdf.revisions.len().saturating_sub(1);
    for j in signed + 1..=last {
        ctx.revision(j, &prev_roles, &mut log);
        if j < last {
            prev_roles = roles(&objs, j);
        }
    }
    log
}

/// What an object is, as found by walking the document from its catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Role {
    Catalog,
    Info,
    AcroForm,
    FieldsArray,
    /// A form field (or a widget of one), by fully qualified name.
    Field(String),
    /// An appearance stream or value object of the field named.
    FieldPart(String),
    SigValue,
    Dss,
    Metadata,
    PageTree,
    Page,
    PageContent,
    AnnotsArray,
    Annotation,
    AnnotationPart,
    Structure,
}

/// Where a change is.
#[derive(Clone, Copy)]
struct Site {
    rev: usize,
    object: Option<u32>,
}

fn push(log: &mut Vec<Change>, at: Site, what: String, rule: &str, allowed: bool) {
    log.push(Change {
        revision: at.rev,
        object: at.object,
        what,
        rule: rule.to_string(),
        allowed,
    });
}

struct Ctx<'p, 'a> {
    pdf: &'p Pdf<'a>,
    objs: &'p Objects<'p, 'a>,
    level: Level,
    locks: &'p [FieldLock],
    signed_roles: BTreeMap<u32, Role>,
    signed_used: BTreeSet<u32>,
    dangling: BTreeSet<u32>,
}

fn in_use(e: &XrefEntry) -> bool {
    !matches!(e, XrefEntry::Free { .. })
}

/// The entries in force at revision `rev`.
fn entries_at(pdf: &Pdf<'_>, rev: usize) -> BTreeMap<u32, XrefEntry> {
    let mut all = BTreeMap::new();
    for r in pdf.revisions.iter().take(rev.saturating_add(1)) {
        all.extend(r.objects.iter().map(|(k, v)| (*k, *v)));
    }
    all
}

/// Every reference inside `obj`, without recursion.
fn refs(obj: &Object, out: &mut Vec<ObjRef>) {
    let mut stack = vec![obj];
    while let Some(o) = stack.pop() {
        match o {
            Object::Ref(r) => out.push(*r),
            Object::Array(a) => stack.extend(a.iter()),
            Object::Dict(d) => stack.extend(d.values()),
            Object::Stream(s) => stack.extend(s.dict.values()),
            _ => {}
        }
    }
}

/// Object numbers referenced by the objects of revision `rev` that are not in use there.
fn dangling(objs: &Objects<'_, '_>, rev: usize, used: &BTreeSet<u32>) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let mut found = Vec::new();
    for &num in used {
        if let Ok(o) = objs.get(rev, num) {
            found.clear();
            refs(&o, &mut found);
            out.extend(found.iter().map(|r| r.num).filter(|n| !used.contains(n)));
        }
    }
    out
}

impl<'p, 'a> Ctx<'p, 'a> {
    fn new(objs: &'p Objects<'p, 'a>, signed: usize, level: Level, locks: &'p [FieldLock]) -> Self {
        let pdf = objs.pdf;
        let signed_used: BTreeSet<u32> = entries_at(pdf, signed)
            .into_iter()
            .filter(|(_, e)| in_use(e))
            .map(|(n, _)| n)
            .collect();
        Ctx {
            pdf,
            objs,
            level,
            locks,
            signed_roles: roles(objs, signed),
            dangling: dangling(objs, signed, &signed_used),
            signed_used,
        }
    }

    fn gate(&self, log: &mut Vec<Change>, at: Site, what: String, rule: &str, min: Level) {
        push(log, at, what, rule, self.level >= min);
    }

    fn locked(&self, name: &str) -> bool {
        self.locks.iter().any(|l| match l {
            FieldLock::All => true,
            FieldLock::Include(v) => v.iter().any(|n| n == name),
            FieldLock::Exclude(v) => !v.iter().any(|n| n == name),
        })
    }

    /// A field value or appearance change: FieldMDP locks first, then DocMDP.
    fn fill(&self, log: &mut Vec<Change>, at: Site, name: &str, what: String) {
        if self.locked(name) {
            push(log, at, what, rules::LOCKED, false);
        } else {
            self.gate(log, at, what, rules::FILL, Level::FormFilling);
        }
    }

    fn revision(&self, j: usize, prev_roles: &BTreeMap<u32, Role>, log: &mut Vec<Change>) {
        self.trailer(j, log);
        let Some(rev) = self.pdf.revisions.get(j) else {
            return;
        };
        for (&num, entry) in &rev.objects {
            self.entry(j, num, *entry, prev_roles, log);
        }
    }

    fn trailer(&self, j: usize, log: &mut Vec<Change>) {
        let at = Site { rev: j, object: None };
        let p = j.saturating_sub(1);
        if trailer_get(self.pdf, j, b"Root") != trailer_get(self.pdf, p, b"Root") {
            push(log, at, "trailer /Root changed".into(), rules::ROOT, false);
        }
        if trailer_get(self.pdf, j, b"Encrypt") != trailer_get(self.pdf, p, b"Encrypt") {
            push(log, at, "trailer /Encrypt changed".into(), rules::ENCRYPT, false);
        }
        let size = |r| trailer_get(self.pdf, r, b"Size").and_then(|o| o.as_integer());
        if let (Some(new), Some(old)) = (size(j), size(p))
            && new < old
        {
            push(
                log,
                at,
                format!("trailer /Size shrank from {old} to {new}"),
                rules::SIZE,
                false,
            );
        }
        for key in [b"Info".as_slice(), b"ID"] {
            if trailer_get(self.pdf, j, key) != trailer_get(self.pdf, p, key) {
                let what = format!("trailer /{} changed", String::from_utf8_lossy(key));
                push(log, at, what, rules::INFO, true);
            }
        }
    }

    fn entry(&self, j: usize, num: u32, entry: XrefEntry, prev_roles: &BTreeMap<u32, Role>, log: &mut Vec<Change>) {
        let at = Site {
            rev: j,
            object: Some(num),
        };
        let old = self.pdf.entry(j.saturating_sub(1), num).ok().flatten();
        if old == Some(entry) {
            return;
        }
        let was_used = old.as_ref().is_some_and(in_use);
        match (in_use(&entry), was_used) {
            (false, false) => {}
            (false, true) if self.signed_used.contains(&num) => {
                push(log, at, format!("object {num} freed"), rules::FREED, false);
            }
            (false, true) => push(log, at, format!("object {num} freed"), rules::FREED_NEW, true),
            (true, false) => self.added(at, num, log),
            (true, true) => self.changed(at, num, prev_roles, log),
        }
    }

    fn added(&self, at: Site, num: u32, log: &mut Vec<Change>) {
        match self.objs.get(at.rev, num) {
            Err(e) => push(
                log,
                at,
                format!("new object {num} cannot be read: {e}"),
                rules::UNREADABLE,
                false,
            ),
            Ok(o) => {
                let what = format!("new object {num} ({})", describe(&o));
                if self.dangling.contains(&num) {
                    push(log, at, what, rules::DANGLING, false);
                } else if role_of_type(&o) == Some(Role::Structure) {
                    push(log, at, what, rules::STRUCTURE_NEW, true);
                } else {
                    push(log, at, what, rules::NEW, true);
                }
            }
        }
    }

    /// The role of `num`: the one it had at the signed revision if it existed there.
    fn role(&self, num: u32, prev_roles: &BTreeMap<u32, Role>) -> Option<Role> {
        if self.signed_used.contains(&num) {
            self.signed_roles.get(&num).cloned()
        } else {
            prev_roles.get(&num).cloned()
        }
    }

    fn changed(&self, at: Site, num: u32, prev_roles: &BTreeMap<u32, Role>, log: &mut Vec<Change>) {
        let p = at.rev.saturating_sub(1);
        let (old, new) = match (self.objs.get(p, num), self.objs.get(at.rev, num)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                let what = format!("object {num} cannot be read: {e}");
                return push(log, at, what, rules::UNREADABLE, false);
            }
        };
        if same(self.pdf, &old, &new) {
            return;
        }
        if std::mem::discriminant(&old) != std::mem::discriminant(&new) {
            let what = format!("object {num} changed from {} to {}", describe(&old), describe(&new));
            return push(log, at, what, rules::KIND, false);
        }
        let role = self.role(num, prev_roles).or_else(|| role_of_type(&old));
        let role = role.filter(|r| fits(r, &old));
        self.judge(at, num, role, &old, &new, log);
    }

    fn judge(&self, at: Site, num: u32, role: Option<Role>, old: &Object, new: &Object, log: &mut Vec<Change>) {
        let (od, nd) = (dict_or_empty(old), dict_or_empty(new));
        let allowed = |rule| (rule, true);
        let (rule, allowed) = match role {
            Some(Role::Catalog) => return self.catalog(at, &od, &nd, log),
            Some(Role::AcroForm) => return self.acroform(at, &od, &nd, log),
            Some(Role::FieldsArray) => return self.fields(at, array_of(old), array_of(new), log),
            Some(Role::Field(name)) => return self.field(at, &name, &od, &nd, log),
            Some(Role::FieldPart(name)) => {
                return self.fill(log, at, &name, format!("object {num} of field {name} changed"));
            }
            Some(Role::Page) => return self.page(at, &od, &nd, log),
            Some(Role::AnnotsArray) => return self.annots(at, array_of(old), array_of(new), log),
            Some(Role::Annotation | Role::AnnotationPart) => {
                let what = format!("annotation object {num} ({}) changed", describe(old));
                return self.gate(log, at, what, rules::ANNOTATION, Level::Annotations);
            }
            Some(Role::Dss) => allowed(rules::DSS),
            Some(Role::Info) => allowed(rules::INFO_DICT),
            Some(Role::Metadata) => allowed(rules::METADATA),
            Some(Role::SigValue) => (rules::SIG_DICT, false),
            Some(Role::PageTree) => (rules::PAGE_TREE, false),
            Some(Role::PageContent) => (rules::CONTENT, false),
            Some(Role::Structure) => (rules::STRUCTURE, false),
            None => (rules::OTHER, false),
        };
        push(
            log,
            at,
            format!("object {num} ({}) changed", describe(old)),
            rule,
            allowed,
        );
    }

    fn catalog(&self, at: Site, old: &Dict, new: &Dict, log: &mut Vec<Change>) {
        for (key, o, n) in differing(old, new) {
            let what = format!("catalog{}: {}", num_label(at), key_change(key, o, n));
            match key {
                b"AcroForm" => self.acroform_value(at, o, n, log),
                b"DSS" => push(log, at, what, rules::DSS, true),
                b"Metadata" => push(log, at, what, rules::METADATA, true),
                b"Extensions" | b"MarkInfo" | b"Version" => push(log, at, what, rules::CATALOG_EXTRAS, true),
                _ => push(log, at, what, rules::CATALOG, false),
            }
        }
    }

    fn acroform_value(&self, at: Site, old: Option<&Object>, new: Option<&Object>, log: &mut Vec<Change>) {
        let Some(new) = new else {
            return push(log, at, "catalog: /AcroForm removed".into(), rules::FORM_REMOVED, false);
        };
        let old = old.map_or_else(Dict::new, |o| self.dict_at(at.rev.saturating_sub(1), o));
        let new = self.dict_at(at.rev, new);
        self.acroform(at, &old, &new, log);
    }

    fn acroform(&self, at: Site, old: &Dict, new: &Dict, log: &mut Vec<Change>) {
        for (key, o, n) in differing(old, new) {
            let what = format!("form dictionary: {}", key_change(key, o, n));
            match key {
                b"Fields" => {
                    let old = o.map_or_else(Vec::new, |o| self.array_at(at.rev.saturating_sub(1), o));
                    let new = n.map_or_else(Vec::new, |n| self.array_at(at.rev, n));
                    self.fields(at, &old, &new, log);
                }
                b"SigFlags" => push(log, at, what, rules::SIG_FLAGS, true),
                b"DR" | b"DA" | b"Q" | b"NeedAppearances" => {
                    self.gate(log, at, what, rules::FORM_DEFAULTS, Level::FormFilling);
                }
                _ => push(log, at, what, rules::FORM_OTHER, false),
            }
        }
    }

    fn fields(&self, at: Site, old: &[Object], new: &[Object], log: &mut Vec<Change>) {
        let Some(added) = new.strip_prefix(old) else {
            return push(
                log,
                at,
                "form /Fields lost or reordered entries".into(),
                rules::FIELDS,
                false,
            );
        };
        for f in added {
            let d = self.dict_at(at.rev, f);
            let what = format!("form gains field {}", field_label(&d, f));
            self.new_signature(at, &d, None, what, log);
        }
    }

    /// A field (or widget) added: only signature fields, time-stamps at every level.
    /// A field (or a widget of `field` shown on a page, `shown`) added: signature fields only;
    /// document time-stamps at every level unless their widget is visible.
    fn new_signature(&self, at: Site, field: &Dict, shown: Option<&Dict>, what: String, log: &mut Vec<Change>) {
        if !is_sig_field(field) {
            let rule = if shown.is_some() {
                rules::WIDGET_ADDED
            } else {
                rules::NEW_FIELD
            };
            return push(log, at, what, rule, false);
        }
        match self.sig_kind(at.rev, field) {
            SigKind::TimeStamp if shown.is_some_and(visible) => {
                let what = format!("{what} (visible document time-stamp)");
                self.gate(log, at, what, rules::TIME_STAMP_VISIBLE, Level::FormFilling);
            }
            SigKind::TimeStamp => {
                push(
                    log,
                    at,
                    format!("{what} (document time-stamp)"),
                    rules::TIME_STAMP,
                    true,
                );
            }
            SigKind::Empty | SigKind::Signature => {
                let what = format!("{what} (signature field)");
                self.gate(log, at, what, rules::NEW_SIGNATURE, Level::FormFilling);
            }
        }
    }

    fn sig_kind(&self, rev: usize, field: &Dict) -> SigKind {
        let Some(v) = field.get(b"V".as_slice()) else {
            return SigKind::Empty;
        };
        let d = self.dict_at(rev, v);
        let is_ts = name_of(&d, b"Type") == Some(b"DocTimeStamp") || name_of(&d, b"SubFilter") == Some(b"ETSI.RFC3161");
        if is_ts { SigKind::TimeStamp } else { SigKind::Signature }
    }

    fn field(&self, at: Site, name: &str, old: &Dict, new: &Dict, log: &mut Vec<Change>) {
        let sig = is_sig_field(old);
        let signed = sig && old.contains_key(b"V".as_slice());
        for (key, o, _) in differing(old, new) {
            let what = format!("field {name}: {}", key_change(key, o, new.get(key)));
            match key {
                b"Ff" | b"Type" => self.gate(log, at, what, rules::FIELD_FLAGS, Level::FormFilling),
                _ if signed => push(log, at, what, rules::SIGNED_FIELD, false),
                b"V" if sig => self.sign_empty(at, name, new, what, log),
                b"V" | b"AP" | b"AS" | b"F" | b"DA" | b"Q" if !sig => self.fill(log, at, name, what),
                b"AP" | b"AS" | b"F" | b"DA" | b"Q" if self.locked(name) => push(log, at, what, rules::LOCKED, false),
                b"AP" | b"AS" | b"F" | b"DA" | b"Q" => {
                    self.gate(log, at, what, rules::SIGN_EMPTY, Level::FormFilling);
                }
                _ => push(log, at, what, rules::FIELD_OTHER, false),
            }
        }
    }

    fn sign_empty(&self, at: Site, name: &str, new: &Dict, what: String, log: &mut Vec<Change>) {
        match self.sig_kind(at.rev, new) {
            SigKind::TimeStamp => push(
                log,
                at,
                format!("{what} (document time-stamp)"),
                rules::TIME_STAMP,
                true,
            ),
            _ if self.locked(name) => push(log, at, what, rules::LOCKED, false),
            _ => self.gate(log, at, what, rules::SIGN_EMPTY, Level::FormFilling),
        }
    }

    fn page(&self, at: Site, old: &Dict, new: &Dict, log: &mut Vec<Change>) {
        for (key, o, n) in differing(old, new) {
            if key == b"Annots" {
                let old = o.map_or_else(Vec::new, |o| self.array_at(at.rev.saturating_sub(1), o));
                let new = n.map_or_else(Vec::new, |n| self.array_at(at.rev, n));
                self.annots(at, &old, &new, log);
            } else {
                let what = format!("page object{}: {}", num_label(at), key_change(key, o, n));
                push(log, at, what, rules::PAGE, false);
            }
        }
    }

    fn annots(&self, at: Site, old: &[Object], new: &[Object], log: &mut Vec<Change>) {
        for gone in old.iter().filter(|a| !new.contains(a)) {
            let d = self.dict_at(at.rev.saturating_sub(1), gone);
            let what = format!("annotation {} removed", annot_label(&d, gone));
            if name_of(&d, b"Subtype") == Some(b"Widget") {
                push(log, at, what, rules::WIDGET_REMOVED, false);
            } else {
                self.gate(log, at, what, rules::ANNOTATION, Level::Annotations);
            }
        }
        for added in new.iter().filter(|a| !old.contains(a)) {
            let d = self.dict_at(at.rev, added);
            let what = format!("annotation {} added", annot_label(&d, added));
            if name_of(&d, b"Subtype") != Some(b"Widget") {
                self.gate(log, at, what, rules::ANNOTATION, Level::Annotations);
            } else if d.contains_key(b"FT".as_slice()) {
                self.new_signature(at, &d, Some(&d), what, log);
            } else {
                let parent = d
                    .get(b"Parent".as_slice())
                    .map_or_else(Dict::new, |p| self.dict_at(at.rev, p));
                self.new_signature(at, &parent, Some(&d), what, log);
            }
        }
    }

    fn dict_at(&self, rev: usize, obj: &Object) -> Dict {
        self.objs
            .resolve(obj, rev)
            .ok()
            .and_then(|o| o.as_dict().cloned())
            .unwrap_or_default()
    }

    fn array_at(&self, rev: usize, obj: &Object) -> Vec<Object> {
        match self.objs.resolve(obj, rev) {
            Ok(Object::Array(a)) => a,
            _ => Vec::new(),
        }
    }
}

enum SigKind {
    Empty,
    Signature,
    TimeStamp,
}

/// Whether two versions of an object are the same (streams: dictionary and encoded bytes).
fn same(pdf: &Pdf<'_>, a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => x.dict == y.dict && pdf.stream_data(x) == pdf.stream_data(y),
        _ => a == b,
    }
}

/// The keys whose values differ, with the old and new values.
fn differing<'d>(old: &'d Dict, new: &'d Dict) -> Vec<(&'d [u8], Option<&'d Object>, Option<&'d Object>)> {
    let keys: BTreeSet<&[u8]> = old.keys().chain(new.keys()).map(Vec::as_slice).collect();
    keys.into_iter()
        .map(|k| (k, old.get(k), new.get(k)))
        .filter(|(_, o, n)| o != n)
        .collect()
}

fn key_change(key: &[u8], old: Option<&Object>, new: Option<&Object>) -> String {
    let key = String::from_utf8_lossy(key);
    match (old, new) {
        (None, _) => format!("/{key} added"),
        (_, None) => format!("/{key} removed"),
        _ => format!("/{key} changed"),
    }
}

/// ` N` for a change to object N.
fn num_label(at: Site) -> String {
    at.object.map_or_else(String::new, |n| format!(" {n}"))
}

fn dict_or_empty(o: &Object) -> Dict {
    o.as_dict().cloned().unwrap_or_default()
}

fn array_of(o: &Object) -> &[Object] {
    o.as_array().unwrap_or_default()
}

fn name_of<'d>(d: &'d Dict, key: &[u8]) -> Option<&'d [u8]> {
    d.get(key).and_then(Object::as_name)
}

/// Whether a widget shows something: an appearance, an area, and neither Hidden nor NoView.
fn visible(d: &Dict) -> bool {
    let num = |o: &Object| match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r),
        _ => None,
    };
    let rect: Vec<f64> = d
        .get(b"Rect".as_slice())
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(num).collect())
        .unwrap_or_default();
    let area = match rect[..] {
        [x1, y1, x2, y2] => (x2 - x1).abs() > 0.0 && (y2 - y1).abs() > 0.0,
        _ => false,
    };
    let flags = d.get(b"F".as_slice()).and_then(Object::as_integer).unwrap_or(0);
    area && flags & (2 | 32) == 0 && d.contains_key(b"AP".as_slice())
}

fn is_sig_field(d: &Dict) -> bool {
    name_of(d, b"FT") == Some(b"Sig")
}

fn field_label(d: &Dict, obj: &Object) -> String {
    let name = match d.get(b"T".as_slice()) {
        Some(Object::String(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => "(unnamed)".into(),
    };
    match obj {
        Object::Ref(r) => format!("{name} (object {})", r.num),
        _ => name,
    }
}

fn annot_label(d: &Dict, obj: &Object) -> String {
    let subtype = name_of(d, b"Subtype").map_or_else(|| "?".into(), |s| String::from_utf8_lossy(s).into_owned());
    match obj {
        Object::Ref(r) => format!("{subtype} (object {})", r.num),
        _ => subtype,
    }
}

/// A short description of an object by its type keys.
fn describe(o: &Object) -> String {
    let Some(d) = o.as_dict() else {
        return match o {
            Object::Array(_) => "array".into(),
            _ => "value".into(),
        };
    };
    let name = |k: &[u8]| name_of(d, k).map(|n| String::from_utf8_lossy(n).into_owned());
    match (name(b"Type").as_deref(), name(b"Subtype"), name(b"FT")) {
        (Some("Sig"), _, _) => "signature dictionary".into(),
        (Some("DocTimeStamp"), _, _) => "document time-stamp".into(),
        (Some("Page"), _, _) => "page object".into(),
        (Some("Pages"), _, _) => "page tree node".into(),
        (Some("ObjStm"), _, _) => "object stream".into(),
        (Some("XRef"), _, _) => "xref stream".into(),
        (_, Some(s), Some(ft)) if s == "Widget" => format!("/{ft} form field and widget"),
        (_, _, Some(ft)) => format!("/{ft} form field"),
        (_, Some(s), _) if d.contains_key(b"Rect".as_slice()) => format!("{s} annotation"),
        (Some(t), _, _) => format!("/{t}"),
        _ if matches!(o, Object::Stream(_)) => "stream".into(),
        _ => "dictionary".into(),
    }
}

/// Whether `o` is of the kind the rules for `role` compare (dictionaries key by key, arrays
/// entry by entry); other kinds get no rule.
fn fits(role: &Role, o: &Object) -> bool {
    match role {
        Role::Catalog | Role::AcroForm | Role::Field(_) | Role::Page => matches!(o, Object::Dict(_)),
        Role::FieldsArray | Role::AnnotsArray => matches!(o, Object::Array(_)),
        _ => true,
    }
}

/// The role an object that no walk reached has by its own type keys.
fn role_of_type(o: &Object) -> Option<Role> {
    let d = o.as_dict()?;
    let field_name = || match d.get(b"T".as_slice()) {
        Some(Object::String(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => String::new(),
    };
    Some(match (name_of(d, b"Type"), name_of(d, b"Subtype")) {
        (Some(b"Metadata"), _) => Role::Metadata,
        (Some(b"Sig" | b"DocTimeStamp"), _) => Role::SigValue,
        (Some(b"Page"), _) => Role::Page,
        (Some(b"Pages"), _) => Role::PageTree,
        (Some(b"ObjStm" | b"XRef"), _) => Role::Structure,
        (_, Some(b"Widget")) => Role::Field(field_name()),
        (_, Some(_)) if d.contains_key(b"Rect".as_slice()) => Role::Annotation,
        _ if d.contains_key(b"ByteRange".as_slice()) => Role::SigValue,
        _ => return None,
    })
}

/// `key` of the newest trailer up to revision `rev` that has it.
fn trailer_get<'d>(pdf: &'d Pdf<'_>, rev: usize, key: &[u8]) -> Option<&'d Object> {
    pdf.revisions
        .iter()
        .take(rev.saturating_add(1))
        .rev()
        .find_map(|r| r.trailer.get(key))
}

/// The roles of the objects reachable from the catalog (and `/Info`) as of revision `rev`.
fn roles(objs: &Objects<'_, '_>, rev: usize) -> BTreeMap<u32, Role> {
    let pdf = objs.pdf;
    let budget = pdf
        .revisions
        .iter()
        .map(|r| r.objects.len())
        .sum::<usize>()
        .saturating_add(64);
    let mut w = Walk {
        objs,
        rev,
        roles: BTreeMap::new(),
        budget,
    };
    if let Some(info) = trailer_get(pdf, rev, b"Info") {
        w.mark(info, Role::Info);
    }
    let Some(root) = trailer_get(pdf, rev, b"Root").cloned() else {
        return w.roles;
    };
    w.mark(&root, Role::Catalog);
    let cat = w.dict(&root);
    if let Some(form) = cat.get(b"AcroForm".as_slice()) {
        w.mark(form, Role::AcroForm);
        let form = w.dict(form);
        w.fields(&form);
    }
    if let Some(m) = cat.get(b"Metadata".as_slice()) {
        w.mark(m, Role::Metadata);
    }
    if let Some(dss) = cat.get(b"DSS".as_slice()) {
        w.dss(dss.clone());
    }
    if let Some(pages) = cat.get(b"Pages".as_slice()) {
        w.pages(pages.clone());
    }
    w.roles
}

/// A bounded walk over one revision's object graph.
struct Walk<'o, 'a> {
    objs: &'o Objects<'o, 'a>,
    rev: usize,
    roles: BTreeMap<u32, Role>,
    budget: usize,
}

impl Walk<'_, '_> {
    /// One more object read: within this walk's budget and the analysis' budget.
    fn step(&mut self) -> bool {
        self.budget = self.budget.saturating_sub(1);
        let left = self.objs.steps.get().saturating_sub(1);
        self.objs.steps.set(left);
        self.budget > 0 && left > 0
    }

    /// Gives a referenced object a role unless it has one.
    fn mark(&mut self, obj: &Object, role: Role) {
        if let Object::Ref(r) = obj {
            self.roles.entry(r.num).or_insert(role);
        }
    }

    fn resolve(&mut self, obj: &Object) -> Option<Object> {
        if !self.step() {
            return None;
        }
        self.objs.resolve(obj, self.rev).ok()
    }

    fn dict(&mut self, obj: &Object) -> Dict {
        self.resolve(obj).and_then(|o| o.as_dict().cloned()).unwrap_or_default()
    }

    fn array(&mut self, obj: Option<&Object>) -> Vec<Object> {
        match obj.and_then(|o| self.resolve(o)) {
            Some(Object::Array(a)) => a,
            _ => Vec::new(),
        }
    }

    fn unseen(&self, obj: &Object) -> Option<u32> {
        match obj {
            Object::Ref(r) if !self.roles.contains_key(&r.num) => Some(r.num),
            _ => None,
        }
    }

    fn fields(&mut self, form: &Dict) {
        if let Some(f) = form.get(b"Fields".as_slice()) {
            self.mark(f, Role::FieldsArray);
        }
        let top = self.array(form.get(b"Fields".as_slice()));
        let mut stack: Vec<(Object, String, bool)> = top.into_iter().map(|o| (o, String::new(), false)).collect();
        while let Some((obj, parent, parent_sig)) = stack.pop() {
            let Some(num) = self.unseen(&obj) else {
                continue;
            };
            let d = self.dict(&obj);
            let name = qualified(&parent, d.get(b"T".as_slice()));
            let sig = is_sig_field(&d) || (parent_sig && !d.contains_key(b"FT".as_slice()));
            self.roles.insert(num, Role::Field(name.clone()));
            self.appearances(&d, &Role::FieldPart(name.clone()));
            if let Some(v) = d.get(b"V".as_slice()) {
                self.mark(
                    v,
                    if sig {
                        Role::SigValue
                    } else {
                        Role::FieldPart(name.clone())
                    },
                );
            }
            for kid in self.array(d.get(b"Kids".as_slice())) {
                stack.push((kid, name.clone(), sig));
            }
        }
    }

    /// Marks the appearance streams of an annotation or widget.
    fn appearances(&mut self, d: &Dict, role: &Role) {
        let Some(ap) = d.get(b"AP".as_slice()) else {
            return;
        };
        self.mark(ap, role.clone());
        for state in self.dict(ap).into_values() {
            self.mark(&state, role.clone());
            if matches!(state, Object::Ref(_)) && !self.step() {
                return;
            }
            if let Some(Object::Dict(states)) = self.resolve(&state) {
                states.values().for_each(|s| self.mark(s, role.clone()));
            }
        }
    }

    fn dss(&mut self, dss: Object) {
        let mut stack = vec![dss];
        while let Some(o) = stack.pop() {
            if !self.step() {
                return;
            }
            match o {
                Object::Ref(r) if !self.roles.contains_key(&r.num) => {
                    self.roles.insert(r.num, Role::Dss);
                    match self.objs.get(self.rev, r.num) {
                        Ok(Object::Stream(_)) | Err(_) => {}
                        Ok(other) => stack.push(other),
                    }
                }
                Object::Array(a) => stack.extend(a),
                Object::Dict(d) => stack.extend(d.into_values()),
                _ => {}
            }
        }
    }

    fn pages(&mut self, root: Object) {
        let mut stack = vec![root];
        while let Some(obj) = stack.pop() {
            let Some(num) = self.unseen(&obj) else {
                continue;
            };
            let d = self.dict(&obj);
            if name_of(&d, b"Type") == Some(b"Page") {
                self.roles.insert(num, Role::Page);
                self.page(&d);
            } else {
                self.roles.insert(num, Role::PageTree);
                stack.extend(self.array(d.get(b"Kids".as_slice())));
            }
        }
    }

    fn page(&mut self, page: &Dict) {
        if let Some(c) = page.get(b"Contents".as_slice()) {
            self.mark(c, Role::PageContent);
            for part in self.array(Some(c)) {
                self.mark(&part, Role::PageContent);
            }
        }
        if let Some(a) = page.get(b"Annots".as_slice()) {
            self.mark(a, Role::AnnotsArray);
        }
        for annot in self.array(page.get(b"Annots".as_slice())) {
            let Some(num) = self.unseen(&annot) else {
                continue;
            };
            let d = self.dict(&annot);
            if name_of(&d, b"Subtype") != Some(b"Widget") {
                self.roles.insert(num, Role::Annotation);
                self.appearances(&d, &Role::AnnotationPart);
            }
        }
    }
}

fn qualified(parent: &str, t: Option<&Object>) -> String {
    match t {
        Some(Object::String(s)) => {
            let part = String::from_utf8_lossy(s);
            if parent.is_empty() {
                part.into_owned()
            } else {
                format!("{parent}.{part}")
            }
        }
        _ => parent.to_string(),
    }
}

/// The members of an object stream, or why it cannot be read.
type Members = Rc<Result<Vec<ObjectStreamMember>, PdfError>>;

/// Reads objects as of a revision, each object stream decoded once for all its members.
struct Objects<'p, 'a> {
    pdf: &'p Pdf<'a>,
    /// By object stream number and offset: its members, or why it cannot be read.
    streams: RefCell<BTreeMap<(u32, usize), Members>>,
    /// Object reads left for all walks of this analysis (the signed revision's walk is first:
    /// when later walks run out, their objects fall back to the rules by type, which allow less).
    steps: Cell<usize>,
}

/// Object reads all walks of one analysis may make.
const WALK_STEPS: usize = 16_000_000;

impl<'p, 'a> Objects<'p, 'a> {
    fn new(pdf: &'p Pdf<'a>) -> Self {
        Objects {
            pdf,
            streams: RefCell::new(BTreeMap::new()),
            steps: Cell::new(WALK_STEPS),
        }
    }

    /// Object `num` as of revision `rev`.
    fn get(&self, rev: usize, num: u32) -> Result<Object, PdfError> {
        let Some(XrefEntry::Compressed { stream, index }) = self.pdf.entry(rev, num)? else {
            return self.pdf.object(rev, num).map(|o| o.object);
        };
        let Some(XrefEntry::InUse { offset, .. }) = self.pdf.entry(rev, stream)? else {
            return self.pdf.object(rev, num).map(|o| o.object);
        };
        let members = self.members(rev, stream, offset);
        let bad = |what| PdfError::ObjectStream { num: stream, what };
        let list = members.as_ref().as_ref().map_err(Clone::clone)?;
        match usize::try_from(index).ok().and_then(|i| list.get(i)) {
            Some((n, object)) if *n == num => object.clone(),
            Some(_) => Err(bad("object number does not match the header")),
            None => Err(bad("index out of range")),
        }
    }

    fn members(&self, rev: usize, stream: u32, offset: usize) -> Members {
        if let Some(m) = self.streams.borrow().get(&(stream, offset)) {
            return Rc::clone(m);
        }
        let m = Rc::new(self.pdf.object_stream(rev, stream));
        self.streams.borrow_mut().insert((stream, offset), Rc::clone(&m));
        m
    }

    /// Follows references from `obj`, up to the reader's reference depth.
    fn resolve(&self, obj: &Object, rev: usize) -> Result<Object, PdfError> {
        let mut cur = obj.clone();
        for _ in 0..=self.pdf.limits().max_ref_depth {
            match cur {
                Object::Ref(r) => cur = self.get(rev, r.num)?,
                other => return Ok(other),
            }
        }
        Err(PdfError::RefDepth {
            limit: self.pdf.limits().max_ref_depth,
        })
    }
}

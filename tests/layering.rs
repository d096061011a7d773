//! Dependencies between the library's modules point one way (parsers and crypto at the
//! bottom, the validation process above them, verdicts, adapters and profiles on top). Read
//! from the sources: every `crate::<module>` outside comments.

use std::collections::BTreeSet;
use std::path::Path;

/// (module, modules it must not use).
const RULES: &[(&str, &[&str])] = &[
    (
        "crypto",
        &[
            "formats", "chain", "process", "verdict", "policy", "adapters", "profiles", "api",
        ],
    ),
    (
        "formats",
        &[
            "chain", "process", "verdict", "policy", "adapters", "profiles", "api", "context", "store",
        ],
    ),
    (
        "store.rs",
        &["chain", "process", "verdict", "adapters", "profiles", "api", "context"],
    ),
    (
        "policy.rs",
        &["verdict", "chain", "process", "adapters", "profiles", "api"],
    ),
    (
        "context.rs",
        &["chain", "process", "verdict", "adapters", "profiles", "api"],
    ),
    (
        "chain",
        &["verdict", "process", "adapters", "profiles", "api", "revocation"],
    ),
    ("revocation", &["process", "adapters", "profiles", "api", "chain"]),
    ("process", &["adapters", "profiles", "api"]),
    ("verdict", &["process", "adapters", "profiles", "api", "input"]),
    ("adapters", &["profiles", "api"]),
    ("profiles", &["api"]),
    // Live OCSP: a shell around the verification, the core's results only.
    ("online", &["api", "adapters", "profiles", "process", "chain"]),
];

fn uses(path: &Path, out: &mut BTreeSet<String>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            uses(&e.unwrap().path(), out);
        }
        return;
    }
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let name: String = line[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    for (module, forbidden) in RULES {
        let mut used = BTreeSet::new();
        uses(&src.join(module), &mut used);
        assert!(!used.is_empty() || *module == "crypto", "{module}: no uses read");
        for f in *forbidden {
            if used.contains(*f) {
                broken.push(format!("{module} uses crate::{f}"));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_validation_process_has_no_branch_per_format() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/process");
    let mut used = BTreeSet::new();
    uses(&src, &mut used);
    // The process may read CMS time-stamp tokens (RFC 3161 tokens are CMS in every format),
    // but never a format's adapter.
    for name in ["adapters", "profiles", "input"] {
        assert!(!used.contains(name), "process uses crate::{name}");
    }
}

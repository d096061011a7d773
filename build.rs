//! Detects the shared test corpus beside the repository.
//!
//! The corpus tests need `../shared/corpus/manifest.tsv` (relative to this crate), a read-only
//! checkout that is not part of the repository. When it is present the build sets
//! `cfg(shared_corpus)`; when it is absent the tests that need it are compiled with
//! `#[ignore]`, so `cargo test` counts them as ignored instead of passed.
//!
//! `SIGVERIFY_SHARED_DIR` overrides where the corpus is looked for (absolute, or relative to
//! this crate), for example to check the not-found path:
//! `SIGVERIFY_SHARED_DIR=/nonexistent cargo test`. The directory used is passed to the tests as
//! `SIGVERIFY_SHARED_RESOLVED`. CI sets `SIGVERIFY_REQUIRE_SHARED=1`, which makes the test
//! `shared_corpus_is_present_when_required` fail while the corpus is missing.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_corpus)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SIGVERIFY_SHARED_DIR");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let shared = match std::env::var_os("SIGVERIFY_SHARED_DIR") {
        Some(d) if !d.is_empty() => manifest_dir.join(d),
        _ => manifest_dir.join("../shared"),
    };
    println!("cargo::rustc-env=SIGVERIFY_SHARED_RESOLVED={}", shared.display());
    let manifest = shared.join("corpus/manifest.tsv");
    if manifest.is_file() {
        println!("cargo::rustc-cfg=shared_corpus");
        println!("cargo::rerun-if-changed={}", manifest.display());
        return;
    }
    // Absent: watch the nearest existing directory of the corpus so that a later checkout is
    // noticed. Watching a path that does not exist would rerun this script, and so rebuild the
    // crate, on every build; watching the directory above `shared` would scan it recursively,
    // target directories included. Neither is done: when even `shared` is missing, a later
    // checkout is noticed by `shared_corpus_detection_is_current`, which then fails and says
    // to `touch build.rs`.
    if let Some(dir) = [shared.join("corpus"), shared.clone()]
        .iter()
        .find(|d| d.is_dir())
        .map(PathBuf::as_path)
    {
        println!("cargo::rerun-if-changed={}", dir.display());
    }
    println!(
        "cargo::warning={} not found: the tests that need ../shared are ignored",
        manifest.display()
    );
}

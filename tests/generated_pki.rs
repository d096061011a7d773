//! Table-driven tests over the generated test PKI (`testdata/samples/cases.tsv`, made by
//! `testdata/gen/generate.py`): every positive case and a negative case for every sub-indication.

mod common;

use base64::Engine;
use common::*;
use sigverify::{HashAlg, Indication};

#[test]
fn generated_cases() {
    let root = repo().join("testdata");
    let table = std::fs::read_to_string(root.join("samples/cases.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 9, "bad row: {line}");
        let (case, file, content, anchors, inters, time, policy, ind, sub) = (
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8],
        );
        let list = |s: &str| -> Vec<std::path::PathBuf> {
            if s == "-" {
                vec![]
            } else {
                s.split(',').map(|p| root.join(p)).collect()
            }
        };
        let mut setup = Setup::new(&list(anchors), &list(inters), at(time));
        if policy != "default" {
            setup.policy = sigverify::Policy::from_toml(&std::fs::read_to_string(root.join(policy)).unwrap()).unwrap();
        }
        // `-`: attached content or a certificate; `none`: a detached signature without content.
        let owned = if content == "-" || content == "none" {
            OwnedContent::None
        } else if let Some(f) = content.strip_prefix("file:") {
            OwnedContent::Data(read(&root.join(f)))
        } else if let Some(t) = content.strip_prefix("dtbd:") {
            OwnedContent::Data(t.as_bytes().to_vec())
        } else if let Some(h) = content.strip_prefix("hash:") {
            let (alg, v) = h.split_once(':').unwrap();
            OwnedContent::Digest(
                HashAlg::from_name(alg).unwrap(),
                base64::engine::general_purpose::STANDARD.decode(v).unwrap(),
            )
        } else {
            panic!("bad content column {content}")
        };
        let report = setup.run(&read(&root.join(file)), owned.as_content());
        let expected = if sub == "-" {
            ind.to_string()
        } else {
            format!("{ind}/{sub}")
        };
        let got = verdict(&report);
        n += 1;
        if got != expected {
            failures.push(format!(
                "{case}: expected {expected}, got {got}\n{}",
                serde_json::to_string_pretty(&report).unwrap()
            ));
        }
        // Invariant: TOTAL_PASSED only when every signature passed and no check failed.
        if report.indication == Indication::TotalPassed {
            for s in &report.signatures {
                assert_eq!(s.indication, Indication::TotalPassed, "{case}");
                assert!(s.checks.iter().all(|c| c.sub_indication.is_none()), "{case}");
                assert!(!s.chain.is_empty(), "{case}: passed without a chain");
            }
        }
    }
    assert!(n >= 50, "only {n} cases read");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

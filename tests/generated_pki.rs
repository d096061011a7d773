//! Table-driven tests over the generated test PKI (`testdata/samples/cases.tsv`, made by
//! `testdata/gen/generate.py`): every positive case and a negative case for every sub-indication,
//! each with the check that must decide it.

mod common;

use common::*;
use sigverify::Indication;

#[test]
fn generated_cases() {
    let mut failures = Vec::new();
    let mut n = 0;
    for row in case_rows() {
        let case = &row.case;
        let report = row.run();
        let got = verdict(&report);
        let got_check = deciding_check(&report).map_or("-", |c| c.code.as_str());
        n += 1;
        let dup = duplicate_codes(&report);
        if !dup.is_empty() {
            failures.push(format!("{case}: check codes repeated: {dup:?}"));
        }
        if got != row.expected() || got_check != row.check {
            failures.push(format!(
                "{case}: expected {} decided by {}, got {got} decided by {got_check}\n{}",
                row.expected(),
                row.check,
                pretty(&report)
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

/// The `check` column names a check that exists and, for a passed case, is `-`.
#[test]
fn the_check_column_is_filled() {
    let known: Vec<&str> = sigverify::verdict::CheckCode::ALL.iter().map(|c| c.as_str()).collect();
    for row in case_rows() {
        if row.indication == "TOTAL_PASSED" {
            assert_eq!(row.check, "-", "{}", row.case);
        } else {
            assert!(
                known.contains(&row.check.as_str()),
                "{}: unknown check {}",
                row.case,
                row.check
            );
        }
    }
}

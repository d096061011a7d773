//! The `sigverify` binary: exit codes, JSON contract, trust-anchor loading and pinning.

mod common;

use std::process::Command;

use common::*;

fn sigverify() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sigverify"));
    c.current_dir(repo());
    // Do not pick up a deployer's anchors from the working directory.
    c.env("SIGVERIFY_TRUST_ANCHORS_DIR", "/nonexistent");
    c
}

#[test]
fn demo_samples_pass_with_exit_0() {
    let demo = repo().join("testdata/demo");
    let mut files: Vec<_> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "p7m"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let out = sigverify()
        .args(["verify", "--trust-anchor", "testdata/demo/anchors"])
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.contains(": TOTAL_PASSED [CMS]")).count(),
        4,
        "{stdout}"
    );
}

#[test]
fn json_report_fields_are_the_contract() {
    let out = sigverify()
        .args([
            "verify",
            "--format",
            "json",
            "--at",
            "2026-06-01T00:00:00Z",
            "--trust-anchor",
            "testdata/pki/rsa/root.pem",
        ])
        .args([
            "testdata/samples/rsa-attached.p7m",
            "testdata/samples/neg-content-modified.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    let ok = &arr[0];
    assert_eq!(ok["file"], "testdata/samples/rsa-attached.p7m");
    assert_eq!(ok["format"], "CMS");
    assert_eq!(ok["indication"], "TOTAL_PASSED");
    assert!(ok["subIndication"].is_null());
    assert_eq!(ok["validationTime"], "2026-06-01T00:00:00Z");
    let sig = &ok["signatures"][0];
    for key in [
        "indication",
        "subIndication",
        "signer",
        "signingTime",
        "chain",
        "checks",
    ] {
        assert!(sig.get(key).is_some(), "signature field {key} missing");
    }
    assert_eq!(sig["signer"]["subjectSerialNumber"], "MIDCHEDEMO0000001");
    assert_eq!(sig["chain"].as_array().unwrap().len(), 3);
    assert!(
        sig["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"].is_string() && c["result"].is_string())
    );
    let bad = &arr[1];
    assert_eq!(bad["indication"], "TOTAL_FAILED");
    assert_eq!(bad["subIndication"], "HASH_FAILURE");
}

#[test]
fn detached_content_dtbd_and_hash_options() {
    let base = [
        "verify",
        "--at",
        "2026-06-01T00:00:00Z",
        "--trust-anchor",
        "testdata/pki/rsa/root.pem",
    ];
    let ok = sigverify()
        .args(base)
        .args([
            "--content",
            "testdata/samples/content/content.txt",
            "testdata/samples/rsa-detached.p7s",
        ])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
    let table = std::fs::read_to_string(repo().join("testdata/samples/cases.tsv")).unwrap();
    let row = |case: &str| -> String {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{case}\t")))
            .unwrap()
            .split('\t')
            .nth(2)
            .unwrap()
            .to_string()
    };
    let dtbd = row("rsa-detached-dtbd");
    let dtbd = dtbd.strip_prefix("dtbd:").unwrap();
    let ok = sigverify()
        .args(base)
        .args(["--dtbd", dtbd, "testdata/samples/rsa-detached-dtbd.p7s"])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
    let bad = sigverify()
        .args(base)
        .args(["--dtbd", "something else", "testdata/samples/rsa-detached-dtbd.p7s"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("TOTAL_FAILED/HASH_FAILURE"));
    let hash = row("rsa-detached-hash");
    let hash = hash.strip_prefix("hash:").unwrap();
    let ok = sigverify()
        .args(base)
        .args(["--hash", hash, "testdata/samples/rsa-detached.p7s"])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        sigverify()
            .args(["verify", "does-not-exist.p7s"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        sigverify()
            .args(["verify", "--at", "yesterday", "testdata/demo/demo-rsa.p7m"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        sigverify()
            .args(["verify", "--hash", "MD5:AAAA", "testdata/demo/demo-rsa.p7m"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(sigverify().args(["verify"]).status().unwrap().code(), Some(2));
}

#[test]
fn a_certificate_claiming_a_pinned_name_is_refused() {
    let out = sigverify()
        .args([
            "verify",
            "--trust-anchor",
            "testdata/pki/fake/fake-swisscom-root-ca-2.pem",
            "testdata/demo/demo-rsa.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims to be 'Swisscom Root CA 2'") && err.contains("f09b122c"),
        "{err}"
    );
    // The same check guards the intermediates.
    let out = sigverify()
        .args([
            "verify",
            "--intermediate",
            "testdata/pki/fake/fake-swisscom-root-ca-2.pem",
            "testdata/demo/demo-rsa.p7m",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn the_real_pinned_anchors_load() {
    let shared = shared();
    let dir = shared.join("trust-anchors-real");
    let out = sigverify()
        .args(["verify", "--format", "json", "--trust-anchor"])
        .arg(&dir)
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    // Rubin CA 4 is itself among the anchors: a one-element path, valid until 2029.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["format"], "X509_CERTIFICATE", "{v}");
    assert_eq!(out.status.code(), Some(0), "{v}");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_certificate_is_verified_on_its_own() {
    let shared = shared();
    let dir = shared.join("trust-anchors-real");
    // Rubin CA 4 (RSA-4096, RSASSA-PSS) under Swisscom Root CA 4 (RSA-8192, PSS).
    let out = sigverify()
        .args([
            "verify",
            "--format",
            "json",
            "--at",
            "2026-06-01T00:00:00Z",
            "--trust-anchor",
        ])
        .arg(dir.join("Swisscom_Root_CA_4.pem"))
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["indication"], "TOTAL_PASSED", "{v:#}");
    assert_eq!(v[0]["chain"].as_array().unwrap().len(), 2);
    assert_eq!(
        v[0]["chain"][1]["sha256"],
        "e4e92b4b7330e434c84dd1d5120e68b842b4729f29e72dfe664238612c1835b2"
    );
    // After its notAfter (2029-01-28) it is out of bounds.
    let out = sigverify()
        .args([
            "verify",
            "--format",
            "json",
            "--at",
            "2030-01-01T00:00:00Z",
            "--trust-anchor",
        ])
        .arg(dir.join("Swisscom_Root_CA_4.pem"))
        .arg(dir.join("Swisscom_Rubin_CA_4.pem"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["subIndication"], "OUT_OF_BOUNDS_NO_POE");
}

#[test]
fn mobileid_and_raw_subcommands() {
    let expected: serde_json::Value =
        serde_json::from_slice(&read(&repo().join("testdata/mobileid/signature-ec.expected.json"))).unwrap();
    let out = sigverify()
        .args([
            "mobileid",
            "--trust-anchor",
            "testdata/mobileid/root.pem",
            "--at",
            "2026-06-01T00:00:00Z",
        ])
        .args(["--response", "testdata/mobileid/signature-ec.json"])
        .args(["--dtbd", expected["dtbd"].as_str().unwrap()])
        .args(["--msisdn", "+41700092501", "--ap-trans-id", "REF-SIGVERIFY-0002"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let expected: serde_json::Value =
        serde_json::from_slice(&read(&repo().join("testdata/mobileid/signature-ec.expected.json"))).unwrap();
    assert_eq!(expected["apTransId"], "REF-SIGVERIFY-0002", "fixture changed");
    assert_eq!(out.status.code(), Some(0), "{text}");
    let out = sigverify()
        .args([
            "mobileid",
            "--trust-anchor",
            "testdata/mobileid/root.pem",
            "--at",
            "2026-06-01T00:00:00Z",
        ])
        .args([
            "--response",
            "testdata/mobileid/fault-401.json",
            "--dtbd",
            "x",
            "--msisdn",
            "+41",
            "--ap-trans-id",
            "R",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let raw = |sig: &str, alg: &str| {
        sigverify()
            .args([
                "raw",
                "--trust-anchor",
                "testdata/pki/p256/root.pem",
                "--intermediate",
                "testdata/pki/p256/ica.pem",
            ])
            .args([
                "--at",
                "2026-06-01T00:00:00Z",
                "--signature-value",
                sig,
                "--algorithm",
                alg,
            ])
            .args([
                "--certificate",
                "testdata/pki/p256/leaf.pem",
                "--data",
                "testdata/raw/challenge.bin",
            ])
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(raw("testdata/raw/p256-sha256.raw.sig", "SHA256withECDSA"), Some(0));
    assert_eq!(raw("testdata/raw/p256-sha256.der.sig", "ecdsa-with-SHA256"), Some(0));
    assert_eq!(raw("testdata/raw/p256-sha256.der.sig", "SHA384withECDSA"), Some(1));
}

//! Peak memory of reading a 16 MiB JSON request body (issue: a body of small objects used to
//! take about 85 times its size once parsed). Ignored by default; run it alone, in release:
//!
//! ```sh
//! cargo test --release --test json_memory -- --ignored --nocapture
//! ```
//!
//! It prints the rise of the process's peak resident set (`VmHWM`, reset through
//! `/proc/self/clear_refs` before each case) and checks the outcome of each parse, not its time
//! or memory: the figures go to `benches/README.md`.

use sigverify::api::json::fuzz_request_body;

const BODY_BYTES: usize = 16 * 1024 * 1024;

const EXPECTED: &str = r#""expected": {"dtbd": "d", "msisdn": "+41700092502", "apTransId": "REF"}"#;

/// `VmHWM` and `VmRSS` of this process, in KiB.
fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Runs `f` and returns the rise of the peak resident set over the resident set before, in
/// MiB (the peak is reset to the current set first).
fn peak_rise_mib<T>(f: impl FnOnce() -> T) -> (T, f64) {
    // "5" resets VmHWM to the current VmRSS (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident set");
    let (_, before) = memory_kib().expect("/proc/self/status");
    let out = f();
    let (peak, _) = memory_kib().expect("/proc/self/status");
    (out, peak.saturating_sub(before) as f64 / 1024.0)
}

/// `{"response": {"MSS_SignatureResp": [ITEM, ITEM, ...]}, "expected": ...}` of about
/// [`BODY_BYTES`].
fn small_objects_body(item: &str) -> Vec<u8> {
    let head = r#"{"response": {"MSS_SignatureResp": ["#;
    let tail = format!(r#"0]}}, {EXPECTED}}}"#);
    let n = (BODY_BYTES - head.len() - tail.len()) / (item.len() + 1);
    let mut body = String::with_capacity(BODY_BYTES);
    body.push_str(head);
    for _ in 0..n {
        body.push_str(item);
        body.push(',');
    }
    body.push_str(&tail);
    body.into_bytes()
}

/// The cases, each run in a process of its own so that memory freed by one cannot serve the
/// next: a name, and a function that builds the body, parses it and checks the outcome.
const CASES: &[(&str, fn())] = &[
    (
        "16 MiB of {} objects for /api/v1/mobileid/verify, bounded parse (refused)",
        || bounded_refused(&small_objects_body("{}")),
    ),
    (
        "16 MiB of {\"a\":0} objects for /api/v1/mobileid/verify, bounded parse (refused)",
        || bounded_refused(&small_objects_body(r#"{"a":0}"#)),
    ),
    ("16 MiB of {} objects as a serde_json::Value (the former parse)", || {
        as_value(&small_objects_body("{}"))
    }),
    (
        "16 MiB of {\"a\":0} objects as a serde_json::Value (the former parse)",
        || as_value(&small_objects_body(r#"{"a":0}"#)),
    ),
    (
        "16 MiB Mobile ID body whose dtbd is 16 MiB, bounded parse (accepted)",
        accepted_big_dtbd,
    ),
    (
        "16 MiB batch of small items, streamed (refused at item 101)",
        streamed_batch,
    ),
];

fn bounded_refused(body: &[u8]) {
    let (result, rise) = peak_rise_mib(|| fuzz_request_body("mobileid", body));
    let err = result.expect_err("more than 10,000 JSON values is refused");
    assert!(err.contains("more than 10000 JSON values"), "{err}");
    println!("peak +{rise:.1} MiB");
}

fn as_value(body: &[u8]) {
    let (value, rise) = peak_rise_mib(|| serde_json::from_slice::<serde_json::Value>(body));
    assert!(value.is_ok());
    println!("peak +{rise:.1} MiB");
}

fn accepted_big_dtbd() {
    let dtbd = "x".repeat(BODY_BYTES - 200);
    let body = format!(
        r#"{{"response": {{"MSS_StatusResp": {{"Status": {{"StatusCode": {{"Value": "504"}}}}}}}}, "expected": {{"dtbd": "{dtbd}", "msisdn": "+41", "apTransId": "t"}}}}"#
    );
    let (result, rise) = peak_rise_mib(|| fuzz_request_body("mobileid", body.as_bytes()));
    assert_eq!(result, Ok(()));
    println!("peak +{rise:.1} MiB");
}

fn streamed_batch() {
    let item = r#"{"signature": "AAAA"},"#;
    let body = format!("[{}{{}}]", item.repeat(BODY_BYTES / item.len()));
    let (result, rise) = peak_rise_mib(|| fuzz_request_body("batch", body.as_bytes()));
    assert_eq!(result, Err("[]: more than 100 items".to_string()));
    println!("peak +{rise:.1} MiB");
}

#[test]
#[ignore = "measures memory; run alone, see the module documentation"]
fn peak_memory_of_16_mib_bodies() {
    if let Ok(i) = std::env::var("SIGVERIFY_JSON_MEMORY_CASE") {
        let (_, case) = CASES[i.parse::<usize>().expect("case index")];
        case();
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    for (i, (name, _)) in CASES.iter().enumerate() {
        let out = std::process::Command::new(&exe)
            .args(["--ignored", "--exact", "peak_memory_of_16_mib_bodies", "--nocapture"])
            .env("SIGVERIFY_JSON_MEMORY_CASE", i.to_string())
            .output()
            .expect("run the case");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let figure = stdout.lines().find(|l| l.starts_with("peak")).unwrap_or("no figure");
        println!("{name}: {figure}");
    }
}

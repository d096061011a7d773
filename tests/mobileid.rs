//! Swisscom Mobile ID responses (`sigverify::mobileid`): the generated test PKI and responses of
//! `testdata/mobileid/` (made by `testdata/gen/mobileid.py`), and the real 2015 Swisscom signature
//! of `../shared/corpus/cms/mid-swisscom-mobileid-2015.p7s` wrapped in a response.

mod common;

use base64::Engine;
use common::*;
use serde_json::{Value, json};
use sigverify::mobileid::{Expected, mobile_id_serial, mobile_id_status_code, verify_response, verify_soap_response};
use sigverify::verdict::i18n::{Lang, report_message};
use sigverify::verdict::{CheckCode, CheckResult, MobileIdStatusKind};
use sigverify::{Indication, Policy, Report, SubIndication};

const AT: &str = "2026-06-01T00:00:00Z";

fn dir() -> std::path::PathBuf {
    repo().join("testdata/mobileid")
}

fn json_file(name: &str) -> Value {
    serde_json::from_slice(&read(&dir().join(name))).unwrap()
}

fn expected(label: &str) -> Expected {
    serde_json::from_value(json_file(&format!("signature-{label}.expected.json"))).unwrap()
}

/// As Mobile ID responses are checked by default (the subcommand and the endpoint): without
/// revocation checking, since Mobile ID user certificates are never revoked.
fn setup() -> Setup {
    Setup::new(&[dir().join("root.pem")], &[], at(AT)).revocation_off()
}

fn check_response(setup: &Setup, response: &Value, expected: &Expected) -> Report {
    let r = verify_response(response, expected, &context(setup));
    assert_eq!(r.format.as_str(), "MOBILE_ID");
    r
}

fn run(response: &Value, expected: &Expected) -> Report {
    check_response(&setup(), response, expected)
}

fn result(r: &Report, code: CheckCode) -> CheckResult {
    r.checks
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.result)
        .unwrap_or_else(|| panic!("{code:?} missing in {}", pretty(r)))
}

fn assert_verdict(r: &Report, want: &str) {
    assert_eq!(verdict(r), want, "{}", pretty(r));
}

/// The RSA response with `f` applied to its MSS_SignatureResp body.
fn rsa_with(f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = json_file("signature-rsa.json");
    f(v["MSS_SignatureResp"].as_object_mut().unwrap());
    v
}

#[test]
fn valid_rsa_passes() {
    let r = run(&json_file("signature-rsa.json"), &expected("rsa"));
    assert_verdict(&r, "TOTAL_PASSED");
    for code in [
        CheckCode::MobileIdStatus,
        CheckCode::ApTransIdMatch,
        CheckCode::MsisdnMatch,
        CheckCode::SignaturePresent,
        CheckCode::MobileIdSingleSignature,
        CheckCode::MobileIdSerialMatch,
    ] {
        assert_eq!(result(&r, code), CheckResult::Passed, "{code:?}");
    }
    assert_eq!(r.signatures.len(), 1);
    let s = &r.signatures[0];
    assert_eq!(s.indication, Indication::TotalPassed);
    let signer = s.signer.as_ref().unwrap();
    assert_eq!(signer.key_algorithm, "RSA");
    assert_eq!(signer.key_size, 2048);
    let subjects: Vec<&str> = s.chain.iter().map(|c| &*c.subject).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects[1].contains("sigverify Test Rubin CA 4"), "{subjects:?}");
    assert!(subjects[2].contains("sigverify Test Root CA 4"), "{subjects:?}");
    assert!(
        s.checks
            .iter()
            .any(|c| c.code == CheckCode::SignatureValue && c.result == CheckResult::Passed),
        "the CMS checks stay in the signature"
    );
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST0000RSA"));
    assert_eq!(mobile_id_status_code(&r), Some(500));
    assert_eq!(r.validation_time, "2026-06-01T00:00:00Z");
}

#[test]
fn valid_ec_passes() {
    let r = run(&json_file("signature-ec.json"), &expected("ec"));
    assert_verdict(&r, "TOTAL_PASSED");
    let signer = r.signatures[0].signer.as_ref().unwrap();
    assert_eq!(signer.key_algorithm, "EC P-256");
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST00000EC"));
}

#[test]
fn unwrapped_body_and_status_resp_and_502_pass() {
    let body = json_file("signature-ec.json")["MSS_SignatureResp"].clone();
    assert_verdict(&run(&body, &expected("ec")), "TOTAL_PASSED");
    // The final answer of an asynchronous transaction (3.3.2): MSS_StatusResp 500.
    let mut status = body.clone();
    status.as_object_mut().unwrap().remove("SignatureProfile");
    assert_verdict(
        &run(&json!({ "MSS_StatusResp": status }), &expected("ec")),
        "TOTAL_PASSED",
    );
    let mut valid = body;
    valid["Status"] = json!({"StatusCode": {"Value": "502"}, "StatusMessage": "VALID_SIGNATURE"});
    assert_verdict(
        &run(&json!({ "MSS_SignatureResp": valid }), &expected("ec")),
        "TOTAL_PASSED",
    );
}

#[test]
fn expected_deserializes_from_camel_case_and_refuses_unknown_fields() {
    let e: Expected = serde_json::from_value(json!({"dtbd": "d", "msisdn": "+41", "apTransId": "a"})).unwrap();
    assert_eq!(e.ap_trans_id, "a");
    assert_eq!(e.mid_serial, None);
    let misspelt = json!({"dtbd": "d", "msisdn": "+41", "apTransId": "a", "midserial": "MIDCHE"});
    assert!(serde_json::from_value::<Expected>(misspelt).is_err());
}

#[test]
fn a_wrong_dtbd_is_a_hash_failure() {
    let mut e = expected("rsa");
    e.dtbd = e.dtbd.replace("Demo Bank AG", "Evil Bank AG");
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "TOTAL_FAILED/HASH_FAILURE");
    assert_eq!(r.signatures[0].sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn a_wrong_ap_trans_id_is_a_constraints_failure() {
    let mut e = expected("rsa");
    e.ap_trans_id = "REF-SIGVERIFY-9999".into();
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    assert_eq!(result(&r, CheckCode::ApTransIdMatch), CheckResult::Failed);
    assert_eq!(r.signatures[0].indication, Indication::TotalPassed);
}

#[test]
fn a_wrong_msisdn_is_a_constraints_failure() {
    let mut e = expected("rsa");
    e.msisdn = "+41700092501".into();
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    assert_eq!(result(&r, CheckCode::MsisdnMatch), CheckResult::Failed);
}

#[test]
fn msisdn_forms_with_plus_without_and_00_match() {
    let response = json_file("signature-rsa.json");
    for form in ["+41700092502", "41700092502", "0041700092502", "+41 70 009 25 02"] {
        let mut e = expected("rsa");
        e.msisdn = form.into();
        let r = run(&response, &e);
        assert_verdict(&r, "TOTAL_PASSED");
        assert_eq!(result(&r, CheckCode::MsisdnMatch), CheckResult::Passed, "{form}");
    }
    // The response's own form does not matter either.
    for form in ["+41700092502", "0041700092502"] {
        let r = run(&rsa_with(|b| b["MobileUser"]["MSISDN"] = json!(form)), &expected("rsa"));
        assert_verdict(&r, "TOTAL_PASSED");
    }
    // A national number is not the same (strict: the country code is not guessed).
    let mut e = expected("rsa");
    e.msisdn = "0700092502".into();
    assert_verdict(&run(&response, &e), "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
}

#[test]
fn a_serial_mismatch_is_a_constraints_failure() {
    let mut e = expected("rsa");
    e.mid_serial = Some("MIDCHEPTOD58QE59".into());
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    assert_eq!(result(&r, CheckCode::MobileIdSerialMatch), CheckResult::Failed);
    let check = r
        .checks
        .iter()
        .find(|c| c.code == CheckCode::MobileIdSerialMatch)
        .unwrap();
    assert_eq!(check.sub_indication, Some(SubIndication::SigConstraintsFailure));
    assert_eq!(deciding_check(&r).map(|c| c.code), Some(CheckCode::MobileIdSerialMatch));
    // The serial found is still reported.
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST0000RSA"));
}

#[test]
fn a_serial_match_passes_case_insensitively_and_no_pin_is_info() {
    let mut e = expected("rsa");
    e.mid_serial = Some("midchetest0000rsa".into());
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "TOTAL_PASSED");
    assert_eq!(result(&r, CheckCode::MobileIdSerialMatch), CheckResult::Passed);
    e.mid_serial = None;
    let r = run(&json_file("signature-rsa.json"), &e);
    assert_verdict(&r, "TOTAL_PASSED");
    assert_eq!(result(&r, CheckCode::MobileIdSerialMatch), CheckResult::Info);
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST0000RSA"));
}

fn fault(code: &str, reason: &str) -> Value {
    json!({"Fault": {
        "Code": {
            "SubCode": {"Value": code, "ValueNs": "http://uri.etsi.org/TS102204/v1.1.2#"},
            "Value": "Sender",
            "ValueNs": "http://www.w3.org/2003/05/soap-envelope"
        },
        "Detail": "detail text of the MSSP",
        "Reason": reason
    }})
}

#[test]
fn every_fault_code_fails_the_status_check() {
    use sigverify::verdict::MobileIdStatusKind as K;
    let cases: &[(u16, &str, K)] = &[
        (101, "WRONG_PARAM", K::RequestRejected),
        (102, "MISSING_PARAM", K::RequestRejected),
        (103, "WRONG_DATA_LENGTH", K::RequestRejected),
        (104, "UNAUTHORIZED_ACCESS", K::Unauthorized),
        (105, "UNKNOWN_CLIENT", K::UserAccount),
        (107, "INAPPROPRIATE_DATA", K::RequestRejected),
        (108, "INCOMPATIBLE_INTERFACE", K::RequestRejected),
        (109, "UNSUPPORTED_PROFILE", K::RequestRejected),
        (208, "EXPIRED_TRANSACTION", K::Expired),
        (209, "OTA_ERROR", K::TemporaryFailure),
        (401, "USER_CANCEL", K::UserCancelled),
        (402, "PIN_NR_BLOCKED", K::UserAccount),
        (403, "CARD_BLOCKED", K::UserAccount),
        (404, "NO_KEY_FOUND", K::UserAccount),
        (406, "PB_SIGNATURE_PROCESS", K::TemporaryFailure),
        (422, "NO_CERT_FOUND", K::UserAccount),
        (900, "INTERNAL_ERROR", K::TemporaryFailure),
    ];
    let e = expected("rsa");
    for (code, reason, kind) in cases {
        for spelling in [format!("_{code}"), format!("mss:_{code}"), code.to_string()] {
            let r = run(&fault(&spelling, reason), &e);
            // Not about a signature: neither passed nor "the signature is not valid".
            assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
            let st = r.mobile_id_status.as_ref().unwrap();
            assert_eq!((st.code, st.name.as_deref(), st.kind), (*code, Some(*reason), *kind));
            let status = r.checks.iter().find(|c| c.code == CheckCode::MobileIdStatus).unwrap();
            assert_eq!(status.result, CheckResult::Failed, "{reason}");
            assert_eq!(status.sub_indication, r.sub_indication, "{reason}");
            assert_eq!(
                deciding_check(&r).map(|c| c.code),
                Some(CheckCode::MobileIdStatus),
                "{reason}"
            );
            assert_eq!(mobile_id_status_code(&r), Some(*code));
            for other in [
                CheckCode::ApTransIdMatch,
                CheckCode::MsisdnMatch,
                CheckCode::SignaturePresent,
                CheckCode::MobileIdSingleSignature,
                CheckCode::MobileIdSerialMatch,
            ] {
                let c = r.checks.iter().find(|c| c.code == other).unwrap();
                assert_eq!(c.result, CheckResult::NotRun, "{other:?}");
                assert_eq!(c.sub_indication, None, "{other:?}");
            }
            assert!(r.signatures.is_empty());
        }
    }
}

#[test]
fn generated_fault_files() {
    let e = expected("rsa");
    let r = run(&json_file("fault-401.json"), &e);
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    let status = r.checks.iter().find(|c| c.code == CheckCode::MobileIdStatus).unwrap();
    assert_eq!(status.result, CheckResult::Failed);
    assert_eq!(status.sub_indication, Some(SubIndication::NoSignature));
    assert_eq!(mobile_id_status_code(&r), Some(401));
    assert_verdict(&run(&json_file("fault-101.json"), &e), "INDETERMINATE/NO_SIGNATURE");
    assert_verdict(&run(&json_file("fault-422.json"), &e), "INDETERMINATE/NO_SIGNATURE");
    // Unwrapped Fault, detected by its fields.
    let inner = json_file("fault-401.json")["Fault"].clone();
    assert_verdict(&run(&inner, &e), "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(mobile_id_status_code(&run(&inner, &e)), Some(401));
}

#[test]
fn outstanding_and_other_statuses() {
    use sigverify::verdict::MobileIdStatusKind as K;
    let e = expected("rsa");
    let r = run(&json_file("status-504.json"), &e);
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(r.mobile_id_status.as_ref().unwrap().kind, K::Pending);
    assert_eq!(result(&r, CheckCode::MobileIdStatus), CheckResult::Failed);
    assert_eq!(result(&r, CheckCode::ApTransIdMatch), CheckResult::NotRun);
    // The bare Status fragment the guide shows for a 504 poll, the code quoted or not.
    for value in [json!("504"), json!(504)] {
        let bare = json!({"Status": {"StatusCode": {"Value": value}, "StatusMessage": "OUTSTANDING_TRANSACTION"}});
        assert_verdict(&run(&bare, &e), "INDETERMINATE/NO_SIGNATURE");
    }
    for (code, message, want, kind) in [
        ("100", "REQUEST_OK", "INDETERMINATE/NO_SIGNATURE", K::Pending),
        ("501", "REVOKED_CERTIFICATE", "TOTAL_FAILED/REVOKED", K::SignatureFailed),
        (
            "503",
            "INVALID_SIGNATURE",
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
            K::SignatureFailed,
        ),
        ("999", "SOMETHING", "TOTAL_FAILED/FORMAT_FAILURE", K::Unknown),
    ] {
        // Even when a signature is attached: only 500 and 502 are signatures.
        let r = run(
            &rsa_with(|b| b["Status"] = json!({"StatusCode": {"Value": code}, "StatusMessage": message})),
            &e,
        );
        assert_verdict(&r, want);
        assert_eq!(r.mobile_id_status.as_ref().unwrap().kind, kind);
        assert!(r.signatures.is_empty());
    }
}

#[test]
fn untrusted_root_is_no_chain() {
    let mut s = setup();
    s.anchors = sigverify::CertPool::new();
    let r = check_response(&s, &json_file("signature-rsa.json"), &expected("rsa"));
    assert_verdict(&r, "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
    assert_eq!(result(&r, CheckCode::MobileIdStatus), CheckResult::Passed);
}

#[test]
fn outside_the_validity_is_not_passed() {
    let mut s = setup();
    s.time = at("2041-01-01T00:00:00Z");
    let r = check_response(&s, &json_file("signature-rsa.json"), &expected("rsa"));
    assert_ne!(r.indication, Indication::TotalPassed, "{}", pretty(&r));
}

#[test]
fn malformed_responses_are_format_failures() {
    let e = expected("rsa");
    let cms_b64 = json_file("signature-rsa.json")["MSS_SignatureResp"]["MSS_Signature"]["Base64Signature"]
        .as_str()
        .unwrap()
        .to_string();
    let der = base64::engine::general_purpose::STANDARD.decode(&cms_b64).unwrap();
    let leaf_pem = String::from_utf8(read(&dir().join("leaf-rsa.pem"))).unwrap();
    let leaf_b64: String = leaf_pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let cases: Vec<(&str, Value)> = vec![
        ("missing MSS_Signature", rsa_with(|b| drop(b.remove("MSS_Signature")))),
        ("missing Base64Signature", rsa_with(|b| b["MSS_Signature"] = json!({}))),
        (
            "non-base64 signature",
            rsa_with(|b| b["MSS_Signature"]["Base64Signature"] = json!("not base64 !!")),
        ),
        (
            "empty signature",
            rsa_with(|b| b["MSS_Signature"]["Base64Signature"] = json!("")),
        ),
        (
            "signature as number",
            rsa_with(|b| b["MSS_Signature"]["Base64Signature"] = json!(42)),
        ),
        (
            "MSS_Signature as array",
            rsa_with(|b| b["MSS_Signature"] = json!([cms_b64])),
        ),
        (
            "truncated CMS",
            rsa_with(|b| {
                b["MSS_Signature"]["Base64Signature"] =
                    json!(base64::engine::general_purpose::STANDARD.encode(&der[..der.len() / 2]))
            }),
        ),
        (
            "a certificate instead of a CMS",
            rsa_with(|b| b["MSS_Signature"]["Base64Signature"] = json!(leaf_b64)),
        ),
        ("MajorVersion 2", rsa_with(|b| b["MajorVersion"] = json!("2"))),
        ("MajorVersion 2 as number", rsa_with(|b| b["MajorVersion"] = json!(2))),
        ("MajorVersion 1.0", rsa_with(|b| b["MajorVersion"] = json!(1.0))),
        ("MajorVersion -1", rsa_with(|b| b["MajorVersion"] = json!(-1))),
        ("MajorVersion true", rsa_with(|b| b["MajorVersion"] = json!(true))),
        ("MinorVersion 1.5", rsa_with(|b| b["MinorVersion"] = json!(1.5))),
        ("MinorVersion text", rsa_with(|b| b["MinorVersion"] = json!("one"))),
        ("missing MajorVersion", rsa_with(|b| drop(b.remove("MajorVersion")))),
        ("AP_Info missing", rsa_with(|b| drop(b.remove("AP_Info")))),
        (
            "AP_TransID as a fraction",
            rsa_with(|b| b["AP_Info"]["AP_TransID"] = json!(7.5)),
        ),
        (
            "MSISDN as a negative number",
            rsa_with(|b| b["MobileUser"]["MSISDN"] = json!(-41700092502i64)),
        ),
        (
            "MSISDN as a fraction",
            rsa_with(|b| b["MobileUser"] = json!(41700092502.5)),
        ),
        (
            "StatusCode value a fraction",
            rsa_with(|b| b["Status"]["StatusCode"]["Value"] = json!(500.0)),
        ),
        ("MobileUser missing", rsa_with(|b| drop(b.remove("MobileUser")))),
        (
            "MSISDN not a number",
            rsa_with(|b| b["MobileUser"]["MSISDN"] = json!("MOBILE_NUMBER")),
        ),
        (
            "MSISDN as array",
            rsa_with(|b| b["MobileUser"]["MSISDN"] = json!(["41700092502"])),
        ),
        ("Status missing", rsa_with(|b| drop(b.remove("Status")))),
        (
            "StatusCode as string",
            rsa_with(|b| b["Status"]["StatusCode"] = json!("500")),
        ),
        (
            "StatusCode value not a code",
            rsa_with(|b| b["Status"]["StatusCode"]["Value"] = json!("OK")),
        ),
        (
            "StatusCode value boolean",
            rsa_with(|b| b["Status"]["StatusCode"]["Value"] = json!(true)),
        ),
        ("body is a string", json!({"MSS_SignatureResp": "500"})),
        ("body is null", json!({"MSS_SignatureResp": null})),
        ("Fault is an array", json!({"Fault": []})),
        ("Fault without code", json!({"Fault": {"Reason": "WRONG_PARAM"}})),
        ("Fault code not a number", fault("_abc", "WRONG_PARAM")),
        ("Fault code 500", fault("_500", "SIGNATURE")),
        ("two kinds", json!({"MSS_SignatureResp": {}, "Fault": {}})),
        ("empty object", json!({})),
        ("array", json!([1, 2])),
        ("string", json!("MIIIdwYJKoZIhvc")),
        ("null", Value::Null),
        ("number", json!(500)),
    ];
    for (name, response) in cases {
        let r = run(&response, &e);
        assert_eq!(r.indication, Indication::TotalFailed, "{name}: {}", pretty(&r));
        assert_eq!(
            r.sub_indication,
            Some(SubIndication::FormatFailure),
            "{name}: {}",
            pretty(&r)
        );
        assert!(
            r.checks
                .iter()
                .any(|c| c.sub_indication == Some(SubIndication::FormatFailure)),
            "{name}: the reason is a check"
        );
    }
}

#[test]
fn two_signatures_are_refused() {
    // Both test users signed the RSA DTBD: each signature is valid, but Mobile ID gives one.
    let r = run(&json_file("signature-two-signers.json"), &expected("rsa"));
    assert_verdict(&r, "TOTAL_FAILED/FORMAT_FAILURE");
    assert_eq!(r.signatures.len(), 2);
    assert!(r.signatures.iter().all(|s| s.indication == Indication::TotalPassed));
    // The file holds signatures: it is the count that is wrong, and the message says so.
    assert_eq!(result(&r, CheckCode::SignaturePresent), CheckResult::Passed);
    assert_eq!(result(&r, CheckCode::MobileIdSingleSignature), CheckResult::Failed);
    assert_eq!(
        deciding_check(&r).map(|c| c.code),
        Some(CheckCode::MobileIdSingleSignature)
    );
    let detail = &r
        .checks
        .iter()
        .find(|c| c.code == CheckCode::MobileIdSingleSignature)
        .unwrap()
        .detail;
    assert!(detail.contains("2 signatures"), "{detail}");
    let message = report_message(&r, Lang::En);
    assert!(
        message.contains("contains several signatures; Mobile ID returns exactly one"),
        "{message}"
    );
    assert!(!message.contains("does not contain any signature"), "{message}");
    assert_eq!(mobile_id_serial(&r), None);
}

/// The real 2015 Swisscom Mobile ID signature wrapped in the response Mobile ID gave for it.
fn swisscom_2015(serial: &str, dtbd: &str) -> Report {
    let shared = shared();
    let anchors = shared.join("trust-anchors-real");
    let mut s = Setup::new(
        &[anchors.join("Swisscom_Root_CA_2.pem")],
        &[anchors.join("Swisscom_Rubin_CA_2.pem")],
        at("2015-02-12T12:00:00Z"),
    );
    s.policy =
        Policy::from_toml(&std::fs::read_to_string(repo().join("testdata/policy/sha1-until-2016.toml")).unwrap())
            .unwrap();
    let cms = read(&shared.join("corpus/cms/mid-swisscom-mobileid-2015.p7s"));
    let response = json!({"MSS_SignatureResp": {
        "AP_Info": {"AP_ID": "mid://dev.swisscom.ch", "AP_TransID": "REF0212120550", "Instant": "2015-02-12T12:05:48.000Z"},
        "MSSP_Info": {"Instant": "2015-02-12T12:05:50.100Z", "MSSP_ID": {"URI": "http://mid.swisscom.ch/"}},
        "MSSP_TransID": "h44okl",
        "MSS_Signature": {"Base64Signature": base64::engine::general_purpose::STANDARD.encode(&cms)},
        "MajorVersion": "1",
        "MinorVersion": "1",
        "MobileUser": {"MSISDN": "41791234567"},
        "SignatureProfile": "http://mid.swisscom.ch/MID/v1/AuthProfile1",
        "Status": {"StatusCode": {"Value": "500"}, "StatusMessage": "SIGNATURE"}
    }});
    let expected = Expected {
        dtbd: dtbd.into(),
        msisdn: "+41 79 123 45 67".into(),
        ap_trans_id: "REF0212120550".into(),
        mid_serial: Some(serial.into()),
    };
    check_response(&s, &response, &expected)
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn real_swisscom_2015_response_passes() {
    let r = swisscom_2015("MIDCHE5HR8NAWUB3", "Test: Sign this Text? (ptp2cn)");
    assert_verdict(&r, "TOTAL_PASSED");
    assert_eq!(result(&r, CheckCode::MobileIdSerialMatch), CheckResult::Passed);
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHE5HR8NAWUB3"));
    let subjects: Vec<&str> = r.signatures[0].chain.iter().map(|c| &*c.subject).collect();
    assert!(subjects[2].contains("CN=Swisscom Root CA 2"), "{subjects:?}");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn real_swisscom_2015_response_with_another_dtbd_or_serial_fails() {
    let r = swisscom_2015("MIDCHE5HR8NAWUB3", "Test: Sign this Text? (ptp2cX)");
    assert_verdict(&r, "TOTAL_FAILED/HASH_FAILURE");
    let r = swisscom_2015("MIDCHEPTOD58QE59", "Test: Sign this Text? (ptp2cn)");
    assert_verdict(&r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
}

#[test]
fn huge_values_in_a_response_are_not_repeated_whole_in_the_report() {
    let huge = "9".repeat(1_000_000);
    type Edit = Box<dyn Fn(&mut serde_json::Map<String, Value>, &mut Expected)>;
    let h = huge.clone();
    let edits: Vec<(&str, Edit)> = vec![
        (
            "status",
            Box::new(move |b, _| b["Status"]["StatusCode"]["Value"] = Value::String(h.clone())),
        ),
        ("transaction", {
            let h = huge.clone();
            Box::new(move |b, e| {
                b["AP_Info"]["AP_TransID"] = Value::String(h.clone());
                e.ap_trans_id = format!("x{h}");
            })
        }),
        ("version", {
            let h = huge.clone();
            Box::new(move |b, _| b["MajorVersion"] = Value::String(h.clone()))
        }),
        ("msisdn", {
            let h = huge.clone();
            Box::new(move |b, _| b["MobileUser"] = serde_json::json!({"MSISDN": format!("x{h}")}))
        }),
        ("expected msisdn", {
            let h = huge.clone();
            Box::new(move |_, e| e.msisdn = format!("x{h}"))
        }),
    ];
    for (what, edit) in edits {
        let mut exp = expected("rsa");
        let mut response = json_file("signature-rsa.json");
        edit(response["MSS_SignatureResp"].as_object_mut().unwrap(), &mut exp);
        let r = run(&response, &exp);
        assert_ne!(r.indication, sigverify::Indication::TotalPassed, "{what}");
        let text = serde_json::to_string(&r).unwrap();
        assert!(
            text.len() < 16 * 1024,
            "{what}: the report repeats the input ({} bytes)",
            text.len()
        );
        assert!(text.contains("bytes)"), "{what}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// The guide's own examples (Reference Guide 3.2.2.2, 3.2.2.3, 3.2.3.2, 3.3.2), in both forms. The
// SOAP files are the guide's envelopes with its placeholders filled (testdata/gen/mobileid_soap.py).

fn soap_file(name: &str) -> String {
    String::from_utf8(read(&dir().join(name))).unwrap()
}

fn soap(name: &str, expected: &Expected) -> Report {
    let r = verify_soap_response(&soap_file(name), expected, &context(&setup()));
    assert_eq!(r.format.as_str(), "MOBILE_ID");
    r
}

fn kind(r: &Report) -> MobileIdStatusKind {
    r.mobile_id_status.as_ref().expect("a status").kind
}

#[test]
fn soap_signature_response_passes() {
    let r = soap("soap-signature-rsa.xml", &expected("rsa"));
    assert_verdict(&r, "TOTAL_PASSED");
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST0000RSA"));
    let st = r.mobile_id_status.as_ref().unwrap();
    assert_eq!(
        (st.code, st.name.as_deref(), st.kind),
        (500, Some("SIGNATURE"), MobileIdStatusKind::Signature)
    );
    // The same checks, in the same order, as the JSON form of the same response.
    let json = run(&json_file("signature-rsa.json"), &expected("rsa"));
    let codes = |r: &Report| r.checks.iter().map(|c| (c.code, c.result)).collect::<Vec<_>>();
    assert_eq!(codes(&r), codes(&json));
}

#[test]
fn soap_status_response_passes() {
    let r = soap("soap-status-ec.xml", &expected("ec"));
    assert_verdict(&r, "TOTAL_PASSED");
    assert!(
        r.checks.iter().any(|c| c.detail.contains("MSS_StatusResp")),
        "{}",
        pretty(&r)
    );
    assert_eq!(mobile_id_serial(&r).as_deref(), Some("MIDCHETEST00000EC"));
}

#[test]
fn soap_responses_are_checked_like_json_ones() {
    // Another DTBD, transaction, phone or serial: the same verdicts as in JSON.
    let mut e = expected("rsa");
    e.dtbd = e.dtbd.replace("Demo Bank AG", "Evil Bank AG");
    assert_verdict(&soap("soap-signature-rsa.xml", &e), "TOTAL_FAILED/HASH_FAILURE");
    let mut e = expected("rsa");
    e.ap_trans_id = "REF-OTHER".into();
    assert_verdict(
        &soap("soap-signature-rsa.xml", &e),
        "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
    );
    let mut e = expected("rsa");
    e.msisdn = "+41790000000".into();
    assert_verdict(
        &soap("soap-signature-rsa.xml", &e),
        "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
    );
    let mut e = expected("rsa");
    e.mid_serial = Some("MIDCHEOTHER00000".into());
    assert_verdict(
        &soap("soap-signature-rsa.xml", &e),
        "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
    );
    // The asynchronous acknowledgment 100 REQUEST_OK: pending, no signature yet.
    let r = soap("soap-request-ok-100.xml", &expected("rsa"));
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(kind(&r), MobileIdStatusKind::Pending);
    // The mss: element alone, without its envelope.
    let text = soap_file("soap-signature-rsa.xml");
    let start = text.find("<mss:MSS_SignatureResp").unwrap();
    let end = text.find("</mss:MSS_SignatureResp>").unwrap() + "</mss:MSS_SignatureResp>".len();
    let r = verify_soap_response(&text[start..end], &expected("rsa"), &context(&setup()));
    assert_verdict(&r, "TOTAL_PASSED");
    // And as a JSON string holding the envelope.
    assert_verdict(&run(&Value::String(text), &expected("rsa")), "TOTAL_PASSED");
}

#[test]
fn soap_faults() {
    let r = soap("soap-fault-101.xml", &expected("rsa"));
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(kind(&r), MobileIdStatusKind::RequestRejected);
    assert!(
        r.checks.iter().any(|c| c.detail.contains("Illegal msisdn")),
        "{}",
        pretty(&r)
    );
    let r = soap("soap-fault-401.xml", &expected("rsa"));
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(kind(&r), MobileIdStatusKind::UserCancelled);
    assert_eq!(
        r.mobile_id_status.as_ref().unwrap().name.as_deref(),
        Some("USER_CANCEL")
    );
    let m = report_message(&r, Lang::En);
    assert_eq!(
        m,
        "The response contains no signature to verify. The user cancelled the request on the phone."
    );
    // The 104 and 208 faults of the guide's test numbers (6.2.1), SOAP form.
    for (code, reason, want) in [
        (104, "UNAUTHORIZED_ACCESS", MobileIdStatusKind::Unauthorized),
        (208, "EXPIRED_TRANSACTION", MobileIdStatusKind::Expired),
    ] {
        let text = soap_file("soap-fault-101.xml")
            .replace("mss:_101", &format!("mss:_{code}"))
            .replace("WRONG_PARAM", reason);
        let r = verify_soap_response(&text, &expected("rsa"), &context(&setup()));
        assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
        assert_eq!(kind(&r), want);
        assert!(r.signatures.is_empty());
    }
}

#[test]
fn soap_two_signers_message() {
    let r = soap("soap-signature-two-signers.xml", &expected("rsa"));
    assert_verdict(&r, "TOTAL_FAILED/FORMAT_FAILURE");
    assert_eq!(result(&r, CheckCode::MobileIdSingleSignature), CheckResult::Failed);
    assert!(report_message(&r, Lang::De).contains("mehrere Signaturen"));
}

#[test]
fn malformed_soap_is_a_format_failure() {
    let good = soap_file("soap-signature-rsa.xml");
    let doctype = format!("<!DOCTYPE soapenv:Envelope [<!ENTITY x \"y\">]>{good}");
    let other_ns = good.replace("http://uri.etsi.org/TS102204/v1.1.2#", "http://example.com/mss#");
    let sig_start = good.find("<mss:MSS_Signature>").unwrap();
    let sig_end = good.find("</mss:MSS_Signature>").unwrap() + "</mss:MSS_Signature>".len();
    let twice = format!("{}{}{}", &good[..sig_end], &good[sig_start..sig_end], &good[sig_end..]);
    let no_sig = format!("{}{}", &good[..sig_start], &good[sig_end..]);
    let no_version = good.replace(" MajorVersion=\"1\"", "");
    let version_2 = good.replace("MajorVersion=\"1\"", "MajorVersion=\"2\"");
    let two_bodies = good.replace("</soapenv:Body>", "</soapenv:Body><soapenv:Body/>");
    let deep = format!("{}{good}{}", "<a>".repeat(40), "</a>".repeat(40));
    let cases: Vec<(&str, String)> = vec![
        ("DOCTYPE", doctype),
        ("mss: in another namespace", other_ns),
        ("MSS_Signature twice", twice),
        ("no MSS_Signature", no_sig),
        ("no MajorVersion", no_version),
        ("MajorVersion 2", version_2),
        ("two Bodies", two_bodies),
        ("too deep", deep),
        ("not XML", "<soapenv:Envelope".into()),
        (
            "empty Envelope",
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>"#.into(),
        ),
        ("unknown root", "<x/>".into()),
        ("truncated", good[..good.len() / 2].to_string()),
    ];
    for (name, text) in cases {
        let r = verify_soap_response(&text, &expected("rsa"), &context(&setup()));
        assert_eq!(verdict(&r), "TOTAL_FAILED/FORMAT_FAILURE", "{name}: {}", pretty(&r));
    }
    let r = verify_soap_response(&format!("<!DOCTYPE x>{good}"), &expected("rsa"), &context(&setup()));
    assert!(r.checks.iter().any(|c| c.detail.contains("DTD")), "{}", pretty(&r));
}

#[test]
fn guide_json_numbers_or_strings() {
    // The guide prints these bare: "MajorVersion": 1, "MobileUser": MOBILE_NUMBER (3.3.2), and
    // status codes as numbers; all are accepted, quoted or not.
    let body = json_file("signature-rsa.json")["MSS_SignatureResp"].clone();
    let cms = body["MSS_Signature"]["Base64Signature"].clone();
    let status_resp = json!({"MSS_StatusResp": {
        "AP_Info": {"AP_ID": "yourAP_ID", "AP_TransID": "REF-SIGVERIFY-0001", "Instant": "2015-01-01T11:00:00.000Z"},
        "MSSP_Info": {"Instant": "2015-01-01T11:00:00.100Z", "MSSP_ID": {"URI": "http://mid.swisscom.ch/"}},
        "MSS_Signature": {"Base64Signature": cms},
        "MajorVersion": 1,
        "MinorVersion": 1,
        "MobileUser": 41700092502u64,
        "Status": {"StatusCode": {"Value": 500}, "StatusMessage": "SIGNATURE"}
    }});
    let r = run(&status_resp, &expected("rsa"));
    assert_verdict(&r, "TOTAL_PASSED");
    for (name, edit) in [
        ("MajorVersion 1", json!({"MajorVersion": 1})),
        ("MinorVersion 2", json!({"MinorVersion": 2})),
        ("MSISDN number", json!({"MobileUser": {"MSISDN": 41700092502u64}})),
        ("MobileUser bare string", json!({"MobileUser": "+41700092502"})),
        (
            "StatusCode 502 number",
            json!({"Status": {"StatusCode": {"Value": 502}, "StatusMessage": "VALID_SIGNATURE"}}),
        ),
    ] {
        let response = rsa_with(|b| {
            for (k, v) in edit.as_object().unwrap() {
                b.insert(k.clone(), v.clone());
            }
        });
        assert_verdict(&run(&response, &expected("rsa")), "TOTAL_PASSED");
        let _ = name;
    }
    // A numeric AP_TransID is compared as its digits.
    let mut e = expected("rsa");
    e.ap_trans_id = "4711".into();
    let r = run(&rsa_with(|b| b["AP_Info"]["AP_TransID"] = json!(4711)), &e);
    assert_verdict(&r, "TOTAL_PASSED");
    // The guide's 6.2.1 example: a fault code as a bare "401", here as a number too.
    for code in [json!("401"), json!(401)] {
        let mut f = json_file("fault-401.json");
        f["Fault"]["Code"]["SubCode"]["Value"] = code;
        let r = run(&f, &expected("rsa"));
        assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
        assert_eq!(kind(&r), MobileIdStatusKind::UserCancelled);
    }
}

#[test]
fn non_signature_statuses_say_what_happened_in_every_language() {
    let r = run(&json_file("fault-401.json"), &expected("rsa"));
    for lang in Lang::ALL {
        let m = report_message(&r, *lang);
        let indication = sigverify::verdict::i18n::indication_message(Indication::TotalFailed, *lang);
        assert!(!m.contains(&indication), "{lang:?}: {m}");
        let status = sigverify::verdict::i18n::mobile_id_status_message(401, *lang).unwrap();
        assert!(m.ends_with(&status), "{lang:?}: {m}");
    }
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["mobileIdStatus"],
        json!({"code": 401, "name": "USER_CANCEL", "kind": "USER_CANCELLED", "message": "USER_CANCEL"})
    );
}

#[test]
fn soap_additional_services_and_soap_1_1() {
    // Geofencing data in StatusDetail (3.2.4.2.3): the signature is checked as any other.
    assert_verdict(&soap("soap-geofencing-rsa.xml", &expected("rsa")), "TOTAL_PASSED");
    // App2App's 100 REQUEST_OK (3.2.4.3.2): pending.
    let r = soap("soap-app2app-100.xml", &expected("rsa"));
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(kind(&r), MobileIdStatusKind::Pending);
    // A SOAP 1.1 envelope and fault.
    let text = soap_file("soap-signature-rsa.xml").replace(
        "http://www.w3.org/2003/05/soap-envelope",
        "http://schemas.xmlsoap.org/soap/envelope/",
    );
    assert_verdict(
        &verify_soap_response(&text, &expected("rsa"), &context(&setup())),
        "TOTAL_PASSED",
    );
    let fault11 = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
        <faultcode>mss:_401</faultcode><faultstring>USER_CANCEL</faultstring></s:Fault></s:Body></s:Envelope>"#;
    let r = verify_soap_response(fault11, &expected("rsa"), &context(&setup()));
    assert_verdict(&r, "INDETERMINATE/NO_SIGNATURE");
    assert_eq!(kind(&r), MobileIdStatusKind::UserCancelled);
}

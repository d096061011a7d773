//! The real 2015 Swisscom Mobile ID signature (`corpus/cms/mid-swisscom-mobileid-2015.p7s`):
//! content "Test: Sign this Text? (ptp2cn)", SHA-1, signer MIDCHE5HR8NAWUB3 under Swisscom
//! Rubin CA 2 and Swisscom Root CA 2 (the real anchors in `../shared/trust-anchors-real`); then
//! the generated responses of `testdata/mobileid/` in the guide's JSON and SOAP forms, through the
//! CLI and the real HTTP server.

mod common;

use common::*;
use sigverify::verdict::{CheckCode, CheckResult};
use sigverify::{Content, Indication, Policy, Report, SubIndication};

const DTBD: &str = "Test: Sign this Text? (ptp2cn)";

fn run(time: &str, policy: Option<&str>, content: Content<'_>) -> Report {
    let shared = shared();
    let anchors = shared.join("trust-anchors-real");
    let mut setup = Setup::new(
        &[anchors.join("Swisscom_Root_CA_2.pem")],
        &[anchors.join("Swisscom_Rubin_CA_2.pem")],
        at(time),
    );
    if let Some(p) = policy {
        setup.policy = Policy::from_toml(&std::fs::read_to_string(repo().join(p)).unwrap()).unwrap();
    }
    // As Mobile ID signatures are checked by default: without revocation checking (Mobile ID
    // user certificates are never revoked), so that the algorithm policy decides here.
    let setup = setup.revocation_off();
    setup.run(
        &read(&shared.join("corpus/cms/mid-swisscom-mobileid-2015.p7s")),
        content,
    )
}

fn check(r: &Report, code: CheckCode) -> CheckResult {
    r.signatures[0]
        .checks
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.result)
        .unwrap_or_else(|| panic!("{code:?} missing"))
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn today_it_is_indeterminate_because_the_certificate_expired() {
    let r = run("2026-11-01T00:00:00Z", None, Content::Data(DTBD.as_bytes()));
    assert_eq!(r.indication, Indication::Indeterminate);
    assert_eq!(check(&r, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::MessageDigestMatch), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::CertificateValidity), CheckResult::Failed);
    assert_eq!(r.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn in_2015_the_default_policy_refuses_sha1() {
    let r = run("2015-02-12T12:00:00Z", None, Content::Data(DTBD.as_bytes()));
    assert_eq!(verdict(&r), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
    assert_eq!(check(&r, CheckCode::SignatureValue), CheckResult::Passed);
    assert_eq!(check(&r, CheckCode::ChainBuilt), CheckResult::Passed);
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn in_2015_a_policy_accepting_sha1_passes_with_the_full_chain() {
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Data(DTBD.as_bytes()),
    );
    assert_eq!(
        verdict(&r),
        "TOTAL_PASSED",
        "{}",
        serde_json::to_string_pretty(&r).unwrap()
    );
    let s = &r.signatures[0];
    let signer = s.signer.as_ref().unwrap();
    assert_eq!(signer.subject_serial_number.as_deref(), Some("MIDCHE5HR8NAWUB3"));
    assert_eq!(signer.key_algorithm, "RSA");
    assert_eq!(signer.key_size, 2048);
    assert_eq!(s.signing_time.as_deref(), Some("2015-02-12T12:05:50Z"));
    assert_eq!(s.digest_algorithm.as_deref(), Some("SHA-1"));
    let subjects: Vec<&str> = s.chain.iter().map(|c| &*c.subject).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects[1].contains("CN=Swisscom Rubin CA 2"), "{subjects:?}");
    assert!(subjects[2].contains("CN=Swisscom Root CA 2"), "{subjects:?}");
    assert_eq!(
        &*s.chain[2].sha256,
        "f09b122c7114f4a09bd4ea4f4a99d558b46e4c25cd81140d29c05613914c3841"
    );
    assert!(s.chain[2].trust_anchor);
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn a_wrong_dtbd_is_a_hash_failure() {
    let wrong = "Test: Sign this Text? (ptp2cX)";
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Data(wrong.as_bytes()),
    );
    assert_eq!(verdict(&r), "TOTAL_FAILED/HASH_FAILURE");
    // Also when the DTBD is given only as a hash.
    let digest = sigverify::HashAlg::Sha1.digest(wrong.as_bytes());
    let r = run(
        "2015-02-12T12:00:00Z",
        Some("testdata/policy/sha1-until-2016.toml"),
        Content::Digest {
            alg: sigverify::HashAlg::Sha1,
            value: &digest,
        },
    );
    assert_eq!(verdict(&r), "TOTAL_FAILED/HASH_FAILURE");
}

#[test]
#[cfg_attr(not(shared_corpus), ignore = "../shared/corpus not found beside the repository")]
fn without_the_intermediate_no_chain_is_found() {
    let shared = shared();
    let anchors = shared.join("trust-anchors-real");
    let mut setup = Setup::new(
        &[anchors.join("Swisscom_Root_CA_2.pem")],
        &[],
        at("2015-02-12T12:00:00Z"),
    );
    setup.policy =
        Policy::from_toml(&std::fs::read_to_string(repo().join("testdata/policy/sha1-until-2016.toml")).unwrap())
            .unwrap();
    let r = setup.run(
        &read(&shared.join("corpus/cms/mid-swisscom-mobileid-2015.p7s")),
        Content::None,
    );
    assert_eq!(verdict(&r), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
}

// ---------------------------------------------------------------------------------------------
// The guide's forms of a Mobile ID response through the CLI (`sigverify mobileid`) and the real
// HTTP server (`POST /api/v1/mobileid/verify`): the generated responses of testdata/mobileid/.

mod through_the_shells {
    use std::process::Command;
    use std::sync::Arc;

    use serde_json::{Value, json};
    use sigverify::api::{AppState, Limits, router};

    use super::common::*;

    const AT: &str = "2026-06-01T00:00:00Z";

    fn mid(name: &str) -> std::path::PathBuf {
        repo().join("testdata/mobileid").join(name)
    }

    fn expected(label: &str) -> Value {
        serde_json::from_slice(&read(&mid(&format!("signature-{label}.expected.json")))).unwrap()
    }

    fn text(name: &str) -> String {
        String::from_utf8(read(&mid(name))).unwrap()
    }

    /// `sigverify mobileid` on `response` with the RSA expectations (`--msisdn` as `extra` gives
    /// it), `extra` arguments after.
    fn cli(response: &str, extra: &[&str]) -> (Option<i32>, String) {
        let e = expected("rsa");
        let default_msisdn = (!extra.contains(&"--msisdn")).then(|| ["--msisdn", e["msisdn"].as_str().unwrap()]);
        let out = Command::new(env!("CARGO_BIN_EXE_sigverify"))
            .current_dir(repo())
            .env("SIGVERIFY_TRUST_ANCHORS_DIR", "/nonexistent")
            .env_remove("SIGVERIFY_OCSP")
            .env_remove("SIGVERIFY_MOBILEID_OCSP")
            .args(["mobileid", "--trust-anchor", "testdata/mobileid/root.pem", "--at", AT])
            .args(["--response", response])
            .args(["--dtbd", e["dtbd"].as_str().unwrap()])
            .args(["--ap-trans-id", e["apTransId"].as_str().unwrap()])
            .args(default_msisdn.iter().flatten())
            .args(extra)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr);
        (out.status.code(), format!("{stdout}{stderr}"))
    }

    #[test]
    fn cli_reads_the_soap_form_and_names_the_failing_check() {
        let (code, out) = cli("testdata/mobileid/soap-signature-rsa.xml", &[]);
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("TOTAL_PASSED [MOBILE_ID]"), "{out}");
        assert!(out.contains("Mobile ID status 500 SIGNATURE (SIGNATURE)"), "{out}");
        // A user cancel: its own verdict and message, the status named, the check shown.
        let (code, out) = cli("testdata/mobileid/soap-fault-401.xml", &[]);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("INDETERMINATE/NO_SIGNATURE"), "{out}");
        assert!(
            out.contains("Mobile ID status 401 USER_CANCEL (USER_CANCELLED)"),
            "{out}"
        );
        assert!(out.contains("The user cancelled the request on the phone."), "{out}");
        assert!(out.contains("check MOBILE_ID_STATUS FAILED: 401 USER_CANCEL"), "{out}");
        assert!(!out.contains("is not valid"), "{out}");
        // Another phone: the failing check and its detail.
        let (code, out) = cli("testdata/mobileid/signature-rsa.json", &["--msisdn", "+41790000000"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("check MSISDN_MATCH FAILED: MSISDN +41700092502 differs"),
            "{out}"
        );
        // Two signers.
        let (code, out) = cli("testdata/mobileid/soap-signature-two-signers.xml", &[]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("check MOBILE_ID_SINGLE_SIGNATURE FAILED: the CMS holds 2 signatures"),
            "{out}"
        );
        assert!(out.contains("contains several signatures"), "{out}");
        // A DTD: refused, as a verdict naming it.
        let path = std::env::temp_dir().join(format!("sigverify-mid-doctype-{}.xml", std::process::id()));
        std::fs::write(&path, format!("<!DOCTYPE x>{}", text("soap-signature-rsa.xml"))).unwrap();
        let (code, out) = cli(path.to_str().unwrap(), &[]);
        let _ = std::fs::remove_file(&path);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("TOTAL_FAILED/FORMAT_FAILURE"), "{out}");
        assert!(
            out.contains("check FORMAT_PARSED FAILED") && out.contains("DTD"),
            "{out}"
        );
        // JSON output carries the typed status.
        let (_, out) = cli("testdata/mobileid/fault-401.json", &["--format", "json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["mobileIdStatus"]["kind"], "USER_CANCELLED", "{v}");
    }

    async fn server() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(AppState::new(
            load_pool(&[mid("root.pem")]),
            load_pool(&[]),
            sigverify::Policy::default_policy(),
            Limits::default(),
        ));
        let app = router(state);
        tokio::spawn(async move {
            let config = sigverify::api::server::ServerConfig::default();
            sigverify::api::server::serve(listener, app, config, std::future::pending())
                .await
                .unwrap();
        });
        format!("http://{addr}/api/v1/mobileid/verify")
    }

    fn verdict_of(v: &Value) -> String {
        match v["subIndication"].as_str() {
            Some(s) => format!("{}/{s}", v["indication"].as_str().unwrap()),
            None => v["indication"].as_str().unwrap().to_string(),
        }
    }

    /// A SOAP body with the expectations of `label` (and `extra`) in the query.
    async fn post_soap(
        url: &str,
        body: String,
        content_type: &str,
        label: &str,
        extra: &[(&str, &str)],
    ) -> (u16, Value) {
        let e = expected(label);
        let mut query: Vec<(&str, &str)> = vec![
            ("dtbd", e["dtbd"].as_str().unwrap()),
            ("msisdn", e["msisdn"].as_str().unwrap()),
            ("apTransId", e["apTransId"].as_str().unwrap()),
            ("validationTime", AT),
        ];
        query.extend_from_slice(extra);
        let encoded: String = query
            .iter()
            .map(|(k, v)| format!("{k}={}", percent(v)))
            .collect::<Vec<_>>()
            .join("&");
        let r = reqwest::Client::new()
            .post(format!("{url}/soap?{encoded}"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    /// Percent-encoding of every byte outside the unreserved set (RFC 3986 2.3).
    fn percent(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[tokio::test]
    async fn http_accepts_the_soap_form_as_body_and_as_json_string() {
        let url = server().await;
        // The envelope as a text/xml body; the DTBD (non-ASCII) percent-encoded in the query.
        let (status, v) = post_soap(
            &url,
            text("soap-signature-rsa.xml"),
            "text/xml; charset=utf-8",
            "rsa",
            &[],
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(verdict_of(&v), "TOTAL_PASSED", "{v:#}");
        assert_eq!(v["mobileIdStatus"]["name"], "SIGNATURE");
        let (status, v) = post_soap(&url, text("soap-status-ec.xml"), "application/soap+xml", "ec", &[]).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(verdict_of(&v), "TOTAL_PASSED", "{v:#}");
        // Another media type: the 415 names the two the SOAP form reads; the JSON endpoint's
        // 415 says where the SOAP form goes.
        let (status, v) = post_soap(&url, text("soap-status-ec.xml"), "text/plain", "ec", &[]).await;
        assert_eq!(status, 415, "{v}");
        assert_eq!(
            v["message"], "the body must be sent as text/xml or application/soap+xml",
            "{v}"
        );
        let r = reqwest::Client::new()
            .post(&url)
            .header("content-type", "text/xml")
            .body(text("soap-status-ec.xml"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 415);
        let v: Value = r.json().await.unwrap();
        assert!(
            v["message"].as_str().unwrap().contains("/api/v1/mobileid/verify/soap"),
            "{v}"
        );
        // The pinned serial in the query too.
        let (_, v) = post_soap(
            &url,
            text("soap-signature-rsa.xml"),
            "text/xml",
            "rsa",
            &[("midSerial", "MIDCHETEST0000RSA")],
        )
        .await;
        assert_eq!(verdict_of(&v), "TOTAL_PASSED", "{v:#}");
        // The envelope as the JSON request's response string.
        let body =
            json!({"response": text("soap-signature-rsa.xml"), "expected": expected("rsa"), "validationTime": AT});
        let r = reqwest::Client::new().post(&url).json(&body).send().await.unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(verdict_of(&v), "TOTAL_PASSED", "{v:#}");
        // A user cancel, in German: its own verdict and what happened.
        let (status, v) = post_soap(
            &url,
            text("soap-fault-401.xml"),
            "text/xml",
            "rsa",
            &[("language", "de")],
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(verdict_of(&v), "INDETERMINATE/NO_SIGNATURE", "{v:#}");
        assert_eq!(
            v["mobileIdStatus"],
            json!({"code": 401, "name": "USER_CANCEL", "kind": "USER_CANCELLED", "message": "USER_CANCEL"})
        );
        assert_eq!(
            v["message"],
            "Die Antwort enthält keine Signatur, die geprüft werden könnte. Die Anfrage wurde auf dem Telefon abgebrochen."
        );
        // A DTD: a verdict, FORMAT_FAILURE.
        let doctype = format!("<!DOCTYPE x>{}", text("soap-signature-rsa.xml"));
        let (status, v) = post_soap(&url, doctype, "text/xml", "rsa", &[]).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(verdict_of(&v), "TOTAL_FAILED/FORMAT_FAILURE", "{v:#}");
    }

    #[tokio::test]
    async fn http_soap_query_errors_are_400() {
        let url = server().await;
        let (status, v) = post_soap(
            &url,
            text("soap-signature-rsa.xml"),
            "text/xml",
            "rsa",
            &[("midserial", "X")],
        )
        .await;
        assert_eq!(status, 400, "{v}");
        let r = reqwest::Client::new()
            .post(format!("{url}/soap?dtbd=x&msisdn=41"))
            .header("content-type", "text/xml")
            .body(text("soap-signature-rsa.xml"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let (status, _) = post_soap(
            &url,
            text("soap-signature-rsa.xml"),
            "text/xml",
            "rsa",
            &[("ocsp", "sometimes")],
        )
        .await;
        assert_eq!(status, 400);
        let (status, _) = post_soap(
            &url,
            text("soap-signature-rsa.xml"),
            "text/xml",
            "rsa",
            &[("language", "xx")],
        )
        .await;
        assert_eq!(status, 400);
    }

    #[tokio::test]
    async fn http_guide_json_with_numbers_and_non_signature_statuses() {
        let url = server().await;
        let rsa: Value = serde_json::from_slice(&read(&mid("signature-rsa.json"))).unwrap();
        let cms = rsa["MSS_SignatureResp"]["MSS_Signature"]["Base64Signature"].clone();
        // Reference Guide 3.3.2, REST/JSON, with "MobileUser" bare and numbers unquoted.
        let response = json!({"MSS_StatusResp": {
            "AP_Info": {"AP_ID": "yourAP_ID", "AP_TransID": "REF-SIGVERIFY-0001", "Instant": "2015-01-01T11:00:00.000Z"},
            "MSSP_Info": {"Instant": "2015-01-01T11:00:00.100Z", "MSSP_ID": {"URI": "http://mid.swisscom.ch/"}},
            "MSS_Signature": {"Base64Signature": cms},
            "MajorVersion": 1, "MinorVersion": 1,
            "MobileUser": 41700092502u64,
            "Status": {"StatusCode": {"Value": 500}, "StatusMessage": "SIGNATURE"}
        }});
        let post = |response: Value| {
            let url = url.clone();
            async move {
                let body = json!({"response": response, "expected": expected("rsa"), "validationTime": AT});
                let r = reqwest::Client::new().post(&url).json(&body).send().await.unwrap();
                r.json::<Value>().await.unwrap()
            }
        };
        let v = post(response).await;
        assert_eq!(verdict_of(&v), "TOTAL_PASSED", "{v:#}");
        for (code, kind) in [
            (401, "USER_CANCELLED"),
            (104, "UNAUTHORIZED"),
            (208, "EXPIRED"),
            (402, "USER_ACCOUNT"),
        ] {
            let fault = json!({"Fault": {"Code": {"SubCode": {"Value": code.to_string()}, "Value": "Receiver"}, "Reason": "X"}});
            let v = post(fault).await;
            assert_eq!(verdict_of(&v), "INDETERMINATE/NO_SIGNATURE", "{code}: {v:#}");
            assert_eq!(v["mobileIdStatus"]["kind"], kind, "{v}");
            assert!(!v["message"].as_str().unwrap().contains("not valid"), "{v}");
        }
    }

    #[tokio::test]
    async fn openapi_documents_both_forms_and_the_status_kind() {
        let url = server().await;
        let base = url.trim_end_matches("/api/v1/mobileid/verify");
        let doc: Value = reqwest::get(format!("{base}/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let json_op = &doc["paths"]["/api/v1/mobileid/verify"]["post"];
        let content = json_op["requestBody"]["content"].as_object().unwrap();
        assert_eq!(content.keys().collect::<Vec<_>>(), ["application/json"], "{json_op}");
        let op = &doc["paths"]["/api/v1/mobileid/verify/soap"]["post"];
        let content = op["requestBody"]["content"].as_object().unwrap();
        for ct in ["text/xml", "application/soap+xml"] {
            assert!(content.contains_key(ct), "{ct}: {op}");
        }
        let params: Vec<(&str, bool)> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["required"] == true))
            .collect();
        for p in ["dtbd", "msisdn", "apTransId"] {
            assert!(params.contains(&(p, true)), "{p}: {params:?}");
        }
        assert!(params.contains(&("midSerial", false)), "{params:?}");
        let kinds = &doc["components"]["schemas"]["MobileIdStatusKind"]["enum"];
        assert!(
            kinds.as_array().unwrap().iter().any(|k| k == "USER_CANCELLED"),
            "{kinds}"
        );
    }
}

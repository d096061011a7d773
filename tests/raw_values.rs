//! Bare signature values exactly as Smart-ID (RP API v3 session status) and Mobiil-ID
//! (MID-REST session status) return them: the service's `signature` object pasted unchanged
//! into `POST /api/v1/raw/verify`, verified over a real socket and through the library.
//!
//! RSASSA-PSS values are `testdata/raw/rsa-pss-*.sig` (openssl, see `testdata/raw/README.md`)
//! and fresh ones made with `ring`; ECDSA P-256 values are made here with the test key, as DER
//! and as raw `r || s`. The server is given only the trust anchors: the intermediates come
//! with each request.

mod common;

use std::sync::Arc;

use base64::Engine;
use common::*;
use serde_json::{Value, json};
use sigverify::adapters::raw::{PssParameters, SchemeError, ServiceSignature, parse_signature_scheme};
use sigverify::api::{AppState, Limits, router};
use sigverify::crypto::Message;
use sigverify::{Content, DefaultVerifier, HashAlg, Indication, Policy, SignatureScheme, SignatureVerifier};

const AT: &str = "2026-06-01T00:00:00Z";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn testdata(p: &str) -> Vec<u8> {
    read(&repo().join("testdata").join(p))
}

fn pem_text(p: &str) -> String {
    String::from_utf8(testdata(p)).unwrap()
}

/// The DER of the one certificate of a PEM file.
fn der(p: &str) -> Vec<u8> {
    sigverify::formats::x509::pem_blocks(&pem_text(p), "CERTIFICATE").unwrap()[0].clone()
}

fn challenge() -> Vec<u8> {
    testdata("raw/challenge.bin")
}

// ------------------------------------------------------------------------------ the services

/// Smart-ID's `signatureAlgorithmParameters` for RSASSA-PSS with `hash` (its name as Smart-ID
/// spells it) and `salt`.
fn smart_id_parameters(hash: &str, salt: u64) -> Value {
    json!({
        "hashAlgorithm": hash,
        "maskGenAlgorithm": {"algorithm": "id-mgf1", "parameters": {"hashAlgorithm": hash}},
        "saltLength": salt,
        "trailerField": "0xbc"
    })
}

/// A Smart-ID RP API v3 session-status response of a RAW_DIGEST_SIGNATURE session, shaped as
/// its `RawDigestSignatureResponseExample`.
fn smart_id_response(value: &[u8], parameters: Value, cert_der: &[u8]) -> Value {
    json!({
        "state": "COMPLETE",
        "result": {"endResult": "OK", "documentNumber": "PNOEE-30001010004-BVFM-Q"},
        "signatureProtocol": "RAW_DIGEST_SIGNATURE",
        "signature": {
            "value": b64(value),
            "flowType": "Notification",
            "signatureAlgorithm": "rsassa-pss",
            "signatureAlgorithmParameters": parameters
        },
        "cert": {"value": b64(cert_der), "certificateLevel": "QUALIFIED"},
        "interactionTypeUsed": "displayTextAndPIN",
        "deviceIpAddress": "203.0.113.34"
    })
}

/// A MID-REST authentication session response (`signature` and `cert`), shaped as its example.
fn mid_response(value: &[u8], algorithm: &str, cert_der: &[u8]) -> Value {
    json!({
        "state": "COMPLETE",
        "result": "OK",
        "signature": {"value": b64(value), "algorithm": algorithm},
        "cert": b64(cert_der),
        "time": "2019-07-23T10:52:20",
        "traceId": "d8de38e7bb5d8f8a"
    })
}

/// The raw-verify request an integrator makes from a service response: its `signature` and
/// `cert` unchanged, the signed data's digest and the intermediate.
fn request(response: &Value, hash: HashAlg, data: &[u8], intermediate: &str) -> Value {
    json!({
        "signature": response["signature"],
        "certificate": response["cert"],
        "intermediates": [b64(&der(intermediate))],
        "hash": {"algorithm": hash.name(), "value": b64(&hash.digest(data))},
        "validationTime": AT,
        "ocsp": "off"
    })
}

/// The PSS leaf signed over `data` by `ring`: RSASSA-PSS, `hash` also for MGF1, salt = hash
/// length (Smart-ID's parameters).
fn ring_pss(data: &[u8], alg: &'static dyn ring::signature::RsaEncoding) -> Vec<u8> {
    let key_der = sigverify::formats::x509::pem_blocks(&pem_text("pki/pss/leaf.key"), "PRIVATE KEY").unwrap();
    let key = ring::signature::RsaKeyPair::from_pkcs8(&key_der[0]).unwrap();
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(alg, &ring::rand::SystemRandom::new(), data, &mut sig).unwrap();
    sig
}

/// ECDSA P-256 by the P-256 test leaf over `data` hashed with `hash`: (DER, raw r || s).
fn p256_signature(data: &[u8], hash: HashAlg) -> (Vec<u8>, Vec<u8>) {
    let key = rcgen::KeyPair::from_pem(&pem_text("pki/p256/leaf.key")).unwrap();
    let der = pki::sign_p256_prehash(&key, &hash.digest(data));
    let raw = p256::ecdsa::Signature::from_der(&der).unwrap().to_bytes().to_vec();
    assert_eq!(raw.len(), 64);
    (der, raw)
}

// ------------------------------------------------------------------------------ the server

fn state() -> Arc<AppState> {
    let t = repo().join("testdata");
    let anchors = load_pool(&[
        t.join("pki/rsa/root.pem"),
        t.join("pki/pss/root.pem"),
        t.join("pki/p256/root.pem"),
    ]);
    Arc::new(AppState::new(
        anchors,
        sigverify::CertPool::new(),
        Policy::default_policy(),
        Limits::default(),
    ))
}

/// Starts the real server on a loopback port; returns the raw-verify URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state());
    tokio::spawn(async move {
        let config = sigverify::api::server::ServerConfig::default();
        sigverify::api::server::serve(listener, app, config, std::future::pending())
            .await
            .unwrap();
    });
    format!("http://{addr}/api/v1/raw/verify")
}

async fn post(url: &str, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new().post(url).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn verdict_of(url: &str, body: &Value) -> String {
    let (status, v) = post(url, body).await;
    assert_eq!(status, 200, "{v:#}");
    match v["subIndication"].as_str() {
        Some(s) => format!("{}/{s}", v["indication"].as_str().unwrap()),
        None => v["indication"].as_str().unwrap().to_string(),
    }
}

/// A 400 naming `field`; returns its message.
async fn refused(url: &str, body: &Value, field: &str) -> String {
    let (status, v) = post(url, body).await;
    assert_eq!(status, 400, "{v:#}");
    assert_eq!(v["field"], field, "{v:#}");
    v["message"].as_str().unwrap().to_string()
}

// ------------------------------------------------------------------------------ Smart-ID

#[tokio::test]
async fn smart_id_rsassa_pss_sha512_as_returned_passes() {
    let url = serve().await;
    let leaf = der("pki/pss/leaf.pem");
    // openssl's SHA-512 / salt 64 value, given the digest (Smart-ID's RAW_DIGEST_SIGNATURE).
    let sid = smart_id_response(
        &testdata("raw/rsa-pss-sha512-salt64.sig"),
        smart_id_parameters("SHA-512", 64),
        &leaf,
    );
    let body = request(&sid, HashAlg::Sha512, &challenge(), "pki/pss/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_PASSED");
    // The same given the data instead of its digest.
    let mut with_data = body.clone();
    with_data.as_object_mut().unwrap().remove("hash");
    with_data["data"] = json!(b64(&challenge()));
    assert_eq!(verdict_of(&url, &with_data).await, "TOTAL_PASSED");
    // SHA3-512, as in Smart-ID's own example.
    let sid = smart_id_response(
        &testdata("raw/rsa-pss-sha3-512-salt64.sig"),
        smart_id_parameters("SHA3-512", 64),
        &leaf,
    );
    let body = request(&sid, HashAlg::Sha3_512, &challenge(), "pki/pss/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_PASSED");
    // A fresh value over other data (an authentication's data to be signed, built by the caller).
    let data = b"smart-id\x1fACSP_V2\x1fserver random\x1frp challenge";
    let mut sid = smart_id_response(
        &ring_pss(data, &ring::signature::RSA_PSS_SHA512),
        smart_id_parameters("SHA-512", 64),
        &leaf,
    );
    // The ACSP_V2 fields are taken as returned (not used: the caller builds the data).
    sid["signature"]["serverRandom"] = json!(b64(&[7; 96]));
    sid["signature"]["userChallenge"] = json!("TLSjYRH2oYw8tW2bq0it0IUb7WIFkCLgF8NTc7-4Zq4");
    let body = request(&sid, HashAlg::Sha512, data, "pki/pss/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_PASSED");
    // The same value over other data fails.
    let body = request(&sid, HashAlg::Sha512, b"other data", "pki/pss/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
}

#[tokio::test]
async fn smart_id_parameters_given_at_the_top_level_are_read_alike() {
    let url = serve().await;
    let sig = testdata("raw/rsa-pss-sha512-salt64.sig");
    let body = |params: Value| {
        json!({
            "signatureValue": b64(&sig),
            "signatureAlgorithm": "rsassa-pss",
            "signatureAlgorithmParameters": params,
            "certificate": pem_text("pki/pss/leaf.pem"),
            "intermediates": [pem_text("pki/pss/ica.pem")],
            "data": b64(&challenge()),
            "validationTime": AT,
            "ocsp": "off"
        })
    };
    assert_eq!(
        verdict_of(&url, &body(smart_id_parameters("SHA-512", 64))).await,
        "TOTAL_PASSED"
    );
    // Only what Smart-ID's request carries, plus the salt: MGF1 with the hash, trailer 0xbc.
    assert_eq!(
        verdict_of(&url, &body(json!({"hashAlgorithm": "SHA-512", "saltLength": 64}))).await,
        "TOTAL_PASSED"
    );
    // The short form.
    let mut short = body(json!(null));
    short.as_object_mut().unwrap().remove("signatureAlgorithmParameters");
    short["signatureAlgorithm"] = json!({"name": "RSASSA-PSS", "hash": "SHA-512", "saltLength": 64});
    assert_eq!(verdict_of(&url, &short).await, "TOTAL_PASSED");
}

/// The hash and the salt length given are the ones the value is verified with: another one
/// does not pass, whichever backend verifies (`ring` for salt = hash length over the data,
/// RustCrypto otherwise and over a digest).
#[tokio::test]
async fn smart_id_wrong_hash_or_salt_does_not_pass() {
    let url = serve().await;
    let leaf = der("pki/pss/leaf.pem");
    let salt64 = testdata("raw/rsa-pss-sha512-salt64.sig");
    let salt32 = testdata("raw/rsa-pss-sha512-salt32.sig");
    for (value, params, hash, want) in [
        (
            &salt64,
            smart_id_parameters("SHA-512", 64),
            HashAlg::Sha512,
            "TOTAL_PASSED",
        ),
        (
            &salt32,
            smart_id_parameters("SHA-512", 32),
            HashAlg::Sha512,
            "TOTAL_PASSED",
        ),
        // SHA-256 named for a SHA-512 value (digest given under SHA-256, as a caller would).
        (
            &salt64,
            smart_id_parameters("SHA-256", 32),
            HashAlg::Sha256,
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
        (
            &salt64,
            smart_id_parameters("SHA-256", 64),
            HashAlg::Sha256,
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
        // The wrong salt length, each way.
        (
            &salt64,
            smart_id_parameters("SHA-512", 32),
            HashAlg::Sha512,
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
        (
            &salt64,
            smart_id_parameters("SHA-512", 0),
            HashAlg::Sha512,
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
        (
            &salt32,
            smart_id_parameters("SHA-512", 64),
            HashAlg::Sha512,
            "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
        ),
    ] {
        let sid = smart_id_response(value, params.clone(), &leaf);
        let by_digest = request(&sid, hash, &challenge(), "pki/pss/ica.pem");
        assert_eq!(verdict_of(&url, &by_digest).await, want, "{params} by digest");
        let mut by_data = by_digest.clone();
        by_data.as_object_mut().unwrap().remove("hash");
        by_data["data"] = json!(b64(&challenge()));
        assert_eq!(verdict_of(&url, &by_data).await, want, "{params} by data");
    }
}

/// Parameters the verifier would otherwise not apply are refused, never assumed: each case
/// changes one field of a request that passes.
#[tokio::test]
async fn smart_id_parameters_are_checked_not_assumed() {
    let url = serve().await;
    let leaf = der("pki/pss/leaf.pem");
    let sig = testdata("raw/rsa-pss-sha512-salt64.sig");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut sid = smart_id_response(&sig, smart_id_parameters("SHA-512", 64), &leaf);
        edit(&mut sid["signature"]);
        request(&sid, HashAlg::Sha512, &challenge(), "pki/pss/ica.pem")
    };
    assert_eq!(verdict_of(&url, &with(&|_| {})).await, "TOTAL_PASSED");
    let params = "signature.signatureAlgorithmParameters";
    // A trailer other than 0xbc.
    let m = refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["trailerField"] = json!("0x01")),
        params,
    )
    .await;
    assert!(m.contains("trailer"), "{m}");
    assert_eq!(
        verdict_of(
            &url,
            &with(&|s| s["signatureAlgorithmParameters"]["trailerField"] = json!("0xBC"))
        )
        .await,
        "TOTAL_PASSED"
    );
    // Another mask generation function.
    let m = refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["maskGenAlgorithm"]["algorithm"] = json!("id-mgf2")),
        params,
    )
    .await;
    assert!(m.contains("id-mgf1"), "{m}");
    // MGF1 over another hash than the message hash.
    let m = refused(
        &url,
        &with(&|s| {
            s["signatureAlgorithmParameters"]["maskGenAlgorithm"]["parameters"]["hashAlgorithm"] = json!("SHA-256")
        }),
        params,
    )
    .await;
    assert!(m.contains("MGF1"), "{m}");
    // MGF1 without its hash.
    let m = refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["maskGenAlgorithm"] = json!({"algorithm": "id-mgf1"})),
        params,
    )
    .await;
    assert!(m.contains("maskGenAlgorithm.parameters.hashAlgorithm"), "{m}");
    // An unknown hash.
    let m = refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["hashAlgorithm"] = json!("SHA-513")),
        params,
    )
    .await;
    assert!(m.contains("SHA-513"), "{m}");
    // No hash, no salt length, no parameters at all: needed, not defaulted.
    let m = refused(
        &url,
        &with(&|s| {
            s["signatureAlgorithmParameters"]
                .as_object_mut()
                .unwrap()
                .remove("hashAlgorithm");
        }),
        params,
    )
    .await;
    assert!(m.contains("needs hashAlgorithm"), "{m}");
    let m = refused(
        &url,
        &with(&|s| {
            s["signatureAlgorithmParameters"]
                .as_object_mut()
                .unwrap()
                .remove("saltLength");
        }),
        params,
    )
    .await;
    assert!(m.contains("needs saltLength"), "{m}");
    let m = refused(
        &url,
        &with(&|s| {
            s.as_object_mut().unwrap().remove("signatureAlgorithmParameters");
        }),
        params,
    )
    .await;
    assert!(m.contains("rsassa-pss needs"), "{m}");
    // A misspelt field is refused, not ignored (here it would have hidden a bad trailer).
    let m = refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["trailerFeild"] = json!("0x01")),
        "signature.signatureAlgorithmParameters.trailerFeild",
    )
    .await;
    assert!(m.contains("unknown field"), "{m}");
    refused(
        &url,
        &with(&|s| s["signatureAlgorithmParameters"]["maskGenAlgorithm"]["parameters"]["hash"] = json!("SHA-1")),
        "signature.signatureAlgorithmParameters.maskGenAlgorithm.parameters.hash",
    )
    .await;
    refused(&url, &with(&|s| s["extra"] = json!("x")), "signature.extra").await;
    // Both the signature object and a loose value.
    let mut both = with(&|_| {});
    both["signatureValue"] = json!(b64(&sig));
    refused(&url, &both, "signature").await;
}

#[tokio::test]
async fn bare_or_empty_algorithm_names_are_refused() {
    let url = serve().await;
    let body = |alg: Value| {
        json!({
            "signatureValue": b64(&testdata("raw/rsa-pss-sha256.sig")),
            "signatureAlgorithm": alg,
            "certificate": pem_text("pki/pss/leaf.pem"),
            "intermediates": [pem_text("pki/pss/ica.pem")],
            "data": b64(&challenge()),
            "validationTime": AT,
            "ocsp": "off"
        })
    };
    // This value is SHA-256 / salt 32: a bare name is not taken to mean that.
    for alg in ["rsassa-pss", "RSASSA-PSS"] {
        let m = refused(&url, &body(json!(alg)), "signatureAlgorithmParameters").await;
        assert!(m.contains("rsassa-pss needs"), "{m}");
    }
    let m = refused(
        &url,
        &body(json!({"name": "RSASSA-PSS", "hash": "SHA-256"})),
        "signatureAlgorithmParameters",
    )
    .await;
    assert!(m.contains("saltLength"), "{m}");
    assert_eq!(
        verdict_of(
            &url,
            &body(json!({"name": "RSASSA-PSS", "hash": "SHA-256", "saltLength": 32}))
        )
        .await,
        "TOTAL_PASSED"
    );
    for alg in [
        "",
        "  ",
        "SHA256withRSA/PSS",
        "SHA256withRSAandMGF1",
        "md5WithRSA",
        "sha256",
    ] {
        refused(&url, &body(json!(alg)), "signatureAlgorithm").await;
    }
    // Parameters given with an algorithm that takes none.
    let mut b = body(json!("SHA256withRSA"));
    b["signatureAlgorithmParameters"] = json!({"hashAlgorithm": "SHA-256", "saltLength": 32});
    refused(&url, &b, "signatureAlgorithmParameters").await;
}

// ------------------------------------------------------------------------------ Mobiil-ID

#[tokio::test]
async fn mobiil_id_ecdsa_as_returned_passes_der_and_raw() {
    let url = serve().await;
    let leaf = der("pki/p256/leaf.pem");
    let data = challenge();
    for (name, hash) in [
        ("SHA256WithECEncryption", HashAlg::Sha256),
        ("SHA384WithECEncryption", HashAlg::Sha384),
        ("SHA512WithECEncryption", HashAlg::Sha512),
    ] {
        let (der_sig, raw_sig) = p256_signature(&data, hash);
        for value in [&der_sig, &raw_sig] {
            let mid = mid_response(value, name, &leaf);
            let body = request(&mid, hash, &data, "pki/p256/ica.pem");
            assert_eq!(
                verdict_of(&url, &body).await,
                "TOTAL_PASSED",
                "{name} {} bytes",
                value.len()
            );
            let other = request(&mid, hash, b"another challenge", "pki/p256/ica.pem");
            assert_eq!(
                verdict_of(&url, &other).await,
                "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
                "{name} over other data"
            );
        }
    }
    // Named with another hash than it was made with.
    let (der_sig, _) = p256_signature(&data, HashAlg::Sha256);
    let mid = mid_response(&der_sig, "SHA384WithECEncryption", &leaf);
    let body = request(&mid, HashAlg::Sha384, &data, "pki/p256/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
    // A raw r || s value one byte short is not taken for a signature.
    let (_, raw_sig) = p256_signature(&data, HashAlg::Sha256);
    let mid = mid_response(&raw_sig[..63], "SHA256WithECEncryption", &leaf);
    let body = request(&mid, HashAlg::Sha256, &data, "pki/p256/ica.pem");
    assert_ne!(verdict_of(&url, &body).await, "TOTAL_PASSED");
}

#[tokio::test]
async fn mobiil_id_rsa_as_returned_passes() {
    let url = serve().await;
    let mid = mid_response(
        &testdata("raw/rsa-pkcs1-sha256.sig"),
        "SHA256WithRSAEncryption",
        &der("pki/rsa/leaf.pem"),
    );
    let body = request(&mid, HashAlg::Sha256, &challenge(), "pki/rsa/ica.pem");
    assert_eq!(verdict_of(&url, &body).await, "TOTAL_PASSED");
    // Signature objects carry one algorithm name.
    let mut both = body.clone();
    both["signature"]["signatureAlgorithm"] = json!("SHA256WithRSAEncryption");
    let m = refused(&url, &both, "signature.signatureAlgorithm").await;
    assert!(m.contains("twice"), "{m}");
    let mut none = body.clone();
    none["signature"].as_object_mut().unwrap().remove("algorithm");
    let m = refused(&url, &none, "signature.signatureAlgorithm").await;
    assert!(m.contains("no signature algorithm"), "{m}");
}

/// The request schema describes the service objects it takes.
#[test]
fn openapi_describes_the_service_objects() {
    let doc = serde_json::to_value(sigverify::api::openapi::document()).unwrap();
    let text = doc.to_string();
    for field in [
        "signatureAlgorithmParameters",
        "maskGenAlgorithm",
        "trailerField",
        "intermediates",
        "certificateLevel",
        "userChallenge",
    ] {
        assert!(
            text.contains(&format!("\"{field}\"")),
            "{field} missing from the OpenAPI document"
        );
    }
}

// ------------------------------------------------------------------------------ intermediates

#[tokio::test]
async fn intermediates_come_with_the_request_and_stay_with_it() {
    let url = serve().await;
    let mid = mid_response(
        &testdata("raw/p256-sha256.raw.sig"),
        "SHA256WithECEncryption",
        &der("pki/p256/leaf.pem"),
    );
    let with = request(&mid, HashAlg::Sha256, &challenge(), "pki/p256/ica.pem");
    let mut without = with.clone();
    without.as_object_mut().unwrap().remove("intermediates");
    // The server has no intermediates: without the request's, no path.
    assert_eq!(
        verdict_of(&url, &without).await,
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"
    );
    assert_eq!(verdict_of(&url, &with).await, "TOTAL_PASSED");
    // Used for that request only.
    assert_eq!(
        verdict_of(&url, &without).await,
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"
    );
    // An unrelated intermediate does not help.
    let mut wrong = with.clone();
    wrong["intermediates"] = json!([b64(&der("pki/rsa/ica.pem"))]);
    assert_eq!(
        verdict_of(&url, &wrong).await,
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"
    );
    // A PEM bundle as the certificate: the signer, then its intermediate.
    let mut bundle = without.clone();
    bundle["certificate"] = json!(format!(
        "{}\n{}",
        pem_text("pki/p256/leaf.pem"),
        pem_text("pki/p256/ica.pem")
    ));
    assert_eq!(verdict_of(&url, &bundle).await, "TOTAL_PASSED");
    // A bundle with text after it, or the intermediate first, does not pass.
    let mut garbage = bundle.clone();
    garbage["certificate"] = json!(format!("{}garbage\n", bundle["certificate"].as_str().unwrap()));
    assert_eq!(verdict_of(&url, &garbage).await, "TOTAL_FAILED/FORMAT_FAILURE");
    let mut swapped = bundle.clone();
    swapped["certificate"] = json!(format!(
        "{}{}",
        pem_text("pki/p256/ica.pem"),
        pem_text("pki/p256/leaf.pem")
    ));
    assert_ne!(verdict_of(&url, &swapped).await, "TOTAL_PASSED");
    // Bounded: nine are refused before verification; eight are read.
    let ica = b64(&der("pki/p256/ica.pem"));
    let mut many = with.clone();
    many["intermediates"] = json!(vec![ica.clone(); 9]);
    let (status, v) = post(&url, &many).await;
    assert_eq!(status, 400, "{v:#}");
    many["intermediates"] = json!(vec![ica; 8]);
    assert_eq!(verdict_of(&url, &many).await, "TOTAL_PASSED");
    let mut bad = with.clone();
    bad["intermediates"] = json!(["not base64!"]);
    refused(&url, &bad, "intermediates[0]").await;
}

// ------------------------------------------------------------------------------ the library

fn service_signature(v: &Value) -> ServiceSignature {
    serde_json::from_value(v.clone()).unwrap()
}

fn setup() -> Setup {
    let t = repo().join("testdata");
    Setup::new(&[t.join("pki/pss/root.pem"), t.join("pki/p256/root.pem")], &[], at(AT)).revocation_off()
}

#[test]
fn library_reads_the_service_objects_as_returned() {
    let s = setup();
    let ctx = context(&s);
    let run = |sig: &ServiceSignature, cert: &[u8], ica: &str, content: Content<'_>| {
        let scheme = sig.scheme().unwrap();
        let value = base64::engine::general_purpose::STANDARD.decode(&sig.value).unwrap();
        sigverify::adapters::raw::verify_raw_with_intermediates(&value, &scheme, cert, &[der(ica)], content, &ctx)
    };
    let sid = smart_id_response(
        &testdata("raw/rsa-pss-sha512-salt64.sig"),
        smart_id_parameters("SHA-512", 64),
        &der("pki/pss/leaf.pem"),
    );
    let sig = service_signature(&sid["signature"]);
    assert_eq!(
        sig.scheme(),
        Ok(SignatureScheme::RsaPss {
            hash: HashAlg::Sha512,
            mgf_hash: HashAlg::Sha512,
            salt_len: 64
        })
    );
    let digest = HashAlg::Sha512.digest(&challenge());
    let content = Content::Digest {
        alg: HashAlg::Sha512,
        value: &digest,
    };
    let r = run(&sig, &der("pki/pss/leaf.pem"), "pki/pss/ica.pem", content);
    assert_eq!(r.indication, Indication::TotalPassed, "{}", verdict(&r));
    // Without the intermediate: no path.
    let value = base64::engine::general_purpose::STANDARD.decode(&sig.value).unwrap();
    let r = sigverify::verify_raw(
        &value,
        &sig.scheme().unwrap(),
        &der("pki/pss/leaf.pem"),
        Content::Data(&challenge()),
        &ctx,
    );
    assert_eq!(verdict(&r), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
    // Mobiil-ID, DER and raw r || s.
    let (der_sig, raw_sig) = p256_signature(&challenge(), HashAlg::Sha256);
    for value in [der_sig, raw_sig] {
        let mid = mid_response(&value, "SHA256WithECEncryption", &der("pki/p256/leaf.pem"));
        let sig = service_signature(&mid["signature"]);
        assert_eq!(sig.scheme(), Ok(SignatureScheme::Ecdsa(HashAlg::Sha256)));
        let cert = base64::engine::general_purpose::STANDARD
            .decode(mid["cert"].as_str().unwrap())
            .unwrap();
        let r = run(&sig, &cert, "pki/p256/ica.pem", Content::Data(&challenge()));
        assert_eq!(r.indication, Indication::TotalPassed, "{}", verdict(&r));
    }
    // Too many intermediates: a format failure, not a verification.
    let many = vec![der("pki/p256/ica.pem"); sigverify::adapters::raw::MAX_RAW_INTERMEDIATES + 1];
    let r = sigverify::adapters::raw::verify_raw_with_intermediates(
        &value,
        &SignatureScheme::Ecdsa(HashAlg::Sha256),
        &der("pki/p256/leaf.pem"),
        &many,
        Content::Data(&challenge()),
        &ctx,
    );
    assert_eq!(verdict(&r), "TOTAL_FAILED/FORMAT_FAILURE");
}

#[test]
fn algorithm_names_as_the_services_spell_them() {
    let parse = |n: &str| parse_signature_scheme(n, None);
    for (name, want) in [
        ("SHA256WithECEncryption", SignatureScheme::Ecdsa(HashAlg::Sha256)),
        ("SHA384WithECEncryption", SignatureScheme::Ecdsa(HashAlg::Sha384)),
        ("SHA512WithECEncryption", SignatureScheme::Ecdsa(HashAlg::Sha512)),
        ("SHA256WithRSAEncryption", SignatureScheme::RsaPkcs1(HashAlg::Sha256)),
        ("sha512WithRSAEncryption", SignatureScheme::RsaPkcs1(HashAlg::Sha512)),
        ("SHA256withECDSA", SignatureScheme::Ecdsa(HashAlg::Sha256)),
        ("ecdsa-with-SHA384", SignatureScheme::Ecdsa(HashAlg::Sha384)),
        ("SHA1withRSA", SignatureScheme::RsaPkcs1(HashAlg::Sha1)),
    ] {
        assert_eq!(parse(name), Ok(want), "{name}");
    }
    for name in [
        "SHA256withRSA/PSS",
        "SHA256withRSAandMGF1",
        "SHA256WithECEncryption2",
        "xSHA256withRSA",
        "md5WithRSAEncryption",
        "SHA3-224withECDSA",
        "ecdsa",
    ] {
        assert!(
            matches!(parse(name), Err(SchemeError::Unknown(_))),
            "{name}: {:?}",
            parse(name)
        );
    }
    assert_eq!(parse(""), Err(SchemeError::Empty));
    assert!(matches!(parse("rsassa-pss"), Err(SchemeError::Missing(_))));
    let long = "A".repeat(10_000);
    let e = parse(&long).unwrap_err().to_string();
    assert!(e.len() < 200, "{} bytes", e.len());
    // Every parameter is read.
    let params: PssParameters = serde_json::from_value(smart_id_parameters("SHA3-512", 64)).unwrap();
    assert_eq!(
        parse_signature_scheme("rsassa-pss", Some(&params)),
        Ok(SignatureScheme::RsaPss {
            hash: HashAlg::Sha3_512,
            mgf_hash: HashAlg::Sha3_512,
            salt_len: 64
        })
    );
    let mut p = params.clone();
    p.salt_length = Some(1_000_000);
    assert_eq!(
        parse_signature_scheme("rsassa-pss", Some(&p)),
        Err(SchemeError::SaltTooLarge(1_000_000))
    );
    assert!(serde_json::from_value::<PssParameters>(json!({"hashAlgorithm": "SHA-512", "saltLength": -1})).is_err());
    assert!(serde_json::from_value::<PssParameters>(json!({"hashAlgorithm": "SHA-512", "salt": 64})).is_err());
}

/// The crypto layer enforces the salt length given, in both backends.
#[test]
fn pss_salt_length_is_enforced_by_the_verifier() {
    let key = sigverify::formats::x509::Certificate::from_der(&der("pki/pss/leaf.pem"))
        .unwrap()
        .public_key;
    let data = challenge();
    let digest = HashAlg::Sha512.digest(&data);
    let pss = |salt_len| SignatureScheme::RsaPss {
        hash: HashAlg::Sha512,
        mgf_hash: HashAlg::Sha512,
        salt_len,
    };
    for (file, salt) in [
        ("raw/rsa-pss-sha512-salt64.sig", 64),
        ("raw/rsa-pss-sha512-salt32.sig", 32),
    ] {
        let sig = testdata(file);
        for claimed in [0, 20, 32, 48, 64, 100] {
            for message in [Message::Data(&data), Message::Digest(&digest)] {
                let ok = DefaultVerifier.verify(&key, &pss(claimed), message, &sig).is_ok();
                assert_eq!(ok, claimed == salt, "{file} as salt {claimed}, {message:?}");
            }
        }
    }
}

// ------------------------------------------------------------------------------ the CLI

#[test]
fn cli_reads_the_smart_id_signature_object() {
    let run = |signature: &Value, extra: &[&str]| {
        let file = pki::TempFile::new("signature.json", signature.to_string().as_bytes());
        let bundle = pki::TempFile::new(
            "bundle.pem",
            format!("{}{}", pem_text("pki/pss/leaf.pem"), pem_text("pki/pss/ica.pem")).as_bytes(),
        );
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sigverify"))
            .current_dir(repo())
            .env("SIGVERIFY_TRUST_ANCHORS_DIR", "/nonexistent")
            .env_remove("SIGVERIFY_OCSP")
            .args(["raw", "--ocsp", "off", "--trust-anchor", "testdata/pki/pss/root.pem"])
            .args(["--at", AT, "--data", "testdata/raw/challenge.bin"])
            .arg("--signature-value")
            .arg(&file.0)
            .arg("--certificate")
            .arg(&bundle.0)
            .args(extra)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let sid = smart_id_response(
        &testdata("raw/rsa-pss-sha512-salt64.sig"),
        smart_id_parameters("SHA-512", 64),
        &der("pki/pss/leaf.pem"),
    );
    let (code, text) = run(&sid["signature"], &[]);
    assert_eq!(code, Some(0), "{text}");
    let mut bad = sid["signature"].clone();
    bad["signatureAlgorithmParameters"]["trailerField"] = json!("0x01");
    let (code, text) = run(&bad, &[]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("trailer"), "{text}");
    let mut bad = sid["signature"].clone();
    bad["signatureAlgorithmParameters"]["saltLen"] = json!(64);
    let (code, text) = run(&bad, &[]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("saltLen"), "{text}");
    // The object names its algorithm: --algorithm as well is refused.
    let (code, text) = run(&sid["signature"], &["--algorithm", "SHA512withRSA"]);
    assert_eq!(code, Some(2), "{text}");
}

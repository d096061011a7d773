//! Replays fuzzing inputs on stable Rust, through the very functions the cargo-fuzz targets call
//! (`fuzz/src/lib.rs`, included below): every crash or timeout kept in
//! `testdata/fuzz-regressions/` (named `<target>-<hash>`), every seed in `fuzz/seeds/<target>/`,
//! and a few hand-made hostile encodings. Each must give a verdict, never a panic, and a
//! malformed input must never be TOTAL_PASSED.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sigverify::{Indication, Report};

/// Seeds that are genuine, valid signatures under the harness's trust store (RSA and P-256 test
/// roots) at the harness's time. Every other seed and every regression input must not pass.
const KNOWN_VALID: &[&str] = &[
    "cms/rsa-attached.p7m",
    // A bare certificate with its issuer in one PEM bundle: the path is built through it.
    "cms/pem-bundle-leaf-ica.pem",
    "cms/p256-attached.p7m",
    "cms/p256-attached.b64",
    "cms/rsa-ber-stream.p7m",
    "cms/rsa-cades.p7m",
    "cms/rsa-countersigned.p7m",
    "cms/rsa-keyid.p7m",
    "cms/rsa-noattr.p7m",
    "cms/rsa-noattr.pem",
    "cms_detached/rsa-detached-data",
    "cms_detached/rsa-detached-dtbd",
    "cms_detached/rsa-detached-sha256",
    "cms_detached/p256-attached-nocontent",
    "xml_signature/enveloped-rsa.xml",
    "xml_signature/enveloping-rsa.xml",
    "xml_signature/enveloped-c14n11.xml",
];

/// The fuzz targets, by the name used for their seed folder and regression-file prefix.
const TARGETS: &[&str] = &[
    "cms",
    "cms_detached",
    "certificate",
    "ber",
    "mobileid",
    "raw",
    "msign_soap",
    "json_bodies",
    "asic_zip",
    "xml_signature",
    "c14n",
    "ddoc",
    "pdf",
    "ocsp",
    "crl",
    "timestamp",
];

/// The targets that take ASN.1 (the hostile DER/BER inputs below are aimed at them).
const ASN1_TARGETS: &[&str] = &["cms", "cms_detached", "certificate", "ber", "ocsp", "crl", "timestamp"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    v.sort();
    v
}

/// What one target did with one input.
enum Outcome {
    Verdict(Box<Report>),
    NoVerdict,
    Parsed(bool),
    Visited(usize),
}

fn run_target(target: &str, data: &[u8]) -> Outcome {
    match target {
        "cms" => Outcome::Verdict(Box::new(harness::cms(data))),
        "cms_detached" => harness::cms_detached(data).map_or(Outcome::NoVerdict, |r| Outcome::Verdict(Box::new(r))),
        "certificate" => Outcome::Parsed(harness::certificate(data)),
        "ber" => Outcome::Visited(harness::ber(data)),
        "mobileid" => harness::mobileid(data).map_or(Outcome::NoVerdict, |r| Outcome::Verdict(Box::new(r))),
        "raw" => harness::raw(data).map_or(Outcome::NoVerdict, |r| Outcome::Verdict(Box::new(r))),
        "msign_soap" => Outcome::Parsed(harness::msign_soap(data).is_some()),
        "json_bodies" => Outcome::Parsed(harness::json_bodies(data).unwrap_or(false)),
        "asic_zip" => Outcome::Parsed(harness::asic_zip(data)),
        "pdf" => Outcome::Parsed(harness::pdf(data)),
        "ocsp" => Outcome::Parsed(harness::ocsp(data)),
        "xml_signature" => Outcome::Verdict(Box::new(harness::xml_signature(data))),
        "c14n" => Outcome::Visited(harness::c14n(data)),
        "ddoc" => Outcome::Verdict(Box::new(harness::ddoc(data))),
        "crl" => Outcome::Parsed(harness::crl(data)),
        "timestamp" => Outcome::Parsed(harness::timestamp(data)),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Runs `data` through `target`, catching panics. Returns the outcome or a failure message.
fn replay(target: &str, name: &str, data: &[u8]) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| run_target(target, data))).map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_default();
        format!("{name}: target `{target}` panicked: {msg}")
    })
}

fn check_not_passed(name: &str, outcome: &Outcome, failures: &mut Vec<String>) {
    if let Outcome::Verdict(r) = outcome {
        if r.indication == Indication::TotalPassed {
            failures.push(format!("{name}: malformed/unknown input gave TOTAL_PASSED"));
        }
    }
}

#[test]
fn seeds_replay() {
    let mut failures = Vec::new();
    let mut n = 0;
    for target in TARGETS {
        let files = files_in(&repo().join("fuzz/seeds").join(target));
        assert!(!files.is_empty(), "fuzz/seeds/{target} has no seeds");
        for f in files {
            let name = format!("{target}/{}", f.file_name().expect("file name").to_string_lossy());
            let data = std::fs::read(&f).expect("readable seed");
            n += 1;
            match replay(target, &name, &data) {
                Err(e) => failures.push(e),
                Ok(Outcome::Verdict(r)) => {
                    let passed = r.indication == Indication::TotalPassed;
                    if KNOWN_VALID.contains(&name.as_str()) != passed {
                        failures.push(format!(
                            "{name}: expected {}, got {}/{}",
                            if passed { "not TOTAL_PASSED" } else { "TOTAL_PASSED" },
                            r.indication.as_str(),
                            r.sub_indication.map_or("-", |s| s.as_str())
                        ));
                    }
                }
                Ok(Outcome::NoVerdict) => failures.push(format!("{name}: seed gave no verdict")),
                Ok(Outcome::Parsed(ok)) => {
                    if !ok {
                        failures.push(format!("{name}: seed does not parse or is refused"));
                    }
                }
                Ok(Outcome::Visited(k)) => {
                    if k == 0 {
                        failures.push(format!("{name}: seed does not parse or gave no output"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} seeds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("replayed {n} seeds");
}

#[test]
fn regressions_replay() {
    let files: Vec<PathBuf> = files_in(&repo().join("testdata/fuzz-regressions"))
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    let mut failures = Vec::new();
    for f in &files {
        let file = f.file_name().expect("file name").to_string_lossy().into_owned();
        let data = std::fs::read(f).expect("readable regression input");
        // `<target>-<hash>`; `cms_detached-…` must not be taken for `cms-…`. An input of no known
        // target goes through all of them.
        let target = TARGETS
            .iter()
            .filter(|t| file.starts_with(&format!("{t}-")))
            .max_by_key(|t| t.len());
        let targets: Vec<&str> = target.map_or_else(|| TARGETS.to_vec(), |t| vec![*t]);
        for t in targets {
            let start = Instant::now();
            match replay(t, &file, &data) {
                Err(e) => failures.push(e),
                Ok(outcome) => check_not_passed(&file, &outcome, &mut failures),
            }
            // Generous: a regression may be a former timeout (libFuzzer's limit was 10 s, in a
            // release build); here it runs in a debug build.
            let took = start.elapsed();
            if took > Duration::from_secs(20) {
                failures.push(format!("{file}: target `{t}` took {took:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} regression(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("replayed {} regression inputs", files.len());
}

// ---------------------------------------------------------------------------------------------
// Hand-made hostile inputs.

/// A definite-length element (DER length form).
fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    sigverify::formats::ber::push_der_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `1.2.840.113549.1.7.2` (id-signedData) and `1.2.840.113549.1.7.1` (id-data), as OID TLVs.
const OID_SIGNED_DATA: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const OID_DATA: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
/// AlgorithmIdentifier { id-sha256 }.
const ALG_SHA256: &[u8] = &[
    0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];

/// ContentInfo { signedData, [0] SignedData { version 1, {sha256}, encap, certs, signerInfos } }.
fn signed_data(encap_content: Option<&[u8]>, certificates: Option<&[u8]>, signer_infos: &[u8]) -> Vec<u8> {
    let econtent = encap_content.map(|c| tlv(0xa0, c)).unwrap_or_default();
    let encap = tlv(0x30, &cat(&[OID_DATA, &econtent]));
    let certs = certificates.map(|c| tlv(0xa0, c)).unwrap_or_default();
    let sd = tlv(
        0x30,
        &cat(&[
            &[0x02, 0x01, 0x01],
            &tlv(0x31, ALG_SHA256),
            &encap,
            &certs,
            &tlv(0x31, signer_infos),
        ]),
    );
    tlv(0x30, &cat(&[OID_SIGNED_DATA, &tlv(0xa0, &sd)]))
}

/// A SignerInfo that is well formed but whose signature cannot verify.
fn bogus_signer_info() -> Vec<u8> {
    let sid = tlv(0x30, &cat(&[&tlv(0x30, &[]), &[0x02, 0x01, 0x01]]));
    let sig_alg = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
    ];
    tlv(
        0x30,
        &cat(&[&[0x02, 0x01, 0x01], &sid, ALG_SHA256, &sig_alg, &tlv(0x04, &[0u8; 256])]),
    )
}

fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut v = Vec::new();

    // 10,000 nested indefinite-length SEQUENCEs, raw and as a SignedData's eContent.
    let deep = cat(&[&[0x30, 0x80].repeat(10_000), &[0x00, 0x00].repeat(10_000)]);
    v.push(("deep-indefinite-sequences", deep.clone()));
    let deep_ci = cat(&[&[0x30, 0x80], OID_SIGNED_DATA, &[0xa0, 0x80], &deep, &[0, 0, 0, 0]]);
    v.push(("deep-indefinite-in-content-info", deep_ci));
    v.push((
        "deep-indefinite-econtent",
        signed_data(Some(&deep), None, &bogus_signer_info()),
    ));
    // The same depth with definite lengths that are all wrong (each claims 4 GiB - 1).
    v.push((
        "deep-definite-huge",
        [0x30, 0x84, 0xff, 0xff, 0xff, 0xff].repeat(10_000),
    ));

    // Length fields claiming 4 GiB (and more) on small inputs, at the top and inside.
    v.push((
        "len-4gib",
        cat(&[&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], OID_SIGNED_DATA, &[0u8; 64]]),
    ));
    v.push((
        "len-4gib-exact",
        cat(&[&[0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00], OID_SIGNED_DATA]),
    ));
    v.push(("len-9-octets", cat(&[&[0x30, 0x89], &[0xff; 9], OID_SIGNED_DATA])));
    let mut inner_huge = signed_data(Some(&tlv(0x04, b"hello")), None, &bogus_signer_info());
    // Rewrite the eContent OCTET STRING's length to 0x84 ff ff ff ff (keeps the outer lengths).
    if let Some(pos) = inner_huge
        .windows(7)
        .position(|w| w == [0x04, 0x05, b'h', b'e', b'l', b'l', b'o'])
    {
        inner_huge.splice(pos + 1..pos + 2, [0x84, 0xff, 0xff, 0xff, 0xff]);
    }
    v.push(("len-4gib-inside-signed-data", inner_huge));
    v.push((
        "cert-len-4gib",
        [
            &[0x30u8, 0x84, 0xff, 0xff, 0xff, 0xff][..],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xf0],
        ]
        .concat(),
    ));

    // A SET of 100,000 empty elements: raw, as signerInfos, as certificates, as digestAlgorithms.
    let empties = [0x30, 0x00].repeat(100_000);
    v.push(("set-100k-empty", tlv(0x31, &empties)));
    v.push((
        "signer-infos-100k-empty",
        signed_data(Some(&tlv(0x04, b"x")), None, &empties),
    ));
    v.push((
        "certificates-100k-empty",
        signed_data(Some(&tlv(0x04, b"x")), Some(&empties), &bogus_signer_info()),
    ));
    let sd = tlv(
        0x30,
        &cat(&[
            &[0x02, 0x01, 0x01],
            &tlv(0x31, &empties),
            &tlv(0x30, OID_DATA),
            &tlv(0x31, &[]),
        ]),
    );
    v.push((
        "digest-algorithms-100k-empty",
        tlv(0x30, &cat(&[OID_SIGNED_DATA, &tlv(0xa0, &sd)])),
    ));
    // Attributes: 100,000 empty signed attributes in one SignerInfo.
    let si = tlv(
        0x30,
        &cat(&[
            &[0x02, 0x01, 0x01],
            &tlv(0x30, &cat(&[&tlv(0x30, &[]), &[0x02, 0x01, 0x01]])),
            ALG_SHA256,
            &tlv(0xa0, &empties),
            &[
                0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
            ],
            &tlv(0x04, &[0u8; 256]),
        ]),
    );
    v.push((
        "signed-attrs-100k-empty",
        signed_data(Some(&tlv(0x04, b"x")), None, &si),
    ));

    // An OCTET STRING constructed from 50,000 one-byte segments: raw (definite and indefinite)
    // and as the eContent of a SignedData (which is then hashed).
    let segments = [0x04, 0x01, b'a'].repeat(50_000);
    let octets_definite = tlv(0x24, &segments);
    let octets_indefinite = cat(&[&[0x24, 0x80], &segments, &[0x00, 0x00]]);
    v.push(("octets-50k-segments", octets_definite.clone()));
    v.push(("octets-50k-segments-indefinite", octets_indefinite.clone()));
    v.push((
        "econtent-50k-segments",
        signed_data(Some(&octets_definite), None, &bogus_signer_info()),
    ));
    v.push((
        "econtent-50k-segments-indefinite",
        signed_data(Some(&octets_indefinite), None, &bogus_signer_info()),
    ));
    // Segments nested one inside the other, 10,000 deep.
    let nested_octets = cat(&[
        &[0x24, 0x80].repeat(10_000),
        &[0x04, 0x01, b'a'],
        &[0x00, 0x00].repeat(10_000),
    ]);
    v.push((
        "econtent-nested-segments",
        signed_data(Some(&nested_octets), None, &bogus_signer_info()),
    ));

    // Odd but small.
    v.push(("empty", Vec::new()));
    v.push(("eoc-only", vec![0x00, 0x00]));
    v.push(("high-tag-number-overflow", cat(&[&[0x1f], &[0xff; 16], &[0x01, 0x00]])));
    v.push(("indefinite-primitive", vec![0x04, 0x80, 0x00, 0x00]));
    v.push((
        "pem-garbage",
        b"-----BEGIN PKCS7-----\n!!!!\n-----END PKCS7-----\n".to_vec(),
    ));
    v.push((
        "pem-cert-garbage",
        b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n".to_vec(),
    ));
    v.push(("base64-of-deep", {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&deep).into_bytes()
    }));
    v
}

/// A guard against hangs (runaway work that the budget failed to stop), not a speed
/// measurement: speed is measured in `benches/`, and a loaded machine may be slow.
const HANG: Duration = Duration::from_secs(30);

#[test]
fn hostile_inputs_give_a_verdict_without_hanging() {
    let mut failures = Vec::new();
    for (name, data) in hostile_inputs() {
        for target in ASN1_TARGETS {
            // cms_detached reads a mode byte first: give it mode 0 (no content) and mode 1 with
            // the whole input as the signature and the same bytes again as content.
            let input = match *target {
                "cms_detached" => {
                    let mut d = vec![1];
                    let sig_len = u16::try_from(data.len()).unwrap_or(u16::MAX);
                    d.extend_from_slice(&sig_len.to_be_bytes());
                    d.extend_from_slice(&data);
                    d.extend_from_slice(&data);
                    d
                }
                _ => data.clone(),
            };
            let label = format!("{name} [{target}]");
            let start = Instant::now();
            match replay(target, &label, &input) {
                Err(e) => failures.push(e),
                Ok(outcome) => {
                    check_not_passed(&label, &outcome, &mut failures);
                    if matches!(outcome, Outcome::NoVerdict) && !input.is_empty() {
                        failures.push(format!("{label}: no verdict"));
                    }
                }
            }
            let took = start.elapsed();
            if took > HANG {
                failures.push(format!("{label}: took {took:?}, as long as a hang"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} hostile input(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn hostile_inputs_never_pass_and_are_explained() {
    // None of these is a valid signature, and the report says why.
    for (name, data) in hostile_inputs() {
        let report = harness::cms(&data);
        assert_ne!(report.indication, Indication::TotalPassed, "{name}");
        assert!(
            !report.checks.is_empty() || !report.signatures.is_empty(),
            "{name}: report explains nothing"
        );
    }
}

/// Hostile JSON and XML for the Mobile ID and MSign SOAP parsers: refused, never a pass.
#[test]
fn hostile_json_and_xml_are_refused_without_hanging() {
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&lol3;</s:Body></s:Envelope>"#;
    let external = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&xxe;</s:Body></s:Envelope>"#;
    let deep_xml = format!("{}{}", "<a>".repeat(20_000), "</a>".repeat(20_000));
    let deep_json = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let huge_sig = format!(
        r#"{{"MSS_SignatureResp":{{"MajorVersion":"1","AP_Info":{{"AP_TransID":"REF-FUZZ"}},"MobileUser":{{"MSISDN":"+41700092502"}},"MSS_Signature":{{"Base64Signature":"{}"}},"Status":{{"StatusCode":{{"Value":"500"}},"StatusMessage":"SIGNATURE"}}}}}}"#,
        "MIIB".repeat(200_000)
    );
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("billion-laughs", "msign_soap", laughs.as_bytes().to_vec()),
        ("external-entity", "msign_soap", external.as_bytes().to_vec()),
        ("deep-xml", "msign_soap", deep_xml.into_bytes()),
        ("deep-json", "mobileid", deep_json.into_bytes()),
        ("huge-garbage-signature", "mobileid", huge_sig.into_bytes()),
    ];
    let mut failures = Vec::new();
    for (name, target, data) in cases {
        let start = Instant::now();
        match replay(target, name, &data) {
            Err(e) => failures.push(e),
            Ok(Outcome::Parsed(true)) => failures.push(format!("{name}: accepted")),
            Ok(outcome) => check_not_passed(name, &outcome, &mut failures),
        }
        if start.elapsed() > HANG {
            failures.push(format!("{name}: took {:?}, as long as a hang", start.elapsed()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

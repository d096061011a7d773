//! Defects found by outside testing, one or more tests each. Every input that must be refused
//! is first shown to pass without the flaw (the file before the trailing bytes, the same leaf
//! without the extended key usage, ...), so that each test fails while the defect is there.
//!
//! Check codes are compared by their stable spelling (`EXTENDED_KEY_USAGE`,
//! `BUDGET_EXHAUSTED`), which do not need to exist as enum variants for this file to compile.

mod common;

use base64::Engine;
use common::pki::*;
use common::*;
use sigverify::verdict::{Check, CheckResult};
use sigverify::{Content, Indication, Report};

const CONTENT: &[u8] = b"Bitte bestaetigen Sie: Zahlung CHF 100.00 an Muster AG?\n";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Runs `setup` and checks the invariant every report keeps: no check code twice in a list.
fn run(setup: &Setup, input: &[u8], content: Content<'_>) -> Report {
    let r = setup.run(input, content);
    assert_unique_codes(&r);
    r
}

fn assert_unique_codes(r: &Report) {
    let dup = duplicate_codes(r);
    assert!(dup.is_empty(), "check codes repeated: {dup:?}\n{}", pretty(r));
}

/// A root, an intermediate under it, and a setup trusting the root. None of these defects is
/// about revocation: every setup validates without revocation checking, so that the input
/// without the flaw passes.
struct Pki {
    root: Cert,
    root_key: KeyPair,
    ica: Cert,
    ica_key: KeyPair,
}

impl Pki {
    fn new() -> Pki {
        let (root, rk) = root("Defects Root");
        let (ica, ica_key) = intermediate("Defects ICA", &root, &rk);
        Pki {
            root,
            root_key: rk,
            ica,
            ica_key,
        }
    }

    fn leaf(&self, spec: &Spec) -> (Cert, KeyPair) {
        let key = new_key();
        (issue(spec, &key, &self.ica, &self.ica_key), key)
    }

    /// Trusts the root; the intermediate comes in the CMS.
    fn setup(&self) -> Setup {
        setup(&[&self.root], &[]).revocation_off()
    }

    /// Trusts the root; the intermediate is configured (bare certificates, raw signatures).
    fn setup_with_ica(&self) -> Setup {
        setup(&[&self.root], &[&self.ica]).revocation_off()
    }

    /// A one-signer attached CMS by a leaf made from `spec`, the intermediate in the bag.
    fn cms(&self, spec: &Spec) -> Vec<u8> {
        let (leaf, key) = self.leaf(spec);
        sign_cms(CONTENT, &[(&leaf, &key)], &[&self.ica], false)
    }
}

fn file_check<'a>(r: &'a Report, code: &str) -> Option<&'a Check> {
    r.checks.iter().find(|c| c.code.as_str() == code)
}

fn signature_check<'a>(r: &'a Report, sig: usize, code: &str) -> Option<&'a Check> {
    r.signatures.get(sig)?.checks.iter().find(|c| c.code.as_str() == code)
}

fn assert_passed(r: &Report, what: &str) {
    assert_eq!(verdict(r), "TOTAL_PASSED", "{what}\n{}", pretty(r));
}

/// What went wrong in the cases of one test, reported together at its end so that one run
/// shows every case a defect affects.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn expect(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// TOTAL_FAILED / FORMAT_FAILURE with the file's FORMAT_PARSED check failed.
    fn format_failure(&mut self, r: &Report, what: &str) {
        let parsed = file_check(r, "FORMAT_PARSED").map(|c| c.result);
        let failed = r
            .checks
            .iter()
            .any(|c| c.code.as_str() == "FORMAT_PARSED" && c.result == CheckResult::Failed);
        self.expect(verdict(r) == "TOTAL_FAILED/FORMAT_FAILURE" && failed, || {
            format!("{what}: {} (FORMAT_PARSED {parsed:?})", verdict(r))
        });
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} case(s) failed:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

// ------------------------------------------------------------------ trailing bytes

/// Byte strings that are not part of any encoding of the input before them. Zero bytes alone
/// are padding and tolerated (see `zero_padding_after_a_cms_is_tolerated_with_a_warning`).
const TRAILERS: &[&[u8]] = &[
    b"\x30\x00",
    b"\x04\x03abc",
    b"garbage",
    b"\x00\x00\x00\x01",
    b"\x01\x00",
];

fn with(input: &[u8], trailer: &[u8]) -> Vec<u8> {
    [input, trailer].concat()
}

#[test]
fn der_cms_with_trailing_bytes_is_a_format_failure() {
    let pki = Pki::new();
    let s = pki.setup();
    let cms = pki.cms(&Spec::leaf("Signer"));
    assert_passed(&run(&s, &cms, Content::None), "the CMS alone");
    let mut p = Problems::default();
    for t in TRAILERS {
        p.format_failure(&run(&s, &with(&cms, t), Content::None), &format!("DER + {t:?}"));
    }
    p.assert_none();
}

/// Fixed-size signature buffers are padded with zeros (a real corporate detached signature of
/// the corpus, `dss-1188`, carries 15,859 of them); zeros can hide nothing, so they pass with a
/// warning on FORMAT_PARSED, for DER, BER and Base64 alike.
#[test]
fn zero_padding_after_a_cms_is_tolerated_with_a_warning() {
    let pki = Pki::new();
    let s = pki.setup();
    let cms = pki.cms(&Spec::leaf("Signer"));
    let t = repo().join("testdata");
    let ber = read(&t.join("samples/rsa-ber-stream.p7m"));
    let sb = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at(CLOCK)).revocation_off();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b).into_bytes();
    for (what, setup, input) in [
        ("DER", &s, with(&cms, &[0; 64])),
        ("BER", &sb, with(&ber, &[0; 3])),
        ("Base64", &s, b64(&with(&cms, &[0; 2]))),
    ] {
        let r = run(setup, &input, Content::None);
        assert_passed(&r, what);
        assert_eq!(
            file_check(&r, "FORMAT_PARSED").map(|c| c.result),
            Some(CheckResult::Warning),
            "{what}\n{}",
            pretty(&r)
        );
    }
}

#[test]
fn ber_cms_with_trailing_bytes_is_a_format_failure() {
    let t = repo().join("testdata");
    let s = Setup::new(&[t.join("pki/rsa/root.pem")], &[], at(CLOCK)).revocation_off();
    let ber = read(&t.join("samples/rsa-ber-stream.p7m"));
    assert_eq!(&ber[..2], b"\x30\x80", "the sample is BER, indefinite length");
    assert_passed(&run(&s, &ber, Content::None), "the BER CMS alone");
    let mut p = Problems::default();
    for tr in TRAILERS {
        p.format_failure(&run(&s, &with(&ber, tr), Content::None), &format!("BER + {tr:?}"));
    }
    p.assert_none();
}

#[test]
fn pem_cms_with_trailing_text_is_a_format_failure() {
    let pki = Pki::new();
    let s = pki.setup();
    let cms = pki.cms(&Spec::leaf("Signer"));
    let mut p = Problems::default();
    for label in ["PKCS7", "CMS"] {
        let text = pem(label, &cms);
        // White space after the block is fine.
        for ws in ["", "\n", "\r\n\r\n", "  \t\n "] {
            assert_passed(
                &run(&s, format!("{text}{ws}").as_bytes(), Content::None),
                &format!("{label} + {ws:?}"),
            );
        }
        for garbage in ["x", "garbage\n", "\nMIIBAAAA\n", "\n\0", "-----END PKCS7-----\n"] {
            p.format_failure(
                &run(&s, format!("{text}{garbage}").as_bytes(), Content::None),
                &format!("{label} PEM + {garbage:?}"),
            );
        }
    }
    p.assert_none();
}

#[test]
fn base64_cms_with_extra_bytes_is_a_format_failure() {
    let pki = Pki::new();
    let s = pki.setup();
    let cms = pki.cms(&Spec::leaf("Signer"));
    for ws in ["", "\n", "\r\n  \t\n"] {
        assert_passed(
            &run(&s, format!("{}{ws}", b64(&cms)).as_bytes(), Content::None),
            &format!("Base64 + {ws:?}"),
        );
    }
    let mut p = Problems::default();
    for t in TRAILERS {
        // The structure followed by more bytes, all of it Base64.
        p.format_failure(
            &run(&s, b64(&with(&cms, t)).as_bytes(), Content::None),
            &format!("Base64 of CMS + {t:?}"),
        );
    }
    p.assert_none();
}

#[test]
fn bare_certificate_with_trailing_bytes_is_a_format_failure() {
    let pki = Pki::new();
    let s = pki.setup_with_ica();
    let (leaf, _) = pki.leaf(&Spec::leaf("Signer"));
    assert_passed(&run(&s, &leaf.der, Content::None), "the certificate alone");
    assert_passed(
        &run(&s, leaf.pem().as_bytes(), Content::None),
        "the PEM certificate alone",
    );
    let mut p = Problems::default();
    for t in TRAILERS {
        p.format_failure(&run(&s, &with(&leaf.der, t), Content::None), &format!("DER + {t:?}"));
    }
    p.format_failure(
        &run(&s, format!("{}garbage\n", leaf.pem()).as_bytes(), Content::None),
        "PEM + garbage",
    );
    p.assert_none();
}

/// The raw-signature API (`verify_raw`): its certificate argument with trailing bytes is a
/// format failure, and a signature value with trailing bytes does not pass.
#[test]
fn raw_signature_inputs_with_trailing_bytes_are_refused() {
    use rcgen::SigningKey;
    let pki = Pki::new();
    let s = pki.setup_with_ica();
    let (leaf, key) = pki.leaf(&Spec::leaf("Signer"));
    let scheme = sigverify::parse_signature_algorithm("SHA256withECDSA", None, None).unwrap();
    let sig = key.sign(CONTENT).unwrap();
    let raw = |sig: &[u8], cert: &[u8]| {
        let r = sigverify::verify_raw(sig, &scheme, cert, Content::Data(CONTENT), &context(&s));
        assert_unique_codes(&r);
        r
    };
    assert_passed(&raw(&sig, &leaf.der), "raw signature with the DER certificate");
    assert_passed(
        &raw(&sig, leaf.pem().as_bytes()),
        "raw signature with the PEM certificate",
    );
    let mut p = Problems::default();
    for t in TRAILERS {
        p.format_failure(&raw(&sig, &with(&leaf.der, t)), &format!("certificate DER + {t:?}"));
        let r = raw(&with(&sig, t), &leaf.der);
        p.expect(r.indication != Indication::TotalPassed, || {
            format!("signature + {t:?}: {}", verdict(&r))
        });
    }
    p.format_failure(
        &raw(&sig, format!("{}garbage\n", leaf.pem()).as_bytes()),
        "certificate PEM + garbage",
    );
    p.assert_none();
}

// ------------------------------------------------------------------ keyUsage of a bare certificate

#[test]
fn bare_certificate_without_a_signing_key_usage_is_not_passed() {
    let pki = Pki::new();
    let s = pki.setup_with_ica();
    let (signing, _) = pki.leaf(&Spec::leaf("Signer").key_usage(&[Ku::DigitalSignature]));
    assert_passed(&run(&s, &signing.der, Content::None), "keyUsage digitalSignature");
    let (keyenc, _) = pki.leaf(&Spec::leaf("Encryption").key_usage(&[Ku::KeyEncipherment]));
    for (what, input) in [("DER", keyenc.der.clone()), ("PEM", keyenc.pem().into_bytes())] {
        let r = run(&s, &input, Content::None);
        assert_eq!(
            verdict(&r),
            "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE",
            "keyEncipherment only, {what}\n{}",
            pretty(&r)
        );
        assert_eq!(
            file_check(&r, "KEY_USAGE").map(|c| c.result),
            Some(CheckResult::Failed),
            "{what}\n{}",
            pretty(&r)
        );
    }
}

// ------------------------------------------------------------------ extendedKeyUsage

/// EKUs that do not allow signing documents, and ones that do (with "no extension").
const REFUSED_EKUS: &[(&str, &[u64])] = &[
    ("serverAuth", eku::SERVER_AUTH),
    ("timeStamping", eku::TIME_STAMPING),
    ("OCSPSigning", eku::OCSP_SIGNING),
];
const ACCEPTED_EKUS: &[(&str, &[&[u64]])] = &[
    ("emailProtection", &[eku::EMAIL_PROTECTION]),
    ("clientAuth", &[eku::CLIENT_AUTH]),
    ("anyExtendedKeyUsage", &[eku::ANY]),
    ("documentSigning", &[eku::DOCUMENT_SIGNING]),
    (
        "serverAuth and emailProtection",
        &[eku::SERVER_AUTH, eku::EMAIL_PROTECTION],
    ),
];

fn eku_refused(p: &mut Problems, r: &Report, checks: &[Check], what: &str) {
    let eku = checks
        .iter()
        .find(|c| c.code.as_str() == "EXTENDED_KEY_USAGE")
        .map(|c| (c.result, c.sub_indication.map(|s| s.as_str())));
    p.expect(
        verdict(r) == "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE"
            && eku == Some((CheckResult::Failed, Some("CHAIN_CONSTRAINTS_FAILURE"))),
        || format!("{what}: {}, EXTENDED_KEY_USAGE {eku:?}", verdict(r)),
    );
}

fn passed(p: &mut Problems, r: &Report, what: &str) {
    p.expect(verdict(r) == "TOTAL_PASSED", || format!("{what}: {}", verdict(r)));
}

#[test]
fn signer_without_a_signing_extended_key_usage_is_refused() {
    let pki = Pki::new();
    let s = pki.setup();
    assert_passed(&run(&s, &pki.cms(&Spec::leaf("Signer")), Content::None), "no EKU");
    let mut p = Problems::default();
    for (name, purpose) in REFUSED_EKUS {
        for critical in [false, true] {
            let what = format!("EKU {name} only, critical {critical}");
            let r = run(
                &s,
                &pki.cms(&Spec::leaf("Signer").eku(&[purpose], critical)),
                Content::None,
            );
            assert_eq!(r.signatures.len(), 1, "{what}");
            eku_refused(&mut p, &r, &r.signatures[0].checks, &what);
        }
    }
    p.assert_none();
}

#[test]
fn signer_with_a_signing_extended_key_usage_or_none_passes() {
    let pki = Pki::new();
    let s = pki.setup();
    let mut p = Problems::default();
    for (name, purposes) in ACCEPTED_EKUS {
        for critical in [false, true] {
            let r = run(
                &s,
                &pki.cms(&Spec::leaf("Signer").eku(purposes, critical)),
                Content::None,
            );
            passed(&mut p, &r, &format!("EKU {name}, critical {critical}"));
        }
    }
    passed(
        &mut p,
        &run(&s, &pki.cms(&Spec::leaf("Signer")), Content::None),
        "no EKU",
    );
    p.assert_none();
}

#[test]
fn bare_certificate_without_a_signing_extended_key_usage_is_refused() {
    let pki = Pki::new();
    let s = pki.setup_with_ica();
    let (plain, _) = pki.leaf(&Spec::leaf("Signer"));
    assert_passed(&run(&s, &plain.der, Content::None), "no EKU");
    let mut p = Problems::default();
    for (name, purpose) in REFUSED_EKUS {
        for critical in [false, true] {
            let what = format!("bare certificate, EKU {name} only, critical {critical}");
            let (cert, _) = pki.leaf(&Spec::leaf("Signer").eku(&[purpose], critical));
            let r = run(&s, &cert.der, Content::None);
            eku_refused(&mut p, &r, &r.checks, &what);
        }
    }
    p.assert_none();
}

#[test]
fn bare_certificate_with_a_signing_extended_key_usage_or_none_passes() {
    let pki = Pki::new();
    let s = pki.setup_with_ica();
    let mut p = Problems::default();
    for (name, purposes) in ACCEPTED_EKUS {
        for critical in [false, true] {
            let (cert, _) = pki.leaf(&Spec::leaf("Signer").eku(purposes, critical));
            passed(
                &mut p,
                &run(&s, &cert.der, Content::None),
                &format!("bare certificate, EKU {name}, critical {critical}"),
            );
        }
    }
    p.assert_none();
}

// ------------------------------------------------------------------ many signers

#[test]
fn a_cms_with_100_signers_verifies() {
    let pki = Pki::new();
    let signers: Vec<(Cert, KeyPair)> = (0..100)
        .map(|i| pki.leaf(&Spec::leaf(&format!("Signer {i}"))))
        .collect();
    let pairs: Vec<(&Cert, &KeyPair)> = signers.iter().map(|(c, k)| (c, k)).collect();
    let cms = sign_cms(CONTENT, &pairs, &[&pki.ica], false);
    if openssl_available() {
        openssl_cms_verify(&cms, &[&pki.root], None).unwrap_or_else(|e| panic!("openssl refuses the CMS: {e}"));
    } else {
        eprintln!("openssl not on PATH: the cross-check did not run");
    }
    let r = run(&pki.setup(), &cms, Content::None);
    assert_passed(&r, "100 signers");
    assert_eq!(r.signatures.len(), 100, "{}", pretty(&r));
    // Reports come in file order (the SignerInfos SET is DER-sorted); every signer once.
    let mut names: Vec<String> = Vec::new();
    for (i, s) in r.signatures.iter().enumerate() {
        assert_eq!(s.indication, Indication::TotalPassed, "S{i}\n{}", pretty(&r));
        names.extend(
            s.signer
                .as_ref()
                .and_then(|c| c.common_name.as_deref().map(str::to_string)),
        );
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 100, "{names:?}");
}

/// 32 signers; the bag holds 63 decoy CAs with the intermediate's subject name and subject key
/// identifier but other keys, listed before the real intermediate (the signers' certificates
/// are configured, so that the bag holds the 64 CA certificates only). Each signature's search
/// tries every decoy before the real issuer: the work of the file must be bounded, and what is
/// cut short is INDETERMINATE, never TOTAL_FAILED.
#[test]
fn path_building_work_is_bounded() {
    let pki = Pki::new();
    // Valid CA certificates under the trusted root: each fails only on the leaf's signature.
    let decoys: Vec<Cert> = (0..63)
        .map(|i| {
            issue(
                &Spec::ca("Defects ICA")
                    .label(&format!("decoy {i}"))
                    .ski(&pki.ica.key_id),
                &new_key(),
                &pki.root,
                &pki.root_key,
            )
        })
        .collect();
    let signers: Vec<(Cert, KeyPair)> = (0..32).map(|i| pki.leaf(&Spec::leaf(&format!("Signer {i}")))).collect();
    let pairs: Vec<(&Cert, &KeyPair)> = signers.iter().map(|(c, k)| (c, k)).collect();
    let mut bag: Vec<&Cert> = decoys.iter().collect();
    bag.push(&pki.ica);
    let cms = sign_cms_with(
        CONTENT,
        &pairs,
        &bag,
        &CmsOptions {
            signer_certs_in_bag: false,
            ..CmsOptions::default()
        },
    );
    let leaves: Vec<&Cert> = signers.iter().map(|(c, _)| c).collect();
    let s = setup(&[&pki.root], &leaves);
    let started = std::time::Instant::now();
    let r = run(&s, &cms, Content::None);
    eprintln!("verified in {:?}", started.elapsed());
    assert_eq!(r.signatures.len(), 32, "{}", pretty(&r));
    assert_eq!(r.indication, Indication::Indeterminate, "{}", verdict(&r));
    assert!(
        r.signatures
            .iter()
            .any(|s| s.sub_indication.map(|x| x.as_str()) == Some("BUDGET_EXHAUSTED")),
        "no signature is BUDGET_EXHAUSTED: {:?}",
        r.signatures
            .iter()
            .map(|s| (s.indication, s.sub_indication))
            .collect::<Vec<_>>()
    );
    assert!(
        r.signatures.iter().all(|s| s.indication != Indication::TotalFailed),
        "{}",
        pretty(&r)
    );
}

// ------------------------------------------------------------------ algorithm confusion

/// The SignerInfo's digestAlgorithm (SHA-256) contradicts the hash of its signatureAlgorithm.
#[test]
fn digest_algorithm_contradicting_the_signature_algorithm_is_a_format_failure() {
    let pki = Pki::new();
    let s = pki.setup();
    let (leaf, key) = pki.leaf(&Spec::leaf("Signer"));
    let make = |o: CmsOptions| sign_cms_with(CONTENT, &[(&leaf, &key)], &[&pki.ica], &o);
    // Consistent identifiers pass: SHA-256 throughout, and SHA-384 throughout.
    assert_passed(&run(&s, &make(CmsOptions::default()), Content::None), "SHA-256");
    let sha384 = CmsOptions {
        digest_oid: oid::SHA384.to_vec(),
        signature_oid: oid::ECDSA_SHA384.to_vec(),
        signature_hash: SigHash::Sha384,
        ..CmsOptions::default()
    };
    assert_passed(&run(&s, &make(sha384), Content::None), "SHA-384");
    let cases = [
        // Signed with SHA-384 as its signatureAlgorithm says: verifies, but contradicts.
        (
            "ecdsa-with-SHA384, signed with SHA-384",
            oid::ECDSA_SHA384,
            SigHash::Sha384,
        ),
        (
            "ecdsa-with-SHA512, signed with SHA-512",
            oid::ECDSA_SHA512,
            SigHash::Sha512,
        ),
        // Signed with SHA-256 under a SHA-384 / SHA-512 label.
        (
            "ecdsa-with-SHA384, signed with SHA-256",
            oid::ECDSA_SHA384,
            SigHash::Sha256,
        ),
        (
            "ecdsa-with-SHA512, signed with SHA-256",
            oid::ECDSA_SHA512,
            SigHash::Sha256,
        ),
    ];
    let mut p = Problems::default();
    for (what, signature_oid, signature_hash) in cases {
        let cms = make(CmsOptions {
            signature_oid: signature_oid.to_vec(),
            signature_hash,
            ..CmsOptions::default()
        });
        let r = run(&s, &cms, Content::None);
        let alg = signature_check(&r, 0, "ALGORITHM_SUPPORTED").map(|c| c.result);
        p.expect(
            verdict(&r) == "TOTAL_FAILED/FORMAT_FAILURE" && alg == Some(CheckResult::Failed),
            || format!("{what}: {}, ALGORITHM_SUPPORTED {alg:?}", verdict(&r)),
        );
    }
    p.assert_none();
}

// ------------------------------------------------------------------ unique check codes

/// No check code appears twice in one list of checks, in any generated sample's report.
#[test]
fn no_check_code_appears_twice_in_the_generated_samples() {
    let mut bad = Vec::new();
    for row in case_rows() {
        let r = row.run();
        let dup = duplicate_codes(&r);
        if !dup.is_empty() {
            bad.push(format!("{}: {dup:?}", row.case));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

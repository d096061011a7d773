//! An attacker's CMS never gets TOTAL_PASSED: algorithm substitution, certificate swaps, chain
//! confusion, content and attribute tampering (the generated cases in `generated_pki.rs` cover
//! more), built here by patching real signatures.

mod common;

use common::*;
use sigverify::{Content, Indication};

fn testdata() -> std::path::PathBuf {
    repo().join("testdata")
}

/// The attacks here are on the signature and its chain, not on revocation: validated without
/// revocation checking, so that a tampered file could otherwise pass and must be caught.
fn rsa_setup(intermediates: &[&str]) -> Setup {
    let t = testdata();
    let inter: Vec<_> = intermediates.iter().map(|p| t.join(p)).collect();
    Setup::new(&[t.join("pki/rsa/root.pem")], &inter, at("2026-06-01T00:00:00Z")).revocation_off()
}

/// Replaces the last occurrence of `from` by `to` (same length).
fn patch_last(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let pos = bytes
        .windows(from.len())
        .rposition(|w| w == from)
        .expect("pattern present");
    let mut out = bytes.to_vec();
    out[pos..pos + to.len()].copy_from_slice(to);
    out
}

const SHA256_OID: &[u8] = &[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA512_OID: &[u8] = &[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
const SHA1_OID_PADDED: &[u8] = &[0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x05, 0x00];

#[test]
fn digest_algorithm_substitution_in_the_signer_info_fails() {
    let original = read(&testdata().join("samples/rsa-attached.p7m"));
    let setup = rsa_setup(&[]);
    assert_eq!(verdict(&setup.run(&original, Content::None)), "TOTAL_PASSED");
    // The SignerInfo's digestAlgorithm is the last SHA-256 identifier in the file.
    let swapped = patch_last(&original, SHA256_OID, SHA512_OID);
    let r = setup.run(&swapped, Content::None);
    assert_eq!(r.indication, Indication::TotalFailed, "{}", verdict(&r));
}

#[test]
fn a_digest_algorithm_that_is_not_a_digest_is_refused() {
    let original = read(&testdata().join("samples/rsa-attached.p7m"));
    // SHA-256 replaced by a malformed identifier (SHA-1 followed by two NULLs).
    let swapped = patch_last(&original, SHA256_OID, SHA1_OID_PADDED);
    let r = rsa_setup(&[]).run(&swapped, Content::None);
    assert_ne!(r.indication, Indication::TotalPassed, "{}", verdict(&r));
}

/// Flips each byte of a valid file in turn: no flip may leave it TOTAL_PASSED, except in
/// SignedData.digestAlgorithms, the one unsigned field (a hint, RFC 5652 5.1), where it must
/// leave a warning.
fn assert_every_flip_is_caught(file: &str, anchor: &str) {
    let t = testdata();
    let original = read(&t.join(file));
    // Without revocation checking: the original passes, so a flip that is not caught shows.
    let setup = Setup::new(&[t.join(anchor)], &[], at("2026-06-01T00:00:00Z")).revocation_off();
    assert_eq!(verdict(&setup.run(&original, Content::None)), "TOTAL_PASSED", "{file}");
    let hash_oid_prefix = &SHA256_OID[..8];
    let start = original.windows(8).position(|w| w == hash_oid_prefix).unwrap();
    let hint = (start - 2)..(start + SHA256_OID.len() + 2);
    let mut passed_after_flip = Vec::new();
    for i in 0..original.len() {
        let mut b = original.clone();
        b[i] ^= 0x01;
        let r = setup.run(&b, Content::None);
        if r.indication == Indication::TotalPassed {
            let warned = r
                .checks
                .iter()
                .any(|c| c.result == sigverify::verdict::CheckResult::Warning);
            if !(hint.contains(&i) && warned) {
                passed_after_flip.push(i);
            }
        }
    }
    assert!(
        passed_after_flip.is_empty(),
        "{file}: flips at {passed_after_flip:?} still TOTAL_PASSED"
    );
}

#[test]
fn every_single_byte_flip_is_caught_rsa() {
    assert_every_flip_is_caught("samples/rsa-attached.p7m", "pki/rsa/root.pem");
}

#[test]
fn every_single_byte_flip_is_caught_p256() {
    assert_every_flip_is_caught("samples/p256-attached.p7m", "pki/p256/root.pem");
}

#[test]
fn every_single_byte_flip_is_caught_ber_and_without_attributes() {
    assert_every_flip_is_caught("samples/rsa-ber-stream.p7m", "pki/rsa/root.pem");
    assert_every_flip_is_caught("samples/rsa-noattr.p7m", "pki/rsa/root.pem");
}

#[test]
fn the_signer_certificate_may_come_from_the_intermediates() {
    let nocerts = read(&testdata().join("samples/neg-nocerts.p7m"));
    assert_eq!(
        verdict(&rsa_setup(&[]).run(&nocerts, Content::None)),
        "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND"
    );
    let r = rsa_setup(&["pki/rsa/leaf.pem", "pki/rsa/ica.pem"]).run(&nocerts, Content::None);
    assert_eq!(verdict(&r), "TOTAL_PASSED");
}

#[test]
fn another_chains_intermediate_does_not_make_an_untrusted_signer_trusted() {
    let untrusted = read(&testdata().join("samples/neg-untrusted.p7m"));
    let r = rsa_setup(&["pki/rsa/ica.pem", "pki/untrusted/ica.pem"]).run(&untrusted, Content::None);
    assert_eq!(verdict(&r), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
}

#[test]
fn the_untrusted_root_given_as_intermediate_is_not_an_anchor() {
    let untrusted = read(&testdata().join("samples/neg-untrusted.p7m"));
    let r = rsa_setup(&["pki/untrusted/root.pem"]).run(&untrusted, Content::None);
    assert_eq!(verdict(&r), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
}

#[test]
fn trailing_or_leading_garbage_is_not_a_pass_for_a_broken_file() {
    let original = read(&testdata().join("samples/neg-sigflip-rsa.p7m"));
    let mut padded = original.clone();
    padded.extend_from_slice(&[0u8; 64]);
    assert_eq!(
        rsa_setup(&[]).run(&padded, Content::None).indication,
        Indication::TotalFailed
    );
    let mut prefixed = vec![0x30, 0x00];
    prefixed.extend_from_slice(&original);
    assert_eq!(
        rsa_setup(&[]).run(&prefixed, Content::None).indication,
        Indication::TotalFailed
    );
}

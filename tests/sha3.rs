//! SHA-3 (FIPS 202) end to end: raw RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA signatures made with
//! OpenSSL 3.0, and CMS SignedData whose certificates and signer use SHA3-256
//! (`testdata/sha3/`, see its README for how they were made).

mod common;

use common::*;
use sigverify::crypto::{Message, PublicKey, SignatureScheme};
use sigverify::formats::ber::encode;
use sigverify::formats::x509::Certificate;
use sigverify::{Content, DefaultVerifier, HashAlg, Indication, SignatureVerifier, SubIndication};

fn data(name: &str) -> Vec<u8> {
    read(&repo().join("testdata/sha3").join(name))
}

fn leaf_key(kind: &str) -> PublicKey {
    let certs = Certificate::from_pem_or_der(&data(&format!("{kind}-leaf.pem"))).unwrap();
    PublicKey::from_spki(certs[0].spki()).unwrap()
}

fn check(key: &PublicKey, scheme: &SignatureScheme, sig_file: &str) {
    let msg = data("message.txt");
    let sig = data(sig_file);
    let v = DefaultVerifier;
    v.verify(key, scheme, Message::Data(&msg), &sig)
        .unwrap_or_else(|e| panic!("{sig_file}: {e}"));
    // The same over the precomputed digest.
    let digest = scheme.hash().digest(&msg);
    v.verify(key, scheme, Message::Digest(&digest), &sig)
        .unwrap_or_else(|e| panic!("{sig_file} (digest): {e}"));
    // A flipped byte in the message or in the signature must fail.
    let mut bad_msg = msg.clone();
    bad_msg[3] ^= 0x01;
    assert!(
        v.verify(key, scheme, Message::Data(&bad_msg), &sig).is_err(),
        "{sig_file}: message flip"
    );
    let mut bad_sig = sig.clone();
    let i = bad_sig.len() - 5;
    bad_sig[i] ^= 0x01;
    assert!(
        v.verify(key, scheme, Message::Data(&msg), &bad_sig).is_err(),
        "{sig_file}: signature flip"
    );
    // The same signature under SHA-256 does not verify.
    let sha2 = match scheme {
        SignatureScheme::RsaPkcs1(_) => SignatureScheme::RsaPkcs1(HashAlg::Sha256),
        SignatureScheme::Ecdsa(_) => SignatureScheme::Ecdsa(HashAlg::Sha256),
        SignatureScheme::RsaPss { salt_len, .. } => SignatureScheme::RsaPss {
            hash: HashAlg::Sha256,
            mgf_hash: HashAlg::Sha256,
            salt_len: *salt_len,
        },
    };
    assert!(
        v.verify(key, &sha2, Message::Data(&msg), &sig).is_err(),
        "{sig_file}: as SHA-256"
    );
}

#[test]
fn rsa_pkcs1_sha3() {
    let key = leaf_key("rsa");
    check(
        &key,
        &SignatureScheme::RsaPkcs1(HashAlg::Sha3_256),
        "rsa-pkcs1-sha3-256.sig",
    );
    check(
        &key,
        &SignatureScheme::RsaPkcs1(HashAlg::Sha3_512),
        "rsa-pkcs1-sha3-512.sig",
    );
    // Wrong SHA-3 variant.
    let msg = data("message.txt");
    let sig = data("rsa-pkcs1-sha3-256.sig");
    let scheme = SignatureScheme::RsaPkcs1(HashAlg::Sha3_384);
    assert!(
        DefaultVerifier
            .verify(&key, &scheme, Message::Data(&msg), &sig)
            .is_err()
    );
}

/// `AlgorithmIdentifier { id-RSASSA-PSS, { [0] sha3-256, [1] mgf1(sha3-256), [2] 32 } }`.
fn pss_sha3_256_alg_id() -> Vec<u8> {
    let sha3_256 = encode(0x30, &encode(0x06, &hex::decode("608648016503040208").unwrap()));
    let mut mgf = encode(0x06, &hex::decode("2a864886f70d010108").unwrap());
    mgf.extend(&sha3_256);
    let mut params = encode(0xA0, &sha3_256);
    params.extend(encode(0xA1, &encode(0x30, &mgf)));
    params.extend(encode(0xA2, &encode(0x02, &[32])));
    let mut body = encode(0x06, &hex::decode("2a864886f70d01010a").unwrap());
    body.extend(encode(0x30, &params));
    encode(0x30, &body)
}

#[test]
fn rsa_pss_sha3_256() {
    let scheme = SignatureScheme::from_algorithm_identifier(&pss_sha3_256_alg_id(), None).unwrap();
    assert_eq!(
        scheme,
        SignatureScheme::RsaPss {
            hash: HashAlg::Sha3_256,
            mgf_hash: HashAlg::Sha3_256,
            salt_len: 32
        }
    );
    let key = leaf_key("rsa");
    check(&key, &scheme, "rsa-pss-sha3-256.sig");
    // The wrong salt length fails.
    let msg = data("message.txt");
    let sig = data("rsa-pss-sha3-256.sig");
    let other_salt = SignatureScheme::RsaPss {
        hash: HashAlg::Sha3_256,
        mgf_hash: HashAlg::Sha3_256,
        salt_len: 20,
    };
    assert!(
        DefaultVerifier
            .verify(&key, &other_salt, Message::Data(&msg), &sig)
            .is_err()
    );
    // Named as the raw signature API spells it.
    assert_eq!(
        sigverify::parse_signature_algorithm("RSASSA-PSS", Some("SHA3-256"), Some(32)),
        Ok(scheme)
    );
}

#[test]
fn ecdsa_p256_sha3() {
    let key = leaf_key("ec");
    check(
        &key,
        &SignatureScheme::Ecdsa(HashAlg::Sha3_256),
        "ecdsa-p256-sha3-256.sig",
    );
    check(
        &key,
        &SignatureScheme::Ecdsa(HashAlg::Sha3_384),
        "ecdsa-p256-sha3-384.sig",
    );
}

#[test]
fn signature_algorithm_names() {
    let parse = |n: &str| sigverify::parse_signature_algorithm(n, None, None);
    for n in [
        "SHA3-256withRSA",
        "sha3_256WithRSAEncryption",
        "id-rsassa-pkcs1-v1_5-with-sha3-256",
    ] {
        assert_eq!(parse(n), Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha3_256)), "{n}");
    }
    assert_eq!(
        parse("SHA3-512withRSA"),
        Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha3_512))
    );
    for n in ["SHA3-256withECDSA", "id-ecdsa-with-sha3-256", "ecdsa-with-SHA3-256"] {
        assert_eq!(parse(n), Ok(SignatureScheme::Ecdsa(HashAlg::Sha3_256)), "{n}");
    }
    assert_eq!(
        parse("SHA3-384withECDSA"),
        Ok(SignatureScheme::Ecdsa(HashAlg::Sha3_384))
    );
    // SHA-2 names are unchanged.
    assert_eq!(parse("SHA256withRSA"), Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha256)));
    assert_eq!(parse("ecdsa-with-SHA384"), Ok(SignatureScheme::Ecdsa(HashAlg::Sha384)));
}

/// The SHA-3 algorithms are the subject: validated without revocation checking.
fn setup(kind: &str) -> Setup {
    Setup::new(
        &[repo().join(format!("testdata/sha3/{kind}-root.pem"))],
        &[],
        at("2026-06-01T00:00:00Z"),
    )
    .revocation_off()
}

fn flip_content(p7m: &[u8]) -> Vec<u8> {
    let msg = data("message.txt");
    let at = p7m
        .windows(msg.len())
        .position(|w| w == msg.as_slice())
        .expect("attached content");
    let mut bad = p7m.to_vec();
    bad[at + 3] ^= 0x01;
    bad
}

#[test]
fn cms_sha3_256_end_to_end() {
    for (kind, file, signature_algorithm) in [
        ("rsa", "cms-rsa-sha3-256.p7m", "RSA PKCS#1 v1.5 / SHA3-256"),
        ("ec", "cms-ecdsa-sha3-256.p7m", "ECDSA / SHA3-256"),
    ] {
        let s = setup(kind);
        let p7m = data(file);
        let r = s.run(&p7m, Content::None);
        assert_eq!(
            verdict(&r),
            "TOTAL_PASSED",
            "{file}: {}",
            serde_json::to_string_pretty(&r).unwrap()
        );
        assert_eq!(r.signatures.len(), 1);
        let sig = &r.signatures[0];
        assert_eq!(sig.digest_algorithm.as_deref(), Some("SHA3-256"), "{file}");
        assert_eq!(sig.signature_algorithm.as_deref(), Some(signature_algorithm), "{file}");
        assert!(sig.chain.len() == 2 && sig.chain[1].trust_anchor, "{file}");

        // One content byte flipped: the messageDigest no longer matches.
        let r = s.run(&flip_content(&p7m), Content::None);
        assert_eq!(r.indication, Indication::TotalFailed, "{file}");
        assert_eq!(r.sub_indication, Some(SubIndication::HashFailure), "{file}");
        assert_eq!(verdict(&r), "TOTAL_FAILED/HASH_FAILURE", "{file}");

        // Another trust anchor: the SHA-3 certificate signatures do not lead there.
        let other = setup(if kind == "rsa" { "ec" } else { "rsa" });
        assert_ne!(
            other.run(&p7m, Content::None).indication,
            Indication::TotalPassed,
            "{file}"
        );
    }
}

#[test]
fn sha3_is_in_the_default_policy() {
    let p = sigverify::Policy::default_policy();
    for alg in [HashAlg::Sha3_256, HashAlg::Sha3_384, HashAlg::Sha3_512] {
        assert!(
            p.check_digest(alg, at("2040-01-01T00:00:00Z")).is_ok(),
            "{}",
            alg.name()
        );
    }
}

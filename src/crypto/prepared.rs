//! RSA verification with keys set up once: AWS-LC (through `aws-lc-rs`) keeps a parsed key with
//! its Montgomery constants, so a key kept with a cached certificate costs its set-up once, not on
//! every signature (`ring` 0.17 rebuilds the key on every call: about a quarter of a verification
//! with a cached chain).

use std::fmt;
use std::sync::{Arc, OnceLock};

use aws_lc_rs::signature::{self as aws, ParsedPublicKey, RsaParameters};

use super::{CryptoError, HashAlg, SignatureScheme};

/// The sets of parameters a prepared key can be used with; a key is set up once per set it
/// meets (a certificate's key usually meets one).
const PARAMETER_SETS: usize = 10;

/// A key's backend state, one slot per parameter set. `None` in a slot: the backend refused the
/// key for that set (the caller falls back to another implementation).
type Slots = [OnceLock<Option<ParsedPublicKey>>; PARAMETER_SETS];

/// The backend's parsed form of one RSA public key, made on first use. Clones share it.
/// It is a cache: two keys compare equal whatever their caches hold.
#[derive(Clone, Default)]
pub struct PreparedRsa(Arc<Slots>);

impl PartialEq for PreparedRsa {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for PreparedRsa {}

impl fmt::Debug for PreparedRsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ready = self.0.iter().filter(|s| matches!(s.get(), Some(Some(_)))).count();
        write!(f, "PreparedRsa({ready} ready)")
    }
}

/// Verifies an RSA signature over `data`, when AWS-LC implements the scheme at this key size
/// and accepts the key; `None` otherwise (the caller tries another implementation).
pub(super) fn verify(
    prepared: &PreparedRsa,
    (n, e, bits): (&[u8], &[u8], usize),
    scheme: &SignatureScheme,
    data: &[u8],
    signature: &[u8],
) -> Option<Result<(), CryptoError>> {
    let (slot, params) = parameters(bits, scheme)?;
    let key = prepared.0[slot]
        .get_or_init(|| ParsedPublicKey::new(params, rsa_public_key_der(n, e)).ok())
        .as_ref()?;
    Some(key.verify_sig(data, signature).map_err(|_| CryptoError::BadSignature))
}

/// The parameter set for `scheme` at `bits`, with its slot. PSS only with MGF1 over the message
/// hash and a salt as long as the hash (other PSS parameters go to the fallback).
fn parameters(bits: usize, scheme: &SignatureScheme) -> Option<(usize, &'static RsaParameters)> {
    let modern = (2048..=8192).contains(&bits);
    let legacy = (1024..=8192).contains(&bits);
    Some(match scheme {
        SignatureScheme::RsaPkcs1(h) => match h {
            HashAlg::Sha256 if modern => (0, &aws::RSA_PKCS1_2048_8192_SHA256),
            HashAlg::Sha384 if modern => (1, &aws::RSA_PKCS1_2048_8192_SHA384),
            HashAlg::Sha512 if modern => (2, &aws::RSA_PKCS1_2048_8192_SHA512),
            HashAlg::Sha1 if modern => (3, &aws::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY),
            HashAlg::Sha1 if legacy => (4, &aws::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
            HashAlg::Sha256 if legacy => (5, &aws::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
            HashAlg::Sha512 if legacy => (6, &aws::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
            _ => return None,
        },
        SignatureScheme::RsaPss {
            hash,
            mgf_hash,
            salt_len,
        } if modern && hash == mgf_hash && *salt_len == hash.output_len() => match hash {
            HashAlg::Sha256 => (7, &aws::RSA_PSS_2048_8192_SHA256),
            HashAlg::Sha384 => (8, &aws::RSA_PSS_2048_8192_SHA384),
            HashAlg::Sha512 => (9, &aws::RSA_PSS_2048_8192_SHA512),
            _ => return None,
        },
        _ => return None,
    })
}

/// The DER `RSAPublicKey` of `n` and `e` read as unsigned: some national-ID certificates encode
/// the modulus without the leading zero octet DER requires, which AWS-LC's parser (rightly)
/// refuses; the key is re-encoded canonically from its value.
fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(n.len() + e.len() + 16);
    der_unsigned(&mut body, n);
    der_unsigned(&mut body, e);
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(0x30);
    der_length(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

fn der_unsigned(out: &mut Vec<u8>, value: &[u8]) {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len());
    let value = &value[start..];
    let pad = value.first().is_none_or(|&b| b & 0x80 != 0);
    out.push(0x02);
    der_length(out, value.len() + usize::from(pad));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(value);
}

fn der_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len() - 1);
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_encoded_minimally_and_unsigned() {
        let mut out = Vec::new();
        der_unsigned(&mut out, &[0, 0, 0x7f]);
        assert_eq!(out, [0x02, 1, 0x7f]);
        out.clear();
        der_unsigned(&mut out, &[0x80, 1]);
        assert_eq!(out, [0x02, 3, 0, 0x80, 1]);
        out.clear();
        der_unsigned(&mut out, &[]);
        assert_eq!(out, [0x02, 1, 0]);
    }

    #[test]
    fn lengths_use_the_fewest_octets() {
        for (len, want) in [
            (0x7f, vec![0x7f]),
            (0x80, vec![0x81, 0x80]),
            (0x100, vec![0x82, 1, 0]),
            (0x1_0000, vec![0x83, 1, 0, 0]),
        ] {
            let mut out = Vec::new();
            der_length(&mut out, len);
            assert_eq!(out, want, "{len}");
        }
    }

    #[test]
    fn a_modulus_without_its_leading_zero_is_re_encoded() {
        let n = [0xc0u8; 256];
        let der = rsa_public_key_der(&n, &[1, 0, 1]);
        assert_eq!(&der[..8], &[0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01]);
        assert_eq!(der[8], 0, "the sign octet");
        assert_eq!(&der[der.len() - 5..], &[0x02, 3, 1, 0, 1]);
    }
}

#[cfg(test)]
mod with_keys {
    use crate::crypto::{
        CryptoError, DefaultVerifier, HashAlg, Message, PublicKey, SignatureScheme, SignatureVerifier,
    };

    fn testdata(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/pki/rsa/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The test PKI's leaf key pair (PKCS#8 PEM).
    fn pair() -> ring::signature::RsaKeyPair {
        let pem = String::from_utf8(testdata("leaf.key")).unwrap();
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        use base64::Engine;
        let der = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap()
    }

    fn sign(alg: &'static dyn ring::signature::RsaEncoding, msg: &[u8]) -> Vec<u8> {
        let pair = pair();
        let mut sig = vec![0; pair.public().modulus_len()];
        pair.sign(alg, &ring::rand::SystemRandom::new(), msg, &mut sig).unwrap();
        sig
    }

    fn public_key() -> PublicKey {
        let pair = pair();
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }; a 2048-bit
        // modulus has a two-octet length (0x82), the exponent a one-octet one.
        let der = pair.public().as_ref();
        assert_eq!(&der[..2], &[0x30, 0x82]);
        assert_eq!(&der[4..6], &[0x02, 0x82]);
        let n_len = usize::from(der[6]) << 8 | usize::from(der[7]);
        let n = der[8..8 + n_len]
            .iter()
            .copied()
            .skip_while(|&b| b == 0)
            .collect::<Vec<u8>>();
        let rest = &der[8 + n_len..];
        assert_eq!(rest[0], 0x02);
        let e = rest[2..2 + usize::from(rest[1])].to_vec();
        PublicKey::Rsa {
            der: Vec::new(),
            bits: n.len() * 8,
            n,
            e,
            prepared: Default::default(),
        }
    }

    #[test]
    fn a_prepared_key_verifies_again_and_still_refuses_what_does_not_verify() {
        let key = public_key();
        let cases = [
            (
                SignatureScheme::RsaPkcs1(HashAlg::Sha256),
                &ring::signature::RSA_PKCS1_SHA256 as &dyn ring::signature::RsaEncoding,
            ),
            (
                SignatureScheme::RsaPkcs1(HashAlg::Sha512),
                &ring::signature::RSA_PKCS1_SHA512,
            ),
            (
                SignatureScheme::RsaPss {
                    hash: HashAlg::Sha256,
                    mgf_hash: HashAlg::Sha256,
                    salt_len: 32,
                },
                &ring::signature::RSA_PSS_SHA256,
            ),
        ];
        for (scheme, encoding) in cases {
            let sig = sign(encoding, b"message");
            for round in 0..2 {
                let ok = DefaultVerifier.verify(&key, &scheme, Message::Data(b"message"), &sig);
                assert_eq!(ok, Ok(()), "{scheme:?}, round {round}");
                let other = DefaultVerifier.verify(&key, &scheme, Message::Data(b"massage"), &sig);
                assert_eq!(other, Err(CryptoError::BadSignature), "{scheme:?}, round {round}");
                let mut bad = sig.clone();
                bad[10] ^= 1;
                let bad = DefaultVerifier.verify(&key, &scheme, Message::Data(b"message"), &bad);
                assert_eq!(bad, Err(CryptoError::BadSignature), "{scheme:?}, round {round}");
            }
            // The same check over the digest takes the other implementation and agrees.
            let digest = HashAlg::Sha256.digest(b"message");
            if scheme == SignatureScheme::RsaPkcs1(HashAlg::Sha256) {
                assert_eq!(
                    DefaultVerifier.verify(&key, &scheme, Message::Digest(&digest), &sig),
                    Ok(())
                );
            }
        }
        // A PKCS#1 signature is not accepted as PSS, nor SHA-256 as SHA-512.
        let sig = sign(&ring::signature::RSA_PKCS1_SHA256, b"message");
        let pss = SignatureScheme::RsaPss {
            hash: HashAlg::Sha256,
            mgf_hash: HashAlg::Sha256,
            salt_len: 32,
        };
        assert!(
            DefaultVerifier
                .verify(&key, &pss, Message::Data(b"message"), &sig)
                .is_err()
        );
        let sha512 = SignatureScheme::RsaPkcs1(HashAlg::Sha512);
        assert!(
            DefaultVerifier
                .verify(&key, &sha512, Message::Data(b"message"), &sig)
                .is_err()
        );
        assert!(format!("{key:?}").contains("ready"));
    }
}

//! Signature mathematics behind one small trait.
//!
//! [`SignatureVerifier`] takes a parsed public key, a fully resolved [`SignatureScheme`] and the
//! message (or its digest) and says yes or no. [`DefaultVerifier`] uses AWS-LC (`aws-lc-rs`)
//! for RSA PKCS#1 v1.5 (SHA-1/256/384/512; 1024-8192 bits for SHA-1, SHA-256 and SHA-512,
//! 2048-8192 otherwise) and PSS with salt = hash length at 2048-8192 bits, with each key set up
//! once and kept with it ([`PreparedRsa`]); `ring` for ECDSA P-256 and P-384 with SHA-256/384;
//! and the RustCrypto `rsa`/`p256`/`p384`/`p521` crates for the rest (other PSS salts, other key
//! sizes, ECDSA with SHA-512, P-521, SHA-3, verification over a given digest).
//! Whether an algorithm is *acceptable* is not decided here but by the validation policy (the
//! `policy` module). This module depends on no other module of the crate.

pub mod alg;
mod prepared;

pub use alg::{AlgError, Curve, HashAlg, Hasher, PublicKey, SignatureScheme};
pub use prepared::PreparedRsa;

/// What is signed: the message itself, or the digest of it under the scheme's hash.
#[derive(Clone, Copy, Debug)]
pub enum Message<'a> {
    /// The full message; the verifier hashes it.
    Data(&'a [u8]),
    /// The message digest, already computed with the scheme's hash algorithm.
    Digest(&'a [u8]),
}

impl Message<'_> {
    /// The digest of the message under `hash`.
    pub fn digest(&self, hash: HashAlg) -> Vec<u8> {
        match self {
            Message::Data(d) => hash.digest(d),
            Message::Digest(d) => d.to_vec(),
        }
    }
}

/// Why a signature check did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The signature does not verify with this key over this message.
    #[error("signature does not verify")]
    BadSignature,
    /// The key type does not fit the signature scheme (an EC key for RSA, a P-256 key for P-384).
    #[error("key does not match the signature algorithm")]
    KeyMismatch,
    /// Neither backend implements this combination.
    #[error("unsupported algorithm combination: {0}")]
    Unsupported(String),
}

/// One signature check. Implementations must be pure functions of their arguments.
pub trait SignatureVerifier: Send + Sync {
    /// Verifies `signature` over `message` with `key` under `scheme`.
    ///
    /// # Security
    /// This checks only the mathematics; the caller decides whether the key and the scheme
    /// are acceptable (policy) and whether the key belongs to a trusted certificate (chain).
    fn verify(
        &self,
        key: &PublicKey,
        scheme: &SignatureScheme,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<(), CryptoError>;
}

/// AWS-LC for RSA and `ring` for ECDSA where they implement the scheme, RustCrypto elsewhere.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultVerifier;

impl SignatureVerifier for DefaultVerifier {
    fn verify(
        &self,
        key: &PublicKey,
        scheme: &SignatureScheme,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        if let Message::Data(data) = message {
            let fast = match key {
                PublicKey::Rsa {
                    n, e, bits, prepared, ..
                } => prepared::verify(prepared, (n, e, *bits), scheme, data, signature),
                _ => ring_verify(key, scheme, data, signature),
            };
            if let Some(result) = fast {
                return result;
            }
        }
        rustcrypto::verify(key, scheme, message, signature)
    }
}

/// `ring`'s ECDSA verification, when it implements the curve and hash.
fn ring_verify(
    key: &PublicKey,
    scheme: &SignatureScheme,
    data: &[u8],
    signature: &[u8],
) -> Option<Result<(), CryptoError>> {
    let PublicKey::Ec { point, curve } = key else {
        return None;
    };
    let alg = ring_ecdsa(*curve, scheme)?;
    let outcome = ring::signature::UnparsedPublicKey::new(alg, point).verify(data, signature);
    Some(outcome.map_err(|_| CryptoError::BadSignature))
}

fn ring_ecdsa(curve: Curve, scheme: &SignatureScheme) -> Option<&'static ring::signature::EcdsaVerificationAlgorithm> {
    use ring::signature as r;
    let SignatureScheme::Ecdsa(h) = scheme else {
        return None;
    };
    Some(match (curve, h) {
        (Curve::P256, HashAlg::Sha256) => &r::ECDSA_P256_SHA256_ASN1,
        (Curve::P256, HashAlg::Sha384) => &r::ECDSA_P256_SHA384_ASN1,
        (Curve::P384, HashAlg::Sha256) => &r::ECDSA_P384_SHA256_ASN1,
        (Curve::P384, HashAlg::Sha384) => &r::ECDSA_P384_SHA384_ASN1,
        _ => return None,
    })
}

mod rustcrypto {
    use super::{CryptoError, Curve, HashAlg, Message, PublicKey, SignatureScheme};
    use rsa::{BoxedUint, Pkcs1v15Sign, Pss, RsaPublicKey};

    /// Largest RSA modulus accepted by the fallback (Swisscom Root CA 4 is 8192 bits).
    const MAX_RSA_BITS: usize = 8192;

    pub(super) fn verify(
        key: &PublicKey,
        scheme: &SignatureScheme,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        match (key, scheme) {
            (PublicKey::Rsa { n, e, .. }, SignatureScheme::RsaPkcs1(h)) => {
                let key = rsa_key(n, e)?;
                let digest = message.digest(*h);
                let padding = match h {
                    HashAlg::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
                    HashAlg::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
                    HashAlg::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
                    HashAlg::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
                    HashAlg::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
                    HashAlg::Sha3_256 => Pkcs1v15Sign::new::<sha3::Sha3_256>(),
                    HashAlg::Sha3_384 => Pkcs1v15Sign::new::<sha3::Sha3_384>(),
                    HashAlg::Sha3_512 => Pkcs1v15Sign::new::<sha3::Sha3_512>(),
                };
                key.verify(padding, &digest, signature)
                    .map_err(|_| CryptoError::BadSignature)
            }
            (
                PublicKey::Rsa { n, e, .. },
                SignatureScheme::RsaPss {
                    hash,
                    mgf_hash,
                    salt_len,
                },
            ) => {
                if hash != mgf_hash {
                    return Err(CryptoError::Unsupported(format!(
                        "RSASSA-PSS with MGF1 hash {} differing from message hash {}",
                        mgf_hash.name(),
                        hash.name()
                    )));
                }
                let key = rsa_key(n, e)?;
                let digest = message.digest(*hash);
                let s = *salt_len;
                let result = match hash {
                    HashAlg::Sha1 => key.verify(Pss::<sha1::Sha1>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha224 => key.verify(Pss::<sha2::Sha224>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha256 => key.verify(Pss::<sha2::Sha256>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha384 => key.verify(Pss::<sha2::Sha384>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha512 => key.verify(Pss::<sha2::Sha512>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha3_256 => key.verify(Pss::<sha3::Sha3_256>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha3_384 => key.verify(Pss::<sha3::Sha3_384>::new_with_salt(s), &digest, signature),
                    HashAlg::Sha3_512 => key.verify(Pss::<sha3::Sha3_512>::new_with_salt(s), &digest, signature),
                };
                result.map_err(|_| CryptoError::BadSignature)
            }
            (PublicKey::Ec { curve, point }, SignatureScheme::Ecdsa(h)) => {
                use ecdsa::signature::hazmat::PrehashVerifier;
                let digest = message.digest(*h);
                match curve {
                    Curve::P256 => {
                        let vk =
                            p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::KeyMismatch)?;
                        let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| CryptoError::BadSignature)?;
                        vk.verify_prehash(&digest, &sig).map_err(|_| CryptoError::BadSignature)
                    }
                    Curve::P384 => {
                        let vk =
                            p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::KeyMismatch)?;
                        let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| CryptoError::BadSignature)?;
                        vk.verify_prehash(&digest, &sig).map_err(|_| CryptoError::BadSignature)
                    }
                    Curve::P521 => {
                        let vk =
                            p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::KeyMismatch)?;
                        let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| CryptoError::BadSignature)?;
                        vk.verify_prehash(&digest, &sig).map_err(|_| CryptoError::BadSignature)
                    }
                }
            }
            (PublicKey::Other { algorithm }, _) => {
                Err(CryptoError::Unsupported(format!("public key algorithm {algorithm}")))
            }
            _ => Err(CryptoError::KeyMismatch),
        }
    }

    fn rsa_key(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, CryptoError> {
        let bits = u32::try_from(n.len().saturating_mul(8)).map_err(|_| CryptoError::KeyMismatch)?;
        let n = BoxedUint::from_be_slice(n, bits).map_err(|_| CryptoError::KeyMismatch)?;
        let e_bits = u32::try_from(e.len().saturating_mul(8).max(8)).map_err(|_| CryptoError::KeyMismatch)?;
        let e = BoxedUint::from_be_slice(e, e_bits).map_err(|_| CryptoError::KeyMismatch)?;
        // The policy, not this backend, decides on small keys: accept from 512 bits so that a
        // legacy signature can be verified and then judged.
        RsaPublicKey::new_with_size_limits(n, e, 512..=MAX_RSA_BITS)
            .map_err(|e| CryptoError::Unsupported(format!("RSA key: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::HashAlg;

    #[test]
    fn sha3_known_answers() {
        // FIPS 202 examples, message "abc".
        let cases = [
            (
                HashAlg::Sha3_256,
                "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
            ),
            (
                HashAlg::Sha3_384,
                "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25",
            ),
            (
                HashAlg::Sha3_512,
                "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e\
                 10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
            ),
        ];
        for (alg, expected) in cases {
            let d = alg.digest(b"abc");
            assert_eq!(hex::encode(&d), expected, "{}", alg.name());
            assert_eq!(d.len(), alg.output_len(), "{}", alg.name());
        }
        // Empty message (FIPS 202 / NIST examples).
        assert_eq!(
            hex::encode(HashAlg::Sha3_256.digest(b"")),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
    }

    #[test]
    fn a_hasher_fed_in_pieces_gives_the_digest_of_the_whole() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for alg in HashAlg::ALL {
            let mut h = alg.hasher();
            for piece in data.chunks(777) {
                h.update(piece);
            }
            assert_eq!(h.finish(), alg.digest(&data), "{}", alg.name());
            assert_eq!(alg.hasher().finish(), alg.digest(b""), "{} of nothing", alg.name());
        }
    }

    #[test]
    fn sha3_names() {
        for n in ["SHA3-256", "sha3-256", "SHA3_256", "sha3256"] {
            assert_eq!(HashAlg::from_name(n), Some(HashAlg::Sha3_256), "{n}");
        }
        for n in ["SHA3-384", "sha3_384", "sha3384"] {
            assert_eq!(HashAlg::from_name(n), Some(HashAlg::Sha3_384), "{n}");
        }
        for n in ["SHA3-512", "sha3_512", "sha3512"] {
            assert_eq!(HashAlg::from_name(n), Some(HashAlg::Sha3_512), "{n}");
        }
        for alg in [HashAlg::Sha3_256, HashAlg::Sha3_384, HashAlg::Sha3_512] {
            assert_eq!(HashAlg::from_name(alg.name()), Some(alg));
        }
        assert_eq!(HashAlg::from_name("SHA-256"), Some(HashAlg::Sha256));
        assert_eq!(HashAlg::from_name("SHA3-224"), None);
        assert_eq!(HashAlg::from_name("sha3"), None);
    }
}

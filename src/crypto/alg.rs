//! Algorithm types: hashes, public keys and signature schemes.
//!
//! Reading them from DER (AlgorithmIdentifier, SubjectPublicKeyInfo) is the job of
//! `formats::alg`; this module depends on nothing else of the crate.

use std::borrow::Cow;

/// Why an algorithm identifier cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AlgError {
    /// The identifier is not well-formed.
    #[error("malformed algorithm identifier")]
    Malformed,
    /// A well-formed identifier of an algorithm this verifier does not implement.
    #[error("unsupported algorithm {0}")]
    Unsupported(String),
}

/// Hash functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlg {
    /// SHA-1
    Sha1,
    /// SHA-224
    Sha224,
    /// SHA-256
    Sha256,
    /// SHA-384
    Sha384,
    /// SHA-512
    Sha512,
    /// SHA3-256 (FIPS 202)
    Sha3_256,
    /// SHA3-384 (FIPS 202)
    Sha3_384,
    /// SHA3-512 (FIPS 202)
    Sha3_512,
}

impl HashAlg {
    /// Every hash algorithm, SHA-1 first.
    pub const ALL: [HashAlg; 8] = [
        HashAlg::Sha1,
        HashAlg::Sha224,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
        HashAlg::Sha3_256,
        HashAlg::Sha3_384,
        HashAlg::Sha3_512,
    ];

    /// The conventional name (`SHA-256`).
    pub fn name(&self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
            HashAlg::Sha3_256 => "SHA3-256",
            HashAlg::Sha3_384 => "SHA3-384",
            HashAlg::Sha3_512 => "SHA3-512",
        }
    }

    /// The position in [`HashAlg::ALL`].
    fn index(self) -> usize {
        self as usize
    }

    /// Parses a name such as `SHA-256`, `sha256`, `SHA256`, `SHA3-256`, `sha3_256` or `sha3256`.
    pub fn from_name(name: &str) -> Option<HashAlg> {
        let n: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match n.as_str() {
            "sha1" => HashAlg::Sha1,
            "sha224" => HashAlg::Sha224,
            "sha256" => HashAlg::Sha256,
            "sha384" => HashAlg::Sha384,
            "sha512" => HashAlg::Sha512,
            "sha3256" => HashAlg::Sha3_256,
            "sha3384" => HashAlg::Sha3_384,
            "sha3512" => HashAlg::Sha3_512,
            _ => return None,
        })
    }

    /// Digest length in bytes.
    pub fn output_len(&self) -> usize {
        match self {
            HashAlg::Sha1 => 20,
            HashAlg::Sha224 => 28,
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 | HashAlg::Sha3_512 => 64,
            HashAlg::Sha3_256 => 32,
            HashAlg::Sha3_384 => 48,
        }
    }

    /// Hashes `data`.
    pub fn digest(&self, data: &[u8]) -> Vec<u8> {
        use ring::digest as d;
        let alg = match self {
            HashAlg::Sha1 => &d::SHA1_FOR_LEGACY_USE_ONLY,
            HashAlg::Sha256 => &d::SHA256,
            HashAlg::Sha384 => &d::SHA384,
            HashAlg::Sha512 => &d::SHA512,
            HashAlg::Sha224 => {
                use sha2::Digest;
                return sha2::Sha224::digest(data).to_vec();
            }
            // `ring` has no SHA-3.
            HashAlg::Sha3_256 => {
                use sha3::Digest;
                return sha3::Sha3_256::digest(data).to_vec();
            }
            HashAlg::Sha3_384 => {
                use sha3::Digest;
                return sha3::Sha3_384::digest(data).to_vec();
            }
            HashAlg::Sha3_512 => {
                use sha3::Digest;
                return sha3::Sha3_512::digest(data).to_vec();
            }
        };
        d::digest(alg, data).as_ref().to_vec()
    }
}

/// A hash computed over data given in pieces, for content too large to hold at once.
pub struct Hasher(HasherState);

enum HasherState {
    Ring(ring::digest::Context),
    Sha224(sha2::Sha224),
    Sha3_256(sha3::Sha3_256),
    Sha3_384(sha3::Sha3_384),
    Sha3_512(sha3::Sha3_512),
}

impl HashAlg {
    /// A hasher to which data is fed in pieces; [`Hasher::finish`] gives what
    /// [`HashAlg::digest`] gives over all the pieces at once.
    pub fn hasher(&self) -> Hasher {
        use ring::digest as d;
        use sha2::Digest as _;
        Hasher(match self {
            HashAlg::Sha1 => HasherState::Ring(d::Context::new(&d::SHA1_FOR_LEGACY_USE_ONLY)),
            HashAlg::Sha256 => HasherState::Ring(d::Context::new(&d::SHA256)),
            HashAlg::Sha384 => HasherState::Ring(d::Context::new(&d::SHA384)),
            HashAlg::Sha512 => HasherState::Ring(d::Context::new(&d::SHA512)),
            HashAlg::Sha224 => HasherState::Sha224(sha2::Sha224::new()),
            HashAlg::Sha3_256 => HasherState::Sha3_256(sha3::Sha3_256::new()),
            HashAlg::Sha3_384 => HasherState::Sha3_384(sha3::Sha3_384::new()),
            HashAlg::Sha3_512 => HasherState::Sha3_512(sha3::Sha3_512::new()),
        })
    }
}

impl Hasher {
    /// Feeds the next piece.
    pub fn update(&mut self, data: &[u8]) {
        use sha2::Digest as _;
        match &mut self.0 {
            HasherState::Ring(c) => c.update(data),
            HasherState::Sha224(h) => h.update(data),
            HasherState::Sha3_256(h) => h.update(data),
            HasherState::Sha3_384(h) => h.update(data),
            HasherState::Sha3_512(h) => h.update(data),
        }
    }

    /// The digest of all the pieces fed.
    pub fn finish(self) -> Vec<u8> {
        use sha2::Digest as _;
        match self.0 {
            HasherState::Ring(c) => c.finish().as_ref().to_vec(),
            HasherState::Sha224(h) => h.finalize().to_vec(),
            HasherState::Sha3_256(h) => h.finalize().to_vec(),
            HasherState::Sha3_384(h) => h.finalize().to_vec(),
            HasherState::Sha3_512(h) => h.finalize().to_vec(),
        }
    }
}

/// Named elliptic curves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256 (secp256r1)
    P256,
    /// NIST P-384 (secp384r1)
    P384,
    /// NIST P-521 (secp521r1), used by Estonian ID cards (ESTEID2018)
    P521,
}

/// A subject public key, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA: the `RSAPublicKey` DER and its parts.
    Rsa {
        /// `RSAPublicKey` DER (the BIT STRING contents of the SPKI).
        der: Vec<u8>,
        /// Modulus, big-endian, no leading zeros.
        n: Vec<u8>,
        /// Public exponent, big-endian.
        e: Vec<u8>,
        /// Modulus size in bits.
        bits: usize,
        /// The key as the verification backend prepared it, made on first use and shared by
        /// every clone (so a certificate kept in a cache verifies without setting the key up
        /// again). Never compared.
        prepared: super::PreparedRsa,
    },
    /// ECDSA on a named curve.
    Ec {
        /// The curve.
        curve: Curve,
        /// The SEC1 point.
        point: Vec<u8>,
    },
    /// A key this verifier cannot use (unknown algorithm or curve), kept for the report.
    Other {
        /// Dotted OID or a description.
        algorithm: String,
    },
}

impl PublicKey {
    /// A short description: `RSA`, `EC P-256`.
    pub fn algorithm_name(&self) -> Cow<'static, str> {
        match self {
            PublicKey::Rsa { .. } => "RSA".into(),
            PublicKey::Ec { curve: Curve::P256, .. } => "EC P-256".into(),
            PublicKey::Ec { curve: Curve::P384, .. } => "EC P-384".into(),
            PublicKey::Ec { curve: Curve::P521, .. } => "EC P-521".into(),
            PublicKey::Other { algorithm } => algorithm.clone().into(),
        }
    }

    /// Key size in bits (RSA modulus, EC field size).
    pub fn bits(&self) -> usize {
        match self {
            PublicKey::Rsa { bits, .. } => *bits,
            PublicKey::Ec { curve: Curve::P256, .. } => 256,
            PublicKey::Ec { curve: Curve::P384, .. } => 384,
            PublicKey::Ec { curve: Curve::P521, .. } => 521,
            PublicKey::Other { .. } => 0,
        }
    }
}

/// [`SignatureScheme::name`] of RSASSA-PKCS1-v1_5 and ECDSA, in the order of [`HashAlg::ALL`].
const RSA_PKCS1_NAMES: [&str; 8] = [
    "RSA PKCS#1 v1.5 / SHA-1",
    "RSA PKCS#1 v1.5 / SHA-224",
    "RSA PKCS#1 v1.5 / SHA-256",
    "RSA PKCS#1 v1.5 / SHA-384",
    "RSA PKCS#1 v1.5 / SHA-512",
    "RSA PKCS#1 v1.5 / SHA3-256",
    "RSA PKCS#1 v1.5 / SHA3-384",
    "RSA PKCS#1 v1.5 / SHA3-512",
];
const ECDSA_NAMES: [&str; 8] = [
    "ECDSA / SHA-1",
    "ECDSA / SHA-224",
    "ECDSA / SHA-256",
    "ECDSA / SHA-384",
    "ECDSA / SHA-512",
    "ECDSA / SHA3-256",
    "ECDSA / SHA3-384",
    "ECDSA / SHA3-512",
];

/// A signature scheme with every parameter resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 8.2).
    RsaPkcs1(HashAlg),
    /// RSASSA-PSS (RFC 8017 8.1, RFC 4055 3.1).
    RsaPss {
        /// Message hash.
        hash: HashAlg,
        /// MGF1 hash.
        mgf_hash: HashAlg,
        /// Salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA (X9.62, signature DER `{r, s}`).
    Ecdsa(HashAlg),
}

impl SignatureScheme {
    /// The message hash.
    pub fn hash(&self) -> HashAlg {
        match self {
            SignatureScheme::RsaPkcs1(h) | SignatureScheme::Ecdsa(h) => *h,
            SignatureScheme::RsaPss { hash, .. } => *hash,
        }
    }

    /// A readable name: `RSA PKCS#1 v1.5 / SHA-256`, `RSASSA-PSS / SHA-256 / salt 32`.
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            SignatureScheme::RsaPkcs1(h) => Cow::Borrowed(RSA_PKCS1_NAMES[h.index()]),
            SignatureScheme::RsaPss { hash, salt_len, .. } => {
                Cow::Owned(format!("RSASSA-PSS / {} / salt {salt_len}", hash.name()))
            }
            SignatureScheme::Ecdsa(h) => Cow::Borrowed(ECDSA_NAMES[h.index()]),
        }
    }
}

#[cfg(test)]
mod scheme_name_tests {
    use super::*;

    #[test]
    fn the_named_schemes_name_their_hash() {
        for h in HashAlg::ALL {
            assert_eq!(h.index(), HashAlg::ALL.iter().position(|x| *x == h).unwrap());
            assert_eq!(
                SignatureScheme::RsaPkcs1(h).name(),
                format!("RSA PKCS#1 v1.5 / {}", h.name())
            );
            assert_eq!(SignatureScheme::Ecdsa(h).name(), format!("ECDSA / {}", h.name()));
        }
    }
}

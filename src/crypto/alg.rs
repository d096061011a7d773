//! Algorithm identifiers: hashes, public keys and signature schemes, resolved from DER.

use crate::formats::ber::{self, Fields, Tag, Tlv};
use const_oid::ObjectIdentifier as Oid;

/// Object identifiers used by the verifier.
#[allow(missing_docs)]
pub mod oid {
    use super::Oid;
    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    pub const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    pub const ECDSA_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
}

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

impl From<ber::BerError> for AlgError {
    fn from(_: ber::BerError) -> Self {
        AlgError::Malformed
    }
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
}

impl HashAlg {
    /// The conventional name (`SHA-256`).
    pub fn name(&self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// Parses a name such as `SHA-256`, `sha256` or `SHA256`.
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
            HashAlg::Sha512 => 64,
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
        };
        d::digest(alg, data).as_ref().to_vec()
    }

    fn from_oid(o: &[u8]) -> Option<HashAlg> {
        Some(match o {
            x if x == oid::SHA1.as_bytes() => HashAlg::Sha1,
            x if x == oid::SHA224.as_bytes() => HashAlg::Sha224,
            x if x == oid::SHA256.as_bytes() => HashAlg::Sha256,
            x if x == oid::SHA384.as_bytes() => HashAlg::Sha384,
            x if x == oid::SHA512.as_bytes() => HashAlg::Sha512,
            _ => return None,
        })
    }

    /// Resolves a DigestAlgorithmIdentifier (parameters absent or NULL).
    pub fn from_algorithm_identifier(der: &[u8]) -> Result<HashAlg, AlgError> {
        let (oid, params) = split_algorithm_identifier(der)?;
        if let Some(p) = params {
            if p.tag != Tag::NULL || !p.value.is_empty() {
                return Err(AlgError::Malformed);
            }
        }
        HashAlg::from_oid(oid).ok_or_else(|| AlgError::Unsupported(oid_string(oid)))
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
    /// Parses a SubjectPublicKeyInfo (RFC 5280 4.1.2.7).
    pub fn from_spki(spki: &[u8]) -> Result<PublicKey, AlgError> {
        let tlv = Tlv::parse_exact(spki)?;
        let mut f = Fields::new(&tlv)?;
        let alg = f.next(Tag::SEQUENCE)?;
        let bits = f.next(Tag::BIT_STRING)?;
        f.finish()?;
        let key = match bits.value.split_first() {
            Some((0, rest)) => rest,
            _ => return Err(AlgError::Malformed),
        };
        let (oid, params) = split_algorithm_identifier(alg.raw)?;
        if oid == oid::RSA_ENCRYPTION.as_bytes() || oid == oid::RSASSA_PSS.as_bytes() {
            let seq = Tlv::parse_exact(key)?;
            let mut f = Fields::new(&seq)?;
            let n = ber::unsigned_integer(&f.next(Tag::INTEGER)?)?;
            let e = ber::unsigned_integer(&f.next(Tag::INTEGER)?)?;
            f.finish()?;
            let bits = match n.first() {
                Some(top) => (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
                None => return Err(AlgError::Malformed),
            };
            Ok(PublicKey::Rsa {
                der: key.to_vec(),
                n,
                e,
                bits,
            })
        } else if oid == oid::EC_PUBLIC_KEY.as_bytes() {
            let curve = params.filter(|p| p.tag == Tag::OID).ok_or(AlgError::Malformed)?;
            let curve = match curve.value {
                c if c == oid::P256.as_bytes() => Curve::P256,
                c if c == oid::P384.as_bytes() => Curve::P384,
                c if c == oid::P521.as_bytes() => Curve::P521,
                c => {
                    return Ok(PublicKey::Other {
                        algorithm: format!("EC curve {}", oid_string(c)),
                    });
                }
            };
            Ok(PublicKey::Ec {
                curve,
                point: key.to_vec(),
            })
        } else {
            Ok(PublicKey::Other {
                algorithm: oid_string(oid),
            })
        }
    }

    /// A short description: `RSA`, `EC P-256`.
    pub fn algorithm_name(&self) -> String {
        match self {
            PublicKey::Rsa { .. } => "RSA".into(),
            PublicKey::Ec { curve: Curve::P256, .. } => "EC P-256".into(),
            PublicKey::Ec { curve: Curve::P384, .. } => "EC P-384".into(),
            PublicKey::Ec { curve: Curve::P521, .. } => "EC P-521".into(),
            PublicKey::Other { algorithm } => algorithm.clone(),
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
    pub fn name(&self) -> String {
        match self {
            SignatureScheme::RsaPkcs1(h) => format!("RSA PKCS#1 v1.5 / {}", h.name()),
            SignatureScheme::RsaPss { hash, salt_len, .. } => {
                format!("RSASSA-PSS / {} / salt {salt_len}", hash.name())
            }
            SignatureScheme::Ecdsa(h) => format!("ECDSA / {}", h.name()),
        }
    }

    /// Resolves a signature AlgorithmIdentifier. `digest` is the hash to use where the
    /// identifier names only the key type (`rsaEncryption`, `id-ecPublicKey` in CMS).
    pub fn from_algorithm_identifier(der: &[u8], digest: Option<HashAlg>) -> Result<SignatureScheme, AlgError> {
        let (o, params) = split_algorithm_identifier(der)?;
        let pkcs1 = |h: HashAlg| -> Result<SignatureScheme, AlgError> {
            // Parameters must be absent or NULL (RFC 4055 5).
            match params {
                Some(p) if p.tag != Tag::NULL || !p.value.is_empty() => Err(AlgError::Malformed),
                _ => Ok(SignatureScheme::RsaPkcs1(h)),
            }
        };
        let ecdsa = |h: HashAlg| -> Result<SignatureScheme, AlgError> {
            match params {
                // RFC 5758 3.2: parameters absent. Some encoders put NULL; accept that only.
                Some(p) if p.tag != Tag::NULL || !p.value.is_empty() => Err(AlgError::Malformed),
                _ => Ok(SignatureScheme::Ecdsa(h)),
            }
        };
        let need_digest = || digest.ok_or_else(|| AlgError::Unsupported("signature algorithm without hash".into()));
        match o {
            x if x == oid::SHA1_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha1),
            x if x == oid::SHA224_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha224),
            x if x == oid::SHA256_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha256),
            x if x == oid::SHA384_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha384),
            x if x == oid::SHA512_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha512),
            x if x == oid::RSA_ENCRYPTION.as_bytes() => pkcs1(need_digest()?),
            x if x == oid::ECDSA_SHA1.as_bytes() => ecdsa(HashAlg::Sha1),
            x if x == oid::ECDSA_SHA224.as_bytes() => ecdsa(HashAlg::Sha224),
            x if x == oid::ECDSA_SHA256.as_bytes() => ecdsa(HashAlg::Sha256),
            x if x == oid::ECDSA_SHA384.as_bytes() => ecdsa(HashAlg::Sha384),
            x if x == oid::ECDSA_SHA512.as_bytes() => ecdsa(HashAlg::Sha512),
            x if x == oid::EC_PUBLIC_KEY.as_bytes() => Ok(SignatureScheme::Ecdsa(need_digest()?)),
            x if x == oid::RSASSA_PSS.as_bytes() => parse_pss_params(params),
            other => Err(AlgError::Unsupported(oid_string(other))),
        }
    }
}

/// RSASSA-PSS-params (RFC 4055 3.1):
/// ```text
/// RSASSA-PSS-params ::= SEQUENCE {
///   hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///   maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///   saltLength         [2] INTEGER DEFAULT 20,
///   trailerField       [3] INTEGER DEFAULT 1 }
/// ```
fn parse_pss_params(params: Option<Tlv<'_>>) -> Result<SignatureScheme, AlgError> {
    let (mut hash, mut mgf_hash, mut salt_len) = (HashAlg::Sha1, HashAlg::Sha1, 20usize);
    let Some(params) = params else {
        return Ok(SignatureScheme::RsaPss {
            hash,
            mgf_hash,
            salt_len,
        });
    };
    if params.tag != Tag::SEQUENCE {
        return Err(AlgError::Malformed);
    }
    let mut f = Fields::new(&params)?;
    if let Some(h) = f.optional(Tag::context(0, true))? {
        hash = HashAlg::from_algorithm_identifier(Tlv::parse_exact(h.value)?.raw)?;
    }
    if let Some(m) = f.optional(Tag::context(1, true))? {
        let (mo, mp) = split_algorithm_identifier(Tlv::parse_exact(m.value)?.raw)?;
        if mo != oid::MGF1.as_bytes() {
            return Err(AlgError::Unsupported(format!("PSS mask generation {}", oid_string(mo))));
        }
        mgf_hash = HashAlg::from_algorithm_identifier(mp.ok_or(AlgError::Malformed)?.raw)?;
    }
    if let Some(s) = f.optional(Tag::context(2, true))? {
        let v = ber::small_integer(&Tlv::parse_exact(s.value)?)?;
        salt_len = usize::try_from(v).map_err(|_| AlgError::Malformed)?;
        if salt_len > 1024 {
            return Err(AlgError::Malformed);
        }
    }
    if let Some(t) = f.optional(Tag::context(3, true))? {
        if ber::small_integer(&Tlv::parse_exact(t.value)?)? != 1 {
            return Err(AlgError::Unsupported("PSS trailer field other than 1".into()));
        }
    }
    f.finish()?;
    Ok(SignatureScheme::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    })
}

/// Splits `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`
/// into the OID's contents octets and the parameters.
pub fn split_algorithm_identifier(der: &[u8]) -> Result<(&[u8], Option<Tlv<'_>>), AlgError> {
    let tlv = Tlv::parse_exact(der)?;
    if tlv.tag != Tag::SEQUENCE {
        return Err(AlgError::Malformed);
    }
    let mut f = Fields::new(&tlv)?;
    let oid = f.next(Tag::OID)?;
    let params = if f.is_empty() { None } else { Some(f.next_any()?) };
    f.finish()?;
    Ok((oid.value, params))
}

/// Dotted form of an OID's contents octets (for reports).
pub fn oid_string(contents: &[u8]) -> String {
    Oid::from_bytes(contents)
        .map(|o| o.to_string())
        .unwrap_or_else(|_| hex::encode(contents))
}

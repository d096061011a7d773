//! Algorithm identifiers read from DER: DigestAlgorithmIdentifier, signature
//! AlgorithmIdentifier (with RSASSA-PSS parameters) and SubjectPublicKeyInfo, resolved to the
//! types of [`crate::crypto`].

use crate::crypto::{AlgError, Curve, HashAlg, PublicKey, SignatureScheme};
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
    pub const SHA3_256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.8");
    pub const SHA3_384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.9");
    pub const SHA3_512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.10");
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    pub const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    pub const SHA3_256_WITH_RSA: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.14");
    pub const SHA3_384_WITH_RSA: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.15");
    pub const SHA3_512_WITH_RSA: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.16");
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    pub const ECDSA_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    pub const ECDSA_SHA3_256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.10");
    pub const ECDSA_SHA3_384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.11");
    pub const ECDSA_SHA3_512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.12");
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
    pub const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
}

impl From<ber::BerError> for AlgError {
    fn from(_: ber::BerError) -> Self {
        AlgError::Malformed
    }
}

fn hash_from_oid(o: &[u8]) -> Option<HashAlg> {
    Some(match o {
        x if x == oid::SHA1.as_bytes() => HashAlg::Sha1,
        x if x == oid::SHA224.as_bytes() => HashAlg::Sha224,
        x if x == oid::SHA256.as_bytes() => HashAlg::Sha256,
        x if x == oid::SHA384.as_bytes() => HashAlg::Sha384,
        x if x == oid::SHA512.as_bytes() => HashAlg::Sha512,
        x if x == oid::SHA3_256.as_bytes() => HashAlg::Sha3_256,
        x if x == oid::SHA3_384.as_bytes() => HashAlg::Sha3_384,
        x if x == oid::SHA3_512.as_bytes() => HashAlg::Sha3_512,
        _ => return None,
    })
}

impl HashAlg {
    /// Resolves a DigestAlgorithmIdentifier (parameters absent or NULL).
    pub fn from_algorithm_identifier(der: &[u8]) -> Result<HashAlg, AlgError> {
        let (oid, params) = split_algorithm_identifier(der)?;
        if let Some(p) = params {
            if p.tag != Tag::NULL || !p.value.is_empty() {
                return Err(AlgError::Malformed);
            }
        }
        hash_from_oid(oid).ok_or_else(|| AlgError::Unsupported(oid_string(oid)))
    }
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
                prepared: Default::default(),
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
}

impl SignatureScheme {
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
            x if x == oid::SHA3_256_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha3_256),
            x if x == oid::SHA3_384_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha3_384),
            x if x == oid::SHA3_512_WITH_RSA.as_bytes() => pkcs1(HashAlg::Sha3_512),
            x if x == oid::RSA_ENCRYPTION.as_bytes() => pkcs1(need_digest()?),
            x if x == oid::ECDSA_SHA1.as_bytes() => ecdsa(HashAlg::Sha1),
            x if x == oid::ECDSA_SHA224.as_bytes() => ecdsa(HashAlg::Sha224),
            x if x == oid::ECDSA_SHA256.as_bytes() => ecdsa(HashAlg::Sha256),
            x if x == oid::ECDSA_SHA384.as_bytes() => ecdsa(HashAlg::Sha384),
            x if x == oid::ECDSA_SHA512.as_bytes() => ecdsa(HashAlg::Sha512),
            x if x == oid::ECDSA_SHA3_256.as_bytes() => ecdsa(HashAlg::Sha3_256),
            x if x == oid::ECDSA_SHA3_384.as_bytes() => ecdsa(HashAlg::Sha3_384),
            x if x == oid::ECDSA_SHA3_512.as_bytes() => ecdsa(HashAlg::Sha3_512),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ber::encode;

    const SEQ: u8 = 0x30;

    fn alg_id(o: &Oid, params: Option<&[u8]>) -> Vec<u8> {
        let mut body = encode(0x06, o.as_bytes());
        body.extend_from_slice(params.unwrap_or_default());
        encode(SEQ, &body)
    }

    #[test]
    fn sha3_digest_algorithm_identifiers() {
        let null = [0x05, 0x00];
        for (o, h) in [
            (oid::SHA3_256, HashAlg::Sha3_256),
            (oid::SHA3_384, HashAlg::Sha3_384),
            (oid::SHA3_512, HashAlg::Sha3_512),
        ] {
            assert_eq!(HashAlg::from_algorithm_identifier(&alg_id(&o, None)), Ok(h));
            assert_eq!(HashAlg::from_algorithm_identifier(&alg_id(&o, Some(&null))), Ok(h));
            assert_eq!(
                HashAlg::from_algorithm_identifier(&alg_id(&o, Some(&[0x02, 0x01, 0x00]))),
                Err(AlgError::Malformed)
            );
        }
        // Exact DER of id-sha3-256 without parameters.
        let der = hex::decode("300b0609608648016503040208").unwrap();
        assert_eq!(HashAlg::from_algorithm_identifier(&der), Ok(HashAlg::Sha3_256));
        // id-sha3-224 (2.16.840.1.101.3.4.2.7) is not supported.
        let sha3_224 = Oid::new_unwrap("2.16.840.1.101.3.4.2.7");
        assert_eq!(
            HashAlg::from_algorithm_identifier(&alg_id(&sha3_224, None)),
            Err(AlgError::Unsupported("2.16.840.1.101.3.4.2.7".into()))
        );
    }

    #[test]
    fn sha3_signature_algorithm_identifiers() {
        let cases = [
            ("2.16.840.1.101.3.4.3.14", SignatureScheme::RsaPkcs1(HashAlg::Sha3_256)),
            ("2.16.840.1.101.3.4.3.15", SignatureScheme::RsaPkcs1(HashAlg::Sha3_384)),
            ("2.16.840.1.101.3.4.3.16", SignatureScheme::RsaPkcs1(HashAlg::Sha3_512)),
            ("2.16.840.1.101.3.4.3.10", SignatureScheme::Ecdsa(HashAlg::Sha3_256)),
            ("2.16.840.1.101.3.4.3.11", SignatureScheme::Ecdsa(HashAlg::Sha3_384)),
            ("2.16.840.1.101.3.4.3.12", SignatureScheme::Ecdsa(HashAlg::Sha3_512)),
        ];
        for (dotted, scheme) in cases {
            let o = Oid::new_unwrap(dotted);
            assert_eq!(
                SignatureScheme::from_algorithm_identifier(&alg_id(&o, None), None),
                Ok(scheme.clone()),
                "{dotted}"
            );
            // The hash of the identifier wins over the SignerInfo digest algorithm.
            assert_eq!(
                SignatureScheme::from_algorithm_identifier(&alg_id(&o, Some(&[0x05, 0x00])), Some(HashAlg::Sha256)),
                Ok(scheme),
                "{dotted}"
            );
        }
        // rsaEncryption / id-ecPublicKey take the SignerInfo digest algorithm.
        assert_eq!(
            SignatureScheme::from_algorithm_identifier(&alg_id(&oid::RSA_ENCRYPTION, None), Some(HashAlg::Sha3_384)),
            Ok(SignatureScheme::RsaPkcs1(HashAlg::Sha3_384))
        );
        assert_eq!(
            SignatureScheme::from_algorithm_identifier(&alg_id(&oid::EC_PUBLIC_KEY, None), Some(HashAlg::Sha3_512)),
            Ok(SignatureScheme::Ecdsa(HashAlg::Sha3_512))
        );
    }

    /// RSASSA-PSS-params with the given hash, MGF1 hash and salt length.
    fn pss_alg_id(hash: &Oid, mgf_hash: &Oid, salt: u8) -> Vec<u8> {
        let mut params = encode(0xA0, &alg_id(hash, None));
        let mut mgf = encode(0x06, oid::MGF1.as_bytes());
        mgf.extend(alg_id(mgf_hash, None));
        params.extend(encode(0xA1, &encode(SEQ, &mgf)));
        params.extend(encode(0xA2, &encode(0x02, &[salt])));
        alg_id(&oid::RSASSA_PSS, Some(&encode(SEQ, &params)))
    }

    #[test]
    fn sha3_pss_parameters() {
        assert_eq!(
            SignatureScheme::from_algorithm_identifier(&pss_alg_id(&oid::SHA3_256, &oid::SHA3_256, 32), None),
            Ok(SignatureScheme::RsaPss {
                hash: HashAlg::Sha3_256,
                mgf_hash: HashAlg::Sha3_256,
                salt_len: 32
            })
        );
        assert_eq!(
            SignatureScheme::from_algorithm_identifier(&pss_alg_id(&oid::SHA3_512, &oid::SHA3_384, 64), None),
            Ok(SignatureScheme::RsaPss {
                hash: HashAlg::Sha3_512,
                mgf_hash: HashAlg::Sha3_384,
                salt_len: 64
            })
        );
        // Known DER: RSASSA-PSS, SHA3-256, MGF1 with SHA3-256, salt 32.
        let der = hex::decode(
            "303d06092a864886f70d01010a3030a00d300b0609608648016503040208\
             a11a301806092a864886f70d010108300b0609608648016503040208a203020120",
        )
        .unwrap();
        assert_eq!(der, pss_alg_id(&oid::SHA3_256, &oid::SHA3_256, 32));
    }
}

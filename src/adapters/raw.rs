//! A bare signature value with the signer's certificate (Smart-ID, Mobiil-ID): one
//! [`SignatureUnderTest`] whose signer is named by the certificate itself.

use std::borrow::Cow;
use std::sync::Arc;

use crate::context::{Content, Meter, VerifyContext};
use crate::crypto::{HashAlg, SignatureScheme};
use crate::formats::x509::Certificate;
use crate::process::{DataObject, SignatureUnderTest, SignedBytes, SignedForm, SignedMessage, SignerRef};
use crate::verdict::{CheckCode, Checks, Format, Report, SubIndication};

/// Most intermediate certificates one raw signature may bring (besides the signer's).
pub const MAX_RAW_INTERMEDIATES: usize = 8;

/// Verifies a bare signature value: `signature` made with `scheme` by the key of `certificate`
/// (DER, PEM, or a PEM bundle: the signer first, then intermediates) over `content` (the data,
/// or its digest under the scheme's hash; given as [`Content::Digests`], the digest under the
/// scheme's hash stands for the data). ECDSA values may be DER or raw `r || s`. The
/// certificate's path, validity and key usage are checked as for any signer.
///
/// # Security
/// As for [`crate::verify`]: revocation is not evaluated. The caller must make sure `content`
/// is what the user was asked to sign (for authentication: the challenge it generated).
pub fn verify_raw(
    signature: &[u8],
    scheme: &SignatureScheme,
    certificate: &[u8],
    content: Content<'_>,
    ctx: &VerifyContext<'_>,
) -> Report {
    verify_raw_with_intermediates::<&[u8]>(signature, scheme, certificate, &[], content, ctx)
}

/// [`verify_raw`] with the signer's intermediate certificates (each DER or PEM, at most
/// [`MAX_RAW_INTERMEDIATES`] with those of a PEM bundle), used to build its path for this
/// verification only, as a CMS signature's certificates are.
///
/// # Security
/// As [`verify_raw`]. The intermediates are untrusted: a path must still end at a trust anchor.
pub fn verify_raw_with_intermediates<C: AsRef<[u8]>>(
    signature: &[u8],
    scheme: &SignatureScheme,
    certificate: &[u8],
    intermediates: &[C],
    content: Content<'_>,
    ctx: &VerifyContext<'_>,
) -> Report {
    let report = Report::empty(Format::Raw, ctx.time.to_rfc3339());
    let too_many = |n: usize| format!("{n} intermediate certificates given; at most {MAX_RAW_INTERMEDIATES}");
    if intermediates.len() > MAX_RAW_INTERMEDIATES {
        return failed(report, too_many(intermediates.len()));
    }
    let (cert, mut bag) = match signer_and_bundle(certificate) {
        Ok(c) => c,
        Err(e) => return failed(report, format!("signer certificate: {e}")),
    };
    for (i, der) in intermediates.iter().enumerate() {
        match crate::input::one_certificate(der.as_ref()) {
            Ok(c) => bag.push(Arc::new(c)),
            Err(e) => return failed(report, format!("intermediate certificate {}: {e}", i + 1)),
        }
    }
    if bag.len() > MAX_RAW_INTERMEDIATES {
        return failed(report, too_many(bag.len()));
    }
    let mut sut = describe(signature, scheme, cert, content);
    sut.certificates = bag;
    let mut report = report;
    let meter = Meter::new(ctx.budget, ctx.cancel);
    report.signatures = crate::process::validate_signature(&sut, ctx, &meter);
    report.revocation_wanted = meter.take_wanted();
    report.conclude();
    report
}

/// The signer's certificate and the intermediates a PEM bundle brings after it.
fn signer_and_bundle(bytes: &[u8]) -> Result<(Arc<Certificate>, Vec<Arc<Certificate>>), String> {
    let blocks = match std::str::from_utf8(bytes) {
        Ok(text) if crate::formats::x509::looks_like_pem(bytes) && text.matches("-----BEGIN ").count() > 1 => {
            pem_bundle(text)?
        }
        _ => return Ok((Arc::new(crate::input::one_certificate(bytes)?), Vec::new())),
    };
    let mut certs = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let c = crate::input::one_certificate(block.as_bytes()).map_err(|e| format!("PEM block {}: {e}", i + 1))?;
        certs.push(Arc::new(c));
    }
    let signer = certs.remove(0);
    Ok((signer, certs))
}

/// The CERTIFICATE blocks of a PEM bundle, with nothing but white space around and between
/// them.
fn pem_bundle(text: &str) -> Result<Vec<&str>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut blocks = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if !rest.starts_with(BEGIN) {
            return Err("a PEM bundle holds only CERTIFICATE blocks and white space".into());
        }
        let end = rest.find(END).ok_or("unterminated PEM block")? + END.len();
        blocks.push(&rest[..end]);
        if blocks.len() > MAX_RAW_INTERMEDIATES + 1 {
            return Err(format!(
                "more than {} certificates in the PEM bundle",
                MAX_RAW_INTERMEDIATES + 1
            ));
        }
        rest = rest[end..].trim_start();
    }
    Ok(blocks)
}

fn failed(mut report: Report, detail: String) -> Report {
    let mut checks = Checks::default();
    checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, detail);
    report.checks = checks.into_vec();
    report
}

/// The signature under test: the value, the data or its digest, the certificate as signer.
fn describe<'a>(
    signature: &'a [u8],
    scheme: &SignatureScheme,
    cert: Arc<Certificate>,
    content: Content<'a>,
) -> SignatureUnderTest<'a> {
    let mut fc = Checks::default();
    fc.pass(
        CheckCode::FormatParsed,
        format!("raw signature value of {} bytes", signature.len()),
    );
    fc.pass(CheckCode::AlgorithmSupported, scheme.name());
    let hash = scheme.hash();
    let (signed_bytes, actual) = signed_message(content, hash);
    let signed_bytes = match &actual {
        Ok(_) => SignedBytes::Alternatives(vec![SignedForm {
            message: signed_bytes,
            on_success: None,
        }]),
        Err(why) => SignedBytes::Missing(why.clone()),
    };
    SignatureUnderTest {
        id: "S0".into(),
        counter_signature_of: None,
        format_checks: fc,
        scheme: Ok(scheme.clone()),
        digest_algorithm: Some(hash),
        value: Cow::Borrowed(signature),
        signed_bytes,
        data_objects: vec![DataObject {
            name: "signed data".into(),
            digest_algorithm: hash,
            claimed: None,
            actual: actual.map(|how| (Vec::new(), how)),
        }],
        signer: SignerRef::Certificate(cert),
        signer_digest: None,
        certificates: Vec::new(),
        claimed_signing_time: None,
        timestamps: Vec::new(),
        revocation_data: Vec::new(),
        later_proofs: Vec::new(),
        counter_signatures: Vec::new(),
    }
}

/// What the signature is over, given `content`, and how the data was given (or why it is
/// missing).
fn signed_message<'a>(content: Content<'a>, hash: HashAlg) -> (SignedMessage<'a>, Result<String, String>) {
    match content {
        Content::Data(d) => (
            SignedMessage::Data(Cow::Borrowed(d)),
            Ok("signed data given".to_string()),
        ),
        Content::Digest { alg, value } if alg == hash => (
            SignedMessage::Digest(value.to_vec()),
            Ok("signed data given as its digest".to_string()),
        ),
        Content::Digests(_) => match content.digest_of(hash) {
            Some(value) => (
                SignedMessage::Digest(value.to_vec()),
                Ok("signed data given".to_string()),
            ),
            None => {
                let why = format!("the signed data was given without its {} digest", hash.name());
                (SignedMessage::Digest(Vec::new()), Err(why))
            }
        },
        Content::Digest { alg, .. } => {
            let why = format!(
                "the given hash is {} but the signature algorithm uses {}",
                alg.name(),
                hash.name()
            );
            (SignedMessage::Digest(Vec::new()), Err(why))
        }
        Content::None => (
            SignedMessage::Digest(Vec::new()),
            Err("no data or hash given".to_string()),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Signature algorithms as the services name them.

/// Longest algorithm, hash or parameter name read (bytes).
const MAX_NAME_BYTES: usize = 64;
/// Largest RSASSA-PSS salt accepted (bytes): more than any modulus up to 8192 bits leaves room for.
pub const MAX_SALT_LEN: usize = 1024;

/// Why a signature algorithm as given cannot be used. Nothing is assumed in its place: a
/// parameter that is missing, unknown or not supported refuses the request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemeError {
    /// The algorithm name is empty.
    #[error("the signature algorithm is empty")]
    Empty,
    /// A `signature` object without `signatureAlgorithm` (Smart-ID) or `algorithm` (MID-REST).
    #[error("no signature algorithm: give signatureAlgorithm (Smart-ID) or algorithm (MID-REST)")]
    Unnamed,
    /// A `signature` object with both `signatureAlgorithm` and `algorithm`.
    #[error("the signature algorithm is named twice: signatureAlgorithm and algorithm")]
    NamedTwice,
    /// Not a signature algorithm name this verifier knows.
    #[error("unknown signature algorithm {0}")]
    Unknown(String),
    /// RSASSA-PSS without a parameter it needs (`hashAlgorithm`, `saltLength`, ...).
    #[error("rsassa-pss needs {0}")]
    Missing(&'static str),
    /// A hash name that is not one of SHA-1, SHA-224, SHA-256/384/512, SHA3-256/384/512.
    #[error("unknown hash algorithm {name} in {field}")]
    UnknownHash {
        /// The parameter (`hashAlgorithm`).
        field: &'static str,
        /// The name given (cut).
        name: String,
    },
    /// A mask generation function other than MGF1.
    #[error("mask generation function {0} is not supported: only id-mgf1")]
    Mgf(String),
    /// MGF1 over another hash than the message hash: not implemented by this verifier.
    #[error("MGF1 with {mgf} and the message hash {hash} differ: not supported")]
    MgfHash {
        /// The message hash.
        hash: &'static str,
        /// The MGF1 hash.
        mgf: &'static str,
    },
    /// A trailer field other than `0xbc` (RFC 8017 9.1.1; IEEE 1363a trailers are not supported).
    #[error("trailer field {0} is not supported: only 0xbc")]
    Trailer(String),
    /// A salt longer than any supported modulus leaves room for.
    #[error("salt length {0} is too large")]
    SaltTooLarge(usize),
    /// Parameters given with an algorithm that takes none.
    #[error("parameters are given, but {0} takes none")]
    UnexpectedParameters(String),
}

impl SchemeError {
    /// Whether the parameters, rather than the algorithm name, are at fault.
    pub fn in_parameters(&self) -> bool {
        !matches!(
            self,
            SchemeError::Empty | SchemeError::Unnamed | SchemeError::NamedTwice | SchemeError::Unknown(_)
        )
    }
}

/// RSASSA-PSS parameters, shaped as Smart-ID (RP API v3) returns them in
/// `signatureAlgorithmParameters`:
/// `{"hashAlgorithm": "SHA-512", "maskGenAlgorithm": {"algorithm": "id-mgf1", "parameters":
/// {"hashAlgorithm": "SHA-512"}}, "saltLength": 64, "trailerField": "0xbc"}`. Unknown fields are
/// refused, so that a misspelt one cannot go unread.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PssParameters {
    /// The message hash: `SHA-256`, `SHA-384`, `SHA-512`, `SHA3-256`, `SHA3-384`, `SHA3-512`.
    /// Required.
    #[serde(default, deserialize_with = "short_opt")]
    pub hash_algorithm: Option<String>,
    /// The mask generation function: `id-mgf1` with the message hash. When absent, MGF1 with
    /// the message hash.
    pub mask_gen_algorithm: Option<MaskGenAlgorithm>,
    /// The salt length in bytes. Required; enforced when the signature is verified.
    #[serde(default, deserialize_with = "opt_count")]
    pub salt_length: Option<usize>,
    /// `0xbc`, the only trailer field supported; when absent, `0xbc`.
    #[serde(default, deserialize_with = "short_opt")]
    pub trailer_field: Option<String>,
}

/// The mask generation function of [`PssParameters`].
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaskGenAlgorithm {
    /// `id-mgf1` (also `MGF1`, `1.2.840.113549.1.1.8`).
    #[serde(deserialize_with = "short")]
    pub algorithm: String,
    /// Its hash. Required with `id-mgf1`.
    pub parameters: Option<MgfParameters>,
}

/// The parameters of [`MaskGenAlgorithm`].
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MgfParameters {
    /// The MGF1 hash; must be the message hash.
    #[serde(default, deserialize_with = "short_opt")]
    pub hash_algorithm: Option<String>,
}

/// The `signature` object of a session-status response, pasted unchanged: Smart-ID RP API v3
/// (`value`, `signatureAlgorithm`, `signatureAlgorithmParameters`, and for information
/// `flowType`, `serverRandom`, `userChallenge`) or Mobiil-ID MID-REST (`value`, `algorithm`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSignature {
    /// The signature value, Base64 (ECDSA: DER or raw `r || s`).
    pub value: String,
    /// Smart-ID: `rsassa-pss`.
    #[serde(default, deserialize_with = "short_opt")]
    pub signature_algorithm: Option<String>,
    /// Smart-ID: the RSASSA-PSS parameters.
    pub signature_algorithm_parameters: Option<PssParameters>,
    /// MID-REST: `SHA256WithECEncryption`, `SHA256WithRSAEncryption`, ...
    #[serde(default, deserialize_with = "short_opt")]
    pub algorithm: Option<String>,
    /// Smart-ID: how the user was reached (not used: the signed data is given by the caller).
    #[serde(default, deserialize_with = "short_opt")]
    pub flow_type: Option<String>,
    /// Smart-ID ACSP_V2: part of the signed authentication data, which the caller builds.
    pub server_random: Option<String>,
    /// Smart-ID ACSP_V2: likewise.
    pub user_challenge: Option<String>,
}

impl ServiceSignature {
    /// The signature scheme the object names, every parameter checked.
    pub fn scheme(&self) -> Result<SignatureScheme, SchemeError> {
        match (&self.signature_algorithm, &self.algorithm) {
            (Some(name), None) => parse_signature_scheme(name, self.signature_algorithm_parameters.as_ref()),
            (None, Some(name)) if self.signature_algorithm_parameters.is_none() => parse_signature_scheme(name, None),
            (None, Some(name)) => Err(SchemeError::UnexpectedParameters(echo(name))),
            (Some(_), Some(_)) => Err(SchemeError::NamedTwice),
            (None, None) => Err(SchemeError::Unnamed),
        }
    }
}

fn short<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    if s.len() > MAX_NAME_BYTES {
        return Err(serde::de::Error::custom(format!("longer than {MAX_NAME_BYTES} bytes")));
    }
    Ok(s)
}

fn short_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Short(#[serde(deserialize_with = "short")] String);
    Ok(<Option<Short> as serde::Deserialize>::deserialize(d)?.map(|s| s.0))
}

/// A count: a non-negative whole number, also when written `64.0` (as JSON allows).
fn opt_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    use serde::de::{Error, Unexpected};
    match <Option<f64> as serde::Deserialize>::deserialize(d)? {
        None => Ok(None),
        // Every whole f64 below 2^53 is exact; a salt is at most MAX_SALT_LEN anyway.
        Some(v) if v.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&v) => Ok(Some(v as usize)),
        Some(v) => Err(D::Error::invalid_value(
            Unexpected::Float(v),
            &"a non-negative whole number",
        )),
    }
}

/// A name from the input, cut for an error message.
fn echo(name: &str) -> String {
    name.chars().take(MAX_NAME_BYTES).collect()
}

/// A signature algorithm given by name, as Smart-ID, Mobiil-ID and Java APIs spell them:
/// `sha256WithRSAEncryption`, `SHA256withRSA`, `SHA256WithECEncryption` (MID-REST),
/// `SHA256withECDSA`, `ecdsa-with-SHA384`, `rsassa-pss` (with `pss_hash` and `salt_len`, both
/// required). Case, `-` and `_` do not matter.
pub fn parse_signature_algorithm(
    name: &str,
    pss_hash: Option<&str>,
    salt_len: Option<usize>,
) -> Result<SignatureScheme, SchemeError> {
    let params = (pss_hash.is_some() || salt_len.is_some()).then(|| PssParameters {
        hash_algorithm: pss_hash.map(str::to_string),
        salt_length: salt_len,
        ..PssParameters::default()
    });
    parse_signature_scheme(name, params.as_ref())
}

/// A signature algorithm given by name and, for `rsassa-pss`, its parameters as Smart-ID
/// gives them: every one read and checked, none assumed but the two RFC 8017 and Smart-ID fix
/// (MGF1 over the message hash and the trailer `0xbc`, when they are not given).
pub fn parse_signature_scheme(name: &str, params: Option<&PssParameters>) -> Result<SignatureScheme, SchemeError> {
    let named = named_scheme(name)?;
    match (named, params) {
        (Named::Pss, params) => {
            pss_scheme(params.ok_or(SchemeError::Missing("its parameters (hashAlgorithm, saltLength)"))?)
        }
        (_, Some(_)) => Err(SchemeError::UnexpectedParameters(echo(name))),
        (Named::Pkcs1(h), None) => Ok(SignatureScheme::RsaPkcs1(h)),
        (Named::Ecdsa(h), None) => Ok(SignatureScheme::Ecdsa(h)),
    }
}

enum Named {
    Pss,
    Pkcs1(HashAlg),
    Ecdsa(HashAlg),
}

/// The scheme a name gives. The name is compared whole (letters and digits only, any case):
/// `SHA256withRSA/PSS` is not taken for `SHA256withRSA`.
fn named_scheme(name: &str) -> Result<Named, SchemeError> {
    if name.trim().is_empty() {
        return Err(SchemeError::Empty);
    }
    let unknown = || SchemeError::Unknown(echo(name));
    if name.len() > MAX_NAME_BYTES {
        return Err(unknown());
    }
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if ["rsassapss", "idrsassapss", "rsapss", "pss"].contains(&n.as_str()) {
        return Ok(Named::Pss);
    }
    let hash = |h: &str| {
        h.starts_with("sha")
            .then(|| HashAlg::from_name(h))
            .flatten()
            .ok_or_else(unknown)
    };
    const RSA_SUFFIXES: [&str; 2] = ["withrsaencryption", "withrsa"];
    const EC_SUFFIXES: [&str; 3] = ["withecdsa", "withecencryption", "withecdsaencryption"];
    const RSA_PREFIXES: [&str; 2] = ["idrsassapkcs1v15with", "rsa"];
    const EC_PREFIXES: [&str; 3] = ["idecdsawith", "ecdsawith", "ecdsa"];
    if let Some(h) = RSA_SUFFIXES.iter().find_map(|s| n.strip_suffix(s)) {
        return Ok(Named::Pkcs1(hash(h)?));
    }
    if let Some(h) = EC_SUFFIXES.iter().find_map(|s| n.strip_suffix(s)) {
        return Ok(Named::Ecdsa(hash(h)?));
    }
    if let Some(h) = RSA_PREFIXES.iter().find_map(|p| n.strip_prefix(p)) {
        return Ok(Named::Pkcs1(hash(h)?));
    }
    if let Some(h) = EC_PREFIXES.iter().find_map(|p| n.strip_prefix(p)) {
        return Ok(Named::Ecdsa(hash(h)?));
    }
    Err(unknown())
}

/// RSASSA-PSS from its parameters (RFC 8017 9.1, RFC 4055 3.1).
fn pss_scheme(p: &PssParameters) -> Result<SignatureScheme, SchemeError> {
    let hash_name = p
        .hash_algorithm
        .as_deref()
        .ok_or(SchemeError::Missing("hashAlgorithm (the message hash, e.g. SHA-512)"))?;
    let hash = hash_named("hashAlgorithm", hash_name)?;
    let mgf_hash = match &p.mask_gen_algorithm {
        None => hash,
        Some(m) => mgf1_hash(m)?,
    };
    if mgf_hash != hash {
        return Err(SchemeError::MgfHash {
            hash: hash.name(),
            mgf: mgf_hash.name(),
        });
    }
    let salt_len = p.salt_length.ok_or(SchemeError::Missing(
        "saltLength (Smart-ID: the hash length, e.g. 64 for SHA-512)",
    ))?;
    if salt_len > MAX_SALT_LEN {
        return Err(SchemeError::SaltTooLarge(salt_len));
    }
    if let Some(t) = &p.trailer_field {
        if !t.trim().eq_ignore_ascii_case("0xbc") {
            return Err(SchemeError::Trailer(echo(t)));
        }
    }
    Ok(SignatureScheme::RsaPss {
        hash,
        mgf_hash,
        salt_len,
    })
}

fn mgf1_hash(m: &MaskGenAlgorithm) -> Result<HashAlg, SchemeError> {
    let alg = m.algorithm.trim();
    if !["id-mgf1", "mgf1", "1.2.840.113549.1.1.8"]
        .iter()
        .any(|a| alg.eq_ignore_ascii_case(a))
    {
        return Err(SchemeError::Mgf(echo(alg)));
    }
    let name = m
        .parameters
        .as_ref()
        .and_then(|p| p.hash_algorithm.as_deref())
        .ok_or(SchemeError::Missing("maskGenAlgorithm.parameters.hashAlgorithm"))?;
    hash_named("maskGenAlgorithm.parameters.hashAlgorithm", name)
}

fn hash_named(field: &'static str, name: &str) -> Result<HashAlg, SchemeError> {
    HashAlg::from_name(name.trim()).ok_or_else(|| SchemeError::UnknownHash {
        field,
        name: echo(name),
    })
}

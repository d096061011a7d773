//! A bare signature value with the signer's certificate (Smart-ID, Mobiil-ID): one
//! [`SignatureUnderTest`] whose signer is named by the certificate itself.

use std::borrow::Cow;
use std::sync::Arc;

use crate::context::{Content, Meter, VerifyContext};
use crate::crypto::{HashAlg, SignatureScheme};
use crate::formats::x509::Certificate;
use crate::process::{DataObject, SignatureUnderTest, SignedBytes, SignedForm, SignedMessage, SignerRef};
use crate::verdict::{CheckCode, Checks, Format, Report, SubIndication};

/// Verifies a bare signature value: `signature` made with `scheme` by the key of `certificate`
/// (DER or PEM) over `content` (the data, or its digest under the scheme's hash; given as
/// [`Content::Digests`], the digest under the scheme's hash stands for the data). ECDSA values
/// may be DER or raw `r || s`. The certificate's path, validity and key usage are checked as
/// for any signer.
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
    let mut report = Report::empty(Format::Raw, ctx.time.to_rfc3339());
    let cert = match crate::input::one_certificate(certificate) {
        Ok(c) => Arc::new(c),
        Err(e) => return failed(report, format!("signer certificate: {e}")),
    };
    let sut = describe(signature, scheme, cert, content);
    let meter = Meter::new(ctx.budget, ctx.cancel);
    report.signatures = crate::process::validate_signature(&sut, ctx, &meter);
    report.revocation_wanted = meter.take_wanted();
    report.conclude();
    report
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

/// A signature algorithm given by name, as Smart-ID, Mobiil-ID and Java APIs spell them:
/// `sha256WithRSAEncryption`, `SHA256withRSA`, `RSASSA-PSS` (with `pss_hash` and `salt_len`,
/// defaulting to SHA-256 and the hash length), `SHA256withECDSA`, `ecdsa-with-SHA384`, ...
pub fn parse_signature_algorithm(
    name: &str,
    pss_hash: Option<&str>,
    salt_len: Option<usize>,
) -> Result<SignatureScheme, String> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if n == "rsassapss" || n == "pss" {
        let hash = match pss_hash {
            Some(h) => HashAlg::from_name(h).ok_or_else(|| format!("unknown PSS hash {h}"))?,
            None => HashAlg::Sha256,
        };
        let salt_len = salt_len.unwrap_or(hash.output_len());
        if salt_len > 1024 {
            return Err("PSS salt length too large".into());
        }
        return Ok(SignatureScheme::RsaPss {
            hash,
            mgf_hash: hash,
            salt_len,
        });
    }
    let hash = [
        "sha3256", "sha3384", "sha3512", "sha1", "sha224", "sha256", "sha384", "sha512",
    ]
    .into_iter()
    .find(|h| n.contains(h))
    .and_then(HashAlg::from_name)
    .ok_or_else(|| format!("unknown signature algorithm {name}"))?;
    if n.contains("ecdsa") {
        Ok(SignatureScheme::Ecdsa(hash))
    } else if n.contains("rsa") {
        Ok(SignatureScheme::RsaPkcs1(hash))
    } else {
        Err(format!("unknown signature algorithm {name}"))
    }
}

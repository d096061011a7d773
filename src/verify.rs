//! The pipeline: sniff, parse, find the signer, check digest and signature, build a path,
//! apply the policy, give the verdict. Pure: bytes and context in, report out.

use std::sync::Arc;

use crate::chain::{self, Budget, CertPool, ChainContext, LinkCache, TrustStore, VerifiedPath};
use crate::crypto::{CryptoError, HashAlg, Message, SignatureScheme, SignatureVerifier};
use crate::formats::ber::{Fields, Tag, Tlv};
use crate::formats::cms::{self, SignerId, SignerInfo, oid};
use crate::formats::x509::{self, Certificate, key_usage};
use crate::policy::{Policy, RevocationMode};
use crate::time::UnixTime;
use crate::verdict::{
    CertInfo, ChainElement, CheckCode, Checks, Indication, Report, SignatureReport, SubIndication, worst,
};

/// Largest input accepted (bytes).
pub const MAX_INPUT_LEN: usize = 64 * 1024 * 1024;
/// Most signatures (counter-signatures included) verified in one file.
pub const MAX_SIGNATURES: usize = 64;
/// Most signature time-stamps examined per signature.
pub const MAX_TIMESTAMPS: usize = 4;

/// Everything a verification needs besides the input. Built once, shared by every call.
pub struct VerifyContext<'a> {
    /// Trust anchors.
    pub trust: &'a TrustStore,
    /// Untrusted certificates to use as issuers and as signer certificates.
    pub intermediates: &'a CertPool,
    /// Signature mathematics.
    pub verifier: &'a dyn SignatureVerifier,
    /// Algorithm constraints and requirements.
    pub policy: &'a Policy,
    /// The validation time. Required: the core never reads a clock.
    pub time: UnixTime,
    /// Cache of verified certificate links, shared between calls.
    pub cache: Option<&'a LinkCache>,
}

/// The signed content of a detached signature, when the signature does not carry it.
#[derive(Clone, Copy, Debug)]
pub enum Content<'a> {
    /// Not given.
    None,
    /// The content bytes (a file, or a DTBD text as UTF-8).
    Data(&'a [u8]),
    /// Only the digest of the content.
    Digest {
        /// Hash algorithm of `value`.
        alg: HashAlg,
        /// The digest.
        value: &'a [u8],
    },
}

/// Verifies a signature or certificate.
///
/// `input` is a CMS SignedData (DER, BER, PEM or Base64), or an X.509 certificate (DER or PEM).
/// Malformed input gives a TOTAL_FAILED / FORMAT_FAILURE report, never an error or a panic.
///
/// # Security
/// Revocation status is not evaluated (the report says so in a `REVOCATION` check; the policy
/// decides whether that prevents TOTAL_PASSED). Signature time-stamps are checked for their
/// message imprint and signature but not used as proof of existence, and their TSA chain is not
/// validated. Trust anchors are trusted as configured.
pub fn verify(input: &[u8], content: Content<'_>, ctx: &VerifyContext<'_>) -> Report {
    if input.len() > MAX_INPUT_LEN {
        return format_failure(
            ctx,
            format!("input of {} bytes exceeds the limit of {MAX_INPUT_LEN}", input.len()),
        );
    }
    let decoded;
    let mut bytes = input;
    if x509::looks_like_pem(bytes) {
        let text = String::from_utf8_lossy(bytes);
        if text.contains("-----BEGIN CERTIFICATE-----") {
            return match Certificate::from_pem_or_der(bytes) {
                Ok(certs) => match <[Certificate; 1]>::try_from(certs) {
                    Ok([cert]) => verify_certificate(Arc::new(cert), ctx),
                    Err(certs) => format_failure(ctx, format!("PEM holds {} certificates; give one", certs.len())),
                },
                Err(e) => format_failure(ctx, e.to_string()),
            };
        }
        let label = ["PKCS7", "CMS"]
            .into_iter()
            .find(|l| text.contains(&format!("-----BEGIN {l}-----")));
        match label.map(|l| x509::pem_blocks(&text, l)) {
            Some(Ok(blocks)) if blocks.len() == 1 => {
                decoded = blocks.into_iter().next().unwrap_or_default();
                bytes = &decoded;
            }
            _ => {
                return format_failure(
                    ctx,
                    "PEM input is neither one CERTIFICATE nor one PKCS7/CMS block".into(),
                );
            }
        }
    } else if let Some(raw) = base64_body(bytes) {
        decoded = raw;
        bytes = &decoded;
    }
    if cms::looks_like_signed_data(bytes) {
        return verify_cms(bytes, content, ctx);
    }
    if let Some(format) = unsupported_format(bytes) {
        let mut checks = Checks::default();
        checks.not_run(
            CheckCode::FormatSupported,
            Some(SubIndication::FormatNotSupported),
            format!("{format} signatures are not verified by this version"),
        );
        let (indication, sub_indication) = checks.verdict();
        return Report {
            indication,
            sub_indication,
            checks: checks.into_vec(),
            ..empty_report(ctx, format)
        };
    }
    match Certificate::from_der(bytes) {
        Ok(cert) => verify_certificate(Arc::new(cert), ctx),
        Err(_) if bytes.is_empty() => format_failure(ctx, "empty input".into()),
        Err(_) => match Tlv::parse(bytes) {
            Ok((t, _)) if t.tag == Tag::SEQUENCE => match cms::parse_content_info(bytes) {
                Err(e) => format_failure(ctx, format!("not a CMS SignedData or X.509 certificate: {e}")),
                Ok(_) => format_failure(ctx, "unrecognised structure".into()),
            },
            _ => format_failure(
                ctx,
                "not a CMS SignedData or X.509 certificate (not ASN.1 DER/BER)".into(),
            ),
        },
    }
}

/// Formats recognised but not verified yet: XML (XAdES, DDOC) and PDF (PAdES), ZIP (ASiC).
fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(bytes, |i| &bytes[i..]);
    let start = start.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(start);
    if start.starts_with(b"%PDF-") {
        Some("PDF")
    } else if start.starts_with(b"<") {
        Some("XML")
    } else if start.starts_with(b"PK\x03\x04") {
        Some("ZIP")
    } else {
        None
    }
}

/// Decodes input that is entirely Base64 text (as Mobile ID and HTTP APIs carry signatures).
fn base64_body(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    if bytes.len() < 16
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n \t".contains(b))
    {
        return None;
    }
    let compact: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).ok()
}

fn empty_report(ctx: &VerifyContext<'_>, format: &'static str) -> Report {
    Report {
        file: None,
        format,
        indication: Indication::TotalFailed,
        sub_indication: Some(SubIndication::FormatFailure),
        validation_time: ctx.time.to_rfc3339(),
        signatures: Vec::new(),
        certificate: None,
        chain: Vec::new(),
        checks: Vec::new(),
    }
}

fn format_failure(ctx: &VerifyContext<'_>, detail: String) -> Report {
    let mut checks = Checks::default();
    checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, detail);
    Report {
        checks: checks.into_vec(),
        ..empty_report(ctx, "UNKNOWN")
    }
}

fn chain_context<'a>(ctx: &'a VerifyContext<'a>) -> ChainContext<'a> {
    ChainContext {
        trust: ctx.trust,
        intermediates: ctx.intermediates,
        verifier: ctx.verifier,
        policy: ctx.policy,
        time: ctx.time,
        cache: ctx.cache,
        budget: Budget::default(),
    }
}

/// Certificate details for a report.
pub fn cert_info(c: &Certificate) -> CertInfo {
    CertInfo {
        subject: c.subject_string().to_string(),
        issuer: c.issuer_string().to_string(),
        serial_number: c.serial_hex(),
        not_before: c.not_before.to_rfc3339(),
        not_after: c.not_after.to_rfc3339(),
        key_algorithm: c.public_key.algorithm_name(),
        key_size: c.public_key.bits(),
        common_name: c.subject_attribute("2.5.4.3"),
        subject_serial_number: c.subject_attribute("2.5.4.5"),
        sha256: c.sha256_hex(),
    }
}

fn chain_elements(path: &VerifiedPath) -> Vec<ChainElement> {
    let n = path.certs().len();
    path.certs()
        .iter()
        .enumerate()
        .map(|(i, c)| ChainElement {
            subject: c.subject_string().to_string(),
            sha256: c.sha256_hex(),
            not_after: c.not_after.to_rfc3339(),
            trust_anchor: i + 1 == n,
        })
        .collect()
}

/// Path, end-entity and policy checks shared by signers and bare certificates.
fn check_certificate(
    cert: &Arc<Certificate>,
    bag: &[Arc<Certificate>],
    for_signing: bool,
    ctx: &VerifyContext<'_>,
    checks: &mut Checks,
) -> Vec<ChainElement> {
    let chain_ctx = chain_context(ctx);
    let chain = match chain::build_path(cert, bag, &chain_ctx) {
        Ok(path) => {
            let anchor = path.anchor().subject_string();
            checks.pass(
                CheckCode::ChainBuilt,
                format!("{} certificate(s) to trust anchor '{anchor}'", path.certs().len()),
            );
            chain_elements(&path)
        }
        Err(e) => {
            checks.fail(CheckCode::ChainBuilt, e.sub_indication(), e.to_string());
            Vec::new()
        }
    };
    check_end_entity(cert, ctx.time, for_signing, checks);
    match ctx.policy.revocation {
        RevocationMode::NotEvaluated => checks.not_run(
            CheckCode::Revocation,
            None,
            format!(
                "revocation status not evaluated (policy '{}' does not require it)",
                ctx.policy.name
            ),
        ),
        RevocationMode::Required => checks.not_run(
            CheckCode::Revocation,
            Some(SubIndication::TryLater),
            "revocation status required by the policy but not evaluated",
        ),
    }
    chain
}

/// RFC 5280 checks on the end entity: validity at `time` (4.1.2.5), keyUsage for signing
/// (4.2.1.3, when `for_signing`), and critical extensions (4.2).
fn check_end_entity(cert: &Certificate, time: UnixTime, for_signing: bool, checks: &mut Checks) {
    let period = format!("valid {} to {}", cert.not_before, cert.not_after);
    if time < cert.not_before {
        checks.fail(
            CheckCode::CertificateValidity,
            SubIndication::NotYetValid,
            format!("not yet valid at {time} ({period})"),
        );
    } else if time > cert.not_after {
        checks.fail(
            CheckCode::CertificateValidity,
            SubIndication::OutOfBoundsNoPoe,
            format!("expired at {time} ({period})"),
        );
    } else {
        checks.pass(
            CheckCode::CertificateValidity,
            format!("{period}, validation time {time}"),
        );
    }
    if for_signing {
        match cert.key_usage {
            Some(ku) if ku & (key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION) == 0 => checks.fail(
                CheckCode::KeyUsage,
                SubIndication::ChainConstraintsFailure,
                format!("keyUsage {ku:#06x} allows neither digitalSignature nor nonRepudiation"),
            ),
            Some(_) => checks.pass(CheckCode::KeyUsage, "keyUsage allows signing"),
            None => checks.pass(CheckCode::KeyUsage, "no keyUsage extension (any use)"),
        }
    }
    if cert.unknown_critical.is_empty() {
        checks.pass(CheckCode::CriticalExtensions, "no unsupported critical extension");
    } else {
        checks.fail(
            CheckCode::CriticalExtensions,
            SubIndication::ChainConstraintsFailure,
            format!("unsupported critical extension(s) {}", cert.unknown_critical.join(", ")),
        );
    }
}

fn verify_certificate(cert: Arc<Certificate>, ctx: &VerifyContext<'_>) -> Report {
    let mut checks = Checks::default();
    checks.pass(CheckCode::FormatParsed, "X.509 certificate");
    match ctx.policy.check_key(&cert.public_key, ctx.time) {
        Ok(()) => checks.pass(
            CheckCode::CryptoPolicy,
            format!(
                "{}-{} key accepted",
                cert.public_key.algorithm_name(),
                cert.public_key.bits()
            ),
        ),
        Err(v) => checks.fail(CheckCode::CryptoPolicy, v.sub, v.detail),
    }
    let chain = check_certificate(&cert, &[], false, ctx, &mut checks);
    let (indication, sub_indication) = checks.verdict();
    Report {
        indication,
        sub_indication,
        certificate: Some(cert_info(&cert)),
        chain,
        checks: checks.into_vec(),
        ..empty_report(ctx, "X509_CERTIFICATE")
    }
}

fn verify_cms(bytes: &[u8], content: Content<'_>, ctx: &VerifyContext<'_>) -> Report {
    let sd = match cms::parse_content_info(bytes) {
        Ok(sd) => sd,
        Err(e) => {
            let mut r = format_failure(ctx, format!("CMS SignedData: {e}"));
            r.format = "CMS";
            return r;
        }
    };
    let mut file_checks = Checks::default();
    file_checks.pass(
        CheckCode::FormatParsed,
        format!(
            "CMS SignedData, {} signer(s), {} certificate(s), {} CRL(s), content {}",
            sd.signer_infos.len(),
            sd.certificates.len(),
            sd.crl_count,
            if sd.econtent.is_some() { "attached" } else { "detached" }
        ),
    );
    let mut bag = Vec::new();
    for der in &sd.certificates {
        match parse_certificate(der, ctx) {
            Ok(c) => bag.push(c),
            Err(e) => file_checks.warn(
                CheckCode::FormatParsed,
                format!("a certificate in the SignedData is skipped: {e}"),
            ),
        }
    }
    // digestAlgorithms is an unsigned hint for one-pass processing (RFC 5652 5.1): it must be
    // well-formed; a signer's algorithm missing from it is reported, not fatal.
    let listed: Vec<Option<HashAlg>> = sd
        .digest_algorithms
        .iter()
        .map(|d| HashAlg::from_algorithm_identifier(d).ok())
        .collect();
    if sd
        .digest_algorithms
        .iter()
        .any(|d| crate::crypto::alg::split_algorithm_identifier(d).is_err())
    {
        file_checks.fail(
            CheckCode::FormatParsed,
            SubIndication::FormatFailure,
            "malformed digestAlgorithms entry",
        );
    }
    for si in &sd.signer_infos {
        if let Ok(d) = HashAlg::from_algorithm_identifier(si.digest_algorithm) {
            if !listed.contains(&Some(d)) {
                file_checks.warn(
                    CheckCode::FormatParsed,
                    format!(
                        "the signer's digest algorithm {} is not listed in digestAlgorithms",
                        d.name()
                    ),
                );
            }
        }
    }
    if sd.signer_infos.is_empty() {
        file_checks.fail(
            CheckCode::SignaturePresent,
            SubIndication::FormatFailure,
            "the SignedData holds no SignerInfo",
        );
    } else {
        file_checks.pass(
            CheckCode::SignaturePresent,
            format!("{} signature(s)", sd.signer_infos.len()),
        );
    }
    // A detached content given for a signature that carries its own must be that content:
    // the signature is then checked against what the caller says was signed (a DTBD, a hash).
    let effective = match (&sd.econtent, content) {
        (Some(attached), Content::None) => Content::Data(attached),
        (Some(attached), given) => {
            let same = match given {
                Content::Data(g) => g == &attached[..],
                Content::Digest { alg, value } => alg.digest(attached) == value,
                Content::None => true,
            };
            if same {
                file_checks.pass(
                    CheckCode::SignedDataFound,
                    "the given content equals the content the signature carries",
                );
            } else {
                file_checks.fail(
                    CheckCode::MessageDigestMatch,
                    SubIndication::HashFailure,
                    "the given content differs from the content the signature carries",
                );
            }
            given
        }
        (None, given) => given,
    };
    let mut signatures = Vec::new();
    for (i, si) in sd.signer_infos.iter().enumerate() {
        verify_signer(
            si,
            Some(sd.econtent_type),
            effective,
            &bag,
            ctx,
            format!("S{i}"),
            None,
            0,
            &mut signatures,
        );
    }
    let (fi, fs) = file_checks.verdict();
    let file_failed = file_checks.any_failed();
    let (indication, sub_indication) = worst(
        signatures
            .iter()
            .map(|s| (s.indication, s.sub_indication))
            .chain(file_failed.then_some((fi, fs))),
    )
    .unwrap_or((Indication::TotalFailed, Some(SubIndication::FormatFailure)));
    Report {
        indication,
        sub_indication,
        signatures,
        checks: file_checks.into_vec(),
        ..empty_report(ctx, "CMS")
    }
}

/// Parses a certificate, through the context's cache when there is one.
fn parse_certificate(der: &[u8], ctx: &VerifyContext<'_>) -> Result<Arc<Certificate>, x509::CertError> {
    match ctx.cache {
        Some(cache) => cache.certificate(der),
        None => Certificate::from_der(der).map(Arc::new),
    }
}

/// Candidate signer certificates for `sid`: from the SignedData, the configured
/// intermediates, and the trust anchors.
fn signer_candidates(sid: &SignerId<'_>, bag: &[Arc<Certificate>], ctx: &VerifyContext<'_>) -> Vec<Arc<Certificate>> {
    let issuer_key = match sid {
        SignerId::IssuerSerial { issuer, .. } => x509::name_key(issuer),
        SignerId::SubjectKeyId(_) => Vec::new(),
    };
    let matches = |c: &Certificate| match sid {
        SignerId::IssuerSerial { serial, .. } => c.serial() == *serial && c.issuer_key == issuer_key,
        SignerId::SubjectKeyId(ski) => c.subject_key_id.as_deref() == Some(*ski),
    };
    let mut out: Vec<Arc<Certificate>> = Vec::new();
    for c in bag.iter().chain(ctx.intermediates.certs()).chain(ctx.trust.certs()) {
        if matches(c) && !out.iter().any(|o| o.sha256 == c.sha256) {
            out.push(c.clone());
        }
    }
    out
}

/// The single value of a signed attribute that must occur exactly once (RFC 5652 5.3, 11).
fn single_value<'a>(si: &SignerInfo<'a>, o: &const_oid::ObjectIdentifier) -> Result<Option<Tlv<'a>>, String> {
    let attrs = si.signed(o);
    match attrs.as_slice() {
        [] => Ok(None),
        [a] if a.values.len() == 1 => Ok(Some(a.values[0])),
        [_] => Err(format!("attribute {o} has several values")),
        _ => Err(format!("attribute {o} occurs more than once")),
    }
}

#[allow(clippy::too_many_arguments)]
fn verify_signer(
    si: &SignerInfo<'_>,
    econtent_type: Option<&[u8]>,
    content: Content<'_>,
    bag: &[Arc<Certificate>],
    ctx: &VerifyContext<'_>,
    id: String,
    parent: Option<String>,
    depth: usize,
    out: &mut Vec<SignatureReport>,
) {
    let mut checks = Checks::default();
    let mut report = SignatureReport {
        id: id.clone(),
        counter_signature_of: parent,
        indication: Indication::TotalFailed,
        sub_indication: None,
        signer: None,
        signing_time: None,
        digest_algorithm: None,
        signature_algorithm: None,
        chain: Vec::new(),
        checks: Vec::new(),
    };
    let counter_position = out.len();
    out.push(report.clone());

    // Algorithms.
    let digest_alg = HashAlg::from_algorithm_identifier(si.digest_algorithm);
    let scheme = digest_alg
        .as_ref()
        .ok()
        .map(|d| SignatureScheme::from_algorithm_identifier(si.signature_algorithm, Some(*d)));
    let (digest_alg, scheme) = match (digest_alg, scheme) {
        (Ok(d), Some(Ok(s))) => {
            checks.pass(
                CheckCode::AlgorithmSupported,
                format!("digest {}, signature {}", d.name(), s.name()),
            );
            report.digest_algorithm = Some(d.name().into());
            report.signature_algorithm = Some(s.name());
            (Some(d), Some(s))
        }
        (Err(e), _) | (_, Some(Err(e))) => {
            let sub = match e {
                crate::crypto::AlgError::Malformed => SubIndication::FormatFailure,
                _ => SubIndication::CryptoConstraintsFailure,
            };
            checks.fail(CheckCode::AlgorithmSupported, sub, e.to_string());
            (None, None)
        }
        (Ok(_), None) => (None, None),
    };

    // Signed attributes.
    let mut message_digest: Option<Vec<u8>> = None;
    let mut attrs_ok = true;
    if si.signed_attrs_raw.is_some() {
        let ct = single_value(si, &oid::CONTENT_TYPE);
        let md = single_value(si, &oid::MESSAGE_DIGEST);
        let st = single_value(si, &oid::SIGNING_TIME);
        match (&ct, &md, &st) {
            (Ok(_), Ok(Some(m)), Ok(_)) if m.tag == Tag::OCTET_STRING => {
                message_digest = Some(m.value.to_vec());
            }
            _ => attrs_ok = false,
        }
        match (econtent_type, ct) {
            (Some(ect), Ok(Some(v))) if v.tag == Tag::OID && v.value == ect => {
                checks.pass(CheckCode::ContentTypeMatch, "contentType attribute equals eContentType")
            }
            (Some(_), Ok(Some(_))) => checks.fail(
                CheckCode::ContentTypeMatch,
                SubIndication::FormatFailure,
                "contentType attribute differs from eContentType",
            ),
            (Some(_), _) => attrs_ok = false,
            // RFC 5652 11.1: a countersignature carries no contentType attribute.
            (None, Ok(None)) => {}
            (None, _) => checks.fail(
                CheckCode::ContentTypeMatch,
                SubIndication::FormatFailure,
                "a counter-signature must not carry a contentType attribute",
            ),
        }
        if let Ok(Some(t)) = st {
            report.signing_time = parse_any_time(&t).map(|t| t.to_rfc3339());
        }
        if attrs_ok {
            checks.pass(
                CheckCode::SignedAttributesWellFormed,
                format!("{} signed attribute(s)", si.signed_attrs.len()),
            );
        } else {
            checks.fail(
                CheckCode::SignedAttributesWellFormed,
                SubIndication::FormatFailure,
                "signed attributes must hold exactly one contentType and one messageDigest (RFC 5652 5.3) and at most one signingTime",
            );
        }
    } else if econtent_type.is_some_and(|t| t != oid::DATA.as_bytes()) {
        checks.fail(
            CheckCode::SignedAttributesWellFormed,
            SubIndication::FormatFailure,
            "signed attributes are required when the content type is not id-data (RFC 5652 5.3)",
        );
    }

    // Content digest.
    let mut signature_message: Option<Vec<u8>> = None; // for signatures without signed attributes
    let mut prehashed = false;
    if let Some(d) = digest_alg {
        let content_digest: Option<Vec<u8>> = match content {
            Content::Data(data) => Some(d.digest(data)),
            Content::Digest { alg, value } if alg == d => Some(value.to_vec()),
            Content::Digest { alg, .. } => {
                checks.not_run(
                    CheckCode::SignedDataFound,
                    Some(SubIndication::SignedDataNotFound),
                    format!("the given hash is {} but the signature uses {}", alg.name(), d.name()),
                );
                None
            }
            Content::None => {
                checks.not_run(
                    CheckCode::SignedDataFound,
                    Some(SubIndication::SignedDataNotFound),
                    "detached signature: the signed content was not given",
                );
                None
            }
        };
        if content_digest.is_some() {
            checks.pass(
                CheckCode::SignedDataFound,
                match content {
                    Content::Digest { .. } => "content given as its digest",
                    _ => "content available",
                },
            );
        }
        match (&message_digest, &content_digest) {
            (Some(md), Some(cd)) if md == cd => checks.pass(
                CheckCode::MessageDigestMatch,
                format!("messageDigest matches the {} of the content", d.name()),
            ),
            (Some(_), Some(_)) => checks.fail(
                CheckCode::MessageDigestMatch,
                SubIndication::HashFailure,
                format!("messageDigest differs from the {} of the content", d.name()),
            ),
            (None, Some(cd)) if si.signed_attrs_raw.is_none() => {
                // No signed attributes: the signature is over the content itself.
                match content {
                    Content::Data(data) => signature_message = Some(data.to_vec()),
                    _ => {
                        signature_message = Some(cd.clone());
                        prehashed = true;
                    }
                }
            }
            _ => {}
        }
    }

    // cmsAlgorithmProtection (RFC 6211).
    if let (Some(d), Some(s)) = (digest_alg, &scheme) {
        match single_value(si, &oid::CMS_ALGORITHM_PROTECTION) {
            Ok(Some(v)) => match check_algorithm_protection(&v, d, s) {
                Ok(()) => checks.pass(
                    CheckCode::AlgorithmProtection,
                    "cmsAlgorithmProtection names the algorithms used",
                ),
                Err(e) => checks.fail(CheckCode::AlgorithmProtection, SubIndication::FormatFailure, e),
            },
            Ok(None) => {}
            Err(e) => checks.fail(CheckCode::AlgorithmProtection, SubIndication::FormatFailure, e),
        }
    }

    // Signer certificate, signature value, ESS reference.
    let candidates = signer_candidates(&si.sid, bag, ctx);
    let mut signer: Option<Arc<Certificate>> = None;
    if candidates.is_empty() {
        checks.fail(
            CheckCode::SigningCertificateFound,
            SubIndication::NoSigningCertificateFound,
            "no certificate in the signature or the configured certificates matches the signer identifier",
        );
    } else if let Some(s) = &scheme {
        let signed_attrs_bytes = si.signed_attrs_raw.as_ref().map(|t| t.retagged(0x31));
        let message = match (&signed_attrs_bytes, &signature_message) {
            (Some(a), _) => Some(Message::Data(a)),
            (None, Some(m)) if prehashed => Some(Message::Digest(m)),
            (None, Some(m)) => Some(Message::Data(m)),
            (None, None) => None,
        };
        let mut last_err = None;
        for cand in &candidates {
            let Some(message) = message else { break };
            match ctx.verifier.verify(&cand.public_key, s, message, &si.signature) {
                Ok(()) => {
                    signer = Some(cand.clone());
                    break;
                }
                Err(e) => {
                    // Signed attributes not in DER order: the signer may have signed the DER form.
                    if let (Some(raw), CryptoError::BadSignature) = (&si.signed_attrs_raw, &e) {
                        if !cms::is_der_sorted(raw) {
                            let sorted = cms::der_sorted_set(raw);
                            if ctx
                                .verifier
                                .verify(&cand.public_key, s, Message::Data(&sorted), &si.signature)
                                .is_ok()
                            {
                                checks.warn(
                                    CheckCode::SignedAttributesDerOrder,
                                    "signed attributes are not in DER order; the signature covers their DER encoding",
                                );
                                signer = Some(cand.clone());
                                break;
                            }
                        }
                    }
                    last_err = Some(e);
                }
            }
        }
        let shown = signer.clone().or_else(|| candidates.first().cloned());
        if let Some(c) = &shown {
            report.signer = Some(cert_info(c));
            checks.pass(CheckCode::SigningCertificateFound, format!("'{}'", c.subject_string()));
        }
        match (&signer, message, last_err) {
            (Some(_), _, _) => {
                checks.pass(CheckCode::SignatureValue, format!("{} signature verifies", s.name()));
                if let Some(raw) = &si.signed_attrs_raw {
                    if cms::is_der_sorted(raw) {
                        checks.pass(CheckCode::SignedAttributesDerOrder, "signed attributes in DER order");
                    } else if !checks_has_code(&checks, CheckCode::SignedAttributesDerOrder) {
                        checks.warn(
                            CheckCode::SignedAttributesDerOrder,
                            "signed attributes are not in DER order; the signature covers them as encoded",
                        );
                    }
                }
            }
            (None, None, _) => checks.not_run(
                CheckCode::SignatureValue,
                Some(SubIndication::SignedDataNotFound),
                "the signature is over the content itself, which was not given",
            ),
            (None, Some(_), Some(CryptoError::Unsupported(d))) => {
                checks.fail(CheckCode::SignatureValue, SubIndication::CryptoConstraintsFailure, d)
            }
            (None, Some(_), _) => checks.fail(
                CheckCode::SignatureValue,
                SubIndication::SigCryptoFailure,
                format!(
                    "{} signature does not verify with the key of the signer certificate",
                    s.name()
                ),
            ),
        }
    } else {
        checks.not_run(CheckCode::SignatureValue, None, "signature algorithm not usable");
    }

    let subject_cert = signer.clone().or_else(|| candidates.first().cloned());
    if let Some(cert) = &subject_cert {
        check_ess_reference(si, cert, &mut checks);
        // Policy.
        let mut violations = Vec::new();
        if let Some(d) = digest_alg {
            violations.extend(ctx.policy.check_digest(d, ctx.time).err());
        }
        if let Some(s) = &scheme {
            if Some(s.hash()) != digest_alg {
                violations.extend(ctx.policy.check_digest(s.hash(), ctx.time).err());
            }
        }
        violations.extend(ctx.policy.check_key(&cert.public_key, ctx.time).err());
        match violations.into_iter().min_by_key(|v| v.sub) {
            None => checks.pass(
                CheckCode::CryptoPolicy,
                format!("algorithms accepted by policy '{}'", ctx.policy.name),
            ),
            Some(v) => checks.fail(CheckCode::CryptoPolicy, v.sub, v.detail),
        }
        report.chain = check_certificate(cert, bag, true, ctx, &mut checks);
    }

    // Unsigned attributes: time-stamps and counter-signatures, both bounded in number.
    let tsts: Vec<_> = si
        .unsigned(&oid::SIGNATURE_TIME_STAMP)
        .iter()
        .flat_map(|a| a.values.iter())
        .collect();
    if tsts.len() > MAX_TIMESTAMPS {
        checks.fail(
            CheckCode::TimestampImprint,
            SubIndication::FormatFailure,
            format!(
                "{} signature time-stamps; at most {MAX_TIMESTAMPS} are examined",
                tsts.len()
            ),
        );
    }
    for tst in tsts.into_iter().take(MAX_TIMESTAMPS) {
        check_timestamp(tst, &si.signature, ctx, &mut checks);
    }
    let counters: Vec<_> = si
        .unsigned(&oid::COUNTER_SIGNATURE)
        .iter()
        .flat_map(|a| a.values.clone())
        .collect();
    if !counters.is_empty() {
        checks.info(
            CheckCode::CounterSignatures,
            format!("{} counter-signature(s), reported as {id}-C*", counters.len()),
        );
    }
    report.checks = checks.into_vec();
    let verdict = Checks::verdict_of(&report.checks);
    report.indication = verdict.0;
    report.sub_indication = verdict.1;
    out[counter_position] = report;

    for (j, cs) in counters.iter().enumerate() {
        let cid = format!("{id}-C{j}");
        if out.len() >= MAX_SIGNATURES {
            let mut c = Checks::default();
            c.not_run(
                CheckCode::FormatParsed,
                Some(SubIndication::FormatFailure),
                format!("more than {MAX_SIGNATURES} signatures and counter-signatures in one file"),
            );
            out.push(bare_signature_report(cid, &id, c));
            break;
        }
        if depth >= cms::MAX_COUNTER_SIGNATURE_DEPTH {
            let mut c = Checks::default();
            c.not_run(
                CheckCode::FormatParsed,
                Some(SubIndication::FormatFailure),
                "counter-signatures nested too deeply",
            );
            out.push(bare_signature_report(cid, &id, c));
            continue;
        }
        match cms::parse_signer_info(cs) {
            Ok(csi) => verify_signer(
                &csi,
                None,
                Content::Data(&si.signature),
                bag,
                ctx,
                cid,
                Some(id.clone()),
                depth + 1,
                out,
            ),
            Err(e) => {
                let mut c = Checks::default();
                c.fail(
                    CheckCode::FormatParsed,
                    SubIndication::FormatFailure,
                    format!("counter-signature: {e}"),
                );
                out.push(bare_signature_report(cid, &id, c));
            }
        }
    }
}

fn checks_has_code(checks: &Checks, code: CheckCode) -> bool {
    checks.codes().any(|c| c == code)
}

fn bare_signature_report(id: String, parent: &str, checks: Checks) -> SignatureReport {
    let (indication, sub_indication) = checks.verdict();
    SignatureReport {
        id,
        counter_signature_of: Some(parent.to_string()),
        indication,
        sub_indication,
        signer: None,
        signing_time: None,
        digest_algorithm: None,
        signature_algorithm: None,
        chain: Vec::new(),
        checks: checks.into_vec(),
    }
}

/// ESS signing-certificate-v2 (RFC 5035) or signing-certificate (RFC 2634 5.4): the first
/// ESSCertID must name the signer's certificate.
fn check_ess_reference(si: &SignerInfo<'_>, cert: &Certificate, checks: &mut Checks) {
    let (value, v2) = match (
        single_value(si, &oid::SIGNING_CERTIFICATE_V2),
        single_value(si, &oid::SIGNING_CERTIFICATE),
    ) {
        (Ok(Some(v)), _) => (v, true),
        (Ok(None), Ok(Some(v))) => (v, false),
        (Ok(None), Ok(None)) => return,
        _ => {
            checks.fail(
                CheckCode::SigningCertificateReference,
                SubIndication::FormatFailure,
                "signing-certificate attribute occurs more than once",
            );
            return;
        }
    };
    let result = (|| -> Result<bool, &'static str> {
        let mut f = Fields::new(&value).map_err(|_| "malformed")?;
        let certs = f.next(Tag::SEQUENCE).map_err(|_| "malformed")?;
        let first = certs
            .children()
            .next()
            .ok_or("no ESSCertID")?
            .map_err(|_| "malformed")?;
        let mut c = Fields::new(&first).map_err(|_| "malformed")?;
        let alg = if v2 {
            match c.optional(Tag::SEQUENCE).map_err(|_| "malformed")? {
                Some(a) => HashAlg::from_algorithm_identifier(a.raw).map_err(|_| "unsupported hash")?,
                None => HashAlg::Sha256,
            }
        } else {
            HashAlg::Sha1
        };
        let hash = c.next(Tag::OCTET_STRING).map_err(|_| "malformed")?;
        let mut ok = alg.digest(cert.der()) == hash.value;
        if let Some(issuer_serial) = c.optional(Tag::SEQUENCE).map_err(|_| "malformed")? {
            let mut is = Fields::new(&issuer_serial).map_err(|_| "malformed")?;
            let _names = is.next(Tag::SEQUENCE).map_err(|_| "malformed")?;
            let serial = is.next(Tag::INTEGER).map_err(|_| "malformed")?;
            ok &= serial.value == cert.serial();
        }
        Ok(ok)
    })();
    let name = if v2 {
        "signing-certificate-v2"
    } else {
        "signing-certificate"
    };
    match result {
        Ok(true) => checks.pass(
            CheckCode::SigningCertificateReference,
            format!("{name} names the signer certificate"),
        ),
        Ok(false) => checks.fail(
            CheckCode::SigningCertificateReference,
            SubIndication::NoSigningCertificateFound,
            format!("{name} names another certificate than the one that verifies the signature"),
        ),
        Err(e) => checks.fail(
            CheckCode::SigningCertificateReference,
            SubIndication::FormatFailure,
            format!("{name}: {e}"),
        ),
    }
}

/// `CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, signatureAlgorithm [1] IMPLICIT
/// OPTIONAL, macAlgorithm [2] IMPLICIT OPTIONAL }` must name the algorithms actually used.
fn check_algorithm_protection(v: &Tlv<'_>, digest: HashAlg, scheme: &SignatureScheme) -> Result<(), String> {
    let mut f = Fields::new(v).map_err(|_| "malformed cmsAlgorithmProtection".to_string())?;
    let d = f
        .next(Tag::SEQUENCE)
        .map_err(|_| "malformed cmsAlgorithmProtection".to_string())?;
    if HashAlg::from_algorithm_identifier(d.raw).ok() != Some(digest) {
        return Err("cmsAlgorithmProtection digest algorithm differs from the one used".into());
    }
    match f
        .optional(Tag::context(1, true))
        .map_err(|_| "malformed cmsAlgorithmProtection".to_string())?
    {
        Some(s) => {
            let seq = crate::formats::ber::encode(0x30, s.value);
            match SignatureScheme::from_algorithm_identifier(&seq, Some(digest)) {
                Ok(p) if &p == scheme => Ok(()),
                _ => Err("cmsAlgorithmProtection signature algorithm differs from the one used".into()),
            }
        }
        None => Err("cmsAlgorithmProtection without signatureAlgorithm".into()),
    }
}

/// RFC 3161 signature time-stamp: the token's message imprint must be the digest of this
/// signature value, and the token's own signature must verify.
fn check_timestamp(token: &Tlv<'_>, signature: &[u8], ctx: &VerifyContext<'_>, checks: &mut Checks) {
    let fail = |checks: &mut Checks, e: cms::CmsError| {
        checks.fail(
            CheckCode::TimestampImprint,
            SubIndication::FormatFailure,
            format!("time-stamp token: {e}"),
        )
    };
    let sd = match cms::parse_content_info(token.raw) {
        Ok(sd) => sd,
        Err(e) => return fail(checks, e),
    };
    let tst = match (&sd.econtent, sd.econtent_type == oid::TST_INFO.as_bytes()) {
        (Some(c), true) => cms::parse_tst_info(c),
        _ => Err(cms::CmsError::Structure("time-stamp token does not hold a TSTInfo")),
    };
    let tst = match tst {
        Ok(t) => t,
        Err(e) => return fail(checks, e),
    };
    match HashAlg::from_algorithm_identifier(tst.imprint_algorithm) {
        Ok(h) if h.digest(signature) == tst.imprint => checks.pass(
            CheckCode::TimestampImprint,
            format!(
                "time-stamp of {} covers this signature value (not used as proof of existence)",
                tst.gen_time
            ),
        ),
        Ok(_) => checks.fail(
            CheckCode::TimestampImprint,
            SubIndication::HashFailure,
            "the time-stamp's message imprint does not match this signature value",
        ),
        Err(e) => checks.fail(
            CheckCode::TimestampImprint,
            SubIndication::CryptoConstraintsFailure,
            format!("time-stamp imprint: {e}"),
        ),
    }
    // The token's own signature (mathematics only; the TSA's chain is not validated here).
    let mut bag = Vec::new();
    for der in &sd.certificates {
        if let Ok(c) = parse_certificate(der, ctx) {
            bag.push(c);
        }
    }
    let Some(tsi) = sd.signer_infos.first() else {
        checks.fail(
            CheckCode::TimestampSignature,
            SubIndication::FormatFailure,
            "time-stamp token without signer",
        );
        return;
    };
    let content = sd.econtent.as_deref().unwrap_or_default();
    let ok = (|| {
        let d = HashAlg::from_algorithm_identifier(tsi.digest_algorithm).ok()?;
        let s = SignatureScheme::from_algorithm_identifier(tsi.signature_algorithm, Some(d)).ok()?;
        let raw = tsi.signed_attrs_raw.as_ref()?;
        let md = single_value(tsi, &oid::MESSAGE_DIGEST).ok()??;
        if md.value != d.digest(content).as_slice() {
            return Some(false);
        }
        let attrs = raw.retagged(0x31);
        let certs = signer_candidates(&tsi.sid, &bag, ctx);
        Some(certs.iter().any(|c| {
            ctx.verifier
                .verify(&c.public_key, &s, Message::Data(&attrs), &tsi.signature)
                .is_ok()
        }))
    })();
    match ok {
        Some(true) => checks.pass(
            CheckCode::TimestampSignature,
            "the time-stamp token's signature verifies (TSA chain not validated)",
        ),
        Some(false) => checks.fail(
            CheckCode::TimestampSignature,
            SubIndication::SigCryptoFailure,
            "the time-stamp token's signature does not verify",
        ),
        None => checks.not_run(
            CheckCode::TimestampSignature,
            None,
            "the time-stamp token's signature could not be checked",
        ),
    }
}

fn parse_any_time(t: &Tlv<'_>) -> Option<UnixTime> {
    let s = std::str::from_utf8(t.value).ok()?;
    let (y, rest) = match (t.tag, s.len()) {
        (Tag::UTC_TIME, 13) => {
            let yy: i64 = s.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        (Tag::GENERALIZED_TIME, n) if n >= 15 => (s.get(..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let n = |a: usize| -> Option<i64> { rest.get(a..a + 2)?.parse().ok() };
    UnixTime::from_parts(y, n(0)?, n(2)?, n(4)?, n(6)?, n(8)?)
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
    let hash = ["sha1", "sha224", "sha256", "sha384", "sha512"]
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

/// An ECDSA signature as DER `{r, s}`: DER input is kept, raw `r || s` (IEEE P1363, as
/// Smart-ID, Mobiil-ID and XML-DSig give it) is converted.
fn ecdsa_signature_der(sig: &[u8], key: &crate::crypto::PublicKey) -> Vec<u8> {
    use crate::crypto::{Curve, PublicKey};
    let field = match key {
        PublicKey::Ec { curve: Curve::P256, .. } => 32,
        PublicKey::Ec { curve: Curve::P384, .. } => 48,
        PublicKey::Ec { curve: Curve::P521, .. } => 66,
        _ => return sig.to_vec(),
    };
    let is_der = Tlv::parse_exact(sig).is_ok_and(|t| t.tag == Tag::SEQUENCE);
    if is_der || sig.len() != 2 * field {
        return sig.to_vec();
    }
    let int = |v: &[u8]| {
        let v = &v[v.iter().take_while(|b| **b == 0).count().min(v.len() - 1)..];
        let mut c = Vec::with_capacity(v.len() + 1);
        if v[0] & 0x80 != 0 {
            c.push(0);
        }
        c.extend_from_slice(v);
        crate::formats::ber::encode(0x02, &c)
    };
    let (r, s) = sig.split_at(field);
    crate::formats::ber::encode(0x30, &[int(r), int(s)].concat())
}

/// Verifies a bare signature value (Smart-ID, Mobiil-ID authentication): `signature` made with
/// `scheme` by the key of `certificate` (DER or PEM) over `content` (the data, or its digest
/// under the scheme's hash). The certificate's path, validity and key usage are checked as for
/// any signer.
///
/// # Security
/// As for [`verify`]: revocation is not evaluated. The caller must make sure `content` is what
/// the user was asked to sign (for authentication: the challenge it generated).
pub fn verify_raw(
    signature: &[u8],
    scheme: &SignatureScheme,
    certificate: &[u8],
    content: Content<'_>,
    ctx: &VerifyContext<'_>,
) -> Report {
    let cert = match Certificate::from_pem_or_der(certificate) {
        Ok(certs) => match <[Certificate; 1]>::try_from(certs) {
            Ok([c]) => Arc::new(c),
            Err(v) => return format_failure(ctx, format!("{} certificates given; give the signer's only", v.len())),
        },
        Err(e) => return format_failure(ctx, format!("signer certificate: {e}")),
    };
    let mut checks = Checks::default();
    checks.pass(
        CheckCode::FormatParsed,
        format!("raw signature value of {} bytes", signature.len()),
    );
    checks.pass(CheckCode::AlgorithmSupported, scheme.name());
    let message = match content {
        Content::Data(d) => Some(Message::Data(d)),
        Content::Digest { alg, value } if alg == scheme.hash() => Some(Message::Digest(value)),
        Content::Digest { alg, .. } => {
            checks.not_run(
                CheckCode::SignedDataFound,
                Some(SubIndication::SignedDataNotFound),
                format!(
                    "the given hash is {} but the signature algorithm uses {}",
                    alg.name(),
                    scheme.hash().name()
                ),
            );
            None
        }
        Content::None => {
            checks.not_run(
                CheckCode::SignedDataFound,
                Some(SubIndication::SignedDataNotFound),
                "no data or hash given",
            );
            None
        }
    };
    if let Some(m) = message {
        checks.pass(CheckCode::SignedDataFound, "signed data given");
        let sig = match scheme {
            SignatureScheme::Ecdsa(_) => ecdsa_signature_der(signature, &cert.public_key),
            _ => signature.to_vec(),
        };
        match ctx.verifier.verify(&cert.public_key, scheme, m, &sig) {
            Ok(()) => checks.pass(
                CheckCode::SignatureValue,
                format!("{} signature verifies", scheme.name()),
            ),
            Err(CryptoError::Unsupported(d)) => {
                checks.fail(CheckCode::SignatureValue, SubIndication::CryptoConstraintsFailure, d)
            }
            Err(_) => checks.fail(
                CheckCode::SignatureValue,
                SubIndication::SigCryptoFailure,
                format!("{} signature does not verify with the certificate's key", scheme.name()),
            ),
        }
    }
    let violations: Vec<_> = [
        ctx.policy.check_digest(scheme.hash(), ctx.time).err(),
        ctx.policy.check_key(&cert.public_key, ctx.time).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    match violations.into_iter().min_by_key(|v| v.sub) {
        None => checks.pass(
            CheckCode::CryptoPolicy,
            format!("algorithms accepted by policy '{}'", ctx.policy.name),
        ),
        Some(v) => checks.fail(CheckCode::CryptoPolicy, v.sub, v.detail),
    }
    let chain = check_certificate(&cert, &[], true, ctx, &mut checks);
    let checks = checks.into_vec();
    let (indication, sub_indication) = Checks::verdict_of(&checks);
    let signature_report = SignatureReport {
        id: "S0".into(),
        counter_signature_of: None,
        indication,
        sub_indication,
        signer: Some(cert_info(&cert)),
        signing_time: None,
        digest_algorithm: Some(scheme.hash().name().into()),
        signature_algorithm: Some(scheme.name()),
        chain,
        checks,
    };
    Report {
        indication,
        sub_indication,
        signatures: vec![signature_report],
        ..empty_report(ctx, "RAW")
    }
}

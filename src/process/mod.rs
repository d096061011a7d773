//! The validation process of ETSI EN 319 102-1, format-blind.
//!
//! Every format turns its input into [`SignatureUnderTest`]s (see `crate::adapters`); the
//! building blocks below are functions over that description, each returning a
//! [`BlockResult`]; [`model::basic_signature_validation`] makes the verdict from them. No block
//! knows which format it works on, and none grows a branch per format: a new format costs a
//! parser and an adapter.
//!
//! | block (EN 319 102-1) | function |
//! |---|---|
//! | 5.2.2 format checking | the adapter's findings, concluded in [`validate_signature`] |
//! | 5.2.3 identification of the signing certificate | [`identify::signing_certificate_candidates`], [`identify::check_reference`] |
//! | 5.2.4 validation context initialisation | [`validation_context`] |
//! | 5.2.6 X.509 certificate validation | [`x509::validate`] |
//! | 5.2.7 cryptographic verification | [`crypto::verify`] |
//! | 5.2.8 signature acceptance validation | [`acceptance::validate`] |
//! | 5.4 time-stamp validation (imprint, token signature, TSA chain) | [`timestamp::validate`], [`timestamp::validate_token`] |

pub mod acceptance;
pub mod crypto;
pub mod identify;
pub mod timemark;
pub mod timestamp;
pub mod x509;

use std::borrow::Cow;
use std::sync::Arc;

use crate::chain::purpose::Purpose;
use crate::context::{Meter, VerifyContext};
use crate::crypto::{AlgError, HashAlg, SignatureScheme};
use crate::formats::x509::Certificate;
use crate::time::UnixTime;
use crate::verdict::model::{self, Block, BlockResult, Conclusion};
use crate::verdict::{CertInfo, Check, CheckCode, Checks, SignatureLevel, SignatureReport};

/// One signature to validate, as every format describes it.
#[derive(Clone, Debug)]
pub struct SignatureUnderTest<'a> {
    /// `S0`, `S1`, ... in file order; counter-signatures `S0-C0`.
    pub id: String,
    /// The id of the signature this one counter-signs.
    pub counter_signature_of: Option<String>,
    /// What the format's parser found (format checking, EN 319 102-1 5.2.2): well-formedness of
    /// the signed properties, algorithm identifiers, algorithm protection, and so on.
    pub format_checks: Checks,
    /// The signature scheme, resolved, or why it cannot be used.
    pub scheme: Result<SignatureScheme, AlgError>,
    /// The digest algorithm the format declares for its data objects, for the report.
    pub digest_algorithm: Option<HashAlg>,
    /// The signature value.
    pub value: Cow<'a, [u8]>,
    /// The exact bytes that were signed, or why they are not available.
    pub signed_bytes: SignedBytes<'a>,
    /// The data objects the signature claims to cover.
    pub data_objects: Vec<DataObject>,
    /// How the signature names its signing certificate.
    pub signer: SignerRef<'a>,
    /// A digest of the signing certificate the signature carries in its signed part (CAdES
    /// ESS signing-certificate(-v2), XAdES SigningCertificate).
    pub signer_digest: Option<CertDigestRef>,
    /// The certificates the signature carries (untrusted).
    pub certificates: Vec<Arc<Certificate>>,
    /// The signing time the signer claims (not proven).
    pub claimed_signing_time: Option<UnixTime>,
    /// Time-stamp tokens over the signature value.
    pub timestamps: Vec<TimestampToken<'a>>,
    /// Revocation data embedded in the signature (not evaluated yet).
    pub revocation_data: Vec<RevocationData<'a>>,
    /// Proofs of existence of the whole signature that its container gives, already validated
    /// (a valid PDF document time-stamp over a later revision, a valid XAdES archive
    /// time-stamp).
    pub later_proofs: Vec<timestamp::ProofOfExistence>,
    /// Counter-signatures, each a signature under test of its own.
    pub counter_signatures: Vec<SignatureUnderTest<'a>>,
}

impl SignatureUnderTest<'_> {
    /// A signature that could not be read: format checking fails with `why`, and nothing
    /// else can run (no scheme, no signed bytes, no signer), so it can never pass.
    pub fn unreadable(id: String, counter_signature_of: Option<String>, why: String) -> SignatureUnderTest<'static> {
        let mut fc = Checks::default();
        fc.fail(
            CheckCode::FormatParsed,
            crate::verdict::SubIndication::FormatFailure,
            why,
        );
        SignatureUnderTest {
            id,
            counter_signature_of,
            format_checks: fc,
            scheme: Err(AlgError::Malformed),
            digest_algorithm: None,
            value: Cow::Borrowed(&[]),
            signed_bytes: SignedBytes::Missing("the signature could not be read".into()),
            data_objects: Vec::new(),
            signer: SignerRef::Unknown,
            signer_digest: None,
            certificates: Vec::new(),
            claimed_signing_time: None,
            timestamps: Vec::new(),
            revocation_data: Vec::new(),
            later_proofs: Vec::new(),
            counter_signatures: Vec::new(),
        }
    }
}

/// The bytes a signature value was computed over.
#[derive(Clone, Debug)]
pub enum SignedBytes<'a> {
    /// Alternatives, tried in order; the first that verifies is the signed form.
    Alternatives(Vec<SignedForm<'a>>),
    /// Not available (detached content not given); the reason.
    Missing(String),
}

/// One form of the signed bytes, and the check to record when it is the one that verifies.
#[derive(Clone, Debug)]
pub struct SignedForm<'a> {
    /// The bytes, or only their digest under the scheme's hash.
    pub message: SignedMessage<'a>,
    /// Recorded when this form verifies (for example: signed attributes not in DER order).
    pub on_success: Option<Check>,
}

/// The signed bytes themselves or their digest.
#[derive(Clone, Debug)]
pub enum SignedMessage<'a> {
    /// The bytes.
    Data(Cow<'a, [u8]>),
    /// Their digest under the signature scheme's hash.
    Digest(Vec<u8>),
}

/// A data object the signature covers, and what is known of it.
#[derive(Clone, Debug)]
pub struct DataObject {
    /// Name for the report (`content`, `signature value of S0`).
    pub name: String,
    /// The digest algorithm the signature uses for it.
    pub digest_algorithm: HashAlg,
    /// The digest the signature claims (CMS messageDigest); `None` when the signature value is
    /// computed over the data itself.
    pub claimed: Option<Vec<u8>>,
    /// The digest of the data as it is available, with how it was obtained; or why it is not.
    /// The digest is left empty when `claimed` is `None` (there is nothing to compare).
    pub actual: Result<(Vec<u8>, String), String>,
}

/// How a signature names its signing certificate.
#[derive(Clone, Debug)]
pub enum SignerRef<'a> {
    /// Issuer Name DER and serial number contents octets.
    IssuerSerial {
        /// Issuer Name DER.
        issuer: &'a [u8],
        /// Serial number contents octets.
        serial: &'a [u8],
    },
    /// Subject key identifier.
    SubjectKeyId(&'a [u8]),
    /// The certificate itself, given with the signature value (raw signatures).
    Certificate(Arc<Certificate>),
    /// The signature could not be read far enough to say.
    Unknown,
}

/// A digest of the signing certificate carried in the signed part of a signature.
#[derive(Clone, Debug)]
pub struct CertDigestRef {
    /// Where it comes from, for the report (`signing-certificate-v2`).
    pub source: &'static str,
    /// The digest algorithm.
    pub algorithm: HashAlg,
    /// The digest of the certificate's DER.
    pub digest: Vec<u8>,
    /// The serial number it also names, when it does.
    pub serial: Option<Vec<u8>>,
}

/// A time-stamp token over the signature value (RFC 3161 TimeStampToken, a CMS ContentInfo).
#[derive(Clone, Debug)]
pub struct TimestampToken<'a> {
    /// The token, or why it could not be read from its container.
    pub token: Result<Cow<'a, [u8]>, String>,
    /// The bytes the token's message imprint covers: `None` for the signature value itself
    /// (CAdES); the canonical form of the `ds:SignatureValue` element for XAdES (ETSI EN
    /// 319 132-1 5.3), or why it could not be computed.
    pub covered: Option<Result<Cow<'a, [u8]>, String>>,
}

/// Revocation data a signature carries.
#[derive(Clone, Debug)]
pub enum RevocationData<'a> {
    /// A CRL (DER).
    Crl(Cow<'a, [u8]>),
    /// An OCSP response (DER).
    Ocsp(Cow<'a, [u8]>),
    /// Another revocation format.
    Other,
}

/// Validation context initialisation (5.2.4): the validation time, the policy and the trust
/// anchors come with the context, fixed by the caller; nothing can fail here.
pub fn validation_context(_ctx: &VerifyContext<'_>) -> BlockResult {
    BlockResult {
        block: Block::ValidationContextInitialisation,
        conclusion: Conclusion::Passed,
        checks: Checks::default(),
    }
}

/// Runs every block on `sut` and its counter-signatures; returns one report per signature, the
/// signature first. Counter-signature nesting is bounded by the adapter that built `sut`.
pub fn validate_signature(
    sut: &SignatureUnderTest<'_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Vec<SignatureReport> {
    let mut out = vec![validate_one(sut, ctx, meter)];
    let mut pending: Vec<&SignatureUnderTest<'_>> = sut.counter_signatures.iter().rev().collect();
    while let Some(cs) = pending.pop() {
        out.push(validate_one(cs, ctx, meter));
        pending.extend(cs.counter_signatures.iter().rev());
    }
    out
}

/// The blocks of basic signature validation (5.3) on one signature.
fn validate_one(sut: &SignatureUnderTest<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> SignatureReport {
    let fc = BlockResult::from_checks(Block::FormatChecking, sut.format_checks.clone());
    let candidates = identify::signing_certificate_candidates(sut, ctx);
    let (cv, signer) = crypto::verify(sut, &candidates, ctx, meter);
    let shown = signer.clone().or_else(|| candidates.first().cloned());
    let isc = identify::check_reference(sut, &candidates, shown.as_ref());
    let vci = validation_context(ctx);
    let (tsv, stamped) = timestamp::validate(sut, ctx, meter);
    let marked = || {
        shown
            .as_deref()
            .and_then(|cert| timemark::proof_of_existence(sut, cert, ctx, meter))
    };
    let own = stamped.or_else(marked);
    let poe = own.iter().chain(&sut.later_proofs).min_by_key(|p| p.time).cloned();
    let mut at_time = match &shown {
        Some(cert) => certificate_and_acceptance(sut, cert, poe.as_ref().map(|p| p.time), ctx, meter),
        None => AtTime {
            xcv: x509::not_run(),
            chain: Vec::new(),
            sav: acceptance::validate(sut, None, ctx),
        },
    };
    let past = match (&shown, &poe) {
        (Some(cert), Some(p)) if at_time.needs_proof_of_existence() => Some(past_validation(sut, cert, p, ctx, meter)),
        _ => None,
    };
    let mut poe_check = None;
    if let Some((result, check)) = past {
        poe_check = Some(check);
        if let Some(passed) = result {
            at_time = passed;
        }
    }
    let AtTime { xcv, chain, sav } = at_time;
    let conclusion = model::basic_signature_validation(
        fc.conclusion,
        isc.conclusion,
        vci.conclusion,
        xcv.conclusion,
        cv.conclusion,
        sav.conclusion,
    );
    let (indication, sub_indication) = conclusion.verdict();
    let blocks = [fc, isc, vci, xcv, cv, sav, tsv];
    let mut checks = Checks::with_capacity(blocks.iter().map(|b| b.checks.len()).sum::<usize>() + 1);
    for block in blocks {
        checks.extend(block.checks);
    }
    checks.extend_opt(poe_check);
    SignatureReport {
        id: sut.id.clone(),
        counter_signature_of: sut.counter_signature_of.clone(),
        indication,
        sub_indication,
        signer: shown.as_deref().map(cert_info),
        signing_time: sut.claimed_signing_time.map(|t| t.to_rfc3339()),
        digest_algorithm: sut.digest_algorithm.map(|d| d.name().to_string()),
        signature_algorithm: sut.scheme.as_ref().ok().map(|s| s.name().into_owned()),
        chain,
        covers: sut.data_objects.iter().map(|d| d.name.clone()).collect(),
        level: Some(level(sut, own.as_ref(), &checks)),
        best_signature_time: poe.as_ref().map(|p| p.time.to_rfc3339()),
        best_signature_time_by: poe.map(|p| p.by),
        pdf: None,
        checks: checks.into_vec(),
    }
}

/// The baseline level the validated evidence gives: the signature's own proof of existence by
/// a time-stamp (B-T) or an OCSP time-mark (TM), then B-LT when the signature carries
/// revocation data and the path's status was established, then B-LTA when a later document
/// time-stamp or a valid archive time-stamp covers it all.
fn level(sut: &SignatureUnderTest<'_>, own: Option<&timestamp::ProofOfExistence>, checks: &Checks) -> SignatureLevel {
    let revocation_passed = checks
        .as_slice()
        .iter()
        .rev()
        .find(|c| c.code == CheckCode::Revocation)
        .is_some_and(|c| c.result == crate::verdict::CheckResult::Passed);
    let archived = sut.later_proofs.iter().any(|p| {
        matches!(
            p.kind,
            timestamp::ProofKind::DocumentTimestamp | timestamp::ProofKind::ArchiveTimestamp
        )
    });
    match own {
        None => SignatureLevel::BB,
        Some(p) if p.kind == timestamp::ProofKind::TimeMark => SignatureLevel::Tm,
        Some(_) if revocation_passed && !sut.revocation_data.is_empty() && archived => SignatureLevel::BLta,
        Some(_) if revocation_passed && !sut.revocation_data.is_empty() => SignatureLevel::BLt,
        Some(_) => SignatureLevel::BT,
    }
}

/// X.509 certificate validation and signature acceptance at one time.
struct AtTime {
    xcv: BlockResult,
    chain: Vec<crate::verdict::ChainElement>,
    sav: BlockResult,
}

impl AtTime {
    /// Undecided for want of a proof of existence: an expired or revoked certificate, or an
    /// algorithm past its sunset (EN 319 102-1 5.5, 5.6).
    fn needs_proof_of_existence(&self) -> bool {
        use crate::verdict::SubIndication as S;
        let waits = |c: Conclusion| {
            matches!(
                c,
                Conclusion::Indeterminate(S::OutOfBoundsNoPoe | S::RevokedNoPoe | S::CryptoConstraintsFailureNoPoe)
            )
        };
        waits(self.xcv.conclusion) || waits(self.sav.conclusion)
    }
}

fn certificate_and_acceptance(
    sut: &SignatureUnderTest<'_>,
    cert: &Arc<Certificate>,
    proof_time: Option<crate::time::UnixTime>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> AtTime {
    let revocation = x509::RevocationInput {
        data: &sut.revocation_data,
        must_prove: false,
        claimed_signing_time: sut.claimed_signing_time,
        proof_time,
    };
    let (xcv, chain) = x509::validate_with(
        cert,
        &sut.certificates,
        Purpose::DocumentSigning,
        revocation,
        ctx,
        meter,
    );
    AtTime {
        xcv,
        chain,
        sav: acceptance::validate(sut, Some(cert), ctx),
    }
}

/// Past validation (EN 319 102-1 5.6.2.4): the path, the certificate, its revocation status
/// (which must then be established, whatever the policy) and the algorithms, at the time a
/// valid time-stamp proves the signature existed. Returns the result when it passes, and the
/// `PROOF_OF_EXISTENCE` check either way.
fn past_validation(
    sut: &SignatureUnderTest<'_>,
    cert: &Arc<Certificate>,
    poe: &timestamp::ProofOfExistence,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (Option<AtTime>, Check) {
    let past = ctx.at(poe.time);
    let revocation = x509::RevocationInput {
        data: &sut.revocation_data,
        must_prove: true,
        claimed_signing_time: sut.claimed_signing_time,
        proof_time: None,
    };
    let (xcv, chain) = x509::validate_with(
        cert,
        &sut.certificates,
        Purpose::DocumentSigning,
        revocation,
        &past,
        meter,
    );
    let sav = acceptance::validate(sut, Some(cert), &past);
    let by = &poe.by;
    if xcv.conclusion == Conclusion::Passed && sav.conclusion == Conclusion::Passed {
        let check = Check {
            code: CheckCode::ProofOfExistence,
            result: crate::verdict::CheckResult::Passed,
            sub_indication: None,
            detail: format!(
                "the signature existed at {} ({by}); its path, revocation status and algorithms are valid then",
                poe.time
            )
            .into(),
        };
        return (Some(AtTime { xcv, chain, sav }), check);
    }
    let blocking = xcv
        .checks
        .as_slice()
        .iter()
        .chain(sav.checks.as_slice())
        .find(|c| c.sub_indication.is_some())
        .map_or_else(String::new, |c| format!(": {} {}", c.code.as_str(), c.detail));
    let check = Check {
        code: CheckCode::ProofOfExistence,
        result: crate::verdict::CheckResult::Info,
        sub_indication: None,
        detail: format!(
            "the signature existed at {} ({by}), but a validation at that time does not pass either{blocking}",
            poe.time
        )
        .into(),
    };
    (None, check)
}

/// Certificate details for a report.
pub fn cert_info(c: &Certificate) -> CertInfo {
    let texts = c.texts().clone();
    CertInfo {
        subject: c.subject_shared().clone(),
        issuer: c.issuer_shared().clone(),
        serial_number: texts.serial_hex,
        not_before: texts.not_before,
        not_after: texts.not_after,
        key_algorithm: c.public_key.algorithm_name(),
        key_size: c.public_key.bits(),
        common_name: texts.common_name,
        subject_serial_number: texts.subject_serial_number,
        sha256: texts.sha256_hex,
    }
}

/// A check recorded when the budget stopped another from running.
pub(crate) fn budget_check(code: CheckCode, what: &str) -> Check {
    Check {
        code,
        result: crate::verdict::CheckResult::NotRun,
        sub_indication: Some(crate::verdict::SubIndication::BudgetExhausted),
        detail: format!("not run: the verification's work budget ran out before {what}").into(),
    }
}

//! Time-stamp tokens (RFC 3161; EN 319 102-1 5.4).
//!
//! [`validate_token`] validates a token fully: it must be a SignedData holding a TSTInfo, its
//! message imprint must be the digest of the data it covers, its SignerInfo's signature must
//! verify with the key of a certificate it names, its ESS signing-certificate(-v2) attribute
//! must name that certificate (RFC 3161 2.4.1), and that certificate must have a path to a
//! trust anchor and be fit for time-stamping at the validation time
//! ([`Purpose::TimeStamping`]). A token that passes all of it proves that the data existed at
//! its genTime ([`TokenValidation::proof_of_existence`]).
//!
//! A PDF document time-stamp is judged by these checks like a signature. Signature
//! time-stamps (over a CAdES signature value; for XAdES, over the canonical form of the
//! `ds:SignatureValue` element: [`crate::process::TimestampToken::covered`]) and ASiC-S tokens are reported
//! without changing any verdict yet: their imprint and signature checks say whether the TSA's
//! chain was validated, and a failure is recorded without effect (unsigned attributes are not
//! covered by the signature; using the proof of existence is long-term validation).

use std::sync::Arc;

use crate::chain::purpose::Purpose;
use crate::context::{Meter, VerifyContext};
use crate::crypto::{HashAlg, Message, SignatureScheme};
use crate::formats::cms::{self, SignedData, SignerInfo, TstInfo, oid};
use crate::formats::x509::Certificate;
use crate::process::{RevocationData, SignatureUnderTest, SignerRef, identify, x509};
use crate::time::UnixTime;
use crate::verdict::model::{self, Block, BlockResult, Conclusion};
use crate::verdict::{CertInfo, ChainElement, Check, CheckCode, CheckResult, Checks, SignatureReport, SubIndication};

/// Most time-stamps examined per signature.
pub const MAX_TIMESTAMPS: usize = 4;

/// The earliest time a valid signature time-stamp proves the signature existed at, and the
/// time-stamp authority that proved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofOfExistence {
    /// The time-stamp's genTime (a time-mark's producedAt).
    pub time: UnixTime,
    /// What proved it: `time-stamp by '<TSA>'`, `OCSP time-mark by '<responder>'`.
    pub by: String,
    /// The kind of evidence.
    pub kind: ProofKind,
}

/// The evidence a proof of existence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofKind {
    /// A signature time-stamp over the signature value.
    SignatureTimestamp,
    /// An OCSP response whose nonce binds the signature value (BDOC TM, DigiDoc notary).
    TimeMark,
    /// A document time-stamp over a later revision of the PDF the signature is in.
    DocumentTimestamp,
    /// A XAdES archive time-stamp over the signature and its validation data.
    ArchiveTimestamp,
}

/// Runs the block over the signature's time-stamp tokens; also returns the earliest proof of
/// existence a fully valid one gives.
pub fn validate(
    sut: &SignatureUnderTest<'_>,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (BlockResult, Option<ProofOfExistence>) {
    let mut checks = Checks::default();
    let mut earliest: Option<ProofOfExistence> = None;
    if sut.timestamps.len() > MAX_TIMESTAMPS {
        checks.info(
            CheckCode::TimestampImprint,
            format!(
                "{} signature time-stamps; the first {MAX_TIMESTAMPS} are examined",
                sut.timestamps.len()
            ),
        );
    }
    for token in sut.timestamps.iter().take(MAX_TIMESTAMPS) {
        let covered: &[u8] = match &token.covered {
            None => &sut.value,
            Some(Ok(covered)) => covered,
            Some(Err(why)) => {
                checks.fail_no_effect(
                    CheckCode::TimestampImprint,
                    format!("the data the time-stamp covers could not be computed: {why}"),
                );
                continue;
            }
        };
        let found = match &token.token {
            Ok(t) => {
                let digest = |h: HashAlg| Some(h.digest(covered));
                let covered = Covered {
                    digest: &digest,
                    what: "this signature value",
                    revocation: &sut.revocation_data,
                };
                validate_token(t, covered, ctx, meter)
            }
            Err(e) => unreadable(format!("time-stamp token: {e}")),
        };
        if let (Some(time), Some(tsa)) = (found.proof_of_existence, &found.tsa) {
            if earliest.as_ref().is_none_or(|p| time < p.time) {
                earliest = Some(ProofOfExistence {
                    time,
                    by: format!("time-stamp by '{}'", tsa.subject),
                    kind: ProofKind::SignatureTimestamp,
                });
            }
        }
        checks.extend(without_effect(&found));
    }
    let block = BlockResult {
        block: Block::TimestampValidation,
        conclusion: Conclusion::Passed,
        checks,
    };
    (block, earliest)
}

/// The data a time-stamp token covers: its digest under any algorithm (`None` when it is not
/// available), its name for the report, and the revocation data at hand for the TSA's path
/// (the signature's own, a PDF's DSS).
#[derive(Clone, Copy)]
pub struct Covered<'f> {
    /// The digest of the data under an algorithm.
    pub digest: &'f dyn Fn(HashAlg) -> Option<Vec<u8>>,
    /// What the data is (`the byte range`, `the data file 'a.txt'`).
    pub what: &'f str,
    /// OCSP responses and CRLs that may speak for the TSA's certificates.
    pub revocation: &'f [RevocationData<'f>],
}

/// A time-stamp token that stands as the signature of its data (a PDF document time-stamp, an
/// ASiC-S time-stamp token): [`validate_token`], concluded like a signature (EN 319 102-1
/// 5.3.4) after the container's own `format` checks: a failed format check first, then a
/// token proven invalid, then whatever is undecided, format first. The id is left `S0`.
pub fn token_report(
    token: &[u8],
    covered: Covered<'_>,
    mut format: Checks,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> SignatureReport {
    let v = validate_token(token, covered, ctx, meter);
    let fc = Conclusion::from_checks(format.as_slice());
    let conclusion = if fc.failed() || (!v.conclusion.failed() && !fc.passed()) {
        fc
    } else {
        v.conclusion
    };
    let (indication, sub_indication) = conclusion.verdict();
    format.extend(v.checks);
    SignatureReport {
        indication,
        sub_indication,
        signer: v.tsa,
        signing_time: v.gen_time.map(|t| t.to_rfc3339()),
        best_signature_time: v.proof_of_existence.map(|t| t.to_rfc3339()),
        best_signature_time_by: None,
        level: None,
        digest_algorithm: v.digest_algorithm.map(|d| d.name().to_string()),
        signature_algorithm: v.signature_algorithm,
        chain: v.chain,
        checks: format.into_vec(),
        ..unreadable_report(covered.what, Checks::default())
    }
}

/// The report of a time-stamp token standing as a signature that could not be read: `format`
/// says why.
pub fn unreadable_report(what: &str, format: Checks) -> SignatureReport {
    let (indication, sub_indication) = Conclusion::from_checks(format.as_slice()).verdict();
    SignatureReport {
        id: "S0".into(),
        counter_signature_of: None,
        indication,
        sub_indication,
        signer: None,
        signing_time: None,
        digest_algorithm: None,
        signature_algorithm: None,
        chain: Vec::new(),
        covers: vec![what.to_string()],
        best_signature_time: None,
        best_signature_time_by: None,
        level: None,
        pdf: None,
        checks: format.into_vec(),
    }
}

/// A time-stamp token, validated: what it proves and the checks that say why.
#[derive(Clone, Debug)]
pub struct TokenValidation {
    /// Every check, in the order of the blocks of a signature: reading the token
    /// (FORMAT_PARSED), the TSA's certificate (SIGNING_CERTIFICATE_FOUND,
    /// SIGNING_CERTIFICATE_REFERENCE), its X.509 validation for time-stamping (CHAIN_BUILT,
    /// CERTIFICATE_VALIDITY, KEY_USAGE, EXTENDED_KEY_USAGE, CRITICAL_EXTENSIONS, REVOCATION),
    /// then TIMESTAMP_IMPRINT and TIMESTAMP_SIGNATURE. Failures carry the sub-indication they
    /// give a time-stamp judged like a signature.
    pub checks: Checks,
    /// The conclusion on the token by the rules of basic signature validation.
    pub conclusion: Conclusion,
    /// genTime, when the token is valid (every check passed): the data existed then.
    pub proof_of_existence: Option<UnixTime>,
    /// genTime as the token states it, when it can be read (valid or not).
    pub gen_time: Option<UnixTime>,
    /// The TSA's certificate: the one whose key verified the token, else the first that
    /// matches its signer identifier.
    pub tsa: Option<CertInfo>,
    /// The TSA certificate's path to a trust anchor, when one was built.
    pub chain: Vec<ChainElement>,
    /// The message imprint's hash algorithm.
    pub digest_algorithm: Option<HashAlg>,
    /// The token's signature algorithm.
    pub signature_algorithm: Option<String>,
}

/// A token that cannot be read as a time-stamp token: FORMAT_PARSED fails with `why`.
fn unreadable(why: String) -> TokenValidation {
    let mut checks = Checks::default();
    checks.fail(CheckCode::FormatParsed, SubIndication::FormatFailure, why);
    TokenValidation {
        conclusion: Conclusion::from_checks(checks.as_slice()),
        checks,
        proof_of_existence: None,
        gen_time: None,
        tsa: None,
        chain: Vec::new(),
        digest_algorithm: None,
        signature_algorithm: None,
    }
}

/// Validates an RFC 3161 time-stamp token over data known by its digests (`digest` gives the
/// digest under an algorithm, `None` when the data is not available; `what` names the data in
/// the report) at the context's validation time (see the module documentation).
pub fn validate_token(token: &[u8], covered: Covered<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> TokenValidation {
    let sd = match cms::parse_content_info(token) {
        Ok(sd) => sd,
        Err(e) => return unreadable(format!("time-stamp token: {e}")),
    };
    let tst = match (&sd.econtent, sd.econtent_type == oid::TST_INFO.as_bytes()) {
        (Some(c), true) => cms::parse_tst_info(c).map_err(|e| e.to_string()),
        _ => Err("it does not hold a TSTInfo".to_string()),
    };
    let tst = match tst {
        Ok(t) => t,
        Err(e) => return unreadable(format!("time-stamp token: {e}")),
    };
    let Some(tsi) = sd.signer_infos.first() else {
        return unreadable("time-stamp token without SignerInfo".into());
    };
    let Some(gen_time) = tst.gen_time_unix() else {
        return unreadable(format!(
            "time-stamp token: genTime '{}' is not YYYYMMDDhhmmss[.s]Z",
            tst.gen_time
        ));
    };
    let mut v = Token {
        sd: &sd,
        tsi,
        tst: &tst,
        revocation: covered.revocation,
        ctx,
        meter,
    }
    .validate(covered.digest, covered.what);
    v.gen_time = Some(gen_time);
    check_token_algorithms(&mut v, tsi, ctx);
    v.proof_of_existence = v.conclusion.passed().then_some(gen_time);
    v
}

/// The token's imprint and signature digests must be acceptable by the policy at the
/// validation time: a time-stamp over a weak digest proves nothing about the data now (a
/// collision found since could pass other data off as time-stamped).
fn check_token_algorithms(v: &mut TokenValidation, tsi: &cms::SignerInfo<'_>, ctx: &VerifyContext<'_>) {
    let signature_digest = HashAlg::from_algorithm_identifier(tsi.digest_algorithm).ok();
    let weak = [v.digest_algorithm, signature_digest]
        .into_iter()
        .flatten()
        .find_map(|h| ctx.policy.check_digest(h, ctx.time).err());
    if let Some(violation) = weak {
        let sub: SubIndication = (&violation).into();
        v.checks.fail(
            CheckCode::CryptoPolicy,
            sub,
            format!("time-stamp: {}", violation.detail),
        );
        if v.conclusion.passed() {
            v.conclusion = Conclusion::of(sub);
        }
    }
}

/// How the check on a TSA certificate that expired after the token's genTime begins.
const EXPIRED_TSA: &str = "the TSA's certificate expired";

/// A token read far enough to validate.
struct Token<'s, 'a, 'c> {
    sd: &'s SignedData<'a>,
    tsi: &'s SignerInfo<'a>,
    tst: &'s TstInfo<'a>,
    revocation: &'s [RevocationData<'s>],
    ctx: &'s VerifyContext<'c>,
    meter: &'s Meter<'c>,
}

impl Token<'_, '_, '_> {
    fn validate(&self, digest: &dyn Fn(HashAlg) -> Option<Vec<u8>>, what: &str) -> TokenValidation {
        let bag = self.certificates();
        let candidates = self.candidates(&bag);
        let mut crypto = Checks::default();
        self.check_imprint(digest, what, &mut crypto);
        let signer = self.check_signature(&candidates, &mut crypto);
        let tsa = signer.clone().or_else(|| candidates.first().cloned());
        let isc = self.identification(&candidates, signer.as_deref());
        let (xcv, chain) = match &tsa {
            Some(cert) => self.tsa_path(cert, &bag),
            None => (x509::not_run(), Vec::new()),
        };
        let cv = BlockResult::from_checks(Block::CryptographicVerification, crypto);
        let conclusion = model::basic_signature_validation(
            Conclusion::Passed,
            isc.conclusion,
            Conclusion::Passed,
            xcv.conclusion,
            cv.conclusion,
            Conclusion::Passed,
        );
        let mut checks = isc.checks;
        checks.extend(xcv.checks);
        checks.extend(cv.checks);
        TokenValidation {
            checks,
            conclusion,
            proof_of_existence: None,
            gen_time: None,
            tsa: tsa.as_deref().map(crate::process::cert_info),
            chain,
            digest_algorithm: HashAlg::from_algorithm_identifier(self.tst.imprint_algorithm).ok(),
            signature_algorithm: self.scheme().ok().map(|(_, s)| s.name().into_owned()),
        }
    }

    /// The TSA's certificate validated for time-stamping at the validation time; when that
    /// fails only because the certificate has expired since, at the token's genTime instead,
    /// if the policy allows it: a time-stamp stays verifiable after its TSA's certificate
    /// expired (RFC 3161 section 4), while its algorithms are still judged at the validation
    /// time (`check_token_algorithms`).
    fn tsa_path(
        &self,
        cert: &Arc<Certificate>,
        bag: &[Arc<Certificate>],
    ) -> (BlockResult, Vec<crate::verdict::ChainElement>) {
        let revocation = x509::RevocationInput {
            data: self.revocation,
            must_prove: false,
            claimed_signing_time: None,
            proof_time: self.tst.gen_time_unix(),
        };
        let now = x509::validate_with(cert, bag, Purpose::TimeStamping, revocation, self.ctx, self.meter);
        let expired = now.0.conclusion == Conclusion::Indeterminate(SubIndication::OutOfBoundsNoPoe)
            && self.ctx.time > cert.not_after;
        let gen_time = self.tst.gen_time_unix();
        let Some(gen_time) = gen_time.filter(|_| expired && self.ctx.policy.accept_expired_tsa) else {
            return now;
        };
        let past = self.ctx.at(gen_time);
        let (mut then, chain) = x509::validate_with(cert, bag, Purpose::TimeStamping, revocation, &past, self.meter);
        if then.conclusion != Conclusion::Passed {
            return now;
        }
        then.checks.pass(
            CheckCode::CertificateValidity,
            format!(
                "{EXPIRED_TSA} at {}, after the time-stamp's genTime {gen_time}: its path is valid \
                 at genTime (RFC 3161 section 4, policy '{}')",
                cert.not_after, self.ctx.policy.name
            ),
        );
        (then, chain)
    }

    fn certificates(&self) -> Vec<Arc<Certificate>> {
        let certs = self.sd.certificates.iter();
        certs.filter_map(|der| self.ctx.parse_certificate(der).ok()).collect()
    }

    fn candidates(&self, bag: &[Arc<Certificate>]) -> Vec<Arc<Certificate>> {
        let signer = match self.tsi.sid {
            cms::SignerId::IssuerSerial { issuer, serial } => SignerRef::IssuerSerial { issuer, serial },
            cms::SignerId::SubjectKeyId(k) => SignerRef::SubjectKeyId(k),
        };
        identify::candidates(&signer, bag, self.ctx)
    }

    /// The SignerInfo's digest algorithm and signature scheme.
    fn scheme(&self) -> Result<(HashAlg, SignatureScheme), String> {
        let d = HashAlg::from_algorithm_identifier(self.tsi.digest_algorithm).map_err(|e| e.to_string())?;
        let s = SignatureScheme::from_algorithm_identifier(self.tsi.signature_algorithm, Some(d))
            .map_err(|e| e.to_string())?;
        Ok((d, s))
    }

    /// TIMESTAMP_IMPRINT: the message imprint is the digest of the data.
    fn check_imprint(&self, digest: &dyn Fn(HashAlg) -> Option<Vec<u8>>, what: &str, checks: &mut Checks) {
        let code = CheckCode::TimestampImprint;
        let h = match HashAlg::from_algorithm_identifier(self.tst.imprint_algorithm) {
            Ok(h) => h,
            Err(e) => {
                return checks.fail(
                    code,
                    SubIndication::CryptoConstraintsFailure,
                    format!("time-stamp imprint: {e}"),
                );
            }
        };
        match digest(h) {
            Some(d) if d == self.tst.imprint => {
                let time = self
                    .tst
                    .gen_time_unix()
                    .map_or(self.tst.gen_time.to_string(), |t| t.to_rfc3339());
                checks.pass(code, format!("time-stamp of {time} covers {what}"));
            }
            Some(_) => checks.fail(
                code,
                SubIndication::HashFailure,
                format!("the time-stamp's message imprint does not match {what}"),
            ),
            None => checks.not_run(
                code,
                Some(SubIndication::SignedDataNotFound),
                format!("{what} is not available"),
            ),
        }
    }
}

impl Token<'_, '_, '_> {
    /// TIMESTAMP_SIGNATURE: the token's SignerInfo verifies with a candidate's key; that
    /// certificate is returned.
    fn check_signature(&self, candidates: &[Arc<Certificate>], checks: &mut Checks) -> Option<Arc<Certificate>> {
        let code = CheckCode::TimestampSignature;
        let (scheme, raw) = match self.signed_attributes() {
            Ok(found) => found,
            Err(check) => {
                checks.record(check);
                return None;
            }
        };
        if candidates.is_empty() {
            checks.not_run(
                code,
                Some(SubIndication::NoSigningCertificateFound),
                "the time-stamp token's signature could not be checked: its certificate was not found",
            );
            return None;
        }
        for c in candidates {
            if self.meter.take_signature().is_err() {
                checks.record(crate::process::budget_check(code, "the time-stamp token's signature"));
                return None;
            }
            if self
                .ctx
                .verifier
                .verify(&c.public_key, &scheme, Message::Data(&raw), &self.tsi.signature)
                .is_ok()
            {
                checks.pass(
                    code,
                    format!(
                        "the time-stamp token's signature verifies with the key of '{}'",
                        c.subject_string()
                    ),
                );
                return Some(c.clone());
            }
        }
        checks.fail(
            code,
            SubIndication::SigCryptoFailure,
            "the time-stamp token's signature does not verify",
        );
        None
    }

    /// The token's signature scheme and its signed attributes as signed (a SET OF), once the
    /// messageDigest attribute is found to be the digest of the TSTInfo; or the check that
    /// says why not.
    fn signed_attributes(&self) -> Result<(SignatureScheme, Vec<u8>), Check> {
        let fail = |sub, detail: String| Check {
            code: CheckCode::TimestampSignature,
            result: CheckResult::Failed,
            sub_indication: Some(sub),
            detail: detail.into(),
        };
        let (d, scheme) = self.scheme().map_err(|e| {
            fail(
                SubIndication::CryptoConstraintsFailure,
                format!("time-stamp token: {e}"),
            )
        })?;
        let no_attrs = || {
            fail(
                SubIndication::FormatFailure,
                "time-stamp token without signed attributes".into(),
            )
        };
        let raw = self.tsi.signed_attrs_raw.as_ref().ok_or_else(no_attrs)?;
        let md = match self.tsi.signed_single(&oid::MESSAGE_DIGEST) {
            Ok(Some(md)) => md.value,
            Ok(None) => {
                return Err(fail(
                    SubIndication::FormatFailure,
                    "time-stamp token without messageDigest".into(),
                ));
            }
            Err(e) => return Err(fail(SubIndication::FormatFailure, format!("time-stamp token: {e}"))),
        };
        let content = self.sd.econtent.as_deref().unwrap_or_default();
        if d.digest(content) != md {
            return Err(fail(
                SubIndication::HashFailure,
                "the time-stamp token's messageDigest is not the digest of its TSTInfo".into(),
            ));
        }
        Ok((scheme, raw.retagged(0x31)))
    }

    /// SIGNING_CERTIFICATE_FOUND, and SIGNING_CERTIFICATE_REFERENCE: the token's ESS
    /// signing-certificate(-v2) attribute names `signer`, the certificate whose key verified
    /// it (RFC 3161 2.4.1 requires the attribute).
    fn identification(&self, candidates: &[Arc<Certificate>], signer: Option<&Certificate>) -> BlockResult {
        let mut checks = Checks::default();
        let code = CheckCode::SigningCertificateReference;
        match signer {
            None if candidates.is_empty() => checks.fail(
                CheckCode::SigningCertificateFound,
                SubIndication::NoSigningCertificateFound,
                "no certificate in the time-stamp token or the configured certificates matches its signer identifier",
            ),
            None => {}
            Some(c) => checks.pass(
                CheckCode::SigningCertificateFound,
                format!("time-stamping authority '{}'", c.subject_string()),
            ),
        }
        if let Some(cert) = signer {
            match identify::signing_certificate_reference(self.tsi) {
                Ok(Some(r)) => identify::check_digest_reference(&r, cert, &mut checks),
                Ok(None) => checks.fail(
                    code,
                    SubIndication::NoSigningCertificateFound,
                    "the time-stamp token has no ESS signing-certificate(-v2) attribute (RFC 3161 2.4.1)",
                ),
                Err(e) => checks.fail(code, SubIndication::FormatFailure, format!("time-stamp token: {e}")),
            }
        }
        BlockResult::from_checks(Block::SigningCertificateIdentification, checks)
    }
}

/// The checks of a time-stamp that decides no verdict: TIMESTAMP_IMPRINT and
/// TIMESTAMP_SIGNATURE as [`validate_token`] found them, without sub-indication; the signature's
/// detail says whether the TSA's certificate was validated. A token that cannot be read fails
/// TIMESTAMP_IMPRINT.
pub fn without_effect(v: &TokenValidation) -> Checks {
    let mut out = Checks::default();
    let find = |code| v.checks.as_slice().iter().find(|c| c.code == code);
    if let Some(c) = find(CheckCode::FormatParsed) {
        out.fail_no_effect(CheckCode::TimestampImprint, c.detail.clone());
        return out;
    }
    let no_effect = |c: &Check, detail: String| Check {
        sub_indication: None,
        detail: detail.into(),
        ..c.clone()
    };
    if let Some(c) = find(CheckCode::TimestampImprint) {
        let note = if v.proof_of_existence.is_some() {
            "a proof of existence at its genTime"
        } else {
            "no proof of existence"
        };
        out.record(no_effect(c, format!("{} ({note})", c.detail)));
    }
    if let Some(c) = find(CheckCode::TimestampSignature) {
        out.record(no_effect(c, format!("{}; {}", c.detail, tsa_summary(v))));
    }
    out
}

/// Whether the TSA's certificate was identified and validated, in words.
fn tsa_summary(v: &TokenValidation) -> String {
    let token_codes = [CheckCode::TimestampImprint, CheckCode::TimestampSignature];
    let failed: Vec<String> = v
        .checks
        .as_slice()
        .iter()
        .filter(|c| c.sub_indication.is_some() && !token_codes.contains(&c.code))
        .map(|c| format!("{}: {}", c.code.as_str(), c.detail))
        .collect();
    match &v.tsa {
        None => "the time-stamping authority's certificate was not found".into(),
        Some(t) if failed.is_empty() => {
            let expired = v.checks.as_slice().iter().find(|c| c.detail.starts_with(EXPIRED_TSA));
            let since = expired.map_or(String::new(), |c| format!(" ({})", c.detail));
            format!("TSA certificate '{}' validated for time-stamping{since}", t.subject)
        }
        Some(t) => format!("TSA certificate '{}' not validated: {}", t.subject, failed.join("; ")),
    }
}

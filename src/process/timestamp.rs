//! Signature time-stamps (RFC 3161 over the signature value; EN 319 102-1 5.4, first steps):
//! the token's message imprint must be the digest of the signature value (for XAdES, of the
//! canonical form of the `ds:SignatureValue` element: [`TimestampToken::covered`]), and the token's own
//! signature must verify. The TSA's chain is not validated yet, so a time-stamp gives no proof
//! of existence and its checks never change the signature's verdict: a time-stamp that cannot be
//! read or does not verify is reported as such (unsigned attributes are not covered by the
//! signature).

use crate::context::{Meter, VerifyContext};
use crate::crypto::{HashAlg, Message, SignatureScheme};
use crate::formats::cms::{self, SignedData, oid};
use crate::process::{SignatureUnderTest, SignerRef, TimestampToken, identify};
use crate::verdict::model::{Block, BlockResult, Conclusion};
use crate::verdict::{CheckCode, Checks};

/// Most time-stamps examined per signature.
pub const MAX_TIMESTAMPS: usize = 4;

/// Runs the block over the signature's time-stamp tokens.
pub fn validate(sut: &SignatureUnderTest<'_>, ctx: &VerifyContext<'_>, meter: &Meter) -> BlockResult {
    let mut checks = Checks::default();
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
        check_token(
            token,
            &|h| h.digest(covered),
            "this signature value",
            ctx,
            meter,
            &mut checks,
        );
    }
    BlockResult {
        block: Block::TimestampValidation,
        conclusion: Conclusion::Passed,
        checks,
    }
}

/// Examines a time-stamp token over `covered` (an ASiC-S data file, say): its message imprint
/// and its own signature, as for a signature time-stamp; `what` names `covered` in the report.
/// Not a proof of existence yet: the checks never change a verdict.
pub fn examine_token(token: &[u8], covered: &[u8], what: &str, ctx: &VerifyContext<'_>, meter: &Meter) -> Checks {
    let mut checks = Checks::default();
    let token = TimestampToken {
        token: Ok(std::borrow::Cow::Borrowed(token)),
        covered: None,
    };
    check_token(&token, &|h| h.digest(covered), what, ctx, meter, &mut checks);
    checks
}

/// Examines a time-stamp token over data known only by its digests (`digest` gives the
/// digest under an algorithm), as [`examine_token`] does; `None` from `digest` means the data
/// is not available.
pub fn examine_token_digest(
    token: &[u8],
    digest: &dyn Fn(HashAlg) -> Option<Vec<u8>>,
    what: &str,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> Checks {
    let mut checks = Checks::default();
    let token = TimestampToken {
        token: Ok(std::borrow::Cow::Borrowed(token)),
        covered: None,
    };
    check_token(
        &token,
        &|h| digest(h).unwrap_or_default(),
        what,
        ctx,
        meter,
        &mut checks,
    );
    checks
}

/// `digest`: the digest, under the token's imprint algorithm, of the data the token's message
/// imprint must match; `what` names the data.
fn check_token(
    token: &TimestampToken<'_>,
    digest: &dyn Fn(HashAlg) -> Vec<u8>,
    what: &str,
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) {
    let parsed = token
        .token
        .as_deref()
        .map_err(String::clone)
        .and_then(|t| cms::parse_content_info(t).map_err(|e| e.to_string()));
    let sd = match parsed {
        Ok(sd) => sd,
        Err(e) => return checks.fail_no_effect(CheckCode::TimestampImprint, format!("time-stamp token: {e}")),
    };
    let tst = match (&sd.econtent, sd.econtent_type == oid::TST_INFO.as_bytes()) {
        (Some(c), true) => cms::parse_tst_info(c).map_err(|e| e.to_string()),
        _ => Err("time-stamp token does not hold a TSTInfo".to_string()),
    };
    let tst = match tst {
        Ok(t) => t,
        Err(e) => return checks.fail_no_effect(CheckCode::TimestampImprint, format!("time-stamp token: {e}")),
    };
    match HashAlg::from_algorithm_identifier(tst.imprint_algorithm) {
        Ok(h) if digest(h) == tst.imprint => checks.pass(
            CheckCode::TimestampImprint,
            format!(
                "time-stamp of {} covers {what} (not used as proof of existence)",
                tst.gen_time
            ),
        ),
        Ok(_) => checks.fail_no_effect(
            CheckCode::TimestampImprint,
            format!("the time-stamp's message imprint does not match {what}"),
        ),
        Err(e) => checks.fail_no_effect(CheckCode::TimestampImprint, format!("time-stamp imprint: {e}")),
    }
    check_token_signature(&sd, ctx, meter, checks);
}

/// The token's own signature (mathematics only; the TSA's chain is not validated here).
fn check_token_signature(sd: &SignedData<'_>, ctx: &VerifyContext<'_>, meter: &Meter, checks: &mut Checks) {
    let Some(tsi) = sd.signer_infos.first() else {
        return checks.fail_no_effect(CheckCode::TimestampSignature, "time-stamp token without signer");
    };
    let content = sd.econtent.as_deref().unwrap_or_default();
    let ok = (|| {
        let d = HashAlg::from_algorithm_identifier(tsi.digest_algorithm).ok()?;
        let s = SignatureScheme::from_algorithm_identifier(tsi.signature_algorithm, Some(d)).ok()?;
        let raw = tsi.signed_attrs_raw.as_ref()?;
        let md = tsi.signed(&oid::MESSAGE_DIGEST);
        let md = md.first()?.values.first()?;
        if md.value != d.digest(content).as_slice() {
            return Some(false);
        }
        let attrs = raw.retagged(0x31);
        let certs = token_signer_candidates(sd, tsi, ctx);
        Some(certs.iter().any(|c| {
            meter.take_signature().is_ok()
                && ctx
                    .verifier
                    .verify(&c.public_key, &s, Message::Data(&attrs), &tsi.signature)
                    .is_ok()
        }))
    })();
    match ok {
        Some(true) => checks.pass(
            CheckCode::TimestampSignature,
            "the time-stamp token's signature verifies (TSA chain not validated)",
        ),
        Some(false) => checks.fail_no_effect(
            CheckCode::TimestampSignature,
            "the time-stamp token's signature does not verify",
        ),
        None => checks.not_run(
            CheckCode::TimestampSignature,
            None,
            "the time-stamp token's signature could not be checked",
        ),
    }
}

fn token_signer_candidates(
    sd: &SignedData<'_>,
    tsi: &cms::SignerInfo<'_>,
    ctx: &VerifyContext<'_>,
) -> Vec<std::sync::Arc<crate::formats::x509::Certificate>> {
    let certificates: Vec<_> = sd
        .certificates
        .iter()
        .filter_map(|der| ctx.parse_certificate(der).ok())
        .collect();
    let signer = match tsi.sid {
        cms::SignerId::IssuerSerial { issuer, serial } => SignerRef::IssuerSerial { issuer, serial },
        cms::SignerId::SubjectKeyId(k) => SignerRef::SubjectKeyId(k),
    };
    identify::candidates(&signer, &certificates, ctx)
}

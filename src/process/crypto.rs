//! Cryptographic verification (EN 319 102-1 5.2.7): the digests of the data objects, and the
//! signature value over the signed bytes with the key of a candidate signing certificate.

use crate::detail;
use std::sync::Arc;

use crate::context::{Meter, VerifyContext};
use crate::crypto::{CryptoError, Message, PublicKey, SignatureScheme};
use crate::formats::x509::Certificate;
use crate::process::{SignatureUnderTest, SignedBytes, SignedForm, SignedMessage, budget_check};
use crate::verdict::model::{Block, BlockResult};
use crate::verdict::{CheckCode, Checks, SubIndication};

/// Runs the block. Returns its result and the candidate whose key verified the signature.
///
/// The data objects' digests are compared first (HASH_FAILURE on a mismatch,
/// SIGNED_DATA_NOT_FOUND when the data is not available). Then each candidate certificate's key
/// is tried on each signed form, in order, each try taken from the budget; the first that
/// verifies identifies the signer.
pub fn verify(
    sut: &SignatureUnderTest<'_>,
    candidates: &[Arc<Certificate>],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
) -> (BlockResult, Option<Arc<Certificate>>) {
    let mut checks = Checks::default();
    check_data_objects(sut, &mut checks);
    let signer = match (&sut.scheme, &sut.signed_bytes) {
        (Err(_), _) => {
            checks.not_run(CheckCode::SignatureValue, None, "signature algorithm not usable");
            None
        }
        _ if candidates.is_empty() => None,
        (Ok(_), SignedBytes::Missing(why)) => {
            checks.not_run(
                CheckCode::SignatureValue,
                Some(SubIndication::SignedDataNotFound),
                why.clone(),
            );
            None
        }
        (Ok(scheme), SignedBytes::Alternatives(forms)) => {
            verify_value(sut, scheme, forms, candidates, ctx, meter, &mut checks)
        }
    };
    (
        BlockResult::from_checks(Block::CryptographicVerification, checks),
        signer,
    )
}

/// Each data object: available (SIGNED_DATA_FOUND) and, where the signature claims a digest,
/// equal to it (MESSAGE_DIGEST_MATCH).
fn check_data_objects(sut: &SignatureUnderTest<'_>, checks: &mut Checks) {
    for d in &sut.data_objects {
        let (actual, how) = match &d.actual {
            Ok(a) => a,
            Err(why) => {
                checks.not_run(
                    CheckCode::SignedDataFound,
                    Some(SubIndication::SignedDataNotFound),
                    why.clone(),
                );
                continue;
            }
        };
        checks.pass(CheckCode::SignedDataFound, how.clone());
        let Some(claimed) = &d.claimed else { continue };
        let alg = d.digest_algorithm.name();
        if claimed == actual {
            let name = d.name.clone();
            checks.pass(
                CheckCode::MessageDigestMatch,
                detail!("the signed digest matches the {alg} of the {name}"),
            );
        } else {
            checks.fail(
                CheckCode::MessageDigestMatch,
                SubIndication::HashFailure,
                format!("the signed digest differs from the {alg} of the {}", d.name),
            );
        }
    }
}

fn verify_value(
    sut: &SignatureUnderTest<'_>,
    scheme: &SignatureScheme,
    forms: &[SignedForm<'_>],
    candidates: &[Arc<Certificate>],
    ctx: &VerifyContext<'_>,
    meter: &Meter,
    checks: &mut Checks,
) -> Option<Arc<Certificate>> {
    let mut last_err = None;
    for cand in candidates {
        for form in forms {
            if meter.take_signature().is_err() {
                checks.record(budget_check(
                    CheckCode::SignatureValue,
                    "the signature value was checked",
                ));
                return None;
            }
            let message = match &form.message {
                SignedMessage::Data(d) => Message::Data(d),
                SignedMessage::Digest(d) => Message::Digest(d),
            };
            let value = signature_for_key(scheme, &sut.value, &cand.public_key);
            match ctx.verifier.verify(&cand.public_key, scheme, message, &value) {
                Ok(()) => {
                    let scheme = scheme.clone();
                    checks.pass(
                        CheckCode::SignatureValue,
                        detail!("{} signature verifies", scheme.name()),
                    );
                    if let Some(c) = &form.on_success {
                        checks.record(c.clone());
                    }
                    return Some(cand.clone());
                }
                Err(e) => last_err = Some(e),
            }
        }
    }
    match last_err {
        Some(e @ CryptoError::Unsupported(_)) => checks.fail(CheckCode::SignatureValue, (&e).into(), e.to_string()),
        _ => checks.fail(
            CheckCode::SignatureValue,
            SubIndication::SigCryptoFailure,
            format!(
                "{} signature does not verify with the key of the signer certificate",
                scheme.name()
            ),
        ),
    }
    None
}

/// An ECDSA signature as DER `{r, s}`: DER input is kept, raw `r || s` (IEEE P1363, as
/// Smart-ID, Mobiil-ID and XML-DSig give it) is converted for the key's curve.
pub fn signature_for_key<'v>(scheme: &SignatureScheme, sig: &'v [u8], key: &PublicKey) -> std::borrow::Cow<'v, [u8]> {
    use crate::crypto::Curve;
    use crate::formats::ber::{Tag, Tlv, encode};
    use std::borrow::Cow;
    let field = match (scheme, key) {
        (SignatureScheme::Ecdsa(_), PublicKey::Ec { curve, .. }) => match curve {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        },
        _ => return Cow::Borrowed(sig),
    };
    let is_der = Tlv::parse_exact(sig).is_ok_and(|t| t.tag == Tag::SEQUENCE);
    if is_der || sig.len() != 2 * field {
        return Cow::Borrowed(sig);
    }
    let int = |v: &[u8]| {
        let skip = v.iter().take_while(|b| **b == 0).count().min(v.len().saturating_sub(1));
        let v = &v[skip..];
        let mut c = Vec::with_capacity(v.len() + 1);
        if v.first().is_some_and(|b| b & 0x80 != 0) {
            c.push(0);
        }
        c.extend_from_slice(v);
        encode(0x02, &c)
    };
    let (r, s) = sig.split_at(field);
    Cow::Owned(encode(0x30, &[int(r), int(s)].concat()))
}

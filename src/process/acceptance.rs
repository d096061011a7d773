//! Signature acceptance validation (EN 319 102-1 5.2.8): the cryptographic constraints of the
//! policy on the algorithms and the signer's key at the validation time. Service profiles
//! (`crate::profiles`) add their own constraints on top of the process.

use crate::context::VerifyContext;
use crate::detail;
use crate::formats::x509::Certificate;
use crate::process::SignatureUnderTest;
use crate::verdict::model::{Block, BlockResult};
use crate::verdict::{CheckCode, Checks};

/// Runs the block for the signature and its signing certificate (when identified).
pub fn validate(sut: &SignatureUnderTest<'_>, signer: Option<&Certificate>, ctx: &VerifyContext<'_>) -> BlockResult {
    let mut checks = Checks::default();
    if let Some(cert) = signer {
        // The declared digest, the scheme's hash and every data object's digest: a document
        // protected by a weak digest is weak whatever signs that digest.
        let mut hashes = Vec::new();
        hashes.extend(sut.digest_algorithm);
        hashes.extend(sut.scheme.as_ref().ok().map(|s| s.hash()));
        hashes.extend(sut.data_objects.iter().map(|d| d.digest_algorithm));
        hashes.sort();
        hashes.dedup();
        let violation = hashes
            .into_iter()
            .filter_map(|h| ctx.policy.check_digest(h, ctx.time).err())
            .chain(ctx.policy.check_key(&cert.public_key, ctx.time).err())
            .next();
        match violation {
            None => {
                let name = ctx.policy.name.clone();
                checks.pass(
                    CheckCode::CryptoPolicy,
                    detail!("algorithms accepted by policy '{name}'"),
                )
            }
            Some(v) => checks.fail(CheckCode::CryptoPolicy, (&v).into(), v.detail),
        }
    }
    BlockResult::from_checks(Block::SignatureAcceptanceValidation, checks)
}

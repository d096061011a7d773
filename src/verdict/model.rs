//! The verdict model: what each building block of ETSI EN 319 102-1 concludes, and how the
//! conclusions of the blocks make the verdict on a signature (5.3.4) and on a file.
//!
//! Precedence is written here as rules, never taken from the order in which enum variants are
//! declared. A later block (long-term validation: a proof of existence from a time-stamp) can
//! take a [`BlockResult`] of an earlier one and replace its conclusion; the rules below then give
//! the new verdict.

use crate::verdict::{Check, CheckResult, Checks, Indication, SubIndication};

/// What a building block concludes (EN 319 102-1 5.1.3: PASSED, FAILED, INDETERMINATE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conclusion {
    /// Every check of the block passed.
    Passed,
    /// The block proved the signature invalid (TOTAL_FAILED sub-indications).
    Failed(SubIndication),
    /// The block could not conclude (INDETERMINATE sub-indications).
    Indeterminate(SubIndication),
}

impl Conclusion {
    /// A conclusion for `sub`, failed or indeterminate as the sub-indication belongs.
    pub fn of(sub: SubIndication) -> Conclusion {
        match sub.indication() {
            Indication::TotalFailed => Conclusion::Failed(sub),
            _ => Conclusion::Indeterminate(sub),
        }
    }

    /// The indication and sub-indication this conclusion gives a signature.
    pub fn verdict(self) -> (Indication, Option<SubIndication>) {
        match self {
            Conclusion::Passed => (Indication::TotalPassed, None),
            Conclusion::Failed(s) => (Indication::TotalFailed, Some(s)),
            Conclusion::Indeterminate(s) => (Indication::Indeterminate, Some(s)),
        }
    }

    /// Whether the block passed.
    pub fn passed(self) -> bool {
        self == Conclusion::Passed
    }

    /// Whether the block proved the signature invalid.
    pub fn failed(self) -> bool {
        matches!(self, Conclusion::Failed(_))
    }

    /// The sub-indication, when not passed.
    pub fn sub(self) -> Option<SubIndication> {
        match self {
            Conclusion::Passed => None,
            Conclusion::Failed(s) | Conclusion::Indeterminate(s) => Some(s),
        }
    }
}

/// The building blocks of EN 319 102-1 clause 5.2 that sigverify runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// 5.2.2 Format checking.
    FormatChecking,
    /// 5.2.3 Identification of the signing certificate.
    SigningCertificateIdentification,
    /// 5.2.4 Validation context initialisation.
    ValidationContextInitialisation,
    /// 5.2.6 X.509 certificate validation (path, end entity, revocation).
    X509CertificateValidation,
    /// 5.2.7 Cryptographic verification (data object digests, signature value).
    CryptographicVerification,
    /// 5.2.8 Signature acceptance validation (algorithm constraints, profile constraints).
    SignatureAcceptanceValidation,
    /// 5.4 Time-stamp validation (signature time-stamps; their proof of existence not used yet).
    TimestampValidation,
}

/// The result of one building block: its conclusion and the checks it ran, in order.
#[derive(Clone, Debug)]
pub struct BlockResult {
    /// Which block.
    pub block: Block,
    /// What it concluded.
    pub conclusion: Conclusion,
    /// The checks it ran.
    pub checks: Checks,
}

impl BlockResult {
    /// A block result whose conclusion follows from its checks by [`Conclusion::from_checks`].
    pub fn from_checks(block: Block, checks: Checks) -> BlockResult {
        BlockResult {
            block,
            conclusion: Conclusion::from_checks(checks.as_slice()),
            checks,
        }
    }
}

impl Conclusion {
    /// The conclusion of a block from the checks it ran, in the order it ran them: the first
    /// check that proves the signature invalid (a TOTAL_FAILED sub-indication), else the first
    /// that leaves it undecided (an INDETERMINATE sub-indication), else PASSED.
    pub fn from_checks(checks: &[Check]) -> Conclusion {
        let subs = || checks.iter().filter_map(|c| c.sub_indication);
        subs()
            .find(|s| s.indication() == Indication::TotalFailed)
            .or_else(|| subs().next())
            .map_or(Conclusion::Passed, Conclusion::of)
    }
}

/// Basic signature validation, EN 319 102-1 5.3.4, over the results of the blocks:
///
/// 1. format checking FAILED: TOTAL_FAILED with its sub-indication;
/// 2. cryptographic verification FAILED (HASH_FAILURE, SIG_CRYPTO_FAILURE): TOTAL_FAILED. A
///    proven forgery is never hidden behind an INDETERMINATE of another block; the standard
///    lets a validator stop earlier, sigverify always runs the cryptographic verification when
///    a key is at hand, and says so;
/// 3. identification of the signing certificate not PASSED: its result;
/// 4. validation context initialisation not PASSED: its result;
/// 5. X.509 certificate validation FAILED (NOT_YET_VALID, REVOKED): TOTAL_FAILED;
/// 6. cryptographic verification INDETERMINATE (SIGNED_DATA_NOT_FOUND): its result;
/// 7. X.509 certificate validation INDETERMINATE: its result (5.3.4 step 4: the signature
///    value is still checked, step 2 above, but the certificate decides);
/// 8. signature acceptance validation not PASSED: its result;
/// 9. otherwise TOTAL_PASSED.
///
/// Time-stamp validation does not take part: a time-stamp that fails gives no proof of
/// existence but does not make an intact signature invalid (unsigned attributes are not
/// covered by the signature).
pub fn basic_signature_validation(
    fc: Conclusion,
    isc: Conclusion,
    vci: Conclusion,
    xcv: Conclusion,
    cv: Conclusion,
    sav: Conclusion,
) -> Conclusion {
    if fc.failed() {
        return fc;
    }
    if cv.failed() {
        return cv;
    }
    for c in [fc, isc, vci] {
        if !c.passed() {
            return c;
        }
    }
    if xcv.failed() {
        return xcv;
    }
    for c in [cv, xcv, sav] {
        if !c.passed() {
            return c;
        }
    }
    Conclusion::Passed
}

/// The verdict on a certificate verified on its own: X.509 certificate validation decides,
/// then the policy on its key.
pub fn certificate_validation(xcv: Conclusion, key_policy: Conclusion) -> Conclusion {
    if !xcv.passed() {
        return xcv;
    }
    key_policy
}

/// The verdict on a file from the verdicts on its parts (the file's own checks first, then its
/// signatures in file order): TOTAL_FAILED if any part failed, else INDETERMINATE if any part is
/// indeterminate, else TOTAL_PASSED; the sub-indication is that of the first part, in that
/// order, with the chosen indication. A file with no part at all is TOTAL_FAILED /
/// FORMAT_FAILURE (nothing was verified).
pub fn file_verdict(
    parts: impl IntoIterator<Item = (Indication, Option<SubIndication>)>,
) -> (Indication, Option<SubIndication>) {
    let parts: Vec<_> = parts.into_iter().collect();
    if parts.is_empty() {
        return (Indication::TotalFailed, Some(SubIndication::FormatFailure));
    }
    for wanted in [Indication::TotalFailed, Indication::Indeterminate] {
        if let Some(p) = parts.iter().find(|p| p.0 == wanted) {
            return *p;
        }
    }
    (Indication::TotalPassed, None)
}

/// The verdict of a file-level check list on its own: the block rule of
/// [`Conclusion::from_checks`]; a list in which nothing passed and nothing failed proves
/// nothing and is TOTAL_FAILED / FORMAT_FAILURE.
pub fn checks_verdict(checks: &[Check]) -> (Indication, Option<SubIndication>) {
    match Conclusion::from_checks(checks) {
        Conclusion::Passed if !checks.iter().any(|c| c.result == CheckResult::Passed) => {
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        }
        c => c.verdict(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Conclusion::*;
    use SubIndication as S;

    #[test]
    fn forgery_beats_indeterminate() {
        let v = basic_signature_validation(
            Passed,
            Passed,
            Passed,
            Indeterminate(S::NoCertificateChainFound),
            Failed(S::HashFailure),
            Passed,
        );
        assert_eq!(v, Failed(S::HashFailure));
    }

    #[test]
    fn certificate_before_acceptance() {
        let v = basic_signature_validation(
            Passed,
            Passed,
            Passed,
            Indeterminate(S::OutOfBoundsNoPoe),
            Passed,
            Indeterminate(S::CryptoConstraintsFailureNoPoe),
        );
        assert_eq!(v, Indeterminate(S::OutOfBoundsNoPoe));
    }

    #[test]
    fn format_failure_first() {
        let v = basic_signature_validation(
            Failed(S::FormatFailure),
            Indeterminate(S::NoSigningCertificateFound),
            Passed,
            Passed,
            Failed(S::SigCryptoFailure),
            Passed,
        );
        assert_eq!(v, Failed(S::FormatFailure));
    }

    #[test]
    fn file_takes_first_worst() {
        let v = file_verdict([
            (Indication::TotalPassed, None),
            (Indication::Indeterminate, Some(S::TryLater)),
            (Indication::Indeterminate, Some(S::NoCertificateChainFound)),
        ]);
        assert_eq!(v, (Indication::Indeterminate, Some(S::TryLater)));
        assert_eq!(file_verdict([]).0, Indication::TotalFailed);
    }
}

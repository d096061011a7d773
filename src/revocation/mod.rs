//! Revocation: OCSP responses ([`ocsp`]) and CRLs ([`crl`]), and the status of a certificate
//! path at a time from those at hand ([`path`]), and the statuses a validation lacked
//! ([`wanted`]).

pub mod crl;
pub mod ocsp;
pub mod path;
pub mod wanted;

use crate::detail;
use std::borrow::Cow;

use crate::policy::{Policy, RevocationMode};
use crate::verdict::{Check, CheckCode, CheckResult, Detail, SubIndication};

/// How the caller wants revocation checked.
///
/// Parsed from, and serialized as, its lowercase name (`off`, `embedded`, `live`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum OcspMode {
    /// Revocation status is not required: the policy's revocation mode becomes
    /// [`RevocationMode::NotEvaluated`]. Information at hand is still evaluated (a revoked
    /// certificate still fails), and a status that cannot be established is reported as
    /// revocation checking switched off by request.
    Off,
    /// The policy as configured (the bundled one requires revocation status), from the
    /// information the signature carries and the caller hands in; no responder is asked.
    #[default]
    Embedded,
    /// The policy as configured, and the responders of the certificates whose status the
    /// information at hand did not prove are asked (the `online` shell, `online::
    /// verify_with_live_ocsp`); the core validates as under [`OcspMode::Embedded`], with the
    /// answers handed in.
    Live,
}

impl OcspMode {
    /// Every mode, in the order of their names.
    pub const ALL: &'static [OcspMode] = &[OcspMode::Off, OcspMode::Embedded, OcspMode::Live];

    /// The names accepted by [`OcspMode::from_name`].
    pub const NAMES: &'static [&'static str] = &["off", "embedded", "live"];

    /// The stable spelling (`off`, `embedded`, `live`).
    pub fn as_str(self) -> &'static str {
        match self {
            OcspMode::Off => "off",
            OcspMode::Embedded => "embedded",
            OcspMode::Live => "live",
        }
    }

    /// The mode named `name` (case-insensitive).
    pub fn from_name(name: &str) -> Option<OcspMode> {
        OcspMode::ALL
            .iter()
            .copied()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    /// The policy to validate with under this mode: `policy` itself (embedded, live), or for
    /// [`OcspMode::Off`] a copy that does not require revocation status and says it was
    /// switched off.
    pub fn policy(self, policy: &Policy) -> Cow<'_, Policy> {
        match self {
            OcspMode::Embedded | OcspMode::Live => Cow::Borrowed(policy),
            OcspMode::Off => {
                let mut off = policy.clone();
                off.revocation = RevocationMode::NotEvaluated;
                off.revocation_switched_off = true;
                Cow::Owned(off)
            }
        }
    }
}

impl OcspMode {
    /// Whether responders are asked ([`OcspMode::Live`]).
    pub fn is_live(self) -> bool {
        self == OcspMode::Live
    }
}

impl std::fmt::Display for OcspMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for OcspMode {
    type Err = String;

    fn from_str(s: &str) -> Result<OcspMode, String> {
        OcspMode::from_name(s).ok_or_else(|| format!("'{s}' is not one of {}", OcspMode::NAMES.join(", ")))
    }
}

macro_rules! switched_off {
    () => {
        "revocation checking switched off by request"
    };
}
/// What a report says when revocation status is not required because the caller switched
/// checking off.
pub const SWITCHED_OFF: &str = switched_off!();
const SWITCHED_OFF_DETAIL: &str = concat!("revocation status not evaluated (", switched_off!(), ")");

/// How fresh revocation information must be to speak for a time (the policy's tolerances).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// Clock skew allowed between the issuer of the information and the time proved, in
    /// seconds (a thisUpdate this far after the time still counts as at it).
    pub skew_seconds: i64,
    /// Without a nextUpdate, how long after its thisUpdate the information counts, in seconds.
    pub max_age_seconds: i64,
}

impl Freshness {
    /// The tolerances `policy` sets (`[revocation] skew_seconds`, `max_age_seconds`).
    pub fn of(policy: &Policy) -> Freshness {
        Freshness {
            skew_seconds: policy.revocation_skew_seconds,
            max_age_seconds: policy.revocation_max_age_seconds,
        }
    }
}

impl Default for Freshness {
    /// 5 minutes of skew; 24 hours for information without a nextUpdate.
    fn default() -> Self {
        Freshness {
            skew_seconds: 300,
            max_age_seconds: 24 * 3600,
        }
    }
}

/// The revocation check of a certificate path: NOT_RUN, and under a policy that requires
/// revocation status, INDETERMINATE / TRY_LATER.
pub fn status(policy: &Policy) -> Check {
    let (sub, detail) = match policy.revocation {
        RevocationMode::NotEvaluated if policy.revocation_switched_off => (None, Detail::from(SWITCHED_OFF_DETAIL)),
        RevocationMode::NotEvaluated => {
            let name = policy.name.clone();
            (
                None,
                detail!("revocation status not evaluated (policy '{name}' does not require it)"),
            )
        }
        RevocationMode::Required => (
            Some(SubIndication::TryLater),
            Detail::from("revocation status required by the policy but not evaluated"),
        ),
    };
    Check {
        code: CheckCode::Revocation,
        result: CheckResult::NotRun,
        sub_indication: sub,
        detail,
    }
}

/// The policy on the digest and key of a signature over revocation information, at the time
/// the validation is made for (the validation time; in a past validation, the time of the
/// signature's proof of existence): an answer signed with an algorithm that no longer protects
/// it could have been forged since.
pub(crate) fn signature_policy(
    ctx: &crate::context::VerifyContext<'_>,
    hash: crate::crypto::HashAlg,
    key: &crate::crypto::PublicKey,
) -> Result<(), String> {
    ctx.policy.check_digest(hash, ctx.time).map_err(|v| v.detail)?;
    ctx.policy.check_key(key, ctx.time).map_err(|v| v.detail)
}

/// The signature over revocation information (`tbs`), checked once per verification: the same
/// response or CRL serves several certificates and several times (now, at a proof of
/// existence, for a time-stamp's path), and only the first check takes from the budget. The
/// memo is keyed by the digests of the signed bytes with the signature, and of the key.
/// `Err(None)`: the budget ran out.
pub(crate) fn verify_once(
    ctx: &crate::context::VerifyContext<'_>,
    meter: &crate::context::Meter<'_>,
    key: &crate::crypto::PublicKey,
    scheme: &crate::crypto::SignatureScheme,
    tbs: &[u8],
    signature: &[u8],
) -> Result<(), Option<crate::crypto::CryptoError>> {
    use crate::crypto::{HashAlg, PublicKey};
    let key_bytes: &[u8] = match key {
        PublicKey::Rsa { der, .. } => der,
        PublicKey::Ec { point, .. } => point,
        PublicKey::Other { .. } => &[],
    };
    let mut memo = [0u8; 64];
    memo[..32].copy_from_slice(&HashAlg::Sha256.digest(&[tbs, signature, scheme.name().as_bytes()].concat()));
    memo[32..].copy_from_slice(&HashAlg::Sha256.digest(key_bytes));
    match meter.link(&memo) {
        Some(true) => return Ok(()),
        Some(false) => return Err(Some(crate::crypto::CryptoError::BadSignature)),
        None => {}
    }
    meter.take_signature().map_err(|_| None)?;
    let result = ctx
        .verifier
        .verify(key, scheme, crate::crypto::Message::Data(tbs), signature);
    if !matches!(result, Err(crate::crypto::CryptoError::Unsupported(_))) {
        meter.record_link(memo, result.is_ok());
    }
    result.map_err(Some)
}

//! The one place where internal errors become sub-indications (EN 319 102-1 Table 5).

use crate::chain::ChainError;
use crate::context::Exhausted;
use crate::crypto::{AlgError, CryptoError};
use crate::policy::{Violation, ViolationKind};
use crate::verdict::SubIndication;

impl From<&ChainError> for SubIndication {
    fn from(e: &ChainError) -> SubIndication {
        match e {
            ChainError::UnknownIssuer { .. } | ChainError::BadSignature { .. } => {
                SubIndication::NoCertificateChainFound
            }
            ChainError::BudgetExhausted { .. } => SubIndication::BudgetExhausted,
            ChainError::Unsupported { .. } => SubIndication::CryptoConstraintsFailure,
            ChainError::Policy { violation, .. } => violation.into(),
            ChainError::Constraint { .. } => SubIndication::ChainConstraintsFailure,
            ChainError::CaOutOfValidity { .. } => SubIndication::OutOfBoundsNoPoe,
        }
    }
}

impl From<&Violation> for SubIndication {
    fn from(v: &Violation) -> SubIndication {
        match v.kind {
            ViolationKind::NotAccepted => SubIndication::CryptoConstraintsFailure,
            ViolationKind::Sunset => SubIndication::CryptoConstraintsFailureNoPoe,
        }
    }
}

impl From<&AlgError> for SubIndication {
    fn from(e: &AlgError) -> SubIndication {
        match e {
            AlgError::Malformed => SubIndication::FormatFailure,
            _ => SubIndication::CryptoConstraintsFailure,
        }
    }
}

impl From<&CryptoError> for SubIndication {
    fn from(e: &CryptoError) -> SubIndication {
        match e {
            CryptoError::Unsupported(_) => SubIndication::CryptoConstraintsFailure,
            _ => SubIndication::SigCryptoFailure,
        }
    }
}

impl From<Exhausted> for SubIndication {
    fn from(_: Exhausted) -> SubIndication {
        SubIndication::BudgetExhausted
    }
}

#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

#[cfg(feature = "server")]
pub mod api;
pub mod chain;
pub mod crypto;
pub mod formats;
pub mod mobileid;
pub mod policy;
pub mod time;
pub mod trust;
pub mod verdict;
mod verify;

pub use chain::{CertPool, LinkCache, TrustStore};
pub use crypto::{DefaultVerifier, HashAlg, SignatureVerifier};
pub use policy::Policy;
pub use time::UnixTime;
pub use verdict::{Indication, Report, SubIndication};
pub use verify::{Content, MAX_INPUT_LEN, VerifyContext, cert_info, parse_signature_algorithm, verify, verify_raw};

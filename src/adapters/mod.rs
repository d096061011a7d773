//! One adapter per signature format: a parsed document becomes [`crate::process::SignatureUnderTest`]s
//! (and file-level checks) for the format-blind validation process.

pub mod asic;
pub mod cades;
pub mod certificate;
pub mod ddoc;
pub mod pades;
pub mod raw;
pub mod xades;

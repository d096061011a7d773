//! Parsing only: bytes to typed views that keep the exact signed bytes. No trust decisions.

pub mod alg;
pub mod asic;
pub mod ber;
pub mod cms;
pub mod crl;
pub mod ocsp;
pub mod pdf;
pub mod x509;
pub mod xml;
pub mod xmldsig;
pub mod zip;

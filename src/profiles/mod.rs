//! Service profiles: checks a service adds on top of the validation process.

pub mod mobileid;

//! PAdES and PDF signatures: every signature field of every revision, its byte range, its CMS
//! through the CAdES adapter, and what changed after it ([`diff`]).

pub mod diff;

//! The Document Security Store (ETSI EN 319 142-1 5.4.2, ISO 32000-2 12.8.4.3): the
//! certificates, OCSP responses and CRLs a PAdES-LT/LTA file adds for its signatures. They are
//! untrusted material: certificates help build paths, revocation data is evaluated like any
//! other that a signature carries.

use std::borrow::Cow;
use std::sync::Arc;

use crate::context::VerifyContext;
use crate::formats::pdf::{Object, Pdf};
use crate::formats::x509::Certificate;
use crate::process::RevocationData;

/// Most entries read from each of `/Certs`, `/OCSPs` and `/CRLs`.
pub const MAX_ENTRIES: usize = 256;

/// What the DSS of the newest revision holds, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Dss {
    /// Certificates (`/Certs`).
    pub certificates: Vec<Arc<Certificate>>,
    /// OCSP responses (`/OCSPs`) and CRLs (`/CRLs`).
    pub revocation: Vec<RevocationData<'static>>,
    /// Entries skipped, with why.
    pub skipped: Vec<String>,
}

/// Reads the DSS of the newest revision's catalog, if there is one.
pub fn read(pdf: &Pdf<'_>, ctx: &VerifyContext<'_>) -> Dss {
    let mut dss = Dss::default();
    let Some(dict) = dss_dict(pdf) else { return dss };
    let rev = pdf.revisions.len().saturating_sub(1);
    for (key, what) in [
        (b"Certs".as_slice(), "certificate"),
        (b"OCSPs", "OCSP response"),
        (b"CRLs", "CRL"),
    ] {
        for (i, data) in streams(pdf, rev, dict.get(key)).into_iter().enumerate() {
            let data = match data {
                Ok(d) => d,
                Err(e) => {
                    dss.skipped.push(format!("DSS {what} {}: {e}", i + 1));
                    continue;
                }
            };
            match key {
                b"Certs" => match ctx.parse_certificate(&data) {
                    Ok(c) => dss.certificates.push(c),
                    Err(e) => dss.skipped.push(format!("DSS {what} {}: {e}", i + 1)),
                },
                b"OCSPs" => dss.revocation.push(RevocationData::Ocsp(Cow::Owned(data))),
                _ => dss.revocation.push(RevocationData::Crl(Cow::Owned(data))),
            }
        }
    }
    dss
}

fn dss_dict(pdf: &Pdf<'_>) -> Option<crate::formats::pdf::Dict> {
    let rev = pdf.revisions.len().checked_sub(1)?;
    let root = pdf.revisions.get(rev)?.trailer.get(b"Root".as_slice())?;
    let catalog = pdf.resolve(root, rev).ok()?;
    let dss = pdf.resolve(catalog.as_dict()?.get(b"DSS".as_slice())?, rev).ok()?;
    dss.as_dict().cloned()
}

/// The decoded streams an array of references names, at most [`MAX_ENTRIES`].
fn streams(pdf: &Pdf<'_>, rev: usize, array: Option<&Object>) -> Vec<Result<Vec<u8>, String>> {
    let Some(array) = array.and_then(|a| pdf.resolve(a, rev).ok()) else {
        return Vec::new();
    };
    let Some(items) = array.as_array() else {
        return vec![Err("not an array".into())];
    };
    items
        .iter()
        .take(MAX_ENTRIES)
        .map(|item| match pdf.resolve(item, rev) {
            Ok(Object::Stream(s)) => pdf.decode(&s).map_err(|e| e.to_string()),
            Ok(_) => Err("not a stream".into()),
            Err(e) => Err(e.to_string()),
        })
        .collect()
}

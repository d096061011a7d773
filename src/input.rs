//! Sniffing and unwrapping: what the input is, with PEM armour and Base64 removed.
//!
//! Nothing may follow the outermost structure: bytes after a DER or BER ContentInfo (checked
//! when it is parsed), text after a PEM block's END line other than white space, and Base64
//! that decodes to more than one structure are a FORMAT_FAILURE. Trailing bytes are where a
//! second document hides behind a valid signature. The one exception is zero bytes after a
//! ContentInfo: fixed-size signature buffers are padded so (real corporate signers do it, and
//! PDF /Contents always are); zeros can carry nothing, and the report warns of them.

use std::borrow::Cow;

use crate::context::MAX_INPUT_LEN;
use crate::formats::ber::{Tag, Tlv};
use crate::formats::cms;
use crate::formats::x509::{self, Certificate};
use crate::verdict::Format;

/// What an input is.
#[derive(Debug)]
pub enum Document<'a> {
    /// A CMS ContentInfo (DER or BER), unwrapped from PEM or Base64 when it came so.
    Cms(Cow<'a, [u8]>),
    /// An X.509 certificate.
    Certificate(Box<Certificate>),
    /// An XML document (XML-DSig, XAdES, DDOC).
    Xml(Cow<'a, [u8]>),
    /// A ZIP file (ASiC-E, BDOC, ASiC-S).
    Zip(Cow<'a, [u8]>),
    /// A PDF.
    Pdf(Cow<'a, [u8]>),
    /// A format recognised but not verified by this version.
    Unsupported(Format),
    /// Not usable: why.
    Malformed(String),
}

/// Tells what `input` is.
pub fn sniff(input: &[u8]) -> Document<'_> {
    if input.len() > MAX_INPUT_LEN {
        return Document::Malformed(format!(
            "input of {} bytes exceeds the limit of {MAX_INPUT_LEN}",
            input.len()
        ));
    }
    let bytes: Cow<'_, [u8]> = if x509::looks_like_pem(input) {
        match unwrap_pem(input) {
            Ok(PemBlock::Certificate(der)) => return certificate(&der),
            Ok(PemBlock::Cms(der)) => Cow::Owned(der),
            Err(e) => return Document::Malformed(e),
        }
    } else {
        match base64_body(input) {
            Some(raw) => Cow::Owned(raw),
            None => Cow::Borrowed(input),
        }
    };
    if cms::looks_like_signed_data(&bytes) {
        return Document::Cms(bytes);
    }
    match other_format(&bytes) {
        Some(Format::Xml) => return Document::Xml(bytes),
        Some(Format::Zip) => return Document::Zip(bytes),
        Some(Format::Pdf) => return Document::Pdf(bytes),
        Some(format) => return Document::Unsupported(format),
        None => {}
    }
    match Certificate::from_der(&bytes) {
        Ok(cert) => Document::Certificate(Box::new(cert)),
        Err(_) if bytes.is_empty() => Document::Malformed("empty input".into()),
        Err(_) => Document::Malformed(not_recognised(&bytes)),
    }
}

/// One certificate, DER or PEM (one CERTIFICATE block), with nothing after it.
pub fn one_certificate(bytes: &[u8]) -> Result<Certificate, String> {
    if !x509::looks_like_pem(bytes) {
        return Certificate::from_der(bytes).map_err(|e| e.to_string());
    }
    match unwrap_pem(bytes)? {
        PemBlock::Certificate(der) => Certificate::from_der(&der).map_err(|e| e.to_string()),
        PemBlock::Cms(_) => Err("a PKCS7/CMS block, not a certificate".into()),
    }
}

fn certificate(der: &[u8]) -> Document<'static> {
    match Certificate::from_der(der) {
        Ok(c) => Document::Certificate(Box::new(c)),
        Err(e) => Document::Malformed(e.to_string()),
    }
}

fn not_recognised(bytes: &[u8]) -> String {
    match Tlv::parse(bytes) {
        Ok((t, rest)) if t.tag == Tag::SEQUENCE && !rest.is_empty() => format!(
            "not a CMS SignedData or X.509 certificate: {} byte(s) after the end of the structure",
            rest.len()
        ),
        Ok((t, _)) if t.tag == Tag::SEQUENCE => match cms::parse_content_info(bytes) {
            Err(e) => format!("not a CMS SignedData or X.509 certificate: {e}"),
            Ok(_) => "unrecognised structure".into(),
        },
        _ => "not a CMS SignedData or X.509 certificate (not ASN.1 DER/BER)".into(),
    }
}

enum PemBlock {
    Certificate(Vec<u8>),
    Cms(Vec<u8>),
}

/// Exactly one PEM block, CERTIFICATE or PKCS7/CMS, and nothing but white space after it.
fn unwrap_pem(input: &[u8]) -> Result<PemBlock, String> {
    let text = std::str::from_utf8(input).map_err(|_| "PEM input is not UTF-8 text".to_string())?;
    let label = ["CERTIFICATE", "PKCS7", "CMS"]
        .into_iter()
        .find(|l| text.trim_start().starts_with(&format!("-----BEGIN {l}-----")))
        .ok_or("PEM input is neither one CERTIFICATE nor one PKCS7/CMS block")?;
    let end = format!("-----END {label}-----");
    let after = text
        .find(&end)
        .map(|i| &text[i + end.len()..])
        .ok_or("unterminated PEM block")?;
    if after.contains("-----BEGIN ") {
        return Err(format!("PEM holds more than one block; give one {label}"));
    }
    if !after.trim().is_empty() {
        return Err(format!(
            "{} byte(s) of text after the end of the PEM block",
            after.trim_end().len()
        ));
    }
    let blocks = x509::pem_blocks(text, label).map_err(|e| e.to_string())?;
    match <[Vec<u8>; 1]>::try_from(blocks) {
        Ok([der]) if label == "CERTIFICATE" => Ok(PemBlock::Certificate(der)),
        Ok([der]) => Ok(PemBlock::Cms(der)),
        Err(v) if label == "CERTIFICATE" => Err(format!("PEM holds {} certificates; give one", v.len())),
        Err(_) => Err("PEM input is neither one CERTIFICATE nor one PKCS7/CMS block".into()),
    }
}

/// The formats told by their first bytes: XML (XAdES, DDOC), PDF (PAdES), ZIP (ASiC).
fn other_format(bytes: &[u8]) -> Option<Format> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(bytes, |i| &bytes[i..]);
    let start = start.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(start);
    if start.starts_with(b"%PDF-") {
        Some(Format::Pdf)
    } else if start.starts_with(b"<") {
        Some(Format::Xml)
    } else if start.starts_with(b"PK\x03\x04") {
        Some(Format::Zip)
    } else {
        None
    }
}

/// Decodes input that is entirely Base64 text (as Mobile ID and HTTP APIs carry signatures).
fn base64_body(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    if bytes.len() < 16
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n \t".contains(b))
    {
        return None;
    }
    let compact: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).ok()
}

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
    /// An X.509 certificate, with the certificates that followed it in a PEM bundle (untrusted
    /// issuers for its path; none for DER or a single PEM block).
    Certificate(Box<Certificate>, Vec<Certificate>),
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
            Ok(PemBlock::Certificates(ders)) => return certificates(&ders),
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
        Ok(cert) => Document::Certificate(Box::new(cert), Vec::new()),
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
        PemBlock::Certificates(ders) => match <[Vec<u8>; 1]>::try_from(ders) {
            Ok([der]) => Certificate::from_der(&der).map_err(|e| e.to_string()),
            Err(v) => Err(format!("PEM holds {} certificates; give one", v.len())),
        },
        PemBlock::Cms(_) => Err("a PKCS7/CMS block, not a certificate".into()),
    }
}

/// The subject (the first certificate) and the rest of a bundle, all of which must parse.
fn certificates(ders: &[Vec<u8>]) -> Document<'static> {
    let parsed: Result<Vec<Certificate>, _> = ders.iter().map(|d| Certificate::from_der(d)).collect();
    let mut certs = match parsed {
        Ok(certs) => certs.into_iter(),
        Err(e) => return Document::Malformed(e.to_string()),
    };
    match certs.next() {
        Some(subject) => Document::Certificate(Box::new(subject), certs.collect()),
        None => Document::Malformed("no PEM certificate block".into()),
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
    /// One certificate, or a bundle: the subject first, then its issuers.
    Certificates(Vec<Vec<u8>>),
    Cms(Vec<u8>),
}

/// Most certificates in a PEM bundle: a subject and the intermediates of its path.
pub const MAX_PEM_BUNDLE: usize = 16;

/// Exactly one PKCS7/CMS PEM block, or CERTIFICATE blocks (at most [`MAX_PEM_BUNDLE`]), and
/// nothing but white space between and after them.
fn unwrap_pem(input: &[u8]) -> Result<PemBlock, String> {
    let text = std::str::from_utf8(input).map_err(|_| "PEM input is not UTF-8 text".to_string())?;
    let label = ["CERTIFICATE", "PKCS7", "CMS"]
        .into_iter()
        .find(|l| text.trim_start().starts_with(&format!("-----BEGIN {l}-----")))
        .ok_or("PEM input is neither one CERTIFICATE nor one PKCS7/CMS block")?;
    if label == "CERTIFICATE" {
        return certificate_blocks(text).map(PemBlock::Certificates);
    }
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
        Ok([der]) => Ok(PemBlock::Cms(der)),
        Err(_) => Err("PEM input is neither one CERTIFICATE nor one PKCS7/CMS block".into()),
    }
}

/// The DER of each CERTIFICATE block of `text`, in order: blocks separated and followed by white
/// space only (no other label, no text between them), at most [`MAX_PEM_BUNDLE`].
fn certificate_blocks(text: &str) -> Result<Vec<Vec<u8>>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut ders = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let Some(block) = rest.strip_prefix(BEGIN) else {
            return Err(match rest.starts_with("-----BEGIN ") {
                true => "PEM bundle holds a block other than CERTIFICATE".into(),
                false => format!(
                    "{} byte(s) of text after the end of the PEM block",
                    rest.trim_end().len()
                ),
            });
        };
        let stop = block.find(END).ok_or("unterminated PEM block")?;
        if block[..stop].contains("-----") {
            return Err("unterminated PEM block".into());
        }
        if ders.len() == MAX_PEM_BUNDLE {
            return Err(format!("PEM bundle holds more than {MAX_PEM_BUNDLE} certificates"));
        }
        let one = &rest[..BEGIN.len() + stop + END.len()];
        let der = x509::pem_blocks(one, "CERTIFICATE")
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or("no PEM certificate block")?;
        ders.push(der);
        rest = block[stop + END.len()..].trim_start();
    }
    Ok(ders)
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

#[cfg(test)]
mod tests {
    use super::*;

    const LEAF: &str = include_str!("../testdata/pki/rsa/leaf.pem");
    const ICA: &str = include_str!("../testdata/pki/rsa/ica.pem");

    fn bundled(doc: Document<'_>) -> Result<(String, Vec<String>), String> {
        match doc {
            Document::Certificate(c, rest) => Ok((
                c.subject_string().to_string(),
                rest.iter().map(|c| c.subject_string().to_string()).collect(),
            )),
            Document::Malformed(e) => Err(e),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn a_pem_bundle_is_the_first_certificate_and_its_issuers() {
        let (leaf, rest) = bundled(sniff(LEAF.as_bytes())).unwrap();
        assert!(rest.is_empty());
        let (first, issuers) = bundled(sniff(format!("{LEAF}\n{ICA}\n").as_bytes())).unwrap();
        assert_eq!(first, leaf);
        assert_eq!(issuers, [bundled(sniff(ICA.as_bytes())).unwrap().0]);
        // The raw-signature certificate stays one certificate.
        assert!(one_certificate(format!("{LEAF}{ICA}").as_bytes()).is_err());
        assert!(one_certificate(LEAF.as_bytes()).is_ok());
    }

    #[test]
    fn a_pem_bundle_holds_certificates_and_white_space_only() {
        let refused = [
            format!("{LEAF}subject=CN=x\n{ICA}"),
            format!("{LEAF}{ICA}garbage\n"),
            format!("{LEAF}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            format!("{LEAF}{}", ICA.replace("-----END CERTIFICATE-----", "")),
            format!("{LEAF}{}", ICA.replace('M', "*")),
            LEAF.repeat(MAX_PEM_BUNDLE + 1),
        ];
        for input in refused {
            assert!(bundled(sniff(input.as_bytes())).is_err(), "{input}");
        }
        let most = bundled(sniff(LEAF.repeat(MAX_PEM_BUNDLE).as_bytes())).unwrap();
        assert_eq!(most.1.len(), MAX_PEM_BUNDLE - 1);
    }
}

//! Whether a certificate may make document signatures: RFC 5280 4.2.1.3 (keyUsage) and
//! 4.2.1.12 (extendedKeyUsage).
//!
//! The rule, for signing certificates and for certificates verified on their own (this service
//! verifies certificates for signing):
//!
//! * keyUsage, when present, must have digitalSignature or nonRepudiation (contentCommitment);
//! * extendedKeyUsage, when present, critical or not, must list a purpose that covers signing
//!   documents or messages: anyExtendedKeyUsage, emailProtection (S/MIME, OpenSSL's
//!   `smimesign` purpose), documentSigning (RFC 9336), Adobe Authentic Documents Trust
//!   (1.2.840.113583.1.1.5), Microsoft document signing (1.3.6.1.4.1.311.10.3.12), or
//!   clientAuth (qualified and national-ID signing certificates carry it, as do the
//!   authentication certificates whose raw signatures Smart-ID and Mobiil-ID return). A
//!   certificate whose extendedKeyUsage lists only other purposes (TLS server, code signing,
//!   time-stamping, OCSP signing, ...) may not be used for signatures (RFC 5280: "the
//!   certificate MUST only be used for one of the purposes indicated").
//!
//! A CA certificate verified on its own (basicConstraints cA) is checked for the purpose of
//! issuing certificates instead: keyUsage, when present, must have keyCertSign; its
//! extendedKeyUsage is not evaluated. Every report names the purpose it checked.
//!
//! DSS checks no extendedKeyUsage by default; OpenSSL's S/MIME purpose admits emailProtection
//! and anyExtendedKeyUsage only. This rule lies between the two: it refuses the purposes that
//! are clearly not signing and keeps the ones real signing certificates carry.

use const_oid::ObjectIdentifier as Oid;

use crate::formats::x509::{Certificate, key_usage};

/// extendedKeyUsage purposes that allow document signatures, with their names.
pub const SIGNING_PURPOSES: &[(Oid, &str)] = &[
    (Oid::new_unwrap("2.5.29.37.0"), "anyExtendedKeyUsage"),
    (Oid::new_unwrap("1.3.6.1.5.5.7.3.4"), "emailProtection"),
    (Oid::new_unwrap("1.3.6.1.5.5.7.3.36"), "documentSigning"),
    (
        Oid::new_unwrap("1.2.840.113583.1.1.5"),
        "Adobe Authentic Documents Trust",
    ),
    (Oid::new_unwrap("1.3.6.1.4.1.311.10.3.12"), "Microsoft document signing"),
    (Oid::new_unwrap("1.3.6.1.5.5.7.3.2"), "clientAuth"),
];

/// What a certificate is checked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Making document and message signatures (signing certificates).
    DocumentSigning,
    /// Issuing certificates (a CA certificate verified on its own).
    CertificateIssuing,
}

impl Purpose {
    /// The purpose a certificate verified on its own is checked for: certificate issuing for a
    /// CA certificate, document signing for any other.
    pub fn of_certificate(cert: &Certificate) -> Purpose {
        if cert.is_ca() {
            Purpose::CertificateIssuing
        } else {
            Purpose::DocumentSigning
        }
    }
}

/// keyUsage allows the purpose: digitalSignature or nonRepudiation for signing, keyCertSign
/// for issuing. `Ok` and `Err` carry the detail.
pub fn check_key_usage(cert: &Certificate, purpose: Purpose) -> Result<String, String> {
    if purpose == Purpose::CertificateIssuing {
        let purpose = "checked for certificate issuing (a CA certificate)";
        return match cert.key_usage {
            Some(ku) if ku & key_usage::KEY_CERT_SIGN == 0 => {
                Err(format!("keyUsage {ku:#06x} lacks keyCertSign ({purpose})"))
            }
            Some(_) => Ok(format!("keyUsage allows keyCertSign ({purpose})")),
            None => Ok(format!("no keyUsage extension: any use ({purpose})")),
        };
    }
    let purpose = "checked for document signing";
    match cert.key_usage {
        Some(ku) if ku & (key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION) == 0 => Err(format!(
            "keyUsage {ku:#06x} allows neither digitalSignature nor nonRepudiation ({purpose})"
        )),
        Some(_) => Ok(format!("keyUsage allows signing ({purpose})")),
        None => Ok(format!("no keyUsage extension: any use ({purpose})")),
    }
}

/// extendedKeyUsage, when present, lists a signing purpose (see the module documentation).
/// Not evaluated for certificate issuing.
pub fn check_extended_key_usage(cert: &Certificate, purpose: Purpose) -> Result<String, String> {
    if purpose == Purpose::CertificateIssuing {
        return Ok("not evaluated for certificate issuing (a CA certificate)".into());
    }
    let Some(purposes) = &cert.ext_key_usage else {
        return Ok("no extendedKeyUsage extension: any purpose (checked for document signing)".into());
    };
    match SIGNING_PURPOSES.iter().find(|(o, _)| purposes.contains(o)) {
        Some((_, name)) => Ok(format!("extendedKeyUsage allows document signing ({name})")),
        None => {
            let listed: Vec<String> = purposes.iter().map(purpose_name).collect();
            Err(format!(
                "extendedKeyUsage ({}) does not allow document signing",
                listed.join(", ")
            ))
        }
    }
}

fn purpose_name(o: &Oid) -> String {
    const OTHERS: &[(&str, &str)] = &[
        ("1.3.6.1.5.5.7.3.1", "serverAuth"),
        ("1.3.6.1.5.5.7.3.3", "codeSigning"),
        ("1.3.6.1.5.5.7.3.8", "timeStamping"),
        ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
    ];
    let dotted = o.to_string();
    OTHERS
        .iter()
        .find(|(d, _)| *d == dotted)
        .map_or(dotted.clone(), |(_, n)| (*n).to_string())
}

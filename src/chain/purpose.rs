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
//! A time-stamping authority's certificate (RFC 3161 2.3) is checked for time-stamping:
//! keyUsage, when present, must have digitalSignature or nonRepudiation; extendedKeyUsage must
//! be present, must list exactly id-kp-timeStamping and must be critical.
//!
//! DSS checks no extendedKeyUsage by default; OpenSSL's S/MIME purpose admits emailProtection
//! and anyExtendedKeyUsage only. This rule lies between the two: it refuses the purposes that
//! are clearly not signing and keeps the ones real signing certificates carry.

use std::borrow::Cow;

use const_oid::ObjectIdentifier as Oid;

use crate::formats::x509::{Certificate, key_usage};

/// Declares [`SIGNING_PURPOSES`] with the detail each one gives.
macro_rules! signing_purposes {
    ($(($oid:literal, $name:literal)),* $(,)?) => {
        &[$((Oid::new_unwrap($oid), $name, concat!("extendedKeyUsage allows document signing (", $name, ")"))),*]
    };
}

/// extendedKeyUsage purposes that allow document signatures, with their names and the detail a
/// check that finds them gives.
pub const SIGNING_PURPOSES: &[(Oid, &str, &str)] = signing_purposes![
    ("2.5.29.37.0", "anyExtendedKeyUsage"),
    ("1.3.6.1.5.5.7.3.4", "emailProtection"),
    ("1.3.6.1.5.5.7.3.36", "documentSigning"),
    ("1.2.840.113583.1.1.5", "Adobe Authentic Documents Trust"),
    ("1.3.6.1.4.1.311.10.3.12", "Microsoft document signing"),
    ("1.3.6.1.5.5.7.3.2", "clientAuth"),
];

/// What a certificate is checked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Making document and message signatures (signing certificates).
    DocumentSigning,
    /// Issuing certificates (a CA certificate verified on its own).
    CertificateIssuing,
    /// Signing RFC 3161 time-stamp tokens (a time-stamping authority's certificate).
    TimeStamping,
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

/// id-kp-timeStamping (RFC 3161 2.3, RFC 5280 4.2.1.12).
pub const TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");

/// keyUsage allows the purpose: digitalSignature or nonRepudiation for signing and
/// time-stamping, keyCertSign for issuing. `Ok` and `Err` carry the detail.
pub fn check_key_usage(cert: &Certificate, purpose: Purpose) -> Result<Cow<'static, str>, String> {
    macro_rules! texts {
        ($what:literal) => {
            (
                $what,
                concat!("keyUsage allows signing (", $what, ")"),
                concat!("no keyUsage extension: any use (", $what, ")"),
            )
        };
    }
    let (what, allows, any) = match purpose {
        Purpose::CertificateIssuing => return check_key_cert_sign(cert),
        Purpose::DocumentSigning => texts!("checked for document signing"),
        Purpose::TimeStamping => texts!("checked for time-stamping"),
    };
    match cert.key_usage {
        Some(ku) if ku & (key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION) == 0 => Err(format!(
            "keyUsage {ku:#06x} allows neither digitalSignature nor nonRepudiation ({what})"
        )),
        Some(_) => Ok(Cow::Borrowed(allows)),
        None => Ok(Cow::Borrowed(any)),
    }
}

fn check_key_cert_sign(cert: &Certificate) -> Result<Cow<'static, str>, String> {
    let purpose = "checked for certificate issuing (a CA certificate)";
    match cert.key_usage {
        Some(ku) if ku & key_usage::KEY_CERT_SIGN == 0 => {
            Err(format!("keyUsage {ku:#06x} lacks keyCertSign ({purpose})"))
        }
        Some(_) => Ok(Cow::Borrowed(
            "keyUsage allows keyCertSign (checked for certificate issuing (a CA certificate))",
        )),
        None => Ok(Cow::Borrowed(
            "no keyUsage extension: any use (checked for certificate issuing (a CA certificate))",
        )),
    }
}

/// extendedKeyUsage allows the purpose (see the module documentation). Not evaluated for
/// certificate issuing.
pub fn check_extended_key_usage(cert: &Certificate, purpose: Purpose) -> Result<Cow<'static, str>, String> {
    match purpose {
        Purpose::CertificateIssuing => Ok("not evaluated for certificate issuing (a CA certificate)".into()),
        Purpose::DocumentSigning => check_signing_eku(cert),
        Purpose::TimeStamping => check_time_stamping_eku(cert),
    }
}

fn check_signing_eku(cert: &Certificate) -> Result<Cow<'static, str>, String> {
    let Some(purposes) = &cert.ext_key_usage else {
        return Ok("no extendedKeyUsage extension: any purpose (checked for document signing)".into());
    };
    match SIGNING_PURPOSES.iter().find(|(o, ..)| purposes.contains(o)) {
        Some(&(_, _, allows)) => Ok(Cow::Borrowed(allows)),
        None => Err(format!(
            "extendedKeyUsage ({}) does not allow document signing",
            listed(purposes)
        )),
    }
}

/// RFC 3161 2.3: "The corresponding certificate MUST contain only one instance of the extended
/// key usage field extension [...] with KeyPurposeID having value id-kp-timeStamping. This
/// extension MUST be critical."
fn check_time_stamping_eku(cert: &Certificate) -> Result<Cow<'static, str>, String> {
    const RULE: &str = "a time-stamping authority's certificate must have a critical extendedKeyUsage of exactly timeStamping (RFC 3161 2.3)";
    let Some(purposes) = &cert.ext_key_usage else {
        return Err(format!("no extendedKeyUsage extension: {RULE}"));
    };
    if purposes.as_slice() != [TIME_STAMPING] {
        return Err(format!("extendedKeyUsage ({}): {RULE}", listed(purposes)));
    }
    if !cert.ext_key_usage_critical {
        return Err(format!("extendedKeyUsage timeStamping is not critical: {RULE}"));
    }
    Ok("extendedKeyUsage is timeStamping only, critical (checked for time-stamping)".into())
}

fn listed(purposes: &[Oid]) -> String {
    let names: Vec<String> = purposes.iter().map(purpose_name).collect();
    names.join(", ")
}

fn purpose_name(o: &Oid) -> String {
    const OTHERS: &[(&str, &str)] = &[
        ("1.3.6.1.5.5.7.3.1", "serverAuth"),
        ("1.3.6.1.5.5.7.3.3", "codeSigning"),
        ("1.3.6.1.5.5.7.3.8", "timeStamping"),
        ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
    ];
    if let Some((_, name, _)) = SIGNING_PURPOSES.iter().find(|(p, ..)| p == o) {
        return (*name).to_string();
    }
    let dotted = o.to_string();
    OTHERS
        .iter()
        .find(|(d, _)| *d == dotted)
        .map_or(dotted.clone(), |(_, n)| (*n).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, KeyPair};

    /// A certificate with the given keyUsage and extendedKeyUsage (`critical` or not).
    fn cert(ku: Option<u16>, eku: Option<&[&str]>, critical: bool) -> Certificate {
        let key = KeyPair::generate().unwrap();
        let der = CertificateParams::default().self_signed(&key).unwrap().der().to_vec();
        let mut c = Certificate::from_der(&der).unwrap();
        c.key_usage = ku;
        c.ext_key_usage = eku.map(|l| l.iter().map(|o| Oid::new_unwrap(o)).collect());
        c.ext_key_usage_critical = critical;
        c
    }

    const TS: &str = "1.3.6.1.5.5.7.3.8";
    const P: Purpose = Purpose::TimeStamping;

    #[test]
    fn time_stamping_accepts_a_critical_time_stamping_only_eku() {
        for ku in [
            None,
            Some(key_usage::DIGITAL_SIGNATURE),
            Some(key_usage::NON_REPUDIATION),
        ] {
            let c = cert(ku, Some(&[TS]), true);
            assert!(check_key_usage(&c, P).is_ok(), "{ku:?}");
            let d = check_extended_key_usage(&c, P).unwrap();
            assert!(d.contains("timeStamping only, critical"), "{d}");
        }
    }

    #[test]
    fn time_stamping_refuses_a_key_usage_without_signing() {
        let c = cert(Some(key_usage::KEY_ENCIPHERMENT), Some(&[TS]), true);
        let e = check_key_usage(&c, P).unwrap_err();
        assert!(e.contains("checked for time-stamping"), "{e}");
    }

    #[test]
    fn time_stamping_refuses_a_missing_noncritical_or_other_eku() {
        let cases: [(Option<&[&str]>, bool, &str); 5] = [
            (None, false, "no extendedKeyUsage extension"),
            (Some(&[TS]), false, "not critical"),
            (Some(&["1.3.6.1.5.5.7.3.4"]), true, "(emailProtection)"),
            (Some(&[TS, "1.3.6.1.5.5.7.3.1"]), true, "(timeStamping, serverAuth)"),
            (Some(&["2.5.29.37.0"]), true, "(anyExtendedKeyUsage)"),
        ];
        for (eku, critical, why) in cases {
            let e = check_extended_key_usage(&cert(None, eku, critical), P).unwrap_err();
            assert!(e.contains(why) && e.contains("RFC 3161 2.3"), "{eku:?} {critical}: {e}");
        }
    }

    #[test]
    fn document_signing_still_refuses_a_time_stamping_eku() {
        let c = cert(None, Some(&[TS]), true);
        let e = check_extended_key_usage(&c, Purpose::DocumentSigning).unwrap_err();
        assert!(e.contains("(timeStamping) does not allow document signing"), "{e}");
        assert!(check_extended_key_usage(&c, Purpose::CertificateIssuing).is_ok());
    }
}

//! The revocation statuses a validation lacked: for each certificate of a built path whose
//! status no information at hand proved, what a caller needs to ask its OCSP responder
//! (RFC 6960 CertID, the responder URIs of its authorityInfoAccess). The core only lists
//! them; asking is the shell's affair.

use std::sync::Arc;

use crate::formats::ber::encode;
use crate::formats::ocsp::oid;
use crate::formats::x509::Certificate;

/// One certificate whose revocation status was not established, with its CertID (SHA-1, the
/// hash every responder knows, RFC 6960 4.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusWanted {
    /// The certificate's subject, for reports.
    pub subject: Arc<str>,
    /// The issuer's subject, for reports and to pick a configured responder.
    pub issuer: Arc<str>,
    /// The certificate's serialNumber contents octets, hexadecimal, upper case.
    pub serial_hex: Arc<str>,
    /// SHA-1 of the issuer's subject Name DER, hexadecimal.
    pub issuer_name_hash: Arc<str>,
    /// SHA-1 of the issuer's subjectPublicKey BIT STRING contents, hexadecimal.
    pub issuer_key_hash: Arc<str>,
    /// The OCSP responder URIs of the certificate's authorityInfoAccess.
    pub ocsp_urls: Vec<String>,
}

impl StatusWanted {
    /// The status of `cert`, issued by `issuer`; None when the issuer's key cannot be read.
    pub fn of(cert: &Certificate, issuer: &Certificate) -> Option<StatusWanted> {
        let (name_hash, key_hash) = issuer.issuer_hashes_sha1()?;
        Some(StatusWanted {
            subject: cert.subject_shared().clone(),
            issuer: issuer.subject_shared().clone(),
            serial_hex: cert.texts().serial_hex.clone(),
            issuer_name_hash: name_hash.clone(),
            issuer_key_hash: key_hash.clone(),
            ocsp_urls: cert.ocsp_urls.clone(),
        })
    }

    /// The CertID DER: `SEQUENCE { hashAlgorithm (SHA-1, NULL parameters), issuerNameHash,
    /// issuerKeyHash, serialNumber }`.
    pub fn cert_id_der(&self) -> Vec<u8> {
        let sha1 = encode(0x30, &[encode(0x06, SHA1_OID), encode(0x05, &[])].concat());
        let bytes = |h: &str| hex::decode(h).unwrap_or_default();
        encode(
            0x30,
            &[
                sha1,
                encode(0x04, &bytes(&self.issuer_name_hash)),
                encode(0x04, &bytes(&self.issuer_key_hash)),
                encode(0x02, &bytes(&self.serial_hex)),
            ]
            .concat(),
        )
    }

    /// An unsigned OCSPRequest (RFC 6960 4.1.1) for this certificate alone, with the nonce
    /// extension (RFC 8954: extnValue holds an OCTET STRING of `nonce`):
    ///
    /// ```text
    /// OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest }
    /// TBSRequest  ::= SEQUENCE { requestList SEQUENCE OF Request,
    ///                            requestExtensions [2] EXPLICIT Extensions }
    /// Request     ::= SEQUENCE { reqCert CertID }
    /// ```
    pub fn ocsp_request(&self, nonce: &[u8]) -> Vec<u8> {
        let request = encode(0x30, &self.cert_id_der());
        let extension = encode(
            0x30,
            &[encode(0x06, oid::NONCE.as_bytes()), encode(0x04, &encode(0x04, nonce))].concat(),
        );
        let extensions = encode(0xa2, &encode(0x30, &extension));
        let tbs = encode(0x30, &[encode(0x30, &request), extensions].concat());
        encode(0x30, &tbs)
    }
}

/// 1.3.14.3.2.26 (id-sha1), contents octets.
const SHA1_OID: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];

#[cfg(test)]
mod tests {
    use super::*;

    fn pki(name: &str) -> Certificate {
        let path = format!("{}/testdata/pki/rsa/{name}.pem", env!("CARGO_MANIFEST_DIR"));
        let pem = std::fs::read(path).unwrap();
        Certificate::from_pem_or_der(&pem).unwrap().remove(0)
    }

    #[test]
    fn request_matches_the_one_openssl_made() {
        // testdata/ocsp/nonce-request.der: `openssl ocsp -issuer ica.pem -cert leaf.pem -nonce`.
        let want = StatusWanted::of(&pki("leaf"), &pki("ica")).unwrap();
        let path = format!("{}/testdata/ocsp/nonce-request.der", env!("CARGO_MANIFEST_DIR"));
        let openssl = std::fs::read(path).unwrap();
        // The nonce is the last 16 octets of the request openssl made.
        let nonce = &openssl[openssl.len() - 16..];
        assert_eq!(hex::encode(want.ocsp_request(nonce)), hex::encode(&openssl));
    }
}

//! A test PKI made at test time, and a minimal CMS SignedData builder.
//!
//! Certificates are made with rcgen: ECDSA P-256 keys, fixed validity 2020-01-01..2045-01-01
//! unless a [`Spec`] says otherwise, explicit unique serial numbers. Tests validate at the
//! fixed clock [`CLOCK`] (2026-06-01). [`Spec`] sets what RFC 5280 path building looks at:
//! subject and issuer names, basicConstraints and pathLenConstraint, keyUsage,
//! extendedKeyUsage (critical or not), nameConstraints (critical through rcgen, non-critical
//! hand-encoded), subjectAltName, key identifiers (to make decoys that copy a subject key
//! identifier), validity, arbitrary extensions, and a SHA-1 signature for weak-hash cases.
//!
//! [`sign_cms`] makes a DER ContentInfo / SignedData v1 with one SignerInfo
//! (issuerAndSerialNumber) per signer: signed attributes contentType (id-data) and
//! messageDigest, DER-sorted; digestAlgorithm SHA-256 and signatureAlgorithm
//! ecdsa-with-SHA256 unless [`CmsOptions`] overrides them (algorithm-confusion cases).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue, GeneralSubtree, IsCa, Issuer, KeyIdMethod,
    SanType, SerialNumber, SigningKey, date_time_ymd,
};
use sigverify::CertPool;
use sigverify::formats::x509::Certificate;

pub use rcgen::KeyPair;
pub use rcgen::KeyUsagePurpose as Ku;

use super::{Setup, at};

/// The validation time of the tests that use this PKI.
pub const CLOCK: &str = "2026-06-01T00:00:00Z";

/// Default validity of every certificate.
pub const NOT_BEFORE: (i32, u8, u8) = (2020, 1, 1);
/// Default validity of every certificate.
pub const NOT_AFTER: (i32, u8, u8) = (2045, 1, 1);

/// Object identifiers as arcs.
pub mod oid {
    pub const CN: &[u64] = &[2, 5, 4, 3];
    pub const O: &[u64] = &[2, 5, 4, 10];
    pub const OU: &[u64] = &[2, 5, 4, 11];
    pub const C: &[u64] = &[2, 5, 4, 6];
    pub const EMAIL_ADDRESS: &[u64] = &[1, 2, 840, 113549, 1, 9, 1];

    pub const SUBJECT_KEY_ID: &[u64] = &[2, 5, 29, 14];
    pub const NAME_CONSTRAINTS: &[u64] = &[2, 5, 29, 30];
    pub const EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];

    pub const DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 1];
    pub const SIGNED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 2];
    pub const CONTENT_TYPE: &[u64] = &[1, 2, 840, 113549, 1, 9, 3];
    pub const MESSAGE_DIGEST: &[u64] = &[1, 2, 840, 113549, 1, 9, 4];

    pub const SHA1: &[u64] = &[1, 3, 14, 3, 2, 26];
    pub const SHA256: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 1];
    pub const SHA384: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 2];
    pub const SHA512: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 3];
    pub const ECDSA_SHA1: &[u64] = &[1, 2, 840, 10045, 4, 1];
    pub const ECDSA_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
    pub const ECDSA_SHA384: &[u64] = &[1, 2, 840, 10045, 4, 3, 3];
    pub const ECDSA_SHA512: &[u64] = &[1, 2, 840, 10045, 4, 3, 4];
}

/// extendedKeyUsage purposes.
pub mod eku {
    pub const ANY: &[u64] = &[2, 5, 29, 37, 0];
    pub const SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
    pub const CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];
    pub const CODE_SIGNING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 3];
    pub const EMAIL_PROTECTION: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 4];
    pub const TIME_STAMPING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 8];
    pub const OCSP_SIGNING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 9];
    /// id-kp-documentSigning (RFC 9336).
    pub const DOCUMENT_SIGNING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 36];
}

/// A distinguished name: (attribute type, value) in order, one attribute per RDN.
pub type Dn = Vec<(&'static [u64], String)>;

/// `CN=<cn>`.
pub fn cn(cn: &str) -> Dn {
    vec![(oid::CN, cn.to_string())]
}

/// basicConstraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ca {
    /// cA TRUE, with an optional pathLenConstraint.
    Yes(Option<u8>),
    /// The extension with cA FALSE.
    ExplicitNo,
    /// No basicConstraints extension.
    Absent,
}

/// One GeneralSubtree base of a nameConstraints extension.
#[derive(Clone, Debug)]
pub enum Subtree {
    /// dNSName
    Dns(String),
    /// rfc822Name (a mailbox, a host or a domain `.example.com`)
    Email(String),
    /// directoryName
    Dir(Dn),
}

/// nameConstraints.
#[derive(Clone, Debug)]
pub struct Constraints {
    pub permitted: Vec<Subtree>,
    pub excluded: Vec<Subtree>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// Hash of the issuer's signature on a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertHash {
    /// ecdsa-with-SHA256 (rcgen).
    Sha256,
    /// ecdsa-with-SHA1: rcgen's certificate re-signed (weak-hash cases).
    Sha1,
}

/// What a certificate says. Start from [`Spec::root`], [`Spec::ca`] or [`Spec::leaf`].
#[derive(Clone, Debug)]
pub struct Spec {
    /// Name used by the tests to refer to the certificate (several may share a subject).
    pub label: String,
    pub subject: Dn,
    pub ca: Ca,
    /// keyUsage; `None`: no extension.
    pub key_usage: Option<Vec<Ku>>,
    /// extendedKeyUsage purposes and criticality; `None`: no extension.
    pub eku: Option<(Vec<&'static [u64]>, bool)>,
    pub name_constraints: Option<Constraints>,
    pub san: Vec<SanType>,
    /// Subject key identifier to write instead of the one derived from the key (CAs always
    /// carry one; other certificates only when this is set).
    pub ski: Option<Vec<u8>>,
    /// Whether to write authorityKeyIdentifier (the issuer's key identifier).
    pub aki: bool,
    /// Issuer name to write instead of the issuer's subject (name chaining cases).
    pub issuer_name: Option<Dn>,
    pub not_before: (i32, u8, u8),
    pub not_after: (i32, u8, u8),
    /// Further extensions: (OID, critical, DER value).
    pub extensions: Vec<(Vec<u64>, bool, Vec<u8>)>,
    pub hash: CertHash,
}

impl Spec {
    fn base(label: &str) -> Spec {
        Spec {
            label: label.to_string(),
            subject: cn(label),
            ca: Ca::Absent,
            key_usage: None,
            eku: None,
            name_constraints: None,
            san: Vec::new(),
            ski: None,
            aki: true,
            issuer_name: None,
            not_before: NOT_BEFORE,
            not_after: NOT_AFTER,
            extensions: Vec::new(),
            hash: CertHash::Sha256,
        }
    }

    /// A self-signed root: cA, keyCertSign and cRLSign, no authorityKeyIdentifier.
    pub fn root(cn: &str) -> Spec {
        Spec {
            ca: Ca::Yes(None),
            key_usage: Some(vec![Ku::KeyCertSign, Ku::CrlSign]),
            aki: false,
            ..Spec::base(cn)
        }
    }

    /// An intermediate CA: cA, keyCertSign and cRLSign.
    pub fn ca(cn: &str) -> Spec {
        Spec {
            ca: Ca::Yes(None),
            key_usage: Some(vec![Ku::KeyCertSign, Ku::CrlSign]),
            ..Spec::base(cn)
        }
    }

    /// An end entity: no basicConstraints, keyUsage digitalSignature and nonRepudiation.
    pub fn leaf(cn: &str) -> Spec {
        Spec {
            key_usage: Some(vec![Ku::DigitalSignature, Ku::ContentCommitment]),
            ..Spec::base(cn)
        }
    }

    /// Another label (the subject stays).
    pub fn label(mut self, label: &str) -> Spec {
        self.label = label.to_string();
        self
    }

    pub fn subject(mut self, dn: Dn) -> Spec {
        self.subject = dn;
        self
    }

    /// Adds a subject emailAddress attribute (IA5String).
    pub fn email(mut self, address: &str) -> Spec {
        self.subject.push((oid::EMAIL_ADDRESS, address.to_string()));
        self
    }

    pub fn basic_constraints(mut self, ca: Ca) -> Spec {
        self.ca = ca;
        self
    }

    pub fn path_len(mut self, n: u8) -> Spec {
        self.ca = Ca::Yes(Some(n));
        self
    }

    pub fn key_usage(mut self, ku: &[Ku]) -> Spec {
        self.key_usage = Some(ku.to_vec());
        self
    }

    pub fn no_key_usage(mut self) -> Spec {
        self.key_usage = None;
        self
    }

    pub fn eku(mut self, purposes: &[&'static [u64]], critical: bool) -> Spec {
        self.eku = Some((purposes.to_vec(), critical));
        self
    }

    pub fn name_constraints(mut self, permitted: Vec<Subtree>, excluded: Vec<Subtree>, critical: bool) -> Spec {
        self.name_constraints = Some(Constraints {
            permitted,
            excluded,
            critical,
        });
        self
    }

    pub fn san_dns(mut self, name: &str) -> Spec {
        self.san.push(SanType::DnsName(name.try_into().expect("IA5 DNS name")));
        self
    }

    pub fn san_email(mut self, address: &str) -> Spec {
        self.san
            .push(SanType::Rfc822Name(address.try_into().expect("IA5 address")));
        self
    }

    pub fn ski(mut self, ski: &[u8]) -> Spec {
        self.ski = Some(ski.to_vec());
        self
    }

    pub fn aki(mut self, on: bool) -> Spec {
        self.aki = on;
        self
    }

    pub fn issuer_name(mut self, dn: Dn) -> Spec {
        self.issuer_name = Some(dn);
        self
    }

    pub fn validity(mut self, not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> Spec {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    pub fn extension(mut self, oid: &[u64], critical: bool, der_value: Vec<u8>) -> Spec {
        self.extensions.push((oid.to_vec(), critical, der_value));
        self
    }

    pub fn hash(mut self, hash: CertHash) -> Spec {
        self.hash = hash;
        self
    }
}

/// A certificate made by this module.
#[derive(Clone, Debug)]
pub struct Cert {
    pub label: String,
    pub der: Vec<u8>,
    /// The key identifier children get as authorityKeyIdentifier (and a CA carries as SKI).
    pub key_id: Vec<u8>,
    params: CertificateParams,
}

impl Cert {
    pub fn pem(&self) -> String {
        pem("CERTIFICATE", &self.der)
    }

    /// SHA-256 of the DER, lowercase hex (as reports give it).
    pub fn sha256_hex(&self) -> String {
        hex::encode(ring::digest::digest(&ring::digest::SHA256, &self.der))
    }

    /// The certificate as sigverify parses it.
    pub fn parsed(&self) -> Arc<Certificate> {
        Arc::new(Certificate::from_der(&self.der).unwrap_or_else(|e| panic!("{}: {e}", self.label)))
    }
}

/// A new ECDSA P-256 key.
pub fn new_key() -> KeyPair {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("P-256 key")
}

fn next_serial() -> SerialNumber {
    static SERIAL: AtomicU64 = AtomicU64::new(0x1000);
    let n = SERIAL.fetch_add(1, Ordering::Relaxed);
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
    SerialNumber::from_slice(&bytes[first..])
}

fn dn_value(oid: &[u64], value: &str) -> DnValue {
    if oid == self::oid::EMAIL_ADDRESS {
        DnValue::Ia5String(value.try_into().expect("IA5 e-mail address"))
    } else if oid == self::oid::C {
        DnValue::PrintableString(value.try_into().expect("printable country"))
    } else {
        DnValue::Utf8String(value.to_string())
    }
}

fn rcgen_dn(dn: &Dn) -> DistinguishedName {
    let mut out = DistinguishedName::new();
    for (oid, value) in dn {
        out.push(DnType::from_oid(oid), dn_value(oid, value));
    }
    out
}

/// DER of a Name, encoded as rcgen encodes it (UTF8String; emailAddress IA5String; C
/// PrintableString).
pub fn dn_der(dn: &Dn) -> Vec<u8> {
    der::seq(dn.iter().map(|(o, v)| {
        let tag = if *o == oid::EMAIL_ADDRESS {
            0x16
        } else if *o == oid::C {
            0x13
        } else {
            0x0c
        };
        der::set([der::seq([der::oid(o), der::tlv(tag, v.as_bytes())])])
    }))
}

fn subtree_der(s: &Subtree) -> Vec<u8> {
    let base = match s {
        Subtree::Email(e) => der::tlv(0x81, e.as_bytes()),
        Subtree::Dns(d) => der::tlv(0x82, d.as_bytes()),
        Subtree::Dir(dn) => der::tlv(0xa4, &dn_der(dn)),
    };
    der::seq([base])
}

/// The DER value of a nameConstraints extension.
pub fn name_constraints_der(c: &Constraints) -> Vec<u8> {
    let mut parts = Vec::new();
    if !c.permitted.is_empty() {
        parts.push(der::tlv(
            0xa0,
            &c.permitted.iter().flat_map(subtree_der).collect::<Vec<u8>>(),
        ));
    }
    if !c.excluded.is_empty() {
        parts.push(der::tlv(
            0xa1,
            &c.excluded.iter().flat_map(subtree_der).collect::<Vec<u8>>(),
        ));
    }
    der::seq(parts)
}

fn rcgen_subtree(s: &Subtree) -> GeneralSubtree {
    match s {
        Subtree::Dns(d) => GeneralSubtree::DnsName(d.clone()),
        Subtree::Email(e) => GeneralSubtree::Rfc822Name(e.clone()),
        Subtree::Dir(dn) => GeneralSubtree::DirectoryName(rcgen_dn(dn)),
    }
}

fn params(spec: &Spec) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.not_before = date_time_ymd(spec.not_before.0, spec.not_before.1, spec.not_before.2);
    p.not_after = date_time_ymd(spec.not_after.0, spec.not_after.1, spec.not_after.2);
    p.serial_number = Some(next_serial());
    p.distinguished_name = rcgen_dn(&spec.subject);
    p.is_ca = match spec.ca {
        Ca::Yes(None) => IsCa::Ca(BasicConstraints::Unconstrained),
        Ca::Yes(Some(n)) => IsCa::Ca(BasicConstraints::Constrained(n)),
        Ca::ExplicitNo => IsCa::ExplicitNoCa,
        Ca::Absent => IsCa::NoCa,
    };
    p.key_usages = spec.key_usage.clone().unwrap_or_default();
    p.subject_alt_names = spec.san.clone();
    p.use_authority_key_identifier_extension = spec.aki;
    if let Some(ski) = &spec.ski {
        p.key_identifier_method = KeyIdMethod::PreSpecified(ski.clone());
        if spec.ca == Ca::Absent {
            p.custom_extensions.push(rcgen::CustomExtension::from_oid_content(
                oid::SUBJECT_KEY_ID,
                der::octets(ski),
            ));
        }
    }
    if let Some((purposes, critical)) = &spec.eku {
        let mut ext = rcgen::CustomExtension::from_oid_content(
            oid::EXT_KEY_USAGE,
            der::seq(purposes.iter().map(|p| der::oid(p))),
        );
        ext.set_criticality(*critical);
        p.custom_extensions.push(ext);
    }
    if let Some(c) = &spec.name_constraints {
        // Hand-encoded in both cases: rcgen 0.14 tags a directoryName subtree IMPLICIT, which
        // RFC 5280 (GeneralName is a CHOICE: [4] is EXPLICIT) does not allow.
        let mut ext = rcgen::CustomExtension::from_oid_content(oid::NAME_CONSTRAINTS, name_constraints_der(c));
        ext.set_criticality(c.critical);
        p.custom_extensions.push(ext);
    }
    for (o, critical, value) in &spec.extensions {
        let mut ext = rcgen::CustomExtension::from_oid_content(o, value.clone());
        ext.set_criticality(*critical);
        p.custom_extensions.push(ext);
    }
    p
}

fn finish(spec: &Spec, p: CertificateParams, key: &KeyPair, der: Vec<u8>, issuer_key: &KeyPair) -> Cert {
    let der = match spec.hash {
        CertHash::Sha256 => der,
        CertHash::Sha1 => resign_sha1(&der, issuer_key),
    };
    Cert {
        label: spec.label.clone(),
        key_id: p.key_identifier(key),
        der,
        params: p,
    }
}

/// A self-signed certificate.
pub fn self_signed(spec: &Spec, key: &KeyPair) -> Cert {
    let p = params(spec);
    let der = p.self_signed(key).expect("self-signed certificate").der().to_vec();
    finish(spec, p, key, der, key)
}

/// A certificate for `key`, issued by `issuer` with `issuer_key`.
pub fn issue(spec: &Spec, key: &KeyPair, issuer: &Cert, issuer_key: &KeyPair) -> Cert {
    let p = params(spec);
    let mut issuer_params = issuer.params.clone();
    if let Some(dn) = &spec.issuer_name {
        issuer_params.distinguished_name = rcgen_dn(dn);
    }
    let der = p
        .signed_by(key, &Issuer::new(issuer_params, issuer_key))
        .expect("certificate")
        .der()
        .to_vec();
    finish(spec, p, key, der, issuer_key)
}

/// A self-signed root CA with a new key.
pub fn root(cn: &str) -> (Cert, KeyPair) {
    let key = new_key();
    (self_signed(&Spec::root(cn), &key), key)
}

/// An intermediate CA with a new key.
pub fn intermediate(cn: &str, issuer: &Cert, issuer_key: &KeyPair) -> (Cert, KeyPair) {
    let key = new_key();
    (issue(&Spec::ca(cn), &key, issuer, issuer_key), key)
}

/// An end entity with a new key.
pub fn leaf(cn: &str, issuer: &Cert, issuer_key: &KeyPair) -> (Cert, KeyPair) {
    let key = new_key();
    (issue(&Spec::leaf(cn), &key, issuer, issuer_key), key)
}

/// A pool of certificates as sigverify holds them.
pub fn pool(certs: &[&Cert]) -> CertPool {
    let mut p = CertPool::new();
    for c in certs {
        p.add(c.parsed());
    }
    p
}

/// A [`Setup`] with these anchors and configured intermediates, at [`CLOCK`], default policy.
pub fn setup(anchors: &[&Cert], intermediates: &[&Cert]) -> Setup {
    Setup::with_pools(pool(anchors), pool(intermediates), at(CLOCK))
}

/// PEM armour.
pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The private scalar of a P-256 key (from the PKCS#8 ECPrivateKey).
fn p256_scalar(key: &KeyPair) -> Vec<u8> {
    let pkcs8 = key.serialized_der();
    let marker = [0x02, 0x01, 0x01, 0x04, 0x20];
    let at = pkcs8
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("ECPrivateKey in PKCS#8")
        + marker.len();
    pkcs8[at..at + 32].to_vec()
}

/// ECDSA P-256 over a digest computed by the caller (any hash, SHA-1 included), DER {r, s}.
pub fn sign_p256_prehash(key: &KeyPair, digest: &[u8]) -> Vec<u8> {
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    let sk = p256::ecdsa::SigningKey::from_slice(&p256_scalar(key)).expect("P-256 scalar");
    let sig: p256::ecdsa::Signature = sk.sign_prehash(digest).expect("ECDSA signature");
    sig.to_der().as_bytes().to_vec()
}

/// The certificate re-signed by `issuer_key` with ecdsa-with-SHA1 (both AlgorithmIdentifiers
/// replaced).
fn resign_sha1(cert: &[u8], issuer_key: &KeyPair) -> Vec<u8> {
    use sha1::Digest;
    let outer = der::children(der::content(cert));
    let mut tbs = der::children(der::content(outer[0]));
    let alg = der::seq([der::oid(oid::ECDSA_SHA1)]);
    let i = if tbs[0][0] == 0xa0 { 2 } else { 1 };
    tbs[i] = &alg;
    let tbs = der::seq(tbs.iter().map(|c| c.to_vec()));
    let sig = sign_p256_prehash(issuer_key, &sha1::Sha1::digest(&tbs));
    der::seq([tbs, alg.clone(), der::bit_string(&sig)])
}

// ---------------------------------------------------------------------------------- CMS

/// How [`sign_cms_with`] deviates from a plain signature.
#[derive(Clone, Debug)]
pub struct CmsOptions {
    /// Leave the content out of the SignedData.
    pub detached: bool,
    /// The SignerInfo's digestAlgorithm (default SHA-256). messageDigest is computed with the
    /// hash it names (SHA-1, -256, -384, -512; SHA-256 for any other).
    pub digest_oid: Vec<u64>,
    /// The SignerInfo's signatureAlgorithm (default ecdsa-with-SHA256), whatever the hash the
    /// signature is really made with.
    pub signature_oid: Vec<u64>,
    /// The hash the signature over the signed attributes is really made with.
    pub signature_hash: SigHash,
    /// Put each signer's certificate first in the certificate bag.
    pub signer_certs_in_bag: bool,
    /// Sign attributes (contentType, messageDigest); without them the signature is over the
    /// content itself.
    pub signed_attributes: bool,
}

/// Hash used for the signature value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigHash {
    Sha256,
    Sha384,
    Sha512,
}

impl Default for CmsOptions {
    fn default() -> Self {
        CmsOptions {
            detached: false,
            digest_oid: oid::SHA256.to_vec(),
            signature_oid: oid::ECDSA_SHA256.to_vec(),
            signature_hash: SigHash::Sha256,
            signer_certs_in_bag: true,
            signed_attributes: true,
        }
    }
}

fn digest_by_oid(o: &[u64], data: &[u8]) -> Vec<u8> {
    let alg = if o == oid::SHA1 {
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY
    } else if o == oid::SHA384 {
        &ring::digest::SHA384
    } else if o == oid::SHA512 {
        &ring::digest::SHA512
    } else {
        &ring::digest::SHA256
    };
    ring::digest::digest(alg, data).as_ref().to_vec()
}

fn sign_with(key: &KeyPair, message: &[u8], hash: SigHash) -> Vec<u8> {
    match hash {
        SigHash::Sha256 => key.sign(message).expect("ECDSA P-256 SHA-256 signature"),
        SigHash::Sha384 => sign_p256_prehash(key, ring::digest::digest(&ring::digest::SHA384, message).as_ref()),
        SigHash::Sha512 => sign_p256_prehash(key, ring::digest::digest(&ring::digest::SHA512, message).as_ref()),
    }
}

/// issuer Name and serialNumber INTEGER of a certificate, as DER.
pub fn issuer_and_serial(cert: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let outer = der::children(der::content(cert));
    let tbs = der::children(der::content(outer[0]));
    let i = if tbs[0][0] == 0xa0 { 1 } else { 0 };
    (tbs[i + 2].to_vec(), tbs[i].to_vec())
}

/// A CMS SignedData over `content`, one SignerInfo per signer (in order), the signers'
/// certificates then `extra_certs` (in order) in the certificate bag.
pub fn sign_cms(content: &[u8], signers: &[(&Cert, &KeyPair)], extra_certs: &[&Cert], detached: bool) -> Vec<u8> {
    sign_cms_with(
        content,
        signers,
        extra_certs,
        &CmsOptions {
            detached,
            ..CmsOptions::default()
        },
    )
}

/// [`sign_cms`] with options.
pub fn sign_cms_with(content: &[u8], signers: &[(&Cert, &KeyPair)], extra_certs: &[&Cert], o: &CmsOptions) -> Vec<u8> {
    let md = digest_by_oid(&o.digest_oid, content);
    build_cms(&md, Some(content), signers, extra_certs, o)
}

/// A detached SignedData over a content of which the caller gives only its digest `md` under
/// `o.digest_oid` (a content too large to hold). Without signed attributes the signature is
/// made over `md` as the SHA-256 prehash.
pub fn sign_cms_detached_digest(
    md: &[u8],
    signers: &[(&Cert, &KeyPair)],
    extra_certs: &[&Cert],
    o: &CmsOptions,
) -> Vec<u8> {
    let o = CmsOptions {
        detached: true,
        ..o.clone()
    };
    build_cms(md, None, signers, extra_certs, &o)
}

fn build_cms(
    md: &[u8],
    content: Option<&[u8]>,
    signers: &[(&Cert, &KeyPair)],
    extra_certs: &[&Cert],
    o: &CmsOptions,
) -> Vec<u8> {
    let digest_alg = der::seq([der::oid(&o.digest_oid)]);
    let signature_alg = der::seq([der::oid(&o.signature_oid)]);
    let mut attrs = vec![
        der::seq([der::oid(oid::CONTENT_TYPE), der::set([der::oid(oid::DATA)])]),
        der::seq([der::oid(oid::MESSAGE_DIGEST), der::set([der::octets(md)])]),
    ];
    der::sort_set(&mut attrs);
    let attrs: Vec<u8> = attrs.concat();
    let signed_set = der::tlv(0x31, &attrs);
    let signer_infos = signers.iter().map(|(cert, key)| {
        let (issuer, serial) = issuer_and_serial(&cert.der);
        let mut si = vec![der::int(1), der::seq([issuer, serial]), digest_alg.clone()];
        let signature = if o.signed_attributes {
            si.push(der::tlv(0xa0, &attrs));
            sign_with(key, &signed_set, o.signature_hash)
        } else {
            match content {
                Some(c) => sign_with(key, c, o.signature_hash),
                None => sign_p256_prehash(key, md),
            }
        };
        si.extend([signature_alg.clone(), der::octets(&signature)]);
        der::seq(si)
    });
    let mut bag: Vec<u8> = Vec::new();
    if o.signer_certs_in_bag {
        for (c, _) in signers {
            bag.extend_from_slice(&c.der);
        }
    }
    for c in extra_certs {
        bag.extend_from_slice(&c.der);
    }
    let mut encap = vec![der::oid(oid::DATA)];
    if let (false, Some(c)) = (o.detached, content) {
        encap.push(der::tlv(0xa0, &der::octets(c)));
    }
    let mut sd = vec![der::int(1), der::set([digest_alg.clone()]), der::seq(encap)];
    if !bag.is_empty() {
        sd.push(der::tlv(0xa0, &bag));
    }
    sd.push(der::set(signer_infos));
    der::seq([der::oid(oid::SIGNED_DATA), der::tlv(0xa0, &der::seq(sd))])
}

// ---------------------------------------------------------------------------------- openssl

/// Whether an `openssl` binary is on PATH.
pub fn openssl_available() -> bool {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A file under the system temporary directory, removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> TempFile {
        static N: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "sigverify-test-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `openssl cms -verify -binary -purpose any` of a DER CMS against `anchors`; Err holds
/// openssl's stderr.
pub fn openssl_cms_verify(cms: &[u8], anchors: &[&Cert], content: Option<&[u8]>) -> Result<(), String> {
    let cms_file = TempFile::new("cms.der", cms);
    let anchors_file = TempFile::new(
        "anchors.pem",
        anchors.iter().map(|c| c.pem()).collect::<String>().as_bytes(),
    );
    let content_file = content.map(|c| TempFile::new("content.bin", c));
    let mut cmd = std::process::Command::new("openssl");
    cmd.args(["cms", "-verify", "-binary", "-purpose", "any", "-inform", "DER", "-in"])
        .arg(&cms_file.0)
        .arg("-CAfile")
        .arg(&anchors_file.0)
        .args(["-out", if cfg!(windows) { "NUL" } else { "/dev/null" }]);
    if let Some(c) = &content_file {
        cmd.arg("-content").arg(&c.0);
    }
    let out = cmd.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

// ---------------------------------------------------------------------------------- DER

/// Just enough DER to write certificates' extensions and CMS, and to take them apart.
pub mod der {
    /// A TLV with a one-byte tag.
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes = (n as u64).to_be_bytes();
            let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
            out.push(0x80 | (8 - first) as u8);
            out.extend_from_slice(&bytes[first..]);
        }
        out.extend_from_slice(content);
        out
    }

    pub fn seq(items: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
        tlv(0x30, &items.into_iter().collect::<Vec<_>>().concat())
    }

    /// A SET OF, in DER order.
    pub fn set(items: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
        let mut items: Vec<Vec<u8>> = items.into_iter().collect();
        sort_set(&mut items);
        tlv(0x31, &items.concat())
    }

    /// X.690 11.6: SET OF components in ascending order of their encodings, the shorter one
    /// padded with zeros at its end.
    pub fn sort_set(items: &mut [Vec<u8>]) {
        items.sort_by(|a, b| {
            let n = a.len().max(b.len());
            let pad = |v: &Vec<u8>| {
                let mut p = v.clone();
                p.resize(n, 0);
                p
            };
            pad(a).cmp(&pad(b))
        });
    }

    pub fn octets(v: &[u8]) -> Vec<u8> {
        tlv(0x04, v)
    }

    pub fn bit_string(v: &[u8]) -> Vec<u8> {
        let mut c = vec![0];
        c.extend_from_slice(v);
        tlv(0x03, &c)
    }

    pub fn int(v: u64) -> Vec<u8> {
        let bytes = v.to_be_bytes();
        let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
        let mut c = Vec::new();
        if bytes[first] & 0x80 != 0 {
            c.push(0);
        }
        c.extend_from_slice(&bytes[first..]);
        tlv(0x02, &c)
    }

    pub fn oid(arcs: &[u64]) -> Vec<u8> {
        let mut c = Vec::new();
        let mut push = |mut v: u64| {
            let mut tmp = vec![(v & 0x7f) as u8];
            v >>= 7;
            while v > 0 {
                tmp.push(0x80 | (v & 0x7f) as u8);
                v >>= 7;
            }
            tmp.reverse();
            c.extend_from_slice(&tmp);
        };
        push(arcs[0] * 40 + arcs[1]);
        for a in &arcs[2..] {
            push(*a);
        }
        tlv(0x06, &c)
    }

    /// (header length, content length) of the TLV at the start of `b` (definite lengths).
    pub fn header(b: &[u8]) -> (usize, usize) {
        let l = b[1] as usize;
        if l < 0x80 {
            (2, l)
        } else {
            let n = l & 0x7f;
            let len = b[2..2 + n].iter().fold(0usize, |a, x| (a << 8) | *x as usize);
            (2 + n, len)
        }
    }

    /// The content of the TLV at the start of `b`.
    pub fn content(b: &[u8]) -> &[u8] {
        let (h, l) = header(b);
        &b[h..h + l]
    }

    /// The TLV at the start of `b`, whole.
    pub fn first(b: &[u8]) -> &[u8] {
        let (h, l) = header(b);
        &b[..h + l]
    }

    /// The TLVs one after the other in `content`, whole.
    pub fn children(mut content: &[u8]) -> Vec<&[u8]> {
        let mut out = Vec::new();
        while !content.is_empty() {
            let t = first(content);
            out.push(t);
            content = &content[t.len()..];
        }
        out
    }
}

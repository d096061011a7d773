//! Verdicts: ETSI EN 319 102-1 indications, sub-indications, and the checks that led to them.
//!
//! The JSON field names of [`Report`] are a contract (the CLI's `--format json` and the HTTP
//! API emit them); change them only together with their consumers.

mod detail;
pub mod i18n;
pub mod mapping;
pub mod model;

pub use detail::Detail;

use std::sync::Arc;

use serde::Serialize;

/// Main status indication (ETSI EN 319 102-1 5.1.3, Table 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// It cannot be said whether the signature is valid.
    Indeterminate,
    /// The signature is invalid.
    TotalFailed,
}

impl Indication {
    /// The ETSI spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::Indeterminate => "INDETERMINATE",
            Indication::TotalFailed => "TOTAL_FAILED",
        }
    }
}

/// Sub-indications (ETSI EN 319 102-1 5.1.3, Table 5), plus two documented sigverify
/// extensions. Which one names a verdict is decided by the rules of [`model`], not by the order
/// of declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SubIndication {
    /// The signature is not conformant to its format (TOTAL_FAILED).
    FormatFailure,
    /// The signed data does not match the digest that was signed (TOTAL_FAILED).
    HashFailure,
    /// The signature value does not verify with the signer's key (TOTAL_FAILED).
    SigCryptoFailure,
    /// The signer's certificate was not yet valid (TOTAL_FAILED).
    NotYetValid,
    /// The signer's certificate is revoked (TOTAL_FAILED).
    Revoked,
    /// The signed data could not be obtained (INDETERMINATE).
    SignedDataNotFound,
    /// The signing certificate cannot be identified (INDETERMINATE).
    NoSigningCertificateFound,
    /// No path to a trust anchor (INDETERMINATE).
    NoCertificateChainFound,
    /// A constraint the caller set on the signature is not met (INDETERMINATE): for Mobile ID,
    /// a response for another transaction or phone number, or another Mobile ID serial number.
    SigConstraintsFailure,
    /// A chain constraint of RFC 5280 or the policy is not met (INDETERMINATE).
    ChainConstraintsFailure,
    /// A certificate lies outside its validity period and no proof of existence helps (INDETERMINATE).
    OutOfBoundsNoPoe,
    /// A certificate of the path is revoked, and no proof of existence shows the signature was
    /// made before the revocation (INDETERMINATE).
    RevokedNoPoe,
    /// An algorithm is not supported or never acceptable (INDETERMINATE).
    CryptoConstraintsFailure,
    /// An algorithm was past its sunset at the validation time, without proof of existence (INDETERMINATE).
    CryptoConstraintsFailureNoPoe,
    /// Revocation status could not be established yet (INDETERMINATE).
    TryLater,
    /// sigverify extension, not ETSI: the input, or a part of it (a PDF signature's SubFilter),
    /// is in a format this version does not verify (INDETERMINATE).
    FormatNotSupported,
    /// sigverify extension, not ETSI: the work budget of the verification (signature checks,
    /// path-building candidates) ran out before this check could run (INDETERMINATE).
    BudgetExhausted,
    /// sigverify extension, not ETSI: there is no signature to verify, and none was claimed:
    /// a Swisscom Mobile ID status or fault that is not about a signature (the user cancelled,
    /// the transaction expired or is still outstanding, the account is blocked, the request
    /// was refused). INDETERMINATE, never TOTAL_FAILED: nothing was found invalid; the
    /// report's `mobileIdStatus` says what happened (INDETERMINATE).
    NoSignature,
}

impl SubIndication {
    /// Every sub-indication, for completeness tests.
    pub const ALL: &'static [SubIndication] = &[
        SubIndication::FormatFailure,
        SubIndication::HashFailure,
        SubIndication::SigCryptoFailure,
        SubIndication::NotYetValid,
        SubIndication::Revoked,
        SubIndication::SignedDataNotFound,
        SubIndication::NoSigningCertificateFound,
        SubIndication::NoCertificateChainFound,
        SubIndication::SigConstraintsFailure,
        SubIndication::ChainConstraintsFailure,
        SubIndication::OutOfBoundsNoPoe,
        SubIndication::RevokedNoPoe,
        SubIndication::CryptoConstraintsFailure,
        SubIndication::CryptoConstraintsFailureNoPoe,
        SubIndication::TryLater,
        SubIndication::FormatNotSupported,
        SubIndication::BudgetExhausted,
        SubIndication::NoSignature,
    ];

    /// The indication this sub-indication belongs to.
    pub fn indication(&self) -> Indication {
        match self {
            SubIndication::FormatFailure
            | SubIndication::HashFailure
            | SubIndication::SigCryptoFailure
            | SubIndication::NotYetValid
            | SubIndication::Revoked => Indication::TotalFailed,
            _ => Indication::Indeterminate,
        }
    }

    /// The ETSI spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::NotYetValid => "NOT_YET_VALID",
            SubIndication::Revoked => "REVOKED",
            SubIndication::SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            SubIndication::FormatNotSupported => "FORMAT_NOT_SUPPORTED",
            SubIndication::SignedDataNotFound => "SIGNED_DATA_NOT_FOUND",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            SubIndication::OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            SubIndication::RevokedNoPoe => "REVOKED_NO_POE",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
            SubIndication::TryLater => "TRY_LATER",
            SubIndication::BudgetExhausted => "BUDGET_EXHAUSTED",
            SubIndication::NoSignature => "NO_SIGNATURE",
        }
    }
}

/// Stable identifiers of the checks a report lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum CheckCode {
    /// The input could be parsed as a supported format.
    FormatParsed,
    /// The file holds at least one signature.
    SignaturePresent,
    /// Signed attributes are well-formed (contentType, messageDigest once each; RFC 5652 5.3).
    SignedAttributesWellFormed,
    /// The contentType attribute equals eContentType (RFC 5652 11.1).
    ContentTypeMatch,
    /// The signed content is available (attached or given).
    SignedDataFound,
    /// The messageDigest attribute (or the given hash) equals the digest of the content.
    MessageDigestMatch,
    /// The signature and digest algorithms are implemented.
    AlgorithmSupported,
    /// cmsAlgorithmProtection names the algorithms actually used (RFC 6211).
    AlgorithmProtection,
    /// The signer's certificate was found.
    SigningCertificateFound,
    /// ESS signing-certificate(-v2) names the certificate found (RFC 5035).
    SigningCertificateReference,
    /// The signature value verifies with the signer's key.
    SignatureValue,
    /// Signed attributes are in DER (sorted) order.
    SignedAttributesDerOrder,
    /// The digest and signature algorithms are acceptable under the policy at the validation time.
    CryptoPolicy,
    /// A path to a trust anchor was built and each link's signature verified.
    ChainBuilt,
    /// The certificate is within its validity period at the validation time.
    CertificateValidity,
    /// keyUsage allows signing (digitalSignature or nonRepudiation).
    KeyUsage,
    /// extendedKeyUsage, where present, allows document signing.
    ExtendedKeyUsage,
    /// No unknown critical extension.
    CriticalExtensions,
    /// Revocation status of the chain.
    Revocation,
    /// A signature time-stamp token covers this signature value (RFC 3161 message imprint).
    TimestampImprint,
    /// The signature time-stamp token's own signature verifies.
    TimestampSignature,
    /// Counter-signatures found on this signature (reported as their own signatures).
    CounterSignatures,
    /// The input's format is one this version verifies.
    FormatSupported,
    /// Mobile ID: the response's status is a completed signature (500 SIGNATURE, 502 VALID_SIGNATURE).
    MobileIdStatus,
    /// Mobile ID: the response's AP_TransID equals the request's.
    ApTransIdMatch,
    /// Mobile ID: the response's MSISDN equals the request's (international form, '+' optional).
    MsisdnMatch,
    /// Mobile ID: the signer's Mobile ID serial number equals the one pinned at the first signature.
    MobileIdSerialMatch,
    /// Mobile ID: the response's CMS holds exactly one signature, as Mobile ID returns.
    MobileIdSingleSignature,
    /// A container (ASiC-E, BDOC, ASiC-S, DDOC) is well formed: a safe ZIP, `mimetype` first,
    /// stored and exact, a manifest that lists exactly its data files.
    ContainerStructure,
    /// Every data file of a container is covered by every signature; a standalone XML
    /// signature covers the whole document, not a part of it.
    DataFileCoverage,
    /// A PDF signature's `/ByteRange` is well formed: four non-negative integers from 0, the gap
    /// exactly its `/Contents`, inside the file, ending where a revision ends.
    ByteRange,
    /// Every change made to a PDF after the signature is allowed (PAdES additions, and form
    /// filling, signing or annotations as its DocMDP / FieldMDP permissions say).
    DocumentModifications,
    /// A valid time-stamp proves the signature existed at a time at which its certificate
    /// path, its revocation status and its algorithms are valid (past validation, EN 319
    /// 102-1 5.6).
    ProofOfExistence,
    /// Live OCSP (opt-in): the responders of the certificates whose revocation status the
    /// information at hand did not prove were asked, and answered.
    LiveRevocation,
}

impl CheckCode {
    /// The code's bit in a set of codes.
    fn bit(self) -> u128 {
        1u128 << (self as u32 % 128)
    }

    /// Every code, for completeness tests (messages in every language).
    pub const ALL: &'static [CheckCode] = &[
        CheckCode::FormatParsed,
        CheckCode::SignaturePresent,
        CheckCode::SignedAttributesWellFormed,
        CheckCode::ContentTypeMatch,
        CheckCode::SignedDataFound,
        CheckCode::MessageDigestMatch,
        CheckCode::AlgorithmSupported,
        CheckCode::AlgorithmProtection,
        CheckCode::SigningCertificateFound,
        CheckCode::SigningCertificateReference,
        CheckCode::SignatureValue,
        CheckCode::SignedAttributesDerOrder,
        CheckCode::CryptoPolicy,
        CheckCode::ChainBuilt,
        CheckCode::CertificateValidity,
        CheckCode::KeyUsage,
        CheckCode::ExtendedKeyUsage,
        CheckCode::CriticalExtensions,
        CheckCode::Revocation,
        CheckCode::TimestampImprint,
        CheckCode::TimestampSignature,
        CheckCode::CounterSignatures,
        CheckCode::FormatSupported,
        CheckCode::MobileIdStatus,
        CheckCode::ApTransIdMatch,
        CheckCode::MsisdnMatch,
        CheckCode::MobileIdSerialMatch,
        CheckCode::MobileIdSingleSignature,
        CheckCode::ContainerStructure,
        CheckCode::DataFileCoverage,
        CheckCode::ByteRange,
        CheckCode::DocumentModifications,
        CheckCode::ProofOfExistence,
        CheckCode::LiveRevocation,
    ];

    /// The stable spelling (`MESSAGE_DIGEST_MATCH`).
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckCode::FormatParsed => "FORMAT_PARSED",
            CheckCode::SignaturePresent => "SIGNATURE_PRESENT",
            CheckCode::SignedAttributesWellFormed => "SIGNED_ATTRIBUTES_WELL_FORMED",
            CheckCode::ContentTypeMatch => "CONTENT_TYPE_MATCH",
            CheckCode::SignedDataFound => "SIGNED_DATA_FOUND",
            CheckCode::MessageDigestMatch => "MESSAGE_DIGEST_MATCH",
            CheckCode::AlgorithmSupported => "ALGORITHM_SUPPORTED",
            CheckCode::AlgorithmProtection => "ALGORITHM_PROTECTION",
            CheckCode::SigningCertificateFound => "SIGNING_CERTIFICATE_FOUND",
            CheckCode::SigningCertificateReference => "SIGNING_CERTIFICATE_REFERENCE",
            CheckCode::SignatureValue => "SIGNATURE_VALUE",
            CheckCode::SignedAttributesDerOrder => "SIGNED_ATTRIBUTES_DER_ORDER",
            CheckCode::CryptoPolicy => "CRYPTO_POLICY",
            CheckCode::ChainBuilt => "CHAIN_BUILT",
            CheckCode::CertificateValidity => "CERTIFICATE_VALIDITY",
            CheckCode::KeyUsage => "KEY_USAGE",
            CheckCode::ExtendedKeyUsage => "EXTENDED_KEY_USAGE",
            CheckCode::CriticalExtensions => "CRITICAL_EXTENSIONS",
            CheckCode::Revocation => "REVOCATION",
            CheckCode::TimestampImprint => "TIMESTAMP_IMPRINT",
            CheckCode::TimestampSignature => "TIMESTAMP_SIGNATURE",
            CheckCode::CounterSignatures => "COUNTER_SIGNATURES",
            CheckCode::FormatSupported => "FORMAT_SUPPORTED",
            CheckCode::MobileIdStatus => "MOBILE_ID_STATUS",
            CheckCode::ApTransIdMatch => "AP_TRANS_ID_MATCH",
            CheckCode::MsisdnMatch => "MSISDN_MATCH",
            CheckCode::MobileIdSerialMatch => "MOBILE_ID_SERIAL_MATCH",
            CheckCode::ContainerStructure => "CONTAINER_STRUCTURE",
            CheckCode::DataFileCoverage => "DATA_FILE_COVERAGE",
            CheckCode::ByteRange => "BYTE_RANGE",
            CheckCode::DocumentModifications => "DOCUMENT_MODIFICATIONS",
            CheckCode::ProofOfExistence => "PROOF_OF_EXISTENCE",
            CheckCode::LiveRevocation => "LIVE_REVOCATION",
            CheckCode::MobileIdSingleSignature => "MOBILE_ID_SINGLE_SIGNATURE",
        }
    }
}

/// Outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckResult {
    /// The check ran and passed.
    Passed,
    /// The check ran and failed.
    Failed,
    /// Passed with a remark (for example a tolerated encoding deviation).
    Warning,
    /// The check did not run; the verdict cannot be TOTAL_PASSED if it was required.
    NotRun,
    /// Information only.
    Info,
}

/// One check: a stable code, its result, the sub-indication it causes when failed, a detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Stable code.
    pub code: CheckCode,
    /// Outcome.
    pub result: CheckResult,
    /// The sub-indication this check contributes (failed and required-but-not-run checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_indication: Option<SubIndication>,
    /// English detail for logs and support; not a contract.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub detail: Detail,
}

/// Certificate details as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    /// Subject DN (RFC 4514).
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub subject: Arc<str>,
    /// Issuer DN (RFC 4514).
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub issuer: Arc<str>,
    /// Serial number, hex.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub serial_number: Arc<str>,
    /// notBefore, RFC 3339.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub not_before: Arc<str>,
    /// notAfter, RFC 3339.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub not_after: Arc<str>,
    /// Key algorithm (`RSA`, `EC P-256`).
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub key_algorithm: std::borrow::Cow<'static, str>,
    /// Key size in bits.
    pub key_size: usize,
    /// Subject commonName.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub common_name: Option<Arc<str>>,
    /// Subject serialNumber attribute (2.5.4.5); for Swisscom Mobile ID the MIDCHE... serial.
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub subject_serial_number: Option<Arc<str>>,
    /// SHA-256 fingerprint of the DER, hex.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub sha256: Arc<str>,
}

/// One certificate of a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChainElement {
    /// Subject DN.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub subject: Arc<str>,
    /// SHA-256 fingerprint, hex.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub sha256: Arc<str>,
    /// notAfter, RFC 3339.
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub not_after: Arc<str>,
    /// Whether this element is the trust anchor that ends the path.
    pub trust_anchor: bool,
}

/// The verdict on one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignatureReport {
    /// `S0`, `S1`, ... in file order; counter-signatures `S0-C0`.
    pub id: String,
    /// Index of the signature this one counter-signs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_signature_of: Option<String>,
    /// Indication.
    pub indication: Indication,
    /// Sub-indication; null when passed.
    pub sub_indication: Option<SubIndication>,
    /// The signer's certificate, when found.
    pub signer: Option<CertInfo>,
    /// The signingTime attribute (claimed by the signer, not proven), RFC 3339.
    pub signing_time: Option<String>,
    /// Digest algorithm.
    pub digest_algorithm: Option<String>,
    /// Signature algorithm.
    pub signature_algorithm: Option<String>,
    /// The path from signer to trust anchor, when one was built.
    pub chain: Vec<ChainElement>,
    /// What the signature covers: the names of its data objects (`content` for CMS, the
    /// reference URIs for XML signatures).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// The earliest time a valid signature time-stamp proves the signature existed at (else the
    /// producedAt of a valid OCSP time-mark), RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_signature_time: Option<String>,
    /// What proved the best signature time: `time-stamp by '<TSA>'` or `OCSP time-mark by
    /// '<responder>'`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_signature_time_by: Option<String>,
    /// The baseline level the signature reaches with the evidence it carries, each piece
    /// validated (see [`SignatureLevel`]); absent for time-stamps standing as signatures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<SignatureLevel>,
    /// For a signature in a PDF: its field, what it covers, and what changed after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfSignatureInfo>,
    /// Every check run, in order.
    pub checks: Vec<Check>,
}

/// The baseline level a signature reaches (ETSI EN 319 122-1, 319 132-1, 319 142-1), judged
/// by the evidence that was validated, not by the elements present: a time-stamp that does not
/// verify does not make a signature B-T.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum SignatureLevel {
    /// The signature alone.
    #[serde(rename = "B-B")]
    BB,
    /// With a valid signature time-stamp (a proof of existence).
    #[serde(rename = "B-T")]
    BT,
    /// With a valid OCSP time-mark bound to the signature value (BDOC TM, DigiDoc notary).
    #[serde(rename = "TM")]
    Tm,
    /// B-T, and the revocation status of its path established from data the signature (or its
    /// PDF's DSS) carries.
    #[serde(rename = "B-LT")]
    BLt,
    /// B-LT, and a valid document time-stamp made after the signature covers it and its
    /// validation data (PDF).
    #[serde(rename = "B-LTA")]
    BLta,
}

impl SignatureLevel {
    /// The name as ETSI writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureLevel::BB => "B-B",
            SignatureLevel::BT => "B-T",
            SignatureLevel::Tm => "TM",
            SignatureLevel::BLt => "B-LT",
            SignatureLevel::BLta => "B-LTA",
        }
    }
}

/// The kind of a PDF signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PdfSignatureKind {
    /// An approval signature (`/Type /Sig`, no DocMDP).
    Approval,
    /// A certification signature: `/Reference` with a DocMDP transform.
    Certification,
    /// A document time-stamp (`/Type /DocTimeStamp`, SubFilter `ETSI.RFC3161`).
    DocumentTimestamp,
}

/// Where a PDF signature sits and what it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PdfSignatureInfo {
    /// The fully qualified name of the signature field (`/T` of it and its ancestors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// Approval, certification or document time-stamp.
    pub kind: PdfSignatureKind,
    /// The signature dictionary's `/SubFilter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_filter: Option<String>,
    /// The signature dictionary's `/M` (claimed, not proven), RFC 3339 when it can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_time: Option<String>,
    /// The `/ByteRange` as given.
    pub byte_range: Vec<i64>,
    /// The DocMDP permission level (1 no changes, 2 form filling and signing, 3 also
    /// annotations) of a certification signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docmdp_permissions: Option<u8>,
    /// The revision the signature covers (1 is the original document), when its range ends
    /// exactly at the end of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<usize>,
    /// How many revisions the file has.
    pub revisions: usize,
    /// The range starts at 0, leaves out exactly `/Contents`, and ends at the end of the
    /// revision: every byte of that revision is signed.
    pub covers_whole_revision: bool,
    /// Every change made in later revisions, each with the rule that allows or forbids it.
    pub changes_after: Vec<PdfChange>,
}

/// One change made after a signature, and the rule that judged it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PdfChange {
    /// The revision the change is in (1-based).
    pub revision: usize,
    /// The object changed, when the change is to one object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<u32>,
    /// What changed.
    pub change: String,
    /// The rule that allows it, or the rule it breaks.
    pub rule: String,
    /// Whether the rule allows it.
    pub allowed: bool,
}

/// A data file of a container (or a detached file of a signature) and what covers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataFileReport {
    /// Its name in the container (or as given).
    pub name: String,
    /// Its media type, as the container's manifest declares it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// The ids of the signatures whose references cover it (`S0`, ...).
    pub covered_by: Vec<String>,
}

/// The kind of input a report is about. Serialized as the SCREAMING_SNAKE_CASE name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Format {
    /// A CMS SignedData (CAdES, PKCS#7): attached, detached, over a DTBD or a hash.
    Cms,
    /// An X.509 certificate on its own.
    X509Certificate,
    /// A bare signature value with the signer's certificate (Smart-ID, Mobiil-ID).
    Raw,
    /// A Swisscom Mobile ID response (MSS_SignatureResp, MSS_StatusResp, Fault).
    MobileId,
    /// A PDF (PAdES, PKCS#7 signatures and document time-stamps).
    Pdf,
    /// An XML signature document: XML-DSig or XAdES (enveloped, enveloping or detached).
    Xades,
    /// An ASiC-E container (ETSI EN 319 162-1), BDOC 2.1 included.
    AsicE,
    /// An ASiC-S container: one data file with a CAdES, XAdES or time-stamp token.
    AsicS,
    /// A DigiDoc container (DIGIDOC-XML 1.1 to 1.3).
    Ddoc,
    /// An XML document that is none of the above.
    Xml,
    /// A ZIP file that is not an ASiC container.
    Zip,
    /// Input that could not be recognised.
    Unknown,
}

impl Format {
    /// Every format, for documentation and tests.
    pub const ALL: &'static [Format] = &[
        Format::Cms,
        Format::X509Certificate,
        Format::Raw,
        Format::MobileId,
        Format::Pdf,
        Format::Xades,
        Format::AsicE,
        Format::AsicS,
        Format::Ddoc,
        Format::Xml,
        Format::Zip,
        Format::Unknown,
    ];

    /// The stable spelling (`X509_CERTIFICATE`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Cms => "CMS",
            Format::X509Certificate => "X509_CERTIFICATE",
            Format::Raw => "RAW",
            Format::MobileId => "MOBILE_ID",
            Format::Pdf => "PDF",
            Format::Xades => "XADES",
            Format::AsicE => "ASIC_E",
            Format::AsicS => "ASIC_S",
            Format::Ddoc => "DDOC",
            Format::Xml => "XML",
            Format::Zip => "ZIP",
            Format::Unknown => "UNKNOWN",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of a Swisscom Mobile ID response (reference guide 6.1), as read from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MobileIdStatus {
    /// The status or fault code (500 SIGNATURE, 401 USER_CANCEL, ...).
    pub code: u16,
    /// The guide's symbolic name of the code (`USER_CANCEL`); absent for a code the guide
    /// does not list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the code means for the AP (from the code, never from the response's text).
    pub kind: MobileIdStatusKind,
    /// The message the response gave, or the guide's name of the code.
    pub message: String,
}

/// What a Swisscom Mobile ID status or fault code means (reference guide 6.1), grouped by what
/// the AP does next. Only [`MobileIdStatusKind::Signature`] carries a signature to verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum MobileIdStatusKind {
    /// 500 SIGNATURE, 502 VALID_SIGNATURE: a signature was returned; the report verifies it.
    Signature,
    /// 100 REQUEST_OK, 504 OUTSTANDING_TRANSACTION: not finished; poll again (MSS_StatusReq).
    Pending,
    /// 401 USER_CANCEL: the user cancelled the request on the phone.
    UserCancelled,
    /// 208 EXPIRED_TRANSACTION: the user did not answer in time.
    Expired,
    /// 105, 402, 403, 404, 422: the user cannot sign (unknown number, PIN blocked, account
    /// suspended or not active).
    UserAccount,
    /// 101, 102, 103, 107, 108, 109: Mobile ID refused the AP's request as malformed.
    RequestRejected,
    /// 104 UNAUTHORIZED_ACCESS: the AP may not use Mobile ID (AP_ID, client certificate).
    Unauthorized,
    /// 209, 406, 900: a temporary problem; send the request again later.
    TemporaryFailure,
    /// 501 REVOKED_CERTIFICATE, 503 INVALID_SIGNATURE: Mobile ID reports the user's
    /// certificate revoked or the signature invalid (TOTAL_FAILED).
    SignatureFailed,
    /// A code the guide does not list (TOTAL_FAILED / FORMAT_FAILURE).
    Unknown,
}

impl MobileIdStatusKind {
    /// The stable spelling (`USER_CANCELLED`).
    pub fn as_str(self) -> &'static str {
        match self {
            MobileIdStatusKind::Signature => "SIGNATURE",
            MobileIdStatusKind::Pending => "PENDING",
            MobileIdStatusKind::UserCancelled => "USER_CANCELLED",
            MobileIdStatusKind::Expired => "EXPIRED",
            MobileIdStatusKind::UserAccount => "USER_ACCOUNT",
            MobileIdStatusKind::RequestRejected => "REQUEST_REJECTED",
            MobileIdStatusKind::Unauthorized => "UNAUTHORIZED",
            MobileIdStatusKind::TemporaryFailure => "TEMPORARY_FAILURE",
            MobileIdStatusKind::SignatureFailed => "SIGNATURE_FAILED",
            MobileIdStatusKind::Unknown => "UNKNOWN",
        }
    }
}

/// The verdict on one input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Input name (set by the shell).
    pub file: Option<String>,
    /// What the input was.
    pub format: Format,
    /// The file's indication: TOTAL_FAILED if any signature (or file-level check) failed, else
    /// INDETERMINATE if any is indeterminate, else TOTAL_PASSED (see [`model::file_verdict`]).
    pub indication: Indication,
    /// Sub-indication of the first part with that indication; null when passed.
    pub sub_indication: Option<SubIndication>,
    /// The validation time used, RFC 3339.
    pub validation_time: String,
    /// Signatures, counter-signatures included.
    pub signatures: Vec<SignatureReport>,
    /// For a bare certificate: its details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
    /// For a bare certificate: its path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<ChainElement>,
    /// For a Swisscom Mobile ID response: its status code, when one could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_id_status: Option<MobileIdStatus>,
    /// For a container or a detached signature: each data file and the signatures that cover it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<DataFileReport>,
    /// Checks on the file as a whole (format) or, for a certificate, on it.
    pub checks: Vec<Check>,
    /// The revocation statuses the validation lacked, for a caller that asks responders
    /// (see `online`); not part of the verdict, so not serialized.
    #[serde(skip)]
    #[cfg_attr(feature = "server", schema(ignore))]
    pub revocation_wanted: Vec<crate::revocation::wanted::StatusWanted>,
}

impl Report {
    /// An empty report on `format` at `validation_time`, TOTAL_FAILED / FORMAT_FAILURE until
    /// something is verified.
    pub fn empty(format: Format, validation_time: String) -> Report {
        Report {
            file: None,
            format,
            indication: Indication::TotalFailed,
            sub_indication: Some(SubIndication::FormatFailure),
            validation_time,
            signatures: Vec::new(),
            certificate: None,
            chain: Vec::new(),
            mobile_id_status: None,
            data_files: Vec::new(),
            checks: Vec::new(),
            revocation_wanted: Vec::new(),
        }
    }

    /// Sets the indication from the file-level checks and the signatures ([`model::file_verdict`]).
    pub fn conclude(&mut self) {
        // A file-level check list with no passed check proves nothing on its own, but next to
        // verified signatures it only counts for what failed in it.
        let own = if self.signatures.is_empty() {
            model::checks_verdict(&self.checks)
        } else {
            model::Conclusion::from_checks(&self.checks).verdict()
        };
        let parts = std::iter::once(own).chain(self.signatures.iter().map(|s| (s.indication, s.sub_indication)));
        (self.indication, self.sub_indication) = model::file_verdict(parts);
    }
}

impl CheckResult {
    /// How much a result weighs when two results of one code are merged.
    fn weight(self) -> u8 {
        match self {
            CheckResult::Info => 0,
            CheckResult::Passed => 1,
            CheckResult::Warning => 2,
            CheckResult::NotRun => 3,
            CheckResult::Failed => 4,
        }
    }
}

/// The checks one block, one signature or one file ran, in order. A code is recorded once: a
/// second record of the same code is merged into the first (the heavier result, the first
/// sub-indication, both details), so that no code appears twice in one list.
#[derive(Clone, Debug, Default)]
pub struct Checks {
    list: Vec<Check>,
    /// The codes in `list`, one bit each (see [`CheckCode::bit`]).
    present: u128,
}

impl Checks {
    /// Records a passed check.
    pub fn pass(&mut self, code: CheckCode, detail: impl Into<Detail>) {
        self.push(code, CheckResult::Passed, None, detail);
    }

    /// Records a failed check and the sub-indication it causes.
    pub fn fail(&mut self, code: CheckCode, sub: SubIndication, detail: impl Into<Detail>) {
        self.push(code, CheckResult::Failed, Some(sub), detail);
    }

    /// Records a failed check that does not change the verdict (for example a time-stamp that
    /// gives no proof of existence).
    pub fn fail_no_effect(&mut self, code: CheckCode, detail: impl Into<Detail>) {
        self.push(code, CheckResult::Failed, None, detail);
    }

    /// Records a check that could not run; `sub` is what its absence costs the verdict.
    pub fn not_run(&mut self, code: CheckCode, sub: Option<SubIndication>, detail: impl Into<Detail>) {
        self.push(code, CheckResult::NotRun, sub, detail);
    }

    /// Records a warning (does not change the verdict).
    pub fn warn(&mut self, code: CheckCode, detail: impl Into<Detail>) {
        self.push(code, CheckResult::Warning, None, detail);
    }

    /// Records information.
    pub fn info(&mut self, code: CheckCode, detail: impl Into<Detail>) {
        self.push(code, CheckResult::Info, None, detail);
    }

    /// Records a check as it is.
    pub fn record(&mut self, check: Check) {
        self.push(check.code, check.result, check.sub_indication, check.detail);
    }

    fn push(&mut self, code: CheckCode, result: CheckResult, sub: Option<SubIndication>, detail: impl Into<Detail>) {
        let detail = detail.into();
        let recorded = self.present & code.bit() != 0;
        self.present |= code.bit();
        let earlier = if recorded {
            self.list.iter_mut().find(|c| c.code == code)
        } else {
            None
        };
        match earlier {
            Some(c) => {
                if result.weight() > c.result.weight() {
                    c.result = result;
                }
                c.sub_indication = c.sub_indication.or(sub);
                if !detail.is_empty() && !c.detail.contains(detail.as_str()) {
                    c.detail = format!("{}; {detail}", c.detail).into();
                }
            }
            None => self.list.push(Check {
                code,
                result,
                sub_indication: sub,
                detail,
            }),
        }
    }

    /// Records `check`, if there is one.
    pub fn extend_opt(&mut self, check: Option<Check>) {
        if let Some(c) = check {
            self.record(c);
        }
    }

    /// Appends every check of `other` (merging codes already recorded).
    pub fn extend(&mut self, other: Checks) {
        if self.list.is_empty() && self.list.capacity() < other.list.len() {
            // `other` holds each code once already.
            *self = other;
            return;
        }
        if self.present & other.present == 0 {
            // No code of `other` is here yet, and `other` holds each once: nothing to merge.
            self.present |= other.present;
            self.list.extend(other.list);
            return;
        }
        self.list.reserve(other.list.len());
        for c in other.list {
            self.record(c);
        }
    }

    /// No check yet, room for `n`.
    pub fn with_capacity(n: usize) -> Checks {
        Checks {
            list: Vec::with_capacity(n),
            present: 0,
        }
    }

    /// Number of checks recorded.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no check was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The recorded checks.
    pub fn as_slice(&self) -> &[Check] {
        &self.list
    }

    /// The recorded checks.
    pub fn into_vec(self) -> Vec<Check> {
        self.list
    }
}

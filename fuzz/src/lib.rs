//! The bodies of the fuzz targets, shared with `tests/fuzz_regressions.rs` (which includes this
//! file with `#[path]`), so that the stable regression test drives exactly the code the fuzzer
//! drives. Depends only on the public `sigverify` API; no libfuzzer here.

use std::sync::{Arc, OnceLock};

use sigverify::formats::asic;
use sigverify::formats::ber::Tlv;
use sigverify::formats::x509::Certificate;
use sigverify::formats::zip::{self, ZipLimits};
use sigverify::{
    CertPool, Content, DefaultVerifier, HashAlg, Policy, Report, TrustStore, UnixTime, VerifyContext, verify,
};

/// Fixed validation time: 2026-05-28T20:26:40Z (inside the test PKI's validity).
pub const TIME: UnixTime = UnixTime(1_780_000_000);

/// How deep the `ber` target walks children (the parser itself stops at `ber::MAX_DEPTH`).
pub const BER_WALK_DEPTH: usize = 64;

/// How many elements in all the `ber` target visits per input (keeps one input fast).
pub const BER_WALK_BUDGET: usize = 100_000;

struct Fixture {
    trust: TrustStore,
    intermediates: CertPool,
    policy: Policy,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut trust = CertPool::new();
        for pem in [
            &include_bytes!("../../testdata/pki/rsa/root.pem")[..],
            &include_bytes!("../../testdata/pki/p256/root.pem")[..],
        ] {
            for cert in Certificate::from_pem_or_der(pem).expect("test PKI root parses") {
                trust.add(Arc::new(cert));
            }
        }
        Fixture {
            trust,
            intermediates: CertPool::new(),
            // Without revocation checking (the seeds carry no revocation data): a mutated
            // input that would pass but for its missing revocation status must still be caught.
            policy: sigverify::revocation::OcspMode::Off
                .policy(&Policy::default_policy())
                .into_owned(),
        }
    })
}

/// The fuzzing context: trust store with the RSA and P-256 test roots, at [`TIME`], no cache,
/// revocation checking off.
fn ctx() -> VerifyContext<'static> {
    let f = fixture();
    VerifyContext {
        trust: &f.trust,
        intermediates: &f.intermediates,
        verifier: &DefaultVerifier,
        policy: &f.policy,
        time: TIME,
        cache: None,
        budget: sigverify::Budget::default(),
        cancel: None,
        revocation: &[],
    }
}

/// `verify()` with the fuzzing context.
pub fn verify_with(data: &[u8], content: Content<'_>) -> Report {
    verify(data, content, &ctx())
}

/// Target `cms`: the whole pipeline on arbitrary bytes, no detached content.
pub fn cms(data: &[u8]) -> Report {
    verify_with(data, Content::None)
}

/// Target `cms_detached`: the first byte chooses how the rest is used.
///
/// * `b % 3 == 0`: the rest is the signature, no content;
/// * `b % 3 == 1`: the next two bytes (big-endian) give the signature length; the rest after
///   the signature is the detached content;
/// * `b % 3 == 2`: as 1, but the content part is handed in as a digest, of the algorithm
///   chosen by `b / 3`.
pub fn cms_detached(data: &[u8]) -> Option<Report> {
    let (&mode, rest) = data.split_first()?;
    if mode % 3 == 0 {
        return Some(verify_with(rest, Content::None));
    }
    let (sig, content) = match rest {
        [hi, lo, tail @ ..] => tail.split_at(usize::from(u16::from_be_bytes([*hi, *lo])).min(tail.len())),
        _ => (rest, &[][..]),
    };
    let content = if mode % 3 == 1 {
        Content::Data(content)
    } else {
        let alg = [
            HashAlg::Sha1,
            HashAlg::Sha224,
            HashAlg::Sha256,
            HashAlg::Sha384,
            HashAlg::Sha512,
        ];
        Content::Digest {
            alg: alg[usize::from(mode / 3) % alg.len()],
            value: content,
        }
    };
    Some(verify_with(sig, content))
}

/// Target `xml_signature`: `adapters::xades::verify_xml` on arbitrary bytes (XML-DSig and
/// XAdES), no detached data, with the fuzzing context.
pub fn xml_signature(data: &[u8]) -> Report {
    let ctx = ctx();
    let meter = sigverify::Meter::new(ctx.budget, ctx.cancel);
    sigverify::adapters::xades::verify_xml(data, sigverify::adapters::xades::External::None, &ctx, &meter)
}

/// Target `ddoc`: the DigiDoc adapter over the input, with the `cms` target's trust store, time
/// and policy; the sniff must not panic either.
pub fn ddoc(data: &[u8]) -> Report {
    let ctx = ctx();
    let meter = sigverify::Meter::new(ctx.budget, ctx.cancel);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sigverify::adapters::ddoc::looks_like_ddoc(text);
    }
    sigverify::adapters::ddoc::verify(data, &ctx, &meter)
}

/// Target `certificate`: the X.509 parser, then every accessor a report uses.
pub fn certificate(data: &[u8]) -> bool {
    match Certificate::from_der(data) {
        Ok(c) => {
            let _ = (c.subject_string(), c.issuer_string(), c.serial_hex(), c.sha256_hex());
            // The Subject as MSign renders it (.NET order and quoting).
            let _ = sigverify::formats::x509::name_to_dotnet_string(c.subject());
            let _ = (
                c.is_self_issued(),
                c.is_ca(),
                c.valid_at(TIME),
                sigverify::cert_info(&c),
            );
            // authorityInfoAccess OCSP URIs: bounded, printable ASCII.
            assert!(c.ocsp_urls.len() <= sigverify::formats::x509::MAX_OCSP_URLS);
            for url in &c.ocsp_urls {
                assert!(
                    url.len() <= sigverify::formats::x509::MAX_URL_LEN && url.bytes().all(|b| b.is_ascii_graphic())
                );
            }
            true
        }
        Err(_) => false,
    }
}

/// The rsa test leaf and issuing CA, for the `crl` target.
fn crl_fixture() -> &'static (Certificate, Certificate) {
    static CERTS: OnceLock<(Certificate, Certificate)> = OnceLock::new();
    CERTS.get_or_init(|| {
        let one = |pem: &[u8]| {
            let mut certs = Certificate::from_pem_or_der(pem).expect("test PKI certificate parses");
            certs.remove(0)
        };
        (
            one(include_bytes!("../../testdata/pki/rsa/leaf.pem")),
            one(include_bytes!("../../testdata/pki/rsa/ica.pem")),
        )
    })
}

/// Target `crl`: `revocation::crl::check` for the rsa test leaf under the rsa test ica at
/// [`TIME`] (with a skew that lets any CRL be fresh), then `Crl::from_der`, every entry, and a
/// lookup by serial of the first entry and of the leaf. Returns whether the input parsed.
pub fn crl(data: &[u8]) -> bool {
    use sigverify::formats::crl::Crl;
    use sigverify::revocation::{Freshness, crl as status};
    let (leaf, ica) = crl_fixture();
    let ctx = ctx();
    let meter = sigverify::Meter::new(ctx.budget, ctx.cancel);
    let fresh = Freshness {
        skew_seconds: 1 << 40,
        max_age_seconds: 1 << 40,
    };
    let outcome = status::check(data, leaf, ica, TIME, &fresh, &ctx, &meter);
    assert!(outcome.message().len() < 1024, "CRL outcome message too long");
    let Ok(crl) = Crl::from_der(data) else {
        assert_eq!(outcome.problem(), Some(status::CrlProblem::Malformed), "{outcome:?}");
        return false;
    };
    let entries = crl.entries().filter(Result::is_ok).count();
    assert_eq!(entries, crl.entry_count, "entries read twice differ");
    if let Some(Ok(first)) = crl.entries().next() {
        assert!(
            matches!(crl.find(first.serial), Ok(Some(_))),
            "first entry not found by its serial"
        );
    }
    let _ = crl.find(leaf.serial());
    true
}

/// Target `ber`: `Tlv::parse` on the input, then on what follows, walking children and joining
/// constructed strings down to [`BER_WALK_DEPTH`]. Returns how many elements were visited.
pub fn ber(data: &[u8]) -> usize {
    let mut budget = BER_WALK_BUDGET;
    let mut rest = data;
    while budget > 0 {
        match Tlv::parse(rest) {
            Ok((tlv, after)) => {
                walk(&tlv, 0, &mut budget);
                // The parser must always consume something.
                assert!(after.len() < rest.len(), "Tlv::parse consumed nothing");
                rest = after;
            }
            Err(_) => break,
        }
    }
    BER_WALK_BUDGET - budget
}

fn walk(tlv: &Tlv<'_>, depth: usize, budget: &mut usize) {
    *budget = budget.saturating_sub(1);
    if *budget == 0 || depth >= BER_WALK_DEPTH || !tlv.tag.constructed {
        return;
    }
    let _ = tlv.string_value();
    let _ = tlv.retagged(0x31);
    for child in tlv.children() {
        match child {
            Ok(c) => walk(&c, depth + 1, budget),
            Err(_) => return,
        }
        if *budget == 0 {
            return;
        }
    }
}

/// Target `mobileid`: a Mobile ID response, its SOAP envelope when it looks like XML, else its
/// JSON (arbitrary bytes; neither UTF-8 XML nor JSON is skipped), checked against a fixed
/// expectation.
pub fn mobileid(data: &[u8]) -> Option<Report> {
    let expected = sigverify::mobileid::Expected {
        dtbd: "sigverify fuzz: confirm?".into(),
        msisdn: "+41700092502".into(),
        ap_trans_id: "REF-FUZZ".into(),
        mid_serial: Some("MIDCHEFUZZ000000".into()),
    };
    if let Some(xml) = std::str::from_utf8(data)
        .ok()
        .filter(|t| sigverify::mobileid::looks_like_xml(t))
    {
        return Some(sigverify::mobileid::verify_soap_response(xml, &expected, &ctx()));
    }
    let value: serde_json::Value = serde_json::from_slice(data).ok()?;
    Some(sigverify::mobileid::verify_response(&value, &expected, &ctx()))
}

/// Target `raw`: the first byte picks the algorithm, the next two the signature length; then
/// the signature value, the certificate (DER or PEM) and, after a second length, the data.
pub fn raw(data: &[u8]) -> Option<Report> {
    type Alg = (&'static str, Option<&'static str>, Option<usize>);
    const ALGS: [Alg; 8] = [
        ("sha256WithRSAEncryption", None, None),
        ("RSASSA-PSS", Some("SHA-256"), Some(32)),
        ("RSASSA-PSS", Some("SHA-512"), Some(64)),
        ("SHA256withECDSA", None, None),
        ("SHA384withECDSA", None, None),
        ("sha1WithRSA", None, None),
        ("SHA512withECDSA", None, None),
        ("SHA256WithECEncryption", None, None),
    ];
    let (&alg, rest) = data.split_first()?;
    let [hi, lo, rest @ ..] = rest else { return None };
    let (sig, rest) = rest.split_at(usize::from(u16::from_be_bytes([*hi, *lo])).min(rest.len()));
    let [hi, lo, rest @ ..] = rest else { return None };
    let (cert, payload) = rest.split_at(usize::from(u16::from_be_bytes([*hi, *lo])).min(rest.len()));
    let (name, pss_hash, salt) = ALGS[usize::from(alg) % ALGS.len()];
    let scheme = sigverify::parse_signature_algorithm(name, pss_hash, salt).ok()?;
    Some(sigverify::verify_raw(
        sig,
        &scheme,
        cert,
        Content::Data(payload),
        &ctx(),
    ))
}

/// Target `msign_soap`: the MSign VerifySignatures SOAP parser (no verification).
pub fn msign_soap(data: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(data).ok()?;
    sigverify::api::msign::parse_soap_request(text, 100).ok()
}

/// The endpoints of the `json_bodies` target, chosen by the input's first byte.
pub const JSON_ENDPOINTS: [&str; 5] = ["verify", "batch", "raw", "mobileid", "msign-json"];

/// Target `json_bodies`: byte 0 picks the endpoint (`JSON_ENDPOINTS[b % 5]`), the rest is the
/// request body, read and validated as that endpoint's handler does (no verification).
/// Returns whether the body was accepted.
pub fn json_bodies(data: &[u8]) -> Option<bool> {
    let (&b, body) = data.split_first()?;
    let endpoint = JSON_ENDPOINTS[usize::from(b) % JSON_ENDPOINTS.len()];
    let result = sigverify::api::json::fuzz_request_body(endpoint, body);
    // An error never carries more than a bounded echo of the input.
    if let Err(e) = &result {
        assert!(e.len() < 1024, "error of {} bytes", e.len());
    }
    Some(result.is_ok())
}

/// Target `asic_zip`: the ZIP reader with the data of every entry read, then the ASiC container
/// reader, default limits, then the whole container verification. Returns whether the
/// container reader accepted the input. An accepted name is relative and free of `..`; an
/// error message stays short.
pub fn asic_zip(data: &[u8]) -> bool {
    let limits = ZipLimits::default();
    match zip::read(data, &limits) {
        Ok(archive) => {
            for entry in &archive.entries {
                assert!(!entry.name.is_empty() && !entry.name.starts_with('/'));
                assert!(!entry.name.split('/').any(|s| s == ".."), "accepted a `..` name");
                if let Err(e) = entry.data(&limits) {
                    assert!(e.to_string().len() < 512, "error of {} bytes", e.to_string().len());
                }
            }
        }
        Err(e) => assert!(e.to_string().len() < 512, "error of {} bytes", e.to_string().len()),
    }
    let accepted = asic::read_container(data, &limits).is_ok();
    // The whole container adapter: a verdict, never a panic.
    if data.starts_with(b"PK\x03\x04") {
        let _ = verify_with(data, Content::None);
    }
    accepted
}

/// Target `c14n`: the input as XML (non-UTF-8 skipped), parsed with
/// `XmlLimits::signature_document()`, then canonicalized with each of the six methods and with
/// exclusive C14N under a prefix list: the whole document, the subtree of the document
/// element's first child element, and the document less that subtree. Returns the number of
/// bytes written.
pub fn c14n(data: &[u8]) -> usize {
    use sigverify::formats::xml::c14n::{Algorithm, Method, Subset, canonicalize};
    use sigverify::formats::xml::{XmlLimits, parse};

    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    let Ok(doc) = parse(text, &XmlLimits::signature_document()) else {
        return 0;
    };
    let inner = doc.root_element().first_element_child().unwrap_or(doc.root_element());
    let subsets = [
        Subset::document(&doc),
        Subset::subtree(inner),
        Subset {
            apex: doc.root(),
            excluded: vec![inner.id()],
        },
    ];
    let mut methods = Vec::new();
    for algorithm in [Algorithm::C14n10, Algorithm::C14n11, Algorithm::ExcC14n10] {
        methods.push(Method::new(algorithm, false));
        methods.push(Method::new(algorithm, true));
    }
    let mut listed = Method::new(Algorithm::ExcC14n10, false);
    listed.inclusive_prefixes = vec!["#default".into()];
    listed
        .inclusive_prefixes
        .extend(inner.namespaces().filter_map(|ns| ns.name()).map(String::from).take(2));
    methods.push(listed);
    let mut written = 0;
    for subset in &subsets {
        for method in &methods {
            let mut out = Vec::new();
            // Errors (an unsupported xml:base join, an output over its bound) are fine.
            let _ = canonicalize(subset, method, &mut out);
            written += out.len();
        }
    }
    written
}

/// Target `pdf`: `formats::pdf::read` with default `PdfLimits`, then every listed object of
/// every revision read as of that revision, every stream decoded, and each trailer's `/Root`
/// resolved; an error message must stay under 512 bytes. Then `verify` on the input (the whole
/// PAdES adapter: signature discovery, byte ranges, CMS, later changes) whenever it starts as
/// a PDF; a PDF report that passes must have every signature covering its whole revision with
/// no forbidden later change. Returns whether the file was read.
pub fn pdf(data: &[u8]) -> bool {
    let read = pdf_reader(data);
    if looks_like_pdf(data) {
        pdf_report_is_consistent(&verify_with(data, Content::None));
    }
    read
}

/// Whether `verify` takes the input for a PDF: `%PDF-` after white space and a UTF-8 byte order
/// mark.
fn looks_like_pdf(data: &[u8]) -> bool {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(data, |i| &data[i..]);
    let start = start.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(start);
    start.starts_with(b"%PDF-")
}

/// A passing PDF report: every signature passed, covers its whole revision, and nothing after
/// it is forbidden.
fn pdf_report_is_consistent(report: &Report) {
    use sigverify::Indication;
    if report.indication != Indication::TotalPassed {
        return;
    }
    assert!(!report.signatures.is_empty(), "a PDF without signatures passed");
    for s in &report.signatures {
        assert_eq!(s.indication, Indication::TotalPassed, "{} did not pass", s.id);
        if let Some(info) = &s.pdf {
            assert!(
                info.covers_whole_revision,
                "{} passed without covering its revision",
                s.id
            );
            assert!(
                info.changes_after.iter().all(|c| c.allowed),
                "{} passed with a forbidden later change",
                s.id
            );
        }
    }
}

fn pdf_reader(data: &[u8]) -> bool {
    use sigverify::formats::pdf::{self, Object, PdfLimits, XrefEntry};
    let short = |e: pdf::PdfError| assert!(e.to_string().len() < 512, "error of {} bytes", e.to_string().len());
    let pdf = match pdf::read(data, &PdfLimits::default()) {
        Ok(pdf) => pdf,
        Err(e) => {
            short(e);
            return false;
        }
    };
    for (rev, r) in pdf.revisions.iter().enumerate() {
        assert!(r.end <= data.len());
        for (&num, entry) in &r.objects {
            if matches!(entry, XrefEntry::Free { .. }) {
                continue;
            }
            match pdf.object(rev, num) {
                Ok(o) => {
                    if let Object::Stream(s) = o.object {
                        pdf.decode(&s).err().into_iter().for_each(short);
                    }
                }
                Err(e) => short(e),
            }
        }
        if let Some(root) = r.trailer.get(b"Root".as_slice()) {
            pdf.resolve(root, rev).err().into_iter().for_each(short);
        }
    }
    true
}

/// The rsa and p256 test leaves with their issuing CAs, for the `ocsp` target.
fn ocsp_subjects() -> &'static [(Certificate, Certificate)] {
    static SUBJECTS: OnceLock<Vec<(Certificate, Certificate)>> = OnceLock::new();
    SUBJECTS.get_or_init(|| {
        let pem = |b: &[u8]| Certificate::from_pem_or_der(b).expect("test PKI parses").remove(0);
        vec![
            (
                pem(include_bytes!("../../testdata/pki/rsa/leaf.pem")),
                pem(include_bytes!("../../testdata/pki/rsa/ica.pem")),
            ),
            (
                pem(include_bytes!("../../testdata/pki/p256/leaf.pem")),
                pem(include_bytes!("../../testdata/pki/p256/ica.pem")),
            ),
        ]
    })
}

/// Target `ocsp`: `formats::ocsp::parse_response`, then `revocation::ocsp::check` for the rsa
/// and the p256 test leaf under their ICAs, at the response's producedAt (at [`TIME`] when it
/// has none) with the default freshness. An outcome that reports a status must come from a
/// response that parses as successful. Returns whether the input parsed.
pub fn ocsp(data: &[u8]) -> bool {
    use sigverify::formats::ocsp::{ResponseStatus, parse_response};
    use sigverify::revocation::{Freshness, ocsp::OcspOutcome, ocsp::check};
    let parsed = parse_response(data);
    let successful = parsed.as_ref().is_ok_and(|r| r.status == ResponseStatus::Successful);
    let at = parsed
        .as_ref()
        .ok()
        .and_then(|r| r.basic.as_ref())
        .map_or(TIME, |b| b.data.produced_at);
    let ctx = ctx();
    let meter = sigverify::Meter::new(ctx.budget, ctx.cancel);
    for (leaf, issuer) in ocsp_subjects() {
        let outcome = check(data, leaf, issuer, at, &Freshness::default(), &ctx, &meter);
        if matches!(
            outcome,
            OcspOutcome::Good(_) | OcspOutcome::Revoked { .. } | OcspOutcome::Unknown(_)
        ) {
            assert!(successful, "a status from a response that is not successful");
        }
        let _ = outcome.to_string();
    }
    parsed.is_ok()
}

/// Target `timestamp`: `process::timestamp::validate_token` with the input as a TimeStampToken
/// over `testdata/tsa/data.txt`, with the `cms` target's trust store, time and policy (CMS
/// reader, TSTInfo parser, ESS signing-certificate reference, TSA path and usage, imprint,
/// signature). A proof of existence must come with a passed conclusion and the token's genTime;
/// returns whether the genTime could be read.
pub fn timestamp(data: &[u8]) -> bool {
    use sigverify::process::timestamp::{Covered, validate_token, without_effect};
    const COVERED: &[u8] = include_bytes!("../../testdata/tsa/data.txt");
    let ctx = ctx();
    let meter = sigverify::Meter::new(ctx.budget, ctx.cancel);
    let digest = |h: HashAlg| Some(h.digest(COVERED));
    let covered = Covered {
        digest: &digest,
        what: "the data",
        revocation: &[],
    };
    let v = validate_token(data, covered, &ctx, &meter);
    if let Some(poe) = v.proof_of_existence {
        assert!(
            v.conclusion.passed(),
            "a proof of existence from a token that did not pass"
        );
        assert_eq!(v.gen_time, Some(poe), "a proof of existence other than the genTime");
    }
    assert!(
        !v.checks.as_slice().is_empty(),
        "a token validation that explains nothing"
    );
    let _ = without_effect(&v);
    v.gen_time.is_some()
}

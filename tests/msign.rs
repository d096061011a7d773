//! The MSign-compatible VerifySignatures endpoints (`src/api/msign.rs`): SOAP 1.1 as a WCF
//! client generated from the WSDL sends it, the WSDL itself, and the JSON binding, over a real
//! socket (reqwest) and in process (`tower::ServiceExt::oneshot`).
#![cfg(feature = "server")]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use common::*;
use serde_json::{Value, json};
use sigverify::api::msign::{ADDRESSING_NONE, MAX_MESSAGE_CHARS, SOAP_ACTION, result_message};
use sigverify::api::{AppState, Limits};
use sigverify::verdict::i18n::Lang;
use sigverify::{Content, Policy, Report, UnixTime};
use tower::ServiceExt;

const NS: &str = "https://msign.gov.md";
/// cases.tsv rsa-detached-hash: SHA-256 of samples/content/content.txt.
const HASH: &str = "VhfmqlvtStNxjWahE0hyKqnyMThqU1RzC92Rc4ZEnCI=";
/// cases.tsv neg-detached-wrong-hash.
const WRONG_HASH: &str = "obJYzyb3AjxWh1ssyJuPifTdrgeEWbg09/IVRzT0Vks=";
const XADES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="xades-1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue><ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"/></ds:Object></ds:Signature>"#;
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn detached() -> String {
    b64(&read(&repo().join("testdata/samples/rsa-detached.p7s")))
}

fn attached() -> String {
    b64(&read(&repo().join("testdata/samples/rsa-attached.p7m")))
}

fn state() -> Arc<AppState> {
    state_trusting(&["rsa"])
}

/// A state trusting the roots of `testdata/pki/<dir>/root.pem`. The contract is the subject:
/// the service is deployed with revocation checking off (MSign requests have no field for it,
/// so the deployment's policy decides), and the samples carry no revocation data.
fn state_trusting(dirs: &[&str]) -> Arc<AppState> {
    let roots: Vec<_> = dirs
        .iter()
        .map(|d| repo().join(format!("testdata/pki/{d}/root.pem")))
        .collect();
    let anchors = load_pool(&roots);
    Arc::new(AppState::new(
        anchors,
        Default::default(),
        OcspMode::Off.policy(&Policy::default_policy()).into_owned(),
        Limits::default(),
    ))
}

fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    UnixTime(i64::try_from(secs).unwrap())
}

/// What the library says about `input` (for the expected messages), as the service is
/// deployed here: without revocation checking.
fn report_of(input: &[u8], content: Content<'_>) -> Report {
    Setup::new(&[repo().join("testdata/pki/rsa/root.pem")], &[], now())
        .revocation_off()
        .run(input, content)
}

/// An unsigned PDF: no signature to verify.
fn unsigned_pdf_report() -> Report {
    report_of(PDF, Content::None)
}

/// `message` is the Romanian one for `report` (and not the English one, once they differ).
fn assert_romanian(message: &str, report: &Report) {
    assert!(!message.is_empty());
    assert!(message.chars().count() <= MAX_MESSAGE_CHARS, "{message}");
    let ro = result_message(report, Lang::Ro);
    let en = result_message(report, Lang::En);
    assert_eq!(message, ro);
    if ro != en {
        assert_ne!(message, en);
    }
}

/// Starts the real server on an ephemeral port; returns its base URL.
async fn serve() -> String {
    serve_with(state()).await
}

/// Starts the real server with `state`.
async fn serve_with(state: Arc<AppState>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let config = sigverify::api::server::ServerConfig::default();
        let app = sigverify::api::router(state);
        sigverify::api::server::serve(listener, app, config, std::future::pending())
            .await
            .unwrap();
    });
    format!("http://{addr}")
}

struct Item<'a> {
    content: Option<&'a str>,
    correlation_id: Option<&'a str>,
    signature: &'a str,
}

/// The envelope a WCF client generated from the WSDL sends (element order as in the WSDL).
fn envelope(items: &[Item<'_>], language: Option<&str>, kind: &str) -> String {
    let mut x = String::from(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><VerifySignatures xmlns="https://msign.gov.md"><request><Contents>"#,
    );
    for i in items {
        x.push_str("<VerificationContent>");
        if let Some(c) = i.content {
            x.push_str(&format!("<Content>{c}</Content>"));
        }
        if let Some(id) = i.correlation_id {
            x.push_str(&format!("<CorrelationID>{id}</CorrelationID>"));
        }
        x.push_str(&format!("<Signature>{}</Signature>", i.signature));
        x.push_str("</VerificationContent>");
    }
    x.push_str("</Contents>");
    if let Some(l) = language {
        x.push_str(&format!("<Language>{l}</Language>"));
    }
    x.push_str(&format!(
        "<SignedContentType>{kind}</SignedContentType></request></VerifySignatures></s:Body></s:Envelope>"
    ));
    x
}

async fn post_soap(base: &str, body: String) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(format!("{base}/msign/soap"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{SOAP_ACTION}\""))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").unwrap().to_str().unwrap().to_string();
    assert_eq!(ct, "text/xml; charset=utf-8");
    (status, r.text().await.unwrap())
}

#[derive(Debug)]
struct Cert {
    certificate: Vec<u8>,
    signature_valid: bool,
    signed_at: Option<String>,
    subject: String,
}

#[derive(Debug)]
struct Res {
    certificates: Vec<Cert>,
    correlation_id: Option<String>,
    message: String,
    signatures_valid: bool,
}

fn child_names(n: roxmltree::Node<'_, '_>) -> Vec<String> {
    n.children()
        .filter(|c| c.is_element())
        .map(|c| c.tag_name().name().to_string())
        .collect()
}

fn text(n: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .map(|c| c.text().unwrap_or_default().to_string())
}

/// Parses a VerifySignaturesResponse, checking namespaces and element order.
fn results(xml: &str) -> Vec<Res> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let env = doc.root_element();
    assert!(env.has_tag_name(("http://schemas.xmlsoap.org/soap/envelope/", "Envelope")));
    let resp = doc
        .descendants()
        .find(|n| n.has_tag_name((NS, "VerifySignaturesResponse")))
        .expect("response");
    let result = resp
        .children()
        .find(|n| n.has_tag_name((NS, "VerifySignaturesResult")))
        .unwrap();
    let list = result.children().find(|n| n.has_tag_name((NS, "Results"))).unwrap();
    list.children()
        .filter(|n| n.is_element())
        .map(|r| {
            assert!(r.has_tag_name((NS, "VerificationResult")));
            let names = child_names(r);
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted, "alphabetical order");
            let certificates = r
                .children()
                .find(|n| n.has_tag_name((NS, "Certificates")))
                .map(|cs| {
                    cs.children()
                        .filter(|n| n.is_element())
                        .map(|c| {
                            assert!(c.has_tag_name((NS, "VerificationCertificate")));
                            let names = child_names(c);
                            let mut sorted = names.clone();
                            sorted.sort();
                            assert_eq!(names, sorted);
                            Cert {
                                certificate: base64::engine::general_purpose::STANDARD
                                    .decode(text(c, "Certificate").unwrap())
                                    .unwrap(),
                                signature_valid: text(c, "SignatureValid").unwrap().parse().unwrap(),
                                signed_at: text(c, "SignedAt"),
                                subject: text(c, "Subject").unwrap(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Res {
                certificates,
                correlation_id: text(r, "CorrelationID"),
                message: text(r, "Message").unwrap(),
                signatures_valid: text(r, "SignaturesValid").unwrap().parse().unwrap(),
            }
        })
        .collect()
}

/// The fault code of a SOAP 1.1 fault as a WCF client reads it (namespace, name), and its
/// faultstring. Checks the shape WCF writes for a `FaultException` with a code: `faultcode`
/// (unqualified) holding a QName resolved on the element itself, `faultstring` with
/// `xml:lang`, no `detail`.
fn fault_code(status: u16, xml: &str) -> ((String, String), String) {
    assert_eq!(status, 500, "{xml}");
    let doc = roxmltree::Document::parse(xml).unwrap();
    let f = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://schemas.xmlsoap.org/soap/envelope/", "Fault")))
        .unwrap_or_else(|| panic!("no fault: {xml}"));
    assert_eq!(child_names(f), ["faultcode", "faultstring"], "{xml}");
    let code = f.first_element_child().unwrap();
    assert_eq!(code.tag_name().namespace(), None);
    let qname = code.text().unwrap();
    let (prefix, name) = qname.split_once(':').unwrap();
    let ns = code.lookup_namespace_uri(Some(prefix)).unwrap().to_string();
    let string = f.last_element_child().unwrap();
    assert!(
        string
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
            .is_some()
    );
    let reason = string.text().unwrap_or_default().to_string();
    assert!(!reason.is_empty());
    ((ns, name.to_string()), reason)
}

/// The reason of an `InvalidParameter` fault (code `{https://msign.gov.md}InvalidParameter`).
fn fault(status: u16, xml: &str) -> String {
    let (code, reason) = fault_code(status, xml);
    assert_eq!(code, (NS.to_string(), "InvalidParameter".to_string()), "{xml}");
    assert!(xml.contains(r#"<faultcode xmlns:a="https://msign.gov.md">a:InvalidParameter</faultcode>"#));
    reason
}

fn leaf_der() -> Vec<u8> {
    leaf_of("rsa")
}

fn leaf_of(dir: &str) -> Vec<u8> {
    let pem = read(&repo().join(format!("testdata/pki/{dir}/leaf.pem")));
    sigverify::formats::x509::Certificate::from_pem_or_der(&pem).unwrap()[0]
        .der()
        .to_vec()
}

#[tokio::test]
async fn soap_valid_detached_cms_by_hash() {
    let base = serve().await;
    let sig = detached();
    let body = envelope(
        &[Item {
            content: Some(HASH),
            correlation_id: Some("c0ffee00-0000-4000-8000-000000000001"),
            signature: &sig,
        }],
        Some("ro"),
        "Hash",
    );
    let (status, xml) = post_soap(&base, body).await;
    assert_eq!(status, 200, "{xml}");
    let r = results(&xml);
    assert_eq!(r.len(), 1);
    assert!(r[0].signatures_valid, "{xml}");
    assert_eq!(
        r[0].correlation_id.as_deref(),
        Some("c0ffee00-0000-4000-8000-000000000001")
    );
    assert_eq!(r[0].certificates.len(), 1);
    let c = &r[0].certificates[0];
    assert!(c.signature_valid);
    assert!(c.subject.contains("MIDCHEDEMO0000001"), "{}", c.subject);
    assert!(c.subject.chars().count() <= 250);
    assert_eq!(c.certificate, leaf_der());
    assert_eq!(c.signed_at, None, "no verified time-stamp, so no SignedAt");
    let hash = base64::engine::general_purpose::STANDARD.decode(HASH).unwrap();
    let rep = report_of(
        &read(&repo().join("testdata/samples/rsa-detached.p7s")),
        Content::Digest {
            alg: sigverify::HashAlg::Sha256,
            value: &hash,
        },
    );
    assert_romanian(&r[0].message, &rep);
}

#[tokio::test]
async fn soap_batch_default_language_and_negative_cases() {
    let base = serve().await;
    let sig = detached();
    let xades = b64(XADES.as_bytes());
    let body = envelope(
        &[
            Item {
                content: Some(WRONG_HASH),
                correlation_id: Some("wrong"),
                signature: &sig,
            },
            Item {
                content: Some(HASH),
                correlation_id: Some("xades"),
                signature: &xades,
            },
            Item {
                content: Some(HASH),
                correlation_id: None,
                signature: &sig,
            },
        ],
        None,
        "Hash",
    );
    let (status, xml) = post_soap(&base, body).await;
    assert_eq!(status, 200, "{xml}");
    let r = results(&xml);
    assert_eq!(r.len(), 3);
    // (b) wrong hash
    assert!(!r[0].signatures_valid);
    assert_eq!(r[0].correlation_id.as_deref(), Some("wrong"));
    assert_eq!(r[0].certificates.len(), 1);
    assert!(!r[0].certificates[0].signature_valid);
    assert_ne!(r[0].message, r[2].message);
    // (c) a XAdES that is no signature (no references): no certificates, Romanian by default
    assert!(!r[1].signatures_valid);
    assert!(r[1].certificates.is_empty());
    assert_romanian(&r[1].message, &report_of(XADES.as_bytes(), Content::None));
    assert!(
        xml.matches("<CorrelationID>").count() == 2,
        "absent CorrelationID is omitted"
    );
    assert!(r[2].signatures_valid);
    assert_eq!(r[2].correlation_id, None);
}

#[tokio::test]
async fn soap_unsigned_pdf_fails_and_cms_as_pdf_is_verified() {
    let base = serve().await;
    let pdf = b64(PDF);
    let cms = attached();
    let body = envelope(
        &[
            Item {
                content: None,
                correlation_id: Some("pdf"),
                signature: &pdf,
            },
            Item {
                content: None,
                correlation_id: Some("cms"),
                signature: &cms,
            },
        ],
        Some("en"),
        "Pdf",
    );
    let (status, xml) = post_soap(&base, body).await;
    assert_eq!(status, 200, "{xml}");
    let r = results(&xml);
    assert!(!r[0].signatures_valid);
    assert!(r[0].certificates.is_empty());
    assert_eq!(r[0].message, result_message(&unsigned_pdf_report(), Lang::En));
    assert!(r[1].signatures_valid, "{xml}");
    assert_eq!(r[1].certificates.len(), 1);
}

#[tokio::test]
async fn soap_any_order_and_prefix_and_unquoted_action() {
    let sig = detached();
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="https://msign.gov.md">
  <soapenv:Header/>
  <soapenv:Body>
    <m:VerifySignatures>
      <m:request>
        <m:SignedContentType>Hash</m:SignedContentType>
        <m:Language>ru</m:Language>
        <m:Contents>
          <m:VerificationContent>
            <m:Signature>{sig}</m:Signature>
            <m:CorrelationID>a&amp;b</m:CorrelationID>
            <m:Content>{HASH}</m:Content>
          </m:VerificationContent>
        </m:Contents>
      </m:request>
    </m:VerifySignatures>
  </soapenv:Body>
</soapenv:Envelope>"#
    );
    let resp = sigverify::api::router(state())
        .oneshot(
            Request::post("/msign/soap")
                .header("content-type", "text/xml; charset=utf-8")
                .header("SOAPAction", SOAP_ACTION)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    let xml = String::from_utf8(bytes.to_vec()).unwrap();
    let r = results(&xml);
    assert!(r[0].signatures_valid);
    assert_eq!(r[0].correlation_id.as_deref(), Some("a&b"));
    assert!(xml.contains("<CorrelationID>a&amp;b</CorrelationID>"));
}

async fn oneshot_soap(body: &str, action: Option<&str>) -> (u16, String) {
    let mut req = Request::post("/msign/soap").header("content-type", "text/xml; charset=utf-8");
    if let Some(a) = action {
        req = req.header("SOAPAction", a);
    }
    let resp = sigverify::api::router(state())
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn soap_malformed_requests_are_invalid_parameter_faults() {
    let sig = detached();
    let long_id = "x".repeat(37);
    let cases: Vec<(String, &str)> = vec![
        ("<s:Envelope".to_string(), "Envelope"),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: "",
                }],
                None,
                "Hash",
            )
            .replace("<Signature></Signature>", ""),
            "Signature",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: &sig,
                }],
                None,
                "Hash",
            )
            .replace("<SignedContentType>Hash</SignedContentType>", ""),
            "SignedContentType",
        ),
        (envelope(&[], None, "Hash"), "Contents"),
        (
            envelope(
                &[
                    Item {
                        content: Some(HASH),
                        correlation_id: Some("a"),
                        signature: &sig,
                    },
                    Item {
                        content: Some(HASH),
                        correlation_id: Some("a"),
                        signature: &sig,
                    },
                ],
                None,
                "Hash",
            ),
            "CorrelationID",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: Some(&long_id),
                    signature: &sig,
                }],
                None,
                "Hash",
            ),
            "CorrelationID",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: "!!not base64!!",
                }],
                None,
                "Hash",
            ),
            "Signature",
        ),
        (
            envelope(
                &[Item {
                    content: Some("AAAA"),
                    correlation_id: None,
                    signature: &sig,
                }],
                None,
                "Hash",
            ),
            "Content",
        ),
        (
            envelope(
                &[Item {
                    content: None,
                    correlation_id: None,
                    signature: &sig,
                }],
                None,
                "Hash",
            ),
            "Content",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: &sig,
                }],
                Some("xx"),
                "Hash",
            ),
            "Language",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: &sig,
                }],
                None,
                "Xml",
            ),
            "SignedContentType",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: &sig,
                }],
                Some("ro"),
                "Hash",
            )
            .replace(
                "<Language>ro</Language>",
                "<x:Language xmlns:x=\"urn:other\">ro</x:Language>",
            ),
            "Language",
        ),
        (
            envelope(
                &[Item {
                    content: Some(HASH),
                    correlation_id: None,
                    signature: &sig,
                }],
                None,
                "Hash",
            )
            .replace("<SignedContentType>", "<Other>1</Other><SignedContentType>"),
            "Other",
        ),
    ];
    for (body, field) in cases {
        let (status, xml) = oneshot_soap(&body, Some(SOAP_ACTION)).await;
        let detail = fault(status, &xml);
        assert!(detail.contains(field), "{field}: {detail}");
    }
    // Too many items.
    let items: Vec<Item<'_>> = (0..=Limits::default().max_batch_items)
        .map(|_| Item {
            content: Some(HASH),
            correlation_id: None,
            signature: "AAAA",
        })
        .collect();
    let (status, xml) = oneshot_soap(&envelope(&items, None, "Hash"), Some(SOAP_ACTION)).await;
    assert!(fault(status, &xml).contains("Contents"));
}

#[tokio::test]
async fn soap_action_must_be_verify_signatures() {
    let sig = detached();
    let body = envelope(
        &[Item {
            content: Some(HASH),
            correlation_id: None,
            signature: &sig,
        }],
        None,
        "Hash",
    );
    for action in [None, Some("\"https://msign.gov.md/IMSign/PostSignRequest\""), Some("")] {
        let (status, xml) = oneshot_soap(&body, action).await;
        let (code, _) = fault_code(status, &xml);
        assert_eq!(code, (ADDRESSING_NONE.to_string(), "ActionNotSupported".to_string()));
    }
}

#[tokio::test]
async fn soap_refuses_dtd_and_entities() {
    let sig = detached();
    let inner = envelope(
        &[Item {
            content: Some(HASH),
            correlation_id: Some("&e;"),
            signature: &sig,
        }],
        None,
        "Hash",
    );
    for dtd in [
        r#"<!DOCTYPE s:Envelope [<!ENTITY e "expanded">]>"#,
        r#"<!DOCTYPE s:Envelope [<!ENTITY e SYSTEM "file:///etc/passwd">]>"#,
        r#"<!DOCTYPE s:Envelope [<!ENTITY a "aaaaaaaaaa"><!ENTITY e "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#,
    ] {
        let body = format!("<?xml version=\"1.0\"?>{dtd}{inner}");
        let (status, xml) = oneshot_soap(&body, Some(SOAP_ACTION)).await;
        let detail = fault(status, &xml);
        assert!(detail.contains("Envelope"), "{detail}");
        assert!(
            !xml.contains("expanded") && !xml.contains("root:") && !xml.contains("aaaaaaaaaa"),
            "{xml}"
        );
    }
}

#[tokio::test]
async fn soap_12_and_other_operations_are_faults() {
    let (status, xml) = oneshot_soap(
        r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>"#,
        Some(SOAP_ACTION),
    )
    .await;
    assert_eq!(status, 500);
    assert!(xml.contains("<faultcode>s:VersionMismatch</faultcode>"), "{xml}");
    let (status, xml) = oneshot_soap(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><VerifySignatures xmlns="urn:other"/></s:Body></s:Envelope>"#,
        Some(SOAP_ACTION),
    )
    .await;
    assert_eq!(status, 500);
    assert!(xml.contains("<faultcode>s:Client</faultcode>"), "{xml}");
}

#[tokio::test]
async fn wsdl_describes_the_operation_and_types() {
    let base = serve().await;
    for q in ["wsdl", "singleWsdl"] {
        let r = reqwest::get(format!("{base}/msign/soap?{q}")).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/xml"));
        let text = r.text().await.unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let wsdl = "http://schemas.xmlsoap.org/wsdl/";
        let xs = "http://www.w3.org/2001/XMLSchema";
        assert!(doc.root_element().has_tag_name((wsdl, "definitions")));
        assert_eq!(doc.root_element().attribute("targetNamespace"), Some(NS));
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name((wsdl, "operation")) && n.attribute("name") == Some("VerifySignatures"))
        );
        assert!(
            doc.descendants()
                .any(|n| n.tag_name().name() == "operation" && n.attribute("soapAction") == Some(SOAP_ACTION))
        );
        assert!(
            doc.descendants().any(|n| n.tag_name().name() == "address"
                && n.attribute("location").is_some_and(|l| l.ends_with("/msign/soap")))
        );
        for t in [
            "VerificationRequest",
            "VerificationContent",
            "VerificationResult",
            "VerificationCertificate",
        ] {
            let ty = doc
                .descendants()
                .find(|n| n.has_tag_name((xs, "complexType")) && n.attribute("name") == Some(t))
                .unwrap_or_else(|| panic!("{t} missing"));
            let names: Vec<&str> = ty
                .descendants()
                .filter(|n| n.has_tag_name((xs, "element")))
                .filter_map(|n| n.attribute("name"))
                .collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted, "{t} members alphabetical");
        }
    }
    let r = reqwest::get(format!("{base}/msign/soap")).await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

async fn post_json(base: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/msign/VerifySignatures"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn json_binding() {
    let base = serve().await;
    let sig = detached();
    let (status, v) = post_json(
        &base,
        json!({
            "Contents": [
                {"Content": HASH, "CorrelationID": "ok", "Signature": sig},
                {"Content": WRONG_HASH, "CorrelationID": "wrong", "Signature": sig},
                {"Content": HASH, "CorrelationID": "xades", "Signature": b64(XADES.as_bytes())},
            ],
            "SignedContentType": "Hash"
        }),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let r = v["Results"].as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["SignaturesValid"], true);
    assert_eq!(r[0]["CorrelationID"], "ok");
    let c = &r[0]["Certificates"][0];
    assert_eq!(c["SignatureValid"], true);
    assert!(c["Subject"].as_str().unwrap().contains("MIDCHEDEMO0000001"));
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(c["Certificate"].as_str().unwrap())
            .unwrap(),
        leaf_der()
    );
    assert!(c.get("SignedAt").is_none());
    assert_eq!(r[1]["SignaturesValid"], false);
    assert_eq!(r[2]["SignaturesValid"], false);
    assert_eq!(r[2]["Certificates"], json!([]));
    // A XAdES that is not a signature at all (no SignedInfo references, a four-byte value).
    assert_romanian(
        r[2]["Message"].as_str().unwrap(),
        &report_of(XADES.as_bytes(), Content::None),
    );

    // The enum as a number; Pdf.
    let (status, v) = post_json(
        &base,
        json!({"Contents": [{"Signature": b64(PDF)}], "SignedContentType": 2, "Language": "en"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["Results"][0]["SignaturesValid"], false);
    assert_eq!(
        v["Results"][0]["Message"],
        result_message(&unsigned_pdf_report(), Lang::En)
    );
    assert!(v["Results"][0].get("CorrelationID").is_none());
    let (status, v) = post_json(
        &base,
        json!({"Contents": [{"Content": HASH, "Signature": sig}], "SignedContentType": 1}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["Results"][0]["SignaturesValid"], true);
    // 1.0 is the integer 1 (as JSON Schema reads it); 1.5 and 3.0 are no content type.
    let body = format!(r#"{{"Contents": [{{"Content": "{HASH}", "Signature": "{sig}"}}], "SignedContentType": 1.0}}"#);
    let (status, v) = post_json(&base, serde_json::from_str(&body).unwrap()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["Results"][0]["SignaturesValid"], true);
    for bad in ["1.5", "3.0"] {
        let body = body.replace("1.0}", &format!("{bad}}}"));
        let (status, v) = post_json(&base, serde_json::from_str(&body).unwrap()).await;
        assert_eq!(status, 400, "{bad}: {v}");
    }
}

#[tokio::test]
async fn json_malformed_requests_are_400_naming_the_field() {
    let base = serve().await;
    let sig = detached();
    let long_id = "x".repeat(37);
    let cases = [
        (
            json!({"Contents": [{"Content": HASH}], "SignedContentType": "Hash"}),
            "Contents[0].Signature",
        ),
        (
            json!({"Contents": [{"Content": HASH, "Signature": sig}]}),
            "SignedContentType",
        ),
        (
            json!({"Contents": [{"Content": HASH, "Signature": sig}], "SignedContentType": 3}),
            "SignedContentType",
        ),
        (json!({"Contents": [], "SignedContentType": "Hash"}), "Contents"),
        (json!({"SignedContentType": "Hash"}), "Contents"),
        (
            json!({"Contents": [{"Content": HASH, "CorrelationID": "a", "Signature": sig}, {"Content": HASH, "CorrelationID": "a", "Signature": sig}], "SignedContentType": "Hash"}),
            "Contents[1].CorrelationID",
        ),
        (
            json!({"Contents": [{"Content": HASH, "CorrelationID": long_id, "Signature": sig}], "SignedContentType": "Hash"}),
            "Contents[0].CorrelationID",
        ),
        (
            json!({"Contents": [{"Content": HASH, "Signature": "%%%"}], "SignedContentType": "Hash"}),
            "Contents[0].Signature",
        ),
        (
            json!({"Contents": [{"Content": "AAAA", "Signature": sig}], "SignedContentType": "Hash"}),
            "Contents[0].Content",
        ),
        (
            json!({"Contents": [{"Content": HASH, "Signature": sig}], "SignedContentType": "Pdf"}),
            "Contents[0].Content",
        ),
        (
            json!({"Contents": [{"Content": HASH, "Signature": sig}], "SignedContentType": "Hash", "Language": "xx"}),
            "Language",
        ),
    ];
    for (body, field) in cases {
        let (status, v) = post_json(&base, body).await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"], "bad_request");
        assert_eq!(v["field"], field, "{v}");
    }
    let items: Vec<Value> = (0..=Limits::default().max_batch_items)
        .map(|_| json!({"Content": HASH, "Signature": "AAAA"}))
        .collect();
    let (status, v) = post_json(&base, json!({"Contents": items, "SignedContentType": "Hash"})).await;
    assert_eq!(status, 400);
    assert_eq!(v["field"], "Contents");
}

// ---------------------------------------------------------------------------------------------
// The XML pre-scan (`formats::xml::check`) in front of the SOAP parser.

/// A one-item Hash envelope with `header` as the SOAP Header's content.
fn envelope_with_header(header: &str) -> String {
    let items = [Item {
        content: Some(HASH),
        correlation_id: None,
        signature: "AAAA",
    }];
    envelope(&items, None, "Hash").replacen("<s:Body", &format!("<s:Header>{header}</s:Header><s:Body"), 1)
}

fn soap_fault(text: &str) -> String {
    match sigverify::api::msign::parse_soap_request(text, 100) {
        Err(e) => e,
        Ok(n) => panic!("accepted with {n} items"),
    }
}

#[test]
fn soap_scan_accepts_a_plain_envelope() {
    assert_eq!(
        sigverify::api::msign::parse_soap_request(&envelope_with_header(""), 100),
        Ok(1)
    );
}

#[test]
fn soap_many_attributes_on_one_element_are_refused_by_the_scan() {
    for n in [50_000, 500_000] {
        let attrs: String = (0..n).map(|i| format!(" a{i}=\"1\"")).collect();
        let text = envelope_with_header(&format!("<h{attrs}/>"));
        let fault = soap_fault(&text);
        assert!(
            fault.starts_with("InvalidParameter: Envelope: more than 64 attributes on one element (byte "),
            "{n}: {fault}"
        );
    }
}

#[test]
fn soap_attributes_in_all_are_bounded() {
    // 100 items allow 100 * 64 + 10,000 = 16,400 elements and as many attributes: 10,000
    // elements with two attributes each cross the second limit only.
    let header = "<h a=\"1\" b=\"2\"/>".repeat(10_000);
    let fault = soap_fault(&envelope_with_header(&header));
    assert!(
        fault.starts_with("InvalidParameter: Envelope: more than 16400 attributes in the document"),
        "{fault}"
    );
    let fault = soap_fault(&envelope_with_header(&"<h/>".repeat(16_400)));
    assert!(
        fault.starts_with("InvalidParameter: Envelope: more than 16400 elements"),
        "{fault}"
    );
}

#[test]
fn soap_deep_nesting_is_refused_by_the_scan() {
    let header = format!("{}{}", "<h>".repeat(100), "</h>".repeat(100));
    let fault = soap_fault(&envelope_with_header(&header));
    assert!(
        fault.starts_with("InvalidParameter: Envelope: elements nested deeper than 32 levels"),
        "{fault}"
    );
}

#[test]
fn soap_scan_is_not_misled_by_quotes_comments_or_cdata() {
    let many: String = (0..100).map(|i| format!(" a{i}='1'")).collect();
    for header in [
        // `>` and 100 attribute-like pairs inside a quoted value.
        format!(r#"<h x="&gt; > /> {}" y='>"'/>"#, many.replace('\'', "")),
        format!("<!-- <a b=\"c\"> {many} <d> -->"),
        format!("<h><![CDATA[<a{many}> <b> </h>]]></h>"),
        format!("<?pi <a{many}>?>"),
    ] {
        let text = envelope_with_header(&header);
        assert_eq!(sigverify::api::msign::parse_soap_request(&text, 100), Ok(1), "{header}");
    }
    // A `<` in a value is not XML; the scan follows it and the parser refuses it.
    let fault = soap_fault(&envelope_with_header(&format!(
        "<h x=\"<a{}>\"/>",
        many.replace('\'', "")
    )));
    assert!(fault.contains("not well-formed XML"), "{fault}");
    // CDATA as the content of a field.
    let text = envelope_with_header("").replace(HASH, &format!("<![CDATA[{HASH}]]>"));
    assert_eq!(sigverify::api::msign::parse_soap_request(&text, 100), Ok(1));
}

#[test]
fn soap_doctype_is_refused_by_the_scan_and_names_are_not_echoed() {
    let text = format!("<!DOCTYPE s:Envelope []>{}", envelope_with_header(""));
    let fault = soap_fault(&text);
    assert!(fault.contains("a document type declaration (DTD) at byte 0"), "{fault}");
    // roxmltree names the mismatched tag; the fault does not.
    let long = "n".repeat(1_000_000);
    let fault = soap_fault(&envelope_with_header(&format!("<{long}></h>")));
    assert!(
        fault.len() < 300 && fault.contains("an end tag that does not match"),
        "{fault}"
    );
    let fault = soap_fault(&envelope_with_header(&format!("<{long}:h/>")));
    assert!(
        fault.len() < 300 && fault.contains("an undeclared namespace prefix"),
        "{fault}"
    );
}

/// Hash mode with a real XAdES (signed by xmlsec1, `testdata/xml/msign-hash.xml`): only the
/// SHA-256 of the document is given, and the Reference's DigestValue must equal it.
#[tokio::test]
async fn hash_mode_verifies_a_real_xades_over_a_hash() {
    let base = serve().await;
    let xml = read(&repo().join("testdata/xml/msign-hash.xml"));
    let hash = std::fs::read_to_string(repo().join("testdata/xml/hash.txt")).unwrap();
    let (status, v) = post_json(
        &base,
        json!({
            "Contents": [
                {"Content": hash.trim(), "CorrelationID": "right", "Signature": b64(&xml)},
                {"Content": HASH, "CorrelationID": "other", "Signature": b64(&xml)},
            ],
            "SignedContentType": "Hash",
            "Language": "en"
        }),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let r = &v["Results"];
    assert_eq!(r[0]["SignaturesValid"], true, "{v}");
    let c = &r[0]["Certificates"][0];
    assert_eq!(c["SignatureValid"], true);
    assert!(c["Subject"].as_str().unwrap().contains("MIDCHEDEMO0000001"), "{v}");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(c["Certificate"].as_str().unwrap())
            .unwrap(),
        leaf_der()
    );
    assert_eq!(r[1]["SignaturesValid"], false, "{v}");
}

fn pdf(file: &str) -> String {
    b64(&read(&repo().join("testdata/pdf").join(file)))
}

/// A server trusting both test roots of `testdata/pdf/cases.tsv`. MSign verifies at the time
/// of the request; the test certificates are valid until 2040.
async fn serve_pdf() -> String {
    serve_with(state_trusting(&["rsa", "p256"])).await
}

#[tokio::test]
async fn soap_pdf_signatures_are_verified() {
    let base = serve_pdf().await;
    let files = [
        ("two", pdf("two-signatures.pdf")),
        ("one", pdf("pades-rsa.pdf")),
        ("shadow", pdf("shadow-replace.pdf")),
    ];
    let items: Vec<Item<'_>> = files
        .iter()
        .map(|(id, sig)| Item {
            content: None,
            correlation_id: Some(id),
            signature: sig,
        })
        .collect();
    let (status, xml) = post_soap(&base, envelope(&items, Some("en"), "Pdf")).await;
    assert_eq!(status, 200, "{xml}");
    let r = results(&xml);
    assert_eq!(r.len(), 3);
    // Two signers in document order: Sig1 (RSA), then Sig2 (P-256). The verdict on Sig1
    // depends on the later update being judged allowed; Sig2 covers the last revision.
    let ders: Vec<&[u8]> = r[0].certificates.iter().map(|c| c.certificate.as_slice()).collect();
    assert_eq!(ders, [leaf_of("rsa").as_slice(), leaf_of("p256").as_slice()], "{xml}");
    assert!(r[0].certificates[0].subject.contains("MIDCHEDEMO0000001"), "{xml}");
    assert!(r[0].certificates[1].subject.contains("MIDCHEDEMO0000003"), "{xml}");
    assert!(r[0].certificates[1].signature_valid, "{xml}");
    assert!(r[0].certificates.iter().all(|c| c.signed_at.is_none()));
    // One signature over the whole file.
    assert!(r[1].signatures_valid, "{xml}");
    assert_eq!(r[1].certificates.len(), 1);
    assert_eq!(r[1].certificates[0].certificate, leaf_der());
    assert!(r[1].certificates[0].signature_valid);
    // The page content replaced after the signature.
    assert!(!r[2].signatures_valid, "{xml}");
    assert_eq!(r[2].certificates.len(), 1);
    assert!(!r[2].certificates[0].signature_valid);
    assert_ne!(r[2].message, r[1].message);
    assert_eq!(r[2].correlation_id.as_deref(), Some("shadow"));
}

#[tokio::test]
async fn json_pdf_signatures_are_verified() {
    let base = serve_pdf().await;
    let (status, v) = post_json(
        &base,
        json!({
            "Contents": [
                {"CorrelationID": "two", "Signature": pdf("two-signatures.pdf")},
                {"CorrelationID": "one", "Signature": pdf("pades-rsa.pdf")},
                {"CorrelationID": "shadow", "Signature": pdf("shadow-replace.pdf")},
            ],
            "SignedContentType": "Pdf"
        }),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let r = v["Results"].as_array().unwrap();
    let der = |c: &Value| {
        base64::engine::general_purpose::STANDARD
            .decode(c["Certificate"].as_str().unwrap())
            .unwrap()
    };
    // Sig1 (RSA) then Sig2 (P-256); see soap_pdf_signatures_are_verified for the verdicts.
    let certs = r[0]["Certificates"].as_array().unwrap();
    let ders: Vec<Vec<u8>> = certs.iter().map(der).collect();
    assert_eq!(ders, [leaf_of("rsa"), leaf_of("p256")], "{v}");
    assert_eq!(certs[1]["SignatureValid"], true, "{v}");
    assert_eq!(r[1]["SignaturesValid"], true, "{v}");
    assert_eq!(der(&r[1]["Certificates"][0]), leaf_der());
    assert_eq!(r[1]["Certificates"][0]["SignatureValid"], true);
    assert_eq!(r[2]["SignaturesValid"], false, "{v}");
    assert_eq!(r[2]["Certificates"][0]["SignatureValid"], false, "{v}");
    assert_eq!(r[2]["CorrelationID"], "shadow");
}

// ---------------------------------------------------------------------------------------------
// What generated clients (WCF, zeep) send and expect.

async fn oneshot_with(state: Arc<AppState>, req: axum::http::request::Builder, body: String) -> (u16, String) {
    let resp = sigverify::api::router(state)
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The reply's header elements: (namespace, name, text, mustUnderstand).
fn reply_headers(xml: &str) -> Vec<(String, String, String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let soap = "http://schemas.xmlsoap.org/soap/envelope/";
    doc.descendants()
        .filter(|n| n.has_tag_name((soap, "Header")))
        .flat_map(|h| h.children().filter(|c| c.is_element()))
        .map(|e| {
            (
                e.tag_name().namespace().unwrap_or_default().to_string(),
                e.tag_name().name().to_string(),
                e.text().unwrap_or_default().to_string(),
                e.attribute((soap, "mustUnderstand")).map(str::to_string),
            )
        })
        .collect()
}

/// MSign's sample VerifySignatures request, byte for byte as a WCF client sends it (with its
/// `Action` header marked mustUnderstand), gets the contract's answer and the reply action.
#[tokio::test]
async fn wcf_sample_request_is_answered_as_msign_answers_it() {
    let body = std::fs::read_to_string(repo().join("testdata/msign/verify-signatures-wcf.xml")).unwrap();
    assert!(body.starts_with(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><Action s:mustUnderstand="1" xmlns="http://schemas.microsoft.com/ws/2005/05/addressing/none">https://msign.gov.md/IMSign/VerifySignatures</Action></s:Header>"#));
    let req = Request::post("/msign/soap")
        .header("content-type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{SOAP_ACTION}\""))
        .header("host", "msign.example:8443");
    let (status, xml) = oneshot_with(state(), req, body).await;
    assert_eq!(status, 200, "{xml}");
    assert_eq!(
        reply_headers(&xml),
        [(
            ADDRESSING_NONE.to_string(),
            "Action".to_string(),
            "https://msign.gov.md/IMSign/VerifySignaturesResponse".to_string(),
            Some("1".to_string())
        )]
    );
    let r = results(&xml);
    assert_eq!(r.len(), 1);
    assert!(
        xml.contains("<Message>The signature is valid</Message><SignaturesValid>true</SignaturesValid>"),
        "{xml}"
    );
    assert!(r[0].signatures_valid);
    assert_eq!(
        r[0].correlation_id.as_deref(),
        Some("b1c8f3a2-5d4e-4f6a-9b7c-0d1e2f3a4b5c")
    );
    assert_eq!(r[0].certificates.len(), 1);
    assert_eq!(r[0].certificates[0].certificate, leaf_der());
    // X509Certificate2.Subject: the last RDN first, ", " between them, .NET's short names
    // (the certificate encodes C, O, CN, serialNumber).
    assert_eq!(
        r[0].certificates[0].subject,
        "SERIALNUMBER=MIDCHEDEMO0000001, CN=Demo Signer RSA, O=sigverify Test PKI, C=CH"
    );
}

/// A one-item Hash envelope whose SOAP Header holds `header`.
fn valid_with_header(header: &str) -> String {
    let sig = detached();
    let items = [Item {
        content: Some(HASH),
        correlation_id: None,
        signature: &sig,
    }];
    envelope(&items, None, "Hash").replacen("<s:Body", &format!("<s:Header>{header}</s:Header><s:Body"), 1)
}

const WSA_2004: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
const WSA_2005: &str = "http://www.w3.org/2005/08/addressing";

#[tokio::test]
async fn addressing_headers_are_understood_and_answered_in_kind() {
    for (ns, anonymous) in [
        (
            WSA_2004,
            "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous",
        ),
        (WSA_2005, "http://www.w3.org/2005/08/addressing/anonymous"),
    ] {
        let header = format!(
            r#"<a:Action s:mustUnderstand="1" xmlns:a="{ns}">{SOAP_ACTION}</a:Action><a:MessageID xmlns:a="{ns}">urn:uuid:0d6c6f9e-1b8a-4a52-9f0e-9e0b5a6f1c11</a:MessageID><a:ReplyTo xmlns:a="{ns}"><a:Address>{anonymous}</a:Address></a:ReplyTo><a:To s:mustUnderstand="1" xmlns:a="{ns}">https://proxy.example/MSign.svc</a:To>"#
        );
        let (status, xml) = oneshot_soap(&valid_with_header(&header), Some(SOAP_ACTION)).await;
        assert_eq!(status, 200, "{xml}");
        assert!(results(&xml)[0].signatures_valid);
        let headers = reply_headers(&xml);
        assert_eq!(headers.len(), 2, "{xml}");
        assert_eq!(
            (headers[0].0.as_str(), headers[0].1.as_str(), headers[0].2.as_str()),
            (ns, "Action", "https://msign.gov.md/IMSign/VerifySignaturesResponse")
        );
        assert_eq!(
            (headers[1].0.as_str(), headers[1].1.as_str(), headers[1].2.as_str()),
            (ns, "RelatesTo", "urn:uuid:0d6c6f9e-1b8a-4a52-9f0e-9e0b5a6f1c11")
        );
    }
    // No addressing, no reply header (as a WCF BasicHttpBinding service).
    let (status, xml) = oneshot_soap(&valid_with_header(""), Some(SOAP_ACTION)).await;
    assert_eq!(status, 200);
    assert!(reply_headers(&xml).is_empty() && !xml.contains("<s:Header"), "{xml}");
}

#[tokio::test]
async fn headers_that_cannot_be_honoured_are_faults() {
    let other_action = format!(
        r#"<Action s:mustUnderstand="1" xmlns="{ADDRESSING_NONE}">https://msign.gov.md/IMSign/PostSignRequest</Action>"#
    );
    let cases = [
        (other_action, (ADDRESSING_NONE, "ActionNotSupported")),
        (
            format!(r#"<a:Action xmlns:a="{WSA_2005}">urn:other</a:Action>"#),
            (WSA_2005, "ActionNotSupported"),
        ),
        (
            format!(
                r#"<a:ReplyTo xmlns:a="{WSA_2005}"><a:Address>https://elsewhere.example/</a:Address></a:ReplyTo>"#
            ),
            (WSA_2005, "OnlyAnonymousAddressSupported"),
        ),
        (
            r#"<o:Security s:mustUnderstand="1" xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"/>"#.to_string(),
            ("http://schemas.xmlsoap.org/soap/envelope/", "MustUnderstand"),
        ),
        (
            format!(r#"<a:Unknown s:mustUnderstand="true" xmlns:a="{WSA_2004}"/>"#),
            ("http://schemas.xmlsoap.org/soap/envelope/", "MustUnderstand"),
        ),
    ];
    for (header, (ns, name)) in cases {
        let (status, xml) = oneshot_soap(&valid_with_header(&header), Some(SOAP_ACTION)).await;
        let (code, _) = fault_code(status, &xml);
        assert_eq!(code, (ns.to_string(), name.to_string()), "{header}: {xml}");
    }
    // Not for this endpoint, or not marked mustUnderstand: ignored.
    for header in [
        r#"<x:Trace s:mustUnderstand="1" s:actor="urn:some-other-node" xmlns:x="urn:x"/>"#,
        r#"<VsDebuggerCausalityData xmlns="http://schemas.microsoft.com/vstudio/diagnostics/servicemodelsink">AAAA</VsDebuggerCausalityData>"#,
        r#"<x:Trace s:mustUnderstand="0" xmlns:x="urn:x"/>"#,
    ] {
        let (status, xml) = oneshot_soap(&valid_with_header(header), Some(SOAP_ACTION)).await;
        assert_eq!(status, 200, "{header}: {xml}");
    }
}

async fn wsdl_address(state: Arc<AppState>, host: Option<&str>) -> (String, String) {
    let mut req = Request::get("/msign/soap?wsdl");
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let (status, text) = oneshot_with(state, req, String::new()).await;
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let location = doc
        .descendants()
        .find(|n| n.tag_name().name() == "address")
        .and_then(|n| n.attribute("location"))
        .unwrap()
        .to_string();
    (location, text)
}

#[tokio::test]
async fn wsdl_address_follows_the_host_or_the_public_url() {
    assert_eq!(
        wsdl_address(state(), Some("sigverify.example:9443")).await.0,
        "http://sigverify.example:9443/msign/soap"
    );
    assert_eq!(
        wsdl_address(state(), Some("[::1]:8080")).await.0,
        "http://[::1]:8080/msign/soap"
    );
    for odd in [
        "evil.example\"/><x a=\"",
        "a.example/path",
        "user@a.example",
        "a.example:80:80",
        "a.example:99999x",
        "a.example?q",
        "<b>",
    ] {
        assert_eq!(
            wsdl_address(state(), Some(odd)).await.0,
            "http://localhost:8080/msign/soap",
            "{odd}"
        );
    }
    let public = sigverify::api::msign::parse_public_url("https://msign.example.md/verify/").unwrap();
    let st = Arc::new(Arc::try_unwrap(state()).ok().unwrap().with_public_url(Some(public)));
    assert_eq!(
        wsdl_address(st, Some("internal:8080")).await.0,
        "https://msign.example.md/verify/msign/soap"
    );
    for bad in ["ftp://a", "https://a\"b", "https://a.example/x y", "msign.example"] {
        assert!(sigverify::api::msign::parse_public_url(bad).is_err(), "{bad}");
    }
}

/// The schema has MSign's names and cardinalities (its WSDL as WCF publishes the data
/// contracts of Reference.cs), and no fault contract.
#[tokio::test]
async fn wsdl_has_msign_names_and_cardinalities() {
    let (_, text) = wsdl_address(state(), None).await;
    let doc = roxmltree::Document::parse(&text).unwrap();
    let xs = "http://www.w3.org/2001/XMLSchema";
    let members = |ty: &str| -> Vec<String> {
        let t = doc
            .descendants()
            .find(|n| n.has_tag_name((xs, "complexType")) && n.attribute("name") == Some(ty))
            .unwrap_or_else(|| panic!("{ty} missing"));
        t.descendants()
            .filter(|n| n.has_tag_name((xs, "element")))
            .map(|n| {
                format!(
                    "{}:{}:{}:{}:{}",
                    n.attribute("name").unwrap(),
                    n.attribute("type").unwrap(),
                    n.attribute("minOccurs").unwrap_or("1"),
                    n.attribute("maxOccurs").unwrap_or("1"),
                    n.attribute("nillable").unwrap_or("false")
                )
            })
            .collect()
    };
    assert_eq!(
        members("VerificationRequest"),
        [
            "Contents:tns:ArrayOfVerificationContent:1:1:true",
            "Language:xs:string:0:1:true",
            "SignedContentType:tns:ContentType:1:1:false"
        ]
    );
    assert_eq!(
        members("ArrayOfVerificationContent"),
        ["VerificationContent:tns:VerificationContent:0:unbounded:true"]
    );
    assert_eq!(
        members("VerificationContent"),
        [
            "Content:xs:base64Binary:0:1:true",
            "CorrelationID:xs:string:0:1:true",
            "Signature:xs:base64Binary:1:1:true"
        ]
    );
    assert_eq!(
        members("VerificationResponse"),
        ["Results:tns:ArrayOfVerificationResult:1:1:true"]
    );
    assert_eq!(
        members("VerificationResult"),
        [
            "Certificates:tns:ArrayOfVerificationCertificate:0:1:true",
            "CorrelationID:xs:string:0:1:true",
            "Message:xs:string:1:1:true",
            "SignaturesValid:xs:boolean:1:1:false"
        ]
    );
    assert_eq!(
        members("VerificationCertificate"),
        [
            "Certificate:xs:base64Binary:1:1:true",
            "SignatureValid:xs:boolean:1:1:false",
            "SignedAt:xs:dateTime:0:1:true",
            "Subject:xs:string:1:1:true"
        ]
    );
    let simple: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((xs, "simpleType")))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(simple, ["ContentType"]);
    assert!(
        !text.contains("tns:SignedContentType"),
        "no type named SignedContentType"
    );
    assert!(!doc.descendants().any(|n| n.tag_name().name() == "fault"));
}

/// An empty Contents passes the schema (as in MSign's WSDL) and is refused by the contract's
/// rule ("Required, at least one element") with an InvalidParameter fault.
#[tokio::test]
async fn empty_or_nil_contents_is_an_invalid_parameter_fault() {
    let empty = envelope(&[], None, "Hash");
    assert!(empty.contains("<Contents></Contents>"));
    let nil = empty.replace("<Contents></Contents>", r#"<Contents xsi:nil="true"/>"#);
    for body in [empty, nil] {
        let (status, xml) = oneshot_soap(&body, Some(SOAP_ACTION)).await;
        assert!(fault(status, &xml).starts_with("Contents: "), "{xml}");
    }
}

/// A 20-byte SHA-1 hash given for a SHA-256 signature: the message says the hash has the wrong
/// length for the signature's algorithm, not that the signed data is missing.
#[tokio::test]
async fn a_hash_of_another_algorithm_is_named_as_such() {
    let sha1 = "4u7wfngBjckcEJ+ykheX39S9lJ0="; // SHA-1 of samples/content/content.txt
    let sig = detached();
    let xades = b64(&read(&repo().join("testdata/xml/msign-hash.xml")));
    for lang in ["en", "ro", "ru"] {
        let items = [
            Item {
                content: Some(sha1),
                correlation_id: Some("cms"),
                signature: &sig,
            },
            Item {
                content: Some(sha1),
                correlation_id: Some("xades"),
                signature: &xades,
            },
        ];
        let (status, xml) = oneshot_soap(&envelope(&items, Some(lang), "Hash"), Some(SOAP_ACTION)).await;
        assert_eq!(status, 200, "{xml}");
        let l = Lang::parse(lang).unwrap();
        let text = sigverify::verdict::i18n::message("msign-hash-wrong-algorithm", l);
        let missing = sigverify::verdict::i18n::message("check-signed-data-found-failed", l);
        for r in results(&xml) {
            assert!(!r.signatures_valid);
            assert_eq!(r.message, format!("{text} (SHA-1 \u{2260} SHA-256)"), "{lang}");
            assert_ne!(r.message, missing);
        }
    }
}

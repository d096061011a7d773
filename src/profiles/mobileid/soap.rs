//! The SOAP form of a Mobile ID response (Reference Guide 3.2.2.2, 3.2.2.3, 3.3.2), read into
//! the [`Response`] model with the crate's bounded XML reader (no DTD; size, depth and element
//! counts bounded, see [`crate::formats::xml`]).
//!
//! Accepted: the SOAP envelope as Mobile ID returns it (SOAP 1.2, as in the guide, or SOAP
//! 1.1), its `Body` holding `MSS_SignatureResponse` / `MSS_StatusQueryResponse` around
//! `mss:MSS_SignatureResp` / `mss:MSS_StatusResp`, or a `Fault`; also the `mss:` element alone.
//! The `mss:` elements must be in `http://uri.etsi.org/TS102204/v1.1.2#`. Each element read
//! must appear at most once: a response with two `MSS_Signature` or two `AP_Info` is refused,
//! since another reader might take the other one.

use roxmltree::Node;

use crate::formats::xml::{self, XmlLimits};

use super::{Fault, Field, Kind, Response, SignatureResp, Status};

/// ETSI TS 102 204 v1.1.2, the namespace of the `mss:` elements.
pub const MSS_NS: &str = "http://uri.etsi.org/TS102204/v1.1.2#";
/// SOAP 1.2 envelope namespace (the guide's examples).
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 envelope namespace.
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// Limits for a Mobile ID SOAP response: one CMS of a few KiB with its certificates; the
/// additional services (geofencing, app2app) add a few elements.
fn limits() -> XmlLimits {
    XmlLimits {
        max_bytes: 4 * 1024 * 1024,
        max_depth: 32,
        max_elements: 10_000,
        max_attributes_per_element: 64,
        max_attributes: 40_000,
    }
}

/// Whether `text` is XML rather than JSON: its first character other than white space (and a
/// byte-order mark) is `<`.
pub fn looks_like_xml(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with('<')
}

/// Reads a SOAP (or bare `mss:`) response into the model.
pub(super) fn read(text: &str) -> Result<Response, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = xml::parse(text, &limits()).map_err(|e| format!("the SOAP response is not accepted: {e}"))?;
    let root = doc.root_element();
    let message = if is_soap(root, "Envelope") {
        body_message(root)?
    } else {
        root
    };
    let ns = message.tag_name().namespace().unwrap_or("");
    match (ns, message.tag_name().name()) {
        (MSS_NS, "MSS_SignatureResp") => Ok(Response::Signature(signature_resp(Kind::SignatureResp, message))),
        (MSS_NS, "MSS_StatusResp") => Ok(Response::Signature(signature_resp(Kind::StatusResp, message))),
        (SOAP12_NS | SOAP11_NS, "Fault") => Ok(Response::Fault(fault(message))),
        (_, name) => Err(format!(
            "not a Mobile ID response: the SOAP message is '{}' (namespace '{}'), not mss:MSS_SignatureResp, \
             mss:MSS_StatusResp or a Fault",
            super::shown(name),
            super::shown(ns)
        )),
    }
}

fn is_soap(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && matches!(node.tag_name().namespace(), Some(SOAP12_NS | SOAP11_NS))
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The one message in the envelope's `Body`, below its `...Response` wrapper if any.
fn body_message<'a, 'i>(envelope: Node<'a, 'i>) -> Result<Node<'a, 'i>, String> {
    let ns = envelope.tag_name().namespace();
    let bodies: Vec<_> = elements(envelope)
        .filter(|n| n.tag_name().name() == "Body" && n.tag_name().namespace() == ns)
        .collect();
    let [body] = bodies.as_slice() else {
        return Err(format!("the SOAP Envelope has {} Body elements, not one", bodies.len()));
    };
    let inner = only_element(*body, "the SOAP Body")?;
    match inner.tag_name().name() {
        "MSS_SignatureResponse" | "MSS_StatusQueryResponse" => only_element(inner, inner.tag_name().name()),
        _ => Ok(inner),
    }
}

fn only_element<'a, 'i>(node: Node<'a, 'i>, what: &str) -> Result<Node<'a, 'i>, String> {
    let all: Vec<_> = elements(node).collect();
    match all.as_slice() {
        [one] => Ok(*one),
        other => Err(format!("{what} holds {} elements, not one", other.len())),
    }
}

/// The `mss:` child `local` of `node`: `Ok(None)` when absent, an error when repeated.
fn mss_child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Field<Option<Node<'a, 'i>>> {
    let mut found = elements(node).filter(|n| n.tag_name().name() == local && n.tag_name().namespace() == Some(MSS_NS));
    let first = found.next();
    if found.next().is_some() {
        return Err(format!("{local} appears more than once"));
    }
    Ok(first)
}

/// The element at `path` of `mss:` children below `node`.
fn mss_path<'a, 'i>(node: Node<'a, 'i>, path: &[&str]) -> Field<Node<'a, 'i>> {
    let mut cur = node;
    for (i, local) in path.iter().enumerate() {
        cur = mss_child(cur, local)?.ok_or_else(|| format!("{} is missing", path[..=i].join(".")))?;
    }
    Ok(cur)
}

/// The text of an element that holds only text (comments aside).
fn text(node: Node<'_, '_>, name: &str) -> Field<String> {
    if elements(node).next().is_some() {
        return Err(format!("{name} holds elements, not text"));
    }
    Ok(node.children().filter(Node::is_text).filter_map(|n| n.text()).collect())
}

fn attribute(node: Node<'_, '_>, attr: &str, name: &str) -> Field<String> {
    node.attribute(attr)
        .map(str::to_string)
        .ok_or_else(|| format!("{name} is missing"))
}

fn signature_resp(kind: Kind, m: Node<'_, '_>) -> SignatureResp {
    SignatureResp {
        kind,
        status: status(m),
        major_version: m.attribute("MajorVersion").map(|v| Ok(v.to_string())),
        minor_version: m.attribute("MinorVersion").map(|v| Ok(v.to_string())),
        ap_trans_id: mss_path(m, &["AP_Info"]).and_then(|n| attribute(n, "AP_TransID", "AP_Info.AP_TransID")),
        msisdn: mss_path(m, &["MobileUser", "MSISDN"])
            .and_then(|n| text(n, "MobileUser.MSISDN"))
            .map(|s| s.trim().to_string()),
        signature: mss_path(m, &["MSS_Signature", "Base64Signature"])
            .and_then(|n| text(n, "MSS_Signature.Base64Signature")),
    }
}

fn status(m: Node<'_, '_>) -> Field<Status> {
    let status = mss_path(m, &["Status"])?;
    let value = mss_path(status, &["StatusCode"]).and_then(|n| attribute(n, "Value", "Status.StatusCode.Value"))?;
    let code = super::codes::parse_code_text(&value).ok_or_else(|| {
        format!(
            "Status.StatusCode.Value '{}' is not a status code",
            super::shown(&value)
        )
    })?;
    let message = match mss_child(status, "StatusMessage")? {
        Some(n) => Some(text(n, "Status.StatusMessage")?.trim().to_string()),
        None => None,
    };
    Ok(Status { code, message })
}

/// A SOAP 1.2 Fault (`Code/Subcode/Value`, `Reason/Text`, `Detail`) or a SOAP 1.1 one
/// (`faultcode`, `faultstring`, `detail`).
fn fault<'a, 'i>(f: Node<'a, 'i>) -> Fault {
    let ns = f.tag_name().namespace();
    let child = |node: Node<'a, 'i>, local: &str, qualified: bool| -> Option<Node<'a, 'i>> {
        elements(node).find(|n| n.tag_name().name() == local && (!qualified || n.tag_name().namespace() == ns))
    };
    let all_text = |n: Node<'_, '_>| -> String {
        let words: Vec<&str> = n
            .descendants()
            .filter(Node::is_text)
            .filter_map(|t| t.text())
            .flat_map(str::split_whitespace)
            .collect();
        words.join(" ")
    };
    let (code, reason, detail) = if ns == Some(SOAP12_NS) {
        let code = child(f, "Code", true)
            .and_then(|c| child(c, "Subcode", true))
            .and_then(|s| child(s, "Value", true));
        let reason = child(f, "Reason", true).and_then(|r| child(r, "Text", true));
        (code, reason, child(f, "Detail", true))
    } else {
        (
            child(f, "faultcode", false),
            child(f, "faultstring", false),
            child(f, "detail", false),
        )
    };
    Fault {
        code: code.and_then(|c| super::codes::parse_code_text(&all_text(c))),
        reason: reason.map(all_text),
        detail: detail.map(all_text).filter(|d| !d.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_or_json() {
        assert!(looks_like_xml(" \n<soapenv:Envelope/>"));
        assert!(looks_like_xml("\u{feff}<x/>"));
        assert!(!looks_like_xml("{\"Fault\": {}}"));
        assert!(!looks_like_xml(""));
    }

    #[test]
    fn doctype_is_refused() {
        let text = "<!DOCTYPE x [<!ENTITY a \"b\">]><x/>";
        assert!(read(text).err().is_some_and(|e| e.contains("DTD")));
    }
}

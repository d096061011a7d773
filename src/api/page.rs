//! The verification page for people: `GET /`, its script, style sheet and messages.
//!
//! A clerk who received a signed file opens the service in a browser, drops the file, and
//! reads the verdict in words. The page is plain HTML, CSS and JavaScript embedded in the
//! binary (no build step, nothing fetched from another origin): the browser Base64-encodes the
//! file and posts it to `POST /api/v1/verify`, then shows the report with `textContent` only.
//!
//! - `/` — the page; `/page/app.js`, `/page/app.css`, `/page/icon.svg` — its script, style
//!   and icon;
//! - `/page/messages/{lang}` — the page's labels (`page/labels.json`) and the verdict
//!   messages of one language (the same Fluent messages as the API's `message`): what each
//!   indication, sub-indication and check means, and why a check failed.
//!
//! These routes are not API operations and are not in `/openapi.json`. Every response carries
//! a strict `Content-Security-Policy` (same-origin script, style and fetches only; no inline
//! script), `X-Content-Type-Options: nosniff`, and an `ETag` for revalidation
//! (`Cache-Control: no-cache`: a new binary's page is never hidden by a stale cache).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::AppState;
use crate::verdict::i18n::{self, Lang};
use crate::verdict::{CheckCode, Indication, SubIndication};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");
const LABELS_JSON: &str = include_str!("page/labels.json");
const ICON_SVG: &str = include_str!("page/icon.svg");

/// The page's Content-Security-Policy: everything from this origin only, no inline script or
/// style, no plugins, no framing, no form posts elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The page's fixed files: path, content type, body.
const ASSETS: [(&str, &str, &str); 4] = [
    ("/", "text/html; charset=utf-8", INDEX_HTML),
    ("/page/app.js", "text/javascript; charset=utf-8", APP_JS),
    ("/page/app.css", "text/css; charset=utf-8", APP_CSS),
    ("/page/icon.svg", "image/svg+xml", ICON_SVG),
];

pub(super) fn routes() -> Router<Arc<AppState>> {
    let files = ASSETS
        .iter()
        .fold(Router::new(), |router, &(path, content_type, body)| {
            let asset = Asset::new(content_type, Bytes::from_static(body.as_bytes()));
            router.route(path, get(move |h: HeaderMap| async move { asset.response(&h) }))
        });
    files.route("/page/messages/{lang}", get(messages_of))
}

async fn messages_of(headers: HeaderMap, Path(lang): Path<String>) -> Response {
    match Lang::ALL.iter().position(|l| l.code() == lang) {
        Some(i) => all_messages()[i].response(&headers),
        None => (StatusCode::NOT_FOUND, "no such language").into_response(),
    }
}

/// A fixed file and its ETag, made once.
#[derive(Clone)]
struct Asset {
    content_type: &'static str,
    body: Bytes,
    etag: HeaderValue,
}

impl Asset {
    fn new(content_type: &'static str, body: Bytes) -> Asset {
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(&body)))
            .expect("a quoted hex number is a header value");
        Asset {
            content_type,
            body,
            etag,
        }
    }

    /// The file with the page's headers, or 304 when `If-None-Match` names it.
    fn response(&self, request: &HeaderMap) -> Response {
        let fresh = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim().as_bytes() == self.etag.as_bytes()));
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            ([(header::CONTENT_TYPE, self.content_type)], self.body.clone()).into_response()
        };
        let h = response.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        h.insert(header::ETAG, self.etag.clone());
        response
    }
}

/// FNV-1a, 64 bits: an ETag, not a security measure.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The messages document of every language, in [`Lang::ALL`] order, built once.
fn all_messages() -> &'static [Asset] {
    static DOCS: OnceLock<Vec<Asset>> = OnceLock::new();
    DOCS.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|l| Asset::new("application/json", Bytes::from(messages(*l).to_string())))
            .collect()
    })
}

/// The labels of `lang` (English for a label it lacks), and its verdict messages:
/// `{lang, labels, indications, subIndications, checks: {CODE: {passed, failed}}}`.
fn messages(lang: Lang) -> Value {
    let indications: Map<String, Value> = [
        Indication::TotalPassed,
        Indication::Indeterminate,
        Indication::TotalFailed,
    ]
    .iter()
    .map(|i| (i.as_str().to_owned(), json!(i18n::indication_message(*i, lang))))
    .collect();
    let subs: Map<String, Value> = SubIndication::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), json!(i18n::sub_indication_message(*s, lang))))
        .collect();
    let checks: Map<String, Value> = CheckCode::ALL
        .iter()
        .map(|c| {
            let text = json!({
                "passed": i18n::check_message(*c, lang),
                "failed": i18n::check_failure_message(*c, lang),
            });
            (c.as_str().to_owned(), text)
        })
        .collect();
    json!({
        "lang": lang.code(),
        "labels": labels(lang),
        "indications": indications,
        "subIndications": subs,
        "checks": checks,
    })
}

/// The page's labels in `lang`, each falling back to English.
fn labels(lang: Lang) -> BTreeMap<String, String> {
    let table = label_table();
    let mut out = table.get("en").cloned().unwrap_or_default();
    out.extend(table.get(lang.code()).cloned().unwrap_or_default());
    out
}

/// `labels.json`: language code to label key to text.
fn label_table() -> BTreeMap<String, BTreeMap<String, String>> {
    serde_json::from_str(LABELS_JSON).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    /// The namespace name an SVG document must declare: a name, never fetched.
    const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

    /// The embedded assets: (name, text).
    const ASSETS: &[(&str, &str)] = &[
        ("index.html", INDEX_HTML),
        ("app.js", APP_JS),
        ("app.css", APP_CSS),
        ("labels.json", LABELS_JSON),
        ("icon.svg", ICON_SVG),
    ];

    fn app() -> Router {
        routes().with_state(Arc::new(AppState::new(
            crate::chain::CertPool::new(),
            crate::chain::CertPool::new(),
            crate::policy::Policy::default_policy(),
            super::super::Limits::default(),
        )))
    }

    async fn get_with(uri: &str, if_none_match: Option<&str>) -> Response {
        let mut req = Request::builder().uri(uri);
        if let Some(tag) = if_none_match {
            req = req.header(header::IF_NONE_MATCH, tag);
        }
        app().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
    }

    async fn body(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn each_asset_has_its_type_and_the_page_headers() {
        for (uri, kind, text) in [
            ("/", "text/html; charset=utf-8", INDEX_HTML),
            ("/page/app.js", "text/javascript; charset=utf-8", APP_JS),
            ("/page/app.css", "text/css; charset=utf-8", APP_CSS),
            ("/page/icon.svg", "image/svg+xml", ICON_SVG),
        ] {
            let r = get_with(uri, None).await;
            assert_eq!(r.status(), 200, "{uri}");
            let h = r.headers();
            assert_eq!(h[header::CONTENT_TYPE], kind, "{uri}");
            assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{uri}");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
            assert_eq!(h[header::CACHE_CONTROL], "no-cache", "{uri}");
            assert!(h.contains_key(header::ETAG), "{uri}");
            assert_eq!(body(r).await, text, "{uri}");
        }
    }

    #[tokio::test]
    async fn a_matching_etag_gets_304_and_another_the_asset() {
        let first = get_with("/page/app.js", None).await;
        let tag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
        let again = get_with("/page/app.js", Some(&tag)).await;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        assert!(body(again).await.is_empty());
        let other = get_with("/page/app.js", Some("\"0000000000000000\"")).await;
        assert_eq!(other.status(), 200);
    }

    #[test]
    fn the_policy_allows_no_inline_script_and_no_other_origin() {
        let directives: Vec<&str> = CSP.split(';').map(str::trim).collect();
        assert!(directives.contains(&"default-src 'none'"));
        assert!(directives.contains(&"script-src 'self'"));
        assert!(directives.contains(&"connect-src 'self'"));
        assert!(directives.contains(&"frame-ancestors 'none'"));
        assert!(!CSP.contains("unsafe"), "{CSP}");
        assert!(!CSP.contains(':'), "no scheme or host source: {CSP}");
    }

    #[test]
    fn the_assets_name_no_external_url_and_the_html_no_inline_script() {
        assert!(ICON_SVG.starts_with(&format!("<svg xmlns=\"{SVG_NAMESPACE}\"")));
        for (name, text) in ASSETS {
            let lower = text.replacen(SVG_NAMESPACE, "", 1).to_ascii_lowercase();
            for scheme in ["http://", "https://", "//cdn", "url(", "@import"] {
                assert!(!lower.contains(scheme), "{name} contains {scheme}");
            }
        }
        let html = INDEX_HTML.to_ascii_lowercase();
        assert_eq!(html.matches("<script").count(), 1, "one script element");
        assert!(html.contains(r#"<script src="/page/app.js" defer></script>"#));
        assert!(!html.contains(" style="), "no inline style");
        let handler = html.match_indices(" on").any(|(i, _)| {
            let rest = &html[i + 3..];
            let name = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_lowercase()).len();
            name > 0 && rest[name..].starts_with('=')
        });
        assert!(!handler, "no inline event handler");
    }

    #[test]
    fn the_script_never_writes_html() {
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(!APP_JS.contains(sink), "app.js uses {sink}");
        }
    }

    #[test]
    fn every_language_has_every_label() {
        let table = label_table();
        let english = &table["en"];
        assert!(english.len() >= 30, "{}", english.len());
        for lang in Lang::ALL {
            let own = table
                .get(lang.code())
                .unwrap_or_else(|| panic!("no labels for {}", lang.code()));
            let missing: Vec<&String> = english.keys().filter(|k| !own.contains_key(*k)).collect();
            let extra: Vec<&String> = own.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, extra {extra:?}",
                lang.code()
            );
        }
        assert_eq!(table.len(), Lang::ALL.len());
    }

    #[test]
    fn every_label_the_page_uses_exists() {
        let english = &label_table()["en"];
        let mut used = Vec::new();
        for (_, text) in ASSETS {
            for marker in ["data-l10n=\"", "t(\""] {
                for (i, _) in text.match_indices(marker) {
                    // `t(` the function, not the end of a longer name (`split(`).
                    if text[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                        continue;
                    }
                    let rest = &text[i + marker.len()..];
                    used.push(rest[..rest.find('"').unwrap()].to_owned());
                }
            }
        }
        // The keys of the tables of error and check-result labels (`"errBusy"`, `"resPassed"`).
        for token in APP_JS.split('"').skip(1).step_by(2) {
            let table_key = ["err", "res"].iter().any(|p| {
                token
                    .strip_prefix(p)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
            });
            if table_key {
                used.push(token.to_owned());
            }
        }
        assert!(used.len() >= 20, "{used:?}");
        for key in used {
            assert!(english.contains_key(&key), "label {key} is used but not defined");
        }
    }

    #[tokio::test]
    async fn messages_cover_every_code_in_every_language() {
        for lang in Lang::ALL {
            let r = get_with(&format!("/page/messages/{}", lang.code()), None).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
            let v: Value = serde_json::from_str(&body(r).await).unwrap();
            assert_eq!(v["lang"], lang.code());
            for c in CheckCode::ALL {
                let text = v["checks"][c.as_str()]["failed"].as_str().unwrap();
                assert!(
                    !text.is_empty() && !text.starts_with("check-"),
                    "{}: {text}",
                    c.as_str()
                );
            }
            assert_eq!(v["subIndications"].as_object().unwrap().len(), SubIndication::ALL.len());
            assert_eq!(v["labels"], json!(labels(*lang)));
        }
        let de = messages(Lang::De);
        assert_eq!(de["labels"]["verify"], "Prüfen");
        assert_ne!(
            de["indications"]["TOTAL_PASSED"],
            messages(Lang::En)["indications"]["TOTAL_PASSED"]
        );
        assert_eq!(get_with("/page/messages/xx", None).await.status(), 404);
        assert_eq!(get_with("/page/messages/DE", None).await.status(), 404);
    }
}

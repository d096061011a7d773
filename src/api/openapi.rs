//! `GET /openapi.json`: the OpenAPI 3 document of the native JSON API, generated from the code.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::OpenApi;

use super::{AppState, native};

/// The error body of a 4xx/5xx.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    /// `bad_request`, `unsupported_media_type`, `too_large`, `body_timeout`, `busy`, `deadline`
    /// or `internal`.
    pub error: String,
    /// JSON path of the offending field (400 only).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The error responses every JSON endpoint may give.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ErrorResponses {
    /// Malformed request.
    #[response(status = 400, description = "Malformed request")]
    BadRequest(ErrorResponse),
    /// Slow body.
    #[response(status = 408, description = "The body did not arrive at the minimum rate")]
    BodyTimeout(ErrorResponse),
    /// Body too large.
    #[response(status = 413, description = "The body exceeds the limit")]
    TooLarge(ErrorResponse),
    /// Wrong media type.
    #[response(status = 415, description = "The body is not application/json")]
    UnsupportedMediaType(ErrorResponse),
    /// Busy or past the deadline.
    #[response(
        status = 503,
        description = "Busy, or the verification ran past its deadline; retry",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))
    )]
    Unavailable(ErrorResponse),
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sigverify",
        description = "Signature and certificate verification with ETSI EN 319 102-1 verdicts"
    ),
    paths(
        native::verify_one,
        native::verify_batch,
        native::verify_raw_signature,
        native::verify_mobile_id
    ),
    components(schemas(ErrorResponse))
)]
struct ApiDoc;

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `/openapi.json`.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

#[cfg(test)]
mod tests {
    use crate::verdict::{Format, SubIndication};

    #[test]
    fn the_document_lists_every_format_and_sub_indication() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let values = |name: &str| -> Vec<String> {
            schemas[name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is not an enum schema: {}", schemas[name]))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let formats: Vec<String> = Format::ALL.iter().map(|f| f.as_str().to_string()).collect();
        assert_eq!(values("Format"), formats);
        let subs: Vec<String> = SubIndication::ALL.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(values("SubIndication"), subs);
        assert!(schemas["MobileIdStatus"].is_object(), "{schemas}");
    }

    #[test]
    fn the_document_offers_the_revocation_modes() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let names: Vec<&str> = crate::revocation::OcspMode::NAMES.to_vec();
        assert_eq!(schemas["OcspMode"]["enum"], serde_json::json!(names), "{schemas}");
        for request in ["VerifyRequest", "RawVerifyRequest", "MobileIdRequest"] {
            let ocsp = &schemas[request]["properties"]["ocsp"];
            assert!(
                ocsp.to_string().contains("#/components/schemas/OcspMode"),
                "{request}.ocsp: {ocsp}"
            );
        }
    }

    #[test]
    fn the_document_describes_pdf_signatures() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let pdf = &schemas["SignatureReport"]["properties"]["pdf"];
        assert!(
            pdf.to_string().contains("#/components/schemas/PdfSignatureInfo"),
            "{pdf}"
        );
        let info = &schemas["PdfSignatureInfo"]["properties"];
        for key in [
            "fieldName",
            "kind",
            "byteRange",
            "revision",
            "revisions",
            "coversWholeRevision",
        ] {
            assert!(info[key].is_object(), "PdfSignatureInfo.{key}: {info}");
        }
        assert!(
            info["changesAfter"]
                .to_string()
                .contains("#/components/schemas/PdfChange"),
            "{info}"
        );
        let change = &schemas["PdfChange"]["properties"];
        for key in ["revision", "object", "change", "rule", "allowed"] {
            assert!(change[key].is_object(), "PdfChange.{key}: {change}");
        }
        let verify = &doc["paths"]["/api/v1/verify"]["post"]["description"];
        assert!(verify.as_str().is_some_and(|d| d.contains("signed PDF")), "{verify}");
        let kinds = &schemas["PdfSignatureKind"]["enum"];
        assert_eq!(
            *kinds,
            serde_json::json!(["APPROVAL", "CERTIFICATION", "DOCUMENT_TIMESTAMP"])
        );
    }

    #[test]
    fn every_endpoint_documents_its_error_statuses() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(paths.len(), 4);
        for (path, item) in paths {
            let responses = &item["post"]["responses"];
            for status in ["200", "400", "408", "413", "415", "503"] {
                assert!(responses[status].is_object(), "{path} lacks {status}: {responses}");
            }
            assert!(
                responses["503"]["headers"]["Retry-After"].is_object(),
                "{path}: {responses}"
            );
        }
    }
}

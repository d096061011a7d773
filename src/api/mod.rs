//! The HTTP shell (axum): request in, [`crate::verify`] off the async threads, report out.
//!
//! `router(state)` is a plain function so tests can drive it in process (`tower::ServiceExt::
//! oneshot`) or over a real socket. Verification runs in `spawn_blocking`, admitted by a
//! semaphore so that at most `Limits::max_concurrent` run at once; body size and batch length
//! are bounded. A verdict is HTTP 200 whatever the indication; malformed requests are 400 with
//! a JSON error naming the field; a 5xx never shows internals.

pub mod json;
pub mod msign;
mod native;
pub mod openapi;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::VerifyContext;
use crate::chain::{CertPool, LinkCache, TrustStore};
use crate::crypto::DefaultVerifier;
use crate::policy::Policy;
use crate::time::UnixTime;
use crate::verdict::i18n::Lang;

/// Request limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest request body (bytes).
    pub max_body_bytes: usize,
    /// Most items in one batch request.
    pub max_batch_items: usize,
    /// Most verifications running at once; further requests wait up to `queue_timeout`.
    pub max_concurrent: usize,
    /// How long a request may wait for a verification slot before a 503.
    pub queue_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_batch_items: 100,
            max_concurrent: 64,
            queue_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Everything loaded once at start and shared by every request.
pub struct AppState {
    /// Trust anchors.
    pub anchors: TrustStore,
    /// Configured intermediates.
    pub intermediates: CertPool,
    /// Validation policy.
    pub policy: Policy,
    /// Cache of verified links and parsed certificates.
    pub cache: LinkCache,
    /// Limits.
    pub limits: Limits,
    slots: Semaphore,
}

impl AppState {
    /// Builds the state.
    pub fn new(anchors: TrustStore, intermediates: CertPool, policy: Policy, limits: Limits) -> AppState {
        AppState {
            anchors,
            intermediates,
            policy,
            cache: LinkCache::new(),
            slots: Semaphore::new(limits.max_concurrent.max(1)),
            limits,
        }
    }

    /// The verification context for `time`.
    pub fn context(&self, time: UnixTime) -> VerifyContext<'_> {
        VerifyContext {
            trust: &self.anchors,
            intermediates: &self.intermediates,
            verifier: &DefaultVerifier,
            policy: &self.policy,
            time,
            cache: Some(&self.cache),
            budget: crate::Budget::default(),
            cancel: None,
        }
    }
}

/// Runs `f` on the blocking pool once a verification slot is free.
pub(crate) async fn run_blocking<T, F>(state: &Arc<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> T + Send + 'static,
{
    let permit = tokio::time::timeout(state.limits.queue_timeout, state.slots.acquire())
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Internal)?;
    let st = state.clone();
    let out = tokio::task::spawn_blocking(move || f(&st))
        .await
        .map_err(|_| ApiError::Internal)?;
    drop(permit);
    Ok(out)
}

/// The current time, read once per request by the shell.
pub(crate) fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// The response language: the request's field, else `Accept-Language`, else English.
pub(crate) fn language(explicit: Option<&str>, headers: &HeaderMap) -> Lang {
    explicit
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::En)
}

/// Errors that are not verdicts.
#[derive(Debug)]
pub enum ApiError {
    /// A malformed request: the field and what is wrong with it.
    BadRequest {
        /// JSON path of the field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The body is larger than `Limits::max_body_bytes`.
    TooLarge,
    /// Every verification slot stayed busy.
    Busy,
    /// Something failed inside; details are logged, not returned.
    Internal,
}

impl ApiError {
    pub(crate) fn bad(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::BadRequest { field, message } => (
                StatusCode::BAD_REQUEST,
                Json(ErrorBody {
                    error: "bad_request",
                    field: Some(field),
                    message,
                }),
            )
                .into_response(),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Json(ErrorBody {
                    error: "too_large",
                    field: None,
                    message: "request body exceeds the limit",
                }),
            )
                .into_response(),
            ApiError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(ErrorBody {
                    error: "busy",
                    field: None,
                    message: "all verification slots are busy; retry",
                }),
            )
                .into_response(),
            ApiError::Internal => {
                tracing::error!("internal error while serving a request");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(ErrorBody {
                        error: "internal",
                        field: None,
                        message: "internal error",
                    }),
                )
                    .into_response()
            }
        }
    }
}

/// The application: every route, the body limit and request logging.
pub fn router(state: Arc<AppState>) -> Router {
    let body_limit = state.limits.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(native::routes())
        .merge(msign::routes())
        .merge(openapi::routes())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    tracing::info!(
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "alive" }))
}

async fn readyz(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let earliest = state.anchors.certs().iter().map(|c| c.not_after).min();
    let body = serde_json::json!({
        "status": if state.anchors.is_empty() { "no trust anchors loaded" } else { "ready" },
        "trustAnchors": state.anchors.len(),
        "earliestAnchorExpiry": earliest.map(|t| t.to_rfc3339()),
        "intermediates": state.intermediates.len(),
        "policy": state.policy.name,
    });
    let status = if state.anchors.is_empty() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (status, Json(body))
}

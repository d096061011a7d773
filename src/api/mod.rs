//! The HTTP shell (axum): request in, [`crate::verify`] off the async threads, report out.
//!
//! `router(state)` is a plain function so tests can drive it in process (`tower::ServiceExt::
//! oneshot`); [`server::serve`] runs it over real sockets with connection timers and a
//! connection cap. A request's body is read by `body` (media type, size, minimum rate, a
//! share of the body memory); parsing and verification then run in `spawn_blocking`, admitted
//! by a semaphore and bounded by the request deadline (`run_blocking`), or, for a small Mobile
//! ID body, on the runtime thread itself (`run_small`). A verdict is HTTP 200
//! whatever the indication; malformed requests are 400 with a JSON error naming the field; a
//! 5xx never shows internals.

pub(crate) mod body;
pub mod json;
pub mod metrics;
pub mod msign;
mod native;
pub mod openapi;
mod page;
pub mod server;
pub mod tls;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::VerifyContext;
use crate::chain::{CertPool, LinkCache, TrustStore};
use crate::crypto::DefaultVerifier;
use crate::online::{FetchConfig, Fetcher};
use crate::policy::Policy;
use crate::revocation::OcspMode;
use crate::revocation::path::Info;
use crate::time::UnixTime;
use crate::verdict::Report;
use crate::verdict::i18n::Lang;

/// Request limits: sizes, rates, concurrency and deadlines of one request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest request body (bytes).
    pub max_body_bytes: usize,
    /// Most items in one batch request.
    pub max_batch_items: usize,
    /// Most verifications running at once; further requests wait up to `queue_timeout`.
    pub max_concurrent: usize,
    /// How long a request may wait for a verification slot, or for memory for its body,
    /// before a 503.
    pub queue_timeout: Duration,
    /// Request bodies held in memory at once, all requests together (bytes). A body that does
    /// not fit waits up to `queue_timeout`, then gets a 503.
    pub max_inflight_body_bytes: usize,
    /// Time allowed for a body before `min_body_rate` applies: a body must arrive within
    /// `body_timeout + received / min_body_rate`.
    pub body_timeout: Duration,
    /// Slowest average rate at which a body may arrive (bytes per second).
    pub min_body_rate: u64,
    /// Deadline for a request once its body is in: waiting for a slot, parsing and verifying.
    /// A verification past it is stopped and the request gets a 503.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_batch_items: 100,
            max_concurrent: 64,
            queue_timeout: Duration::from_secs(5),
            max_inflight_body_bytes: 256 * 1024 * 1024,
            body_timeout: Duration::from_secs(10),
            min_body_rate: 64 * 1024,
            request_timeout: Duration::from_secs(15),
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
    /// Asks OCSP responders for requests in `"ocsp": "live"` mode (shared by all, with its
    /// cache). By default no host a certificate names may be asked, and no responder is
    /// configured: see [`AppState::with_live_ocsp`].
    pub live: Arc<Fetcher>,
    /// The service's public base URL (`https://host/prefix`), for the address in the MSign
    /// WSDL; without it the request's `Host` is used (see [`msign::endpoint_address`]).
    pub public_url: Option<String>,
    /// The service itself speaks HTTPS (`--tls-cert`): without a public URL, the WSDL's
    /// address is `https://` and the request's `Host`.
    pub serves_https: bool,
    slots: Arc<Semaphore>,
    /// Request and verification counters (`/metrics`).
    pub metrics: metrics::Metrics,
    /// Memory for request bodies, in KiB.
    body_memory: Arc<Semaphore>,
}

impl AppState {
    /// Builds the state.
    pub fn new(anchors: TrustStore, intermediates: CertPool, policy: Policy, limits: Limits) -> AppState {
        // Room for at least one largest body, so that a body within the limit can always be read.
        let body_bytes = limits.max_inflight_body_bytes.max(limits.max_body_bytes);
        let body_kib = (body_bytes / 1024 + 1).min(Semaphore::MAX_PERMITS);
        let live = Fetcher::new(FetchConfig {
            max_age_seconds: policy.revocation_max_age_seconds,
            ..FetchConfig::default()
        });
        AppState {
            anchors,
            intermediates,
            policy,
            live: Arc::new(live),
            public_url: None,
            serves_https: false,
            cache: LinkCache::new(),
            slots: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
            body_memory: Arc::new(Semaphore::new(body_kib)),
            metrics: metrics::Metrics::default(),
            limits,
        }
    }

    /// The state with live OCSP asked as `config` says; its `max_age_seconds` is the policy's.
    pub fn with_live_ocsp(mut self, config: FetchConfig) -> AppState {
        let config = FetchConfig {
            max_age_seconds: self.policy.revocation_max_age_seconds,
            ..config
        };
        self.live = Arc::new(Fetcher::new(config));
        self
    }

    /// The state with `url` as the public base URL (checked by [`msign::parse_public_url`]).
    pub fn with_public_url(mut self, url: Option<String>) -> AppState {
        self.public_url = url;
        self
    }

    /// The state of a service that speaks HTTPS itself (see [`AppState::serves_https`]).
    pub fn with_https(mut self, https: bool) -> AppState {
        self.serves_https = https;
        self
    }

    /// Verifies with `verify` under `mode`: for [`OcspMode::Live`], asking the responders of
    /// the statuses the first verification lacked (over by `live_until`), then verifying again
    /// with their answers (on the blocking pool: the fetches run on the runtime meanwhile).
    pub(crate) fn verify_in_mode<F>(
        &self,
        mode: OcspMode,
        live_until: Instant,
        ctx: &VerifyContext<'_>,
        verify: F,
    ) -> Report
    where
        F: Fn(&VerifyContext<'_>) -> Report,
    {
        if !mode.is_live() {
            return verify(ctx);
        }
        let job = crate::online::verify_with_live_ocsp_until(&self.live, Some(live_until), |extra| {
            let infos: Vec<Info<'_>> = ctx.revocation.iter().chain(extra).cloned().collect();
            verify(&VerifyContext {
                revocation: &infos,
                ..*ctx
            })
        });
        match tokio::runtime::Handle::try_current() {
            // On a worker thread (`run_small`) the worker hands its other tasks over first; on
            // a blocking-pool thread this is a plain call.
            Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| handle.block_on(job))
            }
            Ok(handle) => handle.block_on(job),
            Err(_) => match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime.block_on(job),
                Err(e) => {
                    let mut report = verify(ctx);
                    let check = crate::verdict::Check {
                        code: crate::verdict::CheckCode::LiveRevocation,
                        result: crate::verdict::CheckResult::Failed,
                        sub_indication: Some(crate::verdict::SubIndication::TryLater),
                        detail: format!("live OCSP: not asked: {e}").into(),
                    };
                    crate::online::add_check(&mut report, check);
                    report
                }
            },
        }
    }

    /// The verification context for `time`, stopped early when `cancel` is set.
    pub fn context<'a>(&'a self, time: UnixTime, cancel: &'a AtomicBool) -> VerifyContext<'a> {
        VerifyContext {
            trust: &self.anchors,
            intermediates: &self.intermediates,
            verifier: &DefaultVerifier,
            policy: &self.policy,
            time,
            cache: Some(&self.cache),
            budget: crate::Budget::default(),
            cancel: Some(cancel),
            revocation: &[],
        }
    }
}

/// Runs `f` on the blocking pool once a verification slot is free, within the request's
/// deadline. Past the deadline the work is told to stop (it keeps its slot until it has) and
/// the request gets [`ApiError::Deadline`].
pub(crate) async fn run_blocking<T, E, F>(state: &Arc<AppState>, f: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<ApiError> + Send + 'static,
    F: FnOnce(&AppState, &AtomicBool) -> Result<T, E> + Send + 'static,
{
    run_admitted(state, false, f).await
}

/// Largest body whose parsing and verification [`run_small`] may run on a runtime thread.
pub(crate) const INLINE_MAX_BODY_BYTES: usize = 16 * 1024;

/// As [`run_blocking`], but the work for a body of at most [`INLINE_MAX_BODY_BYTES`] runs on
/// the runtime worker thread that serves the request: handing a check of some 25 to 50 µs to
/// the blocking pool and back costs a large share of that again (two thread wake-ups, and
/// more threads than cores under load). While every worker runs such work, other connections
/// wait for the first to finish it (tens of microseconds, at most one small check). The same
/// slots and deadline apply; such work cannot be stopped midway, so it is not started past the
/// deadline, and a request whose work ends past it gets [`ApiError::Deadline`] as well. Larger
/// bodies, and any body on a single-threaded runtime (whose one thread also runs the timers
/// and every connection), go to the blocking pool.
pub(crate) async fn run_small<T, E, F>(state: &Arc<AppState>, body_len: usize, f: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<ApiError> + Send + 'static,
    F: FnOnce(&AppState, &AtomicBool) -> Result<T, E> + Send + 'static,
{
    run_admitted(state, body_len <= INLINE_MAX_BODY_BYTES, f).await
}

async fn run_admitted<T, E, F>(state: &Arc<AppState>, may_inline: bool, f: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<ApiError> + Send + 'static,
    F: FnOnce(&AppState, &AtomicBool) -> Result<T, E> + Send + 'static,
{
    let limits = state.limits;
    let deadline = tokio::time::Instant::now() + limits.request_timeout;
    let wait = limits.queue_timeout.min(limits.request_timeout);
    let permit = tokio::time::timeout(wait, state.slots.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Internal)?;
    if may_inline && in_multi_thread_runtime() {
        return run_inline(state, deadline, f, permit);
    }
    let cancel = Arc::new(AtomicBool::new(false));
    // A request abandoned by its client, or dropped at the shutdown deadline, stops its work.
    let _stop = StopOnDrop(cancel.clone());
    let (st, flag) = (state.clone(), cancel.clone());
    let work = tokio::task::spawn_blocking(move || {
        let out = f(&st, &flag);
        drop(permit);
        out
    });
    match tokio::time::timeout_at(deadline, work).await {
        Ok(joined) => joined.map_err(|_| ApiError::Internal)?,
        Err(_) => {
            cancel.store(true, Ordering::Relaxed);
            Err(past_deadline(&limits, "verification stopped at its deadline").into())
        }
    }
}

fn past_deadline(limits: &Limits, what: &'static str) -> ApiError {
    tracing::warn!(timeout_ms = limits.request_timeout.as_millis() as u64, "{what}");
    ApiError::Deadline
}

/// [`run_small`]'s work on the current thread, holding its slot.
fn run_inline<T, E, F>(
    state: &AppState,
    deadline: tokio::time::Instant,
    f: F,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> Result<T, E>
where
    E: From<ApiError>,
    F: FnOnce(&AppState, &AtomicBool) -> Result<T, E>,
{
    let limits = &state.limits;
    if tokio::time::Instant::now() >= deadline {
        return Err(past_deadline(limits, "verification not started: past its deadline").into());
    }
    let out = f(state, &AtomicBool::new(false));
    drop(permit);
    if tokio::time::Instant::now() > deadline {
        return Err(past_deadline(limits, "verification ended past its deadline").into());
    }
    out
}

/// Whether the current thread runs in a multi-threaded runtime, where [`run_small`] may run
/// work inline: one of its workers (whose other tasks the other workers can take), or one of
/// its blocking-pool threads (where inline work is a plain call).
fn in_multi_thread_runtime() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// When the live OCSP of a request that arrived at `started` must be over: a fifth of the
/// request deadline is left for the verification with the answers and the response.
pub(crate) fn live_deadline(limits: &Limits, started: Instant) -> Instant {
    started + limits.request_timeout - limits.request_timeout / 5
}

/// Sets the verification's cancel flag when the request's future ends, however it ends.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
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
    /// The body is not of the endpoint's media type.
    UnsupportedMediaType(&'static str),
    /// The body is larger than `Limits::max_body_bytes`.
    TooLarge,
    /// The body did not arrive at the minimum rate.
    BodyTimeout,
    /// Every verification slot, or the memory for request bodies, stayed busy.
    Busy,
    /// The verification ran past `Limits::request_timeout` and was stopped.
    Deadline,
    /// Something failed inside; details are logged, not returned.
    Internal,
}

impl ApiError {
    /// Every [`ApiError::code`].
    pub const CODES: &'static [&'static str] = &[
        "bad_request",
        "unsupported_media_type",
        "too_large",
        "body_timeout",
        "busy",
        "deadline",
        "internal",
    ];

    pub(crate) fn bad(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Busy | ApiError::Deadline => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code of the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad_request",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::TooLarge => "too_large",
            ApiError::BodyTimeout => "body_timeout",
            ApiError::Busy => "busy",
            ApiError::Deadline => "deadline",
            ApiError::Internal => "internal",
        }
    }

    /// The human-readable message; never echoes the request.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadRequest { message, .. } => message.clone(),
            ApiError::UnsupportedMediaType(expected) => format!("the body must be sent as {expected}"),
            ApiError::TooLarge => "request body exceeds the limit".into(),
            ApiError::BodyTimeout => "the request body did not arrive at the minimum rate".into(),
            ApiError::Busy => "all verification slots are busy; retry".into(),
            ApiError::Deadline => "the verification ran past its deadline and was stopped; retry".into(),
            ApiError::Internal => "internal error".into(),
        }
    }

    /// Seconds after which a retry may succeed (`Retry-After`), for the transient errors.
    pub fn retry_after(&self) -> Option<u32> {
        matches!(self, ApiError::Busy | ApiError::Deadline).then_some(RETRY_AFTER_SECS)
    }
}

/// `Retry-After` of a 503.
const RETRY_AFTER_SECS: u32 = 1;

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if matches!(self, ApiError::Internal) {
            tracing::error!("internal error while serving a request");
        }
        let field = match &self {
            ApiError::BadRequest { field, .. } => Some(field.as_str()),
            _ => None,
        };
        let message = self.message();
        let body = Json(ErrorBody {
            error: self.code(),
            field,
            message: &message,
        });
        let mut response = (self.status(), body).into_response();
        decorate(&mut response, &self);
        response
    }
}

/// Adds `Retry-After` to transient errors and closes the connection after a slow body.
pub(crate) fn decorate(response: &mut Response, error: &ApiError) {
    let headers = response.headers_mut();
    if let Some(secs) = error.retry_after() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if matches!(error, ApiError::BodyTimeout | ApiError::TooLarge) {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// The application: every route, the body limit and request logging.
pub fn router(state: Arc<AppState>) -> Router {
    let body_limit = state.limits.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .merge(native::routes())
        .merge(msign::routes())
        .merge(openapi::routes())
        .merge(page::routes())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state)
}

/// Gives the request an id (`X-Request-Id`, echoed), counts it and logs one line: the route,
/// status, latency and, for a verification, the worst verdict (never the request's content).
async fn log_request(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    // Kept for after the handler: the URI and the template share the request's buffers (no copy).
    let method = req.method().clone();
    let uri = req.uri().clone();
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let template = matched.as_ref().map(MatchedPath::as_str);
    let id = metrics::request_id(req.headers());
    req.headers_mut().insert(metrics::REQUEST_ID, id.clone());
    let started = Instant::now();
    let in_flight = state.metrics.enter();
    let mut response = next.run(req).await;
    drop(in_flight);
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let summary = response.extensions_mut().remove::<metrics::Summary>();
    let status = response.status().as_u16();
    state.metrics.record(template, status, micros, summary.as_ref());
    let worst = summary.as_ref().and_then(metrics::Summary::worst);
    tracing::info!(
        request_id = id.to_str().unwrap_or_default(),
        method = %method,
        path = uri.path(),
        endpoint = metrics::endpoint(template),
        status,
        latency_us = micros,
        reports = summary.as_ref().map(|s| s.verdicts.len()),
        format = worst.map(|v| v.format.as_str()),
        indication = worst.map(|v| v.indication.as_str()),
        subIndication = worst.and_then(|v| v.sub_indication).map(|s| s.as_str()),
        "request"
    );
    response.headers_mut().insert(metrics::REQUEST_ID, id);
    response
}

/// Prometheus metrics, text exposition format 0.0.4.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses((status = 200, description = "Prometheus text exposition format 0.0.4",
        content_type = "text/plain; version=0.0.4", body = String)))]
pub(crate) async fn metrics_text(State(state): State<Arc<AppState>>) -> Response {
    let gauges = metrics::Gauges {
        verifications_in_flight: state
            .limits
            .max_concurrent
            .max(1)
            .saturating_sub(state.slots.available_permits()),
        trust_anchors: state.anchors.len(),
        earliest_anchor_expiry: state.anchors.certs().iter().map(|c| c.not_after.0).min(),
    };
    let body = state.metrics.render(&gauges);
    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], body).into_response()
}

/// The body of `GET /healthz`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Liveness {
    /// Always `alive`.
    #[schema(value_type = String, pattern = "^alive$", example = "alive")]
    status: &'static str,
}

/// The body of `GET /readyz`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// `ready`, or `no trust anchors loaded` (then the status is 503).
    #[schema(value_type = String, pattern = "^(ready|no trust anchors loaded)$", example = "ready")]
    status: &'static str,
    /// How many trust anchors are loaded.
    trust_anchors: usize,
    /// The notAfter of the anchor that expires first, RFC 3339 (UTC); null without anchors.
    #[schema(format = DateTime)]
    earliest_anchor_expiry: Option<String>,
    /// How many intermediate certificates are configured.
    intermediates: usize,
    /// The name of the validation policy.
    policy: String,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, description = "The process is alive", body = Liveness)))]
pub(crate) async fn healthz() -> Json<Liveness> {
    Json(Liveness { status: "alive" })
}

/// Readiness: trust anchors are loaded (without them no signature can pass).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "Ready to verify", body = Readiness),
              (status = 503, description = "No trust anchor is loaded", body = Readiness)))]
pub(crate) async fn readyz(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Readiness>) {
    let ready = !state.anchors.is_empty();
    let body = Readiness {
        status: if ready { "ready" } else { "no trust anchors loaded" },
        trust_anchors: state.anchors.len(),
        earliest_anchor_expiry: state
            .anchors
            .certs()
            .iter()
            .map(|c| c.not_after)
            .min()
            .map(|t| t.to_rfc3339()),
        intermediates: state.intermediates.len(),
        policy: state.policy.name.clone(),
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread::{self, ThreadId};

    fn state(limits: Limits) -> Arc<AppState> {
        Arc::new(AppState::new(
            CertPool::new(),
            CertPool::new(),
            Policy::default_policy(),
            limits,
        ))
    }

    fn runtime(workers: usize) -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .unwrap()
    }

    /// Whether `run_small` ran the work on the worker thread that awaited it.
    async fn ran_inline(state: Arc<AppState>, body_len: usize) -> bool {
        tokio::spawn(async move {
            let here = thread::current().id();
            let there: ThreadId = run_small::<_, ApiError, _>(&state, body_len, |_, _| Ok(thread::current().id()))
                .await
                .unwrap();
            here == there
        })
        .await
        .unwrap()
    }

    #[test]
    fn small_bodies_run_on_the_worker_and_large_ones_on_the_blocking_pool() {
        let rt = runtime(2);
        let st = state(Limits::default());
        assert!(rt.block_on(ran_inline(st.clone(), 100)));
        assert!(rt.block_on(ran_inline(st.clone(), INLINE_MAX_BODY_BYTES)));
        assert!(!rt.block_on(ran_inline(st.clone(), INLINE_MAX_BODY_BYTES + 1)));
        // run_blocking never runs inline.
        let pool = rt.block_on(async move {
            tokio::spawn(async move {
                let here = thread::current().id();
                run_blocking::<_, ApiError, _>(&st, |_, _| Ok(thread::current().id()))
                    .await
                    .unwrap()
                    != here
            })
            .await
        });
        assert!(pool.unwrap());
    }

    #[test]
    fn every_worker_may_run_small_work_at_once() {
        // One worker: it runs the work itself.
        assert!(runtime(1).block_on(ran_inline(state(Limits::default()), 100)));
        // Two works at once on two workers, each on its own: neither waits for the pool. Each
        // waits (at most 10 s) until both run, so they do run at the same time.
        let rt = runtime(2);
        let st = state(Limits::default());
        let arrived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let works: Vec<_> = (0..2)
            .map(|_| {
                let (st, arrived) = (st.clone(), arrived.clone());
                rt.spawn(async move {
                    let here = thread::current().id();
                    let (there, together) = run_small::<_, ApiError, _>(&st, 100, move |_, _| {
                        arrived.fetch_add(1, Ordering::AcqRel);
                        let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
                        while arrived.load(Ordering::Acquire) < 2 && std::time::Instant::now() < until {
                            thread::sleep(std::time::Duration::from_millis(1));
                        }
                        Ok((thread::current().id(), arrived.load(Ordering::Acquire) == 2))
                    })
                    .await
                    .unwrap();
                    here == there && together
                })
            })
            .collect();
        for w in works {
            assert!(rt.block_on(w).unwrap());
        }
    }

    #[tokio::test]
    async fn a_single_threaded_runtime_never_runs_work_inline() {
        let st = state(Limits::default());
        let here = thread::current().id();
        let there = run_small::<_, ApiError, _>(&st, 100, |_, _| Ok(thread::current().id()))
            .await
            .unwrap();
        assert_ne!(here, there);
    }

    /// `POST /api/v1/mobileid/verify` of the RSA test response with `ocsp`, through the router
    /// on a two-worker runtime: the status and the report.
    fn mobile_id(ocsp: &str) -> (StatusCode, serde_json::Value) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/mobileid");
        let json = |name: &str| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap()
        };
        let mut anchors = CertPool::new();
        let root = std::fs::read(dir.join("root.pem")).unwrap();
        for c in crate::formats::x509::Certificate::from_pem_or_der(&root).unwrap() {
            anchors.add(Arc::new(c));
        }
        let st = Arc::new(AppState::new(
            anchors,
            CertPool::new(),
            Policy::default_policy(),
            Limits::default(),
        ));
        let body = serde_json::json!({
            "response": json("signature-rsa.json"),
            "expected": json("signature-rsa.expected.json"),
            "validationTime": "2026-06-01T00:00:00Z",
            "ocsp": ocsp,
        });
        let body = serde_json::to_vec(&body).unwrap();
        assert!(body.len() <= INLINE_MAX_BODY_BYTES);
        let request = Request::post("/api/v1/mobileid/verify")
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .unwrap();
        runtime(2).block_on(async move {
            use tower::ServiceExt;
            let response = tokio::spawn(router(st).oneshot(request)).await.unwrap().unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice(&bytes).unwrap())
        })
    }

    #[test]
    fn a_small_mobile_id_body_is_checked_on_a_worker_also_with_live_revocation_checking() {
        let (status, report) = mobile_id("off");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(report["indication"], "TOTAL_PASSED", "{report}");
        // Live OCSP blocks on the runtime: from a worker thread it must hand the worker over
        // first (no panic). No responder may be asked here, so the status stays unknown.
        let (status, report) = mobile_id("live");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(report["indication"], "INDETERMINATE", "{report}");
        assert_eq!(report["subIndication"], "TRY_LATER", "{report}");
    }

    #[test]
    fn inline_work_past_its_deadline_is_a_503_and_not_started() {
        let st = state(Limits {
            request_timeout: Duration::ZERO,
            ..Limits::default()
        });
        let started = Arc::new(AtomicBool::new(false));
        let flag = started.clone();
        let out = runtime(2).block_on(async move {
            tokio::spawn(async move {
                run_small::<(), ApiError, _>(&st, 100, move |_, _| {
                    flag.store(true, Ordering::Release);
                    Ok(())
                })
                .await
            })
            .await
        });
        assert!(matches!(out.unwrap(), Err(ApiError::Deadline)));
        assert!(!started.load(Ordering::Acquire));
    }
}

//! Request bodies: the media type checked first, then memory reserved for the body among all
//! requests, then the body read within its size limit and at its minimum rate. Nothing here
//! parses; parsing happens after admission, on the blocking pool (see [`super::run_blocking`])
//! or, for a small Mobile ID body, on the runtime thread (see [`super::run_small`]).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use http_body_util::BodyExt;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use super::{ApiError, AppState, Limits};

/// Memory is reserved for a body of unknown length in steps of this many KiB.
const RESERVE_STEP_KIB: usize = 1024;

/// A JSON request body, read and admitted; holds its share of the body memory until dropped.
pub(crate) struct JsonBody {
    /// The bytes as received.
    pub bytes: Bytes,
    /// The request headers (language negotiation reads them).
    pub headers: HeaderMap,
    _memory: Option<OwnedSemaphorePermit>,
}

impl FromRequest<Arc<AppState>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        let (parts, body) = req.into_parts();
        let (bytes, memory) = read(state, &parts.headers, body).await?;
        Ok(JsonBody {
            bytes,
            headers: parts.headers,
            _memory: memory,
        })
    }
}

/// A body of any media type, read and admitted (the SOAP binding checks its own type, since
/// its refusals must be SOAP faults).
pub(crate) struct RawBody {
    /// The bytes as received.
    pub bytes: Bytes,
    _memory: Option<OwnedSemaphorePermit>,
}

/// Reads `body` for `headers`' request.
pub(crate) async fn read_raw(state: &AppState, headers: &HeaderMap, body: Body) -> Result<RawBody, ApiError> {
    let (bytes, memory) = read(state, headers, body).await?;
    Ok(RawBody { bytes, _memory: memory })
}

/// The media type without parameters, lower-cased.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    Some(essence)
}

fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers)
        .is_some_and(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")))
}

/// Reserves memory and reads the body within the limits.
async fn read(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Bytes, Option<OwnedSemaphorePermit>), ApiError> {
    let limits = state.limits;
    let declared = declared_length(headers)?;
    if declared.is_some_and(|n| n > limits.max_body_bytes) {
        return Err(ApiError::TooLarge);
    }
    let mut reader = Reader {
        state,
        limits,
        started: Instant::now(),
        buf: Vec::with_capacity(declared.unwrap_or(0)),
        memory: None,
        reserved_kib: 0,
    };
    reader.reserve(declared.unwrap_or(0)).await?;
    reader.read_all(body).await?;
    Ok((Bytes::from(reader.buf), reader.memory))
}

/// `Content-Length`, when given; a malformed one is a bad request.
fn declared_length(headers: &HeaderMap) -> Result<Option<usize>, ApiError> {
    match headers.get(header::CONTENT_LENGTH) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .map(Some)
            .ok_or_else(|| ApiError::bad("Content-Length", "not a number")),
    }
}

struct Reader<'s> {
    state: &'s AppState,
    limits: Limits,
    started: Instant,
    buf: Vec<u8>,
    memory: Option<OwnedSemaphorePermit>,
    reserved_kib: usize,
}

impl Reader<'_> {
    /// Makes sure `bytes` are reserved, waiting up to the queue timeout for memory. A body of
    /// unknown length reserves in steps, never past the body limit.
    async fn reserve(&mut self, bytes: usize) -> Result<(), ApiError> {
        let need_kib = bytes.div_ceil(1024);
        if need_kib <= self.reserved_kib {
            return Ok(());
        }
        let ceiling_kib = self.limits.max_body_bytes.div_ceil(1024);
        let target_kib = need_kib
            .max(self.reserved_kib + RESERVE_STEP_KIB)
            .min(ceiling_kib.max(need_kib));
        let step = u32::try_from(target_kib - self.reserved_kib).map_err(|_| ApiError::TooLarge)?;
        let permit = tokio::time::timeout(
            self.limits.queue_timeout,
            self.state.body_memory.clone().acquire_many_owned(step),
        )
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Busy)?;
        self.reserved_kib = target_kib;
        match &mut self.memory {
            Some(held) => held.merge(permit),
            None => self.memory = Some(permit),
        }
        Ok(())
    }

    /// The latest time the body may be complete, given what has arrived.
    fn deadline(&self) -> Instant {
        let rate = self.limits.min_body_rate.max(1);
        let earned = std::time::Duration::from_secs_f64(self.buf.len() as f64 / rate as f64);
        self.started + self.limits.body_timeout + earned
    }

    async fn read_all(&mut self, mut body: Body) -> Result<(), ApiError> {
        loop {
            let frame = tokio::time::timeout_at(self.deadline(), body.frame())
                .await
                .map_err(|_| ApiError::BodyTimeout)?;
            let Some(frame) = frame else { return Ok(()) };
            let frame = frame.map_err(|_| ApiError::bad("body", "the body could not be read"))?;
            let Ok(data) = frame.into_data() else { continue };
            let total = self.buf.len() + data.len();
            if total > self.limits.max_body_bytes {
                return Err(ApiError::TooLarge);
            }
            self.reserve(total).await?;
            self.buf.extend_from_slice(&data);
        }
    }
}

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
        first: None,
        buf: Vec::new(),
        received: 0,
        memory: None,
        reserved_kib: 0,
    };
    reader.reserve(declared.unwrap_or(0)).await?;
    reader.read_all(body, declared.unwrap_or(0)).await?;
    let bytes = match reader.first.take() {
        Some(first) => first,
        None => Bytes::from(std::mem::take(&mut reader.buf)),
    };
    Ok((bytes, reader.memory))
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
    /// The body while it is a single frame: kept as received, without a copy (a body sent at
    /// once usually arrives as one frame).
    first: Option<Bytes>,
    /// The body once a second frame arrived.
    buf: Vec<u8>,
    /// Bytes received so far.
    received: usize,
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
        let earned = std::time::Duration::from_secs_f64(self.received as f64 / rate as f64);
        self.started + self.limits.body_timeout + earned
    }

    /// Reads the frames of `body` (`declared` bytes long if it said so).
    async fn read_all(&mut self, mut body: Body, declared: usize) -> Result<(), ApiError> {
        loop {
            let frame = tokio::time::timeout_at(self.deadline(), body.frame())
                .await
                .map_err(|_| ApiError::BodyTimeout)?;
            let Some(frame) = frame else { return Ok(()) };
            let frame = frame.map_err(|_| ApiError::bad("body", "the body could not be read"))?;
            let Ok(data) = frame.into_data() else { continue };
            let total = self.received + data.len();
            if total > self.limits.max_body_bytes {
                return Err(ApiError::TooLarge);
            }
            self.reserve(total).await?;
            self.keep(data, declared);
            self.received = total;
        }
    }

    /// Adds a frame to the body: the first one is kept as it is, later ones are copied after it.
    fn keep(&mut self, data: Bytes, declared: usize) {
        if self.received == 0 && self.first.is_none() {
            self.first = Some(data);
            return;
        }
        if let Some(first) = self.first.take() {
            self.buf.reserve(declared.max(first.len() + data.len()));
            self.buf.extend_from_slice(&first);
        }
        self.buf.extend_from_slice(&data);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use hyper::body::Frame;

    use super::*;
    use crate::chain::CertPool;
    use crate::policy::Policy;

    /// A body that yields the given frames, all at once.
    struct Frames(VecDeque<Bytes>);

    impl axum::body::HttpBody for Frames {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
        }
    }

    fn body(frames: &[&'static str]) -> Body {
        Body::new(Frames(
            frames.iter().map(|f| Bytes::from_static(f.as_bytes())).collect(),
        ))
    }

    #[tokio::test]
    async fn a_body_in_one_frame_is_kept_as_received_and_one_in_several_is_joined() {
        let state = AppState::new(
            CertPool::new(),
            CertPool::new(),
            Policy::default_policy(),
            Limits::default(),
        );
        let headers = HeaderMap::new();
        let frames: [&[&'static str]; 5] = [&[], &["abc"], &["", "abc"], &["a", "", "bc"], &["ab", "c", "def"]];
        for f in frames {
            let raw = read_raw(&state, &headers, body(f)).await.unwrap();
            assert_eq!(raw.bytes, f.concat(), "{f:?}");
        }
        let one = Bytes::from_static(b"{\"a\":1}");
        let frames = Frames(VecDeque::from([one.clone()]));
        let raw = read_raw(&state, &headers, Body::new(frames)).await.unwrap();
        assert_eq!(raw.bytes.as_ptr(), one.as_ptr(), "not copied");
    }

    #[tokio::test]
    async fn frames_past_the_limit_are_refused() {
        let limits = Limits {
            max_body_bytes: 4,
            ..Limits::default()
        };
        let state = AppState::new(CertPool::new(), CertPool::new(), Policy::default_policy(), limits);
        let headers = HeaderMap::new();
        assert_eq!(
            read_raw(&state, &headers, body(&["ab", "cd"])).await.unwrap().bytes,
            "abcd"
        );
        for f in [&["abcde"][..], &["ab", "cde"], &["abcd", "e"]] {
            let refused = read_raw(&state, &headers, body(f)).await.err();
            assert!(matches!(refused, Some(ApiError::TooLarge)), "{f:?}");
        }
    }
}

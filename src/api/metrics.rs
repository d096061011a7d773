//! `GET /metrics` (Prometheus text exposition 0.0.4), request ids and the verdict summary of a
//! request's log line.
//!
//! Every series is an atomic counter allocated at start: the endpoints are the router's route
//! templates (a request no route matched counts as `unmatched`), the statuses 100 to 599, the
//! formats and indications the verdict model knows. Recording a request takes no lock.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::verdict::{Format, Indication, Report, SubIndication};

/// The route templates of the router, in the order of their series.
pub const ENDPOINTS: &[&str] = &[
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/api/v1/verify",
    "/api/v1/verify/batch",
    "/api/v1/raw/verify",
    "/api/v1/mobileid/verify",
    "/api/v1/mobileid/verify/soap",
    "/msign/soap",
    "/msign/VerifySignatures",
];

/// The label of a request no route matched.
const UNMATCHED: &str = "unmatched";
/// The label of a matched route missing from [`ENDPOINTS`].
const OTHER: &str = "other";

/// Upper bounds of the request duration histogram, in microseconds (+Inf is implied).
const BUCKETS_US: &[u64] = &[
    5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000,
];

const STATUSES: usize = 500;
const INDICATIONS: [Indication; 3] = [
    Indication::TotalPassed,
    Indication::Indeterminate,
    Indication::TotalFailed,
];

/// The series of one endpoint.
struct EndpointSeries {
    /// Responses by status, `100 + index`.
    statuses: Vec<AtomicU64>,
    /// Requests by duration bucket (not cumulative; the last is above every bound).
    buckets: Vec<AtomicU64>,
    sum_us: AtomicU64,
}

impl EndpointSeries {
    fn new() -> EndpointSeries {
        EndpointSeries {
            statuses: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            buckets: (0..=BUCKETS_US.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_us: AtomicU64::new(0),
        }
    }
}

/// The service's counters and gauges.
pub struct Metrics {
    /// [`ENDPOINTS`], then `other`, then `unmatched`.
    endpoints: Vec<EndpointSeries>,
    /// By format (as in [`Format::ALL`]) and indication.
    verifications: Vec<AtomicU64>,
    in_flight: AtomicI64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            endpoints: (0..ENDPOINTS.len() + 2).map(|_| EndpointSeries::new()).collect(),
            verifications: (0..Format::ALL.len() * INDICATIONS.len())
                .map(|_| AtomicU64::new(0))
                .collect(),
            in_flight: AtomicI64::new(0),
        }
    }
}

/// Gauges read when `/metrics` is asked.
pub(crate) struct Gauges {
    pub verifications_in_flight: usize,
    pub trust_anchors: usize,
    /// Unix seconds.
    pub earliest_anchor_expiry: Option<i64>,
}

/// Counts a request as in flight until dropped.
pub(crate) struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

fn endpoint_index(template: Option<&str>) -> usize {
    match template {
        None => ENDPOINTS.len() + 1,
        Some(t) => ENDPOINTS.iter().position(|e| *e == t).unwrap_or(ENDPOINTS.len()),
    }
}

fn endpoint_label(index: usize) -> &'static str {
    ENDPOINTS
        .get(index)
        .copied()
        .unwrap_or(if index == ENDPOINTS.len() { OTHER } else { UNMATCHED })
}

/// The metrics label of a route template (`None`: no route matched).
pub(crate) fn endpoint(template: Option<&str>) -> &'static str {
    endpoint_label(endpoint_index(template))
}

fn indication_index(i: Indication) -> usize {
    match i {
        Indication::TotalPassed => 0,
        Indication::Indeterminate => 1,
        Indication::TotalFailed => 2,
    }
}

impl Metrics {
    /// Counts a request in flight until the guard is dropped.
    pub(crate) fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// Records a finished request: its route template, status, duration and verdicts.
    pub(crate) fn record(&self, template: Option<&str>, status: u16, micros: u64, summary: Option<&Summary>) {
        let series = &self.endpoints[endpoint_index(template)];
        let status = usize::from(status).clamp(100, 100 + STATUSES - 1) - 100;
        series.statuses[status].fetch_add(1, Ordering::Relaxed);
        let bucket = BUCKETS_US.iter().position(|b| micros <= *b).unwrap_or(BUCKETS_US.len());
        series.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        series.sum_us.fetch_add(micros, Ordering::Relaxed);
        for v in summary.map(|s| s.verdicts.as_slice()).unwrap_or_default() {
            let format = Format::ALL.iter().position(|f| *f == v.format).unwrap_or_default();
            let i = format * INDICATIONS.len() + indication_index(v.indication);
            self.verifications[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The exposition (text format 0.0.4).
    pub(crate) fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(8 * 1024);
        self.render_requests(&mut out);
        self.render_durations(&mut out);
        self.render_verifications(&mut out);
        render_gauges(&mut out, self.in_flight.load(Ordering::Relaxed), gauges);
        out
    }

    fn render_requests(&self, out: &mut String) {
        header(
            out,
            "sigverify_http_requests_total",
            "counter",
            "HTTP requests by route template and status.",
        );
        for (e, series) in self.endpoints.iter().enumerate() {
            for (s, n) in series.statuses.iter().enumerate() {
                let n = n.load(Ordering::Relaxed);
                if n > 0 {
                    let (label, status) = (endpoint_label(e), 100 + s);
                    out.push_str(&format!(
                        "sigverify_http_requests_total{{endpoint=\"{label}\",status=\"{status}\"}} {n}\n"
                    ));
                }
            }
        }
    }

    fn render_durations(&self, out: &mut String) {
        let name = "sigverify_http_request_duration_seconds";
        header(out, name, "histogram", "HTTP request duration by route template.");
        for (e, series) in self.endpoints.iter().enumerate() {
            let counts: Vec<u64> = series.buckets.iter().map(|b| b.load(Ordering::Relaxed)).collect();
            let total: u64 = counts.iter().sum();
            if total == 0 {
                continue;
            }
            let label = endpoint_label(e);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS_US.iter().zip(&counts) {
                cumulative += n;
                let le = *bound as f64 / 1e6;
                out.push_str(&format!(
                    "{name}_bucket{{endpoint=\"{label}\",le=\"{le}\"}} {cumulative}\n"
                ));
            }
            out.push_str(&format!("{name}_bucket{{endpoint=\"{label}\",le=\"+Inf\"}} {total}\n"));
            let sum = series.sum_us.load(Ordering::Relaxed) as f64 / 1e6;
            out.push_str(&format!("{name}_sum{{endpoint=\"{label}\"}} {sum}\n"));
            out.push_str(&format!("{name}_count{{endpoint=\"{label}\"}} {total}\n"));
        }
    }

    fn render_verifications(&self, out: &mut String) {
        let name = "sigverify_verifications_total";
        header(out, name, "counter", "Verification reports by format and indication.");
        for (f, format) in Format::ALL.iter().enumerate() {
            for (i, indication) in INDICATIONS.iter().enumerate() {
                let n = self.verifications[f * INDICATIONS.len() + i].load(Ordering::Relaxed);
                let (format, indication) = (format.as_str(), indication.as_str());
                out.push_str(&format!(
                    "{name}{{format=\"{format}\",indication=\"{indication}\"}} {n}\n"
                ));
            }
        }
    }
}

fn render_gauges(out: &mut String, in_flight: i64, g: &Gauges) {
    header(
        out,
        "sigverify_in_flight_requests",
        "gauge",
        "HTTP requests being served.",
    );
    out.push_str(&format!("sigverify_in_flight_requests {in_flight}\n"));
    let name = "sigverify_in_flight_verifications";
    header(out, name, "gauge", "Verifications holding a slot.");
    out.push_str(&format!("{name} {}\n", g.verifications_in_flight));
    header(out, "sigverify_trust_anchors", "gauge", "Trust anchors loaded.");
    out.push_str(&format!("sigverify_trust_anchors {}\n", g.trust_anchors));
    if let Some(expiry) = g.earliest_anchor_expiry {
        let name = "sigverify_trust_anchor_earliest_expiry_timestamp_seconds";
        header(
            out,
            name,
            "gauge",
            "The notAfter of the trust anchor that expires first (Unix seconds).",
        );
        out.push_str(&format!("{name} {expiry}\n"));
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
}

/// The media type of the exposition.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4";

// ---------------------------------------------------------------------------------------------
// Request ids.

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

/// The client's `X-Request-Id` when sane (1 to 128 printable ASCII characters, no space),
/// else a new random one (32 hex digits).
pub(crate) fn request_id(headers: &HeaderMap) -> HeaderValue {
    headers
        .get(REQUEST_ID)
        .filter(|v| is_sane(v.as_bytes()))
        .cloned()
        .unwrap_or_else(new_request_id)
}

fn is_sane(id: &[u8]) -> bool {
    (1..=128).contains(&id.len()) && id.iter().all(|b| b.is_ascii_graphic())
}

/// Random bytes for this many request ids are read from the system at once (one `getrandom`
/// call per 64 requests rather than one per request).
const IDS_PER_FILL: usize = 64;

/// A thread's random bytes not yet handed out as request ids.
struct IdPool {
    bytes: [u8; 16 * IDS_PER_FILL],
    next: usize,
}

thread_local! {
    static ID_POOL: std::cell::RefCell<IdPool> =
        const { std::cell::RefCell::new(IdPool { bytes: [0; 16 * IDS_PER_FILL], next: IDS_PER_FILL }) };
}

fn new_request_id() -> HeaderValue {
    let bytes = ID_POOL.with_borrow_mut(random_id);
    let mut hex = [0u8; 32];
    for (pair, b) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    HeaderValue::from_bytes(&hex).unwrap_or(HeaderValue::from_static("0"))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// 16 random bytes from `pool`, refilled from the system when used up. Each id's bytes are
/// handed out once, then wiped from the pool.
fn random_id(pool: &mut IdPool) -> [u8; 16] {
    use ring::rand::SecureRandom;
    if pool.next == IDS_PER_FILL {
        if ring::rand::SystemRandom::new().fill(&mut pool.bytes).is_err() {
            // No randomness: a counter still tells requests apart within the process.
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let mut bytes = [0u8; 16];
            bytes[8..].copy_from_slice(&NEXT.fetch_add(1, Ordering::Relaxed).to_be_bytes());
            return bytes;
        }
        pool.next = 0;
    }
    let slot = &mut pool.bytes[pool.next * 16..(pool.next + 1) * 16];
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(slot);
    slot.fill(0);
    pool.next += 1;
    bytes
}

// ---------------------------------------------------------------------------------------------
// The verdicts of a response, for metrics and the log line.

/// A report's verdict without its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub format: Format,
    pub indication: Indication,
    pub sub_indication: Option<SubIndication>,
}

impl Verdict {
    pub(crate) fn of(report: &Report) -> Verdict {
        Verdict {
            format: report.format,
            indication: report.indication,
            sub_indication: report.sub_indication,
        }
    }
}

/// The verdicts of one response, put into its extensions by the handler.
#[derive(Clone, Debug, Default)]
pub(crate) struct Summary {
    pub verdicts: Vec<Verdict>,
}

impl Summary {
    /// The verdict the log line shows: the first of the worst indication (TOTAL_FAILED, then
    /// INDETERMINATE, then TOTAL_PASSED).
    pub(crate) fn worst(&self) -> Option<Verdict> {
        let rank = |v: &Verdict| indication_index(v.indication);
        self.verdicts
            .iter()
            .copied()
            .fold(None, |worst: Option<Verdict>, v| match worst {
                Some(w) if rank(&w) >= rank(&v) => Some(w),
                _ => Some(v),
            })
    }
}

impl FromIterator<Verdict> for Summary {
    fn from_iter<I: IntoIterator<Item = Verdict>>(iter: I) -> Summary {
        Summary {
            verdicts: iter.into_iter().collect(),
        }
    }
}

/// Room reserved for a JSON response before writing it: a one-signature report fits.
const RESPONSE_CAPACITY: usize = 8 * 1024;

/// `body` as JSON, with the summary of its reports for the request's log line and metrics.
pub(crate) fn json_with<T: Serialize>(body: T, summary: Summary) -> Response {
    let mut bytes = Vec::with_capacity(RESPONSE_CAPACITY);
    let mut response = match serde_json::to_writer(&mut bytes, &body) {
        Ok(()) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            bytes,
        )
            .into_response(),
        Err(_) => return super::ApiError::Internal.into_response(),
    };
    response.extensions_mut().insert(summary);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(indication: Indication) -> Verdict {
        Verdict {
            format: Format::Cms,
            indication,
            sub_indication: None,
        }
    }

    #[test]
    fn worst_is_the_first_of_the_worst_indication() {
        let s: Summary = [
            Indication::TotalPassed,
            Indication::Indeterminate,
            Indication::TotalFailed,
        ]
        .into_iter()
        .map(v)
        .collect();
        assert_eq!(s.worst().unwrap().indication, Indication::TotalFailed);
        let mut first = v(Indication::Indeterminate);
        first.sub_indication = Some(SubIndication::TryLater);
        let s = Summary {
            verdicts: vec![v(Indication::TotalPassed), first, v(Indication::Indeterminate)],
        };
        assert_eq!(s.worst(), Some(first));
        assert_eq!(Summary::default().worst(), None);
    }

    #[test]
    fn request_ids() {
        let mut h = HeaderMap::new();
        assert_eq!(request_id(&h).len(), 32);
        h.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&h), "abc-123");
        h.insert(REQUEST_ID, HeaderValue::from_static("a b"));
        assert_ne!(request_id(&h), "a b");
        h.insert(REQUEST_ID, HeaderValue::from_str(&"a".repeat(129)).unwrap());
        assert_eq!(request_id(&h).len(), 32);
    }

    #[test]
    fn new_request_ids_are_distinct_lower_case_hex_across_refills() {
        let ids: std::collections::HashSet<_> = (0..3 * IDS_PER_FILL + 1).map(|_| new_request_id()).collect();
        assert_eq!(ids.len(), 3 * IDS_PER_FILL + 1);
        for id in &ids {
            assert_eq!(id.len(), 32);
            assert!(id.as_bytes().iter().all(|b| HEX.contains(b)), "{id:?}");
        }
    }

    #[test]
    fn unknown_templates_have_bounded_labels() {
        assert_eq!(endpoint(Some("/api/v1/verify")), "/api/v1/verify");
        assert_eq!(endpoint(Some("/x/{id}")), "other");
        assert_eq!(endpoint(None), "unmatched");
    }
}

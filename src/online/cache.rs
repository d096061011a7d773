//! OCSP responses fetched, kept by CertID until their nextUpdate (or thisUpdate plus the
//! policy's maximum age when the responder gives none), never longer than a configured time,
//! at most a configured number of them. The caller passes the time: the clock is the
//! fetcher's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::formats::ocsp::{self, ResponseStatus};
use crate::time::UnixTime;

/// The responses kept.
#[derive(Debug)]
pub struct Cache {
    capacity: usize,
    entries: Mutex<HashMap<Vec<u8>, Entry>>,
}

#[derive(Debug, Clone)]
struct Entry {
    der: Arc<Vec<u8>>,
    expires: UnixTime,
}

/// How long a response may be kept.
#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    /// Without a nextUpdate, how long after its thisUpdate a response counts (seconds).
    pub max_age_seconds: i64,
    /// The longest any response is kept (seconds), whatever its nextUpdate says.
    pub max_keep_seconds: i64,
}

impl Cache {
    /// An empty cache of at most `capacity` responses (0: nothing is kept).
    pub fn new(capacity: usize) -> Cache {
        Cache {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The response kept for `cert_id` (a CertID DER), if it has not expired at `now`.
    pub fn get(&self, cert_id: &[u8], now: UnixTime) -> Option<Arc<Vec<u8>>> {
        let entries = self.entries.lock().ok()?;
        entries.get(cert_id).filter(|e| e.expires > now).map(|e| e.der.clone())
    }

    /// Keeps `der` for `serial` (the CertID `cert_id`) when it is a successful response with a
    /// SingleResponse of that serial still current at `now`.
    pub fn put(&self, cert_id: &[u8], serial: &[u8], der: Arc<Vec<u8>>, now: UnixTime, life: Lifetime) {
        let Some(expires) = expiry(&der, serial, now, life) else {
            return;
        };
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if self.capacity == 0 {
            return;
        }
        if entries.len() >= self.capacity && !entries.contains_key(cert_id) {
            entries.retain(|_, e| e.expires > now);
            if entries.len() >= self.capacity {
                evict_soonest(&mut entries);
            }
        }
        entries.insert(cert_id.to_vec(), Entry { der, expires });
    }

    /// How many responses are kept (expired ones included until evicted).
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn evict_soonest(entries: &mut HashMap<Vec<u8>, Entry>) {
    let soonest = entries.iter().min_by_key(|(_, e)| e.expires).map(|(k, _)| k.clone());
    if let Some(k) = soonest {
        entries.remove(&k);
    }
}

/// Until when a response may be kept: None when it is not successful, speaks of no
/// SingleResponse of `serial`, or is no longer current at `now`.
fn expiry(der: &[u8], serial: &[u8], now: UnixTime, life: Lifetime) -> Option<UnixTime> {
    let response = ocsp::parse_response(der).ok()?;
    if response.status != ResponseStatus::Successful {
        return None;
    }
    let basic = response.basic?;
    let single = basic.data.responses.iter().find(|s| s.cert_id.serial == serial)?;
    let until = single
        .next_update
        .unwrap_or(UnixTime(single.this_update.0.saturating_add(life.max_age_seconds)));
    let until = until.min(UnixTime(now.0.saturating_add(life.max_keep_seconds)));
    (until > now).then_some(until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> Arc<Vec<u8>> {
        let path = format!("{}/testdata/ocsp/{name}", env!("CARGO_MANIFEST_DIR"));
        Arc::new(std::fs::read(path).unwrap())
    }

    fn at(s: &str) -> UnixTime {
        UnixTime::parse_rfc3339(s).unwrap()
    }

    const LIFE: Lifetime = Lifetime {
        max_age_seconds: 3600,
        max_keep_seconds: 30 * 24 * 3600,
    };

    fn serial_of(der: &[u8]) -> Vec<u8> {
        let r = ocsp::parse_response(der).unwrap();
        r.basic.unwrap().data.responses[0].cert_id.serial.to_vec()
    }

    #[test]
    fn kept_until_next_update() {
        // good-ca.der: thisUpdate 2026-01-15T12:00:00Z, nextUpdate 2026-01-22T12:00:00Z.
        let der = testdata("good-ca.der");
        let serial = serial_of(&der);
        let cache = Cache::new(4);
        cache.put(b"id", &serial, der.clone(), at("2026-01-16T00:00:00Z"), LIFE);
        assert_eq!(cache.get(b"id", at("2026-01-22T11:59:59Z")), Some(der));
        assert_eq!(cache.get(b"id", at("2026-01-22T12:00:00Z")), None);
        assert_eq!(cache.get(b"other", at("2026-01-16T00:00:00Z")), None);
    }

    #[test]
    fn without_next_update_or_past_it_or_another_serial() {
        let der = testdata("good-ca-no-next-update.der");
        let serial = serial_of(&der);
        let cache = Cache::new(4);
        cache.put(b"id", &serial, der.clone(), at("2026-01-15T12:00:00Z"), LIFE);
        assert!(cache.get(b"id", at("2026-01-15T12:59:59Z")).is_some());
        assert!(cache.get(b"id", at("2026-01-15T13:00:00Z")).is_none());
        let cache = Cache::new(4);
        cache.put(b"id", &serial, der.clone(), at("2026-02-01T00:00:00Z"), LIFE);
        cache.put(
            b"id2",
            b"\x01",
            testdata("good-ca.der"),
            at("2026-01-16T00:00:00Z"),
            LIFE,
        );
        assert!(cache.is_empty());
    }

    #[test]
    fn kept_no_longer_than_configured() {
        let der = testdata("good-ca.der");
        let serial = serial_of(&der);
        let cache = Cache::new(4);
        let life = Lifetime {
            max_keep_seconds: 60,
            ..LIFE
        };
        cache.put(b"id", &serial, der, at("2026-01-16T00:00:00Z"), life);
        assert!(cache.get(b"id", at("2026-01-16T00:00:59Z")).is_some());
        assert!(cache.get(b"id", at("2026-01-16T00:01:00Z")).is_none());
    }

    #[test]
    fn unsuccessful_responses_are_not_kept() {
        // OCSPResponse { responseStatus tryLater }.
        let try_later = Arc::new(vec![0x30, 0x03, 0x0a, 0x01, 0x03]);
        let cache = Cache::new(4);
        cache.put(b"id", b"\x01", try_later, at("2026-01-16T00:00:00Z"), LIFE);
        assert!(cache.is_empty());
    }

    #[test]
    fn bounded() {
        let der = testdata("good-ca.der");
        let serial = serial_of(&der);
        let cache = Cache::new(2);
        let now = at("2026-01-16T00:00:00Z");
        for id in [&b"a"[..], b"b", b"c"] {
            cache.put(id, &serial, der.clone(), now, LIFE);
        }
        assert_eq!(cache.len(), 2);
        Cache::new(0).put(b"a", &serial, der, now, LIFE);
    }
}

//! Asks an OCSP responder for one certificate's status: POST `application/ocsp-request` over
//! plain HTTP (RFC 6960 A.1), to a host on the allow-list, at an address checked once (no
//! second resolution), with a fresh nonce, connect and total timeouts and a response size cap.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::formats::ber::encode;
use crate::formats::ocsp::{self, ResponseStatus};
use crate::revocation::wanted::StatusWanted;
use crate::time::UnixTime;

use super::cache::{Cache, Lifetime};
use super::target::{HttpUrl, host_allowed, special_address};

/// How the responders are asked.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    /// Hosts that may be asked: exact names or `*.example.com`. Empty: no URL a certificate
    /// names is asked (only [`FetchConfig::responders`]).
    pub allow_hosts: Vec<String>,
    /// Whether loopback, private, link-local, unique-local, shared, unspecified and multicast
    /// addresses may be connected to.
    pub allow_private: bool,
    /// Addresses for host names, used instead of DNS (checked by the same rules).
    pub static_hosts: HashMap<String, SocketAddr>,
    /// Configured responders, asked instead of the certificates' own: trusted as configured
    /// (neither the allow-list nor the address rules apply).
    pub responders: Vec<Responder>,
    /// Most time to connect to one address.
    pub connect_timeout: Duration,
    /// Most time for one certificate's status, all URLs included.
    pub total_timeout: Duration,
    /// Largest response body read (bytes).
    pub max_response_bytes: usize,
    /// Most responses cached (0: no cache).
    pub cache_entries: usize,
    /// The longest a response is cached, whatever its nextUpdate (seconds).
    pub cache_max_keep_seconds: i64,
    /// Without a nextUpdate, how long after its thisUpdate a response counts (seconds; the
    /// policy's `[revocation] max_age_seconds`).
    pub max_age_seconds: i64,
    /// Most statuses asked for one verification.
    pub max_requests: usize,
    /// Most requests in flight at once.
    pub concurrency: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow_hosts: Vec::new(),
            allow_private: false,
            static_hosts: HashMap::new(),
            responders: Vec::new(),
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(10),
            max_response_bytes: 64 * 1024,
            cache_entries: 10_000,
            cache_max_keep_seconds: 24 * 3600,
            max_age_seconds: 24 * 3600,
            max_requests: 16,
            concurrency: 4,
        }
    }
}

/// A configured responder: for the certificates of one issuer (its subject as reports print
/// it), or of every issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responder {
    /// The issuer's subject; None: every issuer.
    pub issuer: Option<String>,
    /// `http://` URL.
    pub url: String,
}

impl std::str::FromStr for Responder {
    type Err = String;

    /// `URL` (every issuer) or `ISSUER=URL`, the issuer's subject as reports print it
    /// (`CN=Example CA,O=Example,C=CH=http://ocsp.example.com/`): the URL starts at the first
    /// `=http://`.
    fn from_str(s: &str) -> Result<Responder, String> {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        let (issuer, url) = if lower.starts_with("http://") {
            (None, s)
        } else {
            let at = lower
                .find("=http://")
                .ok_or_else(|| format!("'{s}' is not URL or ISSUER=URL with an http:// URL"))?;
            let issuer = s[..at].trim();
            if issuer.is_empty() {
                return Err(format!("'{s}': the issuer before '=' is empty"));
            }
            (Some(issuer.to_string()), &s[at + 1..])
        };
        if HttpUrl::parse(url).is_none() {
            return Err(format!("'{url}' is not an http://host[:port][/path] URL"));
        }
        Ok(Responder {
            issuer,
            url: url.to_string(),
        })
    }
}

/// Why a responder gave no usable answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL is not `http://host[:port][/path]`.
    #[error("{0}: not an http:// URL")]
    BadUrl(String),
    /// The host is not on the allow-list.
    #[error("{0}: host not on the allow-list")]
    NotAllowed(String),
    /// The host resolves to an address that is refused.
    #[error("{host}: {addr} is a {kind} address, refused")]
    SpecialAddress {
        /// The host.
        host: String,
        /// The address refused.
        addr: IpAddr,
        /// What kind of address.
        kind: &'static str,
    },
    /// The host name does not resolve.
    #[error("{0}: name resolution failed: {1}")]
    Resolve(String, String),
    /// No connection could be made, or it broke.
    #[error("{0}: responder down: {1}")]
    Down(String, String),
    /// Connecting took longer than the connect timeout.
    #[error("{0}: connect timeout")]
    ConnectTimeout(String),
    /// The whole exchange took longer than the total timeout.
    #[error("responder timeout after {0} ms")]
    Timeout(u128),
    /// The HTTP status was not 200.
    #[error("{0}: HTTP status {1}")]
    HttpStatus(String, u16),
    /// The Content-Type was not application/ocsp-response.
    #[error("{0}: content type '{1}' is not application/ocsp-response")]
    ContentType(String, String),
    /// The response was larger than the cap.
    #[error("{0}: response larger than {1} bytes, refused")]
    Oversized(String, usize),
    /// The body is not an OCSPResponse.
    #[error("{0}: not an OCSP response: {1}")]
    NotOcsp(String, String),
    /// The responder answered with an unsuccessful status.
    #[error("{0}: responder answered {1}")]
    NotSuccessful(String, &'static str),
    /// The response carries a nonce other than the request's.
    #[error("{0}: the response's nonce is not the request's, refused")]
    NonceMismatch(String),
    /// No URL to ask.
    #[error("no OCSP responder named by the certificate or configured")]
    NoResponder,
    /// The time the caller gave the live checks of one verification ran out before this
    /// status was answered.
    #[error("no answer before the deadline of the verification")]
    Deadline,
}

impl FetchError {
    /// Whether the responder was never asked (no URL): the policy then decides as without
    /// live OCSP.
    pub fn is_no_responder(&self) -> bool {
        matches!(self, FetchError::NoResponder)
    }
}

/// A response obtained for one status.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The OCSPResponse DER.
    pub der: Arc<Vec<u8>>,
    /// Where it came from.
    pub url: String,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// Asks responders, through a cache. Long-lived: share one per process.
#[derive(Debug)]
pub struct Fetcher {
    config: FetchConfig,
    cache: Cache,
    rng: ring::rand::SystemRandom,
}

impl Fetcher {
    /// A fetcher with `config`.
    pub fn new(config: FetchConfig) -> Fetcher {
        Fetcher {
            cache: Cache::new(config.cache_entries),
            config,
            rng: ring::rand::SystemRandom::new(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// A response for `wanted`: cached, or from the first of its URLs that gives one, within
    /// the total timeout.
    pub async fn fetch(&self, wanted: &StatusWanted) -> Result<Fetched, Vec<FetchError>> {
        let cert_id = wanted.cert_id_der();
        if let Some(der) = self.cache.get(&cert_id, now()) {
            let url = "cache".to_string();
            return Ok(Fetched { der, url, cached: true });
        }
        let total = self.config.total_timeout;
        match tokio::time::timeout(total, self.ask_each(wanted)).await {
            Ok(Ok(fetched)) => {
                let serial = hex::decode(&*wanted.serial_hex).unwrap_or_default();
                let life = Lifetime {
                    max_age_seconds: self.config.max_age_seconds,
                    max_keep_seconds: self.config.cache_max_keep_seconds,
                };
                self.cache.put(&cert_id, &serial, fetched.der.clone(), now(), life);
                Ok(fetched)
            }
            Ok(Err(errors)) => Err(errors),
            Err(_) => Err(vec![FetchError::Timeout(total.as_millis())]),
        }
    }

    async fn ask_each(&self, wanted: &StatusWanted) -> Result<Fetched, Vec<FetchError>> {
        let (urls, configured) = self.urls(wanted);
        if urls.is_empty() {
            return Err(vec![FetchError::NoResponder]);
        }
        let mut errors = Vec::new();
        for url in urls {
            match self.ask(wanted, &url, configured).await {
                Ok(der) => {
                    return Ok(Fetched {
                        der: Arc::new(der),
                        url,
                        cached: false,
                    });
                }
                Err(e) => errors.push(e),
            }
        }
        Err(errors)
    }

    /// The configured responder for the issuer, else the certificate's own URLs.
    fn urls(&self, wanted: &StatusWanted) -> (Vec<String>, bool) {
        let configured = self
            .config
            .responders
            .iter()
            .find(|r| r.issuer.as_ref().is_none_or(|i| **i == *wanted.issuer));
        match configured {
            Some(r) => (vec![r.url.clone()], true),
            None => (wanted.ocsp_urls.clone(), false),
        }
    }

    async fn ask(&self, wanted: &StatusWanted, url: &str, configured: bool) -> Result<Vec<u8>, FetchError> {
        let target = HttpUrl::parse(url).ok_or_else(|| FetchError::BadUrl(url.to_string()))?;
        if !configured && !host_allowed(&target.host, &self.config.allow_hosts) {
            return Err(FetchError::NotAllowed(target.host));
        }
        let addrs = self.resolve(&target, configured).await?;
        let stream = self.connect(&target, &addrs).await?;
        let nonce = self.nonce()?;
        let body = exchange(
            stream,
            &target,
            wanted.ocsp_request(&nonce),
            self.config.max_response_bytes,
        )
        .await?;
        check_response(&body, &nonce, url)?;
        Ok(body)
    }

    /// The host's addresses, each checked: resolved once, connected to as checked.
    async fn resolve(&self, target: &HttpUrl, configured: bool) -> Result<Vec<SocketAddr>, FetchError> {
        let host = &target.host;
        let addrs: Vec<SocketAddr> = if let Some(a) = self.config.static_hosts.get(host) {
            vec![*a]
        } else if let Ok(ip) = host.parse::<IpAddr>() {
            vec![SocketAddr::new(ip, target.port)]
        } else {
            let found = tokio::net::lookup_host((host.as_str(), target.port)).await;
            found
                .map_err(|e| FetchError::Resolve(host.clone(), e.to_string()))?
                .collect()
        };
        if addrs.is_empty() {
            return Err(FetchError::Resolve(host.clone(), "no address".into()));
        }
        if !(configured || self.config.allow_private) {
            for a in &addrs {
                if let Some(kind) = special_address(a.ip()) {
                    let host = host.clone();
                    return Err(FetchError::SpecialAddress {
                        host,
                        addr: a.ip(),
                        kind,
                    });
                }
            }
        }
        Ok(addrs)
    }

    async fn connect(&self, target: &HttpUrl, addrs: &[SocketAddr]) -> Result<TcpStream, FetchError> {
        let mut last = FetchError::Down(target.host.clone(), "no address".into());
        for addr in addrs {
            match tokio::time::timeout(self.config.connect_timeout, TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => return Ok(stream),
                Ok(Err(e)) => last = FetchError::Down(target.host.clone(), format!("{addr}: {e}")),
                Err(_) => last = FetchError::ConnectTimeout(format!("{} ({addr})", target.host)),
            }
        }
        Err(last)
    }

    fn nonce(&self) -> Result<[u8; 16], FetchError> {
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&self.rng, &mut nonce)
            .map_err(|_| FetchError::Down("nonce".into(), "no random numbers".into()))?;
        Ok(nonce)
    }
}

/// The clock of the shell.
pub fn now() -> UnixTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
}

/// One POST over `stream`; the body of a 200 answer, read up to `cap` bytes.
async fn exchange(stream: TcpStream, target: &HttpUrl, request: Vec<u8>, cap: usize) -> Result<Vec<u8>, FetchError> {
    let host = target.host.clone();
    let down = |e: hyper::Error| FetchError::Down(host.clone(), e.to_string());
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(down)?;
    let req = Request::post(&target.path)
        .header(header::HOST, target.host_header())
        .header(header::CONTENT_TYPE, "application/ocsp-request")
        .header(header::ACCEPT, "application/ocsp-response")
        .header(header::CONNECTION, "close")
        .body(Full::new(Bytes::from(request)))
        .map_err(|e| FetchError::BadUrl(format!("{}: {e}", target.path)))?;
    let exchange = async {
        let resp = sender.send_request(req).await.map_err(down)?;
        read_body(resp, &host, cap).await
    };
    tokio::pin!(exchange, conn);
    // The connection is driven here, not spawned: dropped with the exchange on a timeout.
    tokio::select! {
        r = &mut exchange => r,
        _ = &mut conn => exchange.await,
    }
}

async fn read_body(
    resp: hyper::Response<hyper::body::Incoming>,
    host: &str,
    cap: usize,
) -> Result<Vec<u8>, FetchError> {
    if resp.status() != StatusCode::OK {
        return Err(FetchError::HttpStatus(host.to_string(), resp.status().as_u16()));
    }
    if let Some(ct) = resp.headers().get(header::CONTENT_TYPE) {
        let ct = String::from_utf8_lossy(ct.as_bytes()).to_string();
        let essence = ct.split(';').next().unwrap_or_default().trim();
        if !essence.eq_ignore_ascii_case("application/ocsp-response") {
            return Err(FetchError::ContentType(host.to_string(), ct));
        }
    }
    let declared = resp.headers().get(header::CONTENT_LENGTH);
    let declared = declared.and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(FetchError::Oversized(host.to_string(), cap));
    }
    match Limited::new(resp.into_body(), cap).collect().await {
        Ok(body) => Ok(body.to_bytes().to_vec()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(FetchError::Oversized(host.to_string(), cap)),
        Err(e) => Err(FetchError::Down(host.to_string(), e.to_string())),
    }
}

/// An OCSPResponse, successful, whose nonce (if any) is the request's: a responder may answer
/// without one (pre-produced responses), never with another.
pub fn check_response(body: &[u8], nonce: &[u8], url: &str) -> Result<(), FetchError> {
    let response = ocsp::parse_response(body).map_err(|e| FetchError::NotOcsp(url.to_string(), e.to_string()))?;
    let basic = match response.basic {
        Some(b) if response.status == ResponseStatus::Successful => b,
        _ => return Err(FetchError::NotSuccessful(url.to_string(), response.status.name())),
    };
    match basic.data.nonce() {
        Some(got) if got != encode(0x04, nonce).as_slice() && got != nonce => {
            Err(FetchError::NonceMismatch(url.to_string()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> Vec<u8> {
        let path = format!("{}/testdata/ocsp/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).unwrap()
    }

    #[test]
    fn responders_parsed() {
        let r: Responder = "http://127.0.0.1:8080/".parse().unwrap();
        assert_eq!((r.issuer, r.url.as_str()), (None, "http://127.0.0.1:8080/"));
        let r: Responder = "CN=Issuing CA,O=Example,C=CH=http://ocsp.example.com/x?a=b"
            .parse()
            .unwrap();
        assert_eq!(r.issuer.as_deref(), Some("CN=Issuing CA,O=Example,C=CH"));
        assert_eq!(r.url, "http://ocsp.example.com/x?a=b");
        for bad in [
            "",
            "ocsp.example.com",
            "CN=X=https://a/",
            "=http://a/",
            "CN=X=http://a b/",
        ] {
            assert!(bad.parse::<Responder>().is_err(), "{bad}");
        }
    }

    #[test]
    fn responses_checked() {
        let request = testdata("nonce-request.der");
        let nonce = &request[request.len() - 16..];
        let with_nonce = testdata("nonce.der");
        assert_eq!(check_response(&with_nonce, nonce, "u"), Ok(()));
        assert_eq!(
            check_response(&with_nonce, &[0; 16], "u"),
            Err(FetchError::NonceMismatch("u".into()))
        );
        assert_eq!(check_response(&testdata("good-ca.der"), &[0; 16], "u"), Ok(()));
        assert_eq!(
            check_response(&[0x30, 0x03, 0x0a, 0x01, 0x03], &[0; 16], "u"),
            Err(FetchError::NotSuccessful("u".into(), "tryLater"))
        );
        assert!(matches!(
            check_response(b"<html>", &[0; 16], "u"),
            Err(FetchError::NotOcsp(..))
        ));
    }
}

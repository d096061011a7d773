//! The connection loop: accepts TCP connections and serves the router on each, with the timers
//! and caps that keep slow or idle clients from holding the process hostage.
//!
//! Every connection has a watchdog:
//! - a new connection, or one that has started sending a request head, must complete the head
//!   within `header_timeout`;
//! - a keep-alive connection with no request in flight is closed after `idle_timeout` without
//!   traffic (a response the client does not read counts as no traffic);
//! - while a request is in flight, the handler's own deadlines apply (body rate, queue,
//!   verification: see [`super::Limits`]).
//!
//! At most `max_connections` are open. A new connection beyond the cap evicts the oldest
//! connection that has no request in flight (an idle or a slow one); when every connection is
//! busy, the new one gets a canned `503` with `Retry-After` and is closed at once. So
//! `/healthz` stays reachable while thousands of slow clients connect.
//!
//! Over TLS ([`serve_tls`]) the handshake is part of the connection's first request head: it
//! runs under the same watchdog (handshake and head within `header_timeout` of the accept), a
//! connection still in its handshake can be evicted, and the shutdown ends it at once. A
//! connection over the cap is closed without a handshake (a canned plain-text `503` would mean
//! nothing to a TLS client, and a handshake costs what an overloaded server lacks).
//!
//! On shutdown the listener closes, every connection finishes its request in flight, idle ones
//! close, and after `shutdown_timeout` whatever is left is dropped.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::tls::{ClientSubject, Tls, describe};

/// Connection timers and caps.
#[derive(Clone, Copy, Debug)]
pub struct ServerConfig {
    /// Time allowed to send a complete request head (a new connection's first request, or a
    /// keep-alive connection's next one once its first byte arrived).
    pub header_timeout: Duration,
    /// A keep-alive connection without a request in flight and without traffic is closed after
    /// this long.
    pub idle_timeout: Duration,
    /// Most open connections (keep it below the file-descriptor limit).
    pub max_connections: usize,
    /// After a shutdown signal, how long requests in flight may take before every connection
    /// left is dropped.
    pub shutdown_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
            max_connections: default_max_connections(),
            shutdown_timeout: Duration::from_secs(20),
        }
    }
}

/// Descriptors kept free for everything that is not a client connection (listener, trust
/// files, the runtime, logs).
const RESERVED_DESCRIPTORS: u64 = 128;

/// The connection cap that fits the process's descriptor limit: the soft limit is first raised
/// to the hard one (as Go's runtime does), then `RESERVED_DESCRIPTORS` are kept free.
pub fn default_max_connections() -> usize {
    let limit = raise_descriptor_limit();
    let cap = limit.saturating_sub(RESERVED_DESCRIPTORS).clamp(16, 65_536);
    usize::try_from(cap).unwrap_or(65_536)
}

fn raise_descriptor_limit() -> u64 {
    let target = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1 << 20, |(_, hard)| hard.min(1 << 20));
    rlimit::increase_nofile_limit(target).unwrap_or(1024)
}

/// Serves `app` in plain HTTP on `listener` until `shutdown` completes, then drains within
/// `config.shutdown_timeout`. Returns the number of connections dropped at the deadline.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    config: ServerConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<usize> {
    serve_with(listener, app, config, None, shutdown).await
}

/// As [`serve`], in HTTPS: each connection's handshake uses the configuration `tls` holds when
/// it starts (so a reload applies to new connections). HTTP/1.1 and HTTP/2 (ALPN `h2`).
pub async fn serve_tls(
    listener: TcpListener,
    app: Router,
    config: ServerConfig,
    tls: Arc<Tls>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<usize> {
    serve_with(listener, app, config, Some(tls), shutdown).await
}

async fn serve_with(
    listener: TcpListener,
    app: Router,
    config: ServerConfig,
    tls: Option<Arc<Tls>>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<usize> {
    let registry = Arc::new(Registry::new(config.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let Some(conn) = registry.admit() else {
                        refuse(stream, tls.is_some());
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    let acceptor = tls.as_ref().map(|t| t.acceptor());
                    let task = connection(stream, app.clone(), conn, config, acceptor, stop_rx.clone());
                    let registry = registry.clone();
                    tasks.spawn(async move {
                        let id = task.await;
                        registry.remove(id);
                    });
                }
                Err(e) => accept_error(e).await,
            },
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(config.shutdown_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    let dropped = if drained.is_err() { tasks.len() } else { 0 };
    if dropped > 0 {
        tracing::warn!(dropped, "shutdown deadline reached; dropping connections");
    }
    tasks.shutdown().await;
    Ok(dropped)
}

/// Accept errors (descriptor exhaustion, aborted handshakes) must not end the loop; a short
/// pause keeps a descriptor shortage from spinning.
async fn accept_error(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
    ) {
        return;
    }
    tracing::warn!(error = %e, "accept failed");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

const REFUSAL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// Answers a connection over the cap without reading from it, and closes it (over TLS, closes
/// it without an answer).
fn refuse(stream: TcpStream, tls: bool) {
    tracing::warn!("connection cap reached and every connection busy; refusing a connection");
    if tls {
        return;
    }
    tokio::spawn(async move {
        let mut stream = stream;
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(REFUSAL)).await;
    });
}

/// One connection: the TLS handshake if any, then hyper serves it; the watchdog, an eviction or
/// the shutdown may end it at any point.
async fn connection(
    stream: TcpStream,
    app: Router,
    conn: Arc<Conn>,
    config: ServerConfig,
    tls: Option<tokio_rustls::TlsAcceptor>,
    stop: watch::Receiver<bool>,
) -> u64 {
    let io = Watched {
        inner: stream,
        conn: conn.clone(),
    };
    let Some(acceptor) = tls else {
        http(io, app, &conn, config, stop, None).await;
        return conn.id;
    };
    if let Some((stream, client)) = handshake(acceptor, io, &conn, config, stop.clone()).await {
        http(stream, app, &conn, config, stop, client).await;
    }
    conn.id
}

/// The TLS handshake, under the connection's watchdog; `None` when it failed or was cut short.
/// The client's certificate subject comes along when it presented one.
async fn handshake(
    acceptor: tokio_rustls::TlsAcceptor,
    io: Watched,
    conn: &Conn,
    config: ServerConfig,
    mut stop: watch::Receiver<bool>,
) -> Option<(tokio_rustls::server::TlsStream<Watched>, Option<ClientSubject>)> {
    if *stop.borrow() {
        return None;
    }
    let accepted = tokio::select! {
        accepted = acceptor.accept(io) => accepted,
        () = conn.watchdog(config) => return None,
        () = conn.evict.notified() => return None,
        _ = stop.changed() => return None,
    };
    let stream = accepted
        .inspect_err(|e| tracing::debug!(error = %e, "TLS handshake failed"))
        .ok()?;
    let client = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|leaf| ClientSubject(describe(leaf).into()));
    if let Some(ClientSubject(subject)) = &client {
        tracing::info!(client = %subject, "TLS client certificate accepted");
    }
    Some((stream, client))
}

/// hyper serves one connection until it ends, the watchdog fires, an eviction or the shutdown
/// deadline. Each request carries the client's certificate subject when there is one.
async fn http<I>(
    io: I,
    app: Router,
    conn: &Arc<Conn>,
    config: ServerConfig,
    mut stop: watch::Receiver<bool>,
    client: Option<ClientSubject>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let tracked = conn.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let guard = tracked.begin();
        let app = app.clone();
        let mut req = req.map(Body::new);
        if let Some(client) = &client {
            req.extensions_mut().insert(client.clone());
        }
        async move {
            let response = app.oneshot(req).await;
            drop(guard);
            response
        }
    });
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(None);
    builder.http2().timer(TokioTimer::new()).max_concurrent_streams(32);
    let served = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(served);
    let mut stopping = *stop.borrow();
    if stopping {
        served.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            _ = served.as_mut() => break,
            () = conn.watchdog(config) => break,
            () = conn.evict.notified() => break,
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    served.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// Milliseconds since the registry started (atomics hold instants this way).
fn millis(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// What the watchdog and the eviction need to know about one connection.
struct Conn {
    id: u64,
    epoch: Instant,
    in_flight: AtomicUsize,
    /// Last byte read or written.
    last_io: AtomicU64,
    /// When the current request head started arriving, plus one; 0 when not reading a head.
    head_started: AtomicU64,
    evict: Notify,
}

/// Decrements the in-flight count when a request's handler is done.
struct InFlight(Arc<Conn>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.0.last_io.store(millis(self.0.epoch), Ordering::Release);
    }
}

impl Conn {
    fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_started.store(0, Ordering::Release);
        InFlight(self.clone())
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    fn on_read(&self) {
        let now = millis(self.epoch);
        self.last_io.store(now, Ordering::Release);
        if !self.busy() {
            let _ = self
                .head_started
                .compare_exchange(0, now + 1, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    fn on_write(&self) {
        self.last_io.store(millis(self.epoch), Ordering::Release);
    }

    /// When this connection must be closed if nothing changes; `None` while a request is in
    /// flight.
    fn deadline(&self, config: ServerConfig) -> Option<u64> {
        if self.busy() {
            return None;
        }
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Some(match self.head_started.load(Ordering::Acquire) {
            0 => self
                .last_io
                .load(Ordering::Acquire)
                .saturating_add(ms(config.idle_timeout)),
            started => (started - 1).saturating_add(ms(config.header_timeout)),
        })
    }

    /// Completes when the connection has been idle, or slow with its head, for too long.
    async fn watchdog(&self, config: ServerConfig) {
        loop {
            let now = millis(self.epoch);
            let wait = match self.deadline(config) {
                None => 1_000,
                Some(deadline) if deadline <= now => return,
                Some(deadline) => deadline - now,
            };
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
    }
}

/// The open connections, for the cap and eviction.
struct Registry {
    max: usize,
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Registry {
    fn new(max: usize) -> Registry {
        Registry {
            max: max.max(1),
            epoch: Instant::now(),
            next_id: AtomicU64::new(1),
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Registers a new connection, evicting the oldest one without a request in flight when
    /// the cap is reached; `None` when every open connection is busy.
    fn admit(&self) -> Option<Arc<Conn>> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.len() >= self.max {
            let oldest = open
                .values()
                .filter(|c| !c.busy())
                .min_by_key(|c| (c.last_io.load(Ordering::Acquire), c.id))
                .map(|c| c.id)?;
            if let Some(victim) = open.remove(&oldest) {
                victim.evict.notify_one();
            }
        }
        let now = millis(self.epoch);
        let conn = Arc::new(Conn {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            epoch: self.epoch,
            in_flight: AtomicUsize::new(0),
            last_io: AtomicU64::new(now),
            // A new connection is expected to send a head at once.
            head_started: AtomicU64::new(now + 1),
            evict: Notify::new(),
        });
        open.insert(conn.id, conn.clone());
        Some(conn)
    }

    fn remove(&self, id: u64) {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }
}

/// The socket, reporting its traffic to the watchdog.
struct Watched {
    inner: TcpStream,
    conn: Arc<Conn>,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.conn.on_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.on_write();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.conn.on_write();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

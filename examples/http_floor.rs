//! The least an HTTP/1.1 server on the stack `sigverify serve` runs on (hyper and tokio, a
//! multi-threaded runtime with one worker per core) costs per request: it reads the whole body
//! and answers `200` with a fixed body of the given size, and does nothing else; or, given
//! WORK_US, first does that many microseconds of CPU work per request on the worker that
//! serves it (SHA-256 over a buffer sized at start-up to take that long on this core).
//!
//! `benches/http_load.sh` loads it with the same wrk script, body and connections as the
//! service, to measure what the sockets, hyper and wrk cost on this machine before any work of
//! sigverify's own, and what they cost around work as long as the check.
//!
//!     cargo run --release --example http_floor -- PORT [RESPONSE_BYTES [WORK_US]]
use std::convert::Infallible;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

fn main() {
    let mut args = std::env::args().skip(1);
    let port: u16 = args
        .next()
        .and_then(|p| p.parse().ok())
        .expect("usage: http_floor PORT [RESPONSE_BYTES [WORK_US]]");
    let size: usize = args
        .next()
        .map_or(2, |s| s.parse().expect("RESPONSE_BYTES is a number"));
    let work_us: u64 = args.next().map_or(0, |s| s.parse().expect("WORK_US is a number"));
    let work = Work::sized(Duration::from_micros(work_us));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()
        .expect("runtime");
    runtime.block_on(serve(port, Bytes::from(vec![b' '; size]), work));
}

/// CPU work of a given length: SHA-256 over `bytes` bytes.
#[derive(Clone, Copy)]
struct Work {
    bytes: usize,
}

impl Work {
    /// Sized so that one [`Work::run`] takes `length` on this core (the fastest of 200 runs
    /// of a 64 KiB digest gives the rate).
    fn sized(length: Duration) -> Work {
        if length.is_zero() {
            return Work { bytes: 0 };
        }
        let probe = Work { bytes: 64 * 1024 };
        let fastest = (0..200)
            .map(|_| {
                let start = Instant::now();
                probe.run();
                start.elapsed()
            })
            .min()
            .expect("200 runs");
        let bytes = length.as_secs_f64() / fastest.as_secs_f64() * probe.bytes as f64;
        Work { bytes: bytes as usize }
    }

    fn run(self) {
        if self.bytes > 0 {
            let data = vec![0x5a_u8; self.bytes];
            std::hint::black_box(sigverify::HashAlg::Sha256.digest(std::hint::black_box(&data)));
        }
    }
}

async fn serve(port: u16, answer: Bytes, work: Work) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let answer = answer.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let answer = answer.clone();
                async move {
                    let _ = request.into_body().collect().await;
                    work.run();
                    Ok::<_, Infallible>(Response::new(Full::new(answer)))
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

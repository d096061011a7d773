//! The least an HTTP/1.1 server on the stack `sigverify serve` runs on (hyper and tokio, a
//! multi-threaded runtime with one worker per core) costs per request: it reads the whole body
//! and answers `200` with a fixed body of the given size, and does nothing else.
//!
//! `benches/http_load.sh` loads it with the same wrk script, body and connections as the
//! service, to measure what the sockets, hyper and wrk cost on this machine before any work of
//! sigverify's own.
//!
//!     cargo run --release --example http_floor -- PORT [RESPONSE_BYTES]
use std::convert::Infallible;

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
        .expect("usage: http_floor PORT [RESPONSE_BYTES]");
    let size: usize = args
        .next()
        .map_or(2, |s| s.parse().expect("RESPONSE_BYTES is a number"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()
        .expect("runtime");
    runtime.block_on(serve(port, Bytes::from(vec![b' '; size])));
}

async fn serve(port: u16, answer: Bytes) {
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
                    Ok::<_, Infallible>(Response::new(Full::new(answer)))
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

//! The least the batch CLI's input and output cost per file on this machine: read each file
//! named (whole, on one thread per core) and write as many bytes per file to stdout as a
//! report takes, and do nothing else.
//!
//! `benches/compare.sh` runs it over the same files as `sigverify verify` in the CLI scaling
//! runs, with the same output size, to measure what reading and writing alone cost before any
//! work of sigverify's own.
//!
//!     cargo run --release --example io_floor -- BYTES_PER_FILE FILE...
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let mut args = std::env::args().skip(1);
    let per_file: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("usage: io_floor BYTES_PER_FILE FILE...");
    let files: Vec<String> = args.collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let out = Mutex::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()));
    let report = vec![b' '; per_file];
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
                    std::hint::black_box(bytes);
                    let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
                    out.write_all(&report).expect("stdout");
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .flush()
        .expect("stdout");
}

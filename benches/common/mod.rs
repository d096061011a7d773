//! Shared by the bench targets: the clock (wall time, or the CPU time of the benchmarking
//! thread with `SIGVERIFY_BENCH_CPU_TIME=1`).

use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Wall time, or the CPU time of the calling thread (see the module documentation).
pub struct Clock {
    pub cpu: bool,
    wall: WallTime,
}

impl Clock {
    pub fn from_env() -> Clock {
        Clock {
            cpu: std::env::var("SIGVERIFY_BENCH_CPU_TIME").is_ok_and(|v| v == "1"),
            wall: WallTime,
        }
    }

    /// Time since an arbitrary origin.
    pub fn now(&self) -> Duration {
        if self.cpu {
            let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            // SAFETY: `ts` is a valid, writable timespec.
            let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
            assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
            Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
        } else {
            static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            ORIGIN.get_or_init(Instant::now).elapsed()
        }
    }
}

impl Measurement for Clock {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        self.now()
    }
    fn end(&self, start: Duration) -> Duration {
        self.now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// The allocator of the `sigverify` binary (src/main.rs): the benches measure the library as
/// the CLI and the service run it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

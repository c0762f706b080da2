//! The clock of the benchmarks, shared by `benches/activations.rs` and `benches/fast_designs.rs`.
//!
//! By default each sample is the CPU time of the benchmark thread (`CLOCK_THREAD_CPUTIME_ID`),
//! not wall time, because these suites run on shared machines where the thread is often
//! descheduled; time spent waiting for memory still counts, time spent waiting for a core does
//! not. On an idle machine the two agree for this single-threaded code. `BENCH_CLOCK=wall`
//! selects criterion's wall clock.

use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use std::path::PathBuf;
use std::time::Duration;

/// CPU time of the calling thread, formatted like wall time.
pub struct ThreadCpu;

/// Lends its formatter (nanoseconds, scaled to a readable unit) to [`ThreadCpu`].
static WALL: WallTime = WallTime;

impl Measurement for ThreadCpu {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }
    fn end(&self, start: ThreadTime) -> Duration {
        start.elapsed()
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

/// Where criterion keeps its results (the same rule as criterion's own, without asking cargo).
#[allow(dead_code)] // Only `activations.rs` writes `clock.txt` there.
pub fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// Whether `BENCH_CLOCK=wall` asks for criterion's wall clock instead of [`ThreadCpu`].
pub fn wall_requested() -> bool {
    std::env::var("BENCH_CLOCK").is_ok_and(|v| v == "wall")
}

/// The name of the clock in use, as printed and written to `clock.txt`.
pub fn name(wall: bool) -> &'static str {
    if wall {
        "wall-clock time"
    } else {
        "thread CPU time"
    }
}

//! Throughput of every activation against its peers (issue 4).
//!
//! One criterion group per function (`exp`, `sigmoid`, `tanh`, `relu`, `step`, `identity`,
//! `softmax`); in it every contestant of `contestants/mod.rs` runs on the same inputs, at two
//! sizes: 4096 elements (in cache) and 4 Mi elements (memory bound; softmax: whole rows of
//! 1000, so 4000 and 4,194,000). Ids are `<function>/<contestant>/<elements>`, and criterion
//! keeps each result in `$CARGO_TARGET_DIR/criterion/<function>/<contestant>/<elements>/new/`,
//! where `examples/bench_report.rs` reads it.
//!
//! Before anything is timed, each contestant's output on the benchmark inputs is compared with
//! `simd_activations::reference`, and must be within the bound listed beside it.
//!
//! ```text
//! cargo bench --bench activations                      # everything (about 5 minutes)
//! cargo bench --bench activations -- '^exp/'           # one function (a criterion filter regex)
//! cargo bench --bench activations -- '/4096$'          # only the in-cache size
//! cargo bench --bench activations -- --quick '^tanh/'  # criterion's short mode
//! cargo test --release --bench activations             # only the checks, each bench run once
//! BENCH_CLOCK=wall cargo bench --bench activations     # wall-clock time instead of CPU time
//! ```
//!
//! The clock (`benches/clock/mod.rs`): by default each sample is the CPU time of the benchmark
//! thread (`CLOCK_THREAD_CPUTIME_ID`), not wall time, because this suite runs on shared machines
//! where the thread is often descheduled; time spent waiting for memory still counts, time spent
//! waiting for a core does not. On an idle machine the two agree for this single-threaded code.
//! `BENCH_CLOCK=wall` selects criterion's wall clock. The clock used is written to
//! `clock.txt` beside the results, and `examples/bench_report.rs` prints it.

mod clock;
mod contestants;

use clock::ThreadCpu;
use contestants::functions;
use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Input and output of `n` elements in one allocation, both 64-byte aligned, the output placed
/// 1 KiB (modulo 4 KiB) after the input.
///
/// Note: with two separate `Vec`s the allocator puts the output at a fixed small offset (modulo
/// 4 KiB) from the input, and on the AMD EPYC this suite was first run on, glibc's `memcpy`
/// (`rep movsb`) copies 16 KiB 30x slower when the output is 16 bytes past a 4 KiB multiple
/// from the input, which made the `copy` baseline (and `identity`, a copy) jump between runs.
/// A fixed, benign placement measures the code instead of the allocator's luck.
struct Buffers {
    data: Vec<f32>,
    src: usize,
    dst: usize,
    n: usize,
}

impl Buffers {
    fn new(input: &[f32]) -> Self {
        let n = input.len();
        let mut data = vec![0.0f32; 2 * n + 16 + 1024];
        let base = data.as_ptr() as usize;
        let src = (64 - base % 64) % 64 / 4;
        let gap = (4096 + 1024 - (n * 4) % 4096) % 4096 / 4;
        let dst = src + n + gap;
        data[src..src + n].copy_from_slice(input);
        Buffers { data, src, dst, n }
    }

    fn split(&mut self) -> (&[f32], &mut [f32]) {
        let (lo, hi) = self.data.split_at_mut(self.dst);
        (&lo[self.src..self.src + self.n], &mut hi[..self.n])
    }
}

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    for f in functions() {
        let mut group = c.benchmark_group(f.name);
        // Short, flat sampling keeps the suite to minutes on a shared 2-core machine, and lets a
        // 4 Mi-element call (milliseconds each) fit its samples into the time given.
        group
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(2))
            .sampling_mode(SamplingMode::Flat);
        for n in f.sizes {
            let input = f.inputs(n);
            contestants::check(&f, &input);
            let mut buffers = Buffers::new(&input);
            let (src, dst) = buffers.split();
            group.throughput(Throughput::Elements(n as u64));
            for k in &f.contestants {
                group.bench_function(BenchmarkId::new(k.name, n), |b| {
                    b.iter(|| (k.run)(black_box(src), black_box(&mut *dst)));
                });
            }
        }
        group.finish();
    }
}

fn main() {
    let wall = clock::wall_requested();
    let clock = clock::name(wall);
    let home = clock::criterion_home();
    if std::fs::create_dir_all(&home).is_ok() {
        let _ = std::fs::write(home.join("clock.txt"), format!("{clock}\n"));
    }
    eprintln!("clock: {clock}");
    if wall {
        let mut c = Criterion::default().configure_from_args();
        benches(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default()
            .with_measurement(ThreadCpu)
            .configure_from_args();
        benches(&mut c);
        c.final_summary();
    }
}

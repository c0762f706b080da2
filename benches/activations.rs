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
//! ```

mod contestants;

use contestants::functions;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use std::hint::black_box;
use std::time::Duration;

fn benches(c: &mut Criterion) {
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
            let src = f.inputs(n);
            contestants::check(&f, &src);
            let mut dst = vec![0.0f32; n];
            group.throughput(Throughput::Elements(n as u64));
            for k in &f.contestants {
                group.bench_with_input(BenchmarkId::new(k.name, n), &src, |b, src| {
                    b.iter(|| (k.run)(black_box(src), black_box(&mut dst)));
                });
            }
        }
        group.finish();
    }
}

criterion_group!(activations, benches);
criterion_main!(activations);

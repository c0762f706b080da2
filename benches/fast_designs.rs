//! The fast tier's design choice, measured (issue 4): two designs per function, each timed on
//! the same inputs and checked for accuracy on a dense sample before it is timed. The winners
//! are what `simd_activations::fast` ships; the losers live only here. Results and the decision
//! are written up in `docs/fast-tier.md`.
//!
//! ```text
//! cargo bench --bench fast_designs
//! BENCH_CLOCK=wall cargo bench --bench fast_designs   # wall-clock time instead of CPU time
//! ```
//!
//! Timed on the benchmark thread's CPU time by default, as `benches/activations.rs` is (see
//! `benches/clock/mod.rs`).

mod clock;

use clock::ThreadCpu;
use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput};
use simd_activations::reference;
use simd_activations::wide::f32x8;
use simd_activations::{fast, precise};
use std::hint::black_box;
use std::time::Duration;

const N: usize = 4096;

/// Design B for exp: Cody-Waite reduction with round-to-nearest, `1 + r + r^2 (c2 + c3 r + c4 r^2)`
/// (Sollya fit `exp_fast_deg4` in tools/fit/results.txt), one scaling, flush below 2^-126.
fn exp_cody_waite(x: f32x8) -> f32x8 {
    let xc = x.max(f32x8::splat(-87.336_54)).min(f32x8::splat(88.722_83));
    let t = xc * f32x8::splat(core::f32::consts::LOG2_E) + f32x8::splat(12_582_912.0);
    let n = t - f32x8::splat(12_582_912.0);
    let r = (xc - n * f32x8::splat(0.693_145_75)) - n * f32x8::splat(1.428_606_8e-6);
    let c2 = f32x8::splat(f32::from_bits(0x3F00_035A));
    let c3 = f32x8::splat(f32::from_bits(0x3E2B_8E5E));
    let c4 = f32x8::splat(f32::from_bits(0x3D29_1326));
    let p = f32x8::ONE + (r + (r * r) * (c2 + r * (c3 + r * c4)));
    let nb = t.to_bits() - simd_activations::wide::u32x8::splat(12_582_912.0f32.to_bits());
    let s = f32x8::from_bits((nb + simd_activations::wide::u32x8::splat(127)) << 23);
    let y = p * s;
    let y = x.simd_lt(f32x8::splat(-87.336_54)).select(f32x8::ZERO, y);
    let y = x
        .simd_gt(f32x8::splat(88.722_83))
        .select(f32x8::splat(f32::INFINITY), y);
    // NaN in, NaN out, as the shipped design (and the tier's contract) does, so that the two
    // are timed doing the same job.
    x.is_nan().select(x, y)
}

/// Design B for sigmoid: the crate's fast exp, then `1 / d` by Newton-Raphson from a bit-trick
/// seed (no division; deterministic, unlike the hardware reciprocal estimate).
fn sigmoid_newton(x: f32x8) -> f32x8 {
    let d = f32x8::ONE + fast::exp(x.abs());
    // Seed: reflect the exponent, about 12% relative error; three steps reach ~2^-22.
    let mut r = f32x8::from_bits(simd_activations::wide::u32x8::splat(0x7EF3_11C3) - d.to_bits());
    for _ in 0..3 {
        r = r * (f32x8::splat(2.0) - d * r);
    }
    let r = d.is_inf().select(f32x8::ZERO, r);
    x.simd_lt(f32x8::ZERO).select(r, f32x8::ONE - r)
}

/// Design B for tanh: a rational `a P(a^2) / Q(a^2)` on [0, 6], 1 beyond (Remez fit
/// `tanh_fast_rational_3_3_X6` in tools/fit/results.txt), one division.
fn tanh_rational(x: f32x8) -> f32x8 {
    let a = x.abs().min(f32x8::splat(6.0));
    let a2 = a * a;
    let p = f32x8::ONE
        + a2 * (f32x8::splat(f32::from_bits(0x3DFE_E97F))
            + a2 * (f32x8::splat(f32::from_bits(0x3B1D_E478))
                + a2 * f32x8::splat(f32::from_bits(0x369A_2081))));
    let q = f32x8::ONE
        + a2 * (f32x8::splat(f32::from_bits(0x3EEA_64D0))
            + a2 * (f32x8::splat(f32::from_bits(0x3CB1_9816))
                + a2 * f32x8::splat(f32::from_bits(0x3924_B91A))));
    let y = x
        .abs()
        .simd_ge(f32x8::splat(6.0))
        .select(f32x8::ONE, a * p / q);
    // NaN in, NaN out, as in design B for exp.
    x.is_nan().select(x, y.copysign(x))
}

fn inputs(lo: f32, hi: f32) -> Vec<f32> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    (0..N)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            lo + (hi - lo) * ((s >> 40) as f32 / (1u64 << 24) as f32)
        })
        .collect()
}

/// Largest relative error over every 61st bit pattern in [lo, hi] (both signs where lo < 0).
fn max_rel(f: fn(f32x8) -> f32x8, r: fn(f32) -> f64, lo: f32, hi: f32) -> f64 {
    let mut worst = 0.0f64;
    for b in (0u32..0x7F80_0000).step_by(61) {
        for x in [f32::from_bits(b), -f32::from_bits(b)] {
            if x < lo || x > hi {
                continue;
            }
            let exact = r(x);
            if exact.abs() < f64::from(f32::MIN_POSITIVE) {
                continue;
            }
            let y = f(f32x8::splat(x)).to_array()[0];
            worst = worst.max(((f64::from(y) - exact) / exact).abs());
        }
    }
    worst
}

fn run(map: fn(f32x8) -> f32x8, src: &[f32], dst: &mut [f32]) {
    for (s, d) in src.chunks_exact(8).zip(dst.chunks_exact_mut(8)) {
        let v = f32x8::new(s.try_into().unwrap());
        d.copy_from_slice(&map(v).to_array());
    }
}

fn designs<M: Measurement>(c: &mut Criterion<M>) {
    type Design = (&'static str, fn(f32x8) -> f32x8);
    type Group = (&'static str, f32, f32, fn(f32) -> f64, Vec<Design>);
    let groups: [Group; 3] = [
        (
            "exp",
            -87.0,
            88.0,
            reference::exp,
            vec![
                ("precise", precise::exp::<f32x8>),
                ("A exp2 floor deg4 (shipped)", fast::exp::<f32x8>),
                ("B Cody-Waite deg4", exp_cody_waite),
            ],
        ),
        (
            "sigmoid",
            -20.0,
            20.0,
            reference::sigmoid,
            vec![
                ("precise", precise::sigmoid::<f32x8>),
                ("A division (shipped)", fast::sigmoid::<f32x8>),
                ("B Newton reciprocal", sigmoid_newton),
            ],
        ),
        (
            "tanh",
            -10.0,
            10.0,
            reference::tanh,
            vec![
                ("precise", precise::tanh::<f32x8>),
                ("A exp form + odd poly (shipped)", fast::tanh::<f32x8>),
                ("B rational 3/3 on [0, 6]", tanh_rational),
            ],
        ),
    ];
    for (name, lo, hi, r, ds) in groups {
        let src = inputs(lo, hi);
        let mut dst = vec![0.0f32; N];
        let mut g = c.benchmark_group(format!("fast_designs/{name}"));
        g.throughput(Throughput::Elements(N as u64));
        for (label, f) in ds {
            let err = max_rel(f, r, lo.min(-1e-30), hi);
            println!(
                "{name} {label}: max relative error 2^{:.2} (sampled)",
                err.log2()
            );
            g.bench_with_input(BenchmarkId::from_parameter(label), &src, |b, s| {
                b.iter(|| run(f, black_box(s), black_box(&mut dst)))
            });
        }
        g.finish();
    }
}

fn config<M: Measurement>(c: Criterion<M>) -> Criterion<M> {
    c.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
        .configure_from_args()
}

fn main() {
    let wall = clock::wall_requested();
    eprintln!("clock: {}", clock::name(wall));
    if wall {
        let mut c = config(Criterion::default());
        designs(&mut c);
        c.final_summary();
    } else {
        let mut c = config(Criterion::default().with_measurement(ThreadCpu));
        designs(&mut c);
        c.final_summary();
    }
}

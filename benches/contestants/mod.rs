//! The contestants of the benchmarks, their inputs and the bounds they are checked against.
//!
//! Shared by `benches/activations.rs` (which times them) and `examples/bench_report.rs` (which
//! measures their accuracy over a sample of all `f32` inputs and tabulates both), so the code
//! that is timed is the code whose accuracy is reported.

// Each includer uses a different part of this module.
#![allow(dead_code)]

use micromath::F32Ext;
use simd_activations::reference::{self, ulp_error};
use simd_activations::wide::f32x8;
use simd_activations::{fast, identity_into, precise, relu_into, step_into};

/// In cache: 16 KiB of input and 16 KiB of output.
pub const SMALL: usize = 4096;
/// Memory bound: 16 MiB of input and 16 MiB of output.
pub const LARGE: usize = 4 << 20;
/// Logits per softmax row.
pub const ROW: usize = 1000;
/// Softmax sizes: whole rows of `ROW`, as near as possible to the unary sizes.
pub const SOFTMAX_SIZES: [usize; 2] = [(SMALL / ROW) * ROW, (LARGE / ROW) * ROW];

/// What a contestant promises on the benchmark inputs; checked before timing.
#[derive(Clone, Copy, Debug)]
pub enum Bound {
    /// At most this many `f32` ULPs of the exact value (SPEC.md section 4).
    Ulp(f64),
    /// At most this relative error.
    Relative(f64),
    /// Bit-identical to the reference rounded to `f32`.
    Exact,
    /// Bit-identical to the input (the `copy` baseline, which computes nothing).
    Copy,
}

pub type SliceFn = fn(&[f32], &mut [f32]);

/// One implementation of a function, run through a slice-to-slice entry point.
pub struct Contestant {
    pub name: &'static str,
    pub run: SliceFn,
    pub bound: Bound,
}

const fn c(name: &'static str, run: SliceFn, bound: Bound) -> Contestant {
    Contestant { name, run, bound }
}

/// One benchmark group: a function, its inputs, its exact values, and who competes.
pub struct Function {
    pub name: &'static str,
    /// The inputs are uniform in `[lo, hi)`.
    pub range: (f32, f32),
    pub seed: u64,
    pub sizes: [usize; 2],
    /// The contestant every other one is compared with (`libm`, or `copy` for exact functions).
    pub baseline: &'static str,
    /// The exact value of one element, for unary functions; `None` for softmax (by row).
    pub reference: Option<fn(f32) -> f64>,
    pub contestants: Vec<Contestant>,
}

impl Function {
    pub fn inputs(&self, n: usize) -> Vec<f32> {
        inputs(n, self.range.0, self.range.1, self.seed)
    }

    /// Exact values of `src`, element by element or row by row.
    pub fn exact(&self, src: &[f32]) -> Vec<f64> {
        match self.reference {
            Some(f) => src.iter().map(|&x| f(x)).collect(),
            None => {
                let mut out = vec![0.0f64; src.len()];
                for (s, d) in src.chunks_exact(ROW).zip(out.chunks_exact_mut(ROW)) {
                    reference::softmax_into(s, d).expect("same lengths");
                }
                out
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// SplitMix64 (Steele, Lea and Flood): a fixed-seed generator, enough to spread test inputs.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`, from the top 24 bits.
    pub fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u32 << 24) as f32;
        lo + (hi - lo) * unit
    }
}

/// `n` values spread uniformly over `[lo, hi)`, the same on every run.
pub fn inputs(n: usize, lo: f32, hi: f32, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix(seed);
    (0..n).map(|_| rng.uniform(lo, hi)).collect()
}

// ---------------------------------------------------------------------------------------------
// Peers: plain loops over libm, std and micromath, and wide's own lane functions.

/// Runs `f` over `src` eight lanes at a time; a remainder is padded into one more vector.
#[inline(always)]
fn wide_map(src: &[f32], dst: &mut [f32], f: impl Fn(f32x8) -> f32x8) {
    let (sc, sr) = src.as_chunks::<8>();
    let (dc, dr) = dst.as_chunks_mut::<8>();
    for (s, d) in sc.iter().zip(dc) {
        *d = f(f32x8::new(*s)).to_array();
    }
    if !sr.is_empty() {
        let mut pad = [0.0f32; 8];
        pad[..sr.len()].copy_from_slice(sr);
        let out = f(f32x8::new(pad)).to_array();
        dr.copy_from_slice(&out[..dr.len()]);
    }
}

/// A plain scalar loop, as a user would write it around a scalar function.
#[inline(always)]
fn scalar_map(src: &[f32], dst: &mut [f32], f: impl Fn(f32) -> f32) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f(s);
    }
}

/// Sigmoid on wide's `exp`, written so it cannot overflow: with `e = exp(-|x|)` (at most 1),
/// the result is `1 / (1 + e)` for `x >= 0` and `e / (1 + e)` below; one division either way.
///
/// Note: the textbook `e / (1 + e)` with `e = exp(x)` gives `inf / inf = NaN` above
/// `x = 88.72`, and `1 / (1 + exp(-x))` gives 0 instead of the (subnormal) result below about
/// -87.3. Neither matters on the benchmark range `[-20, 20]`, but this is the form a careful
/// user writes, so it is the fair contestant (and the accuracy sweep covers the whole range).
#[inline(always)]
fn wide_sigmoid(x: f32x8) -> f32x8 {
    let e = (-x.abs()).exp();
    let num = x.simd_ge(f32x8::ZERO).select(f32x8::ONE, e);
    num / (f32x8::ONE + e)
}

/// The fast tier's bound (SPEC.md section 5).
const FAST: Bound = Bound::Relative(1.0 / 4096.0);

// Peer bounds: libm, std, wide and micromath state no bound we could quote for these inputs, so
// the bound beside each is the largest error that `examples/bench_report.rs` measured on its
// sampled sweep of all inputs in the benchmark's range, rounded up; it catches a broken build
// or a wrong formula, not a change of a few tenths of an ULP.

fn exp() -> Function {
    Function {
        name: "exp",
        range: (-87.0, 88.0),
        seed: 1,
        sizes: [SMALL, LARGE],
        baseline: "libm",
        reference: Some(reference::exp),
        contestants: vec![
            c(
                "precise",
                |s, d| precise::exp_into(s, d).expect("lengths"),
                Bound::Ulp(1.0), // the crate's precise budget (simd_activations::budget)
            ),
            c("fast", |s, d| fast::exp_into(s, d).expect("lengths"), FAST),
            c("libm", |s, d| scalar_map(s, d, libm::expf), Bound::Ulp(1.0)),
            c("std", |s, d| scalar_map(s, d, f32::exp), Bound::Ulp(1.0)),
            c("wide", |s, d| wide_map(s, d, f32x8::exp), Bound::Ulp(2.0)),
            c(
                "micromath",
                |s, d| scalar_map(s, d, F32Ext::exp),
                Bound::Relative(1e-2),
            ),
        ],
    }
}

fn sigmoid() -> Function {
    Function {
        name: "sigmoid",
        range: (-20.0, 20.0),
        seed: 2,
        sizes: [SMALL, LARGE],
        baseline: "libm",
        reference: Some(reference::sigmoid),
        contestants: vec![
            c(
                "precise",
                |s, d| precise::sigmoid_into(s, d).expect("lengths"),
                Bound::Ulp(1.0), // the crate's precise budget
            ),
            c(
                "fast",
                |s, d| fast::sigmoid_into(s, d).expect("lengths"),
                FAST,
            ),
            c(
                "libm",
                |s, d| scalar_map(s, d, |x| 1.0 / (1.0 + libm::expf(-x))),
                Bound::Ulp(3.0),
            ),
            c(
                "std",
                |s, d| scalar_map(s, d, |x| 1.0 / (1.0 + (-x).exp())),
                Bound::Ulp(3.0),
            ),
            c("wide", |s, d| wide_map(s, d, wide_sigmoid), Bound::Ulp(3.0)),
            c(
                "micromath",
                |s, d| scalar_map(s, d, |x| 1.0 / (1.0 + F32Ext::exp(-x))),
                Bound::Relative(1e-2),
            ),
        ],
    }
}

/// micromath 2.1 has no `tanh` (its `F32Ext` has `exp` but no hyperbolic functions), so it does
/// not compete here.
fn tanh() -> Function {
    Function {
        name: "tanh",
        range: (-10.0, 10.0),
        seed: 3,
        sizes: [SMALL, LARGE],
        baseline: "libm",
        reference: Some(reference::tanh),
        contestants: vec![
            c(
                "precise",
                |s, d| precise::tanh_into(s, d).expect("lengths"),
                Bound::Ulp(1.0), // the crate's precise budget
            ),
            c("fast", |s, d| fast::tanh_into(s, d).expect("lengths"), FAST),
            c(
                "libm",
                |s, d| scalar_map(s, d, libm::tanhf),
                Bound::Ulp(3.0),
            ),
            c("std", |s, d| scalar_map(s, d, f32::tanh), Bound::Ulp(3.0)),
            c("wide", |s, d| wide_map(s, d, f32x8::tanh), Bound::Ulp(3.0)),
        ],
    }
}

/// An exact function against its physical limit, a copy of the same buffers, and against the
/// plain loop a user would write (which the compiler may vectorise by itself).
fn exact_function(
    name: &'static str,
    seed: u64,
    reference: fn(f32) -> f64,
    crate_fn: SliceFn,
    plain_loop: SliceFn,
) -> Function {
    Function {
        name,
        range: (-10.0, 10.0),
        seed,
        sizes: [SMALL, LARGE],
        baseline: "copy",
        reference: Some(reference),
        contestants: vec![
            c("crate", crate_fn, Bound::Exact),
            c("copy", |s, d| d.copy_from_slice(s), Bound::Copy),
            c("loop", plain_loop, Bound::Exact),
        ],
    }
}

/// Softmax of each row of `ROW` logits with a scalar `exp`: maximum, then the exponentials and
/// their sum, then the division. The loop most code has.
#[inline(always)]
fn scalar_softmax(src: &[f32], dst: &mut [f32], exp: impl Fn(f32) -> f32) {
    for (s, d) in src.chunks_exact(ROW).zip(dst.chunks_exact_mut(ROW)) {
        let m = s.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let mut sum = 0.0f32;
        for (o, &x) in d.iter_mut().zip(s) {
            *o = exp(x - m);
            sum += *o;
        }
        for o in d.iter_mut() {
            *o /= sum;
        }
    }
}

/// The same softmax written with wide's `f32x8`: lane-wise maximum and sum, wide's `exp`.
fn wide_softmax(src: &[f32], dst: &mut [f32]) {
    for (s, d) in src.chunks_exact(ROW).zip(dst.chunks_exact_mut(ROW)) {
        let (sc, sr) = s.as_chunks::<8>();
        let mut mv = f32x8::splat(f32::NEG_INFINITY);
        for ch in sc {
            mv = mv.max(f32x8::new(*ch));
        }
        let m = mv
            .to_array()
            .iter()
            .chain(sr)
            .fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let m8 = f32x8::splat(m);

        let mut sv = f32x8::ZERO;
        let (dc, dr) = d.as_chunks_mut::<8>();
        for (o, ch) in dc.iter_mut().zip(sc) {
            let e = (f32x8::new(*ch) - m8).exp();
            sv += e;
            *o = e.to_array();
        }
        let mut sum = sv.reduce_add();
        for (o, &x) in dr.iter_mut().zip(sr) {
            // The remainder goes through one more vector, so it gets wide's exp too.
            *o = f32x8::splat(x - m).exp().to_array()[0];
            sum += *o;
        }

        let sum8 = f32x8::splat(sum);
        let (dc, dr) = d.as_chunks_mut::<8>();
        for o in dc {
            *o = (f32x8::new(*o) / sum8).to_array();
        }
        for o in dr {
            *o /= sum;
        }
    }
}

fn softmax() -> Function {
    Function {
        name: "softmax",
        range: (-10.0, 10.0),
        seed: 7,
        sizes: SOFTMAX_SIZES,
        baseline: "libm",
        reference: None,
        contestants: vec![
            // The precise and fast bounds are the ones tests/softmax.rs asserts.
            c(
                "precise",
                |s, d| precise::softmax_batch_into(s, d, ROW).expect("whole rows"),
                Bound::Ulp(4.0),
            ),
            c(
                "fast",
                |s, d| fast::softmax_batch_into(s, d, ROW).expect("whole rows"),
                Bound::Relative(1.0 / 2048.0),
            ),
            // A plain f32 running sum over 1000 terms loses tens of ULP.
            c(
                "libm",
                |s, d| scalar_softmax(s, d, libm::expf),
                Bound::Ulp(64.0),
            ),
            c(
                "std",
                |s, d| scalar_softmax(s, d, f32::exp),
                Bound::Ulp(64.0),
            ),
            c("wide", wide_softmax, Bound::Ulp(32.0)),
        ],
    }
}

/// Every benchmark group, in report order.
pub fn functions() -> Vec<Function> {
    vec![
        exp(),
        sigmoid(),
        tanh(),
        exact_function(
            "relu",
            4,
            reference::relu,
            |s, d| relu_into(s, d).expect("lengths"),
            |s, d| scalar_map(s, d, |x| if x > 0.0 { x } else { 0.0 }),
        ),
        exact_function(
            "step",
            5,
            reference::step,
            |s, d| step_into(s, d).expect("lengths"),
            |s, d| scalar_map(s, d, |x| if x < 0.0 { 0.0 } else { 1.0 }),
        ),
        exact_function(
            "identity",
            6,
            reference::identity,
            |s, d| identity_into(s, d).expect("lengths"),
            |s, d| scalar_map(s, d, |x| x),
        ),
        softmax(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Checking

/// Error of one result `y` for input `x` against the exact value `e`, in the unit of `bound`.
pub fn error(x: f32, y: f32, e: f64, bound: Bound) -> f64 {
    match bound {
        Bound::Ulp(_) => ulp_error(y, e),
        Bound::Relative(_) => {
            if y.is_nan() && e.is_nan() {
                0.0
            } else {
                ((f64::from(y) - e) / e).abs()
            }
        }
        Bound::Exact | Bound::Copy => {
            let want = if matches!(bound, Bound::Copy) {
                x
            } else {
                e as f32
            };
            if y.to_bits() == want.to_bits() || (y.is_nan() && want.is_nan()) {
                0.0
            } else {
                f64::INFINITY
            }
        }
    }
}

/// The limit of `bound` in its own unit, and the unit's name.
pub fn limit(bound: Bound) -> (f64, &'static str) {
    match bound {
        Bound::Ulp(b) => (b, "ULP"),
        Bound::Relative(b) => (b, "relative"),
        Bound::Exact | Bound::Copy => (0.0, "(must be exact)"),
    }
}

/// Runs every contestant of `f` once on `src` and panics, naming each one out of bounds, unless
/// all are within their bounds.
pub fn check(f: &Function, src: &[f32]) {
    let exact = f.exact(src);
    let mut dst = vec![0.0f32; src.len()];
    let mut failures = Vec::new();
    for k in &f.contestants {
        dst.fill(f32::NAN);
        (k.run)(src, &mut dst);
        let worst = src
            .iter()
            .zip(&dst)
            .zip(&exact)
            .map(|((&x, &y), &e)| error(x, y, e, k.bound))
            .fold(0.0, f64::max);
        let (lim, unit) = limit(k.bound);
        if worst.is_nan() || worst > lim {
            failures.push(format!(
                "{}/{}: error {worst:e} {unit} on the {} benchmark inputs exceeds its bound {lim:e}",
                f.name,
                k.name,
                src.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The exhaustive checker: every unary kernel, every tier, all 2^32 `f32` inputs.
//!
//! For each kernel it measures the error against the `f64` reference (SPEC.md section 4) and
//! prints the maximum, the input where it occurs, and how many inputs exceed 0.5, 1 and 2 ULP;
//! it checks that the `f32x8` lane path and the scalar path give the same bits, that the result
//! stays in range, that sigmoid and tanh are monotone and tanh is odd to the bit, and that the
//! exact kernels (ReLU, step, identity) are exact. It exits non-zero if any check fails or any
//! budget of `simd_activations::budget` is exceeded.
//!
//! ```text
//! cargo run --release --example check                 # everything, all 2^32 inputs
//! cargo run --release --example check -- tanh         # only kernels whose name contains "tanh"
//! cargo run --release --example check -- --stride 97  # every 97th bit pattern (quick look)
//! cargo run --release --example check -- --blocks 3e0 420  # only bit patterns 0x3E000000..0x42000000
//! ```

use simd_activations::budget::{budget, Bound, Function, Tier};
use simd_activations::wide::f32x8;
use simd_activations::{fast, precise, reference};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

type Scalar = fn(f32) -> f32;
type Lanes = fn(f32x8) -> f32x8;

/// What a kernel promises beyond its error bound.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// No extra promise (exp: only `>= 0`).
    NonNegative,
    /// In `[0, 1]`, monotone non-decreasing.
    Sigmoid,
    /// In `[-1, 1]`, monotone non-decreasing, odd to the bit.
    Tanh,
    /// Must equal the reference rounded to f32, bit for bit (NaN: same bits as the input).
    Exact,
}

struct Kernel {
    name: &'static str,
    function: Option<Function>,
    tier: Option<Tier>,
    scalar: Scalar,
    lanes: Lanes,
    reference: fn(f32) -> f64,
    shape: Shape,
}

fn kernels() -> Vec<Kernel> {
    vec![
        Kernel {
            name: "exp/precise",
            function: Some(Function::Exp),
            tier: Some(Tier::Precise),
            scalar: precise::exp::<f32>,
            lanes: precise::exp::<f32x8>,
            reference: reference::exp,
            shape: Shape::NonNegative,
        },
        Kernel {
            name: "sigmoid/precise",
            function: Some(Function::Sigmoid),
            tier: Some(Tier::Precise),
            scalar: precise::sigmoid::<f32>,
            lanes: precise::sigmoid::<f32x8>,
            reference: reference::sigmoid,
            shape: Shape::Sigmoid,
        },
        Kernel {
            name: "tanh/precise",
            function: Some(Function::Tanh),
            tier: Some(Tier::Precise),
            scalar: precise::tanh::<f32>,
            lanes: precise::tanh::<f32x8>,
            reference: reference::tanh,
            shape: Shape::Tanh,
        },
        Kernel {
            name: "exp/fast",
            function: Some(Function::Exp),
            tier: Some(Tier::Fast),
            scalar: fast::exp::<f32>,
            lanes: fast::exp::<f32x8>,
            reference: reference::exp,
            shape: Shape::NonNegative,
        },
        Kernel {
            name: "sigmoid/fast",
            function: Some(Function::Sigmoid),
            tier: Some(Tier::Fast),
            scalar: fast::sigmoid::<f32>,
            lanes: fast::sigmoid::<f32x8>,
            reference: reference::sigmoid,
            shape: Shape::Sigmoid,
        },
        Kernel {
            name: "tanh/fast",
            function: Some(Function::Tanh),
            tier: Some(Tier::Fast),
            scalar: fast::tanh::<f32>,
            lanes: fast::tanh::<f32x8>,
            reference: reference::tanh,
            shape: Shape::Tanh,
        },
        Kernel {
            name: "relu",
            function: None,
            tier: None,
            scalar: simd_activations::relu::<f32>,
            lanes: simd_activations::relu::<f32x8>,
            reference: reference::relu,
            shape: Shape::Exact,
        },
        Kernel {
            name: "step",
            function: None,
            tier: None,
            scalar: simd_activations::step::<f32>,
            lanes: simd_activations::step::<f32x8>,
            reference: reference::step,
            shape: Shape::Exact,
        },
        Kernel {
            name: "identity",
            function: None,
            tier: None,
            scalar: simd_activations::identity::<f32>,
            lanes: simd_activations::identity::<f32x8>,
            reference: reference::identity,
            shape: Shape::Exact,
        },
    ]
}

/// Per-block results, merged afterwards.
#[derive(Clone, Default)]
struct Stats {
    max_ulp: f64,
    max_at: u32,
    max_rel: f64,
    max_rel_at: u32,
    over_half: u64,
    over_one: u64,
    over_two: u64,
    nan_wrong: u64,
    lane_mismatch: u64,
    range_bad: u64,
    mono_bad: u64,
    odd_bad: u64,
    exact_bad: u64,
    /// Results whose exact value is below 2^-126 and that are neither flushed to zero nor
    /// within 2^-126 of it (only the relative-bound tiers may flush).
    tiny_bad: u64,
    first_bad: Option<(u32, &'static str)>,
    /// First and last non-NaN results of the block, for monotonicity across blocks.
    ends: Option<(f32, f32)>,
}

impl Stats {
    fn fail(&mut self, x: u32, what: &'static str) {
        if self.first_bad.is_none() {
            self.first_bad = Some((x, what));
        }
    }
    fn merge(&mut self, o: &Stats) {
        if o.max_ulp > self.max_ulp {
            self.max_ulp = o.max_ulp;
            self.max_at = o.max_at;
        }
        if o.max_rel > self.max_rel {
            self.max_rel = o.max_rel;
            self.max_rel_at = o.max_rel_at;
        }
        self.over_half += o.over_half;
        self.over_one += o.over_one;
        self.over_two += o.over_two;
        self.nan_wrong += o.nan_wrong;
        self.lane_mismatch += o.lane_mismatch;
        self.range_bad += o.range_bad;
        self.mono_bad += o.mono_bad;
        self.odd_bad += o.odd_bad;
        self.exact_bad += o.exact_bad;
        self.tiny_bad += o.tiny_bad;
        if self.first_bad.is_none() {
            self.first_bad = o.first_bad;
        }
    }
}

const BLOCK_BITS: u32 = 20;

/// Check the inputs `start, start + stride, ...` below `end`.
fn check_block(k: &Kernel, start: u64, end: u64, stride: u64) -> Stats {
    let mut st = Stats::default();
    let mut xs = [0.0f32; 8];
    let mut bits = [0u32; 8];
    let mut prev: Option<f32> = None;
    let mut i = start;
    while i < end {
        let mut n = 0;
        while n < 8 && i < end {
            bits[n] = i as u32;
            xs[n] = f32::from_bits(i as u32);
            n += 1;
            i += stride;
        }
        let lane = (k.lanes)(f32x8::new(xs)).to_array();
        for j in 0..n {
            let x = xs[j];
            let xb = bits[j];
            let y = (k.scalar)(x);
            if y.to_bits() != lane[j].to_bits() {
                st.lane_mismatch += 1;
                st.fail(xb, "lane and scalar results differ");
            }
            if x.is_nan() {
                let ok = if k.shape == Shape::Exact {
                    // Exact kernels keep the NaN's bits.
                    y.to_bits() == x.to_bits()
                } else {
                    y.is_nan()
                };
                if !ok {
                    st.nan_wrong += 1;
                    st.fail(xb, "NaN input did not give NaN");
                }
                continue;
            }
            let exact = (k.reference)(x);
            if k.shape == Shape::Exact {
                if y.to_bits() != (exact as f32).to_bits() {
                    st.exact_bad += 1;
                    st.fail(xb, "exact kernel differs from the reference");
                }
                continue;
            }

            // Error in ULP, and relative error where the exact value is a normal f32.
            let e = reference::ulp_error(y, exact);
            if e > st.max_ulp {
                st.max_ulp = e;
                st.max_at = xb;
            }
            st.over_half += u64::from(e > 0.5);
            st.over_one += u64::from(e > 1.0);
            st.over_two += u64::from(e > 2.0);
            if exact.abs() >= f64::from(f32::MIN_POSITIVE) {
                let rel = if exact.is_finite() && y.is_finite() {
                    ((f64::from(y) - exact) / exact).abs()
                } else if e == 0.0 {
                    0.0
                } else {
                    f64::INFINITY
                };
                if rel > st.max_rel {
                    st.max_rel = rel;
                    st.max_rel_at = xb;
                }
            } else if (f64::from(y) - exact).abs() > f64::from(f32::MIN_POSITIVE) {
                st.tiny_bad += 1;
                st.fail(xb, "result far from a tiny exact value");
            }

            // Range, oddness, monotonicity.
            let in_range = match k.shape {
                Shape::NonNegative => y >= 0.0,
                Shape::Sigmoid => (0.0..=1.0).contains(&y),
                Shape::Tanh => (-1.0..=1.0).contains(&y),
                Shape::Exact => true,
            };
            if !in_range {
                st.range_bad += 1;
                st.fail(xb, "result out of range");
            }
            if k.shape == Shape::Tanh && (k.scalar)(-x).to_bits() != (-y).to_bits() {
                st.odd_bad += 1;
                st.fail(xb, "tanh(-x) != -tanh(x)");
            }
            if matches!(k.shape, Shape::Sigmoid | Shape::Tanh) {
                // Bits increase with the value for positive floats and decrease for negative ones.
                if let Some(p) = prev {
                    let bad = if xb >> 31 == 0 { y < p } else { y > p };
                    if bad {
                        st.mono_bad += 1;
                        st.fail(xb, "not monotone");
                    }
                }
                prev = Some(y);
                st.ends = Some((st.ends.map_or(y, |e| e.0), y));
            }
        }
    }
    st
}

fn main() {
    let mut filter: Option<String> = None;
    let mut stride: u64 = 1;
    let mut block_range = (0u64, 1u64 << (32 - BLOCK_BITS));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--stride" {
            stride = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
        } else if a == "--blocks" {
            // Only blocks of 2^20 bit patterns in [lo, hi), in hex: e.g. 3f0 410.
            let mut hex = || args.next().and_then(|s| u64::from_str_radix(&s, 16).ok());
            block_range = (hex().unwrap_or(0), hex().unwrap_or(1 << (32 - BLOCK_BITS)));
        } else {
            filter = Some(a);
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let blocks = 1u64 << (32 - BLOCK_BITS);
    println!(
        "exhaustive check: {} inputs per kernel, {} threads, build: {}",
        if stride == 1 {
            "all 2^32".to_string()
        } else {
            format!("every {stride}th of 2^32")
        },
        threads,
        build_description()
    );
    println!();
    println!("| kernel | max ULP | at input | max rel. error | > 0.5 ULP | > 1 ULP | > 2 ULP | budget | result |");
    println!("|---|---|---|---|---|---|---|---|---|");

    let mut failed = false;
    for k in kernels() {
        if filter.as_deref().is_some_and(|f| !k.name.contains(f)) {
            continue;
        }
        let t0 = Instant::now();
        let next = AtomicU64::new(0);
        let results: Vec<(u64, Stats)> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let b = next.fetch_add(1, Ordering::Relaxed);
                            if b >= blocks {
                                break;
                            }
                            if b < block_range.0 || b >= block_range.1 {
                                continue;
                            }
                            // Start each block at the first stride point inside it.
                            let base = b << BLOCK_BITS;
                            let start = base.div_ceil(stride) * stride;
                            let end = base + (1 << BLOCK_BITS);
                            if start < end {
                                out.push((b, check_block(&k, start, end, stride)));
                            }
                        }
                        out
                    })
                })
                .collect();
            let mut all: Vec<(u64, Stats)> =
                hs.into_iter().flat_map(|h| h.join().unwrap()).collect();
            all.sort_by_key(|r| r.0);
            all
        });
        let mut total = Stats::default();
        for (_, r) in &results {
            total.merge(r);
        }
        // Monotonicity across block boundaries, within each sign half.
        let mut prev: Option<(u64, f32)> = None;
        for (b, r) in &results {
            if let (Some((pb, py)), Some((first, _))) = (prev, r.ends) {
                let same_half = (pb >> (31 - BLOCK_BITS)) == (b >> (31 - BLOCK_BITS));
                let positive = (b << BLOCK_BITS) >> 31 == 0;
                if same_half && (if positive { first < py } else { first > py }) {
                    total.mono_bad += 1;
                    total.fail((*b << BLOCK_BITS) as u32, "not monotone (block boundary)");
                }
            }
            if let Some((_, last)) = r.ends {
                prev = Some((*b, last));
            }
        }

        // Budget.
        let bound = match (k.function, k.tier) {
            (Some(f), Some(t)) => budget(f, t),
            _ => Some(Bound::Ulp(0.0)),
        };
        let (budget_text, within) = match bound {
            Some(Bound::Ulp(b)) => (format!("{b} ULP"), total.max_ulp <= b),
            Some(Bound::Relative(r)) => (
                format!("2^{:.0} rel.", r.log2()),
                total.max_rel <= r,
            ),
            None => ("none".to_string(), false),
        };
        let checks_ok = total.nan_wrong == 0
            && total.lane_mismatch == 0
            && total.range_bad == 0
            && total.mono_bad == 0
            && total.odd_bad == 0
            && total.exact_bad == 0
            && total.tiny_bad == 0;
        let ok = within && checks_ok;
        failed |= !ok;
        let x = f32::from_bits(total.max_at);
        println!(
            "| {} | {:.3} | {:e} (0x{:08X}) | {} | {} | {} | {} | {} | {} |",
            k.name,
            total.max_ulp,
            x,
            total.max_at,
            if total.max_rel > 0.0 {
                format!("2^{:.2}", total.max_rel.log2())
            } else {
                "0".to_string()
            },
            total.over_half,
            total.over_one,
            total.over_two,
            budget_text,
            if ok { "pass" } else { "FAIL" }
        );
        if !ok {
            eprintln!(
                "  {}: NaN wrong {}, lane/scalar mismatches {}, out of range {}, non-monotone {}, \
                 not odd {}, inexact {}, tiny wrong {}, first problem: {:?} ({:.1}s)",
                k.name,
                total.nan_wrong,
                total.lane_mismatch,
                total.range_bad,
                total.mono_bad,
                total.odd_bad,
                total.exact_bad,
                total.tiny_bad,
                total
                    .first_bad
                    .map(|(b, w)| format!("{w} at {:e} (0x{b:08X})", f32::from_bits(b))),
                t0.elapsed().as_secs_f64()
            );
        } else {
            eprintln!("  {} done in {:.1}s", k.name, t0.elapsed().as_secs_f64());
        }
    }
    println!();
    if failed {
        println!("exhaustive check: FAILED (see the lines above)");
        std::process::exit(1);
    }
    println!("exhaustive check: all kernels within budget, all checks passed");
}

fn build_description() -> String {
    let mut f = vec![std::env::consts::ARCH.to_string()];
    for (on, name) in [
        (cfg!(target_feature = "sse2"), "sse2"),
        (cfg!(target_feature = "avx"), "avx"),
        (cfg!(target_feature = "avx2"), "avx2"),
        (cfg!(target_feature = "fma"), "fma"),
        (cfg!(target_feature = "avx512f"), "avx512f"),
    ] {
        if on {
            f.push(name.to_string());
        }
    }
    f.join("+")
}

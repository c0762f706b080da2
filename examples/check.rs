//! The exhaustive checker: every unary kernel, every tier, all 2^32 `f32` inputs.
//!
//! For each kernel it measures the error against an `f64` reference (SPEC.md section 4) and
//! prints the maximum, the input where it occurs, and how many inputs exceed 0.5, 1 and 2 ULP;
//! it checks that the `f32x8` lane path and the scalar path give the same bits, that NaN gives
//! NaN, that results stay in range, that sigmoid and tanh are monotone and tanh is odd to the
//! bit, that results flushed by the fast tier are tiny, and that the exact kernels (ReLU, step,
//! identity) are exact. It exits non-zero if any check fails or any budget of
//! `simd_activations::budget` is exceeded. It also prints a digest of every kernel's outputs, so
//! that another build can prove it computes the same bits without redoing the error analysis.
//!
//! ```text
//! cargo run --release --example check                    # everything, all 2^32 inputs
//! cargo run --release --example check -- tanh            # only functions named like "tanh"
//! cargo run --release --example check -- --stride 97     # every 97th bit pattern (quick look)
//! cargo run --release --example check -- --blocks 3e0 420   # bit patterns 0x3E000000..0x42000000
//! cargo run --release --example check -- --write-digests d.txt      # also save the digests
//! cargo run --release --example check -- --same-bits-as d.txt       # bit-identity only (fast)
//! ```
//!
//! Reference: the references of `simd_activations::reference` go through the `libm` crate; this
//! checker uses the platform's `f64` functions (`std`, i.e. the system libm), which are several
//! times faster, and cross-checks the two on every 65537th input (they must agree to 2^-40
//! relative, far below the 2^-24 that matters here).

#[path = "common/build.rs"]
mod build;
use build::build_description;
use simd_activations::budget::{budget, Bound, Function, Tier};
use simd_activations::reference::ulp_error;
use simd_activations::wide::f32x8;
use simd_activations::{fast, precise, reference};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

type Scalar = fn(f32) -> f32;
type Lanes = fn(f32x8) -> f32x8;

/// What a function promises beyond its error bound.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// `>= 0` (exp).
    NonNegative,
    /// In `[0, 1]`, monotone non-decreasing.
    Sigmoid,
    /// In `[-1, 1]`, monotone non-decreasing, odd to the bit.
    Tanh,
    /// Must equal the reference rounded to f32, bit for bit (NaN: same bits as the input).
    Exact,
}

struct Variant {
    name: &'static str,
    tier: Option<Tier>,
    scalar: Scalar,
    lanes: Lanes,
}

struct Func {
    name: &'static str,
    function: Option<Function>,
    /// Fast reference (platform libm) and the library's reference (libm crate).
    reference: fn(f32) -> f64,
    library_reference: fn(f32) -> f64,
    shape: Shape,
    variants: Vec<Variant>,
}

fn ref_exp(x: f32) -> f64 {
    f64::from(x).exp()
}
fn ref_sigmoid(x: f32) -> f64 {
    let x = f64::from(x);
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
fn ref_tanh(x: f32) -> f64 {
    f64::from(x).tanh()
}

macro_rules! variant {
    ($name:literal, $tier:expr, $f:path) => {
        Variant {
            name: $name,
            tier: $tier,
            scalar: $f,
            lanes: $f,
        }
    };
}

fn functions() -> Vec<Func> {
    vec![
        Func {
            name: "exp",
            function: Some(Function::Exp),
            reference: ref_exp,
            library_reference: reference::exp,
            shape: Shape::NonNegative,
            variants: vec![
                variant!("exp/precise", Some(Tier::Precise), precise::exp),
                variant!("exp/fast", Some(Tier::Fast), fast::exp),
            ],
        },
        Func {
            name: "sigmoid",
            function: Some(Function::Sigmoid),
            reference: ref_sigmoid,
            library_reference: reference::sigmoid,
            shape: Shape::Sigmoid,
            variants: vec![
                variant!("sigmoid/precise", Some(Tier::Precise), precise::sigmoid),
                variant!("sigmoid/fast", Some(Tier::Fast), fast::sigmoid),
            ],
        },
        Func {
            name: "tanh",
            function: Some(Function::Tanh),
            reference: ref_tanh,
            library_reference: reference::tanh,
            shape: Shape::Tanh,
            variants: vec![
                variant!("tanh/precise", Some(Tier::Precise), precise::tanh),
                variant!("tanh/fast", Some(Tier::Fast), fast::tanh),
            ],
        },
        Func {
            name: "relu",
            function: None,
            reference: reference::relu,
            library_reference: reference::relu,
            shape: Shape::Exact,
            variants: vec![variant!("relu", None, simd_activations::relu)],
        },
        Func {
            name: "step",
            function: None,
            reference: reference::step,
            library_reference: reference::step,
            shape: Shape::Exact,
            variants: vec![variant!("step", None, simd_activations::step)],
        },
        Func {
            name: "identity",
            function: None,
            reference: reference::identity,
            library_reference: reference::identity,
            shape: Shape::Exact,
            variants: vec![variant!("identity", None, simd_activations::identity)],
        },
    ]
}

/// Per-block, per-variant results, merged afterwards.
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
    /// Results whose exact value is below 2^-126 and that are more than 2^-126 away from it
    /// (what the fast tier may flush must still be tiny).
    tiny_bad: u64,
    reference_bad: u64,
    first_bad: Option<(u32, &'static str)>,
    /// First and last non-NaN results of the block, for monotonicity across blocks.
    ends: Option<(f32, f32)>,
    /// Hash of the output bits of the block.
    digest: u64,
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
        self.reference_bad += o.reference_bad;
        if self.first_bad.is_none() {
            self.first_bad = o.first_bad;
        }
        // Blocks are merged in order, so this is a hash of all outputs in input order.
        self.digest = (self.digest ^ o.digest).wrapping_mul(0x0000_0100_0000_01B3);
    }
    fn checks_ok(&self) -> bool {
        self.nan_wrong == 0
            && self.lane_mismatch == 0
            && self.range_bad == 0
            && self.mono_bad == 0
            && self.odd_bad == 0
            && self.exact_bad == 0
            && self.tiny_bad == 0
            && self.reference_bad == 0
    }
}

const BLOCK_BITS: u32 = 20;

#[derive(Clone, Copy)]
struct Options {
    stride: u64,
    /// Only compute the outputs (lane vs scalar identity and digests); skip the reference.
    bits_only: bool,
}

/// Check the inputs `start, start + stride, ...` below `end`, for every variant of `f`.
fn check_block(f: &Func, start: u64, end: u64, opt: Options) -> Vec<Stats> {
    let mut all: Vec<Stats> = f
        .variants
        .iter()
        .map(|_| Stats {
            digest: 0xCBF2_9CE4_8422_2325,
            ..Stats::default()
        })
        .collect();
    let mut prev: Vec<Option<f32>> = vec![None; f.variants.len()];
    let mut xs = [0.0f32; 8];
    let mut bits = [0u32; 8];
    let mut i = start;
    while i < end {
        let mut n = 0;
        while n < 8 && i < end {
            bits[n] = i as u32;
            xs[n] = f32::from_bits(i as u32);
            n += 1;
            i += opt.stride;
        }
        let v = f32x8::new(xs);
        let lanes: Vec<[f32; 8]> = f.variants.iter().map(|k| (k.lanes)(v).to_array()).collect();
        for j in 0..n {
            let x = xs[j];
            let xb = bits[j];
            let exact = if x.is_nan() || opt.bits_only {
                f64::NAN
            } else {
                (f.reference)(x)
            };
            if !opt.bits_only && !x.is_nan() && xb % 65537 == 0 {
                let lib = (f.library_reference)(x);
                let agree = lib == exact
                    || (lib - exact).abs() <= exact.abs() * f64::from_bits((1023 - 40) << 52);
                if !agree {
                    all[0].reference_bad += 1;
                    all[0].fail(xb, "the two references disagree");
                }
            }
            for (vi, k) in f.variants.iter().enumerate() {
                let st = &mut all[vi];
                let y = lanes[vi][j];
                st.digest =
                    (st.digest ^ u64::from(y.to_bits())).wrapping_mul(0x0000_0100_0000_01B3);
                if (k.scalar)(x).to_bits() != y.to_bits() {
                    st.lane_mismatch += 1;
                    st.fail(xb, "lane and scalar results differ");
                }
                if opt.bits_only {
                    continue;
                }
                if x.is_nan() {
                    let ok = if f.shape == Shape::Exact {
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
                if f.shape == Shape::Exact {
                    if y.to_bits() != (exact as f32).to_bits() {
                        st.exact_bad += 1;
                        st.fail(xb, "exact kernel differs from the reference");
                    }
                    continue;
                }

                // Error in ULP, and relative error where the exact value is a normal f32.
                let e = ulp_error(y, exact);
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
                let in_range = match f.shape {
                    Shape::NonNegative => y >= 0.0,
                    Shape::Sigmoid => (0.0..=1.0).contains(&y),
                    Shape::Tanh => (-1.0..=1.0).contains(&y),
                    Shape::Exact => true,
                };
                if !in_range {
                    st.range_bad += 1;
                    st.fail(xb, "result out of range");
                }
                if f.shape == Shape::Tanh && (k.scalar)(-x).to_bits() != (-y).to_bits() {
                    st.odd_bad += 1;
                    st.fail(xb, "tanh(-x) != -tanh(x)");
                }
                if matches!(f.shape, Shape::Sigmoid | Shape::Tanh) {
                    // Bits grow with the value for positive floats and shrink for negative ones.
                    if let Some(p) = prev[vi] {
                        let bad = if xb >> 31 == 0 { y < p } else { y > p };
                        if bad {
                            st.mono_bad += 1;
                            st.fail(xb, "not monotone");
                        }
                    }
                    prev[vi] = Some(y);
                    st.ends = Some((st.ends.map_or(y, |e| e.0), y));
                }
            }
        }
    }
    all
}

fn main() {
    let mut filter: Option<String> = None;
    let mut opt = Options {
        stride: 1,
        bits_only: false,
    };
    let mut block_range = (0u64, 1u64 << (32 - BLOCK_BITS));
    let mut write_digests: Option<String> = None;
    let mut expect_digests: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--stride" => {
                opt.stride = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
            }
            "--blocks" => {
                // Only blocks of 2^20 bit patterns in [lo, hi), in hex: e.g. 3f0 410.
                let mut hex = || args.next().and_then(|s| u64::from_str_radix(&s, 16).ok());
                block_range = (hex().unwrap_or(0), hex().unwrap_or(1 << (32 - BLOCK_BITS)));
            }
            "--write-digests" => write_digests = args.next(),
            "--same-bits-as" => {
                expect_digests = args.next();
                opt.bits_only = true;
            }
            _ => filter = Some(a),
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let blocks = 1u64 << (32 - BLOCK_BITS);
    let whole = opt.stride == 1 && block_range == (0, blocks);
    println!(
        "exhaustive check: {} inputs per kernel, {} threads, build: {}{}",
        if whole {
            "all 2^32".to_string()
        } else {
            format!(
                "every {}th of bit patterns 0x{:08X}..0x{:08X} of",
                opt.stride,
                block_range.0 << BLOCK_BITS,
                (block_range.1 << BLOCK_BITS) - 1
            )
        },
        threads,
        build_description(),
        if opt.bits_only {
            " (bit-identity with a saved run only)"
        } else {
            ""
        }
    );
    println!();
    if !opt.bits_only {
        println!("| kernel | max ULP | at input | max rel. error | > 0.5 ULP | > 1 ULP | > 2 ULP | budget | result |");
        println!("|---|---|---|---|---|---|---|---|---|");
    }

    let mut failed = false;
    let mut digests = Vec::new();
    for f in functions() {
        if filter.as_deref().is_some_and(|w| !f.name.contains(w)) {
            continue;
        }
        let t0 = Instant::now();
        let next = AtomicU64::new(0);
        let mut results: Vec<(u64, Vec<Stats>)> = std::thread::scope(|s| {
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
                            let start = base.div_ceil(opt.stride) * opt.stride;
                            let end = base + (1 << BLOCK_BITS);
                            if start < end {
                                out.push((b, check_block(&f, start, end, opt)));
                            }
                        }
                        out
                    })
                })
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        results.sort_by_key(|r| r.0);

        for (vi, k) in f.variants.iter().enumerate() {
            let mut total = Stats::default();
            for (_, r) in &results {
                total.merge(&r[vi]);
            }
            // Monotonicity across block boundaries, within each sign half.
            let mut prev: Option<(u64, f32)> = None;
            for (b, r) in &results {
                if let (Some((pb, py)), Some((first, _))) = (prev, r[vi].ends) {
                    let same_half = (pb >> (31 - BLOCK_BITS)) == (b >> (31 - BLOCK_BITS));
                    let positive = (b << BLOCK_BITS) >> 31 == 0;
                    if same_half && (if positive { first < py } else { first > py }) {
                        total.mono_bad += 1;
                        total.fail((*b << BLOCK_BITS) as u32, "not monotone (block boundary)");
                    }
                }
                if let Some((_, last)) = r[vi].ends {
                    prev = Some((*b, last));
                }
            }
            digests.push(format!("{} {:016x}", k.name, total.digest));

            if opt.bits_only {
                let ok = total.lane_mismatch == 0;
                failed |= !ok;
                if !ok {
                    eprintln!(
                        "  {}: {} lane/scalar mismatches",
                        k.name, total.lane_mismatch
                    );
                }
                continue;
            }

            // Budget.
            let bound = match (f.function, k.tier) {
                (Some(func), Some(t)) => budget(func, t),
                _ => Some(Bound::Ulp(0.0)),
            };
            let (budget_text, within) = match bound {
                Some(Bound::Ulp(b)) => (format!("{b} ULP"), total.max_ulp <= b),
                Some(Bound::Relative(r)) => (format!("2^{:.0} rel.", r.log2()), total.max_rel <= r),
                None => ("none".to_string(), false),
            };
            let ok = within && total.checks_ok();
            failed |= !ok;
            let (at, rel_text) = match bound {
                Some(Bound::Relative(_)) => (total.max_rel_at, total.max_rel),
                _ => (total.max_at, total.max_rel),
            };
            println!(
                "| {} | {:.3} | {:e} (0x{:08X}) | {} | {} | {} | {} | {} | {} |",
                k.name,
                total.max_ulp,
                f32::from_bits(at),
                at,
                if rel_text > 0.0 {
                    format!("2^{:.2}", rel_text.log2())
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
                    "  {}: NaN wrong {}, lane/scalar mismatches {}, out of range {}, \
                     non-monotone {}, not odd {}, inexact {}, tiny wrong {}, references \
                     disagree {}, first problem: {:?}",
                    k.name,
                    total.nan_wrong,
                    total.lane_mismatch,
                    total.range_bad,
                    total.mono_bad,
                    total.odd_bad,
                    total.exact_bad,
                    total.tiny_bad,
                    total.reference_bad,
                    total
                        .first_bad
                        .map(|(b, w)| format!("{w} at {:e} (0x{b:08X})", f32::from_bits(b))),
                );
            }
        }
        eprintln!("  {} done in {:.1}s", f.name, t0.elapsed().as_secs_f64());
    }
    if digests.is_empty() {
        // A filter that matches nothing must not pass as a clean check.
        println!("exhaustive check: FAILED: no function matches {filter:?}");
        std::process::exit(1);
    }
    println!();
    println!("output digests:");
    for d in &digests {
        println!("  {d}");
    }
    if let Some(path) = write_digests {
        if let Err(e) = std::fs::write(&path, digests.join("\n") + "\n") {
            eprintln!("cannot write the digests to {path}: {e}");
            failed = true;
        }
    }
    if let Some(path) = expect_digests {
        match std::fs::read_to_string(&path) {
            Ok(saved) => {
                for d in &digests {
                    if !saved.lines().any(|l| l == d) {
                        println!("digest differs from {path}: {d}");
                        failed = true;
                    }
                }
            }
            Err(e) => {
                eprintln!("cannot read the saved digests {path}: {e}");
                failed = true;
            }
        }
    }
    println!();
    if failed {
        println!("exhaustive check: FAILED (see the lines above)");
        std::process::exit(1);
    }
    if opt.bits_only {
        println!("exhaustive check: every kernel computes the same bits as the saved run");
    } else {
        println!("exhaustive check: all kernels within budget, all checks passed");
    }
}

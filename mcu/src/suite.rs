//! The verification suite, shared word for word by the `verify` firmware and the host program
//! `tools/mcu/host` (which includes this file with `#[path]`), so that both print the same
//! report and the same checksums for the same inputs.
//!
//! It uses nothing but `core` and `simd_activations`: no allocation, no I/O. Lines of the
//! report go to a caller-supplied sink.
//!
//! What it checks, for every kernel of every tier (SPEC.md sections 2 to 5):
//! - the error against `simd_activations::reference` on [`input_count`] inputs (every special
//!   value and branch threshold, then a stride through all 2^32 bit patterns), within the
//!   budget of `simd_activations::budget` (exact kernels: the reference's bits);
//! - NaN in gives NaN out; the range and oddness promises; monotonicity along the sweep;
//! - scalar, `f32x4`, `f32x8`, `*_in_place` and `*_into` give the same bits;
//! - softmax rows against the reference row, lane vs slice vs batch bits.
//!
//! Each kernel's output bits over the input set are folded into two checksums: `raw` hashes
//! the bits as they are, `canon` first replaces every NaN by the one quiet NaN `0x7FC0_0000`
//! (so a difference in NaN payloads alone shows as `raw` differing while `canon` matches).

use core::fmt;
use simd_activations::budget::{budget, Bound, Function, Tier};
use simd_activations::wide::{f32x4, f32x8};
use simd_activations::{fast, precise, reference, Error, Lane};

/// The exact activations, which live at the crate root.
mod exact {
    pub use simd_activations::{identity, identity_in_place, identity_into};
    pub use simd_activations::{relu, relu_in_place, relu_into};
    pub use simd_activations::{step, step_in_place, step_into};
}

/// Where the report goes, one line per call.
pub type Sink<'a> = &'a mut dyn FnMut(fmt::Arguments<'_>);

/// Per-element softmax budget (ULP of the exact row result) for the precise tier: SPEC.md says
/// "a few"; the crate's tests hold it to 4, and so does this suite.
pub const SOFTMAX_PRECISE_ULP: f64 = 4.0;

/// The fast tier's relative bound when the crate's budget table has no line for it yet (SPEC.md
/// section 5: 2^-12).
pub const FAST_RELATIVE_DEFAULT: f64 = 1.0 / 4096.0;

/// Per-element relative softmax bound for the fast tier: one fast `exp` per element plus the
/// normalisation, so twice the unary bound.
pub const SOFTMAX_FAST_RELATIVE: f64 = 2.0 / 4096.0;

/// Step through the bit patterns: a prime, so every exponent and both signs get about 2046
/// inputs each, with low mantissa bits varying. 1 049 021 inputs per kernel in all: the
/// hard-float (Cortex-M4F) firmware and the host use it.
pub const STRIDE: u32 = 4099;

/// The sweep of the soft-float (ARMv6-M) firmware: a prime about four times [`STRIDE`], so
/// about 512 inputs per exponent and sign (263 405 in all). Every float operation there, the
/// f64 reference's included, is a library call, and the full sweep would take about ten
/// minutes of the CI budget; the kernels' code is the same as on the M4F, which runs the full
/// sweep.
pub const STRIDE_SOFT_FLOAT: u32 = 16381;

/// Inputs per block: not a multiple of 4 or 8, so the slice driver's remainder path runs.
const BLOCK: usize = 61;

/// Values around which the kernels change branch or the result changes regime; each is tried
/// with both signs and with its 16 neighbours on each side.
const ANCHORS: [f32; 18] = [
    1.0,
    0.5,
    2.0,
    0.346_573_6, // ln(2)/2: exp's range-reduction boundary
    core::f32::consts::LN_2,
    0.55,                  // precise tanh: polynomial / exp split
    0.625,                 // a common tanh split
    88.722_84,             // ln(f32::MAX): exp overflows above
    87.336_55,             // -87.33655: exp's result becomes subnormal below
    103.278_93,            // -103.27893: exp reaches the smallest subnormal
    103.972_08,            // -103.97208: exp rounds to zero below
    16.635_532,            // 24 ln 2: sigmoid rounds to 1 above
    17.328_68,             // 25 ln 2
    9.010_913,             // tanh rounds to 1 above
    8.317_766,             // 12 ln 2: tanh's tail regime
    0.000_244_140_63,      // 2^-12: tanh(x) = x below about here
    0.000_000_059_604_645, // 2^-24
    1.0e20,
];

/// Special bit patterns tried before the sweep: NaNs with several payloads, infinities, zeros,
/// subnormals, the normal extremes.
const SPECIAL_BITS: [u32; 24] = [
    0x7FC0_0000, // quiet NaN
    0xFFC0_0000, // negative quiet NaN
    0x7F80_0001, // signalling NaN
    0xFF80_0001,
    0x7FC1_2345, // quiet NaN with a payload
    0x7FFF_FFFF,
    0x7F80_0000, // +inf
    0xFF80_0000, // -inf
    0x0000_0000, // +0
    0x8000_0000, // -0
    0x0000_0001, // smallest subnormal
    0x8000_0001,
    0x0000_0002,
    0x0040_0000,
    0x007F_FFFF, // largest subnormal
    0x807F_FFFF,
    0x0080_0000, // f32::MIN_POSITIVE
    0x8080_0000,
    0x7F7F_FFFF, // f32::MAX
    0xFF7F_FFFF,
    0x3400_0000, // f32::EPSILON
    0x3F7F_FFFF, // just below 1
    0x42B1_7218, // 88.72284 (ln MAX), exactly
    0xC2CE_8ED0, // -103.27893
];

const NEIGHBOURS: u32 = 16;
const ANCHOR_COUNT: usize = ANCHORS.len() * 2 * (2 * NEIGHBOURS as usize + 1);
const SPECIAL_COUNT: usize = SPECIAL_BITS.len() + ANCHOR_COUNT;

/// How many inputs each unary kernel is checked on, with a sweep of `stride` (not zero).
pub const fn input_count(stride: u32) -> usize {
    SPECIAL_COUNT + (u32::MAX / stride) as usize + 1
}

/// The `i`-th input (`i < input_count(stride)`), and whether it belongs to the ascending sweep.
pub fn input(i: usize, stride: u32) -> (f32, bool) {
    if let Some(&b) = SPECIAL_BITS.get(i) {
        return (f32::from_bits(b), false);
    }
    let j = i - SPECIAL_BITS.len();
    if j < ANCHOR_COUNT {
        let per = 2 * NEIGHBOURS as usize + 1;
        let anchor = ANCHORS.get(j / per / 2).copied().unwrap_or(1.0);
        let signed = if (j / per).is_multiple_of(2) {
            anchor
        } else {
            -anchor
        };
        // Neighbours by bit pattern: the same sign, magnitudes just below and above.
        let offset = (j % per) as i64 - i64::from(NEIGHBOURS);
        let bits = (i64::from(signed.to_bits()) + offset) as u32;
        return (f32::from_bits(bits), false);
    }
    let k = (j - ANCHOR_COUNT) as u32;
    (f32::from_bits(k.wrapping_mul(stride)), true)
}

/// A 64-bit FNV-1a hash over the little-endian bytes of 32-bit words.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    /// The empty hash.
    pub const fn new() -> Self {
        Fnv(0xCBF2_9CE4_8422_2325)
    }

    /// Fold in one word.
    pub fn add(&mut self, w: u32) {
        for b in w.to_le_bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    /// The hash so far.
    pub fn value(self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Self::new()
    }
}

/// `y`'s bits with every NaN replaced by the quiet NaN `0x7FC0_0000`.
fn canonical(y: f32) -> u32 {
    if y.is_nan() {
        0x7FC0_0000
    } else {
        y.to_bits()
    }
}

/// What a kernel must satisfy beyond its error bound.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `exp`: non-negative.
    Exp,
    /// In `[0, 1]`, monotone.
    Sigmoid,
    /// In `[-1, 1]`, monotone, odd to the bit.
    Tanh,
    /// Exact: the reference's bits (NaN in, NaN out; identity keeps the bits).
    Exact,
}

/// The accuracy contract of a kernel.
#[derive(Clone, Copy)]
pub enum Contract {
    /// Must equal the reference rounded to `f32`, bit for bit.
    Exact,
    /// Within the budget of this function and tier.
    Budget(Function, Tier),
}

/// One unary kernel through every layer.
pub struct Unary {
    /// `module::function`.
    pub name: &'static str,
    /// Scalar layer.
    pub scalar: fn(f32) -> f32,
    /// `f32x4` lane layer.
    pub x4: fn(f32x4) -> f32x4,
    /// `f32x8` lane layer.
    pub x8: fn(f32x8) -> f32x8,
    /// Slice layer, in place.
    pub in_place: fn(&mut [f32]),
    /// Slice layer, `src -> dst`.
    pub into: fn(&[f32], &mut [f32]) -> Result<(), Error>,
    /// Accuracy contract.
    pub contract: Contract,
    /// Range and symmetry promises.
    pub shape: Shape,
}

/// One function: the reference, and its kernels (one per tier).
pub struct Family {
    /// The exact value in `f64`.
    pub reference: fn(f32) -> f64,
    /// Its kernels.
    pub kernels: &'static [Unary],
}

macro_rules! unary {
    ($m:ident :: $f:ident, $in_place:ident, $into:ident, $contract:expr, $shape:expr) => {
        Unary {
            name: concat!(stringify!($m), "::", stringify!($f)),
            scalar: $m::$f::<f32>,
            x4: $m::$f::<f32x4>,
            x8: $m::$f::<f32x8>,
            in_place: $m::$in_place,
            into: $m::$into,
            contract: $contract,
            shape: $shape,
        }
    };
}

const EXP_PRECISE: Unary = unary!(
    precise::exp,
    exp_in_place,
    exp_into,
    Contract::Budget(Function::Exp, Tier::Precise),
    Shape::Exp
);
const SIGMOID_PRECISE: Unary = unary!(
    precise::sigmoid,
    sigmoid_in_place,
    sigmoid_into,
    Contract::Budget(Function::Sigmoid, Tier::Precise),
    Shape::Sigmoid
);
const TANH_PRECISE: Unary = unary!(
    precise::tanh,
    tanh_in_place,
    tanh_into,
    Contract::Budget(Function::Tanh, Tier::Precise),
    Shape::Tanh
);
const EXP_FAST: Unary = unary!(
    fast::exp,
    exp_in_place,
    exp_into,
    Contract::Budget(Function::Exp, Tier::Fast),
    Shape::Exp
);
const SIGMOID_FAST: Unary = unary!(
    fast::sigmoid,
    sigmoid_in_place,
    sigmoid_into,
    Contract::Budget(Function::Sigmoid, Tier::Fast),
    Shape::Sigmoid
);
const TANH_FAST: Unary = unary!(
    fast::tanh,
    tanh_in_place,
    tanh_into,
    Contract::Budget(Function::Tanh, Tier::Fast),
    Shape::Tanh
);

const APPROXIMATED: [Family; 3] = [
    Family {
        reference: reference::exp,
        kernels: &[EXP_PRECISE, EXP_FAST],
    },
    Family {
        reference: reference::sigmoid,
        kernels: &[SIGMOID_PRECISE, SIGMOID_FAST],
    },
    Family {
        reference: reference::tanh,
        kernels: &[TANH_PRECISE, TANH_FAST],
    },
];

/// Every unary function with its kernels: the exact ones, then the approximated ones.
pub const FAMILIES: [Family; 6] = {
    let [exp, sigmoid, tanh] = APPROXIMATED;
    [
        Family {
            reference: reference::relu,
            kernels: &[unary!(
                exact::relu,
                relu_in_place,
                relu_into,
                Contract::Exact,
                Shape::Exact
            )],
        },
        Family {
            reference: reference::step,
            kernels: &[unary!(
                exact::step,
                step_in_place,
                step_into,
                Contract::Exact,
                Shape::Exact
            )],
        },
        Family {
            reference: reference::identity,
            kernels: &[unary!(
                exact::identity,
                identity_in_place,
                identity_into,
                Contract::Exact,
                Shape::Exact
            )],
        },
        exp,
        sigmoid,
        tanh,
    ]
};

/// The bound a contract stands for.
fn bound_of(contract: Contract) -> Bound {
    match contract {
        Contract::Exact => Bound::Ulp(0.0),
        Contract::Budget(f, t) => budget(f, t).unwrap_or(match t {
            Tier::Precise => Bound::Ulp(2.0),
            Tier::Fast => Bound::Relative(FAST_RELATIVE_DEFAULT),
        }),
    }
}

/// Relative error of `y` against `exact` (0 where both are zero or both NaN).
fn relative_error(y: f32, exact: f64) -> f64 {
    let yd = f64::from(y);
    if y.is_nan() || exact.is_nan() {
        return if y.is_nan() && exact.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if exact == 0.0 {
        return if yd == 0.0 { 0.0 } else { f64::INFINITY };
    }
    if y.is_infinite() && exact.abs() > f64::from(f32::MAX) && yd.signum() == exact.signum() {
        return 0.0;
    }
    (yd - exact).abs() / exact.abs()
}

/// Is `y` within `bound` of `exact`? Also returns the error in the bound's unit (for the
/// relative bound, results whose exact value is below 2^-126 contribute 0 when within it).
fn measure(bound: Bound, y: f32, exact: f64) -> (bool, f64) {
    match bound {
        Bound::Ulp(b) => {
            let e = reference::ulp_error(y, exact);
            (e <= b, e)
        }
        Bound::Relative(r) => {
            let tiny = f64::from(f32::MIN_POSITIVE);
            if !exact.is_nan() && !y.is_nan() && exact.abs() < tiny {
                // SPEC.md section 5: such results may be flushed to zero; the error must stay
                // below the smallest normal, with the right sign or zero.
                let yd = f64::from(y);
                let ok = (yd - exact).abs() <= tiny && (y == 0.0 || (yd < 0.0) == (exact < 0.0));
                return (ok, 0.0);
            }
            let e = relative_error(y, exact);
            (e <= r, e)
        }
    }
}

/// Running results of one kernel.
#[derive(Clone, Copy)]
struct Tally {
    max_err: f64,
    max_at: u32,
    over_budget: u64,
    first_over: Option<u32>,
    nan_wrong: u64,
    layers_differ: u64,
    first_layer_diff: Option<u32>,
    shape_bad: u64,
    first_shape_bad: Option<u32>,
    /// The last sweep input and its result, for the monotonicity check.
    prev: Option<(f32, f32)>,
    raw: Fnv,
    canon: Fnv,
}

impl Tally {
    const fn new() -> Self {
        Tally {
            max_err: 0.0,
            max_at: 0,
            over_budget: 0,
            first_over: None,
            nan_wrong: 0,
            layers_differ: 0,
            first_layer_diff: None,
            shape_bad: 0,
            first_shape_bad: None,
            prev: None,
            raw: Fnv::new(),
            canon: Fnv::new(),
        }
    }

    fn ok(&self) -> bool {
        self.over_budget == 0
            && self.nan_wrong == 0
            && self.layers_differ == 0
            && self.shape_bad == 0
    }

    fn shape_failure(&mut self, x: f32) {
        self.shape_bad += 1;
        self.first_shape_bad.get_or_insert(x.to_bits());
    }
}

/// Run `f` over `xs` in lanes of `V`, writing to `ys`; the last, partial lane is padded with
/// copies of the first input of the block.
fn through_lanes<V: Lane>(f: fn(V) -> V, xs: &[f32], ys: &mut [f32]) {
    let pad = xs.first().copied().unwrap_or(0.0);
    for (x, y) in xs.chunks(V::LANES).zip(ys.chunks_mut(V::LANES)) {
        let mut lane = [pad; 8];
        for (l, v) in lane.iter_mut().zip(x) {
            *l = *v;
        }
        let mut out = [0.0_f32; 8];
        f(V::read_from(&lane)).write_to(&mut out);
        for (o, v) in y.iter_mut().zip(out) {
            *o = v;
        }
    }
}

/// Check one kernel on one block of inputs, given the reference values.
fn check_block(k: &Unary, bound: Bound, xs: &[f32], sweep: &[bool], exact: &[f64], t: &mut Tally) {
    let n = xs.len();
    let mut ys = [0.0_f32; BLOCK];
    let mut other = [0.0_f32; BLOCK];
    let (ys, other) = (&mut ys[..n], &mut other[..n]);
    for (y, &x) in ys.iter_mut().zip(xs) {
        *y = (k.scalar)(x);
    }

    // Layers: each must give the scalar layer's bits.
    let compare = |other: &[f32], t: &mut Tally| {
        for ((a, b), x) in ys.iter().zip(other).zip(xs) {
            if a.to_bits() != b.to_bits() {
                t.layers_differ += 1;
                t.first_layer_diff.get_or_insert(x.to_bits());
            }
        }
    };
    other.copy_from_slice(xs);
    (k.in_place)(other);
    compare(other, t);
    other.fill(-1.0);
    if (k.into)(xs, other).is_err() {
        t.layers_differ += n as u64;
    }
    compare(other, t);
    through_lanes(k.x4, xs, other);
    compare(other, t);
    through_lanes(k.x8, xs, other);
    compare(other, t);

    for (((&x, &y), &e), &in_sweep) in xs.iter().zip(ys.iter()).zip(exact).zip(sweep) {
        t.raw.add(y.to_bits());
        t.canon.add(canonical(y));

        // Accuracy.
        let (ok, err) = if let Contract::Exact = k.contract {
            let want = e as f32;
            let ok = if x.is_nan() {
                y.is_nan() && (k.name != "exact::identity" || y.to_bits() == x.to_bits())
            } else {
                y.to_bits() == want.to_bits()
            };
            (ok, if ok { 0.0 } else { f64::INFINITY })
        } else {
            measure(bound, y, e)
        };
        if x.is_nan() != y.is_nan() {
            t.nan_wrong += 1;
        }
        if !ok {
            t.over_budget += 1;
            t.first_over.get_or_insert(x.to_bits());
        }
        if err > t.max_err && !x.is_nan() {
            t.max_err = err;
            t.max_at = x.to_bits();
        }

        // Range, oddness, monotonicity.
        if !x.is_nan() {
            let in_range = match k.shape {
                Shape::Exp => y >= 0.0,
                Shape::Sigmoid => (0.0..=1.0).contains(&y),
                Shape::Tanh => (-1.0..=1.0).contains(&y),
                Shape::Exact => true,
            };
            if !in_range {
                t.shape_failure(x);
            }
            if k.shape == Shape::Tanh && (k.scalar)(-x).to_bits() != (-y).to_bits() {
                t.shape_failure(x);
            }
        }
        if in_sweep && matches!(k.shape, Shape::Sigmoid | Shape::Tanh) {
            if let Some((px, py)) = t.prev {
                // Ascending bit patterns: ascending values for +, descending for -.
                let same_half = px.is_sign_negative() == x.is_sign_negative();
                if same_half && !x.is_nan() && !px.is_nan() {
                    let monotone = if x.is_sign_negative() {
                        y <= py
                    } else {
                        y >= py
                    };
                    if !monotone {
                        t.shape_failure(x);
                    }
                }
            }
            t.prev = Some((x, y));
        }
    }
}

/// Check every unary kernel on the inputs of a sweep of `stride` (not zero); prints one line
/// per kernel and returns whether all passed.
pub fn check_unary(out: Sink<'_>, stride: u32) -> bool {
    let count = input_count(stride);
    out(format_args!(
        "unary kernels: {} inputs each ({} special and threshold values, then every {}th bit pattern)",
        count,
        SPECIAL_COUNT,
        stride
    ));
    out(format_args!(
        "{:<18} {:>6} {:>12} {:>12} {:>8} {:>6} {:>6} {:>6} {:>18} {:>18}",
        "kernel",
        "result",
        "max error",
        "at input",
        "budget",
        "over",
        "layers",
        "shape",
        "raw checksum",
        "canon checksum"
    ));
    let mut all_ok = true;
    for fam in FAMILIES.iter() {
        let mut tallies = [Tally::new(); 2];
        let mut i = 0;
        while i < count {
            let n = BLOCK.min(count - i);
            let mut xs = [0.0_f32; BLOCK];
            let mut sweep = [false; BLOCK];
            let mut exact = [0.0_f64; BLOCK];
            for j in 0..n {
                let (x, s) = input(i + j, stride);
                if let (Some(xv), Some(sv), Some(ev)) =
                    (xs.get_mut(j), sweep.get_mut(j), exact.get_mut(j))
                {
                    *xv = x;
                    *sv = s;
                    *ev = (fam.reference)(x);
                }
            }
            for (k, t) in fam.kernels.iter().zip(tallies.iter_mut()) {
                let bound = bound_of(k.contract);
                check_block(k, bound, &xs[..n], &sweep[..n], &exact[..n], t);
            }
            i += n;
        }
        for (k, t) in fam.kernels.iter().zip(tallies.iter()) {
            let ok = t.ok();
            all_ok &= ok;
            let budget = match bound_of(k.contract) {
                Bound::Ulp(0.0) => Budgeted::Exact,
                Bound::Ulp(b) => Budgeted::Ulp(b),
                Bound::Relative(r) => Budgeted::Rel(r),
            };
            out(format_args!(
                "{:<18} {:>6} {:>12} {:>12} {:>8} {:>6} {:>6} {:>6} {:#018x} {:#018x}",
                k.name,
                if ok { "ok" } else { "FAIL" },
                ErrorText(t.max_err, budget),
                Hex(t.max_at),
                budget,
                t.over_budget,
                t.layers_differ,
                t.shape_bad + t.nan_wrong,
                t.raw.value(),
                t.canon.value()
            ));
            if let Some(x) = t.first_over {
                out(format_args!(
                    "  first input over budget: {:#010x} ({:e})",
                    x,
                    f32::from_bits(x)
                ));
            }
            if let Some(x) = t.first_layer_diff {
                out(format_args!(
                    "  first input where layers differ: {:#010x} ({:e})",
                    x,
                    f32::from_bits(x)
                ));
            }
            if let Some(x) = t.first_shape_bad {
                out(format_args!(
                    "  first input breaking range/odd/monotone: {:#010x} ({:e})",
                    x,
                    f32::from_bits(x)
                ));
            }
        }
    }
    all_ok
}

/// A budget, for printing.
#[derive(Clone, Copy)]
enum Budgeted {
    Exact,
    Ulp(f64),
    Rel(f64),
}

impl fmt::Display for Budgeted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match *self {
            Budgeted::Exact => return f.pad("exact"),
            Budgeted::Ulp(b) => Fixed(b, "ulp"),
            Budgeted::Rel(r) => Fixed(r * 4096.0, "/4096"),
        };
        f.pad(s.text().as_str())
    }
}

/// An error in its bound's unit, for printing.
struct ErrorText(f64, Budgeted);

impl fmt::Display for ErrorText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self.1 {
            Budgeted::Exact if self.0 == 0.0 => return f.pad("exact"),
            Budgeted::Exact | Budgeted::Ulp(_) => Fixed(self.0, "ulp"),
            Budgeted::Rel(_) => Fixed(self.0 * 4096.0, "/4096"),
        };
        f.pad(s.text().as_str())
    }
}

/// `value` with three decimals and a unit, formatted without `{:.3}` padding quirks.
struct Fixed(f64, &'static str);

impl Fixed {
    fn text(&self) -> Text {
        let mut t = Text::new();
        let _ = fmt::write(&mut t, format_args!("{:.3} {}", self.0, self.1));
        t
    }
}

/// A short fixed-capacity string.
struct Text {
    buf: [u8; 32],
    len: usize,
}

impl Text {
    fn new() -> Self {
        Text {
            buf: [0; 32],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(..self.len).unwrap_or(&[])).unwrap_or("?")
    }
}

impl fmt::Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}

/// A bit pattern, for printing.
struct Hex(u32);

impl fmt::Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Text::new();
        let _ = fmt::write(&mut t, format_args!("{:#010x}", self.0));
        f.pad(t.as_str())
    }
}

// ---- softmax ---------------------------------------------------------------------------------

/// A small deterministic generator (xorshift32), the same on every target.
pub struct Rng(u32);

impl Rng {
    /// Seeded; a zero seed is replaced.
    pub fn new(seed: u32) -> Self {
        Rng(if seed == 0 { 0x9E37_79B9 } else { seed })
    }

    /// Next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f32 {
        (self.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }
}

/// Rows checked per softmax tier.
pub const SOFTMAX_ROWS: usize = 8000;
const MAX_ROW: usize = 40;

/// The `r`-th test row: its length and values. The first rows are the special rows of SPEC.md
/// section 3, the rest random with spreads from 0.01 to 200.
fn softmax_row(r: usize, rng: &mut Rng, row: &mut [f32; MAX_ROW]) -> usize {
    let nan = f32::NAN;
    let inf = f32::INFINITY;
    let specials: [&[f32]; 8] = [
        &[1.0, nan, 2.0],
        &[inf, 1.0, inf, -3.0, 0.0],
        &[-inf, -inf, -inf, -inf],
        &[-inf, 3.0, -inf, 2.0, 1.0, 0.0, -1.0, -2.0, -inf],
        &[88.0, 89.0, 90.0, 1.0e30, -1.0e30],
        &[-200.0, -150.0, -100.0, -50.0],
        &[0.0; 17],
        &[1.0e-40, -1.0e-40, 0.0, -0.0],
    ];
    if let Some(s) = specials.get(r) {
        for (d, v) in row.iter_mut().zip(s.iter()) {
            *d = *v;
        }
        return s.len();
    }
    let len = 1 + (rng.next_u32() as usize % MAX_ROW);
    let spread = [0.01_f32, 1.0, 5.0, 20.0, 200.0]
        .get(rng.next_u32() as usize % 5)
        .copied()
        .unwrap_or(1.0);
    let centre = (rng.unit() - 0.5) * 100.0;
    for v in row.iter_mut().take(len) {
        *v = centre + (rng.unit() - 0.5) * spread;
    }
    len
}

/// A batch softmax from `src` to `dst` with rows of the given length.
pub type BatchInto = fn(&[f32], &mut [f32], usize) -> Result<(), Error>;

/// One softmax tier through every layer.
pub struct Softmax {
    /// `module::softmax`.
    pub name: &'static str,
    /// In place, one row.
    pub in_place: fn(&mut [f32]),
    /// `src -> dst`, one row.
    pub into: fn(&[f32], &mut [f32]) -> Result<(), Error>,
    /// In place, a batch.
    pub batch_in_place: fn(&mut [f32], usize) -> Result<(), Error>,
    /// `src -> dst`, a batch.
    pub batch_into: BatchInto,
    /// The lanes of an `f32x4` as one row.
    pub x4: fn(f32x4) -> f32x4,
    /// The lanes of an `f32x8` as one row.
    pub x8: fn(f32x8) -> f32x8,
    /// Per-element bound against the exact row.
    pub bound: Bound,
}

macro_rules! softmax_tier {
    ($m:ident, $bound:expr) => {
        Softmax {
            name: concat!(stringify!($m), "::softmax"),
            in_place: $m::softmax_in_place,
            into: $m::softmax_into,
            batch_in_place: $m::softmax_batch_in_place,
            batch_into: $m::softmax_batch_into,
            x4: $m::softmax::<f32x4>,
            x8: $m::softmax::<f32x8>,
            bound: $bound,
        }
    };
}

/// Every softmax tier.
pub const SOFTMAXES: [Softmax; 2] = [
    softmax_tier!(precise, Bound::Ulp(SOFTMAX_PRECISE_ULP)),
    softmax_tier!(fast, Bound::Relative(SOFTMAX_FAST_RELATIVE)),
];

/// Check every softmax tier on [`SOFTMAX_ROWS`] rows; prints one line per tier.
pub fn check_softmax(out: Sink<'_>) -> bool {
    let mut all_ok = true;
    for s in SOFTMAXES.iter() {
        let mut rng = Rng::new(0x5EED_0001);
        let mut max_err = 0.0_f64;
        let mut over = 0u64;
        let mut first_over: Option<usize> = None;
        let mut layers_differ = 0u64;
        let mut first_diff: Option<usize> = None;
        let mut raw = Fnv::new();
        let mut canon = Fnv::new();
        let mut elements = 0u64;
        for r in 0..SOFTMAX_ROWS {
            let mut row = [0.0_f32; MAX_ROW];
            let len = softmax_row(r, &mut rng, &mut row);
            let src = &row[..len];

            let mut y = [0.0_f32; MAX_ROW];
            let y = &mut y[..len];
            y.copy_from_slice(src);
            (s.in_place)(y);
            let mut exact = [0.0_f64; MAX_ROW];
            let exact = &mut exact[..len];
            let ref_ok = reference::softmax_into(src, exact).is_ok();
            for (&v, &e) in y.iter().zip(exact.iter()) {
                elements += 1;
                raw.add(v.to_bits());
                canon.add(canonical(v));
                let (ok, err) = measure(s.bound, v, e);
                if !ok || !ref_ok {
                    over += 1;
                    first_over.get_or_insert(r);
                }
                if err > max_err && !e.is_nan() {
                    max_err = err;
                }
            }

            // Layers: into, batch (this row three times), and lanes for rows of 4 and 8.
            let mut differ = false;
            let mut other = [0.0_f32; MAX_ROW];
            let other = &mut other[..len];
            differ |= (s.into)(src, other).is_err() || !same_bits(y, other);
            let mut batch = [0.0_f32; 3 * MAX_ROW];
            let batch = &mut batch[..3 * len];
            for c in batch.chunks_mut(len) {
                c.copy_from_slice(src);
            }
            let mut batch_out = [0.0_f32; 3 * MAX_ROW];
            let batch_out = &mut batch_out[..3 * len];
            differ |= (s.batch_into)(batch, batch_out, len).is_err();
            differ |= (s.batch_in_place)(batch, len).is_err();
            for (a, b) in batch.chunks(len).zip(batch_out.chunks(len)) {
                differ |= !same_bits(y, a) || !same_bits(y, b);
            }
            if len == 4 {
                let mut lane = [0.0_f32; 4];
                (s.x4)(f32x4::read_from(src)).write_to(&mut lane);
                differ |= !same_bits(y, &lane);
            }
            if len == 8 {
                let mut lane = [0.0_f32; 8];
                (s.x8)(f32x8::read_from(src)).write_to(&mut lane);
                differ |= !same_bits(y, &lane);
            }
            if differ {
                layers_differ += 1;
                first_diff.get_or_insert(r);
            }
        }
        let ok = over == 0 && layers_differ == 0;
        all_ok &= ok;
        let (err, budget) = match s.bound {
            Bound::Ulp(b) => (ErrorText(max_err, Budgeted::Ulp(b)), Budgeted::Ulp(b)),
            Bound::Relative(r) => (ErrorText(max_err, Budgeted::Rel(r)), Budgeted::Rel(r)),
        };
        out(format_args!(
            "{:<18} {:>6} {:>12} {:>12} {:>8} {:>6} {:>6} {:>6} {:#018x} {:#018x}",
            s.name,
            if ok { "ok" } else { "FAIL" },
            err,
            "-",
            budget,
            over,
            layers_differ,
            0,
            raw.value(),
            canon.value()
        ));
        out(format_args!(
            "  {} rows, {} elements (special rows of SPEC.md section 3, then random lengths 1 to {})",
            SOFTMAX_ROWS, elements, MAX_ROW
        ));
        if let Some(r) = first_over {
            out(format_args!("  first row over budget: row {r}"));
        }
        if let Some(r) = first_diff {
            out(format_args!("  first row where layers differ: row {r}"));
        }
    }
    all_ok
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// The whole suite, with the unary sweep of `stride` ([`STRIDE`] or [`STRIDE_SOFT_FLOAT`]);
/// returns whether everything passed. Prints `PASS`/`FAIL` last.
pub fn run(out: Sink<'_>, stride: u32) -> bool {
    let unary_ok = check_unary(out, stride);
    let softmax_ok = check_softmax(out);
    let ok = unary_ok && softmax_ok;
    out(format_args!("verify: {}", if ok { "PASS" } else { "FAIL" }));
    ok
}

//! The contract every fuzz target asserts (SPEC.md and issue 6), shared by the targets in
//! `fuzz_targets/`.
//!
//! Not only "no crash": each result is held to its budget against [`reference`] (SPEC.md
//! section 4), to its range and special values (section 3), to bit-identity between the scalar,
//! lane and slice layers and between positions (section 2), and every refused call must leave
//! its output untouched (section 6).
//!
//! Inputs are decoded from the fuzzer's bytes by [`Input`]: a flags byte, a length byte, then
//! little-endian `f32` values, four bytes each, so the dictionary `fuzz/activations.dict` can
//! splice special values in whole.

use simd_activations::budget::{budget, Bound, Function, Tier, FAST_RELATIVE};
use simd_activations::wide::{f32x4, f32x8};
use simd_activations::{fast, precise, reference, Error};

/// Written to every output buffer before a call, so an element the call did not write shows.
pub const SENTINEL: f32 = -12345.678;
/// Per-element softmax budget in `f32` ULP of the exact row result. SPEC.md says "a few" and
/// the crate's budget table has no softmax line yet, so the targets hold it to this.
pub const SOFTMAX_ULP: f64 = 4.0;
/// The largest `x > 0` whose exact `tanh` rounds to `x` itself (mpmath, from
/// `tools/regress/expected.py`); up to it the precise tier must return its input.
pub const TANH_IDENTITY_LAST: u32 = 0x39B8_9BA2;

type Into = fn(&[f32], &mut [f32]) -> Result<(), Error>;

/// The mathematical function a kernel computes, for its special values and range.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Exp,
    Sigmoid,
    Tanh,
    Relu,
    Step,
    Identity,
}

/// One unary kernel through every layer.
#[derive(Clone, Copy)]
pub struct Unary {
    pub name: &'static str,
    pub kind: Kind,
    pub scalar: fn(f32) -> f32,
    pub x4: fn(f32x4) -> f32x4,
    pub x8: fn(f32x8) -> f32x8,
    pub in_place: fn(&mut [f32]),
    pub into: Into,
    pub reference: fn(f32) -> f64,
    /// `Bound::Ulp(0.0)` for the exact kernels.
    pub bound: Bound,
    /// Subnormal results are kept (precise tier, exact kernels), not flushed.
    pub keeps_subnormals: bool,
}

macro_rules! unary {
    ($kind:ident, $m:path, $f:ident, $in_place:ident, $into:ident, $bound:expr, $keeps:expr) => {{
        use $m as m;
        Unary {
            name: concat!(stringify!($m), "::", stringify!($f)),
            kind: Kind::$kind,
            scalar: m::$f::<f32>,
            x4: m::$f::<f32x4>,
            x8: m::$f::<f32x8>,
            in_place: m::$in_place,
            into: m::$into,
            reference: reference::$f,
            bound: $bound,
            keeps_subnormals: $keeps,
        }
    }};
}

fn budget_of(function: Function, tier: Tier) -> Bound {
    match budget(function, tier) {
        Some(b) => b,
        None => panic!("no budget for {function:?} in {tier:?}"),
    }
}

/// The precise and the fast kernel of one approximated function.
macro_rules! both_tiers {
    ($kind:ident, $f:ident, $in_place:ident, $into:ident) => {
        vec![
            unary!(
                $kind,
                simd_activations::precise,
                $f,
                $in_place,
                $into,
                budget_of(Function::$kind, Tier::Precise),
                true
            ),
            unary!(
                $kind,
                simd_activations::fast,
                $f,
                $in_place,
                $into,
                budget_of(Function::$kind, Tier::Fast),
                false
            ),
        ]
    };
}

/// Every kernel of `kind`: one per tier for the approximated functions, one for the exact.
pub fn kernels(kind: Kind) -> Vec<Unary> {
    let exact = Bound::Ulp(0.0);
    match kind {
        Kind::Exp => both_tiers!(Exp, exp, exp_in_place, exp_into),
        Kind::Sigmoid => both_tiers!(Sigmoid, sigmoid, sigmoid_in_place, sigmoid_into),
        Kind::Tanh => both_tiers!(Tanh, tanh, tanh_in_place, tanh_into),
        Kind::Relu => vec![unary!(
            Relu,
            simd_activations,
            relu,
            relu_in_place,
            relu_into,
            exact,
            true
        )],
        Kind::Step => vec![unary!(
            Step,
            simd_activations,
            step,
            step_in_place,
            step_into,
            exact,
            true
        )],
        Kind::Identity => vec![unary!(
            Identity,
            simd_activations,
            identity,
            identity_in_place,
            identity_into,
            exact,
            true
        )],
    }
}

type Batch = fn(&mut [f32], usize) -> Result<(), Error>;
type BatchInto = fn(&[f32], &mut [f32], usize) -> Result<(), Error>;

/// Softmax of one tier through every entry point.
#[derive(Clone, Copy)]
pub struct Softmax {
    pub name: &'static str,
    pub in_place: fn(&mut [f32]),
    pub into: Into,
    pub batch_in_place: Batch,
    pub batch_into: BatchInto,
    pub scalar: fn(f32) -> f32,
    pub x4: fn(f32x4) -> f32x4,
    pub x8: fn(f32x8) -> f32x8,
    pub bound: Bound,
}

/// Softmax of every tier.
pub fn softmaxes() -> Vec<Softmax> {
    vec![
        Softmax {
            name: "precise::softmax",
            in_place: precise::softmax_in_place,
            into: precise::softmax_into,
            batch_in_place: precise::softmax_batch_in_place,
            batch_into: precise::softmax_batch_into,
            scalar: precise::softmax::<f32>,
            x4: precise::softmax::<f32x4>,
            x8: precise::softmax::<f32x8>,
            bound: Bound::Ulp(SOFTMAX_ULP),
        },
        Softmax {
            name: "fast::softmax",
            in_place: fast::softmax_in_place,
            into: fast::softmax_into,
            batch_in_place: fast::softmax_batch_in_place,
            batch_into: fast::softmax_batch_into,
            scalar: fast::softmax::<f32>,
            x4: fast::softmax::<f32x4>,
            x8: fast::softmax::<f32x8>,
            // Twice the fast `exp` bound: one for the numerator, one for the sum.
            bound: Bound::Relative(2.0 * FAST_RELATIVE),
        },
    ]
}

// ---- input decoding --------------------------------------------------------------------------

/// The fuzzer's bytes, decoded: `flags`, a length byte `len`, then `f32` values.
pub struct Input {
    pub flags: u8,
    pub len: u8,
    pub values: Vec<f32>,
}

impl Input {
    pub fn decode(data: &[u8]) -> Input {
        let (flags, len, rest) = match data {
            [f, l, rest @ ..] => (*f, *l, rest),
            [f] => (*f, 0, &[][..]),
            [] => (0, 0, &[][..]),
        };
        let values = rest
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Input { flags, len, values }
    }
}

// ---- checks ----------------------------------------------------------------------------------

pub fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

/// Is `y` within `bound` of the exact value `exact`?
pub fn within(bound: Bound, y: f32, exact: f64) -> bool {
    match bound {
        Bound::Ulp(b) => reference::ulp_error(y, exact) <= b,
        Bound::Relative(r) => {
            let tiny = f64::from(f32::MIN_POSITIVE);
            let yd = f64::from(y);
            if exact.is_nan() || y.is_nan() {
                exact.is_nan() && y.is_nan()
            } else if exact.abs() < tiny {
                // Results below 2^-126 may be flushed (SPEC.md section 5).
                (yd - exact).abs() <= tiny
            } else if y.is_infinite() || exact.abs() > f64::from(f32::MAX) {
                let big = f64::from(f32::MAX) * (1.0 - r);
                yd.signum() == exact.signum() && yd.abs() >= big && exact.abs() >= big
            } else {
                (yd - exact).abs() <= r * exact.abs()
            }
        }
    }
}

/// The special values of SPEC.md section 3 for `kind` at `x`, where the table fixes them.
/// `None` where the result is only bounded.
fn special(kind: Kind, x: f32) -> Option<f32> {
    let inf = f32::INFINITY;
    match kind {
        Kind::Exp if x == inf => Some(inf),
        Kind::Exp if x == -inf => Some(0.0),
        Kind::Exp if x == 0.0 => Some(1.0),
        Kind::Sigmoid if x == inf => Some(1.0),
        Kind::Sigmoid if x == -inf => Some(0.0),
        Kind::Sigmoid if x == 0.0 => Some(0.5),
        Kind::Tanh if x.is_infinite() => Some(x.signum()),
        Kind::Tanh if x.abs().to_bits() <= TANH_IDENTITY_LAST => Some(x),
        Kind::Relu if !x.is_nan() => Some(if x > 0.0 { x } else { 0.0 }),
        Kind::Step if !x.is_nan() => Some(if x < 0.0 { 0.0 } else { 1.0 }),
        Kind::Identity => Some(x),
        _ => None,
    }
}

/// `y` is `u`'s scalar result for `x`: budget, NaN, special values, range, oddness and
/// monotonicity.
pub fn check_scalar(u: &Unary, x: f32, y: f32) {
    let r = (u.reference)(x);
    assert!(
        within(u.bound, y, r),
        "{}({x:e} = {:#010x}) = {y:e} ({:#010x}); exact {r:e}, {:.3} ULP, budget {:?}",
        u.name,
        x.to_bits(),
        y.to_bits(),
        reference::ulp_error(y, r),
        u.bound
    );
    if x.is_nan() {
        assert!(y.is_nan(), "{}(NaN) = {y:e}", u.name);
        if matches!(u.kind, Kind::Relu | Kind::Step | Kind::Identity) {
            assert!(
                same(x, y),
                "{}(NaN {:#010x}) changed its bits",
                u.name,
                x.to_bits()
            );
        }
        return;
    }
    let tiny_ok = u.keeps_subnormals || x.abs() >= f32::MIN_POSITIVE;
    if let Some(s) = special(u.kind, x) {
        if tiny_ok {
            assert!(same(y, s), "{}({x:e}) = {y:e}, must be {s:e}", u.name);
        }
    }
    match u.kind {
        Kind::Exp => assert!(y >= 0.0, "{}({x:e}) = {y:e} < 0", u.name),
        Kind::Sigmoid => assert!((0.0..=1.0).contains(&y), "{}({x:e}) = {y:e}", u.name),
        Kind::Tanh => {
            assert!((-1.0..=1.0).contains(&y), "{}({x:e}) = {y:e}", u.name);
            let n = (u.scalar)(-x);
            assert!(
                same(n, -y),
                "{}: f(-x) = {n:e} but -f(x) = {:e}",
                u.name,
                -y
            );
        }
        Kind::Relu => assert!(!same(y, -0.0), "{}({x:e}) = -0", u.name),
        _ => {}
    }
    if matches!(u.kind, Kind::Sigmoid | Kind::Tanh) && x < f32::MAX {
        let up = f32::from_bits(if x == 0.0 {
            1
        } else if x > 0.0 {
            x.to_bits() + 1
        } else {
            x.to_bits() - 1
        });
        let yu = (u.scalar)(up);
        assert!(
            yu >= y,
            "{} not monotone: f({x:e}) = {y:e} > f({up:e}) = {yu:e}",
            u.name
        );
    }
}

/// The unary slice contract on one input: every element checked, in place and into agree
/// with the scalar layer bit for bit, also at a shifted position, and a mismatched `into`
/// is refused without writing.
pub fn unary_slice(kind: Kind, data: &[u8]) {
    let input = Input::decode(data);
    let xs = &input.values;
    let n = xs.len();
    for u in kernels(kind) {
        let want: Vec<f32> = xs.iter().map(|&x| (u.scalar)(x)).collect();
        for (&x, &y) in xs.iter().zip(&want) {
            check_scalar(&u, x, y);
        }

        let mut ip = xs.clone();
        (u.in_place)(&mut ip);
        let mut dst = vec![SENTINEL; n];
        assert_eq!(
            (u.into)(xs, &mut dst),
            Ok(()),
            "{}: into refused equal lengths",
            u.name
        );
        for i in 0..n {
            assert!(
                same(ip[i], want[i]),
                "{} in_place [{i}] of {n} differs",
                u.name
            );
            assert!(
                same(dst[i], want[i]),
                "{} into [{i}] of {n} differs",
                u.name
            );
        }

        // The same values at another offset from the start (another split into f32x8 chunks
        // and remainder) give the same bits.
        let shift = usize::from(input.flags % 8);
        let mut shifted = vec![0.5f32; shift];
        shifted.extend_from_slice(xs);
        (u.in_place)(&mut shifted);
        for i in 0..n {
            assert!(
                same(shifted[shift + i], want[i]),
                "{} shifted by {shift} [{i}]",
                u.name
            );
        }

        // A destination of another length is refused, and left as it was.
        let m = mismatched_len(n, input.len);
        let mut dst = vec![SENTINEL; m];
        let got = (u.into)(xs, &mut dst);
        assert_eq!(
            got,
            Err(Error::LengthMismatch { src: n, dst: m }),
            "{}",
            u.name
        );
        assert!(
            dst.iter().all(|&v| same(v, SENTINEL)),
            "{}: refused into wrote",
            u.name
        );
    }
}

/// A length different from `n`, chosen by `b`: shorter or longer by up to 128.
pub fn mismatched_len(n: usize, b: u8) -> usize {
    let d = usize::from(b & 0x7F) + 1;
    if b & 0x80 != 0 && n >= d {
        n - d
    } else {
        n + d
    }
}

// ---- softmax ---------------------------------------------------------------------------------

/// The softmax row contract: special rows exact, every element within budget of the reference
/// and in [0, 1], the sum near 1.
pub fn check_softmax_row(s: &Softmax, row: &[f32], y: &[f32]) {
    assert_eq!(row.len(), y.len());
    if row.is_empty() {
        return;
    }
    let ninf = f32::NEG_INFINITY;
    if row.iter().any(|v| v.is_nan()) {
        assert!(
            y.iter().all(|v| v.is_nan()),
            "{}({row:?}) = {y:?}: not all NaN",
            s.name
        );
        return;
    }
    let k = row.iter().filter(|&&v| v == f32::INFINITY).count();
    if k > 0 {
        let share = 1.0 / k as f32;
        for (&x, &v) in row.iter().zip(y) {
            let want = if x == f32::INFINITY { share } else { 0.0 };
            assert!(same(v, want), "{}({row:?}) = {y:?}: +inf rule", s.name);
        }
        return;
    }
    if row.iter().all(|&v| v == ninf) {
        assert!(
            y.iter().all(|&v| same(v, 0.0)),
            "{}({row:?}) = {y:?}: masked row",
            s.name
        );
        return;
    }
    let mut exact = vec![0.0f64; row.len()];
    assert_eq!(reference::softmax_into(row, &mut exact), Ok(()));
    let mut sum = 0.0f64;
    for (i, ((&x, &v), &e)) in row.iter().zip(y).zip(&exact).enumerate() {
        assert!(
            within(s.bound, v, e) && (0.0..=1.0).contains(&v),
            "{}: row of {} [{i}] = {x:e} gives {v:e} ({:#010x}); exact {e:e}, {:.3} ULP",
            s.name,
            row.len(),
            v.to_bits(),
            reference::ulp_error(v, e)
        );
        if x == ninf {
            assert!(same(v, 0.0), "{}: -inf entry gives {v:e}", s.name);
        }
        sum += f64::from(v);
    }
    let slack = match s.bound {
        Bound::Ulp(b) => b * f64::from(f32::EPSILON),
        Bound::Relative(r) => r,
    };
    assert!(
        (sum - 1.0).abs() <= slack + 1e-44 * row.len() as f64,
        "{}: row of {} sums to {sum}",
        s.name,
        row.len()
    );
}

/// The softmax row contract on one input: in place, into, the lane layer for rows of 1, 4 and
/// 8, and a mismatched `into` refused without writing.
pub fn softmax_row(data: &[u8]) {
    let input = Input::decode(data);
    let row = &input.values;
    let n = row.len();
    for s in softmaxes() {
        let mut y = row.clone();
        (s.in_place)(&mut y);
        check_softmax_row(&s, row, &y);

        let mut dst = vec![SENTINEL; n];
        assert_eq!((s.into)(row, &mut dst), Ok(()));
        assert!(
            dst.iter().zip(&y).all(|(a, b)| same(*a, *b)),
            "{}: into differs",
            s.name
        );

        match *row.as_slice() {
            [a] => assert!(same((s.scalar)(a), y[0]), "{}: scalar differs", s.name),
            [a, b, c, d] => {
                let v = (s.x4)(f32x4::new([a, b, c, d])).to_array();
                assert!(
                    v.iter().zip(&y).all(|(a, b)| same(*a, *b)),
                    "{}: f32x4",
                    s.name
                );
            }
            [a, b, c, d, e, f, g, h] => {
                let v = (s.x8)(f32x8::new([a, b, c, d, e, f, g, h])).to_array();
                assert!(
                    v.iter().zip(&y).all(|(a, b)| same(*a, *b)),
                    "{}: f32x8",
                    s.name
                );
            }
            _ => {}
        }

        let m = mismatched_len(n, input.len);
        let mut dst = vec![SENTINEL; m];
        let got = (s.into)(row, &mut dst);
        assert_eq!(
            got,
            Err(Error::LengthMismatch { src: n, dst: m }),
            "{}",
            s.name
        );
        assert!(
            dst.iter().all(|&v| same(v, SENTINEL)),
            "{}: refused into wrote",
            s.name
        );
    }
}

/// The softmax batch contract on one input, with an arbitrary row length (zero included):
/// either every row gives the bits it gives alone, or the batch is refused with the right
/// error and nothing is written; `batch_into` checks the lengths first.
pub fn softmax_batch(data: &[u8]) {
    let input = Input::decode(data);
    let src = &input.values;
    let len = src.len();
    // Row lengths up to 64, with 0 and the whole length reachable.
    let row_len = match input.flags {
        255 => len,
        f => usize::from(f % 65),
    };
    let ragged = len != 0 && (row_len == 0 || !len.is_multiple_of(row_len));
    for s in softmaxes() {
        let mut data = src.clone();
        let got = (s.batch_in_place)(&mut data, row_len);
        let mut dst = vec![SENTINEL; len];
        let got_into = (s.batch_into)(src, &mut dst, row_len);
        if ragged {
            let err = Err(Error::RaggedBatch { len, row_len });
            assert_eq!(got, err, "{}", s.name);
            assert_eq!(got_into, err, "{}", s.name);
            assert!(
                data.iter().zip(src).all(|(a, b)| same(*a, *b)),
                "{}: wrote",
                s.name
            );
            assert!(
                dst.iter().all(|&v| same(v, SENTINEL)),
                "{}: into wrote",
                s.name
            );
        } else {
            assert_eq!(got, Ok(()), "{}: {len} by {row_len}", s.name);
            assert_eq!(got_into, Ok(()), "{}: {len} by {row_len}", s.name);
            if row_len != 0 {
                for (k, ((x, y), d)) in src
                    .chunks(row_len)
                    .zip(data.chunks(row_len))
                    .zip(dst.chunks(row_len))
                    .enumerate()
                {
                    let mut alone = x.to_vec();
                    (s.in_place)(&mut alone);
                    let ok = alone
                        .iter()
                        .zip(y)
                        .zip(d)
                        .all(|((a, b), c)| same(*a, *b) && same(*a, *c));
                    assert!(
                        ok,
                        "{}: row {k} of {row_len} differs from the row alone",
                        s.name
                    );
                    check_softmax_row(&s, x, y);
                }
            }
        }

        // A destination of another length: LengthMismatch first, whatever the row length.
        let m = mismatched_len(len, input.len);
        let mut dst = vec![SENTINEL; m];
        let got = (s.batch_into)(src, &mut dst, row_len);
        assert_eq!(
            got,
            Err(Error::LengthMismatch { src: len, dst: m }),
            "{}",
            s.name
        );
        assert!(
            dst.iter().all(|&v| same(v, SENTINEL)),
            "{}: refused into wrote",
            s.name
        );
    }
}

// ---- lanes -----------------------------------------------------------------------------------

/// The lane and scalar layers: eight values (missing ones read as 0) through `f32x8`, each half
/// through `f32x4`, and each value through the scalar layer, for every kernel; the scalar
/// results checked against the contract. Softmax: the `f32x8` row, each `f32x4` half and each
/// single value as rows, against the slice layer and against the row contract.
pub fn lanes(data: &[u8]) {
    let input = Input::decode(data);
    let mut v = [0.0f32; 8];
    for (d, s) in v.iter_mut().zip(&input.values) {
        *d = *s;
    }
    let [a, b, c, d, e, f, g, h] = v;
    let kinds = [
        Kind::Exp,
        Kind::Sigmoid,
        Kind::Tanh,
        Kind::Relu,
        Kind::Step,
        Kind::Identity,
    ];
    for kind in kinds {
        for u in kernels(kind) {
            let y8 = (u.x8)(f32x8::new(v)).to_array();
            let lo = (u.x4)(f32x4::new([a, b, c, d])).to_array();
            let hi = (u.x4)(f32x4::new([e, f, g, h])).to_array();
            for i in 0..8 {
                let s = (u.scalar)(v[i]);
                check_scalar(&u, v[i], s);
                let y4 = if i < 4 { lo[i] } else { hi[i - 4] };
                assert!(
                    same(y8[i], s),
                    "{} f32x8 lane {i} differs from scalar",
                    u.name
                );
                assert!(same(y4, s), "{} f32x4 lane {i} differs from scalar", u.name);
            }
        }
    }
    for s in softmaxes() {
        let y8 = (s.x8)(f32x8::new(v)).to_array();
        let mut row = v;
        (s.in_place)(&mut row);
        assert!(
            y8.iter().zip(&row).all(|(p, q)| same(*p, *q)),
            "{}: f32x8",
            s.name
        );
        check_softmax_row(&s, &v, &y8);
        for half in [[a, b, c, d], [e, f, g, h]] {
            let y4 = (s.x4)(f32x4::new(half)).to_array();
            let mut row = half;
            (s.in_place)(&mut row);
            assert!(
                y4.iter().zip(&row).all(|(p, q)| same(*p, *q)),
                "{}: f32x4",
                s.name
            );
            check_softmax_row(&s, &half, &y4);
        }
        for x in v {
            let y = (s.scalar)(x);
            let mut row = [x];
            (s.in_place)(&mut row);
            assert!(same(y, row[0]), "{}: scalar softmax({x:e}) = {y:e}", s.name);
            check_softmax_row(&s, &[x], &[y]);
        }
    }
}

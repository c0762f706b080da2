//! The precise tier (the default): `exp`, sigmoid and `tanh` within the ULP budgets of
//! [`crate::budget`] on every `f32` input, subnormal results included, and softmax built on
//! that `exp`.
//!
//! Every function exists for one `f32`, for [`wide::f32x4`] and [`wide::f32x8`] (generic over
//! [`Lane`]), and for slices (`*_in_place`, `*_into`); all of them give bit-identical results.
//!
//! The bounds quoted below are enforced by the exhaustive checker over all 2^32 inputs:
//! `cargo run --release --example check`.

use crate::driver::{slice_fns, Kernel};
use crate::softmax::{softmax_fns, SoftmaxTier};
use crate::Lane;

/// Where `tanh` switches from the odd polynomial to the `exp` form.
pub(crate) const TANH_SPLIT: f32 = 0.625;
/// `tanh(a) ~ a + a^3 P(a^2)` on `[0, 0.625]`; `TANH_P[k]` multiplies `(a^2)^k` in `P`, i.e.
/// `a^(2k+3)` overall.
///
/// Fit: Sollya `fpminimax`, relative error, single-precision coefficients, `P` of degree 5 (odd
/// degree 13 overall), linear term pinned to 1 (`tools/fit/tanh_precise.sollya`, fit
/// `tanh_precise_T0.625_deg5`). Error in exact arithmetic: 1.8e-10 (2^-32.4).
pub(crate) const TANH_P: [f32; 6] = [
    f32::from_bits(0xBEAA_AAAA), // a^3
    f32::from_bits(0x3E08_883E), // a^5
    f32::from_bits(0xBD5C_F90C), // a^7
    f32::from_bits(0x3CB1_D638), // a^9
    f32::from_bits(0xBC06_4277), // a^11
    f32::from_bits(0x3B0D_5D64), // a^13
];

/// `e^x` on every lane.
///
/// # Accuracy
///
/// At most 1 ULP from the exact value on every `f32` input, subnormal results included (the
/// budget of [`crate::budget`]; SPEC.md promises 2). Measured maximum over all 2^32 inputs:
/// 0.80 ULP (`cargo run --release --example check`).
///
/// # Special values
///
/// NaN gives NaN, `+inf` gives `+inf`, `-inf` gives `+0`, `±0` give `1`. Inputs above
/// `ln(f32::MAX)` (about 88.72) give `+inf`; results below `f32::MIN_POSITIVE` are computed
/// as subnormals (rounded once), not flushed; below about -103.97 the result is `+0`.
#[inline(always)]
pub fn exp<V: Lane>(x: V) -> V {
    crate::exp::exp_precise(x)
}

/// The logistic sigmoid `1 / (1 + e^-x)` on every lane.
///
/// # Accuracy
///
/// At most 1 ULP from the exact value on every `f32` input, including the negative tail where
/// the result is tiny or subnormal (the budget of [`crate::budget`]; SPEC.md promises 2).
/// Measured maximum over all 2^32 inputs: 0.85 ULP (`cargo run --release --example check`).
///
/// # Special values
///
/// NaN gives NaN, `+inf` gives `1`, `-inf` gives `+0`, `±0` give `0.5`. The result is always
/// in `[0, 1]` and monotone in `x`; nothing overflows inside for any input.
#[inline(always)]
pub fn sigmoid<V: Lane>(x: V) -> V {
    crate::sigmoid::sigmoid_precise(x)
}

/// `tanh(x)` on every lane.
///
/// # Accuracy
///
/// At most 1 ULP from the exact value on every `f32` input (the budget of [`crate::budget`];
/// SPEC.md promises 2). Measured maximum over all 2^32 inputs: 0.77 ULP
/// (`cargo run --release --example check`).
///
/// # Special values
///
/// NaN gives NaN, `+inf` gives `1`, `-inf` gives `-1`, `±0` give `±0`. Odd to the bit
/// (`tanh(-x) == -tanh(x)`), always in `[-1, 1]`, monotone; tiny and subnormal inputs come back
/// unchanged, which is the correctly rounded answer there.
#[inline(always)]
pub fn tanh<V: Lane>(x: V) -> V {
    crate::tanh::tanh_precise(x, TANH_SPLIT, TANH_P)
}

pub(crate) struct Exp;
impl Kernel for Exp {
    #[inline(always)]
    fn apply<V: Lane>(x: V) -> V {
        exp(x)
    }
}
pub(crate) struct Sigmoid;
impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<V: Lane>(x: V) -> V {
        sigmoid(x)
    }
}
pub(crate) struct Tanh;
impl Kernel for Tanh {
    #[inline(always)]
    fn apply<V: Lane>(x: V) -> V {
        tanh(x)
    }
}

slice_fns!(Exp, exp_in_place, exp_into, "`exp`");
slice_fns!(Sigmoid, sigmoid_in_place, sigmoid_into, "the sigmoid");
slice_fns!(Tanh, tanh_in_place, tanh_into, "`tanh`");

pub(crate) struct Tier;
impl SoftmaxTier for Tier {
    #[inline(always)]
    fn exp<V: Lane>(x: V) -> V {
        crate::exp::exp_precise_nonpositive(x)
    }
    const COMPENSATE_SHIFT: bool = true;
}

softmax_fns!(Tier, "cargo test --release --test softmax");

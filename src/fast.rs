//! The fast tier: `exp`, sigmoid and `tanh` within `2^-12` relative error (fp16-grade) on every
//! input whose exact result is a normal `f32`, with the same layers, bit-identity, special
//! values, ranges and monotonicity as the precise tier. Results below `2^-126` (`exp` below
//! about -87.34, sigmoid below about -87.34) may be flushed to `+0`, as SPEC.md section 5
//! allows.
//!
//! The bounds are enforced by the exhaustive checker over all 2^32 inputs
//! (`cargo run --release --example check`); how the algorithms were chosen is in
//! `docs/fast-tier.md`.

use crate::driver::{slice_fns, Kernel};
use crate::softmax::{softmax_fns, SoftmaxTier};
use crate::Lane;

/// Fast `tanh` polynomial: `tanh(a) ~ a + a^3 P(a^2)` on `[0, 0.625]`, `P` of degree 3.
///
/// Fit: Sollya `fpminimax`, relative error, single-precision coefficients
/// (`tools/fit/tanh_precise.sollya`, fit `tanh_precise_T0.625_deg3`); error in exact arithmetic
/// 1.2e-7 (2^-23).
const TANH_FAST_P: [f32; 4] = [
    f32::from_bits(0xBEAA_A95E), // a^3
    f32::from_bits(0x3E08_469B), // a^5
    f32::from_bits(0xBD54_C7B1), // a^7
    f32::from_bits(0x3C78_F7D2), // a^9
];

/// `e^x` on every lane, fast tier.
///
/// # Accuracy
///
/// At most `2^-12` relative error where `e^x >= 2^-126` (`cargo run --release --example check`
/// prints the measured maximum). Results below `2^-126` are flushed to `+0`.
///
/// # Special values
///
/// NaN gives NaN, `+inf` gives `+inf`, `-inf` gives `+0`, `±0` give `1`; above
/// `ln(f32::MAX)` the result is `+inf`.
#[inline(always)]
pub fn exp<V: Lane>(x: V) -> V {
    crate::exp::exp_fast(x)
}

/// The logistic sigmoid on every lane, fast tier.
///
/// # Accuracy
///
/// At most `2^-12` relative error where the result is at least `2^-126`; below, it may be
/// flushed to `+0` (`cargo run --release --example check`).
///
/// # Special values
///
/// As [`crate::precise::sigmoid`]: NaN gives NaN, `+inf` gives `1`, `-inf` gives `+0`, `±0` give
/// `0.5`; the result is in `[0, 1]` and monotone.
#[inline(always)]
pub fn sigmoid<V: Lane>(x: V) -> V {
    crate::sigmoid::sigmoid_fast(x)
}

/// `tanh(x)` on every lane, fast tier.
///
/// # Accuracy
///
/// At most `2^-12` relative error where the result is at least `2^-126` in magnitude
/// (`cargo run --release --example check`).
///
/// # Special values
///
/// As [`crate::precise::tanh`]: NaN gives NaN, `±inf` give `±1`, `±0` give `±0`; odd to the
/// bit, in `[-1, 1]`, monotone; tiny inputs come back unchanged.
#[inline(always)]
pub fn tanh<V: Lane>(x: V) -> V {
    crate::tanh::tanh_fast(x, crate::precise::TANH_SPLIT, TANH_FAST_P)
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

slice_fns!(Exp, exp_in_place, exp_into, "the fast `exp`");
slice_fns!(Sigmoid, sigmoid_in_place, sigmoid_into, "the fast sigmoid");
slice_fns!(Tanh, tanh_in_place, tanh_into, "the fast `tanh`");

pub(crate) struct Tier;
impl SoftmaxTier for Tier {
    #[inline(always)]
    fn exp<V: Lane>(x: V) -> V {
        crate::exp::exp_fast_nonpositive(x)
    }
    const COMPENSATE_SHIFT: bool = false;
}

softmax_fns!(Tier, "cargo test --release --test softmax");

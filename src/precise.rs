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
use crate::softmax::{self, SoftmaxTier};
use crate::{Error, Lane};

/// Fit of `tanh(a) = a + a^3 P(a^2)` on `[0, TANH_SPLIT]`, coefficients numbered by the power
/// of `a^2` they multiply.
///
/// Fit: placeholder Taylor coefficients.
pub(crate) const TANH_SPLIT: f32 = 0.55;
pub(crate) const TANH_P: [f32; 7] = [
    -1.0 / 3.0,
    2.0 / 15.0,
    -17.0 / 315.0,
    62.0 / 2835.0,
    -1382.0 / 155_925.0,
    21844.0 / 6_081_075.0,
    -929_569.0 / 638_512_875.0,
];

/// `e^x` on every lane.
///
/// # Accuracy
///
/// At most 2 ULP from the exact value on every `f32` input, subnormal results included
/// (measured maximum: see README.md; `cargo run --release --example check`).
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
/// At most 2 ULP from the exact value on every `f32` input, including the negative tail where
/// the result is tiny or subnormal (`cargo run --release --example check`).
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
/// At most 2 ULP from the exact value on every `f32` input
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
        exp(x)
    }
    const COMPENSATE_SHIFT: bool = true;
}

/// Softmax of the lanes of `x`, taken as one row. Gives the same bits as
/// [`softmax_in_place`] on the same values.
///
/// # Accuracy
///
/// Each element is within a few ULP of the exact row result; the bound measured on random and
/// adversarial rows is in README.md (`cargo test --release --test softmax`).
///
/// # Special values
///
/// A NaN anywhere makes the whole row NaN; `+inf` entries share 1 equally and the others get 0;
/// `-inf` entries get 0, and a row of only `-inf` (fully masked) gives all 0.
#[inline]
pub fn softmax<V: Lane>(x: V) -> V {
    softmax::softmax_lanes::<Tier, V>(x)
}

/// Softmax of one row, in place. An empty row is left as it is. See [`softmax`] for accuracy
/// and special values.
pub fn softmax_in_place(row: &mut [f32]) {
    softmax::softmax_row::<Tier>(row)
}

/// Softmax of the row `src`, written to `dst`.
///
/// # Errors
///
/// [`Error::LengthMismatch`] if the lengths differ; `dst` is then left untouched.
pub fn softmax_into(src: &[f32], dst: &mut [f32]) -> Result<(), Error> {
    softmax::softmax_into::<Tier>(src, dst)
}

/// Softmax of each row of `data` (rows of `row_len` consecutive elements), in place. Each row
/// gives the same bits as it would alone.
///
/// # Errors
///
/// [`Error::RaggedBatch`] if `data` is not empty and `row_len` is zero or does not divide
/// `data.len()`; nothing is written then.
pub fn softmax_batch_in_place(data: &mut [f32], row_len: usize) -> Result<(), Error> {
    softmax::softmax_batch_in_place::<Tier>(data, row_len)
}

/// Softmax of each row of `src`, written to `dst`.
///
/// # Errors
///
/// [`Error::LengthMismatch`] if the lengths differ, else [`Error::RaggedBatch`] as in
/// [`softmax_batch_in_place`]; `dst` is left untouched in both cases.
pub fn softmax_batch_into(src: &[f32], dst: &mut [f32], row_len: usize) -> Result<(), Error> {
    softmax::softmax_batch_into::<Tier>(src, dst, row_len)
}

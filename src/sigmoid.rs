//! Sigmoid (logistic), `1 / (1 + exp(-x))`, built on this crate's `exp`.
//!
//! Phases:
//! 1. `e = exp(-|x|)`, always in `(0, 1]`, so nothing overflows for any input;
//! 2. `y = 1 / (1 + e)` for `x >= 0`, `y = e / (1 + e)` for `x < 0` (one division either way;
//!    the negative branch keeps full relative accuracy down into the subnormal range);
//! 3. correct for the rounding of `d = 1 + e`: its exact error `err` is recovered by Fast2Sum
//!    (`1 >= e`), and `num / (d + err) ~ y - y * err / d`, where `1 / d` is `y` itself on the
//!    positive side and `1 - y` on the negative side, so no second division is needed.

use crate::Lane;

/// Sigmoid on top of a given `exp` kernel.
#[inline(always)]
pub(crate) fn sigmoid_with<V: Lane>(x: V, exp: impl Fn(V) -> V) -> V {
    let one = V::splat(1.0);

    // e = exp(-|x|) in (0, 1]; NaN stays NaN.
    let e = exp(-x.abs());

    // One division, numerator chosen by the sign.
    let d = one + e;
    let neg = x.lt(V::splat(0.0));
    let num = V::select(neg, e, one);
    let y = num / d;

    // Fix up the rounding of d (Fast2Sum: d + err == 1 + e exactly).
    let err = (one - d) + e;
    let inv_d = V::select(neg, one - y, y);
    y - (y * err) * inv_d
}

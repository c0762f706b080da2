//! Sigmoid (logistic), `1 / (1 + exp(-x))`, built on this crate's `exp`.
//!
//! Phases (precise tier):
//! 1. for the negative side `s = sigmoid(-|x|) = 1 / (1 + E)` with `E = exp(|x|) = P 2^n`
//!    (`P` near 1, `n >= 0`): written as `2^-n / (2^-n + P)`, it never overflows, keeps full
//!    relative accuracy down into the subnormal range, and each step (the sum `g = 2^-n + P`
//!    rounded once from its nearly exact parts, the reciprocal, the exact-then-rounded scaling)
//!    is a monotone function of the previous one, so the result is monotone in `x` as long as
//!    `g` is, which the exhaustive checker confirms on every input;
//!    near zero (`|x| < 1.25`) `s = 1/2 - tanh(|x|/2) / 2` with the `tanh` polynomial instead,
//!    which avoids the reciprocal's spacing mismatch around 1/2;
//! 2. the positive side is `1 - s`, monotone for the same reason, with the rounding of `s`
//!    halved by the wider spacing of floats near 1.

use crate::exp::{exp_parts, two_sum, EXP_CLAMP_LO};
use crate::precise::TANH_P;
use crate::tanh::{odd_poly, poly_branch_max};
use crate::Lane;

/// Below this `|x|` the precise sigmoid uses the `tanh` polynomial (at `|x| / 2 <= 0.5`, inside
/// its fitted range `[0, 0.625]`); there `sigmoid(-|x|)` stays above 1/4, so the halved `tanh`
/// is never coarser than the result.
const SIGMOID_POLY_SPLIT: f32 = 1.0;

/// `sigmoid(-a)` from the polynomial at the float just below the split: its smallest value.
const SIGMOID_POLY_MIN: f32 =
    0.5 - 0.5 * poly_branch_max(0.5 * SIGMOID_POLY_SPLIT, crate::precise::TANH_P);

/// Precise-tier sigmoid.
#[inline(always)]
pub(crate) fn sigmoid_precise<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);

    // E = exp(|x|) = P 2^n; NaN stays NaN.
    let ep = exp_parts(x.abs(), -EXP_CLAMP_LO);

    // s = 2^-n / (2^-n + P) = sigmoid(-|x|), with g = 2^-n + P rounded once.
    let (h, h_err) = two_sum(ep.p, ep.inv_pow2());
    let g_lo_part = h_err + ep.p_lo;
    let g = h + g_lo_part;
    let g_lo = (h - g) + g_lo_part;
    // TODO(accuracy): correcting `1 / g` for the rounding of `g` (w - w^2 g_lo) brings the
    // negative side from 1.54 to 1.21 ULP, but the exhaustive checker then finds inputs where
    // the result is not monotone (near |x| = 0.125..1.9). Monotone is a promise, 1 ULP an aim;
    // lifting this needs a correction whose sign cannot flip between neighbours.
    let w = one / g;
    let s_exp = ep.unscale_sum(w, -((w * w) * g_lo));

    // Near zero, 1 / g loses up to 1 ULP where g is just above 2 and 1 / g just below 1/2;
    // there sigmoid(-a) = 1/2 - tanh(a/2) / 2 with the tanh polynomial is better.
    let a = x.abs();
    let half = V::splat(0.5);
    let t = odd_poly(a * half, TANH_P);
    let s_poly = half - half * t;
    // The exp form never exceeds what the polynomial gives just below the split, so the switch
    // cannot step backwards (monotonicity).
    let cap = V::splat(SIGMOID_POLY_MIN);
    let s_exp = V::select(s_exp.gt(cap), cap, s_exp);
    let s = V::select(a.lt(V::splat(SIGMOID_POLY_SPLIT)), s_poly, s_exp);

    x.nan_or(V::select(x.lt(V::splat(0.0)), s, one - s))
}

/// Fast-tier sigmoid: `s = 1 / (1 + exp(|x|))` on the fast `exp` (monotone in `exp`; results
/// below `2^-126` may flush to zero, as the tier allows), and `1 - s` on the positive side.
#[inline(always)]
pub(crate) fn sigmoid_fast<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let s = one / (one + crate::exp::exp_fast(x.abs()));
    x.nan_or(V::select(x.lt(V::splat(0.0)), s, one - s))
}

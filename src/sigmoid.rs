//! Sigmoid (logistic), `1 / (1 + exp(-x))`, built on this crate's `exp`.
//!
//! Phases (precise tier):
//! 1. the negative side `s = sigmoid(-|x|) = 1 / (1 + E)` with `E = exp(|x|) = P 2^n` (`P` near
//!    1, `n >= 0`) is computed as `2^-n / (2^-n + P)`: it never overflows and keeps full relative
//!    accuracy down into the subnormal range. `g = 2^-n + P` is rounded once from its nearly
//!    exact parts, `w = 1 / g` is corrected for the rounding of `g` and for its own rounding (the exact
//!    remainder `1 - w g` from a Dekker product; no second division), and the scaling by `2^-n` rounds once, subnormal results included;
//! 2. near zero (`|x| < 1`) `s = 1/2 - tanh(|x|/2) / 2` with the `tanh` polynomial instead,
//!    which avoids the reciprocal's spacing mismatch where `g` is just above 2; the `exp` form is
//!    capped by the polynomial's last value so the switch cannot step backwards;
//! 3. the positive side is `1 - s`, where the rounding of `s` is halved by the wider spacing of
//!    floats near 1.
//!
//! Monotonicity is not built in step by step (the corrections could in principle flip between
//! neighbouring inputs); it is verified on every input by the exhaustive checker.

use crate::exp::{exp_parts, two_prod, two_sum, EXP_CLAMP_LO};
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
    // w = 1 / g rounded; with the division's exact remainder rho = 1 - w g (Dekker product;
    // 1 - w g is exact by Sterbenz) 1 / (g + g_lo) = w + w (rho - w g_lo) to second order.
    let w = one / g;
    let (wg, wg_err) = two_prod(w, g);
    let rho = (one - wg) - wg_err;
    let s_exp = ep.unscale_sum(w, w * (rho - w * g_lo));

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

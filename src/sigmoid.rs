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
//!    floats near 1; from `x = 2` up (`s < 0.12`, at least 8 times finer than the result) `s`
//!    comes from the plain `exp` and an uncorrected division, which is cheaper and still well
//!    inside 1 ULP of the result.
//!
//! Vectors branch as a whole (for `f32`, each element): where every lane is in `[2, 68]` only
//! the plain form runs; where every lane has `|x| <= 68` each form runs only if some lane needs
//! it; otherwise every form runs for every lane and the subnormal-safe scaling handles the tail.
//! A lane's result does not depend on which of these runs (`tests/layers.rs`, and the checker's
//! lane-versus-scalar comparison).
//!
//! Monotonicity is not built in step by step (the corrections could in principle flip between
//! neighbouring inputs); it is verified on every input by the exhaustive checker.

use crate::exp::{
    exp_core, exp_core_plain, exp_fast, exp_fast_in_range, exp_parts, inv_pow2, two_prod,
    EXP_CLAMP_LO, EXP_FAST_HI,
};
use crate::lane::DIRECT_PATHS;
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

/// Up to this `|x|` the precise sigmoid takes its direct path: `sigmoid(-|x|)` is at least
/// `2^-99` there, so no result is subnormal and `2^-n` is one normal number. On these inputs
/// the general path's scaling by `2^-n1` and `2^-n2` rounds to the same value as the direct
/// path's `(w + w_lo) 2^-n`: where the scaled low part underflows it is below `2^-126`, far
/// under half the spacing of a result of at least `2^-99`. (The exhaustive checker's digests
/// confirm both paths agree on all 2^32 inputs.)
const SIGMOID_DIRECT_MAX: f32 = 68.0;

/// `sigmoid(-a)` for `0 <= a < SIGMOID_POLY_SPLIT`: `1/2 - tanh(a/2) / 2` with the `tanh`
/// polynomial (near zero, `1 / g` below loses up to 1 ULP where `g` is just above 2 and
/// `1 / g` just below 1/2; the halved polynomial does better).
#[inline(always)]
fn neg_side_poly<V: Lane>(a: V) -> V {
    let half = V::splat(0.5);
    half - half * odd_poly(a * half, TANH_P)
}

/// The reciprocal step of the `exp` form: from `g + g_lo` (nearly exactly `2^-n + P`), returns
/// `w` and `w_lo` with `w + w_lo ~ 1 / (g + g_lo)`. `w = 1 / g` rounded is corrected with the
/// division's exact remainder `rho = 1 - w g` (Dekker product; `1 - w g` is exact by Sterbenz):
/// `1 / (g + g_lo) = w + w (rho - w g_lo)` to second order.
#[inline(always)]
fn corrected_reciprocal<V: Lane>(g: V, g_lo: V) -> (V, V) {
    let one = V::splat(1.0);
    let w = one / g;
    let (wg, wg_err) = two_prod(w, g);
    let rho = (one - wg) - wg_err;
    (w, w * (rho - w * g_lo))
}

/// `g + g_lo = P + 2^-n`, rounded once into `g`, from `P = p + p_lo`.
#[inline(always)]
fn denominator<V: Lane>(p: V, p_lo: V, inv_pow2: V) -> (V, V) {
    // Fast2Sum: p >= 1 where n = 0 (there r >= 0), and p > 0.7 > 1/2 >= 2^-n elsewhere.
    let h = p + inv_pow2;
    let h_err = inv_pow2 - (h - p);
    let g_lo_part = h_err + p_lo;
    let g = h + g_lo_part;
    (g, (h - g) + g_lo_part)
}

/// From here up the precise sigmoid's positive side is `1 - s` with a plain `s = 2^-n / g`:
/// `s <= sigmoid(-2) < 0.12`, so even a few ULP of error in `s` (a plain `exp`, one rounding of
/// `g`, one of the division: about 2^-22.4 relative) is under 0.36 ULP of the result near 1,
/// whose spacing is 8 times coarser than `s`'s, and the result stays within 1 ULP.
const SIGMOID_PLAIN_FROM: f32 = 2.0;

/// `sigmoid(x)` for `x >= SIGMOID_PLAIN_FROM`, `x` not above [`SIGMOID_DIRECT_MAX`]: `1 - s` with
/// `s = 2^-n / (P + 2^-n)` from the plain `exp(x) = P 2^n` (no compensation, no correction).
#[inline(always)]
fn positive_plain<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let (p, t) = exp_core_plain(x);
    let inv = inv_pow2(t);
    one - (one / (p + inv)) * inv
}

/// Precise-tier sigmoid.
///
/// Where every lane has `|x| <= SIGMOID_DIRECT_MAX` (for `f32`, a per-element branch) the
/// direct path runs: no clamp, no NaN handling, the scaling by `2^-n` is one exact product, and
/// each of the three approximations (the polynomial below the split, the corrected `exp` form
/// above it, the plain one from [`SIGMOID_PLAIN_FROM`] up) is computed only if some lane needs
/// it. The general path computes every step for every lane; on the direct path's inputs it
/// gives the same bits (the scaling rounds to the same value, as in
/// [`crate::exp::exp_precise`]), which the exhaustive checker's digests confirm.
#[inline(always)]
pub(crate) fn sigmoid_precise<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let zero = V::splat(0.0);
    let a = x.abs();
    let cap = V::splat(SIGMOID_POLY_MIN);
    let small = a.lt(V::splat(SIGMOID_POLY_SPLIT));
    let direct = a.le(V::splat(SIGMOID_DIRECT_MAX));
    let plain = V::splat(SIGMOID_PLAIN_FROM).le(x) & direct;
    if DIRECT_PATHS && V::all(plain) {
        return positive_plain(x);
    }
    let negative = x.lt(zero);
    let from_s = |s: V| V::select(negative, s, one - s);

    if DIRECT_PATHS && V::all(direct) {
        let y_poly = if V::any(small) {
            from_s(neg_side_poly(a))
        } else {
            zero
        };
        let y_plain = if V::any(plain) {
            positive_plain(x)
        } else {
            zero
        };
        // Lanes left for the corrected form: neither small nor plain.
        let y_exp = if V::all(small | plain) {
            zero
        } else {
            // E = exp(a) = P 2^n with n in [0, 98]; s = 2^-n / (2^-n + P).
            let (p, p_lo, t) = exp_core(a);
            let inv = inv_pow2(t);
            let (g, g_lo) = denominator(p, p_lo, inv);
            let (w, w_lo) = corrected_reciprocal(g, g_lo);
            let s_exp = (w + w_lo) * inv;
            // The exp form never exceeds what the polynomial gives just below the split, so
            // the switch cannot step backwards (monotonicity).
            from_s(V::select(s_exp.gt(cap), cap, s_exp))
        };
        V::select(small, y_poly, V::select(plain, y_plain, y_exp))
    } else {
        // As above, each form only if some lane needs it; NaN lanes take the corrected form.
        let y_poly = if V::any(small) {
            from_s(neg_side_poly(a))
        } else {
            zero
        };
        // Positive lanes from SIGMOID_PLAIN_FROM up to SIGMOID_DIRECT_MAX take the plain form
        // (beyond, where 1 - s rounds to 1 either way, the corrected one).
        let y_plain = if V::any(plain) {
            positive_plain(a)
        } else {
            zero
        };
        let y_exp = if V::all(small | plain) {
            zero
        } else {
            // E = exp(|x|) = P 2^n; NaN stays NaN.
            let ep = exp_parts(a, -EXP_CLAMP_LO);
            // s = 2^-n / (2^-n + P) = sigmoid(-|x|), with the scaling by 2^-n rounded once,
            // subnormal results included.
            let (g, g_lo) = denominator(ep.p, ep.p_lo, ep.inv_pow2());
            let (w, w_lo) = corrected_reciprocal(g, g_lo);
            let s_exp = ep.unscale_sum(w, w_lo);
            from_s(V::select(s_exp.gt(cap), cap, s_exp))
        };
        let y = V::select(small, y_poly, V::select(plain, y_plain, y_exp));
        x.nan_or(y)
    }
}

/// Fast-tier sigmoid: `s = 1 / (1 + exp(|x|))` on the fast `exp` (monotone in `exp`; results
/// below `2^-126` may flush to zero, as the tier allows), and `1 - s` on the positive side.
/// Where every lane's `exp(|x|)` is finite (no NaN, `|x| <= 88.72`; for `f32` a per-element
/// branch) the `exp` core runs without its clamps and NaN handling, with the same bits.
#[inline(always)]
pub(crate) fn sigmoid_fast<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let a = x.abs();
    if DIRECT_PATHS && V::all(a.le(V::splat(EXP_FAST_HI))) {
        let s = one / (one + exp_fast_in_range(a));
        return V::select(x.lt(V::splat(0.0)), s, one - s);
    }
    let s = one / (one + exp_fast(a));
    x.nan_or(V::select(x.lt(V::splat(0.0)), s, one - s))
}

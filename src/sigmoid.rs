//! Sigmoid (logistic), `1 / (1 + exp(-x))`, built on this crate's `exp`.
//!
//! Phases (precise tier):
//! 1. the negative side `s = sigmoid(-|x|) = 1 / (1 + E)` with `E = exp(|x|) = P 2^n` (`P` near
//!    1, `n >= 0`) is computed as `2^-n / (2^-n + P)`: it never overflows and keeps full relative
//!    accuracy down into the subnormal range. `h = 2^-n + P` is rounded once and its error kept
//!    in `h_lo`; `w = 1 / h` is corrected for `h_lo` and for its own rounding (the exact
//!    remainder `1 - w h` from a Dekker product; no second division), and the scaling by `2^-n`
//!    rounds once, subnormal results included;
//! 2. near zero (`|x| < 1`) `s = 1/2 - tanh(|x|/2) / 2` with the `tanh` polynomial instead,
//!    which avoids the reciprocal's spacing mismatch where `h` is just above 2; the `exp` form is
//!    capped by the polynomial's last value so the switch cannot step backwards;
//! 3. the positive side is `1 - s`, where the rounding of `s` is halved by the wider spacing of
//!    floats near 1; from `x = 2` up (`s < 0.12`, at least 8 times finer than the result) the
//!    reciprocal is left uncorrected (and where every lane is there, the `exp` skips its low
//!    part), which is cheaper and still well inside 1 ULP of the result.
//!
//! Vectors branch as a whole (for `f32`, each element): where every lane is in `[2, 68]` only
//! the plain form runs; where every lane has `|x| <= 68` each form runs only if some lane needs
//! it; otherwise the general path adds the clamps, NaN and the subnormal-safe scaling. A lane's
//! result does not depend on which of these runs (`tests/layers.rs`, and the checker's
//! lane-versus-scalar comparison).
//!
//! Monotonicity is not built in step by step (the corrections could in principle flip between
//! neighbouring inputs); it is verified on every input by the exhaustive checker.

use crate::exp::{
    exp_core, exp_core_plain, exp_fast, exp_fast_in_range, exp_parts, inv_pow2, two_prod,
    EXP_CLAMP_LO, EXP_FAST_HI,
};
use crate::lane::{select_lazy, DIRECT_PATHS};
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

/// `h + h_lo = P + 2^-n` (`h` rounded, `h_lo` its error plus `p_lo`, not renormalised), from
/// `P = p + p_lo`.
#[inline(always)]
fn denominator<V: Lane>(p: V, p_lo: V, inv_pow2: V) -> (V, V) {
    // Fast2Sum: p >= 1 where n = 0 (there r >= 0), and p > 0.7 > 1/2 >= 2^-n elsewhere.
    let h = p + inv_pow2;
    (h, (inv_pow2 - (h - p)) + p_lo)
}

/// The correction of `w = 1 / h` rounded towards `1 / (h + h_lo)`: with the division's exact
/// remainder `rho = 1 - w h` (Dekker product; `1 - w h` is exact by Sterbenz),
/// `1 / (h + h_lo) = w + w (rho - w h_lo)` to second order (the next term is below 2^-45
/// relative).
#[inline(always)]
fn reciprocal_correction<V: Lane>(w: V, h: V, h_lo: V) -> V {
    let one = V::splat(1.0);
    let (wh, wh_err) = two_prod(w, h);
    let rho = (one - wh) - wh_err;
    w * (rho - w * h_lo)
}

/// From here up the precise sigmoid's positive side is `1 - s` with `s = 2^-n w` uncorrected
/// (`w = 1 / h`, `h = P + 2^-n` rounded, from the `exp` without its low part):
/// `s <= sigmoid(-2) < 0.12`, so a few ULP of error in `s` (about 2^-22.4 relative) is under
/// 0.36 ULP of the result near 1, whose spacing is 8 times coarser than `s`'s.
const SIGMOID_PLAIN_FROM: f32 = 2.0;

/// Precise-tier sigmoid.
///
/// Where every lane has `|x| <= SIGMOID_DIRECT_MAX` (for `f32`, a per-element branch) the
/// direct path runs: no clamp, no NaN handling, the scaling by `2^-n` is one exact product, and
/// each approximation (the polynomial below the split, the `exp` form above it, the
/// reciprocal's correction below [`SIGMOID_PLAIN_FROM`]) is computed only if some lane needs
/// it. The general path does the same for the other vectors, with clamps, NaN handling and the
/// subnormal-safe scaling; on the direct path's inputs it gives the same bits (the scaling
/// rounds to the same value, as in [`crate::exp::exp_precise`]), which the exhaustive
/// checker's digests confirm.
#[inline(always)]
pub(crate) fn sigmoid_precise<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let zero = V::splat(0.0);
    let a = x.abs();
    let cap = V::splat(SIGMOID_POLY_MIN);
    let small = a.lt(V::splat(SIGMOID_POLY_SPLIT));
    let direct = a.le(V::splat(SIGMOID_DIRECT_MAX));
    let plain = V::splat(SIGMOID_PLAIN_FROM).le(x) & direct;
    let negative = x.lt(zero);
    let from_s = |s: V| V::select(negative, s, one - s);

    if DIRECT_PATHS && V::all(plain) {
        // Every lane plain: the exp's low part is not needed either (p is the same value).
        let (p, t) = exp_core_plain(x);
        let inv = inv_pow2(t);
        return one - (one / (p + inv)) * inv;
    }
    if DIRECT_PATHS && V::all(direct) {
        select_lazy!(V, small, from_s(neg_side_poly(a)), {
            // E = exp(a) = P 2^n with n in [0, 98]; s = 2^-n / (2^-n + P).
            let (p, p_lo, t) = exp_core(a);
            let inv = inv_pow2(t);
            let (h, h_lo) = denominator(p, p_lo, inv);
            let w = one / h;
            let w_lo = select_lazy!(V, plain, zero, reciprocal_correction(w, h, h_lo));
            let s_exp = (w + w_lo) * inv;
            // The exp form never exceeds what the polynomial gives just below the split, so
            // the switch cannot step backwards (monotonicity).
            from_s(V::select(s_exp.gt(cap), cap, s_exp))
        })
    } else {
        // As above; NaN lanes take the exp form. Positive lanes above SIGMOID_DIRECT_MAX, where
        // 1 - s rounds to 1 either way, get the corrected reciprocal.
        let y = select_lazy!(V, small, from_s(neg_side_poly(a)), {
            // E = exp(|x|) = P 2^n; NaN stays NaN.
            let ep = exp_parts(a, -EXP_CLAMP_LO);
            let (h, h_lo) = denominator(ep.p, ep.p_lo, ep.inv_pow2());
            let w = one / h;
            let w_lo = select_lazy!(V, plain, zero, reciprocal_correction(w, h, h_lo));
            // s = 2^-n (w + w_lo), rounded once, subnormal results included.
            let s_exp = ep.unscale_sum(w, w_lo);
            from_s(V::select(s_exp.gt(cap), cap, s_exp))
        });
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

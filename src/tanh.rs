//! `tanh(x)`: an odd minimax polynomial near zero, `1 - 2 / (exp(2|x|) + 1)` beyond, and the
//! sign copied back so that `tanh(-x) == -tanh(x)` to the bit.
//!
//! Phases:
//! 1. `a = |x|`;
//! 2. small branch (`a < TANH_SPLIT`): `a + a * (a^2 P(a^2))`; for tiny and subnormal `a` the
//!    correction rounds away and the result is `a` itself, as the correctly rounded answer is;
//! 3. large branch: `e = exp(2 min(a, 9.5))` (`tanh` rounds to 1 from about 9.01 on, and the cap
//!    keeps `e` finite), `t = 2 / (e + 1)` corrected for the rounding of `e + 1` (Fast2Sum, as in
//!    the sigmoid) and for the low part of `e`, then `1 - t`;
//! 4. select by `a`, then copy the sign of `x`.

use crate::exp::{
    exp_core, exp_fast, exp_fast_in_range, exp_parts, pow2, two_prod, two_sum, EXP_CLAMP_HI,
};
use crate::lane::{select_lazy, DIRECT_PATHS};
use crate::poly::horner;
use crate::Lane;

/// Largest argument of the large branch; `tanh(9.5)` rounds to 1.
const TANH_CAP: f32 = 9.5;

/// `a + a^3 P(a^2)`: the polynomial branch of `tanh` for `0 <= a <= split`.
#[inline(always)]
pub(crate) fn odd_poly<V: Lane, const N: usize>(a: V, p: [f32; N]) -> V {
    let a2 = a * a;
    a + a * (a2 * horner(a2, p))
}

/// [`odd_poly`] on one `f32` at compile time, with the same operations in the same order, so it
/// gives the same bits as the kernels at run time.
#[allow(clippy::indexing_slicing)] // Evaluated in constants only, where a bad index fails the build.
pub(crate) const fn odd_poly_const<const N: usize>(a: f32, p: [f32; N]) -> f32 {
    let a2 = a * a;
    let mut acc = p[N - 1];
    let mut i = N - 1;
    while i > 0 {
        i -= 1;
        acc = acc * a2 + p[i];
    }
    a + a * (a2 * acc)
}

/// The largest value the polynomial branch gives: at the float just below `split`.
pub(crate) const fn poly_branch_max<const N: usize>(split: f32, p: [f32; N]) -> f32 {
    odd_poly_const(f32::from_bits(split.to_bits() - 1), p)
}

/// `1 - 2 / (e + 1)` with `e + e_lo = exp(2 a)` (`e >= 1`): `t = 2 / d` corrected for the
/// rounding of `d = e + 1` (Fast2Sum) and of the division itself (its exact remainder
/// `rho = 2 - t d` from a Dekker product, exact by Sterbenz), so that
/// `2 / (d + d_lo) = t + t_lo` with `t_lo = (rho - t d_lo) / d = (rho - t d_lo) t / 2`; then
/// `1 - (t + t_lo)` with one rounding of what matters (`1 - t` is not always exact, `t < 1/2`).
#[inline(always)]
fn one_minus_two_over<V: Lane>(e: V, e_lo: V) -> V {
    let one = V::splat(1.0);
    let d = e + one;
    let d_lo = ((e - d) + one) + e_lo; // Fast2Sum: e >= 1.
    let two = V::splat(2.0);
    let t = two / d;
    let (td, td_err) = two_prod(t, d);
    let rho = (two - td) - td_err;
    let t_lo = (rho - t * d_lo) * (t * V::splat(0.5));
    let (u, u_err) = two_sum(one, -t);
    u + (u_err - t_lo)
}

/// Precise-tier tanh, with the odd polynomial `tanh(a) = a + a^3 P(a^2)` on `[0, split]`.
///
/// Where no lane is NaN (for `f32`, a per-element branch) the direct path runs: each branch
/// (polynomial, `exp` form) is computed only if some lane needs it, and `exp(2 min(a, 9.5))`
/// (`n` in `[0, 28]`) is scaled by one exact power of two. The general path computes both
/// branches for every lane and handles NaN; on other inputs both give the same bits (scaling
/// by `2^n >= 1` is exact either way), which the exhaustive checker's digests confirm.
#[inline(always)]
pub(crate) fn tanh_precise<V: Lane, const N: usize>(x: V, split: f32, p: [f32; N]) -> V {
    let a = x.abs();
    let ac = V::select(a.gt(V::splat(TANH_CAP)), V::splat(TANH_CAP), a);
    // Never below what the polynomial gives just before the split, so the switch between the
    // two approximations cannot step backwards (monotonicity).
    let floor = V::splat(poly_branch_max(split, p));
    let is_small = a.lt(V::splat(split));

    if DIRECT_PATHS && V::all(x.eq(x)) {
        let y = select_lazy!(V, is_small, odd_poly(a, p), {
            let (e, e_lo, t) = exp_core(ac + ac);
            let s = pow2(t);
            let large = one_minus_two_over(e * s, e_lo * s);
            V::select(large.lt(floor), floor, large)
        });
        y.copysign(x)
    } else {
        // Each branch only if some lane needs it, as above; NaN lanes take the exp branch.
        let y = select_lazy!(V, is_small, odd_poly(a, p), {
            let ep = exp_parts(ac + ac, EXP_CLAMP_HI);
            let large = one_minus_two_over(ep.scale(ep.p), ep.scale(ep.p_lo));
            V::select(large.lt(floor), floor, large)
        });
        x.nan_or(y.copysign(x))
    }
}

/// Fast-tier tanh: the polynomial branch with a shorter `P`, and `1 - 2 / (e + 1)` on the
/// fast `exp` beyond, without corrections. Every step of the `exp` branch is monotone in `e`.
///
/// As in the precise tier, where no lane is NaN each branch is computed only if some lane needs
/// it, and the `exp` core (its argument `2 min(a, 9.5)` is always in range) runs without its
/// clamps; the general path handles NaN. Both give the same bits where both apply.
#[inline(always)]
pub(crate) fn tanh_fast<V: Lane, const N: usize>(x: V, split: f32, p: [f32; N]) -> V {
    let one = V::splat(1.0);
    let a = x.abs();
    let ac = V::select(a.gt(V::splat(TANH_CAP)), V::splat(TANH_CAP), a);
    // As in the precise tier: the switch between the branches cannot step backwards.
    let floor = V::splat(poly_branch_max(split, p));
    let is_small = a.lt(V::splat(split));
    let large_of = |e: V| {
        let large = one - V::splat(2.0) / (e + one);
        V::select(large.lt(floor), floor, large)
    };

    if DIRECT_PATHS && V::all(x.eq(x)) {
        select_lazy!(
            V,
            is_small,
            odd_poly(a, p),
            large_of(exp_fast_in_range(ac + ac))
        )
        .copysign(x)
    } else {
        let y = select_lazy!(V, is_small, odd_poly(a, p), large_of(exp_fast(ac + ac)));
        x.nan_or(y.copysign(x))
    }
}

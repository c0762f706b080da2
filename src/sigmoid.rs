//! Sigmoid (logistic), `1 / (1 + exp(-x))`, built on this crate's `exp`.
//!
//! Phases (precise tier):
//! 1. `e = exp(-|x|)` in `(0, 1]` as `(p + p_lo) 2^n` (see [`crate::exp::ExpParts`]), so
//!    nothing overflows for any input;
//! 2. one division: `1 / d` for `x >= 0`, `p / d` for `x < 0`, with `d = 1 + e`;
//! 3. correct for what the division did not see: the rounding of `d` (recovered exactly by
//!    Fast2Sum, since `1 >= e`), the low part of `e`, and (negative side) the low part of `p`;
//!    `1 / d` is the result itself on the positive side and `1 - y` on the negative side, and
//!    `1 / p = exp(-r)` to a few bits, so no second division is needed;
//! 4. negative side only: scale by `2^n`, rounding once (subnormal results included).

use crate::exp::exp_parts;
use crate::Lane;

/// Precise-tier sigmoid.
#[inline(always)]
pub(crate) fn sigmoid_precise<V: Lane>(x: V) -> V {
    let one = V::splat(1.0);
    let neg = x.lt(V::splat(0.0));

    // e = exp(-|x|) in (0, 1]; NaN stays NaN.
    let ep = exp_parts(-x.abs());
    let e = ep.scale(ep.p);
    let e_lo = ep.scale(ep.p_lo);

    // d + d_lo == 1 + e (to about 2^-40).
    let d = one + e;
    let d_lo = ((one - d) + e) + e_lo;

    // One division.
    let num = V::select(neg, ep.p, one);
    let q = num / d;

    // Corrections: 1/(d + d_lo) ~ (1 - d_lo / d) / d, and (p + p_lo) ~ p (1 + p_lo / p).
    let y_neg = ep.scale(q);
    let inv_d = V::select(neg, one - y_neg, q);
    let r = ep.r;
    let inv_p = one - r * (one - V::splat(0.5) * r); // exp(-r) to about 2^-8
    let corr = V::select(neg, ep.p_lo * inv_p, V::splat(0.0)) - d_lo * inv_d;
    let z = q + q * corr;

    V::select(neg, ep.scale(z), z)
}

/// Sigmoid on a plain `exp` kernel: `1 / (1 + e)` or `e / (1 + e)` with `e = exp(-|x|)`.
#[inline(always)]
#[allow(dead_code)] // Used by the fast tier.
pub(crate) fn sigmoid_with<V: Lane>(x: V, exp: impl Fn(V) -> V) -> V {
    let one = V::splat(1.0);
    let e = exp(-x.abs());
    let d = one + e;
    let num = V::select(x.lt(V::splat(0.0)), e, one);
    num / d
}

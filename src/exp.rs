//! `exp(x)`: Cody-Waite range reduction, a minimax polynomial, and an exact two-step scaling
//! by `2^n` that keeps subnormal results.
//!
//! The phases, shared by both tiers:
//! 1. clamp `x` to `[-104, 89]`: below, `exp` rounds to `+0`; above, it overflows to `+inf`,
//!    and the clamped value still gives `+0` / `+inf`;
//! 2. reduce: `n = round(x / ln 2)`, `r = x - n ln 2` with `ln 2` split in two parts
//!    (Cody-Waite), so `|r| <= ln(2)/2` (plus a hair);
//! 3. approximate `exp(r)` by a polynomial of the tier's degree;
//! 4. reconstruct `exp(r) * 2^n` as `(exp(r) * 2^n1) * 2^n2` with `n1 + n2 = n`, both halves
//!    normal numbers: the first product is exact and only the second rounds, so results in the
//!    subnormal range get one correct rounding instead of a flush to zero.

use crate::lane::{select_lazy, DIRECT_PATHS};
use crate::poly::horner;
use crate::Lane;

/// `1.5 * 2^23`: adding it rounds a float of magnitude below `2^22` to an integer, which
/// then sits in the low bits of the sum (round to nearest even, as the FPU does).
const ROUND_MAGIC: f32 = 12_582_912.0;
/// `log2(e)`.
const LOG2E: f32 = core::f32::consts::LOG2_E;
/// `ln 2` rounded to 16 significant bits, so that `n * LN2_HI` is exact for `|n| < 2^8`, and
/// `x - n * LN2_HI` is exact too (Sterbenz) (Cody-Waite reduction). `LN2_HI + LN2_LO` is `ln 2`
/// to about 2^-40.
const LN2_HI: f32 = f32::from_bits(0x3F31_7200); // 0.693145751953125
const LN2_LO: f32 = f32::from_bits(0x35BF_BE8E); // 1.4286068e-6
/// Below this `exp` rounds to `+0` (`exp(-104) < 2^-150`, half the smallest subnormal).
pub(crate) const EXP_CLAMP_LO: f32 = -104.0;
/// Above this `exp` overflows (`ln(f32::MAX)` is about 88.72).
pub(crate) const EXP_CLAMP_HI: f32 = 89.0;

/// Precise tier: `exp(r) ~ 1 + r + r^2 P(r)` on `[-0.3466, 0.3466]` (`|r| <= ln(2)/2` plus
/// the rounding of `x log2 e`). `EXP_PRECISE_P[k]` multiplies `r^k` in `P`, i.e. `r^(k+2)` overall.
///
/// Fit: Sollya `fpminimax`, relative error, single-precision coefficients, degree 6 overall with
/// the constant and linear terms pinned to 1 (`tools/fit/exp_precise.sollya`, fit
/// `exp_precise_deg6`). Error of the polynomial in exact arithmetic: 3.3e-9 (2^-28.2), about
/// 0.03 ULP; the evaluation's roundings dominate the kernel's bound.
const EXP_PRECISE_P: [f32; 5] = [
    f32::from_bits(0x3EFF_FFFD), // r^2: 0.49999991
    f32::from_bits(0x3E2A_AA49), // r^3: 0.16666521
    f32::from_bits(0x3D2A_AD13), // r^4: 0.041668963
    f32::from_bits(0x3C09_1CBF), // r^5: 0.0083686700
    f32::from_bits(0x3AB4_A647), // r^6: 0.0013782465
];

/// The pieces of `exp(x)`: `exp(x) ~ (p + p_lo) * s1 * s2`, where `p + p_lo` approximates
/// `exp(r)` to about 2^-30 (`p` is it rounded to `f32`), and `s1 * s2 = 2^n` are two normal
/// powers of two, with `r1 = 1 / s1` and `r2 = 1 / s2` (also normal, made from the exponent
/// bits: the same values a division would give, without its cost).
#[derive(Clone, Copy)]
pub(crate) struct ExpParts<V> {
    pub p: V,
    pub p_lo: V,
    pub s1: V,
    pub s2: V,
    pub r1: V,
    pub r2: V,
}

impl<V: Lane> ExpParts<V> {
    /// `2^n * v`, rounded once.
    #[inline(always)]
    pub fn scale(&self, v: V) -> V {
        (v * self.s1) * self.s2
    }

    /// `2^n * (hi + lo)` with one rounding, also where the result is subnormal (`lo` small
    /// next to `hi`).
    #[inline(always)]
    pub fn scale_sum(&self, hi: V, lo: V) -> V {
        scale_sum_by(hi, lo, self.s1, self.s2, self.r2)
    }

    /// `2^-n * (hi + lo)` with one rounding, as [`Self::scale_sum`].
    #[inline(always)]
    pub fn unscale_sum(&self, hi: V, lo: V) -> V {
        scale_sum_by(hi, lo, self.r1, self.r2, self.s2)
    }

    /// `2^-n` (zero or subnormal where it is tiny; the callers only add it to numbers near 1).
    #[inline(always)]
    pub fn inv_pow2(&self) -> V {
        self.r1 * self.r2
    }
}

/// `(hi + lo) * f1 * f2` rounded once, where `f1`, `f2` and `inv_f2 = 1 / f2` are normal powers
/// of two and `hi * f1` is normal. Where the result is a normal number this is `(hi + lo)` rounded, then
/// scaled exactly. Where it is subnormal, a plain `(hi + lo) * f1 * f2` would round twice (to
/// 24 bits, then to the subnormal spacing); here `hi * f1 * f2` is rounded to the subnormal
/// spacing first, its exact remainder is recovered (scaling back up is exact), and the remainder
/// plus the scaled `lo` are added in one final rounding.
#[inline(always)]
fn scale_sum_by<V: Lane>(hi: V, lo: V, f1: V, f2: V, inv_f2: V) -> V {
    let h1 = hi * f1; // exact
    let a = h1 * f2; // rounded (only where subnormal)
                     // Exact (Sterbenz), at the unscaled exponent. Only the subnormal range has a remainder;
                     // the select also keeps inf - inf out.
    let rem = h1 - a * inv_f2;
    let rem = V::select(a.abs().lt(V::splat(f32::MIN_POSITIVE)), rem, V::splat(0.0));
    // The remainder and `lo` are added before the scaling, so the one rounding to the
    // subnormal grid sees both (scaling each first would round each to that grid).
    a + (rem + lo * f1) * f2
}

/// Clamp `x` to `[EXP_CLAMP_LO, hi]` (NaN compares false and passes through).
#[inline(always)]
fn clamp<V: Lane>(x: V, hi: f32) -> V {
    let x = V::select(x.lt(V::splat(EXP_CLAMP_LO)), V::splat(EXP_CLAMP_LO), x);
    V::select(x.gt(V::splat(hi)), V::splat(hi), x)
}

/// Reduce `x` (already inside `[-104, 104]`): returns `(r_hi, r_lo, t)` with
/// `x ~ n ln 2 + r_hi + r_lo`, `r_hi` exact, and `t` carrying `n + ROUND_MAGIC` in its low bits.
#[inline(always)]
fn reduce<V: Lane>(x: V) -> (V, V, V) {
    // n = round(x log2 e); x - n LN2_HI is exact, n LN2_LO is tiny.
    let t = x * V::splat(LOG2E) + V::splat(ROUND_MAGIC);
    let n = t - V::splat(ROUND_MAGIC);
    let r_hi = x - n * V::splat(LN2_HI);
    let r_lo = -(n * V::splat(LN2_LO));
    (r_hi, r_lo, t)
}

/// `2^n` for `n` in `[-126, 127]`, where `t` holds `n` as made by [`reduce`]: the biased
/// exponent `n + 127` shifted into place.
#[inline(always)]
pub(crate) fn pow2<V: Lane>(t: V) -> V {
    let biased = t.to_bits() - V::bits_splat(ROUND_MAGIC.to_bits() - 127);
    V::from_bits(V::bits_shl::<23>(biased))
}

/// `2^-n` for `n` in `[-127, 126]`, where `t` holds `n` as made by [`reduce`].
#[inline(always)]
pub(crate) fn inv_pow2<V: Lane>(t: V) -> V {
    let biased = V::bits_splat(ROUND_MAGIC.to_bits() + 127) - t.to_bits();
    V::from_bits(V::bits_shl::<23>(biased))
}

/// The two powers of two whose product is `2^n`, where `t` holds `n` as made by [`reduce`], and
/// their reciprocals.
#[inline(always)]
fn pow2_pair<V: Lane>(t: V) -> (V, V, V, V) {
    // u = n + 150 lies in [0, 300] after the clamp; split it into u1 + u2 so that both
    // 2^(u1 - 75) and 2^(u2 - 75) are normal numbers (biased exponents u + 52 in [52, 202]),
    // and so are their reciprocals (biased exponents 254 - (u + 52) = 202 - u, same range).
    let u = t.to_bits() - V::bits_splat(ROUND_MAGIC.to_bits() - 150);
    let u1 = V::bits_shr::<1>(u);
    let u2 = u - u1;
    let s1 = V::from_bits(V::bits_shl::<23>(u1 + V::bits_splat(52)));
    let s2 = V::from_bits(V::bits_shl::<23>(u2 + V::bits_splat(52)));
    let r1 = V::from_bits(V::bits_shl::<23>(V::bits_splat(202) - u1));
    let r2 = V::from_bits(V::bits_shl::<23>(V::bits_splat(202) - u2));
    (s1, s2, r1, r2)
}

/// Dekker's product without FMA: `a * b == p + err` exactly, for `a`, `b` and `a * b` normal
/// and `|a|, |b| < 2^100` (Veltkamp's splitting by `2^12 + 1` into two 12-bit halves, whose
/// products are exact in `f32`). The crate uses no FMA anywhere, so that every target rounds
/// the same way; this is how it gets the exact remainder of a division.
#[inline(always)]
pub(crate) fn two_prod<V: Lane>(a: V, b: V) -> (V, V) {
    let split = |v: V| {
        let c = v * V::splat(4097.0);
        let hi = c - (c - v);
        (hi, v - hi)
    };
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let err = (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
    (p, err)
}

/// Knuth's TwoSum: `a + b == s + err` exactly.
#[inline(always)]
pub(crate) fn two_sum<V: Lane>(a: V, b: V) -> (V, V) {
    let s = a + b;
    let bb = s - a;
    let err = (a - (s - bb)) + (b - bb);
    (s, err)
}

/// `exp(r)` for the reduced argument of `x` (which must lie in `[-104, 104]`) as `p + p_lo`
/// (`p` rounded to `f32`, together about 2^-30 from `exp(r)`), and `t` holding `n`.
#[inline(always)]
pub(crate) fn exp_core<V: Lane>(x: V) -> (V, V, V) {
    let (r_hi, r_lo, t) = reduce(x);

    // Approximate exp(r) = 1 + r + r^2 P(r), keeping the roundings of the two big additions.
    let r = r_hi + r_lo;
    let q = r * r * horner(r, EXP_PRECISE_P);
    let (s, s_err) = two_sum(r_hi, r_lo + q);
    let one = V::splat(1.0);
    let p = one + s;
    let p_err = (one - p) + s; // Fast2Sum: |1| >= |s|.
    (p, p_err + s_err, t)
}

/// `exp(r)` for the reduced argument of `x` (in `[-104, 104]`) as one `f32` `p` (about 1 ULP),
/// and `t` holding `n`: the same `p` and `t` as [`exp_core`], without its low part.
#[inline(always)]
pub(crate) fn exp_core_plain<V: Lane>(x: V) -> (V, V) {
    let (r_hi, r_lo, t) = reduce(x);
    let r = r_hi + r_lo;
    let q = r * r * horner(r, EXP_PRECISE_P);
    (V::splat(1.0) + (r_hi + (r_lo + q)), t)
}

/// The pieces of the precise `exp(x)`, for `x` clamped to `[-104, hi]` (`hi <= 104`; above
/// 89 only `P` and `n` are meaningful, since `2^n` overflows).
#[inline(always)]
pub(crate) fn exp_parts<V: Lane>(x: V, hi: f32) -> ExpParts<V> {
    exp_parts_of_clamped(clamp(x, hi))
}

/// [`exp_parts`] of an `x` already inside `[-104, 104]`.
#[inline(always)]
fn exp_parts_of_clamped<V: Lane>(x: V) -> ExpParts<V> {
    let (p, p_lo, t) = exp_core(x);
    let (s1, s2, r1, r2) = pow2_pair(t);
    ExpParts {
        p,
        p_lo,
        s1,
        s2,
        r1,
        r2,
    }
}

/// Inputs from here to [`EXP_DIRECT_HI`] take the direct path of the precise `exp`: there
/// `n = round(x log2 e)` lies in `[-124, 127]`, so the result is a normal number (at least
/// about `2^-124.6`) and `2^n` is one normal number.
pub(crate) const EXP_DIRECT_LO: f32 = -86.0;
/// Upper end of the direct path (`exp(88)` is finite and `n <= 127`).
pub(crate) const EXP_DIRECT_HI: f32 = 88.0;

/// `(p + p_lo) 2^n` for inputs in `[EXP_DIRECT_LO, EXP_DIRECT_HI]`: `p + p_lo` rounded once,
/// then scaled exactly (the result is normal).
#[inline(always)]
fn direct_scale<V: Lane>(p: V, p_lo: V, pow2_n: V) -> V {
    (p + p_lo) * pow2_n
}

/// The general path's reconstruction: [`direct_scale`] where `direct` (the same bits as the
/// direct path), elsewhere one rounding of `(p + p_lo) 2^n` into the subnormal range
/// ([`ExpParts::scale_sum`]) or the overflow.
#[inline(always)]
fn general_scale<V: Lane>(e: &ExpParts<V>, direct: V::Mask) -> V {
    // s1 s2 = 2^n exactly where direct (n >= -124).
    select_lazy!(
        V,
        direct,
        direct_scale(e.p, e.p_lo, e.s1 * e.s2),
        e.scale_sum(e.p, e.p_lo)
    )
}

/// Precise-tier `exp`.
///
/// Where every lane lies in `[EXP_DIRECT_LO, EXP_DIRECT_HI]` (the common case, and for `f32` a
/// per-element branch) the direct path runs: `(p + p_lo) 2^n` is rounded once and scaled
/// exactly, with no clamp, no NaN handling and no subnormal rounding. Otherwise the general
/// path clamps, handles NaN, and reconstructs the direct lanes with the same formula (so a
/// lane's bits do not depend on its neighbours) and the others with one rounding into the
/// subnormal range or the overflow.
#[inline(always)]
pub(crate) fn exp_precise<V: Lane>(x: V) -> V {
    let direct = V::splat(EXP_DIRECT_LO).le(x) & x.le(V::splat(EXP_DIRECT_HI));
    if DIRECT_PATHS && V::all(direct) {
        let (p, p_lo, t) = exp_core(x);
        direct_scale(p, p_lo, pow2(t))
    } else {
        let e = exp_parts(x, EXP_CLAMP_HI);
        x.nan_or(general_scale(&e, direct))
    }
}

/// Precise-tier `exp` for inputs that are `<= 0` and not NaN (softmax's shifted logits): the
/// same bits as [`exp_precise`] there, without the upper clamp and the NaN handling, which
/// such inputs never need (a smaller softmax on firmware).
#[inline(always)]
pub(crate) fn exp_precise_nonpositive<V: Lane>(x: V) -> V {
    let direct = V::splat(EXP_DIRECT_LO).le(x);
    if DIRECT_PATHS && V::all(direct) {
        let (p, p_lo, t) = exp_core(x);
        direct_scale(p, p_lo, pow2(t))
    } else {
        let lo = V::splat(EXP_CLAMP_LO);
        let e = exp_parts_of_clamped(V::select(x.lt(lo), lo, x));
        general_scale(&e, direct)
    }
}

/// Fast tier: `2^f ~ 1 + f + f (f - 1) Q(f)` on `[0, 1]`; `EXP2_FAST_Q[k]` multiplies `f^k`
/// in `Q`.
///
/// Fit: Sollya `fpminimax` of `(2^f - 1 - f) / (f (f - 1))`, single-precision coefficients,
/// degree 4 overall (`tools/fit_fast/exp2_fast.sollya`, fit `exp2_fast_q_deg2`). Relative error
/// of `p` in exact arithmetic: 9.0e-6 (2^-16.8). The form makes `p(0) = 1` and `p(1) = 2`
/// exact, so `2^n p(f)` does not step backwards where `n` steps up.
const EXP2_FAST_Q: [f32; 3] = [
    f32::from_bits(0x3E9D_22BC), // f^0: 0.30690563
    f32::from_bits(0x3D86_7474), // f^1: 0.065651804
    f32::from_bits(0x3C5F_F9FB), // f^2: 0.013670440
];
/// Below this the exact `exp` is below `2^-126`; the fast tier flushes it to `+0`.
pub(crate) const EXP_FAST_LO: f32 = f32::from_bits(0xC2AE_AC4F); // -87.33654
/// The largest `x` whose `exp` is finite in `f32`.
pub(crate) const EXP_FAST_HI: f32 = f32::from_bits(0x42B1_7217); // 88.72283

/// `2^(x log2 e)` for `x` in `[EXP_FAST_LO, EXP_FAST_HI]`: floor-like reduction, the polynomial,
/// one exact scaling by `2^n` (`n` in `[-126, 127]`).
#[inline(always)]
pub(crate) fn exp_fast_in_range<V: Lane>(x: V) -> V {
    // Reduce: t = x log2 e = n + f with n = round(t - 1/2) (exact subtraction, |t| < 128), so
    // f = t - n lies in [0, 1]. n is floor(t) except where t is an integer k and k - 1/2 rounds
    // to the even k - 1: there f = 1, and p(1) 2^(k-1) = 2^k = p(0) 2^k, the same value.
    // (At the clamp's lower end t = -126 is even, so n stays >= -126.)
    let t = x * V::splat(LOG2E);
    let n = ((t - V::splat(0.5)) + V::splat(ROUND_MAGIC)) - V::splat(ROUND_MAGIC);
    let f = t - n;

    // Approximate 2^f.
    let one = V::splat(1.0);
    let p = one + (f + (f * (f - one)) * horner(f, EXP2_FAST_Q));

    // Reconstruct with one exact scaling by 2^n.
    p * pow2(n + V::splat(ROUND_MAGIC))
}

/// Fast-tier `exp`: `2^(x log2 e)` with floor-like reduction (no Cody-Waite: the rounding of
/// `x log2 e` costs at most 2^-17 relative, well inside the tier's 2^-12), a degree-4
/// polynomial, and one scaling. Results below `2^-126` are flushed to `+0`.
///
/// Where every lane is inside the clamp (for `f32`, a per-element branch) only the core runs;
/// otherwise the clamp, the flush, the overflow and NaN are handled around the same core.
#[inline(always)]
pub(crate) fn exp_fast<V: Lane>(x: V) -> V {
    let lo = V::splat(EXP_FAST_LO);
    let hi = V::splat(EXP_FAST_HI);
    if DIRECT_PATHS && V::all(lo.le(x) & x.le(hi)) {
        return exp_fast_in_range(x);
    }
    // Clamp into the range where 2^n is a normal number (NaN passes through).
    let xc = V::select(x.lt(lo), lo, x);
    let xc = V::select(xc.gt(hi), hi, xc);
    let y = exp_fast_in_range(xc);
    // Outside the clamp: flush to +0, or overflow to +inf.
    let y = V::select(x.lt(lo), V::splat(0.0), y);
    let y = V::select(x.gt(hi), V::splat(f32::INFINITY), y);
    x.nan_or(y)
}

/// How far below [`EXP_FAST_LO`] the fast softmax still clamps instead of flushing: more than
/// the rounding error of its uncompensated shift `x - max` (at most 2^-18, about 3.8e-6, where
/// the difference is near -87.3).
const SOFTMAX_FLUSH_SLACK: f32 = 1.0e-5;

/// Fast-tier `exp` for inputs that are `<= 0` and not NaN: softmax's shifted logits `x - max`,
/// which the fast tier does not compensate for the rounding of the subtraction. As
/// [`exp_fast`], except that arguments up to [`SOFTMAX_FLUSH_SLACK`] below the clamp are
/// clamped (giving about 2^-126, within 2^-16 of the exact value) rather than flushed to `+0`:
/// otherwise a softmax element whose exact value is just above 2^-126, and so must not be
/// flushed, could be, because the rounded shift fell just below the clamp (found by the
/// `softmax_row` fuzz target). No overflow or NaN handling: such inputs never come here.
#[inline(always)]
pub(crate) fn exp_fast_nonpositive<V: Lane>(x: V) -> V {
    let lo = V::splat(EXP_FAST_LO);
    if DIRECT_PATHS && V::all(lo.le(x)) {
        return exp_fast_in_range(x);
    }
    let flush = x.lt(V::splat(EXP_FAST_LO - SOFTMAX_FLUSH_SLACK));
    let y = exp_fast_in_range(V::select(x.lt(lo), lo, x));
    V::select(flush, V::splat(0.0), y)
}

//! Softmax of a row, and of a batch of rows, in three passes: maximum, exponentials with a
//! compensated sum, division.
//!
//! Determinism: the sum is accumulated in eight fixed partial sums (element `i` goes to
//! partial `i % 8`) that are combined in a fixed order, whatever lane type or remainder
//! handles the element, so a row gives the same bits alone, inside a batch, or through the
//! lane layer.
//!
//! Special rows (SPEC.md section 3): a NaN anywhere makes the whole row NaN; `+inf` entries
//! share 1 equally and the rest get 0; a row of only `-inf` (fully masked) gives all 0; an
//! empty row is left as it is.

use crate::{Error, Lane};
#[cfg(any(
    target_feature = "sse",
    target_feature = "simd128",
    all(target_feature = "neon", target_arch = "aarch64")
))]
use wide::f32x8;

/// Which `exp` a tier's softmax uses, and whether it pays for the compensated `x - max`.
pub(crate) trait SoftmaxTier {
    /// The tier's `exp`, for the inputs softmax gives it: `x - max`, which is `<= 0` (possibly
    /// `-inf`) and never NaN (rows with NaN or infinite maximum are handled before).
    fn exp<V: Lane>(x: V) -> V;
    /// Recover the rounding error of `x - max` and apply it as `exp(hi) * (1 + lo)`.
    const COMPENSATE_SHIFT: bool;
}

/// `exp(x - m)` for one lane value, with the shift's rounding error folded back in.
#[inline(always)]
fn shifted_exp<T: SoftmaxTier, V: Lane>(x: V, m: V) -> V {
    let hi = x - m;
    let e = T::exp(hi);
    if T::COMPENSATE_SHIFT {
        // TwoSum (Knuth): hi + lo == x - m exactly, for finite x and m.
        let bb = hi - x;
        let lo = (x - (hi - bb)) + (-m - bb);
        // Infinite hi (x = -inf, or an overflowing difference) makes lo NaN; e is 0 there.
        let lo = V::select(hi.lt(V::splat(-200.0)), V::splat(0.0), lo);
        e + e * lo
    } else {
        e
    }
}

/// Neumaier's compensated addition of `v` to the running sum `(s, c)`; `v >= 0` here.
#[inline(always)]
fn add_compensated<V: Lane>(s: V, c: V, v: V) -> (V, V) {
    let t = s + v;
    // Whichever of s and v is larger in magnitude is exact in t; recover the other's loss.
    let big_s = s.gt(v);
    let lost = V::select(big_s, (s - t) + v, (v - t) + s);
    (t, c + lost)
}

// Whether `wide` has a SIMD backend on this target: the cfg macros of `crate::driver`.
// Without one, `f32x8` is eight copies of scalar code, so the passes below run a plain scalar
// loop instead. Both forms give the same bits: the maximum is the same value, element `i`
// goes to partial `i % 8` either way, and every element gets the same operations.
use crate::driver::{cfg_no_wide_simd, cfg_wide_simd};

cfg_wide_simd! {
    /// The row's maximum, and whether it holds a NaN.
    #[inline(always)]
    fn max_and_nan(row: &[f32]) -> (f32, bool) {
        let (chunks, rest) = row.as_chunks::<8>();
        let mut mv = f32x8::splat(f32::NEG_INFINITY);
        let mut nan = f32x8::splat(0.0);
        for c in chunks {
            let v = f32x8::new(*c);
            mv = Lane::select(v.gt(mv), v, mv);
            nan = Lane::select(Lane::is_nan(v), f32x8::splat(1.0), nan);
        }
        let mut m = f32::NEG_INFINITY;
        let mut any_nan = nan.to_array().iter().any(|&f| f != 0.0);
        for &v in mv.to_array().iter().chain(rest) {
            any_nan |= v.is_nan();
            if v > m {
                m = v;
            }
        }
        (m, any_nan)
    }

    /// Replaces each `x_i` by `exp(x_i - m)`; returns the eight partial sums and their
    /// compensations (element `i` in partial `i % 8`).
    #[inline(always)]
    fn exp_and_partials<T: SoftmaxTier>(row: &mut [f32], m: f32) -> ([f32; 8], [f32; 8]) {
        let (chunks, rest) = row.as_chunks_mut::<8>();
        let mut s = f32x8::splat(0.0);
        let mut c = f32x8::splat(0.0);
        let m8 = f32x8::splat(m);
        for ch in chunks {
            let e = shifted_exp::<T, f32x8>(f32x8::new(*ch), m8);
            (s, c) = add_compensated(s, c, e);
            *ch = e.to_array();
        }
        let mut sa = s.to_array();
        let mut ca = c.to_array();
        for ((v, sj), cj) in rest.iter_mut().zip(sa.iter_mut()).zip(ca.iter_mut()) {
            let e = shifted_exp::<T, f32>(*v, m);
            (*sj, *cj) = add_compensated(*sj, *cj, e);
            *v = e;
        }
        (sa, ca)
    }

    /// Divides every element by `sum`.
    #[inline(always)]
    fn divide(row: &mut [f32], sum: f32) {
        let (chunks, rest) = row.as_chunks_mut::<8>();
        let sum8 = f32x8::splat(sum);
        for ch in chunks {
            *ch = (f32x8::new(*ch) / sum8).to_array();
        }
        for v in rest {
            *v /= sum;
        }
    }
}

cfg_no_wide_simd! {
    /// The row's maximum, and whether it holds a NaN.
    #[inline(always)]
    fn max_and_nan(row: &[f32]) -> (f32, bool) {
        let mut m = f32::NEG_INFINITY;
        let mut any_nan = false;
        for &v in row {
            any_nan |= v.is_nan();
            if v > m {
                m = v;
            }
        }
        (m, any_nan)
    }

    /// Replaces each `x_i` by `exp(x_i - m)`; returns the eight partial sums and their
    /// compensations (element `i` in partial `i % 8`).
    #[inline(always)]
    fn exp_and_partials<T: SoftmaxTier>(row: &mut [f32], m: f32) -> ([f32; 8], [f32; 8]) {
        // One partial at a time (elements k, k + 8, ...): the same additions in the same order
        // as the vector form, and no zeroed array to clear.
        let parts: [(f32, f32); 8] = core::array::from_fn(|k| {
            let (mut s, mut c) = (0.0, 0.0);
            for v in row.iter_mut().skip(k).step_by(8) {
                let e = shifted_exp::<T, f32>(*v, m);
                (s, c) = add_compensated(s, c, e);
                *v = e;
            }
            (s, c)
        });
        (parts.map(|p| p.0), parts.map(|p| p.1))
    }

    /// Divides every element by `sum`.
    #[inline(always)]
    fn divide(row: &mut [f32], sum: f32) {
        for v in row {
            *v /= sum;
        }
    }
}

/// Softmax of one row, in place.
pub(crate) fn softmax_row<T: SoftmaxTier>(row: &mut [f32]) {
    if row.is_empty() {
        return;
    }

    // Pass 1: maximum, and whether any NaN is present.
    let (m, any_nan) = max_and_nan(row);

    // Special rows.
    if any_nan {
        row.fill(f32::NAN);
        return;
    }
    if m.is_infinite() {
        // `+inf` entries share 1 equally, the rest get 0. A row whose maximum is `-inf` has no
        // `+inf` entry, so this makes it all 0 (one loop for both cases keeps the code small).
        let k = row.iter().filter(|&&v| v == f32::INFINITY).count();
        let share = 1.0 / k as f32;
        for v in row.iter_mut() {
            *v = if *v == f32::INFINITY { share } else { 0.0 };
        }
        return;
    }

    // Pass 2: e_i = exp(x_i - m), stored in place, summed in eight compensated partials.
    let (sa, ca) = exp_and_partials::<T>(row, m);

    // Combine the partials in a fixed order (0, 4, 2, 6, 1, 5, 3, 7), then add the
    // compensations in a fixed tree.
    let [s0, s1, s2, s3, s4, s5, s6, s7] = sa;
    let [c0, c1, c2, c3, c4, c5, c6, c7] = ca;
    let (mut t, mut u) = (s0, 0.0);
    for v in [s4, s2, s6, s1, s5, s3, s7] {
        (t, u) = add_compensated(t, u, v);
    }
    let comp = ((c0 + c4) + (c2 + c6)) + ((c1 + c5) + (c3 + c7));
    let sum = t + (u + comp);

    // Pass 3: divide (one correctly rounded division per element).
    divide(row, sum);
}

/// Softmax of `src` into `dst`.
pub(crate) fn softmax_into<T: SoftmaxTier>(src: &[f32], dst: &mut [f32]) -> Result<(), Error> {
    if src.len() != dst.len() {
        return Err(Error::LengthMismatch {
            src: src.len(),
            dst: dst.len(),
        });
    }
    dst.copy_from_slice(src);
    softmax_row::<T>(dst);
    Ok(())
}

fn check_batch(len: usize, row_len: usize) -> Result<(), Error> {
    if len == 0 {
        return Ok(());
    }
    if row_len == 0 || !len.is_multiple_of(row_len) {
        return Err(Error::RaggedBatch { len, row_len });
    }
    Ok(())
}

/// Softmax of each row of `data`, in place.
pub(crate) fn softmax_batch_in_place<T: SoftmaxTier>(
    data: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    check_batch(data.len(), row_len)?;
    if row_len != 0 {
        for row in data.chunks_exact_mut(row_len) {
            softmax_row::<T>(row);
        }
    }
    Ok(())
}

/// Softmax of each row of `src`, into `dst`.
pub(crate) fn softmax_batch_into<T: SoftmaxTier>(
    src: &[f32],
    dst: &mut [f32],
    row_len: usize,
) -> Result<(), Error> {
    if src.len() != dst.len() {
        return Err(Error::LengthMismatch {
            src: src.len(),
            dst: dst.len(),
        });
    }
    check_batch(src.len(), row_len)?;
    dst.copy_from_slice(src);
    softmax_batch_in_place::<T>(dst, row_len)
}

/// Softmax of the lanes of `x`, taken as one row.
#[inline]
pub(crate) fn softmax_lanes<T: SoftmaxTier, V: Lane>(x: V) -> V {
    let mut buf = [0.0f32; 8];
    let n = V::LANES.min(buf.len());
    let row = buf.get_mut(..n).unwrap_or_default();
    x.write_to(row);
    softmax_row::<T>(row);
    V::read_from(row)
}

/// Defines a tier's public softmax functions (lane, row in place and into, batch in place and
/// into) on its [`SoftmaxTier`].
macro_rules! softmax_fns {
    ($tier:ty, $cmd:literal) => {
        /// Softmax of the lanes of `x`, taken as one row. Gives the same bits as
        /// [`softmax_in_place`] on the same values.
        ///
        /// # Accuracy
        ///
        /// Each element is within a few ULP of the exact row result (relative to it, in this tier's
        /// terms); the bound measured on random and adversarial rows is in README.md
        #[doc = concat!("(`", $cmd, "`).")]
        ///
        /// # Special values
        ///
        /// A NaN anywhere makes the whole row NaN; `+inf` entries share 1 equally and the others get 0;
        /// `-inf` entries get 0, and a row of only `-inf` (fully masked) gives all 0.
        #[inline]
        pub fn softmax<V: Lane>(x: V) -> V {
            $crate::softmax::softmax_lanes::<$tier, V>(x)
        }

        /// Softmax of one row, in place. An empty row is left as it is. See [`softmax`] for accuracy
        /// and special values.
        pub fn softmax_in_place(row: &mut [f32]) {
            $crate::softmax::softmax_row::<$tier>(row)
        }

        /// Softmax of the row `src`, written to `dst`.
        ///
        /// # Errors
        ///
        /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) if the lengths differ; `dst` is then left untouched.
        pub fn softmax_into(src: &[f32], dst: &mut [f32]) -> Result<(), $crate::Error> {
            $crate::softmax::softmax_into::<$tier>(src, dst)
        }

        /// Softmax of each row of `data` (rows of `row_len` consecutive elements), in place. Each row
        /// gives the same bits as it would alone.
        ///
        /// # Errors
        ///
        /// [`Error::RaggedBatch`](crate::Error::RaggedBatch) if `data` is not empty and `row_len` is zero or does not divide
        /// `data.len()`; nothing is written then.
        pub fn softmax_batch_in_place(
            data: &mut [f32],
            row_len: usize,
        ) -> Result<(), $crate::Error> {
            $crate::softmax::softmax_batch_in_place::<$tier>(data, row_len)
        }

        /// Softmax of each row of `src`, written to `dst`.
        ///
        /// # Errors
        ///
        /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) if the lengths differ, else [`Error::RaggedBatch`](crate::Error::RaggedBatch) as in
        /// [`softmax_batch_in_place`]; `dst` is left untouched in both cases.
        pub fn softmax_batch_into(
            src: &[f32],
            dst: &mut [f32],
            row_len: usize,
        ) -> Result<(), $crate::Error> {
            $crate::softmax::softmax_batch_into::<$tier>(src, dst, row_len)
        }
    };
}
pub(crate) use softmax_fns;

//! The slice driver: runs a kernel over every element of a slice.
//!
//! Two strategies, chosen at compile time by whether `wide` has a SIMD backend on the target:
//!
//! - With one (x86/x86_64 with SSE, aarch64 with NEON, wasm32 with `simd128`; the cfgs below
//!   mirror the ones `wide` itself selects its backend with), eight lanes at a time through
//!   [`wide::f32x8`], and the scalar instantiation of the same kernel over the remainder.
//! - Without one (e.g. Cortex-M, RISC-V, wasm32 without `simd128`), `f32x8` is eight copies of
//!   scalar code: the lane loop would be several KiB of flash and no faster than the scalar
//!   kernel. There the slice functions run the scalar (`f32`) kernel in a plain loop.
//!
//! Because every kernel is one generic function (see [`crate::Lane`]) that computes each lane
//! exactly as the scalar instantiation does, an element's result does not depend on whether it
//! lands in a vector chunk, in the remainder, or in the scalar loop: both strategies give the
//! same bits (`tests/layers.rs` and the exhaustive checker enforce scalar == lane bits). The
//! choice only trades code size against speed.

use crate::{Error, Lane};

/// A unary kernel, written once for every lane type.
pub(crate) trait Kernel {
    fn apply<V: Lane>(x: V) -> V;
    /// Run the slice functions as a plain scalar loop, for the compiler to vectorise with
    /// whatever the build enables (AVX-512 included), rather than through `f32x8`. Worth it
    /// for the kernels that are a compare and a mask, where the loop is bound by loads and
    /// stores and wider registers move more per instruction; the bits are the same either way.
    const SCALAR_LOOP: bool = false;
}

/// Whether `wide` has a SIMD backend for its float vectors on this target. Mirrors the cfgs of
/// `wide`'s `f32x4` (and so `f32x8`): SSE, wasm `simd128`, or NEON on aarch64.
macro_rules! cfg_wide_simd {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                target_feature = "sse",
                target_feature = "simd128",
                all(target_feature = "neon", target_arch = "aarch64")
            ))]
            $item
        )*
    };
}

/// The complement of [`cfg_wide_simd`]: targets where `wide`'s vectors are plain arrays.
macro_rules! cfg_no_wide_simd {
    ($($item:item)*) => {
        $(
            #[cfg(not(any(
                target_feature = "sse",
                target_feature = "simd128",
                all(target_feature = "neon", target_arch = "aarch64")
            )))]
            $item
        )*
    };
}

pub(crate) use {cfg_no_wide_simd, cfg_wide_simd};

cfg_wide_simd! {
    /// Apply `K` to every element of `data`: eight lanes at a time, then the remainder.
    #[inline]
    pub(crate) fn map_in_place<K: Kernel>(data: &mut [f32]) {
        if K::SCALAR_LOOP {
            for x in data {
                *x = K::apply(*x);
            }
            return;
        }
        let (chunks, rest) = data.as_chunks_mut::<8>();
        for c in chunks {
            *c = K::apply(wide::f32x8::new(*c)).to_array();
        }
        for x in rest {
            *x = K::apply(*x);
        }
    }

    /// Apply `K` to every element of `src`, writing to `dst`: eight lanes at a time, then the
    /// remainder. The lengths are already checked equal.
    #[inline]
    fn map_pairs<K: Kernel>(src: &[f32], dst: &mut [f32]) {
        if K::SCALAR_LOOP {
            for (s, d) in src.iter().zip(dst) {
                *d = K::apply(*s);
            }
            return;
        }
        let (sc, sr) = src.as_chunks::<8>();
        let (dc, dr) = dst.as_chunks_mut::<8>();
        for (s, d) in sc.iter().zip(dc) {
            *d = K::apply(wide::f32x8::new(*s)).to_array();
        }
        for (s, d) in sr.iter().zip(dr) {
            *d = K::apply(*s);
        }
    }
}

cfg_no_wide_simd! {
    /// Apply `K` to every element of `data`: the scalar kernel in a plain loop.
    #[inline]
    pub(crate) fn map_in_place<K: Kernel>(data: &mut [f32]) {
        let _ = K::SCALAR_LOOP; // Here every kernel runs as a plain loop.
        for x in data {
            *x = K::apply(*x);
        }
    }

    /// Apply `K` to every element of `src`, writing to `dst`: the scalar kernel in a plain loop.
    /// The lengths are already checked equal.
    #[inline]
    fn map_pairs<K: Kernel>(src: &[f32], dst: &mut [f32]) {
        for (s, d) in src.iter().zip(dst) {
            *d = K::apply(*s);
        }
    }
}

/// Apply `K` to every element of `src`, writing to `dst`. Checks the lengths before writing.
#[inline]
pub(crate) fn map_into<K: Kernel>(src: &[f32], dst: &mut [f32]) -> Result<(), Error> {
    if src.len() != dst.len() {
        return Err(Error::LengthMismatch {
            src: src.len(),
            dst: dst.len(),
        });
    }
    map_pairs::<K>(src, dst);
    Ok(())
}

/// Defines the public `NAME_in_place` / `NAME_into` pair for a kernel.
macro_rules! slice_fns {
    ($kernel:ty, $in_place:ident, $into:ident, $what:literal) => {
        #[doc = concat!("Apply ", $what, " to every element of `data`, in place.")]
        ///
        /// Results are bit-identical to the scalar and lane layers for every element. See the
        /// lane function of the same name for accuracy and special values.
        #[inline]
        pub fn $in_place(data: &mut [f32]) {
            $crate::driver::map_in_place::<$kernel>(data)
        }

        #[doc = concat!("Apply ", $what, " to every element of `src`, writing to `dst`.")]
        ///
        /// # Errors
        ///
        /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) if the lengths differ;
        /// `dst` is then left untouched.
        #[inline]
        pub fn $into(src: &[f32], dst: &mut [f32]) -> Result<(), $crate::Error> {
            $crate::driver::map_into::<$kernel>(src, dst)
        }
    };
}
pub(crate) use slice_fns;

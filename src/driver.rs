//! The slice driver: runs a lane kernel over a slice, eight lanes at a time, and the scalar
//! instantiation of the same kernel over the remainder.
//!
//! Because every kernel is one generic function (see [`crate::Lane`]), an element's result does
//! not depend on whether it lands in a vector chunk or in the remainder.

use crate::{Error, Lane};
use wide::f32x8;

/// A unary kernel, written once for every lane type.
pub(crate) trait Kernel {
    fn apply<V: Lane>(x: V) -> V;
}

/// Apply `K` to every element of `data`.
#[inline]
pub(crate) fn map_in_place<K: Kernel>(data: &mut [f32]) {
    let (chunks, rest) = data.as_chunks_mut::<8>();
    for c in chunks {
        *c = K::apply(f32x8::new(*c)).to_array();
    }
    for x in rest {
        *x = K::apply(*x);
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
    let (sc, sr) = src.as_chunks::<8>();
    let (dc, dr) = dst.as_chunks_mut::<8>();
    for (s, d) in sc.iter().zip(dc) {
        *d = K::apply(f32x8::new(*s)).to_array();
    }
    for (s, d) in sr.iter().zip(dr) {
        *d = K::apply(*s);
    }
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

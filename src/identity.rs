//! Identity (linear activation): a bit-exact copy.

use crate::Error;
use crate::Lane;

/// Identity: returns `x` unchanged, bits included (NaN payloads and signed zeros too).
///
/// # Accuracy
///
/// Exact in every tier.
#[inline(always)]
pub fn identity<V: Lane>(x: V) -> V {
    x
}

/// Identity in place: does nothing, and exists so that every activation has the same set of
/// entry points.
#[inline]
pub fn identity_in_place(data: &mut [f32]) {
    let _ = data;
}

/// Identity from `src` to `dst`: a bit-exact copy.
///
/// # Errors
///
/// [`Error::LengthMismatch`] if the lengths differ; `dst` is then left untouched.
#[inline]
pub fn identity_into(src: &[f32], dst: &mut [f32]) -> Result<(), Error> {
    if src.len() != dst.len() {
        return Err(Error::LengthMismatch {
            src: src.len(),
            dst: dst.len(),
        });
    }
    dst.copy_from_slice(src);
    Ok(())
}

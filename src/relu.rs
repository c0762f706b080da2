//! ReLU: `max(x, 0)`, exact.

use crate::driver::{slice_fns, Kernel};
use crate::Lane;

/// ReLU, `max(x, 0)`, on every lane of `x`.
///
/// # Accuracy
///
/// Exact in every tier.
///
/// # Special values
///
/// NaN gives the same NaN (its bits are kept), `+inf` gives `+inf`, `-inf`, `-0.0` and every
/// negative value give `+0.0`: the result is never `-0.0`. Note: x86's `maxps` returns its
/// second operand when either is NaN, so a plain `max(x, 0)` would turn NaN into 0 on some
/// lanes; this kernel tests for NaN explicitly instead.
#[inline(always)]
pub fn relu<V: Lane>(x: V) -> V {
    // `x <= 0` is false for NaN, so NaN keeps its bits and `-0` becomes `+0`; one compare and
    // one mask (a plain `max(x, 0)` would lose NaN on x86, whose `maxps` returns the second
    // operand when either is NaN).
    let zero = V::splat(0.0);
    V::select(x.le(zero), zero, x)
}

pub(crate) struct Relu;
impl Kernel for Relu {
    #[inline(always)]
    fn apply<V: Lane>(x: V) -> V {
        relu(x)
    }
    const SCALAR_LOOP: bool = true;
}

slice_fns!(Relu, relu_in_place, relu_into, "ReLU");

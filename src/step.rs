//! Binary step (Heaviside), with `H(0) = 1`. Exact.

use crate::driver::{slice_fns, Kernel};
use crate::Lane;

/// Binary step (Heaviside): `0` for `x < 0`, `1` for `x >= 0`, on every lane of `x`.
///
/// # Accuracy
///
/// Exact in every tier.
///
/// # Special values
///
/// NaN gives the same NaN (its bits are kept), `+0.0` and `-0.0` give `1` (`H(0) = 1`),
/// `+inf` gives `1`, `-inf` gives `0`.
#[inline(always)]
pub fn step<V: Lane>(x: V) -> V {
    let h = V::select(x.lt(V::splat(0.0)), V::splat(0.0), V::splat(1.0));
    V::select(x.is_nan(), x, h)
}

pub(crate) struct Step;
impl Kernel for Step {
    #[inline(always)]
    fn apply<V: Lane>(x: V) -> V {
        step(x)
    }
    const SCALAR_LOOP: bool = true;
}

slice_fns!(Step, step_in_place, step_into, "the binary step");

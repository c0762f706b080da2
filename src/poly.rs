//! Polynomial evaluation shared by the kernels.

use crate::Lane;

/// Horner evaluation of `c[0] + c[1] x + c[2] x^2 + ...`, coefficients numbered by the power
/// of `x` they multiply. Plain multiply and add (no FMA; see [`crate::Lane`]).
#[inline(always)]
pub(crate) fn horner<V: Lane, const N: usize>(x: V, c: [f32; N]) -> V {
    let mut acc = V::splat(0.0);
    let mut first = true;
    for &ci in c.iter().rev() {
        acc = if first {
            V::splat(ci)
        } else {
            acc * x + V::splat(ci)
        };
        first = false;
    }
    acc
}

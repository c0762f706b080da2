//! Polynomial evaluation shared by the kernels.

use crate::Lane;

/// Horner evaluation of `c[0] + c[1] x + c[2] x^2 + ...`, coefficients numbered by the power
/// of `x` they multiply: `(((c[n-1] x + c[n-2]) x + ...) x + c[0]`. Plain multiply and add (no
/// FMA; see [`crate::Lane`]).
///
/// Written out for the lengths the kernels use rather than as a loop: at `opt-level = "s"`
/// LLVM keeps a loop over the coefficients rolled (a stack copy of the array and a branch per
/// term, about twice the instructions of the whole `exp`). The loop below serves other lengths
/// and computes the same operations in the same order.
#[inline(always)]
pub(crate) fn horner<V: Lane, const N: usize>(x: V, c: [f32; N]) -> V {
    let k = |v: &f32| V::splat(*v);
    match c.as_slice() {
        [c0, c1, c2] => (k(c2) * x + k(c1)) * x + k(c0),
        [c0, c1, c2, c3] => ((k(c3) * x + k(c2)) * x + k(c1)) * x + k(c0),
        [c0, c1, c2, c3, c4] => (((k(c4) * x + k(c3)) * x + k(c2)) * x + k(c1)) * x + k(c0),
        [c0, c1, c2, c3, c4, c5] => {
            ((((k(c5) * x + k(c4)) * x + k(c3)) * x + k(c2)) * x + k(c1)) * x + k(c0)
        }
        _ => {
            let mut acc = V::splat(0.0);
            let mut first = true;
            for ci in c.iter().rev() {
                acc = if first { k(ci) } else { acc * x + k(ci) };
                first = false;
            }
            acc
        }
    }
}

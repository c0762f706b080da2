//! The [`Lane`] abstraction: one kernel source for scalar `f32` and for `wide` vectors.
//!
//! Every kernel in this crate is written once, generic over `V: Lane`, and instantiated for
//! `f32` (the scalar layer, also used for slice remainders), [`wide::f32x4`] and [`wide::f32x8`].
//! Because the same sequence of IEEE 754 operations runs in each instantiation, the results are
//! bit-identical across layers (SPEC.md section 2).
//!
//! Note: the trait deliberately offers no fused multiply-add. `wide` fuses only when the build
//! enables FMA, so using it would make results depend on `target-cpu`; with plain `*` and `+`
//! (which Rust never contracts) every build and every target, Cortex-M included, computes the
//! same bits. Cost: about one extra instruction per polynomial term on FMA hardware.

use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Sub};
use wide::{f32x4, f32x8, u32x4, u32x8};

/// Whether the kernels take their direct paths where a whole vector (or, for `f32`, the element)
/// qualifies; see each kernel and `build.rs`. False when the library is built for small code
/// (`opt-level = "s"` or `"z"`): the direct paths roughly double a kernel's code and only ever
/// give the bits the general path gives.
pub(crate) const DIRECT_PATHS: bool = !cfg!(compact_kernels);

/// `select_lazy!(V, m, a, b)`: lane-wise `if m { a } else { b }` for `V: Lane`, evaluating the
/// expression `a` only if some lane of `m` is true and `b` only if some lane is false: for
/// `f32` a plain branch, for a vector a branch on the whole mask. Both must be pure functions of
/// the lanes, so that no lane's result depends on whether the other side ran. (A macro rather
/// than a function taking closures: LLVM does not always inline a large closure called through
/// a generic function, which turned the Cortex-M sigmoid into a call per element.)
macro_rules! select_lazy {
    ($V:ty, $m:expr, $a:expr, $b:expr) => {{
        let m = $m;
        let ya = if <$V as $crate::Lane>::any(m) {
            $a
        } else {
            <$V as $crate::Lane>::splat(0.0)
        };
        let yb = if <$V as $crate::Lane>::all(m) {
            <$V as $crate::Lane>::splat(0.0)
        } else {
            $b
        };
        <$V as $crate::Lane>::select(m, ya, yb)
    }};
}
pub(crate) use select_lazy;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for wide::f32x4 {}
    impl Sealed for wide::f32x8 {}
}

/// A value made of `LANES` independent `f32` lanes: `f32` itself, [`wide::f32x4`] or
/// [`wide::f32x8`].
///
/// The trait is sealed: its methods are the primitive operations the kernels are built from,
/// and adding a type would break the bit-identity guarantee unless it is checked like the
/// others.
pub trait Lane:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + sealed::Sealed
{
    /// Integer vector with the raw bits of each lane.
    #[doc(hidden)]
    type Bits: Copy
        + Add<Output = Self::Bits>
        + Sub<Output = Self::Bits>
        + BitAnd<Output = Self::Bits>
        + BitOr<Output = Self::Bits>;
    /// Per-lane boolean, as produced by comparisons.
    #[doc(hidden)]
    type Mask: Copy + BitAnd<Output = Self::Mask> + BitOr<Output = Self::Mask>;

    /// Number of `f32` lanes.
    const LANES: usize;

    /// Every lane set to `v`.
    fn splat(v: f32) -> Self;

    /// The lanes in order, written to the front of `out` (which must hold `LANES` values;
    /// extra values are left alone, missing ones are skipped).
    fn write_to(self, out: &mut [f32]);

    /// Build from the first `LANES` values of `src`; missing values read as `0.0`.
    fn read_from(src: &[f32]) -> Self;

    #[doc(hidden)]
    fn to_bits(self) -> Self::Bits;
    #[doc(hidden)]
    fn from_bits(b: Self::Bits) -> Self;
    #[doc(hidden)]
    fn bits_splat(v: u32) -> Self::Bits;
    #[doc(hidden)]
    fn bits_shl<const N: u32>(b: Self::Bits) -> Self::Bits;
    #[doc(hidden)]
    fn bits_shr<const N: u32>(b: Self::Bits) -> Self::Bits;

    /// Lane-wise `self < rhs` (false where either is NaN).
    #[doc(hidden)]
    fn lt(self, rhs: Self) -> Self::Mask;
    /// Lane-wise `self > rhs` (false where either is NaN).
    #[doc(hidden)]
    fn gt(self, rhs: Self) -> Self::Mask;
    /// Lane-wise `self <= rhs` (false where either is NaN).
    #[doc(hidden)]
    fn le(self, rhs: Self) -> Self::Mask;
    /// Lane-wise `self == rhs`.
    #[doc(hidden)]
    fn eq(self, rhs: Self) -> Self::Mask;
    /// Lane-wise "is NaN".
    #[doc(hidden)]
    fn is_nan(self) -> Self::Mask;
    /// Lane-wise `if m { a } else { b }`.
    #[doc(hidden)]
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// Whether `m` is true in every lane. Kernels branch on it to skip work that no lane of a
    /// vector needs (for `f32`, a plain per-element branch); both sides of such a branch must
    /// compute the same bits for the lanes they share.
    #[doc(hidden)]
    fn all(m: Self::Mask) -> bool;
    /// Whether `m` is true in some lane.
    #[doc(hidden)]
    fn any(m: Self::Mask) -> bool;

    /// `|self|`, by clearing the sign bit (NaN stays NaN).
    #[inline(always)]
    #[doc(hidden)]
    fn abs(self) -> Self {
        Self::from_bits(self.to_bits() & Self::bits_splat(0x7FFF_FFFF))
    }

    /// `y`, except where `self` is NaN: there `self` quieted (`self + self`).
    ///
    /// Kernels end with this so that a NaN input gives the same NaN bits on every layer: the
    /// compiler may commute the operands of `+` and `*`, and x86 returns the first of two NaN
    /// operands, so without it the payload could differ between the scalar and vector code.
    #[inline(always)]
    #[doc(hidden)]
    fn nan_or(self, y: Self) -> Self {
        Self::select(self.is_nan(), self + self, y)
    }

    /// The magnitude of `self` with the sign bit of `sign`.
    #[inline(always)]
    #[doc(hidden)]
    fn copysign(self, sign: Self) -> Self {
        let mag = self.to_bits() & Self::bits_splat(0x7FFF_FFFF);
        let s = sign.to_bits() & Self::bits_splat(0x8000_0000);
        Self::from_bits(mag | s)
    }
}

impl Lane for f32 {
    type Bits = Wrapping32;
    type Mask = bool;
    const LANES: usize = 1;

    #[inline(always)]
    fn splat(v: f32) -> Self {
        v
    }
    #[inline(always)]
    fn write_to(self, out: &mut [f32]) {
        if let Some(o) = out.first_mut() {
            *o = self;
        }
    }
    #[inline(always)]
    fn read_from(src: &[f32]) -> Self {
        src.first().copied().unwrap_or(0.0)
    }
    #[inline(always)]
    fn to_bits(self) -> Wrapping32 {
        Wrapping32(f32::to_bits(self))
    }
    #[inline(always)]
    fn from_bits(b: Wrapping32) -> Self {
        f32::from_bits(b.0)
    }
    #[inline(always)]
    fn bits_splat(v: u32) -> Wrapping32 {
        Wrapping32(v)
    }
    #[inline(always)]
    fn bits_shl<const N: u32>(b: Wrapping32) -> Wrapping32 {
        Wrapping32(b.0.wrapping_shl(N))
    }
    #[inline(always)]
    fn bits_shr<const N: u32>(b: Wrapping32) -> Wrapping32 {
        Wrapping32(b.0.wrapping_shr(N))
    }
    #[inline(always)]
    fn lt(self, rhs: Self) -> bool {
        self < rhs
    }
    #[inline(always)]
    fn gt(self, rhs: Self) -> bool {
        self > rhs
    }
    #[inline(always)]
    fn le(self, rhs: Self) -> bool {
        self <= rhs
    }
    #[inline(always)]
    fn eq(self, rhs: Self) -> bool {
        self == rhs
    }
    #[inline(always)]
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
    #[inline(always)]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn all(m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn any(m: bool) -> bool {
        m
    }
}

/// `u32` with wrapping arithmetic, the scalar counterpart of `wide`'s integer lanes (which
/// wrap). It keeps the scalar kernels panic-free in debug builds too.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wrapping32(pub u32);

impl Add for Wrapping32 {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        Wrapping32(self.0.wrapping_add(rhs.0))
    }
}
impl Sub for Wrapping32 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        Wrapping32(self.0.wrapping_sub(rhs.0))
    }
}
impl BitAnd for Wrapping32 {
    type Output = Self;
    #[inline(always)]
    fn bitand(self, rhs: Self) -> Self {
        Wrapping32(self.0 & rhs.0)
    }
}
impl BitOr for Wrapping32 {
    type Output = Self;
    #[inline(always)]
    fn bitor(self, rhs: Self) -> Self {
        Wrapping32(self.0 | rhs.0)
    }
}

macro_rules! impl_lane_wide {
    ($f:ident, $u:ident, $n:literal) => {
        impl Lane for $f {
            type Bits = $u;
            type Mask = $f;
            const LANES: usize = $n;

            #[inline(always)]
            fn splat(v: f32) -> Self {
                $f::splat(v)
            }
            #[inline(always)]
            fn write_to(self, out: &mut [f32]) {
                for (o, v) in out.iter_mut().zip(self.to_array()) {
                    *o = v;
                }
            }
            #[inline(always)]
            fn read_from(src: &[f32]) -> Self {
                let mut a = [0.0f32; $n];
                for (d, s) in a.iter_mut().zip(src) {
                    *d = *s;
                }
                $f::new(a)
            }
            #[inline(always)]
            fn to_bits(self) -> $u {
                $f::to_bits(self)
            }
            #[inline(always)]
            fn from_bits(b: $u) -> Self {
                $f::from_bits(b)
            }
            #[inline(always)]
            fn bits_splat(v: u32) -> $u {
                $u::splat(v)
            }
            #[inline(always)]
            fn bits_shl<const N: u32>(b: $u) -> $u {
                b << N
            }
            #[inline(always)]
            fn bits_shr<const N: u32>(b: $u) -> $u {
                b >> N
            }
            #[inline(always)]
            fn lt(self, rhs: Self) -> $f {
                self.simd_lt(rhs)
            }
            #[inline(always)]
            fn gt(self, rhs: Self) -> $f {
                self.simd_gt(rhs)
            }
            #[inline(always)]
            fn le(self, rhs: Self) -> $f {
                self.simd_le(rhs)
            }
            #[inline(always)]
            fn eq(self, rhs: Self) -> $f {
                self.simd_eq(rhs)
            }
            #[inline(always)]
            fn is_nan(self) -> $f {
                $f::is_nan(self)
            }
            #[inline(always)]
            fn select(m: $f, a: Self, b: Self) -> Self {
                $f::select(m, a, b)
            }
            #[inline(always)]
            fn all(m: $f) -> bool {
                m.all()
            }
            #[inline(always)]
            fn any(m: $f) -> bool {
                m.any()
            }
        }
    };
}

impl_lane_wide!(f32x4, u32x4, 4);
impl_lane_wide!(f32x8, u32x8, 8);

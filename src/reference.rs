//! The reference layer: each function evaluated in `f64` through `libm`, for verification and
//! for comparing accuracy with speed.
//!
//! Each function returns the value in `f64`; round it with `as f32` for an `f32` answer. The
//! `f64` value is within a few `f64` ULP of the exact result, i.e. about 2^-29 of an `f32` ULP,
//! which is what the error metric of SPEC.md section 4 needs. Special values follow SPEC.md
//! section 3 exactly as the kernels do.

use crate::Error;

/// `exp(x)` in `f64`.
pub fn exp(x: f32) -> f64 {
    libm::exp(f64::from(x))
}

/// `1 / (1 + exp(-x))` in `f64`, written so that neither branch overflows.
pub fn sigmoid(x: f32) -> f64 {
    let x = f64::from(x);
    if x >= 0.0 {
        1.0 / (1.0 + libm::exp(-x))
    } else {
        let e = libm::exp(x);
        e / (1.0 + e)
    }
}

/// `tanh(x)` in `f64`.
pub fn tanh(x: f32) -> f64 {
    libm::tanh(f64::from(x))
}

/// ReLU in `f64` (never `-0.0`; NaN stays NaN).
pub fn relu(x: f32) -> f64 {
    let x = f64::from(x);
    if x > 0.0 || x.is_nan() {
        x
    } else {
        0.0
    }
}

/// Binary step (`H(0) = 1`; NaN stays NaN).
pub fn step(x: f32) -> f64 {
    if x.is_nan() {
        f64::from(x)
    } else if x < 0.0 {
        0.0
    } else {
        1.0
    }
}

/// Identity.
pub fn identity(x: f32) -> f64 {
    f64::from(x)
}

/// Softmax of the row `src` in `f64`, with the special-row rules of SPEC.md section 3.
///
/// # Errors
///
/// [`Error::LengthMismatch`] if the lengths differ; `dst` is then left untouched.
pub fn softmax_into(src: &[f32], dst: &mut [f64]) -> Result<(), Error> {
    if src.len() != dst.len() {
        return Err(Error::LengthMismatch {
            src: src.len(),
            dst: dst.len(),
        });
    }
    if src.is_empty() {
        return Ok(());
    }
    if src.iter().any(|v| v.is_nan()) {
        dst.fill(f64::NAN);
        return Ok(());
    }
    let m = src.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    if m == f32::NEG_INFINITY {
        dst.fill(0.0);
        return Ok(());
    }
    if m == f32::INFINITY {
        let k = src.iter().filter(|&&v| v == f32::INFINITY).count() as f64;
        for (d, &s) in dst.iter_mut().zip(src) {
            *d = if s == f32::INFINITY { 1.0 / k } else { 0.0 };
        }
        return Ok(());
    }
    let m = f64::from(m);
    let mut sum = 0.0;
    for (d, &s) in dst.iter_mut().zip(src) {
        // x - m is exact in f64 for f32 inputs far enough apart to matter.
        *d = libm::exp(f64::from(s) - m);
        sum += *d;
    }
    for d in dst.iter_mut() {
        *d /= sum;
    }
    Ok(())
}

/// The spacing of `f32` values at `v` (`v` in `f64`): `2^(e - 23)` for `|v|` in
/// `[2^e, 2^(e+1))`, and `2^-149` in the subnormal range. For `|v| >= f32::MAX` it is the
/// spacing at `f32::MAX`.
pub fn ulp_f32(v: f64) -> f64 {
    let a = v.abs();
    if a < f64::from(f32::MIN_POSITIVE) || a.is_nan() {
        return f64::from_bits((1023 - 149) << 52);
    }
    // The biased f64 exponent of a (finite or infinite), capped at f32's largest binade.
    let e = ((a.to_bits() >> 52) & 0x7FF).min(1023 + 127);
    f64::from_bits((e - 23) << 52)
}

/// Error of `y` against the exact value `exact`, in units of `ulp_f32(exact)` (SPEC.md section
/// 4). Both NaN gives 0; one NaN gives infinity. An infinite `y` equal to an infinite or
/// overflowing exact value gives 0.
pub fn ulp_error(y: f32, exact: f64) -> f64 {
    let y = f64::from(y);
    if y.is_nan() || exact.is_nan() {
        return if y.is_nan() && exact.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    // Exact values beyond the f32 range round to infinity (when past MAX + half an ULP).
    let overflow = f64::from(f32::MAX) + f64::from_bits((1023 + 103) << 52);
    if y.is_infinite() {
        return if y.signum() == exact.signum() && exact.abs() >= overflow {
            0.0
        } else {
            f64::INFINITY
        };
    }
    (y - exact).abs() / ulp_f32(exact)
}

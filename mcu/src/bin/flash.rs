//! Flash-cost firmware: links exactly the kernels whose `k-*` features are on, each called once
//! on a slice the optimiser cannot see through. With no feature it is the baseline image.
//!
//! `tools/mcu/flash.py` builds it once per kernel and once without any, at `opt-level = "s"`
//! and `3`, and reports the `.text` bytes each kernel adds. With the `scalar` feature the
//! kernels that have a scalar form are called through it in a plain loop instead of through
//! their slice function (softmax has no such form and keeps its slice call); the competitors
//! (`libm`, `micromath`) are always plain loops.
#![no_std]
#![no_main]

use core::hint::black_box;
#[allow(unused_imports)] // Used only when a micromath feature is on.
use micromath::F32Ext;
#[allow(unused_imports)] // Used only when a kernel feature is on.
use simd_activations::{fast, precise};
use simd_activations_mcu::{entry, exit};

/// Call the scalar form in a loop rather than the slice function.
#[allow(dead_code)] // Read only when a kernel feature is on.
const SCALAR: bool = cfg!(feature = "scalar");

/// The sigmoid as users write it with libm.
#[allow(dead_code)] // Used only with the `k-libm-sigmoid` feature.
fn libm_sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + libm::expf(-x))
}

#[entry]
fn main() -> ! {
    let mut buf = [0.5_f32; 16];
    #[allow(unused_variables)] // Used only when a kernel feature is on.
    let data = black_box(&mut buf[..]);
    #[cfg(feature = "float-ops")]
    {
        // The f32 operations the kernels use, on values the optimiser cannot see.
        let (a, b) = (black_box(1.5_f32), black_box(-2.5_f32));
        let flags = [a < b, a <= b, a > b, a >= b, a == b, a.is_nan()];
        black_box((a + b, a - b, a * b, a / b, flags));
    }
    #[cfg(feature = "k-relu")]
    if SCALAR {
        data.iter_mut()
            .for_each(|x| *x = simd_activations::relu(*x));
    } else {
        simd_activations::relu_in_place(data);
    }
    #[cfg(feature = "k-step")]
    if SCALAR {
        data.iter_mut()
            .for_each(|x| *x = simd_activations::step(*x));
    } else {
        simd_activations::step_in_place(data);
    }
    #[cfg(feature = "k-identity")]
    if SCALAR {
        data.iter_mut()
            .for_each(|x| *x = simd_activations::identity(*x));
    } else {
        simd_activations::identity_in_place(data);
    }
    #[cfg(feature = "k-exp-precise")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = precise::exp(*x));
    } else {
        precise::exp_in_place(data);
    }
    #[cfg(feature = "k-sigmoid-precise")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = precise::sigmoid(*x));
    } else {
        precise::sigmoid_in_place(data);
    }
    #[cfg(feature = "k-tanh-precise")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = precise::tanh(*x));
    } else {
        precise::tanh_in_place(data);
    }
    #[cfg(feature = "k-softmax-precise")]
    precise::softmax_in_place(data);
    #[cfg(feature = "k-exp-fast")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = fast::exp(*x));
    } else {
        fast::exp_in_place(data);
    }
    #[cfg(feature = "k-sigmoid-fast")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = fast::sigmoid(*x));
    } else {
        fast::sigmoid_in_place(data);
    }
    #[cfg(feature = "k-tanh-fast")]
    if SCALAR {
        data.iter_mut().for_each(|x| *x = fast::tanh(*x));
    } else {
        fast::tanh_in_place(data);
    }
    #[cfg(feature = "k-softmax-fast")]
    fast::softmax_in_place(data);
    #[cfg(feature = "k-libm-expf")]
    data.iter_mut().for_each(|x| *x = libm::expf(*x));
    #[cfg(feature = "k-libm-sigmoid")]
    data.iter_mut().for_each(|x| *x = libm_sigmoid(*x));
    #[cfg(feature = "k-libm-tanhf")]
    data.iter_mut().for_each(|x| *x = libm::tanhf(*x));
    #[cfg(feature = "k-micromath-exp")]
    data.iter_mut().for_each(|x| *x = F32Ext::exp(*x));
    black_box(&buf);
    exit(true)
}

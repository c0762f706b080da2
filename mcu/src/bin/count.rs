//! Instruction-count firmware: runs each kernel, and the plain scalar loops it competes with,
//! over a fixed slice of [`N`] inputs between two marker functions.
//!
//! `tools/mcu/count.sh` runs it under QEMU with one instruction per translation block and the
//! execution log on (`-singlestep -d exec,nochain`), counts the instructions executed between
//! each call of [`mcu_count_begin`] and the next call of [`mcu_count_end`], subtracts the
//! empty case (the markers and the indirect call themselves) and divides by [`N`].
//!
//! The firmware first prints one `case <i> <name> <lo> <hi>` line per case, in the order they
//! run, so the script can name the measured segments.
#![no_std]
#![no_main]

use core::hint::black_box;
use micromath::F32Ext;
use simd_activations::{fast, precise};
use simd_activations_mcu::{entry, exit, hprintln, BUILD};

/// Elements per case.
const N: usize = 1024;

/// One measured case: a slice function and the range its inputs are spread over.
struct Case {
    name: &'static str,
    lo: f32,
    hi: f32,
    run: fn(&mut [f32]),
}

const fn case(name: &'static str, lo: f32, hi: f32, run: fn(&mut [f32])) -> Case {
    Case { name, lo, hi, run }
}

// Ranges: exp from below its subnormal-result threshold to just under overflow; sigmoid and
// tanh over their non-saturated range and a little beyond; softmax as one row.
const EXP: (f32, f32) = (-100.0, 88.0);
const SIG: (f32, f32) = (-30.0, 30.0);
const TANH: (f32, f32) = (-10.0, 10.0);
const ROW: (f32, f32) = (-10.0, 10.0);

/// Every case, in order. The first, empty one is the overhead subtracted from the others.
const CASES: [Case; 25] = [
    case("empty", 0.0, 0.0, |_| {}),
    case("relu", -10.0, 10.0, simd_activations::relu_in_place),
    case("step", -10.0, 10.0, simd_activations::step_in_place),
    case("identity", -10.0, 10.0, simd_activations::identity_in_place),
    case("precise::exp", EXP.0, EXP.1, precise::exp_in_place),
    case("precise::sigmoid", SIG.0, SIG.1, precise::sigmoid_in_place),
    case("precise::tanh", TANH.0, TANH.1, precise::tanh_in_place),
    case("precise::softmax", ROW.0, ROW.1, precise::softmax_in_place),
    case("fast::exp", EXP.0, EXP.1, fast::exp_in_place),
    case("fast::sigmoid", SIG.0, SIG.1, fast::sigmoid_in_place),
    case("fast::tanh", TANH.0, TANH.1, fast::tanh_in_place),
    case("fast::softmax", ROW.0, ROW.1, fast::softmax_in_place),
    // The scalar layer in a plain loop (what a user without the slice API writes).
    case("precise::exp f32 loop", EXP.0, EXP.1, |b| {
        b.iter_mut().for_each(|x| *x = precise::exp(*x))
    }),
    case("precise::sigmoid f32 loop", SIG.0, SIG.1, |b| {
        b.iter_mut().for_each(|x| *x = precise::sigmoid(*x))
    }),
    case("precise::tanh f32 loop", TANH.0, TANH.1, |b| {
        b.iter_mut().for_each(|x| *x = precise::tanh(*x))
    }),
    case("fast::exp f32 loop", EXP.0, EXP.1, |b| {
        b.iter_mut().for_each(|x| *x = fast::exp(*x))
    }),
    case("fast::sigmoid f32 loop", SIG.0, SIG.1, |b| {
        b.iter_mut().for_each(|x| *x = fast::sigmoid(*x))
    }),
    case("fast::tanh f32 loop", TANH.0, TANH.1, |b| {
        b.iter_mut().for_each(|x| *x = fast::tanh(*x))
    }),
    // The competition: plain scalar loops.
    case("libm::expf", EXP.0, EXP.1, |b| {
        b.iter_mut().for_each(|x| *x = libm::expf(*x))
    }),
    case("libm sigmoid 1/(1+expf(-x))", SIG.0, SIG.1, |b| {
        b.iter_mut()
            .for_each(|x| *x = 1.0 / (1.0 + libm::expf(-*x)))
    }),
    case("libm::tanhf", TANH.0, TANH.1, |b| {
        b.iter_mut().for_each(|x| *x = libm::tanhf(*x))
    }),
    case("libm softmax (expf)", ROW.0, ROW.1, softmax_libm),
    case("micromath exp", EXP.0, EXP.1, |b| {
        b.iter_mut().for_each(|x| *x = F32Ext::exp(*x))
    }),
    case("micromath sigmoid 1/(1+exp(-x))", SIG.0, SIG.1, |b| {
        b.iter_mut()
            .for_each(|x| *x = 1.0 / (1.0 + F32Ext::exp(-*x)))
    }),
    case("micromath softmax (exp)", ROW.0, ROW.1, softmax_micromath),
];

/// Textbook softmax with `libm::expf`: subtract the maximum, exponentiate, divide by the sum.
fn softmax_libm(row: &mut [f32]) {
    let m = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let mut sum = 0.0;
    for x in row.iter_mut() {
        *x = libm::expf(*x - m);
        sum += *x;
    }
    row.iter_mut().for_each(|x| *x /= sum);
}

/// The same with `micromath`'s `exp`.
fn softmax_micromath(row: &mut [f32]) {
    let m = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let mut sum = 0.0;
    for x in row.iter_mut() {
        *x = F32Ext::exp(*x - m);
        sum += *x;
    }
    row.iter_mut().for_each(|x| *x /= sum);
}

/// Marks the start of a measured segment. Never inlined, and the `nop` keeps the call.
#[inline(never)]
#[no_mangle]
pub extern "C" fn mcu_count_begin() {
    cortex_m::asm::nop();
}

/// Marks the end of a measured segment. Its body differs from [`mcu_count_begin`]'s so the
/// linker cannot fold the two into one function.
#[inline(never)]
#[no_mangle]
pub extern "C" fn mcu_count_end() {
    cortex_m::asm::nop();
    cortex_m::asm::nop();
}

#[entry]
fn main() -> ! {
    hprintln!("count on {}: {} elements per case", BUILD, N);
    for (i, c) in CASES.iter().enumerate() {
        hprintln!("case {} {} {} {}", i, c.name, c.lo, c.hi);
    }

    let mut buf = [0.0_f32; N];
    let mut sum = 0.0_f32;
    for c in CASES.iter() {
        // Evenly spaced over [lo, hi].
        for (j, x) in buf.iter_mut().enumerate() {
            *x = c.lo + (c.hi - c.lo) * (j as f32 / (N - 1) as f32);
        }
        let run = black_box(c.run);
        let data = black_box(&mut buf[..]);
        mcu_count_begin();
        run(data);
        mcu_count_end();
        sum += black_box(&buf).iter().fold(0.0, |a, &b| a + b);
    }
    hprintln!("count: done (checksum of results {})", sum);
    exit(true)
}

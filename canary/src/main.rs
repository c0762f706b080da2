//! No-panic canary (issue 6): a `no_std`, `no_main` firmware for `thumbv7em-none-eabihf` that
//! calls every public function of `simd-activations`, and whose panic handler calls a function
//! that exists nowhere.
//!
//! Built with `--release` and fat LTO, the optimizer removes every panic path it can prove
//! unreachable. If one survives anywhere in the library (an index out of bounds, a division by
//! zero, an `unwrap`, an overflow check in the `checked` profile), the panic handler is still
//! referenced and the link fails with `undefined symbol: canary_panic_path_survived`. A link
//! that succeeds is the proof. `ci/canary.sh` builds it; it is never run.
//!
//! Every input goes through `core::hint::black_box`, so the compiler knows nothing about the
//! values or lengths and cannot fold a panic path away for the particular inputs used here;
//! every output goes through it too, so no call is dropped as dead.
//!
//! Linking needs no `cortex-m-rt` and no `memory.x`: the target's default linker (`rust-lld`)
//! lays the sections out at its default addresses, and `_start` below is its default entry
//! symbol, which keeps everything reachable from it alive through `--gc-sections`. The image
//! could not boot a real chip (no vector table), which a link-time proof does not need.

#![no_std]
#![no_main]

use core::fmt::{self, Write};
use core::hint::black_box;
use simd_activations::budget::{budget, Function, Tier, BUDGETS};
use simd_activations::wide::{f32x4, f32x8};
use simd_activations::{fast, precise, reference, Error, Lane};

extern "C" {
    /// Deliberately defined nowhere: a reference to it that survives LTO fails the link.
    fn canary_panic_path_survived() -> !;
}

#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: never executed in a linked image: the function does not exist, so an image that
    // still calls it does not link. That link failure is the whole point of the canary.
    unsafe { canary_panic_path_survived() }
}

/// The entry point the linker keeps (`_start` is `rust-lld`'s default ELF entry symbol).
#[no_mangle]
pub extern "C" fn _start() -> ! {
    let mut a = [0.0f32; 40];
    let mut b = [0.0f32; 40];
    let mut r = [0.0f64; 40];
    // Slices of unknown length and contents, as the compiler sees them.
    let src: &mut [f32] = black_box(&mut a[..]);
    let dst: &mut [f32] = black_box(&mut b[..]);
    let wide_dst: &mut [f64] = black_box(&mut r[..]);
    let x: f32 = black_box(0.25);
    let row_len: usize = black_box(4);

    exact_layer(x, src, dst);
    precise_layer(x, src, dst, row_len);
    fast_layer(x, src, dst, row_len);
    reference_layer(x, src, wide_dst);
    misc(x, src, dst);

    #[cfg(feature = "must-fail")]
    {
        // A panic path nothing can remove: the link must fail with this feature on.
        let i = black_box(usize::MAX);
        black_box(a[i]);
    }

    loop {
        core::hint::spin_loop();
    }
}

/// One generic body per lane type: the lane and scalar layers of every function.
fn lanes<V: Lane>(src: &[f32], dst: &mut [f32]) {
    let v = black_box(V::read_from(src));
    let w = black_box(V::splat(black_box(1.5)));
    let outs = [
        simd_activations::relu(v),
        simd_activations::step(v),
        simd_activations::identity(v),
        precise::exp(v),
        precise::sigmoid(v),
        precise::tanh(v),
        precise::softmax(v),
        precise::softmax(w),
        fast::exp(v),
        fast::sigmoid(v),
        fast::tanh(v),
        fast::softmax(v),
        fast::softmax(w),
    ];
    for o in outs {
        black_box(o).write_to(dst);
        black_box(&mut *dst);
    }
    black_box(V::LANES);
}

fn exact_layer(x: f32, src: &mut [f32], dst: &mut [f32]) {
    black_box(simd_activations::relu(x));
    black_box(simd_activations::step(x));
    black_box(simd_activations::identity(x));

    simd_activations::relu_in_place(src);
    simd_activations::step_in_place(src);
    simd_activations::identity_in_place(src);
    let _ = black_box(simd_activations::relu_into(src, dst));
    let _ = black_box(simd_activations::step_into(src, dst));
    let _ = black_box(simd_activations::identity_into(src, dst));
    black_box((src, dst));
}

fn precise_layer(x: f32, src: &mut [f32], dst: &mut [f32], row_len: usize) {
    black_box(precise::exp(x));
    black_box(precise::sigmoid(x));
    black_box(precise::tanh(x));
    black_box(precise::softmax(x));
    lanes::<f32>(src, dst);
    lanes::<f32x4>(src, dst);
    lanes::<f32x8>(src, dst);

    precise::exp_in_place(src);
    precise::sigmoid_in_place(src);
    precise::tanh_in_place(src);
    precise::softmax_in_place(src);
    let _ = black_box(precise::exp_into(src, dst));
    let _ = black_box(precise::sigmoid_into(src, dst));
    let _ = black_box(precise::tanh_into(src, dst));
    let _ = black_box(precise::softmax_into(src, dst));
    let _ = black_box(precise::softmax_batch_in_place(src, row_len));
    let _ = black_box(precise::softmax_batch_into(src, dst, row_len));
    black_box((src, dst));
}

fn fast_layer(x: f32, src: &mut [f32], dst: &mut [f32], row_len: usize) {
    black_box(fast::exp(x));
    black_box(fast::sigmoid(x));
    black_box(fast::tanh(x));
    black_box(fast::softmax(x));

    fast::exp_in_place(src);
    fast::sigmoid_in_place(src);
    fast::tanh_in_place(src);
    fast::softmax_in_place(src);
    let _ = black_box(fast::exp_into(src, dst));
    let _ = black_box(fast::sigmoid_into(src, dst));
    let _ = black_box(fast::tanh_into(src, dst));
    let _ = black_box(fast::softmax_into(src, dst));
    let _ = black_box(fast::softmax_batch_in_place(src, row_len));
    let _ = black_box(fast::softmax_batch_into(src, dst, row_len));
    black_box((src, dst));
}

fn reference_layer(x: f32, src: &[f32], dst: &mut [f64]) {
    black_box(reference::exp(x));
    black_box(reference::sigmoid(x));
    black_box(reference::tanh(x));
    black_box(reference::relu(x));
    black_box(reference::step(x));
    black_box(reference::identity(x));
    let _ = black_box(reference::softmax_into(src, dst));
    black_box(reference::ulp_f32(black_box(1.0e-3)));
    black_box(reference::ulp_error(x, black_box(0.3)));
    black_box(dst);
}

/// The rest of the public surface: the budget table and the error type's `Display`.
fn misc(x: f32, src: &[f32], dst: &mut [f32]) {
    for f in [Function::Exp, Function::Sigmoid, Function::Tanh] {
        for t in [Tier::Precise, Tier::Fast] {
            black_box(budget(black_box(f), black_box(t)));
        }
    }
    black_box(BUDGETS.len());

    let errors = [
        Error::LengthMismatch {
            src: black_box(src.len()),
            dst: black_box(dst.len()),
        },
        Error::RaggedBatch {
            len: black_box(src.len()),
            row_len: black_box(x as usize),
        },
    ];
    for e in errors {
        let mut sink = Sink::new();
        let _ = black_box(write!(sink, "{e}"));
        let _ = black_box(core::error::Error::source(&e).is_some());
        black_box(sink.len);
    }
}

/// A `fmt::Write` that keeps the first bytes it is given, without any panic path of its own.
struct Sink {
    buf: [u8; 160],
    len: usize,
}

impl Sink {
    fn new() -> Self {
        Sink {
            buf: [0; 160],
            len: 0,
        }
    }
}

impl Write for Sink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &byte in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = byte;
                self.len = self.len.saturating_add(1);
            }
        }
        Ok(())
    }
}

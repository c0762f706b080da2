//! Checks every kernel and tier of the crate on the MCU: accuracy against the reference layer
//! within the crate's budgets, special values, and bit-identity of the scalar, lane and slice
//! layers (see `simd_activations_mcu::suite`). Prints a table with checksums that the host
//! program `tools/mcu/host` reproduces on the host for the bit-identity comparison.
#![no_std]
#![no_main]

use simd_activations_mcu::{entry, exit, hprintln, print_line, suite, BUILD, HARD_FLOAT};

#[entry]
fn main() -> ! {
    hprintln!("verify on {}", BUILD);
    // The full sweep on the M4F; a sparser one on the soft-float build (see the constants).
    let stride = if HARD_FLOAT {
        suite::STRIDE
    } else {
        suite::STRIDE_SOFT_FLOAT
    };
    let ok = suite::run(&mut print_line, stride);
    exit(ok)
}

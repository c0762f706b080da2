//! Checks every kernel and tier of the crate on the MCU: accuracy against the reference layer
//! within the crate's budgets, special values, and bit-identity of the scalar, lane and slice
//! layers (see `simd_activations_mcu::suite`). Prints a table with checksums that the host
//! program `tools/mcu/host` reproduces on the host for the bit-identity comparison.
#![no_std]
#![no_main]

use simd_activations_mcu::{entry, exit, hprintln, print_line, suite, BUILD};

#[entry]
fn main() -> ! {
    hprintln!("verify on {}", BUILD);
    let ok = suite::run(&mut print_line);
    exit(ok)
}

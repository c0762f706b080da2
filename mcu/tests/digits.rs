//! Runs the digits networks on the MCU with every tier and checks that every prediction equals
//! scikit-learn's, as the host example does; prints a checksum of all outputs that the host
//! program `tools/mcu/host` reproduces (see `simd_activations_mcu::digits_run`).
//!
//! Until `examples/digits/model.rs` exists the firmware says so and passes.
#![no_std]
#![no_main]

use simd_activations_mcu::{entry, exit, hprintln, BUILD};

#[entry]
fn main() -> ! {
    hprintln!("digits on {}", BUILD);
    #[cfg(has_digits_model)]
    let ok = simd_activations_mcu::digits_run::run(&mut simd_activations_mcu::print_line);
    #[cfg(not(has_digits_model))]
    let ok = {
        hprintln!("digits: SKIPPED, examples/digits/model.rs does not exist yet");
        true
    };
    exit(ok)
}

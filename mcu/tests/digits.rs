#![no_std]
#![no_main]
use simd_activations_mcu::{entry, exit, hprintln};
#[entry]
fn main() -> ! { hprintln!("digits: model not there yet"); exit(true) }

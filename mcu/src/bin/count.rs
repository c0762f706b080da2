#![no_std]
#![no_main]
use simd_activations_mcu::{entry, exit};
#[entry]
fn main() -> ! { exit(true) }

//! The smallest firmware: proves that the board boots, semihosting prints, the FPU is on where
//! there is one, one kernel runs, and the exit status reaches QEMU.
#![no_std]
#![no_main]

use simd_activations::precise;
use simd_activations_mcu::{entry, exit, fpu_enabled, hprintln, BUILD, HARD_FLOAT};

#[entry]
fn main() -> ! {
    hprintln!("hello from {}", BUILD);
    let fpu_ok = fpu_enabled() == HARD_FLOAT;
    hprintln!("FPU enabled: {}", fpu_enabled());
    let mut v = [0.0_f32, 1.0, -1.0];
    precise::exp_in_place(&mut v);
    hprintln!("exp(0, 1, -1) = {:?}", v);
    let e_ok = v[0] == 1.0 && (v[1] - core::f32::consts::E).abs() < 1e-6;
    let ok = fpu_ok && e_ok;
    hprintln!("hello: {}", if ok { "PASS" } else { "FAIL" });
    exit(ok)
}

//! Support code for the test firmware of `simd-activations`: semihosting output and exit codes,
//! fault handlers, and the verification suite and digits run shared with the host (see
//! [`suite`] and `digits_run`).
//!
//! Every firmware ends through [`exit`], which QEMU turns into its own exit status (0 for
//! pass), so `cargo test --release` in this directory is pass/fail. A panic or a hard fault
//! prints what happened and exits with failure rather than hanging until the time limit.
#![no_std]
#![deny(missing_docs)]

pub mod suite;

/// The digits networks (`examples/digits/model.rs`, written for `no_std`).
#[cfg(has_digits_model)]
#[path = "../../examples/digits/model.rs"]
pub mod model;

#[cfg(has_digits_model)]
pub mod digits_run;

pub use cortex_m_rt::entry;
pub use cortex_m_semihosting::{hprint, hprintln};

use core::panic::PanicInfo;
use cortex_m_rt::{exception, ExceptionFrame};
use cortex_m_semihosting::debug;

/// End the firmware: QEMU exits with status 0 if `pass`, else 1.
pub fn exit(pass: bool) -> ! {
    debug::exit(if pass {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached if no debugger or emulator handled the semihosting call.
    loop {
        cortex_m::asm::wfi();
    }
}

/// Print one line of a report through semihosting (the sink of [`suite::run`]).
pub fn print_line(args: core::fmt::Arguments<'_>) {
    hprintln!("{}", args);
}

/// Whether this build runs on the Cortex-M4F with its FPU (else: soft-float ARMv6-M).
pub const HARD_FLOAT: bool = cfg!(target_abi = "eabihf");

/// The target and board this firmware was built for, for reports.
pub const BUILD: &str = if HARD_FLOAT {
    "thumbv7em-none-eabihf on mps2-an386 (Cortex-M4F, FPU on)"
} else {
    "thumbv6m-none-eabi on mps2-an385 (ARMv6-M code, soft-float)"
};

/// Whether the FPU's coprocessors (CP10, CP11) are enabled in CPACR, as `cortex-m-rt` should
/// have done before `main` on a hard-float target. Always `false` on a soft-float build.
pub fn fpu_enabled() -> bool {
    #[cfg(target_abi = "eabihf")]
    {
        // CP10 and CP11 full access: bits 20..24 of CPACR all set.
        let scb = cortex_m::peripheral::SCB::PTR;
        // SAFETY: a volatile read of CPACR, a System Control Block register that every
        // ARMv7E-M core has; reading it has no side effect.
        let value = unsafe { (*scb).cpacr.read() };
        value & (0xF << 20) == (0xF << 20)
    }
    #[cfg(not(target_abi = "eabihf"))]
    {
        false
    }
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    hprintln!("FAIL: panic: {}", info);
    exit(false)
}

#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    hprintln!("FAIL: hard fault, pc {:#010x}", frame.pc());
    exit(false)
}

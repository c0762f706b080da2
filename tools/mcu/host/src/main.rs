//! Runs the MCU verification suite (`mcu/src/suite.rs`) and the digits run
//! (`mcu/src/digits_run.rs`) on the host: the same source files the `verify` and `digits`
//! firmware run, so the reports, checksums included, can be compared line for line.
//!
//! `tools/mcu/compare.py` does that comparison, to tell whether the MCU computes the same bits
//! as this host build (x86-64 baseline: SSE2, no FMA).
//!
//! ```text
//! cargo run --release --manifest-path tools/mcu/host/Cargo.toml                  # as verify on the M4F
//! cargo run --release --manifest-path tools/mcu/host/Cargo.toml -- --soft-float  # as on thumbv6m
//! ```

#[path = "../../../../mcu/src/suite.rs"]
mod suite;

#[cfg(has_digits_model)]
#[path = "../../../../examples/digits/model.rs"]
#[allow(dead_code)] // Note: only the forward pass is used, not the scoring helpers.
mod model;

#[cfg(has_digits_model)]
#[path = "../../../../mcu/src/digits_run.rs"]
mod digits_run;

/// A plain scalar function the kernels are compared with in tools/mcu/counts.md.
struct Contestant {
    name: &'static str,
    f: fn(f32) -> f32,
    reference: fn(f32) -> f64,
}

fn micromath_exp(x: f32) -> f32 {
    micromath::F32Ext::exp(x)
}

const CONTESTANTS: [Contestant; 5] = [
    Contestant {
        name: "libm::expf",
        f: libm::expf,
        reference: simd_activations::reference::exp,
    },
    Contestant {
        name: "libm 1/(1+expf(-x))",
        f: |x| 1.0 / (1.0 + libm::expf(-x)),
        reference: simd_activations::reference::sigmoid,
    },
    Contestant {
        name: "libm::tanhf",
        f: libm::tanhf,
        reference: simd_activations::reference::tanh,
    },
    Contestant {
        name: "micromath exp",
        f: micromath_exp,
        reference: simd_activations::reference::exp,
    },
    Contestant {
        name: "micromath 1/(1+exp(-x))",
        f: |x| 1.0 / (1.0 + micromath_exp(-x)),
        reference: simd_activations::reference::sigmoid,
    },
];

/// The accuracy of the contestants of the instruction-count table, on the suite's inputs, so
/// the counts can be read next to what each function delivers. They are plain software
/// (integer and IEEE `f32` operations), so the MCU computes the same values.
fn contestants() {
    println!(
        "contestants (not checked, for comparison): max error on the same {} inputs",
        suite::input_count(suite::STRIDE)
    );
    println!(
        "{:<24} {:>12} {:>12} {:>14} {:>10}",
        "function", "max ulp", "at input", "inputs > 2 ulp", "NaN wrong"
    );
    for c in CONTESTANTS.iter() {
        let (mut max, mut at, mut over, mut nan_wrong) = (0.0_f64, 0_u32, 0_u64, 0_u64);
        for i in 0..suite::input_count(suite::STRIDE) {
            let (x, _) = suite::input(i, suite::STRIDE);
            let y = (c.f)(x);
            if x.is_nan() {
                nan_wrong += u64::from(!y.is_nan());
                continue;
            }
            let e = simd_activations::reference::ulp_error(y, (c.reference)(x));
            if e > 2.0 {
                over += 1;
            }
            if e > max {
                (max, at) = (e, x.to_bits());
            }
        }
        println!(
            "{:<24} {:>12.3e} {:>#12x} {:>14} {:>10}",
            c.name, max, at, over, nan_wrong
        );
    }
}

fn main() {
    println!(
        "host build: {} ({})",
        std::env::consts::ARCH,
        if cfg!(target_feature = "fma") {
            "FMA enabled"
        } else {
            "no FMA"
        }
    );
    // `--soft-float`: the sweep of the soft-float firmware, to compare with its report.
    let stride = match std::env::args().nth(1).as_deref() {
        None => suite::STRIDE,
        Some("--soft-float") => suite::STRIDE_SOFT_FLOAT,
        Some(other) => {
            eprintln!("usage: simd-activations-mcu-host [--soft-float] (not '{other}')");
            std::process::exit(2);
        }
    };
    let mut sink = |args: std::fmt::Arguments<'_>| println!("{args}");
    let mut ok = suite::run(&mut sink, stride);
    #[cfg(has_digits_model)]
    {
        ok &= digits_run::run(&mut sink);
    }
    #[cfg(not(has_digits_model))]
    println!("digits: SKIPPED, examples/digits/model.rs does not exist yet");
    contestants();
    std::process::exit(if ok { 0 } else { 1 });
}

//! Handwritten digits with this crate's activations: four small networks trained by
//! scikit-learn, run in plain Rust, compared with scikit-learn's own probabilities.
//!
//! ```text
//! cargo run --release --example digits
//! ```
//!
//! The networks (64 inputs, 32 hidden units with identity, logistic, tanh or ReLU, 10 softmax
//! outputs) and 450 held-out test images of scikit-learn's 8x8 digits are embedded from
//! `examples/digits/digits.bin` (made by `tools/digits/train_export.py`; format in
//! `tools/digits/FORMAT.md`). For every tier and model the example prints the test accuracy,
//! how many predictions agree with scikit-learn's, the largest absolute difference from
//! scikit-learn's probabilities, and the time per image (the fastest of 15 timed rounds, wall
//! clock). It exits non-zero if a prediction
//! disagrees. The inference itself (`examples/digits/model.rs`) uses only `core`.

#[path = "digits/model.rs"]
#[allow(dead_code)] // The test uses parts of the module (and the example others).
mod model;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use model::{Digits, N_IN, TIERS};

static DATA: &[u8] = include_bytes!("digits/digits.bin");

/// Timing: the fastest of `TIMING_ROUNDS` rounds of `TIMING_PASSES` passes over the test
/// images. The minimum is the least disturbed by other processes on a shared machine.
const TIMING_ROUNDS: usize = 15;
const TIMING_PASSES: usize = 4;

fn main() -> ExitCode {
    let digits = match Digits::parse(DATA) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "examples/digits/digits.bin is malformed: {e}. \
                 Regenerate it with: python3 tools/digits/train_export.py"
            );
            return ExitCode::FAILURE;
        }
    };
    let images: Vec<[f32; N_IN]> = (0..digits.n_test())
        .filter_map(|i| digits.image(i))
        .collect();

    println!(
        "scikit-learn digits: {} test images (8x8, pixel / 16), networks 64-32-10 with softmax \
         output, {} models",
        digits.n_test(),
        digits.n_models()
    );
    println!(
        "{:<8} {:<9} {:>17} {:>19} {:>19} {:>11}",
        "tier", "hidden", "test accuracy", "agree w/ sklearn", "max |p - sklearn|", "time/image"
    );
    let mut disagreements = 0;
    for tier in &TIERS {
        for (net, expected) in digits.models() {
            let s = model::score(&digits, &net, &expected, tier);
            disagreements += s.images - s.agree;

            // Timing: the forward pass only, images already decoded.
            let mut best = f64::INFINITY;
            for _ in 0..TIMING_ROUNDS {
                let start = Instant::now();
                for _ in 0..TIMING_PASSES {
                    for image in &images {
                        black_box(net.forward(tier, black_box(image)));
                    }
                }
                best = best.min(start.elapsed().as_secs_f64());
            }
            let ns = best * 1e9 / (TIMING_PASSES * images.len()) as f64;

            println!(
                "{:<8} {:<9} {:>17} {:>19} {:>19.2e} {:>8.0} ns",
                tier.name,
                net.activation.name(),
                format!(
                    "{:.2}% ({}/{})",
                    100.0 * s.correct as f64 / s.images as f64,
                    s.correct,
                    s.images
                ),
                format!("{}/{}", s.agree, s.images),
                s.max_abs_diff,
                ns
            );
        }
    }
    if disagreements > 0 {
        eprintln!(
            "{disagreements} predictions disagree with scikit-learn's: a kernel is wrong \
             (run cargo test --release --test digits)"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

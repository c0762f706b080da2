//! Runs the digits networks (`examples/digits/model.rs`) with every tier on the embedded test
//! images; shared by the `digits` firmware and the host program `tools/mcu/host`, which both
//! include this file, so their reports and checksums can be compared line for line.
//!
//! A model passes when every prediction equals scikit-learn's (stored in `digits.bin`), which
//! is also what `cargo run --release --example digits` asserts on the host. The checksum folds
//! the bits of every output probability and every prediction, so equal checksums on the MCU
//! and the host mean bit-identical inference.

use crate::model::{argmax, Digits, TIERS};
use crate::suite::{Fnv, Sink};

/// The networks and test images, embedded as the host example embeds them.
pub static DATA: &[u8] = include_bytes!("../../examples/digits/digits.bin");

/// Run every tier and model; prints one line each and returns whether all predictions agree.
pub fn run(out: Sink<'_>) -> bool {
    let digits = match Digits::parse(DATA) {
        Ok(d) => d,
        Err(e) => {
            out(format_args!(
                "digits: examples/digits/digits.bin is malformed: {e}"
            ));
            return false;
        }
    };
    out(format_args!(
        "digits: {} test images, {} models",
        digits.n_test(),
        digits.n_models()
    ));
    out(format_args!(
        "{:<8} {:<9} {:>9} {:>16} {:>18}",
        "tier", "hidden", "correct", "agree w/ sklearn", "checksum"
    ));
    let mut all_agree = true;
    for tier in TIERS.iter() {
        for (net, expected) in digits.models() {
            let (mut images, mut correct, mut agree) = (0usize, 0usize, 0usize);
            let mut hash = Fnv::new();
            let pairs = digits.labels().iter().zip(expected.predictions());
            for (i, (&label, &sk)) in pairs.enumerate() {
                let Some(image) = digits.image(i) else { break };
                let p = net.forward(tier, &image);
                let prediction = argmax(&p);
                p.iter().for_each(|v| hash.add(v.to_bits()));
                hash.add(u32::from(prediction));
                images += 1;
                correct += usize::from(prediction == label);
                agree += usize::from(prediction == sk);
            }
            all_agree &= images == digits.n_test() && agree == images;
            out(format_args!(
                "{:<8} {:<9} {:>9} {:>16} {:#018x}",
                tier.name,
                net.activation.name(),
                correct,
                agree,
                hash.value()
            ));
        }
    }
    out(format_args!(
        "digits: {}",
        if all_agree {
            "PASS"
        } else {
            "FAIL (a prediction differs from scikit-learn's)"
        }
    ));
    all_agree
}

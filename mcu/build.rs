//! Chooses the board memory layout from the target triple, and detects whether the digits
//! model exists yet.
//!
//! The layouts live in `boards/<board>/memory.x`, not in the package root: `cortex-m-rt`'s
//! `link.x` includes `memory.x` from the linker search path, and a file in the package root
//! would be found first whatever this script chose.

use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let target = env::var("TARGET").expect("set by cargo");

    // Board: the Cortex-M4F image for the hard-float ARMv7E-M build, the Cortex-M3 image (which
    // runs ARMv6-M code) for the soft-float ARMv6-M build.
    let board = match target.as_str() {
        "thumbv7em-none-eabihf" => Some("an386"),
        "thumbv6m-none-eabi" => Some("an385"),
        _ => None,
    };
    if let Some(board) = board {
        let layout = manifest.join("boards").join(board).join("memory.x");
        fs::copy(&layout, out.join("memory.x")).expect("copy the board's memory.x to OUT_DIR");
        println!("cargo:rustc-link-search={}", out.display());
        println!("cargo:rerun-if-changed={}", layout.display());
    } else {
        println!(
            "cargo:warning=simd-activations-mcu is firmware for thumbv7em-none-eabihf or \
             thumbv6m-none-eabi; build it from the mcu/ directory (its .cargo/config.toml \
             selects the target), not for {target}"
        );
    }

    // The digits network's no_std model (examples/digits/model.rs) is written separately; the
    // digits firmware says so and passes vacuously until it exists.
    let root = manifest.parent().expect("mcu/ sits inside the crate");
    println!("cargo:rustc-check-cfg=cfg(has_digits_model)");
    let examples = root.join("examples");
    let model = examples.join("digits").join("model.rs");
    // A directory is scanned recursively, so this notices the model when it is added.
    println!("cargo:rerun-if-changed={}", examples.display());
    if model.is_file() {
        println!("cargo:rustc-cfg=has_digits_model");
    }
}

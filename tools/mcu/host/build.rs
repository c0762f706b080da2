//! Detects whether the digits model (`examples/digits/model.rs`) exists yet, as mcu/build.rs
//! does, so this program runs the digits networks exactly when the firmware does.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let examples = manifest.join("../../../examples");
    println!("cargo:rustc-check-cfg=cfg(has_digits_model)");
    // A directory is scanned recursively, so this notices the model when it is added.
    println!("cargo:rerun-if-changed={}", examples.display());
    if examples.join("digits").join("model.rs").is_file() {
        println!("cargo:rustc-cfg=has_digits_model");
    }
}

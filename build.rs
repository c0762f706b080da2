//! Chooses the shape of the kernels' code from the optimisation level the library is built at.
//!
//! The kernels have direct paths: where every lane of a vector (for `f32`, the one element) is
//! in the common range, they skip the clamps, the NaN handling and the subnormal-safe scaling,
//! and run only the approximations some lane needs. The direct paths give the same bits as the
//! general ones (the exhaustive checker compares both builds on all 2^32 inputs), so they
//! change speed and code size, never results. They roughly double a kernel's code, so at
//! `opt-level = "s"` or `"z"`, where the user has asked for small code (firmware), they are
//! left out (`cfg(compact_kernels)`): every input takes the general path.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(compact_kernels)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=OPT_LEVEL");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    if opt == "s" || opt == "z" {
        println!("cargo:rustc-cfg=compact_kernels");
    }
}

//! What a binary was compiled for, shared by the examples that print it (`check`,
//! `bench_report`).

/// The architecture and the SIMD target features the build enables, e.g. `x86_64+sse2`.
pub fn build_description() -> String {
    let mut f = vec![std::env::consts::ARCH.to_string()];
    for (on, name) in [
        (cfg!(target_feature = "sse2"), "sse2"),
        (cfg!(target_feature = "avx"), "avx"),
        (cfg!(target_feature = "avx2"), "avx2"),
        (cfg!(target_feature = "fma"), "fma"),
        (cfg!(target_feature = "avx512f"), "avx512f"),
    ] {
        if on {
            f.push(name.to_string());
        }
    }
    f.join("+")
}

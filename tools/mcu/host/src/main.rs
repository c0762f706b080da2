//! Runs the MCU verification suite (`mcu/src/suite.rs`, the same source file the `verify`
//! firmware runs) on the host, and prints the same report, checksums included.
//!
//! `tools/mcu/bitident.sh` runs it next to the firmware and compares the checksum columns, to
//! tell whether the MCU computes the same bits as this host build.
//!
//! ```text
//! cargo run --release --manifest-path tools/mcu/host/Cargo.toml
//! ```

#[path = "../../../../mcu/src/suite.rs"]
#[allow(dead_code)] // Note: the firmware uses parts of the suite that the host report does not.
mod suite;

fn main() {
    println!(
        "verify on host {} ({})",
        std::env::consts::ARCH,
        if cfg!(target_feature = "fma") {
            "FMA enabled"
        } else {
            "no FMA"
        }
    );
    let ok = suite::run(&mut |args| println!("{args}"));
    std::process::exit(if ok { 0 } else { 1 });
}

//! Special values (SPEC.md section 3) and error budgets on random inputs. The exhaustive
//! sweep over all 2^32 inputs is `cargo run --release --example check`; these tests keep
//! `cargo test` honest on its own.

mod common;

use common::hostile_f32;
use proptest::prelude::*;
use simd_activations::budget::{budget, Bound, Function, Tier};
use simd_activations::reference::{self, ulp_error};
use simd_activations::{fast, identity, precise, relu, step};

fn ulp_budget(f: Function) -> f64 {
    match budget(f, Tier::Precise) {
        Some(Bound::Ulp(b)) => b,
        other => panic!("precise {f:?} has no ULP budget: {other:?}"),
    }
}

#[test]
fn special_values() {
    let inf = f32::INFINITY;
    // exp
    assert!(precise::exp(f32::NAN).is_nan());
    assert_eq!(precise::exp(inf), inf);
    assert_eq!(precise::exp(-inf).to_bits(), 0);
    assert_eq!(precise::exp(0.0f32), 1.0);
    assert_eq!(precise::exp(-0.0f32), 1.0);
    assert_eq!(precise::exp(88.8f32), inf);
    assert_eq!(
        precise::exp(-103.0f32).to_bits(),
        1,
        "subnormal, not flushed"
    );
    // sigmoid
    assert!(precise::sigmoid(f32::NAN).is_nan());
    assert_eq!(precise::sigmoid(inf), 1.0);
    assert_eq!(precise::sigmoid(-inf).to_bits(), 0);
    assert_eq!(precise::sigmoid(0.0f32), 0.5);
    assert_eq!(precise::sigmoid(-0.0f32), 0.5);
    // tanh
    assert!(precise::tanh(f32::NAN).is_nan());
    assert_eq!(precise::tanh(inf), 1.0);
    assert_eq!(precise::tanh(-inf), -1.0);
    assert_eq!(precise::tanh(0.0f32).to_bits(), 0);
    assert_eq!(precise::tanh(-0.0f32).to_bits(), 0x8000_0000);
    // relu
    assert!(relu(f32::NAN).is_nan());
    assert_eq!(relu(inf), inf);
    assert_eq!(relu(-inf).to_bits(), 0);
    assert_eq!(relu(-0.0f32).to_bits(), 0);
    assert_eq!(relu(-1.0f32).to_bits(), 0);
    // step
    assert!(step(f32::NAN).is_nan());
    assert_eq!(step(inf), 1.0);
    assert_eq!(step(-inf), 0.0);
    assert_eq!(step(0.0f32), 1.0);
    assert_eq!(step(-0.0f32), 1.0);
    // identity keeps bits, NaN payloads included
    let snan = f32::from_bits(0x7FA0_0001);
    assert_eq!(identity(snan).to_bits(), snan.to_bits());
    assert_eq!(identity(-0.0f32).to_bits(), 0x8000_0000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn precise_within_budget(x in hostile_f32()) {
        for (f, y, exact) in [
            (Function::Exp, precise::exp(x), reference::exp(x)),
            (Function::Sigmoid, precise::sigmoid(x), reference::sigmoid(x)),
            (Function::Tanh, precise::tanh(x), reference::tanh(x)),
        ] {
            let e = ulp_error(y, exact);
            prop_assert!(e <= ulp_budget(f), "{f:?}({x:e} = 0x{:08X}) = {y:e}, exact {exact:e}: {e} ULP", x.to_bits());
        }
    }

    #[test]
    fn ranges_and_symmetry(x in hostile_f32()) {
        prop_assume!(!x.is_nan());
        let s = precise::sigmoid(x);
        prop_assert!((0.0..=1.0).contains(&s));
        let t = precise::tanh(x);
        prop_assert!((-1.0..=1.0).contains(&t));
        prop_assert_eq!(precise::tanh(-x).to_bits(), (-t).to_bits());
        prop_assert!(precise::exp(x) >= 0.0);
        prop_assert!(relu(x).to_bits() >> 31 == 0);
    }

    #[test]
    fn monotone_between_neighbours(x in -20.0f32..20.0) {
        let next = f32::from_bits(if x >= 0.0 { x.to_bits() + 1 } else { x.to_bits() - 1 });
        prop_assert!(precise::sigmoid(next) >= precise::sigmoid(x));
        prop_assert!(precise::tanh(next) >= precise::tanh(x));
    }
}

#[test]
fn fast_special_values() {
    let inf = f32::INFINITY;
    assert!(fast::exp(f32::NAN).is_nan());
    assert_eq!(fast::exp(inf), inf);
    assert_eq!(fast::exp(-inf).to_bits(), 0);
    assert_eq!(fast::exp(0.0f32), 1.0);
    assert_eq!(fast::exp(-0.0f32), 1.0);
    assert_eq!(fast::exp(88.8f32), inf);
    assert!(fast::sigmoid(f32::NAN).is_nan());
    assert_eq!(fast::sigmoid(inf), 1.0);
    assert_eq!(fast::sigmoid(-inf).to_bits(), 0);
    assert_eq!(fast::sigmoid(0.0f32), 0.5);
    assert_eq!(fast::sigmoid(-0.0f32), 0.5);
    assert!(fast::tanh(f32::NAN).is_nan());
    assert_eq!(fast::tanh(inf), 1.0);
    assert_eq!(fast::tanh(-inf), -1.0);
    assert_eq!(fast::tanh(0.0f32).to_bits(), 0);
    assert_eq!(fast::tanh(-0.0f32).to_bits(), 0x8000_0000);
    assert_eq!(fast::tanh(1e-30f32), 1e-30);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn fast_within_budget(x in hostile_f32()) {
        let Some(Bound::Relative(b)) = budget(Function::Exp, Tier::Fast) else {
            panic!("fast exp has no relative budget");
        };
        for (f, y, exact) in [
            ("exp", fast::exp(x), reference::exp(x)),
            ("sigmoid", fast::sigmoid(x), reference::sigmoid(x)),
            ("tanh", fast::tanh(x), reference::tanh(x)),
        ] {
            if x.is_nan() {
                prop_assert!(y.is_nan());
            } else if exact > f64::from(f32::MAX) {
                prop_assert_eq!(y, f32::INFINITY, "fast {}({:e}) must overflow", f, x);
            } else if exact.abs() >= f64::from(f32::MIN_POSITIVE) {
                let rel = ((f64::from(y) - exact) / exact).abs();
                prop_assert!(rel <= b, "fast {f}({x:e}) = {y:e}, exact {exact:e}: rel {rel:e}");
            } else {
                prop_assert!((f64::from(y) - exact).abs() <= f64::from(f32::MIN_POSITIVE));
            }
        }
    }
}

#[test]
fn tiny_tanh_returns_its_input() {
    for bits in (1u32..0x3980_0000).step_by(4099) {
        let x = f32::from_bits(bits);
        if (reference::tanh(x) as f32) == x {
            assert_eq!(precise::tanh(x), x, "tanh(0x{bits:08X})");
            assert_eq!(precise::tanh(-x), -x);
        }
    }
}

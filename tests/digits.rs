//! The digits networks of `examples/digits.rs`: every tier must reproduce scikit-learn's
//! predictions and probabilities, and the loader must reject malformed files without panicking.
//!
//! ```text
//! cargo test --release --test digits -- --nocapture    # also prints the measured differences
//! ```
//!
//! # The bound on the probabilities
//!
//! For each test image, class and tier the test computes a bound on `|p - p_sklearn|` from
//! first-order error propagation through the network, with the exact values taken from an
//! `f64` evaluation of the same network (`u = 2^-24`, `gamma(n) = n u / (1 - n u)`):
//!
//! - hidden pre-activation `z_j = b1_j + sum_i x_i W1_ij`, 64 products summed in order in
//!   `f32`: off by at most `gamma(65) (|b1_j| + sum_i |x_i W1_ij|)` (Higham, recursive
//!   summation of a dot product);
//! - hidden activation: that error times the activation's Lipschitz constant (1, or 1/4 for
//!   the logistic), plus the kernel's budget (`simd_activations::budget`: 2 ULP for the
//!   precise tier, `2^-12` relative for the fast one; identity and ReLU are exact);
//! - logits: the hidden errors weighted by `|W2_jk|`, plus `gamma(33) (|b2_k| + sum_j
//!   |h_j W2_jk|)` for the second dense layer;
//! - softmax: a change `D` in the logits (largest over the row) moves `p_k` by at most
//!   `2 p_k (1 - p_k) D`; the kernel adds its own per-element bound (`tests/softmax.rs`: 4 ULP
//!   precise, `2^-11` relative fast);
//! - the expected value is scikit-learn's `f64` probability rounded to `f32`: half an ULP.
//!
//! The sum is multiplied by 1.1 to cover the second-order terms, which are smaller than the
//! first-order ones by the relative error itself (below 1e-3 here).
//!
//! This worst-case bound is tight where `p` is small (a few ULP of `p`) but loose near
//! `p = 0.5`, where it reaches 3e-4 for the precise tier, because `gamma(n)` assumes every
//! rounding in a dot product adds up in the same direction. So the precise tier has a second,
//! rounding-level check: `|p - p_sklearn| <= PRECISE_MAX_DIFF = 1e-5` everywhere. Measured:
//! 8.6e-7 at most (about 15 `u`), for every model. 1e-5 (about 170 `u`) leaves a factor of
//! ten for another summation order or FMA contraction in the dense layers, while a precise
//! kernel that lost even 10 bits somewhere on these inputs would exceed it.
//!
//! The fast tier is held to its worst-case bound only, which is larger because its contract
//! allows `2^-12` relative error in each kernel; the test holds it to its contract, not to its
//! measured accuracy (3.8e-6 at most).

#[path = "../examples/digits/model.rs"]
#[allow(dead_code)] // The example uses parts of the module (and the test others).
mod model;

use model::{Activation, Digits, FormatError, Tier, N_HIDDEN, N_IN, N_OUT, TIERS};
use simd_activations::budget::{self, Bound, Function};
use simd_activations::reference::ulp_f32;

static DATA: &[u8] = include_bytes!("../examples/digits/digits.bin");

/// Unit roundoff of `f32`.
const U: f64 = 1.0 / 16_777_216.0;
/// Per-element softmax bounds, as in `tests/softmax.rs`: ULP of the exact result (precise).
const SOFTMAX_PRECISE_ULP: f64 = 4.0;
/// Per-element softmax bound relative to the exact result (fast), for results >= 2^-126.
const SOFTMAX_FAST_REL: f64 = 1.0 / 2048.0;
/// The precise tier's rounding-level bound on `|p - p_sklearn|` (see the module documentation).
const PRECISE_MAX_DIFF: f32 = 1e-5;
/// Below this a fast-tier result may be flushed to zero.
const MIN_NORMAL: f64 = 1.175_494_350_822_287_5e-38;

fn gamma(n: u32) -> f64 {
    f64::from(n) * U / (1.0 - f64::from(n) * U)
}

fn digits() -> Digits<'static> {
    Digits::parse(DATA).expect("the committed digits.bin parses")
}

fn budget_tier(tier: &Tier) -> budget::Tier {
    match tier.name {
        "precise" => budget::Tier::Precise,
        "fast" => budget::Tier::Fast,
        other => panic!("tier {other} has no budget here: add it to budget_tier"),
    }
}

/// Bound on a kernel's error at an exact result `v`, from its budget.
fn kernel_error(bound: Bound, v: f64) -> f64 {
    match bound {
        Bound::Ulp(n) => n * ulp_f32(v),
        Bound::Relative(r) => r * v.abs() + MIN_NORMAL,
    }
}

/// The network in `f64` (exact to about 1e-15) for one image, and the bound on the
/// difference between the `f32` inference of `tier` and the exact probabilities.
fn exact_and_bound(
    w: &model::Weights,
    activation: Activation,
    tier: &Tier,
    x: &[f32; N_IN],
) -> ([f64; N_OUT], [f64; N_OUT]) {
    let t = budget_tier(tier);

    // Hidden layer: exact values, and the bound on the f32 result's error.
    let mut h = [0.0_f64; N_HIDDEN];
    let mut h_err = [0.0_f64; N_HIDDEN];
    for j in 0..N_HIDDEN {
        let mut z = f64::from(w.b1[j]);
        let mut size = z.abs();
        for (&xi, row) in x.iter().zip(&w.w1) {
            let term = f64::from(xi) * f64::from(row[j]);
            z += term;
            size += term.abs();
        }
        let z_err = gamma(N_IN as u32 + 1) * size;
        let (value, lipschitz, kernel) = match activation {
            Activation::Identity => (z, 1.0, None),
            Activation::Relu => (z.max(0.0), 1.0, None),
            Activation::Logistic => (1.0 / (1.0 + (-z).exp()), 0.25, Some(Function::Sigmoid)),
            Activation::Tanh => (z.tanh(), 1.0, Some(Function::Tanh)),
        };
        let kernel_err = kernel.map_or(0.0, |f| {
            let bound = budget::budget(f, t).expect("every tier has sigmoid and tanh");
            kernel_error(bound, value)
        });
        h[j] = value;
        h_err[j] = lipschitz * z_err + kernel_err;
    }

    // Output layer: logits and the largest bound on their error.
    let mut y = [0.0_f64; N_OUT];
    let mut d = 0.0_f64;
    for (k, yk) in y.iter_mut().enumerate() {
        let mut v = f64::from(w.b2[k]);
        let mut size = v.abs();
        let mut propagated = 0.0;
        for ((hj, hj_err), row) in h.iter().zip(&h_err).zip(&w.w2) {
            let w2 = f64::from(row[k]);
            v += hj * w2;
            size += (hj * w2).abs();
            propagated += w2.abs() * hj_err;
        }
        *yk = v;
        d = d.max(propagated + gamma(N_HIDDEN as u32 + 1) * size);
    }

    // Softmax, its kernel, and the rounding of the expected value to f32.
    let m = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = y.map(|v| (v - m).exp());
    let sum: f64 = e.iter().sum();
    let p = e.map(|v| v / sum);
    let bound = p.map(|pk| {
        let softmax_kernel = match t {
            budget::Tier::Precise => SOFTMAX_PRECISE_ULP * ulp_f32(pk),
            budget::Tier::Fast => SOFTMAX_FAST_REL * pk + MIN_NORMAL,
        };
        let expected_rounding = 0.5 * ulp_f32(pk);
        1.1 * (2.0 * pk * (1.0 - pk) * d + softmax_kernel + expected_rounding) + 1e-12
    });
    (p, bound)
}

#[test]
fn committed_file_has_the_documented_shape() {
    let d = digits();
    assert_eq!((d.n_models(), d.n_test()), (4, 450));
    let activations: Vec<_> = d.models().map(|(m, _)| m.activation).collect();
    assert_eq!(
        activations,
        [
            Activation::Identity,
            Activation::Logistic,
            Activation::Tanh,
            Activation::Relu
        ]
    );
    // Every digit occurs in the stratified test split, and the images are pixel / 16.
    for c in 0..10u8 {
        assert!(d.labels().contains(&c), "no test image of digit {c}");
    }
    for i in 0..d.n_test() {
        let image = d.image(i).expect("image in range");
        assert!(image
            .iter()
            .all(|&v| (0.0..=1.0).contains(&v) && (v * 16.0).fract() == 0.0));
    }
    // No subnormal weights: the exporter flushes them (each multiplication by one takes a
    // slow path on many x86 CPUs, which showed as a third more time per image).
    for (net, _) in d.models() {
        let w = net.weights();
        let all = w.w1.iter().flatten().chain(&w.b1);
        let all = all.chain(w.w2.iter().flatten()).chain(&w.b2);
        for v in all {
            assert!(
                !v.is_subnormal(),
                "{}: subnormal weight {v:e}",
                net.activation.name()
            );
        }
    }
    assert!(d.image(d.n_test()).is_none());
    assert!(d.model(d.n_models()).is_none());
}

/// The file's expected probabilities are the network this module computes: the f64
/// evaluation matches scikit-learn's to the rounding of the stored `f32`.
#[test]
fn expected_outputs_are_this_network() {
    let d = digits();
    for (net, expected) in d.models() {
        let w = net.weights();
        for i in 0..d.n_test() {
            let image = d.image(i).unwrap();
            let (p, _) = exact_and_bound(&w, net.activation, &TIERS[0], &image);
            let sk = expected.proba(i).unwrap();
            for (a, &b) in p.iter().zip(&sk) {
                assert!(
                    (a - f64::from(b)).abs() <= 0.5 * ulp_f32(*a) + 1e-12,
                    "{} image {i}: f64 {a} vs stored {b}",
                    net.activation.name()
                );
            }
        }
    }
}

/// Every tier reproduces every prediction, and every probability within the bound of the
/// module documentation.
#[test]
fn every_tier_matches_scikit_learn() {
    let d = digits();
    for tier in &TIERS {
        for (net, expected) in d.models() {
            let name = format!("{}/{}", tier.name, net.activation.name());
            let s = model::score(&d, &net, &expected, tier);
            assert_eq!(s.images, d.n_test(), "{name}: not every image was scored");
            assert_eq!(
                s.agree, s.images,
                "{name}: predictions disagree with scikit-learn"
            );

            let w = net.weights();
            let (mut max_bound, mut max_ratio) = (0.0_f64, 0.0_f64);
            for i in 0..d.n_test() {
                let image = d.image(i).unwrap();
                let p = net.forward(tier, &image);
                let sk = expected.proba(i).unwrap();
                let (_, bound) = exact_and_bound(&w, net.activation, tier, &image);
                for k in 0..N_OUT {
                    let diff = f64::from((p[k] - sk[k]).abs());
                    assert!(
                        diff <= bound[k],
                        "{name}, image {i}, class {k}: |{} - {}| = {diff:e} exceeds the bound \
                         {:e}",
                        p[k],
                        sk[k],
                        bound[k]
                    );
                    max_bound = max_bound.max(bound[k]);
                    max_ratio = max_ratio.max(diff / bound[k]);
                }
            }
            if budget_tier(tier) == budget::Tier::Precise {
                assert!(
                    s.max_abs_diff <= PRECISE_MAX_DIFF,
                    "{name}: max |p - sklearn| = {:e} on image {} is above the rounding level \
                     {PRECISE_MAX_DIFF:e}",
                    s.max_abs_diff,
                    s.worst_image
                );
            }
            println!(
                "{name:<17} accuracy {}/{}, agree {}/{}, max |p - sklearn| {:.2e}, \
                 largest bound {max_bound:.2e}, largest diff/bound {max_ratio:.3}",
                s.correct, s.images, s.agree, s.images, s.max_abs_diff
            );
        }
    }
}

/// The committed file with one header field (a `u32` at `offset`) replaced.
fn with_u32(offset: usize, value: u32) -> Vec<u8> {
    let mut bytes = DATA.to_vec();
    bytes[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
    bytes
}

const VERSION_AT: usize = 8;
const N_MODELS_AT: usize = 12;
const N_TEST_AT: usize = 16;
const N_IN_AT: usize = 20;
const N_HIDDEN_AT: usize = 24;

#[test]
fn truncated_files_are_rejected() {
    for len in [0, 1, 7, 8, 12, 31] {
        assert_eq!(
            Digits::parse(&DATA[..len]).unwrap_err(),
            FormatError::TooShort { len },
            "length {len}"
        );
    }
    // Every other prefix, down to the bare header: too short for what the header promises.
    for len in 32..DATA.len() {
        assert_eq!(
            Digits::parse(&DATA[..len]).unwrap_err(),
            FormatError::WrongLength {
                expected: DATA.len(),
                found: len
            }
        );
    }
    let mut longer = DATA.to_vec();
    longer.push(0);
    assert!(matches!(
        Digits::parse(&longer),
        Err(FormatError::WrongLength { .. })
    ));
}

#[test]
fn wrong_magic_is_rejected() {
    for at in 0..8 {
        let mut bytes = DATA.to_vec();
        bytes[at] ^= 0x20;
        assert_eq!(Digits::parse(&bytes).unwrap_err(), FormatError::BadMagic);
    }
}

#[test]
fn wrong_version_is_rejected() {
    for version in [0, 2, u32::MAX] {
        assert_eq!(
            Digits::parse(&with_u32(VERSION_AT, version)).unwrap_err(),
            FormatError::UnsupportedVersion { found: version }
        );
    }
}

#[test]
fn shape_overflow_is_rejected() {
    // n_models * n_test * 41 bytes overflows 64 bits.
    let mut bytes = with_u32(N_MODELS_AT, u32::MAX);
    bytes[N_TEST_AT..N_TEST_AT + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        Digits::parse(&bytes).unwrap_err(),
        FormatError::ShapeOverflow
    );
    // n_in * n_hidden * 4 also overflows when both are huge (checked before the shape limits).
    let mut bytes = with_u32(N_IN_AT, u32::MAX);
    bytes[N_HIDDEN_AT..N_HIDDEN_AT + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[N_MODELS_AT..N_MODELS_AT + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        Digits::parse(&bytes).unwrap_err(),
        FormatError::ShapeOverflow
    );
}

#[test]
fn unsupported_or_inconsistent_shapes_are_rejected() {
    assert_eq!(
        Digits::parse(&with_u32(N_HIDDEN_AT, 16)).unwrap_err(),
        FormatError::UnsupportedShape {
            n_in: 64,
            n_hidden: 16,
            n_out: 10
        }
    );
    // One model fewer or one test image more than the data: the length no longer fits.
    for (at, value) in [(N_MODELS_AT, 3), (N_TEST_AT, 451), (N_TEST_AT, 0)] {
        assert!(matches!(
            Digits::parse(&with_u32(at, value)),
            Err(FormatError::WrongLength { .. })
        ));
    }
}

#[test]
fn bad_contents_are_rejected() {
    // Activation code of the second model.
    let model_len = 4 + 4 * (N_IN * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_OUT + N_OUT);
    let bytes = with_u32(32 + model_len, 4);
    assert_eq!(
        Digits::parse(&bytes).unwrap_err(),
        FormatError::UnknownActivation { model: 1, code: 4 }
    );

    // A label of 10, and a prediction of 255 by the last model.
    let labels_at = 32 + 4 * model_len + 450 * 4 * N_IN;
    let mut bytes = DATA.to_vec();
    bytes[labels_at + 7] = 10;
    assert_eq!(
        Digits::parse(&bytes).unwrap_err(),
        FormatError::ClassOutOfRange {
            model: None,
            index: 7,
            value: 10
        }
    );
    let mut bytes = DATA.to_vec();
    *bytes.last_mut().unwrap() = 255;
    assert_eq!(
        Digits::parse(&bytes).unwrap_err(),
        FormatError::ClassOutOfRange {
            model: Some(3),
            index: 449,
            value: 255
        }
    );
}

/// No single header byte, whatever its value, makes the loader panic; every error has a
/// message.
#[test]
fn any_header_byte_is_handled() {
    let mut bytes = DATA.to_vec();
    for at in 0..32 {
        let original = bytes[at];
        for v in 0..=255u8 {
            bytes[at] = v;
            if let Err(e) = Digits::parse(&bytes) {
                assert!(!e.to_string().is_empty());
            }
        }
        bytes[at] = original;
    }
}

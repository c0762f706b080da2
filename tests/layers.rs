//! Shapes and layers: every unary kernel gives the same bits through the scalar, `f32x4`,
//! `f32x8`, in-place and `src -> dst` entry points, whatever the slice length and position;
//! bad lengths return an error and write nothing.

mod common;

use common::hostile_f32;
use proptest::prelude::*;
use simd_activations::wide::{f32x4, f32x8};
use simd_activations::{fast, precise, Error};

struct Unary {
    name: &'static str,
    scalar: fn(f32) -> f32,
    x4: fn(f32x4) -> f32x4,
    x8: fn(f32x8) -> f32x8,
    in_place: fn(&mut [f32]),
    into: fn(&[f32], &mut [f32]) -> Result<(), Error>,
}

macro_rules! unary {
    ($name:literal, $path:path, $in_place:path, $into:path) => {
        Unary {
            name: $name,
            scalar: $path,
            x4: $path,
            x8: $path,
            in_place: $in_place,
            into: $into,
        }
    };
}

fn unaries() -> Vec<Unary> {
    vec![
        unary!(
            "exp",
            precise::exp,
            precise::exp_in_place,
            precise::exp_into
        ),
        unary!(
            "sigmoid",
            precise::sigmoid,
            precise::sigmoid_in_place,
            precise::sigmoid_into
        ),
        unary!(
            "tanh",
            precise::tanh,
            precise::tanh_in_place,
            precise::tanh_into
        ),
        unary!("fast exp", fast::exp, fast::exp_in_place, fast::exp_into),
        unary!(
            "fast sigmoid",
            fast::sigmoid,
            fast::sigmoid_in_place,
            fast::sigmoid_into
        ),
        unary!(
            "fast tanh",
            fast::tanh,
            fast::tanh_in_place,
            fast::tanh_into
        ),
        unary!(
            "relu",
            simd_activations::relu,
            simd_activations::relu_in_place,
            simd_activations::relu_into
        ),
        unary!(
            "step",
            simd_activations::step,
            simd_activations::step_in_place,
            simd_activations::step_into
        ),
        unary!(
            "identity",
            simd_activations::identity,
            simd_activations::identity_in_place,
            simd_activations::identity_into
        ),
    ]
}

/// Every entry point agrees with the scalar kernel, element by element, bit for bit.
fn check_layers(k: &Unary, xs: &[f32]) -> Result<(), TestCaseError> {
    let want: Vec<u32> = xs.iter().map(|&x| (k.scalar)(x).to_bits()).collect();

    let mut a = xs.to_vec();
    (k.in_place)(&mut a);
    let got: Vec<u32> = a.iter().map(|v| v.to_bits()).collect();
    prop_assert_eq!(&got, &want, "{}: in place vs scalar", k.name);

    let mut b = vec![f32::from_bits(0xDEAD_BEEF); xs.len()];
    prop_assert_eq!((k.into)(xs, &mut b), Ok(()));
    let got: Vec<u32> = b.iter().map(|v| v.to_bits()).collect();
    prop_assert_eq!(&got, &want, "{}: into vs scalar", k.name);

    for (i, c) in xs.chunks(4).enumerate() {
        let mut arr = [0.0f32; 4];
        arr[..c.len()].copy_from_slice(c);
        let y = (k.x4)(f32x4::new(arr)).to_array();
        for (j, v) in y.iter().enumerate().take(c.len()) {
            prop_assert_eq!(v.to_bits(), want[i * 4 + j], "{}: f32x4 lane {}", k.name, j);
        }
    }
    for (i, c) in xs.chunks(8).enumerate() {
        let mut arr = [0.0f32; 8];
        arr[..c.len()].copy_from_slice(c);
        let y = (k.x8)(f32x8::new(arr)).to_array();
        for (j, v) in y.iter().enumerate().take(c.len()) {
            prop_assert_eq!(v.to_bits(), want[i * 8 + j], "{}: f32x8 lane {}", k.name, j);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn short_slices_agree_across_layers(xs in prop::collection::vec(hostile_f32(), 0..=100)) {
        for k in unaries() {
            check_layers(&k, &xs)?;
        }
    }

    #[test]
    fn long_slices_agree_across_layers(xs in prop::collection::vec(hostile_f32(), 2000..5000)) {
        for k in unaries() {
            check_layers(&k, &xs)?;
        }
    }

    #[test]
    fn result_does_not_depend_on_position(x in hostile_f32(), len in 1usize..40, pos in 0usize..40) {
        let pos = pos % len;
        for k in unaries() {
            let mut v = vec![0.25f32; len];
            v[pos] = x;
            (k.in_place)(&mut v);
            prop_assert_eq!(v[pos].to_bits(), (k.scalar)(x).to_bits(), "{} at {} of {}", k.name, pos, len);
        }
    }

    #[test]
    fn length_mismatch_writes_nothing(n in 0usize..40, m in 0usize..40) {
        prop_assume!(n != m);
        let src = vec![1.0f32; n];
        for k in unaries() {
            let mut dst = vec![f32::from_bits(0x7F80_0123); m];
            prop_assert_eq!((k.into)(&src, &mut dst), Err(Error::LengthMismatch { src: n, dst: m }));
            prop_assert!(dst.iter().all(|v| v.to_bits() == 0x7F80_0123), "{} wrote output", k.name);
        }
    }
}

/// Kernels branch on whole vectors (a direct path where every lane qualifies, one branch only
/// where no lane needs the other), so a lane's bits must not depend on its neighbours: every
/// pair of inputs from different paths, side by side in one vector, gives the scalar's bits.
#[test]
fn lanes_on_different_paths_agree() {
    let reps: Vec<f32> = common::THRESHOLDS
        .iter()
        .copied()
        .chain([
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            f32::from_bits(1),
            0.3,
            -0.3,
            0.8,
            -0.8,
            1.5,
            -1.5,
            3.0,
            -3.0,
            20.0,
            -20.0,
            -69.0,
            -80.0,
            -100.0,
            70.0,
            -88.5,
            88.5,
            1e30,
            -1e30,
        ])
        .collect();
    for k in unaries() {
        for &a in &reps {
            for &b in &reps {
                let xs = [a, b, b, b, a, a, b, a];
                let y8 = (k.x8)(f32x8::new(xs)).to_array();
                let y4 = (k.x4)(f32x4::new([a, b, b, b])).to_array();
                for (i, &x) in xs.iter().enumerate() {
                    let want = (k.scalar)(x).to_bits();
                    assert_eq!(
                        y8[i].to_bits(),
                        want,
                        "{}: f32x8 lane {i}, inputs {a:e} and {b:e}",
                        k.name
                    );
                    if let Some(v) = y4.get(i) {
                        assert_eq!(
                            v.to_bits(),
                            want,
                            "{}: f32x4 lane {i}, inputs {a:e} and {b:e}",
                            k.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn shapes_around_the_lane_width() {
    let xs: Vec<f32> = (0..64).map(|i| (i as f32 - 30.0) * 0.7).collect();
    for k in unaries() {
        for len in [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64] {
            check_layers(&k, &xs[..len]).unwrap();
        }
    }
}

#[test]
fn error_messages_say_what_to_do() {
    let e = Error::LengthMismatch { src: 3, dst: 4 };
    let msg = e.to_string();
    assert!(msg.contains('3') && msg.contains('4') && msg.contains("nothing was written"));
    let e = Error::RaggedBatch {
        len: 10,
        row_len: 3,
    };
    assert!(e.to_string().contains("10") && e.to_string().contains("rows of 3"));
    let _: &dyn core::error::Error = &e;
}

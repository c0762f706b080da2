//! Input strategies shared by the property tests: values weighted towards NaN, infinities,
//! signed zeros, subnormals and each kernel's branch thresholds.
#![allow(dead_code)] // Each test binary uses a different subset.

use proptest::prelude::*;

/// Values where some kernel changes branch or saturates.
pub const THRESHOLDS: &[f32] = &[
    0.55,
    -0.55,
    0.549_999_95,
    9.0,
    -9.0,
    9.01,
    9.5,
    -9.5,
    44.0,
    45.0,
    88.72,
    88.73,
    89.0,
    -87.33,
    -87.34,
    -103.97,
    -104.0,
    -104.1,
    18.25,
    -18.25,
    16.0,
    -16.0,
    0.346_6,
    -0.346_6,
    1e-4,
    -1e-4,
    // Where the kernels' direct paths (taken when every lane of a vector qualifies) end.
    68.0,
    -68.0,
    68.000_01,
    -68.000_01,
    88.0,
    88.000_01,
    2.0,
    1.999_999_9,
    0.625,
    -0.625,
    0.624_999_94,
    87.336_54,
    -87.336_54,
];

/// An `f32` from the whole bit space, weighted to hostile values.
pub fn hostile_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        3 => prop::sample::select(vec![
            f32::NAN,
            -f32::NAN,
            f32::from_bits(0x7FA0_0001), // signalling NaN
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::from_bits(1),
            f32::from_bits(0x8000_0001),
            f32::MAX,
            f32::MIN,
            1.0,
            -1.0,
        ]),
        2 => prop::sample::select(THRESHOLDS.to_vec()),
        2 => (0u32..0x0080_0000, any::<bool>())
            .prop_map(|(m, s)| f32::from_bits(m | if s { 0x8000_0000 } else { 0 })),
        4 => -120.0f32..120.0,
        2 => -10.0f32..10.0,
        4 => any::<u32>().prop_map(f32::from_bits),
    ]
}

/// Bits, with every NaN mapped to one value, for comparisons where only NaN-ness matters.
pub fn canon(v: f32) -> u32 {
    if v.is_nan() {
        0x7FC0_0000
    } else {
        v.to_bits()
    }
}

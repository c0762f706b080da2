//! Neural-network activation functions for `f32`, as SIMD kernels with error bounds that are
//! checked over every `f32` input.
//!
//! `#![no_std]`, no allocation, no `unsafe`, no panics. Four layers, bit-identical to each
//! other (SPEC.md sections 1 and 2):
//!
//! | layer | form | example |
//! |---|---|---|
//! | slice | `&mut [f32]`, or `&[f32]` to `&mut [f32]` | [`precise::sigmoid_in_place`], [`precise::sigmoid_into`] |
//! | lane | [`wide::f32x4`], [`wide::f32x8`] | `precise::sigmoid(f32x8::splat(1.0))` |
//! | scalar | `f32` | `precise::sigmoid(1.0_f32)` |
//! | reference | `f32` in, `f64` out, through `libm` | [`reference::sigmoid`] |
//!
//! Exact activations live at the crate root ([`relu`], [`step`], [`identity`]); approximated
//! ones live in their tier's module ([`precise`]).
//!
//! ```
//! use simd_activations::{precise, relu_in_place};
//!
//! let mut layer = [-2.0_f32, -0.5, 0.0, 0.5, 2.0];
//! relu_in_place(&mut layer);
//! assert_eq!(layer, [0.0, 0.0, 0.0, 0.5, 2.0]);
//!
//! let mut logits = [1.0_f32, 2.0, 3.0];
//! precise::softmax_in_place(&mut logits);
//! assert!((logits.iter().sum::<f32>() - 1.0).abs() < 1e-6);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod driver;
mod error;
mod exp;
mod identity;
mod lane;
mod poly;
mod relu;
mod sigmoid;
mod softmax;
mod step;
mod tanh;

pub mod budget;
pub mod fast;
pub mod precise;
pub mod reference;

pub use error::Error;
pub use identity::{identity, identity_in_place, identity_into};
pub use lane::Lane;
pub use relu::{relu, relu_in_place, relu_into};
pub use step::{step, step_in_place, step_into};
pub use wide;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

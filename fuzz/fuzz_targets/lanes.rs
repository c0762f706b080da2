//! The lane (`f32x4`, `f32x8`) and scalar layers of every function against each other and
//! against the contract; see `contract::lanes`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| contract::lanes(data));

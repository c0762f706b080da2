//! `identity_in_place` and `identity_into` of every tier on arbitrary slices and output lengths; see
//! `contract::unary_slice` for what is asserted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| contract::unary_slice(contract::Kind::Identity, data));

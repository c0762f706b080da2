//! Softmax of a batch (in place and into) with an arbitrary row length, zero included, and
//! arbitrary output lengths; see `contract::softmax_batch`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| contract::softmax_batch(data));

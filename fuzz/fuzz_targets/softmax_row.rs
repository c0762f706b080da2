//! Softmax of one row (in place, into, and the lane layer for rows of 1, 4 and 8) on arbitrary
//! rows and output lengths; see `contract::softmax_row`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| contract::softmax_row(data));

//! The error type of the slice layer.

use core::fmt;

/// Why a slice call refused its arguments. It is returned before any output element is
/// written, so the destination keeps its previous contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// `src` and `dst` have different lengths.
    LengthMismatch {
        /// Length of the input slice.
        src: usize,
        /// Length of the output slice.
        dst: usize,
    },
    /// A batch of softmax rows whose length is not a whole number of rows, or a row length of
    /// zero with a non-empty batch.
    RaggedBatch {
        /// Length of the batch.
        len: usize,
        /// The requested row length.
        row_len: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::LengthMismatch { src, dst } => write!(
                f,
                "input has {src} elements but output has {dst}; pass slices of equal length \
                 (nothing was written)"
            ),
            Error::RaggedBatch { len, row_len } => write!(
                f,
                "a batch of {len} elements is not a whole number of rows of {row_len}; \
                 pass a row length that divides the batch length (nothing was written)"
            ),
        }
    }
}

impl core::error::Error for Error {}

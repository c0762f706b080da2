//! The digits networks: a loader for `digits.bin` and an inference pass that allocates nothing.
//!
//! Shared by `examples/digits.rs` and `tests/digits.rs` (both include it with `#[path]`). It
//! uses only `core` and `simd_activations`, so it builds unchanged for a `no_std` target: the
//! data borrow the embedded bytes, weights are decoded from them as they are used, and the
//! forward pass keeps its activations in fixed-size stack arrays (`[f32; 32]`, `[f32; 10]`).
//!
//! # File format (version 1)
//!
//! Written by `tools/digits/train_export.py`; `tools/digits/FORMAT.md` has the full
//! description. Little-endian, no padding, arrays row-major:
//!
//! ```text
//! header   magic "SADIGITS" (8 bytes), then u32 version = 1, n_models, n_test, n_in,
//!          n_hidden, n_out                                            (32 bytes)
//! models   n_models x { u32 activation code (0 identity, 1 logistic, 2 tanh, 3 relu),
//!                       W1 f32[n_in][n_hidden], b1 f32[n_hidden],
//!                       W2 f32[n_hidden][n_out], b2 f32[n_out] }
//! images   f32[n_test][n_in]   (pixel / 16, in [0, 1])
//! labels   u8[n_test]
//! outputs  n_models x { f32[n_test][n_out] scikit-learn's predict_proba,
//!                       u8[n_test] scikit-learn's predict }
//! ```
//!
//! The network computes `softmax(act(x W1 + b1) W2 + b2)` for a row vector `x`.
//!
//! [`Digits::parse`] checks the magic, the version, that the sizes fit in `usize`, that the
//! shapes are the ones the fixed-size buffers hold (64, 32, 10), that the length is exactly
//! what the shapes give, the activation codes, and that every label and prediction is below
//! `n_out`. It returns a [`FormatError`] for a malformed file and never panics.

use core::fmt;

use simd_activations::{identity_in_place, relu_in_place};

/// The first 8 bytes of the file.
pub const MAGIC: [u8; 8] = *b"SADIGITS";
/// The format version this loader reads.
pub const VERSION: u32 = 1;
/// Bytes of the header: magic and six `u32`s.
pub const HEADER_LEN: usize = 32;
/// Inputs per image (8x8 pixels).
pub const N_IN: usize = 64;
/// Hidden units.
pub const N_HIDDEN: usize = 32;
/// Classes (digits 0..9).
pub const N_OUT: usize = 10;

/// Why [`Digits::parse`] rejected a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// Shorter than the header.
    TooShort {
        /// Length of the file.
        len: usize,
    },
    /// The first 8 bytes are not [`MAGIC`].
    BadMagic,
    /// A format version this loader does not read.
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
    },
    /// The sizes the header's shapes give do not fit in `usize`.
    ShapeOverflow,
    /// Shapes other than the ones the fixed-size inference buffers hold.
    UnsupportedShape {
        /// `n_in` in the file.
        n_in: u32,
        /// `n_hidden` in the file.
        n_hidden: u32,
        /// `n_out` in the file.
        n_out: u32,
    },
    /// The file length is not the one the header's shapes give (truncated, or trailing bytes).
    WrongLength {
        /// Length the header implies.
        expected: usize,
        /// Length of the file.
        found: usize,
    },
    /// An activation code other than 0..=3.
    UnknownActivation {
        /// Index of the model.
        model: usize,
        /// The code in the file.
        code: u32,
    },
    /// A test label, or a prediction of model `model`, that is not a class index.
    ClassOutOfRange {
        /// `None` for the labels, else the model whose predictions hold it.
        model: Option<usize>,
        /// Index of the test image.
        index: usize,
        /// The value in the file.
        value: u8,
    },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FormatError::TooShort { len } => {
                write!(
                    f,
                    "{len} bytes is shorter than the {HEADER_LEN}-byte header"
                )
            }
            FormatError::BadMagic => write!(f, "the file does not start with \"SADIGITS\""),
            FormatError::UnsupportedVersion { found } => {
                write!(
                    f,
                    "format version {found}, this loader reads version {VERSION}"
                )
            }
            FormatError::ShapeOverflow => {
                write!(
                    f,
                    "the shapes in the header give a size that overflows usize"
                )
            }
            FormatError::UnsupportedShape {
                n_in,
                n_hidden,
                n_out,
            } => write!(
                f,
                "shapes {n_in}-{n_hidden}-{n_out}, the inference buffers hold \
                 {N_IN}-{N_HIDDEN}-{N_OUT}"
            ),
            FormatError::WrongLength { expected, found } => write!(
                f,
                "the header gives a file of {expected} bytes, the file has {found} \
                 (truncated or with trailing bytes)"
            ),
            FormatError::UnknownActivation { model, code } => {
                write!(f, "model {model} has unknown activation code {code}")
            }
            FormatError::ClassOutOfRange {
                model,
                index,
                value,
            } => match model {
                None => write!(f, "label of test image {index} is {value}, not 0..{N_OUT}"),
                Some(m) => write!(
                    f,
                    "model {m}'s prediction for test image {index} is {value}, not 0..{N_OUT}"
                ),
            },
        }
    }
}

impl core::error::Error for FormatError {}

/// The hidden-layer activation of a model, as scikit-learn names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// `x`, code 0.
    Identity,
    /// The sigmoid `1 / (1 + e^-x)`, code 1.
    Logistic,
    /// `tanh(x)`, code 2.
    Tanh,
    /// `max(x, 0)`, code 3.
    Relu,
}

impl Activation {
    /// The activation a file's code stands for.
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(Activation::Identity),
            1 => Some(Activation::Logistic),
            2 => Some(Activation::Tanh),
            3 => Some(Activation::Relu),
            _ => None,
        }
    }

    /// scikit-learn's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Logistic => "logistic",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }
}

/// The kernels of one tier of `simd_activations` that the forward pass calls. ReLU and
/// identity are exact and the same in every tier.
pub struct Tier {
    /// The tier's module name.
    pub name: &'static str,
    /// Sigmoid over a slice, in place.
    pub sigmoid: fn(&mut [f32]),
    /// `tanh` over a slice, in place.
    pub tanh: fn(&mut [f32]),
    /// Softmax of one row, in place.
    pub softmax: fn(&mut [f32]),
}

/// The [`Tier`] of the module `simd_activations::$tier`.
macro_rules! tier {
    ($tier:ident) => {
        Tier {
            name: stringify!($tier),
            sigmoid: simd_activations::$tier::sigmoid_in_place,
            tanh: simd_activations::$tier::tanh_in_place,
            softmax: simd_activations::$tier::softmax_in_place,
        }
    };
}

/// Every tier, in the order the example prints them. Adding a tier is one line here.
pub const TIERS: [Tier; 2] = [tier!(precise), tier!(fast)];

/// Bytes of one model's record: the activation code and the four weight arrays.
const MODEL_LEN: usize = 4 + 4 * (N_IN * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_OUT + N_OUT);
/// Bytes of one model's expected outputs: probabilities and predictions.
const OUTPUT_LEN_PER_IMAGE: usize = 4 * N_OUT + 1;

/// A validated `digits.bin`, borrowing its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Digits<'a> {
    n_models: usize,
    n_test: usize,
    models: &'a [u8],
    images: &'a [u8],
    labels: &'a [u8],
    outputs: &'a [u8],
}

/// One network, its weights borrowed from the file as little-endian `f32` bytes.
#[derive(Clone, Copy, Debug)]
pub struct Model<'a> {
    /// The hidden-layer activation.
    pub activation: Activation,
    w1: &'a [u8],
    b1: &'a [u8],
    w2: &'a [u8],
    b2: &'a [u8],
}

/// scikit-learn's outputs for one model on the test images.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    proba: &'a [u8],
    predictions: &'a [u8],
}

/// Reads consecutive fields from the front of a byte slice.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        Some(u32::from_le_bytes(*head))
    }
}

/// The little-endian `f32`s in `bytes` (a trailing partial value is ignored; the loader's
/// length checks leave none).
fn f32s(bytes: &[u8]) -> impl Iterator<Item = f32> + '_ {
    bytes
        .as_chunks::<4>()
        .0
        .iter()
        .map(|b| f32::from_le_bytes(*b))
}

/// The file length the header's shapes give, or `None` if it overflows `usize`.
fn expected_len(shape: [u32; 5]) -> Option<usize> {
    let [n_models, n_test, n_in, n_hidden, n_out] = shape.map(|v| usize::try_from(v).ok());
    let (n_models, n_test, n_in, n_hidden, n_out) = (n_models?, n_test?, n_in?, n_hidden?, n_out?);
    let weights = n_in
        .checked_mul(n_hidden)?
        .checked_add(n_hidden)?
        .checked_add(n_hidden.checked_mul(n_out)?)?
        .checked_add(n_out)?;
    let model = weights.checked_mul(4)?.checked_add(4)?;
    let image = n_in.checked_mul(4)?.checked_add(1)?;
    let output = n_out.checked_mul(4)?.checked_add(1)?;
    HEADER_LEN
        .checked_add(n_models.checked_mul(model)?)?
        .checked_add(n_test.checked_mul(image)?)?
        .checked_add(n_models.checked_mul(n_test)?.checked_mul(output)?)
}

impl<'a> Digits<'a> {
    /// Validates `bytes` as a version-1 digits file and borrows its sections.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, FormatError> {
        // Header: magic, version, shapes.
        let mut r = Reader { rest: bytes };
        let too_short = FormatError::TooShort { len: bytes.len() };
        let magic = r.take(MAGIC.len()).ok_or(too_short)?;
        if magic != MAGIC {
            return Err(FormatError::BadMagic);
        }
        let version = r.u32().ok_or(too_short)?;
        if version != VERSION {
            return Err(FormatError::UnsupportedVersion { found: version });
        }
        let mut shape = [0u32; 5];
        for s in &mut shape {
            *s = r.u32().ok_or(too_short)?;
        }

        // Sizes: they must fit, match the fixed buffers, and add up to the file length.
        let expected = expected_len(shape).ok_or(FormatError::ShapeOverflow)?;
        let [n_models, n_test, n_in, n_hidden, n_out] = shape;
        if [n_in, n_hidden, n_out].map(|v| v as usize) != [N_IN, N_HIDDEN, N_OUT] {
            return Err(FormatError::UnsupportedShape {
                n_in,
                n_hidden,
                n_out,
            });
        }
        if bytes.len() != expected {
            return Err(FormatError::WrongLength {
                expected,
                found: bytes.len(),
            });
        }

        // Sections. `expected_len` succeeded, so these sizes cannot overflow, and the length
        // matched, so every `take` succeeds; both are still checked rather than assumed.
        let (n_models, n_test) = (n_models as usize, n_test as usize);
        let wrong_length = FormatError::WrongLength {
            expected,
            found: bytes.len(),
        };
        let mut section = |len: Option<usize>| len.and_then(|n| r.take(n)).ok_or(wrong_length);
        let digits = Digits {
            n_models,
            n_test,
            models: section(n_models.checked_mul(MODEL_LEN))?,
            images: section(n_test.checked_mul(4 * N_IN))?,
            labels: section(Some(n_test))?,
            outputs: section(
                n_models
                    .checked_mul(n_test)
                    .and_then(|n| n.checked_mul(OUTPUT_LEN_PER_IMAGE)),
            )?,
        };

        // Contents: activation codes, and class indices in range.
        for (m, record) in digits.models.chunks_exact(MODEL_LEN).enumerate() {
            let code = Reader { rest: record }.u32().ok_or(wrong_length)?;
            if Activation::from_code(code).is_none() {
                return Err(FormatError::UnknownActivation { model: m, code });
            }
        }
        let out_of_range = |model, labels: &[u8]| {
            labels
                .iter()
                .position(|&c| usize::from(c) >= N_OUT)
                .map(|index| FormatError::ClassOutOfRange {
                    model,
                    index,
                    value: labels.get(index).copied().unwrap_or(0),
                })
        };
        if let Some(e) = out_of_range(None, digits.labels) {
            return Err(e);
        }
        for m in 0..n_models {
            let expected = digits.model(m).ok_or(wrong_length)?.1;
            if let Some(e) = out_of_range(Some(m), expected.predictions) {
                return Err(e);
            }
        }
        Ok(digits)
    }

    /// Number of models.
    pub fn n_models(&self) -> usize {
        self.n_models
    }

    /// Number of test images.
    pub fn n_test(&self) -> usize {
        self.n_test
    }

    /// Model `m` and scikit-learn's outputs for it, or `None` past the last model.
    pub fn model(&self, m: usize) -> Option<(Model<'a>, Expected<'a>)> {
        let mut r = Reader {
            rest: self.models.get(m.checked_mul(MODEL_LEN)?..)?,
        };
        let activation = Activation::from_code(r.u32()?)?;
        let model = Model {
            activation,
            w1: r.take(4 * N_IN * N_HIDDEN)?,
            b1: r.take(4 * N_HIDDEN)?,
            w2: r.take(4 * N_HIDDEN * N_OUT)?,
            b2: r.take(4 * N_OUT)?,
        };
        let per_model = self.n_test.checked_mul(OUTPUT_LEN_PER_IMAGE)?;
        let mut r = Reader {
            rest: self.outputs.get(m.checked_mul(per_model)?..)?,
        };
        let expected = Expected {
            proba: r.take(self.n_test.checked_mul(4 * N_OUT)?)?,
            predictions: r.take(self.n_test)?,
        };
        Some((model, expected))
    }

    /// Every model with its expected outputs, in file order.
    pub fn models(&self) -> impl Iterator<Item = (Model<'a>, Expected<'a>)> + '_ {
        (0..self.n_models).filter_map(|m| self.model(m))
    }

    /// Test image `i` (pixel / 16), or `None` past the last image.
    pub fn image(&self, i: usize) -> Option<[f32; N_IN]> {
        let bytes = self.images.get(i.checked_mul(4 * N_IN)?..)?;
        let mut image = [0.0; N_IN];
        let mut values = f32s(bytes);
        for v in &mut image {
            *v = values.next()?;
        }
        Some(image)
    }

    /// The true digit of every test image.
    pub fn labels(&self) -> &'a [u8] {
        self.labels
    }
}

impl Expected<'_> {
    /// scikit-learn's probabilities for test image `i`, or `None` past the last image.
    pub fn proba(&self, i: usize) -> Option<[f32; N_OUT]> {
        let bytes = self.proba.get(i.checked_mul(4 * N_OUT)?..)?;
        let mut p = [0.0; N_OUT];
        let mut values = f32s(bytes);
        for v in &mut p {
            *v = values.next()?;
        }
        Some(p)
    }

    /// scikit-learn's predicted digit for every test image.
    pub fn predictions(&self) -> &[u8] {
        self.predictions
    }
}

/// `x W + b`, with `W` given as little-endian `f32` bytes, row-major `[I][O]`.
///
/// Note: each output starts from its bias and adds `x[i] W[i][j]` in order of `i`, as separate
/// multiply and add (no FMA), so every target rounds the same way.
fn dense<const I: usize, const O: usize>(x: &[f32; I], w: &[u8], b: &[u8]) -> [f32; O] {
    let mut out = [0.0; O];
    fill(&mut out, b);
    for (&xi, row) in x.iter().zip(w.chunks_exact(4 * O)) {
        for (o, wij) in out.iter_mut().zip(f32s(row)) {
            *o += xi * wij;
        }
    }
    out
}

/// A model's weights decoded into arrays (about 9.6 kB), for code that wants to index them,
/// such as a higher-precision reference. The forward pass does not use it.
#[derive(Clone, Debug)]
pub struct Weights {
    /// `W1[i][j]`: from input `i` to hidden unit `j`.
    pub w1: [[f32; N_HIDDEN]; N_IN],
    /// Hidden biases.
    pub b1: [f32; N_HIDDEN],
    /// `W2[j][k]`: from hidden unit `j` to output `k`.
    pub w2: [[f32; N_OUT]; N_HIDDEN],
    /// Output biases.
    pub b2: [f32; N_OUT],
}

/// Fills `dst` from the little-endian `f32`s in `src`, in order.
fn fill(dst: &mut [f32], src: &[u8]) {
    for (d, v) in dst.iter_mut().zip(f32s(src)) {
        *d = v;
    }
}

impl Model<'_> {
    /// The weights as arrays.
    pub fn weights(&self) -> Weights {
        let mut w = Weights {
            w1: [[0.0; N_HIDDEN]; N_IN],
            b1: [0.0; N_HIDDEN],
            w2: [[0.0; N_OUT]; N_HIDDEN],
            b2: [0.0; N_OUT],
        };
        fill(w.w1.as_flattened_mut(), self.w1);
        fill(&mut w.b1, self.b1);
        fill(w.w2.as_flattened_mut(), self.w2);
        fill(&mut w.b2, self.b2);
        w
    }

    /// Class probabilities for one image, computed with `tier`'s kernels. Allocates nothing:
    /// the hidden layer and the output live in stack arrays.
    pub fn forward(&self, tier: &Tier, x: &[f32; N_IN]) -> [f32; N_OUT] {
        // Hidden layer.
        let mut hidden: [f32; N_HIDDEN] = dense(x, self.w1, self.b1);
        match self.activation {
            Activation::Identity => identity_in_place(&mut hidden),
            Activation::Logistic => (tier.sigmoid)(&mut hidden),
            Activation::Tanh => (tier.tanh)(&mut hidden),
            Activation::Relu => relu_in_place(&mut hidden),
        }

        // Output layer.
        let mut out: [f32; N_OUT] = dense(&hidden, self.w2, self.b2);
        (tier.softmax)(&mut out);
        out
    }
}

/// The index of the largest probability; the first one on a tie, as numpy's `argmax`.
pub fn argmax(p: &[f32; N_OUT]) -> u8 {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p.get(best).copied().unwrap_or(f32::NEG_INFINITY) {
            best = i;
        }
    }
    best as u8
}

/// How one model did on the test images with one tier.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    /// Test images.
    pub images: usize,
    /// Predictions equal to the true label.
    pub correct: usize,
    /// Predictions equal to scikit-learn's.
    pub agree: usize,
    /// Largest `|p - p_sklearn|` over every image and class.
    pub max_abs_diff: f32,
    /// The test image where `max_abs_diff` occurs.
    pub worst_image: usize,
}

/// Runs `model` with `tier` on every test image and compares with the labels and with
/// scikit-learn's outputs.
pub fn score(
    digits: &Digits<'_>,
    model: &Model<'_>,
    expected: &Expected<'_>,
    tier: &Tier,
) -> Score {
    let mut s = Score::default();
    let labels = digits.labels().iter();
    let predictions = expected.predictions().iter();
    for (i, (&label, &sk_prediction)) in labels.zip(predictions).enumerate() {
        let (Some(image), Some(sk_proba)) = (digits.image(i), expected.proba(i)) else {
            break;
        };
        let p = model.forward(tier, &image);
        let prediction = argmax(&p);
        s.images += 1;
        s.correct += usize::from(prediction == label);
        s.agree += usize::from(prediction == sk_prediction);
        for (a, b) in p.iter().zip(&sk_proba) {
            let d = (a - b).abs();
            // A NaN difference is the worst and stays: it must not hide behind later values.
            if !s.max_abs_diff.is_nan() && (d.is_nan() || d > s.max_abs_diff) {
                s.max_abs_diff = d;
                s.worst_image = i;
            }
        }
    }
    s
}

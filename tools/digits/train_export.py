#!/usr/bin/env python3
"""Train the digits networks and export them for `cargo run --release --example digits`.

Trains one scikit-learn MLPClassifier per hidden activation that scikit-learn offers
(identity, logistic, tanh, relu) on the 8x8 digits data set that scikit-learn ships, and
writes `examples/digits/digits.bin` in the format of `tools/digits/FORMAT.md`.

    pip install -r tools/digits/requirements.txt
    python3 tools/digits/train_export.py            # writes examples/digits/digits.bin
    python3 tools/digits/train_export.py --out x.bin

Everything is seeded, so with the pinned versions a re-run gives the same bytes (on the same
CPU family: BLAS reductions may round differently elsewhere).

Input scaling: each pixel (an integer 0..16) is divided by 16.0, so inputs are in [0, 1]
and exactly representable in f32. The Rust side reads the scaled f32 images from the file and
does no scaling of its own.

The exported weights are the trained weights rounded to f32, with the few that round to an
f32 subnormal (below 2^-126) flushed to zero. The expected probabilities are
scikit-learn's own `predict_proba` (in f64) for the model *with those rounded weights*, so
that the comparison in Rust measures only the error of the f32 inference, not the rounding of
the weights. The script reports whether rounding the weights changed any prediction.
"""

import argparse
import pathlib
import struct
import sys
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

MAGIC = b"SADIGITS"
VERSION = 1
N_HIDDEN = 32
# Activation codes in the file, in the order the models are written.
ACTIVATIONS = {"identity": 0, "logistic": 1, "tanh": 2, "relu": 3}
SPLIT_SEED = 0
TRAIN_SEED = 1
TEST_SIZE = 0.25
EXPECTED_SKLEARN = "1.9.1"

ROOT = pathlib.Path(__file__).resolve().parents[2]


def round_to_f32(a):
    """`a` rounded to f32 and returned as f64, with subnormal results flushed to zero.

    Weights that decay towards zero under the L2 penalty (those of pixels that are blank in
    every training image) end up as f32 subnormals; on many x86 CPUs every multiplication
    with a subnormal operand takes a slow microcode path, and those weights are worth less
    than 2^-126 anyway.
    """
    r = np.asarray(a, dtype=np.float32).copy()
    r[np.abs(r) < np.finfo(np.float32).tiny] = 0.0
    return r.astype(np.float64)


def f32_le(a):
    """The array as little-endian f32 bytes, row-major."""
    return np.ascontiguousarray(a, dtype="<f4").tobytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "examples/digits/digits.bin")
    args = parser.parse_args()

    if sklearn.__version__ != EXPECTED_SKLEARN:
        print(
            f"warning: scikit-learn {sklearn.__version__} is installed, the pinned version is "
            f"{EXPECTED_SKLEARN}; the weights will differ from the committed file. "
            "Run: pip install -r tools/digits/requirements.txt",
            file=sys.stderr,
        )

    digits = load_digits()
    x = digits.data / 16.0  # pixels 0..16 -> [0, 1], exact in f32
    y = digits.target
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=y
    )
    n_test, n_in = x_test.shape
    classes = np.arange(10)
    n_out = len(classes)

    header = MAGIC + struct.pack("<6I", VERSION, len(ACTIVATIONS), n_test, n_in, N_HIDDEN, n_out)
    model_bytes = []
    output_bytes = []
    for name, code in ACTIVATIONS.items():
        clf = MLPClassifier(
            hidden_layer_sizes=(N_HIDDEN,),
            activation=name,
            max_iter=2000,
            random_state=TRAIN_SEED,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            clf.fit(x_train, y_train)
        assert list(clf.classes_) == list(classes), clf.classes_
        assert clf.out_activation_ == "softmax", clf.out_activation_
        before = clf.predict(x_test)

        # Round the weights to f32 (kept as f64 arrays) and let scikit-learn predict with them.
        clf.coefs_ = [round_to_f32(w) for w in clf.coefs_]
        clf.intercepts_ = [round_to_f32(b) for b in clf.intercepts_]
        proba = clf.predict_proba(x_test)
        pred = clf.predict(x_test)
        assert (pred == proba.argmax(axis=1)).all()

        w1, w2 = clf.coefs_
        b1, b2 = clf.intercepts_
        assert w1.shape == (n_in, N_HIDDEN) and w2.shape == (N_HIDDEN, n_out)
        model_bytes.append(struct.pack("<I", code) + f32_le(w1) + f32_le(b1) + f32_le(w2) + f32_le(b2))
        output_bytes.append(f32_le(proba) + pred.astype(np.uint8).tobytes())

        top2 = np.sort(proba, axis=1)[:, -2:]
        print(
            f"{name:>8}: {clf.n_iter_:4} iterations, test accuracy {(pred == y_test).mean():.4f}, "
            f"predictions changed by f32 weights: {(pred != before).sum()}, "
            f"smallest top-2 probability gap {np.min(top2[:, 1] - top2[:, 0]):.3g}"
        )

    data = (
        header
        + b"".join(model_bytes)
        + f32_le(x_test)
        + y_test.astype(np.uint8).tobytes()
        + b"".join(output_bytes)
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes: {len(ACTIVATIONS)} models, {n_test} test images)")


if __name__ == "__main__":
    main()

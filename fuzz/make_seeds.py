#!/usr/bin/env python3
"""Write the committed seed corpora (fuzz/corpus/<target>/seed-*) and the dictionary
(fuzz/activations.dict). Each input is: a flags byte, a length byte, then little-endian f32
values (see fuzz/src/lib.rs, `Input`). Rerun after changing the values below."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


class f:
    """An f32 given by its bits, kept as bits (a NaN converted to a Python float would be
    quieted on the way)."""

    def __init__(self, bits):
        self.bits = bits


def bits_of(v):
    return v.bits if isinstance(v, f) else struct.unpack("<I", struct.pack("<f", v))[0]


SPECIALS = [f(0x7FC00000), f(0xFFC00000), f(0x7F800001), f(0xFFC01234), float("inf"),
            float("-inf"), 0.0, -0.0, f(0x00000001), f(0x80000001), f(0x00800000),
            f(0x007FFFFF), f(0x7F7FFFFF), f(0xFF7FFFFF)]
# The values of issue 6, and the thresholds tools/regress/expected.py finds (and one bit past).
CASES = [f(0xC1082C9B), f(0x33800001), 44.0, 45.0, f(0xC1920000), 89.0, -1e20, -103.0,
         -87.337, 88.0, 1e20, -104.0]
EDGES = []
for b in [0x39B89BA2, 0x41102CB4, 0x418AA123, 0xC2CFF1B4, 0x42B17217, 0xC2AEAC4F]:
    EDGES += [f(b), f(b + 1), f(b ^ 0x80000000)]
ORDINARY = [i * 0.37 - 3.1 for i in range(20)]

DICT_VALUES = SPECIALS + CASES + EDGES + [1.0, -1.0, 0.5, 8.5, 9.0, 20.0, -20.0, 1e-3, 1e30]


def pack(flags, length, values):
    return bytes([flags, length]) + b"".join(struct.pack("<I", bits_of(v)) for v in values)


UNARY = {
    "seed-specials": pack(0, 1, SPECIALS),
    "seed-cases": pack(3, 0x85, CASES),
    "seed-edges": pack(5, 7, EDGES),
    "seed-ordinary": pack(1, 16, ORDINARY),
    "seed-one": pack(7, 0x81, [-1e20]),
    "seed-empty": pack(0, 2, []),
}
ROWS = {
    "seed-case12": pack(0, 1, [90.0, 2.0, -2.0]),
    "seed-masked": pack(0, 0x81, [float("-inf")] * 3),
    "seed-inf": pack(0, 2, [1.0, 1.0, float("inf")]),
    "seed-four": pack(0, 4, [88.7, 88.7, 0.0, -1e30]),
    "seed-eight": pack(0, 8, ORDINARY[:8]),
    "seed-seventeen": pack(0, 9, [100.0 - 7 * i for i in range(17)]),
    "seed-extremes": pack(0, 3, [f(0x7F7FFFFF), f(0xFF7FFFFF), f(0x00000001), -0.0]),
    "seed-nan": pack(0, 3, [1.0, f(0x7F800001), float("inf")]),
}
BATCH = {
    "seed-rows-of-3": pack(3, 1, [90.0, 2.0, -2.0] * 3),
    "seed-zero-row": pack(0, 2, ORDINARY[:5]),
    "seed-whole": pack(255, 3, ORDINARY[:9]),
    "seed-ragged": pack(4, 0x82, ORDINARY[:10]),
    "seed-special-rows": pack(2, 5, [float("-inf")] * 2 + [1.0, float("inf")] + SPECIALS[:2]),
}
LANES = {
    "seed-specials-a": pack(0, 0, SPECIALS[:8]),
    "seed-specials-b": pack(0, 0, SPECIALS[8:] + CASES[:2]),
    "seed-cases": pack(0, 0, CASES[2:10]),
    "seed-edges": pack(0, 0, EDGES[:8]),
    "seed-ordinary": pack(0, 0, ORDINARY[:8]),
}
TARGETS = {
    **{"slice_" + k: UNARY for k in ["exp", "sigmoid", "tanh", "relu", "step", "identity"]},
    "softmax_row": ROWS,
    "softmax_batch": BATCH,
    "lanes": LANES,
}


def main():
    for target, seeds in TARGETS.items():
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)
    with open(os.path.join(HERE, "activations.dict"), "w") as fh:
        fh.write("# Special and threshold f32 values, little-endian (fuzz/make_seeds.py).\n")
        for v in DICT_VALUES:
            fh.write('"%s"\n' % "".join("\\x%02x" % b for b in struct.pack("<I", bits_of(v))))


if __name__ == "__main__":
    main()

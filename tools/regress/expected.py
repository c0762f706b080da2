#!/usr/bin/env python3
"""Exact expected values for tests/regression.rs, computed with mpmath (no libm anywhere).

Every value is the exact function value evaluated at 256-bit working precision, then rounded
to f32 once, by round_to_f32 below (IEEE 754 round to nearest, ties to even, with gradual
underflow and overflow to infinity). The script also prints the exact value rounded to f64, so
the tests can measure errors in ULP of the exact value (SPEC.md section 4), and it finds the
thresholds where each function's rounded result changes kind (becomes 1, 0, +inf, or x itself)
by bisection over bit patterns, verified on both sides.

Usage:
    python3 tools/regress/expected.py > tests/regression/expected.rs   # regenerate
    python3 tools/regress/expected.py --check tests/regression/expected.rs   # CI: same bytes?

Needs mpmath at the version pinned in tools/regress/requirements.txt; output depends only on
that version (the working precision makes it independent of the machine).
"""

import random
import struct
import sys

import mpmath
from mpmath import mp, mpf

PINNED_MPMATH = "1.3.0"
mp.prec = 256

F32_MAX = mpf(2) ** 127 * (2 - mpf(2) ** -23)


# ---- f32 / f64 bit helpers -------------------------------------------------------------------


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


def mpf_from_f32_bits(b):
    return mpf(f32_from_bits(b))  # an f32 is exact in a Python float and in mpf


def round_to_f32(v):
    """Bits of v rounded to f32: nearest, ties to even, subnormals kept, overflow to inf."""
    if mpmath.isnan(v):
        return 0x7FC00000
    sign = 0x80000000 if v < 0 else 0
    a = abs(v)
    if a == 0:
        return sign
    if mpmath.isinf(a):
        return sign | 0x7F800000
    _, e = mpmath.frexp(a)  # a = m 2^e, 1/2 <= m < 1: leading bit has weight 2^(e-1)
    q = max(e - 1, -126) - 23  # weight of the last f32 bit (2^-149 in the subnormal range)
    n = a * mpf(2) ** -q  # exact: a power-of-two scaling
    whole = int(mpmath.floor(n))
    rest = n - whole
    if rest > 0.5 or (rest == 0.5 and whole % 2 == 1):
        whole += 1
    r = mpf(whole) * mpf(2) ** q
    if r > F32_MAX:
        return sign | 0x7F800000
    bits = struct.unpack("<I", struct.pack("<f", float(r)))[0]
    return sign | bits


def round_to_f64_bits(v):
    """Bits of v rounded to f64 (mpmath's float conversion rounds to nearest)."""
    return struct.unpack("<Q", struct.pack("<d", float(v)))[0]


def f32_bits_of_decimal(s):
    return round_to_f32(mpf(s))


# ---- the functions, exactly ------------------------------------------------------------------


def exact_exp(x):
    return mp.exp(x)


def exact_sigmoid(x):
    # 1 / (1 + e^-x) is exact in mpmath for any x: no overflow at 256 bits of mantissa and an
    # unbounded exponent.
    return 1 / (1 + mp.exp(-x))


def exact_tanh(x):
    return mp.tanh(x)


def exact_softmax(row):
    m = max(row)
    es = [mp.exp(x - m) for x in row]
    s = mpmath.fsum(es)
    return [e / s for e in es]


FUNCS = {"exp": exact_exp, "sigmoid": exact_sigmoid, "tanh": exact_tanh}


# ---- searches --------------------------------------------------------------------------------


def bisect_bits(lo, hi, pred):
    """Largest bit pattern b in [lo, hi] with pred(b), given pred(lo) and not pred(hi), and pred
    true on a prefix of [lo, hi] (checked by the caller on both sides of the answer)."""
    assert pred(lo) and not pred(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(mid):
            lo = mid
        else:
            hi = mid
    return lo


def rn(fname, bits):
    return round_to_f32(FUNCS[fname](mpf_from_f32_bits(bits)))


def thresholds():
    out = []

    # tanh(x) rounds to x itself for 0 < x <= T. Within a binade the deficit x - tanh(x) grows
    # while the rounding half-gap is fixed, so the good inputs are a prefix of each binade; the
    # loop below checks that every binade below T's is wholly good (its last element is), and
    # that its first element is (the half-gap below a power of two is half as large).
    def tanh_is_identity(b):
        return rn("tanh", b) == b

    t = bisect_bits(0x00000001, 0x3F000000, tanh_is_identity)
    for binade in range(0x00800000, t & 0x7F800000, 0x00800000):
        assert tanh_is_identity(binade) and tanh_is_identity(binade + 0x7FFFFF), hex(binade)
    assert tanh_is_identity(t & 0x7F800000)
    assert not tanh_is_identity(t + 1)
    out.append(("TANH_IDENTITY_LAST", t, "largest x > 0 with tanh(x) rounding to x itself"))

    # tanh(x) rounds to exactly 1 from T on (monotone, so a plain bisection).
    one = 0x3F800000
    t = bisect_bits(0x3F800000, 0x41800000, lambda b: rn("tanh", b) != one) + 1
    out.append(("TANH_ONE_FIRST", t, "smallest x > 0 with tanh(x) rounding to 1"))

    # sigmoid(x) rounds to exactly 1 from T on.
    t = bisect_bits(0x00000000, 0x42800000, lambda b: rn("sigmoid", b) != one) + 1
    out.append(("SIGMOID_ONE_FIRST", t, "smallest x > 0 with sigmoid(x) rounding to 1"))

    # sigmoid(x) > 0 down to -T (bits of negative numbers grow with the magnitude).
    t = bisect_bits(0x80000000, 0xC3000000, lambda b: rn("sigmoid", b) != 0)
    out.append(("SIGMOID_NONZERO_LAST", t, "most negative x with sigmoid(x) rounding above 0"))

    # exp(x) > 0 down to -T.
    t = bisect_bits(0x80000000, 0xC3000000, lambda b: rn("exp", b) != 0)
    out.append(("EXP_NONZERO_LAST", t, "most negative x with exp(x) rounding above 0"))

    # exp(x) finite up to T.
    t = bisect_bits(0x00000000, 0x43000000, lambda b: rn("exp", b) != 0x7F800000)
    out.append(("EXP_FINITE_LAST", t, "largest x with exp(x) rounding to a finite f32"))

    # exp(x) normal (>= 2^-126) down to -T: below it the result is subnormal.
    t = bisect_bits(0x80000000, 0xC3000000, lambda b: rn("exp", b) >= 0x00800000)
    out.append(("EXP_NORMAL_LAST", t, "most negative x with exp(x) rounding to a normal f32"))

    # sigmoid(x) normal down to -T.
    t = bisect_bits(0x80000000, 0xC3000000, lambda b: rn("sigmoid", b) >= 0x00800000)
    out.append(("SIGMOID_NORMAL_LAST", t, "most negative x with sigmoid(x) normal"))
    return out


# ---- the cases of issue 6 --------------------------------------------------------------------

# (constant name, function, input bits, what broke elsewhere)
NAMED = [
    ("TANH_CASE_1", "tanh", 0xC1082C9B, "case 1: tanh(-8.51089) gave -1.0000001"),
    ("TANH_CASE_2", "tanh", 0x33800001, "case 2: tanh(5.96e-8) gave the next float up"),
    ("TANH_CASE_3A", "tanh", f32_bits_of_decimal("44"), "case 3: tanh(44) gave 0"),
    ("TANH_CASE_3B", "tanh", f32_bits_of_decimal("45"), "case 3: tanh(45) gave NaN"),
    ("SIGMOID_CASE_4", "sigmoid", 0xC1920000, "case 4: sigmoid(-18.25) gave -2^-24"),
    ("SIGMOID_CASE_5", "sigmoid", f32_bits_of_decimal("89"), "case 5: sigmoid(89) gave NaN"),
    ("SIGMOID_CASE_6", "sigmoid", f32_bits_of_decimal("-1e20"), "case 6: sigmoid(-1e20), SIMD path"),
    ("EXP_CASE_7", "exp", f32_bits_of_decimal("-103"), "case 7: exp(-103) gave 0"),
    ("SIGMOID_CASE_7", "sigmoid", f32_bits_of_decimal("-87.337"), "case 7: sigmoid(-87.337) gave 0"),
    ("EXP_CASE_8", "exp", f32_bits_of_decimal("88"), "case 8: exp(88) gave 0"),
]

# Rows for softmax: the case of issue 6 first, then rows of the same kind (a large spread that
# overflows or underflows without a max shift, subnormal outputs, extreme magnitudes).
SOFTMAX_CASE_12 = ["90", "2", "-2"]


def softmax_rows():
    rows = [
        [f32_bits_of_decimal(s) for s in SOFTMAX_CASE_12],
        [f32_bits_of_decimal(s) for s in ["88.7", "88.7", "0"]],
        [f32_bits_of_decimal(s) for s in ["104", "0", "-1"]],
        [f32_bits_of_decimal(s) for s in ["-1e30", "0", "1e30"]],
        [0x7F7FFFFF, 0x7F7FFFFF],
        [0x7F7FFFFF, 0xFF7FFFFF],
        [0xFF7FFFFF, 0xFF7FFFFF, 0xFF7FFFFF],
        [0x00000001, 0x00000000, 0x80000001],
        [f32_bits_of_decimal(s) for s in ["-87.5", "0", "-100", "-103.9", "-104"]],
        [round_to_f32(mpf(100) - 7 * i) for i in range(17)],
        [round_to_f32(mpf(0)) for _ in range(17)],
    ]
    # Random rows of every length 1..=17, logits spread over several scales (fixed seed).
    rng = random.Random(6)
    for n in range(1, 18):
        scale = [1, 10, 100, 1e4][n % 4]
        rows.append([round_to_f32(mpf(rng.uniform(-scale, scale))) for _ in range(n)])
    return rows


# ---- grids for the sweeps --------------------------------------------------------------------


def grid(lo, hi, count):
    """About `count` bit patterns spread evenly over [lo, hi], both ends included."""
    step = max(1, (hi - lo) // count)
    return sorted(set(list(range(lo, hi, step)) + [hi]))


GRIDS = [
    # (name, function, bit patterns, why)
    ("TANH_BAND", "tanh", grid(f32_bits_of_decimal("7.9"), f32_bits_of_decimal("9.1"), 200),
     "tanh across 7.9..9.1, where a late clamp overshot -1 (case 1)"),
    ("TANH_SMALL", "tanh", grid(0x39000000, 0x3F000000, 200),
     "tanh from 1.2e-4 to 0.5: where x stops being the answer, and the polynomial branch"),
    ("SIGMOID_TAIL", "sigmoid", grid(0xBF800000, 0xC2D00000, 1000),
     "sigmoid from -1 to -104: relative accuracy in the negative tail (cases 4 and 7)"),
    ("EXP_SUBNORMAL", "exp", grid(0xC2AE0000, 0xC2D00000, 400),
     "exp from -87 to -104: subnormal results (case 7)"),
    ("EXP_TOP", "exp", grid(0x42A00000, 0x42B17218, 200),
     "exp from 80 to 88.72: the top of the range (case 8)"),
]


# ---- output ----------------------------------------------------------------------------------


def exact_line(fname, b):
    v = FUNCS[fname](mpf_from_f32_bits(b))
    return "Exact { x: 0x%08X, f32: 0x%08X, f64: 0x%016X }" % (
        b,
        round_to_f32(v),
        round_to_f64_bits(v),
    )


def generate():
    out = []
    w = out.append
    w("// @generated by tools/regress/expected.py with mpmath %s at %d bits; do not edit."
      % (mpmath.__version__, mp.prec))
    w("// Regenerate: python3 tools/regress/expected.py > tests/regression/expected.rs")
    w("")
    w("/// One exact value: the input, the exact result rounded once to `f32`, and rounded to")
    w("/// `f64` (for errors in ULP of the exact value, SPEC.md section 4). All as bits.")
    w("#[derive(Clone, Copy, Debug)]")
    w("pub struct Exact {")
    w("    pub x: u32,")
    w("    pub f32: u32,")
    w("    pub f64: u64,")
    w("}")
    w("")
    for name, fname, b, why in NAMED:
        w("/// %s (%s)." % (why, fname))
        w("pub const %s: Exact = %s;" % (name, exact_line(fname, b)))
    w("")
    for name, b, why in thresholds():
        w("/// The %s." % why)
        w("pub const %s: u32 = 0x%08X;" % (name, b))
    w("")
    for name, fname, bits, why in GRIDS:
        w("/// %s (%s)." % (why, fname))
        w("pub const %s: &[Exact] = &[" % name)
        for b in bits:
            w("    %s," % exact_line(fname, b))
        w("];")
        w("")
    w("/// A softmax row: input bits, each output's exact value rounded to `f32` and to `f64`.")
    w("pub struct Row {")
    w("    pub x: &'static [u32],")
    w("    pub f32: &'static [u32],")
    w("    pub f64: &'static [u64],")
    w("}")
    w("")
    w("/// Softmax rows; the first is case 12, [90, 2, -2].")
    w("pub const SOFTMAX_ROWS: &[Row] = &[")
    for row in softmax_rows():
        ys = exact_softmax([mpf_from_f32_bits(b) for b in row])
        w("    Row {")
        w("        x: &[%s]," % ", ".join("0x%08X" % b for b in row))
        w("        f32: &[%s]," % ", ".join("0x%08X" % round_to_f32(y) for y in ys))
        w("        f64: &[%s]," % ", ".join("0x%016X" % round_to_f64_bits(y) for y in ys))
        w("    },")
    w("];")
    return "\n".join(out) + "\n"


def self_test():
    """The rounding itself, on values whose f32 rounding is known without any library."""
    assert round_to_f32(mpf(1)) == 0x3F800000
    assert round_to_f32(mpf(2) ** -149) == 0x00000001
    assert round_to_f32(mpf(2) ** -150) == 0x00000000  # tie, to even (zero)
    assert round_to_f32(mpf(3) * mpf(2) ** -150) == 0x00000002  # tie, to even (2)
    assert round_to_f32(mpf(2) ** -150 * (1 + mpf(2) ** -60)) == 0x00000001
    assert round_to_f32(F32_MAX) == 0x7F7FFFFF
    assert round_to_f32(F32_MAX + mpf(2) ** 103) == 0x7F800000  # halfway to 2^128: to even
    assert round_to_f32(F32_MAX + mpf(2) ** 103 * (1 - mpf(2) ** -40)) == 0x7F7FFFFF
    assert round_to_f32(-(1 + mpf(2) ** -24)) == 0xBF800000  # tie below 2: to even
    assert round_to_f32(1 + 3 * mpf(2) ** -24) == 0x3F800002  # tie: to even
    assert round_to_f32(mpf(1) - mpf(2) ** -26) == 0x3F800000
    # The values issue 6 states.
    assert f32_bits_of_decimal("-8.51089") == 0xC1082C9B
    assert rn("sigmoid", 0xC1920000) == 0x324BC5C2
    assert rn("exp", f32_bits_of_decimal("-103")) == 0x00000001
    assert rn("sigmoid", f32_bits_of_decimal("-87.337")) == 0x007FF127
    assert rn("exp", f32_bits_of_decimal("88")) == 0x7EF882B7


def main():
    if mpmath.__version__ != PINNED_MPMATH:
        sys.exit("expected.py: needs mpmath %s (found %s); pip install -r "
                 "tools/regress/requirements.txt" % (PINNED_MPMATH, mpmath.__version__))
    self_test()
    text = generate()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2]) as f:
            if f.read() != text:
                sys.exit("expected.py: %s is stale; regenerate it (see the usage at the top "
                         "of tools/regress/expected.py)" % sys.argv[2])
        print("expected.py: %s matches" % sys.argv[2])
    elif len(sys.argv) == 1:
        sys.stdout.write(text)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turn the fit records printed by the Sollya scripts and rational_tanh.py into Rust
literals and error figures.

Reads records (grammar in common.sollya) on stdin, prints a report on stdout. Only the
Python standard library is used here.

For each fit it prints:
- every coefficient as a Rust `f32` literal, twice: the shortest decimal that rounds back
  to the same f32, and `f32::from_bits(0x....)`;
- the relative error of the approximation with those f32 coefficients evaluated in exact
  arithmetic (from Sollya's `supnorm`, a rigorous enclosure; or, for the rational fit,
  the maximum over a dense grid evaluated in mpmath), as a power of 2 and in f32 ULPs;
- the relative error of the same shape with real coefficients (what f32 rounding cost);
- an f32 simulation: the maximum relative error when the polynomial is evaluated in plain
  f32 arithmetic, without fused multiply-add, in the order written in the report, on a
  grid of f32 inputs of the domain. Python floats are doubles; a sum, product or
  quotient of two f32 values computed in double and then rounded to f32 is the correctly
  rounded f32 result, so this is an exact simulation of f32 arithmetic. The reference is
  the double-precision `math.exp` / `math.tanh`, good to about 2^-52.

ULP-equivalents: a relative error e is at most e * 2^24 ULP of an f32 result (the ULP of
a value v is at least |v| * 2^-24) and at least e * 2^23 ULP (at a power of 2). The
report gives e * 2^24, the bound to budget with.
"""

import math
import struct
import sys
from decimal import Decimal
from fractions import Fraction

F32_SIM_POINTS = 100_000
CONSECUTIVE = 20_000


def f32(v):
    """Round a double to the nearest f32 (ties to even), returned as a double."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


def f32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def rounds_to(text, value):
    """Whether the decimal `text` rounds to the f32 `value` (nonzero, finite), decided in
    exact arithmetic: going through a double first could round twice."""
    exact = Fraction(Decimal(text))
    v = Fraction(value)
    below = Fraction(f32_from_bits(f32_bits(abs(value)) - 1)) if abs(value) > 0 else 0
    above = Fraction(f32_from_bits(f32_bits(abs(value)) + 1))
    a = abs(exact)
    if (exact < 0) != (v < 0):
        return False
    # Strictly inside the rounding interval, so no tie-breaking rule is involved.
    return (abs(v) + below) / 2 < a < (abs(v) + above) / 2


def rust_decimal(value):
    """The shortest decimal literal that rounds to exactly this f32."""
    if value == 0.0:
        return "0.0"
    for digits in range(1, 12):
        text = "%.*e" % (digits - 1, value)
        if rounds_to(text, value):
            break
    else:
        raise AssertionError("no decimal found for %r" % value)
    mantissa, exponent = text.split("e")
    exponent = int(exponent)
    if -4 <= exponent <= 6:
        text = format(Decimal(text), "f")
        return text if "." in text else text + ".0"
    if "." not in mantissa:
        mantissa += ".0"
    return "%se%d" % (mantissa, exponent)


def rust_bits(bits):
    h = "%08X" % bits
    return "f32::from_bits(0x%s_%s)" % (h[:4], h[4:])


def describe_error(e):
    if e <= 0.0:
        return "0"
    return "%.4g = 2^%.2f = %.3g ULP (e * 2^24)" % (e, math.log2(e), e * 2.0**24)


class Fit:
    def __init__(self, name):
        self.name = name
        self.form = ""
        self.domain = None
        self.pins = []  # (power, bits)
        self.coefs = []  # (power, bits)
        self.num = []  # rational numerator (power of x^2, bits)
        self.den = []  # rational denominator (power of x^2, bits)
        self.err = None  # (lo, hi) enclosure or (grid max, grid max)
        self.err_kind = "supnorm"
        self.real = None
        self.notes = []

    def poly(self):
        """All coefficients (pinned and fitted) as {power: value}."""
        c = {}
        for power, bits in self.pins + self.coefs:
            c[power] = f32_from_bits(bits)
        return c


class RecordError(Exception):
    pass


def parse(lines):
    """The fit records in `lines`; raises RecordError on anything it does not expect
    (a Sollya warning, a failed fit printing `error`), so that run.sh fails loudly."""
    fits = []  # Fit records and comment lines, in order
    cur = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            fits.append(line)  # commentary (e.g. a survey table), printed in place
            continue
        key, _, rest = line.partition(" ")
        if key == "FIT":
            cur = Fit(rest.strip())
        elif cur is None:
            raise RecordError("line outside a record: %r" % line)
        elif key == "FORM":
            cur.form = rest
        elif key == "DOMAIN":
            lo, hi = rest.split()
            cur.domain = (float(lo), float(hi))
        elif key in ("PIN", "COEF", "NUM", "DEN"):
            power, bits = rest.split()
            entry = (int(power), int(bits, 16))
            {"PIN": cur.pins, "COEF": cur.coefs, "NUM": cur.num, "DEN": cur.den}[key].append(
                entry
            )
        elif key == "ERR":
            lo, hi = rest.split()
            cur.err = (float(lo), float(hi))
        elif key == "ERRGRID":
            cur.err = (float(rest), float(rest))
            cur.err_kind = "grid"
        elif key == "REAL":
            cur.real = float(rest)
        elif key == "NOTE":
            cur.notes.append(rest)
        elif key == "END":
            fits.append(cur)
            cur = None
        else:
            raise RecordError("unknown line in record %s: %r" % (cur.name, line))
    if cur is not None:
        raise RecordError("record %s has no END" % cur.name)
    for fit in fits:
        if isinstance(fit, str):
            continue
        if fit.domain is None or fit.err is None or not (fit.coefs or fit.num):
            raise RecordError("record %s is incomplete" % fit.name)
    return fits


def grid(lo, hi, n):
    """n + 1 f32 inputs spread evenly over [lo, hi], endpoints included."""
    pts = {f32(lo + (hi - lo) * k / n) for k in range(n + 1)}
    return sorted(p for p in pts if lo <= p <= hi)


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def next_up(x):
    """The next f32 above the nonzero f32 x."""
    return f32_from_bits(f32_bits(x) + (1 if x > 0 else -1))


def next_down(x):
    """The next f32 below the nonzero f32 x."""
    return f32_from_bits(f32_bits(x) + (-1 if x > 0 else 1))


def count_drops(ev, start, steps):
    """How often ev decreases over `steps` consecutive f32 inputs from `start` upwards;
    returns (drops, last input)."""
    x = start
    prev = ev(x)
    drops = 0
    for _ in range(steps):
        x = next_up(x)
        y = ev(x)
        if y < prev:
            drops += 1
        prev = y
    return drops, x


def horner_f32(coefs, x):
    """coefs[0] + coefs[1] x + ..., in f32, no FMA."""
    acc = coefs[-1]
    for c in reversed(coefs[:-1]):
        acc = f32(f32(acc * x) + c)
    return acc


def horner_exact(coefs, x):
    """The same polynomial in exact rational arithmetic."""
    acc = Fraction(0)
    for c in reversed(coefs):
        acc = acc * x + Fraction(c)
    return acc


def exp_evaluator(fit):
    """exp(r) in plain f32: 1 + (r + (r * r) * P(r)) when the linear coefficient is
    pinned to 1 (P holds the powers >= 2), else 1 + r * P1(r) (P1: the powers >= 1)."""
    c = fit.poly()
    top = max(c)
    if 1 in dict(fit.coefs):
        p = [c.get(k, 0.0) for k in range(1, top + 1)]
        return "1 + r * P1(r)", lambda r: f32(1.0 + f32(r * horner_f32(p, r)))
    p = [c.get(k, 0.0) for k in range(2, top + 1)]
    return ("1 + (r + (r * r) * P(r))",
            lambda r: f32(1.0 + f32(r + f32(f32(r * r) * horner_f32(p, r)))))


def tanh_poly_evaluator(fit):
    """tanh(a) as a + a * (a2 * P(a2)) with a2 = a * a, in plain f32."""
    c = fit.poly()
    p = [c[k] for k in sorted(k for k in c if k >= 3)]

    def ev(a):
        a2 = f32(a * a)
        return f32(a + f32(a * f32(a2 * horner_f32(p, a2))))

    return "a + a * (a2 * P(a2)), a2 = a * a", ev


def tanh_rational_evaluator(fit):
    """tanh(a) as (a * P(a2)) / Q(a2) with a2 = a * a, in plain f32."""
    num = [f32_from_bits(b) for _, b in sorted(fit.num)]
    den = [f32_from_bits(b) for _, b in sorted(fit.den)]

    def ev(a):
        a2 = f32(a * a)
        return f32(f32(a * horner_f32(num, a2)) / horner_f32(den, a2))

    return "(a * P(a2)) / Q(a2), a2 = a * a", ev


def rational_correction_coefs(fit):
    """D with P(y) = Q(y) - y D(y), rounded to f32: d[k] = q[k+1] - p[k+1]. Needs
    P(0) = Q(0) = 1."""
    num = [f32_from_bits(b) for _, b in sorted(fit.num)]
    den = [f32_from_bits(b) for _, b in sorted(fit.den)]
    assert num[0] == den[0] == 1.0, fit.name
    num += [0.0] * (len(den) - len(num))
    return [f32(den[k + 1] - num[k + 1]) for k in range(len(den) - 1)], den


def tanh_correction_evaluator(fit):
    """The same rational as a - (a * a2) * (D(a2) / Q(a2)), in plain f32: for small a
    the last subtraction dominates, which keeps the result increasing. Since D is rounded
    to f32, this is a (slightly) different rational; its error is measured here."""
    d, den = rational_correction_coefs(fit)

    def ev(a):
        a2 = f32(a * a)
        return f32(a - f32(f32(a * a2) * f32(horner_f32(d, a2) / horner_f32(den, a2))))

    return "a - (a * a2) * (D(a2) / Q(a2)), a2 = a * a", ev


def exp_boundary_jump(fit):
    """Relative jump p(-h) * 2 / p(h) - 1 at h = ln(2)/2, in exact arithmetic: where
    the reduction moves from (n, r = h) to (n + 1, r = -h). Negative would mean that exp
    decreases there (not monotone)."""
    c = fit.poly()
    coefs = [c.get(k, 0.0) for k in range(max(c) + 1)]
    h = Fraction(math.log(2) / 2)  # 2^-53 off ln(2)/2: far below the jumps measured
    return float(2 * horner_exact(coefs, -h) / horner_exact(coefs, h) - 1)


def simulate(fit):
    """Print the f32 simulation of every evaluation order that applies to the fit."""
    if fit.name.startswith("exp_"):
        orders = [exp_evaluator(fit)]
        ref = math.exp
    elif fit.num:
        orders = [tanh_rational_evaluator(fit), tanh_correction_evaluator(fit)]
        ref = math.tanh
        d, _ = rational_correction_coefs(fit)
        print_coefs("correction form: D = (Q - P) / x^2 by power of x^2, rounded to f32:",
                    [(k, f32_bits(v)) for k, v in enumerate(d)])
    elif fit.name.startswith("tanh_"):
        orders = [tanh_poly_evaluator(fit)]
        ref = math.tanh
    else:
        return
    # Consecutive inputs: at the top of the domain (for tanh the flattest part), for exp
    # also at the bottom, and for the rational at a few points on the way.
    top = f32(fit.domain[1])
    for _ in range(CONSECUTIVE):
        top = next_down(top)
    starts = [top]
    if ref is math.exp:
        starts.insert(0, f32(fit.domain[0]))
    if fit.num:
        starts[:0] = [f32(v) for v in (0.1, 0.5, 1.0, 2.0)]
    for order, ev in orders:
        worst, where = 0.0, 0.0
        drops, prev = 0, None
        for x in grid(fit.domain[0], fit.domain[1], F32_SIM_POINTS):
            if x == 0.0:
                continue
            y = ev(x)
            e = abs(y / ref(x) - 1.0)
            if e > worst:
                worst, where = e, x
            if prev is not None and y < prev:
                drops += 1
            prev = y
        print("  f32 simulation, no FMA, %d inputs, order %s:" % (F32_SIM_POINTS, order))
        print("    max rel. error %s at %r" % (describe_error(worst), where))
        print("    decreasing steps between the evenly spaced inputs: %d" % drops)
        for start in starts:
            drops, end = count_drops(ev, start, CONSECUTIVE)
            print("    decreasing steps over %d consecutive f32 inputs [%r, %r]: %d"
                  % (CONSECUTIVE, start, end, drops))


def print_coefs(title, entries, pinned=()):
    print("  %s" % title)
    for power, bits in entries:
        v = f32_from_bits(bits)
        tag = "  (pinned)" if power in pinned else ""
        print("    %-3d %-16s %s  // %s%s" % (power, rust_decimal(v) + ",", rust_bits(bits) + ",",
                                            repr(v), tag))


def report(fit):
    print("=" * 78)
    print("%s" % fit.name)
    print("  form:   %s" % fit.form)
    print("  domain: [%s, %s]" % (repr(fit.domain[0]), repr(fit.domain[1])))
    if fit.coefs:
        entries = sorted(fit.pins + fit.coefs)
        print_coefs("coefficients by power (decimal literal, bit pattern  // the f32 as f64):",
                    entries, pinned={p for p, _ in fit.pins})
    if fit.num:
        print_coefs("numerator P, by power of x^2:", sorted(fit.num))
        print_coefs("denominator Q, by power of x^2:", sorted(fit.den))
    lo, hi = fit.err
    if fit.err_kind == "supnorm":
        print("  rel. error, f32 coefficients, exact arithmetic (supnorm, rigorous):")
        print("    %s" % describe_error(hi))
        print("    enclosure [%.10g, %.10g]" % (lo, hi))
    else:
        print("  rel. error, f32 coefficients, exact arithmetic (mpmath, dense grid):")
        print("    %s" % describe_error(hi))
    if fit.real is not None:
        print("  rel. error, same form with real coefficients (remez):")
        print("    %s" % describe_error(fit.real))
    if fit.name.startswith("exp_"):
        jump = exp_boundary_jump(fit)
        print("  jump at the reduction boundary, 2 p(-ln2/2) / p(ln2/2) - 1, exact: %.3g"
              " (%.3g ULP; %s)" % (jump, jump * 2.0**24,
                                   "upward, monotone" if jump >= 0 else "DOWNWARD: not monotone"))
    for note in fit.notes:
        print("  note: %s" % note)
    simulate(fit)


def main():
    try:
        fits = parse(sys.stdin)
    except (RecordError, ValueError) as err:
        sys.stderr.write("format.py: bad fit output, giving up: %s\n" % err)
        return 1
    for fit in fits:
        if isinstance(fit, str):
            print(fit)
        else:
            report(fit)
    if not any(isinstance(fit, Fit) for fit in fits):
        sys.stderr.write("format.py: no fit records on stdin\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

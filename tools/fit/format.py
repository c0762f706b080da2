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

F32_SIM_POINTS = 100_000


def f32(v):
    """Round a double to the nearest f32 (ties to even), returned as a double."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


def f32_from_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def rust_decimal(value):
    """The shortest decimal literal that rounds to exactly this f32."""
    if value == 0.0:
        return "0.0"
    for digits in range(1, 10):
        text = "%.*e" % (digits - 1, value)
        if f32(float(text)) == value:
            break
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


def parse(lines):
    fits = []
    cur = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        key, _, rest = line.partition(" ")
        if key == "FIT":
            cur = Fit(rest.strip())
        elif cur is None:
            sys.stderr.write("format.py: ignoring line outside a record: %s\n" % line)
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
            sys.stderr.write("format.py: unknown record line: %s\n" % line)
    return fits


def grid(lo, hi, n):
    """n + 1 f32 inputs spread evenly over [lo, hi], endpoints included."""
    pts = {f32(lo + (hi - lo) * k / n) for k in range(n + 1)}
    return sorted(p for p in pts if lo <= p <= hi)


def horner_f32(coefs, x):
    """coefs[0] + coefs[1] x + ..., in f32, no FMA."""
    acc = coefs[-1]
    for c in reversed(coefs[:-1]):
        acc = f32(f32(acc * x) + c)
    return acc


def simulate_exp(fit):
    """exp(r) in plain f32: 1 + (r + (r * r) * P(r)) when the linear coefficient is
    pinned to 1 (P holds the powers >= 2), else 1 + r * P1(r) (P1: the powers >= 1)."""
    c = fit.poly()
    top = max(c)
    free_linear = 1 in dict(fit.coefs)
    if free_linear:
        p = [c.get(k, 0.0) for k in range(1, top + 1)]
        order = "1 + r * P1(r)"
    else:
        p = [c.get(k, 0.0) for k in range(2, top + 1)]
        order = "1 + (r + (r * r) * P(r))"
    worst, where = 0.0, 0.0
    for r in grid(fit.domain[0], fit.domain[1], F32_SIM_POINTS):
        if free_linear:
            y = f32(1.0 + f32(r * horner_f32(p, r)))
        else:
            y = f32(1.0 + f32(r + f32(f32(r * r) * horner_f32(p, r))))
        e = abs(y / math.exp(r) - 1.0)
        if e > worst:
            worst, where = e, r
    return order, worst, where


def simulate_tanh_poly(fit):
    """tanh(a) as a + a * (a2 * P(a2)) with a2 = a * a, in plain f32."""
    c = fit.poly()
    p = [c[k] for k in sorted(k for k in c if k >= 3)]
    worst, where = 0.0, 0.0
    for a in grid(fit.domain[0], fit.domain[1], F32_SIM_POINTS):
        if a == 0.0:
            continue
        a2 = f32(a * a)
        y = f32(a + f32(a * f32(a2 * horner_f32(p, a2))))
        e = abs(y / math.tanh(a) - 1.0)
        if e > worst:
            worst, where = e, a
    return "a + a * (a2 * P(a2)), a2 = a * a", worst, where


def simulate_tanh_rational(fit):
    """tanh(a) as (a * P(a2)) / Q(a2) with a2 = a * a, in plain f32."""
    num = [f32_from_bits(b) for _, b in sorted(fit.num)]
    den = [f32_from_bits(b) for _, b in sorted(fit.den)]
    worst, where = 0.0, 0.0
    for a in grid(fit.domain[0], fit.domain[1], F32_SIM_POINTS):
        if a == 0.0:
            continue
        a2 = f32(a * a)
        y = f32(f32(a * horner_f32(num, a2)) / horner_f32(den, a2))
        e = abs(y / math.tanh(a) - 1.0)
        if e > worst:
            worst, where = e, a
    return "(a * P(a2)) / Q(a2), a2 = a * a", worst, where


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
        print_coefs("coefficients by power (decimal literal, bit pattern  // the f32 value as f64):",
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
    for note in fit.notes:
        print("  note: %s" % note)
    if fit.name.startswith("exp_"):
        sim = simulate_exp(fit)
    elif fit.num:
        sim = simulate_tanh_rational(fit)
    elif fit.name.startswith("tanh_"):
        sim = simulate_tanh_poly(fit)
    else:
        sim = None
    if sim is not None:
        order, worst, where = sim
        print("  f32 simulation, no FMA, %d inputs, order %s:" % (F32_SIM_POINTS, order))
        print("    max rel. error %s at %r" % (describe_error(worst), where))


def main():
    fits = parse(sys.stdin)
    for fit in fits:
        report(fit)
    if not fits:
        sys.stderr.write("format.py: no fit records on stdin\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

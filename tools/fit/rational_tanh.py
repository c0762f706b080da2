#!/usr/bin/env python3
"""Fast-tier tanh: a rational minimax fit  tanh(x) ~ x * P(x^2) / Q(x^2)  on [0, X].

Tested with mpmath 1.3.0 (pinned in requirements.txt); the rest is the standard library.

Method
------
With y = x^2 and g(y) = tanh(x) / x, the relative error of x P(y) / Q(y) against tanh(x)
is P(y) / (Q(y) g(y)) - 1, so the fit is a rational minimax fit of g with relative
weight. It is found by the rational Remez exchange:

1. on a reference of N points x_0 < ... < x_{N-1}, solve the nonlinear system
       P(y_i) - g(y_i) Q(y_i) (1 + (-1)^i E) = 0,   i = 0 .. N-1,
   for the coefficients and the levelled error E (Q(0) = 1 normalizes the pair; when
   `pin` is set, P(0) = 1 as well, so the result is exactly x * (1 + O(x^2)) near 0);
   a linearized solve (E multiplying the previous Q) starts Newton's method;
2. find the extrema of the error on a grid in x, refine them, and make them the new
   reference; stop when the extrema are levelled to within a relative 1e-6.

Then every coefficient is rounded to the nearest f32 (Q(0) = 1 and, when pinned, P(0) = 1
stay exact), and the error of the rounded rational, evaluated exactly, is measured in
mpmath at 30 significant digits on a dense grid of f32 inputs: `--points` (default 10^6)
evenly spaced in [0, X], plus 2000 log-spaced points in [2^-40, 2^-1].

Output: the record grammar of common.sollya (NUM / DEN lines carry the numerator and
denominator coefficients by power of x^2; ERRGRID the grid maximum), for format.py.
Progress goes to stderr.

Usage: python3 rational_tanh.py [--points N] [--survey]
  --survey: also fit a table of other degrees and domains (errors only), to show the
  trade-offs.
"""

import argparse
import struct
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 50


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def g(x):
    """tanh(x) / x, with its limit 1 at 0."""
    return mpf(1) if x == 0 else mp.tanh(x) / x


def poly(c, y):
    acc = mpf(0)
    for ci in reversed(c):
        acc = acc * y + ci
    return acc


class Rational:
    def __init__(self, p, q):
        self.p = p  # P coefficients by power of y = x^2
        self.q = q  # Q coefficients, q[0] = 1

    def rel_err(self, x):
        """(x P(x^2) / Q(x^2)) / tanh(x) - 1."""
        y = x * x
        return poly(self.p, y) / (poly(self.q, y) * g(x)) - 1


def unpack(z, m, n, pin):
    k = 0
    p = [mpf(1)] if pin else []
    for _ in range(m + 1 - len(p)):
        p.append(z[k])
        k += 1
    q = [mpf(1)]
    for _ in range(n):
        q.append(z[k])
        k += 1
    return p, q, z[k]


def solve_reference(xs, m, n, pin, start):
    """Coefficients and levelled error E on the reference xs (Newton's method)."""
    size = len(xs)
    ys = [x * x for x in xs]
    gs = [g(x) for x in xs]
    sg = [(-1) ** i for i in range(size)]
    p_lo = 1 if pin else 0

    if start is None:
        # Linearized start: E multiplies g Q_prev with Q_prev = 1.
        a = mpmath.matrix(size, size)
        b = mpmath.matrix(size, 1)
        for i in range(size):
            col = 0
            for j in range(p_lo, m + 1):
                a[i, col] = ys[i] ** j
                col += 1
            for k in range(1, n + 1):
                a[i, col] = -gs[i] * ys[i] ** k
                col += 1
            a[i, col] = -sg[i] * gs[i]
            b[i] = gs[i] - (1 if pin else 0)
        z = mpmath.lu_solve(a, b)
    else:
        z = start

    for _ in range(60):
        p, q, e = unpack(z, m, n, pin)
        f = mpmath.matrix(size, 1)
        jac = mpmath.matrix(size, size)
        for i in range(size):
            pv = poly(p, ys[i])
            qv = poly(q, ys[i])
            w = gs[i] * (1 + sg[i] * e)
            f[i] = pv - w * qv
            col = 0
            for j in range(p_lo, m + 1):
                jac[i, col] = ys[i] ** j
                col += 1
            for k in range(1, n + 1):
                jac[i, col] = -w * ys[i] ** k
                col += 1
            jac[i, col] = -gs[i] * sg[i] * qv
        dz = mpmath.lu_solve(jac, f)
        z = z - dz
        if mpmath.norm(dz) < mpf(10) ** -40 * (1 + mpmath.norm(z)):
            break
    return z


def refine_max(fn, lo, hi):
    """Maximize fn on [lo, hi] by golden-section search."""
    invphi = (mpmath.sqrt(5) - 1) / 2
    a, b = lo, hi
    c = b - invphi * (b - a)
    d = a + invphi * (b - a)
    fc, fd = fn(c), fn(d)
    for _ in range(60):
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - invphi * (b - a)
            fc = fn(c)
        else:
            a, c, fc = c, d, fd
            d = a + invphi * (b - a)
            fd = fn(d)
    best = max([(fn(lo), lo), (fc, c), (fd, d), (fn(hi), hi)], key=lambda t: t[0])
    return best[1]


def extrema(r, top, grid_n=3000):
    """Alternating extrema of the relative error on [0, top]: a list of (x, err)."""
    step = mpf(top) / grid_n
    xs = [step * k for k in range(grid_n + 1)]
    groups = []  # (sign, index of max |err|, err)
    for idx, x in enumerate(xs):
        e = r.rel_err(x)
        if e == 0:
            continue
        s = e > 0
        if groups and groups[-1][0] == s:
            if abs(e) > abs(groups[-1][2]):
                groups[-1] = (s, idx, e)
        else:
            groups.append((s, idx, e))
    out = []
    for s, idx, e in groups:
        sign = 1 if s else -1
        lo = xs[max(idx - 1, 0)]
        hi = xs[min(idx + 1, grid_n)]
        x = refine_max(lambda t: sign * r.rel_err(t), lo, hi)
        out.append((x, r.rel_err(x)))
    return out


def remez(m, n, top, pin, tol=mpf("1e-6")):
    """Rational minimax fit of degree (m, n) in y = x^2 on x in [0, top]."""
    size = (m + 1) + n + 1 - (1 if pin else 0)
    # Initial reference: Chebyshev extrema in x (away from 0 when pinned, where the
    # error is forced to 0).
    skip = 1 if pin else 0
    xs = []
    for i in range(size):
        t = (1 - mpmath.cos(mpmath.pi * (i + skip) / (size - 1 + skip))) / 2
        xs.append(top * t)
    z = None
    r = None
    for it in range(40):
        z = solve_reference(xs, m, n, pin, None if it == 0 else z)
        p, q, e = unpack(z, m, n, pin)
        r = Rational(p, q)
        ext = extrema(r, top)
        # Keep exactly `size` alternating extrema, dropping the smaller end ones.
        while len(ext) > size:
            if abs(ext[0][1]) < abs(ext[-1][1]):
                ext.pop(0)
            else:
                ext.pop()
        emax = max(abs(v) for _, v in ext)
        emin = min(abs(v) for _, v in ext)
        if len(ext) < size:
            log("  (m=%d, n=%d, X=%s): only %d alternating extrema of %d; stopping"
                % (m, n, top, len(ext), size))
            break
        xs = [x for x, _ in ext]
        if emax - emin <= tol * emax:
            break
    return r, emax


def to_f32(v):
    """Round an mpf to the nearest f32 (ties to even); returns (value as mpf, bits)."""
    with mp.workprec(24):
        w = +v
    f = float(w)  # exact: w has 24 bits
    bits = struct.unpack("<I", struct.pack("<f", f))[0]
    assert struct.unpack("<f", struct.pack("<I", bits))[0] == f, "f32 range exceeded"
    return mpf(f), bits


def f32_grid(top, points):
    """f32 inputs: `points` + 1 evenly spaced in [0, top], plus tiny log-spaced ones."""
    out = set()
    for k in range(points + 1):
        x = top * k / points
        out.add(struct.unpack("<f", struct.pack("<f", x))[0])
    for k in range(2000):
        x = 2.0 ** (-40 + 39 * k / 1999)
        out.add(struct.unpack("<f", struct.pack("<f", x))[0])
    return sorted(x for x in out if 0 < x <= top)


def measure(p32, q32, top, points):
    """Max relative error of x P(x^2) / Q(x^2) with these exact coefficients, at 30
    digits, over the f32 grid; also the largest value, and the first grid point where
    the rational decreases (None if it increases all along the grid)."""
    worst, where = mpf(0), 0.0
    biggest = mpf(0)
    first_drop = None
    prev = mpf(0)
    with mp.workdps(30):
        for x in f32_grid(top, points):
            xm = mpf(x)
            y = xm * xm
            val = xm * poly(p32, y) / poly(q32, y)
            e = abs(val / mp.tanh(xm) - 1)
            if e > worst:
                worst, where = e, x
            if val > biggest:
                biggest = val
            if val < prev and first_drop is None:
                first_drop = x
            prev = val
    return worst, where, biggest, first_drop


def fit_and_report(name, m, n, top, pin, points):
    log("fitting %s: degrees (%d, %d) in x^2 on [0, %s]%s"
        % (name, m, n, top, ", P(0) = Q(0) = 1" if pin else ""))
    r, e_real = remez(m, n, mpf(top), pin)
    p32, pbits = zip(*(to_f32(c) for c in r.p))
    q32, qbits = zip(*(to_f32(c) for c in r.q))
    log("  real-coefficient error %.4g; measuring the f32 rational on %d points"
        % (float(e_real), points))
    worst, where, biggest, first_drop = measure(p32, q32, top, points)
    log("  f32-coefficient error %.4g at x = %r" % (float(worst), where))

    print("FIT %s" % name)
    print("FORM x * P(x^2) / Q(x^2), P of degree %d and Q of degree %d in x^2%s"
          % (m, n, " (P(0) = Q(0) = 1 pinned)" if pin else " (Q(0) = 1)"))
    print("DOMAIN 0 %r" % top)
    for k, b in enumerate(pbits):
        print("NUM %d 0x%08x" % (k, b))
    for k, b in enumerate(qbits):
        print("DEN %d 0x%08x" % (k, b))
    print("ERRGRID %s" % mpmath.nstr(worst, 17))
    print("REAL %s" % mpmath.nstr(e_real, 17))
    print("NOTE grid maximum at x = %r" % where)
    print("NOTE largest value of the rational on [0, %r]: %s (%s)"
          % (top, mpmath.nstr(biggest, 10),
             "<= 1" if biggest <= 1 else "ABOVE 1: the kernel must clamp it to 1"))
    if first_drop is None:
        print("NOTE increasing on the whole grid (exact arithmetic)")
    else:
        print("NOTE NOT MONOTONE: the rational first decreases at x = %r (exact arithmetic);"
              " the minimax ripple outgrows the slope of tanh there" % first_drop)
    with mp.workdps(30):
        t = mp.tanh(mpf(top))
        clamp = (1 - t) / t
    print("NOTE returning 1 above x = %r costs a relative error up to %s = 2^%.2f; with the"
          " fit, the total is 2^%.2f" % (top, mpmath.nstr(clamp, 4), float(mpmath.log(clamp, 2)),
                                         float(mpmath.log(max(clamp, worst), 2))))
    print("END")
    sys.stdout.flush()


def survey():
    """Real-coefficient minimax errors for a table of degrees and domains."""
    log("survey of degrees and domains (real coefficients)")
    print("# survey: relative error (log2) of the real-coefficient rational minimax fit of")
    print("# tanh on [0, X]; beyond X the kernel returns 1, which costs a relative error of")
    print("# (1 - tanh(X)) / tanh(X), also given (log2).")
    print("# %-6s %-5s %-11s %-12s %s" % ("m/n", "X", "fit error", "clamp error", "P(0), Q(0)"))
    for top in ("9", "7", "6", "5.2"):
        t = mpf(top)
        clamp = mpmath.log((1 - mp.tanh(t)) / mp.tanh(t), 2)
        for pin in (True, False) if top == "9" else (True,):
            for m, n in ((2, 2), (3, 2), (2, 3), (3, 3), (4, 3), (3, 4), (4, 4)):
                _, e = remez(m, n, t, pin)
                print("# %-6s %-5s %-11.2f %-12.2f %s"
                      % ("%d/%d" % (m, n), top, float(mpmath.log(e, 2)), float(clamp),
                         "1, 1 pinned" if pin else "free, 1"))
                sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--survey", action="store_true")
    args = ap.parse_args()
    if mpmath.__version__ != "1.3.0":
        log("note: tested with mpmath 1.3.0, running %s" % mpmath.__version__)
    if args.survey:
        survey()
    # The fit asked for: all of [0, 9], beyond which tanh rounds to 1 in f32. Its minimax
    # ripple makes it decrease above x = 7, and it exceeds 1 near 9.
    fit_and_report("tanh_fast_rational_3_3_X9", 3, 3, 9.0, True, args.points)
    # The same degrees on [0, 6], returning 1 above: monotone, and 2^-16.3 in total.
    fit_and_report("tanh_fast_rational_3_3_X6", 3, 3, 6.0, True, args.points)
    # One coefficient fewer on [0, 5.5], returning 1 above: monotone, 2^-14.87 in total.
    fit_and_report("tanh_fast_rational_2_3_X5.5", 2, 3, 5.5, True, args.points)
    return 0


if __name__ == "__main__":
    sys.exit(main())

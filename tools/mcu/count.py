#!/usr/bin/env python3
"""Exact instruction counts per element of every kernel, on the emulated Cortex-M.

Builds the `count` firmware of mcu/ for each target, runs it under QEMU with the translation
and execution logs on (`-d in_asm,exec,nochain`: every translated block is listed with its
guest instructions, every execution of a block is logged), and adds up the instructions of the
blocks executed between each entry into the marker `mcu_count_begin` and the next entry into
`mcu_count_end`. QEMU names the function of every logged block, so no symbol table lookup is
needed. `--singlestep` counts the slow way instead, one block per instruction
(`-singlestep -d exec,nochain`), and gives the same numbers. The first, empty case measures the
markers and the call; it is subtracted from every other case, and the rest is divided by the
number of elements. The counts are deterministic: the same firmware gives the same numbers.

    tools/mcu/count.py                       # print the table for both targets
    tools/mcu/count.py --write tools/mcu/counts.md
    tools/mcu/count.py --check tools/mcu/counts.md   # exit 1 if a count grew > 10 %
    tools/mcu/count.py --targets tools/mcu/counts.md # issue 5's targets, from the table

Needs qemu-system-arm and the two rustup targets (ci/mcu.sh installs them).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MCU = os.path.join(ROOT, "mcu")

TARGETS = {
    "thumbv7em-none-eabihf": ["-cpu", "cortex-m4", "-machine", "mps2-an386"],
    "thumbv6m-none-eabi": ["-cpu", "cortex-m3", "-machine", "mps2-an385"],
}
SHORT = {"thumbv7em-none-eabihf": "thumbv7em (M4F)", "thumbv6m-none-eabi": "thumbv6m (M0)"}

# A count may grow this much over the committed table before --check fails.
TOLERANCE = 0.10
# Time limit of one QEMU run, in seconds.
QEMU_TIMEOUT = 900


def build(target, opt_level):
    """Build the count firmware for `target` at `opt_level`; return the path of the ELF file."""
    cmd = ["cargo", "build", "--release", "--bin", "count", "--target", target,
           "--message-format=json-render-diagnostics"]
    env = dict(os.environ, CARGO_PROFILE_RELEASE_OPT_LEVEL=opt_level)
    out = subprocess.run(cmd, cwd=MCU, check=True, stdout=subprocess.PIPE, text=True,
                         env=env).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "count" \
                and msg.get("executable"):
            return msg["executable"]
    sys.exit("count.py: cargo built no `count` executable for " + target)


def count_singlestep(log):
    """Per segment, the instructions executed, from a `-singlestep -d exec,nochain` log: one
    line per executed instruction."""
    counts, counting, n, prev = [], False, 0, ""
    for line in log:
        # "Trace 0: 0x<host> [<cs_base>/<pc>/<flags>/<cflags>] <function>"
        sym = line[line.rfind("]") + 2:].rstrip("\n")
        if sym != prev:
            if sym == "mcu_count_begin":
                counting, n = True, 0
            elif sym == "mcu_count_end" and counting:
                counts.append(n)
                counting = False
            prev = sym
        if counting:
            n += 1
    return counts


def count_blocks(log):
    """Per segment, the instructions executed, from a `-d in_asm,exec,nochain` log: each
    translation block is listed once (`IN:` and one line per guest instruction) just before
    its first execution, and each execution logs a `Trace` line naming the block by its host
    address. A segment's count is the sum of the sizes of the blocks executed in it."""
    counts, counting, n = [], False, 0
    size = {}  # host address of a translated block -> guest instructions in it
    pending_pc, pending_n, listing = None, 0, False
    for line in log:
        if line.startswith("Trace"):
            # "Trace 0: 0x<host> [<cs_base>/<pc>/<flags>/<cflags>] <function>"
            host = line[9:line.index(" ", 9)]
            lb = line.index("[")
            pc = int(line[lb + 10:lb + 18], 16)
            if pending_pc is not None and pc == pending_pc:
                size[host] = pending_n
                pending_pc = None
            k = size.get(host)
            if k is None:
                sys.exit("count.py: a block ran that was never listed; the log format changed")
            sym = line[line.rfind("]") + 2:].rstrip("\n")
            if sym == "mcu_count_begin":
                counting, n = True, 0
            elif sym == "mcu_count_end" and counting:
                counts.append(n)
                counting = False
            if counting:
                n += k
        elif line.startswith("IN:"):
            listing, pending_pc, pending_n = True, None, 0
        elif listing:
            if line.startswith("0x"):
                if pending_pc is None:
                    pending_pc = int(line[2:10], 16)
                pending_n += 1
            elif not line.strip():
                listing = False
    return counts


def run(target, elf, singlestep=False):
    """Run the firmware under QEMU; return [(name, lo, hi, instructions)] per case."""
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "exec.log")
        os.mkfifo(fifo)
        cmd = ["qemu-system-arm", *TARGETS[target], "-nographic", "-monitor", "none",
               "-serial", "none", "-semihosting-config", "enable=on,target=native",
               "-D", fifo, "-kernel", elf]
        cmd[-2:-2] = (["-singlestep", "-d", "exec,nochain"] if singlestep
                      else ["-d", "in_asm,exec,nochain"])
        qemu = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The pipes are drained on threads so QEMU never blocks on a full one.
        output = {}
        threads = [threading.Thread(target=lambda k=k, f=f: output.__setitem__(k, f.read()))
                   for k, f in (("out", qemu.stdout), ("err", qemu.stderr))]
        for t in threads:
            t.start()
        timer = threading.Timer(QEMU_TIMEOUT, qemu.kill)
        timer.start()
        counts = []
        try:
            with open(fifo, "r", errors="replace") as log:
                counts = (count_singlestep if singlestep else count_blocks)(log)
            rc = qemu.wait()
        finally:
            timer.cancel()
            for t in threads:
                t.join()
    if rc != 0:
        sys.exit(f"count.py: the firmware failed on {target} (QEMU exit {rc}):\n"
                 + output.get("out", "") + output.get("err", ""))
    cases = []
    for line in output["out"].splitlines():
        m = re.match(r"case (\d+) (.+) (\S+) (\S+)$", line)
        if m:
            cases.append((m.group(2), float(m.group(3)), float(m.group(4))))
    n_elem = int(re.search(r"(\d+) elements per case", output["out"]).group(1))
    if len(cases) != len(counts) or not cases or cases[0][0] != "empty":
        sys.exit(f"count.py: {len(cases)} cases announced but {len(counts)} segments logged "
                 f"on {target}; the markers or the log format changed")
    base = counts[0]
    return n_elem, base, [(c[0], c[1], c[2], (k - base) / n_elem)
                          for c, k in zip(cases[1:], counts[1:])]


def table(results):
    """The markdown table of per-element counts, one column per target."""
    targets = list(results)
    n_elem = next(iter(results.values()))[0]
    lines = [
        "| kernel (slice of %d, in place) | inputs | %s |" % (
            n_elem, " | ".join(SHORT[t] + " instr/elem" for t in targets)),
        "|---|---|" + "---:|" * len(targets),
    ]
    names = [c[0] for c in results[targets[0]][2]]
    for i, name in enumerate(names):
        lo, hi = results[targets[0]][2][i][1:3]
        rng = "-" if lo == hi else f"[{lo:g}, {hi:g}]"
        cells = [f"{results[t][2][i][3]:.2f}" for t in targets]
        lines.append(f"| {name} | {rng} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_table(text):
    """{(kernel, column header): per-element count} from a committed table."""
    rows = [l for l in text.splitlines() if l.startswith("|")]
    if len(rows) < 3:
        return {}
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    out = {}
    for r in rows[2:]:
        cells = [c.strip() for c in r.strip("|").split("|")]
        for h, c in zip(header[2:], cells[2:]):
            out[(cells[0], h)] = float(c)
    return out


HEADER = """# Instructions per element on the emulated Cortex-M

Generated by `tools/mcu/count.py --write tools/mcu/counts.md`; checked by
`tools/mcu/count.py --check tools/mcu/counts.md` (fails when a count grows more than 10 %).
Counted exactly by QEMU (`-d in_asm,exec,nochain`), release build (`opt-level = {opt}`,
fat LTO, one codegen unit), the markers' own cost subtracted. thumbv6m code runs on the
Cortex-M3 board (mps2-an385): QEMU models no Cortex-M0 board, and the instructions executed
are the same. Inputs are evenly spaced over the range shown; a count covers the whole call
(softmax: one row of that length, with its max, sum and normalisation passes).{note}

"""

# What the header adds for a size-optimised build.
COMPACT_NOTE = """

At `opt-level = "s"` the library leaves out its kernels' direct paths (`build.rs`,
`cfg(compact_kernels)`): smaller code, the same results, more instructions per element."""


# Issue 5's instruction-count targets on the M4F: (function, precise row, fast row, libm row).
TARGET_ROWS = [
    ("exp", "precise::exp", "fast::exp", "libm::expf"),
    ("sigmoid", "precise::sigmoid", "fast::sigmoid", "libm sigmoid 1/(1+expf(-x))"),
    ("tanh", "precise::tanh", "fast::tanh", "libm::tanhf"),
]


def targets(path):
    """Print issue 5's instruction-count targets, judged on the thumbv7em column of the table
    in `path`: precise at or below libm, fast at least 2x fewer than libm. Returns whether all
    are met."""
    with open(path) as f:
        committed = parse_table(f.read())
    col = SHORT["thumbv7em-none-eabihf"] + " instr/elem"
    print(f"issue 5 targets on thumbv7em, from {path}:")
    print(f"{'function':<8} {'precise':>8} {'fast':>8} {'libm':>8} {'precise/libm':>13} "
          f"{'libm/fast':>10} {'precise/fast':>13}  precise<=libm  fast>=2x")
    all_met = True
    for name, p, f, l in TARGET_ROWS:
        try:
            cp, cf, cl = (committed[(r, col)] for r in (p, f, l))
        except KeyError as e:
            sys.exit(f"count.py: {path} has no row {e}")
        met_p, met_f = cp <= cl, cl / cf >= 2.0
        all_met &= met_p and met_f
        print(f"{name:<8} {cp:>8.2f} {cf:>8.2f} {cl:>8.2f} {cp / cl:>13.3f} {cl / cf:>10.3f} "
              f"{cp / cf:>13.3f}  {'met' if met_p else 'NOT met':>13}  "
              f"{'met' if met_f else 'NOT met':>8}")
    return all_met


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--targets", metavar="FILE",
                    help="only print issue 5's targets judged on the table in FILE (no QEMU "
                         "run); exit 1 if one is not met")
    ap.add_argument("--target", action="append", choices=list(TARGETS),
                    help="a target to measure (default: both)")
    ap.add_argument("--singlestep", action="store_true",
                    help="count one logged line per instruction (slow; a cross-check)")
    ap.add_argument("--write", metavar="FILE", help="write the table to FILE")
    ap.add_argument("--opt-level", default="3", choices=["0", "1", "2", "3", "s", "z"],
                    help="the release profile's opt-level for the firmware (default 3; the "
                         "committed table and the check use 3)")
    ap.add_argument("--check", metavar="FILE",
                    help="compare with the table in FILE; exit 1 if a count grew > 10 %%")
    args = ap.parse_args()
    if args.targets:
        sys.exit(0 if targets(args.targets) else 1)

    results = {}
    for t in args.target or list(TARGETS):
        elf = build(t, args.opt_level)
        results[t] = run(t, elf, args.singlestep)
        print(f"{t}: {len(results[t][2])} cases, marker overhead {results[t][1]} instructions",
              file=sys.stderr)
    text = table(results)
    print(text)

    if args.write:
        with open(args.write, "w") as f:
            note = COMPACT_NOTE if args.opt_level in ("s", "z") else ""
            opt = args.opt_level if args.opt_level.isdigit() else f'"{args.opt_level}"'
            f.write(HEADER.format(opt=opt, note=note) + text + "\n")
        print(f"wrote {args.write}", file=sys.stderr)

    if args.check:
        try:
            with open(args.check) as f:
                committed = parse_table(f.read())
        except FileNotFoundError:
            sys.exit(f"count.py: {args.check} does not exist; create it with "
                     f"tools/mcu/count.py --write {args.check}")
        if not committed:
            sys.exit(f"count.py: no table in {args.check}")
        fresh = parse_table(text)
        grew, missing, better = [], [], []
        for key, now in fresh.items():
            was = committed.get(key)
            if was is None:
                missing.append(key)
            elif now > was * (1 + TOLERANCE) + 0.01:
                grew.append((key, was, now))
            elif now < was * (1 - TOLERANCE):
                better.append((key, was, now))
        for (k, h), was, now in grew:
            print(f"GREW: {k} on {h}: {was:.2f} -> {now:.2f} instructions per element "
                  f"(+{100 * (now / was - 1):.0f} %)")
        for (k, h), was, now in better:
            print(f"note: {k} on {h} dropped {was:.2f} -> {now:.2f}; update the table "
                  f"(tools/mcu/count.py --write {args.check})")
        for k, h in missing:
            print(f"note: {k} on {h} is not in {args.check}; add it with --write")
        print(f"instruction counts: {len(fresh) - len(grew)} passed, {len(grew)} failed")
        if grew:
            print(f"A count grew more than {TOLERANCE:.0%} over {args.check}. If that is "
                  f"intended, regenerate the table with tools/mcu/count.py --write {args.check}")
            sys.exit(1)


if __name__ == "__main__":
    main()

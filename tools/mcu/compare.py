#!/usr/bin/env python3
"""Compare the checksums of the verify and digits reports of several builds.

The `verify` and `digits` firmware and the host program `tools/mcu/host` print the same
report from the same source (mcu/src/suite.rs, mcu/src/digits_run.rs); each kernel line ends
with checksums of its output bits over the same inputs. This script lines them up and says,
per kernel, whether every build computed the same bits:

    tools/mcu/compare.py host.txt thumbv7em.txt thumbv6m.txt

The first file is the reference. `raw` hashes the output bits as they are, `canon` with every
NaN replaced by one quiet NaN, so "NaN payloads only" means the numbers agree and only the
bits inside NaNs differ. With --strict the exit status is 1 when a canonical checksum differs
(a numeric difference), else 0.
"""

import argparse
import re
import sys

# "<kernel> <result> ... <raw> <canon>" in the verify table; "<tier> <hidden> ... <checksum>"
# in the digits table.
UNARY = re.compile(r"^(\S+::\S+)\s+(ok|FAIL)\s.*\s(0x[0-9a-f]{16})\s+(0x[0-9a-f]{16})$")
DIGITS = re.compile(r"^(precise|fast)\s+(\w+)\s+\d+\s+\d+\s+(0x[0-9a-f]{16})$")


def read(path):
    """{row name: (raw, canon)} and the line that names the build."""
    rows, title = {}, ""
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            # The report's first line names the build; cargo's own lines come before it.
            if not title and re.match(r"(verify|digits) on |host build: ", line):
                title = line.strip()
            m = UNARY.match(line)
            if m:
                rows[m.group(1)] = (m.group(3), m.group(4))
                continue
            m = DIGITS.match(line)
            if m:
                rows[f"digits {m.group(1)} {m.group(2)}"] = (m.group(3), m.group(3))
    return rows, title


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reports", nargs="+", help="report files; the first is the reference")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any canonical checksum differs from the reference's")
    args = ap.parse_args()

    reports = [(p, *read(p)) for p in args.reports]
    ref_path, ref, ref_title = reports[0]
    if not ref:
        sys.exit(f"compare.py: no checksum lines in {ref_path}")
    numeric = 0
    for path, rows, title in reports[1:]:
        print(f"{title}\n  against {ref_title}:")
        same = payload = missing = 0
        for name, (raw, canon) in ref.items():
            other = rows.get(name)
            if other is None:
                missing += 1
                print(f"  {name:<26} missing from {path}")
            elif other == (raw, canon):
                same += 1
            elif other[1] == canon:
                payload += 1
                print(f"  {name:<26} NaN payloads only (numbers identical)")
            else:
                numeric += 1
                print(f"  {name:<26} DIFFERENT bits: {other[1]} vs {canon}")
        print(f"  {same} bit-identical, {payload} NaN payloads only, "
              f"{len(ref) - same - payload - missing} different, {missing} missing")
    if args.strict and numeric:
        print("The MCU computed different numbers from the host for the kernels above. The "
              "crate promises the same bits on every target (no FMA, no target-specific "
              "paths); find the operation that differs with the verify firmware's inputs.")
        sys.exit(1)


if __name__ == "__main__":
    main()

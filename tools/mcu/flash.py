#!/usr/bin/env python3
"""Flash cost of each kernel: the bytes it adds to a firmware image.

Builds the `flash` firmware of mcu/ once with no kernel (the baseline) and once per kernel
feature (`k-*`), in release with `opt-level = "s"` and `3` (fat LTO, one codegen unit), reads
the section sizes from the ELF files, and prints what each kernel adds over the baseline:
`.text` (code) and `.rodata` (constants). The slice function of each kernel is linked by
default; `--scalar` links the scalar form in a plain loop instead.

    tools/mcu/flash.py                          # thumbv7em, slice functions
    tools/mcu/flash.py --scalar                 # thumbv7em, scalar forms
    tools/mcu/flash.py --target thumbv6m-none-eabi
    tools/mcu/flash.py --write tools/mcu/flash.md    # both layers, the committed table
    tools/mcu/flash.py --target thumbv6m-none-eabi --float-baseline
                                                # soft float: the baseline already does f32
                                                # arithmetic, so its runtime is not counted

Each build recompiles only the firmware crate and relinks; about 5 s each.
"""

import argparse
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MCU = os.path.join(ROOT, "mcu")

KERNELS = [
    ("relu", "k-relu"),
    ("step", "k-step"),
    ("identity", "k-identity"),
    ("precise::exp", "k-exp-precise"),
    ("precise::sigmoid", "k-sigmoid-precise"),
    ("precise::tanh", "k-tanh-precise"),
    ("precise::softmax", "k-softmax-precise"),
    ("fast::exp", "k-exp-fast"),
    ("fast::sigmoid", "k-sigmoid-fast"),
    ("fast::tanh", "k-tanh-fast"),
    ("fast::softmax", "k-softmax-fast"),
    ("libm::expf", "k-libm-expf"),
    ("libm sigmoid 1/(1+expf(-x))", "k-libm-sigmoid"),
    ("libm::tanhf", "k-libm-tanhf"),
    ("micromath exp", "k-micromath-exp"),
]
# Kernels that are plain scalar loops whatever the layer (no slice function to link).
ALWAYS_SCALAR = {"k-libm-expf", "k-libm-sigmoid", "k-libm-tanhf", "k-micromath-exp"}
# ... and the ones with no scalar form (softmax works on a row).
ALWAYS_SLICE = {"k-softmax-precise", "k-softmax-fast"}
OPT_LEVELS = ["s", "3"]


def sections(path):
    """{section name: size} of an ELF32 little-endian file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        sys.exit(f"flash.py: {path} is not a 32-bit little-endian ELF file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    headers = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
               for i in range(shnum)]
    strtab = headers[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for h in headers:
        name = names[h[0]:names.index(b"\0", h[0])].decode()
        out[name] = h[5]
    return out


def build(target, opt, features):
    """Build the flash firmware; return its section sizes."""
    cmd = ["cargo", "build", "--release", "--bin", "flash", "--target", target,
           "--message-format=json-render-diagnostics"]
    if features:
        cmd += ["--features", ",".join(features)]
    env = dict(os.environ, CARGO_PROFILE_RELEASE_OPT_LEVEL=opt)
    out = subprocess.run(cmd, cwd=MCU, env=env, check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "flash" \
                and msg.get("executable"):
            return sections(msg["executable"])
    sys.exit("flash.py: cargo built no `flash` executable")


def measure(target, scalar, float_ops):
    """{(kernel, opt): (text bytes added, rodata bytes added)} and the baselines."""
    layer = (["scalar"] if scalar else []) + (["float-ops"] if float_ops else [])
    results, base = {}, {}
    for opt in OPT_LEVELS:
        b = build(target, opt, layer)
        base[opt] = (b.get(".text", 0), b.get(".rodata", 0))
        for name, feat in KERNELS:
            s = build(target, opt, layer + [feat])
            results[(name, opt)] = (s.get(".text", 0) - base[opt][0],
                                    s.get(".rodata", 0) - base[opt][1])
            print(f"  {target} opt-level={opt} {'scalar' if scalar else 'slice'} {name}: "
                  f"+{results[(name, opt)][0]} .text, +{results[(name, opt)][1]} .rodata",
                  file=sys.stderr)
    return results, base


def layer_of(feat, scalar):
    if feat in ALWAYS_SCALAR:
        return "f32 loop"
    if feat in ALWAYS_SLICE or not scalar:
        return "slice"
    return "f32 loop"


def table(target, by_layer):
    """Markdown table: one row per kernel and layer, .text (+ .rodata) per opt-level."""
    lines = [
        f"| kernel | layer | .text, opt-level s | .rodata, s | .text, opt-level 3 | .rodata, 3 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    seen = set()
    for scalar, (results, _) in by_layer:
        for name, feat in KERNELS:
            layer = layer_of(feat, scalar)
            if (name, layer) in seen:
                continue
            seen.add((name, layer))
            s, s3 = results[(name, "s")], results[(name, "3")]
            lines.append(f"| {name} | {layer} | {s[0]} | {s[1]} | {s3[0]} | {s3[1]} |")
    base = by_layer[0][1][1]
    lines.append("")
    lines.append(f"Baseline image ({target}, no kernel): .text {base['s'][0]} bytes at "
                 f"opt-level s, {base['3'][0]} at opt-level 3.")
    return "\n".join(lines)


HEADER = """# Flash cost of each kernel

Generated by `tools/mcu/flash.py --write tools/mcu/flash.md`. Bytes a kernel adds to the
`flash` firmware (mcu/src/bin/flash.rs) over the same firmware without it: release, fat LTO,
one codegen unit, `opt-level = "s"` and `3`. The slice layer is the `*_in_place` function: on
Cortex-M, where `wide` has no SIMD backend, it runs the scalar kernel in a plain loop (see
src/driver.rs); softmax, which has no scalar form, is always the slice function. The `f32 loop`
layer is the scalar form called in a plain loop by the firmware itself. Kernels sharing code
(e.g. sigmoid and exp) cost less together than the sum.

"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", default="thumbv7em-none-eabihf",
                    choices=["thumbv7em-none-eabihf", "thumbv6m-none-eabi"])
    ap.add_argument("--scalar", action="store_true", help="link the scalar forms")
    ap.add_argument("--write", metavar="FILE",
                    help="measure both layers and write the table to FILE")
    ap.add_argument("--float-baseline", action="store_true",
                    help="the baseline (and every image) already does f32 arithmetic: on "
                         "soft-float targets, leaves the float runtime out of each kernel's cost")
    ap.add_argument("--limit", type=int, default=1024,
                    help="fail unless each crate kernel adds less than this (.text + .rodata) "
                         "at opt-level s")
    args = ap.parse_args()

    layers = [False, True] if args.write else [args.scalar]
    by_layer = [(scalar, measure(args.target, scalar, args.float_baseline))
                for scalar in layers]
    text = table(args.target, by_layer)
    print(text)
    if args.write:
        with open(args.write, "w") as f:
            base = " (baseline with f32 arithmetic: --float-baseline)" if args.float_baseline \
                else ""
            f.write(HEADER + f"Target: {args.target}{base}.\n\n" + text + "\n")
        print(f"wrote {args.write}", file=sys.stderr)

    # The crate's kernels, each layer once: .text + .rodata bytes at opt-level s.
    crate = {(name, layer_of(feat, scalar)): sum(results[(name, "s")])
             for scalar, (results, _) in by_layer for name, feat in KERNELS
             if feat not in ALWAYS_SCALAR}
    over = {k: v for k, v in crate.items() if v >= args.limit}
    for (name, layer), size in over.items():
        print(f"OVER: {name} ({layer}) adds {size} bytes of .text + .rodata at opt-level s "
              f"(must be under {args.limit})")
    print(f"flash cost (.text + .rodata) under {args.limit} bytes: "
          f"{len(crate) - len(over)} passed, {len(over)} failed")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()

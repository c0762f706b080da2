#!/usr/bin/env bash
# The crate on emulated microcontrollers (issue 5): build the test firmware in mcu/ for the
# Cortex-M4F (thumbv7em-none-eabihf, QEMU mps2-an386) and the Cortex-M0 instruction set
# (thumbv6m-none-eabi, run on QEMU mps2-an385), run it under QEMU, and check the measurements:
#   1. hello, verify, digits firmware on each target (`cargo test --release` in mcu/; QEMU's
#      exit status is the firmware's verdict, each run under a time limit)
#   2. the same suite on the host (tools/mcu/host) and a checksum comparison: the MCU builds
#      must compute the same numbers as the host's default x86-64 (SSE2) build
#   3. instruction counts per element against tools/mcu/counts.md (fails on > 10 % growth)
#   4. flash cost of each kernel (.text + .rodata at opt-level s; fails at 1 KiB or more), with --flash only,
#      since it relinks the firmware about 60 times
#
#   ci/mcu.sh            # steps 1-3
#   ci/mcu.sh --flash    # steps 1-4
#
# It installs what it needs on a fresh machine: the two rustup targets and Debian's
# qemu-system-arm. The last line is "mcu: N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never
# Each QEMU run has a time limit: the runner in mcu/.cargo/config.toml starts QEMU under
# `timeout`, and tools/mcu/count.py kills a run that exceeds its own limit.

flash=0
for arg in "$@"; do
    case "$arg" in
        --flash) flash=1 ;;
        *) echo "mcu.sh: unknown argument '$arg' (see the top of $0)" >&2; exit 2 ;;
    esac
done

# ---- install -------------------------------------------------------------------------------
if ! rustup target add thumbv7em-none-eabihf thumbv6m-none-eabi >/dev/null 2>&1; then
    echo "mcu.sh: rustup could not add the thumbv7em-none-eabihf and thumbv6m-none-eabi targets" >&2
    echo "mcu: 0 passed, 1 failed"
    exit 1
fi
if ! command -v qemu-system-arm >/dev/null; then
    echo "mcu.sh: installing qemu-system-arm from Debian"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends qemu-system-arm; } >/dev/null; then
        echo "mcu.sh: could not install qemu-system-arm (apt-get failed)" >&2
        echo "mcu: 0 passed, 1 failed"
        exit 1
    fi
fi
echo "mcu.sh: $(qemu-system-arm --version | head -n 1)"
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }

# ---- steps ---------------------------------------------------------------------------------
passed=0
failed=0
failures=()
step() {
    local name="$1"
    shift
    echo
    echo "--- $name"
    local t0=$SECONDS
    if "$@"; then
        echo "--- $name: ok ($((SECONDS - t0)) s)"
        passed=$((passed + 1))
    else
        echo "--- $name: FAILED ($((SECONDS - t0)) s)"
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT

# One firmware on one target; its output is kept for the checksum comparison.
firmware() {
    local target="$1" test="$2"
    (cd mcu && cargo test --release --target "$target" --test "$test") 2>&1 |
        tee "$reports/$test-$target.txt"
    return "${PIPESTATUS[0]}"
}

for target in thumbv7em-none-eabihf thumbv6m-none-eabi; do
    for test in hello verify digits; do
        step "$test firmware on $target" firmware "$target" "$test"
    done
done

# The host runs the suite twice: with the M4F firmware's full sweep, and with the sparser sweep
# of the soft-float firmware (mcu/src/suite.rs, STRIDE_SOFT_FLOAT), so each report has a host
# counterpart over the same inputs.
host() {
    local manifest=tools/mcu/host/Cargo.toml
    cargo run --release --manifest-path "$manifest" 2>&1 | tee "$reports/host.txt"
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    cargo run --release --manifest-path "$manifest" -- --soft-float 2>&1 |
        tee "$reports/host-soft-float.txt"
    return "${PIPESTATUS[0]}"
}
step "verify and digits suites on the host" host

compare() {
    local t
    for t in thumbv7em-none-eabihf thumbv6m-none-eabi; do
        cat "$reports/verify-$t.txt" "$reports/digits-$t.txt" >"$reports/mcu-$t.txt"
    done
    python3 tools/mcu/compare.py --strict "$reports/host.txt" \
        "$reports/mcu-thumbv7em-none-eabihf.txt" || return 1
    python3 tools/mcu/compare.py --strict "$reports/host-soft-float.txt" \
        "$reports/mcu-thumbv6m-none-eabi.txt"
}
step "MCU results bit-identical to the host build" compare

step "instruction counts within 10 % of tools/mcu/counts.md" \
    python3 tools/mcu/count.py --check tools/mcu/counts.md

if [ "$flash" = 1 ]; then
    step "flash cost per kernel under 1 KiB at opt-level s" python3 tools/mcu/flash.py
fi

echo
if [ "$failed" -gt 0 ]; then
    printf 'mcu.sh: failed: %s\n' "${failures[@]}"
fi
echo "mcu: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

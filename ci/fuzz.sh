#!/usr/bin/env bash
# Run every cargo-fuzz target in fuzz/ for a short bounded time (issue 6).
#
#   ci/fuzz.sh                  # every target, FUZZ_SECONDS (default 20) seconds each
#   FUZZ_SECONDS=300 ci/fuzz.sh slice_tanh softmax_row   # chosen targets, longer
#
# Needs a nightly toolchain (cargo-fuzz builds with sanitizer flags only nightly accepts); if
# there is none, it says so plainly and exits 0. cargo-fuzz itself is installed from crates.io
# when missing. Targets run one at a time on one core, with AddressSanitizer (so a read or
# write outside a slice fails too, SPEC.md section 6) and the dictionary of special values.
# Built optimised with debug assertions and overflow checks (-O -a): SPEC.md says nothing
# panics in any build profile, and the debug profile checks integer overflow.
# New inputs go to a temporary directory: the committed seed corpora stay as they are.
#
# Exit status: 0 when every target ran clean (or fuzzing was skipped), 1 when a target found
# a failure or did not build. A failing input is saved under fuzz/artifacts/<target>/, and the
# message printed says how to replay it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SECONDS:-20}"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: SKIPPED fuzzing: no nightly toolchain ('cargo +nightly' does not run)."
    echo "  cargo-fuzz needs nightly: rustup toolchain install nightly, then rerun ci/fuzz.sh."
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing; installing it from crates.io"
    if ! cargo install cargo-fuzz --locked; then
        echo "fuzz.sh: SKIPPED fuzzing: 'cargo install cargo-fuzz' failed (see above)."
        exit 0
    fi
fi

cd "$root/fuzz"
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fuzz.sh: building ${#targets[@]} targets ($(cargo +nightly fuzz --version))"
if ! cargo +nightly fuzz build -O -a >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "fuzz.sh: FAILED: the fuzz targets do not build (see above)" >&2
    exit 1
fi

failed=()
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    log="$work/$t.log"
    if cargo +nightly fuzz run -O -a "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -dict=activations.dict -print_final_stats=1 \
        >"$log" 2>&1; then
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
        # libFuzzer's last status line: coverage (cov, ft) and corpus size (corp: files/bytes).
        last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+' || true)"
        echo "fuzz.sh: $t: clean, ${runs:-?} inputs in ${seconds}s; ${last:-no status line}"
    else
        tail -n 40 "$log" >&2
        echo "fuzz.sh: FAILED: $t found a contract violation (above); replay the saved input" >&2
        echo "  with: cd fuzz && cargo +nightly fuzz run -O -a $t artifacts/$t/<file>" >&2
        failed+=("$t")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: FAILED targets: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets clean (${seconds}s each)"

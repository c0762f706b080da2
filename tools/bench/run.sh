#!/usr/bin/env bash
# Runs the issue-4 benchmarks on both builds and writes the reports, from the repo root:
#
#   bash tools/bench/run.sh                       # timings + sampled accuracy
#   CHECKER=check.txt bash tools/bench/run.sh     # also the exhaustive checker's column
#                                                 # (check.txt: output of examples/check)
#
# Outputs in $OUT (default target/bench-run): the criterion output of both suites per build,
# bench_report's tables (report-default.md, report-native.md), the combined targets table
# (targets.md, by tools/bench/targets.py), and load.txt (uptime every minute: the machine is
# shared, so say how loaded it was). The charts go to docs/benchmarks-{default,native}.svg.
# Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-target/bench-run}
mkdir -p "$OUT"
(while true; do date -u; uptime; sleep 60; done) > "$OUT/load.txt" 2>&1 &
MON=$!
trap 'kill $MON' EXIT
git rev-parse HEAD > "$OUT/commit.txt"
git status --short >> "$OUT/commit.txt"

build() {
    local name="$1"
    shift
    env "$@" cargo bench --bench activations > "$OUT/$name-activations.txt"
    env "$@" cargo bench --bench fast_designs > "$OUT/$name-fast_designs.txt"
    local checker=()
    if [ "$name" = default ] && [ -n "${CHECKER:-}" ]; then
        checker=(--checker "$CHECKER")
    fi
    env "$@" cargo run --release --example bench_report -- "${checker[@]}" \
        --svg "docs/benchmarks-$name.svg" > "$OUT/report-$name.md"
}
build default CARGO_TARGET_DIR=target/bench-default
build native CARGO_TARGET_DIR=target/bench-native RUSTFLAGS="-C target-cpu=native"
python3 tools/bench/targets.py "$OUT/report-default.md" "$OUT/report-native.md" > "$OUT/targets.md"
cat "$OUT/targets.md"

#!/usr/bin/env bash
# No-panic proof (issue 6): build the canary firmware in canary/ for thumbv7em-none-eabihf with
# --release and fat LTO. Its panic handler calls a function that exists nowhere, so the link
# succeeds only if the optimizer removed every panic path from every public function of the
# library. Then build it once more with a deliberate panic path (feature `must-fail`) and expect
# that link to fail, so a canary that can no longer fail is caught too.
#
#   ci/canary.sh                    # the proof for release builds (what .ci/run runs)
#   ci/canary.sh --overflow-checks  # also with integer overflow checks on, as in debug builds
#
# Exit status: 0 when every requested proof holds, 1 when one fails, 2 when the toolchain is
# missing. On a failure it points at the source lines that still call a panic function, when
# llvm-objdump is available (rustup component add llvm-tools).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target=thumbv7em-none-eabihf
symbol=canary_panic_path_survived
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/canary/target}"

profiles=(release)
for arg in "$@"; do
    case "$arg" in
        --overflow-checks) profiles+=(overflow-checks) ;;
        *) echo "canary.sh: unknown argument '$arg' (see the top of $0)" >&2; exit 2 ;;
    esac
done

if ! command -v rustup >/dev/null; then
    echo "canary.sh: rustup not found; it is needed to add the $target target" >&2
    exit 2
fi
if ! rustup target list --installed | grep -qx "$target"; then
    echo "canary.sh: adding the $target target"
    rustup target add "$target" >/dev/null || { echo "canary.sh: rustup target add failed" >&2; exit 2; }
fi

cd "$root/canary"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Print the source lines around each call to a core::panicking function left in the image.
explain() {
    local profile="$1" objdump
    objdump="$(find "$(rustc --print sysroot)" -name llvm-objdump -type f 2>/dev/null | head -n1)"
    if [ -z "$objdump" ]; then
        echo "canary.sh: to see where, run 'rustup component add llvm-tools' and rerun" >&2
        return
    fi
    echo "canary.sh: rebuilding with line tables to show where the panic paths are..." >&2
    local var
    var="CARGO_PROFILE_$(echo "${profile//-/_}" | tr '[:lower:]' '[:upper:]')_DEBUG"
    env "$var=line-tables-only" RUSTFLAGS="-C link-arg=--unresolved-symbols=ignore-all" \
        cargo build --quiet --profile "$profile" --target "$target" 2>/dev/null || return
    "$objdump" -d -l --demangle "$CARGO_TARGET_DIR/$target/$profile/simd-activations-canary" \
        | awk '/^[0-9a-f]+ </ { where = "?"; ours = "?" }
               /^; \// { where = $2; if ($2 !~ /^\/rustc\//) ours = $2 }
               /bl\t.*core::panicking/ { print "  panic call near " ours " (last line: " where ")" }' \
        | sort | uniq -c >&2
}

status=0
for profile in "${profiles[@]}"; do
    flag=(--profile "$profile")
    if cargo build "${flag[@]}" --target "$target" >"$log" 2>&1; then
        echo "canary.sh: OK: the $profile canary links, so no panic path survives ($target, fat LTO)"
    elif grep -q "undefined symbol: $symbol" "$log"; then
        echo "canary.sh: FAILED: a panic path survives in the $profile build ($target):" >&2
        echo "  the panic handler is still referenced, so some public function can panic." >&2
        explain "$profile"
        status=1
    else
        cat "$log" >&2
        echo "canary.sh: FAILED: the $profile canary did not build (see above)" >&2
        status=1
    fi
done

# Self-test: with a deliberate panic path the link must fail, on the undefined symbol.
if cargo build --release --features must-fail --target "$target" >"$log" 2>&1; then
    echo "canary.sh: FAILED: the canary linked despite a deliberate panic path;" >&2
    echo "  it can no longer detect panics (check the panic handler and the LTO settings)." >&2
    status=1
elif grep -q "undefined symbol: $symbol" "$log"; then
    echo "canary.sh: OK: with a deliberate panic path the link fails, as it must"
else
    cat "$log" >&2
    echo "canary.sh: FAILED: the must-fail canary broke for another reason (see above)" >&2
    status=1
fi
exit "$status"

#!/usr/bin/env bash
# Run every coefficient fit of this folder and print, for each, the coefficients as Rust
# f32 literals and the error figures. See README.md. Progress goes to stderr.
#
#   tools/fit/run.sh > tools/fit/results.txt     # ~4 CPU minutes on one core
#   POINTS=100000 tools/fit/run.sh               # a quicker, coarser rational check
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v sollya > /dev/null; then
    echo "run.sh: sollya is not installed;" \
         "on Debian: apt-get install --no-install-recommends sollya" >&2
    exit 1
fi
if ! python3 -c "import mpmath" 2> /dev/null; then
    echo "run.sh: mpmath is missing; install it with: pip install -r tools/fit/requirements.txt" >&2
    exit 1
fi

POINTS=${POINTS:-1000000}

echo "# simd-activations coefficient fits (tools/fit/run.sh)"
SOLLYA_VERSION=$(sollya --help 2>&1 | grep -o 'sollya [0-9][0-9.]*' | head -n 1 || true)
MPMATH_VERSION=$(python3 -c 'import mpmath; print(mpmath.__version__)')
echo "# ${SOLLYA_VERSION:-sollya (version unknown)}, mpmath $MPMATH_VERSION," \
     "rational grid: $POINTS points"
{
    for script in exp_precise exp_fast tanh_precise; do
        echo "run.sh: sollya $script.sollya" >&2
        sollya "$script.sollya" < /dev/null
    done
    echo "run.sh: rational_tanh.py" >&2
    python3 rational_tanh.py --survey --points "$POINTS"
} | python3 format.py

#!/usr/bin/env bash
# The long run of the Python module's property tests (python/tests/test_args.py,
# python3-hypothesis): every property with EXAMPLES examples (default 20000; the
# meson test `python` runs the same 150 each time), drawn from SEED (default: the
# time; printed, so that a finding can be replayed), against a configured build.
#   tools/fuzz-python.sh [BUILD_DIR] [EXAMPLES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
examples=${2:-20000}
seed=${3:-$(date +%s)}
echo "fuzz-python: $examples examples per property, seed $seed" >&2
[ -d "$build/python/wcs" ] || { echo "fuzz-python: BUILD_DIR: '$build' has no Python module (tools/setup.sh $build && meson compile -C $build)" >&2; exit 2; }
PYTHONPATH="$build/python" PYTHONDONTWRITEBYTECODE=1 WCS_EXE="$build/wcs" WCS_HYPOTHESIS_EXAMPLES="$examples" \
  /usr/bin/python3 -m pytest -p no:cacheprovider -q -k test_any_ --hypothesis-seed="$seed" python/tests/test_args.py

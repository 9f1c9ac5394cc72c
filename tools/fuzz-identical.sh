#!/usr/bin/env bash
# Runs the differential test of the identical family (tests/test_identical.cpp) for as
# long as asked, from another seed: every identical strategy against reference on
# boundary problems, cycle by cycle, to the bit. Any difference is printed with the
# `wcs solve` command line that reproduces it; exit status 1 when one was found.
#   tools/fuzz-identical.sh [--seconds S] [--seed X] [--strategies a,b] [--build DIR]
# Defaults: 60 seconds, a seed from the clock (printed, so a run can be repeated),
# every identical strategy, the release build in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60 seed="" strategies="" build=build
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --strategies) strategies=${2:?--strategies needs a value}; shift 2 ;;
    --build) build=${2:?--build needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fuzz-identical: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz-identical: --seconds: '$seconds' is not a whole number" >&2; exit 2; }
[ -z "$seed" ] && seed=$(date +%s)
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "fuzz-identical: --seed: '$seed' is not a whole number" >&2; exit 2; }
if [ ! -x "$build/tests/test_identical" ]; then
  tools/setup.sh "$build"
  meson compile -C "$build" >/dev/null
fi
echo "fuzz-identical: seed $seed, $seconds s" >&2
WCS_TEST_PLUGIN_DIR="$build/strategies" WCS_DIFF_SEED="$seed" WCS_DIFF_SECONDS="$seconds" WCS_DIFF_COUNT=1 \
  WCS_DIFF_STRATEGIES="$strategies" \
  "$build/tests/test_identical" "[differential]"

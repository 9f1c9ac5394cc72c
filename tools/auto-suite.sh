#!/usr/bin/env bash
# Regenerates the rule of `auto` and the results it is judged by, in one go:
#   1. experiments/auto-fit.yaml and experiments/auto-heldout.yaml from their seeds
#      (tools/make-auto-suites.py; the same seeds give the same files);
#   2. every run of the fit suite: the portfolio, and auto with its current rule
#      -> results/auto-fit;
#   3. the rule fitted from those runs (tools/fit-auto.py, its leaf size and depth
#      cross-validated on the fit suite) -> strategies/auto/fitted_rule.hpp;
#   4. a rebuild, and auto's runs of the fit suite again with the new rule (its
#      identity changed: `--resume` runs exactly those);
#   5. every run of the held-out suite, which the fit never saw -> results/auto-heldout;
#   6. auto's own cost on small problems (wcs-bench --choice) -> results/auto-heldout/own-cost.txt;
#   7. the tables of both folders (wcs report: virtual_best.csv is the goal), the
#      checks of tools/check-auto.py (auto-goals.md in each) and the README's table
#      (tools/auto-readme.py).
# About 20 minutes on an idle 2-core machine; timings decide the rule and the goal,
# so run it on an idle one.
#   tools/auto-suite.sh [BUILD_DIR]
#   tools/auto-suite.sh --own-cost [BUILD_DIR]   # step 6 alone (and the README's table), e.g. after a change to auto's code
set -euo pipefail
cd "$(dirname "$0")/.."
only_cost=0
if [ "${1:-}" = "--own-cost" ]; then only_cost=1; shift; fi
build="${1:-build}"
python=/usr/bin/python3   # Debian's, with python3-numpy (tools/setup.sh)
tools/setup.sh "$build"
meson compile -C "$build" >/dev/null
# Exit status 1: some runs failed, which dp's refusals of decimal problems are (the
# records say so); anything else stops here.
run() { "$build/wcs" run "$@" || [ $? -eq 1 ]; }
# auto's own cost (wcs-bench --choice), with the commit it was measured at.
own_cost() {
  local commit
  commit="$(git rev-parse HEAD)$(git diff --quiet HEAD -- || echo -dirty)"  # before the file is rewritten
  { echo "commit: $commit"
    "$build/wcs-bench" --strategies=auto --n=2,3,4,6,8,12 --problems=integer,decimal --tolerance=1000 --cycles=10 \
      --choice --benchmark_min_time=0.5 --benchmark_repetitions=5; } > "$1" 2>&1
}
if [ "$only_cost" = 1 ]; then  # only that, into the committed folder, and the README's table
  own_cost results/auto-heldout/own-cost.txt
  $python tools/auto-readme.py
  tail -1 results/auto-heldout/own-cost.txt
  exit 0
fi
$python tools/make-auto-suites.py
fit=results/auto-fit.partial held=results/auto-heldout.partial
rm -rf "$fit" "$held"
run experiments/auto-fit.yaml --out "$fit"
$python tools/fit-auto.py "$fit" --overhead-us 0.1
meson compile -C "$build" >/dev/null
run experiments/auto-fit.yaml --out "$fit" --resume
run experiments/auto-heldout.yaml --out "$held"
own_cost "$held/own-cost.txt"
status=0
for folder in "$fit" "$held"; do
  "$build/wcs" report "$folder"
  $python tools/check-auto.py "$folder" > "$folder/auto-goals.md" || status=$?
  "$build/wcs" pack "$folder"
done
rm -rf results/auto-fit results/auto-heldout
mv "$fit" results/auto-fit
mv "$held" results/auto-heldout
$python tools/auto-readme.py
cat results/auto-heldout/auto-goals.md
echo "auto-suite: results/auto-fit, results/auto-heldout, strategies/auto/fitted_rule.hpp, README.md" >&2
exit $status

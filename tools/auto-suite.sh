#!/usr/bin/env bash
# Regenerates results/auto-suite/ and the rule of `auto` (issue 13) in one go:
#   1. every run of experiments/auto-suite.yaml: the portfolio, and auto with its current rule;
#   2. which problems the original's default converges on (tools/original-default.py) ->
#      experiments/auto-suite.original.json; with ORIGINAL=<git directory of a clone of
#      JosueAmaral15/binary-search> in the environment it also runs the original itself
#      (pure Python, up to N = 16, a few hours of 2 cores) and checks its mirror against it;
#   3. the rule fitted from those runs (tools/fit-auto.py) -> strategies/auto/fitted_rule.hpp;
#   4. a rebuild, and auto's runs again with the new rule;
#   5. the tables (wcs report) and the goals (tools/check-auto.py) ->
#      results/auto-suite/auto-goals.md, printed too.
# About 12 minutes on an idle 2-core machine (hours with ORIGINAL set); timings decide
# the rule, so run it on an idle one.
#   tools/auto-suite.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
out=results/auto-suite.partial
python=/usr/bin/python3   # Debian's, with python3-numpy (tools/setup.sh)
tools/setup.sh "$build"
meson compile -C "$build" >/dev/null
rm -rf "$out" && mkdir -p "$out"
# Exit status 1: some runs failed, which dp's refusals of decimal problems are (the
# records say so); anything else stops here.
run() { "$build/wcs" run experiments/auto-suite.yaml --out "$out" "$@" || [ $? -eq 1 ]; }
run
$python tools/original-default.py "$out" --out experiments/auto-suite.original.json \
  ${ORIGINAL:+--original "$ORIGINAL" --run-max-n 16}
$python tools/fit-auto.py "$out" --original experiments/auto-suite.original.json
meson compile -C "$build" >/dev/null
# auto's records again, with the rule just fitted: drop them and resume the run.
$python - "$out" <<'EOF'
import glob, json, os, sys
for path in glob.glob(os.path.join(sys.argv[1], "runs", "*.json")):
    with open(path) as f:
        if json.load(f).get("wcs", {}).get("strategy") == "auto":
            os.remove(path)
EOF
run --resume
"$build/wcs" report "$out"
status=0
$python tools/check-auto.py "$out" --original experiments/auto-suite.original.json > "$out/auto-goals.md" || status=$?
cat "$out/auto-goals.md"
rm -rf results/auto-suite && mv "$out" results/auto-suite
echo "auto-suite: results/auto-suite, strategies/auto/fitted_rule.hpp, experiments/auto-suite.original.json" >&2
exit $status

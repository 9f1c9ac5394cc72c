#!/usr/bin/env bash
# The main job: sets everything up, builds, runs experiments/quick.yaml (every
# strategy on small problems, under a minute) and writes its tables and plots to
# results/quick/ (or the folder given).
#   tools/quick.sh [RESULTS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-results/quick}"
tools/setup.sh build
meson compile -C build >/dev/null
build/wcs run experiments/quick.yaml --out "$out"
start=$(date +%s%N)
build/wcs report "$out"
/usr/bin/python3 tools/plot.py "$out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "quick: tables in $out/tables/report.md, plots in $out/plots/ (report and plots in $((ms / 1000)).$(printf %03d $((ms % 1000))) s)" >&2

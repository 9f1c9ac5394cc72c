#!/usr/bin/env bash
# Regenerates everything under results/: the kernel table, then every experiment
# in experiments/ (records, tables, plots). Hours of machine time on 2 cores for
# the whole set; name experiments to run only those.
#   tools/regenerate-results.sh [EXPERIMENT...]     e.g. quick seed-suite
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
meson compile -C build >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  tools/bench-kernels.sh build
  names=(quick seed-suite seed-scales seed-phases scaling accuracy)
fi
for name in "${names[@]}"; do
  start=$(date +%s)
  rm -rf "results/$name.partial" && mkdir -p "results/$name.partial"
  build/wcs run "experiments/$name.yaml" --out "results/$name.partial"
  build/wcs report "results/$name.partial"
  /usr/bin/python3 tools/plot.py "results/$name.partial"
  rm -rf "results/$name" && mv "results/$name.partial" "results/$name"
  echo "regenerate: $name in $(( $(date +%s) - start )) s" >&2
done

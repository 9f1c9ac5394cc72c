#!/usr/bin/env bash
# Regenerates everything under results/: every experiment in experiments/ (records,
# tables, plots), then the kernel table. Hours of machine time on 2 cores for the
# whole set; name experiments to run only those.
#   tools/regenerate-results.sh [--allow-dirty] [EXPERIMENT...]     e.g. quick seed-suite
#
# Every record names the commit the program was built from, marked "-dirty" when the
# tree had uncommitted changes, so this refuses a tree with changes to tracked files
# unless --allow-dirty is given. Each experiment is written to
# results/NAME.partial (untracked) and all of them are moved into place only at the
# end, so no record of this run sees a tree changed by an earlier experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
allow_dirty=0
if [ "${1:-}" = "--allow-dirty" ]; then allow_dirty=1; shift; fi
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null || echo "not a git checkout")
if [ -n "$dirty" ] && [ "$allow_dirty" = 0 ]; then
  echo "regenerate: the checkout has uncommitted changes, so every record would say wcs_git_dirty: true;" >&2
  echo "regenerate: commit or stash them first (or pass --allow-dirty):" >&2
  echo "$dirty" | head -20 | sed 's/^/  /' >&2
  exit 1
fi
tools/setup.sh build
meson compile -C build >/dev/null
names=("$@")
all=0
if [ ${#names[@]} -eq 0 ]; then
  all=1
  names=(quick seed-suite seed-scales seed-phases scaling accuracy)
fi
for name in "${names[@]}"; do
  [ -f "experiments/$name.yaml" ] || { echo "regenerate: EXPERIMENT: no experiments/$name.yaml" >&2; exit 2; }
done
for name in "${names[@]}"; do
  start=$(date +%s)
  rm -rf "results/$name.partial" && mkdir -p "results/$name.partial"
  build/wcs run "experiments/$name.yaml" --out "results/$name.partial"
  # tables/: report.md, report.html (the page to explore, linked from the README) and the CSV files.
  build/wcs report "results/$name.partial"
  /usr/bin/python3 tools/plot.py "results/$name.partial"
  # One file of records instead of thousands (report, merge, compare and the Python
  # loader read it as they read runs/).
  build/wcs pack "results/$name.partial"
  echo "regenerate: $name in $(( $(date +%s) - start )) s" >&2
done
for name in "${names[@]}"; do
  rm -rf "results/$name" && mv "results/$name.partial" "results/$name"
done
# Google Benchmark's records of wcs-bench carry no git state; last, so that the
# experiments above ran on the unchanged tree.
if [ "$all" = 1 ]; then tools/bench-kernels.sh build; fi

#!/usr/bin/env bash
# Regenerates everything under results/: every experiment in experiments/ (records,
# tables, plots), then the kernel table. Hours of machine time on 2 cores for the
# whole set; name experiments to run only those.
#   tools/regenerate-results.sh [--allow-dirty] [--report-only] [EXPERIMENT...]   e.g. quick seed-suite
#
# --report-only runs nothing: it rebuilds the tables, the page and the plots of the
# named (or every) committed folder from the records it already holds (packing them
# if they are loose files), with the current `wcs report`; the records keep the
# commit and machine they ran on.
#
# Every record names the commit the program was built from, marked "-dirty" when the
# tree had uncommitted changes, so this refuses a tree with changes to tracked files
# unless --allow-dirty is given. Each experiment is written to
# results/NAME.partial (untracked) and all of them are moved into place only at the
# end, so no record of this run sees a tree changed by an earlier experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
allow_dirty=0 report_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --allow-dirty) allow_dirty=1; shift ;;
    --report-only) report_only=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "regenerate: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
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
  names=(quick seed-suite seed-scales seed-phases scaling accuracy exact-vs-milp)
  if [ "$report_only" = 1 ]; then  # every committed folder of records
    names=()
    for f in results/*/experiment.json; do [ -f "$f" ] && names+=("$(basename "$(dirname "$f")")"); done
  fi
fi
for name in "${names[@]}"; do
  [ "$report_only" = 1 ] || [ -f "experiments/$name.yaml" ] || { echo "regenerate: EXPERIMENT: no experiments/$name.yaml" >&2; exit 2; }
done
for name in "${names[@]}"; do
  start=$(date +%s)
  rm -rf "results/$name.partial"
  if [ "$report_only" = 1 ]; then
    [ -f "results/$name/experiment.json" ] || { echo "regenerate: results/$name holds no records to report" >&2; exit 2; }
    cp -a "results/$name" "results/$name.partial"
  else
    mkdir -p "results/$name.partial"
    # Exit status 1: some runs failed (dp's refusals of decimal data are such runs); their
    # records say so and the report lists them. Anything else stops here.
    build/wcs run "experiments/$name.yaml" --out "results/$name.partial" || [ $? -eq 1 ]
  fi
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
if [ "$all" = 1 ] && [ "$report_only" = 0 ]; then tools/bench-kernels.sh build; fi

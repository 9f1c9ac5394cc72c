#!/usr/bin/env bash
# Installs the Debian packages the project needs (idempotent, quiet when all are
# there) and configures the release build in ./build (or the directory given).
#   tools/setup.sh [BUILD_DIR] [-- extra meson setup options]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ meson ninja-build pkg-config
  libbenchmark-dev       # Google Benchmark: timing of runs and kernels
  libyaml-cpp-dev        # experiment files
  catch2                 # tests (v2)
  libhwy-dev             # Highway SIMD kernels
  libxsimd-dev           # xsimd SIMD kernels
  nlohmann-json3-dev     # JSON output and run records
  libcli11-dev           # command-line parsing
  libfmt-dev             # formatting of numbers and tables
  zlib1g-dev             # packs of run records (runs.jsonl.gz)
  coinor-libcbc-dev      # COIN-OR CBC, the mixed-integer solver of the milp strategy
  python3-matplotlib     # plots in tools/plot.py
  pybind11-dev python3-pybind11 python3-dev  # the Python module (python/)
  python3-numpy python3-pandas python3-pytest  # its arrays, the drop-in's truth tables, its tests; the original mirrored (tools/original-default.py)
  python3-hypothesis     # property tests of the Python module's argument conversion (python/tests/test_args.py)
  parallel               # GNU parallel: shards of a sweep on one machine (README)
  clang-14 libclang-rt-14-dev  # libFuzzer targets of tests/fuzz (tools/fuzz.sh)
  libbenchmark-tools     # Google Benchmark's compare.py (/usr/share/benchmark), for two benchmarks.json
  libjs-chart.js         # Chart.js, inlined into the HTML pages of wcs report and wcs compare --html
  chromium chromium-driver python3-selenium  # the browser test of those pages (tests/browser)
  clang-format-14 clang-tidy-14 shellcheck  # the house style and the checks of tools/lint.sh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build="${1:-build}"; shift || true
[ "${1:-}" = "--" ] && shift
# meson's own output only when it fails (the release build type is the project default).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ -f "$build/build.ninja" ]; then
  if [ $# -gt 0 ] && ! meson configure "$build" "$@" >"$log" 2>&1; then cat "$log" >&2; exit 1; fi
else
  if ! meson setup "$build" "$@" >"$log" 2>&1; then cat "$log" >&2; exit 1; fi
fi

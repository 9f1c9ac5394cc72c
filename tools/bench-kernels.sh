#!/usr/bin/env bash
# Regenerates results/kernels/: one cycle per strategy at N = 10 .. 50 (a target no
# line reaches, so no early convergence), a 50-cycle solve at N = 20, and the
# ties-and-threads run (the SIMD and table strategies on decimal and integer
# problems, parallel against two solves at once), all timed by wcs-bench (Google
# Benchmark) so each ratio comes from one run; then the kernel functions alone, per
# line and per instruction set (tests/kernels/kernels_bench, issue 23), and their
# instruction counts under callgrind (tools/kernels_counts.py, when valgrind is
# installed). Takes about twenty minutes on a 2-core machine; run it on an otherwise
# idle machine. --kernels-only runs the last two alone (a few minutes) and remakes the
# README from them and the JSON files already there.
#   tools/bench-kernels.sh [BUILD_DIR] [--kernels-only]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
kernels_only=0
for arg in "$@"; do
  case "$arg" in
    --kernels-only) kernels_only=1 ;;
    -*) echo "bench-kernels: unknown option '$arg' (usage: tools/bench-kernels.sh [BUILD_DIR] [--kernels-only])" >&2
        exit 2 ;;
    *) build="$arg" ;;
  esac
done
out=results/kernels
mkdir -p "$out"
# Everything: wcs-bench loads the strategy plugins at run time, so building it alone
# would time whatever plugins an earlier build left.
meson compile -C "$build" >&2
bench() {  # bench NAME ARGS...: Google Benchmark JSON to $out/NAME.json (atomically)
  local name=$1; shift
  "$build/wcs-bench" --benchmark_repetitions=3 --benchmark_min_time=0.2 "$@" \
    --benchmark_out="$out/$name.json.partial" --benchmark_out_format=json >&2
  mv "$out/$name.json.partial" "$out/$name.json"
}
if [ "$kernels_only" = 0 ]; then
  all=reference,lazy,early-stop,fused,gray,simd-xsimd,simd-highway,'parallel[threads=1]','parallel[threads=2]',mitm
  fast=gray,simd-xsimd,simd-highway,'parallel[threads=1]','parallel[threads=2]',mitm
  bench one-cycle --strategies="$all" --n=10,16,20,24
  bench one-cycle-large --strategies="$fast" --n=28,32
  bench one-cycle-mitm --strategies=mitm --n=40,50
  bench fifty-cycles --strategies="reference,fused,gray,simd-xsimd,simd-highway,parallel,mitm" --n=20 --cycles=50 \
    --problems=default,decimal
  # The four-list walk at its largest (one solve: a minute or two), in a process of its own so
  # that the peak memory counter is this run's.
  bench mitm-large --strategies=mitm --n=60 --benchmark_repetitions=1 --benchmark_min_time=0.000001
  bench ties-and-threads --strategies=gray,simd-xsimd,simd-highway,'simd-highway*2','parallel[threads=1]','parallel[threads=2]' \
    --n=24,27 --problems=default,decimal,integer
  # dp (issue 13): one cycle against N and against the span (coefficients up to M = 9 .. 9999),
  # and the original's benchmark (1..N, target 637 at N = 50).
  bench dp --strategies=dp --n=50,100,200,500,1000 --problems=range,integer-9,integer,integer-999,integer-9999
fi
# Issue 23: per line on one core, every instruction set this CPU runs; interleaved
# repetitions, so that a ratio does not hang on when each benchmark ran.
"$build/tests/kernels/kernels_bench" --benchmark_repetitions=5 --benchmark_min_time=0.2 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$out/kernels-per-line.json.partial" --benchmark_out_format=json >&2
mv "$out/kernels-per-line.json.partial" "$out/kernels-per-line.json"
if command -v valgrind >/dev/null 2>&1; then
  python3 tools/kernels_counts.py "$build" --out="$out/counts.md"
else
  echo "bench-kernels: valgrind is not installed: $out/counts.md not remade" >&2
fi
python3 tools/kernels_table.py "$out/README.md" "$out/one-cycle.json" "$out/one-cycle-large.json" \
  "$out/one-cycle-mitm.json" "$out/fifty-cycles.json" "$out/mitm-large.json" "$out/ties-and-threads.json" "$out/dp.json" \
  "$out/kernels-per-line.json"
echo "bench-kernels: $out/README.md" >&2

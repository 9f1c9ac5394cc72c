#!/usr/bin/env bash
# Regenerates results/kernels/: one cycle per strategy at N = 10 .. 50 (a target no
# line reaches, so no early convergence), a 50-cycle solve at N = 20, and the
# ties-and-threads run (the SIMD and table strategies on decimal and integer
# problems, parallel against two solves at once), all timed by wcs-bench (Google
# Benchmark) so each ratio comes from one run. Takes about fifteen minutes on a
# 2-core machine; run it on an otherwise idle machine.
#   tools/bench-kernels.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
out=results/kernels
mkdir -p "$out"
bench() {  # bench NAME ARGS...: Google Benchmark JSON to $out/NAME.json (atomically)
  local name=$1; shift
  "$build/wcs-bench" --benchmark_repetitions=3 --benchmark_min_time=0.2 "$@" \
    --benchmark_out="$out/$name.json.partial" --benchmark_out_format=json >&2
  mv "$out/$name.json.partial" "$out/$name.json"
}
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
python3 tools/kernels_table.py "$out/README.md" "$out/one-cycle.json" "$out/one-cycle-large.json" \
  "$out/one-cycle-mitm.json" "$out/fifty-cycles.json" "$out/mitm-large.json" "$out/ties-and-threads.json" "$out/dp.json"
echo "bench-kernels: $out/README.md" >&2

#!/usr/bin/env bash
# Runs one libFuzzer target: first every input of its seed corpus once (the
# regressions of earlier findings live there), then fuzzing for WCS_FUZZ_SECONDS
# (default 60) from that corpus and its working corpus. Ends with the line
# "wcs-test: P passed, F failed" that tools/count_tests.py counts.
#   run_fuzzer.sh BINARY NAME SEED_CORPUS DICTIONARY WORK_DIR
set -uo pipefail
bin=$1 name=$2 seeds=$3 dict=$4 work=$5
seconds=${WCS_FUZZ_SECONDS:-60}
mkdir -p "$work/corpus" "$work/artifacts"
# A finding (crash, leak, time-out, memory) stops the run and is kept in artifacts/.
opts=(-dict="$dict" -artifact_prefix="$work/artifacts/" -timeout=60 -rss_limit_mb=4096 -max_len=4096
      -print_final_stats=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
passed=0 failed=0
if "$bin" "${opts[@]}" -runs=0 "$seeds" >"$work/replay.log" 2>&1; then
  passed=$((passed + 1))
  echo "fuzz $name: $(find "$seeds" -type f | wc -l) seed inputs replayed, no finding"
else
  failed=$((failed + 1))
  echo "fuzz $name: replaying the seed corpus failed:"; tail -n 40 "$work/replay.log"
fi
if "$bin" "${opts[@]}" -max_total_time="$seconds" "$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1; then
  passed=$((passed + 1))
  result="no finding"
else
  failed=$((failed + 1))
  result="FINDING (inputs in $work/artifacts/):"
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
echo "fuzz $name: ${runs:-?} executions in ${seconds} s, corpus $(find "$work/corpus" -type f | wc -l) inputs, $result"
[ "$result" = "no finding" ] || tail -n 60 "$work/fuzz.log"
echo "wcs-test: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang in build-fuzz/ (AddressSanitizer
# and UndefinedBehaviorSanitizer, every object instrumented for coverage) and runs them.
#   tools/fuzz.sh [SECONDS] [plan|solve_args|record|identical ...]   fuzz each target SECONDS (default 600), one after the other
#   tools/fuzz.sh --test            the meson test suite `fuzz` (60 s each, two at a time; tools/test.sh)
# Each run keeps its growing corpus in build-fuzz/tests/fuzz/work-<target>/corpus and
# a finding in .../artifacts/; copy a finding into tests/fuzz/corpus/<target>/ (the
# seed corpus, replayed by every run) once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
cxx=$(command -v clang++-14 || command -v clang++ || true)
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cxx" ]; then
  echo "fuzz: clang is not installed (tools/setup.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 1
fi
# The identical strategies (and sampling, identical below its threshold) for the
# target `identical`, which checks them against reference.
strategies=(reference lazy fused gray simd-xsimd simd-highway parallel mitm dp sampling)
CXX=$cxx CC=$cc tools/setup.sh build-fuzz -- -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debugoptimized -Dcpp_args=-fsanitize=fuzzer-no-link "-Donly_strategies=$(IFS=,; echo "${strategies[*]}")"
# Quiet when it builds; ninja prints compile errors on standard output, so show them.
if ! build_log=$(meson compile -C build-fuzz fuzz_plan fuzz_solve_args fuzz_record fuzz_identical "${strategies[@]/#/wcs-strategy-}" 2>&1); then
  echo "$build_log" | grep -E -A5 'error|FAILED' | head -n 40 >&2
  echo "fuzz: the fuzz build failed (build-fuzz/)" >&2
  exit 1
fi
if [ "${1:-}" = "--test" ]; then
  exec env WCS_FUZZ_SECONDS="${WCS_FUZZ_SECONDS:-60}" meson test -C build-fuzz --suite fuzz --no-rebuild --num-processes 2 \
    --print-errorlogs
fi
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan solve_args record identical)
status=0
for t in "${targets[@]}"; do
  WCS_FUZZ_SECONDS=$seconds tests/fuzz/run_fuzzer.sh "build-fuzz/tests/fuzz/fuzz_$t" "$t" "tests/fuzz/corpus/$t" \
    "tests/fuzz/$t.dict" "build-fuzz/tests/fuzz/work-$t" || status=1
done
exit $status

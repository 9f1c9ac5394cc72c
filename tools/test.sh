#!/usr/bin/env bash
# Sets everything up and runs every test: a warning-free release build
# (-Wall -Wextra -Werror) in build/, then the same tests under AddressSanitizer and
# UndefinedBehaviorSanitizer in build-sanitize/, then the threaded code under
# ThreadSanitizer (build-tsan/, only the targets its tests need), then the
# libFuzzer targets for 60 s each (build-fuzz/, clang). Ends with "N passed,
# N failed" counted from the test logs of all of them (Catch2, pytest and the
# script tests).
#   tools/test.sh [--no-sanitize]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
tools/setup.sh build -- -Dwerror=true -Donly_strategies=[] || exit 1
logs=()
status=0
meson compile -C build || exit 1
meson test -C build --print-errorlogs --num-processes 2 || status=1
logs+=(build/meson-logs/testlog.json)
if [ "${1:-}" != "--no-sanitize" ]; then
  tools/setup.sh build-sanitize -- -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized -Donly_strategies=[] || exit 1
  meson compile -C build-sanitize || exit 1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
  sanitized=0
  meson test -C build-sanitize --print-errorlogs --num-processes 2 --timeout-multiplier 4 || sanitized=1
  logs+=(build-sanitize/meson-logs/testlog.json)
  # LeakSanitizer's tracer itself crashes now and then (google/sanitizers#1353):
  # a program whose tests all passed and that failed only that way runs once more.
  flaky=$(python3 tools/count_tests.py --lsan-flakes build-sanitize/meson-logs/testlog.json)
  if [ "$sanitized" = 1 ] && [ -n "$flaky" ]; then
    echo "test: LeakSanitizer's tracer crashed in: $flaky; running those once more" >&2
    # shellcheck disable=SC2086
    meson test -C build-sanitize --no-rebuild --print-errorlogs --logbase retry $flaky || true
    logs+=(build-sanitize/meson-logs/retry.json)
  elif [ "$sanitized" = 1 ]; then
    status=1
  fi
fi
# ThreadSanitizer on the code that runs threads: parallel's pool of workers (its
# tests check it against reference with 1 to 8 threads and every kernel). Only
# those targets are built: no other C++ program or test starts a thread (the Python
# module's solves from several Python threads are not covered: python3 itself would
# have to load libtsan).
if [ "${1:-}" != "--no-sanitize" ]; then
  tools/setup.sh build-tsan -- -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized -Dpython=disabled \
    -Donly_strategies=reference,parallel || exit 1
  meson compile -C build-tsan parallel_test wcs-strategy-parallel wcs-strategy-reference || exit 1
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    meson test -C build-tsan --no-rebuild --print-errorlogs --timeout-multiplier 4 parallel || status=1
  logs+=(build-tsan/meson-logs/testlog.json)
fi
# The libFuzzer targets, 60 s each (clang only; tools/fuzz.sh runs them longer).
if [ "${1:-}" != "--no-sanitize" ]; then
  if command -v clang++-14 >/dev/null 2>&1; then
    rm -f build-fuzz/meson-logs/testlog.json
    tools/fuzz.sh --test || status=1
    if [ -f build-fuzz/meson-logs/testlog.json ]; then
      logs+=(build-fuzz/meson-logs/testlog.json)
    else  # the fuzz build failed: one failed test in the count, not silence
      mkdir -p build-fuzz/meson-logs
      echo '{"name": "fuzz-build", "result": "FAIL", "stdout": "the fuzz targets did not build"}' \
        >build-fuzz/meson-logs/build-failed.json
      logs+=(build-fuzz/meson-logs/build-failed.json)
    fi
  else
    echo "test: clang++-14 is not installed: the fuzz targets did not run" >&2
  fi
fi
python3 tools/count_tests.py "${logs[@]}" || status=1
exit $status

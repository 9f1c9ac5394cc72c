#!/usr/bin/env python3
"""Counts test cases from a meson test log (meson-logs/testlog.json).

Prints one line "N passed, N failed". Each test program's own summary is read:
Catch2's ("All tests passed (A assertions in C test cases)" or "test cases: C | P
passed | F failed"), pytest's ("== P passed, F failed in 1.2s ==") or, for the
project's script tests (shell, fuzzers), a last line "wcs-test: P passed, F failed".
A program that ended without a summary (a crash, a time-out) counts as one failed
test case, and so does a program whose summary says all passed but that exited
non-zero. Exit status 1 when anything failed.

Logs are read in order; a test that appears again in a later log of the same
folder (a rerun) counts only with its last result.

    count_tests.py LOG...                 the line, from all logs
    count_tests.py --lsan-flakes LOG      names of failed tests whose only trouble was
                                          LeakSanitizer's own tracer crashing
                                          (google/sanitizers#1353), to rerun once
"""
import json
import os
import re
import sys

ALL_PASSED = re.compile(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)")
MIXED = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
ONLY_FAILED = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) failed")
# pytest's closing line: "===== 3 passed, 1 failed, 2 skipped in 0.52s =====".
PYTEST = re.compile(r"^=+ (.*\d+ (?:passed|failed|error|errors).*) in [\d.]+s(?: \([^)]*\))? =+$", re.M)
# Script tests (tools/*.sh run as meson tests, fuzz drivers) end with this line.
SCRIPT = re.compile(r"^wcs-test: (\d+) passed, (\d+) failed$", re.M)


LSAN_TRACER = "LeakSanitizer has encountered a fatal error"


def tests(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if line.strip():
                yield json.loads(line)


def count_one(test):
    """(passed, failed) test cases of one test program."""
    out = test.get("stdout", "") or ""
    if m := ALL_PASSED.search(out):
        # All cases passed but the program failed otherwise (e.g. a sanitizer at exit).
        return int(m.group(1)), 0 if test.get("result") == "OK" else 1
    if m := MIXED.search(out):
        return int(m.group(2)), int(m.group(3))
    if m := ONLY_FAILED.search(out):
        return 0, int(m.group(2))
    ok = test.get("result") == "OK"
    if found := SCRIPT.findall(out):
        passed, failed = (int(x) for x in found[-1])
        return passed, failed + (0 if ok or failed else 1)
    if found := PYTEST.findall(out):
        counts = dict((k, int(v)) for v, k in re.findall(r"(\d+) (passed|failed|errors?)", found[-1]))
        failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
        return counts.get("passed", 0), failed + (0 if ok or failed else 1)
    print(f"count_tests: {test.get('name')}: no Catch2 summary (result {test.get('result')})", file=sys.stderr)
    return 0, 1


def main():
    if sys.argv[1:2] == ["--lsan-flakes"]:
        flaky = [t["name"] for t in tests(sys.argv[2])
                 if t.get("result") != "OK" and LSAN_TRACER in ((t.get("stdout") or "") + (t.get("stderr") or ""))
                 and ALL_PASSED.search(t.get("stdout") or "")]
        print(" ".join(flaky))
        return 0
    latest = {}
    for path in sys.argv[1:]:
        folder = os.path.dirname(os.path.abspath(path))
        for test in tests(path):
            latest[(folder, test.get("name"))] = test
    passed = failed = 0
    for test in latest.values():
        p, f = count_one(test)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

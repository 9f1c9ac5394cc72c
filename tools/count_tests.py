#!/usr/bin/env python3
"""Counts Catch2 test cases from a meson test log (meson-logs/testlog.json).

Prints one line "N passed, N failed". Each test program's own Catch2 summary is
read ("All tests passed (A assertions in C test cases)" or "test cases: C | P
passed | F failed"); a program that ended without a summary (a crash, a time-out)
counts as one failed test case. Exit status 1 when anything failed.
"""
import json
import re
import sys

ALL_PASSED = re.compile(r"All tests passed \(\d+ assertions? in (\d+) test cases?\)")
MIXED = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed")
ONLY_FAILED = re.compile(r"test cases:\s*(\d+)\s*\|\s*(\d+) failed")


def count(log_path):
    passed = failed = 0
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if not line.strip():
                continue
            test = json.loads(line)
            out = test.get("stdout", "") or ""
            ok = test.get("result") == "OK"
            if m := ALL_PASSED.search(out):
                passed += int(m.group(1))
                if not ok:  # passed its cases but failed otherwise (e.g. sanitizer at exit)
                    failed += 1
            elif m := MIXED.search(out):
                passed += int(m.group(2))
                failed += int(m.group(3))
            elif m := ONLY_FAILED.search(out):
                failed += int(m.group(2))
            else:
                failed += 1
                print(f"count_tests: {test.get('name')}: no Catch2 summary (result {test.get('result')})", file=sys.stderr)
    return passed, failed


def main():
    passed = failed = 0
    for path in sys.argv[1:]:
        p, f = count(path)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Tests of the tools behind `auto`'s rule (tools/autosuite.py, fit-auto.py, check-auto.py).

- The features of tools/autosuite.py are those `auto` reports (`wcs solve --trace
  --json`), to the bit, on integer, dyadic, decimal and extreme problems, and they
  reach the leaf auto reports in the tree read from strategies/auto/fitted_rule.hpp.
- fit-auto.py, on a synthetic result folder where a cheap strategy converges on small
  problems only and an exact one everywhere, writes a tree that splits on N, plans
  that try the cheap one first where it pays, and a net that tries the one that
  converges most first.
- check-auto.py, on synthetic folders, says met or NOT met for each goal as the
  records call for, with the matching exit status.

Run by meson (WCS_EXE: the wcs program). Ends with "wcs-test: P passed, F failed".
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import autosuite  # noqa: E402

passed = failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def features_from_auto(problem):
    coef = ",".join(repr(a) for a in problem["coefficients"])
    out = subprocess.run([os.environ["WCS_EXE"], "solve", "--strategy", "auto", f"--coef={coef}",
                          f"--target={problem['target']!r}", f"--tol={problem['tolerance']!r}",
                          f"--wpn={problem['initial_wpn']!r}", "--max-iter=1", "--trace", "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, None, out.stderr.strip()
    notes = json.loads(out.stdout)["notes"]
    return autosuite.parse_features(notes["features"]), autosuite.reported_leaf(notes), ""


def test_features():
    tree = autosuite.read_tree(os.path.join(ROOT, "strategies", "auto", "fitted_rule.hpp"))
    check(len(tree) >= 1, "the fitted tree reads")
    problems = [
        ([float(i) for i in range(1, 51)], 637.0, 10.0, 1.0),
        ([15.0, 47.0, -12.0], 28.0, 2.0, 1.0),
        ([0.5, -1.25, 2.0], 1.0, 0.0, 0.5),
        ([1.1, 2.3, -0.7], 2.0, 0.01, 1.0),
        ([12.345678, -3.25, 99.999], -40.5, 0.5, 1.5),
        ([1e300, 1.0], 3.0, 0.0, 1.0),
        ([3.0, 0.0, -7.0], 1e6, 1e-9, -1.0),
        ([2.0 ** 40, 3.0], 5.0, 0.25, 1.0),
    ]
    for a, t, tol, wpn in problems:
        p = {"coefficients": a, "target": t, "tolerance": tol, "initial_wpn": wpn, "max_iter": 1}
        got, leaf, err = features_from_auto(p)
        want = autosuite.features(p)
        check(got is not None and all(x == y or (math.isinf(x) and math.isinf(y)) for x, y in zip(got, want)),
              f"features of {p}: auto {got} {err}, tools/autosuite.py {want}")
        # The leaf auto reports is the one the same features reach in the header's tree.
        check(leaf == autosuite.leaf_of(want, tree), f"leaf of {p}: auto {leaf}, tools/autosuite.py "
                                                     f"{autosuite.leaf_of(want, tree)}")


def record(folder, instance, n, label, ms, converged, status="ok", notes=None, tol=0.5):
    strategy = label.split("{")[0]
    problem = {"name": instance.split("/")[0], "instance": instance, "n": n,
               "coefficients": [float(1 + i % 7) for i in range(n)], "target": 3.0, "tolerance": tol,
               "max_iter": 50, "initial_wpn": 1.0, "wpn_bounds": ["-inf", "inf"]}
    w = {"problem": problem, "label": label, "strategy": strategy, "params": {}, "status": status,
         "some_new_field": {"ignored": True}}
    benchmarks = []
    if status == "ok":
        w["result"] = {"converged": converged, "error": 0.0 if converged else 1.0, "notes": notes or {}}
        benchmarks = [{"run_type": "iteration", "real_time": ms, "cpu_time": ms, "time_unit": "ms"},
                      {"run_type": "aggregate", "real_time": 1e9, "cpu_time": 1e9, "time_unit": "ms"}]
    else:
        w["reason"] = "refused"
    name = f"{abs(hash((instance, label))) % 10**12:012d}.json"
    with open(os.path.join(folder, "runs", name), "w") as f:
        json.dump({"context": {}, "benchmarks": benchmarks, "wcs": w}, f)
    return problem


def suite(folder, auto=None):
    """cheap: converges in 0.01 ms for N <= 10, fails in 0.5 ms above; exact: 1 ms, converges always.
    auto (optional): a function (n) -> (ms, converged)."""
    os.makedirs(os.path.join(folder, "runs"), exist_ok=True)
    for n in (3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30, 40):
        for seed in range(4):
            inst = f"p/n={n}/seed={seed}"
            p = record(folder, inst, n, "cheap", 0.01 if n <= 10 else 0.5, n <= 10)
            record(folder, inst, n, "exact", 1.0, True)
            if auto:
                ms, conv = auto(n)
                f = " ".join(f"{k}={v!r}" for k, v in zip(autosuite.FEATURES, autosuite.features(p)))
                record(folder, inst, n, "auto", ms, conv, notes={"features": f})


def run_tool(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "tools", args[0]), *args[1:]], capture_output=True,
                          text=True)


def test_fit():
    with tempfile.TemporaryDirectory() as folder:
        suite(folder)
        header = os.path.join(folder, "fitted_rule.hpp")
        out = run_tool("fit-auto.py", folder, "--out", header, "--min-leaf", "4")
        check(out.returncode == 0, f"fit-auto.py ran: {out.stderr}")
        text = open(header).read() if os.path.exists(header) else ""
        check("inline constexpr Node kTree[]" in text and "inline constexpr Plan kPlans[]" in text, "header tables")
        # The root splits on N between 10 and 12: cheap alone below, exact alone above.
        check(f"{{0, {math.sqrt(10 * 12)!r}, 1, 2, -1}}" in text, f"root split on n at sqrt(10 * 12):\n{text}")
        check(re.search(r"\{\d+, 1\},  // \d+: cheap\n", text) is not None, f"a plan of cheap alone:\n{text}")
        check(re.search(r"\{\d+, 1\},  // \d+: exact\n", text) is not None, f"a plan of exact alone:\n{text}")
        # The net: exact (converges everywhere) first, then cheap.
        check(re.search(r"kNet\[\] = \{\d+, \d+\};  // exact -> cheap", text) is not None, f"the net:\n{text}")
        check(len(re.findall(r"// \d+: leaf,", text)) == 2, f"two leaves:\n{text}")


def test_check():
    cases = [
        # auto: about cheap's time where cheap converges, exact's elsewhere: every goal met.
        (lambda n: (0.011, True) if n <= 10 else (1.01, True), 0, "| met |"),
        # auto always runs exact first: 100x slower than the best on small N (half the problems).
        (lambda n: (1.0, True), 1, "NOT met"),
        # auto misses large N: fewer problems than the best single strategy (exact).
        (lambda n: (0.01, n <= 10), 1, "NOT met"),
    ]
    for auto, status, word in cases:
        with tempfile.TemporaryDirectory() as folder:
            suite(folder, auto)
            original = os.path.join(folder, "original.json")
            with open(original, "w") as f:
                json.dump({"instances": {"p/n=3/seed=0": {"converged": True}}}, f)
            out = run_tool("check-auto.py", folder, "--original", original)
            check(out.returncode == status, f"check-auto.py exit status {out.returncode}, expected {status}:\n{out.stdout}")
            check(word in out.stdout, f"check-auto.py says {word}:\n{out.stdout}")
            if status == 0:
                check("NOT" not in out.stdout, f"check-auto.py says no goal is missed:\n{out.stdout}")
    # Original data: a problem the original converges on that auto misses fails goal 3.
    with tempfile.TemporaryDirectory() as folder:
        suite(folder, lambda n: (0.011, True) if n <= 10 else (1.01, n != 40))
        original = os.path.join(folder, "original.json")
        with open(original, "w") as f:
            json.dump({"instances": {"p/n=40/seed=0": {"converged": True}, "p/n=3/seed=0": {"converged": True}}}, f)
        out = run_tool("check-auto.py", folder, "--original", original)
        check(out.returncode == 1 and "p/n=40/seed=0" in out.stdout, f"goal 3 names the missed problem:\n{out.stdout}")


if __name__ == "__main__":
    test_features()
    test_fit()
    test_check()
    print(f"wcs-test: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

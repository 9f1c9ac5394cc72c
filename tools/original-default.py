#!/usr/bin/env python3
"""Which problems of a result folder the original implementation's default converges on.

    tools/original-default.py RESULTS_DIR --out FILE.json [--original GITDIR] [--commit C]
                              [--run-max-n 30] [--jobs 2] [--timeout 900]

The original (JosueAmaral15/binary-search, math_toolkit/binary_search/combinatorial.py,
class WeightCombinationSearch) defaults to: exhaustive cycles in line order while
N <= sampling_threshold = 12, else a sample of sample_size = 10000 combinations
(min(10000, 2^N - 1)) drawn by importance from |a| with NumPy's legacy generator
seeded 42 in every cycle (so the same sample every cycle: the N single coefficients,
then each coefficient with probability min(2 |a_i| / sum |a|, 0.8), the most
important one when none was drawn); intra-cycle early stopping at the first line
within the tolerance; the WPN rule on the lines it evaluated (2p when all are below
the target, else p/2, clipped). Numba is optional there and changes no value.

Two ways to establish convergence, both recorded per problem:

- `mirror`: this file's vectorised re-implementation of that default (NumPy; the
  same random stream, the same additions in the same order, so the same doubles).
  Fast enough for every problem (N = 1000 included).
- `original`: the original's own code, extracted from a local clone (`--original`,
  the git directory, at `--commit`) into a temporary folder and imported, run in a
  subprocess with a timeout, for the problems with N <= --run-max-n (pure Python is
  about a second per sampled cycle, and it keeps a truth table of every line). Its
  code is never copied into this repository.

Where both ran, they must agree (convergence, cycles and weights); a disagreement is
reported and the exit status is 1. The output (JSON) maps each instance of the result
folder to {"converged", "error", "cycles", "source", "mirror", "original"}; the
instance's answer is the original's where it ran, else the mirror's.

Needs NumPy (Debian: python3-numpy).
"""
import argparse
import glob
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:  # pragma: no cover
    sys.exit("original-default: needs NumPy (Debian package python3-numpy; run with /usr/bin/python3 if another "
             "python3 comes first in PATH)")

# The newest commit of the original with this default (adaptive sampling, early stop).
DEFAULT_COMMIT = "34874dcc5eb116aecdb9fa6698549dbf2c0f18b7"
MODULE_PATH = "math_toolkit/binary_search/combinatorial.py"
THRESHOLD = 12
SAMPLE_SIZE = 10000


def number(x):
    if isinstance(x, str):
        return float(x)  # "inf", "-inf"
    return float(x)


def instances(results):
    """Every problem instance of the result folder: instance key -> problem fields."""
    out = {}
    for path in sorted(glob.glob(os.path.join(results, "runs", "*.json"))):
        with open(path) as f:
            w = json.load(f).get("wcs", {})
        p = w.get("problem")
        if not p or "instance" not in p:
            continue
        out.setdefault(p["instance"], {
            "coefficients": [number(a) for a in p["coefficients"]],
            "target": number(p["target"]),
            "tolerance": number(p["tolerance"]),
            "max_iter": int(p["max_iter"]),
            "initial_wpn": number(p.get("initial_wpn", 1.0)),
            "wpn_bounds": [number(b) for b in p.get("wpn_bounds", ["-inf", "inf"])],
        })
    return out


def sample(a):
    """The original's importance sample for coefficients a (N > THRESHOLD): rows of booleans."""
    n = len(a)
    size = min(SAMPLE_SIZE, 2 ** n - 1)
    importance = np.abs(a)
    importance = importance / importance.sum() if importance.sum() > 0 else np.ones(n) / n
    singles = np.eye(n, dtype=bool)  # every single coefficient first, even beyond size
    np.random.seed(42)
    remaining = size - n
    if remaining <= 0:
        return singles
    # np.random.rand(n) per row, row after row, is one stream: rand(remaining, n).
    draws = np.random.rand(remaining, n) < (importance * 2).clip(0, 0.8)
    empty = ~draws.any(axis=1)
    draws[empty, int(np.argmax(importance))] = True
    return np.vstack([singles, draws])


def lines(n):
    """Every non-empty combination in line order (coefficient 0 most significant)."""
    k = np.arange(1, 2 ** n, dtype=np.int64)
    return ((k[:, None] >> (n - 1 - np.arange(n))) & 1).astype(bool)


def mirror(problem):
    """The original's default, vectorised over the lines of a cycle."""
    a = np.array(problem["coefficients"], dtype=np.float64)
    n = len(a)
    target, tol = problem["target"], problem["tolerance"]
    lo, hi = problem["wpn_bounds"]
    combos = lines(n) if n <= THRESHOLD else sample(a)
    w = np.zeros(n)
    wpn = problem["initial_wpn"]
    delta = math.inf
    for cycle in range(1, problem["max_iter"] + 1):
        # result = sum_i a[i] * e_i * m_i, added in index order as the original's loop does.
        r = np.zeros(len(combos))
        for i in range(n):
            e = np.where(combos[:, i], 1.0, w[i]) if w[i] == 0 else np.full(len(combos), w[i])
            m = np.where(combos[:, i], wpn, 1.0)
            r = r + a[i] * e * m
        d_abs = np.abs(r - target)
        within = np.nonzero(d_abs <= tol)[0]
        if len(within):  # early stop at the first line within the tolerance
            win = int(within[0])
            evaluated = win + 1
        else:
            best = d_abs.min()
            ties = np.nonzero(d_abs == best)[0]
            win = int(ties[np.argmax(r[ties])])  # larger result; the first of equal ones
            evaluated = len(combos)
        delta = float(d_abs[win])
        chosen = combos[win]
        w = np.where(chosen & (w == 0), 1.0, w)
        w = np.where(chosen, w * wpn, w)
        if delta <= tol:
            return {"converged": True, "error": delta, "cycles": cycle, "weights": w.tolist()}
        below = bool(np.all((r[:evaluated] - target) < 0))
        wpn = float(np.clip(wpn * 2 if below else wpn / 2, lo, hi))
    return {"converged": False, "error": delta, "cycles": problem["max_iter"], "weights": w.tolist()}


RUNNER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import combinatorial
p = json.load(sys.stdin)
s = combinatorial.WeightCombinationSearch(tolerance=p["tolerance"], max_iter=p["max_iter"],
                                          initial_wpn=p["initial_wpn"], wpn_bounds=tuple(p["wpn_bounds"]))
t0 = time.time()
w = s.find_optimal_weights(p["coefficients"], p["target"])
d = s.history["best_delta_evolution"][-1]
print(json.dumps({"converged": bool(d <= p["tolerance"]), "error": float(d), "cycles": len(s.history["cycles"]),
                  "weights": [float(x) for x in w], "seconds": time.time() - t0}))
"""


def run_original(job):
    key, problem, folder, timeout = job
    try:
        out = subprocess.run([sys.executable, "-c", RUNNER, folder], input=json.dumps(problem), capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return key, {"skipped": f"timeout after {timeout} s"}
    if out.returncode != 0:
        return key, {"skipped": "failed: " + (out.stderr.strip().splitlines() or ["?"])[-1]}
    return key, json.loads(out.stdout.strip().splitlines()[-1])


def same(x, y):
    return x["converged"] == y["converged"] and x["cycles"] == y["cycles"] and x["weights"] == y["weights"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", help="result folder of the suite (its runs/*.json name the problems)")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--original", help="git directory of a clone of JosueAmaral15/binary-search (runs the original)")
    ap.add_argument("--commit", default=DEFAULT_COMMIT)
    ap.add_argument("--run-max-n", type=int, default=30, help="run the original only up to this N")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per run of the original")
    args = ap.parse_args()

    problems = instances(args.results)
    if not problems:
        sys.exit(f"original-default: {args.results}: no runs/*.json with problems")
    result = {}
    for key, p in problems.items():
        m = mirror(p)
        result[key] = {"converged": m["converged"], "error": m["error"], "cycles": m["cycles"], "source": "mirror",
                       "mirror": {k: m[k] for k in ("converged", "error", "cycles")}}
    disagreements = 0
    if args.original:
        with tempfile.TemporaryDirectory() as folder:
            code = subprocess.run(["git", "--git-dir", args.original, "show", f"{args.commit}:{MODULE_PATH}"],
                                  capture_output=True, text=True, check=True).stdout
            with open(os.path.join(folder, "combinatorial.py"), "w") as f:
                f.write(code)
            jobs = [(k, p, folder, args.timeout) for k, p in problems.items() if len(p["coefficients"]) <= args.run_max_n]
            with multiprocessing.Pool(args.jobs) as pool:
                for done, (key, o) in enumerate(pool.imap_unordered(run_original, jobs), 1):
                    print(f"\roriginal-default: {done}/{len(jobs)} runs of the original", end="", file=sys.stderr)
                    entry = result[key]
                    entry["original"] = {k: o[k] for k in ("converged", "error", "cycles", "skipped") if k in o}
                    if "skipped" in o:
                        continue
                    entry.update(converged=o["converged"], error=o["error"], cycles=o["cycles"], source="original")
                    if not same(o, mirror(problems[key])):
                        disagreements += 1
                        entry["disagreement"] = True
                        print(f"\noriginal-default: {key}: the mirror differs from the original", file=sys.stderr)
            print(file=sys.stderr)
    out = {"about": "convergence of the original's default (adaptive sampling above N = 12, sample 10000 by "
                    "importance with seed 42, early stop) per instance; see tools/original-default.py",
           "commit": args.commit, "instances": dict(sorted(result.items()))}
    tmp = args.out + ".partial"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, args.out)
    ran = sum(1 for e in result.values() if e["source"] == "original")
    conv = sum(1 for e in result.values() if e["converged"])
    print(f"original-default: {len(result)} instances, {conv} converge; the original ran on {ran}, the mirror "
          f"decides the others; {disagreements} disagreements -> {args.out}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())

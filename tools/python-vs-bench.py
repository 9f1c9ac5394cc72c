#!/usr/bin/env python3
"""Times one solve through Python's wcs.solve and through wcs-bench, on the same problem.

wcs-bench (Google Benchmark) times `solver.solve(problem)` in C++; the Python call
adds the argument conversion, the solver's creation and the result's conversion
to Python objects. Both solve wcs-bench's problem of size N (its context gives the
coefficients and the target), one cycle by default. Prints both medians and the
difference; run it on an otherwise idle machine for numbers worth quoting.

    tools/python-vs-bench.py [--build DIR] [--strategy mitm] [--n 20] [--cycles 1] [--repetitions 15]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--strategy", default="mitm")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--cycles", type=int, default=1)
    ap.add_argument("--repetitions", type=int, default=15)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import wcs  # noqa: E402

    out = subprocess.run(
        [os.path.join(args.build, "wcs-bench"), f"--strategies={args.strategy}", f"--n={args.n}",
         f"--cycles={args.cycles}", f"--benchmark_repetitions={args.repetitions}", "--benchmark_min_time=0.2",
         "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    coefficients, target = report["context"][f"wcs.problem.N={args.n}"].split(" -> ")
    coefficients = [float(x) for x in coefficients.split(",")]
    target = float(target)
    runs = [b["real_time"] for b in report["benchmarks"] if b["run_type"] == "iteration"]
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[report["benchmarks"][0]["time_unit"]]
    bench_us = statistics.median(runs) * unit

    def per_call(k):
        start = time.perf_counter()
        for _ in range(k):
            wcs.solve(coefficients, target, args.strategy, 0, args.cycles)
        return (time.perf_counter() - start) / k * 1e6

    one = per_call(1)
    k = max(1, int(0.2e6 / max(one, 1e-3)))  # about 0.2 s a repetition, as wcs-bench
    per_call(k)
    python_us = statistics.median(per_call(k) for _ in range(args.repetitions))
    print(json.dumps({
        "strategy": args.strategy, "n": args.n, "cycles": args.cycles,
        "wcs_bench_median_us": round(bench_us, 2), "python_median_us": round(python_us, 2),
        "python_minus_bench_us": round(python_us - bench_us, 2),
        "load_avg": report["context"].get("load_avg"),
    }))


if __name__ == "__main__":
    main()

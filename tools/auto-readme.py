#!/usr/bin/env python3
"""Writes the README's table of `auto` from the committed results of its two suites.

    tools/auto-readme.py [--check] [--readme README.md]

Reads results/auto-fit and results/auto-heldout (the `virtual_best.csv` table `wcs
report` writes, the row of `auto`), the seeds from the head of each experiment file
(tools/make-auto-suites.py writes them there), auto's own cost from
results/auto-heldout/own-cost.txt (`wcs-bench --choice`, written by
tools/auto-suite.sh) and the SIMD target and commit from a record of the held-out
run; replaces the README's text between its two markers. With --check it writes
nothing, exits 1 when the README's table is not what the results give, and ends with
the line `wcs-test: P passed, F failed` (a script test's summary).
"""
import argparse
import csv
import gzip
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
BEGIN = "<!-- auto performance: begin (tools/auto-readme.py writes this from results/auto-fit and results/auto-heldout) -->"
END = "<!-- auto performance: end -->"


def auto_row(folder):
    path = os.path.join(ROOT, "results", folder, "tables", "virtual_best.csv")
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["strategy"] == "auto":
                return row
    raise SystemExit(f"auto-readme: {path}: no row for auto")


def seed_of(experiment):
    path = os.path.join(ROOT, "experiments", experiment)
    with open(path) as f:
        m = re.search(r"suite '(\w+)', seed (\d+), (\d+) problems", f.readline())
    if not m:
        raise SystemExit(f"auto-readme: {path}: first line does not name the suite's seed (tools/make-auto-suites.py)")
    return int(m.group(2))


def context(folder):
    """The context of the first record of a folder (packed or not)."""
    base = os.path.join(ROOT, "results", folder)
    pack = os.path.join(base, "runs.jsonl.gz")
    if os.path.exists(pack):
        with gzip.open(pack, "rt") as f:
            return json.loads(f.readline()).get("context", {})
    runs = sorted(os.listdir(os.path.join(base, "runs")))
    with open(os.path.join(base, "runs", runs[0])) as f:
        return json.load(f).get("context", {})


def own_cost():
    path = os.path.join(ROOT, "results", "auto-heldout", "own-cost.txt")
    with open(path) as f:
        text = f.read()
    m = re.search(r"auto's own cost: median ([\d.]+) ns, largest ([\d.]+) ns over (\d+) problems", text)
    cpu = re.search(r"^wcs\.cpu: (.*)$", text, re.M)
    commit = re.search(r"^commit: (\S+)$", text, re.M)
    if not m:
        raise SystemExit(f"auto-readme: {path}: no summary line of wcs-bench --choice")
    return (float(m.group(1)), float(m.group(2)), int(m.group(3)), cpu.group(1).strip() if cpu else "unknown",
            commit.group(1)[:12] if commit else "unknown")


def percent(row, key):
    return (f"{row[key]}/{row['instances']} = {100 * float(row[key + '_rate']):.1f}% "
            f"[{100 * float(row[key + '_ci_low']):.1f}, {100 * float(row[key + '_ci_high']):.1f}]")


def section():
    lines = [BEGIN, "",
             "| `auto` | suite | seed | problems some strategy solves | auto converged there | "
             "auto within 2x of the virtual best |", "|---|---|---|---:|---:|---:|"]
    for what, folder, experiment in (("fitted on", "auto-fit", "auto-fit.yaml"),
                                     ("judged on (held out)", "auto-heldout", "auto-heldout.yaml")):
        row = auto_row(folder)
        lines.append(f"| {what} | [`experiments/{experiment}`](experiments/{experiment}) "
                     f"([results](results/{folder}/tables/report.md)) | {seed_of(experiment)} | {row['instances']} | "
                     f"{percent(row, 'converged')} | {percent(row, 'within_2x')} |")
    median, largest, count, cpu, cost_commit = own_cost()
    ctx = context("auto-heldout")
    lines += ["",
              f"Suites run at commit {ctx.get('wcs_git_commit', '?')[:12]} on {cpu}, {ctx.get('num_cpus', '?')} CPUs, "
              f"SIMD target {ctx.get('wcs_simd_target', '?')}. auto's own cost (its time minus that of the strategy "
              f"it chose, run alone, median of five repetitions each, in one `wcs-bench --choice` run on {count} "
              f"problems of N = 2 to 12 where that strategy converges in under a microsecond; "
              f"[the output](results/auto-heldout/own-cost.txt), commit {cost_commit}): median {median:.1f} ns, "
              f"largest {largest:.1f} ns.", "", END]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the README's table differs; write nothing")
    ap.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    args = ap.parse_args()
    with open(args.readme) as f:
        text = f.read()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"auto-readme: {args.readme}: the markers of the table are missing")
    new = text[:start] + section() + text[end + len(END):]
    if args.check:
        # The last line is the summary tools/count_tests.py reads from a script test.
        same = new == text
        if not same:
            print(f"auto-readme: {args.readme}: the table of auto is not what results/auto-fit and "
                  "results/auto-heldout give (run tools/auto-readme.py)", file=sys.stderr)
        print(f"wcs-test: {int(same)} passed, {int(not same)} failed")
        return 0 if same else 1
    if new != text:
        tmp = args.readme + ".partial"
        with open(tmp, "w") as f:
            f.write(new)
        os.replace(tmp, args.readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())

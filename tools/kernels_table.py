#!/usr/bin/env python3
"""Makes results/kernels/README.md from wcs-bench's Google Benchmark JSON files (and
from tests/kernels/kernels_bench's, the kernel functions alone per line).

    tools/kernels_table.py OUT.md one-cycle.json [more.json ...]

Every number comes from the JSON: median real time per strategy, N, cycles and
problem (over the repetitions), the speed-up against `reference` at the same N in
the same file, the instruction set each strategy reported, and the goals of the
issues as ratios measured in the same file. Nothing is typed in.
"""
import json
import os
import re
import sys
from collections import defaultdict

NAME = re.compile(r"^(?P<spec>.+?)/N=(?P<n>\d+)/cycles=(?P<cycles>\d+)(?:/problem=(?P<problem>[\w-]+))?")
PROBLEMS = {
    "default": "coefficients in +-[0.5, 1.5], a target no line reaches",
    "decimal": "coefficients uniform in +-[1, 100] with 6 decimals, target 300.3",
    "integer": "integer coefficients in +-[1, 99], target 300.5 (thousands of lines tie)",
    "range": "coefficients 1..N, target floor(N(N+1)/4) (637 at N = 50: the original's benchmark)",
}
INTEGER_M = re.compile(r"^integer-(\d+)$")
# tests/kernels/kernels_bench: KERNEL/ISA/PROBLEM/N=n, the kernel function alone.
KERNEL_NAME = re.compile(r"^(?P<kernel>[\w-]+)/(?P<isa>\w+)/(?P<problem>[\w-]+)/N=(?P<n>\d+)$")
# Issue 23, goal 4: each vector kernel on every instruction set, per line, against gray.
MIN_SCANNED_SHARE = 0.05  # below it, a time per scanned line is the driver's, not the filter's
PER_LINE_GOAL = 8.0


def problem_text(problem):
    m = INTEGER_M.match(problem)
    if m:
        return f"integer coefficients in +-[1, {m[1]}], target 300.5"
    return PROBLEMS.get(problem, problem)


def labels_by_run(path):
    """Label of every (spec, n, cycles, problem), from its last repetition."""
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        m = NAME.match(b.get("run_name", b["name"]))
        if m and b.get("label") and b.get("run_type") != "aggregate":
            out[(m["spec"], int(m["n"]), int(m["cycles"]), m["problem"] or "default")] = b["label"]
    return out


def dp_growth(path, med):
    """Issue 13: how one `dp` cycle grows with N and with the span of the subset sums."""
    labels = labels_by_run(path)
    rows = []
    for key in sorted((k for k in med if k[0] == "dp" and k[2] == 1), key=lambda k: (k[3], k[1])):
        label = labels.get(key, "")
        span, words = note(label, "largest_span"), note(label, "largest_table_words")
        if not span or not words:
            continue
        t = med[key]
        per_word = t * 1e6 / float(words) if float(words) else 0.0
        rows.append(f"| `{key[3]}` | {key[1]} | {span} | {words} | {fmt_ms(t)} ms | {per_word:.3g} ns |")
    if not rows:
        return []
    return ["## How `dp` grows with N and with the span", "",
            f"From `{os.path.basename(path)}`: one cycle of `dp` per problem and N; the span (units of the",
            "subset sums' common power of two) and the words of the suffix sets are what `dp` reported.",
            "The work is one shift-and-or pass per coefficient over its suffix set, so the time per",
            "word of the table should stay flat while N and the span grow.", "",
            "| problem | N | span | table words | time | per word |", "|---|---|---|---|---|---|"] + rows + [""]


def load(path):
    with open(path) as f:
        data = json.load(f)
    times = defaultdict(list)  # (spec, n, cycles, problem) -> [real_time ms]
    labels = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        m = NAME.match(b.get("run_name", b["name"]))
        if not m:
            continue
        key = (m["spec"], int(m["n"]), int(m["cycles"]), m["problem"] or "default")
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        times[key].append(b["real_time"] * scale)
        if b.get("label"):
            labels[key[0]] = b["label"]
    return data["context"], {k: median(v) for k, v in times.items()}, labels


def peak_rss(path):
    """Largest peak_rss_bytes counter of every (spec, n, cycles, problem): the process's
    peak resident memory when that run ended (wcs-bench's counter)."""
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        m = NAME.match(b.get("run_name", b["name"]))
        if m and "peak_rss_bytes" in b and b.get("run_type") != "aggregate":
            key = (m["spec"], int(m["n"]), int(m["cycles"]), m["problem"] or "default")
            out[key] = max(out.get(key, 0.0), float(b["peak_rss_bytes"]))
    return out


def median(xs):
    xs = sorted(xs)
    k = len(xs)
    return xs[k // 2] if k % 2 else 0.5 * (xs[k // 2 - 1] + xs[k // 2])


def fmt_ms(x):
    return f"{x:.3g}" if x >= 0.001 else f"{x:.2e}"


def note(label, key):
    for part in (label or "").split():
        k, _, v = part.partition("=")
        if k == key:
            return v
    return ""


class Goals:
    """Goal rows: each a ratio or a time from one file, with the instruction sets involved."""

    def __init__(self, files):
        self.files = files  # [(name, context, medians, labels)]
        self.rows = defaultdict(list)

    def find(self, spec, n, cycles=1, problem="default"):
        for name, ctx, med, labels in self.files:
            t = med.get((spec, n, cycles, problem))
            if t is not None:
                return t, name, labels
        return None, None, {}

    def isa(self, labels, *specs):
        found = sorted({note(labels.get(s), "isa") for s in specs} - {""})
        return ", ".join(found) or "scalar"

    def ratio(self, issue, what, num, den, goal, at_least, specs):
        """time(num) / time(den) against goal (>= when at_least, else <=), both measured in
        one file; num and den are (spec, n, cycles, problem)."""
        rel = ">=" if at_least else "<="
        for name, ctx, med, labels in self.files:
            tn, td = med.get(num), med.get(den)
            if tn is not None and td is not None:
                r = tn / td
                met = r >= goal if at_least else r <= goal
                self.rows[issue].append(f"| {what} | {rel} {goal:g}x | {r:.3g}x | {self.isa(labels, *specs)} | "
                                        f"`{name}` | {'met' if met else 'NOT met'} |")
                return
        self.rows[issue].append(f"| {what} | {rel} {goal:g}x | not measured | | | |")

    def speedup(self, issue, what, fast, slow, n, goal, cycles=1, problem="default"):
        """slow / fast >= goal, both measured in one file."""
        self.ratio(issue, what, (slow, n, cycles, problem), (fast, n, cycles, problem), goal, True, (fast, slow))

    def at_most(self, issue, what, a, b, n, goal, problem_a="default", problem_b="default", cycles=1):
        """time(a) / time(b) <= goal, both measured in one file."""
        self.ratio(issue, what, (a, n, cycles, problem_a), (b, n, cycles, problem_b), goal, False, (a, b))

    def time(self, issue, what, spec, n, limit_ms, cycles=1, problem="default"):
        t, name, labels = self.find(spec, n, cycles, problem)
        if t is None:
            self.rows[issue].append(f"| {what} | < {limit_ms:g} ms | not measured | | | |")
            return
        self.rows[issue].append(f"| {what} | < {limit_ms:g} ms | {fmt_ms(t)} ms | {self.isa(labels, spec)} | "
                                f"`{name}` | {'met' if t < limit_ms else 'NOT met'} |")

    def memory(self, issue, what, spec, n, limit_gb, paths, cycles=1, problem="default"):
        """The peak resident memory of the process when the run ended, at most limit_gb."""
        for path in paths:
            rss = peak_rss(path).get((spec, n, cycles, problem))
            if rss is not None:
                gb = rss / 2**30
                self.rows[issue].append(f"| {what} | < {limit_gb:g} GiB | {gb:.3g} GiB | | "
                                        f"`{os.path.basename(path)}` | {'met' if gb < limit_gb else 'NOT met'} |")
                return
        self.rows[issue].append(f"| {what} | < {limit_gb:g} GiB | not measured | | | |")

    def throughput(self, issue, what, one, pair, n, goal, problem):
        """Solves per second of `one` against `pair` (two solves at once): t_pair / t_one >= goal.
        Google Benchmark divides a threaded benchmark's wall time by the iterations of all
        its threads, so t_pair is already the wall time per solve with two running at once."""
        for name, ctx, med, labels in self.files:
            t1, t2 = med.get((one, n, 1, problem)), med.get((pair, n, 1, problem))
            if t1 is not None and t2 is not None:
                r = t2 / t1
                self.rows[issue].append(f"| {what} | >= {goal:g} | {r:.3g} | {self.isa(labels, one, pair)} | "
                                        f"`{name}` | {'met' if r >= goal else 'NOT met'} |")
                return
        self.rows[issue].append(f"| {what} | >= {goal:g} | not measured | | | |")


def per_line(path):
    """Issue 23: the kernels alone (kernels_bench), per line on one core. Medians of the
    CPU time of the repetitions; the per-line ratio against `gray` on the same problem in
    the same file, over the cycle's lines and over the lines the float filter scanned."""
    with open(path) as f:
        data = json.load(f)
    runs = defaultdict(list)  # (kernel, isa, problem, n) -> [benchmark]
    for b in data["benchmarks"]:
        m = KERNEL_NAME.match(b.get("run_name", b["name"]))
        if m and b.get("run_type") != "aggregate":
            runs[(m["kernel"], m["isa"], m["problem"], int(m["n"]))].append(b)
    if not runs:
        return [], []
    ctx = data["context"]
    name = os.path.basename(path)
    lines = [f"## Per line, the kernel functions alone (`{name}`)", "",
             f"Machine: {ctx.get('wcs.cpu', ctx.get('host_name', '?'))}, {ctx.get('num_cpus')} CPUs at "
             f"{ctx.get('mhz_per_cpu')} MHz, {ctx.get('wcs.compiler', '?')}, {ctx.get('library_build_type', '?')} "
             f"Google Benchmark library; run {ctx.get('date')}.", "",
             "`tests/kernels/kernels_bench`: one kernel function over the whole first cycle, no exact step,",
             "one thread; median CPU time of the repetitions. `scanned` is the share of the lines the",
             "float filter went through (the bound skipped the other blocks whole); `per scanned line`",
             "divides the time by those lines only, so its ratio leaves the bound's skipping out.",
             "`double` is blocks scanned again in double per cycle. `-f64`: the double pass alone.", ""]
    goals = []
    med = {}
    for key, bs in runs.items():
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[bs[0]["time_unit"]]
        t = median([b["cpu_time"] * scale for b in bs])
        lines_ = 2 ** key[3] - 1
        share = median([b.get("filtered_share", 1.0) for b in bs])
        double = median([b["double_blocks"] for b in bs]) if "double_blocks" in bs[0] else None
        med[key] = (t, lines_, share, double)
    for problem in sorted({k[2] for k in med}):
        for n in sorted({k[3] for k in med if k[2] == problem}):
            gray = med.get(("gray", "scalar", problem, n))
            lines += [f"Problem `{problem}` ({problem_text(problem)}), N = {n}:", "",
                      "| kernel | isa | cycle | per line | vs `gray` | scanned | per scanned line | vs `gray` | double |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for key in sorted((k for k in med if k[2] == problem and k[3] == n),
                              key=lambda k: (k[0] != "gray", k[0], -med[k][0])):
                t, count, share, double = med[key]
                per = t * 1e9 / count  # ps
                scanned = t * 1e9 / (count * share) if share else float("nan")
                r1 = gray[0] / t if gray else None
                r2 = (gray[0] / gray[1]) / (t / (count * share)) if gray and share else None
                cell = lambda r: f"{r:.3g}x" if r else ""
                lines.append(f"| `{key[0]}` | {key[1]} | {fmt_ms(t)} ms | {per:.3g} ps | {cell(r1)} | {share:.3g} | "
                             f"{scanned:.3g} ps | {cell(r2)} | {'' if double is None else f'{double:.4g}'} |")
                if key[0] in ("simd-xsimd", "simd-highway") and problem in ("decimal", "integer") and r1 and r2:
                    # Where the filter went through almost nothing (the blocks ruled out before
                    # it), the time is the driver's and a time per scanned line says nothing
                    # of the enumeration: per line of the cycle alone decides.
                    measured = share >= MIN_SCANNED_SHARE
                    ok = r1 >= PER_LINE_GOAL and (r2 >= PER_LINE_GOAL or not measured)
                    r2_cell = f"{r2:.3g}x" if measured else f"n/a (scanned {share:.2g})"
                    goals.append(f"| `{key[0]}` | {key[1]} | `{problem}` | {n} | {r1:.3g}x | {r2_cell} | "
                                 f"`{name}` | {'met' if ok else 'NOT met'} |")
            lines.append("")
    if goals:
        goals = [f"## Goal of issue 23 (vector kernels at least {PER_LINE_GOAL:g}x `gray` per line, every instruction set)",
                 "", "Both ratios must reach the goal: per line of the cycle, and per line the float filter scanned "
                     f"(unless it scanned under {MIN_SCANNED_SHARE:g} of the lines: then the first alone).",
                 "", "| kernel | isa | problem | N | per line vs `gray` | per scanned line vs `gray` | file | |",
                 "|---|---|---|---|---|---|---|---|"] + goals + [""]
    return lines, goals


def main(argv):
    out_path, inputs = argv[1], argv[2:]
    lines = ["# Kernel speed: one cycle per strategy", "",
             "Generated by `tools/kernels_table.py` from `wcs-bench` (Google Benchmark) JSON in this folder;",
             "regenerate with `tools/bench-kernels.sh`. Times are medians of the repetitions, real (wall)",
             "time in milliseconds; ratios compare strategies measured in the same file. The `isa` column",
             "is the instruction set each strategy reported it ran on (`scalar`: no vector kernel).",
             "A name ending in `*2` is two independent solves at once on two threads (what two processes",
             "get); its time is the wall time per solve while both run (Google Benchmark divides the",
             "wall time by the solves of both threads), so half its time is twice the throughput.", ""]
    files = []
    per_line_goals = []
    for path in inputs:
        section, goals = per_line(path)
        if section:
            lines += section
            per_line_goals += goals
            continue
        ctx, med, labels = load(path)
        name = os.path.basename(path)
        files.append((name, ctx, med, labels))
        lines += [f"## `{name}`", "",
                  f"Machine: {ctx.get('wcs.cpu', '?')}, {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, "
                  f"{ctx.get('wcs.compiler', '?')}, {ctx.get('library_build_type', '?')} Google Benchmark library; "
                  f"run {ctx.get('date')}.", ""]
        ns = sorted({k[1] for k in med})
        specs = []
        for k in med:
            if k[0] not in specs:
                specs.append(k[0])
        for cycles, problem in sorted({(k[2], k[3]) for k in med}):
            lines += [f"Cycles per solve: {cycles}; problem `{problem}`: {problem_text(problem)}.", ""]
            lines.append("| strategy | isa | " + " | ".join(f"N={n}" for n in ns) + " |")
            lines.append("|---|---|" + "---|" * len(ns))
            for s in specs:
                cells = []
                for n in ns:
                    t = med.get((s, n, cycles, problem))
                    if t is None:
                        cells.append("")
                        continue
                    ref = med.get(("reference", n, cycles, problem))
                    cell = fmt_ms(t) + " ms"
                    if ref and s != "reference":
                        cell += f" ({ref / t:.3g}x)"
                    cells.append(cell)
                if any(cells):
                    lines.append(f"| `{s}` | {note(labels.get(s), 'isa') or 'scalar'} | " + " | ".join(cells) + " |")
            lines.append("")
        notes = sorted(f"`{k}`: {v}" for k, v in labels.items())
        if notes:
            lines += ["Notes reported by the strategies (last run of each): " + "; ".join(notes) + ".", ""]

    g = Goals(files)
    # Issue 3: the zero-loss strategies.
    g.speedup(3, "`fused` vs `reference`, N = 20", "fused", "reference", 20, 10)
    g.speedup(3, "`gray` vs `fused`, N = 20", "gray", "fused", 20, 3)
    best_simd = min((s for s in ("simd-xsimd", "simd-highway") if g.find(s, 24)[0]),
                    key=lambda s: g.find(s, 24)[0], default="simd-xsimd")
    g.speedup(3, f"best of `simd-*` (`{best_simd}`) vs `gray`, N = 24", best_simd, "gray", 24, 8)
    g.speedup(3, "`parallel` 2 threads vs 1 thread, N = 24", "parallel[threads=2]", "parallel[threads=1]", 24, 1.7)
    g.speedup(3, "`mitm` vs `reference`, N = 20", "mitm", "reference", 20, 1000)
    g.time(3, "`mitm`, N = 40, one cycle", "mitm", 40, 500)
    g.time(3, "`mitm`, a full 50-cycle solve at N = 20", "mitm", 20, 2, cycles=50)
    # Issue 8: ties cost nothing; parallel scales; SIMD against gray on both problems.
    for s in ("simd-xsimd", "simd-highway", "parallel[threads=1]", "parallel[threads=2]"):
        g.at_most(8, f"`{s}`: integer problem vs decimal problem, N = 24", s, s, 24, 1.3,
                  problem_a="integer", problem_b="decimal")
    for problem in ("default", "decimal", "integer"):
        for n in (24, 27):
            g.throughput(8, f"`parallel` 2 threads vs two solves at once (`simd-highway*2`), problem `{problem}`, "
                            f"N = {n}: share of the two-process throughput", "parallel[threads=2]", "simd-highway*2",
                         n, 0.9, problem)
        g.at_most(8, f"`parallel` 1 thread vs its kernel alone (`simd-highway`), problem `{problem}`, N = 24",
                  "parallel[threads=1]", "simd-highway", 24, 1.1, problem_a=problem, problem_b=problem)
    for problem in ("decimal", "integer"):
        for s in ("simd-xsimd", "simd-highway"):
            g.speedup(8, f"`{s}` vs `gray`, problem `{problem}`, N = 24", s, "gray", 24, 8, problem=problem)

    # Issue 13: mitm, a full solve and the four-list walk; dp, one cycle.
    g.time(13, "`mitm`, a full 50-cycle solve at N = 20, decimal problem", "mitm", 20, 0.5, cycles=50,
           problem="decimal")
    g.speedup(13, "`mitm` vs `reference`, a full 50-cycle solve at N = 20, decimal problem", "mitm", "reference", 20,
              1000, cycles=50, problem="decimal")
    g.time(13, "`mitm`, one exact cycle at N = 60", "mitm", 60, 120000)
    g.memory(13, "`mitm`, one exact cycle at N = 60: peak memory of the process", "mitm", 60, 2, inputs)
    g.time(13, "`dp`, one cycle, N = 50, coefficients 1..50, target 637", "dp", 50, 1, problem="range")
    g.time(13, "`dp`, one cycle, N = 1000, integers in +-[1, 99]", "dp", 1000, 100, problem="integer")
    # Issue 23: the exact 50-cycle solve at N = 20 under 0.3 ms, on both problems of the run.
    for problem in ("decimal", "default"):
        g.time(23, f"`mitm`, a full 50-cycle solve at N = 20, {problem} problem", "mitm", 20, 0.3, cycles=50,
               problem=problem)
    for path in inputs:
        if os.path.basename(path) == "dp.json":
            lines += dp_growth(path, load(path)[1])

    head = ["| comparison | goal | measured | isa | file | |", "|---|---|---|---|---|---|"]
    titles = {3: "Goals of issue 3 (zero-loss strategies)",
              8: "Goals of issue 8 (ties cost nothing, parallel that scales)",
              13: "Goals of issue 13 (`mitm` and `dp`)",
              23: "Goals of issue 23 (the exact 50-cycle solve)"}
    for issue in sorted(g.rows):
        lines += [f"## {titles.get(issue, f'Goals of issue {issue}')}", ""] + head + g.rows[issue] + [""]
    lines += per_line_goals
    tmp = out_path + ".partial"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main(sys.argv)

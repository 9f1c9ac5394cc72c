"""Shared by tools/fit-auto.py and tools/check-auto.py: the records of an `auto` suite
result folder, the features `auto` chooses by (the definitions of
strategies/auto/features.hpp, operation for operation), and what a plan (strategies
tried in order until one converges) would have cost on each problem.

Records are read from RESULTS/runs/*.json (the `wcs` part and Google Benchmark's
iteration runs); fields this module does not know are ignored.
"""
import glob
import json
import math
import os
import re
from collections import defaultdict

INF = math.inf
FEATURES = ["n", "span", "rel_tol", "inside", "budget"]
UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def number(x):
    return float(x)  # JSON numbers, and "inf" / "-inf" / "nan" written as text


class Run:
    """One strategy (label) on one problem instance."""

    def __init__(self, label, strategy, params, status, ms=None, cpu_ms=None, converged=False, error=None,
                 reason="", notes=None, cycles=0):
        self.label, self.strategy, self.params = label, strategy, params
        self.status = status          # "ok", "failed" (refused or broken) or "skipped" (max_n of the suite)
        self.ms, self.cpu_ms = ms, cpu_ms  # median real and CPU time of a solve, milliseconds
        self.converged, self.error = converged, error
        self.reason = reason
        self.notes = notes or {}
        self.cycles = cycles          # cycles the solve took


def median(xs):
    xs = sorted(xs)
    k = len(xs)
    return xs[k // 2] if k % 2 else 0.5 * (xs[k // 2 - 1] + xs[k // 2])


def load(results):
    """(problems, runs): instance -> problem fields; instance -> label -> Run."""
    problems, runs = {}, defaultdict(dict)
    paths = sorted(glob.glob(os.path.join(results, "runs", "*.json")))
    if not paths:
        raise SystemExit(f"{results}: no runs/*.json records")
    for path in paths:
        with open(path) as f:
            record = json.load(f)
        w = record.get("wcs") or {}
        p = w.get("problem") or {}
        inst, label = p.get("instance"), w.get("label")
        if not inst or not label:
            continue
        problems.setdefault(inst, {
            "name": p.get("name", ""),
            "n": len(p["coefficients"]),
            "coefficients": [number(a) for a in p["coefficients"]],
            "target": number(p["target"]),
            "tolerance": number(p["tolerance"]),
            "max_iter": int(p["max_iter"]),
            "initial_wpn": number(p.get("initial_wpn", 1.0)),
        })
        status = w.get("status", "")
        run = Run(label, w.get("strategy", label), w.get("params", {}), status, reason=w.get("reason", ""))
        if status == "ok":
            real, cpu = [], []
            for b in record.get("benchmarks", []):
                if b.get("run_type") != "iteration" or b.get("error_occurred"):
                    continue
                scale = UNIT_MS[b.get("time_unit", "ns")]
                real.append(b["real_time"] * scale)
                cpu.append(b["cpu_time"] * scale)
            if not real:
                continue
            result = w.get("result", {})
            run.ms, run.cpu_ms = median(real), median(cpu)
            run.converged = bool(result.get("converged"))
            run.error = number(result.get("error", "nan"))
            run.notes = result.get("notes", {})
            run.cycles = int(result.get("cycles", 0))
        runs[inst][label] = run
    return problems, runs


# ---- features: strategies/auto/features.hpp ------------------------------------------

def lowest_exponent(x):
    m, e = math.frexp(abs(x))
    mantissa = int(math.ldexp(m, 53))
    return e - 53 + (mantissa & -mantissa).bit_length() - 1


def features(p):
    magnitude = negative = positive = 0.0
    g = None
    finite = True
    for a in p["coefficients"]:
        d = a * p["initial_wpn"]
        magnitude += abs(d)
        if d < 0:
            negative += d
        else:
            positive += d
        finite = finite and math.isfinite(d)
        if d != 0.0 and math.isfinite(d):
            e = lowest_exponent(d)
            g = e if g is None else min(g, e)
    scale = abs(p["target"]) + 2.0 * magnitude
    exact = finite and math.isfinite(scale) and (g is None or scale < math.ldexp(1.0, 52 + max(g, -1074)))
    span = INF if not exact else (1.0 if g is None else math.ldexp(magnitude, -g) + 1.0)
    mean = 0.0
    for a in p["coefficients"]:
        mean += abs(a)
    mean /= len(p["coefficients"])
    inside = 1.0 if negative <= p["target"] <= positive else 0.0
    return [float(len(p["coefficients"])), span, p["tolerance"] / mean, inside, float(p["max_iter"])]


def read_tree(path):
    """The kTree rows of a fitted_rule.hpp: [(feature, threshold, below, above, plan)]."""
    with open(path) as f:
        text = f.read()
    rows = re.findall(r"^\s*\{(-?\d+), ([^,{}]+), (-?\d+), (-?\d+), (-?\d+)\},", text, re.M)
    return [(int(f), float(t), int(b), int(a), int(p)) for f, t, b, a, p in rows]


def leaf_of(x, tree):
    """The leaf of features x in the tree, as strategies/auto/rules.hpp walks it."""
    at = 0
    while tree[at][0] >= 0:
        f, t, below, above, _ = tree[at]
        at = below if x[f] <= t else above
    return at


def reported_leaf(notes):
    """The leaf auto reported in its `rule` note ("... -> plan 3 (leaf 5)"), or None."""
    m = re.search(r"\(leaf (\d+)\)$", notes.get("rule", ""))
    return int(m.group(1)) if m else None


def parse_features(text):
    """auto's `features` note -> [n, span, rel_tol, inside, budget]."""
    kv = dict(part.split("=", 1) for part in text.split())
    return [float(kv[name]) for name in FEATURES]


# ---- plans ------------------------------------------------------------------------------

def portfolio(runs, exclude=("auto",)):
    """Every label of the folder but `auto`, with (strategy, params) and the N cap the
    suite ran it under (None when it ran at every N)."""
    labels = {}
    for by_label in runs.values():
        for label, r in by_label.items():
            if r.strategy in exclude:
                continue
            labels.setdefault(label, {"strategy": r.strategy, "params": r.params, "ran_n": 0, "skipped": False})
    return labels


def caps(problems, runs, labels):
    for inst, by_label in runs.items():
        n = problems[inst]["n"]
        for label, r in by_label.items():
            if label not in labels:
                continue
            if r.status == "skipped":
                labels[label]["skipped"] = True
            else:
                labels[label]["ran_n"] = max(labels[label]["ran_n"], n)
    for info in labels.values():
        info["max_n"] = info["ran_n"] if info["skipped"] else None
    return labels


def vbs(by_label, labels, time="ms"):
    """The virtual best solver of one problem: (fastest time among the portfolio runs
    that reached the tolerance, its label), or (None, None)."""
    best = (None, None)
    for label in labels:
        r = by_label.get(label)
        if r and r.status == "ok" and r.converged:
            t = getattr(r, time)
            if best[0] is None or t < best[0]:
                best = (t, label)
    return best


# What auto adds for each attempt after the first (a dispatch, the note of the one
# before): about what its first costs, wcs-bench --choice.
ATTEMPT_MS = 0.0001

# What a refused attempt costs (its record has no time): dp checking the span of the
# first cycle and throwing, a few microseconds (wcs-bench has no refusal to time;
# a solve of the Python module that dp refuses takes 2-4 us on the machines of this
# project, its call included).
REFUSAL_MS = 0.004


def split_label(label):
    """(label of the runs, cycle cap or None) of a plan's attempt: "greedy@2" is
    greedy's run stopped after at most 2 cycles."""
    base, at, cap = label.rpartition("@")
    return (base, int(cap)) if at and cap.isdigit() else (label, None)


def capped(label, cap):
    return label if cap is None else f"{label}@{cap}"


def attempt_outcome(label, by_label, time="ms"):
    """(status, converged, time) of one attempt of a plan on one problem: its run, or
    for a capped attempt (label@k) its run stopped after k cycles, which converges
    where the run did within k cycles (a cycle does not depend on the budget) and
    otherwise costs the run's time per cycle times k."""
    base, cap = split_label(label)
    r = by_label.get(base)
    if r is None or r.status == "skipped":
        return "skipped", False, 0.0
    if r.status != "ok":
        return "failed", False, REFUSAL_MS
    t = getattr(r, time)
    if cap is None or r.cycles <= cap:
        return "ok", r.converged, t
    # A solve's fixed cost (its buffers, the result) is taken as one more cycle's.
    return "ok", False, t * (cap + 1) / (max(r.cycles, 1) + 1)


def plan_outcome(plan, by_label, time="ms", net=()):
    """(converged, time) of trying `plan` (labels) in order on one problem, then the
    labels of `net` that are not in the plan, from the runs of each label: an attempt
    the suite did not run (above its cap) is skipped, as auto skips it; a refusal costs
    REFUSAL_MS."""
    spent = 0.0
    for k, label in enumerate(list(plan) + [l for l in net if l not in plan]):
        status, converged, t = attempt_outcome(label, by_label, time)
        if status == "skipped":
            continue
        spent += t + (ATTEMPT_MS if k else 0.0)
        if converged:
            return True, spent
    return False, spent


def own_costs(runs, time="ms"):
    """auto's own cost per problem where only its first attempt ran (no `ran` note, or
    one of a single attempt, as a traced run records it): its time minus that of the
    strategy it chose, run alone, in the same folder."""
    costs = []
    for by_label in runs.values():
        a = by_label.get("auto")
        if a is None or a.status != "ok":
            continue
        chose = a.notes.get("chose")
        if not chose or "; " in a.notes.get("ran", ""):
            continue
        opts = a.notes.get("chose_options")  # records of before chose named the options too
        direct = by_label.get(f"{chose}{{{opts}}}" if opts else chose)
        if direct is not None and direct.status == "ok":
            costs.append(getattr(a, time) - getattr(direct, time))
    return costs

#!/usr/bin/env python3
"""Fits the rule of `auto` from an auto-suite result folder and writes it as C++.

    tools/fit-auto.py RESULTS_DIR [--original FILE.json] [--out strategies/auto/fitted_rule.hpp]

The rule is a decision tree over the features of strategies/auto/features.hpp (N, the
span of the first cycle's subset sums when exact, the tolerance over the mean |a|,
whether the target lies within the first cycle's sums, the budget of cycles), whose
leaves are plans: up to three attempts tried in order until one reaches the
tolerance, then the net. An attempt is a strategy of the portfolio (every label of
the folder but `auto`) or, for the labels of --caps, that strategy stopped after
K cycles (label@K, K from --cap-cycles): a cycle does not depend on the budget, so it
converges where the whole run converged within K cycles, and otherwise costs the
run's time per cycle times K. The net is every whole strategy, in the order that
converges on the most problems not yet converged on; auto runs it after a plan that
missed, so it converges wherever some strategy of the portfolio does. A plan's
outcome on a problem is read from the runs of its strategies on that problem
(tools/autosuite.py: the times add up until the first that converged; an attempt
above the N the suite ran it at is skipped, as auto skips it).

auto's own cost (its features, the walk of the tree, its notes) is added to every
plan's time: --overhead-us, by default the median measured in the same folder from
auto's runs with its previous rule (tools/autosuite.py own_costs; 0 when the folder
has fewer than 20 such runs), so that where the fastest strategy takes a tenth of a
microsecond the fit knows what auto adds. Each problem's cost for a plan:

  1000 if it misses a problem some portfolio strategy converged on (10000 if the
       original's default converged there too, from --original),
  + 30 if its time is above --margin (1.8) times the fastest strategy that converged
       (the virtual best solver): below the goal's 2, so that timing noise and auto's
       own cost have room (1.8 had the best cross-validated share of 1.6, 1.8 and 2
       on the fit suite of seed 2301),
  + log2 of its time over the virtual best's (over the fastest run when none
       converged, weighted 0.1).

The tree is grown greedily (CART): each node takes the plan of least total cost, and
is split on the feature and threshold that lower the cost of its two children most,
while each child keeps at least --min-leaf problems, the gain is at least
--min-gain and the depth at most --max-depth. Thresholds lie half-way (geometrically
for positive values) between the problems' values. Ties go to shorter plans, then to
the first in label order, so the same records give the same header. Unless both are
given, the leaf size and the depth are chosen by cross-validation on the suite itself
(four folds, dealt in problem order: the setting with the most problems within twice
the virtual best on the folds left out). Needs NumPy (Debian: python3-numpy).
"""
import argparse
import itertools
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autosuite  # noqa: E402

MISS, MISS_ORIGINAL, SLOW, UNSOLVED = 1000.0, 10000.0, 30.0, 0.1


def threshold(x, y):
    """A value between x < y: geometric mean for positive finite values."""
    if math.isinf(y):
        return x * 2 if x > 0 else x + 1
    if x > 0:
        return math.sqrt(x * y)
    return (x + y) / 2


def net_order(keys, runs, labels, time):
    """The safety net: every label that runs whole (no cycle cap), in the order that
    converges on the most suite problems not yet converged on (ties: the smaller
    median time), so that auto, after its plan, reaches the tolerance wherever some
    strategy of the portfolio does."""
    def converged(k, label):
        r = runs[k].get(label)
        return r is not None and r.status == "ok" and r.converged

    whole = [l for l in sorted(labels) if autosuite.split_label(l)[1] is None]
    left = {k for k in keys if any(converged(k, l) for l in whole)}
    order = []
    while whole:
        def score(label):
            times = [getattr(r, time) for k in keys if (r := runs[k].get(label)) and r.status == "ok"]
            return (-sum(converged(k, label) for k in left), autosuite.median(times) if times else math.inf, label)
        best = min(whole, key=score)
        order.append(best)
        whole.remove(best)
        left = {k for k in left if not converged(k, best)}
    return order


class Model:
    """What every tree is fitted from: the suite's problems, the portfolio (with the
    capped attempts, label@k), the candidate plans, the net, and each plan's cost on
    each problem (see the file comment)."""

    def __init__(self, problems, runs, original, time, max_plan, overhead, caps, cap_cycles, margin=1.8):
        self.keys = sorted(problems)
        self.margin = margin
        self.problems, self.runs, self.time, self.overhead = problems, runs, time, overhead
        self.labels = autosuite.caps(problems, runs, autosuite.portfolio(runs))
        failed = {r.label for by_label in runs.values() for r in by_label.values() if r.status == "failed"}
        if not any(l not in failed and info["max_n"] is None for l, info in self.labels.items()):
            raise SystemExit("fit-auto: no strategy of the suite ran at every N without refusing: auto could fail")
        for label in [l for l in self.labels if l in caps]:
            for k in cap_cycles:
                self.labels[autosuite.capped(label, k)] = dict(self.labels[label], cycles=k)
        names = sorted(self.labels)
        self.plans = [p for k in range(1, max_plan + 1) for p in itertools.permutations(names, k)
                      if autosuite.split_label(p[-1])[1] is None or k < max_plan]
        self.net = net_order(self.keys, runs, self.labels, time)
        self.x = np.array([autosuite.features(problems[k]) for k in self.keys])
        self.best = [autosuite.vbs(runs[k], self.labels, time)[0] for k in self.keys]
        # Where no strategy converged: the fastest run, what a plan's time is compared with.
        self.fastest = [min((getattr(r, time) for r in runs[k].values() if r.status == "ok" and r.label in self.labels),
                            default=1e-9) for k in self.keys]
        self.cost = np.array([self.plan_costs(plan, original) for plan in self.plans])

    def plan_costs(self, plan, original):
        row = []
        for j, key in enumerate(self.keys):
            best = self.best[j]
            converged, spent = autosuite.plan_outcome(plan, self.runs[key], self.time, self.net)
            spent = max(spent + self.overhead, 1e-9)
            if best is not None:
                c = 0.0 if converged else (MISS_ORIGINAL if original.get(key) else MISS)
                c += SLOW if spent > self.margin * best else 0.0
                c += math.log2(max(spent / best, 1.0))
            else:
                c = UNSOLVED * math.log2(max(spent / max(self.fastest[j], 1e-9), 1.0))
            row.append(c)
        return row

    def within(self, plan, j):
        """Whether `plan` (then the net) converges within twice the virtual best on
        problem j (None where no strategy converges)."""
        if self.best[j] is None:
            return None
        converged, spent = autosuite.plan_outcome(plan, self.runs[self.keys[j]], self.time, self.net)
        return converged and spent + self.overhead <= 2 * self.best[j]


class Fit:
    """A tree grown on some problems of a model (CART, see the file comment)."""

    def __init__(self, model, members, min_leaf, min_gain, max_depth):
        self.model = model
        self.min_leaf, self.min_gain, self.max_depth = min_leaf, min_gain, max_depth
        self.nodes = []
        self.grow(list(members), 0)

    def best_plan(self, totals):
        # Least cost, then fewer attempts, then plan order.
        plans = self.model.plans
        return min(range(len(plans)), key=lambda p: (round(float(totals[p]), 9), len(plans[p]), p))

    def grow(self, members, depth):
        totals = self.model.cost[:, members].sum(axis=1)
        plan = self.best_plan(totals)
        node = {"members": members, "plan": plan, "cost": float(totals[plan])}
        index = len(self.nodes)
        self.nodes.append(node)
        if depth < self.max_depth and len(members) >= 2 * self.min_leaf:
            split = self.best_split(members, float(totals[plan]))
            if split:
                f, t, below, above = split
                node.update(feature=f, threshold=t)
                node["below"] = self.grow(below, depth + 1)
                node["above"] = self.grow(above, depth + 1)
        return index

    def best_split(self, members, cost_here):
        best = None
        m = len(members)
        x, cost = self.model.x, self.model.cost
        for f in range(len(autosuite.FEATURES)):
            order = sorted(members, key=lambda i: (x[i][f], i))
            values = x[order, f]
            # Prefix sums of every plan's cost along the order: column k is the cost of
            # the first k problems.
            prefix = np.concatenate([np.zeros((cost.shape[0], 1)), np.cumsum(cost[:, order], axis=1)], axis=1)
            left = prefix.min(axis=0)
            right = (prefix[:, m:m + 1] - prefix).min(axis=0)
            for k in range(self.min_leaf, m - self.min_leaf + 1):
                if values[k - 1] == values[k]:
                    continue
                gain = cost_here - (left[k] + right[k])
                if gain >= self.min_gain and (best is None or gain > best[0] + 1e-9):
                    best = (gain, f, threshold(float(values[k - 1]), float(values[k])), order[:k], order[k:])
        return best[1:] if best else None

    def plan_of(self, x):
        """The plan (labels) the tree gives features x."""
        at = 0
        while "feature" in self.nodes[at]:
            node = self.nodes[at]
            at = node["below"] if x[node["feature"]] <= node["threshold"] else node["above"]
        return self.model.plans[self.nodes[at]["plan"]]


def cross_validate(model, grid, min_gain, folds=4):
    """(min_leaf, max_depth) of `grid` with the largest share of problems within 2x on
    the folds of the suite left out of the fit (problems dealt to folds in key order),
    and every setting's share."""
    n = len(model.keys)
    scores = {}
    for min_leaf, max_depth in grid:
        hit = total = 0
        for fold in range(folds):
            fit = Fit(model, [j for j in range(n) if j % folds != fold], min_leaf, min_gain, max_depth)
            for j in range(fold, n, folds):
                w = model.within(fit.plan_of(model.x[j]), j)
                if w is not None:
                    total += 1
                    hit += w
        scores[(min_leaf, max_depth)] = hit / total if total else 0.0
        print(f"fit-auto: min_leaf {min_leaf}, max_depth {max_depth}: {100 * scores[(min_leaf, max_depth)]:.1f}% "
              f"within 2x on the folds left out", file=sys.stderr)
    best = max(grid, key=lambda g: (round(scores[g], 9), g[0], -g[1]))
    return best, scores


def autosuite_list(text):
    """"a,b{x=1,y=2},c" -> ["a", "b{x=1,y=2}", "c"] (commas inside braces kept)."""
    out, item, depth = [], "", 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if ch == "," and depth == 0:
            out.append(item)
            item = ""
        else:
            item += ch
    return [x for x in out + [item] if x]


def cxx_string(s):
    return json.dumps(s)


def write_header(fit, out_path, source, time):
    attempts, attempt_index, steps, plan_rows, plan_index = [], {}, [], [], {}
    leaves = []

    def attempt_of(label):
        if label not in attempt_index:
            info = fit.model.labels[label]
            options = ",".join(f"{k}={v}" for k, v in sorted(info["params"].items()))
            max_n = "kAnyN" if info["max_n"] is None else str(info["max_n"])
            attempt_index[label] = len(attempts)
            attempts.append(f"    {{{cxx_string(info['strategy'])}, {cxx_string(options)}, {max_n}, "
                            f"{info.get('cycles', 0)}}},  // "
                            f"{len(attempts)}: {label}")
        return attempt_index[label]

    for label in fit.model.net:
        attempt_of(label)

    def plan_of(p):
        if p not in plan_index:
            first = len(steps)
            steps.extend(attempt_of(label) for label in fit.model.plans[p])
            plan_index[p] = len(plan_rows)
            plan_rows.append(f"    {{{first}, {len(fit.model.plans[p])}}},  // {len(plan_rows)}: {' -> '.join(fit.model.plans[p])}")
        return plan_index[p]

    node_rows = []
    for i, node in enumerate(fit.nodes):
        if "feature" in node:
            node_rows.append(f"    {{{node['feature']}, {node['threshold']!r}, {node['below']}, {node['above']}, -1}},"
                             f"  // {i}: {autosuite.FEATURES[node['feature']]} <= {node['threshold']:.6g}")
        else:
            p = plan_of(node["plan"])
            node_rows.append(f"    {{-1, 0.0, -1, -1, {p}}},  // {i}: leaf, {len(node['members'])} suite problems, "
                             f"cost {node['cost']:.1f}: {' -> '.join(fit.model.plans[node['plan']])}")
            leaves.append(i)
    min_leaf, max_depth, share = fit.cv
    how = (f"cross-validated on 4 folds of the suite, {100 * share:.1f}% within 2x on the folds left out"
           if share is not None else "given")
    text = [
        "// Generated by tools/fit-auto.py; do not edit. The rule of `auto` (strategies/auto/rules.hpp),",
        f"// fitted on {source} ({'real' if time == 'ms' else 'CPU'} times, auto's own cost "
        f"{1000 * fit.model.overhead:.3g} us): {len(fit.model.keys)} problems, a portfolio of {len(fit.model.labels)} strategies,",
        f"// {len(fit.nodes)} nodes, {len(leaves)} leaves; at least {min_leaf} problems a leaf, depth at most "
        f"{max_depth} ({how}).",
        "// Regenerate: tools/fit-auto.py RESULTS_DIR.",
        "#pragma once",
        "",
        "namespace wcs::autorule {",
        "",
        "inline constexpr Attempt kAttempts[] = {",
        *attempts,
        "};",
        "",
        "// The attempts of the plans, as indices into kAttempts.",
        f"inline constexpr int kSteps[] = {{{', '.join(str(x) for x in steps)}}};",
        "",
        "inline constexpr Plan kPlans[] = {",
        *plan_rows,
        "};",
        "",
        "// After a plan that did not reach the tolerance, the rest of the portfolio in this order.",
        f"inline constexpr int kNet[] = {{{', '.join(str(attempt_index[l]) for l in fit.model.net)}}};  // "
        f"{' -> '.join(fit.model.net)}",
        "",
        "inline constexpr Node kTree[] = {",
        *node_rows,
        "};",
        "",
        "}  // namespace wcs::autorule",
        "",
    ]
    tmp = out_path + ".partial"
    with open(tmp, "w") as f:
        f.write("\n".join(text))
    os.replace(tmp, out_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", help="auto-suite result folder (runs/*.json)")
    ap.add_argument("--original", help="tools/original-default.py output: problems the original's default converges on")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "strategies", "auto",
                                                  "fitted_rule.hpp"))
    ap.add_argument("--time", choices=["ms", "cpu_ms"], default="ms", help="real (ms, default) or CPU time")
    ap.add_argument("--min-leaf", type=int, help="fewest suite problems in a leaf (default: cross-validated)")
    ap.add_argument("--min-gain", type=float, default=1.0)
    ap.add_argument("--max-depth", type=int, help="deepest leaf (default: cross-validated)")
    ap.add_argument("--max-plan", type=int, default=3, help="most strategies in a plan")
    ap.add_argument("--caps", default="greedy,greedy{pair_flips=true},original,mitm",
                    help="labels also tried stopped after a few cycles (comma-separated, outside braces)")
    ap.add_argument("--cap-cycles", default="1,3", help="the cycle caps of those attempts (comma-separated)")
    ap.add_argument("--margin", type=float, default=1.8,
                    help="a plan slower than this times the virtual best costs most after a miss (default 1.8)")
    ap.add_argument("--overhead-us", type=float,
                    help="auto's own cost added to every plan's time, in us (default: the median measured in RESULTS_DIR)")
    args = ap.parse_args()

    if not math.isfinite(args.margin) or args.margin < 1:
        ap.error(f"--margin: {args.margin} is not a finite factor >= 1")
    for k in autosuite_list(args.cap_cycles):
        if not k.isdigit() or int(k) < 1:
            ap.error(f"--cap-cycles: '{k}' is not a number of cycles >= 1")
    problems, runs = autosuite.load(args.results)
    original = {}
    if args.original:
        with open(args.original) as f:
            original = {k: v.get("converged", False) for k, v in json.load(f)["instances"].items()}
    if args.overhead_us is not None:
        if not math.isfinite(args.overhead_us) or args.overhead_us < 0:
            ap.error(f"--overhead-us: {args.overhead_us} is not a finite time >= 0")
        overhead, how = args.overhead_us / 1000, "given"
    else:
        costs = autosuite.own_costs(runs, args.time)
        overhead = autosuite.median(costs) if len(costs) >= 20 else 0.0
        how = f"median of {len(costs)} runs" if len(costs) >= 20 else f"{len(costs)} runs: not enough, 0"
        if not math.isfinite(overhead) or overhead < 0:  # noise: auto measured faster than what it ran
            overhead, how = 0.0, how + ", below 0: 0"
    print(f"fit-auto: auto's own cost {1000 * overhead:.3g} us ({how})", file=sys.stderr)
    model = Model(problems, runs, original, args.time, args.max_plan, overhead, set(autosuite_list(args.caps)),
                  [int(k) for k in autosuite_list(args.cap_cycles)], args.margin)
    print(f"fit-auto: {len(model.keys)} problems, {len(model.labels)} attempts, {len(model.plans)} candidate plans",
          file=sys.stderr)
    grid = [(leaf, depth) for leaf in ([args.min_leaf] if args.min_leaf else [3, 5, 10, 20])
            for depth in ([args.max_depth] if args.max_depth else [3, 5, 8])]
    (min_leaf, max_depth), scores = (grid[0], {}) if len(grid) == 1 else cross_validate(model, grid, args.min_gain)
    fit = Fit(model, range(len(model.keys)), min_leaf, args.min_gain, max_depth)
    fit.cv = (min_leaf, max_depth, scores.get((min_leaf, max_depth)))
    source = os.path.basename(os.path.normpath(args.results)).removesuffix(".partial")
    write_header(fit, os.path.normpath(args.out), f"the result folder {source}", args.time)
    leaves = [n for n in fit.nodes if "feature" not in n]
    print(f"fit-auto: {len(model.keys)} problems, {len(model.plans)} candidate plans, {len(leaves)} leaves, "
          f"total cost {sum(n['cost'] for n in leaves):.1f} -> {os.path.normpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fits the rule of `auto` from an auto-suite result folder and writes it as C++.

    tools/fit-auto.py RESULTS_DIR [--original FILE.json] [--out strategies/auto/fitted_rule.hpp]

The rule is a decision tree over the features of strategies/auto/features.hpp (N, the
span of the first cycle's subset sums when exact, the tolerance over the mean |a|,
whether the target lies within the first cycle's sums), whose leaves are plans: up to
three strategies of the portfolio (every label of the folder but `auto`) tried in
order until one reaches the tolerance. A plan's outcome on a problem is read from the
runs of its strategies on that problem (tools/autosuite.py: the times add up until
the first that converged; an attempt above the N the suite ran it at is skipped, as
auto skips it).

auto's own cost (its features, the walk of the tree, its notes) is added to every
plan's time: --overhead-us, by default the median measured in the same folder from
auto's runs with its previous rule (tools/autosuite.py own_costs; 0 when the folder
has fewer than 20 such runs), so that where the fastest strategy takes a tenth of a
microsecond the fit knows what auto adds. Each problem's cost for a plan:

  1000 if it misses a problem some portfolio strategy converged on (10000 if the
       original's default converged there too, from --original),
  + 30 if its time is above twice the fastest strategy that converged (the virtual
       best solver),
  + log2 of its time over the virtual best's (over the fastest run when none
       converged, weighted 0.1).

Every plan holds at least one strategy that the suite ran at every N and that never
refused a problem (greedy, sampling, ...), so auto answers every valid problem.

The tree is grown greedily (CART): each node takes the plan of least total cost, and
is split on the feature and threshold that lower the cost of its two children most,
while each child keeps at least --min-leaf problems, the gain is at least
--min-gain and the depth at most --max-depth. Thresholds lie half-way (geometrically
for positive values) between the problems' values. Ties go to shorter plans, then to
the first in label order, so the same records give the same header.
"""
import argparse
import itertools
import json
import math
import os
import sys

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


class Fit:
    def __init__(self, problems, runs, original, time, min_leaf, min_gain, max_depth, max_plan, overhead=0.0):
        self.keys = sorted(problems)
        self.labels = autosuite.caps(problems, runs, autosuite.portfolio(runs))
        names = sorted(self.labels)
        # Every plan holds a strategy the suite ran at every N and that never refused,
        # so that auto has an answer for every valid problem, whatever leaf it lands in.
        failed = {r.label for by_label in runs.values() for r in by_label.values() if r.status == "failed"}
        safe = {l for l in names if self.labels[l]["max_n"] is None and l not in failed}
        if not safe:
            raise SystemExit("fit-auto: no strategy of the suite ran at every N without refusing: no plan is safe")
        self.plans = [p for k in range(1, max_plan + 1) for p in itertools.permutations(names, k) if safe & set(p)]
        self.x = [autosuite.features(problems[k]) for k in self.keys]
        best = [autosuite.vbs(runs[k], self.labels, time)[0] for k in self.keys]
        fastest = [min((getattr(r, time) for r in runs[k].values() if r.status == "ok" and r.label in self.labels),
                       default=1e-9) for k in self.keys]
        self.cost = []  # per plan, per problem
        for plan in self.plans:
            row = []
            for j, key in enumerate(self.keys):
                converged, spent = autosuite.plan_outcome(plan, runs[key], time)
                spent = max(spent + overhead, 1e-9)
                if best[j] is not None:
                    c = 0.0 if converged else (MISS_ORIGINAL if original.get(key) else MISS)
                    c += SLOW if spent > 2 * best[j] else 0.0
                    c += math.log2(max(spent / best[j], 1.0))
                else:
                    c = UNSOLVED * math.log2(max(spent / max(fastest[j], 1e-9), 1.0))
                row.append(c)
            self.cost.append(row)
        self.min_leaf, self.min_gain, self.max_depth = min_leaf, min_gain, max_depth
        self.overhead = overhead
        self.nodes = []

    def best_plan(self, totals):
        # Least cost, then fewer attempts, then plan order.
        return min(range(len(self.plans)), key=lambda p: (round(totals[p], 9), len(self.plans[p]), p))

    def grow(self, members, depth):
        totals = [sum(row[i] for i in members) for row in self.cost]
        plan = self.best_plan(totals)
        node = {"members": members, "plan": plan, "cost": totals[plan]}
        index = len(self.nodes)
        self.nodes.append(node)
        if depth < self.max_depth and len(members) >= 2 * self.min_leaf:
            split = self.best_split(members, totals[plan])
            if split:
                f, t, below, above = split
                node.update(feature=f, threshold=t)
                node["below"] = self.grow(below, depth + 1)
                node["above"] = self.grow(above, depth + 1)
        return index

    def best_split(self, members, cost_here):
        best = None
        for f in range(len(autosuite.FEATURES)):
            order = sorted(members, key=lambda i: (self.x[i][f], i))
            values = [self.x[i][f] for i in order]
            # Prefix sums of every plan's cost along the order.
            prefix = []
            for row in self.cost:
                acc, sums = 0.0, [0.0]
                for i in order:
                    acc += row[i]
                    sums.append(acc)
                prefix.append(sums)
            m = len(order)
            for k in range(self.min_leaf, m - self.min_leaf + 1):
                if values[k - 1] == values[k]:
                    continue
                left = min(s[k] for s in prefix)
                right = min(s[m] - s[k] for s in prefix)
                gain = cost_here - (left + right)
                if gain >= self.min_gain and (best is None or gain > best[0] + 1e-9):
                    best = (gain, f, threshold(values[k - 1], values[k]), order[:k], order[k:])
        return best[1:] if best else None


def cxx_string(s):
    return json.dumps(s)


def write_header(fit, out_path, source, time):
    attempts, plan_rows, plan_index = [], [], {}
    leaves = []

    def plan_of(p):
        if p not in plan_index:
            first = len(attempts)
            for label in fit.plans[p]:
                info = fit.labels[label]
                options = ",".join(f"{k}={v}" for k, v in sorted(info["params"].items()))
                max_n = "kAnyN" if info["max_n"] is None else str(info["max_n"])
                attempts.append(f"    {{{cxx_string(info['strategy'])}, {cxx_string(options)}, {max_n}}},  // {label}")
            plan_index[p] = len(plan_rows)
            plan_rows.append(f"    {{{first}, {len(fit.plans[p])}}},  // {' -> '.join(fit.plans[p])}")
        return plan_index[p]

    node_rows = []
    for i, node in enumerate(fit.nodes):
        if "feature" in node:
            node_rows.append(f"    {{{node['feature']}, {node['threshold']!r}, {node['below']}, {node['above']}, -1}},"
                             f"  // {i}: {autosuite.FEATURES[node['feature']]} <= {node['threshold']:.6g}")
        else:
            p = plan_of(node["plan"])
            node_rows.append(f"    {{-1, 0.0, -1, -1, {p}}},  // {i}: leaf, {len(node['members'])} suite problems, "
                             f"cost {node['cost']:.1f}: {' -> '.join(fit.plans[node['plan']])}")
            leaves.append(i)
    text = [
        "// Generated by tools/fit-auto.py; do not edit. The rule of `auto` (strategies/auto/rules.hpp),",
        f"// fitted on {source} ({'real' if time == 'ms' else 'CPU'} times, auto's own cost "
        f"{1000 * fit.overhead:.3g} us): {len(fit.keys)} problems, a portfolio of {len(fit.labels)} strategies,",
        f"// {len(fit.nodes)} nodes, {len(leaves)} leaves. Regenerate: tools/fit-auto.py RESULTS_DIR.",
        "#pragma once",
        "",
        "namespace wcs::autorule {",
        "",
        "inline constexpr Attempt kAttempts[] = {",
        *attempts,
        "};",
        "",
        "inline constexpr Plan kPlans[] = {",
        *plan_rows,
        "};",
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
    ap.add_argument("--min-leaf", type=int, default=5)
    ap.add_argument("--min-gain", type=float, default=1.0)
    ap.add_argument("--max-depth", type=int, default=10)
    ap.add_argument("--max-plan", type=int, default=3, help="most strategies in a plan")
    ap.add_argument("--overhead-us", type=float,
                    help="auto's own cost added to every plan's time, in us (default: the median measured in RESULTS_DIR)")
    args = ap.parse_args()

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
    fit = Fit(problems, runs, original, args.time, args.min_leaf, args.min_gain, args.max_depth, args.max_plan,
              overhead)
    fit.grow(list(range(len(fit.keys))), 0)
    source = os.path.basename(os.path.normpath(args.results))
    write_header(fit, os.path.normpath(args.out), f"the result folder {source}", args.time)
    leaves = [n for n in fit.nodes if "feature" not in n]
    print(f"fit-auto: {len(fit.keys)} problems, {len(fit.plans)} candidate plans, {len(leaves)} leaves, "
          f"total cost {sum(n['cost'] for n in leaves):.1f} -> {os.path.normpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Plots of a results folder from its CSV tables (written by `wcs report`).

    tools/plot.py results/quick            # writes results/quick/plots/*.png

time_vs_n.png: median time per solve against N, log scale, one line per strategy
(one figure panel per problem). convergence_vs_n.png: convergence rate against N.
Uses matplotlib from Debian (python3-matplotlib) with the Agg backend; the same
tables give the same pictures.
"""
import csv
import os
import sys
from collections import OrderedDict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_table(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def series(rows, value):
    """problem -> strategy -> [(N, value)], in table order; empty cells left out."""
    out = OrderedDict()
    for r in rows:
        if r.get(value, "") == "":
            continue
        problem = r["problem"] + (" (max_iter " + r["max_iter"] + ")")
        out.setdefault(problem, OrderedDict()).setdefault(r["strategy"], []).append((int(r["N"]), float(r[value])))
    return out


def plot(data, ylabel, title, path, log):
    if not data:
        return False
    panels = len(data)
    fig, axes = plt.subplots(1, panels, figsize=(7.5 * panels, 4.5), squeeze=False)
    for ax, (problem, by_strategy) in zip(axes[0], data.items()):
        for strategy, points in by_strategy.items():
            points = sorted(points)
            # Ten colours, three line styles: fifteen strategies stay distinguishable.
            k = list(by_strategy).index(strategy)
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="os^"[k // 10 % 3], markersize=3,
                    linestyle=["-", "--", ":"][k // 10 % 3], label=strategy)
        ax.set_title(problem, fontsize=10)
        ax.set_xlabel("N (coefficients)")
        ax.set_ylabel(ylabel)
        if log:
            ax.set_yscale("log")
        ns = [p[0] for points in by_strategy.values() for p in points]
        if ns and max(ns) > 20 * min(ns):  # N from a few to a thousand: log scale too
            ax.set_xscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside the lines
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return True


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    results = argv[1]
    tables = os.path.join(results, "tables")
    if not os.path.isfile(os.path.join(tables, "speed.csv")):
        print("plot.py: %s: no tables/speed.csv (run `wcs report %s` first)" % (results, results), file=sys.stderr)
        return 2
    out = os.path.join(results, "plots")
    os.makedirs(out, exist_ok=True)
    name = os.path.basename(os.path.normpath(results))
    try:  # the experiment's own name, not the folder's (which may be a shard or .partial)
        import json
        with open(os.path.join(results, "experiment.json")) as f:
            name = json.load(f).get("name", name)
    except (OSError, ValueError):
        pass
    written = []
    speed = series(read_table(os.path.join(tables, "speed.csv")), "median ms")
    path = os.path.join(out, "time_vs_n.png")
    if plot(speed, "median time per solve (ms, log scale)", name + ": time against N", path, True):
        written.append(path)
    accuracy = series(read_table(os.path.join(tables, "accuracy.csv")), "converged")
    path = os.path.join(out, "convergence_vs_n.png")
    if plot(accuracy, "convergence rate", name + ": convergence rate against N", path, False):
        written.append(path)
    for p in written:
        print("wrote", p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

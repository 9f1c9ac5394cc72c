#!/usr/bin/python3
"""Plots of a results folder from its CSV tables (written by `wcs report`).

    tools/plot.py results/quick            # writes results/quick/plots/*.png

time_vs_n.png          median time per solve against N, 95% bootstrap band
convergence_vs_n.png   convergence rate against N, 95% Wilson error bars
speedup.png            speed-up against the baseline, bars with 95% intervals
ecdf.png               fraction of runs that reached the tolerance within a budget
                       of evaluations and of time (ECDF of runtime-to-target)
profile.png            Dolan-More performance profile on the time to the target
error_vs_cycle.png     best error so far against cycle (traced runs: median, band
error_vs_evaluations.png   from the smallest to the largest run), and against
                       evaluations

Every panel holds at most eight series: one column of panels per strategy family
(split when a family has more), the baseline drawn in black in each. Colours are
the Okabe-Ito palette (safe for colour-blind readers) with a distinct marker per
series; a panel never has a single x value (such problems appear in the tables and
the speed-up bars instead). A trajectory that a cap cut short is drawn as far as it
goes and its series says how many were cut. The plots are drawn beside the old ones
and swapped in when all are done: a failure (a full disk) leaves the old set whole. Uses matplotlib from Debian (python3-matplotlib) with
the Agg backend and numpy; the same tables give the same pictures.
"""
import csv
import ctypes
import glob
import json
import math
import os
import shutil
import socket
import sys
import tempfile
from collections import OrderedDict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

PAGE_WIDTH = 9.0  # inches: the width of a page at 110 dpi
DPI = 110
MAX_SERIES = 8
BASELINE_STYLE = {"color": "#000000", "marker": "o"}
# Okabe-Ito without black (kept for the baseline), darkest first; yellow last.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"]
MARKERS = ["s", "^", "D", "v", "P", "X", "*"]
FAMILY_ORDER = ["identical", "converging", "peer"]


def read_table(path):
    if not os.path.isfile(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(text):
    return float(text) if text not in ("", None) else math.nan


def panel_key(r):
    return (r["problem"], r["max_iter"], r["tolerance"])


def panel_title(key):
    problem, max_iter, tolerance = key
    return "%s (max_iter %s, tol %s)" % (problem, max_iter, tolerance)


class Layout:
    """Strategies in columns of at most MAX_SERIES series, one column per family
    (or part of one), each with its own colours and markers; the baseline in each."""

    def __init__(self, rows, baseline):
        families = OrderedDict()
        for r in rows:
            families.setdefault(r["family"], [])
            if r["strategy"] not in families[r["family"]]:
                families[r["family"]].append(r["strategy"])
        order = [f for f in FAMILY_ORDER if f in families] + [f for f in families if f not in FAMILY_ORDER]
        self.baseline = baseline
        self.columns = []  # (title, [strategies]) with the baseline first
        for fam in order:
            members = [s for s in families[fam] if s != baseline]
            room = MAX_SERIES - (1 if baseline else 0)
            parts = [members[i:i + room] for i in range(0, len(members), room)] or [[]]
            for k, part in enumerate(parts):
                if not part:
                    continue
                title = fam + ("" if len(parts) == 1 else " (%d of %d)" % (k + 1, len(parts)))
                self.columns.append((title, ([baseline] if baseline else []) + part))

    def style(self, column, strategy):
        if strategy == self.baseline:
            return dict(BASELINE_STYLE)
        members = [s for s in self.columns[column][1] if s != self.baseline]
        k = members.index(strategy)
        return {"color": COLOURS[k % len(COLOURS)], "marker": MARKERS[k % len(MARKERS)]}


def figure(nrows, ncols, row_height, legend_rows=1.0):
    """A page-wide figure; constrained layout leaves room for the legends under the
    bottom row."""
    return plt.subplots(nrows, ncols, figsize=(PAGE_WIDTH, row_height * nrows + 0.9 + 0.5 * legend_rows),
                        squeeze=False, layout="constrained")


def finish(fig, title, path, written):
    fig.suptitle(title, fontsize=10)
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    written.append(path)


def legend(ax):
    """The legend of a column of panels, under its bottom panel."""
    ax.legend(fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False,
              handlelength=2.2, columnspacing=1.0)


def dress(ax, title, xlabel=None, ylabel=None, with_legend=False):
    """Grid, small ticks, the panel's title, the labels given, the legend if asked."""
    ax.grid(True, which="major", alpha=0.3)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=7.5)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8)
    if with_legend:
        legend(ax)


def seconds_text(x, _pos=None):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if x >= scale or unit == "ns":
            return "%g %s" % (float("%.3g" % (x / scale)), unit)
    return "%g" % x


def time_axis(axis):
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(seconds_text))


def label_of(strategy, baseline):
    return strategy + (" (baseline)" if strategy == baseline else "")


def by_panel(rows):
    """panel key -> rows, in table order, only panels with more than one N."""
    panels = OrderedDict()
    for r in rows:
        panels.setdefault(panel_key(r), []).append(r)
    return OrderedDict((k, v) for k, v in panels.items() if len({r["n"] for r in v}) > 1)


def log_x_if_wide(ax, ns):
    if ns and max(ns) > 20 * min(ns):
        ax.set_xscale("log")


def plot_lines(rows, layout, value, lo, hi, ylabel, title, path, written, log_y, bars=False):
    panels = by_panel(rows)
    if not panels or not layout.columns:
        return
    ncols = len(layout.columns)
    fig, axes = figure(len(panels), ncols, 2.6)
    for i, (key, prow) in enumerate(panels.items()):
        ns = sorted({int(r["n"]) for r in prow})
        for j, (col_title, members) in enumerate(layout.columns):
            ax = axes[i][j]
            spread = max(ns) / min(ns) if min(ns) > 0 else 1
            for k, s in enumerate(members):
                pts = sorted((int(r["n"]), num(r[value]), num(r[lo]), num(r[hi])) for r in prow
                             if r["strategy"] == s and r[value] != "")
                if not pts:
                    continue
                st = layout.style(j, s)
                xs = [p[0] for p in pts]
                if bars:  # a small sideways shift keeps equal values apart (rates of 100%)
                    offset = k - (len(members) - 1) / 2
                    if spread > 20:
                        xs = [x * (1 + 0.015 * offset) for x in xs]
                    else:
                        xs = [x + 0.008 * offset * (ns[-1] - ns[0]) for x in xs]
                ys = [p[1] for p in pts]
                dashes = "--" if s == layout.baseline else "-"
                if bars:
                    err = [[max(0, p[1] - p[2]) for p in pts], [max(0, p[3] - p[1]) for p in pts]]
                    ax.errorbar(xs, ys, yerr=err, color=st["color"], marker=st["marker"], markersize=3.5,
                                linewidth=1.1, linestyle=dashes, capsize=2, elinewidth=0.6,
                                label=label_of(s, layout.baseline))
                else:
                    ax.plot(xs, ys, color=st["color"], marker=st["marker"], markersize=3.5, linewidth=1.1,
                            linestyle=dashes, label=label_of(s, layout.baseline))
                    ax.fill_between(xs, [p[2] for p in pts], [p[3] for p in pts], color=st["color"], alpha=0.15,
                                    linewidth=0)
            log_x_if_wide(ax, ns)
            if bars:
                ax.set_ylim(-0.03, 1.05)
            if log_y:
                ax.set_yscale("log")
                time_axis(ax.yaxis)
            last = i == len(panels) - 1
            dress(ax, (col_title + "\n" if i == 0 else "") + panel_title(key), "N (coefficients)" if last else None,
                  ylabel if j == 0 else None, last)
    finish(fig, title, path, written)


def plot_speedup(rows, baseline, title, path, written):
    rows = [r for r in rows if r["speedup"] != "" and r["strategy"] != r["baseline"]]
    if not rows:
        return
    panels = OrderedDict()
    singles = OrderedDict()
    grouped = OrderedDict()
    for r in rows:
        grouped.setdefault(panel_key(r), []).append(r)
    for key, prow in grouped.items():
        ns = sorted({int(r["n"]) for r in prow})
        if len(ns) > 1:
            # At most four N: the largest and others spread below it.
            pick = [ns[round(i * (len(ns) - 1) / 3)] for i in range(4)] if len(ns) > 4 else ns
            panels[panel_title(key)] = [(("N=%d" % n), [r for r in prow if int(r["n"]) == n]) for n in sorted(set(pick))]
        else:
            singles[key[0]] = prow
    if singles:
        items = list(singles.items())[:6]
        panels["problems of one size each"] = [("%s N=%s" % (p, prow[0]["n"]), prow) for p, prow in items]
    strategies = list(OrderedDict((r["strategy"], None) for r in rows))
    ncols = 2 if len(panels) > 1 else 1
    nrows = math.ceil(len(panels) / ncols)
    height = 0.9 + 0.11 * len(strategies) * max(len(g) for g in panels.values())
    fig, axes = plt.subplots(nrows, ncols, figsize=(PAGE_WIDTH, height * nrows + 0.6), squeeze=False,
                             layout="constrained")
    for idx, (ptitle, groups) in enumerate(panels.items()):
        ax = axes[idx // ncols][idx % ncols]
        width = 0.8 / len(groups)
        for g, (gname, grows) in enumerate(groups):
            vals = {r["strategy"]: r for r in grows}
            ys, xs, lo, hi = [], [], [], []
            for k, s in enumerate(strategies):
                if s in vals:
                    v = vals[s]
                    ys.append(k + (g - (len(groups) - 1) / 2) * width)
                    xs.append(num(v["speedup"]))
                    lo.append(max(0.0, num(v["speedup"]) - num(v["speedup_ci_low"])))
                    hi.append(max(0.0, num(v["speedup_ci_high"]) - num(v["speedup"])))
            bases = {r["baseline"] for r in grows}
            name = gname + ("" if bases == {baseline} else " vs " + "/".join(sorted(bases)))
            # Bars grow from 1 (as fast as the baseline): right is faster, left slower.
            ax.barh(ys, [x - 1 for x in xs], left=1.0, height=width, color=COLOURS[g % len(COLOURS)], label=name)
            ax.errorbar(xs, ys, xerr=[lo, hi], fmt="none", ecolor="#000000", elinewidth=0.8, capsize=1.5)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _p: "%gx" % x))
        ax.axvline(1.0, color="#000000", linewidth=0.8)
        ax.set_yticks(range(len(strategies)))
        ax.set_yticklabels(strategies, fontsize=7)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(True, axis="x", which="major", alpha=0.3)
        ax.set_title(ptitle, fontsize=8)
        ax.set_xlabel("speed-up against %s (log; right of 1x is faster)" % baseline, fontsize=8)
        ax.legend(fontsize=6.5, loc="upper left", framealpha=0.9)
    for idx in range(len(panels), nrows * ncols):
        axes[idx // ncols][idx % ncols].set_visible(False)
    finish(fig, title, path, written)


def steps(points):
    """ECDF steps as x, y lists starting at y = 0."""
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    return xs, ys


def plot_ecdf(rows, layout, title, path, written):
    if not rows or not layout.columns:
        return
    measures = [("evaluations", "budget of line evaluations"), ("seconds", "budget of time per solve")]
    fig, axes = figure(len(measures), len(layout.columns), 2.4)
    for i, (measure, xlabel) in enumerate(measures):
        mrows = [r for r in rows if r["measure"] == measure]
        xs_all = [num(r["budget"]) for r in mrows if num(r["budget"]) > 0]
        if not xs_all:
            continue
        left, right = min(xs_all) / 2, max(xs_all) * 2
        for j, (col_title, members) in enumerate(layout.columns):
            ax = axes[i][j]
            for s in members:
                pts = [(num(r["budget"]), num(r["fraction"])) for r in mrows if r["strategy"] == s]
                st = layout.style(j, s)
                xs, ys = steps(pts)
                ax.step([left] + xs + [right], [0.0] + ys + [ys[-1] if ys else 0.0], where="post",
                        color=st["color"], linewidth=1.2, linestyle="--" if s == layout.baseline else "-",
                        label=label_of(s, layout.baseline))
                ax.plot(xs, ys, linestyle="none", marker=st["marker"], markersize=2.5, color=st["color"])
            ax.set_xscale("log")
            if measure == "seconds":
                time_axis(ax.xaxis)
            ax.set_xlim(left, right)
            ax.set_ylim(-0.02, 1.02)
            dress(ax, col_title if i == 0 else "", xlabel, "fraction of runs at tolerance" if j == 0 else None,
                  i == len(measures) - 1)
    finish(fig, title, path, written)


def plot_profile(rows, layout, title, path, written):
    if not rows or not layout.columns:
        return
    taus = [num(r["tau"]) for r in rows]
    right = max(2.0, max(taus) * 1.5)
    fig, axes = figure(1, len(layout.columns), 3.0)
    for j, (col_title, members) in enumerate(layout.columns):
        ax = axes[0][j]
        for s in members:
            pts = [(num(r["tau"]), num(r["fraction"])) for r in rows if r["strategy"] == s]
            st = layout.style(j, s)
            xs, ys = steps(pts)
            ax.step([1.0] + xs + [right], [0.0] + ys + [ys[-1] if ys else 0.0], where="post", color=st["color"],
                    linewidth=1.2, linestyle="--" if s == layout.baseline else "-", label=label_of(s, layout.baseline))
            ax.plot(xs, ys, linestyle="none", marker=st["marker"], markersize=2.5, color=st["color"])
        ax.set_xscale("log", base=2)
        ax.set_xlim(1.0, right)
        ax.set_ylim(-0.02, 1.02)
        dress(ax, col_title, "tau: within this factor of the fastest",
              "fraction of problem instances" if j == 0 else None, True)
    finish(fig, title, path, written)


def trajectory_panels(rows):
    """(problem, max_iter, tol, N) -> strategy -> run -> (source, [(cycle, evals, best_error)]):
    one N per problem (the largest traced), problems where some run took more than one
    cycle, at most three."""
    runs = OrderedDict()
    for r in rows:
        key = (r["problem"], r["max_iter"], r["tolerance"], int(r["n"]))
        # A trajectory a cap cut short (complete 0) is drawn, and its label says so.
        source = r["source"] if r.get("complete", "1") != "0" else r["source"] + " cut"
        run = runs.setdefault(key, OrderedDict()).setdefault(r["strategy"], OrderedDict()).setdefault(
            r["run_key"], (source, []))
        run[1].append((num(r["cycle"]), num(r["evaluations"]), num(r["best_error"])))
    largest = OrderedDict()
    for key, strategies in runs.items():
        if not any(len(pts) > 1 for runs_ in strategies.values() for _src, pts in runs_.values()):
            continue  # every run done in one cycle: no trajectory to show
        p = key[:3]
        if p not in largest or key[3] > largest[p][3]:
            largest[p] = key
    return OrderedDict((k, runs[k]) for k in list(largest.values())[:3])


def median_band(series_list, grid, index):
    """Median, smallest and largest of best error at each grid point over runs (a run
    ended early keeps its last value; a run not started yet is left out)."""
    med, lo, hi = [], [], []
    for g in grid:
        vals = []
        for pts in series_list:
            before = [p[2] for p in pts if p[index] <= g]
            if before:
                vals.append(before[-1])
        if vals:
            med.append(float(np.median(vals)))
            lo.append(min(vals))
            hi.append(max(vals))
        else:
            med.append(math.nan)
            lo.append(math.nan)
            hi.append(math.nan)
    return med, lo, hi


def plot_trajectories(rows, layout, by, title, path, written):
    panels = trajectory_panels(rows)
    if not panels or not layout.columns:
        return
    index = 0 if by == "cycle" else 1
    fig, axes = figure(len(panels), len(layout.columns), 2.5)
    for i, (key, strategies) in enumerate(panels.items()):
        problem, max_iter, tol, n = key
        xs_all = [p[index] for runs in strategies.values() for _s, pts in runs.values() for p in pts]
        positive = [p[2] for runs in strategies.values() for _s, pts in runs.values() for p in pts if p[2] > 0]
        lo_x, hi_x = max(min(xs_all), 1), max(max(xs_all), 2)
        grid = sorted(set(np.unique(np.round(np.geomspace(lo_x, hi_x, 80))).tolist()) | ({hi_x} if index else set()))
        if index == 0:
            grid = list(range(int(lo_x), int(hi_x) + 1))
        for j, (col_title, members) in enumerate(layout.columns):
            ax = axes[i][j]
            for s in members:
                if s not in strategies:
                    continue
                st = layout.style(j, s)
                series = [pts for _src, pts in strategies[s].values()]
                final_only = all(src == "final" for src, _pts in strategies[s].values())
                cut = sum(src.endswith(" cut") for src, _pts in strategies[s].values())
                cut_note = " (%d trajector%s cut)" % (cut, "y" if cut == 1 else "ies") if cut else ""
                dashes = "--" if s == layout.baseline else "-"
                if all(len(pts) == 1 for pts in series):  # one point per run: markers
                    ax.plot([pts[0][index] for pts in series], [pts[0][2] for pts in series], linestyle="none",
                            marker=st["marker"], color=st["color"], markersize=4,
                            label=label_of(s, layout.baseline) + (" (no trace: final state)" if final_only else ""))
                    continue
                med, lo, hi = median_band(series, grid, index)
                ax.plot(grid, med, color=st["color"], linewidth=1.2, linestyle=dashes,
                        label=label_of(s, layout.baseline) + cut_note, marker=st["marker"], markersize=2.5,
                        markevery=max(1, len(grid) // 8))
                ax.fill_between(grid, lo, hi, color=st["color"], alpha=0.08, linewidth=0)
            tol_value = float(tol)
            if tol_value > 0:
                ax.axhline(tol_value, color="#555555", linewidth=0.8, linestyle=":")
            # Linear near 0 (exact hits), logarithmic above: from a hundredth of the
            # tolerance, so rounding residues far below it read as reached.
            floor = tol_value / 100 if tol_value > 0 else (min(positive) if positive else 1e-3)
            ax.set_yscale("symlog", linthresh=floor)
            ax.yaxis.set_major_locator(matplotlib.ticker.SymmetricalLogLocator(linthresh=floor, base=10))
            ax.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
            ax.set_ylim(bottom=0)
            log_x = index == 1 or hi_x > 50 * lo_x
            ax.set_xscale("log" if log_x else "linear")
            ax.set_xlim(lo_x / 1.3 if log_x else lo_x - 0.5, hi_x * 1.3 if log_x else hi_x + 0.5)
            last = i == len(panels) - 1
            dress(ax, (col_title + "\n" if i == 0 else "") + "%s N=%d (max_iter %s)" % (problem, n, max_iter),
                  ("cycle" if index == 0 else "line evaluations") if last else None,
                  "best |r - target| so far" if j == 0 else None, last)
    finish(fig, title, path, written)


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    results = argv[1]
    tables = os.path.join(results, "tables")
    if not os.path.isfile(os.path.join(tables, "speed.csv")):
        print("plot.py: %s: no tables/speed.csv (run `wcs report %s` first)" % (results, results), file=sys.stderr)
        return 2
    final = os.path.join(results, "plots")
    # The new set is drawn beside the old one and swapped in when complete (swap_in).
    out = tempfile.mkdtemp(prefix=".wcs-new.plots.tmp.%s.%d." % (socket.gethostname().replace(".", "_"), os.getpid()),
                           dir=results)
    name = os.path.basename(os.path.normpath(results))
    try:  # the experiment's own name, not the folder's (which may be a shard or .partial)
        with open(os.path.join(results, "experiment.json")) as f:
            name = json.load(f).get("name", name)
    except (OSError, ValueError):
        pass
    plt.rcParams.update({"axes.titlepad": 3})
    speed = read_table(os.path.join(tables, "speed.csv"))
    accuracy = read_table(os.path.join(tables, "accuracy.csv"))
    bases = [r["baseline"] for r in speed if r["baseline"]]
    baseline = max(set(bases), key=bases.count) if bases else ""
    layout = Layout(speed or accuracy, baseline)
    written = []
    p = lambda f: os.path.join(out, f)  # noqa: E731
    plot_lines(speed, layout, "time_median_s", "time_ci_low_s", "time_ci_high_s", "median time per solve (log)",
               name + ": time per solve against N (band: 95% bootstrap interval)", p("time_vs_n.png"), written, True)
    plot_lines(accuracy, Layout(accuracy, baseline), "converged_rate", "converged_ci_low", "converged_ci_high",
               "convergence rate", name + ": convergence rate against N (bars: 95% Wilson interval)",
               p("convergence_vs_n.png"), written, False, bars=True)
    plot_speedup(speed, baseline, name + ": speed-up against the baseline (bars: 95% bootstrap interval)",
                 p("speedup.png"), written)
    ecdf = read_table(os.path.join(tables, "ecdf.csv"))
    plot_ecdf(ecdf, Layout(ecdf, baseline), name + ": runs that reached the tolerance within a budget (ECDF)",
              p("ecdf.png"), written)
    profile = read_table(os.path.join(tables, "profile.csv"))
    plot_profile(profile, Layout(profile, baseline), name + ": performance profile, time to the tolerance",
                 p("profile.png"), written)
    traj = read_table(os.path.join(tables, "trajectories.csv"))
    tlayout = Layout(traj, baseline if any(r["strategy"] == baseline for r in traj) else "")
    plot_trajectories(traj, tlayout, "cycle", name + ": best error so far against cycle (median, band: range over seeds)",
                      p("error_vs_cycle.png"), written)
    plot_trajectories(traj, tlayout, "evaluations",
                      name + ": best error so far against evaluations (median, band: range over seeds)",
                      p("error_vs_evaluations.png"), written)
    swap_in(out, final, [os.path.basename(w) for w in written])
    for path in written:
        print("wrote", os.path.join(final, os.path.basename(path)))
    return 0


MANIFEST = ".wcs-manifest"  # the files the harness wrote in a folder (as wcs report keeps tables/)


def swap_in(new, final, names):
    """Makes the folder `new` (the plots just drawn) the folder `final` in one step:
    files of the old folder that its manifest does not name (someone else's) go
    along, the manifest names the new plots, and the two folders trade places
    (renameat2 RENAME_EXCHANGE where the C library has it), so that a reader or a
    crash sees the old set or the new one, never a mix."""
    ours = set()
    try:
        with open(os.path.join(final, MANIFEST)) as f:
            ours = {line.strip() for line in f if line.strip()}
    except OSError:
        pass
    if os.path.isdir(final):
        for f in os.listdir(final):
            if f != MANIFEST and f not in ours and not os.path.exists(os.path.join(new, f)):
                shutil.copy2(os.path.join(final, f), os.path.join(new, f), follow_symlinks=False)
    with open(os.path.join(new, MANIFEST), "w") as f:
        f.write("".join(n + "\n" for n in names))
    os.chmod(new, 0o755)
    if not os.path.isdir(final):
        os.rename(new, final)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if renameat2 and renameat2(at_fdcwd, new.encode(), at_fdcwd, final.encode(), rename_exchange) == 0:
        shutil.rmtree(new)  # it holds the old set now
        return
    old = new.replace(".wcs-new.", ".wcs-old.", 1)
    os.rename(final, old)
    os.rename(new, final)
    shutil.rmtree(old)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except OSError as e:  # a full disk, a folder that cannot be written: the old plots stay
        for leftover in glob.glob(os.path.join(sys.argv[1], ".wcs-new.plots.tmp.*")):
            shutil.rmtree(leftover, ignore_errors=True)
        print("plot.py: error: %s; the earlier plots are left as they were" % e, file=sys.stderr)
        sys.exit(1)

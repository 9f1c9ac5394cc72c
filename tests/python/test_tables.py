"""The report's CSV files read by the tools researchers use: pandas reads
tables/runs.csv with the right types in one line, tables/trajectories.csv has the
columns IOHanalyzer's read_pure_csv maps, and Google Benchmark's compare.py matches
two runs of an experiment made with different timing settings.

Runs the `wcs` program of the build (WCS_EXE) in a fresh temporary folder."""
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

WCS = os.environ.get("WCS_EXE", "build/wcs")
COMPARE_PY = "/usr/share/benchmark/compare.py"

EXPERIMENT = """name: tables
description: pandas, IOHanalyzer and compare.py read the tables
defaults:
  repetitions: 2
  min_time: {min_time}
  seeds: [1, 2, 3]
problems:
  - name: worked
    coefficients: [15, 47, -12]
    target: 28
    tolerance: 2
    max_iter: 50
    trace: true
  - name: small
    generator: uniform_real
    low: 0.5
    high: 10
    n: [4, 6]
    target: {{rule: fraction_of_sum, fraction: 0.5}}
    tolerance: 0.001
    max_iter: 20
    trace: true
strategies:
  - name: reference
  - name: reference
    params: {{truth_table: ""}}
    max_n: 4
"""


def wcs(*args, cwd):
    subprocess.run([WCS, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two result folders of one experiment: timed with min_time 0.0001 s and 0.0002 s."""
    d = tmp_path_factory.mktemp("tables")
    out = []
    for name, min_time in (("a", "0.0001"), ("b", "0.0002")):
        (d / (name + ".yaml")).write_text(EXPERIMENT.format(min_time=min_time))
        wcs("run", name + ".yaml", "--out", name, "--quiet", cwd=d)
        wcs("report", name, cwd=d)
        out.append(d / name)
    return out


def test_runs_csv_reads_with_the_right_types_in_one_line(folders):
    runs = pd.read_csv(folders[0] / "tables" / "runs.csv")
    records = len(list((folders[0] / "runs").glob("*.json")))
    assert len(runs) == records == 3 * 2 + 2 * 3 * 2  # one row per record, skipped runs included
    assert runs.run_key.is_unique
    for column in ("run_index", "n", "seed", "max_iter", "repetitions"):
        assert pd.api.types.is_integer_dtype(runs[column]), column
    for column in ("tolerance", "target", "time_s", "time_mean_s", "time_min_s", "time_max_s", "time_rep1_s",
                   "time_rep2_s", "result", "error", "converged", "cycles", "evaluations", "nonzero_weights"):
        assert pd.api.types.is_numeric_dtype(runs[column]), column
    for column in ("experiment", "run_key", "record", "status", "problem", "instance", "generator", "strategy",
                   "strategy_name", "family"):
        assert runs[column].dtype == object and runs[column].map(type).eq(str).all(), column
    assert set(runs.status) == {"ok", "skipped"}
    ok = runs[runs.status == "ok"]
    assert (ok.time_s > 0).all() and (ok.time_s < 1).all()  # seconds
    assert ok.converged.isin([0, 1]).all()
    assert (ok.time_min_s <= ok.time_s).all() and (ok.time_s <= ok.time_max_s).all()
    assert runs[runs.status == "skipped"].time_s.isna().all()  # one missing-value convention: empty
    assert set(runs.strategy) == {"reference", "reference{truth_table=}"}
    assert set(runs.strategy_name) == {"reference"}
    assert (runs.record.str.match(r"^.*/runs/[0-9a-f]+\.json$")).all()
    assert (runs[runs.trajectory == "trace"].trajectory_complete == 1).all()


def test_trajectories_csv_has_the_columns_iohanalyzer_maps(folders):
    t = pd.read_csv(folders[0] / "tables" / "trajectories.csv")
    # read_pure_csv(path, neval_name = "evaluations", fval_name = "best_error", fname_name = "problem",
    #               algname_name = "strategy", dim_name = "n", run_name = "run")
    for column in ("evaluations", "best_error", "problem", "strategy", "n", "run", "cycle", "seconds", "error"):
        assert column in t.columns, column
    assert (t.complete == 1).all()  # no cap cut a trajectory here
    assert pd.api.types.is_integer_dtype(t.evaluations) and pd.api.types.is_integer_dtype(t.run)
    # A run is one (problem, N, strategy, run) and has each evaluation count once.
    assert not t.duplicated(["problem", "n", "strategy", "run", "evaluations"]).any()
    assert set(t.run) == {1, 2, 3}
    for _, run in t.groupby(["problem", "n", "strategy", "run"]):
        assert run.best_error.is_monotonic_decreasing
        assert run.evaluations.is_monotonic_increasing
        assert (run.best_error <= run.error + 0.0).all()
    runs = pd.read_csv(folders[0] / "tables" / "runs.csv")
    assert set(t.run_key) == set(runs[(runs.status == "ok") & (runs.trajectory == "trace")].run_key)


@pytest.mark.skipif(not os.path.isfile(COMPARE_PY), reason="Debian's libbenchmark-tools is not installed")
def test_compare_py_matches_runs_made_with_other_timing_settings(folders):
    a, b = (str(f / "tables" / "benchmarks.json") for f in folders)
    out = subprocess.run([sys.executable, COMPARE_PY, "--no-color", "benchmarks", a, b], check=True,
                         capture_output=True, text=True).stdout
    keys = set(pd.read_csv(folders[0] / "tables" / "runs.csv").query("status == 'ok'").run_key)
    seen = set()
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0] in keys and len(fields) == 7:
            seen.add(fields[0])
            # Time Old, Time New, CPU Old, CPU New: whole numbers of ns, never 0 for these
            # sub-microsecond solves.
            assert all(re.fullmatch(r"\d+", x) and int(x) > 0 for x in fields[3:]), line
    assert seen == keys


PLOT_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "plot.py")


def _plots(folder):
    return {p.name: p.read_bytes() for p in (folder / "plots").iterdir()}


def test_plots_are_swapped_in_whole_and_keep_what_they_did_not_draw(folders):
    import resource
    import signal
    folder = folders[0]
    subprocess.run([sys.executable, PLOT_PY, str(folder)], check=True, stdout=subprocess.DEVNULL)
    (folder / "plots" / "mine.txt").write_text("notes of mine")
    before = _plots(folder)
    assert "time_vs_n.png" in before and ".wcs-manifest" in before
    assert "mine.txt" not in before[".wcs-manifest"].decode()

    def small_files():  # a disk that fills: no file may grow past 4 KiB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    failed = subprocess.run([sys.executable, PLOT_PY, str(folder)], preexec_fn=small_files, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "the earlier plots are left as they were" in failed.stderr
    assert _plots(folder) == before  # the old set, whole
    assert not list(folder.glob(".wcs-new.*"))  # and nothing half made beside it
    subprocess.run([sys.executable, PLOT_PY, str(folder)], check=True, stdout=subprocess.DEVNULL)
    assert (folder / "plots" / "mine.txt").read_text() == "notes of mine"

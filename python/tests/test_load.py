"""wcs.load: a results folder's runs and trajectories as pandas DataFrames, equal to
pandas.read_csv of the report's runs.csv and trajectories.csv; unreadable records are
a warning naming them; and the example of docs/python.md reproduces a table of the
report from the frames."""
import json
import os
import shutil
import subprocess
import warnings

import pandas as pd
import pytest

import wcs
from conftest import wcs_program

EXPERIMENT = """name: load
description: wcs.load against the report's CSV files
defaults:
  repetitions: 2
  min_time: 0.0001
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
    target: {rule: fraction_of_sum, fraction: 0.5}
    tolerance: 0.001
    max_iter: 20
strategies:
  - name: reference
  - name: reference
    params: {truth_table: ""}
    max_n: 4
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    exe = wcs_program()
    d = tmp_path_factory.mktemp("load")
    (d / "exp.yaml").write_text(EXPERIMENT)
    subprocess.run([exe, "run", "exp.yaml", "--out", "res", "--quiet"], cwd=d, check=True)
    res = d / "res"
    subprocess.run([exe, "report", str(res)], check=True, stdout=subprocess.DEVNULL)
    return res


def test_frames_equal_the_report_csv_files(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a good folder warns about nothing
        got = wcs.load(folder)
    runs = pd.read_csv(folder / "tables" / "runs.csv")
    trajectories = pd.read_csv(folder / "tables" / "trajectories.csv")
    pd.testing.assert_frame_equal(got.runs, runs)
    pd.testing.assert_frame_equal(got.trajectories, trajectories)
    assert len(got.runs) == 3 * 2 + 2 * 3 * 2  # one row per record, skipped ones included
    assert len(got.trajectories) > 0 and set(got.trajectories.problem) == {"worked"}
    assert got.unreadable == []
    assert got.experiment["name"] == "load"
    # A str path works as a pathlib one does.
    pd.testing.assert_frame_equal(wcs.load(str(folder)).runs, runs)


def test_packed_folder_loads_the_same(folder, tmp_path):
    packed = tmp_path / "packed"
    shutil.copytree(folder, packed)
    subprocess.run([wcs_program(), "pack", str(packed)], check=True, stdout=subprocess.DEVNULL)
    assert not (packed / "runs").exists() or not any((packed / "runs").iterdir())
    got = wcs.load(packed)
    before = wcs.load(folder)
    # The record column names where each record was read (the pack's lines now).
    assert got.runs.record.str.startswith(str(packed / "runs.jsonl.gz")).all()
    pd.testing.assert_frame_equal(got.runs.drop(columns="record"), before.runs.drop(columns="record"))
    pd.testing.assert_frame_equal(got.trajectories, before.trajectories)


def test_unreadable_records_are_a_warning_naming_them(folder, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    victim = sorted((broken / "runs").glob("*.json"))[0]
    record = json.loads(victim.read_text())
    record["wcs"]["problem"]["n"] = "three"
    victim.write_text(json.dumps(record))
    (broken / "runs" / "0123456789abcdef.json").write_text("{ not json")
    with pytest.warns(RuntimeWarning, match=r"2 records of .* could not be read, left out: .*0123456789abcdef\.json") as w:
        got = wcs.load(broken)
    assert victim.name in str(w[0].message) and "wcs.problem.n" in str(w[0].message)
    assert len(got.runs) == len(wcs.load(folder).runs) - 1
    assert len(got.unreadable) == 2


def test_a_folder_without_records_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="nosuch"):
        wcs.load(tmp_path / "nosuch")


def test_the_docs_example_reproduces_the_accuracy_table(folder):
    # The example of docs/python.md: the convergence counts and median errors of
    # tables/accuracy.csv, from wcs.load's runs.
    runs = wcs.load(folder).runs
    ok = runs[runs.status == "ok"]
    table = (ok.groupby(["problem", "n", "strategy"], sort=False)
               .agg(runs=("converged", "size"), converged=("converged", "sum"), median_error=("error", "median"))
               .reset_index())
    accuracy = pd.read_csv(folder / "tables" / "accuracy.csv")
    want = accuracy[["problem", "n", "strategy", "runs", "converged", "median_error"]]
    pd.testing.assert_frame_equal(table, want, check_dtype=False)

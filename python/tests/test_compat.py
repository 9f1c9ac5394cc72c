"""wcs.WeightCombinationSearch: the original class's behaviours, on this engine."""
import csv
import logging

import numpy as np
import pandas as pd
import pytest

import wcs
import wcs.compat as compat
from conftest import WORKED, WORKED_IDS
from wcs import WeightCombinationSearch

EXHAUSTIVE = dict(adaptive_sampling=False, early_stopping=False)


def reached(coef, weights, target, tol):
    return abs(sum(c * w for c, w in zip(coef, weights)) - target) <= tol


@pytest.mark.parametrize("coef,target,tol,max_iter,winners,weights,error,converged", WORKED, ids=WORKED_IDS)
def test_worked_examples_exhaustive_equal_reference_to_the_bit(coef, target, tol, max_iter, winners, weights, error,
                                                               converged):
    search = WeightCombinationSearch(tolerance=tol, max_iter=max_iter, **EXHAUSTIVE)
    w = search.find_optimal_weights(coef, target)
    assert isinstance(w, np.ndarray) and w.tolist() == weights
    ref = wcs.solve(coef, target, "reference" if len(coef) <= 12 else "lazy", tol, max_iter)
    assert w.tobytes() == ref.weights.tobytes()
    assert search.history["best_delta_evolution"][-1] == error
    assert search.history["cycles"] == list(range(1, ref.cycles + 1))
    assert [p for _, _, p in winners] == search.history["wpn_evolution"][:len(winners)]
    assert search.history["early_stops"] == []


@pytest.mark.parametrize("coef,target,tol,max_iter,winners,weights,error,converged", WORKED, ids=WORKED_IDS)
def test_worked_examples_with_the_defaults(coef, target, tol, max_iter, winners, weights, error, converged):
    search = WeightCombinationSearch(tolerance=tol, max_iter=max_iter)
    w = search.find_optimal_weights(coef, target)
    assert len(w) == len(coef)
    if converged:
        assert reached(coef, w, target, tol)
    if len(coef) <= 12:
        # early-stop: the reference's cycles, the first line within the tolerance last.
        es = wcs.solve(coef, target, "early-stop", tol, max_iter)
        assert w.tobytes() == es.weights.tobytes()
        assert len(search.history["cycles"]) == es.cycles
        if converged:
            stop = search.history["early_stops"][-1]
            assert stop["cycle"] == es.cycles and stop["total_combos"] == 2 ** len(coef) - 1
            assert stop["tested_combos"] + stop["skipped_combos"] == stop["total_combos"]


def test_first_example_cycle_by_cycle_in_the_truth_table():
    search = WeightCombinationSearch(tolerance=2, max_iter=50, **EXHAUSTIVE)
    w, table = search.find_optimal_weights([15, 47, -12], 28, return_truth_table=True)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["cycle", "line", "combo", "weights_before", "wpn", "result", "delta_abs",
                                   "delta_cond", "is_winner"]
    assert len(table) == 3 * 7
    winners = table[table.is_winner]
    assert winners[["cycle", "line", "result", "wpn"]].values.tolist() == [[1, 3, 35, 1], [2, 7, 25, 0.5],
                                                                           [3, 1, 29.5, 0.25]]
    assert table.combo.iloc[2] == "(False, True, True)"
    assert table.weights_before.iloc[-1].tolist() == [0.5, 0.5, 0.5]
    assert (table.delta_abs == (table.result - 28).abs()).all() and (table.delta_cond == table.result - 28).all()
    # With early stopping the last cycle ends at its winner, line 1.
    _, short = WeightCombinationSearch(tolerance=2, max_iter=50).find_optimal_weights([15, 47, -12], 28,
                                                                                      return_truth_table=True)
    assert len(short) == 7 + 7 + 1 and short.is_winner.iloc[-1]


def test_truth_table_to_csv_and_without_pandas(tmp_path, monkeypatch):
    path = tmp_path / "table.csv"
    search = WeightCombinationSearch(tolerance=1, max_iter=10)
    w = search.find_optimal_weights([10, 20], 30, save_csv=True, csv_filename=str(path))
    assert isinstance(w, np.ndarray)
    rows = list(csv.DictReader(path.open()))
    assert rows[0]["combo"] == "(False, True)" and rows[0]["cycle"] == "1"
    # Without pandas: a list of dicts, and the CSV written by the csv module.
    monkeypatch.setattr(compat, "HAS_PANDAS", False)
    w2, table = search.find_optimal_weights([10, 20], 30, return_truth_table=True, save_csv=True,
                                            csv_filename=str(tmp_path / "plain.csv"))
    assert isinstance(table, list) and table[0]["combo"] == (False, True) and w2.tolist() == w.tolist()
    plain = list(csv.DictReader((tmp_path / "plain.csv").open()))
    assert len(plain) == len(table) == len(rows)


def test_constructor_truth_table_options(tmp_path):
    path = tmp_path / "t.csv"
    both = WeightCombinationSearch(tolerance=0.5, max_iter=10, return_truth_table=True, truth_table_format="both",
                                   truth_table_path=str(path))
    both.find_optimal_weights([8, 12], 20)
    assert isinstance(both.truth_table_, pd.DataFrame) and len(both.truth_table_) > 0
    assert pd.read_csv(path).columns[0] == "cycle"
    with pytest.raises(ValueError, match="truth_table_format"):
        WeightCombinationSearch(return_truth_table=True, truth_table_format="xml")


# Problems of the original's own tests, each with the tolerance it was held to.
CONVERGES = [
    ([15, 47, -12], 28, 2, 50, {}), ([10, 5], 15, 0.5, 30, {}), ([8, 15, -3, 20], 50, 1, 100, {}),
    ([10, 20, 30], 60, 0.1, 50, {}), ([-5, -10, -15], -30, 1, 50, {}), ([10, -5, 20, -8], 12, 0.5, 100, {}),
    ([15, 25, 35], 100, 10, 50, {}), ([10, 20, 30], 50, 1, 50, dict(initial_wpn=0.5)),
    ([10, 20, 30], 50, 1, 50, dict(initial_wpn=2.0)), ([0, 10, 20], 30, 1, 50, {}), ([5, -3, 2], 0, 0.5, 50, {}),
    ([1000, 5000, -2000], 10000, 100, 100, {}), ([2, 4, 6, 8, 10, 12], 50, 2, 200, {}),
    ([5, 10, 15], 100, 1, 100, dict(initial_wpn=0.5)), ([10, 20, 30], 5, 1, 100, dict(initial_wpn=2.0)),
    ([7, 13, 19], 50, 2.5, 200, {}), ([10, 15, 20], 50, 10, 50, {}),
]


@pytest.mark.parametrize("coef,target,tol,max_iter,extra", CONVERGES)
def test_the_original_tests_problems_converge(coef, target, tol, max_iter, extra):
    for kw in ({}, EXHAUSTIVE):
        w = WeightCombinationSearch(tolerance=tol, max_iter=max_iter, **extra, **kw).find_optimal_weights(
            np.array(coef), target)
        assert reached(coef, w, target, tol)


def test_overrides_and_setters_keep_the_defaults():
    search = WeightCombinationSearch(tolerance=2, max_iter=50)
    search.set_tolerance(1.5)
    search.set_max_iter(75)
    assert (search.tolerance, search.max_iter) == (1.5, 75)
    w = search.find_optimal_weights([15, 47, -12], 28, tolerance=3, max_iter=1)
    assert len(search.history["cycles"]) == 1 and isinstance(w, np.ndarray)
    assert (search.tolerance, search.max_iter) == (1.5, 75)
    search.find_optimal_weights([15, 47, -12], 28)
    assert search.history["cycles"][1:] == list(range(1, len(search.history["cycles"])))  # appended, as the original


ORIGINAL_ERRORS = [
    (dict(tolerance=-1), "Tolerance must be non-negative, got -1"),
    (dict(max_iter=0), "max_iter must be at least 1, got 0"),
    (dict(initial_wpn=0), "initial_wpn cannot be zero"),
    (dict(wpn_bounds=(2, 1)), "Invalid WPN bounds: (2, 1)"),
    (dict(sampling_threshold=0), "sampling_threshold must be at least 1, got 0"),
    (dict(sample_size=0), "sample_size must be at least 1, got 0"),
    (dict(sampling_strategy="best"), "sampling_strategy must be 'importance', 'random', or 'progressive', got best"),
]


@pytest.mark.parametrize("kwargs,message", ORIGINAL_ERRORS)
def test_the_originals_constructor_errors(kwargs, message):
    with pytest.raises(ValueError) as e:
        WeightCombinationSearch(**kwargs)
    assert str(e.value) == message


def test_the_originals_search_errors_and_ours():
    search = WeightCombinationSearch()
    for call, message in [
        (lambda: search.find_optimal_weights([1, 2], 3, tolerance=-2), "tolerance must be non-negative, got -2"),
        (lambda: search.find_optimal_weights([1, 2], 3, max_iter=0), "max_iter must be at least 1, got 0"),
        (lambda: search.find_optimal_weights([], 3), "coefficients cannot be empty"),
        (lambda: search.find_optimal_weights([0, 1e-9], 3), "coefficients cannot be all zeros"),
        (lambda: search.set_tolerance(-1), "tolerance must be non-negative, got -1"),
        (lambda: search.set_max_iter(0), "max_iter must be at least 1, got 0"),
    ]:
        with pytest.raises(ValueError) as e:
            call()
        assert str(e.value) == message
    # What the original did not check gets the command line's message.
    with pytest.raises(ValueError, match="^target: "):
        search.find_optimal_weights([1, 2], float("inf"))
    with pytest.raises(ValueError, match="65"):
        WeightCombinationSearch(**EXHAUSTIVE).find_optimal_weights([1.0] * 65, 3)


def test_the_strategy_each_setting_maps_to():
    assert WeightCombinationSearch().strategy_for(12) == ("early-stop", {"factor": 1})
    assert WeightCombinationSearch().strategy_for(13) == ("original-sample", {"early_stop": True})
    assert WeightCombinationSearch(**EXHAUSTIVE).strategy_for(30) == ("mitm", {})
    assert WeightCombinationSearch(early_stopping=False).strategy_for(5) == ("mitm", {})
    assert WeightCombinationSearch(sampler="sampling", sampling_threshold=40, sample_size=7,
                                   sampling_strategy="random").strategy_for(41) == \
        ("sampling", {"threshold": 30, "sample_size": 7, "mode": "random", "resample": "fixed"})
    with pytest.raises(ValueError, match="sampler"):
        WeightCombinationSearch(sampler="mine")


def test_the_original_sample():
    a = np.array([3.0, -1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0, 9.0, 7.0])
    n = len(a)
    imp = compat.original_sample(a, 500, "importance")
    assert imp.shape == (500, n) and imp.dtype == np.uint8
    assert (imp[:n] == np.eye(n, dtype=np.uint8)).all()  # every single first
    assert imp.any(axis=1).all()
    # Rows after the singles: coefficient i with chance min(2 |a_i| / sum |a|, 0.8),
    # from numpy's legacy generator seeded with 42, one draw per coefficient.
    chance = np.minimum(2 * np.abs(a) / np.abs(a).sum(), 0.8)
    first = np.random.RandomState(42).rand(n) < chance
    if first.any():
        assert (imp[n] == first).all()
    rnd = compat.original_sample(a, 300, "random")
    assert rnd.shape == (300, n) and rnd.any(axis=1).all()
    assert (rnd[0] == (np.random.RandomState(42).rand(n) < 0.5)).all() or not rnd[0].any()
    prog = compat.original_sample(a, 100, "progressive")
    assert (prog[:40] == rnd[:40]).all() and (prog[40:40 + n] == np.eye(n)).all()
    # Small N: at most 2^N - 1 rows; more singles than sample_size: all singles.
    assert compat.original_sample(np.array([1.0, 2.0, 3.0]), 10000, "random").shape == (7, 3)
    assert compat.original_sample(a, 5, "importance").shape == (n, n)
    # numpy's global generator is left alone.
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    compat.original_sample(a, 50, "random")
    assert (np.random.get_state()[1] == before).all()


def test_sampled_search_runs_the_original_sample_in_the_core():
    a = list(range(1, 21))
    search = WeightCombinationSearch(tolerance=5, max_iter=20, sample_size=2000)
    w, table = search.find_optimal_weights(a, 105, return_truth_table=True)
    assert reached(a, w, 105, 5)
    sample = compat.original_sample(np.array(a, dtype=float), 2000, "importance")
    # Every cycle tries the sample's rows in order; the early stop ends the last one.
    cycles = search.history["cycles"]
    assert len(table) == 2000 * (len(cycles) - 1) + search.history["early_stops"][-1]["line"]
    first = table[table.cycle == 1]
    assert first.combo.tolist()[:3] == [str(tuple(bool(b) for b in row)) for row in sample[:3]]
    assert search.history["early_stops"][-1]["total_combos"] == 2000
    # The same through the core directly.
    r = wcs._wcs.solve_sample(np.array(a, dtype=float), 105.0, sample, True, 5.0, 20)
    assert r.strategy == "original-sample" and r.weights.tobytes() == w.tobytes()
    assert r.evaluations == len(table)
    with pytest.raises(ValueError, match="selects no coefficient"):
        wcs._wcs.solve_sample(np.array([1.0, 2.0]), 3.0, np.zeros((1, 2), dtype=np.uint8), True, 0.0, 5)


def test_sampler_sampling_uses_the_projects_strategy():
    a = list(range(1, 21))
    search = WeightCombinationSearch(tolerance=5, max_iter=20, sampler="sampling")
    w = search.find_optimal_weights(a, 105)
    r = wcs.solve(a, 105, "sampling", 5, 20, seed=compat.SAMPLING_SEED, threshold=12, sample_size=10000,
                  mode="importance", resample="fixed")
    assert w.tobytes() == r.weights.tobytes()
    assert search.history["early_stops"] == []


def test_arguments_without_effect_and_verbose(caplog):
    with pytest.warns(UserWarning, match="index_filtering has no effect"):
        filtered = WeightCombinationSearch(tolerance=2, max_iter=50, index_filtering=True)
    plain = WeightCombinationSearch(tolerance=2, max_iter=50, use_numba=False, parallel=False, n_jobs=1)
    assert filtered.find_optimal_weights([15, 47, -12], 28).tolist() == \
        plain.find_optimal_weights([15, 47, -12], 28).tolist()
    assert filtered.history["filtering_history"] == [] and filtered.use_numba is False
    assert WeightCombinationSearch(n_jobs=-1).n_jobs >= 1
    with caplog.at_level(logging.INFO, logger="wcs.compat"):
        WeightCombinationSearch(tolerance=1, max_iter=10, verbose=True).find_optimal_weights([10, 20], 30)
    assert "Converged!" in caplog.text and "Cycle 1/10" in caplog.text

"""wcs.solve and wcs.strategies against the `wcs` program they mirror."""
import json
import sys
import threading
import warnings

import numpy as np
import pytest

import wcs
from conftest import WORKED, WORKED_IDS, cli_json, csv_of, run_cli


@pytest.mark.parametrize("coef,target,tol,max_iter,winners,weights,error,converged", WORKED, ids=WORKED_IDS)
def test_worked_examples_with_reference(coef, target, tol, max_iter, winners, weights, error, converged):
    r = wcs.solve(coef, target, strategy="reference", tolerance=tol, max_iter=max_iter, trace=True)
    assert isinstance(r.weights, np.ndarray) and r.weights.dtype == np.float64
    assert r.weights.tolist() == weights
    assert r.error == error
    assert r.converged is converged
    assert abs(r.result - target) == r.error
    got = [(t["line"], t["result"], t["wpn"]) for t in r.trace[:len(winners)]]
    assert got == winners
    if not converged:
        assert r.cycles == max_iter


@pytest.mark.parametrize("coef,target,tol,max_iter,winners,weights,error,converged", WORKED, ids=WORKED_IDS)
def test_every_field_of_the_command_lines_json(coef, target, tol, max_iter, winners, weights, error, converged):
    strategy = "reference" if len(coef) <= 12 else "mitm"
    cli = cli_json("solve", "--strategy", strategy, f"--coef={csv_of(coef)}", f"--target={target!r}", f"--tol={tol}",
                   f"--max-iter={max_iter}", "--trace", "--json")
    r = wcs.solve(np.array(coef, dtype=float), target, strategy, tol, max_iter, trace=True).as_dict()
    assert list(r) == list(cli)  # the same fields in the same order
    for key in cli:
        if key != "seconds":
            assert r[key] == cli[key], key
    assert r["seconds"] >= 0


def test_lists_and_numpy_arrays_give_the_same_answer():
    a = [1.5, -2.25, 3.0, 7.125]
    want = wcs.solve(a, 4.4, "lazy", 0.01, 20).weights
    for coef in (np.array(a), np.array(a, dtype=np.float32).astype(np.float64), tuple(a), np.array(a)[::1]):
        assert wcs.solve(coef, 4.4, "lazy", 0.01, 20).weights.tobytes() == want.tobytes()
    # Integers and non-contiguous arrays are converted.
    assert wcs.solve(np.arange(1, 9)[::2], 9, "reference").weights.tolist() == \
        wcs.solve([1, 3, 5, 7], 9, "reference").weights.tolist()


def test_strategy_options_as_keywords_and_auto_by_default():
    r = wcs.solve(list(range(1, 16)), 50.5, "sampling", 0.5, 10, seed=3, threshold=8, mode="random", sample_size=500)
    assert r.strategy == "sampling"
    assert r.options["threshold"] == "8" and r.options["mode"] == "random" and r.options["sample_size"] == "500"
    cli = cli_json("solve", "--strategy", "sampling", f"--coef={csv_of(range(1, 16))}", "--target=50.5", "--tol=0.5",
                   "--max-iter=10", "--seed=3", "--set", "threshold=8", "--set", "mode=random",
                   "--set", "sample_size=500", "--json")
    assert r.weights.tolist() == cli["weights"] and r.evaluations == cli["evaluations"]
    assert wcs.solve([15, 47, -12], 28, tolerance=2, max_iter=50).strategy == "auto"
    assert "chose" in wcs.solve([15, 47, -12], 28, tolerance=2, max_iter=50).notes
    # bool, int and float values become the command line's text.
    assert wcs.solve([1, 2, 3], 4, "early-stop", 1, factor=0.5).options["factor"] == "0.5"


def test_initial_wpn_and_bounds():
    r = wcs.solve([100, 250, 500], 1000, "reference", 10, 50, initial_wpn=2, wpn_bounds=(0.5, 4), trace=True)
    cli = cli_json("solve", "--strategy", "reference", "--coef=100,250,500", "--target=1000", "--tol=10",
                   "--max-iter=50", "--wpn=2", "--wpn-bounds=0.5,4", "--trace", "--json")
    assert r.weights.tolist() == cli["weights"]
    assert all(0.5 <= t["wpn"] <= 4 for t in r.trace)


# Bad input: ValueError with the command line's message (its "wcs: error: " aside).
BAD = [
    (dict(coefficients=[0, 0], target=1), ["--coef=0,0", "--target=1"]),
    (dict(coefficients=[1, 2], target=float("nan")), ["--coef=1,2", "--target=nan"]),
    (dict(coefficients=[1, 2], target=3, tolerance=-1), ["--coef=1,2", "--target=3", "--tol=-1"]),
    (dict(coefficients=[1, 2], target=3, max_iter=0), ["--coef=1,2", "--target=3", "--max-iter=0"]),
    (dict(coefficients=[1, 2], target=3, initial_wpn=0), ["--coef=1,2", "--target=3", "--wpn=0"]),
    (dict(coefficients=[1, 2], target=3, wpn_bounds=(4, 1)), ["--coef=1,2", "--target=3", "--wpn-bounds=4,1"]),
    (dict(coefficients=[1, 2], target=3, strategy="nope"), ["--coef=1,2", "--target=3", "--strategy=nope"]),
    (dict(coefficients=[1, 2], target=3, strategy="early-stop", factor=2),
     ["--coef=1,2", "--target=3", "--strategy=early-stop", "--set", "factor=2"]),
    (dict(coefficients=[1, 2], target=3, strategy="lazy", colour="red"),
     ["--coef=1,2", "--target=3", "--strategy=lazy", "--set", "colour=red"]),
    (dict(coefficients=[1.0] * 41, target=3, strategy="lazy"), [f"--coef={csv_of([1.0] * 41)}", "--target=3",
                                                                "--strategy=lazy"]),
]


@pytest.mark.parametrize("kwargs,args", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_raises_value_error_with_the_command_lines_message(kwargs, args):
    status, out, err = run_cli("solve", *args)
    assert status == 2 and out == ""
    assert err.startswith("wcs: error: ")
    with pytest.raises(ValueError) as e:
        wcs.solve(**kwargs)
    assert isinstance(e.value, wcs.InputError)
    assert str(e.value) == err[len("wcs: error: "):].rstrip("\n")


def test_other_bad_input():
    with pytest.raises(ValueError, match="coefficients: expected one dimension"):
        wcs.solve(np.ones((2, 2)), 1)
    with pytest.raises(ValueError, match="wpn_bounds"):
        wcs.solve([1, 2], 3, wpn_bounds=(1, 2, 3))
    with pytest.raises(TypeError, match="colour: a list is not an option value"):
        wcs.solve([1, 2], 3, "lazy", colour=[1])
    with pytest.raises(TypeError):
        wcs.solve(["a", "b"], 3)


def test_strategies_lists_what_wcs_list_json_lists():
    assert wcs.strategies() == cli_json("list", "--json")
    names = [s["name"] for s in wcs.strategies()]
    assert "reference" in names and names == sorted(names)
    assert wcs.plugin_dirs() and not wcs.plugin_problems()


def test_a_folder_of_broken_modules_warns_and_keeps_the_rest(tmp_path):
    (tmp_path / "garbage.so").write_text("not an ELF file")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problems = wcs.load_plugin_dir(str(tmp_path))
    assert len(problems) == 1 and "garbage.so: cannot load" in problems[0]
    assert any("garbage.so" in str(w.message) for w in caught)
    assert wcs.solve([15, 47, -12], 28, "reference", 2, 50).result == 29.5
    assert problems[0] in wcs.plugin_problems()


def test_the_gil_is_released_while_a_solve_runs():
    # With a switch interval of minutes, the main thread runs again before the
    # solving thread's solve returns only if that solve let the GIL go.
    started, state = threading.Event(), {"done": False}

    def work():
        started.set()
        wcs.solve([1.0 + i / 7 for i in range(22)], 1e9, "lazy", 0, 2)
        state["done"] = True

    old = sys.getswitchinterval()
    sys.setswitchinterval(600)
    try:
        t = threading.Thread(target=work)
        t.start()
        started.wait()
        done_while_solving = state["done"]
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert state["done"] and not done_while_solving


def test_threads_solve_at_once_with_the_same_answers():
    problems = [([1.0 + i / 3 for i in range(14)], 20.0 + k) for k in range(8)]
    want = [wcs.solve(a, t, "mitm", 0.01, 20).weights.tolist() for a, t in problems]
    got = [None] * len(problems)

    def work(k):
        got[k] = wcs.solve(problems[k][0], problems[k][1], "mitm", 0.01, 20).weights.tolist()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(problems))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == want


def test_truth_table_option_writes_the_command_lines_csv(tmp_path):
    mine, theirs = tmp_path / "py.csv", tmp_path / "cli.csv"
    wcs.solve([15, 47, -12], 28, "reference", 2, 50, truth_table=str(mine))
    status, _, err = run_cli("solve", "--strategy", "reference", "--coef=15,47,-12", "--target=28", "--tol=2",
                             "--max-iter=50", f"--truth-table={theirs}")
    assert status == 0, err
    assert mine.read_bytes() == theirs.read_bytes()
    assert len(mine.read_text().splitlines()) == 1 + 3 * 7


def test_result_fields_and_repr():
    r = wcs.solve([15, 47, -12], 28, "reference", 2, 50)
    assert r.trace is None
    assert (r.n, r.target, r.tolerance, r.max_iter, r.cycles, r.evaluations, r.nonzero_weights) == \
        (3, 28.0, 2.0, 50, 3, 21, 3)
    assert repr(r).startswith("wcs.Result(strategy=reference")
    assert json.loads(json.dumps(r.as_dict()))["weights"] == [0.5, 0.5, 0.125]
    assert wcs.__version__ and wcs.abi_fingerprint().startswith("headers=")

"""Shared pieces of the Python tests: the worked examples and the `wcs` program."""
import json
import os
import subprocess

import pytest

# The worked examples of docs/algorithm.md: coefficients, target, tolerance,
# max_iter, the first winners (line, r, p), final weights, error, converged.
WORKED = [
    ([15, 47, -12], 28, 2, 50, [(3, 35, 1), (7, 25, 0.5), (1, 29.5, 0.25)], [0.5, 0.5, 0.125], 1.5, True),
    ([5, 10, 15, 20, 25], 100, 2, 50, [(31, 75, 1), (1, 100, 2)], [1, 1, 1, 1, 2], 0, True),
    ([3, 7, 11, 15, 19, 23, 27, 31], 120, 3, 50, [(239, 121, 1)], [1, 1, 1, 0, 1, 1, 1, 1], 1, True),
    ([100, 250, 500], 1000, 10, 50,
     [(7, 850, 1), (4, 950, 2), (1, 950, 1), (4, 1150, 2), (1, 1150, 1), (2, 1025, 0.5)], [4, 0.5, 1], 25, False),
    (list(range(1, 21)), 200, 5, 50, [(65535, 200, 1)], [0, 0, 0, 0] + [1] * 16, 0, True),
    # The all-below WPN decision taken line by line in the bit-exact form, not from
    # the d-form maximum (the original and `reference` agree).
    ([-4.75, 4.603, 6.59], 7.704000000000001, 0, 6,
     [(1, 6.59, 1), (2, 8.8915, 0.5), (4, 7.704, 0.25), (6, 7.147, 0.5), (4, 7.5923125, 0.25), (4, 7.66653125, 0.5)],
     [0.015625, 0.25, 1], abs(7.66653125 - 7.704000000000001), False),
]
WORKED_IDS = ["15,47,-12", "5..25", "3..31", "100,250,500", "1..20", "bit-exact-wpn"]


def wcs_program():
    exe = os.environ.get("WCS_EXE")
    if not exe:
        pytest.skip("WCS_EXE is not set (run through meson test)")
    return exe


def run_cli(*args):
    """(exit status, stdout, stderr) of the `wcs` program."""
    p = subprocess.run([wcs_program(), *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    status, out, err = run_cli(*args)
    assert status == 0, err
    return json.loads(out)


def csv_of(values):
    return ",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in values)

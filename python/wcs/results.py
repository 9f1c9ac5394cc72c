"""wcs.load: a results folder's runs and trajectories as pandas DataFrames.

    res = wcs.load("results/quick")
    res.runs            # one row per run record: the columns of tables/runs.csv
    res.trajectories    # one row per cycle of a traced run: those of tables/trajectories.csv

The folder is read by the program's own reader (runs/*.json and runs.jsonl.gz), and
the frames are made from the same tables as `wcs report` writes, so their columns and
types are those of pandas.read_csv on the report's files, without running the report.
"""
import dataclasses
import io
import json
import os
import warnings


@dataclasses.dataclass
class Results:
    """What wcs.load returns."""
    runs: "pandas.DataFrame"          # noqa: F821 (pandas is imported when load runs)
    trajectories: "pandas.DataFrame"  # noqa: F821
    unreadable: list                  # "FILE: FIELD: what is wrong", one per record left out
    experiment: dict                  # experiment.json (None when the folder has none)


def load(folder):
    """The runs and trajectories of a results folder as pandas DataFrames (Results).

    Records that cannot be read are left out with one RuntimeWarning naming them (and
    listed in Results.unreadable); a folder with no records at all raises ValueError
    (wcs.InputError) naming it."""
    import pandas

    from ._wcs import read_results
    raw = read_results(os.fspath(folder))
    unreadable = list(raw["unreadable"])
    if unreadable:
        shown = "; ".join(unreadable[:5]) + ("; ..." if len(unreadable) > 5 else "")
        warnings.warn(f"wcs.load: {len(unreadable)} record{'s' if len(unreadable) != 1 else ''} of {folder} "
                      f"could not be read, left out: {shown}", RuntimeWarning, stacklevel=2)
    return Results(
        runs=pandas.read_csv(io.StringIO(raw["runs"])),
        trajectories=pandas.read_csv(io.StringIO(raw["trajectories"])),
        unreadable=unreadable,
        experiment=json.loads(raw["experiment"]) if raw["experiment"] is not None else None,
    )

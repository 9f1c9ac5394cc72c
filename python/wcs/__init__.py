"""wcs: WeightCombinationSearch strategies from Python.

    import wcs
    r = wcs.solve([15, 47, -12], 28, strategy="mitm", tolerance=2, max_iter=50)
    r.weights            # numpy array([0.5, 0.5, 0.125])
    r.as_dict()          # the fields of `wcs solve --json`
    wcs.strategies()     # what `wcs list --json` lists

    from wcs import WeightCombinationSearch   # drop-in for the original class
    WeightCombinationSearch(tolerance=2, max_iter=50).find_optimal_weights([15, 47, -12], 28)

The strategy modules are loaded once per process, on first use, from the built-in
plugin folder and WCS_PLUGIN_PATH (colon-separated); load_plugin_dir() adds more.
The full documentation is docs/python.md of the repository.
"""
try:
    import numpy as _numpy  # noqa: F401  (weights are numpy arrays)
except ImportError as e:  # pragma: no cover - depends on the interpreter
    import sys as _sys

    raise ImportError(
        f"wcs needs numpy, which {_sys.executable} does not have; use the python3 the "
        "module was built for (Debian's /usr/bin/python3 with python3-numpy)") from e

from ._wcs import (  # noqa: E402
    InputError,
    Result,
    __version__,
    abi_fingerprint,
    load_plugin_dir,
    plugin_dirs,
    plugin_problems,
    solve,
    strategies,
)
from .compat import WeightCombinationSearch  # noqa: E402

__all__ = [
    "InputError", "Result", "WeightCombinationSearch", "__version__", "abi_fingerprint",
    "load_plugin_dir", "plugin_dirs", "plugin_problems", "solve", "strategies",
]

"""wcs: WeightCombinationSearch strategies from Python.

    import wcs
    r = wcs.solve([15, 47, -12], 28, strategy="mitm", tolerance=2, max_iter=50)
    r.weights            # numpy array([0.5, 0.5, 0.125])
    r.as_dict()          # the fields of `wcs solve --json`
    wcs.strategies()     # what `wcs list --json` lists

    res = wcs.load("results/quick")   # a results folder: res.runs, res.trajectories (pandas)

    from wcs import WeightCombinationSearch   # drop-in for the original class
    WeightCombinationSearch(tolerance=2, max_iter=50).find_optimal_weights([15, 47, -12], 28)

The strategy modules are loaded once per process, on first use, from the built-in
plugin folder and WCS_PLUGIN_PATH (colon-separated); load_plugin_dir() adds more.
The full documentation is docs/python.md of the repository.
"""


def _numpy():
    """numpy, from this interpreter or, for another python3 of the version the module
    was built for (pyenv's, a virtual environment), from the site packages of the one
    it was built with (Debian's python3-numpy), added at the end of sys.path."""
    import sys

    from . import _build
    try:
        import numpy
        return numpy
    except ImportError:
        pass
    same_version = ".".join(map(str, sys.version_info[:2])) == _build.PYTHON_VERSION
    if same_version and _build.NUMPY_PARENT not in sys.path:
        sys.path.append(_build.NUMPY_PARENT)
        try:
            import numpy
            return numpy
        except ImportError:
            sys.path.remove(_build.NUMPY_PARENT)
    raise ImportError(f"wcs needs numpy, which {sys.executable} does not have; use {_build.PYTHON} "
                      f"(the python3 the module was built for, with python3-numpy)")


_numpy()

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
from .results import Results, load  # noqa: E402

__all__ = [
    "InputError", "Result", "Results", "WeightCombinationSearch", "__version__", "abi_fingerprint", "load",
    "load_plugin_dir", "plugin_dirs", "plugin_problems", "solve", "strategies",
]

"""WeightCombinationSearch: a drop-in for the original Python class.

The original is the class of the same name in math_toolkit/binary_search/
combinatorial.py of the GitHub repository JosueAmaral15/binary-search. Its users
change one import,

    from math_toolkit.binary_search import WeightCombinationSearch   # before
    from wcs import WeightCombinationSearch                          # after

and keep the same constructor, find_optimal_weights, set_tolerance, set_max_iter,
history and ValueErrors; the search runs in this project's compiled strategies.
"""
import csv
import logging
import os
import warnings

import numpy as np

try:
    import pandas as pd

    HAS_PANDAS = True
except ImportError:  # the original returns lists of dicts then, and so do we
    pd = None
    HAS_PANDAS = False

from . import _wcs

logger = logging.getLogger(__name__)

# The strategies the constructor's arguments select (see the class docstring).
EXHAUSTIVE = "mitm"
EARLY_STOP = "early-stop"
SAMPLING = "sampling"
# sampling's `threshold` option accepts at most this; any value below N samples.
_SAMPLING_THRESHOLD_MAX = 30
# A truth table of N coefficients has 2^N - 1 rows per cycle, all held in memory.
TRUTH_TABLE_MAX_N = 22
# The original draws its sample from numpy's legacy generator seeded with 42.
SAMPLING_SEED = 42
# Name of the original's sampled search in results (Result.strategy).
ORIGINAL_SAMPLE = "original-sample"


class WeightCombinationSearch:
    """Find weights W with sum(coefficients * W) ~ target (the original's class).

    Each cycle tests the combinations of the coefficients, takes the closest one
    (ties: the larger result, then the smaller line), updates the weights and the
    Weighted Possibility Number (WPN); it stops when the winner is within the
    tolerance or after max_iter cycles. The exact rules are docs/algorithm.md.

    How the arguments map to this project's strategies (`wcs list`):

    - adaptive_sampling=True and N > sampling_threshold: the original's sampled
      search. With sampler='original' (the default) its very sample is drawn
      (sample_size combinations, min(sample_size, 2^N - 1), by sampling_strategy:
      'importance', 'random' or 'progressive', from numpy's legacy generator seeded
      with 42, as the original does, but from a generator of its own, so numpy's
      global random state is left alone) and the core runs it: the same rows in
      the same order every cycle, bit-exact line values, the original's winner, its
      early stop inside the sample (early_stopping) and its WPN rule over the rows
      tried. The weights equal the original's to the bit, so it converges exactly
      where the original does. With sampler='sampling' the project's strategy
      `sampling` runs instead (threshold=sampling_threshold capped at 30,
      sample_size, mode=sampling_strategy, resample=fixed, seed 42): its own
      sample, the best sampled line as the winner and the exact WPN rule; it is
      faster at large sample sizes but tests other combinations, so its answers
      differ and it can miss a convergence the original finds (and find one the
      original misses).
    - otherwise early_stopping=True (the default): strategy `early-stop` with
      factor=1: a cycle stops at the first line in line order within the
      tolerance, as the original's does. Same weights as the original, to the bit.
      N <= 40.
    - otherwise (early_stopping=False, and adaptive_sampling=False or N at most
      sampling_threshold): strategy `mitm`, of the identical family: the winner of
      every cycle that an exhaustive search in the original's order and arithmetic
      finds, by a meet in the middle (O(2^(N/2)) a cycle instead of O(2^N)), so the
      weights equal the original's (and `reference`'s) to the bit. N <= 64.

    With the defaults (early_stopping=True, adaptive_sampling=True,
    sampling_threshold=12, sample_size=10000, sampling_strategy='importance')
    every N gives the original's weights to the bit: `early-stop` up to N = 12,
    the original's sample above.

    Arguments with no effect here: use_numba (the search is compiled C++; the
    original's numba only compiled the same formula), parallel and n_jobs (the
    original stores them and never uses them; use wcs.solve(..., strategy=
    "parallel") for threads), index_filtering (not implemented: it is accepted,
    warned about, and the search covers every coefficient; the original's
    filtered search also returns weights in sorted-coefficient order). verbose
    logs a summary per cycle through the logging module, as the original does.

    Beyond the original (its own tests use them): return_truth_table=True in the
    constructor keeps each search's truth table in `truth_table_`
    (truth_table_format 'dataframe'), writes it to truth_table_path ('csv'), or
    both ('both').

    Errors: the original's ValueErrors, with its messages; input the original did
    not check (a NaN, an infinite target, N above a strategy's limit) raises
    ValueError with the message of the `wcs` command line.
    """

    def __init__(self,
                 tolerance=0,
                 max_iter=32,
                 initial_wpn=1.0,
                 wpn_bounds=(-np.inf, np.inf),
                 verbose=False,
                 early_stopping=True,
                 adaptive_sampling=True,
                 sampling_threshold=12,
                 sample_size=10000,
                 sampling_strategy='importance',
                 use_numba=True,
                 parallel=True,
                 n_jobs=-1,
                 index_filtering=False,
                 *,
                 return_truth_table=False,
                 truth_table_format='dataframe',
                 truth_table_path='truth_table.csv',
                 sampler='original'):
        # The original's checks, in its order and with its messages.
        if tolerance < 0:
            raise ValueError(f"Tolerance must be non-negative, got {tolerance}")
        if max_iter < 1:
            raise ValueError(f"max_iter must be at least 1, got {max_iter}")
        if initial_wpn == 0:
            raise ValueError("initial_wpn cannot be zero")
        if wpn_bounds[0] >= wpn_bounds[1]:
            raise ValueError(f"Invalid WPN bounds: {wpn_bounds}")
        if sampling_threshold < 1:
            raise ValueError(f"sampling_threshold must be at least 1, got {sampling_threshold}")
        if sample_size < 1:
            raise ValueError(f"sample_size must be at least 1, got {sample_size}")
        if sampling_strategy not in ['importance', 'random', 'progressive']:
            raise ValueError(f"sampling_strategy must be 'importance', 'random', or 'progressive', got {sampling_strategy}")
        if sampler not in ('original', 'sampling'):
            raise ValueError(f"sampler must be 'original' or 'sampling', got {sampler}")
        if truth_table_format not in ('dataframe', 'csv', 'both'):
            raise ValueError(f"truth_table_format must be 'dataframe', 'csv', or 'both', got {truth_table_format}")

        self.tolerance = tolerance
        self.max_iter = max_iter
        self.initial_wpn = initial_wpn
        self.wpn_bounds = wpn_bounds
        self.verbose = verbose
        self.early_stopping = early_stopping
        self.adaptive_sampling = adaptive_sampling
        self.sampling_threshold = sampling_threshold
        self.sample_size = sample_size
        self.sampling_strategy = sampling_strategy
        self.use_numba = False  # what the original sets when numba is missing: nothing uses it here
        self.parallel = parallel
        self.n_jobs = n_jobs if n_jobs != -1 else (os.cpu_count() or 1)
        self.index_filtering = index_filtering
        self.return_truth_table = return_truth_table
        self.truth_table_format = truth_table_format
        self.truth_table_path = truth_table_path
        self.sampler = sampler
        if index_filtering:
            warnings.warn("wcs.WeightCombinationSearch: index_filtering has no effect here; "
                          "every coefficient is searched", UserWarning, stacklevel=2)

        self.history = {
            'cycles': [],
            'wpn_evolution': [],
            'best_delta_evolution': [],
            'early_stops': [],
            'filtering_history': [],
        }

    def strategy_for(self, n_params):
        """The strategy and options a search of n_params coefficients runs with."""
        if self.adaptive_sampling and n_params > self.sampling_threshold:
            if self.sampler == 'original':
                return ORIGINAL_SAMPLE, {'early_stop': bool(self.early_stopping)}
            return SAMPLING, {
                'threshold': min(int(self.sampling_threshold), _SAMPLING_THRESHOLD_MAX),
                'sample_size': int(self.sample_size),
                'mode': self.sampling_strategy,
                'resample': 'fixed',
            }
        if self.early_stopping:
            return EARLY_STOP, {'factor': 1}
        return EXHAUSTIVE, {}

    def find_optimal_weights(self,
                             coefficients,
                             target,
                             tolerance=None,
                             max_iter=None,
                             return_truth_table=False,
                             save_csv=False,
                             csv_filename='truth_table.csv'):
        """Find weights W such that coefficients . W ~ target.

        Returns the weights (numpy array), or (weights, truth_table) when
        return_truth_table is True: a pandas DataFrame when pandas is installed,
        else a list of dicts, with the original's columns (cycle, line, combo,
        weights_before, wpn, result, delta_abs, delta_cond, is_winner). save_csv
        writes the table to csv_filename. tolerance and max_iter override the
        constructor's for this search only. Appends each cycle to `history`.

        Raises ValueError as the original does (negative tolerance, max_iter < 1,
        empty or all-zero coefficients) and for input it did not check.
        """
        tolerance = tolerance if tolerance is not None else self.tolerance
        max_iter = max_iter if max_iter is not None else self.max_iter
        if tolerance < 0:
            raise ValueError(f"tolerance must be non-negative, got {tolerance}")
        if max_iter < 1:
            raise ValueError(f"max_iter must be at least 1, got {max_iter}")
        coefficients = np.array(coefficients, dtype=float)
        if len(coefficients) == 0:
            raise ValueError("coefficients cannot be empty")
        if np.allclose(coefficients, 0):
            raise ValueError("coefficients cannot be all zeros")
        n_params = len(coefficients)
        strategy, options = self.strategy_for(n_params)
        want_table = return_truth_table or save_csv or self.return_truth_table
        if want_table and strategy != ORIGINAL_SAMPLE and n_params > TRUTH_TABLE_MAX_N:
            raise ValueError(f"truth table: N = {n_params} would have 2^{n_params} - 1 rows per cycle in memory; "
                             f"at most N = {TRUTH_TABLE_MAX_N} (wcs solve --truth-table streams any size to CSV)")

        if self.verbose:
            logger.info("Starting WeightCombinationSearch:")
            logger.info(f"  Parameters: {n_params}")
            logger.info(f"  Target: {target}")
            logger.info(f"  Tolerance: {tolerance}")
            logger.info(f"  Max iterations: {max_iter}")
            logger.info(f"  Strategy: {strategy} {options}")

        bounds = (float(self.wpn_bounds[0]), float(self.wpn_bounds[1]))
        sample = None
        if strategy == ORIGINAL_SAMPLE:
            sample = original_sample(coefficients, self.sample_size, self.sampling_strategy)
            r = _wcs.solve_sample(coefficients, float(target), sample, options['early_stop'], float(tolerance),
                                  int(max_iter), float(self.initial_wpn), bounds)
        else:
            r = _wcs.solve(coefficients, float(target), strategy, float(tolerance), int(max_iter),
                           SAMPLING_SEED, True, initial_wpn=float(self.initial_wpn), wpn_bounds=bounds, **options)

        total = 2 ** n_params - 1 if sample is None else len(sample)
        # A row of the original's sample (its 'line' numbers) for each traced winner:
        # the first row equal to it, which is the one the original keeps.
        rows = [_first_row(sample, t['combination']) for t in r.trace] if sample is not None else \
            [t['line'] for t in r.trace]
        for t in r.trace:
            delta = abs(t['result'] - target)
            self.history['cycles'].append(t['cycle'])
            self.history['wpn_evolution'].append(t['wpn'])
            self.history['best_delta_evolution'].append(delta)
            if self.verbose:
                logger.info(f"Cycle {t['cycle']}/{max_iter} (WPN={t['wpn']:.4f}, W={np.asarray(t['weights_before'])}): "
                            f"winner line {t['line']} {t['combination']}, result={t['result']:.4f}, \u0394={delta:.4f}")
        stopped_early = r.converged and (strategy == EARLY_STOP or
                                         (strategy == ORIGINAL_SAMPLE and options['early_stop']))
        if stopped_early:
            # The converged cycle stopped at its winner, the first line within the tolerance.
            line = rows[-1]
            self.history['early_stops'].append({
                'cycle': r.cycles, 'line': line, 'total_combos': total,
                'tested_combos': line, 'skipped_combos': total - line,
            })
        if self.verbose:
            if r.converged:
                logger.info(f"Converged! \u0394={r.error:.4f} \u2264 {tolerance}")
            else:
                logger.warning(f"Max iterations ({max_iter}) reached without convergence")
                logger.info(f"  Best \u0394 achieved: {r.error:.4f}")

        weights = r.weights
        if not want_table:
            return weights
        cols = _truth_table(coefficients, target, r, rows, sample, stopped_early)
        table = _format_truth_table(cols)
        if self.return_truth_table:
            if self.truth_table_format in ('dataframe', 'both'):
                self.truth_table_ = table
            if self.truth_table_format in ('csv', 'both'):
                _save_truth_table_csv(cols, table, self.truth_table_path)
        if save_csv:
            _save_truth_table_csv(cols, table, csv_filename)
            if self.verbose:
                logger.info(f"Truth table saved to {csv_filename}")
        if return_truth_table:
            return weights, table
        return weights

    def set_tolerance(self, tolerance):
        """Update the default tolerance (ValueError if it is negative)."""
        if tolerance < 0:
            raise ValueError(f"tolerance must be non-negative, got {tolerance}")
        self.tolerance = tolerance
        if self.verbose:
            logger.info(f"Tolerance updated to {tolerance}")

    def set_max_iter(self, max_iter):
        """Update the default maximum number of cycles (ValueError if it is below 1)."""
        if max_iter < 1:
            raise ValueError(f"max_iter must be at least 1, got {max_iter}")
        self.max_iter = max_iter
        if self.verbose:
            logger.info(f"Max iterations updated to {max_iter}")


def _first_row(sample, combination):
    """1 + the index of the first row of `sample` that is `combination` ('0'/'1' text)."""
    want = np.frombuffer(combination.encode(), dtype=np.uint8) - ord('0')
    return int(np.flatnonzero((sample == want).all(axis=1))[0]) + 1


def original_sample(coefficients, sample_size, strategy):
    """The combinations the original's adaptive sampling tries, as rows of 0/1.

    As the original draws them: min(sample_size, 2^N - 1) rows (more when every
    single-coefficient row does not fit), from numpy's legacy Mersenne Twister
    seeded with 42 (a RandomState of its own here; the original reseeds numpy's
    global one).
    - importance: first the N single-coefficient rows, then rows that select
      coefficient i when a uniform draw is below min(2 |a_i| / sum |a|, 0.8)
      (the largest |a_i| alone when none is selected);
    - random: rows that select i when a draw is below 0.5 (one coefficient drawn
      uniformly when none is);
    - progressive: int(0.4 * size) random rows, then importance rows for the rest,
      each part from a generator seeded with 42 anew.
    """
    n = len(coefficients)
    size = min(sample_size, 2 ** n - 1)
    if strategy == 'importance':
        rows = _importance_rows(coefficients, size)
    elif strategy == 'random':
        rows = _random_rows(n, size)
    else:
        first = int(size * 0.4)
        rows = np.concatenate([_random_rows(n, first), _importance_rows(coefficients, size - first)])
    return rows.astype(np.uint8)


def _importance_rows(coefficients, size):
    n = len(coefficients)
    importance = np.abs(coefficients)
    total = importance.sum()
    importance = importance / total if total > 0 else np.ones(n) / n
    chance = (importance * 2).clip(0, 0.8)
    rng = np.random.RandomState(SAMPLING_SEED)
    drawn = rng.rand(max(size - n, 0), n) < chance  # row by row, the same stream as one draw per row
    drawn[~drawn.any(axis=1), np.argmax(importance)] = True
    return np.concatenate([np.eye(n, dtype=bool), drawn])


def _random_rows(n, size):
    rng = np.random.RandomState(SAMPLING_SEED)
    out = []
    left = size
    while left > 0:
        state = rng.get_state()
        block = rng.rand(left, n) < 0.5
        empty = np.flatnonzero(~block.any(axis=1))
        if len(empty) == 0:
            out.append(block)
            break
        # A row with nothing selected draws a coefficient before the next row is
        # drawn: redraw up to that row, then that draw, then go on.
        k = int(empty[0])
        rng.set_state(state)
        block = rng.rand(k + 1, n) < 0.5
        block[k, rng.randint(0, n)] = True
        out.append(block)
        left -= k + 1
    return np.concatenate(out) if out else np.zeros((0, n), dtype=bool)


def _truth_table(coefficients, target, result, rows, sample, stopped_early):
    """The table's columns, one row per combination tried in each traced cycle.

    Values are recomputed in the original's arithmetic (from 0.0, terms
    (a[i] * e_i) * m_i added in index order), vectorised over the combinations.
    A cycle lists every line in line order (or, for the original's sample, every
    row of the sample in order, numbered from 1 as the original numbers them); the
    converged cycle of an early-stopping search ends at its winner, where the
    original's loop broke off. (`sampling`'s own sample is not exposed: with
    sampler='sampling' a cycle lists every line.)
    """
    n = len(coefficients)
    if sample is None:
        all_lines = np.arange(1, 2 ** n, dtype=np.int64)
        shifts = np.arange(n - 1, -1, -1, dtype=np.int64)
        all_bits = ((all_lines[:, None] >> shifts[None, :]) & 1).astype(bool)  # coefficient 0 = top bit
    else:
        all_bits = sample.astype(bool)
        all_lines = np.arange(1, len(sample) + 1, dtype=np.int64)
    combos_text = [tuple(bool(b) for b in row) for row in all_bits]
    cols = {k: [] for k in ('cycle', 'line', 'combo', 'weights_before', 'wpn', 'result', 'delta_abs',
                            'delta_cond', 'is_winner')}
    last = len(result.trace) - 1
    for c, t in enumerate(result.trace):
        count = rows[c] if (stopped_early and c == last) else len(all_lines)
        bits = all_bits[:count]
        w = np.asarray(t['weights_before'], dtype=float)
        p = t['wpn']
        acc = np.zeros(count)
        for i in range(n):
            sel = bits[:, i]
            e = np.where(sel, 1.0, 0.0) if w[i] == 0 else np.full(count, w[i])
            m = np.where(sel, p, 1.0)
            acc = acc + (coefficients[i] * e) * m
        winner = np.zeros(count, dtype=bool)
        winner[rows[c] - 1] = True
        w.flags.writeable = False  # one array shared by the cycle's rows
        cols['cycle'].append(np.full(count, t['cycle'], dtype=np.int64))
        cols['line'].append(all_lines[:count])
        cols['combo'].extend(combos_text[:count])
        cols['weights_before'].extend([w] * count)
        cols['wpn'].append(np.full(count, p))
        cols['result'].append(acc)
        cols['delta_abs'].append(np.abs(acc - target))
        cols['delta_cond'].append(acc - target)
        cols['is_winner'].append(winner)
    for k in ('cycle', 'line', 'wpn', 'result', 'delta_abs', 'delta_cond', 'is_winner'):
        cols[k] = np.concatenate(cols[k]) if cols[k] else np.array([])
    return cols


def _format_truth_table(cols):
    """A pandas DataFrame (combo as text, as the original), or the original's list of dicts."""
    if HAS_PANDAS:
        df = pd.DataFrame({k: cols[k] for k in cols})
        df['combo'] = [str(c) for c in cols['combo']]
        return df
    keys = list(cols)
    return [{k: (cols[k][i].item() if isinstance(cols[k], np.ndarray) else cols[k][i]) for k in keys}
            for i in range(len(cols['line']))]


def _save_truth_table_csv(cols, table, filename):
    """The original's CSV: pandas' to_csv, or csv.DictWriter with weights as tuples."""
    if HAS_PANDAS:
        table.to_csv(filename, index=False)
        return
    if len(cols['line']) == 0:
        return
    with open(filename, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(cols))
        writer.writeheader()
        for row in table:
            row = dict(row)
            row['weights_before'] = tuple(row['weights_before'])
            writer.writerow(row)

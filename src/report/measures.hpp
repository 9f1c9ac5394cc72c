// The statistics of each cell (a problem shape and a strategy over its seeds),
// computed once, and the table of measures the per-cell and pivot tables are made of:
// each measure names its statistic, its format, its interval and its CSV columns, the
// way Google Benchmark keeps its aggregates in a table.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report/model.hpp"
#include "report/table.hpp"

namespace wcs::report {

/// What the tables say about one cell.
struct CellStats {
  const Cell* cell = nullptr;
  // Times (ok runs with times) and the speed-up against the row's baseline.
  double time_min = NAN, time_max = NAN;  ///< over every repetition
  // Convergence and error (ok runs).
  std::size_t converged = 0;
  double median_error = NAN, mean_error = NAN, worst_error = NAN, best_error = NAN;
  // Agreement with the exact answer of the same instance.
  std::string agrees_with;  ///< labels of the exact answers compared with
  std::size_t agree = 0, compared = 0;
  double mean_gap = NAN;
  // Cycles, evaluations, weights, auto's choices, trajectories.
  double mean_cycles = NAN, mean_evaluations = NAN, mean_nonzero = NAN;
  std::string chose;
  std::size_t traced = 0, cut = 0;
  // Fixed target (ERT over the ok runs).
  double ert_evaluations = NAN, ert_seconds = NAN;
};

/// k successes of n trials with the 95% Wilson interval: the value of a tally column.
Value tally_value(std::size_t k, std::size_t n);

/// Every cell's statistics, keyed by cell key.
std::map<std::string, CellStats> cell_stats(const Model& m);

/// One measure of a cell: its key, its column (header, CSV names, format, interval)
/// and how its value is read from the cell's statistics.
struct Measure {
  std::string_view key;
  Column column;
  Value (*of)(const CellStats&);
};

/// The table of measures.
const std::vector<Measure>& measures();
/// The measure named `key` (std::out_of_range for an unknown one: a programming error).
const Measure& measure(std::string_view key);

}  // namespace wcs::report

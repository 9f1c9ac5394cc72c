// The report's view of run records (record::RunRecord): the keys of the cells and
// rows tables aggregate, and the statistics of a run's repetition times.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "record/record.hpp"

namespace wcs::report {

using record::RunRecord;
using record::Trajectory;

/// Median of the repetitions' times (NaN when there are none).
double median_seconds(const RunRecord& run);

/// What a run took to meet the tolerance (COCO's runtime to the target): its
/// evaluations and its median time per solve; infinite when it did not (or, for the
/// time, was not timed).
struct Runtime {
  double evaluations = INFINITY, seconds = INFINITY;
};
Runtime runtime_to_target(const RunRecord& run);

/// Key of the problem instance row (problem, N, max_iter, tolerance) over strategies.
std::string row_key(const RunRecord& run);

/// Key of the cell (problem, N, max_iter, tolerance, label) a table row aggregates,
/// from the run's row key.
std::string cell_key(const std::string& row, const std::string& label);
inline std::string cell_key(const RunRecord& run) { return cell_key(row_key(run), run.label); }

/// A statistic of one run's repetition times (seconds), as runs.csv has it: its
/// column and how it is computed (NaN when there are too few times). Google
/// Benchmark keeps its aggregates the same way, as a table.
struct RunStatistic {
  const char* column;
  double (*of)(const std::vector<double>& seconds);
};
const std::vector<RunStatistic>& run_statistics();

}  // namespace wcs::report

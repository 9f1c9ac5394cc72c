// The report's view of run records (experiment::RunRecord): plan order, the keys of
// the cells and rows tables aggregate, and a run's median time.
#pragma once
#include <string>
#include <vector>

#include "experiment/record.hpp"

namespace wcs::report {

using experiment::RunRecord;
using experiment::Trajectory;

/// The records in run-index order (plan order, whatever the file names).
std::vector<RunRecord> by_index(std::vector<RunRecord> records);

/// Median of the repetitions' times (NaN when there are none).
double median_seconds(const RunRecord& run);

/// Key of the problem instance row (problem, N, max_iter, tolerance) over strategies.
std::string row_key(const RunRecord& run);

/// Key of the cell (problem, N, max_iter, tolerance, label) a table row aggregates,
/// from the run's row key.
std::string cell_key(const std::string& row, const std::string& label);
inline std::string cell_key(const RunRecord& run) { return cell_key(row_key(run), run.label); }

}  // namespace wcs::report

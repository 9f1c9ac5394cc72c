#include "report/runs.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

std::vector<RunRecord> by_index(std::vector<RunRecord> records) {
  std::stable_sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) { return a.index < b.index; });
  return records;
}

double median_seconds(const RunRecord& run) { return median(run.rep_seconds); }

std::string row_key(const RunRecord& r) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", r.problem, r.n, r.max_iter, format_number(r.tolerance));
}

std::string cell_key(const std::string& row, const std::string& label) { return row + "\x1f" + label; }

}  // namespace wcs::report

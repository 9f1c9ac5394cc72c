#include "report/runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

double median_seconds(const RunRecord& run) { return median(run.rep_seconds); }

Runtime runtime_to_target(const RunRecord& r) {
  Runtime rt;
  if (!r.ok() || !r.converged) return rt;
  rt.evaluations = static_cast<double>(r.evaluations);
  if (!r.rep_seconds.empty()) rt.seconds = median_seconds(r);
  return rt;
}

std::string row_key(const RunRecord& r) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", r.problem, r.n, r.max_iter, format_number(r.tolerance));
}

std::string cell_key(const std::string& row, const std::string& label) { return row + "\x1f" + label; }

namespace {

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / static_cast<double>(v.size());
}

double stddev_of(const std::vector<double>& v) {
  if (v.size() < 2) return NAN;
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

double min_of(const std::vector<double>& v) { return v.empty() ? NAN : *std::min_element(v.begin(), v.end()); }
double max_of(const std::vector<double>& v) { return v.empty() ? NAN : *std::max_element(v.begin(), v.end()); }

}  // namespace

const std::vector<RunStatistic>& run_statistics() {
  static const std::vector<RunStatistic> table{
      {"time_s", [](const std::vector<double>& v) { return median(v); }},
      {"time_mean_s", mean_of},
      {"time_min_s", min_of},
      {"time_max_s", max_of},
      {"time_stddev_s", stddev_of},
  };
  return table;
}

}  // namespace wcs::report

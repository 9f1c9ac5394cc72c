// `wcs compare A B`: two result folders (before and after a change, two machines, two
// compilers), cell by cell.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/table.hpp"

namespace wcs::report {

/// One cell (problem, N, max_iter, tolerance, strategy) present in both folders.
struct Comparison {
  std::string problem, strategy;
  std::size_t n = 0;
  long long max_iter = 0;
  double tolerance = 0;
  std::size_t instances = 0;            ///< problem instances timed in both
  double a_seconds = 0, b_seconds = 0;  ///< medians over the common instances
  double ratio = 0, lo = 0, hi = 0;     ///< B / A with its 95% bootstrap interval
  double p = 1;                         ///< two-sided Mann-Whitney U p-value
  std::string verdict;                  ///< "faster", "slower" or "no difference" (B against A, at 5%)
  std::size_t starved = 0;              ///< runs of either side with starved repetitions: times not comparable
};

/// What one side of a comparison held.
struct Side {
  std::size_t timed = 0;              ///< readable ok records with times
  std::size_t matched = 0;            ///< of them, those with a record of the same run key on the other side
  std::size_t failed = 0;             ///< readable records that failed (failed, non-finite, inconsistent)
  std::size_t unreadable = 0;         ///< records that could not be read
  std::size_t missing = 0;            ///< planned runs with no record
  std::vector<std::string> problems;  ///< one line per unreadable record: file: field: what
};

struct CompareReport {
  std::vector<std::string> warnings;  ///< machines, instruction sets, builds that differ; starved runs; bad records
  std::vector<Comparison> cells;      ///< in A's plan order
  Side a, b;
};

/// Reads both folders' records and compares every cell timed in both. InputError
/// naming the folder when one has no run records at all; unreadable and failed
/// records are counted and left out.
CompareReport compare_folders(const std::filesystem::path& a, const std::filesystem::path& b);

/// The comparison as one table (per cell: times, ratio with its interval, p, verdict;
/// slower cells marked), which the Markdown, CSV and HTML writers print.
Table compare_table(const CompareReport& report);
/// The counts of matched runs and verdicts, and the geometric mean of the ratios.
std::string compare_summary(const CompareReport& report);

/// The report as Markdown (warnings first) or CSV.
std::string compare_markdown(const CompareReport& report, const std::string& a, const std::string& b);
std::string compare_csv(const CompareReport& report);
/// The report as a self-contained HTML page: the table (sortable, filterable, slower
/// cells marked) and B / A against N per strategy with its interval.
std::string compare_page(const CompareReport& report, const std::string& a, const std::string& b);

/// Cells slower than A by more than `percent` percent with a significant difference
/// (cells with starved runs are not counted: their times say nothing).
std::vector<const Comparison*> slowdowns(const CompareReport& report, double percent);

}  // namespace wcs::report

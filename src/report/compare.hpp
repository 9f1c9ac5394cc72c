// `wcs compare A B`: two result folders (before and after a change, two machines, two
// compilers), cell by cell.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wcs::report {

/// One cell (problem, N, max_iter, tolerance, strategy) present in both folders.
struct Comparison {
  std::string problem, strategy;
  std::size_t n = 0;
  long long max_iter = 0;
  double tolerance = 0;
  std::size_t instances = 0;      ///< problem instances timed in both
  double a_seconds = 0, b_seconds = 0;  ///< medians over the common instances
  double ratio = 0, lo = 0, hi = 0;     ///< B / A with its 95% bootstrap interval
  double p = 1;                   ///< two-sided Mann-Whitney U p-value
  std::string verdict;            ///< "faster", "slower" or "no difference" (B against A, at 5%)
};

struct CompareReport {
  std::vector<std::string> warnings;  ///< machines, instruction sets, builds that differ
  std::vector<Comparison> cells;      ///< in A's plan order
};

/// Reads both folders' records and compares every cell timed in both. InputError
/// naming the folder when one has no run records.
CompareReport compare_folders(const std::filesystem::path& a, const std::filesystem::path& b);

/// The report as Markdown (warnings first) or CSV.
std::string compare_markdown(const CompareReport& report, const std::string& a, const std::string& b);
std::string compare_csv(const CompareReport& report);

/// Cells slower than A by more than `percent` percent with a significant difference.
std::vector<const Comparison*> slowdowns(const CompareReport& report, double percent);

}  // namespace wcs::report

// A typed reading of run records for the report and `wcs compare`: identity,
// options, each repetition's time in seconds, the result, the trajectory and the
// machine, whatever unit or name the record's Google Benchmark entries used.
#pragma once
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wcs::report {

/// Per-cycle trajectory of a traced run (`trace: true`), column by column.
struct Trajectory {
  std::string source;  ///< "trace" (per cycle) or "final" (one point: the final state)
  std::vector<double> cycle, evaluations, seconds, error, best_error;  ///< seconds: NaN unmeasured
};

/// One run record.
struct RunData {
  std::string id, key, experiment, status, reason;
  std::size_t index = 0;
  std::string problem, instance, generator;
  std::size_t n = 0;
  std::uint64_t seed = 0;
  long long max_iter = 0;
  double tolerance = NAN, target = NAN;
  std::string strategy, label, family;
  std::map<std::string, std::string> options;
  int repetitions = 0;                 ///< planned repetitions
  std::vector<double> rep_seconds;     ///< each repetition's real time per solve
  std::vector<double> rep_iterations;  ///< Google Benchmark's iterations of each repetition
  // Result (status ok).
  double result = NAN, error = NAN;
  bool converged = false;
  double cycles = NAN, evaluations = NAN, nonzero_weights = NAN;
  std::map<std::string, std::string> notes;
  std::optional<Trajectory> trajectory;
  /// Machine and build from the record's context: host_name, num_cpus, mhz_per_cpu,
  /// simd_target, build_type, compiler, cxx_flags, git_commit, git_dirty.
  std::map<std::string, std::string> context;

  bool ok() const { return status == "ok"; }
  /// Median of the repetitions' times (NaN when there are none).
  double seconds() const;
  /// Key of the cell (problem, N, max_iter, tolerance, label) a table row aggregates.
  std::string cell() const;
  /// Key of the problem instance row (problem, N, max_iter, tolerance) over strategies.
  std::string row() const;
};

/// Every record typed, in run-index order. std::runtime_error naming the record's id
/// when a field the report needs is missing or of the wrong type.
std::vector<RunData> read_runs(const std::vector<nlohmann::ordered_json>& records);

/// A Google Benchmark time in `unit` ("ns", "us", "ms", "s") in seconds.
double to_seconds(double value, const std::string& unit);

/// A JSON number, or the text of a number ("inf", "nan"), as a double; NaN otherwise.
double json_number(const nlohmann::ordered_json& value);

}  // namespace wcs::report

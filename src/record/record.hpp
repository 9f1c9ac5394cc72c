// The run record: what one run of an experiment wrote, typed, and the one table of its
// fields (record_fields) from which its JSON writer, its reader, its checks, the
// runs.csv columns, `wcs solve --json`, the Python result and docs/record.md all come.
#pragma once
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wcs/error.hpp"
#include "wcs/problem.hpp"
#include "wcs/result.hpp"

namespace wcs::record {

using Json = nlohmann::ordered_json;
using Texts = std::map<std::string, std::string>;

/// The format written today. Records of format 1 (before the identity and the
/// trajectory's completeness were recorded) are read with defaults for what they lack.
inline constexpr std::uint64_t kFormat = 2;

/// What became of a run. `non-finite` and `inconsistent` are results that fail the
/// checks of check_result: they are kept in the record (to be looked at) but never
/// counted as results.
namespace status {
inline constexpr std::string_view ok = "ok";
inline constexpr std::string_view skipped = "skipped";            ///< planned, not run (max_n)
inline constexpr std::string_view failed = "failed";              ///< the strategy threw
inline constexpr std::string_view non_finite = "non-finite";      ///< weights, result or error not finite
inline constexpr std::string_view inconsistent = "inconsistent";  ///< a result that does not satisfy its problem
}  // namespace status

/// Every status, in the order above.
std::span<const std::string_view> statuses();

/// Per-cycle trajectory of a traced run, column by column (NaN: not measured).
struct Trajectory {
  std::string source;         ///< "trace" (per cycle) or "final" (one point: the final state)
  bool complete = true;       ///< false when cycles were left out (a cap was reached)
  std::uint64_t dropped = 0;  ///< cycles left out
  std::vector<double> cycle, evaluations, seconds, error, best_error;
  std::size_t size() const { return cycle.size(); }
};

/// One run record, typed.
struct RunRecord {
  std::uint64_t format = kFormat;
  // Identity.
  std::string id, key;
  std::uint64_t index = 0;
  std::string experiment, experiment_hash;
  // The problem instance.
  std::string problem, instance, generator;
  std::uint64_t n = 0;
  std::uint64_t seed = 0;
  std::vector<double> coefficients;
  double target = NAN, tolerance = NAN;
  std::int64_t max_iter = 0;
  double initial_wpn = NAN;
  std::vector<double> wpn_bounds{-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  // The strategy and the program.
  std::string strategy, strategy_identity, wcs_version, wcs_commit, label, family;
  Texts params;   ///< as given in the file, canonical text
  Texts options;  ///< every option, canonical text
  // Timing settings, and what the timing saw.
  std::int64_t repetitions = 0;  ///< planned repetitions
  double min_time = 0;
  std::int64_t iterations = 0;
  std::uint64_t starved = 0;  ///< repetitions whose real time was far above their CPU time
  // Outcome.
  std::string status;  ///< one of statuses()
  std::string reason;  ///< why it is not ok
  // The result (ok, non-finite, inconsistent).
  std::vector<double> weights;
  double result = NAN, error = NAN;
  bool converged = false;
  std::uint64_t cycles = 0;
  std::uint64_t evaluations = 0;
  std::uint64_t nonzero_weights = 0;
  Texts notes;
  bool traced = false;  ///< `trajectory` holds the traced solve's trajectory
  Trajectory trajectory;
  // Google Benchmark's part of the file, as it wrote it.
  Json context = Json::object();
  Json benchmarks = Json::array();

  // Read from Google Benchmark's part (never written on their own).
  std::vector<double> rep_seconds;      ///< each repetition's real time per solve, in seconds
  std::vector<double> rep_cpu_seconds;  ///< each repetition's CPU time per solve, in seconds
  std::vector<double> rep_iterations;   ///< Google Benchmark's iterations of each repetition
  /// Machine and build, from Google Benchmark's context (fields of When::context).
  struct Machine {
    std::string host_name, num_cpus, mhz_per_cpu, simd_target, build_type, compiler, cxx_flags, git_commit, git_dirty;
  } machine;

  bool ok() const { return status == status::ok; }
  /// A record `--resume` keeps without being asked to retry failures.
  bool finished() const { return status == status::ok || status == status::skipped; }
  /// The run produced a result (good or faulty): the result fields are written.
  bool has_result() const {
    return status == status::ok || status == status::non_finite || status == status::inconsistent;
  }
};

/// The kinds of values a record holds, and their JSON forms: a real number is a JSON
/// number, or its text ("inf", "-inf", "nan") where JSON has none; `counts` are
/// whole numbers kept as doubles; `entries` a list of objects (the solve's trace).
enum class Kind { text, count, integer, real, flag, reals, counts, texts, entries };
/// When a field is written: always, when the run has a result, when the run is not
/// ok (its reason), when it was traced; `context` fields are read from Google
/// Benchmark's context (written whole by the runner, key "wcs_<name>" or "<name>");
/// `solve_only` fields are in `wcs solve --json` and the Python result, not in records.
enum class When { always, result, not_ok, traced, context, solve_only };

/// A pointer to where a field lives in a RunRecord.
using Slot = std::variant<std::string*, std::uint64_t*, std::int64_t*, double*, bool*, std::vector<double>*, Texts*>;

/// One field of the record.
struct Field {
  std::string_view path;  ///< inside the record's "wcs" object ("context.x": in the context), '.' between levels
  Kind kind;
  std::string_view unit;  ///< "" when it has none
  When when;
  std::string_view doc;  ///< one line, for docs/record.md and the Python result
  std::string_view csv;  ///< its runs.csv column ("" none; a map gives one column per key, prefixed "opt_")
  bool solve = false;    ///< also a field of `wcs solve --json` and the Python result (named by the path's last part)
  std::uint64_t since = 1;             ///< the format that added it (older records get the default)
  Slot (*slot)(RunRecord&) = nullptr;  ///< null for solve-only fields
  /// Checks a read value beyond its kind; returns what is wrong, or "".
  std::string (*check)(const RunRecord&) = nullptr;

  /// The last part of the path ("n" of "problem.n").
  std::string_view name() const;
};

/// The table, in the order fields are written.
std::span<const Field> record_fields();
/// The field at `path`, or nullptr.
const Field* find_field(std::string_view path);

/// The `wcs` object of a record, from the table.
Json to_json(const RunRecord& record);
/// The whole record: context, benchmarks, wcs.
Json to_file_json(const RunRecord& record);

/// A broken record: the file, the field ("wcs.problem.n") and what is wrong.
class RecordError : public InputError {
 public:
  RecordError(std::string file, std::string field, std::string what);
  const std::string& file() const { return file_; }
  const std::string& field() const { return field_; }
  const std::string& what_is_wrong() const { return what_; }

 private:
  std::string file_, field_, what_;
};

/// A record read from a file's JSON (`file` names it in errors; a record whose id is
/// not its file's stem is refused when the file ends in .json). Every field of the
/// table is checked for presence, kind and its own check; Google Benchmark's part is
/// read into the repetition times. Throws RecordError. A record that says ok but whose
/// result fails check_result is returned with that fault as its status and reason.
RunRecord from_json(const Json& j, const std::string& file);

/// Whether a result satisfies its problem: its values are finite (else status
/// non-finite), the weights are N, error = |result - target|, result = sum a[i] W[i]
/// within the rounding of that sum, convergence only within the tolerance, the count
/// of non-zero weights. Returns (status, "field: what is wrong") or nullopt when it is
/// good. (Cycles may exceed max_iter: hierarchical counts its groups' cycles.)
std::optional<std::pair<std::string, std::string>> check_result(const RunRecord& record);

/// Whether a record has the field (its `when` holds for it; context fields that are
/// set).
bool present(const Field& field, const RunRecord& record);
/// A field's value as one CSV cell: numbers at full precision ("" for NaN), flags as
/// 1 or 0, a map as "k=v; k=v", "" when the record does not have it.
std::string cell_text(const Field& field, const RunRecord& record);

/// The result of a solve into a record: status ok only when it passes check_result,
/// else the fault it is (non-finite, inconsistent) with "field: what is wrong" as the
/// reason.
void set_result(RunRecord& r, const SolveResult& s);

/// The problem's fields of a record (N, coefficients, target, tolerance, max_iter, p
/// and its bounds).
void set_problem(RunRecord& r, const Problem& p);

/// The record of one solve outside an experiment (`wcs solve`, the Python module):
/// the problem, the strategy with its options, the result (set_result).
RunRecord solve_record(const Problem& problem, const std::string& strategy, const Texts& options,
                       const SolveResult& result);

/// The fields of `wcs solve --json` and the Python result, in order, by name: every
/// `solve` field the record has, and the solve-only ones that `extras` provides
/// (their names in the table).
Json solve_json(const RunRecord& record, const Json& extras);

/// The table as Markdown (docs/record.md's body) and as JSON (`wcs schema --json`).
std::string fields_markdown();
Json fields_json();

/// A count kept as a double (trajectories) read back as the integer it is.
std::uint64_t whole(double x);

}  // namespace wcs::record

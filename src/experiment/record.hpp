// Run records: one JSON file per run (Google Benchmark's JSON plus a "wcs" section),
// one typed RunRecord in memory, written atomically, read back by resume, merge,
// report and compare.
#pragma once
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "experiment/plan.hpp"
#include "wcs/result.hpp"

namespace wcs::experiment {

using Json = nlohmann::ordered_json;

/// Writes `text` to `path` through a temporary file in the same folder
/// (`<path>.tmp.<host>.<pid>`) and a rename, so a reader never sees half a file, and
/// durably: the file is synced before the rename and the folder before and after it,
/// so a record that was reported written survives a crash of the machine. Creates the
/// folder. Throws std::runtime_error.
void write_atomic(const std::filesystem::path& path, const std::string& text);

/// Removes the temporary files write_atomic left in `dir`, `dir`/runs and `dir`/tables
/// when its writer was killed: those of this host whose process is gone, and those of
/// other hosts (a folder shared over the network) older than an hour. A live writer's
/// file (another shard writing into the same folder) is left alone. Returns how many
/// were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

/// The whole file; std::runtime_error when it cannot be read.
std::string read_text(const std::filesystem::path& path);

/// results DIR/runs/<id>.json
std::filesystem::path record_path(const std::filesystem::path& dir, const std::string& id);

/// The experiment description written beside the runs (experiment.json): name,
/// file hash, seeds, number of runs planned, estimates. Same plan, same bytes.
Json experiment_json(const Plan& plan);

/// Per-cycle trajectory of a traced run (`trace: true`), column by column.
struct Trajectory {
  std::string source;  ///< "trace" (per cycle) or "final" (one point: the final state)
  std::vector<double> cycle, evaluations, seconds, error, best_error;  ///< seconds: NaN unmeasured
};

/// One run record, typed: what `wcs run` writes (RunRecord::json) and what resume,
/// merge, report and compare read back (read_records). On disk it is Google
/// Benchmark's JSON (`context`, `benchmarks`, kept as they came) plus a `wcs` section:
///   format, id, key, index, experiment, experiment_hash,
///   problem {name, instance, generator, n, seed, coefficients, target, tolerance,
///            max_iter, initial_wpn, wpn_bounds},
///   strategy, strategy_version, wcs_version, label, family, params, options,
///   timing {repetitions, min_time, iterations}, status ("ok", "skipped", "failed"),
///   reason (not ok), result (ok), trajectory (traced).
/// check_record lists what a record must have.
struct RunRecord {
  // Identity.
  std::string id, key;
  std::size_t index = 0;
  std::string experiment, experiment_hash;
  // The problem instance.
  std::string problem, instance, generator;
  std::size_t n = 0;
  std::uint64_t seed = 0;
  std::vector<double> coefficients;
  double target = NAN, tolerance = NAN;
  long long max_iter = 0;
  double initial_wpn = NAN;
  std::string wpn_lo, wpn_hi;  ///< bounds as text ("-inf", "inf": JSON has no infinity)
  // The strategy.
  std::string strategy, strategy_version, wcs_version, label, family;
  std::map<std::string, std::string> params;   ///< as given in the file, canonical text
  std::map<std::string, std::string> options;  ///< every option, canonical text
  int repetitions = 0;                         ///< planned repetitions
  double min_time = 0;
  long long iterations = 0;
  // Outcome.
  std::string status;  ///< "ok", "skipped" or "failed"
  std::string reason;  ///< why it was skipped or failed
  // The result (status ok).
  std::vector<double> weights;
  double result = NAN, error = NAN;
  bool converged = false;
  long long cycles = 0;
  std::uint64_t evaluations = 0;
  std::size_t nonzero_weights = 0;
  std::map<std::string, std::string> notes;
  std::optional<Trajectory> trajectory;
  // Google Benchmark's part, as it wrote it.
  Json context = Json::object();
  Json benchmarks = Json::array();

  // Read from the record (not written).
  std::vector<double> rep_seconds;     ///< each repetition's real time per solve, in seconds
  std::vector<double> rep_iterations;  ///< Google Benchmark's iterations of each repetition
  /// Machine and build from the context: host_name, num_cpus, mhz_per_cpu,
  /// simd_target, build_type, compiler, cxx_flags, git_commit, git_dirty.
  std::map<std::string, std::string> machine;

  bool ok() const { return status == "ok"; }
  bool finished() const { return status == "ok" || status == "skipped"; }

  /// The `wcs` section.
  Json wcs_json() const;
  /// The whole record: context, benchmarks, wcs.
  Json json() const;
  /// A record checked with check_record (`file` names it in messages), then typed.
  /// InputError "FILE: FIELD: what is wrong"; std::runtime_error "run record ID: ..."
  /// for a field check_record leaves alone but cannot be read (trajectory columns of
  /// different lengths).
  static RunRecord read(const Json& record, const std::filesystem::path& file);
};

/// A new record of `run` of `plan` (identity, instance, strategy, timing), status
/// unset.
RunRecord plan_record(const Plan& plan, const Run& run);

/// The result of a solve into the record: status ok, result fields, and the
/// trajectory when `traced` (one more solve with the trace on, `wall_seconds` long).
void set_result(RunRecord& record, const SolveResult& result);
void set_trajectory(RunRecord& record, const SolveResult& traced, double wall_seconds);

/// A Google Benchmark time in `unit` ("ns", "us", "ms", "s") in seconds.
double to_seconds(double value, const std::string& unit);

/// A JSON number, or the text of a number ("inf", "nan"), as a double; NaN otherwise.
double json_number(const Json& value);

/// True when DIR holds a finished record for `run` (status ok or skipped, same id and
/// key). A record kept from an earlier version of the experiment file (the run did not
/// change) is relabelled with this version's file hash, so the folder stays one
/// experiment.
bool has_record(const std::filesystem::path& dir, const Plan& plan, const Run& run);

/// What prepare_results_folder did.
struct FolderCheck {
  std::size_t removed = 0;      ///< files removed by `fresh`
  std::size_t stale = 0;        ///< records of runs the plan no longer has, removed
  std::size_t temporaries = 0;  ///< leftover temporary files removed
};

/// Makes `dir` ready for the runs of `plan`, checking everything before it removes
/// anything. A folder holding another experiment's results (experiment.json or a
/// record naming another experiment, or a JSON file that is no run record) throws
/// InputError naming the folder and both experiments, unless `fresh`, which first
/// removes every result file (experiment.json, runs/, tables/, plots/,
/// truth_tables/). Records of the same experiment whose runs the plan no longer has
/// (the file was edited: their run ids changed) are stale and removed; leftover
/// temporary files are removed.
FolderCheck prepare_results_folder(const std::filesystem::path& dir, const Plan& plan, bool fresh);

/// Removes the result files of `dir` (experiment.json, runs/, tables/, plots/,
/// truth_tables/), nothing else; returns how many files went.
std::size_t remove_results(const std::filesystem::path& dir);

/// Checks that `record` (read from `file`) has every field `wcs report` and
/// `wcs merge` use, of the right type; InputError "FILE: FIELD: what is wrong".
void check_record(const Json& record, const std::filesystem::path& file);

/// DIR/experiment.json, checked (InputError naming the file and the field); a null
/// Json when the folder has none.
Json read_experiment(const std::filesystem::path& dir);

/// Every record under DIR/runs, in file-name (= id) order, each checked with
/// check_record and, when DIR has an experiment.json, against its experiment (name
/// and file hash): InputError names the file and the field. Then typed
/// (RunRecord::read).
std::vector<RunRecord> read_records(const std::filesystem::path& dir);

}  // namespace wcs::experiment

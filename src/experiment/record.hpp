// Run records: one JSON file per run (Google Benchmark's JSON plus a "wcs" section),
// written atomically, read back by resume, merge and report.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
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

/// The "wcs" section of a record without status and result: ids, instance (with its
/// coefficients, so every number traces to its problem), strategy and options.
Json run_json(const Plan& plan, const Run& run);

/// The solve result fields of a record (exact doubles).
Json result_json(const SolveResult& result);

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
/// and file hash): InputError names the file and the field.
std::vector<Json> read_records(const std::filesystem::path& dir);

}  // namespace wcs::experiment

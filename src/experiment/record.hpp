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

/// Writes `text` to `path` through a temporary file in the same folder and a rename,
/// so a reader never sees half a file. Creates the folder. Throws std::runtime_error.
void write_atomic(const std::filesystem::path& path, const std::string& text);

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

/// True when DIR holds a finished record for `run` (status ok or skipped, same key).
bool has_record(const std::filesystem::path& dir, const Run& run);

/// Every record under DIR/runs, in file-name (= id) order. std::runtime_error names
/// a file that is not a record.
std::vector<Json> read_records(const std::filesystem::path& dir);

}  // namespace wcs::experiment

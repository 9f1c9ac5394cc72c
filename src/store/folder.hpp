// A results folder: experiment.json, the run records (runs/*.json, or packed into
// runs.jsonl.gz), tables/, plots/ and truth_tables/. How records are found and read
// (every reader: report, merge, compare, resume, Python), what a run may do to a
// folder before writing into it, and what a fresh start may remove.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "record/record.hpp"

namespace wcs::store {

namespace fs = std::filesystem;
using record::Json;
using record::RunRecord;

/// DIR/runs/<id>.json
fs::path record_path(const fs::path& dir, const std::string& id);

/// DIR/experiment.json, checked (InputError naming the file and the field); a null
/// Json when the folder has none.
Json read_experiment(const fs::path& dir);

/// A record that could not be read, and where: a file, or "runs.jsonl.gz:LINE".
struct Unreadable {
  std::string file, field, what;
};

/// Every record of a folder, read and checked, the bad ones set aside. (nlohmann's
/// json destructor may allocate while it takes a deep value apart, which clang-tidy
/// reads as a destructor that may throw.)
struct Records {                       // NOLINT(bugprone-exception-escape)
  Json experiment = nullptr;           ///< experiment.json (null when the folder has none)
  std::vector<RunRecord> runs;         ///< the readable records, in plan order (run index)
  std::vector<std::string> files;      ///< where each of `runs` was read, same order
  std::vector<Unreadable> unreadable;  ///< in file order
  std::vector<std::string> ignored;    ///< entries of runs/ that are not regular files, with why
  std::size_t planned = 0;             ///< runs experiment.json says the plan has (0: unknown)
  /// Planned runs with no readable record (0 when the plan's size is unknown).
  std::size_t missing() const;
  /// Readable records whose status is not ok or skipped.
  std::size_t failed() const;
};

/// Reads runs/*.json and the pack (a record in both: the one in runs/, newer, wins).
/// Every record is checked (record::from_json) and, when the folder has an
/// experiment.json, against it (experiment name and file hash); those that fail are
/// listed in `unreadable`, never thrown. InputError when the folder has neither
/// runs/ nor a pack, or experiment.json is broken.
Records read_folder(const fs::path& dir);

/// The experiment a run writes into a folder.
struct Owner {
  std::string name, file, file_hash;
  std::set<std::string> ids;  ///< every run id of its plan
};

/// What prepare_folder did.
struct Prepared {
  std::size_t removed = 0;        ///< files removed by `fresh`
  std::vector<std::string> left;  ///< files `fresh` left because the harness cannot have written them
  std::size_t stale = 0;          ///< records of runs the plan no longer has, removed
  std::size_t unpacked = 0;       ///< records of the pack moved back to runs/ to go on
  std::size_t temporaries = 0;    ///< leftover temporary files removed
};

/// Makes `dir` ready for the runs of `owner` (the caller holds its FolderLock),
/// checking everything before it changes anything. A folder holding another
/// experiment's results throws InputError naming the folder and both experiments,
/// unless `fresh`, which first removes what the harness wrote (remove_results). Records
/// of the same experiment whose runs the plan no longer has are stale and removed; the
/// others are relabelled with this version of the experiment file; a pack is moved
/// back into runs/ so the run can go on.
Prepared prepare_folder(const fs::path& dir, const Owner& owner, bool fresh);

/// What remove_results did.
struct Removed {
  std::size_t removed = 0;
  std::vector<std::string> left;  ///< paths (relative to the folder) it did not remove
};

/// Removes what the folder's own experiment.json proves the harness wrote: it,
/// the records of its experiment (runs/*.json that read as such, the pack), the files
/// that the manifests of tables/ and plots/ list, and truth tables named by a run id.
/// Anything else stays and is listed. InputError for a folder with results but no
/// experiment.json (or one that is not the harness's); std::runtime_error when a
/// removal fails.
Removed remove_results(const fs::path& dir);

/// The records of a finished experiment packed into DIR/runs.jsonl.gz (in plan order,
/// each checked, the pack read back before runs/ is removed). InputError when a record
/// is unreadable or runs are missing (unless `allow_missing`). Returns how many.
std::size_t pack_folder(const fs::path& dir, bool allow_missing);

/// Status of each record already in the folder (runs/ and the pack) by id, and its
/// run key: what `--resume` decides on.
std::map<std::string, std::pair<std::string, std::string>> recorded_runs(const fs::path& dir);

}  // namespace wcs::store

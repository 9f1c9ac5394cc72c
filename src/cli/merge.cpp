// `wcs merge`: joins the results folders of shards into one result set.
//
// Every input is read and checked before anything is written. The output depends
// only on the set of records, never on the order of the folders: of two records of
// one run the finished one (ok or skipped) wins over a failed one, equal results keep
// the record whose text sorts first, and different results are a conflict (exit 2,
// naming both files).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "experiment/record.hpp"
#include "wcs/error.hpp"

namespace wcs::cli {

namespace {

namespace ex = wcs::experiment;
namespace fs = std::filesystem;

struct MergeFlags {
  std::vector<std::string> dirs;
  std::string out;
  bool fresh = false;
};

// One record of one input folder.
struct Candidate {
  fs::path file;
  std::string text;
  ex::RunRecord record;
  bool finished() const { return record.finished(); }
};

// The same path, whether or not it exists yet.
fs::path canonical_path(const fs::path& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p) : c;
}

// Which of two records of one run the merge keeps, independent of their order. Their
// `wcs` sections are compared as written (a NaN equals itself there).
const Candidate& choose(const Candidate& a, const Candidate& b) {
  const Candidate& first = a.file < b.file ? a : b;
  const Candidate& second = a.file < b.file ? b : a;
  if (first.finished() != second.finished()) return first.finished() ? first : second;
  if (first.finished() && first.record.wcs_json().dump() != second.record.wcs_json().dump())
    throw InputError(fmt::format("run {} ({}) has different results in {} and {}; remove the wrong one", first.record.id,
                                 first.record.key, first.file.string(), second.file.string()));
  return first.text <= second.text ? first : second;
}

}  // namespace

Command add_merge(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "Join results folders of one experiment (e.g. shards) into one");
  cmd->add_option("results", f->dirs, "results folders to join")->required();
  cmd->add_option("--out", f->out, "the joined results folder (its records of the same experiment join in)")->required();
  cmd->add_flag("--fresh", f->fresh, "remove the --out folder's results (of any experiment) first");
  return [f]() -> int {
    const fs::path out(f->out);
    const fs::path out_canonical = canonical_path(out);
    std::vector<fs::path> inputs;
    bool out_is_input = false;
    for (const auto& d : f->dirs) {
      inputs.emplace_back(d);
      out_is_input = out_is_input || canonical_path(d) == out_canonical;
    }
    if (f->fresh && out_is_input)
      throw InputError("--fresh: the --out folder " + out.string() + " is one of the folders to merge");
    std::error_code ec;
    const bool out_has_results = fs::exists(out / "experiment.json", ec) || fs::exists(out / "runs", ec);
    // The --out folder's own results are merged too (they must be of the same experiment).
    const bool out_joins = !out_is_input && !f->fresh && out_has_results;

    // Read and check everything before writing anything.
    std::string name, hash, experiment_text;
    fs::path experiment_from;
    std::size_t planned = 0;
    std::map<std::string, Candidate> records;  // id -> the record kept so far
    auto read_folder = [&](const fs::path& dir, bool is_out) {
      const ex::Json j = ex::read_experiment(dir);
      if (!j.is_object()) {
        if (is_out) throw InputError(out.string() + ": has run records but no experiment.json; use --fresh or another --out");
        throw InputError(dir.string() + ": no experiment.json (not a results folder of `wcs run`)");
      }
      const std::string n = j["name"].get<std::string>(), h = j["file_hash"].get<std::string>();
      const std::string text = ex::read_text(dir / "experiment.json");
      if (experiment_from.empty()) {
        name = n;
        hash = h;
        experiment_text = text;
        experiment_from = dir;
        planned = j.value("runs_planned", std::size_t{0});
      } else if (n != name || h != hash) {
        if (is_out)
          throw InputError(fmt::format("{}: holds the results of experiment '{}' ({}), not of '{}' ({}) of {}; use another "
                                       "--out, or --fresh to remove its results first",
                                       dir.string(), n, h, name, hash, experiment_from.string()));
        throw InputError(fmt::format("{}: experiment '{}' ({}) differs from '{}' ({}) of {}", dir.string(), n, h, name, hash,
                                     experiment_from.string()));
      } else if (text < experiment_text) {
        experiment_text = text;  // the same experiment: keep one text whatever the order
      }
      std::error_code e;
      if (!fs::is_directory(dir / "runs", e)) return;
      for (auto& rec : ex::read_records(dir)) {
        const std::string id = rec.id;
        Candidate c{ex::record_path(dir, id), ex::read_text(ex::record_path(dir, id)), std::move(rec)};
        auto it = records.find(id);
        if (it == records.end()) {
          records.emplace(id, std::move(c));
        } else if (it->second.record.key != c.record.key) {
          throw InputError(fmt::format("{}: id {} names two runs: {} and {} ({})", c.file.string(), id, c.record.key,
                                       it->second.record.key, it->second.file.string()));
        } else {
          const Candidate& kept = choose(it->second, c);
          if (&kept == &c) it->second = std::move(c);
        }
      }
    };
    for (const auto& dir : inputs) read_folder(dir, false);
    if (out_joins) read_folder(out, true);

    if (f->fresh) ex::remove_results(out);
    ex::remove_stale_temporaries(out);
    auto write_if_changed = [](const fs::path& path, const std::string& text) {
      std::error_code e;
      if (fs::exists(path, e)) {
        try {
          if (ex::read_text(path) == text) return;
        } catch (const std::exception&) {
        }
      }
      ex::write_atomic(path, text);
    };
    write_if_changed(out / "experiment.json", experiment_text);
    for (const auto& [id, c] : records) write_if_changed(ex::record_path(out, id), c.text);
    fmt::print("merged {} run records of {} from {} folder{} into {} ({} planned{})\n", records.size(), name, f->dirs.size(),
               f->dirs.size() == 1 ? "" : "s", out.string(), planned,
               records.size() < planned ? fmt::format(", {} missing", planned - records.size()) : "");
    return 0;
  };
}

}  // namespace wcs::cli

// `wcs merge`: joins the results folders of shards into one result set.
//
// Every input is read and checked before anything is written. The output depends
// only on the set of records, never on the order of the folders: of two records of
// one run the finished one (ok or skipped) wins over a failed one, equal results keep
// the record whose text sorts first, and different results are a conflict (exit 2,
// naming both files). What a second run of the same id may see otherwise (starved
// repetitions, a build of another commit) is not a result. Records that cannot be
// read are left out and listed (with --strict they are an error).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "commands.hpp"
#include "record/record.hpp"
#include "store/files.hpp"
#include "store/folder.hpp"
#include "store/lock.hpp"
#include "store/pack.hpp"
#include "wcs/error.hpp"

namespace wcs::cli {

namespace {

namespace fs = std::filesystem;
using record::Json;
using record::RunRecord;

struct MergeFlags {
  std::vector<std::string> dirs;
  std::string out;
  bool fresh = false, strict = false;
};

// One record of one input folder, with its text as written (a pack's line, pretty).
struct Candidate {
  std::string file;
  std::string text;
  RunRecord record;
  bool finished() const { return record.finished(); }
};

// The same path, whether or not it exists yet.
fs::path canonical_path(const fs::path& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p) : c;
}

// A record's `wcs` section as written (a NaN equals itself there) without what two runs
// of one id may differ in and still agree: how many repetitions the machine starved
// (a measurement, like the times) and the commit of the build (the id already holds
// the strategy's identity).
std::string results_text(const RunRecord& record) {
  Json j = record::to_json(record);
  j.erase("wcs_commit");
  if (auto timing = j.find("timing"); timing != j.end()) timing->erase("starved");
  return j.dump();
}

// Which of two records of one run the merge keeps, independent of their order.
const Candidate& choose(const Candidate& a, const Candidate& b) {
  const Candidate& first = a.file < b.file ? a : b;
  const Candidate& second = a.file < b.file ? b : a;
  if (first.finished() != second.finished()) return first.finished() ? first : second;
  if (first.finished() && results_text(first.record) != results_text(second.record))
    throw InputError(fmt::format("run {} ({}) has different results in {} and {}; remove the wrong one",
                                 first.record.id, first.record.key, first.file, second.file));
  return first.text <= second.text ? first : second;
}

// Everything read from the inputs (and the --out folder when it joins).
struct Inputs {
  std::string name, hash, experiment_text;
  fs::path experiment_from;
  std::size_t planned = 0;
  std::map<std::string, Candidate> records;  // id -> the record kept so far
  std::vector<std::string> problems;         // unreadable records, one line each
};

// The text of each record as written, by where store::read_folder found it.
std::map<std::string, std::string> texts_of(const fs::path& dir, const store::Records& recs) {
  std::map<std::string, std::string> out;
  std::vector<std::string> lines;
  const std::string pack = (dir / store::kPackFile).string();
  for (const auto& where : recs.files) {
    if (where.rfind(pack + ":", 0) == 0) {
      if (lines.empty())
        store::read_pack(dir / store::kPackFile, [&](const std::string& t, std::size_t) { lines.push_back(t); });
      out[where] = Json::parse(lines.at(std::stoul(where.substr(pack.size() + 1)) - 1)).dump(2) + "\n";
    } else {
      out[where] = store::read_text(where);
    }
  }
  return out;
}

void read_input(Inputs& in, const fs::path& dir, bool is_out, const fs::path& out) {
  const Json j = store::read_experiment(dir);
  if (!j.is_object()) {
    if (is_out)
      throw InputError(out.string() + ": has run records but no experiment.json; use --fresh or another --out");
    throw InputError(dir.string() + ": no experiment.json (not a results folder of `wcs run`)");
  }
  const std::string n = j["name"].get<std::string>(), h = j["file_hash"].get<std::string>();
  const std::string text = store::read_text(dir / "experiment.json");
  if (in.experiment_from.empty()) {
    in.name = n;
    in.hash = h;
    in.experiment_text = text;
    in.experiment_from = dir;
    in.planned = j.value("runs_planned", std::size_t{0});
  } else if (n != in.name || h != in.hash) {
    if (is_out)
      throw InputError(
          fmt::format("{}: holds the results of experiment '{}' ({}), not of '{}' ({}) of {}; use another "
                      "--out, or --fresh to remove its results first",
                      dir.string(), n, h, in.name, in.hash, in.experiment_from.string()));
    throw InputError(fmt::format("{}: experiment '{}' ({}) differs from '{}' ({}) of {}", dir.string(), n, h, in.name,
                                 in.hash, in.experiment_from.string()));
  } else if (text < in.experiment_text) {
    in.experiment_text = text;  // the same experiment: keep one text whatever the order
  }
  std::error_code e;
  if (!fs::is_directory(dir / "runs", e) && !fs::exists(dir / store::kPackFile, e)) return;
  store::Records recs = store::read_folder(dir);
  for (const auto& u : recs.unreadable) in.problems.push_back(fmt::format("{}: {}: {}", u.file, u.field, u.what));
  in.problems.insert(in.problems.end(), recs.ignored.begin(), recs.ignored.end());
  auto texts = texts_of(dir, recs);
  for (std::size_t k = 0; k < recs.runs.size(); ++k) {
    Candidate c{recs.files[k], std::move(texts[recs.files[k]]), std::move(recs.runs[k])};
    const std::string id = c.record.id;
    auto it = in.records.find(id);
    if (it == in.records.end()) {
      in.records.emplace(id, std::move(c));
    } else if (it->second.record.key != c.record.key) {
      throw InputError(fmt::format("{}: id {} names two runs: {} and {} ({})", c.file, id, c.record.key,
                                   it->second.record.key, it->second.file));
    } else if (&choose(it->second, c) == &c) {
      it->second = std::move(c);
    }
  }
}

int merge(const MergeFlags& f) {
  const fs::path out(f.out);
  const fs::path out_canonical = canonical_path(out);
  bool out_is_input = false;
  for (const auto& d : f.dirs) out_is_input = out_is_input || canonical_path(d) == out_canonical;
  if (f.fresh && out_is_input)
    throw InputError("--fresh: the --out folder " + out.string() + " is one of the folders to merge");
  std::error_code ec;
  const bool out_has_results =
      fs::exists(out / "experiment.json", ec) || fs::exists(out / "runs", ec) || fs::exists(out / store::kPackFile, ec);
  // The --out folder's own results are merged too (they must be of the same experiment).
  const bool out_joins = !out_is_input && !f.fresh && out_has_results;
  Inputs in;  // read and checked before anything is written (even the --out folder)
  for (const auto& dir : f.dirs) read_input(in, dir, false, out);
  const store::FolderLock lock(out, "wcs merge --out " + out.string());
  if (out_joins) read_input(in, out, true, out);
  for (const auto& p : in.problems) std::cerr << "wcs merge: warning: left out " << p << "\n";
  if (f.strict && !in.problems.empty())
    throw InputError(fmt::format("--strict: {} record{} could not be read; nothing was merged", in.problems.size(),
                                 in.problems.size() == 1 ? "" : "s"));
  if (f.fresh) store::remove_results(out);
  store::remove_stale_temporaries(out);
  auto write_if_changed = [](const fs::path& path, const std::string& text) {
    std::error_code e;
    if (store::is_plain_file(path)) {
      try {
        if (store::read_text(path) == text) return;
      } catch (const std::exception&) {
      }
    }
    store::write_atomic(path, text);
  };
  write_if_changed(out / "experiment.json", in.experiment_text);
  for (const auto& [id, c] : in.records) write_if_changed(store::record_path(out, id), c.text);
  if (out_joins && fs::exists(out / store::kPackFile, ec))
    fs::remove(out / store::kPackFile);  // its records are in runs/ now
  std::size_t failed = 0;
  for (const auto& [id, c] : in.records) failed += !c.finished();
  fmt::print("merged {} run records of {} from {} folder{} into {} ({} planned{}{}{})\n", in.records.size(), in.name,
             f.dirs.size(), f.dirs.size() == 1 ? "" : "s", out.string(), in.planned,
             in.records.size() < in.planned ? fmt::format(", {} missing", in.planned - in.records.size()) : "",
             failed ? fmt::format(", {} failed", failed) : "",
             in.problems.empty() ? "" : fmt::format(", {} unreadable left out", in.problems.size()));
  if (f.strict && (failed || in.records.size() < in.planned)) return 1;
  return 0;
}

}  // namespace

Command add_merge(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "Join results folders of one experiment (e.g. shards) into one");
  cmd->add_option("results", f->dirs, "results folders to join")->required();
  cmd->add_option("--out", f->out, "the joined results folder (its records of the same experiment join in)")
      ->required();
  cmd->add_flag("--fresh", f->fresh, "remove what the harness wrote in the --out folder first");
  cmd->add_flag("--strict", f->strict,
                "for CI: unreadable records are an error, and missing or failed runs give exit status 1");
  return [f]() -> int { return merge(*f); };
}

}  // namespace wcs::cli

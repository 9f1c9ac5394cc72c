#include "store/folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "store/files.hpp"
#include "store/pack.hpp"
#include "wcs/error.hpp"

namespace wcs::store {

namespace {

const char* const kManaged[] = {"tables", "plots"};

// Short text of a JSON value for messages.
std::string shown(const Json& v) {
  std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

Json parse_or_throw(const std::string& text, const std::string& where) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw record::RecordError(where, "(file)", std::string("not JSON: ") + e.what());
  }
}

// Whether `name` starts with a run id: 16 lower-case hex digits.
bool starts_with_id(const std::string& name) {
  return name.size() >= 16 && name.find_first_not_of("0123456789abcdef") >= 16;
}

// A run record's file name: a run id and ".json".
bool record_file_name(const std::string& name) {
  return name.size() == 21 && starts_with_id(name) && name.substr(16) == ".json";
}

// A truth table an experiment wrote: a run id, '-', the name the file gave.
bool truth_table_name(const std::string& name) { return name.size() > 17 && starts_with_id(name) && name[16] == '-'; }

// The records of runs/ as (file, text), in file-name order, and what was not a file.
struct RunFiles {
  std::vector<fs::path> files;
  std::vector<std::string> ignored;
};

RunFiles run_files(const fs::path& dir) {
  RunFiles out;
  std::error_code ec;
  if (!fs::is_directory(dir / "runs", ec)) return out;
  for (const auto& e : fs::directory_iterator(dir / "runs", ec)) {
    if (e.path().extension() != ".json") continue;
    if (!is_plain_file(e.path())) {
      out.ignored.push_back(e.path().string() + ": not a regular file, skipped");
      continue;
    }
    out.files.push_back(e.path());
  }
  std::sort(out.files.begin(), out.files.end());
  std::sort(out.ignored.begin(), out.ignored.end());
  return out;
}

// One record's text, read and checked against the folder's experiment.
RunRecord read_one(const std::string& text, const std::string& where, const Json& experiment) {
  const Json j = parse_or_throw(text, where);
  RunRecord r = record::from_json(j, where);
  if (experiment.is_object()) {
    if (r.experiment != experiment["name"])
      throw record::RecordError(where, "wcs.experiment",
                                fmt::format("'{}' is not the experiment of experiment.json ('{}')", r.experiment,
                                            experiment["name"].get<std::string>()));
    if (r.experiment_hash != experiment["file_hash"])
      throw record::RecordError(where, "wcs.experiment_hash",
                                fmt::format("{} is not the version of experiment.json ({}); rerun with --resume",
                                            r.experiment_hash, experiment["file_hash"].get<std::string>()));
  }
  return r;
}

Unreadable unreadable_of(const std::exception& e, const std::string& where) {
  if (const auto* re = dynamic_cast<const record::RecordError*>(&e))
    return {re->file(), re->field(), re->what_is_wrong()};
  return {where, "(file)", e.what()};
}

}  // namespace

fs::path record_path(const fs::path& dir, const std::string& id) { return dir / "runs" / (id + ".json"); }

Json read_experiment(const fs::path& dir) {
  const fs::path file = dir / "experiment.json";
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(file, ec))) return Json();
  std::string text;
  try {
    text = read_text(file);
  } catch (const std::exception& e) {
    throw InputError(e.what());
  }
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    throw InputError(file.string() + ": not JSON: " + e.what());
  }
  auto fail = [&](const std::string& field, const std::string& what) {
    throw InputError(fmt::format("{}: {}: {}", file.string(), field, what));
  };
  if (!j.is_object()) fail("(file)", "expected a JSON object, found " + shown(j));
  for (const char* k : {"name", "file_hash"})
    if (!j.contains(k) || !j[k].is_string())
      fail(k, j.contains(k) ? "expected a string, found " + shown(j[k]) : "missing");
  for (const char* k : {"description", "estimates_source", "baseline"})
    if (j.contains(k) && !j[k].is_string()) fail(k, "expected a string, found " + shown(j[k]));
  if (j.contains("runs_planned") && !j["runs_planned"].is_number_unsigned())
    fail("runs_planned", "expected an unsigned integer, found " + shown(j["runs_planned"]));
  if (j.contains("estimates")) {
    if (!j["estimates"].is_array()) fail("estimates", "expected an array, found " + shown(j["estimates"]));
    for (std::size_t i = 0; i < j["estimates"].size(); ++i) {
      const Json& e = j["estimates"][i];
      const std::string key = fmt::format("estimates[{}]", i);
      if (!e.is_object()) fail(key, "expected an object, found " + shown(e));
      for (const char* k : {"label", "problem"})
        if (!e.contains(k) || !e[k].is_string()) fail(key + "." + k, "expected a string");
      if (!e.contains("n") || !e["n"].is_number_unsigned()) fail(key + ".n", "expected an unsigned integer");
      if (!e.contains("ms") || !e["ms"].is_number()) fail(key + ".ms", "expected a number");
    }
  }
  return j;
}

std::size_t Records::missing() const {
  if (planned == 0) return 0;
  std::set<std::string> ids;
  for (const auto& r : runs) ids.insert(r.id);
  return planned > ids.size() ? planned - ids.size() : 0;
}

std::size_t Records::failed() const {
  return static_cast<std::size_t>(
      std::count_if(runs.begin(), runs.end(), [](const RunRecord& r) { return !r.finished(); }));
}

Records read_folder(const fs::path& dir) {
  Records out;
  std::error_code ec;
  const bool has_runs = fs::is_directory(dir / "runs", ec),
             has_pack = fs::exists(fs::symlink_status(dir / kPackFile, ec));
  if (!has_runs && !has_pack)
    throw InputError((dir / "runs").string() + ": no such folder of run records (nor a pack " + kPackFile + ")");
  out.experiment = read_experiment(dir);
  if (out.experiment.is_object()) out.planned = out.experiment.value("runs_planned", std::size_t{0});
  std::map<std::string, std::size_t> at;  // id -> position in out.runs
  auto add = [&](RunRecord r, const std::string& where) {
    auto it = at.find(r.id);
    if (it != at.end()) {  // runs/ is read last: its record is the newer one
      out.runs[it->second] = std::move(r);
      out.files[it->second] = where;
      return;
    }
    at.emplace(r.id, out.runs.size());
    out.runs.push_back(std::move(r));
    out.files.push_back(where);
  };
  if (has_pack) {
    const std::string pack = (dir / kPackFile).string();
    try {
      read_pack(dir / kPackFile, [&](const std::string& text, std::size_t number) {
        const std::string where = fmt::format("{}:{}", pack, number);
        try {
          add(read_one(text, where, out.experiment), where);
        } catch (const std::exception& e) {
          out.unreadable.push_back(unreadable_of(e, where));
        }
      });
    } catch (const std::exception& e) {
      out.unreadable.push_back({pack, "(file)", e.what()});
    }
  }
  const RunFiles files = run_files(dir);
  out.ignored = files.ignored;
  for (const auto& f : files.files) {
    try {
      add(read_one(read_text(f), f.string(), out.experiment), f.string());
    } catch (const std::exception& e) {
      out.unreadable.push_back(unreadable_of(e, f.string()));
    }
  }
  // Plan order: the run index, whatever the file names.
  std::vector<std::size_t> order(out.runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return out.runs[a].index < out.runs[b].index; });
  std::vector<RunRecord> runs;
  std::vector<std::string> where;
  for (std::size_t i : order) {
    runs.push_back(std::move(out.runs[i]));
    where.push_back(std::move(out.files[i]));
  }
  out.runs = std::move(runs);
  out.files = std::move(where);
  return out;
}

namespace {

// The name and file of the experiment a JSON record or description belongs to.
std::string experiment_of(const Json& j) {
  if (j.is_object() && j.contains("wcs") && j["wcs"].is_object() && j["wcs"].contains("experiment") &&
      j["wcs"]["experiment"].is_string())
    return j["wcs"]["experiment"].get<std::string>();
  return "";
}

[[noreturn]] void refuse(const fs::path& dir, const Owner& owner, const std::string& other, const std::string& source) {
  throw InputError(
      fmt::format("{}: holds the results of experiment '{}' ({}), not of '{}' ({}); use another --out, or "
                  "--fresh to remove its results first",
                  dir.string(), other, source, owner.name, owner.file));
}

// Moves the pack's records back to runs/ (each as its own file), then removes it.
std::size_t unpack(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> records;
  read_pack(dir / kPackFile, [&](const std::string& text, std::size_t number) {
    const Json j = parse_or_throw(text, fmt::format("{}:{}", (dir / kPackFile).string(), number));
    const RunRecord r = record::from_json(j, fmt::format("{}:{}", (dir / kPackFile).string(), number));
    records.emplace_back(r.id, j.dump(2) + "\n");
  });
  for (const auto& [id, text] : records)
    if (!fs::exists(record_path(dir, id))) write_atomic(record_path(dir, id), text);
  fs::remove(dir / kPackFile);
  return records.size();
}

}  // namespace

Prepared prepare_folder(const fs::path& dir, const Owner& owner, bool fresh) {
  Prepared out;
  std::error_code ec;
  if (fresh) {
    const Removed r = remove_results(dir);
    out.removed = r.removed;
    out.left = r.left;
    out.temporaries = remove_stale_temporaries(dir);
    return out;
  }
  // Check everything before anything is changed.
  const Json experiment = [&] {
    try {
      return read_experiment(dir);
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + "; use another --out, or --fresh to remove its results");
    }
  }();
  if (experiment.is_object() && experiment["name"] != owner.name)
    refuse(dir, owner, experiment["name"].get<std::string>(), experiment.value("file", std::string("experiment.json")));
  const bool edited = experiment.is_object() && experiment["file_hash"] != owner.file_hash;
  if (fs::exists(fs::symlink_status(dir / kPackFile, ec))) {
    if (!experiment.is_object())
      throw InputError(dir.string() + ": has a pack of records but no experiment.json; use --fresh or another --out");
    out.unpacked = unpack(dir);
  }
  std::vector<fs::path> stale, kept;
  for (const auto& f : run_files(dir).files) {
    const bool planned = owner.ids.contains(f.stem().string());
    if (planned && experiment.is_object()) {
      if (edited) kept.push_back(f);
      continue;  // this experiment's own record
    }
    Json j;
    try {
      j = Json::parse(read_text(f));
    } catch (const std::exception&) {
      throw InputError(f.string() + ": not a wcs run record; remove it, or use --fresh to remove every result");
    }
    const std::string name = experiment_of(j);
    if (name.empty())
      throw InputError(f.string() + ": not a wcs run record; remove it, or use --fresh to remove every result");
    if (name != owner.name) refuse(dir, owner, name, f.filename().string());
    if (!planned) stale.push_back(f);
    else if (edited) kept.push_back(f);
  }
  for (const auto& f : stale)
    if (fs::remove(f, ec)) ++out.stale;
  // Runs the edit did not change keep their records, relabelled with this version.
  for (const auto& f : kept) {
    try {
      Json j = Json::parse(read_text(f));
      if (!j.is_object() || !j.contains("wcs") || !j["wcs"].is_object() ||
          j["wcs"].value("experiment_hash", "") == owner.file_hash)
        continue;
      j["wcs"]["experiment_hash"] = owner.file_hash;
      if (j.contains("context") && j["context"].is_object() && j["context"].contains("wcs_experiment_hash"))
        j["context"]["wcs_experiment_hash"] = owner.file_hash;
      write_atomic(f, j.dump(2) + "\n");
    } catch (const Json::exception&) {
      // unreadable: the run is made again
    }
  }
  out.temporaries = remove_stale_temporaries(dir);
  return out;
}

Removed remove_results(const fs::path& dir) {
  Removed out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  const Json experiment = read_experiment(dir);
  bool anything = false;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    anything = anything || (name != ".wcs-lock" && name.rfind(".wcs-", 0) != 0);
  }
  if (!anything) return out;
  if (!experiment.is_object())
    throw InputError(dir.string() + ": --fresh: not a results folder of wcs (no experiment.json); nothing was removed");
  const std::string name = experiment["name"].get<std::string>();
  std::vector<fs::path> doomed;
  auto keep = [&](const fs::path& p) { out.left.push_back(fs::relative(p, dir, ec).string()); };
  // What the folder holds beside the harness's files, and runs/ beside records.
  static const std::set<std::string> kOwn{"experiment.json", kPackFile, "runs", "tables", "plots", "truth_tables"};
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (!kOwn.contains(n) && n.rfind(".wcs-", 0) != 0) keep(e.path());
  }
  if (fs::is_directory(fs::symlink_status(dir / "runs", ec)))
    for (const auto& e : fs::directory_iterator(dir / "runs", ec))
      if (e.path().extension() != ".json" || !is_plain_file(e.path())) keep(e.path());
  // Records of this experiment.
  for (const auto& f : run_files(dir).files) {
    try {
      const Json j = Json::parse(read_text(f));
      if (record_file_name(f.filename().string()) && experiment_of(j) == name) {
        doomed.push_back(f);
        continue;
      }
    } catch (const std::exception&) {
    }
    keep(f);
  }
  if (fs::exists(fs::symlink_status(dir / kPackFile, ec))) {
    bool ours = false;
    try {
      read_pack(dir / kPackFile, [&](const std::string& text, std::size_t number) {
        if (number == 1) ours = experiment_of(Json::parse(text)) == name;
      });
    } catch (const std::exception&) {
    }
    if (ours) doomed.push_back(dir / kPackFile);
    else keep(dir / kPackFile);
  }
  // The files the manifests of tables/ and plots/ name, and the manifests.
  for (const char* sub : kManaged) {
    if (!fs::is_directory(fs::symlink_status(dir / sub, ec))) continue;
    const auto listed = manifest(dir / sub);
    const std::set<std::string> ours(listed.begin(), listed.end());
    for (const auto& e : fs::directory_iterator(dir / sub, ec)) {
      const std::string n = e.path().filename().string();
      if ((ours.contains(n) && is_plain_file(e.path())) || n == kManifest) doomed.push_back(e.path());
      else keep(e.path());
    }
  }
  if (fs::is_directory(fs::symlink_status(dir / "truth_tables", ec)))
    for (const auto& e : fs::directory_iterator(dir / "truth_tables", ec)) {
      if (truth_table_name(e.path().filename().string()) && is_plain_file(e.path())) doomed.push_back(e.path());
      else keep(e.path());
    }
  doomed.push_back(dir / "experiment.json");
  for (const auto& p : doomed) {
    if (!fs::remove(p, ec) || ec)
      throw std::runtime_error(
          fmt::format("--fresh: cannot remove {}: {}", p.string(), ec ? ec.message() : "it vanished"));
    ++out.removed;
  }
  for (const char* sub : {"runs", "tables", "plots", "truth_tables"})
    if (fs::is_directory(fs::symlink_status(dir / sub, ec)) && fs::is_empty(dir / sub, ec)) fs::remove(dir / sub, ec);
  return out;
}

std::size_t pack_folder(const fs::path& dir, bool allow_missing) {
  const Records recs = read_folder(dir);
  if (!recs.experiment.is_object())
    throw InputError(dir.string() + ": no experiment.json (not a results folder of `wcs run`)");
  if (!recs.unreadable.empty()) {
    const auto& u = recs.unreadable.front();
    throw InputError(fmt::format("{}: {}: {} ({} unreadable record{}; nothing was packed)", u.file, u.field, u.what,
                                 recs.unreadable.size(), recs.unreadable.size() == 1 ? "" : "s"));
  }
  if (!recs.ignored.empty()) {
    std::string listed;
    for (std::size_t i = 0; i < recs.ignored.size() && i < 5; ++i) listed += (i ? "; " : "") + recs.ignored[i];
    throw InputError(listed + (recs.ignored.size() > 5 ? "; ..." : "") + "; nothing was packed");
  }
  if (recs.missing() && !allow_missing)
    throw InputError(
        fmt::format("{}: {} of {} planned runs have no record; finish them (wcs run --resume), or pack "
                    "anyway with --allow-missing",
                    dir.string(), recs.missing(), recs.planned));
  // Each record as it was written (compact), not as this program would write it.
  std::vector<std::string> packed;
  const std::string pack = (dir / kPackFile).string();
  if (fs::exists(fs::symlink_status(dir / kPackFile)))
    read_pack(dir / kPackFile, [&](const std::string& text, std::size_t) { packed.push_back(text); });
  std::vector<std::string> lines;
  lines.reserve(recs.runs.size());
  for (const auto& where : recs.files) {
    if (where.rfind(pack + ":", 0) == 0) {
      lines.push_back(packed.at(std::stoul(where.substr(pack.size() + 1)) - 1));
      continue;
    }
    lines.push_back(Json::parse(read_text(where)).dump());
  }
  write_pack(dir / kPackFile, lines);
  // Read back before anything is removed.
  std::size_t back = 0;
  read_pack(dir / kPackFile, [&](const std::string& text, std::size_t number) {
    if (number > lines.size() || text != lines[number - 1])
      throw std::runtime_error((dir / kPackFile).string() + ": reads back differently");
    ++back;
  });
  if (back != lines.size()) throw std::runtime_error((dir / kPackFile).string() + ": reads back short");
  std::error_code ec;
  for (const auto& f : run_files(dir).files)
    if (record_file_name(f.filename().string()) && !fs::remove(f, ec))
      throw std::runtime_error(fmt::format("cannot remove {}: {}", f.string(), ec.message()));
  if (fs::is_empty(dir / "runs", ec)) fs::remove(dir / "runs", ec);
  return lines.size();
}

std::map<std::string, std::pair<std::string, std::string>> recorded_runs(const fs::path& dir) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& f : run_files(dir).files) {
    try {
      const Json j = Json::parse(read_text(f));
      const Json& w = j.at("wcs");
      if (w.at("id").get<std::string>() != f.stem().string()) continue;
      out[w.at("id").get<std::string>()] = {w.at("status").get<std::string>(), w.at("key").get<std::string>()};
    } catch (const std::exception&) {
      // unreadable: its run is made again
    }
  }
  return out;
}

}  // namespace wcs::store

#include "experiment/record.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "wcs/format.hpp"

namespace wcs::experiment {

namespace fs = std::filesystem;

void write_atomic(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + fmt::format(".tmp.{}", static_cast<long>(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  }
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path record_path(const fs::path& dir, const std::string& id) { return dir / "runs" / (id + ".json"); }

Json experiment_json(const Plan& plan) {
  Json j;
  j["name"] = plan.name;
  j["description"] = plan.description;
  j["file"] = fs::path(plan.file).filename().string();
  j["file_hash"] = plan.file_hash;
  j["seeds"] = plan.seeds;
  j["runs_planned"] = plan.runs.size();
  if (!plan.baseline.empty()) j["baseline"] = plan.baseline;
  if (!plan.estimates.empty()) {
    j["estimates_source"] = plan.estimates_source;
    Json list = Json::array();
    for (const auto& e : plan.estimates) list.push_back({{"problem", e.problem}, {"label", e.label}, {"n", e.n}, {"ms", e.ms}});
    j["estimates"] = std::move(list);
  }
  return j;
}

Json run_json(const Plan& plan, const Run& run) {
  const Instance& inst = plan.instances[run.instance];
  const Problem& p = inst.problem_data;
  Json j;
  j["format"] = 1;
  j["id"] = run.id;
  j["key"] = run.key;
  j["index"] = run.index;
  j["experiment"] = plan.name;
  j["experiment_hash"] = plan.file_hash;
  Json pj;
  pj["name"] = inst.problem;
  pj["instance"] = inst.key;
  pj["generator"] = inst.generator;
  pj["n"] = p.n();
  pj["seed"] = inst.seed;
  pj["coefficients"] = p.coefficients;
  pj["target"] = p.target;
  pj["tolerance"] = p.tolerance;
  pj["max_iter"] = p.max_iter;
  pj["initial_wpn"] = p.initial_wpn;
  // JSON has no infinity: bounds as the text of format_number ("-inf", "inf").
  pj["wpn_bounds"] = {format_number(p.wpn_lo), format_number(p.wpn_hi)};
  j["problem"] = std::move(pj);
  j["strategy"] = run.strategy;
  j["label"] = run.label;
  j["family"] = run.family;
  j["params"] = run.params;
  j["options"] = run.options;
  j["timing"] = {{"repetitions", run.timing.repetitions}, {"min_time", run.timing.min_time},
                 {"iterations", run.timing.iterations}};
  return j;
}

Json result_json(const SolveResult& r) {
  Json j;
  j["weights"] = r.weights;
  j["result"] = r.result;
  j["error"] = r.error;
  j["converged"] = r.converged;
  j["cycles"] = r.cycles;
  j["evaluations"] = r.evaluations;
  j["nonzero_weights"] = r.nonzero_weights();
  j["notes"] = r.notes;
  // Non-finite values (a diverging run) would be written as null: keep their text.
  if (!std::isfinite(r.result) || !std::isfinite(r.error)) {
    j["result"] = format_number(r.result);
    j["error"] = format_number(r.error);
  }
  return j;
}

bool has_record(const fs::path& dir, const Run& run) {
  const fs::path path = record_path(dir, run.id);
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  try {
    const Json j = Json::parse(read_text(path));
    const auto& w = j.at("wcs");
    const std::string status = w.at("status").get<std::string>();
    return w.at("key").get<std::string>() == run.key && (status == "ok" || status == "skipped");
  } catch (const std::exception&) {
    return false;  // unreadable: run it again
  }
}

std::vector<Json> read_records(const fs::path& dir) {
  std::vector<fs::path> files;
  const fs::path runs = dir / "runs";
  std::error_code ec;
  if (!fs::is_directory(runs, ec)) throw std::runtime_error(runs.string() + ": no such folder of run records");
  for (const auto& e : fs::directory_iterator(runs))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Json> out;
  out.reserve(files.size());
  for (const auto& f : files) {
    Json j;
    try {
      j = Json::parse(read_text(f));
    } catch (const Json::exception& e) {
      throw std::runtime_error(f.string() + ": not JSON: " + e.what());
    }
    if (!j.contains("wcs") || !j["wcs"].contains("key") || !j["wcs"].contains("status"))
      throw std::runtime_error(f.string() + ": not a wcs run record (no wcs.key/status)");
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace wcs::experiment

#include "report/runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

using Json = nlohmann::ordered_json;

double to_seconds(double value, const std::string& unit) {
  if (unit == "ns") return value * 1e-9;
  if (unit == "us") return value * 1e-6;
  if (unit == "ms") return value * 1e-3;
  return value;  // "s"
}

double json_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      return parse_number(v.get<std::string>(), "number");
    } catch (const std::exception&) {
      return NAN;
    }
  }
  return NAN;
}

double RunData::seconds() const { return median(rep_seconds); }

std::string RunData::row() const {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", problem, n, max_iter, format_number(tolerance));
}

std::string RunData::cell() const { return row() + "\x1f" + label; }

namespace {

std::string text_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::vector<double> numbers(const Json& list) {
  std::vector<double> out;
  if (!list.is_array()) return out;
  for (const auto& v : list) out.push_back(json_number(v));
  return out;
}

RunData read_one(const Json& record) {
  const Json& w = record.at("wcs");
  RunData r;
  r.id = w.value("id", std::string());
  r.key = w.at("key").get<std::string>();
  r.experiment = w.value("experiment", std::string());
  r.status = w.at("status").get<std::string>();
  r.reason = w.value("reason", std::string());
  r.index = w.at("index").get<std::size_t>();
  const Json& p = w.at("problem");
  r.problem = p.at("name").get<std::string>();
  r.instance = p.at("instance").get<std::string>();
  r.generator = p.value("generator", std::string());
  r.n = p.at("n").get<std::size_t>();
  r.seed = p.value("seed", std::uint64_t{0});
  r.max_iter = p.at("max_iter").get<long long>();
  r.tolerance = json_number(p.at("tolerance"));
  r.target = json_number(p.value("target", Json()));
  r.strategy = w.at("strategy").get<std::string>();
  r.label = w.at("label").get<std::string>();
  r.family = w.value("family", std::string());
  if (w.contains("options"))
    for (const auto& [k, v] : w["options"].items()) r.options[k] = text_of(v);
  if (w.contains("timing")) r.repetitions = w["timing"].value("repetitions", 0);
  if (record.contains("benchmarks"))
    for (const auto& b : record["benchmarks"]) {
      if (b.value("error_occurred", false)) {
        r.rep_seconds.clear();
        break;
      }
      if (b.value("run_type", std::string("iteration")) == "aggregate") continue;
      r.rep_seconds.push_back(to_seconds(json_number(b.value("real_time", Json())), b.value("time_unit", std::string("ns"))));
      r.rep_iterations.push_back(json_number(b.value("iterations", Json())));
    }
  if (w.contains("result")) {
    const Json& res = w["result"];
    r.result = json_number(res.value("result", Json()));
    r.error = json_number(res.value("error", Json()));
    r.converged = res.value("converged", false);
    r.cycles = json_number(res.value("cycles", Json()));
    r.evaluations = json_number(res.value("evaluations", Json()));
    r.nonzero_weights = json_number(res.value("nonzero_weights", Json()));
    if (res.contains("notes"))
      for (const auto& [k, v] : res["notes"].items()) r.notes[k] = text_of(v);
  }
  if (w.contains("trajectory")) {
    const Json& t = w["trajectory"];
    Trajectory tr;
    tr.source = t.value("source", std::string());
    tr.cycle = numbers(t.value("cycle", Json()));
    tr.evaluations = numbers(t.value("evaluations", Json()));
    tr.seconds = numbers(t.value("seconds", Json()));
    tr.error = numbers(t.value("error", Json()));
    tr.best_error = numbers(t.value("best_error", Json()));
    const std::size_t len = tr.cycle.size();
    if (tr.evaluations.size() != len || tr.seconds.size() != len || tr.error.size() != len || tr.best_error.size() != len)
      throw std::runtime_error("trajectory columns of different lengths");
    r.trajectory = std::move(tr);
  }
  if (record.contains("context")) {
    const Json& c = record["context"];
    for (const char* k : {"host_name", "num_cpus", "mhz_per_cpu"})
      if (c.contains(k)) r.context[k] = text_of(c[k]);
    for (const char* k : {"simd_target", "build_type", "compiler", "cxx_flags", "git_commit", "git_dirty"})
      if (c.contains(std::string("wcs_") + k)) r.context[k] = text_of(c[std::string("wcs_") + k]);
  }
  return r;
}

}  // namespace

std::vector<RunData> read_runs(const std::vector<Json>& records) {
  std::vector<RunData> out;
  out.reserve(records.size());
  for (const auto& rec : records) {
    try {
      out.push_back(read_one(rec));
    } catch (const std::exception& e) {
      std::string id = "?";
      if (rec.contains("wcs") && rec["wcs"].contains("id")) id = text_of(rec["wcs"]["id"]);
      throw std::runtime_error("run record " + id + ": " + e.what());
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const RunData& a, const RunData& b) { return a.index < b.index; });
  return out;
}

}  // namespace wcs::report

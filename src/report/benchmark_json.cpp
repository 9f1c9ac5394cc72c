// The Google Benchmark JSON writer: every record's benchmark entries in one file for
// compare.py. One line, not indented: it is read by programs (compare.py, jq), and
// indentation made it a third of a results folder's size.
#include <string>

#include "report/report.hpp"
#include "report/runs.hpp"

namespace wcs::report {

using Json = nlohmann::ordered_json;

namespace {

// Old records (times in ms, names with "/min_time:...") read like new ones.
void normalise_entry(Json& b, const std::string& key) {
  const bool aggregate = b.value("run_type", std::string()) == "aggregate";
  b["run_name"] = key;
  b["name"] = aggregate ? key + "_" + b.value("aggregate_name", std::string()) : key;
  const std::string unit = b.value("time_unit", std::string("ns"));
  if (unit != "ns" && !(aggregate && b.value("aggregate_unit", std::string("time")) != "time")) {
    for (const char* f : {"real_time", "cpu_time"})
      if (b.contains(f) && b[f].is_number()) b[f] = b[f].get<double>() * (unit == "us" ? 1e3 : unit == "ms" ? 1e6 : 1e9);
    b["time_unit"] = "ns";
  }
}

}  // namespace

std::string combined_benchmark_json(const std::vector<RunRecord>& records) {
  Json out;
  out["context"] = Json::object();
  out["benchmarks"] = Json::array();
  for (const RunRecord& r : records) {
    if (!r.ok()) continue;
    if (out["context"].empty()) out["context"] = r.context;
    for (auto b : r.benchmarks) {
      normalise_entry(b, r.key);
      out["benchmarks"].push_back(std::move(b));
    }
  }
  return out.dump() + "\n";
}

}  // namespace wcs::report

#include "app.hpp"

#include <cstdlib>
#include <iostream>

#include "experiment/record.hpp"
#include "wcs/plugin_loader.hpp"

namespace wcs::cli {

Registry load_registry(const GlobalFlags& flags) {
  Registry registry;
  PluginReport report;
  std::vector<std::string> dirs{default_plugin_dir()};
  if (const char* env = std::getenv("WCS_PLUGIN_PATH"))
    for (auto& d : split_path_list(env)) dirs.push_back(d);
  for (const auto& d : flags.plugin_dirs) dirs.push_back(d);
  for (const auto& d : dirs) load_plugin_dir(d, registry, report);
  for (const auto& p : report.problems) std::cerr << "wcs: warning: plugin " << p << "\n";
  return registry;
}

nlohmann::ordered_json trace_entry_json(const TraceEntry& t) {
  nlohmann::ordered_json e;
  e["cycle"] = t.cycle;
  e["line"] = t.line ? nlohmann::ordered_json(*t.line) : nlohmann::ordered_json(nullptr);
  e["combination"] = t.combination.to_string();
  e["result"] = t.result;
  e["wpn"] = t.wpn;
  e["weights_before"] = t.weights_before;
  e["evaluations"] = t.evaluations;
  return e;
}

nlohmann::ordered_json result_json(const SolveResult& r, bool with_trace) {
  // The same record as the experiment harness writes, plus the trace.
  nlohmann::ordered_json j = experiment::result_json(r);
  if (with_trace) {
    j["trace"] = nlohmann::ordered_json::array();
    for (const auto& t : r.trace) j["trace"].push_back(trace_entry_json(t));
  }
  return j;
}

}  // namespace wcs::cli

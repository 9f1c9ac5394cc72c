// Shared pieces of the `wcs` program: the registry from the plugin folders, and the
// JSON form of a result.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "wcs/registry.hpp"

namespace wcs::cli {

/// Global flags every command has.
struct GlobalFlags {
  std::vector<std::string> plugin_dirs;  ///< --plugin-dir, repeatable
};

/// Loads the built-in folder, WCS_PLUGIN_PATH and --plugin-dir folders; prints each
/// bad module as a one-line warning on standard error and keeps the rest.
Registry load_registry(const GlobalFlags& flags);

/// One trace entry as JSON.
nlohmann::ordered_json trace_entry_json(const TraceEntry& entry);

/// The result record as JSON (numbers read back to the same double).
nlohmann::ordered_json result_json(const SolveResult& result, bool with_trace);

}  // namespace wcs::cli

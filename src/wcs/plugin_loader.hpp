// Finds, loads and checks strategy modules, and registers their strategies.
#pragma once
#include <string>
#include <vector>

#include "wcs/registry.hpp"

namespace wcs {

/// What loading found: modules loaded and, per bad module, "PATH: reason".
struct PluginReport {
  std::vector<std::string> loaded;
  std::vector<std::string> problems;
};

/// Loads one module and registers its strategies. A module that cannot be opened,
/// lacks `wcs_plugin_entry`, has another ABI version or ABI fingerprint (built against
/// other headers than this library's), fails to register or names a
/// strategy that is already registered adds a problem to the report and registers
/// nothing. Modules stay loaded for the life of the process.
void load_plugin(const std::string& path, Registry& registry, PluginReport& report);

/// Loads every `*.so` in `dir` and in its direct sub-folders, in name order. A
/// folder that does not exist is a problem in the report.
void load_plugin_dir(const std::string& dir, Registry& registry, PluginReport& report);

/// The built-in plugin folder, found from where libwcs itself lies: `strategies/` at
/// the top of the build tree it belongs to, else `wcs/strategies` beside the installed
/// library, else the install folder compiled in.
std::string default_plugin_dir();

/// Folders from a colon-separated list such as WCS_PLUGIN_PATH (empty items skipped).
std::vector<std::string> split_path_list(const std::string& list);

}  // namespace wcs

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

/// Loads one module and registers its strategy. A module that cannot be opened,
/// lacks `wcs_plugin_entry`, has another ABI version or ABI fingerprint (built against
/// other headers than this library's), fails to register, registers no strategy or
/// one not named as its build names it (wcs_plugin_v1::name), or names a strategy
/// that is already registered adds a problem to the report and registers nothing.
/// The strategy's identity is the module's followed by the core's
/// (StrategyInfo::identity). Modules stay loaded for the life of the process.
void load_plugin(const std::string& path, Registry& registry, PluginReport& report);

/// Loads every `*.so` in `dir` and in its direct sub-folders, in name order. A
/// folder that does not exist is a problem in the report.
void load_plugin_dir(const std::string& dir, Registry& registry, PluginReport& report);

/// The built-in plugin folder, found from where libwcs itself lies: `strategies/` at
/// the top of the build tree it belongs to, else `wcs/strategies` beside the installed
/// library, else the install folder compiled in.
std::string default_plugin_dir();

/// Every folder of strategy modules a program loads, in this order: the built-in one
/// (default_plugin_dir), those of the environment variable WCS_PLUGIN_PATH
/// (colon-separated), then `extra` (a program's --plugin-dir). The one search path of
/// `wcs`, `wcs-bench` and the Python module.
std::vector<std::string> plugin_search_path(const std::vector<std::string>& extra = {});

/// Loads every folder of plugin_search_path(extra) into `registry`.
PluginReport load_plugins(Registry& registry, const std::vector<std::string>& extra = {});

/// Folders from a colon-separated list such as WCS_PLUGIN_PATH (empty items skipped).
std::vector<std::string> split_path_list(const std::string& list);

}  // namespace wcs

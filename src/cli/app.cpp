#include "app.hpp"

#include <cstdlib>
#include <iostream>

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

}  // namespace wcs::cli

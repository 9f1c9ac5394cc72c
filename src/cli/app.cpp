#include "app.hpp"

#include <iostream>

#include "wcs/plugin_loader.hpp"

namespace wcs::cli {

Registry load_registry(const GlobalFlags& flags) {
  Registry registry;
  const PluginReport report = load_plugins(registry, flags.plugin_dirs);
  for (const auto& p : report.problems) std::cerr << "wcs: warning: plugin " << p << "\n";
  return registry;
}

}  // namespace wcs::cli

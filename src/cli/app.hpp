// Shared pieces of the `wcs` program: the global flags and the registry from the
// plugin folders.
#pragma once
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

}  // namespace wcs::cli

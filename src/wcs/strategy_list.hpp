// The list of registered strategies as JSON: what `wcs list --json` prints and the
// Python module's wcs.strategies() reads, from one function so the two cannot drift.
#pragma once
#include <string>

#include "wcs/registry.hpp"

namespace wcs {

/// A JSON array, one object per strategy sorted by name: name, family, description,
/// max_n, domain, identity, module (its path) and options (each: name, type, default,
/// range, help). `indent` as nlohmann::json::dump: -1 prints one line.
std::string strategy_list_json(const Registry& registry, int indent = -1);

}  // namespace wcs

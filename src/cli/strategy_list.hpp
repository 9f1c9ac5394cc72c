// What `wcs list --json` prints for a registry: one object per strategy (name,
// family, description, max_n, domain, module, options). Shared by the command and
// the Python module's wcs.strategies(), so the two cannot drift apart.
#pragma once
#include <nlohmann/json.hpp>

#include "wcs/registry.hpp"

namespace wcs::cli {

inline nlohmann::ordered_json strategy_list_json(const Registry& registry) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const StrategyInfo* s : registry.list()) {
    nlohmann::ordered_json j;
    j["name"] = s->name;
    j["family"] = family_name(s->family);
    j["description"] = s->description;
    j["max_n"] = s->max_n;
    j["domain"] = s->domain;
    j["module"] = s->origin;
    j["options"] = nlohmann::ordered_json::array();
    for (const auto& o : s->options)
      j["options"].push_back({{"name", o.name}, {"type", o.type_name()}, {"default", o.default_value},
                              {"range", o.range_text()}, {"help", o.help}});
    all.push_back(std::move(j));
  }
  return all;
}

}  // namespace wcs::cli

#include "wcs/strategy_list.hpp"

#include <nlohmann/json.hpp>

namespace wcs {

std::string strategy_list_json(const Registry& registry, int indent) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const StrategyInfo* s : registry.list()) {
    nlohmann::ordered_json j;
    j["name"] = s->name;
    j["family"] = family_name(s->family);
    j["description"] = s->description;
    j["max_n"] = s->max_n;
    j["domain"] = s->domain;
    j["identity"] = s->identity;
    j["module"] = s->origin;
    j["options"] = nlohmann::ordered_json::array();
    for (const auto& o : s->options)
      j["options"].push_back({{"name", o.name},
                              {"type", o.type_name()},
                              {"default", o.default_value},
                              {"range", o.range_text()},
                              {"help", o.help}});
    all.push_back(std::move(j));
  }
  return all.dump(indent);
}

}  // namespace wcs

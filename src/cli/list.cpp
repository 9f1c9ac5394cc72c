// `wcs list`: every registered strategy, its family, description, limits, identity
// and options.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "commands.hpp"
#include "wcs/strategy_list.hpp"

namespace wcs::cli {

Command add_list(CLI::App& app, const GlobalFlags& flags) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("list", "List the registered strategies and their options");
  cmd->add_flag("--json", *json, "print one JSON array on standard output");
  return [json, &flags]() -> int {
    Registry registry = load_registry(flags);
    if (*json) {
      std::cout << strategy_list_json(registry, 2) << "\n";
      return 0;
    }
    for (const StrategyInfo* s : registry.list()) {
      fmt::print("{:<14} {:<11} {}\n", s->name, family_name(s->family), s->description);
      if (s->max_n != std::numeric_limits<std::size_t>::max()) fmt::print("{:27}N <= {}\n", "", s->max_n);
      if (!s->domain.empty()) fmt::print("{:27}domain: {}\n", "", s->domain);
      fmt::print("{:27}identity: {}\n", "", s->identity);
      for (const auto& o : s->options) {
        const std::string range = o.range_text();
        fmt::print("{:27}{}={} ({}{}) {}\n", "", o.name, o.default_value.empty() ? "\"\"" : o.default_value,
                   o.type_name(), range.empty() ? "" : " " + range, o.help);
      }
    }
    return 0;
  };
}

}  // namespace wcs::cli

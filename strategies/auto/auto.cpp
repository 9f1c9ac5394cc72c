// `auto`: the seed's hybrid. Chooses a strategy from N with the rule table of
// rules.hpp among the strategies registered, runs it, and reports its choice in
// every result (notes "chose" and "chose_options"). The one place in the project
// that chooses; beyond the table it does not: no row fits, an error names N.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>

#include "rules.hpp"
#include "wcs/error.hpp"
#include "wcs/plugin.hpp"

namespace {

using wcs::autorule::Rule;

class Auto final : public wcs::Strategy {
 public:
  explicit Auto(const wcs::Registry& registry) : registry_(registry) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    const Rule* rule = wcs::autorule::choose(wcs::autorule::rules(), registry_, problem.n());
    if (rule == nullptr) throw wcs::InputError(no_row_message(problem.n()));

    // One configured solver per row, made on first use: a strategy object keeps its
    // buffers between solves, as it would when used directly.
    auto it = solvers_.find(rule);
    if (it == solvers_.end()) it = solvers_.emplace(rule, registry_.create(rule->strategy, rule->options)).first;
    wcs::Solver& chosen = it->second;

    wcs::SolveResult out = chosen.solve(problem, options);
    out.notes["chose"] = rule->strategy;
    std::string text;
    for (const auto& [k, v] : chosen.options().canonical()) text += fmt::format("{}{}={}", text.empty() ? "" : ",", k, v);
    out.notes["chose_options"] = text;
    return out;
  }

 private:
  std::string no_row_message(std::size_t n) const {
    std::string names;
    for (const Rule& rule : wcs::autorule::rules()) {
      const wcs::StrategyInfo* info = registry_.find(rule.strategy);
      if (info == nullptr) continue;
      names += fmt::format("{}{} (N <= {})", names.empty() ? "" : ", ", rule.strategy,
                           std::min(rule.max_n, info->max_n));
    }
    return fmt::format("coefficients: N = {}: strategy 'auto' has no rule for it among the registered strategies{}{}",
                       n, names.empty() ? " (none of its rows is registered)" : "; rows available: ", names);
  }

  const wcs::Registry& registry_;
  std::map<const Rule*, wcs::Solver> solvers_;
};

void register_auto(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "auto";
  info.family = wcs::Family::converging;
  info.description =
      "chooses a registered strategy from N (exact while fast, converging above) and reports it in notes.chose";
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry& host) {
    return std::make_unique<Auto>(host);
  });
}

}  // namespace

WCS_PLUGIN("auto", "1.0", register_auto)

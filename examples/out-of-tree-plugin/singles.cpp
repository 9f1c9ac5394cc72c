// `singles`: a strategy module built out of the wcs tree (see meson.build), as an
// example of the plugin interface. Each cycle tries only the N lines that select a
// single coefficient (and, with the option `all`, the line that selects every
// coefficient): O(N^2) per cycle instead of O(N 2^N). Family: converging (it can
// pick another winner than `reference`, and never claims convergence unless the
// winner is within the tolerance).
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

class SinglesSearch final : public wcs::CycleSearch {
 public:
  explicit SinglesSearch(bool all) : all_(all) {}

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    wcs::CycleOutcome out;
    double best_error = 0.0;
    bool have = false;
    auto consider = [&](const wcs::Combination& s) {
      // The bit-exact value of docs/algorithm.md, and the shared winner order (smaller
      // error, larger result, then smaller line).
      const double r = wcs::line_value(in.a, in.w, in.wpn, s);
      const double error = std::fabs(r - in.target);
      ++out.evaluations;
      if (!have || wcs::line_wins(error, r, s, best_error, out.result, out.winner)) {
        have = true;
        out.winner = s;
        out.result = r;
        best_error = error;
      }
    };
    for (std::size_t i = 0; i < n; ++i) {
      wcs::Combination s(n);
      s.set(i);
      consider(s);
    }
    if (all_ && n > 1) {
      wcs::Combination s(n);
      for (std::size_t i = 0; i < n; ++i) s.set(i);
      consider(s);
    }
    // The WPN rule looks at every line of the cycle, not only the ones tried,
    // through the largest line value in the d-form (base + the positive d_i). It can
    // round across the target where the bit-exact form would not (docs/algorithm.md,
    // the last worked example): a converging strategy may differ from `reference`.
    const wcs::CycleTerms terms = wcs::cycle_terms(in.a, in.w, in.wpn);
    out.all_below_target = wcs::max_line_value(terms.base, terms.d) < in.target;
    return out;
  }

 private:
  bool all_;
};

void register_singles(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "singles";
  info.family = wcs::Family::converging;
  info.description = "out-of-tree example: each cycle tries only the single-coefficient lines (O(N^2))";
  info.options = {wcs::OptionSpec::boolean("all", false, "also try the line that selects every coefficient")};
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<SinglesSearch>(options.boolean("all")));
  });
}

}  // namespace

WCS_PLUGIN(register_singles)

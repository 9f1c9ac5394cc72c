// `lazy`: the seed's lazy generation (idea 8). No list of combinations or results:
// each line's combination is read off its number on the fly (coefficient i is bit
// N-1-i), its value computed with the bit-exact wcs::line_value, and one pass keeps
// the running winner and the WPN rule. Memory O(N); same values as `reference` to
// the bit, so the same winners.
#include <cmath>
#include <memory>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~40 ns each is about twelve hours per cycle.
constexpr std::size_t kMaxN = 40;

class LazySearch final : public wcs::CycleSearch {
 public:
  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
    std::uint64_t best_line = 0;
    double best_result = 0.0, best_error = 0.0;
    bool all_below = true;
    for (std::uint64_t line = 1; line <= lines; ++line) {
      const double r = wcs::line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((line >> (n - 1 - i)) & 1u); });
      const double error = std::fabs(r - in.target);
      // Lines come in increasing order: only a strictly better one replaces the winner.
      if (best_line == 0 || wcs::ranks_before(error, r, best_error, best_result)) {
        best_line = line;
        best_result = r;
        best_error = error;
      }
      all_below = all_below && r < in.target;
    }
    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(best_line, n);
    out.result = best_result;
    out.all_below_target = all_below;
    out.evaluated = lines;
    return out;
  }
};

void register_lazy(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "lazy";
  info.family = wcs::Family::identical;
  info.description = "no lists: each line's combination derived from its number, one pass keeping the winner";
  info.max_n = kMaxN;
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<LazySearch>());
  });
}

}  // namespace

WCS_PLUGIN("lazy", "1.0", register_lazy)

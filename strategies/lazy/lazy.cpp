// `lazy`: the seed's lazy generation (idea 8). No list of combinations or results:
// each line's combination is read off its number on the fly (coefficient i is bit
// N-1-i), its value computed with the bit-exact wcs::line_value, and one pass keeps
// the running winner and the WPN rule. Memory O(N); same values as `reference` to
// the bit, so the same winners.
#include <cmath>
#include <memory>

#include "wcs/line_scan.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~40 ns each is about twelve hours per cycle.
constexpr std::size_t kMaxN = 40;

class LazySearch final : public wcs::CycleSearch {
 public:
  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    return wcs::scan_lines_exact(in, -1.0).outcome(in.a.size());
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

WCS_PLUGIN(register_lazy)

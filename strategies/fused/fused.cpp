// `fused`: the compiled analogue of the seed's JIT idea (idea 6). Per cycle, base and
// d_i once (docs/algorithm.md, equivalent form), then the tight allocation-free loop
// of the `fused` kernel over every line; the exact step (src/search/exact_step.hpp)
// makes the winner, its r and the WPN decision those of `reference` to the bit.
#include "search/kernel_search.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~40 ns each is about twelve hours per cycle: beyond that a run is not
// an experiment any more (mitm is the strategy for large N).
constexpr std::size_t kMaxN = 40;

void register_fused(wcs::Registry& registry) {
  wcs::search::register_kernel_strategy(
      registry, "fused",
      "per cycle base + d_i, then a tight allocation-free loop over all lines (fused kernel)", kMaxN);
}

}  // namespace

WCS_PLUGIN("fused", "1.0", register_fused)

// `gray`: lines visited in Gray-code order so each next value is one add away (O(1)
// per line instead of O(N)) by the `gray` kernel (src/kernels/gray.cpp); the exact
// step (src/search/exact_step.hpp) makes the winner, its r and the WPN decision those
// of `reference` to the bit.
#include "search/kernel_search.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~1 ns each is about 20 minutes per cycle (mitm is the strategy for
// large N).
constexpr std::size_t kMaxN = 40;

void register_gray(wcs::Registry& registry) {
  wcs::search::register_kernel_strategy(
      registry, "gray",
      "Gray-code order over aligned blocks of lines: one add per line", kMaxN);
}

}  // namespace

WCS_PLUGIN("gray", "1.0", register_gray)

// `gray`: lines visited in Gray-code order so each next value is one add away (O(1)
// per line instead of O(N)) by the `gray` kernel (src/kernels/gray.cpp); the exact
// step (src/search/exact_step.hpp) makes the winner, its r and the WPN decision those
// of `reference` to the bit.
#include <memory>

#include "search/kernel_search.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~1 ns each is about 20 minutes per cycle (mitm is the strategy for
// large N).
constexpr std::size_t kMaxN = 40;

void register_gray(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "gray";
  info.family = wcs::Family::identical;
  info.description = "Gray-code order over aligned blocks of lines: one add per line";
  info.max_n = kMaxN;
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::search::ExactStep::memory_bytes(n); };
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::search::make_kernel_strategy("gray");
  });
}

}  // namespace

WCS_PLUGIN("gray", "1.0", register_gray)

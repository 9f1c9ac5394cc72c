// `gray`: lines visited in Gray-code order so each next value is one add away (O(1)
// per line instead of O(N)); the `gray` kernel (src/kernels/gray.cpp) keeps the
// winner order of line order, and the exact step (src/kernels/exact_winner.hpp) makes
// the winner and its r those of `reference` to the bit.
#include <memory>

#include "exact_winner.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines at ~1 ns each is about 20 minutes per cycle (mitm is the strategy for
// large N).
constexpr std::size_t kMaxN = 40;

void register_gray(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "gray";
  info.family = wcs::Family::identical;
  info.description = "Gray-code order over aligned blocks of lines: one add per line, ties resolved by line number";
  info.max_n = kMaxN;
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::pow2_bytes((n + 1) / 2, 32); };  // exact step
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<wcs::fast::KernelSearch>(&wcs::kernels::gray_range, "gray"));
  });
}

}  // namespace

WCS_PLUGIN("gray", "1.0", register_gray)

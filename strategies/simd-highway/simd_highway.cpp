// `simd-highway`: the cycle search on the subset-sum table kernel, its vector primitive
// written with Highway for every target of the build (foreach_target) and
// dispatched at run time (src/kernels/simd_highway.cpp, simd_table.hpp).
#include <memory>

#include "kernels.hpp"
#include "simd_table.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines is about a minute per cycle at the measured 0.05 ns per line; lines
// must also fit the 64-bit line numbers of the trace (N <= 63).
constexpr std::size_t kMaxN = 40;

void register_simd_highway(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "simd-highway";
  info.family = wcs::Family::identical;
  info.description =
      "vectorised enumeration with Highway: subset-sum table of the low 11 bits, one vector pass per high part";
  info.max_n = kMaxN;
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<wcs::kernels::simd_table::TableSearch>(
        &wcs::kernels::simd_highway_block_min, &wcs::kernels::simd_highway_isa));
  });
}

}  // namespace

WCS_PLUGIN("simd-highway", "1.0", register_simd_highway)

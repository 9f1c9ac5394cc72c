// `simd-xsimd`: the cycle search on the subset-sum table kernel, its vector primitive
// written with xsimd batches and instantiated per architecture (sse2, avx2, avx512f),
// chosen at run time (src/kernels/simd_xsimd*.cpp, simd_table.hpp).
#include <memory>

#include "kernels.hpp"
#include "simd_table.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines is about a minute per cycle at the measured 0.05 ns per line; lines
// must also fit the 64-bit line numbers of the trace (N <= 63).
constexpr std::size_t kMaxN = 40;

void register_simd_xsimd(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "simd-xsimd";
  info.family = wcs::Family::identical;
  info.description =
      "vectorised enumeration with xsimd: subset-sum table of the low 11 bits, one vector pass per high part";
  info.max_n = kMaxN;
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<wcs::kernels::simd_table::TableSearch>(
        &wcs::kernels::simd_xsimd_block_min, &wcs::kernels::simd_xsimd_isa));
  });
}

}  // namespace

WCS_PLUGIN("simd-xsimd", "1.0", register_simd_xsimd)

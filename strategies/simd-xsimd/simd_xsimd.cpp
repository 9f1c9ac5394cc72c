// `simd-xsimd`: the cycle search on the subset-sum table kernel, its vector primitives
// written with xsimd batches and instantiated per architecture (sse2, avx2, avx512f),
// chosen at run time (src/kernels/simd_xsimd*.cpp, simd_table.hpp); the exact step
// (src/search/exact_step.hpp) makes the cycle's decisions reference's to the bit. The
// "isa" note names the architecture it ran on.
#include "search/kernel_search.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^40 lines is about a minute per cycle at the measured 0.05 ns per line; lines
// must also fit the 64-bit line numbers of the trace (N <= 63).
constexpr std::size_t kMaxN = 40;

void register_simd_xsimd(wcs::Registry& registry) {
  wcs::search::register_kernel_strategy(
      registry, "simd-xsimd",
      "vectorised enumeration with xsimd: subset-sum table of the low 11 bits, one vector pass per high part", kMaxN);
}

}  // namespace

WCS_PLUGIN("simd-xsimd", "1.0", register_simd_xsimd)

// The table of compiled kernels. A new kernel adds one line here and its file to
// meson.build.
#include <array>

#include "kernels.hpp"

namespace wcs::kernels {
namespace {

const char* scalar_isa() { return "scalar"; }

// The N limits of the kernel strategies: 2^40 lines is about twelve hours a cycle at
// fused's ~40 ns a line, 20 minutes at gray's ~1 ns and a minute at the SIMD kernels'
// 0.05 ns: beyond that a run is not an experiment any more (mitm is the strategy for
// large N). Lines must also fit the 64-bit line numbers of the trace (N <= 63).
const KernelInfo kKernels[] = {
    {"fused", &fused_range, &scalar_isa, 10,
     "per cycle base + d_i, then a tight allocation-free loop over all lines (fused kernel)", 40},
    {"gray", &gray_range, &scalar_isa, 20, "Gray-code order over aligned blocks of lines: one add per line", 40},
    {"simd-xsimd", &simd_xsimd_range, &simd_xsimd_isa, 30,
     "vectorised enumeration with xsimd: subset-sum table of the low 11 bits, one vector pass per high part", 40},
    {"simd-highway", &simd_highway_range, &simd_highway_isa, 31,
     "vectorised enumeration with Highway: subset-sum table of the low 11 bits, one vector pass per high part", 40},
};

}  // namespace

std::span<const KernelInfo> all() { return kKernels; }

const KernelInfo* find(const std::string& name) {
  for (const auto& k : kKernels)
    if (name == k.name) return &k;
  return nullptr;
}

const KernelInfo& fastest() {
  const KernelInfo* best = &kKernels[0];
  for (const auto& k : kKernels)
    if (k.priority > best->priority) best = &k;
  return *best;
}

std::string names() {
  std::string out;
  for (const auto& k : kKernels) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

}  // namespace wcs::kernels

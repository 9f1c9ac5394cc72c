// The table of compiled kernels. A new kernel adds one line here and its file to
// meson.build.
#include <array>

#include "kernels.hpp"

namespace wcs::kernels {
namespace {

const char* scalar_isa() { return "scalar"; }

const KernelInfo kKernels[] = {
    {"fused", &fused_range, &scalar_isa, 10},
    {"gray", &gray_range, &scalar_isa, 20},
    {"simd-xsimd", &simd_xsimd_range, &simd_xsimd_isa, 30},
    {"simd-highway", &simd_highway_range, &simd_highway_isa, 31},
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

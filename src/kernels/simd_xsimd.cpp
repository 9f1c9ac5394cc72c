// The `simd-xsimd` kernel: the subset-sum table scan (simd_table.hpp) with its vector
// primitives chosen at run time among the compiled xsimd instances.
#include "simd_xsimd.hpp"

#include "kernels.hpp"
#include "simd_table.hpp"

namespace wcs::kernels {
namespace {

template <class Arch>
double block_min_on(const double* table, std::size_t count, double offset) {
  return xsimd_detail::BlockMin{}(Arch{}, table, count, offset);
}

template <class Arch>
std::size_t block_find_on(const double* table, std::size_t count, double offset, double value) {
  return xsimd_detail::BlockFind{}(Arch{}, table, count, offset, value);
}

template <class Arch>
std::size_t block_filter_on(const float* table, std::size_t count, const float* offsets, const float* limits,
                            std::size_t blocks) {
  return xsimd_detail::BlockFilter{}(Arch{}, table, count, offsets, limits, blocks);
}

template <class Arch>
xsimd_detail::Instance instance_of() {
  return {Arch::name(), &block_min_on<Arch>, &block_find_on<Arch>, &block_filter_on<Arch>,
          xsimd_detail::kBitsFilter<Arch>};
}

const xsimd_detail::Instance& chosen() {
  static const xsimd_detail::Instance c = xsimd_detail::runnable_instances().front();  // once, thread-safe
  return c;
}

}  // namespace

// xsimd 8.1.0's own dispatch (xsimd::dispatch / available_architectures) reads CPUID
// only, not whether the OS saves the AVX / AVX-512 registers (XCR0); GCC's
// __builtin_cpu_supports checks both, so it makes the same choice on a normal
// machine and a safe one elsewhere.
std::vector<xsimd_detail::Instance> xsimd_detail::runnable_instances() {
  __builtin_cpu_init();
  std::vector<Instance> out;
  if (__builtin_cpu_supports("avx512f")) out.push_back(instance_of<xsimd::avx512f>());
  if (__builtin_cpu_supports("avx2")) out.push_back(instance_of<xsimd::avx2>());
  out.push_back(instance_of<xsimd::sse2>());
  return out;
}

double simd_xsimd_block_min(const double* table, std::size_t count, double offset) {
  return chosen().block_min(table, count, offset);
}

std::size_t simd_xsimd_block_find(const double* table, std::size_t count, double offset, double value) {
  return chosen().block_find(table, count, offset, value);
}

std::size_t simd_xsimd_block_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                                    std::size_t blocks) {
  return chosen().block_filter(table, count, offsets, limits, blocks);
}

const char* simd_xsimd_isa() { return chosen().name; }

RangeBest simd_xsimd_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last) {
  const xsimd_detail::Instance& c = chosen();
  return simd_table::scan(cycle, first, last, c.block_min, c.block_find, c.block_filter,
                          c.bits_filter ? simd_table::FilterForm::bits : simd_table::FilterForm::abs_value);
}

}  // namespace wcs::kernels

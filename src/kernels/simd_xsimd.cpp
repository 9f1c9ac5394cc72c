// The `simd-xsimd` kernel: the subset-sum table scan (simd_table.hpp) with its vector
// primitive chosen at run time among the compiled xsimd instances.
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

struct Chosen {
  simd_table::BlockMin run;
  simd_table::BlockFind find;
  const char* name;
};

// The best compiled instance this machine can run. xsimd 8.1.0's own dispatch
// (xsimd::dispatch / available_architectures) reads CPUID only, not whether the OS
// saves the AVX / AVX-512 registers (XCR0); GCC's __builtin_cpu_supports checks both,
// so it makes the same choice on a normal machine and a safe one elsewhere.
Chosen choose() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return {&block_min_on<xsimd::avx512f>, &block_find_on<xsimd::avx512f>, xsimd::avx512f::name()};
  if (__builtin_cpu_supports("avx2")) return {&block_min_on<xsimd::avx2>, &block_find_on<xsimd::avx2>, xsimd::avx2::name()};
  return {&block_min_on<xsimd::sse2>, &block_find_on<xsimd::sse2>, xsimd::sse2::name()};
}

const Chosen& chosen() {
  static const Chosen c = choose();  // once, thread-safe
  return c;
}

}  // namespace

double simd_xsimd_block_min(const double* table, std::size_t count, double offset) {
  return chosen().run(table, count, offset);
}

std::size_t simd_xsimd_block_find(const double* table, std::size_t count, double offset, double value) {
  return chosen().find(table, count, offset, value);
}

const char* simd_xsimd_isa() { return chosen().name; }

RangeBest simd_xsimd_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last) {
  return simd_table::scan(cycle, first, last, &simd_xsimd_block_min, &simd_xsimd_block_find);
}

}  // namespace wcs::kernels

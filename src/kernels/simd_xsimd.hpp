// The `simd-xsimd` kernel's vector primitives, one explicit instance per
// architecture: simd_xsimd_impl.hpp defines them, each simd_xsimd_<arch>.cpp (compiled
// with that architecture's flags) instantiates it, simd_xsimd.cpp picks one at run
// time from the CPU's features. This header declares the instances only, so no AVX
// code leaks into a file compiled for the baseline.
#pragma once
#include <cstddef>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

namespace wcs::kernels::xsimd_detail {

/// min over j < count of |table[j] + offset| (count a multiple of 4 batches).
struct BlockMin {
  template <class Arch>
  double operator()(Arch, const double* table, std::size_t count, double offset) const;
};

/// The first j < count with |table[j] + offset| == value, as BlockMin computes it
/// (count a multiple of one batch); count when there is none.
struct BlockFind {
  template <class Arch>
  std::size_t operator()(Arch, const double* table, std::size_t count, double offset, double value) const;
};

/// Whether an architecture's filter tests bit patterns (simd_table::FilterForm::bits:
/// add and unsigned min) rather than |t + offset| (abs_value): SSE2 has no unsigned
/// 32-bit min.
template <class Arch>
inline constexpr bool kBitsFilter = !std::is_same_v<Arch, xsimd::sse2>;

/// The first b < blocks for which some j < count passes the filter's test (of the form
/// kBitsFilter<Arch> says) on fl(table[j] + offsets[b]) and limits[b] in float
/// (count a multiple of 32); blocks when there is none.
struct BlockFilter {
  template <class Arch>
  std::size_t operator()(Arch, const float* table, std::size_t count, const float* offsets, const float* limits,
                         std::size_t blocks) const;
};

/// A compiled instance this CPU can run: its name and its primitives.
struct Instance {
  const char* name;
  double (*block_min)(const double* table, std::size_t count, double offset);
  std::size_t (*block_find)(const double* table, std::size_t count, double offset, double value);
  std::size_t (*block_filter)(const float* table, std::size_t count, const float* offsets, const float* limits,
                              std::size_t blocks);
  bool bits_filter;  ///< block_filter's form: kBitsFilter of its architecture
};

/// The compiled instances this CPU (and its OS) can run, best first; the kernel
/// dispatches to the first.
std::vector<Instance> runnable_instances();

/// Compiled instances: avx512f, avx2 and the x86-64 baseline sse2 (SSE4.2 and FMA
/// add nothing to add/abs/min).

extern template double BlockMin::operator()<xsimd::avx512f>(xsimd::avx512f, const double*, std::size_t, double) const;
extern template double BlockMin::operator()<xsimd::avx2>(xsimd::avx2, const double*, std::size_t, double) const;
extern template double BlockMin::operator()<xsimd::sse2>(xsimd::sse2, const double*, std::size_t, double) const;
extern template std::size_t BlockFind::operator()<xsimd::avx512f>(xsimd::avx512f, const double*, std::size_t, double,
                                                                  double) const;
extern template std::size_t BlockFind::operator()<xsimd::avx2>(xsimd::avx2, const double*, std::size_t, double,
                                                               double) const;
extern template std::size_t BlockFind::operator()<xsimd::sse2>(xsimd::sse2, const double*, std::size_t, double,
                                                               double) const;
extern template std::size_t BlockFilter::operator()<xsimd::avx512f>(xsimd::avx512f, const float*, std::size_t,
                                                                    const float*, const float*, std::size_t) const;
extern template std::size_t BlockFilter::operator()<xsimd::avx2>(xsimd::avx2, const float*, std::size_t, const float*,
                                                                 const float*, std::size_t) const;
extern template std::size_t BlockFilter::operator()<xsimd::sse2>(xsimd::sse2, const float*, std::size_t, const float*,
                                                                 const float*, std::size_t) const;

}  // namespace wcs::kernels::xsimd_detail

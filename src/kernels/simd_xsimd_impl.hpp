// Definition of the `simd-xsimd` vector primitive; included only by the
// per-architecture files, each compiled with its own -m flags.
#pragma once
#include <limits>

#include "simd_xsimd.hpp"

namespace wcs::kernels::xsimd_detail {

template <class Arch>
double BlockMin::operator()(Arch, const double* table, std::size_t count, double offset) const {
  using Batch = xsimd::batch<double, Arch>;
  constexpr std::size_t lanes = Batch::size;
  const Batch shift(offset);
  // Four independent accumulators hide the latency of add and min.
  Batch m0(std::numeric_limits<double>::infinity()), m1 = m0, m2 = m0, m3 = m0;
  for (std::size_t i = 0; i < count; i += 4 * lanes) {
    m0 = xsimd::min(m0, xsimd::abs(Batch::load_unaligned(table + i) + shift));
    m1 = xsimd::min(m1, xsimd::abs(Batch::load_unaligned(table + i + lanes) + shift));
    m2 = xsimd::min(m2, xsimd::abs(Batch::load_unaligned(table + i + 2 * lanes) + shift));
    m3 = xsimd::min(m3, xsimd::abs(Batch::load_unaligned(table + i + 3 * lanes) + shift));
  }
  alignas(64) double lane[lanes];
  xsimd::min(xsimd::min(m0, m1), xsimd::min(m2, m3)).store_aligned(lane);
  double out = lane[0];
  for (std::size_t j = 1; j < lanes; ++j) out = lane[j] < out ? lane[j] : out;
  return out;
}

template <class Arch>
std::size_t BlockFind::operator()(Arch, const double* table, std::size_t count, double offset, double value) const {
  using Batch = xsimd::batch<double, Arch>;
  constexpr std::size_t lanes = Batch::size;
  const Batch shift(offset), wanted(value);
  for (std::size_t i = 0; i < count; i += lanes) {
    if (xsimd::any(xsimd::abs(Batch::load_unaligned(table + i) + shift) == wanted)) {
      for (std::size_t j = i; j < i + lanes; ++j) {
        const double v = table[j] + offset;
        if ((v < 0 ? -v : v) == value) return j;
      }
    }
  }
  return count;
}

}  // namespace wcs::kernels::xsimd_detail

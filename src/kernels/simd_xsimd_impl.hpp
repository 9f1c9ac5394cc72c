// Definition of the `simd-xsimd` vector primitives; included only by the
// per-architecture files, each compiled with its own -m flags.
//
// The double pass's mins are written min(new, accumulator): x86's MINPD returns its
// second operand when either is NaN (Intel SDM vol. 2, MINPD), so a NaN lane is dropped
// and never replaces a smaller value already gathered.
#pragma once
#include <bit>
#include <cstdint>
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
    m0 = xsimd::min(xsimd::abs(Batch::load_unaligned(table + i) + shift), m0);
    m1 = xsimd::min(xsimd::abs(Batch::load_unaligned(table + i + lanes) + shift), m1);
    m2 = xsimd::min(xsimd::abs(Batch::load_unaligned(table + i + 2 * lanes) + shift), m2);
    m3 = xsimd::min(xsimd::abs(Batch::load_unaligned(table + i + 3 * lanes) + shift), m3);
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

template <class Arch>
std::size_t BlockFilter::operator()(Arch, const float* table, std::size_t count, const float* offsets,
                                    const float* limits, std::size_t blocks) const {
  using Batch = xsimd::batch<float, Arch>;
  using Bits = xsimd::batch<std::uint32_t, Arch>;
  constexpr std::size_t lanes = Batch::size;
  static_assert(32 % lanes == 0, "a count that is a multiple of 32 is whole vectors");
  for (std::size_t b = 0; b < blocks; ++b) {
    const Batch shift(offsets[b]);
    auto lane = [&](std::size_t i) { return Batch::load_unaligned(table + i) + shift; };
    if constexpr (kBitsFilter<Arch>) {
      // t + shift in [+0, limit): its bit pattern below the limit's, unsigned. Four
      // independent accumulators: the min chain is the only loop-carried one.
      Bits m0(~std::uint32_t{0}), m1 = m0, m2 = m0, m3 = m0;
      std::size_t i = 0;
      for (; i + 4 * lanes <= count; i += 4 * lanes) {
        m0 = xsimd::min(m0, xsimd::bitwise_cast<Bits>(lane(i)));
        m1 = xsimd::min(m1, xsimd::bitwise_cast<Bits>(lane(i + lanes)));
        m2 = xsimd::min(m2, xsimd::bitwise_cast<Bits>(lane(i + 2 * lanes)));
        m3 = xsimd::min(m3, xsimd::bitwise_cast<Bits>(lane(i + 3 * lanes)));
      }
      for (; i < count; i += lanes) m0 = xsimd::min(m0, xsimd::bitwise_cast<Bits>(lane(i)));
      const Bits bound(std::bit_cast<std::uint32_t>(limits[b]));
      if (xsimd::any(xsimd::min(xsimd::min(m0, m1), xsimd::min(m2, m3)) < bound)) return b;
    } else {
      // |t + offset| < limit. No lane is NaN here (a table or offset outside float's
      // range goes to the double pass), so the min may keep the accumulator first and
      // the abs be an AND with a mask: two-operand SSE then needs no register copies.
      const Batch magnitude = xsimd::bitwise_cast<Batch>(Bits(0x7fffffffu));
      Batch m0(std::numeric_limits<float>::infinity()), m1 = m0, m2 = m0, m3 = m0;
      std::size_t i = 0;
      for (; i + 4 * lanes <= count; i += 4 * lanes) {
        m0 = xsimd::min(m0, lane(i) & magnitude);
        m1 = xsimd::min(m1, lane(i + lanes) & magnitude);
        m2 = xsimd::min(m2, lane(i + 2 * lanes) & magnitude);
        m3 = xsimd::min(m3, lane(i + 3 * lanes) & magnitude);
      }
      for (; i < count; i += lanes) m0 = xsimd::min(m0, lane(i) & magnitude);
      if (xsimd::any(xsimd::min(xsimd::min(m0, m1), xsimd::min(m2, m3)) < Batch(limits[b]))) return b;
    }
  }
  return blocks;
}

}  // namespace wcs::kernels::xsimd_detail

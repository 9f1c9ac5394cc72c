// The `simd-highway` kernel: the subset-sum table scan (simd_table.hpp) with its
// vector primitives compiled by Highway for every target of this build
// (foreach_target) and chosen at run time with HWY_DYNAMIC_DISPATCH. No -m flags.
#include <cstddef>
#include <cstdint>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_highway.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace wcs {
namespace kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// min over j < count of |table[j] + offset| (count a multiple of 4 vectors); NaN
// lanes dropped as in BlockFilterHwy.
double BlockMinHwy(const double* HWY_RESTRICT table, std::size_t count, double offset) {
  const hn::ScalableTag<double> d;
  const std::size_t lanes = hn::Lanes(d);
  const auto shift = hn::Set(d, offset);
  // Four independent accumulators hide the latency of add and min.
  auto m0 = hn::Set(d, std::numeric_limits<double>::infinity());
  auto m1 = m0, m2 = m0, m3 = m0;
  std::size_t i = 0;
  for (; i + 4 * lanes <= count; i += 4 * lanes) {
    m0 = hn::Min(hn::Abs(hn::LoadU(d, table + i) + shift), m0);
    m1 = hn::Min(hn::Abs(hn::LoadU(d, table + i + lanes) + shift), m1);
    m2 = hn::Min(hn::Abs(hn::LoadU(d, table + i + 2 * lanes) + shift), m2);
    m3 = hn::Min(hn::Abs(hn::LoadU(d, table + i + 3 * lanes) + shift), m3);
  }
  for (; i + lanes <= count; i += lanes) m0 = hn::Min(hn::Abs(hn::LoadU(d, table + i) + shift), m0);
  double out = hn::GetLane(hn::MinOfLanes(d, hn::Min(hn::Min(m0, m1), hn::Min(m2, m3))));
  for (; i < count; ++i) {
    const double v = table[i] + offset;
    const double a = v < 0 ? -v : v;
    out = a < out ? a : out;
  }
  return out;
}

// The first j < count with |table[j] + offset| == value, computed as BlockMinHwy
// computes it; count when there is none.
std::size_t BlockFindHwy(const double* HWY_RESTRICT table, std::size_t count, double offset, double value) {
  const hn::ScalableTag<double> d;
  const std::size_t lanes = hn::Lanes(d);
  const auto shift = hn::Set(d, offset);
  const auto wanted = hn::Set(d, value);
  std::size_t i = 0;
  for (; i + lanes <= count; i += lanes) {
    const auto hit = hn::Eq(hn::Abs(hn::LoadU(d, table + i) + shift), wanted);
    if (!hn::AllFalse(d, hit)) return i + static_cast<std::size_t>(hn::FindKnownFirstTrue(d, hit));
  }
  for (; i < count; ++i) {
    const double v = table[i] + offset;
    if ((v < 0 ? -v : v) == value) return i;
  }
  return count;
}

// Whether this target's filter tests bit patterns (simd_table::FilterForm::bits: add
// and unsigned min); SSSE3 has no unsigned 32-bit min (Highway emulates it), so it
// tests |t + offset| < limit.
constexpr bool kBitsFilter = HWY_TARGET != HWY_SSSE3;

// The first b < blocks for which some j < count passes the filter's test (of the form
// kBitsFilter says) on fl(table[j] + offsets[b]) and limits[b] in float (count a
// multiple of 32); blocks when there is none.
std::size_t BlockFilterHwy(const float* HWY_RESTRICT table, std::size_t count, const float* HWY_RESTRICT offsets,
                           const float* HWY_RESTRICT limits, std::size_t blocks) {
  const hn::ScalableTag<float> d;
  const hn::RebindToUnsigned<decltype(d)> du;
  const std::size_t lanes = hn::Lanes(d);
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto shift = hn::Set(d, offsets[b]);
    auto lane = [&](std::size_t i) { return hn::LoadU(d, table + i) + shift; };
    std::size_t i = 0;
    if constexpr (kBitsFilter) {
      // t + shift in [+0, limit): its bit pattern below the limit's, unsigned. Four
      // independent accumulators: the min chain is the only loop-carried one.
      auto m0 = hn::Set(du, ~std::uint32_t{0});
      auto m1 = m0, m2 = m0, m3 = m0;
      for (; i + 4 * lanes <= count; i += 4 * lanes) {
        m0 = hn::Min(m0, hn::BitCast(du, lane(i)));
        m1 = hn::Min(m1, hn::BitCast(du, lane(i + lanes)));
        m2 = hn::Min(m2, hn::BitCast(du, lane(i + 2 * lanes)));
        m3 = hn::Min(m3, hn::BitCast(du, lane(i + 3 * lanes)));
      }
      for (; i + lanes <= count; i += lanes) m0 = hn::Min(m0, hn::BitCast(du, lane(i)));
      const auto bound = hn::BitCast(du, hn::Set(d, limits[b]));
      if (!hn::AllFalse(du, hn::Lt(hn::Min(hn::Min(m0, m1), hn::Min(m2, m3)), bound))) return b;
    } else {
      // |t + offset| < limit. No lane is NaN here (a table or offset outside float's
      // range goes to the double pass), so the min keeps the accumulator first, which
      // spares two-operand SSE a register copy.
      auto m0 = hn::Set(d, std::numeric_limits<float>::infinity());
      auto m1 = m0, m2 = m0, m3 = m0;
      for (; i + 4 * lanes <= count; i += 4 * lanes) {
        m0 = hn::Min(m0, hn::Abs(lane(i)));
        m1 = hn::Min(m1, hn::Abs(lane(i + lanes)));
        m2 = hn::Min(m2, hn::Abs(lane(i + 2 * lanes)));
        m3 = hn::Min(m3, hn::Abs(lane(i + 3 * lanes)));
      }
      for (; i + lanes <= count; i += lanes) m0 = hn::Min(m0, hn::Abs(lane(i)));
      if (!hn::AllFalse(d, hn::Lt(hn::Min(hn::Min(m0, m1), hn::Min(m2, m3)), hn::Set(d, limits[b])))) return b;
    }
  }
  return blocks;
}

// Whether BlockFilterHwy of this target tests bit patterns.
bool FilterBitsHwy() { return kBitsFilter; }

// The target this instance was compiled for (for the "isa" note).
std::int64_t TargetHwy() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace kernels
}  // namespace wcs
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels.hpp"
#include "simd_table.hpp"

namespace wcs {
namespace kernels {

HWY_EXPORT(BlockMinHwy);
HWY_EXPORT(BlockFindHwy);
HWY_EXPORT(BlockFilterHwy);
HWY_EXPORT(FilterBitsHwy);
HWY_EXPORT(TargetHwy);

double simd_highway_block_min(const double* table, std::size_t count, double offset) {
  return HWY_DYNAMIC_DISPATCH(BlockMinHwy)(table, count, offset);
}

std::size_t simd_highway_block_find(const double* table, std::size_t count, double offset, double value) {
  return HWY_DYNAMIC_DISPATCH(BlockFindHwy)(table, count, offset, value);
}

std::size_t simd_highway_block_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                                      std::size_t blocks) {
  return HWY_DYNAMIC_DISPATCH(BlockFilterHwy)(table, count, offsets, limits, blocks);
}

bool simd_highway_filter_bits() { return HWY_DYNAMIC_DISPATCH(FilterBitsHwy)(); }

const char* simd_highway_isa() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(TargetHwy)()); }

RangeBest simd_highway_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last) {
  return simd_table::scan(
      cycle, first, last, &simd_highway_block_min, &simd_highway_block_find, &simd_highway_block_filter,
      simd_highway_filter_bits() ? simd_table::FilterForm::bits : simd_table::FilterForm::abs_value);
}

}  // namespace kernels
}  // namespace wcs
#endif  // HWY_ONCE

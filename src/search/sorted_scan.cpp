// first_unsorted() (sorted_scan.hpp) for every Highway target of the build
// (foreach_target), chosen at run time.
#include <cstddef>
#include <cstdint>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "search/sorted_scan.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "search/sorted_scan.hpp"

HWY_BEFORE_NAMESPACE();
namespace wcs {
namespace search {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

std::size_t FirstUnsortedHwy(const double* HWY_RESTRICT s, const std::uint64_t* HWY_RESTRICT k, std::size_t from,
                             std::size_t count) {
  const hn::ScalableTag<double> d;
  const hn::RebindToSigned<decltype(d)> di;
  const std::size_t lanes = hn::Lanes(d);
  const auto* ki = reinterpret_cast<const std::int64_t*>(k);
  // Keys compared signed with the top bit flipped: the unsigned order on every target.
  const auto flip = hn::Set(di, INT64_MIN);
  std::size_t i = from;
  for (; i + lanes <= count; i += lanes) {
    const auto a = hn::LoadU(d, s + i), b = hn::LoadU(d, s + i - 1);
    const auto ka = hn::Xor(hn::LoadU(di, ki + i), flip), kb = hn::Xor(hn::LoadU(di, ki + i - 1), flip);
    const auto first = hn::Or(hn::Lt(a, b), hn::And(hn::Eq(a, b), hn::RebindMask(d, hn::Lt(ka, kb))));
    if (!hn::AllFalse(d, first)) return i + static_cast<std::size_t>(hn::FindKnownFirstTrue(d, first));
  }
  for (; i < count; ++i)
    if (s[i] < s[i - 1] || (s[i] == s[i - 1] && k[i] < k[i - 1])) return i;
  return count;
}

// sums_by_mask() with the mask cut into parts of log2(lanes) bits: each part's
// subset sums fill one vector, which a lane-wise table lookup reads (no gather).
bool SumsByMaskHwy(const std::uint64_t* HWY_RESTRICT key, std::size_t count, unsigned shift,
                   const double* HWY_RESTRICT bits, std::size_t m, double* HWY_RESTRICT s) {
  const hn::ScalableTag<double> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::RebindToUnsigned<decltype(d)> du;
  const std::size_t lanes = hn::Lanes(d);
  if (lanes < 4 || lanes > 8 || count < lanes || count % lanes != 0 || m > 16) return false;
  const std::size_t part_bits = lanes == 8 ? 3 : 2;
  const std::size_t parts = (m + part_bits - 1) / part_bits;
  // Each part's sums by doubling (the subsets with bit b are those without it, plus
  // its d), the entries past 2^bits unused.
  HWY_ALIGN double table[8][8] = {};
  for (std::size_t p = 0; p < parts; ++p) {
    for (std::size_t b = 0; b < part_bits && p * part_bits + b < m; ++b) {
      const std::size_t size = std::size_t{1} << b;
      for (std::size_t q = 0; q < size; ++q) table[p][size + q] = table[p][q] + bits[p * part_bits + b];
    }
  }
  decltype(hn::Zero(d)) tables[8];
  for (std::size_t p = 0; p < parts; ++p) tables[p] = hn::Load(d, table[p]);
  const auto part_mask = hn::Set(du, (std::uint64_t{1} << part_bits) - 1);
  for (std::size_t j = 0; j < count; j += lanes) {
    const auto mask = hn::ShiftRightSame(hn::LoadU(du, key + j), static_cast<int>(shift));
    auto sum = hn::Zero(d);
    for (std::size_t p = 0; p < parts; ++p) {
      const auto index = hn::And(hn::ShiftRightSame(mask, static_cast<int>(p * part_bits)), part_mask);
      const auto value = hn::TableLookupLanes(tables[p], hn::IndicesFromVec(d, hn::BitCast(di, index)));
      sum = p == 0 ? value : hn::Add(sum, value);
    }
    hn::StoreU(sum, d, s + j);
  }
  return true;
}

// split_points() for the entries of whole vectors. The split of each entry of a
// vector lies between that of its last entry and that of the entry before the
// vector (the splits only move down), so the low entries in between are compared
// with all lanes at once: a lane's split is the number at or below the target, its
// value below the target the last of those, and above it the smallest of the rest.
void SplitPointsHwy(const double* HWY_RESTRICT high, std::size_t nh, const double* HWY_RESTRICT low, std::size_t nl,
                    double base, double target, std::size_t skip, std::int32_t* HWY_RESTRICT split,
                    double* HWY_RESTRICT near, SplitScan* out) {
  const hn::ScalableTag<double> d;
  const hn::RebindToSigned<decltype(d)> di;
  const std::size_t lanes = hn::Lanes(d);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const auto t = hn::Set(d, target);
  const auto inf = hn::Set(d, kInf);
  auto best = inf;
  HWY_ALIGN std::int64_t counts[hn::MaxLanes(di)];
  std::ptrdiff_t j = static_cast<std::ptrdiff_t>(nl) - 1;
  std::size_t a = 0;
  for (; a + lanes <= nh; a += lanes) {
    const auto hb = hn::Add(hn::Set(d, base), hn::LoadU(d, high + a));
    const double hb_last = base + high[a + lanes - 1];
    std::ptrdiff_t jl = j;
    while (jl >= 0 && hb_last + low[jl] > target) --jl;
    auto below = jl >= 0 ? hn::Add(hb, hn::Set(d, low[jl])) : hn::Set(d, -kInf);
    auto above = j + 1 < static_cast<std::ptrdiff_t>(nl) ? hn::Add(hb, hn::Set(d, low[j + 1])) : inf;
    auto count = hn::Zero(di);
    for (std::ptrdiff_t c = jl + 1; c <= j; ++c) {
      const auto v = hn::Add(hb, hn::Set(d, low[c]));
      const auto at_or_below = hn::Le(v, t);  // not (v > target): the values are finite
      below = hn::IfThenElse(at_or_below, v, below);
      above = hn::IfThenElse(at_or_below, above, hn::Min(above, v));
      count = hn::Sub(count, hn::VecFromMask(di, hn::RebindMask(di, at_or_below)));
    }
    hn::Store(count, di, counts);
    for (std::size_t i = 0; i < lanes; ++i) split[a + i] = static_cast<std::int32_t>(jl + counts[i]);
    const auto e = hn::Min(hn::Abs(hn::Sub(below, t)), hn::Abs(hn::Sub(above, t)));
    hn::StoreU(e, d, near + a);
    const auto skipped = hn::RebindMask(d, hn::Eq(hn::Iota(di, static_cast<std::int64_t>(a)),
                                                  hn::Set(di, static_cast<std::int64_t>(skip))));
    best = hn::Min(best, hn::IfThenElse(skipped, inf, e));
    j = jl;
  }
  out->done = a;
  out->j = a == 0 ? static_cast<std::ptrdiff_t>(nl) - 1 : split[a - 1];
  out->best = hn::GetLane(hn::MinOfLanes(d, best));
}

}  // namespace HWY_NAMESPACE
}  // namespace search
}  // namespace wcs
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace wcs::search {

HWY_EXPORT(FirstUnsortedHwy);
HWY_EXPORT(SplitPointsHwy);
HWY_EXPORT(SumsByMaskHwy);

bool sums_by_mask(const std::uint64_t* key, std::size_t count, unsigned shift, const double* bits, std::size_t m,
                  double* s) {
  return HWY_DYNAMIC_DISPATCH(SumsByMaskHwy)(key, count, shift, bits, m, s);
}

std::size_t first_unsorted(const double* s, const std::uint64_t* k, std::size_t from, std::size_t count) {
  return HWY_DYNAMIC_DISPATCH(FirstUnsortedHwy)(s, k, from, count);
}

SplitScan split_points(const double* high, std::size_t nh, const double* low, std::size_t nl, double base,
                       double target, std::size_t skip, std::int32_t* split, double* near) {
  SplitScan out;
  HWY_DYNAMIC_DISPATCH(SplitPointsHwy)(high, nh, low, nl, base, target, skip, split, near, &out);
  return out;
}

}  // namespace wcs::search
#endif  // HWY_ONCE

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

std::size_t FirstNotAboveHwy(const double* HWY_RESTRICT v, std::size_t from, std::size_t count, double limit) {
  const hn::ScalableTag<double> d;
  const std::size_t lanes = hn::Lanes(d);
  const auto bar = hn::Set(d, limit);
  std::size_t i = from;
  for (; i + lanes <= count; i += lanes) {
    const auto hit = hn::Not(hn::Gt(hn::LoadU(d, v + i), bar));
    if (!hn::AllFalse(d, hit)) return i + static_cast<std::size_t>(hn::FindKnownFirstTrue(d, hit));
  }
  for (; i < count; ++i)
    if (!(v[i] > limit)) return i;
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
// vector (the splits only move down), so the low entries are compared with all
// lanes at once, downward from the latter until every lane is at or below the
// target. On the way down a lane's values stay above the target, then fall to or
// below it once, at its split: the value there is its value below the target, the
// one before it its value above. Each update is a blend, so the chains from one low
// entry to the next take one cycle.
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
  HWY_ALIGN std::int64_t splits[hn::MaxLanes(di)];
  const auto lane = hn::Iota(di, 0);  // not Iota(di, a): built through memory, a stall per vector
  std::ptrdiff_t j = static_cast<std::ptrdiff_t>(nl) - 1;
  std::size_t a = 0;
  for (; a + lanes <= nh; a += lanes) {
    const auto hb = hn::Add(hn::Set(d, base), hn::LoadU(d, high + a));
    auto below = hn::Set(d, -kInf);
    auto above = j + 1 < static_cast<std::ptrdiff_t>(nl) ? hn::Add(hb, hn::Set(d, low[j + 1])) : inf;
    auto at = hn::Set(di, -1);
    auto was_at_or_below = hn::FirstN(d, 0);  // entry j + 1 is above the target in every lane
    std::ptrdiff_t last = -1;                 // the split of the vector's last entry, the lowest
    for (std::ptrdiff_t c = j; c >= 0; --c) {
      const auto v = hn::Add(hb, hn::Set(d, low[c]));
      const auto at_or_below = hn::Le(v, t);  // not (v > target): the values are finite
      const auto falls = hn::AndNot(was_at_or_below, at_or_below);
      below = hn::IfThenElse(falls, v, below);
      at = hn::IfThenElse(hn::RebindMask(di, falls), hn::Set(di, c), at);
      above = hn::IfThenElse(at_or_below, above, v);
      was_at_or_below = at_or_below;
      if (hn::AllTrue(d, at_or_below)) {
        last = c;
        break;
      }
    }
    hn::Store(at, di, splits);
    for (std::size_t i = 0; i < lanes; ++i) split[a + i] = static_cast<std::int32_t>(splits[i]);
    const auto e = hn::Min(hn::Abs(hn::Sub(below, t)), hn::Abs(hn::Sub(above, t)));
    hn::StoreU(e, d, near + a);
    const auto skipped =
        hn::RebindMask(d, hn::Eq(lane, hn::Set(di, static_cast<std::int64_t>(skip) - static_cast<std::int64_t>(a))));
    best = hn::Min(best, hn::IfThenElse(skipped, inf, e));
    j = last;
  }
  out->done = a;
  out->j = a == 0 ? static_cast<std::ptrdiff_t>(nl) - 1 : split[a - 1];
  out->best = hn::GetLane(hn::MinOfLanes(d, best));
}

// The target this instance was compiled for (mitm's "isa" note).
std::int64_t ScanTargetHwy() { return HWY_TARGET; }

}  // namespace HWY_NAMESPACE
}  // namespace search
}  // namespace wcs
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace wcs::search {

HWY_EXPORT(FirstUnsortedHwy);
HWY_EXPORT(SplitPointsHwy);
HWY_EXPORT(SumsByMaskHwy);
HWY_EXPORT(FirstNotAboveHwy);
HWY_EXPORT(ScanTargetHwy);

const char* scan_isa() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(ScanTargetHwy)()); }

std::size_t first_not_above(const double* v, std::size_t from, std::size_t count, double limit) {
  return HWY_DYNAMIC_DISPATCH(FirstNotAboveHwy)(v, from, count, limit);
}

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

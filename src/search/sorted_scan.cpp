// first_unsorted() (sorted_scan.hpp) for every Highway target of the build
// (foreach_target), chosen at run time.
#include <cstddef>
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "search/sorted_scan.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

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

}  // namespace HWY_NAMESPACE
}  // namespace search
}  // namespace wcs
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "search/sorted_scan.hpp"

namespace wcs::search {

HWY_EXPORT(FirstUnsortedHwy);

std::size_t first_unsorted(const double* s, const std::uint64_t* k, std::size_t from, std::size_t count) {
  return HWY_DYNAMIC_DISPATCH(FirstUnsortedHwy)(s, k, from, count);
}

}  // namespace wcs::search
#endif  // HWY_ONCE

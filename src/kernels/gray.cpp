// The `gray` kernel: lines visited in Gray-code order inside aligned blocks, so each
// next line's value is one add away (O(1) per line instead of O(N)).
//
// A block is the 2^k lines B .. B + 2^k - 1 with the low k bits of B zero. Its start
// value is computed exactly as fused_range would (base + dl of the set bits in
// line-bit order); the low k bits are then walked in the reflected Gray code
// g(t) = t ^ (t >> 1), where step t flips bit ctz(t) (Knuth, TAOCP 7.2.1.1,
// Algorithm G), adding or subtracting that bit's dl.
//
// The walk's sums are path-dependent: a line's Gray value may differ in the last
// bits from its value in another summation order. That is the kernel's own
// arithmetic: the kernel contract asks for a line of smallest error in it, and the
// exact step (src/search/exact_step.hpp) makes the cycle's decisions bit-exact.
// Partial blocks at either end of the range are evaluated in fused order directly.
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels.hpp"
#include "wcs/formula.hpp"

namespace wcs::kernels {
namespace {

constexpr unsigned kBlockBits = 10;        // 2^10 lines per block: an 8 KB step table
constexpr std::uint64_t kInterleave = 4;   // blocks walked side by side (independent add chains)

// The fused-order value of one line: the arithmetic of fused_range.
inline double fused_value(const CycleView& c, std::uint64_t line) {
  double r = c.base;
  const std::size_t n = c.dl.size();
  for (std::size_t j = 0; j < n; ++j)
    if ((line >> j) & 1u) r += c.dl[j];
  return r;
}

// Keeps the line of smallest error; only a strictly smaller error replaces it.
struct Best {
  RangeBest best{std::numeric_limits<double>::infinity(), 0.0, 0};
  void offer(std::uint64_t line, double r, double error) {
    if (error < best.error) best = {error, r, line};
  }
};

}  // namespace

RangeBest gray_range(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  if (first >= last) return {};
  const std::size_t n = c.dl.size();
  const unsigned k = static_cast<unsigned>(std::min<std::size_t>(n, kBlockBits));
  const std::uint64_t block = std::uint64_t{1} << k;
  const double target = c.target;
  Best t;
  auto offer_fused = [&](std::uint64_t line) {
    const double r = fused_value(c, line);
    t.offer(line, r, std::fabs(r - target));
  };

  // Aligned blocks inside [first, last); the partial ends go through fused order.
  const std::uint64_t mask = block - 1;
  const std::uint64_t begin = (first + mask) & ~mask;  // first aligned block start >= first
  const std::uint64_t end = last & ~mask;              // end of the last full block
  if (begin < first || begin >= end) {                 // no full block (or wrap-around)
    for (std::uint64_t line = first; line < last; ++line) offer_fused(line);
    return t.best.line ? t.best : RangeBest{};
  }
  for (std::uint64_t line = first; line < begin; ++line) offer_fused(line);
  for (std::uint64_t line = end; line < last; ++line) offer_fused(line);

  // step[s] = the signed dl that step s of the walk adds: bit ctz(s) is switched on
  // on its odd-numbered flips and off on its even-numbered ones.
  double step[std::size_t{1} << kBlockBits];
  for (std::uint64_t s = 1; s < block; ++s) {
    const unsigned bit = static_cast<unsigned>(std::countr_zero(s));
    step[s] = ((s >> (bit + 1)) & 1u) ? -c.dl[bit] : c.dl[bit];
  }

  std::uint64_t b = begin;
  // Several blocks at once: their add chains are independent, so the adds overlap.
  for (; b + kInterleave * block <= end; b += kInterleave * block) {
    double v[kInterleave];
    for (std::uint64_t q = 0; q < kInterleave; ++q) {
      v[q] = fused_value(c, b + q * block);
      t.offer(b + q * block, v[q], std::fabs(v[q] - target));
    }
    for (std::uint64_t s = 1; s < block; ++s) {
      const double d = step[s];
      double e[kInterleave];
      bool any = false;
      for (std::uint64_t q = 0; q < kInterleave; ++q) {
        v[q] += d;
        e[q] = std::fabs(v[q] - target);
        any |= e[q] < t.best.error;
      }
      if (any) [[unlikely]] {
        const std::uint64_t g = s ^ (s >> 1);
        for (std::uint64_t q = 0; q < kInterleave; ++q) t.offer(b + q * block + g, v[q], e[q]);
      }
    }
  }
  for (; b < end; b += block) {
    double v = fused_value(c, b);
    t.offer(b, v, std::fabs(v - target));
    for (std::uint64_t s = 1; s < block; ++s) {
      v += step[s];
      const double e = std::fabs(v - target);
      if (e < t.best.error) [[unlikely]] t.offer(b + (s ^ (s >> 1)), v, e);
    }
  }
  return t.best.line ? t.best : RangeBest{};
}

}  // namespace wcs::kernels

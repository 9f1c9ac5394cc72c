// The `gray` kernel: lines visited in Gray-code order inside aligned blocks, so each
// next line's value is one add away (O(1) per line instead of O(N)).
//
// A block is the 2^k lines B .. B + 2^k - 1 with the low k bits of B zero. Its start
// value is computed exactly as fused_range would (base + dl of the set bits in
// line-bit order); the low k bits are then walked in the reflected Gray code
// g(t) = t ^ (t >> 1), where step t flips bit ctz(t) (Knuth, TAOCP 7.2.1.1,
// Algorithm G), adding or subtracting that bit's dl.
//
// Exactness. The walk's sums are path-dependent: a line's Gray value may differ in
// the last bits from its fused value (and two lines that differ only in bits whose dl
// is exactly 0 may get different Gray values). The kernel contract is the fused
// answer, so every line whose Gray error is within `delta` of the best Gray error
// (delta bounds twice the gap between the two summation orders) is kept as a
// candidate and re-ranked with its fused value and the full winner order (error,
// larger r, smaller line). Candidates are resolved in batches, so memory stays
// bounded even when a cycle is all ties. Partial blocks at either end of the range
// are evaluated in fused order directly.
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels.hpp"
#include "wcs/formula.hpp"

namespace wcs::kernels {
namespace {

constexpr unsigned kBlockBits = 10;        // 2^10 lines per block: an 8 KB delta table
constexpr std::size_t kBatch = 256;        // candidates resolved at a time
constexpr std::uint64_t kInterleave = 4;   // blocks walked side by side (independent add chains)

// The fused-order value of one line: exactly the arithmetic of fused_range.
inline double fused_value(const CycleView& c, std::uint64_t line) {
  double r = c.base;
  const std::size_t n = c.dl.size();
  for (std::size_t j = 0; j < n; ++j)
    if ((line >> j) & 1u) r += c.dl[j];
  return r;
}

struct Tracker {
  const CycleView& c;
  double delta;                   // bound on |gray error - fused error| times 2
  RangeBest resolved;             // best by fused values among resolved candidates
  double gray_min = std::numeric_limits<double>::infinity();
  double threshold = std::numeric_limits<double>::infinity();
  std::vector<std::uint64_t> pending;

  void offer_fused(std::uint64_t line) {
    const double r = fused_value(c, line);
    const double error = std::fabs(r - c.target);
    if (resolved.line == 0 || line_wins(error, r, line, resolved.error, resolved.result, resolved.line))
      resolved = {error, r, line};
  }

  void update_threshold() {
    threshold = std::fmin(gray_min, resolved.line ? resolved.error : gray_min) + delta;
  }

  void resolve() {
    for (std::uint64_t line : pending) offer_fused(line);
    pending.clear();
    update_threshold();
  }

  // A Gray-walk line whose error passed the threshold test.
  void candidate(std::uint64_t line, double error) {
    pending.push_back(line);
    if (error < gray_min) {
      gray_min = error;
      update_threshold();
    }
    if (pending.size() >= kBatch) resolve();
  }
};

}  // namespace

RangeBest gray_range(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  if (first >= last) return {};
  const std::size_t n = c.dl.size();
  const unsigned k = static_cast<unsigned>(std::min<std::size_t>(n, kBlockBits));
  const std::uint64_t block = std::uint64_t{1} << k;

  // Error bound: every partial sum of either order is at most P in magnitude, the
  // fused order rounds N + 1 times, the Gray value N + 2^k times, each by at most
  // P * eps / 2; the error subtraction once more. DBL_EPSILON (2u) doubles it.
  double p = std::fabs(c.base) + std::fabs(c.target);
  for (double d : c.dl) p += std::fabs(d);
  const double half = (2.0 * static_cast<double>(n) + static_cast<double>(block) + 8.0) * p * DBL_EPSILON;
  if (!(p < DBL_MAX / 4) || !std::isfinite(half)) return fused_range(c, first, last);  // overflow: no bound

  Tracker t{c, 2 * half, {}, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), {}};
  t.pending.reserve(kBatch);

  // Aligned blocks inside [first, last); the partial ends go through fused order.
  const std::uint64_t mask = block - 1;
  std::uint64_t begin = (first + mask) & ~mask;  // first aligned block start >= first
  std::uint64_t end = last & ~mask;              // end of the last full block
  if (begin < first || begin >= end) {           // no full block (or wrap-around)
    for (std::uint64_t line = first; line < last; ++line) t.offer_fused(line);
    return t.resolved;
  }
  for (std::uint64_t line = first; line < begin; ++line) t.offer_fused(line);
  for (std::uint64_t line = end; line < last; ++line) t.offer_fused(line);
  t.update_threshold();

  // step[s] = the signed dl that step s of the walk adds: bit ctz(s) is switched on
  // on its odd-numbered flips and off on its even-numbered ones.
  double step[std::size_t{1} << kBlockBits];
  for (std::uint64_t s = 1; s < block; ++s) {
    const unsigned bit = static_cast<unsigned>(__builtin_ctzll(s));
    step[s] = ((s >> (bit + 1)) & 1u) ? -c.dl[bit] : c.dl[bit];
  }
  const double target = c.target;

  std::uint64_t b = begin;
  // Several blocks at once: their add chains are independent, so the adds overlap.
  for (; b + kInterleave * block <= end; b += kInterleave * block) {
    double v[kInterleave];
    for (std::uint64_t q = 0; q < kInterleave; ++q) {
      v[q] = fused_value(c, b + q * block);
      const double e = std::fabs(v[q] - target);
      if (e <= t.threshold) t.candidate(b + q * block, e);
    }
    for (std::uint64_t s = 1; s < block; ++s) {
      const double d = step[s];
      double e[kInterleave];
      bool any = false;
      for (std::uint64_t q = 0; q < kInterleave; ++q) {
        v[q] += d;
        e[q] = std::fabs(v[q] - target);
        any |= e[q] <= t.threshold;
      }
      if (any) [[unlikely]] {
        const std::uint64_t g = s ^ (s >> 1);
        for (std::uint64_t q = 0; q < kInterleave; ++q)
          if (e[q] <= t.threshold) t.candidate(b + q * block + g, e[q]);
      }
    }
  }
  for (; b < end; b += block) {
    double v = fused_value(c, b);
    double e = std::fabs(v - target);
    if (e <= t.threshold) t.candidate(b, e);
    for (std::uint64_t s = 1; s < block; ++s) {
      v += step[s];
      e = std::fabs(v - target);
      if (e <= t.threshold) [[unlikely]] t.candidate(b + (s ^ (s >> 1)), e);
    }
  }
  t.resolve();
  return t.resolved;
}

}  // namespace wcs::kernels

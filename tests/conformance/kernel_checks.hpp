// Checks an enumeration kernel (src/kernels) against fused_range, the scalar
// kernel every other one is measured by, on random cycles and line ranges. Part of
// the conformance kit; used by the SIMD strategies' tests.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "kernels.hpp"

namespace wcs::test {

/// Random line-bit terms: integers (exact sums, so every summation order agrees to
/// the bit) or decimals, with some exact zeros (the tie case) when `zeros`.
inline std::vector<double> random_dl(std::mt19937_64& rng, std::size_t n, bool integer, bool zeros) {
  std::vector<double> dl(n);
  for (auto& x : dl) {
    if (zeros && std::uniform_int_distribution<int>(0, 3)(rng) == 0) x = 0.0;
    else if (integer) x = static_cast<double>(std::uniform_int_distribution<int>(-40, 40)(rng));
    else x = std::uniform_real_distribution<double>(-10.0, 10.0)(rng);
  }
  return dl;
}

/// The value of `line` in fused_range's order (base + dl of the set bits, lowest bit first).
inline double fused_value(const kernels::CycleView& view, std::uint64_t line) {
  double r = view.base;
  for (std::size_t j = 0; j < view.dl.size(); ++j)
    if ((line >> j) & 1u) r += view.dl[j];
  return r;
}

/// Runs `range(view, first, last)` against kernels::fused_range on `rounds` random
/// cycles (N = 1..22) over the whole cycle, random unaligned sub-ranges, single
/// lines and empty ranges. The kernel contract: a line of the range whose error is
/// the smallest; on integer cycles (no addition rounds) exactly fused_range's error
/// and the line's own fused error, on decimal ones the same up to rounding.
template <class Range>
void check_against_fused(Range&& range, std::uint64_t seed, int rounds) {
  std::mt19937_64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(round % 22);
    const bool integer = round % 3 != 2;
    const bool zeros = round % 2 == 0;
    const std::vector<double> dl = random_dl(rng, n, integer, zeros);
    const double base = integer ? static_cast<double>(std::uniform_int_distribution<int>(-30, 30)(rng)) : 1.25;
    const double target = integer ? static_cast<double>(std::uniform_int_distribution<int>(-100, 100)(rng))
                                  : std::uniform_real_distribution<double>(-40.0, 40.0)(rng);
    const kernels::CycleView view{base, dl, target};
    const std::uint64_t end = std::uint64_t{1} << n;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges{{1, end}};
    for (int r = 0; r < 4; ++r) {
      std::uint64_t a = std::uniform_int_distribution<std::uint64_t>(1, end)(rng);
      std::uint64_t b = std::uniform_int_distribution<std::uint64_t>(1, end)(rng);
      if (a > b) std::swap(a, b);
      ranges.emplace_back(a, b);
    }
    ranges.emplace_back(end - 1, end);
    for (const auto& [first, last] : ranges) {
      INFO("seed " << seed << " round " << round << " N=" << n << " range [" << first << "," << last << ")");
      const kernels::RangeBest want = kernels::fused_range(view, first, last);
      const kernels::RangeBest got = range(view, first, last);
      REQUIRE((got.line == 0) == (first == last));
      if (got.line == 0) continue;
      CHECK(got.line >= first);
      CHECK(got.line < last);
      const double own = std::fabs(fused_value(view, got.line) - target);
      if (integer) {
        CHECK(got.error == want.error);
        CHECK(own == want.error);
        CHECK(got.result == fused_value(view, got.line));
      } else {
        // Another summation order: the same best error up to rounding.
        const double bound = 1e-12 * (std::fabs(want.result) + std::fabs(target) + 1);
        CHECK(std::fabs(got.error - want.error) <= bound);
        CHECK(std::fabs(own - want.error) <= bound);
      }
    }
  }
}

}  // namespace wcs::test

// The kernel benchmarks' problems and counters, shared by kernels_bench (timings)
// and kernels_counts (one run for valgrind): the first cycle of wcs-bench's problems
// and the table scan through counting wrappers of its primitives.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels.hpp"
#include "simd_table.hpp"

namespace wcs::kernels::bench {

namespace st = simd_table;

/// The first cycle of wcs-bench's problem `kind` (src/bench/bench.cpp, seed 1, one
/// cycle): W = 0 and p = 1, so base = 0 and d_i = a[i]; dl is in line-bit order.
struct Cycle {
  std::vector<double> dl;
  double target = 0.0;
  CycleView view() const { return {0.0, dl, target}; }
};

inline Cycle bench_cycle(const std::string& kind, std::size_t n) {
  constexpr std::uint64_t kSeed = 1;  // wcs-bench's default --seed
  std::mt19937_64 rng(kSeed * 1000003u + n);
  std::vector<double> a;
  Cycle c;
  if (kind == "default") {
    std::uniform_real_distribution<double> coef(0.5, 1.5);
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      a.push_back(coef(rng) * (i % 3 == 2 ? -1.0 : 1.0));
      sum += std::fabs(a.back());
    }
    c.target = 1e6 * (sum + 1);
  } else {
    const bool integer = kind == "integer";
    std::uniform_int_distribution<long long> units(integer ? 1 : 1000000, integer ? 99 : 100000000);
    for (std::size_t i = 0; i < n; ++i) {
      const double magnitude = integer ? static_cast<double>(units(rng)) : static_cast<double>(units(rng)) / 1e6;
      a.push_back(rng() & 1 ? magnitude : -magnitude);
    }
    c.target = integer ? 300.5 : 300.3;
  }
  c.dl.assign(a.rbegin(), a.rend());
  return c;
}

/// The table scan's primitives of the variant being run, and what they did: the
/// benchmark calls them through the counting wrappers below (one call per batch of
/// blocks, so the count costs nothing measurable).
struct Table {
  st::BlockMin block_min = nullptr;
  st::BlockFind block_find = nullptr;
  st::BlockFilter block_filter = nullptr;
  st::FilterForm form = st::FilterForm::abs_value;
  std::uint64_t filtered_blocks = 0;  ///< blocks the float filter scanned
  std::uint64_t double_blocks = 0;    ///< blocks the double pass scanned
};
inline Table current;

inline double counting_min(const double* table, std::size_t count, double offset) {
  ++current.double_blocks;
  return current.block_min(table, count, offset);
}

inline std::size_t counting_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                                   std::size_t blocks) {
  const std::size_t b = current.block_filter(table, count, offsets, limits, blocks);
  current.filtered_blocks += b < blocks ? b + 1 : blocks;
  return b;
}

/// The table scan with the primitives of `current`, counted.
inline RangeBest table_scan(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  return st::scan(c, first, last, &counting_min, current.block_find, current.block_filter ? &counting_filter : nullptr,
                  current.form);
}

}  // namespace wcs::kernels::bench

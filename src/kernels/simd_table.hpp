// Subset-sum table scan shared by the SIMD kernels (simd-xsimd, simd-highway): the
// scalar driver around two vectorised primitives.
//
// Idea: split line bits into the low k (k = 11: a 16 KB table that stays in L1) and
// the high rest. The 2^k subset sums of the low dl form a table; a high part `hi`
// has the partial sum h = base + its dl. The value of line (hi << k | j) is then
// h + table[j], so a block of 2^k lines costs one vector pass min_j |table[j] + (h -
// target)| (add, abs, min per lane). Only a block whose minimum beats the best so
// far (rare after the first blocks: the running best improves O(log) times in
// random order) is searched again, by a second vector pass that finds the first lane
// holding that minimum. A block that only ties the best is skipped, so problems whose
// lines tie by the thousand (integer coefficients, a .5 target) cost no more than
// others: which of the tied lines wins is decided by the exact step
// (src/search/exact_step.hpp), not here.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "kernels.hpp"

namespace wcs::kernels {

/// The dispatched vector primitives of the two SIMD kernels (see simd_table below).
double simd_xsimd_block_min(const double* table, std::size_t count, double offset);
std::size_t simd_xsimd_block_find(const double* table, std::size_t count, double offset, double value);
double simd_highway_block_min(const double* table, std::size_t count, double offset);
std::size_t simd_highway_block_find(const double* table, std::size_t count, double offset, double value);

}  // namespace wcs::kernels

namespace wcs::kernels::simd_table {

/// Low line bits covered by the table (2^11 doubles = 16 KB, half of the L1 data cache).
inline constexpr unsigned kLowBits = 11;
/// The vector primitives are only called on counts that are a multiple of this.
inline constexpr std::size_t kBlockMultiple = 32;

/// min over j < count of |table[j] + offset|, count a multiple of kBlockMultiple. NaN
/// lanes may be dropped (a NaN never wins anyway).
using BlockMin = double (*)(const double* table, std::size_t count, double offset);
/// The first j < count with |table[j] + offset| == value, computed exactly as
/// BlockMin computes it (count as above); count when there is none.
using BlockFind = std::size_t (*)(const double* table, std::size_t count, double offset, double value);

/// Subset sums of dl[0..k): table[m] = table[m without its highest bit] + dl[that
/// bit].
inline void build_table(std::span<const double> dl, unsigned k, std::vector<double>& table) {
  table.resize(std::size_t{1} << k);
  table[0] = 0.0;
  for (unsigned b = 0; b < k; ++b) {
    const std::size_t half = std::size_t{1} << b;
    for (std::size_t m = 0; m < half; ++m) table[half + m] = table[m] + dl[b];
  }
}

/// A line of smallest error among [first, last) (1 <= first <= last <= 2^N) in the
/// table's arithmetic: the value of line (hi << k | j) is h + table[j], its error
/// |table[j] + (h - target)|. Only a strictly smaller error replaces the best.
inline RangeBest scan(const CycleView& c, std::uint64_t first, std::uint64_t last, BlockMin block_min,
                      BlockFind block_find) {
  RangeBest best{std::numeric_limits<double>::infinity(), 0.0, 0};
  if (first >= last) return {};
  const std::size_t n = c.dl.size();
  const unsigned k = static_cast<unsigned>(std::min<std::size_t>(kLowBits, n));
  // The table depends only on the k low terms: a thread that scans many ranges of
  // one cycle (parallel's chunks) builds it once, not once per range.
  thread_local std::vector<double> table, table_terms;
  if (table.empty() || table_terms.size() != k || !std::equal(table_terms.begin(), table_terms.end(), c.dl.begin())) {
    build_table(c.dl, k, table);
    table_terms.assign(c.dl.begin(), c.dl.begin() + k);
  }
  const std::uint64_t size = std::uint64_t{1} << k;
  const std::uint64_t mask = size - 1;
  const double target = c.target;
  const std::uint64_t hi_first = first >> k;
  const std::uint64_t hi_last = (last - 1) >> k;
  for (std::uint64_t hi = hi_first; hi <= hi_last; ++hi) {
    double h = c.base;
    for (std::uint64_t bits = hi; bits != 0; bits &= bits - 1) h += c.dl[k + std::countr_zero(bits)];
    const double offset = h - target;
    const std::uint64_t lo_begin = hi == hi_first ? (first & mask) : 0;
    const std::uint64_t lo_end = hi == hi_last ? ((last - 1) & mask) + 1 : size;
    const std::uint64_t line0 = hi << k;
    if (lo_begin == 0 && lo_end == size && size % kBlockMultiple == 0) {
      const double block_best = block_min(table.data(), size, offset);
      if (!(block_best < best.error)) continue;
      const std::size_t j = block_find(table.data(), size, offset, block_best);
      if (j < size) best = {block_best, h + table[j], line0 | j};
      continue;
    }
    for (std::uint64_t j = lo_begin; j < lo_end; ++j) {
      const double v = table[j] + offset;
      const double error = v < 0 ? -v : v;
      if (error < best.error) best = {error, h + table[j], line0 | j};
    }
  }
  return best.line ? best : RangeBest{};
}

}  // namespace wcs::kernels::simd_table

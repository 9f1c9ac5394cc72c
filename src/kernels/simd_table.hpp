// Subset-sum table scan shared by the SIMD kernels (simd-xsimd, simd-highway): the
// scalar driver around one vectorised primitive, and the cycle search with the exact
// near-tie repair that makes the SIMD strategies identical to `reference`.
//
// Idea: split line bits into the low k (k = 11: a 16 KB table that stays in L1) and
// the high rest. The 2^k subset sums of the low dl form a table; a high part `hi`
// has the partial sum h = base + its dl. The value of line (hi << k | j) is then
// h + table[j], so a block of 2^k lines costs one vector pass min_j |table[j] + (h -
// target)| (add, abs, min per lane). Only a block whose minimum may beat the best so
// far (rare after the first blocks: the running best improves O(log) times in
// random order) is rescanned exactly with the winner order.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "kernels.hpp"
#include "wcs/formula.hpp"
#include "wcs/strategy.hpp"

namespace wcs::kernels {

/// The dispatched vector primitives of the two SIMD kernels (see BlockMin below).
double simd_xsimd_block_min(const double* table, std::size_t count, double offset);
double simd_highway_block_min(const double* table, std::size_t count, double offset);

}  // namespace wcs::kernels

namespace wcs::kernels::simd_table {

/// Low line bits covered by the table (2^11 doubles = 16 KB, half of the L1 data cache).
inline constexpr unsigned kLowBits = 11;
/// The vector primitive is only called on counts that are a multiple of this.
inline constexpr std::size_t kBlockMultiple = 32;

/// The vectorised primitive: min over j < count of |table[j] + offset|, count a
/// multiple of kBlockMultiple. NaN lanes may be dropped (a NaN never wins anyway).
using BlockMin = double (*)(const double* table, std::size_t count, double offset);

/// Subset sums of dl[0..k): table[m] = table[m without its highest bit] + dl[that
/// bit]. Adding an exactly-zero dl copies the entry, so lines that differ only in
/// zero terms keep exactly equal values (the tie rule then picks the smaller line).
inline void build_table(std::span<const double> dl, unsigned k, std::vector<double>& table) {
  table.resize(std::size_t{1} << k);
  table[0] = 0.0;
  for (unsigned b = 0; b < k; ++b) {
    const std::size_t half = std::size_t{1} << b;
    for (std::size_t m = 0; m < half; ++m) table[half + m] = table[m] + dl[b];
  }
}

/// A visitor that does nothing (plain RangeKernel use).
struct NoVisit {
  void operator()(std::uint64_t, double, double) const {}
};

/// Best line of [first, last) (1 <= first <= last <= 2^N) by the winner order on the
/// table values h + table[j]. `visit(line, r, error)` is called, in line order, for
/// every line whose error is within `slack` of the best error found so far (so every
/// line within `slack` of the final best is visited, and a few more).
template <class Visit>
RangeBest scan(const CycleView& c, std::uint64_t first, std::uint64_t last, BlockMin block_min, double slack,
               Visit&& visit) {
  RangeBest best;
  if (first >= last) return best;
  const std::size_t n = c.dl.size();
  const unsigned k = static_cast<unsigned>(std::min<std::size_t>(kLowBits, n));
  // The table depends only on the k low terms: a thread that scans many ranges of
  // one cycle (parallel's chunks) builds it once, not once per range.
  thread_local std::vector<double> table, table_terms;
  thread_local double table_max = 0.0;
  if (table.empty() || table_terms.size() != k || !std::equal(table_terms.begin(), table_terms.end(), c.dl.begin())) {
    build_table(c.dl, k, table);
    table_terms.assign(c.dl.begin(), c.dl.begin() + k);
    table_max = 0.0;
    for (const double v : table) table_max = std::max(table_max, std::fabs(v));
  }
  const std::uint64_t size = std::uint64_t{1} << k;
  const std::uint64_t mask = size - 1;
  const double target = c.target;
  double threshold = std::numeric_limits<double>::infinity();  // best.error + slack
  const std::uint64_t hi_first = first >> k;
  const std::uint64_t hi_last = (last - 1) >> k;
  for (std::uint64_t hi = hi_first; hi <= hi_last; ++hi) {
    // h folds the high dl in increasing bit order from base: exact zero terms keep ties.
    double h = c.base;
    for (std::uint64_t bits = hi; bits != 0; bits &= bits - 1) h += c.dl[k + std::countr_zero(bits)];
    const std::uint64_t lo_begin = hi == hi_first ? (first & mask) : 0;
    const std::uint64_t lo_end = hi == hi_last ? ((last - 1) & mask) + 1 : size;
    if (lo_begin == 0 && lo_end == size && size % kBlockMultiple == 0) {
      // The filter computes |table[j] + (h - target)|, which differs from the exact
      // |(h + table[j]) - target| by a few rounding errors of these magnitudes.
      const double margin = 0x1p-50 * (std::fabs(h) + std::fabs(target) + table_max) +
                            std::numeric_limits<double>::denorm_min();
      const double block_best = block_min(table.data(), size, h - target);
      if (block_best > threshold + margin) continue;
      // No best yet (the first block of a range): the block's own minimum bounds it,
      // so the scalar pass below only looks at lines that can matter instead of all
      // of them (parallel starts hundreds of ranges a cycle). Every line within
      // `slack` of the eventual best is still visited: that best is at most
      // block_best + margin.
      if (std::isinf(threshold)) threshold = block_best + 2 * margin + slack;
    }
    const std::uint64_t line0 = hi << k;
    for (std::uint64_t j = lo_begin; j < lo_end; ++j) {
      const double r = h + table[j];
      const double error = std::fabs(r - target);
      if (error > threshold) continue;
      const std::uint64_t line = line0 | j;
      // Lines come in increasing order: only a strictly better one replaces the best.
      if (best.line == 0 || ranks_before(error, r, best.error, best.result)) {
        best = {error, r, line};
        threshold = error + slack;
      }
      visit(line, r, error);
    }
  }
  return best;
}

/// The cycle search of the SIMD strategies. The table values differ from the
/// bit-exact form of `reference` in the last bits, so a near-tie could pick another
/// winner: every line within a proven rounding bound of the table's best is
/// re-evaluated with wcs::line_value and the winner taken by the exact order. The
/// reported r is therefore reference's r to the bit.
class TableSearch final : public CycleSearch {
 public:
  TableSearch(BlockMin block_min, const char* (*isa)()) : block_min_(block_min), isa_(isa) {}

  CycleOutcome search(const CycleInput& in) override {
    const std::size_t n = in.a.size();
    d_.resize(n);
    dl_.resize(n);
    const double base = cycle_terms(in.a, in.w, in.wpn, d_);
    // Rounding bound: both forms sum at most N + 2 rounded terms of magnitude at most
    // |a W| + |a E p| each, then subtract the target.
    double magnitude = std::fabs(in.target);
    std::uint64_t zero_mask = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = n - 1 - j;
      dl_[j] = d_[i];
      if (d_[i] == 0.0) zero_mask |= std::uint64_t{1} << j;
      magnitude += std::fabs(in.a[i] * in.w[i]) + std::fabs(in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0) * in.wpn);
    }
    const double slack = static_cast<double>(n + 4) * 0x1p-49 * magnitude;
    // d_i == 0 means (a W) p == a W, so reference gives lines that differ only in
    // such bits the same r, and the smaller line (those bits cleared) wins; a line of
    // zero-d bits only ties with the lowest of them. Other lines never win.
    const std::uint64_t lowest_zero = zero_mask & (~zero_mask + 1);
    auto canonical = [&](std::uint64_t line) {
      const std::uint64_t rest = line & ~zero_mask;
      return rest != 0 ? rest : lowest_zero;
    };

    bool have = false;
    std::uint64_t best_line = 0;
    double best_r = 0.0, best_error = 0.0;
    auto visit = [&](std::uint64_t line, double, double) {
      if (canonical(line) != line) return;
      const double r = line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((line >> (n - 1 - i)) & 1u); });
      const double error = std::fabs(r - in.target);
      if (!have || line_wins(error, r, line, best_error, best_r, best_line)) {
        have = true;
        best_line = line;
        best_r = r;
        best_error = error;
      }
    };
    const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
    const RangeBest table_best = scan(CycleView{base, dl_, in.target}, 1, lines + 1, block_min_, slack, visit);
    if (!have) {  // only when every value is NaN: take the table's pick
      best_line = table_best.line;
      best_r = line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((best_line >> (n - 1 - i)) & 1u); });
    }

    CycleOutcome out;
    out.winner = Combination::from_line(best_line, n);
    out.result = best_r;
    out.all_below_target = max_line_value(base, d_) < in.target;
    out.evaluated = lines;
    return out;
  }

  void finish(SolveResult& result) override { result.notes["isa"] = isa_(); }

 private:
  BlockMin block_min_;
  const char* (*isa_)();
  std::vector<double> d_, dl_;
};

}  // namespace wcs::kernels::simd_table

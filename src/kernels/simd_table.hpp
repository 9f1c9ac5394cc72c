// Subset-sum table scan shared by the SIMD kernels (simd-xsimd, simd-highway): the
// scalar driver around three vectorised primitives.
//
// Idea: split line bits into the low k (k = 11) and the high rest. The 2^k subset
// sums of the low dl form a table; a high part `hi` has the partial sum h = base +
// its dl. The value of line (hi << k | j) is then h + table[j], so a block of 2^k
// lines costs one vector pass min_j |table[j] + (h - target)| (add, abs, min per
// lane). Only a block whose minimum beats the best so far (rare after the first
// blocks: the running best improves O(log) times in random order) is searched again,
// by a second vector pass that finds the first lane holding that minimum. A block
// that only ties the best is skipped, so problems whose lines tie by the thousand
// (integer coefficients, a .5 target) cost no more than others: which of the tied
// lines wins is decided by the exact step (src/search/exact_step.hpp), not here.
//
// The float filter. The double pass does three vector operations per 4 lines (AVX2)
// and runs at the vector pipes' rate, so whole blocks first go through a filter in
// float32, twice the lanes per vector: a block the filter rejects provably holds no
// line better than the best and is skipped; the rare block that passes is scanned
// again in double exactly as before. The kernel's pick is therefore the double
// scan's, to the bit, with or without the filter.
//
// The window. A line of block hi beats the best error L only if |fl(t + o)| < L,
// with t = table[j] and o = h - target; then t lies in the open interval (-o - L,
// -o + L), widened by a few units in the last place of double for the rounding of
// fl(t + o) and of the ends. Every t also lies in [-M, M], M = max |table|, so the
// block is skipped outright when the two do not meet (a target beyond every line of
// the block); otherwise the filter tests t against their intersection, of centre c
// and half-width r, both at most M in magnitude. So the float rounding of t, of the
// filter's shift and of its one add errs by at most 6uM plus three subnormal terms
// of 2^-150, u = 2^-24 (the standard model of floating-point arithmetic: Higham,
// "Accuracy and Stability of Numerical Algorithms", 2nd ed., section 2.2 and eq.
// 2.8), whatever |o| is: widening the window by 8uM + 2^-140 loses no line. When
// every t, o and L are multiples of 2^q small enough for all of this to be exact in
// float (integer problems), the window is exact and open: a block that only ties the
// best is skipped, as in the double pass. An offset or best outside float's range,
// or a table with an infinite or NaN value, leaves the decision to the double pass.
//
// Two forms of the filter's test (FilterForm). `abs_value`: |t + offset| < limit
// with offset = -c (add, abs, min: three operations a vector). `bits`: t + shift in
// [+0, limit) with shift = r - c, which for a float u >= +0 is its bit pattern, as an
// unsigned integer, below the limit's, and every negative float's pattern is above
// every positive one's: add and an unsigned integer min, two operations a vector
// (IEEE 754-2019, section 3.4: the encoding orders non-negative floats as integers).
// SSE2 has no unsigned 32-bit min (SSE4.1's PMINUD), so it keeps `abs_value`.
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
std::size_t simd_xsimd_block_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                                    std::size_t blocks);
double simd_highway_block_min(const double* table, std::size_t count, double offset);
std::size_t simd_highway_block_find(const double* table, std::size_t count, double offset, double value);
std::size_t simd_highway_block_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                                      std::size_t blocks);
/// Whether the dispatched Highway filter tests bit patterns (simd_table::FilterForm).
bool simd_highway_filter_bits();

}  // namespace wcs::kernels

namespace wcs::kernels::simd_table {

/// Low line bits covered by the table (2^11 doubles = 16 KB, and 8 KB of floats: both
/// stay in a 32 KB L1 data cache).
inline constexpr unsigned kLowBits = 11;
/// The vector primitives are only called on counts that are a multiple of this.
inline constexpr std::size_t kBlockMultiple = 32;
/// High parts whose offsets the float filter takes in one call.
inline constexpr std::size_t kFilterBatch = 64;

/// min over j < count of |table[j] + offset|, count a multiple of kBlockMultiple. NaN
/// lanes are dropped (a NaN never wins anyway).
using BlockMin = double (*)(const double* table, std::size_t count, double offset);
/// The first j < count with |table[j] + offset| == value, computed exactly as
/// BlockMin computes it (count as above); count when there is none.
using BlockFind = std::size_t (*)(const double* table, std::size_t count, double offset, double value);
/// The first b < blocks for which some j < count passes the test of the filter's form
/// (FilterForm) on fl(table[j] + offsets[b]) and limits[b], all in float (count as
/// above); blocks when there is none.
using BlockFilter = std::size_t (*)(const float* table, std::size_t count, const float* offsets, const float* limits,
                                    std::size_t blocks);

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

/// E with x an odd multiple of 2^E (x finite); int max for 0. From the bits, not
/// frexp: it runs once per block.
inline int quantum_exponent(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const int field = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t significand = bits & ((std::uint64_t{1} << 52) - 1);
  if (field != 0) significand |= std::uint64_t{1} << 52;
  if (significand == 0) return std::numeric_limits<int>::max();
  return (field != 0 ? field : 1) - 1075 + std::countr_zero(significand);
}

/// 2^e for -1022 <= e <= 1023, from the bits.
inline double pow2(int e) { return std::bit_cast<double>(static_cast<std::uint64_t>(e + 1023) << 52); }

/// The float filter's test (file comment): |t + offset| < limit (`abs_value`) or
/// t + offset in [+0, limit) by bit patterns (`bits`).
enum class FilterForm { abs_value, bits };

/// What the float filter tests for one block, in the form it was made for. limit 0
/// skips the block (no line can beat the best); an `abs_value` limit of +inf passes it.
struct Window {
  float offset = 0.0f;
  float limit = 0.0f;
};

/// The smallest float >= x (x >= 0 or NaN; NaN gives +inf: no block is skipped).
inline float float_at_least(double x) {
  if (!(x < 0x1p127)) return std::numeric_limits<float>::infinity();
  const auto f = static_cast<float>(x);
  return static_cast<double>(f) < x ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

/// One thread's table of one cycle (the k low terms), in double and in float, both
/// 64-byte aligned (whole cache lines, no split vector load), with what the float
/// filter needs to know of it.
struct Tables {
  std::vector<double> terms;  ///< the dl[0..k) it was built from
  std::vector<double> values;
  std::vector<double> dstore;
  std::vector<float> fstore;
  const double* d = nullptr;
  const float* f = nullptr;
  double max_abs = 0.0;         ///< M = max |table|
  int quantum = 0;              ///< every table value is a multiple of 2^quantum
  bool filterable = false;      ///< every value is finite and well inside float's range
  bool exact_possible = false;  ///< some window may be exact (see window())
  /// For a table on a lattice of fewer than kLatticeBits points (integer terms): bit i
  /// set when some value is -M + i 2^quantum. Empty otherwise.
  std::vector<std::uint64_t> lattice;
  static constexpr std::size_t kLatticeBits = std::size_t{1} << 16;

  void build(std::span<const double> dl, unsigned k) {
    build_table(dl, k, values);
    terms.assign(dl.begin(), dl.begin() + k);
    const std::size_t size = values.size();
    dstore.assign(size + 8, 0.0);
    fstore.assign(size + 16, 0.0f);
    auto* dp = dstore.data() + (64 - reinterpret_cast<std::uintptr_t>(dstore.data()) % 64) % 64 / sizeof(double);
    auto* fp = fstore.data() + (64 - reinterpret_cast<std::uintptr_t>(fstore.data()) % 64) % 64 / sizeof(float);
    max_abs = 0.0;
    quantum = std::numeric_limits<int>::max();
    filterable = true;
    for (std::size_t j = 0; j < size; ++j) {
      const double v = values[j];
      dp[j] = v;
      filterable = filterable && std::fabs(v) < 0x1p100;  // false for inf and NaN too
      fp[j] = filterable ? static_cast<float>(v) : 0.0f;
      if (filterable) max_abs = std::max(max_abs, std::fabs(v));
      if (filterable && v != 0.0) quantum = std::min(quantum, quantum_exponent(v));
    }
    d = dp;
    f = fp;
    exact_possible = filterable && (quantum == std::numeric_limits<int>::max() ||
                                    (quantum >= -148 && quantum <= 100 && headroom(max_abs, quantum)));
    lattice.clear();
    if (exact_possible && quantum != std::numeric_limits<int>::max() &&
        2.0 * max_abs / pow2(quantum) < static_cast<double>(kLatticeBits)) {
      lattice.assign((static_cast<std::size_t>(2.0 * max_abs / pow2(quantum)) + 1 + 63) / 64, 0);
      for (std::size_t j = 0; j < size; ++j) {
        const auto i = static_cast<std::size_t>((dp[j] + max_abs) / pow2(quantum));  // exact: a lattice point
        lattice[i / 64] |= std::uint64_t{1} << (i % 64);
      }
    }
  }

  /// Whether some table value may lie in the open interval (lo, hi), given as
  /// multiples of 2^(quantum - 1) or finer below 2^(51 + quantum) in magnitude so that
  /// every step below is exact (true when there is no lattice to tell).
  bool any_between(double lo, double hi) const {
    if (lattice.empty()) return true;
    const double step = pow2(quantum), last = static_cast<double>(lattice.size() * 64 - 1);
    const double first_point = std::max(0.0, std::floor((lo + max_abs) / step) + 1.0);
    const double last_point = std::min(last, std::ceil((hi + max_abs) / step) - 1.0);
    if (first_point > last_point) return false;
    const auto i0 = static_cast<std::size_t>(first_point), i1 = static_cast<std::size_t>(last_point);
    if (i1 / 64 - i0 / 64 > 4) return true;  // a wide window: the filter decides
    for (std::size_t w = i0 / 64; w <= i1 / 64; ++w) {
      std::uint64_t word = lattice[w];
      if (w == i0 / 64) word &= ~std::uint64_t{0} << (i0 % 64);
      if (w == i1 / 64) word &= ~std::uint64_t{0} >> (63 - i1 % 64);
      if (word != 0) return true;
    }
    return false;
  }

  /// Whether M + 2^q < 2^(21+q): the exact window's 24 bits with room for t + shift.
  static bool headroom(double m, int q) { return m + pow2(q) < pow2(21 + q); }

  bool matches(std::span<const double> dl, unsigned k) const {
    return d != nullptr && terms.size() == k && std::equal(terms.begin(), terms.end(), dl.begin());
  }

  /// The window of a block at offset o when the best error is `best` (file comment).
  /// `inexact`: never the exact form (for a bound that keeps its ties; 0 allowed).
  Window window(double o, double best, FilterForm form, bool inexact = false) const {
    constexpr float kInf = std::numeric_limits<float>::infinity();
    if (!(best > 0.0) && !(inexact && best == 0.0)) return {};  // nothing is < 0
    // The double pass decides: a window that every finite float passes.
    if (!(std::fabs(o) < 0x1p100) || !(best < 0x1p100))
      return form == FilterForm::bits ? Window{0x1p101f, kInf} : Window{0.0f, kInf};
    const double m = max_abs;
    // q <= quantum, and the headroom test only gets harder as q falls: a table that
    // fails it at its own quantum (decimal terms) never has an exact window.
    const int q = exact_possible ? std::min({quantum, quantum_exponent(o), quantum_exponent(best)}) : 0;
    if (!inexact && exact_possible && q >= -148 && headroom(m, q) && std::fabs(o) + best < pow2(50 + q)) {
      // Exact: every quantity below is a multiple of 2^(q-1) below 2^(23+q) in
      // magnitude (24 bits), the sum t + shift included.
      const double lo = -o - best, hi = -o + best;
      if (hi <= -m || lo >= m) return {};
      // No table value inside: every line of the block is at least `best` away (as
      // when integer terms have met a half-integer target to 0.5).
      if (!any_between(lo, hi)) return {};
      const double a = std::max(lo, -m - pow2(q));  // keeps t = +-M inside the open interval
      const double b = std::min(hi, m + pow2(q));
      const double c = 0.5 * (a + b), r = 0.5 * (b - a), s = pow2(q - 1);
      // Open (-r, r) on the lattice of 2^(q-1): [-r + s, r - s], that is t - c + r - s
      // in [0, 2r - 2s], that is below 2r - s.
      if (form == FilterForm::abs_value) return {static_cast<float>(-c), static_cast<float>(r)};
      return {static_cast<float>(r - c - s + 0.0), static_cast<float>(2 * r - s)};
    }
    const double wide = best + best * 0x1p-50;
    double lo = -o - wide, hi = -o + wide;
    lo -= std::fabs(lo) * 0x1p-50;
    hi += std::fabs(hi) * 0x1p-50;
    if (hi <= -m || lo >= m) return {};
    const double a = std::max(lo, -m), b = std::min(hi, m);
    const double c = 0.5 * (a + b), r = 0.5 * (b - a) + 0x8p-24 * m + 0x1p-140;  // widened by the float error
    if (form == FilterForm::abs_value) return {static_cast<float>(-c), float_at_least(r)};
    return {static_cast<float>(r - c), float_at_least(2 * r)};
  }
};

/// The thread's tables for this cycle's k low terms: a thread that scans many ranges
/// of one cycle (parallel's chunks) builds them once, not once per range.
inline const Tables& tables_for(std::span<const double> dl, unsigned k) {
  thread_local Tables t;
  if (!t.matches(dl, k)) t.build(dl, k);
  return t;
}

/// Partial sums of the high parts: h(hi) = base, then the dl of hi's set bits from the
/// lowest up (one order for every caller, so a block's values do not depend on the
/// path). The lowest kPrefixBits high bits come from a table built in that same order
/// (entry 0 is base; each entry adds its highest bit last), the rest are added one by
/// one: about half the adds of a block's overhead at N = 24.
struct HighSums {
  static constexpr unsigned kPrefixBits = 8;
  std::vector<double> key;  ///< base, then the prefix's terms
  std::vector<double> prefix;
  const double* upper = nullptr;  ///< dl[k + p ..]
  unsigned p = 0;

  void prepare(const CycleView& c, unsigned k) {
    p = static_cast<unsigned>(std::min<std::size_t>(kPrefixBits, c.dl.size() - k));
    upper = c.dl.data() + k + p;
    // Compared bit for bit: -0.0 is not 0.0 here, and a NaN base matches itself.
    auto same = [](double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); };
    if (key.size() == p + 1 && same(key[0], c.base) && std::equal(key.begin() + 1, key.end(), c.dl.begin() + k, same))
      return;
    key.assign(1, c.base);
    key.insert(key.end(), c.dl.begin() + k, c.dl.begin() + k + p);
    prefix.assign(std::size_t{1} << p, c.base);
    for (unsigned b = 0; b < p; ++b) {
      const std::size_t half = std::size_t{1} << b;
      for (std::size_t m = 0; m < half; ++m) prefix[half + m] = prefix[m] + key[1 + b];
    }
  }

  double operator()(std::uint64_t hi) const {
    double h = prefix[hi & ((std::uint64_t{1} << p) - 1)];
    for (std::uint64_t bits = hi >> p; bits != 0; bits &= bits - 1) h += upper[std::countr_zero(bits)];
    return h;
  }
};

/// The thread's high sums for this cycle (rebuilt only when base or the terms change).
inline const HighSums& high_sums_for(const CycleView& c, unsigned k) {
  thread_local HighSums h;
  h.prepare(c, k);
  return h;
}

/// Searches the whole block of high part hi (offset h - target) again in double and
/// takes its first line of smallest error when that beats `best`.
inline void rescan(const Tables& t, std::size_t size, unsigned k, std::uint64_t hi, double h, double offset,
                   BlockMin block_min, BlockFind block_find, RangeBest& best) {
  const double block_best = block_min(t.d, size, offset);
  if (!(block_best < best.error)) return;
  const std::size_t j = block_find(t.d, size, offset, block_best);
  if (j < size) best = {block_best, h + t.d[j], (hi << k) | j};
}

/// The whole blocks of high parts [hi_begin, hi_end): through the float filter, in
/// batches of kFilterBatch, when there is one and the table allows it.
inline void scan_blocks(const CycleView& c, const Tables& t, const HighSums& high_sum, unsigned k,
                        std::uint64_t hi_begin, std::uint64_t hi_end, BlockMin block_min, BlockFind block_find,
                        BlockFilter block_filter, FilterForm form, RangeBest& best) {
  const std::size_t size = t.values.size();
  if (block_filter == nullptr || !t.filterable) {
    for (std::uint64_t hi = hi_begin; hi < hi_end; ++hi) {
      const double h = high_sum(hi);
      rescan(t, size, k, hi, h, h - c.target, block_min, block_find, best);
    }
    return;
  }
  std::uint64_t his[kFilterBatch];
  double hs[kFilterBatch];
  alignas(64) float offset_f[kFilterBatch], limit_f[kFilterBatch];
  // The lines the filter keeps: those below the best so far, or when the runner's
  // bound is smaller, those at most the bound away (CycleView::bound). For the latter,
  // once per range: every t, o and the bound are multiples of 2^q, q at most the
  // quantum of the table, base, target and every term (a rounded sum of multiples of
  // 2^q is one too), so |t + o| <= bound is |t + o| < bound + 2^(q-1) when that sum
  // is exact; otherwise the inexact window keeps the ties.
  double bound_open = std::numeric_limits<double>::quiet_NaN();
  if (c.bound >= 0.0 && c.bound < 0x1p100) {
    int q = std::min({t.quantum, quantum_exponent(c.bound), quantum_exponent(c.base), quantum_exponent(c.target)});
    for (const double d : c.dl) q = std::min(q, quantum_exponent(d));
    if (q != std::numeric_limits<int>::max() && q >= -1021 && q <= 100 &&
        c.bound + pow2(q - 1) - c.bound == pow2(q - 1))
      bound_open = c.bound + pow2(q - 1);
  }
  auto window = [&](double o) {
    if (!(c.bound < best.error)) return t.window(o, best.error, form);
    return bound_open == bound_open ? t.window(o, bound_open, form) : t.window(o, c.bound, form, true);
  };
  // Puts block hi (partial sum h) at batch position `at` with its window; false when
  // the window rules it out.
  auto place = [&](std::size_t at, std::uint64_t hi, double h) {
    const Window w = window(h - c.target);
    if (w.limit == 0.0f) return false;
    his[at] = hi;
    hs[at] = h;
    offset_f[at] = w.offset;
    limit_f[at] = w.limit;
    return true;
  };
  for (std::uint64_t hi = hi_begin; hi < hi_end;) {
    // A batch of blocks that may hold a better line (in increasing hi).
    std::size_t nb = 0;
    for (; hi < hi_end && nb < kFilterBatch; ++hi) nb += place(nb, hi, high_sum(hi));
    for (std::size_t pos = 0; pos < nb;) {
      const std::size_t b = pos + block_filter(t.f, size, offset_f + pos, limit_f + pos, nb - pos);
      if (b >= nb) break;
      const double before = best.error;
      rescan(t, size, k, his[b], hs[b], hs[b] - c.target, block_min, block_find, best);
      pos = b + 1;
      if (best.error == before) continue;
      // The rest of the batch with the new best's windows; the blocks it rules out
      // leave the batch rather than go through the filter for nothing.
      std::size_t kept = pos;
      for (std::size_t r = pos; r < nb; ++r) kept += place(kept, his[r], hs[r]);
      nb = kept;
    }
  }
}

/// A line of smallest error among [first, last) (1 <= first <= last <= 2^N) in the
/// table's arithmetic: the value of line (hi << k | j) is h + table[j], its error
/// |table[j] + (h - target)|. Only a strictly smaller error replaces the best. Without
/// `block_filter` every whole block goes through the double pass; with it (a filter
/// of the given form), the same pick, to the bit, by way of the float filter.
inline RangeBest scan(const CycleView& c, std::uint64_t first, std::uint64_t last, BlockMin block_min,
                      BlockFind block_find, BlockFilter block_filter = nullptr,
                      FilterForm form = FilterForm::abs_value) {
  RangeBest best{std::numeric_limits<double>::infinity(), 0.0, 0};
  if (first >= last) return {};
  const unsigned k = static_cast<unsigned>(std::min<std::size_t>(kLowBits, c.dl.size()));
  const Tables& t = tables_for(c.dl, k);
  const HighSums& high_sum = high_sums_for(c, k);
  const std::uint64_t size = std::uint64_t{1} << k;
  const std::uint64_t mask = size - 1;
  const std::uint64_t hi_first = first >> k;
  const std::uint64_t hi_last = (last - 1) >> k;
  const bool vector = size % kBlockMultiple == 0;
  auto lo_begin = [&](std::uint64_t hi) { return hi == hi_first ? first & mask : 0; };
  auto lo_end = [&](std::uint64_t hi) { return hi == hi_last ? ((last - 1) & mask) + 1 : size; };
  auto whole = [&](std::uint64_t hi) { return vector && lo_begin(hi) == 0 && lo_end(hi) == size; };
  // A part of a block, line by line, in the double arithmetic of the vector pass.
  auto part = [&](std::uint64_t hi) {
    const double h = high_sum(hi);
    const double offset = h - c.target;
    for (std::uint64_t j = lo_begin(hi); j < lo_end(hi); ++j) {
      const double v = t.d[j] + offset;
      const double error = v < 0 ? -v : v;
      if (error < best.error) best = {error, h + t.d[j], (hi << k) | j};
    }
  };
  // Lines in increasing order: a partial first block, the whole blocks, a partial
  // last block.
  std::uint64_t hi = hi_first;
  if (!whole(hi)) part(hi++);
  if (!vector) {
    for (; hi <= hi_last; ++hi) part(hi);
  } else if (hi <= hi_last) {
    const std::uint64_t run_end = whole(hi_last) ? hi_last + 1 : hi_last;
    if (hi < run_end) scan_blocks(c, t, high_sum, k, hi, run_end, block_min, block_find, block_filter, form, best);
    if (run_end == hi_last) part(hi_last);
  }
  return best.line ? best : RangeBest{};
}

}  // namespace wcs::kernels::simd_table

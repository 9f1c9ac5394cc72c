// The line value of docs/algorithm.md in its bit-exact form and in the base + d_i form,
// and the winner order shared by every strategy.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "wcs/combination.hpp"

namespace wcs {

/// r(s) in the bit-exact form of `reference`: from 0.0, terms (a[i] * e_i) * m_i
/// added in index order. `selected(i)` tells whether coefficient i is in s.
template <class Selected>
  requires std::is_invocable_r_v<bool, Selected&, std::size_t>
inline double line_value(std::span<const double> a, std::span<const double> w, double wpn,
                         Selected&& selected) {
  double r = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // Written as selects rather than branches: selection bits are unpredictable.
    const bool in = selected(i);
    const double e = w[i] != 0.0 ? w[i] : static_cast<double>(in);
    const double m = in ? wpn : 1.0;
    r += (a[i] * e) * m;
  }
  return r;
}

inline double line_value(std::span<const double> a, std::span<const double> w, double wpn,
                         const Combination& s) {
  return line_value(a, w, wpn, [&](std::size_t i) { return s.test(i); });
}

/// sum_i a[i] * w[i], added in index order: the result of weights w (docs/algorithm.md,
/// "Output"), and `base` of the d form.
inline double dot(std::span<const double> a, std::span<const double> w) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * w[i];
  return s;
}

/// The exponent of the lowest set bit of a finite non-zero x: x is an odd multiple
/// of 2^result. Read from the bits (frexp and ldexp cost more than the rest of a small
/// problem's exactness check): a normal x is (2^52 + fraction) 2^(biased - 1075), a
/// subnormal one fraction 2^-1074.
inline int lowest_bit_exponent(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
  if (biased == 0) return -1074 + std::countr_zero(fraction);
  return biased - 1075 + std::countr_zero(fraction | (std::uint64_t{1} << 52));
}

/// The cycle as a closest-subset-sum problem: r(s) = base + sum_{i in s} d[i].
struct CycleTerms {
  double base = 0.0;       ///< sum_i a[i] * W[i]
  std::vector<double> d;   ///< a[i] * (W[i] != 0 ? W[i] : 1) * p - a[i] * W[i]
};
CycleTerms cycle_terms(std::span<const double> a, std::span<const double> w, double wpn);
/// Same into caller-owned storage (d.size() == a.size()); returns base.
double cycle_terms(std::span<const double> a, std::span<const double> w, double wpn, std::span<double> d);

/// The largest line value of the cycle in the d form: base + the sum of the positive
/// d (base + the largest d when none is positive). Not reference's all-below
/// decision by itself: reference compares every line's bit-exact value with the
/// target, and the d form may round differently, so this value decides only when it
/// lies beyond rounding of the target (search::all_below_target does the rest).
double max_line_value(double base, std::span<const double> d);

/// The winner order of docs/algorithm.md, in two names: `ranks_before` on (error, r) and
/// `line_wins` with the line as the last key.
///
/// ranks_before: smaller |r - target|, then larger r. True when (error_x, r_x) ranks
/// strictly before (error_y, r_y); equal pairs are tied and the smaller line then
/// wins. A NaN error ranks after every number.
inline bool ranks_before(double error_x, double r_x, double error_y, double r_y) {
  if (error_x < error_y) return true;
  if (error_x > error_y) return false;
  if (error_x == error_y) return r_x > r_y;
  return !std::isnan(error_x) && std::isnan(error_y);
}

/// line_wins: the full order, x strictly before y. `x_line_less()` tells whether x's
/// line is smaller than y's; it is called only when (error, r) tie.
template <class LineLess>
  requires std::is_invocable_r_v<bool, LineLess&>
inline bool line_wins(double error_x, double r_x, double error_y, double r_y, LineLess&& x_line_less) {
  if (ranks_before(error_x, r_x, error_y, r_y)) return true;
  // y against x, on purpose: does y rank strictly before x?
  if (ranks_before(error_y, r_y, error_x, r_x)) return false;  // NOLINT(readability-suspicious-call-argument)
  return x_line_less();
}

/// The same with line numbers (N <= 63).
inline bool line_wins(double error_x, double r_x, std::uint64_t line_x, double error_y, double r_y,
                      std::uint64_t line_y) {
  return line_wins(error_x, r_x, error_y, r_y, [&] { return line_x < line_y; });
}

/// The same with combinations (any N).
inline bool line_wins(double error_x, double r_x, const Combination& x, double error_y, double r_y,
                      const Combination& y) {
  return line_wins(error_x, r_x, error_y, r_y, [&] { return x.line_less(y); });
}

}  // namespace wcs

// The cheap features `auto` chooses by, computed in O(N) from the problem alone. The
// same definitions, operation for operation, are in tools/autosuite.py (the fit and
// the check), which checks them against the values `auto` reports in its notes.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "wcs/formula.hpp"
#include "wcs/problem.hpp"

namespace wcs::autorule {

enum Feature { kN = 0, kSpan = 1, kRelTol = 2, kInside = 3, kBudget = 4, kFeatureCount = 5 };
inline constexpr const char* kFeatureNames[kFeatureCount] = {"n", "span", "rel_tol", "inside", "budget"};

/// The features of a problem, as doubles:
/// - n: the number of coefficients;
/// - span: when the first cycle's values are exact in binary (every d_i = a_i p0 a
///   multiple of one power of two 2^g and |target| + 2 sum |d_i| below 2^(52+g)), the
///   span of its subset sums in units of 2^g, sum |d_i| / 2^g + 1 (what `dp` works
///   through); +inf otherwise (decimal data);
/// - rel_tol: the tolerance over the mean |a_i|;
/// - inside: 1 when the target lies between the smallest and the largest subset sum
///   of the first cycle (sums of the negative and of the positive d_i), else 0;
/// - budget: the most cycles a solve may take (max_iter).
struct Features {
  double value[kFeatureCount] = {};
  double operator[](int f) const { return value[f]; }
  /// "n=50 span=1276 rel_tol=0.39215686274509803 inside=1 budget=50", every number to the bit.
  std::string text() const {
    std::string out;
    for (int f = 0; f < kFeatureCount; ++f) out += fmt::format("{}{}={}", f ? " " : "", kFeatureNames[f], value[f]);
    return out;
  }
};

namespace detail {
/// 2^e for -1022 <= e <= 1023 (a normal double), else std::ldexp.
inline double power_of_two(int e) {
  if (e < -1022 || e > 1023) return std::ldexp(1.0, e);
  return std::bit_cast<double>(static_cast<std::uint64_t>(e + 1023) << 52);
}
}  // namespace detail

/// The span feature alone (see Features): the part that reads every value's bits, so
/// `auto` computes it only when its tree asks for it.
inline double span_of(const Problem& p) {
  double magnitude = 0.0;
  int g = std::numeric_limits<int>::max();
  bool finite = true;
  for (double a : p.coefficients) {
    const double d = a * p.initial_wpn;  // d_i of the first cycle (W = 0)
    magnitude += std::fabs(d);
    finite = finite && std::isfinite(d);
    if (d != 0.0 && std::isfinite(d)) g = std::min(g, wcs::lowest_bit_exponent(d));
  }
  const double scale = std::fabs(p.target) + 2.0 * magnitude;
  const bool exact = finite && std::isfinite(scale) &&
                     (g == std::numeric_limits<int>::max() || scale < detail::power_of_two(52 + std::max(g, -1074)));
  // magnitude is a multiple of 2^g below 2^(52+g) when exact: times 2^-g is exact.
  return !exact                                 ? std::numeric_limits<double>::infinity()
         : g == std::numeric_limits<int>::max() ? 1.0
         : -g >= -1022 && -g <= 1023            ? magnitude * detail::power_of_two(-g) + 1.0
                                                : std::ldexp(magnitude, -g) + 1.0;
}

/// Every feature but the span (left at 0): n, rel_tol, inside and budget, in one cheap pass.
inline Features features_but_span(const Problem& p) {
  Features f;
  const std::size_t n = p.n();
  f.value[kN] = static_cast<double>(n);
  double negative = 0.0, positive = 0.0, mean = 0.0;
  for (double a : p.coefficients) {
    const double d = a * p.initial_wpn;  // d_i of the first cycle (W = 0)
    mean += std::fabs(a);
    if (d < 0) negative += d;
    else positive += d;
  }
  mean /= static_cast<double>(n);
  f.value[kRelTol] = p.tolerance / mean;
  f.value[kInside] = negative <= p.target && p.target <= positive ? 1.0 : 0.0;
  f.value[kBudget] = static_cast<double>(p.max_iter);
  return f;
}

inline Features features(const Problem& p) {
  Features f = features_but_span(p);
  f.value[kSpan] = span_of(p);
  return f;
}

}  // namespace wcs::autorule

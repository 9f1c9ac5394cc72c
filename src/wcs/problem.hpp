// The WCS problem (coefficients, target and search settings) and its validation.
#pragma once
#include <cstddef>
#include <limits>
#include <vector>

namespace wcs {

/// One instance of `sum a[i] W[i] ~ target`; field meanings and defaults as in
/// shared/spec/algorithm.md.
struct Problem {
  std::vector<double> coefficients;  ///< a, N >= 1 finite values, not all ~0
  double target = 0.0;               ///< finite
  double tolerance = 0.0;            ///< finite, >= 0
  long long max_iter = 32;           ///< cycles at most, >= 1
  double initial_wpn = 1.0;          ///< finite, != 0
  double wpn_lo = -std::numeric_limits<double>::infinity();  ///< lo < hi
  double wpn_hi = std::numeric_limits<double>::infinity();

  std::size_t n() const { return coefficients.size(); }
};

/// Throws InputError naming the first invalid field and its value.
void validate(const Problem& problem);

}  // namespace wcs

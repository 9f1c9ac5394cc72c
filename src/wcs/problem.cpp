#include "wcs/problem.hpp"

#include <cmath>
#include <string>

#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs {
namespace {

void require_finite(double x, const std::string& field) {
  if (!std::isfinite(x)) throw InputError(field + ": " + format_number(x) + " is not finite");
}

void require_finite(double x, const char* list, std::size_t index) {
  // The field name is built only on failure: validation runs before every solve.
  if (!std::isfinite(x)) require_finite(x, std::string(list) + "[" + std::to_string(index) + "]");
}

}  // namespace

void validate(const Problem& p) {
  if (p.coefficients.empty()) throw InputError("coefficients: the list is empty (N must be >= 1)");
  bool all_zero = true;
  for (std::size_t i = 0; i < p.coefficients.size(); ++i) {
    require_finite(p.coefficients[i], "coefficients", i);
    if (std::fabs(p.coefficients[i]) > 1e-8) all_zero = false;
  }
  if (all_zero) throw InputError("coefficients: every value is zero (|a[i]| <= 1e-8)");
  require_finite(p.target, "target");
  require_finite(p.tolerance, "tolerance");
  if (p.tolerance < 0) throw InputError("tolerance: " + format_number(p.tolerance) + " is negative");
  if (p.max_iter < 1) throw InputError("max_iter: " + std::to_string(p.max_iter) + " is below 1");
  require_finite(p.initial_wpn, "initial_wpn");
  if (p.initial_wpn == 0) throw InputError("initial_wpn: 0 is not allowed");
  if (std::isnan(p.wpn_lo)) throw InputError("wpn_bounds[0]: nan is not a number");
  if (std::isnan(p.wpn_hi)) throw InputError("wpn_bounds[1]: nan is not a number");
  if (!(p.wpn_lo < p.wpn_hi))
    throw InputError("wpn_bounds: [" + format_number(p.wpn_lo) + ", " + format_number(p.wpn_hi) +
                     "] needs lo < hi");
}

}  // namespace wcs

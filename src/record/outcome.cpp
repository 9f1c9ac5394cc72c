#include "record/outcome.hpp"

#include <algorithm>
#include <cmath>

namespace wcs::record {

bool same_value(double value, double exact) {
  if (value == exact) return true;  // also +inf == +inf; a NaN is never equal
  if (!std::isfinite(value) || !std::isfinite(exact)) return false;
  // |value - exact| may overflow for finite values of opposite signs near the largest
  // double; then they are far apart anyway.
  const double diff = std::fabs(value - exact);
  return std::isfinite(diff) && diff <= kAgreementTolerance * std::max(1.0, std::fabs(exact));
}

bool agrees(const RunRecord& run, const RunRecord& exact) {
  if (!run.has_result() || !exact.has_result()) return false;
  if (!run.weights.empty() && run.weights.size() == exact.weights.size() &&
      std::equal(run.weights.begin(), run.weights.end(), exact.weights.begin()))
    return true;
  return same_value(run.result, exact.result);
}

double error_gap(double error, double exact_error) {
  if (error == exact_error) return 0.0;
  return error - exact_error;  // NaN in, NaN out; inf - finite = inf
}

}  // namespace wcs::record

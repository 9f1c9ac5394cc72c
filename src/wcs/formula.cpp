#include "wcs/formula.hpp"

#include <algorithm>
#include <limits>

namespace wcs {

double cycle_terms(std::span<const double> a, std::span<const double> w, double wpn, std::span<double> d) {
  double base = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double current = a[i] * w[i];
    base += current;
    d[i] = a[i] * (w[i] != 0.0 ? w[i] : 1.0) * wpn - current;
  }
  return base;
}

CycleTerms cycle_terms(std::span<const double> a, std::span<const double> w, double wpn) {
  CycleTerms t;
  t.d.resize(a.size());
  t.base = cycle_terms(a, w, wpn, t.d);
  return t;
}

double max_line_value(double base, std::span<const double> d) {
  double positive = 0.0;
  bool any_positive = false;
  double largest = -std::numeric_limits<double>::infinity();
  for (double x : d) {
    if (x > 0) { positive += x; any_positive = true; }
    largest = std::max(largest, x);
  }
  return base + (any_positive ? positive : largest);
}

}  // namespace wcs

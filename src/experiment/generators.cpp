#include "experiment/generators.hpp"

#include <cmath>
#include <random>

namespace wcs::experiment {
namespace {

// Uniform double in [0, 1) from the top 53 bits.
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform integer in [lo, hi] by rejection (no modulo bias).
long long uniform_integer(std::mt19937_64& rng, long long lo, long long hi) {
  const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  if (span == 0) return static_cast<long long>(rng());  // the whole 64-bit range
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  std::uint64_t x;
  do x = rng(); while (x >= limit);
  return lo + static_cast<long long>(x % span);
}

}  // namespace

Generated generate(const CoefficientRule& c, const TargetRule& t, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Generated g;
  g.coefficients.resize(n);
  bool all_zero = true;
  for (int attempt = 0; all_zero && attempt < 1000; ++attempt) {
    for (auto& a : g.coefficients) {
      double v = c.kind == "uniform_int"
                     ? static_cast<double>(uniform_integer(rng, static_cast<long long>(c.low), static_cast<long long>(c.high)))
                     : c.low + (c.high - c.low) * unit(rng);
      if (c.mixed_sign && (rng() >> 63)) v = -v;
      a = v;
    }
    all_zero = true;
    for (double a : g.coefficients) all_zero = all_zero && std::abs(a) <= 1e-8;
  }
  double sum = 0.0;
  for (double a : g.coefficients) sum += a;
  if (t.kind == "fraction_of_sum") {
    g.target = t.fraction * sum;
  } else if (t.kind == "subset_sum") {
    // A non-empty random subset, so the target is reachable in the first cycle.
    double s = 0.0;
    bool any = false;
    for (double a : g.coefficients)
      if (rng() >> 63) { s += a; any = true; }
    if (!any) s = g.coefficients[static_cast<std::size_t>(uniform_integer(rng, 0, static_cast<long long>(n) - 1))];
    g.target = s;
  } else {
    g.target = t.low + (t.high - t.low) * unit(rng);
  }
  return g;
}

}  // namespace wcs::experiment

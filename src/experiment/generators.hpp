// Seeded problem generators of experiment files: coefficients and target rules.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wcs::experiment {

/// Coefficient generator settings (validated by the plan).
struct CoefficientRule {
  std::string kind = "uniform_int";  ///< "uniform_int" or "uniform_real"
  double low = 1.0, high = 100.0;    ///< inclusive for integers, [low, high) for reals
  bool mixed_sign = false;           ///< each coefficient negated with probability 1/2
};

/// Target rule settings.
struct TargetRule {
  std::string kind = "fraction_of_sum";  ///< "fraction_of_sum", "subset_sum" or "random"
  double fraction = 0.5;                  ///< fraction_of_sum
  double low = 0.0, high = 1.0;           ///< random: uniform in [low, high)
};

/// Generated coefficients and target. The generator uses its own integer arithmetic on
/// std::mt19937_64 (not the standard distributions, whose output differs between
/// standard libraries), so the same seed gives the same problem everywhere.
struct Generated {
  std::vector<double> coefficients;
  double target = 0.0;
};

/// `n` coefficients then the target, both from one stream seeded with `seed`. A
/// generated set that is all ~0 is redrawn (the core rejects it).
Generated generate(const CoefficientRule& coefficients, const TargetRule& target, std::size_t n, std::uint64_t seed);

}  // namespace wcs::experiment

// The plugin conformance kit: runs any strategy against `reference` on a few hundred
// seeded random problems and checks the promise of its family (strategies.md).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wcs/registry.hpp"

namespace wcs::test {

/// Every strategy module built in this tree (WCS_TEST_PLUGIN_DIR), loaded once. A
/// module that fails to load fails the calling test.
Registry& plugins();

/// A seeded problem of the kit. `integer`: integer coefficients and target, WPN a
/// power of two, so `reference` and a fast strategy agree to the bit.
struct Case {
  Problem problem;
  std::string label;  ///< how to reproduce it: seed and kind
  bool integer = false;
};

/// `count` problems from `seed`: N from 1 to `max_n`; integer and decimal
/// coefficients; reachable, unreachable and random targets; ties; tight WPN bounds;
/// converging and non-converging runs. The same arguments give the same problems.
std::vector<Case> problems(std::size_t count = 300, std::size_t max_n = 16, std::uint64_t seed = 20261128);

/// Four kit problems with N = 18 to 20 and at most 2 cycles: the sizes where
/// enumeration tricks differ most from `reference`, kept fast enough to test.
std::vector<Case> big_cases(std::uint64_t seed);

/// `count` seeded problems of N from `lo` to `hi` coefficients (decimal, mixed
/// signs; reachable, random and unreachable targets; max_iter from 1 to
/// `max_iter`), for strategies that scale past what `reference` runs.
std::vector<Problem> large_problems(std::size_t count, std::size_t lo, std::size_t hi, std::uint64_t seed,
                                    long long max_iter = 20);

/// The promise every strategy keeps, whatever its family: converged only with
/// error <= tolerance, one weight per coefficient, result == sum a[i] W[i] (up to
/// rounding), error == |result - target|, and with `cycles_bounded` (cycle
/// strategies; not peers counting steps or hierarchical counting its groups' cycles
/// too) 1 <= cycles <= max_iter.
void check_honest(const Problem& problem, const SolveResult& result, bool cycles_bounded = true);

/// Whether two values agree: exactly for integer cases, else within relative 1e-9.
bool agree(double x, double y, bool exact);

/// Solves every case with `strategy` (options as text) and with `reference`, and
/// checks the family promise with Catch2 assertions:
/// - identical: to the bit, the same winner, r and p every cycle, the same cycles,
///   convergence, weights, result and error (the failure names the difference and
///   the `wcs solve` command that reproduces it);
/// - converging / peer: converged only with error <= tolerance, and the reported
///   result is sum a[i] W[i].
/// Returns how many cases converged (for the caller's own checks).
std::size_t check_family(const std::string& strategy, const std::map<std::string, std::string>& options = {},
                         const std::vector<Case>& cases = problems());

}  // namespace wcs::test

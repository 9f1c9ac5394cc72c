// The plugin conformance kit: runs any strategy against `reference` on a few hundred
// seeded random problems and checks the promise of its family (docs/strategies.md).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include "wcs/registry.hpp"

namespace wcs::test {

/// A fresh, empty folder under the system's temporary folder (mkdtemp), removed
/// with everything in it when the object goes. Tests write only there.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

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

/// What check_family saw.
struct FamilyCounts {
  std::size_t solved = 0;     ///< cases the strategy solved (N within its max_n, not refused)
  std::size_t converged = 0;  ///< of those, how many converged
  std::size_t refused = 0;    ///< cases refused with an InputError (only for a strategy with a domain)
  /// Per refused case: its index in `cases` and the refusal's message.
  std::vector<std::pair<std::size_t, std::string>> refusals;
};

/// Solves every case with `strategy` (options as text) and with `reference`, and
/// checks the family promise with Catch2 assertions:
/// - identical: to the bit, the same winner, r and p every cycle, the same cycles,
///   convergence, weights, result and error (the failure names the difference and
///   the `wcs solve` command that reproduces it);
/// - converging / peer: converged only with error <= tolerance, and the reported
///   result is sum a[i] W[i].
/// A strategy that declares a domain (StrategyInfo::domain) may refuse a case with an
/// InputError whose message starts with its name; such refusals are counted, not
/// failures, and the caller checks they are justified (e.g. with
/// first_cycle_outside_dyadic). Any other exception fails the test.
/// Returns how many cases converged (for the caller's own checks).
std::size_t check_family(const std::string& strategy, const std::map<std::string, std::string>& options = {},
                         const std::vector<Case>& cases = problems());
/// The same, with every count.
FamilyCounts check_family_counts(const std::string& strategy, const std::map<std::string, std::string>& options,
                                 const std::vector<Case>& cases);

/// Limits of the exact-arithmetic domain of `dp` (its options max_span and
/// max_table_mb).
struct DyadicLimits {
  std::uint64_t max_span = std::uint64_t{1} << 28;
  std::uint64_t max_table_bytes = std::uint64_t{1024} << 20;
};

/// Why cycle `cycle` of a run lies outside the dyadic domain, or "" when inside: the
/// cycle with weights `w` and WPN `wpn` is inside when every term of both forms of
/// docs/algorithm.md (a[i] W[i], a[i] (W[i] or 1) p, d_i and base) is a finite
/// multiple of one power of two 2^g and the sum of their magnitudes (and |target|) is
/// below 2^(52+g), the d_i span at most `max_span` units of their own largest common
/// power of two, and the N suffix sets of sums (one bit per unit of each suffix's
/// range, in 64-bit words) fit `max_table_bytes`. Written here from that definition,
/// independently of the strategy.
std::string outside_dyadic(const Problem& problem, std::span<const double> w, double wpn, const DyadicLimits& limits);

/// The first cycle of reference's traced run of `problem` outside the dyadic domain
/// (with the reason), or {0, ""} when every cycle is inside.
std::pair<long long, std::string> first_cycle_outside_dyadic(const Problem& problem, const SolveResult& traced_reference,
                                                             const DyadicLimits& limits = {});

/// For a strategy with a declared domain: whether refusing (`refusal`: its message)
/// or solving (nullptr) `problem` is what its domain calls for, given reference's
/// traced run of it. For `dp` both ways: it refuses exactly at the first cycle outside
/// the dyadic domain (with its own max_span and max_table_mb) and solves every
/// problem with no such cycle. For a domain this kit has no checker for, any outcome.
/// Returns "" when the outcome is right, else what is wrong.
std::string domain_mismatch(const Solver& solver, const Problem& problem, const SolveResult& traced_reference,
                            const std::string* refusal);

}  // namespace wcs::test

// Statistics of the report: medians with seeded bootstrap intervals, ratios of
// medians, Wilson intervals, the Mann-Whitney U test, fixed-target measures (ECDF of
// runtime-to-target, ERT, Dolan-More performance profiles) and the number formats of
// the tables. Everything is deterministic: the same input and seed give the same bits.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wcs::report {

/// A point estimate with its 95% interval (NaN where there is none).
struct Estimate {
  double value = NAN, lo = NAN, hi = NAN;
};

/// Bootstrap resamples per interval.
inline constexpr int kResamples = 2000;

/// Samples of one cell: one group per problem instance (seed), each holding that
/// run's repetitions.
using Groups = std::vector<std::vector<double>>;

/// Median (NaN when empty).
double median(std::vector<double> values);

/// Quantile q in [0, 1] of sorted values, linear between order statistics (R's type 7).
double quantile_sorted(const std::vector<double>& sorted, double q);

/// A bootstrap seed from a text key (64-bit FNV-1a): the same cell, the same resamples.
std::uint64_t seed_of(const std::string& key);

/// Median of all samples with a 95% percentile bootstrap interval. Each resample
/// draws groups with replacement, then repetitions with replacement within each
/// drawn group, so the interval covers both the spread over seeds and the noise of
/// repeated timings.
Estimate median_ci(const Groups& all, std::uint64_t seed, int resamples = kResamples);

/// median(numerator) / median(denominator) with a 95% percentile bootstrap interval.
/// The groups are paired (group i of both is the same problem instance): a resample
/// draws the same group indices for both, then repetitions within each independently.
/// Both need the same number of groups (std::invalid_argument otherwise).
Estimate ratio_ci(const Groups& numerator, const Groups& denominator, std::uint64_t seed, int resamples = kResamples);

/// Proportion successes / trials with its 95% Wilson score interval.
Estimate wilson(std::size_t successes, std::size_t trials);

/// Two-sided Mann-Whitney U test of x against y, as scipy.stats.mannwhitneyu does it
/// by default: the exact distribution when there are no ties and one sample has at
/// most 8 values, else the normal approximation with tie and continuity corrections.
struct UTest {
  double u = NAN;   ///< U of x (rank sum of x - n_x (n_x + 1) / 2)
  double p = NAN;   ///< two-sided p-value (NaN when a sample is empty)
  bool exact = false;
};
UTest mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y);

/// COCO-style ECDF of runtime-to-target: `runtimes` has one value per run, infinite
/// for a run that never reached the target. Returns the steps (budget, fraction of
/// all runs that reached the target within that budget), budgets increasing.
std::vector<std::pair<double, double>> ecdf(std::vector<double> runtimes);

/// Fraction of `runtimes` (infinite: not reached) at most `budget`.
double ecdf_at(const std::vector<double>& runtimes, double budget);

/// Expected running time: the budget used by all runs (successful runs up to the
/// target, the others in full) divided by the number of successes; infinite when no
/// run succeeded, NaN when there are no runs.
double ert(const std::vector<double>& used, const std::vector<bool>& reached);

/// Dolan-More performance profile. `cost[p][s]` is solver s's cost on problem p
/// (infinite when it failed or did not run). Returns, per solver, the sorted
/// performance ratios cost / best cost on each problem (infinite where the solver
/// failed or no solver succeeded).
std::vector<std::vector<double>> performance_ratios(const std::vector<std::vector<double>>& cost);

/// rho_s(tau): fraction of problems whose ratio is at most tau.
double profile_at(const std::vector<double>& sorted_ratios, double tau);

/// Time units of the tables.
enum class TimeUnit { ns, us, ms, s };
const char* unit_name(TimeUnit unit);
double unit_seconds(TimeUnit unit);

/// One unit for a column of times in seconds: the largest unit in which the median of
/// the finite positive values is at least 1 (ns when there are none).
TimeUnit unit_for(const std::vector<double>& seconds);

/// Three significant digits, trailing zeros kept ("1.50", "0.0123", "12300"); an
/// exponent outside 1e-4 <= |x| < 1e7; "-" for NaN, "inf" / "-inf".
std::string sig3(double x);

/// sig3 of `seconds` in `unit`.
std::string time_in(double seconds, TimeUnit unit);

}  // namespace wcs::report

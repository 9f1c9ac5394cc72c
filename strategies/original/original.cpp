// `original`: the original implementation's default, to the letter (the Python
// WeightCombinationSearch of JosueAmaral15/binary-search with its default settings:
// early_stopping, adaptive_sampling with sampling_threshold 12 and sample_size 10000,
// importance sampling). It is not `reference` (which has none of the defaults'
// shortcuts): it is what a user of the original gets, so that other strategies, and
// `auto`, can be measured against where it converges.
//
// Per cycle:
// - N <= 12: every line in line order; N > 12: a sample of min(10000, 2^N - 1)
//   combinations, the same in every cycle: first the N single coefficients, then
//   combinations that select coefficient i with probability
//   min(2 |a_i| / sum |a|, 0.8) (from the coefficients, not the weights), each row
//   drawn from NumPy's legacy generator seeded 42 (MT19937, `random_sample`: two
//   32-bit words a >> 5, b >> 6 per double), an empty row taking the coefficient of
//   the largest |a| (the first of equal ones). The sum is NumPy's pairwise sum, so
//   the probabilities are NumPy's to the bit.
// - Each line's r in the bit-exact form (wcs::line_value), in that order; the first
//   line with |r - target| <= tolerance stops the cycle and wins (intra-cycle early
//   stop); otherwise the winner is the smallest error, then the larger r, then the
//   first line.
// - The WPN rule on the lines evaluated: 2p when every one of them is below the
//   target, else p / 2, clamped. With a sample this is not reference's rule (which
//   looks at every line), and it is why the original converges on some problems that
//   exact strategies do not (p keeps doubling while every sampled line is below).
//
// tools/original-default.py runs the original's own code on a result folder's
// problems and mirrors it where that is too slow; this strategy matches both.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

constexpr std::size_t kThreshold = 12;       // sampling_threshold
constexpr std::size_t kSampleSize = 10000;   // sample_size
constexpr std::uint32_t kSeed = 42;          // np.random.seed(42) before every sample

/// NumPy's sum of a float64 array (pairwise summation, numpy/core/src/umath/loops_utils.h).
double numpy_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double r = 0.0;
    for (std::size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_sum(a, n2) + numpy_sum(a + n2, n - n2);
}

/// NumPy's legacy `random_sample` from an MT19937 seeded with an integer.
class NumpyRandom {
 public:
  explicit NumpyRandom(std::uint32_t seed) : mt_(seed) {}
  double operator()() {
    const std::uint32_t a = static_cast<std::uint32_t>(mt_()) >> 5, b = static_cast<std::uint32_t>(mt_()) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

 private:
  std::mt19937 mt_;
};

class OriginalSearch final : public wcs::CycleSearch {
 public:
  void prepare(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    const std::size_t n = problem.n();
    sampled_ = n > kThreshold;
    stopped_ = 0;
    rows_.clear();
    if (sampled_) draw_sample(problem.coefficients);
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const std::uint64_t lines = sampled_ ? rows_.size() / n : (std::uint64_t{1} << n) - 1;
    wcs::CycleOutcome out;
    double best_error = 0.0;
    std::uint64_t best = 0;
    bool all_below = true;
    std::uint64_t evaluations = 0;
    for (std::uint64_t k = 0; k < lines; ++k) {
      const double r = sampled_ ? wcs::line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return rows_[k * n + i] != 0; })
                                : wcs::line_value(in.a, in.w, in.wpn, wcs::line_selection(k + 1, n));
      ++evaluations;
      const double error = std::fabs(r - in.target);
      all_below = all_below && r - in.target < 0;
      if (k == 0 || error < best_error || (error == best_error && r > out.result)) {
        best = k;
        best_error = error;
        out.result = r;
      }
      if (error <= in.tolerance) {  // intra-cycle early stop: this line wins
        best = k;
        out.result = r;
        ++stopped_;
        break;
      }
    }
    out.winner = wcs::Combination(n);
    for (std::size_t i = 0; i < n; ++i)
      if (sampled_ ? rows_[best * n + i] != 0 : wcs::line_selects(best + 1, n, i)) out.winner.set(i);
    out.all_below_target = all_below;
    out.evaluations = evaluations;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    result.notes["original"] = sampled_ ? "importance sample of " + std::to_string(rows_.size() / result.weights.size()) +
                                              " (seed 42, every cycle)"
                                        : "every line (N <= 12)";
    result.notes["stopped_early"] = stopped_ ? "yes" : "no";
  }

 private:
  // The original's _importance_sampling (without index filtering).
  void draw_sample(const std::vector<double>& a) {
    const std::size_t n = a.size();
    const std::size_t size = n >= 64 ? kSampleSize : std::min<std::uint64_t>(kSampleSize, (std::uint64_t{1} << n) - 1);
    std::vector<double> importance(n);
    for (std::size_t i = 0; i < n; ++i) importance[i] = std::fabs(a[i]);
    const double total = numpy_sum(importance.data(), n);
    if (total > 0) {
      for (double& x : importance) x = x / total;
    } else {
      for (double& x : importance) x = 1.0 / static_cast<double>(n);
    }
    std::vector<double> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = std::clamp(importance[i] * 2, 0.0, 0.8);
    const std::size_t top = static_cast<std::size_t>(std::max_element(importance.begin(), importance.end()) - importance.begin());
    const std::size_t rows = std::max(size, n);
    rows_.assign(rows * n, 0);
    for (std::size_t i = 0; i < n; ++i) rows_[i * n + i] = 1;  // every single coefficient first
    NumpyRandom random(kSeed);
    for (std::size_t k = n; k < size; ++k) {
      bool any = false;
      for (std::size_t i = 0; i < n; ++i) {
        const bool in = random() < p[i];
        rows_[k * n + i] = in;
        any = any || in;
      }
      if (!any) rows_[k * n + top] = 1;
    }
  }

  bool sampled_ = false;
  std::vector<unsigned char> rows_;  // the sample, row after row
  std::uint64_t stopped_ = 0;
};

void register_original(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "original";
  info.family = wcs::Family::converging;
  info.description =
      "the original implementation's default: early stop; above N = 12 a fixed importance sample of 10000 (NumPy's "
      "generator seeded 42) and the WPN rule on the sampled lines";
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<OriginalSearch>());
  });
}

}  // namespace

WCS_PLUGIN(register_original)

// `greedy`: greedy initialisation and local refinement inside each cycle (seed
// idea 3). A cycle is the closest-subset-sum problem r(s) = base + sum_{i in s} d_i
// of docs/algorithm.md; instead of enumerating 2^N lines it builds one combination:
//   1. greedy construction: coefficients by decreasing |d_i|, each selected when it
//      brings r strictly closer to the target (the classic greedy for subset sum);
//   2. single-flip descent: the best single flip (select or drop one coefficient)
//      while it improves the winner order (error, then larger r);
//   3. with `pair_flips`, when no single flip helps, the best pair move (two flips
//      at once), found in O(N log N) by sorting the flip deltas and closing in with
//      two pointers (closest pair sum to the gap), then back to single flips.
// Refinement stops as soon as the running r is within the tolerance: that line ends
// the solve, and improving it further would only cost time (with pair flips, up to
// twice the time of the cycle). The running r is a sum in this order, so the exact r
// may still miss the tolerance by a rounding; then the solve goes on to the next cycle.
// The shared outer loop does the weight and WPN updates; the winner's r is
// recomputed bit-exactly and the WPN rule is reference's, decided exactly by the
// exact step's all-below rule (src/search/exact_step.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "search/exact_step.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

class GreedySearch final : public wcs::CycleSearch {
 public:
  explicit GreedySearch(bool pair_flips) : pair_flips_(pair_flips) {}

  void prepare(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    d_.assign(problem.n(), 0.0);
    selected_.assign(problem.n(), 0);
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    target_ = in.target;
    tolerance_ = in.tolerance;
    evaluations_ = 0;
    std::fill(selected_.begin(), selected_.end(), 0);

    // 1. Greedy construction. Coefficients whose d is exactly 0 never change r (and
    // only make the line larger), so they are left out.
    order_.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (d_[i] != 0.0) order_.push_back(i);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t x, std::size_t y) { return std::fabs(d_[x]) > std::fabs(d_[y]); });
    double r = base;
    std::size_t count = 0;
    for (const std::size_t i : order_) {
      const double next = r + d_[i];
      ++evaluations_;
      if (std::fabs(next - target_) < std::fabs(r - target_)) {
        selected_[i] = 1;
        r = next;
        ++count;
      }
    }
    if (count == 0) {
      // Nothing helped: the best single coefficient (the empty set is no line).
      // Equal values: the larger index is the smaller line.
      std::size_t best = n - 1;
      for (std::size_t i = n; i-- > 0;) {
        ++evaluations_;
        const double x = base + d_[i], y = base + d_[best];
        if (ranks_before(x, y)) best = i;
      }
      selected_[best] = 1;
      r = base + d_[best];
      count = 1;
    }

    // 2./3. Local refinement, until no move improves or r is within the tolerance.
    while (!within(r)) {
      descend_single(r, count);
      if (within(r) || !pair_flips_ || !pair_move(r, count)) break;
    }

    wcs::CycleOutcome out;
    out.winner = wcs::Combination(n);
    for (std::size_t i = 0; i < n; ++i)
      if (selected_[i]) out.winner.set(i);
    out.result = wcs::line_value(in.a, in.w, in.wpn, std::as_const(out.winner));
    out.all_below_target = wcs::search::all_below_target(in);
    out.evaluations = evaluations_;
    return out;
  }

 private:
  double delta(std::size_t i) const { return selected_[i] ? -d_[i] : d_[i]; }

  /// Whether the running r is within the tolerance (the cycle's line would end the solve).
  bool within(double r) const { return std::fabs(r - target_) <= tolerance_; }

  /// The winner order on two values of this cycle.
  bool ranks_before(double r, double than) const {
    return wcs::ranks_before(std::fabs(r - target_), r, std::fabs(than - target_), than);
  }

  /// Best-improvement single flips until none improves. Each applied flip strictly
  /// improves (error, r), so this ends; a bound on the rounds guards against
  /// rounding drift in the running sum.
  void descend_single(double& r, std::size_t& count) {
    for (std::size_t round = 0; round < 4 * d_.size() + 16; ++round) {
      std::size_t best = d_.size();
      double best_r = r;
      for (const std::size_t i : order_) {
        if (selected_[i] && count == 1) continue;  // would leave no line
        const double next = r + delta(i);
        ++evaluations_;
        if (ranks_before(next, best_r)) {
          best = i;
          best_r = next;
        }
      }
      if (best == d_.size()) return;
      count += selected_[best] ? std::size_t(-1) : 1;
      selected_[best] ^= 1;
      r = best_r;
      if (within(r)) return;
    }
  }

  /// The best move of two flips (closest pair sum of deltas to target - r, sorted
  /// deltas and two pointers); applies it and returns true when it improves.
  bool pair_move(double& r, std::size_t& count) {
    const std::size_t m = order_.size();
    if (m < 2) return false;
    by_delta_ = order_;
    std::sort(by_delta_.begin(), by_delta_.end(), [&](std::size_t x, std::size_t y) {
      const double dx = delta(x), dy = delta(y);
      return dx < dy || (dx == dy && x < y);
    });
    std::size_t lo = 0, hi = m - 1, best_i = 0, best_j = 0;
    double best_r = r;
    bool found = false;
    while (lo < hi) {
      const std::size_t i = by_delta_[lo], j = by_delta_[hi];
      const double next = r + (delta(i) + delta(j));
      ++evaluations_;
      const bool empties = selected_[i] && selected_[j] && count == 2;
      if (!empties && ranks_before(next, best_r)) {
        best_i = i;
        best_j = j;
        best_r = next;
        found = true;
      }
      if (next < target_) ++lo;
      else --hi;
    }
    if (!found) return false;
    for (const std::size_t i : {best_i, best_j}) {
      count += selected_[i] ? std::size_t(-1) : 1;
      selected_[i] ^= 1;
    }
    r = best_r;
    return true;
  }

  bool pair_flips_;
  double target_ = 0.0, tolerance_ = 0.0;
  std::uint64_t evaluations_ = 0;
  std::vector<double> d_;
  std::vector<unsigned char> selected_;
  std::vector<std::size_t> order_, by_delta_;
};

void register_greedy(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "greedy";
  info.family = wcs::Family::converging;
  info.description = "per cycle: greedy construction by |d|, then single-flip (optionally pair-flip) local refinement";
  info.options = {
      wcs::OptionSpec::boolean("pair_flips", false, "also try moves of two flips when no single flip improves")};
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<GreedySearch>(options.boolean("pair_flips")));
  });
}

}  // namespace

WCS_PLUGIN(register_greedy)

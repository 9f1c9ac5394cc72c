// `hierarchical`: divide and conquer (seed idea 2).
//   1. Split the coefficients into consecutive groups of `group_size` (the last one
//      may be smaller; a group_size above N is one group of N).
//   2. Solve each group as a WCS problem of its own, through the shared outer loop
//      with an exhaustive cycle search that follows `reference` to the letter (line
//      order, bit-exact values, tie rules), for its share of the target (`share`:
//      equal, or proportional to the group's sum of |a|) and tolerance / groups, so
//      that groups within their tolerance add up to a whole within the tolerance.
//   3. Put the group weights side by side. If the whole is within the tolerance it
//      has converged; else refine: further WCS cycles (weight update, WPN rule of the
//      reference) from the combined weights, each cycle searching a bounded part of
//      the lines exhaustively: every subset of the `refine_width` coefficients whose
//      |d_i| is closest (by ratio) to the current gap |target - base|, every single
//      coefficient, and the no-op line (a coefficient whose d is exactly 0).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

constexpr long long kMaxGroup = 20;   // 2^20 lines per group cycle
constexpr long long kMaxWidth = 20;   // 2^20 lines per refinement cycle

/// The reference's cycle on a small problem: every line in line order, the
/// bit-exact value, only a strictly better line replaces the winner.
class GroupSearch final : public wcs::CycleSearch {
 public:
  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
    std::uint64_t best = 1;
    double best_r = 0, best_error = 0;
    for (std::uint64_t line = 1; line <= lines; ++line) {
      const double r = wcs::line_value(in.a, in.w, in.wpn, wcs::line_selection(line, n));
      const double error = std::fabs(r - in.target);
      if (line == 1 || wcs::ranks_before(error, r, best_error, best_r)) {
        best = line;
        best_r = r;
        best_error = error;
      }
    }
    d_.resize(n);
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(best, n);
    out.result = best_r;
    out.all_below_target = wcs::max_line_value(base, d_) < in.target;
    out.evaluations = lines;
    return out;
  }

 private:
  std::vector<double> d_;
};

struct Settings {
  std::size_t group_size = 5;
  bool proportional = false;
  std::size_t refine_width = 12;
};

class Hierarchical final : public wcs::Strategy {
 public:
  explicit Hierarchical(Settings s) : s_(s) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    const std::size_t n = problem.n();
    // A group cannot hold more than the N coefficients there are: one group of N.
    const std::size_t size = std::min(s_.group_size, n);
    const std::span<const double> a = problem.coefficients;
    const std::size_t groups = (n + size - 1) / size;
    double total = 0;
    for (double x : a) total += std::fabs(x);

    wcs::SolveResult out;
    out.weights.assign(n, 0.0);
    long long group_cycles = 0;
    std::size_t groups_converged = 0;
    GroupSearch group_search;
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t first = g * size, last = std::min(n, first + size);
      wcs::Problem sub = problem;
      sub.coefficients.assign(a.begin() + static_cast<std::ptrdiff_t>(first), a.begin() + static_cast<std::ptrdiff_t>(last));
      double magnitude = 0;
      for (double x : sub.coefficients) magnitude += std::fabs(x);
      sub.target = s_.proportional ? problem.target * (magnitude / total) : problem.target / static_cast<double>(groups);
      sub.tolerance = problem.tolerance / static_cast<double>(groups);
      ClosestState closest(sub.target);
      wcs::SolveOptions traced;
      traced.trace = true;
      traced.stop = options.stop;
      traced.trace_sink = [&closest](const wcs::TraceEntry& e) {
        closest.add(e);
        return true;
      };
      const wcs::SolveResult part = wcs::run_cycles(sub, group_search, traced);
      const std::vector<double>& part_weights = closest.state(part);
      std::copy(part_weights.begin(), part_weights.end(), out.weights.begin() + static_cast<std::ptrdiff_t>(first));
      out.evaluations += part.evaluations;
      group_cycles += part.cycles;
      groups_converged += part.converged;
    }
    out.result = wcs::line_value(a, out.weights, 1.0, [](std::size_t) { return false; });
    out.error = std::fabs(out.result - problem.target);
    out.converged = out.error <= problem.tolerance;
    out.cycles = group_cycles;
    out.notes["groups"] = fmt::format("{} of {}{} (share {}), {} converged, {} cycles", groups, size,
                                      size < s_.group_size ? fmt::format(" (group_size={} clamped to N)", s_.group_size) : "",
                                      s_.proportional ? "proportional" : "equal", groups_converged, group_cycles);

    long long refine_cycles = 0;
    if (!out.converged) refine_cycles = refine(problem, options, out);
    out.notes["refine_cycles"] = std::to_string(refine_cycles);
    return out;
  }

 private:
  /// A group's weights after its cycle closest to the group's share. A group's WCS
  /// run ends in its last state, which for an unreachable share can be far off (p
  /// doubles every cycle): the state after cycle k is the weights before cycle k + 1,
  /// or the final weights after the last cycle. Fed the trace as it is made, so it
  /// holds two states whatever max_iter is. The choice: the last cycle, unless an
  /// earlier one is strictly closer; then the first of the closest.
  class ClosestState {
   public:
    explicit ClosestState(double share) : share_(share) {}
    void add(const wcs::TraceEntry& e) {
      if (pending_) {  // the entry after the best one holds the state after it
        best_state_ = e.weights_before;
        pending_ = false;
      }
      last_gap_ = std::fabs(e.result - share_);
      if (!std::isnan(last_gap_) && (!have_ || last_gap_ < best_gap_)) {
        best_gap_ = last_gap_;
        have_ = true;
        pending_ = true;
      }
    }
    const std::vector<double>& state(const wcs::SolveResult& part) const {
      return have_ && !pending_ && best_gap_ < last_gap_ ? best_state_ : part.weights;
    }

   private:
    double share_, best_gap_ = 0, last_gap_ = 0;
    bool have_ = false, pending_ = false;
    std::vector<double> best_state_;
  };

  /// WCS cycles from the combined weights until the tolerance or max_iter.
  long long refine(const wcs::Problem& problem, const wcs::SolveOptions& options, wcs::SolveResult& out) {
    const std::size_t n = problem.n();
    const std::span<const double> a = problem.coefficients;
    d_.resize(n);
    double wpn = problem.initial_wpn;
    long long cycle = 0;
    // The refinement may wander off (p doubles while every line is below the
    // target); the answer is the closest state seen, the combined groups included.
    std::vector<double> best_weights = out.weights;
    double best_result = out.result, best_error = out.error;
    while (cycle < problem.max_iter) {
      wcs::poll_stop(options);  // Ctrl-C in Python
      ++cycle;
      const double base = wcs::cycle_terms(a, out.weights, wpn, d_);
      const wcs::Combination winner = refine_cycle(base, problem.target, out.evaluations);
      const double r = wcs::line_value(a, out.weights, wpn, winner);
      out.cycles += 1;
      out.result = r;
      out.error = std::fabs(r - problem.target);
      out.converged = out.error <= problem.tolerance;
      if (options.trace) {
        wcs::TraceEntry e;
        e.cycle = out.cycles;
        if (n <= wcs::kMaxLineBits) e.line = winner.line();
        e.combination = winner;
        e.result = r;
        e.wpn = wpn;
        e.weights_before = out.weights;
        e.evaluations = out.evaluations;
        wcs::add_trace(out, options, std::move(e));
      }
      wcs::apply_weight_update(out.weights, winner, wpn);
      if (out.converged) return cycle;
      if (out.error < best_error) {
        best_weights = out.weights;
        best_result = out.result;
        best_error = out.error;
      }
      wpn = wcs::next_wpn(wpn, wcs::max_line_value(base, d_) < problem.target, problem.wpn_lo, problem.wpn_hi);
    }
    out.weights = std::move(best_weights);
    out.result = best_result;
    out.error = best_error;
    return cycle;
  }

  /// One refinement cycle's winner (see the file comment) in the base + d form.
  wcs::Combination refine_cycle(double base, double target, std::uint64_t& evaluations) {
    const std::size_t n = d_.size();
    const double gap = std::fabs(target - base);
    useful_.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (d_[i] != 0.0) useful_.push_back(i);
    auto distance = [&](std::size_t i) {
      const double m = std::fabs(d_[i]);
      return gap > 0 ? std::fabs(std::log(m / gap)) : m;
    };
    const std::size_t k = std::min(useful_.size(), s_.refine_width);
    std::partial_sort(useful_.begin(), useful_.begin() + static_cast<std::ptrdiff_t>(k), useful_.end(),
                      [&](std::size_t x, std::size_t y) {
                        const double dx = distance(x), dy = distance(y);
                        return dx < dy || (dx == dy && x < y);
                      });
    useful_.resize(k);
    std::sort(useful_.begin(), useful_.end());  // mask bit t = t-th smallest index

    bool have = false;
    double best_error = 0, best_r = 0;
    wcs::Combination best(n);
    auto offer = [&](double r, auto&& make) {
      const double error = std::fabs(r - target);
      if (have && !wcs::ranks_before(error, r, best_error, best_r)) {
        // Not better on (error, r): only a tie with a smaller line replaces the best.
        if (wcs::ranks_before(best_error, best_r, error, r)) return;
        wcs::Combination c = make();
        if (!c.line_less(best)) return;
        best = std::move(c);
      } else {
        best = make();
      }
      have = true;
      best_error = error;
      best_r = r;
    };

    // Every non-empty subset of the useful coefficients.
    if (k > 0) {
      sums_.resize(std::size_t{1} << k);
      sums_[0] = 0.0;
      std::uint64_t best_mask = 0;
      double mask_error = 0, mask_r = 0;
      for (std::uint64_t m = 1; m < sums_.size(); ++m) {
        sums_[m] = sums_[m & (m - 1)] + d_[useful_[static_cast<std::size_t>(std::countr_zero(m))]];
        const double r = base + sums_[m];
        const double error = std::fabs(r - target);
        // Mask bit t is the t-th smallest useful index, so mask order is line order.
        if (best_mask == 0 ||
            wcs::line_wins(error, r, mask_error, mask_r, [&] { return wcs::mask_line_less(m, best_mask); })) {
          best_mask = m;
          mask_error = error;
          mask_r = r;
        }
      }
      evaluations += sums_.size() - 1;
      offer(mask_r, [&] {
        wcs::Combination c(n);
        for (std::size_t t = 0; t < k; ++t)
          if ((best_mask >> t) & 1u) c.set(useful_[t]);
        return c;
      });
    }
    // Every single coefficient; a zero d is the no-op line (value base), the
    // largest such index being the smallest line.
    for (std::size_t i = 0; i < n; ++i) {
      offer(base + d_[i], [&] {
        wcs::Combination c(n);
        c.set(i);
        return c;
      });
    }
    evaluations += n;
    return best;
  }

  Settings s_;
  std::vector<double> d_, sums_;
  std::vector<std::size_t> useful_;
};

void register_hierarchical(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "hierarchical";
  info.family = wcs::Family::converging;
  info.description = "groups of `group_size` solved exhaustively for a share of the target, then refined by bounded cycles";
  info.options = {
      wcs::OptionSpec::integer("group_size", 5, 1, kMaxGroup, "coefficients per group (clamped to N)"),
      wcs::OptionSpec::choice("share", "equal", {"equal", "proportional"},
                              "each group's share of the target: equal, or proportional to its sum of |a|"),
      wcs::OptionSpec::integer("refine_width", 12, 1, kMaxWidth,
                               "coefficients searched exhaustively in each refinement cycle"),
  };
  info.memory_bytes = [](std::size_t n, const wcs::Options& o) {  // the refinement's subset sums
    return wcs::pow2_bytes(std::min<std::size_t>(n, static_cast<std::size_t>(o.integer("refine_width"))), 8);
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    Settings s;
    s.group_size = static_cast<std::size_t>(options.integer("group_size"));
    s.proportional = options.text("share") == "proportional";
    s.refine_width = static_cast<std::size_t>(options.integer("refine_width"));
    return std::make_unique<Hierarchical>(s);
  });
}

}  // namespace

WCS_PLUGIN(register_hierarchical)

// A cycle search around an enumeration kernel (fused, gray): the kernel finds the best
// line in the base + d_i form, then an exact step makes the winner, its r and the WPN
// rule those of `reference` to the bit. Shared by the `fused`, `gray` and `parallel` modules
// (header-only, compiled into each).
//
// Why the exact step: the base + d_i sums and reference's bit-exact sums
// (algorithm.md) may differ in the last bits when values are not exactly
// representable, and lines whose exact values tie (distinct subsets with the same
// decimal sum; lines that differ only in coefficients whose d_i is exactly 0) must
// resolve as in reference (larger r, then smaller line). The kernel's winner gives
// an upper bound e on the best error; every line that could beat it exactly has a
// d-form value within e + 2*eps of the target, where eps bounds the rounding of
// either form. Those few lines are found without enumerating the cycle by a
// meet-in-the-middle over the non-zero d_i (Horowitz and Sahni 1974: sorted subset
// sums of one half, a binary search per subset of the other) and re-evaluated with
// wcs::line_value. Lines that differ only in zero-d coefficients have bit-identical
// reference values (the selected and unselected terms are the same double), so only
// the smallest such line is considered.
#pragma once
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels.hpp"
#include "wcs/formula.hpp"
#include "wcs/strategy.hpp"

namespace wcs::fast {

/// The exact winner of a cycle and the exact WPN rule.
struct ExactOutcome {
  std::uint64_t line = 0;       ///< reference's winner
  double result = 0.0;          ///< its bit-exact r (wcs::line_value)
  bool all_below_target = false;
  std::uint64_t rechecked = 0;  ///< lines re-evaluated with line_value
};

/// Turns a kernel's (approximate) winner into reference's exact one. Buffers are
/// sized once in prepare(); resolve() does not allocate.
class ExactWinner {
 public:
  /// Sizes the buffers for problems of n coefficients (n <= 63).
  void prepare(std::size_t n) {
    n_ = n;
    const std::size_t half = std::size_t{1} << ((n + 1) / 2);
    low_.assign(half, {});
    high_.assign(half, {});
    nonzero_.reserve(n);
  }

  /// The part of resolve() that depends only on `d`: the coefficients with d != 0
  /// split in two halves and each half's subset sums listed (the low half sorted).
  /// Callers may run it beside the kernel (parallel does, on a worker); resolve()
  /// runs it itself when it was not called for this cycle.
  void stage(std::span<const double> d) {
    nonzero_.clear();
    zero_mask_ = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      if (d[i] != 0.0) nonzero_.push_back(i);
      else zero_mask_ |= std::uint64_t{1} << i;
    }
    const std::size_t m = nonzero_.size();
    const std::size_t h = m / 2;
    high_count_ = std::uint64_t{1} << h;
    low_count_ = std::uint64_t{1} << (m - h);
    subset_sums(d, 0, h, high_.data());
    subset_sums(d, h, m, low_.data());
    std::sort(low_.begin(), low_.begin() + static_cast<std::ptrdiff_t>(low_count_));
    staged_ = true;
  }

  /// `d` in coefficient order (cycle_terms), `hint` any line of the cycle (the
  /// kernel's winner: the closer it is, the less is re-checked).
  ExactOutcome resolve(const CycleInput& in, double base, std::span<const double> d, std::uint64_t hint) {
    in_ = &in;
    const bool staged = std::exchange(staged_, false);  // this cycle's stage() is used once
    ExactOutcome out;
    const std::size_t n = n_;
    const double target = in.target;

    // eps bounds |computed - exact real value| of a line in either form (and in the
    // meet-in-the-middle sums below): every partial sum is at most `scale`, each form
    // rounds at most ~6N + 8 times. Generous on purpose: a wider window only costs
    // a few more re-checks.
    double scale = std::fabs(base) + std::fabs(target);
    for (std::size_t i = 0; i < n; ++i) {
      const double current = in.a[i] * in.w[i];
      const double moved = in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0) * in.wpn;
      scale += std::fabs(d[i]) + std::fabs(current) + std::fabs(moved);
    }
    const double eps = (16.0 * static_cast<double>(n) + 64.0) * scale * DBL_EPSILON;

    out.line = hint;
    out.result = exact(coefficient_mask(hint));
    double best_error = std::fabs(out.result - target);
    out.rechecked = 1;
    if (!std::isfinite(eps) || !std::isfinite(best_error)) return full_scan();

    if (!staged) {
      stage(d);
      staged_ = false;
    }
    const std::uint64_t zero_mask = zero_mask_;
    const std::uint64_t high_count = high_count_;
    const std::uint64_t low_count = low_count_;
    // Among lines that differ only in zero-d coefficients, the smallest line: the
    // zero-d coefficients cleared, or, for an empty non-zero part, the zero-d
    // coefficient with the smallest line bit (the largest index).
    const std::uint64_t empty_rep = zero_mask ? std::uint64_t{1} << (63 - __builtin_clzll(zero_mask)) : 0;

    auto consider = [&](std::uint64_t cmask) {
      if (cmask == 0) cmask = empty_rep;
      if (cmask == 0) return;
      const double r = exact(cmask);
      ++out.rechecked;
      const double error = std::fabs(r - target);
      const std::uint64_t line = line_of(cmask);
      if (line_wins(error, r, line, best_error, out.result, out.line)) {
        out.line = line;
        out.result = r;
        best_error = error;
      }
    };

    // Candidates: d-form value within best_error + 2 eps of the target.
    const double window = best_error * (1 + 4 * DBL_EPSILON) + 2 * eps;
    for (std::uint64_t hm = 0; hm < high_count; ++hm) {
      const double s = base + high_[hm].first;
      const double lo = target - window - s, hi = target + window - s;
      auto it = std::lower_bound(low_.begin(), low_.begin() + static_cast<std::ptrdiff_t>(low_count),
                                 std::pair<double, std::uint64_t>{lo, 0});
      for (; it != low_.begin() + static_cast<std::ptrdiff_t>(low_count) && it->first <= hi; ++it)
        consider(high_[hm].second | it->second);
    }

    // WPN rule: all lines below the target. max_line_value decides it unless it is
    // within rounding of the target; then the lines near the top are checked exactly.
    const double top = max_line_value(base, d);
    if (top + 2 * eps < target) {
      out.all_below_target = true;
    } else if (top - 2 * eps >= target) {
      out.all_below_target = false;
    } else {
      out.all_below_target = true;
      for (std::uint64_t hm = 0; hm < high_count && out.all_below_target; ++hm) {
        const double lo = target - 3 * eps - (base + high_[hm].first);
        auto it = std::lower_bound(low_.begin(), low_.begin() + static_cast<std::ptrdiff_t>(low_count),
                                   std::pair<double, std::uint64_t>{lo, 0});
        for (; it != low_.begin() + static_cast<std::ptrdiff_t>(low_count); ++it) {
          std::uint64_t cmask = high_[hm].second | it->second;
          if (cmask == 0) cmask = empty_rep;
          if (cmask == 0) continue;
          ++out.rechecked;
          if (!(exact(cmask) < target)) { out.all_below_target = false; break; }
        }
      }
    }
    return out;
  }

 private:
  // Bit i = coefficient i  <->  line bit N-1-i.
  std::uint64_t coefficient_mask(std::uint64_t line) const {
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < n_; ++i)
      if ((line >> (n_ - 1 - i)) & 1u) c |= std::uint64_t{1} << i;
    return c;
  }
  std::uint64_t line_of(std::uint64_t cmask) const {
    std::uint64_t line = 0;
    for (std::size_t i = 0; i < n_; ++i)
      if ((cmask >> i) & 1u) line |= std::uint64_t{1} << (n_ - 1 - i);
    return line;
  }
  double exact(std::uint64_t cmask) const {
    return line_value(in_->a, in_->w, in_->wpn, [&](std::size_t i) { return bool((cmask >> i) & 1u); });
  }

  // Subset sums of the d of nonzero_[from, to), each with its coefficient mask.
  void subset_sums(std::span<const double> d, std::size_t from, std::size_t to,
                   std::pair<double, std::uint64_t>* sums) const {
    sums[0] = {0.0, 0};
    const std::uint64_t count = std::uint64_t{1} << (to - from);
    for (std::uint64_t s = 1; s < count; ++s) {
      const std::size_t i = nonzero_[from + static_cast<std::size_t>(__builtin_ctzll(s))];
      const auto& rest = sums[s & (s - 1)];
      sums[s] = {rest.first + d[i], rest.second | (std::uint64_t{1} << i)};
    }
  }

  // No usable error bound (values overflow): every line, exactly, as reference does.
  ExactOutcome full_scan() const {
    ExactOutcome out;
    double best_error = 0.0;
    out.all_below_target = true;
    const std::uint64_t lines = (std::uint64_t{1} << n_) - 1;
    for (std::uint64_t line = 1; line <= lines; ++line) {
      const double r = line_value(in_->a, in_->w, in_->wpn, [&](std::size_t i) { return bool((line >> (n_ - 1 - i)) & 1u); });
      const double error = std::fabs(r - in_->target);
      if (line == 1 || ranks_before(error, r, best_error, out.result)) {
        out.line = line;
        out.result = r;
        best_error = error;
      }
      out.all_below_target = out.all_below_target && r < in_->target;
    }
    out.rechecked = lines;
    return out;
  }

  std::size_t n_ = 0;
  const CycleInput* in_ = nullptr;
  std::vector<std::pair<double, std::uint64_t>> low_, high_;
  std::vector<std::size_t> nonzero_;
  std::uint64_t zero_mask_ = 0, high_count_ = 0, low_count_ = 0;
  bool staged_ = false;
};

/// A CycleSearch that runs `kernel` over the lines [1, 2^N) of each cycle and then
/// the exact step. Buffers are sized in prepare(); a cycle allocates nothing but the
/// winner's Combination (the core's CycleOutcome owns one).
class KernelSearch final : public CycleSearch {
 public:
  KernelSearch(kernels::RangeKernel kernel, std::string kernel_name)
      : kernel_(kernel), kernel_name_(std::move(kernel_name)) {}

  void prepare(const Problem& problem, const SolveOptions&) override {
    n_ = problem.n();
    d_.assign(n_, 0.0);
    dl_.assign(n_, 0.0);
    exact_.prepare(n_);
    rechecked_ = 0;
    changed_ = 0;
  }

  CycleOutcome search(const CycleInput& in) override {
    const double base = cycle_terms(in.a, in.w, in.wpn, d_);
    for (std::size_t j = 0; j < n_; ++j) dl_[j] = d_[n_ - 1 - j];  // line bit j = coefficient N-1-j
    const std::uint64_t lines = (std::uint64_t{1} << n_) - 1;
    const kernels::RangeBest best = kernel_(kernels::CycleView{base, dl_, in.target}, 1, lines + 1);
    const ExactOutcome exact = exact_.resolve(in, base, d_, best.line);
    rechecked_ += exact.rechecked;
    changed_ += exact.line != best.line;
    CycleOutcome out;
    out.winner = Combination::from_line(exact.line, n_);
    out.result = exact.result;
    out.all_below_target = exact.all_below_target;
    out.evaluated = lines;
    return out;
  }

  void finish(SolveResult& result) override {
    result.notes["kernel"] = kernel_name_;
    result.notes["exact_rechecks"] = std::to_string(rechecked_);
    result.notes["winners_repaired"] = std::to_string(changed_);
  }

 private:
  kernels::RangeKernel kernel_;
  std::string kernel_name_;
  std::size_t n_ = 0;
  std::vector<double> d_, dl_;
  ExactWinner exact_;
  std::uint64_t rechecked_ = 0, changed_ = 0;
};

}  // namespace wcs::fast

// `mitm`: exact meet-in-the-middle search of each cycle (Horowitz and Sahni, 1974,
// "Computing partitions with applications to the knapsack problem", JACM 21(2)).
//
// A cycle is a closest-subset-sum problem over the d_i (algorithm.md, base + d_i
// form). The coefficients are split into a high half (coefficient 0 side, the most
// significant bits of the line) and a low half; each half's 2^(N/2) subset sums are
// generated already sorted (one merge per coefficient, O(2^(N/2)) in all), and the
// closest total to the target is found with two pointers. O(2^(N/2)) time and
// memory per cycle instead of O(2^N).
//
// Keeping `reference`'s winner exactly:
// - A coefficient whose d_i is exactly 0 has the same term in the bit-exact form
//   whether selected or not, so every line that differs only in such bits has
//   bit-for-bit the same r; the smallest line clears those bits. They are left out
//   of the halves, except that the empty choice of the others is then allowed and
//   stands for the line that selects only the last of them (the smallest line > 0).
// - Equal half sums form one group. When no addition of the cycle rounds (checked
//   per cycle, true for integer problems), a group is represented by its smallest
//   local line (and, for the group of the empty half, its second smallest, to
//   exclude the empty line): the smallest full line of a pair of groups is
//   (smallest high, smallest low), however many lines tie. Otherwise members of a
//   group may differ in the last bit of their bit-exact value, and every member
//   pair of a candidate pair of groups is re-evaluated.
// - The two-pointer pass finds the best error in this file's own rounding; then
//   every pair of groups within a small window of it is re-evaluated with the
//   bit-exact wcs::line_value and ranked with the winner order, so the reported
//   winner and r are `reference`'s even when rounding reorders near-ties.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// 2^27 sums per half: about 7 GB of buffers at N = 54 (20 bytes per sum and half,
// 12 more per sum for the shared merge buffer).
constexpr std::size_t kMaxN = 54;
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// The sorted, distinct subset sums of one half. `line[g]` is the smallest local line
// (k bits, the half's first coefficient most significant) with sum `sum[g]`.
struct HalfSums {
  std::vector<double> sum;
  std::vector<std::uint32_t> line;
  std::vector<std::uint32_t> members;       // every local line, group by group
  std::vector<std::uint32_t> group_start;   // group g is members[group_start[g], group_start[g + 1])
  std::size_t empty_group = 0;              // group holding local line 0 (sum 0)
  std::uint32_t empty_group_second = kNone;  // its second smallest line, if any
  std::size_t size() const { return sum.size(); }
};

class MitmSearch final : public wcs::CycleSearch {
 public:
  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    d_.resize(n);
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    if (!std::isfinite(base) || !std::all_of(d_.begin(), d_.end(), [](double x) { return std::isfinite(x); }))
      throw wcs::InputError(fmt::format("mitm: cycle {} has non-finite line values (wpn {}); mitm needs finite sums",
                                        in.cycle, in.wpn));

    // Coefficients that can change r, in index order (line order among them is
    // kept), and the last one that cannot.
    active_.clear();
    std::size_t last_zero = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (d_[i] != 0.0) active_.push_back(i);
      else last_zero = i;
    }
    const bool allow_empty = last_zero != n;
    const std::size_t m = active_.size();
    const std::size_t high_bits = m / 2, low_bits = m - high_bits;

    build_half(0, high_bits, high_);
    build_half(high_bits, m, low_);
    std::uint64_t evaluated = (std::uint64_t{1} << high_bits) + (std::uint64_t{1} << low_bits);

    auto excluded = [&](std::size_t i, std::size_t j) {
      return !allow_empty && i == high_.empty_group && j == low_.empty_group &&
             high_.empty_group_second == kNone && low_.empty_group_second == kNone;
    };
    // Total in this file's rounding: monotone in both half sums.
    auto total = [&](std::size_t i, std::size_t j) { return (base + high_.sum[i]) + low_.sum[j]; };
    const double target = in.target;

    // Pass 1: the best error, two pointers over the distinct sums.
    double best_error = std::numeric_limits<double>::infinity();
    {
      std::ptrdiff_t j = static_cast<std::ptrdiff_t>(low_.size()) - 1;
      for (std::size_t i = 0; i < high_.size(); ++i) {
        while (j >= 0 && total(i, static_cast<std::size_t>(j)) > target) --j;
        // Closest from below (j) and from above (j + 1), stepping past the empty pair.
        std::ptrdiff_t below = j, above = j + 1;
        if (below >= 0 && excluded(i, static_cast<std::size_t>(below))) --below;
        if (above < static_cast<std::ptrdiff_t>(low_.size()) && excluded(i, static_cast<std::size_t>(above))) ++above;
        if (below >= 0) best_error = std::min(best_error, std::fabs(total(i, static_cast<std::size_t>(below)) - target));
        if (above < static_cast<std::ptrdiff_t>(low_.size()))
          best_error = std::min(best_error, std::fabs(total(i, static_cast<std::size_t>(above)) - target));
      }
    }

    // Pass 2: every pair of groups whose total lies within `slack` of the best error
    // on either side, re-evaluated bit-exactly. `slack` bounds the rounding of this
    // file's sums against the bit-exact form (at most N + 2 roundings of values no
    // larger than `scale`), with a wide margin.
    double scale = std::fabs(base) + std::fabs(target);
    for (double x : d_) scale += std::fabs(x);
    const double slack = scale * 0x1p-40;
    const bool exact_sums = sums_are_exact(in, base);
    const double low_bound = target - best_error - slack, high_bound = target + best_error + slack;

    bool have = false;
    double win_error = 0, win_r = 0;
    std::uint64_t win_line = 0;
    auto consider = [&](std::uint64_t line) {
      const double r = wcs::line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((line >> (n - 1 - i)) & 1u); });
      const double error = std::fabs(r - target);
      ++evaluated;
      if (!have || wcs::line_wins(error, r, line, win_error, win_r, win_line)) {
        have = true;
        win_error = error;
        win_r = r;
        win_line = line;
      }
    };
    {
      // first(i): first j with total >= low_bound; last(i): last j with total <= high_bound.
      std::size_t first = low_.size(), end = low_.size();  // candidates are [first, end)
      for (std::size_t i = 0; i < high_.size(); ++i) {
        while (first > 0 && total(i, first - 1) >= low_bound) --first;
        while (first < low_.size() && total(i, first) < low_bound) ++first;
        while (end > 0 && total(i, end - 1) > high_bound) --end;
        for (std::size_t j = first; j < end; ++j) {
          if (!exact_sums) {
            // Members of a group may differ in the last bit of their bit-exact value:
            // every pair of members is re-evaluated.
            for (std::uint32_t x = high_.group_start[i]; x < high_.group_start[i + 1]; ++x)
              for (std::uint32_t y = low_.group_start[j]; y < low_.group_start[j + 1]; ++y) {
                const std::uint32_t hi = high_.members[x], lo = low_.members[y];
                if (hi == 0 && lo == 0 && !allow_empty) continue;
                consider(full_line(n, hi, lo, low_bits, last_zero));
              }
            continue;
          }
          std::uint32_t hi = high_.line[i], lo = low_.line[j];
          if (i == high_.empty_group && j == low_.empty_group && !allow_empty) {
            // The smallest non-empty line of the pair: another empty-sum low subset,
            // else another empty-sum high subset with the empty low one.
            if (low_.empty_group_second != kNone) lo = low_.empty_group_second;
            else if (high_.empty_group_second != kNone) hi = high_.empty_group_second;
            else continue;
          }
          consider(full_line(n, hi, lo, low_bits, last_zero));
        }
      }
    }
    if (!have) throw std::logic_error("mitm: no candidate line (bug)");

    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(win_line, n);
    out.result = win_r;
    out.all_below_target = wcs::max_line_value(base, d_) < target;
    out.evaluated = evaluated;
    return out;
  }

 private:
  // Sorted distinct subset sums of active_[from, to): coefficients are added one at
  // a time as the new least significant local bit, merging the list with itself
  // shifted by d (both sorted), so no sort is needed.
  void build_half(std::size_t from, std::size_t to, HalfSums& half) {
    const std::size_t k = to - from;
    const std::size_t count = std::size_t{1} << k;
    half.sum.resize(count);
    half.line.resize(count);
    half.members.resize(count);
    half.group_start.resize(count + 1);
    scratch_sum_.resize(count);
    scratch_line_.resize(count);
    double* s = half.sum.data();
    std::uint32_t* l = half.line.data();
    double* t = scratch_sum_.data();
    std::uint32_t* u = scratch_line_.data();
    s[0] = 0.0;
    l[0] = 0;
    std::size_t size = 1;
    for (std::size_t c = from; c < to; ++c) {
      const double dc = d_[active_[c]];
      std::size_t x = 0, y = 0, o = 0;
      // Merge (s[x], 2 l[x]) with (s[y] + dc, 2 l[y] + 1) by sum.
      while (x < size && y < size) {
        const double sy = s[y] + dc;
        if (s[x] <= sy) { t[o] = s[x]; u[o++] = l[x] << 1; ++x; }
        else { t[o] = sy; u[o++] = (l[y] << 1) | 1u; ++y; }
      }
      for (; x < size; ++x) { t[o] = s[x]; u[o++] = l[x] << 1; }
      for (; y < size; ++y) { t[o] = s[y] + dc; u[o++] = (l[y] << 1) | 1u; }
      size <<= 1;
      std::swap(s, t);
      std::swap(l, u);
    }
    // Compress equal sums into groups (smallest line first), in place into s/l.
    std::size_t groups = 0;
    half.empty_group_second = kNone;
    for (std::size_t x = 0; x < size;) {
      std::size_t y = x;
      std::uint32_t smallest = kNone, second = kNone;
      for (; y < size && s[y] == s[x]; ++y) {
        if (l[y] < smallest) { second = smallest; smallest = l[y]; }
        else if (l[y] < second) second = l[y];
      }
      std::copy(l + x, l + y, half.members.data() + x);
      half.group_start[groups] = static_cast<std::uint32_t>(x);
      if (smallest == 0) { half.empty_group = groups; half.empty_group_second = second; }
      s[groups] = s[x];
      l[groups] = smallest;
      ++groups;
      x = y;
    }
    // The result lives in whichever buffer the last merge wrote.
    if (s != half.sum.data()) {
      std::copy(s, s + groups, half.sum.data());
      std::copy(l, l + groups, half.line.data());
    }
    half.group_start[groups] = static_cast<std::uint32_t>(size);
    half.sum.resize(groups);
    half.line.resize(groups);
  }

  // Whether every term of either form (the terms of the bit-exact form, the d_i, the
  // base) is a multiple of one power of two 2^g and every sum of them stays below
  // 2^(52 + g): then no addition rounds, equal half sums mean equal bit-exact values,
  // and a group's smallest line stands for all of it. Integer problems with moderate
  // weights are exact; decimal ones usually are not.
  bool sums_are_exact(const wcs::CycleInput& in, double base) const {
    int g = std::numeric_limits<int>::max();
    double total = std::fabs(base);
    auto note = [&](double x) {
      if (x == 0.0) return;
      int e = 0;
      const double m = std::frexp(std::fabs(x), &e);  // x = m 2^e, m in [0.5, 1)
      const auto mantissa = static_cast<std::uint64_t>(std::ldexp(m, 53));
      g = std::min(g, e - 53 + __builtin_ctzll(mantissa));
      total += std::fabs(x);
    };
    note(base);
    for (std::size_t i = 0; i < in.a.size(); ++i) {
      const double off = in.a[i] * in.w[i];
      note(off);
      note((in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0)) * in.wpn);
      note(d_[i]);
    }
    if (g == std::numeric_limits<int>::max()) return true;  // every value is 0
    return total < std::ldexp(1.0, 52 + std::max(g, -1000));
  }

  // The full N-bit line of local lines `hi` and `lo`; the empty choice stands for the
  // line selecting only the last zero-d coefficient.
  std::uint64_t full_line(std::size_t n, std::uint32_t hi, std::uint32_t lo, std::size_t low_bits,
                          std::size_t last_zero) const {
    const std::uint64_t packed = (std::uint64_t{hi} << low_bits) | lo;
    const std::size_t m = active_.size();
    if (packed == 0) return std::uint64_t{1} << (n - 1 - last_zero);
    std::uint64_t line = 0;
    for (std::size_t t = 0; t < m; ++t)
      if ((packed >> (m - 1 - t)) & 1u) line |= std::uint64_t{1} << (n - 1 - active_[t]);
    return line;
  }

  std::vector<double> d_;
  std::vector<std::size_t> active_;
  HalfSums high_, low_;
  std::vector<double> scratch_sum_;
  std::vector<std::uint32_t> scratch_line_;
};

void register_mitm(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "mitm";
  info.family = wcs::Family::identical;
  info.description =
      "exact meet-in-the-middle (Horowitz-Sahni): sorted subset sums of two halves, two pointers; O(2^(N/2)) per cycle";
  info.max_n = kMaxN;
  info.memory_bytes = [](std::size_t n, const wcs::Options&) {  // 20 bytes per sum and half, 12 per merge slot
    return wcs::add_bytes(wcs::pow2_bytes(n / 2, 20), wcs::pow2_bytes(n - n / 2, 32));
  };
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<MitmSearch>());
  });
}

}  // namespace

WCS_PLUGIN("mitm", "1.0", register_mitm)

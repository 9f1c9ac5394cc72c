#include "search/exact_step.hpp"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "wcs/error.hpp"
#include "wcs/formula.hpp"

namespace wcs::search {

Combination combination_of_key(std::uint64_t key, std::size_t n) {
  Combination c(n);
  for (std::size_t i = 0; i < n; ++i)
    if (key_selects(key, i)) c.set(i);
  return c;
}

double exact_value(const CycleInput& in, std::uint64_t key) {
  return line_value(in.a, in.w, in.wpn, [key](std::size_t i) { return key_selects(key, i); });
}

CycleBounds cycle_bounds(const CycleInput& in, double base, std::span<const double> d) {
  CycleBounds b;
  const std::size_t n = in.a.size();
  // Sum of the magnitudes of everything either form adds: every partial sum of
  // either form, and of any subset of the d_i, is at most `scale`.
  double scale = std::fabs(base) + std::fabs(in.target);
  bool finite = std::isfinite(base) && std::isfinite(in.target);
  int g = INT_MAX;  // every term is a multiple of 2^g
  auto note = [&](double x) {
    if (x == 0.0 || !std::isfinite(x)) return;
    int e = 0;
    const double m = std::frexp(std::fabs(x), &e);  // x = m 2^e, m in [0.5, 1)
    const auto mantissa = static_cast<std::uint64_t>(std::ldexp(m, 53));
    g = std::min(g, e - 53 + std::countr_zero(mantissa));
  };
  std::size_t zero_index = n;
  for (std::size_t i = 0; i < n; ++i) {
    // The two terms of coefficient i in reference's form, computed as it does.
    const double off = in.a[i] * in.w[i];
    const double on = in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0) * in.wpn;
    finite = finite && std::isfinite(off) && std::isfinite(on) && std::isfinite(d[i]);
    scale += std::fabs(off) + std::fabs(on) + std::fabs(d[i]);
    note(off);
    note(on);
    note(d[i]);
    if (d[i] == 0.0) zero_index = i;  // the largest index: the smallest line bit
  }
  note(base);
  b.finite = finite && std::isfinite(scale);
  if (!b.finite) return b;
  // No addition rounds when every value is a multiple of 2^g and below 2^(52 + g):
  // both forms then compute the real sum exactly.
  b.exact = g == INT_MAX || scale < std::ldexp(1.0, 52 + std::max(g, -1074));
  // Either form adds at most 2N + 3 rounded values whose partial sums are bounded by
  // `scale` (each rounding at most scale * DBL_EPSILON / 2); a factor of four to
  // spare, and an absolute term for subnormal results.
  b.eps = (8.0 * static_cast<double>(n) + 64.0) * DBL_EPSILON * scale +
          64.0 * static_cast<double>(n + 4) * std::numeric_limits<double>::denorm_min();
  if (zero_index < n) b.zero_index = zero_index;
  return b;
}

bool all_below_target(const CycleInput& in, double base, std::span<const double> d, const CycleBounds& b,
                      std::uint64_t& rechecked) {
  const double target = in.target;
  const double top = max_line_value(base, d);
  if (b.exact || !b.finite) return top < target;  // exact, or no bound to do better with
  if (top + 2 * b.eps < target) return true;
  if (top - 2 * b.eps >= target) return false;

  // The largest line value is within rounding of the target: find every line whose
  // value could reach it and evaluate each bit-exactly. With P = {i : d_i > 0}, line
  // s has the real value value(P) - sum of |d_i| over the coefficients in which s
  // and P differ, so those lines differ from P in coefficients whose |d_i| add up to
  // at most value(P) - target + rounding. They are enumerated smallest |d_i| first.
  const std::size_t n = in.a.size();
  double top_set = base;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i) {
    if (d[i] > 0) top_set += d[i];
    if (d[i] != 0.0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return std::fabs(d[x]) < std::fabs(d[y]); });
  const double budget = (top_set - target) + 4 * b.eps;
  std::vector<char> flipped(n, 0);
  std::size_t selected = 0;
  for (std::size_t i = 0; i < n; ++i) selected += d[i] > 0;

  // Depth-first over flip sets in order of `order`; false as soon as a line reaches
  // the target.
  struct Frame {
    std::size_t next;  // first position of `order` still to try
    double used;       // sum of |d| flipped so far
  };
  std::vector<Frame> stack{{0, 0.0}};
  std::vector<std::size_t> path;  // positions flipped, one per frame below the top
  bool fresh = true;              // the top frame's flip set is not evaluated yet
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (fresh) {
      fresh = false;
      if (selected > 0 || b.zero_index) {
        const std::size_t zero = b.zero_index.value_or(n);
        const double r = line_value(in.a, in.w, in.wpn, [&](std::size_t i) {
          return selected > 0 ? ((d[i] > 0) != static_cast<bool>(flipped[i])) : i == zero;
        });
        ++rechecked;
        if (!(r < target)) return false;
      }
    }
    if (f.next < order.size() && f.used + std::fabs(d[order[f.next]]) <= budget) {
      const std::size_t pos = f.next++;
      const std::size_t i = order[pos];
      const double used = f.used + std::fabs(d[i]);
      flipped[i] = 1;
      if (d[i] > 0) --selected; else ++selected;
      path.push_back(pos);
      stack.push_back({pos + 1, used});  // f is not used after this
      fresh = true;
      continue;
    }
    stack.pop_back();
    if (!path.empty()) {
      const std::size_t i = order[path.back()];
      path.pop_back();
      flipped[i] = 0;
      if (d[i] > 0) ++selected; else --selected;
    }
  }
  return true;
}

void ExactStep::build_half(std::span<const double> d, std::size_t from, std::size_t to, Half& half) {
  const std::size_t count = std::size_t{1} << (to - from);
  half.sum.resize(count);
  half.key.resize(count);
  scratch_sum_.resize(std::max(scratch_sum_.size(), count));
  scratch_key_.resize(std::max(scratch_key_.size(), count));
  double* s = half.sum.data();
  std::uint64_t* k = half.key.data();
  double* t = scratch_sum_.data();
  std::uint64_t* u = scratch_key_.data();
  s[0] = 0.0;
  k[0] = 0;
  std::size_t size = 1;
  // Coefficients join in index order, each as the new smallest line bit: merging the
  // list with itself shifted by d keeps it sorted by (sum, key) when no sum rounds,
  // and sorted by sum always (rounding is monotone), with no sort.
  for (std::size_t c = from; c < to; ++c) {
    const std::size_t i = active_[c];
    const double dc = d[i];
    const std::uint64_t bit = key_bit(i);
    std::size_t x = 0, y = 0, o = 0;
    while (x < size && y < size) {
      const double sy = s[y] + dc;
      const std::uint64_t ky = k[y] | bit;
      if (s[x] < sy || (s[x] == sy && k[x] < ky)) {
        t[o] = s[x];
        u[o++] = k[x++];
      } else {
        t[o] = sy;
        u[o++] = ky;
        ++y;
      }
    }
    for (; x < size; ++x, ++o) { t[o] = s[x]; u[o] = k[x]; }
    for (; y < size; ++y, ++o) { t[o] = s[y] + dc; u[o] = k[y] | bit; }
    size <<= 1;
    std::swap(s, t);
    std::swap(k, u);
  }
  if (s != half.sum.data()) {  // the last merge wrote the scratch buffers: trade them
    std::swap(half.sum, scratch_sum_);
    std::swap(half.key, scratch_key_);
    half.sum.resize(count);
    half.key.resize(count);
  }
}

void ExactStep::stage(std::span<const double> d) {
  active_.clear();
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] != 0.0) active_.push_back(i);
  const std::size_t m = active_.size();
  build_half(d, 0, m / 2, high_);
  build_half(d, m / 2, m, low_);
  staged_ = true;
}

ExactOutcome ExactStep::resolve(const CycleInput& in, double base, std::span<const double> d,
                                std::optional<std::uint64_t> hint) {
  const bool staged = std::exchange(staged_, false);  // a stage() serves one cycle
  const CycleBounds b = cycle_bounds(in, base, d);
  if (!b.finite) return full_scan(in);
  if (!staged) stage(d);
  staged_ = false;
  ExactOutcome out = b.exact ? exact_winner(in, base, b) : repaired_winner(in, base, b, hint);
  out.all_below_target = all_below_target(in, base, d, b, out.rechecked);
  out.half_entries = high_.sum.size() + low_.sum.size();
  out.exact_arithmetic = b.exact;
  return out;
}

namespace {

// Candidate pairs (i, j) of the two halves whose value (base + high[i]) + low[j]
// lies in [lo, hi]: as i grows the value grows, so the low window only moves down.
struct Window {
  std::size_t first, end;  // low entries [first, end)
  explicit Window(std::size_t low_size) : first(low_size), end(low_size) {}
  template <class Value>
  void move(double lo, double hi, Value&& value) {
    while (first > 0 && value(first - 1) >= lo) --first;
    while (end > 0 && value(end - 1) > hi) --end;
    if (end < first) end = first;
  }
};

}  // namespace

ExactOutcome ExactStep::exact_winner(const CycleInput& in, double base, const CycleBounds& b) {
  const Half& H = high_;
  const Half& L = low_;
  const std::size_t nh = H.sum.size(), nl = L.sum.size();
  const double target = in.target;
  const bool allow_empty = b.zero_index.has_value();
  auto excluded = [&](std::size_t i, std::size_t j) { return !allow_empty && H.key[i] == 0 && L.key[j] == 0; };

  // The smallest error: for each high sum, the closest low sums below and above the
  // target (two pointers), stepping past the empty line.
  double best = std::numeric_limits<double>::infinity();
  {
    std::ptrdiff_t j = static_cast<std::ptrdiff_t>(nl) - 1;
    for (std::size_t i = 0; i < nh; ++i) {
      const double hb = base + H.sum[i];
      while (j >= 0 && hb + L.sum[static_cast<std::size_t>(j)] > target) --j;
      std::ptrdiff_t below = j, above = j + 1;
      if (below >= 0 && excluded(i, static_cast<std::size_t>(below))) --below;
      if (above < static_cast<std::ptrdiff_t>(nl) && excluded(i, static_cast<std::size_t>(above))) ++above;
      if (below >= 0) best = std::min(best, std::fabs(hb + L.sum[static_cast<std::size_t>(below)] - target));
      if (above < static_cast<std::ptrdiff_t>(nl)) best = std::min(best, std::fabs(hb + L.sum[static_cast<std::size_t>(above)] - target));
    }
  }

  // Every value whose error is `best` (a few ulps around target +- best), each equal
  // sum of a half standing for its smallest key (the first of its run): the winner is
  // the larger value, then the smaller key.
  const double slack = 4 * DBL_EPSILON * (std::fabs(target) + best) + std::numeric_limits<double>::denorm_min();
  const double lo = target - best - slack, hi = target + best + slack;
  bool have = false;
  double win_r = 0.0;
  std::uint64_t win_key = 0;
  Window w(nl);
  for (std::size_t i = 0; i < nh; ++i) {
    if (i > 0 && H.sum[i] == H.sum[i - 1]) continue;
    const double hb = base + H.sum[i];
    w.move(lo, hi, [&](std::size_t j) { return hb + L.sum[j]; });
    for (std::size_t j = w.first; j < w.end; ++j) {
      if (j > 0 && L.sum[j] == L.sum[j - 1]) continue;
      const double r = hb + L.sum[j];
      if (std::fabs(r - target) != best) continue;
      std::uint64_t key = H.key[i] | L.key[j];
      if (key == 0) {
        // The empty choice of both halves: the smallest non-empty line of this pair
        // of sums (another low subset of sum 0 with the empty high one, else another
        // high one with the empty low one), and the line of zero-d coefficients
        // only, which has the same value; the smaller of the two.
        std::uint64_t other = 0;
        if (j + 1 < nl && L.sum[j + 1] == L.sum[j]) other = L.key[j + 1];
        else if (i + 1 < nh && H.sum[i + 1] == H.sum[i]) other = H.key[i + 1];
        if (allow_empty) key = other != 0 ? std::min(other, key_bit(*b.zero_index)) : key_bit(*b.zero_index);
        else if (other != 0) key = other;
        else continue;
      }
      if (!have || r > win_r || (r == win_r && key < win_key)) {
        have = true;
        win_r = r;
        win_key = key;
      }
    }
  }
  if (!have) throw std::logic_error("exact step: no line at the best error (bug)");
  ExactOutcome out;
  out.key = win_key;
  out.result = exact_value(in, win_key);  // equal to win_r: no addition rounds
  out.rechecked = 1;
  return out;
}

ExactOutcome ExactStep::repaired_winner(const CycleInput& in, double base, const CycleBounds& b,
                                        std::optional<std::uint64_t> hint) {
  const Half& H = high_;
  const Half& L = low_;
  const std::size_t nh = H.sum.size(), nl = L.sum.size();
  const double target = in.target;
  const bool allow_empty = b.zero_index.has_value();
  const std::uint64_t zero_key = allow_empty ? key_bit(*b.zero_index) : 0;

  if (!hint) {  // the closest sum of the halves, in their own rounding
    double best = std::numeric_limits<double>::infinity();
    std::uint64_t best_key = 0;
    std::ptrdiff_t j = static_cast<std::ptrdiff_t>(nl) - 1;
    auto offer = [&](std::size_t i, std::ptrdiff_t jj, double hb) {
      if (jj < 0 || jj >= static_cast<std::ptrdiff_t>(nl)) return;
      std::uint64_t key = H.key[i] | L.key[static_cast<std::size_t>(jj)];
      if (key == 0 && !allow_empty) return;
      if (key == 0) key = zero_key;
      const double e = std::fabs(hb + L.sum[static_cast<std::size_t>(jj)] - target);
      if (best_key == 0 || e < best) {
        best = e;
        best_key = key;
      }
    };
    for (std::size_t i = 0; i < nh; ++i) {
      const double hb = base + H.sum[i];
      while (j >= 0 && hb + L.sum[static_cast<std::size_t>(j)] > target) --j;
      // Two on each side, so the empty line (skipped) never hides its neighbour.
      for (std::ptrdiff_t jj = j - 1; jj <= j + 2; ++jj) offer(i, jj, hb);
    }
    hint = best_key;
  }

  ExactOutcome out;
  out.key = *hint;
  out.result = exact_value(in, out.key);
  double win_error = std::fabs(out.result - target);
  out.rechecked = 1;
  // Every line that could rank before the hint in reference's form lies within
  // win_error + 3 eps of the target in the halves' form.
  const double reach = win_error * (1 + 8 * DBL_EPSILON) + 3 * b.eps;
  const double lo = target - reach, hi = target + reach;
  Window w(nl);
  for (std::size_t i = 0; i < nh; ++i) {
    const double hb = base + H.sum[i];
    w.move(lo, hi, [&](std::size_t j) { return hb + L.sum[j]; });
    for (std::size_t j = w.first; j < w.end; ++j) {
      std::uint64_t key = H.key[i] | L.key[j];
      if (key == 0) {
        if (!allow_empty) continue;
        key = zero_key;
      }
      if (key == *hint) continue;
      const double r = exact_value(in, key);
      ++out.rechecked;
      const double e = std::fabs(r - target);
      const bool before = ranks_before(e, r, win_error, out.result);
      if (before || (!ranks_before(win_error, out.result, e, r) && key < out.key)) {
        out.key = key;
        out.result = r;
        win_error = e;
      }
    }
  }
  return out;
}

ExactOutcome ExactStep::full_scan(const CycleInput& in) const {
  const std::size_t n = in.a.size();
  if (n > kFullScanMaxN)
    throw InputError(fmt::format(
        "cycle {}: line values overflow (wpn {}); deciding such a cycle exactly takes every line, done only up to N = {}",
        in.cycle, in.wpn, kFullScanMaxN));
  ExactOutcome out;
  double best_error = 0.0;
  out.all_below_target = true;
  const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
  for (std::uint64_t line = 1; line <= lines; ++line) {
    const std::uint64_t key = key_of_line(line, n);
    const double r = exact_value(in, key);
    const double error = std::fabs(r - in.target);
    if (line == 1 || ranks_before(error, r, best_error, out.result)) {
      out.key = key;
      out.result = r;
      best_error = error;
    }
    out.all_below_target = out.all_below_target && r < in.target;
  }
  out.rechecked = lines;
  return out;
}

}  // namespace wcs::search

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

#include "search/sorted_scan.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/memory.hpp"

namespace wcs::search {

Combination combination_of_key(std::uint64_t key, std::size_t n) {
  Combination c(n);
  for (std::size_t i = 0; i < n; ++i)
    if (key_selects(key, i)) c.set(i);
  return c;
}

void ExactStep::load_terms(const CycleInput& in) {
  // The two terms of each coefficient exactly as line_value() computes them, off the
  // line at 2i and on it at 2i + 1.
  const std::size_t n = in.a.size();
  terms_.resize(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = in.w[i];
    terms_[2 * i] = (in.a[i] * (w != 0.0 ? w : 0.0)) * 1.0;
    terms_[2 * i + 1] = (in.a[i] * (w != 0.0 ? w : 1.0)) * in.wpn;
  }
}

double ExactStep::value_of(std::uint64_t key) const {
  // line_value() over the loaded terms: the same terms added in the same order, each
  // picked by an index rather than a branch (the bits are unpredictable).
  double r = 0.0;
  const std::size_t n = terms_.size() / 2;
  for (std::size_t i = 0; i < n; ++i) r += terms_[2 * i + ((key >> (63 - i)) & 1u)];
  return r;
}

void ExactStep::values_of(std::span<const std::uint64_t> keys, std::span<double> out) const {
  const std::size_t n = terms_.size() / 2, count = keys.size();
  const double* t = terms_.data();
  std::size_t c = 0;
  for (; c + 4 <= count; c += 4) {
    const std::uint64_t k0 = keys[c], k1 = keys[c + 1], k2 = keys[c + 2], k3 = keys[c + 3];
    double r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double* ti = t + 2 * i;
      r0 += ti[(k0 >> (63 - i)) & 1u];
      r1 += ti[(k1 >> (63 - i)) & 1u];
      r2 += ti[(k2 >> (63 - i)) & 1u];
      r3 += ti[(k3 >> (63 - i)) & 1u];
    }
    out[c] = r0;
    out[c + 1] = r1;
    out[c + 2] = r2;
    out[c + 3] = r3;
  }
  for (; c < count; ++c) out[c] = value_of(keys[c]);
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
    g = std::min(g, lowest_bit_exponent(x));
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
  // How far either form's computed value of a line lies from the real sum R of its
  // terms (the doubles a W and (a E) p, which both forms compute alike), with u =
  // DBL_EPSILON / 2 and every partial sum bounded by `scale`: the bit-exact form
  // rounds N - 1 additions, at most (N - 1) u scale; the d form rounds the N - 1
  // additions of base, each d_i once, at most N additions of d in a half's sum and two
  // more, at most (2N + 2) u scale (Higham, "Accuracy and Stability of Numerical
  // Algorithms", 2nd ed., section 4.2). Twice that to spare, and an absolute term for
  // subnormal results, whose rounding is absolute.
  b.eps = (2.0 * static_cast<double>(n) + 8.0) * DBL_EPSILON * scale +
          64.0 * static_cast<double>(n + 4) * std::numeric_limits<double>::denorm_min();
  if (zero_index < n) b.zero_index = zero_index;
  return b;
}

bool all_below_target(const CycleInput& in, double base, std::span<const double> d, const CycleBounds& b,
                      std::uint64_t& exact_rechecks) {
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
        ++exact_rechecks;
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

bool all_below_target(const CycleInput& in) {
  const CycleTerms t = cycle_terms(in.a, in.w, in.wpn);
  std::uint64_t exact_rechecks = 0;
  return all_below_target(in, t.base, t.d, cycle_bounds(in, t.base, t.d), exact_rechecks);
}

namespace {

// Masks of up to 2 kMaskLowBits bits index two tables of 2^kMaskLowBits sums; longer
// lists are always merged.
constexpr std::size_t kMaskLowBits = 8;

bool before(double sa, std::uint64_t ka, double sb, std::uint64_t kb) { return sa < sb || (sa == sb && ka < kb); }

// sums_by_mask() where vectors do not pay: two tables, of the low kMaskLowBits bits
// of a mask and of the rest, each filled by doubling (the subsets with bit b are
// those without it, plus its d); every sum adds at most m - 1 times.
void fill_sums_by_mask(std::size_t m, const double* bits, unsigned shift, const std::uint64_t* key, std::size_t count,
                       double* s) {
  double low[std::size_t{1} << kMaskLowBits], high[std::size_t{1} << kMaskLowBits];
  auto fill = [&](std::size_t first_bit, std::size_t n, double* sum) {
    sum[0] = 0.0;
    for (std::size_t b = 0; b < n; ++b) {
      const std::size_t size = std::size_t{1} << b;
      for (std::size_t q = 0; q < size; ++q) sum[size + q] = sum[q] + bits[first_bit + b];
    }
  };
  const std::size_t low_bits = std::min(m, kMaskLowBits);
  fill(0, low_bits, low);
  fill(low_bits, m - low_bits, high);
  for (std::size_t j = 0; j < count; ++j) {
    const std::uint64_t mask = key[j] >> shift;
    s[j] = high[mask >> kMaskLowBits] + low[mask & ((std::uint64_t{1} << kMaskLowBits) - 1)];
  }
}

}  // namespace

bool ExactStep::resort_half(std::span<const double> d, std::size_t from, std::size_t to, SubsetSums& half,
                            std::size_t slot) {
  const std::size_t m = to - from, count = std::size_t{1} << m;
  if (m > 2 * kMaskLowBits || m == 0 || half.key.size() != count || half.sum.size() != count ||
      active_[to - 1] - active_[from] != m - 1 || built_first_[slot] != active_[from])
    return false;
  // The coefficients are consecutive and the same as last cycle's: a key shifted down
  // is the subset's mask, bit b for coefficient active_[to - 1 - b].
  double bits[2 * kMaskLowBits];
  for (std::size_t b = 0; b < m; ++b) bits[b] = d[active_[to - 1 - b]];
  const unsigned shift = static_cast<unsigned>(63 - active_[to - 1]);
  double* s = half.sum.data();
  std::uint64_t* key = half.key.data();
  if (!sums_by_mask(key, count, shift, bits, m, s)) fill_sums_by_mask(m, bits, shift, key, count, s);
  // Insertion sort by (sum, key) from each entry that comes before its predecessor:
  // O(count) when the order moved little, the usual case once the d_i change by a
  // common factor or one at a time. A vector scan skips the sorted stretches; after
  // an entry out of order the next few are looked at directly, as such entries come
  // in runs (a tiny d that changes sign swaps every pair of subsets that differ in
  // it). Once entries move further than a few places on average, merging afresh is
  // cheaper.
  std::size_t moves = 0, moved = 0;
  std::size_t j = first_unsorted(s, key, 1, count);
  while (j < count) {
    const double v = s[j];
    const std::uint64_t kv = key[j];
    std::size_t i = j;
    do {
      s[i] = s[i - 1];
      key[i] = key[i - 1];
      --i;
    } while (i > 0 && before(v, kv, s[i - 1], key[i - 1]));
    s[i] = v;
    key[i] = kv;
    moves += j - i;
    ++moved;
    if (moves > 2 * moved + count / 8) return false;
    const std::size_t stop = std::min(count, j + 17);
    std::size_t next = j + 1;
    while (next < stop && !before(s[next], key[next], s[next - 1], key[next - 1])) ++next;
    j = next < stop ? next : first_unsorted(s, key, stop, count);
  }
  return true;
}

void ExactStep::build_half(std::span<const double> d, std::size_t from, std::size_t to, SubsetSums& half,
                           std::size_t slot) {
  // Last cycle's order is only a starting point: insertion sort turns any permutation
  // of the subsets into the one list sorted by (sum, key), so a stale order costs
  // time, never correctness.
  // After a failed attempt the next ones wait 1, 2, 4, ... cycles (at most 8): when the
  // order keeps changing (every weight moving at its own pace), merging alone is
  // cheaper than trying first.
  if (reuse_wait_[slot] > 0) {
    --reuse_wait_[slot];
  } else if (resort_half(d, from, to, half, slot)) {
    reuse_backoff_[slot] = 0;
    ++reordered_lists_;
    return;
  } else if (built_first_[slot] != SIZE_MAX) {
    reuse_wait_[slot] = reuse_backoff_[slot];
    reuse_backoff_[slot] = std::min<std::size_t>(8, 2 * reuse_backoff_[slot] + 1);
  }
  const std::size_t m = to - from;
  built_first_[slot] = m > 0 && active_[to - 1] - active_[from] == m - 1 ? active_[from] : SIZE_MAX;
  const std::size_t count = std::size_t{1} << m;
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
  // Coefficients join smallest |d| first: merging the list with itself shifted by d
  // keeps it sorted by (sum, key) when no sum rounds, and sorted by sum always
  // (rounding is monotone), with no sort. The order of joining changes nothing in
  // the result (ties are ordered by key), only the speed: a shift larger than the
  // span so far is a mere concatenation, which the branches of the merge predict.
  std::size_t join[64];
  std::copy(active_.begin() + static_cast<std::ptrdiff_t>(from), active_.begin() + static_cast<std::ptrdiff_t>(to), join);
  std::sort(join, join + (to - from), [&](std::size_t x, std::size_t y) { return std::fabs(d[x]) < std::fabs(d[y]); });
  for (std::size_t c = 0; c < to - from; ++c) {
    const std::size_t i = join[c];
    const double dc = d[i];
    const std::uint64_t bit = key_bit(i);
    std::size_t x = 0, y = 0, o = 0;
    while (x < size && y < size) {
      const double sx = s[x], sy = s[y] + dc;
      const std::uint64_t kx = k[x], ky = k[y] | bit;
      const bool take_x = (sx < sy) | ((sx == sy) & (kx < ky));
      t[o] = take_x ? sx : sy;
      u[o] = take_x ? kx : ky;
      ++o;
      x += take_x;
      y += !take_x;
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

std::uint64_t ExactStep::memory_bytes(std::size_t n, std::size_t two_list_max_bits, std::size_t big_list_bits,
                                     std::size_t max_rechecks) {
  const std::size_t h = n - n / 2;  // bits of the larger half
  // Per entry: sum and key (16 bytes) in the list, the merge buffer, a run start (4)
  // and a split point and nearest error (12).
  std::uint64_t lists = 0;
  if (h <= two_list_max_bits) {
    lists = pow2_bytes(h, std::uint64_t{2} * 16 + 16 + 4 + 12);
  } else {
    const std::size_t big = std::min(h, big_list_bits), small = h - big;
    lists = add_bytes(pow2_bytes(big, std::uint64_t{2} * 16 + 16 + 4), pow2_bytes(small, std::uint64_t{2} * (16 + 16)));
  }
  // The candidates (24 bytes) and their re-evaluation (key and value, 16), at most one
  // per line and at most max_rechecks; the tie rule's lists when they overflow.
  const std::uint64_t lines = n >= 64 ? UINT64_MAX : (std::uint64_t{1} << n);
  const std::uint64_t candidates = mul_bytes(std::min<std::uint64_t>(lines, max_rechecks), 24 + 16);
  const std::uint64_t tie_rule = lines > max_rechecks ? TieRule::memory_bytes(n, two_list_max_bits, big_list_bits) : 0;
  return add_bytes(lists, add_bytes(candidates, tie_rule));
}

void ExactStep::stage(std::span<const double> d) {
  active_.clear();
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] != 0.0) active_.push_back(i);
  const std::size_t m = active_.size();
  four_lists_ = m - m / 2 > two_list_max_bits_;
  if (four_lists_) {
    // Each half as a small list (the heap) and a big one of at most 2^big_list_bits
    // sums: the smaller the heap, the faster the walk, within the memory granted.
    const std::size_t high_small = m / 2 - std::min(m / 2, big_list_bits_);
    const std::size_t low_small = (m - m / 2) - std::min(m - m / 2, big_list_bits_);
    build_half(d, 0, high_small, quarters_[0], 2);
    build_half(d, high_small, m / 2, quarters_[1], 3);
    build_half(d, m / 2, m / 2 + low_small, quarters_[2], 4);
    build_half(d, m / 2 + low_small, m, quarters_[3], 5);
    high_ = {};
    low_ = {};
  } else {
    build_half(d, 0, m / 2, high_, 0);
    build_half(d, m / 2, m, low_, 1);
    for (auto& q : quarters_) q = {};
  }
  staged_ = true;
}

ExactOutcome ExactStep::resolve(const CycleInput& in, double base, std::span<const double> d,
                                std::optional<std::uint64_t> hint) {
  const bool staged = std::exchange(staged_, false);  // a stage() serves one cycle
  const CycleBounds b = cycle_bounds(in, base, d);
  load_terms(in);
  if (!b.finite) return full_scan(in);
  if (!staged) stage(d);
  staged_ = false;
  const std::optional<std::uint64_t> zero_key =
      b.zero_index ? std::optional<std::uint64_t>(key_bit(*b.zero_index)) : std::nullopt;
  // Candidates: with exact sums, every pair of distinct sums at the smallest error
  // (each standing for its smallest line); otherwise every line that can rank
  // before the best of the halves' own rounding (or before the hint).
  ExactOutcome out;
  try {
    if (four_lists_) {
      candidates_ = four_list_candidates(quarters_, base, in.target, b.exact ? 0.0 : kPad * b.eps, b.exact, zero_key,
                                         std::min(max_rechecks_, kMaxRechecksFourLists));
      out = b.exact ? pick_exact() : pick_repaired(in, b, std::nullopt);
      out.half_entries =
          quarters_[0].sum.size() * quarters_[1].sum.size() + quarters_[2].sum.size() * quarters_[3].sum.size();
    } else {
      if (b.exact) {
        exact_candidates(base, in.target, zero_key);
        out = pick_exact();
      } else {
        if (!hint) closest_candidates(base, in.target, b, zero_key);
        else window_candidates(in, base, b, zero_key, *hint);
        out = pick_repaired(in, b, hint);
      }
      out.half_entries = high_.sum.size() + low_.sum.size();
    }
  } catch (const CandidateOverflow&) {
    out = decide_by_tie_rule(in);
  }
  out.all_below_target = all_below_target(in, base, d, b, out.exact_rechecks);
  out.exact_arithmetic = b.exact;
  return out;
}

void ExactStep::run_starts(const SubsetSums& half, std::vector<std::uint32_t>& starts) {
  starts.clear();
  for (std::size_t i = 0; i < half.sum.size(); ++i)
    if (i == 0 || half.sum[i] != half.sum[i - 1]) starts.push_back(static_cast<std::uint32_t>(i));
}

namespace {

// Walks, for every entry a of the high list whose nearest pair (near[a]) is within
// `limit`, the low entries outward from its split point: down from it, then up from
// the next. On each side the error grows as the walk moves away; `visit(a, c,
// value, error)` returns whether to go on along it.
template <class High, class Low, class Visit>
void walk_outward(const std::vector<std::int32_t>& split, const std::vector<double>& near, double limit, std::size_t nl,
                  double target, High&& hb_of, Low&& low, Visit&& visit) {
  // Entries whose every pair is further are skipped a vector at a time: few are near.
  const std::size_t nh = split.size();
  for (std::size_t a = first_not_above(near.data(), 0, nh, limit); a < nh;
       a = first_not_above(near.data(), a + 1, nh, limit)) {
    const double hb = hb_of(a);
    for (std::ptrdiff_t c = split[a]; c >= 0; --c) {
      const double value = hb + low(static_cast<std::size_t>(c));
      if (!visit(a, static_cast<std::size_t>(c), value, std::fabs(value - target))) break;
    }
    for (std::size_t c = static_cast<std::size_t>(split[a]) + 1; c < nl; ++c) {  // split -1: from 0
      const double value = hb + low(c);
      if (!visit(a, c, value, std::fabs(value - target))) break;
    }
  }
}

// The smallest of `best` and the errors of the pairs of high entry a (value hb,
// split point j) that stand for a line (`line(a, c)` != 0): on each side of the
// split point the error grows away from it, so that is the pair next to it, or one
// further where that pair is the empty line. Only the high list's empty subset can
// pair into the empty line.
template <class Low, class Line>
double with_line_pairs(std::size_t a, std::ptrdiff_t j, double hb, std::size_t nl, double target, Low&& low,
                       Line&& line, double best) {
  const auto last = static_cast<std::ptrdiff_t>(nl);
  // From c outward by `step`: the first pair that is a line.
  auto closest_line = [&](std::ptrdiff_t c, std::ptrdiff_t step) {
    for (int k = 0; k < 2 && c >= 0 && c < last; ++k, c += step) {
      const double e = std::fabs(hb + low(static_cast<std::size_t>(c)) - target);
      if (!(e < best)) return;
      if (line(a, static_cast<std::size_t>(c)) == 0) continue;
      best = e;
      return;
    }
  };
  closest_line(j, -1);     // below the target
  closest_line(j + 1, 1);  // above it
  return best;
}

// For every entry a of the high list (value hb(a), increasing in a) from `first`
// on, the last low entry whose sum with hb stays at or below the target (-1: none;
// `low(c)` increases in c, so the position only moves down as a grows; j is that of
// entry first - 1, or nl - 1) and the error of its nearest pair (`near`); and the
// smallest error over the pairs that stand for a line in the same pass, from
// `best` (that of the entries before `first`, the empty subset's excepted).
template <class High, class Low, class Line>
double split_points_and_smallest_error(std::size_t nh, std::size_t nl, double target, High&& hb_of, Low&& low,
                                       Line&& line, std::size_t empty_a, std::vector<std::int32_t>& split,
                                       std::vector<double>& near, std::size_t first, std::ptrdiff_t j, double best) {
  split.resize(nh);
  near.resize(nh);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const auto last = static_cast<std::ptrdiff_t>(nl);
  for (std::size_t a = first; a < nh; ++a) {
    const double hb = hb_of(a);
    while (j >= 0 && hb + low(static_cast<std::size_t>(j)) > target) --j;
    split[a] = static_cast<std::int32_t>(j);
    const double below = j >= 0 ? std::fabs(hb + low(static_cast<std::size_t>(j)) - target) : kInf;
    const double above = j + 1 < last ? std::fabs(hb + low(static_cast<std::size_t>(j + 1)) - target) : kInf;
    near[a] = std::min(below, above);
    if (a != empty_a) best = std::min(best, near[a]);
    else best = with_line_pairs(a, j, hb, nl, target, low, line, best);
  }
  return best;
}

// The index of the empty subset (key 0, sum exactly 0) in a half sorted by sum.
std::size_t empty_subset(const SubsetSums& half) {
  auto i = static_cast<std::size_t>(std::lower_bound(half.sum.begin(), half.sum.end(), 0.0) - half.sum.begin());
  while (i < half.sum.size() && half.key[i] != 0) ++i;  // among the sums equal to 0
  if (i == half.sum.size()) throw std::logic_error("exact step: a half without its empty subset (bug)");
  return i;
}

}  // namespace

void ExactStep::exact_candidates(double base, double target, std::optional<std::uint64_t> zero_key) {
  const SubsetSums& H = high_;
  const SubsetSums& L = low_;
  // Equal sums stand for their smallest key, the first of their run (the halves are
  // sorted by (sum, key) when no sum rounds).
  run_starts(H, high_runs_);
  run_starts(L, low_runs_);
  const std::size_t nh = high_runs_.size(), nl = low_runs_.size();
  // The second smallest key of a pair of runs: another subset of the low run's sum
  // with the high run's first, else of the high run's sum with the low run's first.
  auto second_key = [&](std::size_t a, std::size_t c) -> std::uint64_t {
    const std::size_t i = high_runs_[a], j = low_runs_[c];
    if (j + 1 < L.sum.size() && L.sum[j + 1] == L.sum[j]) return L.key[j + 1];
    if (i + 1 < H.sum.size() && H.sum[i + 1] == H.sum[i]) return H.key[i + 1];
    return 0;
  };
  // The line a pair of runs stands for (0: none, the empty line alone).
  auto line_of = [&](std::size_t a, std::size_t c) -> std::uint64_t {
    const std::uint64_t key = H.key[high_runs_[a]] | L.key[low_runs_[c]];
    if (key != 0) return key;
    const std::uint64_t other = second_key(a, c);
    if (zero_key) return other != 0 ? std::min(other, *zero_key) : *zero_key;
    return other;
  };
  auto hb_of = [&](std::size_t a) { return base + H.sum[high_runs_[a]]; };
  auto low = [&](std::size_t c) { return L.sum[low_runs_[c]]; };
  // Two passes over the distinct sums: the smallest error, then every pair at it.
  // The run holding the high list's empty subset.
  const std::size_t empty_run = static_cast<std::size_t>(
      std::upper_bound(high_runs_.begin(), high_runs_.end(), static_cast<std::uint32_t>(empty_subset(H))) -
      high_runs_.begin() - 1);
  const double best = split_points_and_smallest_error(nh, nl, target, hb_of, low, line_of, empty_run, split_, near_, 0,
                                                      static_cast<std::ptrdiff_t>(nl) - 1,
                                                      std::numeric_limits<double>::infinity());
  candidates_.clear();
  walk_outward(split_, near_, best, nl, target, hb_of, low, [&](std::size_t a, std::size_t c, double value, double e) {
    if (e > best) return false;
    if (const std::uint64_t key = line_of(a, c); key != 0) candidates_.push_back({value, e, key});
    return true;
  });
}

void ExactStep::closest_candidates(double base, double target, const CycleBounds& b,
                                   std::optional<std::uint64_t> zero_key) {
  const SubsetSums& H = high_;
  const SubsetSums& L = low_;
  auto line_of = [&](std::size_t i, std::size_t j) -> std::uint64_t {
    const std::uint64_t key = H.key[i] | L.key[j];
    return key != 0 ? key : zero_key.value_or(0);
  };
  auto hb_of = [&](std::size_t i) { return base + H.sum[i]; };
  auto low = [&](std::size_t j) { return L.sum[j]; };
  // Two passes: the closest sum, then every pair within kPad eps of it. The first
  // pass is a vector of high entries at a time, but for its last few.
  const std::size_t nh = H.sum.size(), nl = L.sum.size(), empty = empty_subset(H);
  split_.resize(nh);
  near_.resize(nh);
  const SplitScan scan = split_points(H.sum.data(), nh, L.sum.data(), nl, base, target, empty, split_.data(), near_.data());
  double best = split_points_and_smallest_error(nh, nl, target, hb_of, low, line_of, empty, split_, near_, scan.done,
                                                scan.j, scan.best);
  if (empty < scan.done) best = with_line_pairs(empty, split_[empty], hb_of(empty), nl, target, low, line_of, best);
  const double bar = best + kPad * b.eps;
  candidates_.clear();
  walk_outward(split_, near_, bar, L.sum.size(), target, hb_of, low, [&](std::size_t i, std::size_t j, double value, double e) {
    if (e > bar) return false;
    if (const std::uint64_t key = line_of(i, j); key != 0) add_candidate({value, e, key});
    return true;
  });
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

void ExactStep::window_candidates(const CycleInput& in, double base, const CycleBounds& b,
                                  std::optional<std::uint64_t> zero_key, std::uint64_t hint) {
  const SubsetSums& H = high_;
  const SubsetSums& L = low_;
  const double target = in.target;
  const double reach = reach_of(std::fabs(value_of(hint) - target), b);
  const double lo = target - reach, hi = target + reach;
  candidates_.clear();
  Window w(L.sum.size());
  for (std::size_t i = 0; i < H.sum.size(); ++i) {
    const double hb = base + H.sum[i];
    w.move(lo, hi, [&](std::size_t j) { return hb + L.sum[j]; });
    for (std::size_t j = w.first; j < w.end; ++j) {
      std::uint64_t key = H.key[i] | L.key[j];
      if (key == 0) {
        if (!zero_key) continue;
        key = *zero_key;
      }
      const double value = hb + L.sum[j];
      add_candidate({value, std::fabs(value - target), key});
    }
  }
}

void ExactStep::add_candidate(const FourListCandidate& c) {
  if (candidates_.size() >= max_rechecks_) throw CandidateOverflow{};
  candidates_.push_back(c);
}

ExactOutcome ExactStep::decide_by_tie_rule(const CycleInput& in) {
  std::vector<FourListCandidate>().swap(candidates_);  // give their memory to the tie rule's lists
  std::vector<std::uint64_t>().swap(recheck_keys_);
  std::vector<double>().swap(recheck_values_);
  const std::optional<TieRuleOutcome> t = tie_rule_.decide(in);
  if (!t)
    throw InputError(fmt::format(
        "cycle {}: more than {} lines lie within rounding of the closest value and its terms span more than {} bits: "
        "no exact decision",
        in.cycle, max_rechecks_, TieRule::kMaxSpanBits));
  ExactOutcome out;
  out.key = t->key;
  out.result = value_of(t->key);
  out.exact_rechecks = 1;
  out.half_entries = t->half_entries;
  out.tie_rule = true;
  out.tied_lines = t->tied_lines;
  return out;
}

void TieRuleTally::add(const ExactOutcome& outcome) {
  if (!outcome.tie_rule) return;
  ++cycles;
  tied_lines = tied_lines > UINT64_MAX - outcome.tied_lines ? UINT64_MAX : tied_lines + outcome.tied_lines;
}

void TieRuleTally::write(std::map<std::string, std::string>& notes) const {
  if (cycles == 0) return;  // every winner is reference's: no note (records stay as they were)
  notes["exact_ties"] = std::to_string(cycles);
  notes["tie_rule"] = fmt::format(
      "in {} cycle(s) more lines lay within rounding of the closest value than are re-evaluated (2^24; 2^15 past 40 "
      "coefficients with d != 0): the winner is the line of smallest exact error (sums compared as exact integers), "
      "then larger r, then smallest line; reference may pick another of the lines within rounding",
      cycles);
  notes["tied_lines"] = std::to_string(tied_lines);
}

double ExactStep::reach_of(double error, const CycleBounds& b) {
  // Every line that could rank before a line of bit-exact error `error` lies within
  // this distance of the target in the halves' form.
  return error * (1 + 8 * DBL_EPSILON) + 3 * b.eps;
}

ExactOutcome ExactStep::pick_exact() const {
  // No sum rounds: the candidates' values are reference's. At the smallest error,
  // the larger value, then the smaller key.
  const FourListCandidate* win = nullptr;
  for (const FourListCandidate& c : candidates_) {
    if (win == nullptr || c.error < win->error ||
        (c.error == win->error && (c.value > win->value || (c.value == win->value && c.key < win->key))))
      win = &c;
  }
  if (win == nullptr) throw std::logic_error("exact step: no candidate line (bug)");
  ExactOutcome out;
  out.key = win->key;
  out.result = value_of(win->key);  // equal to win->value: no addition rounds
  out.exact_rechecks = 1;
  return out;
}

ExactOutcome ExactStep::pick_repaired(const CycleInput& in, const CycleBounds& b,
                                      std::optional<std::uint64_t> hint) {
  const double target = in.target;
  if (!hint) {  // the closest candidate in the halves' own rounding
    const FourListCandidate* closest = nullptr;
    for (const FourListCandidate& c : candidates_)
      if (closest == nullptr || c.error < closest->error) closest = &c;
    if (closest == nullptr) throw std::logic_error("exact step: no candidate line (bug)");
    hint = closest->key;
  }
  ExactOutcome out;
  out.key = *hint;
  out.result = value_of(out.key);
  double win_error = std::fabs(out.result - target);
  out.exact_rechecks = 1;
  const double reach = reach_of(win_error, b);
  const double lo = target - reach, hi = target + reach;
  // The lines within reach, evaluated in a batch, then ranked in candidate order.
  recheck_keys_.clear();
  for (const FourListCandidate& c : candidates_)
    if (c.key != *hint && c.value >= lo && c.value <= hi) recheck_keys_.push_back(c.key);
  recheck_values_.resize(recheck_keys_.size());
  values_of(recheck_keys_, recheck_values_);
  out.exact_rechecks += recheck_keys_.size();
  for (std::size_t c = 0; c < recheck_keys_.size(); ++c) {
    const double r = recheck_values_[c];
    const double e = std::fabs(r - target);
    if (line_wins(e, r, recheck_keys_[c], win_error, out.result, out.key)) {
      out.key = recheck_keys_[c];
      out.result = r;
      win_error = e;
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
    const double r = value_of(key);
    const double error = std::fabs(r - in.target);
    if (line == 1 || ranks_before(error, r, best_error, out.result)) {
      out.key = key;
      out.result = r;
      best_error = error;
    }
    out.all_below_target = out.all_below_target && r < in.target;
  }
  out.exact_rechecks = lines;
  return out;
}

}  // namespace wcs::search

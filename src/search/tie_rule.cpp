#include "search/tie_rule.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <limits>

#include "search/exact_step.hpp"
#include "wcs/formula.hpp"
#include "wcs/memory.hpp"

namespace wcs::search {
namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add_sat(std::uint64_t x, std::uint64_t y) { return x > kSaturated - y ? kSaturated : x + y; }
std::uint64_t mul_sat(std::uint64_t x, std::uint64_t y) { return y != 0 && x > kSaturated / y ? kSaturated : x * y; }
std::uint64_t shl_sat(std::uint64_t x, std::size_t bits) {
  if (x == 0) return 0;
  return bits >= 64 || x > (kSaturated >> bits) ? kSaturated : x << bits;
}

Int128 abs128(Int128 x) { return x < 0 ? -x : x; }

// x / 2^g as an integer: x is a multiple of 2^g (g at most its lowest bit exponent).
Int128 to_fixed(double x, int g) {
  if (x == 0.0) return 0;
  int e = 0;
  const double m = std::frexp(x, &e);                                // x = m 2^e, 0.5 <= |m| < 1
  const auto mantissa = static_cast<std::int64_t>(std::ldexp(m, 53));  // x = mantissa 2^(e - 53), exactly
  const int shift = e - 53 - g;
  const Int128 v = mantissa;
  return shift >= 0 ? v * (Int128{1} << shift) : v / (Int128{1} << -shift);  // exact either way
}

// All subsets of a list (or of a pair of lists) with one sum: its two smallest keys
// and how many subsets share it.
struct SumRun {
  Int128 sum = 0;
  std::uint64_t first = 0, second = 0;
  std::uint64_t count = 0;
  int known = 0;  // how many of first and second hold a key
  void offer(std::uint64_t key) {
    if (known == 0) {
      first = key;
      known = 1;
    } else if (key < first) {
      second = first;
      first = key;
      known = 2;
    } else if (known == 1 || key < second) {
      second = key;
      known = 2;
    }
  }
  bool has_second() const { return known == 2; }
};

// The runs of one sorted list, in increasing (Up) or decreasing order.
template <bool Up>
class ListStream {
 public:
  explicit ListStream(const FixedSums& list) : list_(list), pos_(Up ? 0 : list.sum.size()) {}
  bool next(SumRun& run) {
    const std::vector<Int128>& s = list_.sum;
    std::size_t lo = 0, hi = 0;  // the run is [lo, hi)
    if constexpr (Up) {
      if (pos_ == s.size()) return false;
      lo = pos_;
      for (hi = lo + 1; hi < s.size() && s[hi] == s[lo];) ++hi;
      pos_ = hi;
    } else {
      if (pos_ == 0) return false;
      hi = pos_;
      for (lo = hi - 1; lo > 0 && s[lo - 1] == s[hi - 1];) --lo;
      pos_ = lo;
    }
    run = SumRun{};
    run.sum = s[lo];
    run.offer(list_.key[lo]);
    if (hi - lo > 1) run.offer(list_.key[lo + 1]);
    run.count = hi - lo;
    return true;
  }

 private:
  const FixedSums& list_;
  std::size_t pos_;
};

// The runs of the sums of two lists, every pair, in increasing (Up) or decreasing
// order: a k-way merge of one sequence per entry of the small list `first` (its sum
// plus each sum of the big list `second`), with a tournament tree of losers over the
// sequences' heads (Knuth, TAOCP vol. 3, 5.4.1): after a sequence moves on, one
// comparison per level on the path to the root, without branches. Heads are kept as
// keys that increase along the stream (the sum, or its negation when decreasing);
// heads with equal sums are merged into one run.
template <bool Up>
class MergeStream {
 public:
  MergeStream(const FixedSums& first, const FixedSums& second) : first_(first), second_(second) {
    k_ = std::bit_ceil(first.sum.size());
    head_.assign(k_, kEnd);
    pos_.assign(k_, 0);
    for (std::size_t a = 0; a < first.sum.size(); ++a) {
      pos_[a] = Up ? 0 : second.sum.size();
      load(a);
    }
    // The tree: node i > 0 holds the loser of its two subtrees; leaves are k_ + a.
    tree_.assign(k_, 0);
    std::vector<std::uint32_t> winner(2 * k_);
    for (std::size_t a = 0; a < k_; ++a) winner[k_ + a] = static_cast<std::uint32_t>(a);
    for (std::size_t i = k_; i-- > 1;) {
      const std::uint32_t x = winner[2 * i], y = winner[2 * i + 1];
      const bool y_wins = head_[y] < head_[x];
      winner[i] = y_wins ? y : x;
      tree_[i] = y_wins ? x : y;
    }
    winner_ = winner[1];
  }
  bool next(SumRun& run) {
    const Int128 top = head_[winner_];
    if (top == kEnd) return false;
    run = SumRun{};
    run.sum = Up ? top : -top;
    do {
      take(winner_, run);
      replay(winner_);
    } while (head_[winner_] == top);
    return true;
  }

 private:
  static constexpr Int128 kEnd = Int128{1} << 125;  // after every key (sums stay below 2^125)

  // Leaf a's head from its position in `second`.
  void load(std::size_t a) {
    const std::size_t p = pos_[a];
    if constexpr (Up) {
      head_[a] = p < second_.sum.size() ? first_.sum[a] + second_.sum[p] : kEnd;
      if (p + 16 < second_.sum.size()) {
        __builtin_prefetch(&second_.sum[p + 16]);
        __builtin_prefetch(&second_.key[p + 16]);
      }
    } else {
      head_[a] = p > 0 ? -(first_.sum[a] + second_.sum[p - 1]) : kEnd;
      if (p > 16) {
        __builtin_prefetch(&second_.sum[p - 16]);
        __builtin_prefetch(&second_.key[p - 16]);
      }
    }
  }
  // Hands the run of equal sums at leaf a's head to `run` and moves the leaf past it.
  void take(std::size_t a, SumRun& run) {
    const std::vector<Int128>& s = second_.sum;
    std::size_t lo = pos_[a], hi = pos_[a];
    if constexpr (Up) {
      for (hi = lo + 1; hi < s.size() && s[hi] == s[lo];) ++hi;
      pos_[a] = hi;
    } else {
      for (lo = hi - 1; lo > 0 && s[lo - 1] == s[hi - 1];) --lo;
      pos_[a] = lo;
    }
    const std::uint64_t a_key = first_.key[a];
    run.offer(a_key | second_.key[lo]);
    if (hi - lo > 1) run.offer(a_key | second_.key[lo + 1]);
    run.count = add_sat(run.count, hi - lo);
    load(a);
  }
  // Leaf w's head changed: replays its matches up to the root. The selections are
  // arithmetic on masks: the outcome of a match is a coin toss, which a branch would
  // mispredict half the time.
  void replay(std::uint32_t w) {
    Int128 key = head_[w];
    for (std::size_t i = (w + k_) >> 1; i >= 1; i >>= 1) {
      const std::uint32_t other = tree_[i];
      const Int128 other_key = head_[other];
      // other_key < key from the sign of the difference (keys differ by less than 2^127).
      const auto diff_high = static_cast<std::uint64_t>(static_cast<UInt128>(other_key - key) >> 64);
      const std::uint64_t mask = 0 - (diff_high >> 63);
      const auto mask32 = static_cast<std::uint32_t>(mask);
      tree_[i] = (w & mask32) | (other & ~mask32);
      w = (other & mask32) | (w & ~mask32);
      key = select(mask, other_key, key);
    }
    winner_ = w;
  }
  static Int128 select(std::uint64_t mask, Int128 x, Int128 y) {
    const auto ux = static_cast<UInt128>(x), uy = static_cast<UInt128>(y);
    const UInt128 m = (static_cast<UInt128>(mask) << 64) | mask;
    return static_cast<Int128>((ux & m) | (uy & ~m));
  }

  const FixedSums& first_;
  const FixedSums& second_;
  std::size_t k_ = 1;
  std::vector<Int128> head_;       // per leaf: its next key, kEnd once done
  std::vector<std::size_t> pos_;   // per leaf: the next entry of `second` (Up), or one past it
  std::vector<std::uint32_t> tree_;
  std::uint32_t winner_ = 0;
};

struct Context {
  Int128 base = 0, target = 0;
  std::optional<std::uint64_t> zero_key;  // the zero-d coefficient of the largest index
  std::size_t zero_count = 0;             // coefficients with d == 0
  // The empty subset of each half is alone at sum 0 and no coefficient has d == 0:
  // the pair of the two empty subsets is no line at all. The walk then leaves both
  // out and takes the lines of one half alone on the side.
  bool bare_empty = false;
};

// The best line so far in docs/algorithm.md's order, on exact values, and how many
// lines share its value.
struct Best {
  bool have = false;
  Int128 error = 0, value = 0;
  std::uint64_t key = 0, tied = 0;
  void offer(Int128 v, std::uint64_t k, std::uint64_t lines, Int128 target) {
    const Int128 e = abs128(v - target);
    if (!have || e < error || (e == error && v > value)) {
      have = true;
      error = e;
      value = v;
      key = k;
      tied = lines;
    } else if (e == error && v == value) {
      key = std::min(key, k);
      tied = add_sat(tied, lines);
    }
  }
};

// A pair of runs of the two halves as the line it stands for (its smallest key) and
// the lines it holds.
void offer_pair(const SumRun& h, const SumRun& l, const Context& c, Best& best) {
  std::uint64_t key = h.first | l.first;
  std::uint64_t lines = shl_sat(mul_sat(h.count, l.count), c.zero_count);
  if (key == 0) {  // both empty subsets: another subset of the same sums, or a zero-d coefficient
    const std::uint64_t other = l.has_second() ? l.second : h.has_second() ? h.second : 0;
    if (c.zero_key) key = other != 0 ? std::min(other, *c.zero_key) : *c.zero_key;
    else key = other;
    if (key == 0) return;  // the empty combination alone: no line
    lines -= 1;
  }
  best.offer(c.base + h.sum + l.sum, key, lines, c.target);
}

// Two pointers over the runs of the high half (increasing) and of the low half
// (decreasing): every pair at the smallest error is visited (each stream's sums are
// distinct), so the best pair and every pair that ties it exactly are seen.
template <class Up, class Down>
void walk(Up& up, Down& down, const Context& c, Best& best) {
  SumRun h, l;
  // With bare_empty, the runs of the empty subsets leave the grid, and every other
  // run is a line on its own (with the other half's empty subset).
  auto next_up = [&] {
    while (up.next(h)) {
      if (!c.bare_empty) return true;
      if (h.first == 0) continue;
      best.offer(c.base + h.sum, h.first, h.count, c.target);
      return true;
    }
    return false;
  };
  auto next_down = [&] {
    while (down.next(l)) {
      if (!c.bare_empty) return true;
      if (l.first == 0) continue;
      best.offer(c.base + l.sum, l.first, l.count, c.target);
      return true;
    }
    return false;
  };
  bool have_h = next_up(), have_l = next_down();
  while (have_h && have_l) {
    offer_pair(h, l, c, best);
    if (c.base + h.sum + l.sum > c.target) have_l = next_down();
    else have_h = next_up();
  }
  if (!c.bare_empty) return;
  // The lines of one half alone that the grid did not reach: up to the first at or
  // past the target on each side.
  while (have_h && c.base + h.sum < c.target) have_h = next_up();
  while (have_l && c.base + l.sum > c.target) have_l = next_down();
}

// How many subsets of a half sum to exactly 0: in one list, or over pairs of two.
std::uint64_t zero_sums(const FixedSums& list) {
  const auto [lo, hi] = std::equal_range(list.sum.begin(), list.sum.end(), Int128{0});
  return static_cast<std::uint64_t>(hi - lo);
}
std::uint64_t zero_sums(const FixedSums& first, const FixedSums& second) {
  std::uint64_t count = 0;
  for (const Int128 s : first.sum) {
    const auto [lo, hi] = std::equal_range(second.sum.begin(), second.sum.end(), -s);
    count += static_cast<std::uint64_t>(hi - lo);
  }
  return count;
}

}  // namespace

void TieRule::build(std::span<const std::size_t> coefficients, FixedSums& out) {
  const std::size_t count = std::size_t{1} << coefficients.size();
  out.sum.assign(1, 0);
  out.key.assign(1, 0);
  out.sum.reserve(count);
  out.key.reserve(count);
  // Smallest |d| first (mostly concatenations); the merge keeps (sum, key) order.
  std::vector<std::size_t> join(coefficients.begin(), coefficients.end());
  std::sort(join.begin(), join.end(), [&](std::size_t x, std::size_t y) { return abs128(d_[x]) < abs128(d_[y]); });
  for (const std::size_t i : join) {
    const Int128 dc = d_[i];
    const std::uint64_t bit = key_bit(i);
    const std::size_t size = out.sum.size();
    scratch_.sum.resize(2 * size);
    scratch_.key.resize(2 * size);
    std::size_t x = 0, y = 0, o = 0;
    while (x < size && y < size) {
      const Int128 sx = out.sum[x], sy = out.sum[y] + dc;
      const std::uint64_t kx = out.key[x], ky = out.key[y] | bit;
      const bool take_x = sx < sy || (sx == sy && kx < ky);
      scratch_.sum[o] = take_x ? sx : sy;
      scratch_.key[o] = take_x ? kx : ky;
      ++o;
      x += static_cast<std::size_t>(take_x);
      y += static_cast<std::size_t>(!take_x);
    }
    for (; x < size; ++x, ++o) {
      scratch_.sum[o] = out.sum[x];
      scratch_.key[o] = out.key[x];
    }
    for (; y < size; ++y, ++o) {
      scratch_.sum[o] = out.sum[y] + dc;
      scratch_.key[o] = out.key[y] | bit;
    }
    std::swap(out.sum, scratch_.sum);
    std::swap(out.key, scratch_.key);
  }
}

std::optional<TieRuleOutcome> TieRule::decide(const CycleInput& in) {
  const std::size_t n = in.a.size();
  // The terms as reference computes them (off and on the line), and their lowest bit.
  std::vector<double> off(n), on(n);
  int g = INT_MAX, top = INT_MIN;
  auto note = [&](double x) {
    if (x == 0.0) return;
    g = std::min(g, lowest_bit_exponent(x));
    top = std::max(top, std::ilogb(x));
  };
  for (std::size_t i = 0; i < n; ++i) {
    off[i] = (in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 0.0)) * 1.0;
    on[i] = (in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0)) * in.wpn;
    note(off[i]);
    note(on[i]);
  }
  note(in.target);
  if (g == INT_MAX) g = top = 0;  // everything is 0
  if (top - g > kMaxSpanBits) return std::nullopt;
  Context c;
  c.target = to_fixed(in.target, g);
  d_.resize(n);
  active_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const Int128 x = to_fixed(off[i], g);
    c.base += x;
    d_[i] = to_fixed(on[i], g) - x;
    if (d_[i] != 0) {
      active_.push_back(i);
    } else {
      c.zero_key = key_bit(i);  // the last one: the largest index
      ++c.zero_count;
    }
  }
  TieRuleOutcome out;
  const std::size_t m = active_.size();
  if (m == 0) {  // every line has the same value: the smallest line wins
    out.key = *c.zero_key;
    out.tied_lines = shl_sat(1, n) - 1;
    return out;
  }
  const std::span<const std::size_t> act(active_);
  Best best;
  if (m - m / 2 <= two_list_max_bits_) {
    build(act.subspan(0, m / 2), lists_[0]);
    build(act.subspan(m / 2), lists_[1]);
    for (std::size_t q = 2; q < 4; ++q) lists_[q] = {};
    c.bare_empty = !c.zero_key && zero_sums(lists_[0]) == 1 && zero_sums(lists_[1]) == 1;
    ListStream<true> up(lists_[0]);
    ListStream<false> down(lists_[1]);
    walk(up, down, c, best);
    out.half_entries = lists_[0].sum.size() + lists_[1].sum.size();
  } else {
    const std::size_t high_small = m / 2 - std::min(m / 2, big_list_bits_);
    const std::size_t low_small = (m - m / 2) - std::min(m - m / 2, big_list_bits_);
    build(act.subspan(0, high_small), lists_[0]);
    build(act.subspan(high_small, m / 2 - high_small), lists_[1]);
    build(act.subspan(m / 2, low_small), lists_[2]);
    build(act.subspan(m / 2 + low_small), lists_[3]);
    c.bare_empty = !c.zero_key && zero_sums(lists_[0], lists_[1]) == 1 && zero_sums(lists_[2], lists_[3]) == 1;
    MergeStream<true> up(lists_[0], lists_[1]);
    MergeStream<false> down(lists_[2], lists_[3]);
    walk(up, down, c, best);
    out.half_entries = lists_[0].sum.size() * lists_[1].sum.size() + lists_[2].sum.size() * lists_[3].sum.size();
  }
  scratch_ = {};
  out.key = best.key;
  out.tied_lines = best.tied;
  return out;
}

std::uint64_t TieRule::memory_bytes(std::size_t n, std::size_t two_list_max_bits, std::size_t big_list_bits) {
  // Per entry a 16-byte sum and an 8-byte key, in a list and in the merge buffer
  // (which grows to the largest list); heap nodes of 32 bytes per small-list entry.
  const std::size_t h = n - n / 2;
  if (h <= two_list_max_bits) return pow2_bytes(h, 3 * 24);
  const std::size_t big = std::min(h, big_list_bits), small = h - big;
  return add_bytes(pow2_bytes(big, 3 * 24), pow2_bytes(small, 2 * (24 + 32)));
}

}  // namespace wcs::search

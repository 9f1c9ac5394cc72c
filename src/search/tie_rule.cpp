#include "search/tie_rule.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <limits>
#include <utility>

#include "search/line_key.hpp"
#include "wcs/formula.hpp"
#include "wcs/memory.hpp"
#include "wcs/strategy.hpp"

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
  const double m = std::frexp(x, &e);                                  // x = m 2^e, 0.5 <= |m| < 1
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

// The first index in [from, to) of sorted `b` whose value is >= x (or > x), else to.
std::size_t first_at_least(const std::vector<Int128>& b, std::size_t from, std::size_t to, Int128 x) {
  const auto at =
      std::lower_bound(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to), x);
  return static_cast<std::size_t>(at - b.begin());
}
std::size_t first_above(const std::vector<Int128>& b, std::size_t from, std::size_t to, Int128 x) {
  const auto at =
      std::upper_bound(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to), x);
  return static_cast<std::size_t>(at - b.begin());
}

// Sorts records by `off` (least significant digit first, 13 bits a digit), on the
// `bits` low bits that can differ; `tmp` is scratch.
struct Record {
  std::uint64_t off, key;
};
void radix_sort(std::vector<Record>& v, std::vector<Record>& tmp, unsigned bits, std::vector<std::uint32_t>& counts) {
  constexpr unsigned kDigit = 13;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigit;
  const unsigned passes = (bits + kDigit - 1) / kDigit;
  counts.assign(passes * kBuckets, 0);
  for (const Record& r : v)
    for (unsigned p = 0; p < passes; ++p) ++counts[p * kBuckets + ((r.off >> (p * kDigit)) & (kBuckets - 1))];
  tmp.resize(v.size());
  for (unsigned p = 0; p < passes; ++p) {
    std::uint32_t* c = counts.data() + p * kBuckets;
    if (std::find(c, c + kBuckets, static_cast<std::uint32_t>(v.size())) != c + kBuckets) continue;  // one digit
    std::uint32_t total = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) total += std::exchange(c[b], total);
    for (const Record& r : v) tmp[c[(r.off >> (p * kDigit)) & (kBuckets - 1)]++] = r;
    v.swap(tmp);
  }
}

// The runs of the sums of two lists, every pair, in increasing (Up) or decreasing
// order, a chunk at a time: one sequence per entry a of the small list `first` (its
// sum plus each sum of the big list `second`, in order), and a chunk takes from every
// sequence the pairs whose key (the sum, or its negation when decreasing) lies in
// [lo, lo + width): a contiguous block of each, found by galloping from where the
// sequence stands. The chunk, at most chunk_pairs_ pairs and a width below 2^62, is sorted
// by its keys' offsets from lo (64-bit radix sort), and its runs handed out. Memory
// stays a few MB; each pair is touched a few times in cache, where a heap or a
// tournament over 2^8 sequences pays a chain of dependent comparisons per pair.
template <bool Up>
class ChunkStream {
 public:
  ChunkStream(const FixedSums& first, const FixedSums& second, std::size_t chunk)
      : first_(first),
        second_(second),
        chunk_pairs_(chunk),
        pos_(first.sum.size(), Up ? 0 : second.sum.size()),
        bound_(first.sum.size()) {}

  bool next(SumRun& run) {
    if (at_ == chunk_.size()) {
      chunk_.clear();
      at_ = 0;
      if (!refill(run)) return false;
      if (chunk_.empty()) return true;  // one sum held by more pairs than a chunk: its run directly
    }
    const std::uint64_t off = chunk_[at_].off;
    run = SumRun{};
    run.sum = Up ? lo_ + off : -(lo_ + off);
    for (; at_ < chunk_.size() && chunk_[at_].off == off; ++at_) {
      run.offer(chunk_[at_].key);
      ++run.count;
    }
    return true;
  }

 private:
  static constexpr std::uint64_t kMaxWidth = std::uint64_t{1} << 62;

  // Sequence a's next key (false when it is done).
  bool head(std::size_t a, Int128& key) const {
    const std::size_t p = pos_[a];
    if constexpr (Up) {
      if (p == second_.sum.size()) return false;
      key = first_.sum[a] + second_.sum[p];
    } else {
      if (p == 0) return false;
      key = -(first_.sum[a] + second_.sum[p - 1]);
    }
    return true;
  }
  // Where sequence a stops below key `hi`: Up, the first entry at or after pos with
  // sum >= hi - first; down, the first entry before pos of a run of sums > -hi - first.
  std::size_t stop(std::size_t a, Int128 hi) const {
    const std::vector<Int128>& b = second_.sum;
    const std::size_t pos = pos_[a];
    if constexpr (Up) {
      const Int128 x = hi - first_.sum[a];
      std::size_t lo = pos;
      for (std::size_t step = 1; lo < b.size(); step *= 2) {
        const std::size_t probe = std::min(lo + step, b.size()) - 1;
        if (!(b[probe] < x)) return first_at_least(b, lo, probe + 1, x);
        lo = probe + 1;
      }
      return b.size();
    } else {
      const Int128 x = -hi - first_.sum[a];
      std::size_t end = pos;  // b[end, pos) > x
      for (std::size_t step = 1; end > 0; step *= 2) {
        const std::size_t probe = end > step ? end - step : 0;
        if (!(b[probe] > x)) return first_above(b, probe + 1, end, x);
        end = probe;
      }
      return 0;
    }
  }
  // Pairs with key below hi (stops at `cap`), and each sequence's stop in bound_.
  std::size_t count(Int128 hi, std::size_t cap) {
    std::size_t total = 0;
    for (std::size_t a = 0; a < pos_.size() && total <= cap; ++a) {
      bound_[a] = stop(a, hi);
      total += Up ? bound_[a] - pos_[a] : pos_[a] - bound_[a];
    }
    return total;
  }
  // The next chunk, or (when the smallest key alone has more than chunk_pairs_ pairs) its
  // run into `run`. False when every sequence is done.
  bool refill(SumRun& run) {
    bool any = false;
    for (std::size_t a = 0; a < pos_.size(); ++a) {
      Int128 key = 0;
      if (head(a, key) && (!any || key < lo_)) lo_ = key;
      any = any || head(a, key);
    }
    if (!any) return false;
    if (count(lo_ + 1, chunk_pairs_) > chunk_pairs_) {
      take_equal(run);
      return true;
    }
    std::uint64_t w = std::max<std::uint64_t>(width_, 1);
    while (w > 1 && count(lo_ + static_cast<Int128>(w), chunk_pairs_) > chunk_pairs_) w >>= 1;
    while (w < kMaxWidth && count(lo_ + static_cast<Int128>(2 * w), chunk_pairs_) <= chunk_pairs_) w <<= 1;
    width_ = w;
    count(lo_ + static_cast<Int128>(w), SIZE_MAX);
    poll_stop();  // a chunk is well under a millisecond: Ctrl-C is heard at once (issue 22)
    gather();
    radix_sort(chunk_, scratch_, static_cast<unsigned>(std::bit_width(w - 1)), counts_);
    return true;
  }
  // Every pair whose key is lo_ (bound_ holds the stops for lo_ + 1), as one run.
  void take_equal(SumRun& run) {
    count(lo_ + 1, SIZE_MAX);
    run = SumRun{};
    run.sum = Up ? lo_ : -lo_;
    for (std::size_t a = 0; a < pos_.size(); ++a) {
      const std::size_t from = std::min(pos_[a], bound_[a]), to = std::max(pos_[a], bound_[a]);
      if (from == to) continue;
      run.offer(first_.key[a] | second_.key[from]);  // the smallest keys of a run of equal sums
      if (to - from > 1) run.offer(first_.key[a] | second_.key[from + 1]);
      run.count = add_sat(run.count, to - from);
      pos_[a] = bound_[a];
    }
  }
  void gather() {
    for (std::size_t a = 0; a < pos_.size(); ++a) {
      const Int128 base = Up ? first_.sum[a] - lo_ : -first_.sum[a] - lo_;
      const std::uint64_t a_key = first_.key[a];
      if constexpr (Up) {
        for (std::size_t j = pos_[a]; j < bound_[a]; ++j)
          chunk_.push_back({static_cast<std::uint64_t>(base + second_.sum[j]), a_key | second_.key[j]});
      } else {
        for (std::size_t j = pos_[a]; j-- > bound_[a];)
          chunk_.push_back({static_cast<std::uint64_t>(base - second_.sum[j]), a_key | second_.key[j]});
      }
      pos_[a] = bound_[a];
    }
  }

  const FixedSums& first_;
  const FixedSums& second_;
  std::size_t chunk_pairs_;
  std::vector<std::size_t> pos_;    // per sequence: its next entry of `second` (Up), or one past it
  std::vector<std::size_t> bound_;  // per sequence: where it stops in this chunk
  std::vector<Record> chunk_, scratch_;
  std::vector<std::uint32_t> counts_;
  std::size_t at_ = 0;
  Int128 lo_ = 0;
  std::uint64_t width_ = 2;
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
  const Int128 value = c.base + h.sum + l.sum;
  if (best.have && abs128(value - c.target) > best.error) return;  // most pairs: nothing to do
  std::uint64_t key = h.first | l.first;
  std::uint64_t lines = shl_sat(mul_sat(h.count, l.count), c.zero_count);
  if (key == 0) {  // both empty subsets: another subset of the same sums, or a zero-d coefficient
    const std::uint64_t other = l.has_second() ? l.second : h.has_second() ? h.second : 0;
    if (c.zero_key) key = other != 0 ? std::min(other, *c.zero_key) : *c.zero_key;
    else key = other;
    if (key == 0) return;  // the empty combination alone: no line
    lines -= 1;
  }
  best.offer(value, key, lines, c.target);
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
    ChunkStream<true> up(lists_[0], lists_[1], chunk_pairs_);
    ChunkStream<false> down(lists_[2], lists_[3], chunk_pairs_);
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
  if (h <= two_list_max_bits) return pow2_bytes(h, std::uint64_t{3} * 24);
  const std::size_t big = std::min(h, big_list_bits), small = h - big;
  return add_bytes(pow2_bytes(big, std::uint64_t{3} * 24), pow2_bytes(small, std::uint64_t{2} * (24 + 32)));
}

}  // namespace wcs::search

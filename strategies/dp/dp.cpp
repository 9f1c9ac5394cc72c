// `dp`: exact dynamic programme over reachable subset sums, for cycles whose
// arithmetic is exact (integer and dyadic problems).
//
// A cycle is a closest-subset-sum problem over the d_i (docs in src/wcs/formula.hpp):
// r(s) = base + sum_{i in s} d_i. When every value of the cycle is a multiple of one
// power of two and no sum reaches 2^52 of those units (wcs::search::cycle_bounds
// says `exact`), every d_i is an integer k_i times u = 2^g, and every line's value
// is base + (sum of its k_i) u exactly, in reference's form as in this one. The set
// of reachable sums then fits a bitset over [sum of the negative k, sum of the
// positive k] (the span), built one coefficient at a time with a shift and an or
// (Bellman's subset-sum programme, 64 sums per word): O(N * span / 64) words.
//
// The sets are those of the suffixes: R_i holds the sums of the non-empty subsets of
// coefficients i..N-1, each over its own range. R_0 gives the closest sums to the
// target; the winner's line is rebuilt from coefficient 0 (the most significant bit
// of a line) on: a coefficient is left out whenever the coefficients after it can
// still make the remaining sum, which gives the smallest line of that sum. Ties are
// reference's: the error |r - target| as reference computes it (in double, from the
// exact r), then the larger r, then the smallest line; the empty combination is no
// line. The all-below decision (WPN rule) is wcs::search::all_below_target, exact
// here because the arithmetic is.
//
// Outside its domain (values that are not exact in binary, a span above max_span,
// suffix tables above max_table_mb) a cycle refuses with an InputError that says
// which and why: `dp` never falls back to another search.
#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "search/exact_step.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/memory.hpp"
#include "wcs/plugin.hpp"

namespace {

constexpr long long kDefaultMaxSpan = 1LL << 28;  // one set of 32 MB, ~4M words per coefficient
constexpr long long kDefaultMaxTableMb = 1024;

struct Settings {
  std::uint64_t max_span = kDefaultMaxSpan;
  std::uint64_t max_table_bytes = static_cast<std::uint64_t>(kDefaultMaxTableMb) << 20;
};

std::size_t words_for(std::uint64_t bits) { return static_cast<std::size_t>((bits + 63) / 64); }

/// dst[j] |= bits of src moved up by `shift` bits (src has `src_words` words whose
/// bits beyond its size are 0; dst has room for them).
void or_shifted(std::uint64_t* dst, std::size_t dst_words, const std::uint64_t* src, std::size_t src_words,
                std::uint64_t shift) {
  const std::size_t q = static_cast<std::size_t>(shift >> 6);
  const unsigned b = static_cast<unsigned>(shift & 63);
  std::uint64_t* out = dst + q;
  if (b == 0) {
    for (std::size_t j = 0; j < src_words; ++j) out[j] |= src[j];
    return;
  }
  out[0] |= src[0] << b;
  for (std::size_t j = 1; j < src_words; ++j) out[j] |= (src[j] << b) | (src[j - 1] >> (64 - b));
  if (q + src_words < dst_words) out[src_words] |= src[src_words - 1] >> (64 - b);
}

class DpSearch final : public wcs::CycleSearch {
 public:
  explicit DpSearch(Settings s) : s_(s) {}

  void prepare(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    const std::size_t n = problem.n();
    d_.assign(n, 0.0);
    k_.assign(n, 0);
    lo_.assign(n + 1, 0);
    hi_.assign(n + 1, 0);
    offset_.assign(n + 1, 0);
    largest_span_ = 0;
    largest_table_ = 0;
    reached_ = 0;
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    const wcs::search::CycleBounds bounds = wcs::search::cycle_bounds(in, base, d_);
    if (!bounds.finite)
      throw wcs::InputError(fmt::format(
          "dp: cycle {}: line values overflow (p = {}); dp decides only cycles whose sums are exact", in.cycle, in.wpn));
    if (!bounds.exact)
      throw wcs::InputError(fmt::format(
          "dp: cycle {}: the values are not dyadic (not multiples of one power of two 2^g whose sums stay below "
          "2^(52+g): decimal coefficients, target, weights or p = {}), so subset sums are not exact; dp solves "
          "integer and dyadic problems only (mitm and the enumerating strategies solve any)",
          in.cycle, in.wpn));

    // Units: the largest power of two dividing every non-zero d_i.
    int g = INT_MAX;
    for (double x : d_)
      if (x != 0.0) g = std::min(g, wcs::lowest_bit_exponent(x));
    if (g == INT_MAX) g = 0;  // every d_i is 0: every line has the value base
    const double unit = std::ldexp(1.0, g);
    for (std::size_t i = n; i-- > 0;) {
      k_[i] = static_cast<std::int64_t>(d_[i] / unit);  // exact: |d_i| < 2^(52+g)
      lo_[i] = lo_[i + 1] + std::min<std::int64_t>(k_[i], 0);
      hi_[i] = hi_[i + 1] + std::max<std::int64_t>(k_[i], 0);
    }
    const auto span = static_cast<std::uint64_t>(hi_[0] - lo_[0]) + 1;
    if (span > s_.max_span)
      throw wcs::InputError(fmt::format(
          "dp: cycle {}: the subset sums span {} units of 2^{} (p = {}), above max_span={}; raise max_span or use "
          "mitm",
          in.cycle, span, g, in.wpn, s_.max_span));
    // R_i over [lo_i, hi_i] at offset_[i]; R_N (no non-empty subset) is not stored.
    std::size_t words = 0;
    for (std::size_t i = 0; i < n; ++i) {
      offset_[i] = words;
      words += words_for(static_cast<std::uint64_t>(hi_[i] - lo_[i]) + 1);
    }
    offset_[n] = words;
    if (static_cast<std::uint64_t>(words) * 8 > s_.max_table_bytes)
      throw wcs::InputError(fmt::format(
          "dp: cycle {}: the {} suffix sets of sums spanning {} units of 2^{} take {} MB, above max_table_mb={}; "
          "raise max_table_mb or use mitm",
          in.cycle, n, span, g, (static_cast<std::uint64_t>(words) * 8 + (1u << 20) - 1) >> 20,
          s_.max_table_bytes >> 20));
    largest_span_ = std::max(largest_span_, span);
    largest_table_ = std::max<std::uint64_t>(largest_table_, words);
    if (table_.size() < words) {
      wcs::check_memory("dp", n, static_cast<std::uint64_t>(words) * 8);  // before allocating: exit 2, not bad_alloc
      table_.resize(words);
    }

    build(n);
    const std::uint64_t* r0 = set(0);
    const std::size_t w0 = words_of(0);
    std::uint64_t distinct = 0;
    for (std::size_t j = 0; j < w0; ++j) distinct += static_cast<std::uint64_t>(std::popcount(r0[j]));
    reached_ += distinct;

    const std::int64_t best = closest_sum(in.target, base, unit);
    wcs::CycleOutcome out;
    out.winner = smallest_line(best);
    out.result = wcs::line_value(in.a, in.w, in.wpn, std::as_const(out.winner));
    if (out.result != base + static_cast<double>(best) * unit)
      throw std::logic_error("dp: rebuilt line's value differs from its sum (bug)");
    std::uint64_t exact_rechecks = 1;
    out.all_below_target = wcs::search::all_below_target(in, base, d_, bounds, exact_rechecks);
    out.evaluations = distinct + exact_rechecks;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    result.notes["largest_span"] = std::to_string(largest_span_);
    result.notes["largest_table_words"] = std::to_string(largest_table_);
    result.notes["sums_reached"] = std::to_string(reached_);
  }

 private:
  std::uint64_t* set(std::size_t i) { return table_.data() + offset_[i]; }
  std::size_t words_of(std::size_t i) const { return offset_[i + 1] - offset_[i]; }
  std::uint64_t bits_of(std::size_t i) const { return static_cast<std::uint64_t>(hi_[i] - lo_[i]) + 1; }

  // R_i = R_{i+1} | (R_{i+1} + k_i) | {k_i}, over [lo_i, hi_i]. With ranges, both
  // copies of R_{i+1} land at offsets 0 and |k_i| (the range grows on k_i's side).
  void build(std::size_t n) {
    for (std::size_t i = n; i-- > 0;) {
      std::uint64_t* dst = set(i);
      const std::size_t dw = words_of(i);
      if (i + 1 < n) {
        const std::uint64_t* src = set(i + 1);
        const std::size_t sw = words_of(i + 1);
        std::memcpy(dst, src, sw * sizeof(std::uint64_t));
        std::memset(dst + sw, 0, (dw - sw) * sizeof(std::uint64_t));
        const auto shift = static_cast<std::uint64_t>(k_[i] < 0 ? -k_[i] : k_[i]);
        if (shift != 0) or_shifted(dst, dw, src, sw, shift);
      } else {
        std::memset(dst, 0, dw * sizeof(std::uint64_t));
      }
      const auto single = static_cast<std::uint64_t>(k_[i] - lo_[i]);
      dst[single >> 6] |= std::uint64_t{1} << (single & 63);
    }
  }

  // Whether sum `s` is in R_i (i < N).
  bool reaches(std::size_t i, std::int64_t s) {
    if (s < lo_[i] || s > hi_[i]) return false;
    const auto p = static_cast<std::uint64_t>(s - lo_[i]);
    return (set(i)[p >> 6] >> (p & 63)) & 1u;
  }

  // The first set position of R_0 at or after p, or `none`.
  static constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t next_set(std::uint64_t p) {
    const std::uint64_t bits = bits_of(0);
    if (p >= bits) return kNone;
    const std::uint64_t* r = set(0);
    std::size_t w = static_cast<std::size_t>(p >> 6);
    std::uint64_t word = r[w] & (~std::uint64_t{0} << (p & 63));
    const std::size_t words = words_of(0);
    while (word == 0) {
      if (++w == words) return kNone;
      word = r[w];
    }
    return static_cast<std::uint64_t>(w) * 64 + static_cast<std::uint64_t>(std::countr_zero(word));
  }
  // The last set position of R_0 at or before p (p < bits), or `none`.
  std::uint64_t prev_set(std::uint64_t p) {
    if (p == kNone) return kNone;
    const std::uint64_t* r = set(0);
    std::size_t w = static_cast<std::size_t>(p >> 6);
    const unsigned b = static_cast<unsigned>(p & 63);
    std::uint64_t word = r[w] & (b == 63 ? ~std::uint64_t{0} : (std::uint64_t{2} << b) - 1);
    while (word == 0) {
      if (w == 0) return kNone;
      word = r[--w];
    }
    return static_cast<std::uint64_t>(w) * 64 + 63 - static_cast<std::uint64_t>(std::countl_zero(word));
  }

  // The sum (in units) of reference's winner: smallest error as reference computes
  // it, then the larger r.
  std::int64_t closest_sum(double target, double base, double unit) {
    const std::uint64_t bits = bits_of(0);
    const std::int64_t lo = lo_[0];
    auto value = [&](std::uint64_t p) { return base + static_cast<double>(lo + static_cast<std::int64_t>(p)) * unit; };
    // A start near the target; the scans below correct any rounding of it.
    const double x = std::floor((target - base) / unit) - static_cast<double>(lo);
    const std::uint64_t start =
        !(x > 0) ? 0 : x >= static_cast<double>(bits - 1) ? bits - 1 : static_cast<std::uint64_t>(x);
    // above: the first reachable sum after `start` with r > target; below: the last
    // reachable sum before `above` with r <= target.
    std::uint64_t above = next_set(start);
    while (above != kNone && value(above) <= target) above = next_set(above + 1);
    std::uint64_t below = prev_set((above == kNone ? bits : above) - 1);
    while (below != kNone && value(below) > target) {
      above = below;
      below = below == 0 ? kNone : prev_set(below - 1);
    }
    const double e_below = below == kNone ? std::numeric_limits<double>::infinity() : std::fabs(value(below) - target);
    const double e_above = above == kNone ? std::numeric_limits<double>::infinity() : std::fabs(value(above) - target);
    std::uint64_t win = below;
    if (above != kNone && e_above <= e_below) {
      // Larger sums whose rounded error equals the best one rank before it (larger r).
      win = above;
      for (std::uint64_t p = next_set(above + 1); p != kNone && std::fabs(value(p) - target) == e_above;
           p = next_set(p + 1))
        win = p;
    }
    if (win == kNone) throw std::logic_error("dp: no reachable sum (bug)");
    return lo + static_cast<std::int64_t>(win);
  }

  // The smallest line whose coefficients' k sum to `s` (s in R_0).
  wcs::Combination smallest_line(std::int64_t s) {
    const std::size_t n = k_.size();
    wcs::Combination c(n);
    bool chosen = false;
    for (std::size_t i = 0; i < n; ++i) {
      // Leave coefficient i out when the later ones still make s (a non-empty subset
      // of them unless something is chosen already).
      const bool rest = i + 1 < n && reaches(i + 1, s);
      if (rest || (chosen && s == 0)) continue;
      c.set(i);
      s -= k_[i];
      chosen = true;
    }
    if (s != 0 || !chosen) throw std::logic_error("dp: line rebuilt from the suffix sets misses its sum (bug)");
    return c;
  }

  Settings s_;
  std::vector<double> d_;
  std::vector<std::int64_t> k_, lo_, hi_;
  std::vector<std::size_t> offset_;
  std::vector<std::uint64_t> table_;
  std::uint64_t largest_span_ = 0, largest_table_ = 0, reached_ = 0;
};

void register_dp(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "dp";
  info.family = wcs::Family::identical;
  info.description =
      "exact subset-sum dynamic programme on bitsets of reachable sums: O(N * span / 64) words per cycle, for "
      "integer and dyadic problems";
  info.domain =
      "cycles whose values are exact in binary (integer or dyadic data) with subset sums spanning at most max_span "
      "units and suffix sets within max_table_mb; other cycles are refused (input error)";
  info.options = {
      wcs::OptionSpec::integer("max_span", kDefaultMaxSpan, 1, 1e15,
                               "largest span of a cycle's subset sums, in units of their power of two"),
      wcs::OptionSpec::integer("max_table_mb", kDefaultMaxTableMb, 1, 1e7,
                               "largest memory of a cycle's suffix sets of sums, in MB"),
  };
  // What its options let a cycle take: the suffix sets, at most max_table_mb and at
  // most N sets of max_span bits (the span of a cycle's data is known only then; each
  // cycle checks its own table again before allocating it).
  info.memory_bytes = [](std::size_t n, const wcs::Options& o) {
    const std::uint64_t table = static_cast<std::uint64_t>(o.integer("max_table_mb")) << 20;
    const std::uint64_t sets = wcs::mul_bytes(n, (static_cast<std::uint64_t>(o.integer("max_span")) + 63) / 64 * 8);
    return wcs::add_bytes(std::min(table, sets), wcs::mul_bytes(n + 1, 48));
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    Settings s;
    s.max_span = static_cast<std::uint64_t>(options.integer("max_span"));
    s.max_table_bytes = static_cast<std::uint64_t>(options.integer("max_table_mb")) << 20;
    return wcs::make_cycle_strategy(std::make_unique<DpSearch>(s));
  });
}

}  // namespace

WCS_PLUGIN(register_dp)

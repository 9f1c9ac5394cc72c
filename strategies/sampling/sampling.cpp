// `sampling`: adaptive sampling of combinations (seed idea 1). Exhaustive, and then
// identical to `reference`, while N <= threshold; above it each cycle tests
// `sample_size` combinations drawn by `mode` from the run's seed.
//
// Both paths use the base + d_i form of docs/algorithm.md (a cycle is a
// closest-subset-sum over the d_i), with values summed from tables of subset sums.
// The exhaustive path hands its best line to the exact step of the identical
// strategies (src/search/exact_step.hpp), which makes the winner, its r and the WPN
// decision reference's to the bit. The sampled path takes its best sampled line as
// the winner, recomputes its r with the bit-exact wcs::line_value, and takes the
// WPN decision (every line of the cycle below the target) exactly too, with the
// exact step's all-below rule, which works for any N.
#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "search/exact_step.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

constexpr long long kMaxThreshold = 30;  // 2^30 lines per exhaustive cycle
constexpr int kLevels = 6;               // importance probabilities in steps of 1/64

/// xoshiro256** (Blackman and Vigna, https://prng.di.unimi.it/) seeded through
/// splitmix64: a few times faster than std::mt19937_64, which matters when a cycle
/// draws hundreds of thousands of words.
class Rng {
 public:
  void seed(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15u;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t operator()() {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, n).
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>((*this)()) * n) >> 64);
  }

 private:
  std::uint64_t s_[4] = {};
};

enum class Mode { importance, random, progressive };

Mode parse_mode(const std::string& s) {
  if (s == "importance") return Mode::importance;
  if (s == "random") return Mode::random;
  if (s == "progressive") return Mode::progressive;
  throw wcs::InputError(fmt::format("sampling: mode={} is not one of importance, random, progressive", s));
}

struct Settings {
  std::size_t threshold = 12;
  std::size_t sample_size = 10000;
  Mode mode = Mode::importance;
  bool fixed = false;  // resample=fixed: the first cycle's sample in every cycle
};

/// Builds `table[m]` = sum of d[index[j]] over the set bits j of m, one d at a time
/// (m with its lowest bit cleared, plus that bit's d): lines that differ only in
/// bits whose d is exactly 0 get bit-identical values.
void subset_sums(std::vector<double>& table, std::size_t bits, auto&& term) {
  table.resize(std::size_t{1} << bits);
  table[0] = 0.0;
  for (std::size_t m = 1; m < table.size(); ++m)
    table[m] = table[m & (m - 1)] + term(static_cast<std::size_t>(std::countr_zero(m)));
}

class SamplingSearch final : public wcs::CycleSearch {
 public:
  explicit SamplingSearch(Settings s) : s_(s) {}

  void prepare(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    rng_.seed(options.seed);
    n_ = problem.n();
    words_ = (n_ + 63) / 64;
    d_.assign(n_, 0.0);
    fixed_sample_.clear();
    exhaustive_ = n_ <= s_.threshold;
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    base_ = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    if (exhaustive_) return exhaustive(in);
    wcs::CycleOutcome out = sampled(in);
    out.result = wcs::line_value(in.a, in.w, in.wpn, std::as_const(out.winner));
    std::uint64_t exact_rechecks = 0;
    out.all_below_target =
        wcs::search::all_below_target(in, base_, d_, wcs::search::cycle_bounds(in, base_, d_), exact_rechecks);
    out.evaluations += exact_rechecks;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    static constexpr const char* kModes[] = {"importance", "random", "progressive"};
    result.notes["sampling"] = exhaustive_ ? "exhaustive (N <= threshold)"
                                           : fmt::format("{} sample of {} per cycle ({})", kModes[int(s_.mode)],
                                                         s_.sample_size, s_.fixed ? "fixed" : "per_cycle");
  }

 private:
  // ---- N <= threshold: every line, then the exact step ----------------------------
  //
  // Line bit j is coefficient N-1-j. A line's value is (base + hi[h]) + lo[l] over
  // its high and low halves; the line of smallest error in that arithmetic is the
  // exact step's hint.
  wcs::CycleOutcome exhaustive(const wcs::CycleInput& in) {
    const std::size_t n = n_;
    const std::size_t low_bits = n / 2, high_bits = n - low_bits;
    subset_sums(lo_, low_bits, [&](std::size_t j) { return d_[n - 1 - j]; });
    subset_sums(hi_, high_bits, [&](std::size_t j) { return d_[n - 1 - (low_bits + j)]; });
    double best = std::numeric_limits<double>::infinity();
    std::uint64_t best_line = 0;
    const double target = in.target;
    const std::uint64_t lo_count = std::uint64_t{1} << low_bits;
    for (std::uint64_t h = 0; h < (std::uint64_t{1} << high_bits); ++h) {
      const double high = base_ + hi_[h];
      for (std::uint64_t l = h == 0 ? 1 : 0; l < lo_count; ++l) {
        const double error = std::fabs((high + lo_[l]) - target);
        if (error < best) [[unlikely]] {
          best = error;
          best_line = (h << low_bits) | l;
        }
      }
    }
    std::optional<std::uint64_t> hint;
    if (best_line != 0) hint = wcs::search::key_of_line(best_line, n);
    const wcs::search::ExactOutcome exact = exact_.resolve(in, base_, d_, hint);
    wcs::CycleOutcome out;
    out.winner = wcs::search::combination_of_key(exact.key, n);
    out.result = exact.result;
    out.all_below_target = exact.all_below_target;
    out.evaluations = (std::uint64_t{1} << n) - 1;
    return out;
  }

  // ---- N > threshold: a seeded sample ---------------------------------------------
  //
  // A combination is a bit mask (bit i = coefficient i, 64 to a word). Its value is
  // base + the sum, over its bytes, of a 256-entry table of that byte's subset sums
  // (one lookup per 8 coefficients, rebuilt each cycle in O(32 N)).
  wcs::CycleOutcome sampled(const wcs::CycleInput& in) {
    const std::size_t chunks = (n_ + 7) / 8;
    tables_.resize(chunks * 256);
    for (std::size_t c = 0; c < chunks; ++c) {
      double* t = &tables_[c * 256];
      t[0] = 0.0;
      for (std::size_t b = 1; b < 256; ++b) {
        const std::size_t i = c * 8 + static_cast<std::size_t>(std::countr_zero(b));
        t[b] = t[b & (b - 1)] + (i < n_ ? d_[i] : 0.0);
      }
    }
    if (s_.mode != Mode::random) importance_planes();

    best_mask_.assign(words_, 0);
    mask_.assign(words_, 0);
    have_best_ = false;
    target_ = in.target;
    if (words_ == 1 && !s_.fixed) {
      sampled_one_word();
    } else if (s_.fixed) {
      if (fixed_sample_.empty()) {
        fixed_sample_.resize(s_.sample_size * words_);
        for (std::size_t k = 0; k < s_.sample_size; ++k) {
          if ((k & 0xffff) == 0) wcs::poll_stop();  // every 2^16 samples: Ctrl-C in Python
          draw(k, &fixed_sample_[k * words_]);
        }
      }
      for (std::size_t k = 0; k < s_.sample_size; ++k) {
        if ((k & 0xffff) == 0) wcs::poll_stop();
        consider(&fixed_sample_[k * words_]);
      }
    } else {
      for (std::size_t k = 0; k < s_.sample_size; ++k) {
        if ((k & 0xffff) == 0) wcs::poll_stop();
        draw(k, mask_.data());
        consider(mask_.data());
      }
    }
    wcs::CycleOutcome out;
    out.winner = wcs::Combination(n_);
    for (std::size_t i = 0; i < n_; ++i)
      if ((best_mask_[i >> 6] >> (i & 63)) & 1u) out.winner.set(i);
    out.evaluations = s_.sample_size;
    return out;
  }

  /// The per_cycle sample for N <= 64: masks stay in a register, and for N <= 32
  /// one random word serves two probability digits (the two 32-bit halves).
  void sampled_one_word() {
    const std::uint64_t valid = n_ == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_) - 1;
    const std::size_t half = s_.mode == Mode::progressive ? s_.sample_size / 2 : 0;
    const double* t = tables_.data();
    const std::size_t chunks = (n_ + 7) / 8;
    const bool pooled = n_ <= 32;
    for (std::size_t k = 0; k < s_.sample_size; ++k) {
      if ((k & 0xffff) == 0) wcs::poll_stop();  // every 2^16 samples
      const bool importance = s_.mode == Mode::importance || (s_.mode == Mode::progressive && k >= half);
      std::uint64_t bits;
      if (importance && k - half < n_) {
        bits = std::uint64_t{1} << by_magnitude_[k - half];
      } else if (importance) {
        bits = 0;
        std::uint64_t pool = 0;
        int left = 0;
        for (int j = 0; j < kLevels; ++j) {
          const std::uint64_t plane = planes_[static_cast<std::size_t>(j)];
          if (plane == 0 && bits == 0) continue;
          std::uint64_t u;
          if (pooled) {
            if (left == 0) { pool = rng_(); left = 2; }
            u = pool;
            pool >>= 32;
            --left;
          } else {
            u = rng_();
          }
          bits = (u & (plane | bits)) | (plane & bits);
        }
        bits &= valid;
      } else {
        bits = rng_() & valid;
      }
      if (bits == 0) bits = std::uint64_t{1} << rng_.below(n_);
      double even = 0.0, odd = 0.0;
      std::uint64_t rest = bits;
      for (std::size_t c = 0; c < chunks; c += 2) {
        even += t[c * 256 + (rest & 255)];
        if (c + 1 < chunks) odd += t[(c + 1) * 256 + ((rest >> 8) & 255)];
        rest >>= 16;
      }
      const double r = base_ + (even + odd);
      const double error = std::fabs(r - target_);
      if (have_best_) {
        if (!wcs::line_wins(error, r, best_error_, best_r_, [&] { return wcs::mask_line_less(bits, best_mask_[0]); }))
          continue;
      }
      have_best_ = true;
      best_error_ = error;
      best_r_ = r;
      best_mask_[0] = bits;
    }
  }

  /// Inclusion probability of coefficient i for importance draws: 0 when d_i is
  /// exactly 0 (selecting it only makes a larger line of the same value), else
  /// between 1/8 and 7/8, growing with |d_i| / max |d|; stored as 6 bit planes so a
  /// draw takes 6 random words per 64 coefficients (bitwise comparison of a uniform
  /// binary fraction with the probability, least significant digit first).
  void importance_planes() {
    double largest = 0;
    for (double x : d_) largest = std::max(largest, std::fabs(x));
    planes_.assign(words_ * kLevels, 0);
    by_magnitude_.resize(n_);
    std::iota(by_magnitude_.begin(), by_magnitude_.end(), std::size_t{0});
    std::stable_sort(by_magnitude_.begin(), by_magnitude_.end(),
                     [&](std::size_t x, std::size_t y) { return std::fabs(d_[x]) > std::fabs(d_[y]); });
    for (std::size_t i = 0; i < n_; ++i) {
      const double m = std::fabs(d_[i]);
      if (!(m > 0) || !(largest > 0) || !std::isfinite(largest)) continue;
      const double q = 0.125 + 0.75 * (m / largest);
      const auto level = static_cast<unsigned>(std::clamp(std::lround(q * 64), 1L, 63L));
      for (int j = 0; j < kLevels; ++j)  // plane j holds the digit of weight 2^(j - 6)
        if ((level >> j) & 1u) planes_[(i >> 6) * kLevels + static_cast<std::size_t>(j)] |= std::uint64_t{1} << (i & 63);
    }
  }

  /// The k-th combination of this cycle's sample into `mask` (never empty).
  void draw(std::size_t k, std::uint64_t* mask) {
    bool importance = s_.mode == Mode::importance;
    std::size_t first_importance = 0;
    if (s_.mode == Mode::progressive) {
      first_importance = s_.sample_size / 2;  // first half random, second half importance
      importance = k >= first_importance;
    }
    std::fill(mask, mask + words_, 0);
    const std::size_t tail = n_ & 63;
    const std::uint64_t last_word = tail ? (std::uint64_t{1} << tail) - 1 : ~std::uint64_t{0};
    if (importance && k - first_importance < n_) {
      // Every single-coefficient combination, largest |d| first.
      const std::size_t i = by_magnitude_[k - first_importance];
      mask[i >> 6] = std::uint64_t{1} << (i & 63);
      return;
    }
    bool any = false;
    for (std::size_t w = 0; w < words_; ++w) {
      std::uint64_t bits;
      if (importance) {
        bits = 0;
        const std::uint64_t* plane = &planes_[w * kLevels];
        for (int j = 0; j < kLevels; ++j) {
          if (plane[j] == 0 && bits == 0) continue;  // 0 & anything stays 0
          const std::uint64_t u = rng_();
          bits = (u & (plane[j] | bits)) | (plane[j] & bits);
        }
      } else {
        bits = rng_();
      }
      if (w + 1 == words_) bits &= last_word;
      mask[w] = bits;
      any = any || bits;
    }
    if (!any) {  // the empty set is no line: take one uniform coefficient instead
      const std::size_t i = rng_.below(n_);
      mask[i >> 6] = std::uint64_t{1} << (i & 63);
    }
  }

  /// Evaluates one mask and keeps it when it beats the best so far.
  void consider(const std::uint64_t* mask) {
    double even = 0.0, odd = 0.0;  // two chains for instruction-level parallelism
    const double* t = tables_.data();
    const std::size_t chunks = (n_ + 7) / 8;
    std::size_t c = 0;
    for (std::size_t w = 0; w < words_; ++w) {
      std::uint64_t bits = mask[w];
      for (int b = 0; b < 8 && c < chunks; b += 2, c += 2) {
        even += t[c * 256 + (bits & 255)];
        if (c + 1 < chunks) odd += t[(c + 1) * 256 + ((bits >> 8) & 255)];
        bits >>= 16;
      }
    }
    const double r = base_ + (even + odd);
    const double error = std::fabs(r - target_);
    if (have_best_ && !wcs::line_wins(error, r, best_error_, best_r_, [&] {
          return wcs::mask_line_less({mask, words_}, {best_mask_.data(), words_});
        }))
      return;
    have_best_ = true;
    best_error_ = error;
    best_r_ = r;
    std::copy(mask, mask + words_, best_mask_.begin());
  }

  Settings s_;
  Rng rng_;
  std::size_t n_ = 0, words_ = 0;
  bool exhaustive_ = false;
  double base_ = 0.0, target_ = 0.0;
  std::vector<double> d_, lo_, hi_, tables_;
  wcs::search::ExactStep exact_;
  std::vector<std::uint64_t> planes_, mask_, best_mask_, fixed_sample_;
  std::vector<std::size_t> by_magnitude_;
  bool have_best_ = false;
  double best_error_ = 0.0, best_r_ = 0.0;
};

void register_sampling(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "sampling";
  info.family = wcs::Family::converging;
  info.description = "exhaustive up to `threshold` coefficients, above it a seeded sample of combinations per cycle";
  info.options = {
      wcs::OptionSpec::integer("threshold", 12, 0, kMaxThreshold, "largest N searched exhaustively (identical to reference)"),
      wcs::OptionSpec::integer("sample_size", 10000, 1, 1e9, "combinations tested per cycle above the threshold"),
      wcs::OptionSpec::choice("mode", "importance", {"importance", "random", "progressive"},
                              "importance: larger |d| more often, all singles included; random: uniform subsets; "
                              "progressive: half random, half importance"),
      wcs::OptionSpec::choice("resample", "per_cycle", {"per_cycle", "fixed"},
                              "per_cycle: a new sample each cycle; fixed: the first cycle's sample every cycle"),
  };
  info.memory_bytes = [](std::size_t n, const wcs::Options& o) -> std::uint64_t {
    if (n <= static_cast<std::size_t>(o.integer("threshold")))  // two half-tables, the exact step
      return wcs::add_bytes(wcs::pow2_bytes(n / 2 + 1, 16), wcs::search::ExactStep::memory_bytes(n));
    const std::uint64_t fixed = o.text("resample") == "fixed" ? wcs::mul_bytes(static_cast<std::uint64_t>(o.integer("sample_size")), (n + 63) / 64 * 8) : 0;
    return wcs::add_bytes(wcs::mul_bytes(n + 64, 512), fixed);
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    Settings s;
    s.threshold = static_cast<std::size_t>(options.integer("threshold"));
    s.sample_size = static_cast<std::size_t>(options.integer("sample_size"));
    s.mode = parse_mode(options.text("mode"));
    s.fixed = options.text("resample") == "fixed";
    return wcs::make_cycle_strategy(std::make_unique<SamplingSearch>(s));
  });
}

}  // namespace

WCS_PLUGIN(register_sampling)

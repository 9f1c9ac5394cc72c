#include "report/stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "wcs/hash.hpp"

namespace wcs::report {

namespace {

// SplitMix64: small, fast and the same on every platform and standard library
// (std::uniform_int_distribution is not), so the intervals repeat bit for bit.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by multiply-shift; the bias (n / 2^64) is far below the
  // resolution of any interval here.
  std::size_t below(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  std::uint64_t state_;
};

// Median of v, reordering it.
double median_in_place(std::vector<double>& v) {
  if (v.empty()) return NAN;
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
  const double upper = v[m];
  if (v.size() % 2) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m));
  return (lower + upper) / 2;
}

// One two-stage resample of `groups` at the given group indices, into `out`.
void resample(const Groups& groups, const std::vector<std::size_t>& picks, Rng& rng, std::vector<double>& out) {
  out.clear();
  for (std::size_t g : picks) {
    const auto& reps = groups[g];
    for (std::size_t k = 0; k < reps.size(); ++k) out.push_back(reps[rng.below(reps.size())]);
  }
}

bool usable(const Groups& groups) {
  for (const auto& g : groups)
    if (!g.empty()) return true;
  return false;
}

Groups non_empty(const Groups& groups) {
  Groups out;
  for (const auto& g : groups)
    if (!g.empty()) out.push_back(g);
  return out;
}

Estimate interval(std::vector<double>& stats, double value) {
  std::sort(stats.begin(), stats.end());
  return {value, quantile_sorted(stats, 0.025), quantile_sorted(stats, 0.975)};
}

}  // namespace

double median(std::vector<double> values) { return median_in_place(values); }

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = h - static_cast<double>(lo);
  if (frac == 0.0 || sorted[lo] == sorted[hi]) return sorted[lo];
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

std::uint64_t seed_of(const std::string& key) { return fnv1a64(key); }

Estimate median_ci(const Groups& all, std::uint64_t seed, int resamples) {
  const Groups groups = non_empty(all);
  if (!usable(groups)) return {};
  std::vector<double> pooled;
  for (const auto& g : groups) pooled.insert(pooled.end(), g.begin(), g.end());
  const double value = median(pooled);
  Rng rng(seed);
  std::vector<double> stats, sample;
  std::vector<std::size_t> picks(groups.size());
  stats.reserve(static_cast<std::size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    for (auto& p : picks) p = rng.below(groups.size());
    resample(groups, picks, rng, sample);
    stats.push_back(median_in_place(sample));
  }
  return interval(stats, value);
}

Estimate ratio_ci(const Groups& numerator, const Groups& denominator, std::uint64_t seed, int resamples) {
  if (numerator.size() != denominator.size()) throw std::invalid_argument("ratio_ci: the groups are not paired");
  Groups num, den;
  for (std::size_t i = 0; i < numerator.size(); ++i)
    if (!numerator[i].empty() && !denominator[i].empty()) {
      num.push_back(numerator[i]);
      den.push_back(denominator[i]);
    }
  if (num.empty()) return {};
  std::vector<double> a, b;
  for (const auto& g : num) a.insert(a.end(), g.begin(), g.end());
  for (const auto& g : den) b.insert(b.end(), g.begin(), g.end());
  const double value = median(a) / median(b);
  Rng rng(seed);
  std::vector<double> stats;
  std::vector<std::size_t> picks(num.size());
  stats.reserve(static_cast<std::size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    for (auto& p : picks) p = rng.below(num.size());
    resample(num, picks, rng, a);
    resample(den, picks, rng, b);
    stats.push_back(median_in_place(a) / median_in_place(b));
  }
  return interval(stats, value);
}

Estimate wilson(std::size_t successes, std::size_t trials) {
  if (trials == 0) return {};
  constexpr double z = 1.959963984540054;  // the 97.5% point of the standard normal
  const double n = static_cast<double>(trials), p = static_cast<double>(successes) / n;
  const double denom = 1 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

UTest mann_whitney_u(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n1 = x.size(), n2 = y.size();
  if (n1 == 0 || n2 == 0) return {};
  // Average ranks over the pooled sample.
  std::vector<std::pair<double, int>> all;
  for (double v : x) all.emplace_back(v, 0);
  for (double v : y) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::size_t n = all.size();
  double rank_sum_x = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && all[j + 1].first == all[i].first) ++j;
    const double t = static_cast<double>(j - i + 1);
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2;
    for (std::size_t k = i; k <= j; ++k)
      if (all[k].second == 0) rank_sum_x += rank;
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    i = j + 1;
  }
  const double m1 = static_cast<double>(n1), m2 = static_cast<double>(n2);
  UTest out;
  out.u = rank_sum_x - m1 * (m1 + 1) / 2;
  const double u = std::max(out.u, m1 * m2 - out.u);
  if (!(n1 > 8 && n2 > 8) && !ties) {
    // Exact: the number of arrangements with U = k are the coefficients of the
    // Gaussian binomial [m + n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
    const std::size_t m = std::min(n1, n2), k = std::max(n1, n2), top = m * k;
    std::vector<double> c(top + 1, 0.0);
    c[0] = 1;
    for (std::size_t i = 1; i <= m; ++i) {
      for (std::size_t d = top; d >= k + i; --d) c[d] -= c[d - k - i];  // * (1 - q^(k+i))
      for (std::size_t d = i; d <= top; ++d) c[d] += c[d - i];           // / (1 - q^i)
    }
    double total = 0, tail = 0;
    for (std::size_t d = 0; d <= top; ++d) {
      total += c[d];
      if (static_cast<double>(d) >= u) tail += c[d];
    }
    out.p = std::min(1.0, 2 * tail / total);
    out.exact = true;
    return out;
  }
  const double mu = m1 * m2 / 2, total = m1 + m2;
  const double sigma = std::sqrt(m1 * m2 / 12 * ((total + 1) - tie_term / (total * (total - 1))));
  if (!(sigma > 0)) {
    out.p = 1;
    return out;
  }
  const double z = (u - mu - 0.5) / sigma;
  out.p = std::clamp(std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);  // 2 * P(Z > z)
  return out;
}

std::vector<std::pair<double, double>> ecdf(std::vector<double> runtimes) {
  std::vector<std::pair<double, double>> steps;
  const double n = static_cast<double>(runtimes.size());
  std::sort(runtimes.begin(), runtimes.end());
  for (std::size_t i = 0; i < runtimes.size(); ++i) {
    if (!std::isfinite(runtimes[i])) break;
    if (i + 1 < runtimes.size() && runtimes[i + 1] == runtimes[i]) continue;
    steps.emplace_back(runtimes[i], static_cast<double>(i + 1) / n);
  }
  return steps;
}

double ecdf_at(const std::vector<double>& runtimes, double budget) {
  if (runtimes.empty()) return NAN;
  std::size_t k = 0;
  for (double r : runtimes) k += r <= budget;
  return static_cast<double>(k) / static_cast<double>(runtimes.size());
}

double ert(const std::vector<double>& used, const std::vector<bool>& reached) {
  if (used.empty()) return NAN;
  double sum = 0;
  std::size_t successes = 0;
  for (std::size_t i = 0; i < used.size(); ++i) {
    sum += used[i];
    successes += reached[i];
  }
  return successes ? sum / static_cast<double>(successes) : INFINITY;
}

std::vector<std::vector<double>> performance_ratios(const std::vector<std::vector<double>>& cost) {
  const std::size_t solvers = cost.empty() ? 0 : cost.front().size();
  std::vector<std::vector<double>> ratios(solvers);
  for (const auto& row : cost) {
    double best = INFINITY;
    for (double c : row) best = std::min(best, c);
    for (std::size_t s = 0; s < solvers; ++s) {
      const double c = row[s];
      double r = INFINITY;
      if (std::isfinite(c) && std::isfinite(best)) r = best > 0 ? c / best : (c > 0 ? INFINITY : 1.0);
      ratios[s].push_back(r);
    }
  }
  for (auto& r : ratios) std::sort(r.begin(), r.end());
  return ratios;
}

double profile_at(const std::vector<double>& sorted_ratios, double tau) {
  if (sorted_ratios.empty()) return NAN;
  const auto k = std::upper_bound(sorted_ratios.begin(), sorted_ratios.end(), tau) - sorted_ratios.begin();
  return static_cast<double>(k) / static_cast<double>(sorted_ratios.size());
}

const char* unit_name(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::ns: return "ns";
    case TimeUnit::us: return "us";
    case TimeUnit::ms: return "ms";
    case TimeUnit::s: return "s";
  }
  return "s";
}

double unit_seconds(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::ns: return 1e-9;
    case TimeUnit::us: return 1e-6;
    case TimeUnit::ms: return 1e-3;
    case TimeUnit::s: return 1.0;
  }
  return 1.0;
}

TimeUnit unit_for(const std::vector<double>& seconds) {
  std::vector<double> v;
  for (double x : seconds)
    if (std::isfinite(x) && x > 0) v.push_back(x);
  if (v.empty()) return TimeUnit::ns;
  const double m = median(v);
  for (TimeUnit u : {TimeUnit::s, TimeUnit::ms, TimeUnit::us})
    if (m / unit_seconds(u) >= 1) return u;
  return TimeUnit::ns;
}

std::string sig3(double x) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  const double a = std::abs(x);
  if (a < 1e-4 || a >= 1e7) return fmt::format("{:.2e}", x);
  // Round to three significant digits first: 999.6 becomes 1000 and gets no decimals.
  int e = static_cast<int>(std::floor(std::log10(a)));
  const double scale = std::pow(10.0, e - 2);
  const double r = std::round(x / scale) * scale;
  e = static_cast<int>(std::floor(std::log10(std::abs(r))));
  return fmt::format("{:.{}f}", r, std::max(0, 2 - e));
}

std::string time_in(double seconds, TimeUnit unit) { return sig3(seconds / unit_seconds(unit)); }

}  // namespace wcs::report

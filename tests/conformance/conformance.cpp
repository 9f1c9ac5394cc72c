#include "conformance.hpp"

#include "record/record.hpp"

#include "boundary.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <limits>
#include <optional>
#include <random>

#include "wcs/error.hpp"
#include "wcs/plugin_loader.hpp"

#include <stdlib.h>  // mkdtemp

namespace wcs::test {

TempDir::TempDir() {
  std::string name = (std::filesystem::temp_directory_path() / "wcs-test-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + name);
  path_ = name;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Registry& plugins() {
  static Registry registry;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    const char* dir = std::getenv("WCS_TEST_PLUGIN_DIR");
    REQUIRE(dir != nullptr);
    PluginReport report;
    load_plugin_dir(dir, registry, report);
    for (const auto& p : report.problems) FAIL_CHECK("plugin: " << p);
    REQUIRE(registry.find("reference") != nullptr);
  }
  return registry;
}

std::vector<Case> problems(std::size_t count, std::size_t max_n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  std::vector<Case> out;
  for (std::size_t k = 0; k < count; ++k) {
    Case c;
    Problem& p = c.problem;
    const std::size_t n = static_cast<std::size_t>(uniform(1, static_cast<long long>(max_n)));
    const int kind = static_cast<int>(k % 6);  // 0-3 integer, 4-5 decimal
    c.integer = kind < 4;
    double positive = 0, negative = 0;
    do {
      p.coefficients.clear();
      positive = negative = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double a;
        if (kind == 2) a = static_cast<double>(uniform(1, 4)) * (uniform(0, 1) ? 1 : -1);  // many ties
        else if (c.integer) a = static_cast<double>(uniform(-50, 50));
        else a = static_cast<double>(uniform(-10000, 10000)) / 1000.0;
        p.coefficients.push_back(a);
        (a > 0 ? positive : negative) += a;
      }
    } while (positive == 0 && negative == 0);
    const int target_rule = static_cast<int>(uniform(0, 3));
    std::string rule;
    if (target_rule == 0) {  // the sum of a random subset: reachable
      double t = 0;
      for (double a : p.coefficients) if (uniform(0, 1)) t += a;
      p.target = t;
      rule = "subset";
    } else if (target_rule == 1) {  // beyond every line: never converges, WPN doubles
      p.target = positive + static_cast<double>(uniform(1, 100));
      p.max_iter = uniform(1, 6);
      rule = "above";
    } else {
      p.target = c.integer ? static_cast<double>(uniform(-200, 200)) : static_cast<double>(uniform(-200000, 200000)) / 1000.0;
      rule = "random";
    }
    if (rule != "above") p.max_iter = uniform(1, 40);
    p.tolerance = c.integer ? static_cast<double>(uniform(0, 3)) : static_cast<double>(uniform(0, 3000)) / 1000.0;
    const int wpn_rule = static_cast<int>(uniform(0, 4));
    if (wpn_rule == 1) p.initial_wpn = 0.5;
    if (wpn_rule == 2) p.initial_wpn = c.integer ? 4.0 : 1.7;
    if (wpn_rule == 3) { p.wpn_lo = 0.25; p.wpn_hi = 2.0; }
    if (wpn_rule == 4) { p.wpn_lo = -1.0; p.wpn_hi = 8.0; p.initial_wpn = -1.0; }
    c.label = "case " + std::to_string(k) + " (seed " + std::to_string(seed) + ", N=" + std::to_string(n) +
              (c.integer ? ", integer" : ", decimal") + ", target " + rule + ")";
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Case> big_cases(std::uint64_t seed) {
  std::vector<Case> out;
  for (auto& c : problems(80, 20, seed)) {
    if (c.problem.n() < 18 || out.size() == 4) continue;
    c.problem.max_iter = std::min<long long>(c.problem.max_iter, 2);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Problem> large_problems(std::size_t count, std::size_t lo, std::size_t hi, std::uint64_t seed,
                                    long long max_iter) {
  std::mt19937_64 rng(seed);
  std::vector<Problem> out;
  for (std::size_t k = 0; k < count; ++k) {
    Problem p;
    const std::size_t n = std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
    std::uniform_real_distribution<double> coef(-10.0, 10.0);
    double subset = 0, positive = 0;
    for (std::size_t i = 0; i < n; ++i) {
      p.coefficients.push_back(std::round(coef(rng) * 1000) / 1000);
      if (rng() & 1) subset += p.coefficients.back();
      positive += std::max(0.0, p.coefficients.back());
    }
    const int rule = static_cast<int>(k % 3);
    p.target = rule == 0 ? subset : rule == 1 ? std::uniform_real_distribution<double>(-100, 100)(rng) : positive + 5;
    p.tolerance = std::uniform_real_distribution<double>(0, 0.5)(rng);
    p.max_iter = std::uniform_int_distribution<long long>(1, max_iter)(rng);
    if (k % 4 == 3) p.initial_wpn = 0.5;
    out.push_back(std::move(p));
  }
  return out;
}

void check_honest(const Problem& p, const SolveResult& r, bool cycles_bounded) {
  INFO("N=" << p.n() << " target=" << p.target << " tol=" << p.tolerance);
  // The record's own check of a result: what a run record would call it.
  const auto fault = record::check_result(record::solve_record(p, "", {}, r));
  CHECK(fault == std::nullopt);
  if (fault) FAIL_CHECK(fault->first << ": " << fault->second);
  if (cycles_bounded) {
    CHECK(r.cycles >= 1);
    CHECK(r.cycles <= p.max_iter);
  }
}

bool agree(double x, double y, bool exact) {
  if (exact) return x == y;
  if (x == y) return true;
  return std::fabs(x - y) <= 1e-9 * std::max({std::fabs(x), std::fabs(y), 1e-300}) ||
         std::fabs(x - y) <= 1e-12;
}

namespace {

std::string describe(const Problem& p) {
  std::string coef;
  for (double a : p.coefficients) coef += fmt::format("{}{}", coef.empty() ? "" : ",", a);
  return fmt::format("coef={} target={} tol={} max_iter={} wpn={} bounds=[{},{}]", coef, p.target, p.tolerance,
                     p.max_iter, p.initial_wpn, p.wpn_lo, p.wpn_hi);
}

}  // namespace

std::size_t check_family(const std::string& strategy, const std::map<std::string, std::string>& options,
                         const std::vector<Case>& cases) {
  return check_family_counts(strategy, options, cases).converged;
}

FamilyCounts check_family_counts(const std::string& strategy, const std::map<std::string, std::string>& options,
                                 const std::vector<Case>& cases) {
  Registry& registry = plugins();
  Solver reference = registry.create("reference");
  Solver candidate = registry.create(strategy, options);
  const Family family = candidate.info().family;
  const bool may_refuse = !candidate.info().domain.empty();
  SolveOptions traced;
  traced.trace = true;
  FamilyCounts counts;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    INFO(strategy << " on " << c.label << ": " << describe(c.problem));
    if (c.problem.n() > candidate.info().max_n) continue;
    SolveResult got;
    try {
      got = candidate.solve(c.problem, traced);
    } catch (const InputError& e) {
      if (!may_refuse) throw;
      // A refusal of a strategy with a declared domain: counted, and its message names
      // the strategy (the caller checks that it is justified).
      CHECK(std::string(e.what()).rfind(strategy + ":", 0) == 0);
      ++counts.refused;
      counts.refusals.emplace_back(k, e.what());
      continue;
    }
    ++counts.solved;
    counts.converged += got.converged;
    if (family != Family::identical) {
      check_honest(c.problem, got, false);
      continue;
    }
    if (got.converged) CHECK(got.error <= c.problem.tolerance);
    REQUIRE(got.weights.size() == c.problem.n());
    const SolveResult want = reference.solve(c.problem, traced);
    const std::optional<std::string> difference = identical_difference(got, want);
    INFO("reproduce: " << solve_command(strategy, options, c.problem));
    CHECK(difference.value_or("") == "");
  }
  return counts;
}

namespace {

// The exponent of the lowest set bit of a finite non-zero x.
int lowest_exponent(double x) {
  int e = 0;
  const double m = std::frexp(std::fabs(x), &e);
  auto mantissa = static_cast<std::uint64_t>(std::ldexp(m, 53));
  int zeros = 0;
  while ((mantissa & 1u) == 0) {
    mantissa >>= 1;
    ++zeros;
  }
  return e - 53 + zeros;
}

}  // namespace

std::string outside_dyadic(const Problem& p, std::span<const double> w, double wpn, const DyadicLimits& limits) {
  const std::size_t n = p.n();
  std::vector<double> terms, d(n);
  double base = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double off = p.coefficients[i] * w[i];
    const double on = p.coefficients[i] * (w[i] != 0.0 ? w[i] : 1.0) * wpn;
    base += off;
    d[i] = on - off;
    terms.insert(terms.end(), {off, on, d[i]});
  }
  terms.push_back(base);
  long double scale = std::fabs(static_cast<long double>(p.target));
  int g = std::numeric_limits<int>::max();
  for (double t : terms) {
    if (!std::isfinite(t)) return "values overflow";
    scale += std::fabs(static_cast<long double>(t));
    if (t != 0.0) g = std::min(g, lowest_exponent(t));
  }
  if (g != std::numeric_limits<int>::max() && !(scale < std::ldexp(1.0L, 52 + std::max(g, -1074))))
    return "not dyadic";
  int gd = std::numeric_limits<int>::max();
  for (double x : d)
    if (x != 0.0) gd = std::min(gd, lowest_exponent(x));
  if (gd == std::numeric_limits<int>::max()) return "";
  long double lo = 0, hi = 0;
  std::uint64_t words = 0, span = 0;
  for (std::size_t i = n; i-- > 0;) {
    const long double k = std::ldexp(static_cast<long double>(d[i]), -gd);
    (k < 0 ? lo : hi) += k;
    span = static_cast<std::uint64_t>(hi - lo) + 1;
    words += (span + 63) / 64;
  }
  if (span > limits.max_span) return fmt::format("span {} above max_span {}", span, limits.max_span);
  if (words * 8 > limits.max_table_bytes) return fmt::format("table of {} words above the limit", words);
  return "";
}

std::pair<long long, std::string> first_cycle_outside_dyadic(const Problem& p, const SolveResult& ref,
                                                             const DyadicLimits& limits) {
  for (const TraceEntry& t : ref.trace) {
    std::string why = outside_dyadic(p, t.weights_before, t.wpn, limits);
    if (!why.empty()) return {t.cycle, why};
  }
  return {0, ""};
}

std::string domain_mismatch(const Solver& solver, const Problem& problem, const SolveResult& want,
                            const std::string* refusal) {
  if (solver.info().name != "dp") return "";  // no checker for this domain: refusals only counted
  DyadicLimits limits;
  limits.max_span = static_cast<std::uint64_t>(solver.options().integer("max_span"));
  limits.max_table_bytes = static_cast<std::uint64_t>(solver.options().integer("max_table_mb")) << 20;
  const auto [cycle, why] = first_cycle_outside_dyadic(problem, want, limits);
  if (!refusal) return cycle == 0 ? "" : fmt::format("solved although cycle {} is outside its domain ({})", cycle, why);
  if (cycle == 0) return "refused a problem inside its domain: " + *refusal;
  const std::string named = fmt::format("dp: cycle {}:", cycle);
  if (refusal->rfind(named, 0) != 0)
    return fmt::format("refused with '{}' but the first cycle outside its domain is {} ({})", *refusal, cycle, why);
  return "";
}

}  // namespace wcs::test

// `dp` against `reference` (conformance kit) on integer and dyadic problems, its
// refusals checked against its declared domain (tests/conformance: the first cycle
// of reference's run outside exact binary arithmetic or the span bound), against
// `mitm` beyond what `reference` runs, and at N = 1000 against an independent
// subset-sum programme written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>

#include "boundary.hpp"
#include "conformance.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"

namespace {

// The cycle named by a refusal "dp: cycle K: ...", or 0.
long long refused_cycle(const std::string& message) {
  const std::string head = "dp: cycle ";
  if (message.rfind(head, 0) != 0) return 0;
  return std::stoll(message.substr(head.size()));
}

// Every refusal of `counts` is justified: reference's run reaches a cycle outside the
// dyadic domain and the refusal names exactly that cycle; every case dp solved is
// inside the domain on every cycle (else dp should have refused).
void check_refusals(const std::vector<wcs::test::Case>& cases, const wcs::test::FamilyCounts& counts,
                    const wcs::test::DyadicLimits& limits = {}) {
  wcs::Solver reference = wcs::test::plugins().create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  std::set<std::size_t> refused;
  for (const auto& [k, message] : counts.refusals) {
    refused.insert(k);
    INFO(cases[k].label << ": " << message);
    const auto [cycle, why] = wcs::test::first_cycle_outside_dyadic(cases[k].problem,
                                                                    reference.solve(cases[k].problem, traced), limits);
    CHECK(cycle != 0);
    CHECK(refused_cycle(message) == cycle);
    if (why.rfind("span", 0) == 0) CHECK(message.find("max_span") != std::string::npos);
    if (why == "not dyadic") CHECK(message.find("not dyadic") != std::string::npos);
  }
  for (std::size_t k = 0; k < cases.size(); ++k) {
    if (refused.count(k)) continue;
    INFO(cases[k].label);
    CHECK(wcs::test::first_cycle_outside_dyadic(cases[k].problem, reference.solve(cases[k].problem, traced), limits)
              .first == 0);
  }
}

std::vector<wcs::test::Case> integer_cases(const std::vector<wcs::test::Case>& all) {
  std::vector<wcs::test::Case> out;
  for (const auto& c : all)
    if (c.integer) out.push_back(c);
  return out;
}

// Dyadic problems: coefficients and target multiples of 1/8 or 1/1024, p a power of two.
std::vector<wcs::test::Case> dyadic_cases(std::size_t count, std::size_t max_n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng); };
  std::vector<wcs::test::Case> out;
  for (std::size_t k = 0; k < count; ++k) {
    wcs::test::Case c;
    const std::size_t n = static_cast<std::size_t>(uniform(1, static_cast<long long>(max_n)));
    const double unit = k % 2 ? 0.125 : 1.0 / 1024;
    double subset = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double a = static_cast<double>(uniform(-400, 400)) * unit;
      if (a == 0.0) a = unit;
      c.problem.coefficients.push_back(a);
      if (uniform(0, 1)) subset += a;
    }
    c.problem.target = k % 3 ? subset : static_cast<double>(uniform(-5000, 5000)) * unit;
    c.problem.tolerance = static_cast<double>(uniform(0, 3)) * unit;
    c.problem.max_iter = uniform(1, 12);
    if (k % 4 == 1) c.problem.initial_wpn = 0.5;
    if (k % 4 == 2) { c.problem.wpn_lo = 0.25; c.problem.wpn_hi = 2.0; }
    c.integer = true;  // exact arithmetic: compared to the bit either way
    c.label = "dyadic case " + std::to_string(k) + " (seed " + std::to_string(seed) + ", N=" + std::to_string(n) + ")";
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

TEST_CASE("dp declares its domain and options") {
  const wcs::StrategyInfo& info = wcs::test::plugins().get("dp");
  CHECK(info.family == wcs::Family::identical);
  CHECK_FALSE(info.domain.empty());
  CHECK(info.max_n >= 1000);
  wcs::Solver dp = wcs::test::plugins().create("dp");
  CHECK(dp.options().integer("max_span") >= (1LL << 24));
  CHECK(dp.options().integer("max_table_mb") >= 256);
}

TEST_CASE("dp passes the conformance kit on its integer problems, refusing only outside its domain") {
  const auto cases = integer_cases(wcs::test::problems());
  REQUIRE(cases.size() >= 150);
  const auto counts = wcs::test::check_family_counts("dp", {}, cases);
  check_refusals(cases, counts);
  // Most integer problems stay exact and narrow for their whole run.
  CHECK(counts.solved >= cases.size() * 3 / 4);
  WARN("dp on " << cases.size() << " integer kit problems: " << counts.solved << " solved, " << counts.refused
                << " refused (span or exactness)");
}

TEST_CASE("dp equals reference on dyadic problems and on the kit's larger integer problems") {
  const auto dyadic = dyadic_cases(200, 14, 777);
  const auto counts = wcs::test::check_family_counts("dp", {}, dyadic);
  check_refusals(dyadic, counts);
  CHECK(counts.solved >= 150);
  const auto big = integer_cases(wcs::test::problems(120, 20, 4242));
  check_refusals(big, wcs::test::check_family_counts("dp", {}, big));
}

TEST_CASE("dp refuses decimal problems with an input error that says why") {
  wcs::Solver dp = wcs::test::plugins().create("dp");
  wcs::Problem p;
  p.coefficients = {1.1, 2.3, -0.7};
  p.target = 2.0;
  p.max_iter = 5;
  CHECK_THROWS_AS(dp.solve(p), wcs::InputError);
  CHECK_THROWS_WITH(dp.solve(p), Catch::StartsWith("dp: cycle 1:") && Catch::Contains("not dyadic"));
  // Every decimal kit problem is either refused (with a justified refusal) or exact.
  std::vector<wcs::test::Case> decimal;
  for (auto& c : wcs::test::problems())
    if (!c.integer) decimal.push_back(c);
  const auto counts = wcs::test::check_family_counts("dp", {}, decimal);
  check_refusals(decimal, counts);
  CHECK(counts.refused >= decimal.size() * 9 / 10);
}

TEST_CASE("dp refuses a span above max_span, naming the cycle, the span and the bound") {
  wcs::Problem p;
  p.coefficients = {1000, 2000, -3000, 4000};
  p.target = 123456;  // above every line: p doubles, and the span with it
  p.max_iter = 30;
  wcs::Solver small = wcs::test::plugins().create("dp", {{"max_span", "100000"}});
  // Cycle 1 spans 1000 + 2000 + 4000 + 3000 units of 2^3 (every d_i a multiple of 8):
  // 1251 units; it is inside. Later cycles change p; the span grows until refused.
  long long refused_at = 0;
  try {
    small.solve(p);
    FAIL("dp accepted a run whose span grows past max_span");
  } catch (const wcs::InputError& e) {
    const std::string m = e.what();
    CHECK(m.rfind("dp: cycle ", 0) == 0);
    CHECK(m.find("max_span=100000") != std::string::npos);
    CHECK(m.find("span") != std::string::npos);
    // The cycle it names is the first whose span exceeds the bound.
    wcs::SolveOptions traced;
    traced.trace = true;
    const auto ref = wcs::test::plugins().create("reference").solve(p, traced);
    wcs::test::DyadicLimits limits;
    limits.max_span = 100000;
    CHECK(refused_cycle(m) == wcs::test::first_cycle_outside_dyadic(p, ref, limits).first);
    refused_at = refused_cycle(m);
    CHECK(refused_at > 1);
  }
  // The same cycles with the default bound: solved, equal to reference.
  p.max_iter = std::max(refused_at, 1LL);
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto got = wcs::test::plugins().create("dp").solve(p, traced);
  const auto want = wcs::test::plugins().create("reference").solve(p, traced);
  CHECK(wcs::test::identical_difference(got, want).value_or("") == "");
  // A table bound too small for N suffix sets.
  wcs::Problem wide;
  for (int i = 0; i < 200; ++i) wide.coefficients.push_back(40000.0 + i);
  wide.target = 1e6;
  CHECK_THROWS_WITH(wcs::test::plugins().create("dp", {{"max_table_mb", "1"}}).solve(wide),
                    Catch::StartsWith("dp: cycle 1:") && Catch::Contains("max_table_mb=1"));
}

TEST_CASE("dp solves the worked examples of docs/algorithm.md") {
  wcs::Solver dp = wcs::test::plugins().create("dp");
  wcs::SolveOptions o;
  o.trace = true;
  wcs::Problem p;
  p.coefficients = {3, 7, 11, 15, 19, 23, 27, 31};
  p.target = 120;
  p.tolerance = 3;
  p.max_iter = 50;
  auto r = dp.solve(p, o);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 239u);  // 121 beats 119: the larger r wins the tie
  p = {};
  for (int i = 1; i <= 20; ++i) p.coefficients.push_back(i);
  p.target = 200;
  p.tolerance = 5;
  p.max_iter = 50;
  r = dp.solve(p, o);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 65535u);  // the smallest of the many lines summing to 200
  p = {};
  p.coefficients = {100, 250, 500};
  p.target = 1000;
  p.tolerance = 10;
  p.max_iter = 50;
  const auto want = wcs::test::plugins().create("reference").solve(p, o);
  CHECK(wcs::test::identical_difference(dp.solve(p, o), want).value_or("") == "");
}

TEST_CASE("dp keeps exact ties from zero d terms and never returns the empty line") {
  wcs::Problem q;
  q.coefficients = {2, 3, 5};
  q.target = 100;
  q.max_iter = 4;
  q.wpn_lo = 0.5;
  q.wpn_hi = 1.0;  // p stays 1 after cycle 1: every d is 0, every line ties
  wcs::SolveOptions o;
  o.trace = true;
  const auto want = wcs::test::plugins().create("reference").solve(q, o);
  const auto got = wcs::test::plugins().create("dp").solve(q, o);
  CHECK(wcs::test::identical_difference(got, want).value_or("") == "");
  REQUIRE(got.trace.size() == 4);
  CHECK(got.trace[1].line == 1u);
  // Zero coefficients and a target of 0: the empty combination would be exact but is
  // no line; coefficients that cancel make 0 with a real line.
  wcs::Problem z;
  z.coefficients = {0, 4, -4, 0, 3};
  z.target = 0;
  z.max_iter = 3;
  CHECK(wcs::test::identical_difference(wcs::test::plugins().create("dp").solve(z, o),
                                        wcs::test::plugins().create("reference").solve(z, o))
            .value_or("") == "");
  z.coefficients = {5, 7, 9};
  CHECK(wcs::test::identical_difference(wcs::test::plugins().create("dp").solve(z, o),
                                        wcs::test::plugins().create("reference").solve(z, o))
            .value_or("") == "");
}

TEST_CASE("dp equals mitm on integer problems of N = 24 to 40") {
  wcs::Solver dp = wcs::test::plugins().create("dp");
  wcs::Solver mitm = wcs::test::plugins().create("mitm");
  wcs::SolveOptions o;
  o.trace = true;
  std::mt19937_64 rng(2024);
  for (int k = 0; k < 12; ++k) {
    const std::size_t n = 24 + static_cast<std::size_t>(k) * 16 / 11;
    wcs::Problem p;
    double subset = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = static_cast<double>(std::uniform_int_distribution<int>(1, k % 2 ? 9 : 99)(rng)) *
                     (rng() % 3 == 0 ? -1 : 1);
      p.coefficients.push_back(a);
      if (rng() & 1) subset += a;
    }
    p.target = k % 3 == 0 ? subset + 0.5 : subset;  // .5: ties between r above and below
    p.tolerance = k % 3 == 1 ? 0 : 0.25;
    p.max_iter = 4;
    INFO("case " << k << " N=" << n);
    CHECK(wcs::test::identical_difference(dp.solve(p, o), mitm.solve(p, o)).value_or("") == "");
  }
}

TEST_CASE("dp at N = 1000: the closest subset sum of an independent programme, and the smallest line") {
  // Cycle 1 (W = 0, p = 1): d_i = a_i, every integer between the sums of the
  // negative and of the positive coefficients is reachable, so the closest sum is
  // known; and the line is the smallest of that sum: wherever it selects coefficient
  // i, the coefficients after i cannot make what remains (from a plain boolean table
  // of suffix sums written here).
  std::mt19937_64 rng(1000);
  wcs::Problem p;
  long long lo = 0, hi = 0;
  for (int i = 0; i < 1000; ++i) {
    const long long a = std::uniform_int_distribution<long long>(1, 99)(rng) * (rng() & 1 ? 1 : -1);
    p.coefficients.push_back(static_cast<double>(a));
    (a < 0 ? lo : hi) += a;
  }
  p.target = 1234.5;  // between two sums: the larger one wins the tie
  p.max_iter = 1;
  wcs::SolveOptions o;
  o.trace = true;
  const auto r = wcs::test::plugins().create("dp").solve(p, o);
  REQUIRE(r.trace.size() == 1);
  CHECK(r.result == 1235);  // every integer in range is reachable; 1235 beats 1234
  // Suffix reachability, independent of dp: suffix[i][s - lo] for coefficients i..N-1.
  const std::size_t n = p.n();
  const auto width = static_cast<std::size_t>(hi - lo + 1);
  std::vector<std::vector<bool>> suffix(n + 1, std::vector<bool>(width, false));
  suffix[n][static_cast<std::size_t>(-lo)] = true;  // the empty subset (allowed once something is chosen)
  for (std::size_t i = n; i-- > 0;) {
    suffix[i] = suffix[i + 1];
    const auto a = static_cast<long long>(p.coefficients[i]);
    for (std::size_t s = 0; s < width; ++s) {
      const long long from = static_cast<long long>(s) - a;
      if (from >= 0 && from < static_cast<long long>(width) && suffix[i + 1][static_cast<std::size_t>(from)])
        suffix[i][s] = true;
    }
  }
  const wcs::Combination& c = r.trace[0].combination;
  long long remaining = 1235;
  for (std::size_t i = 0; i < n; ++i) {
    if (!c.test(i)) continue;
    // Selected: the later coefficients alone cannot make what remains (with at least
    // one of them when nothing before was selected; here something always is, or
    // remaining != 0).
    INFO("coefficient " << i);
    CHECK_FALSE(suffix[i + 1][static_cast<std::size_t>(remaining - lo)]);
    remaining -= static_cast<long long>(p.coefficients[i]);
  }
  CHECK(remaining == 0);
}

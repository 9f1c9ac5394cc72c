// `greedy`: honest on seeded problems of N = 1 to 1000, a local optimum of its moves
// every cycle, deterministic, and strict about its option.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "conformance.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"

namespace {

using wcs::test::plugins;

/// Seeded problems of N from `lo` to `hi` coefficients (decimal, mixed signs),
/// reachable, random and unreachable targets.
std::vector<wcs::Problem> large_problems(std::size_t count, std::size_t lo, std::size_t hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<wcs::Problem> out;
  for (std::size_t k = 0; k < count; ++k) {
    wcs::Problem p;
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
    p.max_iter = std::uniform_int_distribution<long long>(1, 50)(rng);
    if (k % 4 == 3) p.initial_wpn = 0.5;
    out.push_back(std::move(p));
  }
  return out;
}

void check_honest(const wcs::Problem& p, const wcs::SolveResult& r) {
  INFO("N=" << p.n() << " target=" << p.target << " tol=" << p.tolerance);
  if (r.converged) CHECK(r.error <= p.tolerance);
  REQUIRE(r.weights.size() == p.n());
  double sum = 0;
  for (std::size_t i = 0; i < p.n(); ++i) sum += p.coefficients[i] * r.weights[i];
  CHECK(std::fabs(sum - r.result) <= 1e-6 * std::max(1.0, std::fabs(r.result)));
  CHECK(r.error == std::fabs(r.result - p.target));
  CHECK(r.cycles <= p.max_iter);
}

/// The first cycle's winner value of `strategy` on `p` (W = 0).
double first_cycle(wcs::Solver& s, wcs::Problem p) {
  p.max_iter = 1;
  return s.solve(p).result;
}

}  // namespace

TEST_CASE("greedy is honest on the conformance problems") {
  const auto converged = wcs::test::check_family("greedy");
  const auto with_pairs = wcs::test::check_family("greedy", {{"pair_flips", "true"}});
  CHECK(converged > 50);
  CHECK(with_pairs > 50);
}

TEST_CASE("greedy is honest on seeded problems up to N = 1000") {
  wcs::Solver single = plugins().create("greedy");
  wcs::Solver pairs = plugins().create("greedy", {{"pair_flips", "true"}});
  for (const auto& p : large_problems(150, 1, 1000, 2024)) {
    check_honest(p, single.solve(p));
    check_honest(p, pairs.solve(p));
  }
}

TEST_CASE("greedy's first-cycle winner is a local optimum of single flips") {
  wcs::Solver single = plugins().create("greedy");
  wcs::Solver pairs = plugins().create("greedy", {{"pair_flips", "true"}});
  wcs::SolveOptions traced;
  traced.trace = true;
  std::size_t pair_better = 0;
  for (auto p : large_problems(60, 2, 300, 7)) {
    p.max_iter = 1;
    const auto r = single.solve(p, traced);
    const auto& s = r.trace[0].combination;
    const double error = std::fabs(r.result - p.target);
    // W = 0, p = wpn: flipping i changes r by +-a[i] * wpn.
    for (std::size_t i = 0; i < p.n(); ++i) {
      if (s.test(i) && s.count() == 1) continue;
      const double next = r.result + (s.test(i) ? -1.0 : 1.0) * p.coefficients[i] * p.initial_wpn;
      INFO("N=" << p.n() << " flip " << i);
      CHECK(std::fabs(next - p.target) >= error - 1e-9);
    }
    // Pair moves only start where single flips stop: never worse.
    const double with_pairs = std::fabs(first_cycle(pairs, p) - p.target);
    CHECK(with_pairs <= error + 1e-9);
    pair_better += with_pairs < error - 1e-9;
  }
  CHECK(pair_better > 0);
}

TEST_CASE("greedy: same problem, same answer, whatever the seed") {
  wcs::Solver s = plugins().create("greedy", {{"pair_flips", "true"}});
  for (const auto& p : large_problems(10, 50, 1000, 5)) {
    const auto a = s.solve(p, {.trace = false, .seed = 1});
    const auto b = s.solve(p, {.trace = false, .seed = 2});
    CHECK(a.weights == b.weights);
    CHECK(a.result == b.result);
    CHECK(a.evaluations == b.evaluations);
  }
}

TEST_CASE("greedy solves the worked examples it can") {
  wcs::Solver s = plugins().create("greedy");
  wcs::Problem p;
  p.coefficients = {5, 10, 15, 20, 25};
  p.target = 100;
  p.tolerance = 2;
  p.max_iter = 50;
  auto r = s.solve(p);
  CHECK(r.converged);
  CHECK(r.error <= 2);
  p.coefficients.clear();
  for (int i = 1; i <= 20; ++i) p.coefficients.push_back(i);
  p.target = 200;
  p.tolerance = 5;
  r = s.solve(p);
  CHECK(r.converged);
  CHECK(r.cycles == 1);
}

TEST_CASE("greedy rejects bad options naming them") {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"pair_flips", "maybe"}, {"pairs", "true"}}) {
    try {
      plugins().create("greedy", {{name, value}});
      FAIL("accepted " << name << "=" << value);
    } catch (const wcs::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(name));
    }
  }
}

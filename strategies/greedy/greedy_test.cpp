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
  for (const auto& p : wcs::test::large_problems(150, 1, 1000, 2024, 50)) {
    wcs::test::check_honest(p, single.solve(p));
    wcs::test::check_honest(p, pairs.solve(p));
  }
}

TEST_CASE("greedy's first-cycle winner is a local optimum of single flips") {
  wcs::Solver single = plugins().create("greedy");
  wcs::Solver pairs = plugins().create("greedy", {{"pair_flips", "true"}});
  wcs::SolveOptions traced;
  traced.trace = true;
  std::size_t pair_better = 0;
  for (auto p : wcs::test::large_problems(60, 2, 300, 7, 50)) {
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
  for (const auto& p : wcs::test::large_problems(10, 50, 1000, 5, 50)) {
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

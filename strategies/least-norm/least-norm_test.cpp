// `least-norm`: accuracy on random problems up to N = 1000, the minimum-norm
// property, extreme magnitudes, and the peer promise of the conformance kit.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

wcs::Problem random_problem(std::mt19937_64& rng, std::size_t n, bool wide) {
  std::uniform_real_distribution<double> coef(-1000.0, 1000.0), exponent(-6.0, 6.0), target(-1e6, 1e6);
  wcs::Problem p;
  for (std::size_t i = 0; i < n; ++i)
    p.coefficients.push_back(wide ? std::copysign(std::pow(10.0, exponent(rng)), coef(rng)) : coef(rng));
  p.target = target(rng);
  p.tolerance = 1e-9 * std::fabs(p.target);
  return p;
}

}  // namespace

TEST_CASE("least-norm: error below 1e-9 relative on random problems up to N = 1000") {
  wcs::Solver solver = wcs::test::plugins().create("least-norm");
  std::mt19937_64 rng(20261201);
  std::uniform_int_distribution<std::size_t> size(1, 1000);
  for (int k = 0; k < 300; ++k) {
    const std::size_t n = k < 10 ? std::size_t(1000) : size(rng);
    const wcs::Problem p = random_problem(rng, n, k % 3 == 0);
    INFO("problem " << k << ", N = " << n << ", target " << p.target);
    const wcs::SolveResult r = solver.solve(p);
    CHECK(r.error <= 1e-9 * std::fabs(p.target));
    CHECK(r.converged);
    CHECK(r.cycles == 1);
    CHECK(r.weights.size() == n);
    CHECK(r.nonzero_weights() == n);  // no coefficient is 0 here: the answer is dense
  }
}

TEST_CASE("least-norm: the weights are the minimum-norm solution target * a / |a|^2") {
  wcs::Solver solver = wcs::test::plugins().create("least-norm", {{"refine", "false"}});
  wcs::Problem p;
  p.coefficients = {3, 0, -4};  // |a|^2 = 25
  p.target = 50;
  const wcs::SolveResult r = solver.solve(p);
  REQUIRE(r.weights.size() == 3);
  CHECK(r.weights[0] == 6.0);
  CHECK(r.weights[1] == 0.0);
  CHECK(r.weights[2] == -8.0);
  CHECK(r.result == 50.0);
  CHECK(r.error == 0.0);
  CHECK(r.converged);  // tolerance 0 met exactly
  CHECK(r.nonzero_weights() == 2);
}

TEST_CASE("least-norm: huge and tiny coefficients neither overflow nor underflow") {
  wcs::Solver solver = wcs::test::plugins().create("least-norm");
  wcs::Problem p;
  p.coefficients = {1e200, -3e200, 2e199};
  p.target = 7;
  wcs::SolveResult r = solver.solve(p);
  CHECK(std::isfinite(r.result));
  CHECK(r.error <= 1e-9 * 7);

  p.coefficients = {1e-7, -2e-7, 5e-8};
  p.target = 1e10;
  r = solver.solve(p);
  CHECK(std::isfinite(r.result));
  CHECK(r.error <= 1e-9 * 1e10);
}

TEST_CASE("least-norm: target 0 gives all-zero weights") {
  wcs::Solver solver = wcs::test::plugins().create("least-norm");
  wcs::Problem p;
  p.coefficients = {1.5, -2.25, 9};
  p.target = 0;
  const wcs::SolveResult r = solver.solve(p);
  CHECK(r.result == 0.0);
  CHECK(r.converged);
  CHECK(r.nonzero_weights() == 0);
}

TEST_CASE("least-norm: a bad option value is an input error naming it") {
  REQUIRE_THROWS_AS(wcs::test::plugins().create("least-norm", {{"refine", "maybe"}}), wcs::InputError);
  REQUIRE_THROWS_WITH(wcs::test::plugins().create("least-norm", {{"refine", "maybe"}}),
                      Catch::Contains("refine") && Catch::Contains("maybe"));
}

TEST_CASE("least-norm passes the conformance kit (peer)") {
  const auto cases = wcs::test::problems(300, 40, 20261202);
  wcs::test::check_family("least-norm", {}, cases);
}

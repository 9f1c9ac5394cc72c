// `adamw`: reaches the tolerance on the worked examples of docs/algorithm.md with its
// default options, stops honestly, rejects bad hyper-parameters, and keeps the peer
// promise of the conformance kit.
#include <catch2/catch.hpp>

#include <cmath>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

struct Worked {
  std::vector<double> coefficients;
  double target, tolerance;
};

// docs/algorithm.md, "Worked examples" (max_iter does not limit adamw: max_steps does).
const std::vector<Worked> kWorked = {
    {{15, 47, -12}, 28, 2},
    {{5, 10, 15, 20, 25}, 100, 2},
    {{3, 7, 11, 15, 19, 23, 27, 31}, 120, 3},
    {{100, 250, 500}, 1000, 10},
    {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 200, 5},
};

wcs::Problem problem_of(const Worked& w) {
  wcs::Problem p;
  p.coefficients = w.coefficients;
  p.target = w.target;
  p.tolerance = w.tolerance;
  p.max_iter = 50;
  return p;
}

double sum(const wcs::Problem& p, const std::vector<double>& w) {
  double s = 0;
  for (std::size_t i = 0; i < p.n(); ++i) s += p.coefficients[i] * w[i];
  return s;
}

}  // namespace

TEST_CASE("adamw reaches the tolerance on every worked example with its defaults") {
  wcs::Solver solver = wcs::test::plugins().create("adamw");
  for (const Worked& w : kWorked) {
    const wcs::Problem p = problem_of(w);
    INFO("N = " << p.n() << ", target " << p.target);
    const wcs::SolveResult r = solver.solve(p);
    CHECK(r.converged);
    CHECK(r.error <= p.tolerance);
    CHECK(r.result == sum(p, r.weights));
    CHECK(r.cycles > 0);
    CHECK(r.cycles < 10000);
    CHECK(r.evaluations == static_cast<std::uint64_t>(r.cycles));
    CHECK(r.nonzero_weights() == p.n());  // dense, unlike WCS
  }
}

TEST_CASE("adamw: the first step moves every weight by lr towards the target") {
  // Adam's first bias-corrected step is lr * g / (|g| + eps) = lr * sign(g) per weight,
  // after the decoupled decay W *= 1 - lr * weight_decay.
  wcs::Solver solver = wcs::test::plugins().create(
      "adamw", {{"lr", "0.5"}, {"weight_decay", "0.1"}, {"max_steps", "1"}, {"eps", "1e-300"}});
  wcs::Problem p;
  p.coefficients = {2, -4};
  p.target = 10;  // s = (2 - 4) / 2 = -1 < 10: gradient 2 (s - t) a = (-44, 88)
  const wcs::SolveResult r = solver.solve(p);
  REQUIRE(r.cycles == 1);
  CHECK(r.weights[0] == Approx(0.5 * (1 - 0.05) + 0.5));
  CHECK(r.weights[1] == Approx(0.5 * (1 - 0.05) - 0.5));
  CHECK_FALSE(r.converged);
  CHECK(r.error == std::fabs(r.result - 10));
}

TEST_CASE("adamw stops at max_steps without claiming convergence") {
  wcs::Solver solver = wcs::test::plugins().create("adamw", {{"max_steps", "3"}});
  wcs::Problem p = problem_of(kWorked[3]);  // far away at the start: 850/3 against 1000
  const wcs::SolveResult r = solver.solve(p);
  CHECK(r.cycles == 3);
  CHECK_FALSE(r.converged);
  CHECK(r.error > p.tolerance);
  CHECK(r.notes.at("max_steps") == "3");
}

TEST_CASE("adamw: max_steps = 0 takes the problem's max_iter") {
  wcs::Solver solver = wcs::test::plugins().create("adamw", {{"max_steps", "0"}});
  wcs::Problem p = problem_of(kWorked[3]);
  p.max_iter = 7;
  const wcs::SolveResult r = solver.solve(p);
  CHECK(r.cycles == 7);
  CHECK(r.notes.at("max_steps") == "7");
}

TEST_CASE("adamw: a start that already meets the tolerance takes no step") {
  wcs::Solver solver = wcs::test::plugins().create("adamw");
  wcs::Problem p;
  p.coefficients = {3, 6};  // W = 1/2: s = 4.5
  p.target = 4.5;
  const wcs::SolveResult r = solver.solve(p);
  CHECK(r.converged);
  CHECK(r.cycles == 0);
  CHECK(r.result == 4.5);
}

TEST_CASE("adamw: same options, same answer") {
  wcs::Solver solver = wcs::test::plugins().create("adamw");
  const wcs::Problem p = problem_of(kWorked[0]);
  wcs::SolveOptions a, b;
  a.seed = 1;
  b.seed = 99;  // adamw draws nothing at random: the seed does not matter
  const auto x = solver.solve(p, a), y = solver.solve(p, b);
  CHECK(x.weights == y.weights);
  CHECK(x.cycles == y.cycles);
}

TEST_CASE("adamw rejects a negative (or zero) learning rate and other bad hyper-parameters") {
  auto& registry = wcs::test::plugins();
  REQUIRE_THROWS_AS(registry.create("adamw", {{"lr", "-0.01"}}), wcs::InputError);
  REQUIRE_THROWS_WITH(registry.create("adamw", {{"lr", "-0.01"}}),
                      Catch::Contains("lr") && Catch::Contains("-0.01"));
  CHECK_THROWS_AS(registry.create("adamw", {{"lr", "0"}}), wcs::InputError);
  CHECK_THROWS_WITH(registry.create("adamw", {{"beta1", "1"}}), Catch::Contains("beta1"));
  CHECK_THROWS_WITH(registry.create("adamw", {{"beta2", "-0.5"}}), Catch::Contains("beta2"));
  CHECK_THROWS_WITH(registry.create("adamw", {{"eps", "0"}}), Catch::Contains("eps"));
  CHECK_THROWS_WITH(registry.create("adamw", {{"weight_decay", "-1"}}), Catch::Contains("weight_decay"));
  CHECK_THROWS_WITH(registry.create("adamw", {{"max_steps", "-5"}}), Catch::Contains("max_steps"));
  CHECK_THROWS_WITH(registry.create("adamw", {{"momentum", "0.9"}}), Catch::Contains("momentum"));
}

TEST_CASE("adamw passes the conformance kit (peer)") {
  const auto cases = wcs::test::problems(200, 40, 20261203);
  const std::size_t converged = wcs::test::check_family("adamw", {{"max_steps", "2000"}}, cases);
  CHECK(converged > 0);
}

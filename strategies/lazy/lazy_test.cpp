// `lazy` against `reference`: the conformance kit (identical family, to the bit),
// a few larger problems, and the worked examples of docs/algorithm.md.
#include <catch2/catch.hpp>

#include <algorithm>

#include "conformance.hpp"

TEST_CASE("lazy passes the conformance kit") {
  wcs::test::check_family("lazy");
}

TEST_CASE("lazy matches reference at N = 18..20") {
  const auto cases = wcs::test::big_cases(5);
  REQUIRE(cases.size() == 4);
  wcs::test::check_family("lazy", {}, cases);
}

TEST_CASE("lazy reproduces the worked examples") {
  auto solver = wcs::test::plugins().create("lazy");
  wcs::Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  p.tolerance = 2;
  p.max_iter = 50;
  wcs::SolveOptions traced;
  traced.trace = true;
  auto r = solver.solve(p, traced);
  REQUIRE(r.cycles == 3);
  CHECK(r.trace[0].line == 3u);
  CHECK(r.trace[1].line == 7u);
  CHECK(r.trace[2].line == 1u);
  CHECK(r.result == 29.5);
  CHECK(r.weights == std::vector<double>{0.5, 0.5, 0.125});
  CHECK(r.evaluations == 3 * 7u);

  p.coefficients = {3, 7, 11, 15, 19, 23, 27, 31};  // 121 and 119 tie: the larger r wins
  p.target = 120;
  p.tolerance = 3;
  r = solver.solve(p, traced);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 239u);
  CHECK(r.result == 121);
}

TEST_CASE("lazy keeps exact ties of zero coefficients: the smaller line wins") {
  // Coefficient 1 is 0: lines that differ only in it tie exactly.
  auto solver = wcs::test::plugins().create("lazy");
  wcs::Problem p;
  p.coefficients = {2, 0, 3};
  p.target = 3;
  p.max_iter = 1;
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto r = solver.solve(p, traced);
  CHECK(r.trace[0].line == 1u);  // (0,0,1), not (0,1,1) = line 3
}

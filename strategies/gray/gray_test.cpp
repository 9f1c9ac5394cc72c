// The `gray` strategy against `reference` with the conformance kit. Its kernel
// (gray_range) is tested on its own in tests/kernels/kernels_test.cpp.
#include <catch2/catch.hpp>

#include <optional>

#include "conformance.hpp"

TEST_CASE("gray: of lines tied by zero terms, the smallest wins (the exact step's rule)") {
  // Every coefficient 0 but one: each value is shared by 2^15 lines; reference keeps
  // the smallest, the line that selects coefficient 4 alone.
  wcs::Problem p;
  p.coefficients.assign(16, 0.0);
  p.coefficients[4] = 0.1;
  p.target = 0.8;
  p.max_iter = 1;
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto r = wcs::test::plugins().create("gray").solve(p, traced);
  REQUIRE(r.trace.size() == 1);
  CHECK(r.trace[0].line == std::optional<std::uint64_t>(std::uint64_t{1} << 11));
  CHECK(r.result == 0.1);
}

TEST_CASE("gray passes the conformance kit") {
  wcs::test::check_family("gray");
  wcs::test::check_family("gray", {}, wcs::test::problems(200, 12, 99));
}

TEST_CASE("gray matches reference at N = 18..20") {
  const auto cases = wcs::test::big_cases(5);
  REQUIRE(cases.size() == 4);
  wcs::test::check_family("gray", {}, cases);
}

TEST_CASE("gray reports its kernel") {
  auto solver = wcs::test::plugins().create("gray");
  wcs::Problem p;
  p.coefficients = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  p.target = 200;
  p.tolerance = 5;
  p.max_iter = 50;
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto r = solver.solve(p, traced);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 65535u);
  CHECK(r.result == 200);
  CHECK(r.notes.at("kernel") == "gray");
}

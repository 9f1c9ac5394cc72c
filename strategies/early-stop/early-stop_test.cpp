// `early-stop` against `reference`: the same winner on every cycle but the last,
// convergence exactly when reference converges, fewer lines computed, and its
// option checked by the core.
#include <catch2/catch.hpp>

#include <algorithm>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

// Compares traces with reference case by case; returns how many cases stopped a
// cycle early (fewer evaluations than reference).
std::size_t compare_traces(const std::string& factor, const std::vector<wcs::test::Case>& cases) {
  auto& registry = wcs::test::plugins();
  auto reference = registry.create("reference");
  auto early = registry.create("early-stop", {{"factor", factor}});
  wcs::SolveOptions traced;
  traced.trace = true;
  std::size_t saved = 0;
  for (const auto& c : cases) {
    INFO(c.label << " factor=" << factor);
    const auto want = reference.solve(c.problem, traced);
    const auto got = early.solve(c.problem, traced);
    REQUIRE(got.cycles == want.cycles);
    CHECK(got.converged == want.converged);
    for (std::size_t k = 0; k + 1 < want.trace.size(); ++k) {
      INFO("cycle " << k + 1);
      CHECK(got.trace[k].line == want.trace[k].line);
      CHECK(got.trace[k].result == want.trace[k].result);  // bit-exact values, like reference
      CHECK(got.trace[k].wpn == want.trace[k].wpn);
    }
    if (!want.converged) {
      CHECK(got.trace.back().line == want.trace.back().line);
      CHECK(got.evaluations == want.evaluations);
    } else {
      CHECK(got.evaluations <= want.evaluations);
      if (got.evaluations < want.evaluations) CHECK(got.error <= std::stod(factor) * c.problem.tolerance);
      else CHECK(got.trace.back().line == want.trace.back().line);
      // The stopping line comes no later than reference's winner in line order.
      CHECK(*got.trace.back().line <= *want.trace.back().line);
    }
    saved += got.evaluations < want.evaluations;
  }
  return saved;
}

}  // namespace

TEST_CASE("early-stop passes the conformance kit (converging family)") {
  const std::size_t converged = wcs::test::check_family("early-stop");
  CHECK(converged > 50);
}

TEST_CASE("early-stop matches reference on every cycle but the last and converges when it does") {
  const auto cases = wcs::test::problems();
  CHECK(compare_traces("1", cases) > 20);
  CHECK(compare_traces("0.1", cases) > 0);
  compare_traces("1", wcs::test::big_cases(5));
}

TEST_CASE("early-stop stops at the first line within the tolerance") {
  auto solver = wcs::test::plugins().create("early-stop");
  wcs::Problem p;
  p.coefficients = {5, 10, 15, 20, 25};
  p.target = 100;
  p.tolerance = 2;
  p.max_iter = 50;
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto r = solver.solve(p, traced);
  // Cycle 1 (p = 1) has no line within 2 of 100 (the best is 75): full, as reference.
  // Cycle 2 (p = 2): line 1 (0,0,0,0,1) gives 75 + 25 = 100 and stops the cycle.
  REQUIRE(r.cycles == 2);
  CHECK(r.trace[0].line == 31u);
  CHECK(r.trace[1].line == 1u);
  CHECK(r.converged);
  CHECK(r.evaluations == 31u + 1u);
  CHECK(r.notes.at("stopped_early") == "yes");
}

TEST_CASE("early-stop rejects a factor outside (0, 1]") {
  auto& registry = wcs::test::plugins();
  CHECK_THROWS_AS(registry.create("early-stop", {{"factor", "2"}}), wcs::InputError);
  CHECK_THROWS_AS(registry.create("early-stop", {{"factor", "0"}}), wcs::InputError);
  CHECK_THROWS_AS(registry.create("early-stop", {{"factor", "-0.5"}}), wcs::InputError);
  CHECK_THROWS_AS(registry.create("early-stop", {{"speed", "1"}}), wcs::InputError);
  CHECK_NOTHROW(registry.create("early-stop", {{"factor", "1"}}));
  CHECK_NOTHROW(registry.create("early-stop", {{"factor", "0.001"}}));
}

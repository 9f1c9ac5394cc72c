// `original`: the original implementation's default. Up to N = 12 it is early-stop
// (every line in line order, the first within the tolerance stops the cycle);
// above, its fixed sample and the WPN rule on the sampled lines give exactly the
// weights the original's Python code gives (values below from running it, commit
// 34874dc of JosueAmaral15/binary-search, with its defaults and max_iter = 50).
#include <catch2/catch.hpp>

#include "boundary.hpp"
#include "conformance.hpp"

namespace {

struct Expected {
  std::vector<double> coefficients;
  double target, tolerance;
  bool converged;
  long long cycles;
  std::vector<double> weights;
};

}  // namespace

TEST_CASE("original is honest on the conformance problems") {
  wcs::test::check_family("original", {}, wcs::test::problems(300, 16, 31));
  for (const auto& p : wcs::test::large_problems(4, 100, 300, 77, 6))
    wcs::test::check_honest(p, wcs::test::plugins().create("original").solve(p));
}

TEST_CASE("original is early-stop up to N = 12") {
  wcs::Solver original = wcs::test::plugins().create("original");
  wcs::Solver early = wcs::test::plugins().create("early-stop");
  wcs::SolveOptions traced;
  traced.trace = true;
  for (const auto& c : wcs::test::problems(200, 12, 12)) {
    INFO(c.label);
    const wcs::SolveResult got = original.solve(c.problem, traced), want = early.solve(c.problem, traced);
    CHECK(wcs::test::identical_difference(got, want).value_or("") == "");
    CHECK(got.notes.at("original") == "every line (N <= 12)");
  }
}

TEST_CASE("original gives the original's weights above N = 12") {
  const std::vector<Expected> cases = {
      // p doubles while every sampled line is below the target: converges where
      // exact strategies (whose rule looks at every line) do not.
      {{61, 49, 38, 87, 46, 3, 17, 69, 64, 93, 82, 25, 29, 90, 18, 30, 38, 71, 4, 23},
       1592.8999999999999, 0.1, true, 8,
       {0.5, 4.0, 4.0, 1.0, 2.0, 2.0, 4.0, 2.0, 2.0, 2.0, 2.0, 0.5, 0.0, 2.0, 0.0, 0.25, 0.0, 2.0, 0.125, 0.125}},
      // 50 cycles without converging: every cycle's sample and rule must agree.
      {{-61, -38, 46, 17, -64, -82, 29, 18, -38, 4, 28, 78, 97, 5, 6, 16},
       1924.3712514623262, 0.0, false, 50,
       {0.015625, 2.0, 16.0, 4.0, 1.0, 2.0, 0.0, 0.03125, 0.125, 0.125, 1.0, 8.0, 8.0, 0.00390625,
        4.450147717014403e-308, 0.0625}},
      // Early stop in the first cycle, at a sampled line.
      {{69, 1, -82, 21, -15, -48, 78, 48, -41, 45, -69, 69, 42, 91, -24, 10, 94, -72, 25, 70, 54, 96, -83, -10, 78, 7,
        -16, 18, 46, 11},
       397.0, 0.5, true, 1,
       {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0}},
  };
  wcs::Solver original = wcs::test::plugins().create("original");
  for (const Expected& e : cases) {
    wcs::Problem p;
    p.coefficients = e.coefficients;
    p.target = e.target;
    p.tolerance = e.tolerance;
    p.max_iter = 50;
    INFO("N = " << p.n());
    const wcs::SolveResult r = original.solve(p);
    CHECK(r.converged == e.converged);
    CHECK(r.cycles == e.cycles);
    CHECK(r.weights == e.weights);
    CHECK(r.notes.at("original").find("importance sample") == 0);
  }
}

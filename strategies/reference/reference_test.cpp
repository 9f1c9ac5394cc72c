// `reference` against a second implementation of docs/algorithm.md written here
// from the text alone (no wcs::line_value, no winner order or outer loop of the
// core), cycle by cycle and to the bit, on the conformance kit's problems. The
// worked examples of docs/algorithm.md are checked on `reference` in
// tests/test_examples.cpp; here they check the second implementation itself, so
// that a mistake shared by both cannot pass unnoticed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "conformance.hpp"

namespace {

struct Step {
  std::uint64_t line = 0;
  double r = 0.0, p = 0.0;
};

struct Run {
  std::vector<Step> steps;
  std::vector<double> w;
  double result = 0.0;
  bool converged = false;
};

// docs/algorithm.md, "One cycle", read literally: every line's r from 0.0 with the terms
// (a[i] * e_i) * m_i added in index order; the winner by smallest |r - target|, then
// larger r, then smaller line; the weight update; the WPN rule with the clamp.
Run spec_run(const wcs::Problem& problem) {
  const std::vector<double>& a = problem.coefficients;
  const std::size_t n = a.size();
  Run run;
  run.w.assign(n, 0.0);
  double p = problem.initial_wpn;
  for (long long cycle = 0; cycle < problem.max_iter; ++cycle) {
    std::uint64_t best = 0;
    double best_r = 0.0;
    bool all_below = true;
    for (std::uint64_t line = 1; line < (std::uint64_t{1} << n); ++line) {
      double r = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const bool selected = (line >> (n - 1 - i)) & 1u;
        const double e = run.w[i] != 0.0 ? run.w[i] : (selected ? 1.0 : 0.0);
        const double m = selected ? p : 1.0;
        r += (a[i] * e) * m;
      }
      all_below = all_below && r < problem.target;
      const double error = std::fabs(r - problem.target), best_error = std::fabs(best_r - problem.target);
      // Lines come in increasing order, so a tie on (error, r) keeps the earlier line.
      if (best == 0 || error < best_error || (error == best_error && r > best_r)) {
        best = line;
        best_r = r;
      }
    }
    run.steps.push_back({best, best_r, p});
    for (std::size_t i = 0; i < n; ++i) {
      if (!((best >> (n - 1 - i)) & 1u)) continue;
      if (run.w[i] == 0.0) run.w[i] = 1.0;
      run.w[i] = run.w[i] * p;
    }
    run.result = best_r;
    if (std::fabs(best_r - problem.target) <= problem.tolerance) {
      run.converged = true;
      break;
    }
    p = all_below ? 2 * p : p / 2;
    p = std::clamp(p, problem.wpn_lo, problem.wpn_hi);
  }
  return run;
}

wcs::Problem problem_of(std::vector<double> a, double target, double tolerance, long long max_iter) {
  wcs::Problem p;
  p.coefficients = std::move(a);
  p.target = target;
  p.tolerance = tolerance;
  p.max_iter = max_iter;
  return p;
}

}  // namespace

TEST_CASE("the second implementation reproduces the worked examples of docs/algorithm.md") {
  SECTION("15, 47, -12 -> 28") {
    const Run run = spec_run(problem_of({15, 47, -12}, 28, 2, 50));
    REQUIRE(run.steps.size() == 3);
    CHECK(run.steps[0].line == 3);
    CHECK(run.steps[0].r == 35);
    CHECK(run.steps[1].line == 7);
    CHECK(run.steps[1].r == 25);
    CHECK(run.steps[1].p == 0.5);
    CHECK(run.steps[2].line == 1);
    CHECK(run.steps[2].r == 29.5);
    CHECK(run.steps[2].p == 0.25);
    CHECK(run.w == std::vector<double>{0.5, 0.5, 0.125});
    CHECK(run.converged);
  }
  SECTION("3, 7, ..., 31 -> 120: the tie rule") {
    const Run run = spec_run(problem_of({3, 7, 11, 15, 19, 23, 27, 31}, 120, 3, 50));
    REQUIRE(run.steps.size() == 1);
    CHECK(run.steps[0].line == 239);
    CHECK(run.steps[0].r == 121);
  }
  SECTION("100, 250, 500 -> 1000 never converges") {
    const Run run = spec_run(problem_of({100, 250, 500}, 1000, 10, 50));
    CHECK(run.steps.size() == 50);
    CHECK_FALSE(run.converged);
    CHECK(run.w == std::vector<double>{4, 0.5, 1});
    CHECK(std::fabs(run.result - 1000) == 25);
  }
  SECTION("-4.75, 4.603, 6.59 -> 7.704000000000001: all-below per line, bit-exact") {
    const Run run = spec_run(problem_of({-4.75, 4.603, 6.59}, 7.704000000000001, 0, 6));
    REQUIRE(run.steps.size() == 6);
    const std::uint64_t lines[] = {1, 2, 4, 6, 4, 4};
    const double ps[] = {1, 0.5, 0.25, 0.5, 0.25, 0.5};
    for (std::size_t c = 0; c < 6; ++c) {
      CHECK(run.steps[c].line == lines[c]);
      CHECK(run.steps[c].p == ps[c]);
    }
    CHECK(run.result == 7.66653125);
    CHECK(run.w == std::vector<double>{0.015625, 0.25, 1});
  }
}

TEST_CASE("reference equals the second implementation cycle by cycle, to the bit") {
  auto solver = wcs::test::plugins().create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  for (const auto& c : wcs::test::problems(300, 12, 20261129)) {
    INFO(c.label);
    const wcs::SolveResult got = solver.solve(c.problem, traced);
    const Run want = spec_run(c.problem);
    REQUIRE(got.trace.size() == want.steps.size());
    for (std::size_t k = 0; k < want.steps.size(); ++k) {
      INFO("cycle " << k + 1);
      REQUIRE(got.trace[k].line.has_value());
      CHECK(*got.trace[k].line == want.steps[k].line);
      CHECK(got.trace[k].result == want.steps[k].r);
      CHECK(got.trace[k].wpn == want.steps[k].p);
    }
    CHECK(got.weights == want.w);
    CHECK(got.result == want.result);
    CHECK(got.converged == want.converged);
    CHECK(got.cycles == static_cast<long long>(want.steps.size()));
    wcs::test::check_honest(c.problem, got);
  }
}

// `hierarchical`: honest on seeded problems of N = 1 to 1000, exact where the
// groups solve their shares, deterministic, and strict about its options.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

using wcs::test::plugins;


std::vector<wcs::test::Case> at_least(std::size_t n, std::vector<wcs::test::Case> cases) {
  std::erase_if(cases, [&](const wcs::test::Case& c) { return c.problem.n() < n; });
  return cases;
}

}  // namespace

TEST_CASE("hierarchical is honest on the conformance problems") {
  const auto cases = wcs::test::problems(300, 16, 5150);
  CHECK(wcs::test::check_family("hierarchical", {}, at_least(5, cases)) > 30);
  CHECK(wcs::test::check_family("hierarchical", {{"share", "proportional"}, {"group_size", "3"}}, at_least(3, cases)) > 30);
  CHECK(wcs::test::check_family("hierarchical", {{"group_size", "1"}, {"refine_width", "4"}}, cases) > 5);
}

TEST_CASE("hierarchical is honest on seeded problems up to N = 1000") {
  wcs::Solver equal = plugins().create("hierarchical");
  wcs::Solver proportional = plugins().create("hierarchical", {{"share", "proportional"}, {"group_size", "8"}});
  for (const auto& p : wcs::test::large_problems(120, 8, 1000, 31337, 30)) {
    wcs::test::check_honest(p, equal.solve(p), false);
    wcs::test::check_honest(p, proportional.solve(p), false);
  }
}

TEST_CASE("hierarchical: groups that reach their shares make the whole converge") {
  // 1..20 in groups of 5 with equal shares of 200: each group sums to 15, 40, 65, 90
  // and has to reach 50, which groups 2..4 can do exactly by their own WCS cycles.
  wcs::Problem p;
  for (int i = 1; i <= 20; ++i) p.coefficients.push_back(i);
  p.target = 200;
  p.tolerance = 5;
  p.max_iter = 50;
  wcs::Solver s = plugins().create("hierarchical");
  const auto r = s.solve(p);
  CHECK(r.converged);
  CHECK(r.error <= 5);
  CHECK(r.notes.count("groups") == 1);
  // A worked example whose whole has no exact answer within 1 cycle still stays honest.
  p.coefficients = {100, 250, 500, 1, 2};
  p.target = 1000;
  p.tolerance = 10;
  wcs::test::check_honest(p, s.solve(p), false);
}

TEST_CASE("hierarchical: same problem, same answer, whatever the seed") {
  wcs::Solver s = plugins().create("hierarchical", {{"share", "proportional"}});
  for (const auto& p : wcs::test::large_problems(10, 20, 1000, 8, 30)) {
    const auto a = s.solve(p, {.trace = true, .seed = 1});
    const auto b = s.solve(p, {.trace = true, .seed = 99});
    CHECK(a.weights == b.weights);
    CHECK(a.result == b.result);
    CHECK(a.evaluations == b.evaluations);
  }
}

TEST_CASE("hierarchical rejects bad options naming them") {
  auto rejects = [](std::map<std::string, std::string> options, const std::string& words) {
    INFO(words);
    try {
      plugins().create("hierarchical", options);
      FAIL("accepted");
    } catch (const wcs::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(words));
    }
  };
  rejects({{"group_size", "0"}}, "group_size");
  rejects({{"share", "half"}}, "share");
  rejects({{"refine_width", "64"}}, "refine_width");

  // group_size above N: one group of N, said in the notes (a default must work for
  // every N, and 5 is above N = 3).
  wcs::Solver s = plugins().create("hierarchical", {{"group_size", "7"}});
  wcs::Problem p;
  p.coefficients = {1, 2, 3};
  p.target = 4;
  const wcs::SolveResult r = s.solve(p);
  CHECK_THAT(r.notes.at("groups"), Catch::StartsWith("1 of 3 (group_size=7 clamped to N)"));
  CHECK(r.converged);  // one group of all three is reference's search: 1 + 3 = 4
  CHECK(r.error == 0);
}

// `sampling`: identical to `reference` at or below the threshold, honest above it,
// reproducible from the seed, and strict about its options.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

using wcs::test::plugins;


}  // namespace

TEST_CASE("sampling with threshold >= N is identical to reference, cycle by cycle") {
  wcs::Solver reference = plugins().create("reference");
  wcs::Solver sampling = plugins().create("sampling", {{"threshold", "16"}});
  wcs::SolveOptions traced;
  traced.trace = true;
  std::size_t cycles = 0;
  for (const auto& c : wcs::test::problems(300, 16, 424242)) {
    INFO(c.label);
    const wcs::SolveResult want = reference.solve(c.problem, traced);
    const wcs::SolveResult got = sampling.solve(c.problem, traced);
    REQUIRE(got.trace.size() == want.trace.size());
    for (std::size_t k = 0; k < want.trace.size(); ++k) {
      INFO("cycle " << k + 1);
      REQUIRE(got.trace[k].line == want.trace[k].line);
      CHECK(got.trace[k].result == want.trace[k].result);  // recomputed bit-exactly
      CHECK(got.trace[k].wpn == want.trace[k].wpn);
    }
    cycles += want.trace.size();
    CHECK(got.converged == want.converged);
    CHECK(got.result == want.result);
    CHECK(got.weights == want.weights);
    CHECK(got.evaluations == want.evaluations);
  }
  CHECK(cycles > 1000);
}

TEST_CASE("sampling reproduces the worked examples at the default threshold") {
  wcs::Solver sampling = plugins().create("sampling");
  wcs::Problem p;
  p.coefficients = {3, 7, 11, 15, 19, 23, 27, 31};
  p.target = 120;
  p.tolerance = 3;
  p.max_iter = 50;
  wcs::SolveOptions traced;
  traced.trace = true;
  auto r = sampling.solve(p, traced);
  REQUIRE(r.trace.size() == 1);
  CHECK(r.trace[0].line == 239u);  // 121 beats 119 (tie rule)
  CHECK(r.result == 121);

  p.coefficients = {100, 250, 500};
  p.target = 1000;
  p.tolerance = 10;
  r = sampling.solve(p, traced);
  CHECK(r.cycles == 50);
  CHECK_FALSE(r.converged);
  CHECK(r.weights == std::vector<double>{4, 0.5, 1});
  CHECK(r.error == 25);
}

TEST_CASE("sampling is honest on the conformance problems and above the threshold") {
  for (const char* mode : {"importance", "random", "progressive"}) {
    INFO(mode);
    wcs::test::check_family("sampling", {{"threshold", "4"}, {"sample_size", "200"}, {"mode", mode}},
                            wcs::test::problems(120, 16, 77));
    wcs::Solver s = plugins().create("sampling", {{"sample_size", "300"}, {"mode", mode}});
    wcs::Solver fixed = plugins().create("sampling", {{"sample_size", "300"}, {"mode", mode}, {"resample", "fixed"}});
    for (const auto& p : wcs::test::large_problems(40, 13, 1000, 99)) {
      wcs::test::check_honest(p, s.solve(p, {.trace = false, .seed = 5}));
      wcs::test::check_honest(p, fixed.solve(p, {.trace = false, .seed = 5}));
    }
  }
}

TEST_CASE("sampling counts sample_size evaluations per cycle above the threshold") {
  wcs::Solver s = plugins().create("sampling", {{"sample_size", "123"}});
  for (const auto& p : wcs::test::large_problems(10, 13, 200, 3)) {
    const auto r = s.solve(p, {.trace = false, .seed = 1});
    CHECK(r.evaluations == 123u * static_cast<std::uint64_t>(r.cycles));
  }
}

TEST_CASE("importance sampling always includes every single-coefficient combination") {
  // Only a single coefficient reaches the target exactly; with sample_size = N the
  // importance sample is exactly the N singles, so it must be found in one cycle.
  wcs::Problem p;
  for (int i = 0; i < 40; ++i) p.coefficients.push_back(1000.0 + 37.0 * i * (i % 2 ? 1 : -1));
  p.target = p.coefficients[17];
  p.tolerance = 0;
  p.max_iter = 1;
  wcs::Solver s = plugins().create("sampling", {{"sample_size", "40"}, {"mode", "importance"}});
  wcs::SolveOptions traced;
  traced.trace = true;
  const auto r = s.solve(p, traced);
  CHECK(r.converged);
  CHECK(r.trace[0].combination.count() == 1);
  CHECK(r.trace[0].combination.test(17));
  // random mode has no such guarantee: 40 uniform subsets of 40 coefficients
  wcs::Solver random = plugins().create("sampling", {{"sample_size", "40"}, {"mode", "random"}});
  CHECK_FALSE(random.solve(p, traced).converged);
}

TEST_CASE("sampling: same seed, same answer; different seeds may differ") {
  for (const char* mode : {"importance", "random", "progressive"}) {
    for (const char* resample : {"per_cycle", "fixed"}) {
      INFO(mode << " " << resample);
      wcs::Solver s = plugins().create("sampling", {{"sample_size", "500"}, {"mode", mode}, {"resample", resample}});
      std::size_t differ = 0;
      for (const auto& p : wcs::test::large_problems(8, 30, 300, 11)) {
        const auto a = s.solve(p, {.trace = true, .seed = 42});
        const auto b = s.solve(p, {.trace = true, .seed = 42});
        const auto c = s.solve(p, {.trace = true, .seed = 43});
        CHECK(a.weights == b.weights);
        CHECK(a.result == b.result);
        REQUIRE(a.trace.size() == b.trace.size());
        for (std::size_t k = 0; k < a.trace.size(); ++k) CHECK(a.trace[k].combination == b.trace[k].combination);
        differ += a.weights != c.weights;
      }
      CHECK(differ > 0);
    }
  }
}

TEST_CASE("sampling rejects bad options naming them") {
  auto rejects = [](std::map<std::string, std::string> options, const std::string& words) {
    INFO(words);
    try {
      plugins().create("sampling", options);
      FAIL("accepted");
    } catch (const wcs::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(words));
    }
  };
  rejects({{"sample_size", "0"}}, "sample_size");
  rejects({{"mode", "bogus"}}, "bogus");
  rejects({{"mode", "bogus"}}, "mode");
  rejects({{"resample", "sometimes"}}, "resample");
  rejects({{"threshold", "31"}}, "threshold");
  rejects({{"samples", "10"}}, "samples");
}

// Not a check: prints convergence rates at fixed N against the exact answer
// (sampling with threshold >= N is identical to reference). Run with
//   WCS_TEST_PLUGIN_DIR=build-d/strategies build-d/strategies/sampling_test "[.rates]"
TEST_CASE("convergence rates against the exact strategy", "[.rates]") {
  for (std::size_t n : {20, 50}) {
    std::vector<wcs::Problem> cases;
    for (auto p : wcs::test::large_problems(200, n, n, 1234 + n)) {
      p.max_iter = 32;
      cases.push_back(std::move(p));
    }
    std::vector<std::pair<std::string, std::map<std::string, std::string>>> solvers = {
        {"sampling", {}}, {"sampling", {{"mode", "random"}}}, {"sampling", {{"mode", "progressive"}}},
        {"sampling", {{"resample", "fixed"}}}, {"greedy", {}}, {"greedy", {{"pair_flips", "true"}}},
        {"hierarchical", {}}, {"hierarchical", {{"share", "proportional"}}}};
    std::vector<bool> exact_ok(cases.size(), true);
    if (n <= 20) {
      wcs::Solver exact = plugins().create("sampling", {{"threshold", "20"}});
      std::size_t ok = 0;
      for (std::size_t k = 0; k < cases.size(); ++k) ok += exact_ok[k] = exact.solve(cases[k]).converged;
      WARN("N=" << n << " exact (reference): " << ok << "/" << cases.size());
    }
    for (const auto& [name, opts] : solvers) {
      wcs::Solver s = plugins().create(name, opts);
      std::size_t ok = 0, ok_where_exact = 0, exact_total = 0;
      double cycles = 0;
      for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto r = s.solve(cases[k], {.trace = false, .seed = 7});
        ok += r.converged;
        cycles += static_cast<double>(r.cycles);
        if (exact_ok[k]) { ++exact_total; ok_where_exact += r.converged; }
      }
      std::string o;
      for (const auto& [k, v] : opts) o += k + "=" + v + " ";
      WARN("N=" << n << " " << name << " " << o << ": " << ok << "/" << cases.size() << " converged; "
                << ok_where_exact << "/" << exact_total << " where exact converges; mean cycles "
                << cycles / static_cast<double>(cases.size()));
    }
  }
}

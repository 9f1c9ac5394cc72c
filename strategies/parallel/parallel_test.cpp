// `parallel` against `reference` with every kernel and several thread counts, the
// independence of the answer from the thread count, and its bad options.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <thread>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

// The kernel names `parallel` offers (read from its declared choices, which come
// from the kernel table), without "fastest".
std::vector<std::string> kernel_names() {
  const wcs::StrategyInfo& info = wcs::test::plugins().get("parallel");
  for (const auto& o : info.options)
    if (o.name == "kernel") {
      std::vector<std::string> out;
      for (const auto& c : o.choices)
        if (c != "fastest") out.push_back(c);
      return out;
    }
  FAIL("parallel declares no kernel option");
  return {};
}

}  // namespace

TEST_CASE("parallel passes the conformance kit with 1, 2 and 3 threads") {
  for (const char* threads : {"1", "2", "3"}) {
    INFO("threads=" << threads);
    wcs::test::check_family("parallel", {{"threads", threads}});
  }
}

TEST_CASE("parallel passes the conformance kit with every kernel") {
  const auto names = kernel_names();
  REQUIRE_FALSE(names.empty());
  for (const auto& kernel : names) {
    INFO("kernel=" << kernel);
    wcs::test::check_family("parallel", {{"threads", "2"}, {"kernel", kernel}}, wcs::test::problems(120, 16, 5150));
  }
}

TEST_CASE("parallel passes the conformance kit at N up to 20 (many chunks)") {
  wcs::test::check_family("parallel", {{"threads", "3"}}, wcs::test::problems(12, 20, 77));
}

TEST_CASE("parallel gives the same answer for every thread count") {
  std::mt19937_64 rng(2024);
  for (const auto& kernel : kernel_names()) {
    for (int k = 0; k < 9; ++k) {
      wcs::Problem p;
      // Up to 19: 2^19 lines, 128 chunks. The last three: integers and a half-integer
      // target, lines tied by the thousand (the chunks' bound keeps its ties).
      const bool ties = k >= 6;
      const std::size_t n = 14 + static_cast<std::size_t>(ties ? 2 * (k - 6) : k);
      for (std::size_t i = 0; i < n; ++i) {
        const auto a =
            static_cast<double>(std::uniform_int_distribution<int>(ties ? -99 : -9999, ties ? 99 : 9999)(rng));
        p.coefficients.push_back(ties ? a : a / 997.0);
      }
      p.target = static_cast<double>(std::uniform_int_distribution<int>(-50, 50)(rng)) / 3.0;
      if (ties) p.target = std::floor(p.target * 10.0) + 0.5;
      p.max_iter = 8;
      wcs::SolveOptions o;
      o.trace = true;
      wcs::SolveResult first;
      for (const char* threads : {"1", "2", "3", "8"}) {
        INFO("kernel=" << kernel << " case " << k << " threads=" << threads);
        wcs::Solver s = wcs::test::plugins().create("parallel", {{"threads", threads}, {"kernel", kernel}});
        const wcs::SolveResult r = s.solve(p, o);
        CHECK(r.notes.at("threads") == threads);
        CHECK(r.notes.at("kernel") == kernel);
        if (std::string(threads) == "1") {
          first = r;
          continue;
        }
        REQUIRE(r.trace.size() == first.trace.size());
        for (std::size_t c = 0; c < r.trace.size(); ++c) {
          CHECK(r.trace[c].combination == first.trace[c].combination);
          CHECK(r.trace[c].result == first.trace[c].result);  // bit for bit
        }
        CHECK(r.weights == first.weights);
        CHECK(r.evaluations == first.evaluations);
        // Every note but the thread count: the kernel's picks (winners_repaired) do not
        // depend on which chunks had finished when another started.
        auto notes = r.notes, first_notes = first.notes;
        notes.erase("threads");
        first_notes.erase("threads");
        CHECK(notes == first_notes);
      }
    }
  }
}

TEST_CASE("parallel reuses its threads across solves and reports its choices") {
  wcs::Solver s = wcs::test::plugins().create("parallel", {{"threads", "0"}});
  wcs::Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  p.tolerance = 2;
  p.max_iter = 50;
  for (int k = 0; k < 3; ++k) {  // same object, several solves
    const auto r = s.solve(p);
    CHECK(r.cycles == 3);
    CHECK(r.result == 29.5);
    CHECK(r.weights == std::vector<double>{0.5, 0.5, 0.125});
    CHECK(r.evaluations == 21u);
    CHECK(r.notes.at("threads") == std::to_string(std::max(1u, std::thread::hardware_concurrency())));
    CHECK_FALSE(r.notes.at("kernel").empty());
    CHECK(r.notes.at("kernel") != "fastest");  // the name of the kernel it resolved to
  }
}

TEST_CASE("parallel rejects bad options") {
  auto& reg = wcs::test::plugins();
  CHECK_THROWS_AS(reg.create("parallel", {{"threads", "-3"}}), wcs::InputError);
  CHECK_THROWS_AS(reg.create("parallel", {{"threads", "257"}}), wcs::InputError);
  CHECK_THROWS_AS(reg.create("parallel", {{"threads", "two"}}), wcs::InputError);
  CHECK_THROWS_AS(reg.create("parallel", {{"kernel", "no-such-kernel"}}), wcs::InputError);
  CHECK_THROWS_AS(reg.create("parallel", {{"chunks", "4"}}), wcs::InputError);
  try {
    reg.create("parallel", {{"threads", "-3"}});
  } catch (const wcs::InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("threads") != std::string::npos);
    CHECK(what.find("-3") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
}

// The gray kernel against fused_range on random cycles and ranges, and the `gray`
// strategy against `reference` with the conformance kit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

#include "conformance.hpp"
#include "kernel_checks.hpp"
#include "kernels.hpp"

namespace {

using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;


// A random cycle of n terms: integer, decimal, or decimal with many exact zeros and
// repeated values (ties everywhere).
struct RandomCycle {
  double base = 0, target = 0;
  std::vector<double> dl;
  CycleView view() const { return CycleView{base, dl, target}; }
};

RandomCycle random_cycle(std::mt19937_64& rng, std::size_t n, int kind) {
  auto integer = [&](long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng); };
  RandomCycle c;
  c.dl.resize(n);
  for (auto& d : c.dl) {
    if (kind == 0) d = static_cast<double>(integer(-50, 50));
    else if (kind == 1) d = static_cast<double>(integer(-10000, 10000)) / 1000.0 * 0.37;
    else d = integer(0, 2) == 0 ? 0.0 : static_cast<double>(integer(-3, 3)) * 0.1;
  }
  c.base = kind == 0 ? static_cast<double>(integer(-20, 20)) : static_cast<double>(integer(-20000, 20000)) / 997.0;
  c.target = kind == 0 ? static_cast<double>(integer(-100, 100)) : static_cast<double>(integer(-100000, 100000)) / 1000.0;
  return c;
}

}  // namespace

TEST_CASE("gray_range keeps the kernel contract against fused_range") {
  wcs::test::check_against_fused(&wcs::kernels::gray_range, 424242, 600);
}

TEST_CASE("gray_range on block-aligned and tiny ranges") {
  std::mt19937_64 rng(7);
  const RandomCycle c = random_cycle(rng, 14, 2);
  const std::uint64_t k = 1024;  // the kernel's block size at this N
  for (auto [lo, hi] : {std::pair<std::uint64_t, std::uint64_t>{k, 2 * k}, {k, 9 * k}, {k - 1, 5 * k + 1},
                        {1, 2}, {5, 6}, {3 * k + 7, 3 * k + 8}, {7, 7}}) {
    INFO("range [" << lo << ", " << hi << ")");
    const RangeBest want = wcs::kernels::fused_range(c.view(), lo, hi);
    const RangeBest got = wcs::kernels::gray_range(c.view(), lo, hi);
    REQUIRE((got.line == 0) == (lo == hi));
    if (lo == hi) continue;
    CHECK(got.line >= lo);
    CHECK(got.line < hi);
    CHECK(std::fabs(got.error - want.error) <= 1e-12);
  }
  CHECK(wcs::kernels::gray_range(c.view(), 7, 7).line == 0);  // empty range
}

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

TEST_CASE("the kernel table lists gray above fused") {
  const auto* gray = wcs::kernels::find("gray");
  REQUIRE(gray != nullptr);
  CHECK(gray->run == &wcs::kernels::gray_range);
  CHECK(gray->priority > wcs::kernels::find("fused")->priority);
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

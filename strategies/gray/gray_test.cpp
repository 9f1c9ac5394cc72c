// The gray kernel against fused_range on random cycles and ranges, and the `gray`
// strategy against `reference` with the conformance kit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "conformance.hpp"
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

void require_same(const RangeBest& got, const RangeBest& want) {
  REQUIRE(got.line == want.line);
  CHECK(got.result == want.result);
  CHECK(got.error == want.error);
}

}  // namespace

TEST_CASE("gray_range returns exactly what fused_range returns") {
  std::mt19937_64 rng(424242);
  std::size_t checked = 0;
  for (int round = 0; round < 600; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(rng() % 16);
    const int kind = round % 3;
    const RandomCycle c = random_cycle(rng, n, kind);
    const std::uint64_t end = std::uint64_t{1} << n;
    INFO("round " << round << " N=" << n << " kind " << kind);
    // The whole cycle, then a random range (mostly not aligned to blocks), then one
    // that starts at line 1 and ends inside a block.
    std::uint64_t first = 1 + rng() % (end - 1), last = first + rng() % (end - first + 1);
    std::uint64_t stop = 1 + rng() % end;
    for (auto [lo, hi] : {std::pair{std::uint64_t{1}, end}, std::pair{first, last}, std::pair{std::uint64_t{1}, stop}}) {
      INFO("range [" << lo << ", " << hi << ")");
      require_same(wcs::kernels::gray_range(c.view(), lo, hi), wcs::kernels::fused_range(c.view(), lo, hi));
      ++checked;
    }
  }
  CHECK(checked == 1800);
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
    CHECK(got.line == want.line);
    CHECK(got.result == want.result);
  }
  CHECK(wcs::kernels::gray_range(c.view(), 7, 7).line == 0);  // empty range
}

TEST_CASE("gray_range keeps the ties of zero terms: the smallest line wins") {
  // Every term 0 but one: each value is shared by 2^(N-1) lines.
  std::vector<double> dl(16, 0.0);
  dl[11] = 0.1;
  const CycleView c{0.7, dl, 0.8};
  const RangeBest got = wcs::kernels::gray_range(c, 1, std::uint64_t{1} << 16);
  CHECK(got.line == (std::uint64_t{1} << 11));
  CHECK(got.line == wcs::kernels::fused_range(c, 1, std::uint64_t{1} << 16).line);
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

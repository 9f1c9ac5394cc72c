// The enumeration kernels of src/kernels on their own: fused_range against a
// line-by-line sum, every kernel of the table against fused_range (the kernel
// contract), the gray walk's block edges, and the table itself.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kernel_checks.hpp"
#include "kernels.hpp"
#include "wcs/formula.hpp"

using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;

namespace {

// The pick of [first, last) by the winner order of docs/algorithm.md on values summed
// line by line in line-bit order: what fused_range promises, to the bit.
RangeBest line_by_line(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  RangeBest best;
  for (std::uint64_t line = first; line < last; ++line) {
    const double r = wcs::test::fused_value(c, line);
    const double error = std::fabs(r - c.target);
    if (best.line == 0 || wcs::line_wins(error, r, line, best.error, best.result, best.line)) best = {error, r, line};
  }
  return best;
}

}  // namespace

TEST_CASE("fused_range is the line-by-line sum with the winner order, to the bit") {
  std::mt19937_64 rng(31337);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(round % 14);
    const bool integer = round % 3 != 2;
    const std::vector<double> dl = wcs::test::random_dl(rng, n, integer, round % 2 == 0);
    // Integer cycles with a .5 target tie everywhere: the larger value, then the
    // smaller line, must win.
    const double target = integer ? std::uniform_int_distribution<int>(-60, 60)(rng) + 0.5 : 3.3;
    const CycleView view{integer ? 2.0 : 0.7, dl, target};
    const std::uint64_t end = std::uint64_t{1} << n;
    const std::uint64_t first = std::uniform_int_distribution<std::uint64_t>(1, end)(rng);
    for (auto [lo, hi] : {std::pair<std::uint64_t, std::uint64_t>{1, end}, {first, end}}) {
      INFO("round " << round << " N=" << n << " range [" << lo << "," << hi << ")");
      const RangeBest want = line_by_line(view, lo, hi);
      const RangeBest got = wcs::kernels::fused_range(view, lo, hi);
      CHECK(got.line == want.line);
      CHECK(got.result == want.result);
      CHECK(got.error == want.error);
    }
  }
}

TEST_CASE("every kernel of the table keeps the kernel contract against fused_range") {
  for (const auto& k : wcs::kernels::all()) {
    INFO("kernel " << k.name << " on " << k.isa());
    wcs::test::check_against_fused(k.run, 424242, 300);
  }
}

TEST_CASE("gray_range on block-aligned and tiny ranges") {
  // Decimal terms with many exact zeros and repeated values (ties everywhere).
  std::mt19937_64 rng(7);
  std::vector<double> dl(14);
  for (auto& d : dl)
    d = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? 0.0 : std::uniform_int_distribution<int>(-3, 3)(rng) * 0.1;
  const CycleView c{1.7, dl, 2.35};
  const std::uint64_t k = 1024;  // the kernel's block size at this N
  for (auto [lo, hi] : {std::pair<std::uint64_t, std::uint64_t>{k, 2 * k}, {k, 9 * k}, {k - 1, 5 * k + 1},
                        {1, 2}, {5, 6}, {3 * k + 7, 3 * k + 8}, {7, 7}}) {
    INFO("range [" << lo << ", " << hi << ")");
    const RangeBest want = wcs::kernels::fused_range(c, lo, hi);
    const RangeBest got = wcs::kernels::gray_range(c, lo, hi);
    REQUIRE((got.line == 0) == (lo == hi));
    if (lo == hi) continue;
    CHECK(got.line >= lo);
    CHECK(got.line < hi);
    CHECK(std::fabs(got.error - want.error) <= 1e-12);
  }
}

TEST_CASE("the kernel table: names, lookup, the fastest") {
  std::set<std::string> names;
  for (const auto& k : wcs::kernels::all()) {
    CHECK(names.insert(k.name).second);  // no name twice
    CHECK(wcs::kernels::find(k.name) == &k);
    CHECK(wcs::kernels::names().find(k.name) != std::string::npos);
    CHECK(k.priority <= wcs::kernels::fastest().priority);
    CHECK(std::string(k.isa()).size() > 0);
  }
  CHECK(names.count("fused") == 1);
  CHECK(wcs::kernels::find("no-such-kernel") == nullptr);
  CHECK(wcs::kernels::find("fused")->run == &wcs::kernels::fused_range);
  CHECK(wcs::kernels::find("gray")->run == &wcs::kernels::gray_range);
  CHECK(wcs::kernels::find("gray")->priority > wcs::kernels::find("fused")->priority);
}

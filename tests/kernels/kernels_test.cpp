// The enumeration kernels of src/kernels on their own: fused_range against a
// line-by-line sum, every kernel of the table against fused_range (the kernel
// contract), the gray walk's block edges, the table itself, and the SIMD kernels'
// float filter (same pick as the double pass alone, a window that loses no line).
#include <catch2/catch.hpp>

#include <hwy/targets.h>

#include <bit>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kernel_checks.hpp"
#include "kernels.hpp"
#include "simd_table.hpp"
#include "simd_xsimd.hpp"
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
  for (auto [lo, hi] : {std::pair<std::uint64_t, std::uint64_t>{k, 2 * k},
                        {k, 9 * k},
                        {k - 1, 5 * k + 1},
                        {1, 2},
                        {5, 6},
                        {3 * k + 7, 3 * k + 8},
                        {7, 7}}) {
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

namespace {

namespace st = wcs::kernels::simd_table;

/// Terms of one kind for the filter tests: the scales and shapes where float's
/// rounding bites (large, tiny, subnormal, near-ties, dyadic, far targets).
std::vector<double> filter_terms(std::mt19937_64& rng, std::size_t n, int kind) {
  std::vector<double> dl(n);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (std::size_t j = 0; j < n; ++j) {
    const double x = unit(rng);
    switch (kind % 8) {
      case 0:
        dl[j] = std::round(x * 99);
        break;  // integers
      case 1:
        dl[j] = std::round(x * 1e8) / 1e6;
        break;  // 6 decimals in +-100
      case 2:
        dl[j] = x * 1e9;
        break;  // large
      case 3:
        dl[j] = x * 1e-300;
        break;  // tiny (subnormal sums in float)
      case 4:
        dl[j] = std::ldexp(std::round(x * 4096), -30);
        break;  // dyadic
      case 5:
        dl[j] = j % 2 ? dl[j - 1] : 1000.0 + x * 1e-9;
        break;  // near-ties at a large scale
      case 6:
        dl[j] = x * 3e7 + 0.1;
        break;  // beyond float's 24 bits
      default:
        dl[j] = j % 3 == 0 ? 0.0 : std::round(x * 5) * 0.1;
        break;  // zeros and repeats
    }
  }
  return dl;
}

/// Runs the table scan with and without the float filter, and with a runner's bound,
/// on random cycles and ranges and requires the same pick, to the bit.
void check_filter_changes_nothing(st::BlockMin block_min, st::BlockFind block_find, st::BlockFilter block_filter,
                                  st::FilterForm form) {
  std::mt19937_64 rng(2323);
  for (int round = 0; round < 96; ++round) {
    const std::size_t n = 12 + static_cast<std::size_t>(round % 8);
    const std::vector<double> dl = filter_terms(rng, n, round);
    double sum = 0;
    for (double d : dl) sum += d;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Targets inside the lines' span, at a line's value (exact hits), and far away.
    const double target = round % 5 == 3 ? 1e6 * (std::fabs(sum) + 1) : round % 5 == 4 ? sum * 0.5 : sum * unit(rng);
    const CycleView view{round % 4 == 1 ? 0.3 : 0.0, dl, target};
    const std::uint64_t end = std::uint64_t{1} << n;
    const std::uint64_t a = std::uniform_int_distribution<std::uint64_t>(1, end)(rng);
    for (auto [first, last] : {std::pair<std::uint64_t, std::uint64_t>{1, end}, {a, end}, {1, a}}) {
      INFO("round " << round << " N=" << n << " [" << first << ", " << last << ")");
      const RangeBest want = st::scan(view, first, last, block_min, block_find);
      const RangeBest got = st::scan(view, first, last, block_min, block_find, block_filter, form);
      REQUIRE(got.line == want.line);
      CHECK(std::bit_cast<std::uint64_t>(got.error) == std::bit_cast<std::uint64_t>(want.error));
      CHECK(std::bit_cast<std::uint64_t>(got.result) == std::bit_cast<std::uint64_t>(want.result));
      // A runner's bound at or above the range's smallest error (CycleView::bound)
      // changes nothing either, the bound equal to it (its ties kept) above all.
      if (want.line == 0) continue;
      for (const double bound : {want.error, std::nextafter(want.error, 1e300), 2 * want.error + 1}) {
        INFO("bound " << bound);
        CycleView bounded = view;
        bounded.bound = bound;
        const RangeBest b = st::scan(bounded, first, last, block_min, block_find, block_filter, form);
        REQUIRE(b.line == want.line);
        CHECK(std::bit_cast<std::uint64_t>(b.error) == std::bit_cast<std::uint64_t>(want.error));
        CHECK(std::bit_cast<std::uint64_t>(b.result) == std::bit_cast<std::uint64_t>(want.result));
      }
    }
  }
}

}  // namespace

TEST_CASE("the float filter changes no pick of the table scan, on every xsimd instance and Highway target") {
  for (const auto& inst : wcs::kernels::xsimd_detail::runnable_instances()) {
    INFO("xsimd instance " << inst.name);
    check_filter_changes_nothing(inst.block_min, inst.block_find, inst.block_filter,
                                 inst.bits_filter ? st::FilterForm::bits : st::FilterForm::abs_value);
  }
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    INFO("Highway target " << hwy::TargetName(target));
    check_filter_changes_nothing(
        &wcs::kernels::simd_highway_block_min, &wcs::kernels::simd_highway_block_find,
        &wcs::kernels::simd_highway_block_filter,
        wcs::kernels::simd_highway_filter_bits() ? st::FilterForm::bits : st::FilterForm::abs_value);
  }
  hwy::SetSupportedTargetsForTest(0);
}

namespace {

/// The filter's test on one table value, as the vector code does it, in either form.
bool passes(const st::Window& w, double t, st::FilterForm form) {
  const float u = static_cast<float>(t) + w.offset;
  if (form == st::FilterForm::abs_value) return (u < 0 ? -u : u) < w.limit;
  return std::bit_cast<std::uint32_t>(u) < std::bit_cast<std::uint32_t>(w.limit);
}

}  // namespace

TEST_CASE("the window loses no line that beats the best, and an exact window keeps out a tie") {
  for (const st::FilterForm form : {st::FilterForm::abs_value, st::FilterForm::bits}) {
    INFO("form " << (form == st::FilterForm::bits ? "bits" : "abs_value"));
    std::mt19937_64 rng(99);
    for (int kind = 0; kind < 8; ++kind) {
      const std::vector<double> dl = filter_terms(rng, 11, kind);
      st::Tables t;
      t.build(dl, 11);
      std::uniform_int_distribution<std::size_t> pick(0, t.values.size() - 1);
      for (int trial = 0; trial < 4000; ++trial) {
        const double tv = t.values[pick(rng)];
        // An offset that puts some line near zero error, give or take a little.
        const double jitter = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng), -(trial % 60));
        const double o = -t.values[pick(rng)] + (trial % 3 == 0 ? 0.0 : jitter);
        const double v = tv + o;
        const double error = v < 0 ? -v : v;
        // The best just above this line's error: the line beats it, the filter must pass it.
        const double best = std::nextafter(error, std::numeric_limits<double>::infinity());
        INFO("kind " << kind << " t " << tv << " o " << o << " best " << best);
        REQUIRE(passes(t.window(o, best, form), tv, form));
      }
    }
    // Integer terms and a .5 offset: exact, so a line that only ties the best is kept out.
    const std::vector<double> ints = {3, -7, 12, 5, -1, 9, 4, -6, 2, 8, -11};
    st::Tables t;
    t.build(ints, 11);
    const st::Window tie = t.window(-10.5, 0.5, form);  // lines of value 10 and 11 tie at 0.5
    for (const double tv : t.values) CHECK_FALSE(passes(tie, tv, form));
    CHECK(passes(t.window(-10.25, 0.5, form), 10.0, form));  // 10 is 0.25 away: it must pass
    CHECK(passes(t.window(-10.25, 0.5, form), -10.0, form) == false);
    // A target beyond every line: the block is skipped outright.
    CHECK(t.window(-1e6, 10.0, form).limit == 0.0f);
    // Outside float's range, or no best yet: every table value passes (the double pass decides).
    for (const double tv : t.values) {
      CHECK(passes(t.window(1e200, 1.0, form), tv, form));
      CHECK(passes(t.window(0.0, std::numeric_limits<double>::infinity(), form), tv, form));
    }
  }
}

TEST_CASE("the SIMD kernels with infinite and NaN terms find fused_range's smallest error") {
  // dl[0] = +inf and dl[1] = -inf: lines with both are NaN, with one are infinite; the
  // others are finite and one of them must win, as in fused_range.
  std::mt19937_64 rng(5);
  for (const std::size_t n : {6u, 12u, 16u}) {
    std::vector<double> dl = wcs::test::random_dl(rng, n, true, false);
    for (const int pos : {0, 1, 5, static_cast<int>(n) - 2}) {
      if (static_cast<std::size_t>(pos) + 1 >= n) continue;  // both terms must exist
      std::vector<double> bad = dl;
      bad[static_cast<std::size_t>(pos)] = std::numeric_limits<double>::infinity();
      bad[static_cast<std::size_t>(pos) + 1] = -std::numeric_limits<double>::infinity();
      const CycleView view{0.0, bad, 7.5};
      const std::uint64_t end = std::uint64_t{1} << n;
      const RangeBest want = wcs::kernels::fused_range(view, 1, end);
      for (const auto& k : wcs::kernels::all()) {
        INFO("kernel " << k.name << " N=" << n << " inf at bit " << pos);
        const RangeBest got = k.run(view, 1, end);
        REQUIRE(got.line != 0);
        CHECK(got.error == want.error);
      }
    }
  }
}

TEST_CASE("the table kernels on ranges at and around the edges of their 2^11-line blocks") {
  // Integer terms: every summation order is exact, so each kernel's error must be
  // fused_range's and its result the line's own value, on every instance and target.
  std::mt19937_64 rng(4711);
  const std::vector<double> dl = wcs::test::random_dl(rng, 14, true, true);
  const CycleView view{2.0, dl, 31.5};
  const std::uint64_t b = 2048, end = std::uint64_t{1} << 14;
  const std::pair<std::uint64_t, std::uint64_t> ranges[] = {
      {1, end},           {b, 2 * b},     {b, b + 1},   {b - 1, b + 1},       {b, 3 * b},         {1, b},
      {2 * b - 1, 2 * b}, {b - 1, b},     {3 * b, end}, {3 * b + 1, end - 1}, {b + 5, 2 * b - 5}, {b - 3, 4 * b + 3},
      {end - b, end},     {end - 1, end}, {5000, 5000}};
  auto check = [&](const std::string& what, auto&& run) {
    for (const auto& [first, last] : ranges) {
      INFO(what << " range [" << first << ", " << last << ")");
      const RangeBest want = wcs::kernels::fused_range(view, first, last);
      const RangeBest got = run(view, first, last);
      REQUIRE((got.line == 0) == (first == last));
      if (first == last) continue;
      CHECK(got.line >= first);
      CHECK(got.line < last);
      CHECK(got.error == want.error);
      CHECK(got.result == wcs::test::fused_value(view, got.line));
    }
  };
  for (const auto& inst : wcs::kernels::xsimd_detail::runnable_instances())
    check(std::string("xsimd ") + inst.name, [&](const CycleView& c, std::uint64_t f, std::uint64_t l) {
      return st::scan(c, f, l, inst.block_min, inst.block_find, inst.block_filter,
                      inst.bits_filter ? st::FilterForm::bits : st::FilterForm::abs_value);
    });
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    check(std::string("Highway ") + hwy::TargetName(target), &wcs::kernels::simd_highway_range);
  }
  hwy::SetSupportedTargetsForTest(0);
}

// Core pieces: validation, line/combination mapping, formulas, winner order, WPN
// rule and option checking.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "wcs/combination.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/options.hpp"
#include "wcs/problem.hpp"
#include "wcs/strategy.hpp"

using wcs::Combination;
using wcs::InputError;
using wcs::Problem;
using Catch::Matchers::Contains;

namespace {
Problem valid() {
  Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  return p;
}
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("validation accepts the defaults and names each bad field and value") {
  CHECK_NOTHROW(wcs::validate(valid()));
  auto bad = [](auto mutate, const char* needle) {
    Problem p = valid();
    mutate(p);
    CHECK_THROWS_WITH(wcs::validate(p), Contains(needle));
  };
  bad([](Problem& p) { p.coefficients.clear(); }, "coefficients: the list is empty");
  bad([](Problem& p) { p.coefficients[1] = kNaN; }, "coefficients[1]: nan is not finite");
  bad([](Problem& p) { p.coefficients[2] = -kInf; }, "coefficients[2]: -inf");
  bad([](Problem& p) { p.coefficients = {0, 1e-9, -1e-8}; }, "coefficients: every value is zero");
  bad([](Problem& p) { p.target = kInf; }, "target: inf is not finite");
  bad([](Problem& p) { p.tolerance = -0.5; }, "tolerance: -0.5 is negative");
  bad([](Problem& p) { p.tolerance = kNaN; }, "tolerance: nan");
  bad([](Problem& p) { p.max_iter = 0; }, "max_iter: 0 is below 1");
  bad([](Problem& p) { p.initial_wpn = 0; }, "initial_wpn: 0");
  bad([](Problem& p) { p.initial_wpn = kNaN; }, "initial_wpn: nan");
  bad([](Problem& p) { p.wpn_lo = 2; p.wpn_hi = 2; }, "wpn_bounds: [2, 2] needs lo < hi");
  bad([](Problem& p) { p.wpn_lo = kNaN; }, "wpn_bounds[0]");
  Problem p = valid();
  p.coefficients = {0, 2e-8};  // not all ~0
  CHECK_NOTHROW(wcs::validate(p));
  p.wpn_lo = -kInf;
  p.wpn_hi = 1e300;
  CHECK_NOTHROW(wcs::validate(p));
}

TEST_CASE("lines map to combinations with coefficient 0 as the most significant bit") {
  CHECK(Combination::from_line(1, 3).to_string() == "001");
  CHECK(Combination::from_line(3, 3).to_string() == "011");
  CHECK(Combination::from_line(4, 3).to_string() == "100");
  CHECK(Combination::from_line(7, 3).to_string() == "111");
  CHECK(Combination::from_line(239, 8).to_string() == "11101111");
  for (std::uint64_t line = 1; line < 64; ++line) CHECK(Combination::from_line(line, 6).line() == line);
  CHECK(Combination::from_mask(0b001, 3).to_string() == "100");
  CHECK(Combination::from_string("0110").line() == 6);
  CHECK_THROWS(Combination::from_string("01x"));
  CHECK_THROWS(Combination(64).line());
}

TEST_CASE("line order works beyond 64 coefficients") {
  Combination a(200), b(200);
  a.set(150);
  b.set(199);
  CHECK(b.line_less(a));  // a selects an earlier (more significant) coefficient
  CHECK_FALSE(a.line_less(b));
  b.set(3);
  CHECK(a.line_less(b));
  CHECK_FALSE(a.line_less(a));
  CHECK(b.count() == 2);
  // Agrees with line numbers where they exist.
  std::mt19937_64 rng(7);
  for (int k = 0; k < 1000; ++k) {
    const std::uint64_t x = rng() >> 3, y = rng() >> 3;
    CHECK(Combination::from_line(x, 61).line_less(Combination::from_line(y, 61)) == (x < y));
  }
}

TEST_CASE("the base + d form equals the bit-exact form on exactly representable values") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> coef(-50, 50), weight(-4, 4), pick(0, 4);
  const double powers[] = {0.25, 0.5, 1, 2, 4};
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + trial % 10;
    std::vector<double> a(n), w(n);
    for (std::size_t i = 0; i < n; ++i) { a[i] = coef(rng); w[i] = weight(rng) * 0.5; }
    const double p = powers[pick(rng)];
    const auto terms = wcs::cycle_terms(a, w, p);
    double largest = -kInf;
    for (std::uint64_t line = 1; line < (1u << n); ++line) {
      const Combination s = Combination::from_line(line, n);
      const double exact = wcs::line_value(a, w, p, s);
      double fast = terms.base;
      for (std::size_t i = 0; i < n; ++i) if (s.test(i)) fast += terms.d[i];
      CHECK(exact == fast);
      largest = std::max(largest, exact);
    }
    CHECK(wcs::max_line_value(terms.base, terms.d) == largest);
  }
}

TEST_CASE("winner order: smaller error, then larger result, then smaller line") {
  CHECK(wcs::line_wins(1, 121, 9, 1, 119, 3));   // the tie rule of worked example 3
  CHECK(wcs::line_wins(0.5, 10, 9, 1, 10, 3));
  CHECK(wcs::line_wins(1, 5, 3, 1, 5, 9));
  CHECK_FALSE(wcs::line_wins(1, 5, 9, 1, 5, 3));
  CHECK(wcs::ranks_before(1, 0, kNaN, 0));
  CHECK_FALSE(wcs::ranks_before(kNaN, 0, 1, 0));
}

TEST_CASE("WPN rule doubles when all lines are below, halves otherwise, then clamps") {
  CHECK(wcs::next_wpn(1, true, -kInf, kInf) == 2);
  CHECK(wcs::next_wpn(1, false, -kInf, kInf) == 0.5);
  CHECK(wcs::next_wpn(4, true, 0.25, 6) == 6);
  CHECK(wcs::next_wpn(0.25, false, 0.25, 6) == 0.25);
  std::vector<double> w{0, 3, 0};
  wcs::apply_weight_update(w, Combination::from_line(0b110, 3), 0.5);
  CHECK(w == std::vector<double>{0.5, 1.5, 0});
}

TEST_CASE("options are checked against their declarations") {
  const std::vector<wcs::OptionSpec> specs{
      wcs::OptionSpec::integer("threads", 0, 0, 256, "threads"),
      wcs::OptionSpec::real("factor", 1.0, 0, 1, "factor", true, false),
      wcs::OptionSpec::boolean("pair_flips", false, "pairs"),
      wcs::OptionSpec::choice("mode", "importance", {"importance", "random"}, "mode"),
  };
  const auto defaults = wcs::resolve_options("s", specs, {});
  CHECK(defaults.integer("threads") == 0);
  CHECK(defaults.real("factor") == 1.0);
  CHECK_FALSE(defaults.boolean("pair_flips"));
  CHECK(defaults.text("mode") == "importance");
  const auto given = wcs::resolve_options("s", specs, {{"threads", "3"}, {"factor", "0.1"}, {"pair_flips", "true"}, {"mode", "random"}});
  CHECK(given.integer("threads") == 3);
  CHECK(given.real("factor") == 0.1);
  CHECK(given.boolean("pair_flips"));
  CHECK(given.canonical().at("mode") == "random");
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"threads", "-3"}}), Contains("option 'threads'") && Contains("-3 is outside [0, 256]"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"factor", "2"}}), Contains("2 is outside (0, 1]"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"factor", "0"}}), Contains("0 is outside (0, 1]"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"factor", "nan"}}), Contains("factor"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"threads", "2.5"}}), Contains("'2.5' is not an integer"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"mode", "magic"}}), Contains("'magic' is not one of importance|random"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"pair_flips", "maybe"}}), Contains("not a boolean"));
  CHECK_THROWS_WITH(wcs::resolve_options("s", specs, {{"thread", "2"}}),
                    Contains("option 'thread'") && Contains("valid: threads, factor, pair_flips, mode"));
  CHECK_THROWS_AS(wcs::resolve_options("s", specs, {{"thread", "2"}}), InputError);
}

// The exact step (src/search/exact_step.hpp) on its own: for every cycle of seeded
// boundary problems (tests/conformance/boundary.hpp), its winner, r and all-below
// decision against every line evaluated bit-exactly in line order (reference's
// semantics), through each of its paths: the two-list search without a hint, with
// a hint of any line, and the four-list walk (forced at every N); one step over
// every cycle of a run, where lists are sorted from last cycle's order; and the
// step's vector scans against their scalar definitions on every Highway target.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <random>
#include <tuple>
#include <utility>

#include <hwy/targets.h>

#include "boundary.hpp"
#include "conformance.hpp"
#include "wcs/line_scan.hpp"
#include "search/exact_step.hpp"
#include "search/sorted_scan.hpp"
#include "search/tie_rule.hpp"
#include "wcs/formula.hpp"

namespace {

struct Want {
  std::uint64_t line;
  double result;
  bool all_below;
};

Want every_line(const wcs::CycleInput& in) {
  const wcs::LineScan s = wcs::scan_lines_exact(in, -1.0);
  return {s.line, s.result, s.all_below};
}

using wcs::search::Int128;

// The tie rule by enumeration: every line's exact value (each term scaled to an
// integer with ldexp, apart from src/search/tie_rule.cpp), the smallest exact error,
// then the larger value, then the smallest line; and how many lines share its value.
// nullopt when the terms span too many bits for the tie rule.
struct ExactWant {
  std::uint64_t line = 0, tied = 0;
};
std::optional<ExactWant> exact_winner(const wcs::CycleInput& in) {
  const std::size_t n = in.a.size();
  std::vector<double> off(n), on(n);
  int g = INT_MAX, top = INT_MIN;
  auto note = [&](double x) {
    if (x == 0.0) return;
    g = std::min(g, wcs::lowest_bit_exponent(x));
    top = std::max(top, std::ilogb(x));
  };
  for (std::size_t i = 0; i < n; ++i) {
    off[i] = in.w[i] != 0.0 ? in.a[i] * in.w[i] : 0.0;
    on[i] = (in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0)) * in.wpn;
    note(off[i]);
    note(on[i]);
  }
  note(in.target);
  if (g == INT_MAX) g = top = 0;
  if (top - g > wcs::search::TieRule::kMaxSpanBits) return std::nullopt;
  auto fixed = [&](double x) { return static_cast<Int128>(std::ldexp(x, -g)); };
  const Int128 target = fixed(in.target);
  ExactWant want;
  Int128 best_error = 0, best_value = 0;
  for (std::uint64_t line = 1; line < (std::uint64_t{1} << n); ++line) {
    Int128 v = 0;
    for (std::size_t i = 0; i < n; ++i) v += fixed((line >> (n - 1 - i)) & 1u ? on[i] : off[i]);
    const Int128 e = v > target ? v - target : target - v;
    if (want.line == 0 || e < best_error || (e == best_error && v > best_value)) {
      want = {line, 1};
      best_error = e;
      best_value = v;
    } else if (v == best_value) {
      ++want.tied;
    }
  }
  return want;
}

}  // namespace

TEST_CASE("the exact step gives reference's winner, r and all-below decision on every path") {
  wcs::Solver reference = wcs::test::plugins().create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  std::mt19937_64 rng(77);
  std::size_t cycles = 0, exact_cycles = 0;
  for (std::uint64_t k = 0; k < 1500; ++k) {
    wcs::test::SeededDraw draw(k * 7919 + 13);
    const wcs::test::Case c = wcs::test::boundary_problem(draw);
    const wcs::Problem& p = c.problem;
    const std::size_t n = p.n();
    const wcs::SolveResult run = reference.solve(p, traced);
    for (const wcs::TraceEntry& t : run.trace) {
      const wcs::CycleInput in{p.coefficients, t.weights_before, t.wpn, p.target, p.tolerance, t.cycle};
      const Want want = every_line(in);
      const auto terms = wcs::cycle_terms(in.a, in.w, in.wpn);
      const std::uint64_t hint = wcs::search::key_of_line(1 + rng() % ((std::uint64_t{1} << n) - 1), n);
      struct Path {
        const char* name;
        std::size_t two_list_bits, big_list_bits;
        std::optional<std::uint64_t> hint;
      };
      for (const Path& path : {Path{"two lists", 20, 22, std::nullopt}, Path{"two lists, any hint", 20, 22, hint},
                               Path{"four lists, big lists", 0, 22, std::nullopt},
                               Path{"four lists, heaps of every size", 0, 1, std::nullopt}}) {
        INFO(fmt::format("{} ({}), cycle {}, path {}: {}", k, c.label, t.cycle, path.name,
                         wcs::test::solve_command("reference", {}, p)));
        wcs::search::ExactStep step(path.two_list_bits, path.big_list_bits);
        const wcs::search::ExactOutcome got = step.resolve(in, terms.base, terms.d, path.hint);
        CHECK(wcs::search::line_of_key(got.key, n) == want.line);
        CHECK(got.result == want.result);
        CHECK(got.all_below_target == want.all_below);
        exact_cycles += got.exact_arithmetic;
      }
      std::uint64_t exact_rechecks = 0;
      CHECK(wcs::search::all_below_target(in, terms.base, terms.d, wcs::search::cycle_bounds(in, terms.base, terms.d),
                                          exact_rechecks) == want.all_below);
      ++cycles;
    }
  }
  CHECK(cycles > 4000);
  CHECK(exact_cycles > 1000);  // both arithmetic paths are exercised
  CHECK(exact_cycles < 4 * cycles - 1000);
}

TEST_CASE("line keys order lines for every N up to 64") {
  for (std::size_t n : {1u, 3u, 17u, 63u}) {
    const std::uint64_t last = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    for (std::uint64_t line : {std::uint64_t{1}, std::uint64_t{2}, last / 3, last}) {
      if (line == 0 || line > last) continue;
      const std::uint64_t key = wcs::search::key_of_line(line, n);
      CHECK(wcs::search::line_of_key(key, n) == line);
      const wcs::Combination c = wcs::search::combination_of_key(key, n);
      if (n <= 63) CHECK(c.line() == line);
      for (std::size_t i = 0; i < n; ++i) CHECK(wcs::search::key_selects(key, i) == c.test(i));
    }
  }
  CHECK(wcs::search::key_of_line(1, 3) < wcs::search::key_of_line(2, 3));
  CHECK(wcs::search::combination_of_key(wcs::search::key_bit(0), 64).test(0));
  CHECK(wcs::search::combination_of_key(wcs::search::key_bit(63), 64).test(63));
}

TEST_CASE("the tie rule gives the line of smallest exact error on every path, and the exact step falls back to it") {
  // Every cycle of boundary and lattice problems: the tie rule on its own (two lists,
  // four lists with big lists, heaps of every size) against the enumeration of exact
  // values, and the exact step with no room for re-evaluation (max_rechecks 0), which
  // must then decide by the tie rule, through each of its paths.
  wcs::Solver reference = wcs::test::plugins().create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  std::size_t cycles = 0, differ_from_reference = 0;
  for (std::uint64_t k = 0; k < 1300; ++k) {
    wcs::test::SeededDraw draw(k * 104729 + 7);
    const wcs::test::Case c = k % 3 == 0 ? wcs::test::boundary_problem(draw) : wcs::test::lattice_problem(draw, 14);
    const wcs::Problem& p = c.problem;
    const std::size_t n = p.n();
    const wcs::SolveResult run = reference.solve(p, traced);
    for (const wcs::TraceEntry& t : run.trace) {
      const wcs::CycleInput in{p.coefficients, t.weights_before, t.wpn, p.target, p.tolerance, t.cycle};
      const std::optional<ExactWant> want = exact_winner(in);
      if (!want) continue;
      ++cycles;
      differ_from_reference += want->line != t.line;
      const auto terms = wcs::cycle_terms(in.a, in.w, in.wpn);
      const Want all = every_line(in);
      for (const auto& [two_list_bits, big_list_bits, chunk] :
           {std::tuple<std::size_t, std::size_t, std::size_t>{20, 22, 1 << 17}, {0, 22, 1 << 17}, {0, 22, 3}, {0, 1, 1},
            {2, 1, 2}}) {
        INFO(fmt::format("{} ({}), cycle {}, lists {}/{}, chunks of {}: {}", k, c.label, t.cycle, two_list_bits,
                         big_list_bits, chunk, wcs::test::solve_command("reference", {}, p)));
        wcs::search::TieRule rule(two_list_bits, big_list_bits, chunk);
        const auto got = rule.decide(in);
        REQUIRE(got.has_value());
        CHECK(wcs::search::line_of_key(got->key, n) == want->line);
        CHECK(got->tied_lines == want->tied);
        wcs::search::ExactStep step(two_list_bits, big_list_bits, 0);
        const wcs::search::ExactOutcome out = step.resolve(in, terms.base, terms.d);
        CHECK(wcs::search::line_of_key(out.key, n) == want->line);
        CHECK(out.result == wcs::search::exact_value(in, out.key));
        CHECK(out.all_below_target == all.all_below);
      }
    }
  }
  CHECK(cycles > 3000);
  // Lattice cycles where reference's rounded values pick another line of the same
  // exact error (or a worse one): what the tie rule gives up, and why it is used only
  // when re-evaluation would not fit.
  WARN("cycles where the exact winner is not reference's: " << differ_from_reference << " of " << cycles);
}

namespace {

// Runs `body()` once per Highway target compiled into this build that this CPU
// supports, with dispatch forced to it; restores normal dispatch after.
template <class Body>
void for_each_hwy_target(Body&& body) {
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    INFO("Highway target " << hwy::TargetName(target));
    body();
  }
  hwy::SetSupportedTargetsForTest(0);
}

bool comes_before(double sa, std::uint64_t ka, double sb, std::uint64_t kb) { return sa < sb || (sa == sb && ka < kb); }

}  // namespace

TEST_CASE("the exact step's vector scans agree with their scalar definitions on every Highway target") {
  std::mt19937_64 rng(4242);
  for_each_hwy_target([&] {
    for (int round = 0; round < 300; ++round) {
      const std::size_t count = 1 + rng() % 300;
      // Sorted sums on a coarse lattice (many ties), keys mostly in order, a few swaps.
      std::vector<double> s(count);
      std::vector<std::uint64_t> k(count);
      double v = -5.0;
      for (std::size_t i = 0; i < count; ++i) {
        v += static_cast<double>(rng() % 3) * 0.5;
        s[i] = v;
        k[i] = (rng() % 4 == 0 ? (std::uint64_t{1} << 63) : 0) | (rng() % 1000);
      }
      for (int swaps = static_cast<int>(rng() % 4); swaps > 0 && count > 1; --swaps) {
        const std::size_t i = 1 + rng() % (count - 1);
        std::swap(s[i], s[i - 1]);
      }
      const std::size_t from = 1 + rng() % count;
      std::size_t want = count;
      for (std::size_t i = from; i < count; ++i)
        if (comes_before(s[i], k[i], s[i - 1], k[i - 1])) {
          want = i;
          break;
        }
      CHECK(wcs::search::first_unsorted(s.data(), k.data(), from, count) == want);
      const double limit = s[rng() % count] + (rng() % 2 == 0 ? 0.0 : 0.25);
      const std::size_t start = rng() % (count + 1);
      std::size_t above = count;
      for (std::size_t i = start; i < count; ++i)
        if (!(s[i] > limit)) {
          above = i;
          break;
        }
      CHECK(wcs::search::first_not_above(s.data(), start, count, limit) == above);
    }
  });
}

TEST_CASE("the vector split pass and sums by mask give the scalar results to the bit on every Highway target") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for_each_hwy_target([&] {
    for (int round = 0; round < 200; ++round) {
      const std::size_t nh = 1 + rng() % 70, nl = 1 + rng() % 70;
      std::vector<double> high(nh), low(nl);
      const bool lattice = rng() % 2 == 0;  // ties
      for (double& x : high) x = lattice ? static_cast<double>(rng() % 9) : u(rng) * 10;
      for (double& x : low) x = lattice ? static_cast<double>(rng() % 9) : u(rng) * 10;
      std::sort(high.begin(), high.end());
      std::sort(low.begin(), low.end());
      const double base = lattice ? 0.5 * static_cast<double>(rng() % 3) : u(rng), target = u(rng) * 12;
      const std::size_t skip = rng() % nh;
      std::vector<std::int32_t> split(nh, 7);
      std::vector<double> near(nh, -1.0);
      const wcs::search::SplitScan scan =
          wcs::search::split_points(high.data(), nh, low.data(), nl, base, target, skip, split.data(), near.data());
      REQUIRE(scan.done <= nh);
      std::ptrdiff_t j = static_cast<std::ptrdiff_t>(nl) - 1;
      double best = std::numeric_limits<double>::infinity();
      const double inf = std::numeric_limits<double>::infinity();
      for (std::size_t a = 0; a < scan.done; ++a) {
        const double hb = base + high[a];
        while (j >= 0 && hb + low[static_cast<std::size_t>(j)] > target) --j;
        CHECK(split[a] == j);
        const double below = j >= 0 ? std::fabs(hb + low[static_cast<std::size_t>(j)] - target) : inf;
        const double above =
            j + 1 < static_cast<std::ptrdiff_t>(nl) ? std::fabs(hb + low[static_cast<std::size_t>(j + 1)] - target) : inf;
        CHECK(near[a] == std::min(below, above));
        if (a != skip) best = std::min(best, std::min(below, above));
      }
      CHECK(scan.j == (scan.done == 0 ? static_cast<std::ptrdiff_t>(nl) - 1 : j));
      CHECK(scan.best == best);
    }
    // Sums by mask: exact on integers (any order of addition), so equal to the plain sum.
    for (int round = 0; round < 50; ++round) {
      const std::size_t m = 1 + rng() % 16, count = std::size_t{1} << m;
      const unsigned shift = static_cast<unsigned>(rng() % (64 - m));
      std::vector<double> bits(m);
      for (double& b : bits) b = static_cast<double>(static_cast<int>(rng() % 2001) - 1000);
      std::vector<std::uint64_t> key(count);
      for (std::size_t q = 0; q < count; ++q) key[q] = static_cast<std::uint64_t>(q) << shift;
      std::shuffle(key.begin(), key.end(), rng);
      std::vector<double> s(count, 0.5);
      if (!wcs::search::sums_by_mask(key.data(), count, shift, bits.data(), m, s.data())) continue;
      for (std::size_t q = 0; q < count; ++q) {
        double want = 0.0;
        for (std::size_t b = 0; b < m; ++b)
          if ((key[q] >> (shift + b)) & 1u) want += bits[b];
        CHECK(s[q] == want);
      }
    }
  });
}

TEST_CASE("one exact step over every cycle of a run (last cycle's order reused) gives reference's decisions") {
  wcs::Solver reference = wcs::test::plugins().create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  std::uint64_t reordered = 0;
  for_each_hwy_target([&] {
    for (std::uint64_t k = 0; k < 400; ++k) {
      wcs::test::SeededDraw draw(k * 104729 + 5);
      const wcs::test::Case c = wcs::test::boundary_problem(draw);
      const wcs::Problem& p = c.problem;
      const wcs::SolveResult run = reference.solve(p, traced);
      // The two-list path, and the four-list one with quarters small enough to reuse.
      for (const auto& [two_list_bits, big_list_bits] : {std::pair<std::size_t, std::size_t>{20, 22}, {0, 6}}) {
        wcs::search::ExactStep step(two_list_bits, big_list_bits);
        for (const wcs::TraceEntry& t : run.trace) {
          const wcs::CycleInput in{p.coefficients, t.weights_before, t.wpn, p.target, p.tolerance, t.cycle};
          INFO(fmt::format("{} ({}), cycle {}, lists {}: {}", k, c.label, t.cycle, two_list_bits,
                           wcs::test::solve_command("reference", {}, p)));
          const Want want = every_line(in);
          const auto terms = wcs::cycle_terms(in.a, in.w, in.wpn);
          const wcs::search::ExactOutcome got = step.resolve(in, terms.base, terms.d);
          CHECK(wcs::search::line_of_key(got.key, p.n()) == want.line);
          CHECK(got.result == want.result);
          CHECK(got.all_below_target == want.all_below);
        }
        reordered += step.reordered_lists();
      }
    }
  });
  CHECK(reordered > 1000);  // the reuse path is exercised
}

// `mitm` against `reference` (conformance kit) and, beyond what `reference` runs,
// against an exact brute-force enumerator written here: a depth-first walk over the
// coefficients in index order that builds each line's r with the same additions as
// the bit-exact form, so its winner is `reference`'s by construction.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "conformance.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"

namespace {

// Exhaustive (or, with `prune`, branch-and-bound) cycle search with bit-exact values.
// Without pruning it also decides `all_below_target` from every line, like
// `reference`; with pruning it uses the WPN rule of architecture.md.
class BruteSearch final : public wcs::CycleSearch {
 public:
  explicit BruteSearch(bool prune) : prune_(prune) {}

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    in_ = &in;
    n_ = in.a.size();
    off_.resize(n_);
    on_.resize(n_);
    rest_lo_.assign(n_ + 1, 0.0);
    rest_hi_.assign(n_ + 1, 0.0);
    double scale = std::fabs(in.target);
    for (std::size_t i = 0; i < n_; ++i) {
      off_[i] = in.w[i] != 0.0 ? (in.a[i] * in.w[i]) * 1.0 : 0.0;
      on_[i] = (in.a[i] * (in.w[i] != 0.0 ? in.w[i] : 1.0)) * in.wpn;
      scale += std::fabs(off_[i]) + std::fabs(on_[i]);
    }
    for (std::size_t i = n_; i-- > 0;) {
      rest_lo_[i] = rest_lo_[i + 1] + std::min(off_[i], on_[i]);
      rest_hi_[i] = rest_hi_[i + 1] + std::max(off_[i], on_[i]);
    }
    slack_ = scale * 1e-9;
    have_ = false;
    all_below_ = true;
    visited_ = 0;
    walk(0, 0.0, 0);
    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(best_line_, n_);
    out.result = best_r_;
    if (prune_) {
      const auto t = wcs::cycle_terms(in.a, in.w, in.wpn);
      out.all_below_target = wcs::max_line_value(t.base, t.d) < in.target;
    } else {
      out.all_below_target = all_below_;
    }
    out.evaluations = visited_;
    return out;
  }

 private:
  // Coefficient i next; `r` holds the terms of coefficients < i; `line` their bits.
  void walk(std::size_t i, double r, std::uint64_t line) {
    if (i == n_) {
      if (line == 0) return;  // the empty combination is not a line
      ++visited_;
      const double error = std::fabs(r - in_->target);
      all_below_ = all_below_ && r < in_->target;
      // Lines arrive in increasing order: only a strictly better one replaces.
      if (!have_ || wcs::ranks_before(error, r, best_error_, best_r_)) {
        have_ = true;
        best_error_ = error;
        best_r_ = r;
        best_line_ = line;
      }
      return;
    }
    if (prune_ && have_) {
      const double lo = r + rest_lo_[i] - slack_, hi = r + rest_hi_[i] + slack_;
      const double t = in_->target;
      const double nearest = t < lo ? lo - t : (t > hi ? t - hi : 0.0);
      if (nearest > best_error_ + slack_) return;
    }
    const std::uint64_t bit = std::uint64_t{1} << (n_ - 1 - i);
    walk(i + 1, r + off_[i], line);         // unselected first: smaller lines first
    walk(i + 1, r + on_[i], line | bit);
  }

  bool prune_;
  const wcs::CycleInput* in_ = nullptr;
  std::size_t n_ = 0;
  std::vector<double> off_, on_, rest_lo_, rest_hi_;
  double slack_ = 0;
  bool have_ = false, all_below_ = true;
  double best_error_ = 0, best_r_ = 0;
  std::uint64_t best_line_ = 0, visited_ = 0;
};

wcs::SolveResult brute_solve(const wcs::Problem& p, bool prune) {
  BruteSearch search(prune);
  wcs::SolveOptions o;
  o.trace = true;
  return wcs::run_cycles(p, search, o);
}

// Same cycles, same winner and bit-identical r every cycle (both sides use the
// bit-exact form for the winner), same weights.
void check_same(const wcs::Problem& p, const wcs::SolveResult& want, const std::string& label) {
  INFO(label);
  wcs::Solver mitm = wcs::test::plugins().create("mitm");
  wcs::SolveOptions o;
  o.trace = true;
  const wcs::SolveResult got = mitm.solve(p, o);
  REQUIRE(got.cycles == want.cycles);
  for (std::size_t k = 0; k < want.trace.size(); ++k) {
    INFO("cycle " << k + 1);
    CHECK(got.trace[k].combination.to_string() == want.trace[k].combination.to_string());
    CHECK(got.trace[k].result == want.trace[k].result);
    CHECK(got.trace[k].wpn == want.trace[k].wpn);
  }
  CHECK(got.converged == want.converged);
  CHECK(got.result == want.result);
  CHECK(got.weights == want.weights);
}

wcs::Problem random_problem(std::mt19937_64& rng, std::size_t n, int kind) {
  auto uniform = [&](long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng); };
  wcs::Problem p;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double a;
    if (kind == 0) a = static_cast<double>(uniform(-50, 50));                              // integer
    else if (kind == 1) a = static_cast<double>(uniform(1, 4) * (uniform(0, 1) ? 1 : -1));  // many ties
    else a = static_cast<double>(uniform(-10000, 10000)) / 1000.0;                        // decimal
    p.coefficients.push_back(a);
    if (uniform(0, 1)) sum += a;
  }
  if (std::all_of(p.coefficients.begin(), p.coefficients.end(), [](double a) { return a == 0; }))
    p.coefficients[0] = 1;
  p.target = uniform(0, 2) ? sum + static_cast<double>(uniform(-3, 3)) / (kind == 2 ? 7.0 : 1.0) : 1e6;
  p.tolerance = kind == 2 ? 0.001 : static_cast<double>(uniform(0, 1));
  p.max_iter = uniform(1, 6);
  const int wpn_rule = static_cast<int>(uniform(0, 3));
  if (wpn_rule == 1) p.initial_wpn = 0.5;
  if (wpn_rule == 2) { p.wpn_lo = 0.25; p.wpn_hi = 1.0; }  // p sticks at 1: zero d terms, exact ties
  if (wpn_rule == 3) { p.initial_wpn = 3.0; }
  return p;
}

// A problem on a decimal lattice (issue 23): 0 to 6 decimals, coefficients uniform in
// +-[1, 99] or a few units of the last decimal (many equal sums), the target on a
// lattice point that a subset reaches or half a unit beside one.
wcs::Problem lattice_problem(std::mt19937_64& rng, std::size_t n) {
  auto uniform = [&](long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng); };
  const int decimals = static_cast<int>(uniform(0, 6));
  const double scale = std::pow(10.0, decimals);
  const bool few_units = uniform(0, 2) == 0;
  const auto top = static_cast<long long>(scale);
  wcs::Problem p;
  long long reached = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const long long u = (few_units ? uniform(1, 9) : uniform(top, 99 * top)) * (uniform(0, 1) ? 1 : -1);
    p.coefficients.push_back(static_cast<double>(u) / scale);
    if (uniform(0, 1)) reached += u;
  }
  p.target = (static_cast<double>(reached) + (uniform(0, 2) == 0 ? 0.5 : 0.0)) / scale;
  p.max_iter = uniform(1, 4);
  if (uniform(0, 3) == 0) { p.wpn_lo = 0.5; p.wpn_hi = 1.0; }  // zero d terms
  return p;
}

}  // namespace

TEST_CASE("mitm matches an exhaustive bit-exact enumeration on lattice data up to N = 20") {
  std::mt19937_64 rng(2323);
  for (int k = 0; k < 40; ++k) {
    const std::size_t n = static_cast<std::size_t>(std::uniform_int_distribution<int>(2, k < 34 ? 14 : 20)(rng));
    const wcs::Problem p = lattice_problem(rng, n);
    check_same(p, brute_solve(p, false), "lattice case " + std::to_string(k) + " N=" + std::to_string(n));
  }
}

TEST_CASE("mitm decides lattice ties beyond 2^24 lines by the tie rule and says so (N = 40)") {
  // One decimal, N = 40: some 10^7 lines share the lattice point of the target, more
  // than are re-evaluated; the winner is the line of smallest exact error, which on a
  // reached lattice point is within rounding of 0.
  std::mt19937_64 rng(4040);
  wcs::Problem p;
  long long reached = 0;
  for (int i = 0; i < 40; ++i) {
    const long long u = std::uniform_int_distribution<long long>(10, 990)(rng) * (i % 3 == 0 ? -1 : 1);
    p.coefficients.push_back(static_cast<double>(u) / 10.0);
    if (i % 2 == 0) reached += u;
  }
  p.target = static_cast<double>(reached) / 10.0;
  p.max_iter = 1;
  const wcs::SolveResult r = wcs::test::plugins().create("mitm").solve(p);
  REQUIRE(r.notes.count("exact_ties") == 1);
  CHECK(r.notes.at("exact_ties") == "1");
  CHECK(r.notes.count("tie_rule") == 1);
  CHECK(std::stoull(r.notes.at("tied_lines")) >= 1);
  CHECK(r.error < 1e-9);
}

TEST_CASE("mitm passes the conformance kit") {
  wcs::test::check_family("mitm");
}

TEST_CASE("mitm passes the conformance kit at larger N") {
  wcs::test::check_family("mitm", {}, wcs::test::problems(40, 20, 11));
}

TEST_CASE("mitm solves the worked examples of docs/algorithm.md") {
  wcs::Solver mitm = wcs::test::plugins().create("mitm");
  wcs::Problem p;
  p.coefficients = {3, 7, 11, 15, 19, 23, 27, 31};
  p.target = 120;
  p.tolerance = 3;
  p.max_iter = 50;
  wcs::SolveOptions o;
  o.trace = true;
  auto r = mitm.solve(p, o);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 239u);  // 121 beats 119: the larger r wins the tie
  CHECK(r.result == 121);

  p = {};
  for (int i = 1; i <= 20; ++i) p.coefficients.push_back(i);
  p.target = 200;
  p.tolerance = 5;
  p.max_iter = 50;
  r = mitm.solve(p, o);
  REQUIRE(r.cycles == 1);
  CHECK(r.trace[0].line == 65535u);  // smallest line among the many sums of 200
  CHECK(r.result == 200);
}

TEST_CASE("mitm matches an exhaustive bit-exact enumeration up to N = 22") {
  std::mt19937_64 rng(424242);
  for (int k = 0; k < 60; ++k) {
    const std::size_t n = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, k < 50 ? 16 : 22)(rng));
    const int kind = k % 3;
    const wcs::Problem p = random_problem(rng, n, kind);
    check_same(p, brute_solve(p, false), "exhaustive case " + std::to_string(k) + " N=" + std::to_string(n) +
                                             " kind " + std::to_string(kind));
  }
}

TEST_CASE("mitm matches branch-and-bound enumeration at N = 24") {
  std::mt19937_64 rng(99);
  for (int k = 0; k < 9; ++k) {
    const wcs::Problem p = random_problem(rng, 24, k % 3);
    check_same(p, brute_solve(p, true), "N=24 case " + std::to_string(k));
  }
}

TEST_CASE("mitm finds small instances embedded in large ones (N = 40 and 50)") {
  // 12 small coefficients mixed with huge ones of one sign that spoil every line
  // they are in (each is >= 1e9, p >= 1/16, the small ones sum to < 1e3): the true
  // winner comes from the branch-and-bound enumeration, which prunes every branch
  // holding a huge coefficient.
  std::mt19937_64 rng(31337);
  for (int k = 0; k < 8; ++k) {
    const std::size_t n = k < 6 ? 40 : 50;
    wcs::Problem small = random_problem(rng, 12, k % 3);
    wcs::Problem p = small;
    p.coefficients.clear();
    std::size_t next_small = 0;
    // One sign for all huge coefficients of a case, so no two of them cancel.
    const double huge_sign = k % 2 ? -1.0 : 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool is_small = next_small < 12 && std::uniform_int_distribution<int>(0, static_cast<int>(n - i) - 1)(rng) <
                                                   static_cast<int>(12 - next_small);
      if (is_small) p.coefficients.push_back(small.coefficients[next_small++]);
      else p.coefficients.push_back(static_cast<double>(std::uniform_int_distribution<long long>(1000000000, 9000000000)(rng)) *
                                    huge_sign);
    }
    REQUIRE(next_small == 12);
    p.max_iter = std::min<long long>(p.max_iter, 4);
    p.wpn_lo = -std::numeric_limits<double>::infinity();
    p.wpn_hi = std::numeric_limits<double>::infinity();
    const wcs::SolveResult want = brute_solve(p, true);
    // The embedding must not be trivial: huge coefficients never won.
    for (const auto& t : want.trace)
      for (std::size_t i = 0; i < n; ++i)
        if (std::fabs(p.coefficients[i]) >= 1e9) CHECK_FALSE(t.combination.test(i));
    check_same(p, want, "embedded case " + std::to_string(k) + " N=" + std::to_string(n));
  }
}

TEST_CASE("mitm keeps exact ties from zero d terms (p == 1, weights set)") {
  // WPN bounds [0.5, 1]: the target is above every line, so p is doubled and clamped
  // back to 1 and every coefficient chosen before has d == 0 afterwards.
  wcs::Problem p;
  p.coefficients = {1, -1, 2, 2, 0, 3, -3, 1, 1, 4, 4, -2, 0, 5, 1, 1, 2, 3, 1, 2, 2, 2, 3, 1};
  p.target = 1000;
  p.max_iter = 5;
  p.wpn_lo = 0.5;
  p.wpn_hi = 1.0;
  check_same(p, brute_solve(p, true), "zero-d ties, N=24");
  // Cycle 1 selects everything (r = 10, all below 100), p is doubled and clamped
  // back to 1, so every d is 0 afterwards: every line ties and line 1 wins.
  wcs::Problem q;
  q.coefficients = {2, 3, 5};
  q.target = 100;
  q.max_iter = 3;
  q.wpn_lo = 0.5;
  q.wpn_hi = 1.0;
  const auto want = brute_solve(q, false);
  check_same(q, want, "all d zero");
  REQUIRE(want.trace.size() == 3);
  CHECK(want.trace[0].line == 7u);
  CHECK(want.trace[1].line == 1u);
  CHECK(want.trace[2].line == 1u);
}

TEST_CASE("mitm reports half sums as evaluations and refuses N above its limit") {
  wcs::Solver mitm = wcs::test::plugins().create("mitm");
  CHECK(mitm.info().max_n >= 50);
  wcs::Problem p;
  p.coefficients.assign(20, 1.5);
  for (std::size_t i = 0; i < 20; ++i) p.coefficients[i] += static_cast<double>(i);
  p.target = 1e9;
  p.max_iter = 1;
  const auto r = mitm.solve(p);
  // 2^10 + 2^10 half sums and a few exact re-evaluations, far below 2^20.
  CHECK(r.evaluations >= 2048u);
  CHECK(r.evaluations < 2100u);
  p.coefficients.assign(mitm.info().max_n + 1, 1.0);
  CHECK_THROWS_AS(mitm.solve(p), wcs::InputError);
}

TEST_CASE("mitm matches simd-highway at N = 26 to 32") {
  // simd-highway is identical by its own tests against reference; here it stands in
  // for reference where reference refuses (N > 30) or is too slow for a test.
  if (wcs::test::plugins().find("simd-highway") == nullptr) {
    WARN("simd-highway is not built in this tree: comparison skipped");
    return;
  }
  wcs::Solver simd = wcs::test::plugins().create("simd-highway");
  std::mt19937_64 rng(2626);
  for (std::size_t n : {26, 29, 32}) {
    const wcs::Problem p = random_problem(rng, n, static_cast<int>(n / 2) % 3);
    wcs::Problem q = p;
    q.max_iter = n < 32 ? 3 : 1;
    wcs::SolveOptions o;
    o.trace = true;
    check_same(q, simd.solve(q, o), "vs simd-highway, N=" + std::to_string(n));
  }
}

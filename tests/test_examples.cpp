// `reference` on the worked examples of docs/algorithm.md, cycle by cycle, and on the
// edge cases the spec names (ties, clamping, no convergence, N = 1, tolerance 0).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

struct Winner {
  std::uint64_t line;
  double result, wpn;
};

wcs::SolveResult solve(const std::vector<double>& a, double target, double tol, long long max_iter,
                       std::map<std::string, std::string> options = {}) {
  wcs::Problem p;
  p.coefficients = a;
  p.target = target;
  p.tolerance = tol;
  p.max_iter = max_iter;
  wcs::SolveOptions so;
  so.trace = true;
  return wcs::test::plugins().create("reference", options).solve(p, so);
}

void check_winners(const wcs::SolveResult& r, const std::vector<Winner>& want) {
  REQUIRE(r.trace.size() >= want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("cycle " << k + 1);
    CHECK(r.trace[k].cycle == static_cast<long long>(k + 1));
    CHECK(r.trace[k].line == want[k].line);
    CHECK(r.trace[k].result == want[k].result);
    CHECK(r.trace[k].wpn == want[k].wpn);
  }
}

}  // namespace

TEST_CASE("worked example 1: 15, 47, -12 -> 28") {
  const auto r = solve({15, 47, -12}, 28, 2, 50);
  check_winners(r, {{3, 35, 1}, {7, 25, 0.5}, {1, 29.5, 0.25}});
  CHECK(r.cycles == 3);
  CHECK(r.converged);
  CHECK(r.weights == std::vector<double>{0.5, 0.5, 0.125});
  CHECK(r.result == 29.5);
  CHECK(r.error == 1.5);
  CHECK(r.evaluations == 21);
  CHECK(r.trace[1].weights_before == std::vector<double>{0, 1, 1});
  CHECK(r.trace[0].combination.to_string() == "011");
}

TEST_CASE("worked example 2: 5..25 -> 100") {
  const auto r = solve({5, 10, 15, 20, 25}, 100, 2, 50);
  check_winners(r, {{31, 75, 1}, {1, 100, 2}});
  CHECK(r.cycles == 2);
  CHECK(r.converged);
  CHECK(r.weights == std::vector<double>{1, 1, 1, 1, 2});
  CHECK(r.error == 0);
}

TEST_CASE("worked example 3: the tie rule picks the larger result") {
  const auto r = solve({3, 7, 11, 15, 19, 23, 27, 31}, 120, 3, 50);
  check_winners(r, {{239, 121, 1}});  // 121 and 119 are both 1 away
  CHECK(r.cycles == 1);
  CHECK(r.weights == std::vector<double>{1, 1, 1, 0, 1, 1, 1, 1});
  CHECK(r.error == 1);
}

TEST_CASE("worked example 4: a run that never converges") {
  const auto r = solve({100, 250, 500}, 1000, 10, 50);
  check_winners(r, {{7, 850, 1}, {4, 950, 2}, {1, 950, 1}, {4, 1150, 2}, {1, 1150, 1}, {2, 1025, 0.5}});
  CHECK(r.cycles == 50);
  CHECK_FALSE(r.converged);
  CHECK(r.weights == std::vector<double>{4, 0.5, 1});
  CHECK(r.error == 25);
  CHECK(r.result == 1025);
  CHECK(r.evaluations == 50 * 7);
}

TEST_CASE("worked example 5: 1..20 -> 200 in one cycle of 2^20 - 1 lines") {
  std::vector<double> a;
  for (int i = 1; i <= 20; ++i) a.push_back(i);
  const auto r = solve(a, 200, 5, 50);
  check_winners(r, {{65535, 200, 1}});
  std::vector<double> w(20, 1.0);
  std::fill(w.begin(), w.begin() + 4, 0.0);
  CHECK(r.weights == w);
  CHECK(r.error == 0);
  CHECK(r.evaluations == (1u << 20) - 1);
}

TEST_CASE("worked example 6: the all-below decision is taken per line, bit-exact") {
  // The target lies a rounding error away from the largest line value of a later
  // cycle: the d form's largest value and reference's per-line values fall on
  // either side of it, and only the per-line decision gives the original's p.
  const auto r = solve({-4.75, 4.603, 6.59}, 7.704000000000001, 0, 6);
  CHECK(r.result == 7.66653125);
  CHECK(r.weights == std::vector<double>{0.015625, 0.25, 1});
  for (const auto& strategy : wcs::test::plugins().names()) {
    const wcs::StrategyInfo& info = wcs::test::plugins().get(strategy);
    if (info.family != wcs::Family::identical) continue;
    // Decimal data: outside the domain of a strategy that declares one (dp), which
    // must then refuse rather than guess.
    if (!info.domain.empty()) {
      wcs::Problem p;
      p.coefficients = {-4.75, 4.603, 6.59};
      p.target = 7.704000000000001;
      p.max_iter = 6;
      CHECK_THROWS_AS(wcs::test::plugins().create(strategy).solve(p), wcs::InputError);
      continue;
    }
    INFO(strategy);
    wcs::Problem p;
    p.coefficients = {-4.75, 4.603, 6.59};
    p.target = 7.704000000000001;
    p.max_iter = 6;
    wcs::SolveOptions so;
    so.trace = true;
    const auto got = wcs::test::plugins().create(strategy).solve(p, so);
    CHECK(got.result == r.result);
    CHECK(got.weights == r.weights);
    REQUIRE(got.trace.size() == r.trace.size());
    for (std::size_t k = 0; k < r.trace.size(); ++k) CHECK(got.trace[k].wpn == r.trace[k].wpn);
  }
}

TEST_CASE("WPN is clamped into its bounds after every change") {
  wcs::Problem p;
  p.coefficients = {100, 250, 500};
  p.target = 1000;
  p.tolerance = 10;
  p.max_iter = 6;
  p.wpn_lo = 0.75;
  p.wpn_hi = 1.5;
  wcs::SolveOptions so;
  so.trace = true;
  const auto r = wcs::test::plugins().create("reference").solve(p, so);
  REQUIRE(r.trace.size() >= 2);
  CHECK(r.trace[0].wpn == 1);
  CHECK(r.trace[1].wpn == 1.5);  // 2 clamped
  for (const auto& t : r.trace) {
    CHECK(t.wpn >= 0.75);
    CHECK(t.wpn <= 1.5);
  }
}

TEST_CASE("N = 1 with tolerance 0 follows the WPN rule cycle by cycle") {
  const auto r = solve({2}, 5, 0, 5);
  check_winners(r, {{1, 2, 1}, {1, 4, 2}, {1, 16, 4}, {1, 32, 2}, {1, 32, 1}});
  CHECK_FALSE(r.converged);
  CHECK(r.weights == std::vector<double>{16});
  CHECK(r.error == 27);
}

TEST_CASE("negative and decimal coefficients, exact hit with tolerance 0") {
  const auto r = solve({-1.5, 2.25}, 0.75, 0, 10);
  check_winners(r, {{3, 0.75, 1}});
  CHECK(r.converged);
  CHECK(r.error == 0);
  CHECK(r.weights == std::vector<double>{1, 1});
}

TEST_CASE("reference refuses N > 30 with an error naming N") {
  wcs::Problem p;
  p.coefficients.assign(31, 1.0);
  p.target = 3;
  auto solver = wcs::test::plugins().create("reference");
  CHECK_THROWS_AS(solver.solve(p), wcs::InputError);
  CHECK_THROWS_WITH(solver.solve(p), Catch::Matchers::Contains("N = 31") && Catch::Matchers::Contains("N <= 30"));
}

TEST_CASE("truth table: one row per line, one winner per cycle, equal to the trace") {
  const wcs::test::TempDir dir;
  const auto path = (dir / "table.csv").string();
  const auto r = solve({15, 47, -12}, 28, 2, 50, {{"truth_table", path}});
  std::ifstream in(path);
  REQUIRE(in.good());
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
  std::string line;
  std::getline(in, line);
  CHECK(line == "cycle,line,combination,weights_before,wpn,result,delta_abs,delta_cond,is_winner");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    REQUIRE(cells.size() == 9);
    rows.push_back(cells);
  }
  CHECK(rows.size() == r.evaluations);
  CHECK(rows.size() == 21);
  for (long long cycle = 1; cycle <= r.cycles; ++cycle) {
    int winners = 0, lines = 0;
    for (const auto& row : rows) {
      if (std::stoll(row[0]) != cycle) continue;
      ++lines;
      if (row[8] != "1") continue;
      ++winners;
      const auto& t = r.trace[static_cast<std::size_t>(cycle - 1)];
      CHECK(std::stoull(row[1]) == *t.line);
      CHECK(row[2] == t.combination.to_string());
      CHECK(std::stod(row[5]) == t.result);
      CHECK(std::stod(row[4]) == t.wpn);
      CHECK(std::stod(row[7]) == t.result - 28);
      CHECK(std::stod(row[6]) == std::fabs(t.result - 28));
    }
    CHECK(winners == 1);
    CHECK(lines == 7);
  }
  CHECK(rows[7][3] == "0;1;1");  // cycle 2 starts from W = (0, 1, 1)
}

namespace {

// Every entry of a folder, with its size (0 for folders), sorted by name.
std::vector<std::pair<std::string, std::uintmax_t>> listing(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, std::uintmax_t>> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    out.emplace_back(std::filesystem::relative(e.path(), dir).string(), e.is_regular_file() ? e.file_size() : 0);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a truth table that cannot be written is an error, and nothing is left behind") {
  const wcs::test::TempDir dir;
  SECTION("its folder does not exist: the error names the path, nothing is created") {
    const auto path = (dir / "missing" / "x.csv").string();
    CHECK_THROWS_WITH(solve({1, 2}, 3, 0, 2, {{"truth_table", path}}), Catch::Matchers::Contains(path));
    CHECK(listing(dir.path()).empty());
  }
  SECTION("the table is written in full but cannot take its name: the partial file is removed") {
    // A non-empty folder where the table should go: the rows are written to
    // table.csv.partial, the final rename fails.
    std::filesystem::create_directory(dir / "table.csv");
    std::ofstream(dir / "table.csv" / "keep.txt") << "kept";
    const auto before = listing(dir.path());
    const auto path = (dir / "table.csv").string();
    CHECK_THROWS_WITH(solve({1, 2}, 3, 0, 2, {{"truth_table", path}}), Catch::Matchers::Contains(path));
    CHECK(listing(dir.path()) == before);
    CHECK_FALSE(std::filesystem::exists(path + ".partial"));
  }
  SECTION("links planted where the partial file once went lead nowhere: the table is written, nothing else") {
    std::ofstream(dir / "outside.txt") << "untouched";
    const auto path = (dir / "table.csv").string();
    for (const char* planted : {".partial", ".partial.0", ".tmp"})
      std::filesystem::create_symlink(dir / "outside.txt", path + planted);
    solve({1, 2}, 3, 0, 2, {{"truth_table", path}});
    std::ifstream outside(dir / "outside.txt");
    std::string text;
    std::getline(outside, text);
    CHECK(text == "untouched");
    CHECK(std::filesystem::is_regular_file(std::filesystem::symlink_status(path)));
    CHECK(std::filesystem::is_symlink(path + ".partial"));  // left as it was
  }
}

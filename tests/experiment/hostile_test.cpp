// Hostile experiment files (issue 22, classes 1 and 2): the size of a plan is known
// from its sweeps before anything is expanded, and refused within a second and
// 100 MB whatever aliases multiply; errors are bounded (the first few listed, the
// rest counted); nesting beyond the limit is named with its path, never a crash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "conformance.hpp"
#include "experiment/plan.hpp"
#include "sandbox.hpp"

using namespace wcs::experiment;
using wcs::test::Sandbox;
namespace fs = std::filesystem;

namespace {

// The bounds: refused within 1 s and 100 MB. AddressSanitizer's builds run
// several times slower and any program of them holds about 600 MB (shadow memory and
// quarantine), so there the bounds are 4 s and 2 GB: they still tell a refusal from
// an expansion, which took gigabytes and minutes.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSeconds = 4.0;
constexpr long kRssKb = 2048L * 1024;
#else
constexpr double kSeconds = 1.0;
constexpr long kRssKb = 100L * 1024;
#endif

std::string repeat(const std::string& s, std::size_t times) {
  std::string out;
  out.reserve(s.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += s;
  return out;
}

// "[1,2,...,count]"
std::string numbers(std::size_t count, std::size_t first = 1) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ',';
    out += std::to_string(first + i);
  }
  return out + "]";
}

const char* kProblem = "  - {name: p, generator: uniform_int, low: 1, high: 9, n: 4, target: 5}\n";

// Files whose sweeps multiply past kMaxRuns or kMaxCoefficients through aliases;
// each a few hundred kilobytes at most.
std::vector<std::pair<std::string, std::string>> oversized() {
  std::vector<std::pair<std::string, std::string>> files;
  // One anchored strategy entry of 31,000 params combinations, repeated 40,000 times.
  files.emplace_back("params-aliases",
                     "name: a\nproblems:\n" + std::string(kProblem) +
                         "strategies:\n  - &S {name: sampling, params: {sample_size: " + numbers(1000) +
                         ", threshold: " + numbers(31, 0) + "}}\n" + repeat("  - *S\n", 40000));
  // Params sweeps, each an alias of one list: 100^4 combinations in one entry.
  files.emplace_back("params-product", "name: a\nproblems:\n" + std::string(kProblem) +
                                           "strategies:\n  - {name: sampling, params: {sample_size: &L " +
                                           numbers(100) + ", threshold: *L, mode: *L, resample: *L}}\n");
  // Nested option lists: 64 params of two entries each (lists of lists).
  {
    std::string params;
    for (int i = 0; i < 64; ++i) {
      if (i) params += ", ";
      params += "o" + std::to_string(i) + ": [*L, *L]";
    }
    files.emplace_back("nested-options", "name: a\nproblems:\n" + std::string(kProblem) +
                                             "strategies:\n  - {name: lazy, params: {_: &L [[1, 2], [3]], " + params +
                                             "}}\n");
  }
  // An anchored list of 20,000 seeds in 2,000 problems.
  {
    std::string problems;
    for (int i = 0; i < 2000; ++i)
      problems += "  - {name: p" + std::to_string(i) +
                  ", generator: uniform_int, low: 1, high: 9, n: 4, target: 5, seeds: *L}\n";
    files.emplace_back("seeds-aliases", "name: a\ndefaults:\n  seeds: &L " + numbers(20000) + "\nproblems:\n" +
                                            problems + "strategies:\n  - name: lazy\n");
  }
  // n, max_iter and tolerance sweeps of one anchored list, one problem repeated.
  files.emplace_back("n-iter-tol",
                     "name: a\nproblems:\n  - &P {name: p, generator: uniform_int, low: 1, high: 9, n: &L " +
                         numbers(200) + ", max_iter: *L, tolerance: *L, target: 5}\n" + repeat("  - *P\n", 1000) +
                         "strategies:\n  - name: greedy\n");
  // Fixed coefficients: one list of 90,000 in 40,000 problems (3.6e9 coefficients).
  files.emplace_back("coefficient-aliases", "name: a\nproblems:\n  - &P {name: p, coefficients: " + numbers(90000) +
                                                ", target: 5}\n" + repeat("  - *P\n", 40000) +
                                                "strategies:\n  - name: greedy\n");
  return files;
}

}  // namespace

TEST_CASE("class 1: a plan's size is counted from its sweeps before anything is expanded", "[hostile][limits]") {
  for (const auto& [name, text] : oversized()) {
    INFO(name << " (" << text.size() << " bytes)");
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> messages;
    try {
      parse_plan(text, "t.yaml", wcs::test::plugins());
    } catch (const ExperimentError& e) {
      messages = e.messages();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(messages.size() == 1);
    CHECK_THAT(messages[0], Catch::Matchers::Contains("above the limit of"));
    CHECK_THAT(messages[0], Catch::Matchers::Contains("nothing was"));
    CHECK(seconds < kSeconds);
  }
}

TEST_CASE("class 1: the program refuses an oversized plan within 1 s and 100 MB", "[hostile][limits][harness]") {
  Sandbox s;
  for (const auto& [name, text] : oversized()) {
    std::ofstream(s.dir / (name + ".yaml")) << text;
    for (const char* mode : {"--dry-run", "--quiet"}) {
      INFO(name << " " << mode);
      const auto m = s.measured({"run", name + ".yaml", "--out", "res", mode});
      CHECK(m.status == 2);
      CHECK_THAT(s.err(), Catch::Matchers::Contains("above the limit of"));
      CHECK(m.seconds < kSeconds);
      CHECK(m.max_rss_kb < kRssKb);
      CHECK_FALSE(fs::exists(s.dir / "res"));
    }
  }
}

TEST_CASE("class 1: plans within the limits still expand", "[hostile][limits]") {
  // The same aliases, small enough: 20 seeds x 2 problems x 3 configurations.
  const std::string text = "name: a\ndefaults:\n  seeds: &L " + numbers(20) +
                           "\nproblems:\n  - &P {name: p, generator: uniform_int, low: 1, high: 9, n: 4, target: 5}\n"
                           "  - {name: q, generator: uniform_int, low: 1, high: 9, n: 5, target: 5, seeds: *L}\n"
                           "strategies:\n  - {name: sampling, params: {sample_size: [1, 2, 3]}}\n";
  const Plan plan = parse_plan(text, "t.yaml", wcs::test::plugins());
  CHECK(plan.runs.size() == std::size_t{2} * 20 * 3);
}

namespace {

// Small files that repeat one bad entry many times through aliases.
std::vector<std::pair<std::string, std::string>> repeated_errors() {
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("bad-problem",
                     "name: a\nproblems:\n  - &P {name: p, generator: bogus, n: 4, target: 1, extra: 1}\n" +
                         repeat("  - *P\n", 40000) + "strategies:\n  - name: lazy\n");
  files.emplace_back(
      "bad-params", "name: a\nproblems:\n" + std::string(kProblem) +
                        "strategies:\n  - &S {name: sampling, params: {sample_size: [0, -1, x, 5, 6, 7, 8, 9, 10, 11], "
                        "mode: [a, b, importance, random], threshold: [-1, 40, 3, 4, 5, 6, 7, 8, 9, 10]}}\n" +
                        repeat("  - *S\n", 2000));
  files.emplace_back("bad-seeds", "name: a\ndefaults:\n  seeds: [" + repeat("&X -1, ", 1) + repeat("*X, ", 100000) +
                                      "*X]\nproblems:\n" + std::string(kProblem) + "strategies:\n  - name: lazy\n");
  files.emplace_back("bad-coefficients", "name: a\nproblems:\n  - {name: p, target: 1, coefficients: [&X {a: 1}, " +
                                             repeat("*X, ", 50000) + "*X]}\nstrategies:\n  - name: greedy\n");
  return files;
}

}  // namespace

TEST_CASE("class 2: errors repeated through aliases: the first few listed, the rest counted", "[hostile][errors]") {
  for (const auto& [name, text] : repeated_errors()) {
    INFO(name);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> messages;
    std::size_t total = 0;
    std::string what;
    try {
      parse_plan(text, "t.yaml", wcs::test::plugins());
    } catch (const ExperimentError& e) {
      messages = e.messages();
      total = e.total();
      what = e.what();
    }
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < kSeconds);
    CHECK(messages.size() == kShownErrors);
    CHECK(total > kShownErrors);
    CHECK(total <= kCountedErrors);
    CHECK_THAT(what, Catch::Matchers::Contains("more problems (the first 20 are listed"));
  }
  Sandbox s;
  for (const auto& [name, text] : repeated_errors()) {
    INFO(name);
    std::ofstream(s.dir / (name + ".yaml")) << text;
    const auto m = s.measured({"run", name + ".yaml", "--dry-run"});
    CHECK(m.status == 2);
    const std::string err = s.err();
    CHECK(std::count(err.begin(), err.end(), '\n') <= static_cast<long>(kShownErrors) + 2);
    CHECK_THAT(err, Catch::Matchers::Contains("more (the first 20 are listed"));
    CHECK(m.seconds < kSeconds);
    CHECK(m.max_rss_kb < kRssKb);
  }
}

TEST_CASE("class 2: nesting too deep is named with its path and the limit, never a crash", "[hostile][errors]") {
  const std::size_t deep = 100000;
  const std::vector<std::tuple<std::string, std::string, std::string>> files{
      {"flow lists", "name: a\nproblems: " + repeat("[", deep) + repeat("]", deep) + "\n", "problems[0][0][0]"},
      {"flow maps", "name: a\nproblems: " + repeat("{a: ", deep) + "1" + repeat("}", deep) + "\n", "problems.a.a.a"},
      {"block lists", "name: a\nproblems:\n  " + repeat("- ", deep) + "1\n", "problems[0][0][0]"},
      {"block maps",
       "name: a\nproblems:\n" +
           [&] {
             std::string t;
             for (std::size_t i = 1; i <= 300; ++i) t += std::string(i, ' ') + "k:\n";
             return t;
           }(),
       "problems.k.k.k"},
      {"anchored lists", "name: a\nstrategies: " + repeat("&a [", deep) + repeat("]", deep) + "\n", "strategies[0][0]"},
      {"in a problem",
       "name: a\nproblems:\n  - {name: p, coefficients: " + repeat("[", deep) + repeat("]", deep) + "}\n",
       "problems[0].coefficients[0][0]"},
  };
  for (const auto& [name, text, path] : files) {
    INFO(name);
    std::vector<std::string> messages;
    try {
      parse_plan(text, "t.yaml", wcs::test::plugins());
    } catch (const ExperimentError& e) {
      messages = e.messages();
    }
    REQUIRE(messages.size() == 1);
    CHECK_THAT(messages[0], Catch::Matchers::Contains(": " + path));
    CHECK_THAT(messages[0], Catch::Matchers::Contains("nesting too deep: more than 32 levels"));
  }
  // Within the limit, the file is read and its content judged.
  const std::string within =
      "name: a\nproblems: " + repeat("[", 20) + repeat("]", 20) + "\nstrategies:\n  - name: lazy\n";
  std::vector<std::string> messages;
  try {
    parse_plan(within, "t.yaml", wcs::test::plugins());
  } catch (const ExperimentError& e) {
    messages = e.messages();
  }
  REQUIRE_FALSE(messages.empty());
  CHECK_THAT(messages[0], !Catch::Matchers::Contains("nesting too deep"));
  // The program: exit 2 with the message, small and quick.
  Sandbox s;
  std::ofstream(s.dir / "deep.yaml") << std::get<1>(files[0]);
  const auto m = s.measured({"run", "deep.yaml", "--dry-run"});
  CHECK(m.status == 2);
  CHECK_THAT(s.err(), Catch::Matchers::Contains("deep.yaml:2:"));
  CHECK_THAT(s.err(), Catch::Matchers::Contains("nesting too deep"));
  CHECK(m.seconds < kSeconds);
  CHECK(m.max_rss_kb < kRssKb);
}

TEST_CASE("class 3: a run whose strategy needs more memory than the machine has refuses the plan",
          "[hostile][memory]") {
  const std::string problem =
      "name: a\nproblems:\n  - {name: p, generator: uniform_int, low: 1, high: 9, n: [4, 40, 4000], target: 5}\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"strategies:\n  - {name: dp, params: {max_table_mb: 10000000, max_span: 1000000000000000}}\n",
       "strategy 'dp' needs "},
      {"strategies:\n  - name: lazy\n  - {name: dp, params: {max_span: [100, 100000000000], max_table_mb: 10000000}}\n",
       "strategy 'dp' needs "},
      {"strategies:\n  - {name: sampling, params: {resample: fixed, sample_size: 1000000000, threshold: 0}}\n",
       "strategy 'sampling' needs "},
  };
  Sandbox s;
  int i = 0;
  for (const auto& [strategies, message] : cases) {
    INFO(strategies);
    std::vector<std::string> messages;
    try {
      parse_plan(problem + strategies, "t.yaml", wcs::test::plugins());
    } catch (const ExperimentError& e) {
      messages = e.messages();
    }
    REQUIRE(messages.size() == 1);
    CHECK_THAT(messages[0],
               Catch::Matchers::Contains(message) && Catch::Matchers::Contains(" GB available (its largest run, "));
    const std::string file = "m" + std::to_string(++i) + ".yaml";
    std::ofstream(s.dir / file) << problem + strategies;
    const auto m = s.measured({"run", file, "--out", "res", "--quiet"});
    CHECK(m.status == 2);  // before: the runs failed one by one (exit 1), or bad_alloc
    CHECK_THAT(s.err(), Catch::Matchers::Contains("nothing was run"));
    CHECK(m.seconds < kSeconds);
    CHECK(m.max_rss_kb < kRssKb);
    CHECK_FALSE(fs::exists(s.dir / "res"));
  }
}

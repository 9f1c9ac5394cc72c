// Experiment files -> plans: Cartesian expansion, stable ids, shards, generators,
// skips, and validation messages with their positions.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>

#include "conformance.hpp"
#include "experiment/checker.hpp"
#include "experiment/generators.hpp"
#include "experiment/plan.hpp"
#include "wcs/format.hpp"

using namespace wcs::experiment;

namespace {

const char* kSweep = R"(name: sweep
defaults:
  max_iter: [10, 20]
problems:
  - name: fixed
    coefficients: [15, 47, -12]
    target: 28
    tolerance: 2
  - name: gen
    generator: uniform_int
    low: 1
    high: 40
    sign: mixed
    n: [3, 4, 5]
    seeds: [1, 2]
    target: {rule: subset_sum}
strategies:
  - name: reference
    params: {truth_table: ["", "t.csv"]}
    max_n: 4
)";

// The messages of parsing `text`, or none.
std::vector<std::string> errors_of(const std::string& text) {
  try {
    parse_plan(text, "t.yaml", wcs::test::plugins());
  } catch (const ExperimentError& e) {
    return e.messages();
  }
  return {};
}

bool any_contains(const std::vector<std::string>& messages, const std::string& part) {
  for (const auto& m : messages)
    if (m.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a sweep expands to the Cartesian product of its lists", "[plan]") {
  const Plan plan = parse_plan(kSweep, "sweep.yaml", wcs::test::plugins());
  // fixed: 1 size x 1 seed x 2 max_iter; gen: 3 sizes x 2 seeds x 2 max_iter; x 2 params.
  CHECK(plan.instances.size() == 2 + 12);
  REQUIRE(plan.runs.size() == 28);
  CHECK(plan.seeds == std::vector<std::uint64_t>{1, 2});
  std::size_t skipped = 0;
  for (const auto& r : plan.runs) {
    const auto n = plan.instances[r.instance].problem_data.n();
    CHECK((n > 4) == !r.skip_reason.empty());
    skipped += !r.skip_reason.empty();
    if (!r.skip_reason.empty()) CHECK(r.skip_reason.find("max_n 4") != std::string::npos);
  }
  CHECK(skipped == 8);  // n = 5: 2 seeds x 2 max_iter x 2 params
  CHECK(plan.runs[0].key == "fixed/n=3/seed=1/max_iter=10/tol=2/reference{truth_table=}");
  CHECK(plan.runs[1].key == "fixed/n=3/seed=1/max_iter=10/tol=2/reference{truth_table=t.csv}");
  CHECK(plan.file_hash.rfind("fnv1a64:", 0) == 0);
}

TEST_CASE("run ids are stable, unique and do not depend on the order in the file", "[plan]") {
  const Plan a = parse_plan(kSweep, "a.yaml", wcs::test::plugins());
  const Plan b = parse_plan(kSweep, "b.yaml", wcs::test::plugins());
  std::set<std::string> ids_a, ids_b;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    CHECK(a.runs[i].id == b.runs[i].id);
    CHECK(a.runs[i].id.size() == 16);
    CHECK(a.runs[i].index == i);
    ids_a.insert(a.runs[i].id);
  }
  CHECK(ids_a.size() == a.runs.size());
  // The same experiment with the params listed the other way round.
  std::string swapped = kSweep;
  swapped.replace(swapped.find("[\"\", \"t.csv\"]"), 13, "[\"t.csv\", \"\"]");
  const Plan c = parse_plan(swapped, "c.yaml", wcs::test::plugins());
  for (const auto& r : c.runs) ids_b.insert(r.id);
  CHECK(ids_a == ids_b);
  CHECK(c.file_hash != a.file_hash);
}

TEST_CASE("shards partition the plan exactly", "[plan]") {
  const Plan plan = parse_plan(kSweep, "sweep.yaml", wcs::test::plugins());
  for (std::size_t count = 1; count <= 6; ++count) {
    std::multiset<std::string> seen;
    for (std::size_t s = 0; s < count; ++s)
      for (const Run* r : shard_runs(plan, s, count)) {
        CHECK(r->index % count == s);
        seen.insert(r->id);
      }
    CHECK(seen.size() == plan.runs.size());
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == plan.runs.size());
  }
}

TEST_CASE("generators are seeded and their target rules hold", "[plan][generators]") {
  CoefficientRule ints;
  ints.low = -5;
  ints.high = 5;
  TargetRule subset;
  subset.kind = "subset_sum";
  const Generated a = generate(ints, subset, 12, 7), b = generate(ints, subset, 12, 7), c = generate(ints, subset, 12, 8);
  CHECK(a.coefficients == b.coefficients);
  CHECK(a.target == b.target);
  CHECK(a.coefficients != c.coefficients);
  for (double x : a.coefficients) {
    CHECK(x >= -5);
    CHECK(x <= 5);
    CHECK(x == std::floor(x));
  }
  // subset_sum is reachable: reference finds it in the first cycle with tolerance 0.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CoefficientRule pos;
    pos.low = 1;
    pos.high = 30;
    const Generated g = generate(pos, subset, 8, seed);
    wcs::Problem p;
    p.coefficients = g.coefficients;
    p.target = g.target;
    const auto r = wcs::test::plugins().create("reference").solve(p);
    CHECK(r.converged);
    CHECK(r.cycles == 1);
  }
  TargetRule fraction;
  fraction.fraction = 0.25;
  CoefficientRule reals;
  reals.kind = "uniform_real";
  reals.low = 2;
  reals.high = 3;
  const Generated f = generate(reals, fraction, 10, 3);
  double sum = 0;
  for (double x : f.coefficients) {
    CHECK(x >= 2);
    CHECK(x < 3);
    sum += x;
  }
  CHECK(f.target == 0.25 * sum);
}

TEST_CASE("validation reports every problem with file:line:col and the valid choices", "[plan][errors]") {
  SECTION("malformed YAML") {
    const auto e = errors_of("name: x\nproblems: [1, 2\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:", 0) == 0);
    CHECK(e[0].find(": yaml: ") != std::string::npos);
  }
  SECTION("unknown keys list the valid keys") {
    const auto e = errors_of(
        "name: x\nbogus: 1\nproblems:\n  - name: p\n    coefficients: [1, 2]\n    target: 1\n    tolerence: 2\n"
        "strategies:\n  - name: reference\n");
    REQUIRE(e.size() == 2);
    CHECK(e[0] == "t.yaml:2:1: bogus: unknown key (valid keys: name, description, defaults, problems, strategies, estimates, baseline)");
    CHECK(e[1].rfind("t.yaml:7:5: problems[0].tolerence: unknown key (valid keys: name, coefficients, target, tolerance", 0) == 0);
  }
  SECTION("unknown strategy lists the registered ones") {
    const auto e = errors_of("name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: nosuch\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:5:11: strategies[0].name: ", 0) == 0);
    CHECK(e[0].find("nosuch") != std::string::npos);
    CHECK(e[0].find("reference") != std::string::npos);
  }
  SECTION("unknown option lists the valid ones") {
    const auto e = errors_of(
        "name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n"
        "    params: {trut_table: a}\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:6:14: strategies[0].params.trut_table: ", 0) == 0);
    CHECK(e[0].find("truth_table") != std::string::npos);
  }
  SECTION("NaN, empty and missing coefficients, bad generators, all at once") {
    const auto e = errors_of(
        "name: x\nproblems:\n  - {name: a, coefficients: [1, .nan, 3], target: 1}\n"
        "  - {name: b, coefficients: [], target: 1}\n"
        "  - {name: c, coefficients: [1, nan], target: 1}\n"
        "  - {name: d, generator: normal, n: 3, target: 1}\n"
        "  - {name: e, generator: uniform_int, n: [], target: {rule: all}}\n"
        "  - {name: f, coefficients: [0, 0], target: 1}\n"
        "strategies:\n  - name: reference\n");
    CHECK(any_contains(e, "t.yaml:3:33: problems[0].coefficients[1]: '.nan' is not"));
    CHECK(any_contains(e, "t.yaml:4:29: problems[1].coefficients: expected a non-empty list"));
    CHECK(any_contains(e, "t.yaml:5:33: problems[2].coefficients[1]: 'nan' is not a finite number"));
    CHECK(any_contains(e, "t.yaml:6:26: problems[3].generator: unknown generator 'normal' (valid: uniform_int, uniform_real)"));
    CHECK(any_contains(e, "problems[4].n: empty list"));
    CHECK(any_contains(e, "problems[4].target.rule: unknown rule 'all' (valid: fraction_of_sum, subset_sum, random)"));
    CHECK(any_contains(e, "t.yaml:8:5: problems[5]: "));  // all zero: the core's own message
    CHECK(e.size() == 7);
  }
  SECTION("missing sections and bad values") {
    const auto e = errors_of("name: bad name\ndefaults: {repetitions: 0, min_time: -1}\n");
    CHECK(any_contains(e, "t.yaml:1:7: name: 'bad name' must be"));
    CHECK(any_contains(e, "defaults.repetitions: 0 is below the smallest allowed value 1"));
    CHECK(any_contains(e, "defaults.min_time: -1 is not > 0"));
    CHECK(any_contains(e, "problems: missing"));
    CHECK(any_contains(e, "strategies: missing"));
  }
  SECTION("an option value out of range") {
    const auto e = errors_of(
        "name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n"
        "    params: {truth_table: [a, [b]]}\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:6:31: strategies[0].params.truth_table[1]: expected a single value", 0) == 0);
  }
}

TEST_CASE("a 10,000-run sweep of small problems plans quickly", "[plan][speed]") {
  std::string text = "name: big\nproblems:\n  - name: g\n    generator: uniform_int\n    n: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n"
                     "    seeds: [";
  for (int s = 1; s <= 1000; ++s) text += (s > 1 ? ", " : "") + std::to_string(s);
  text += "]\n    target: {rule: fraction_of_sum, fraction: 0.5}\nstrategies:\n  - name: reference\n";
  const auto t0 = std::chrono::steady_clock::now();
  const Plan plan = parse_plan(text, "big.yaml", wcs::test::plugins());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(plan.runs.size() == 10000);
  WARN("planning 10,000 runs took " << ms << " ms");  // measured, not asserted (no timed tests)
}

namespace {
// Run ids of a plan by key.
std::map<std::string, std::string> ids_by_key(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& r : parse_plan(text, "t.yaml", wcs::test::plugins()).runs) out[r.key] = r.id;
  return out;
}
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("a run's id covers everything that determines its result", "[plan][identity]") {
  const std::string base = R"(name: id
defaults: {repetitions: 2, min_time: 0.01, seeds: [1]}
problems:
  - {name: fixed, coefficients: [15, 47, -12], target: 28, tolerance: 2, initial_wpn: 1, wpn_bounds: [-8, 8]}
  - {name: gen, generator: uniform_int, low: 1, high: 40, n: 4, target: {rule: fraction_of_sum, fraction: 0.5}}
strategies:
  - name: reference
)";
  const auto ids = ids_by_key(base);
  REQUIRE(ids.size() == 2);
  CHECK(ids_by_key(base) == ids);  // stable
  // Each edit keeps every key but changes what the run computes or how it is timed:
  // the edited runs get new ids, the others keep theirs.
  const std::vector<std::pair<std::string, std::string>> edits{
      {"target: 28", "target: 29"},
      {"[15, 47, -12]", "[15, 47, -13]"},
      {"initial_wpn: 1", "initial_wpn: 2"},
      {"wpn_bounds: [-8, 8]", "wpn_bounds: [-8, 9]"},
      {"high: 40", "high: 41"},
      {"fraction: 0.5", "fraction: 0.25"},
      {"repetitions: 2", "repetitions: 3"},
      {"min_time: 0.01", "min_time: 0.02"},
      {"  - name: reference\n", "  - name: reference\n    iterations: 5\n"},
  };
  for (const auto& [from, to] : edits) {
    INFO(from << " -> " << to);
    const auto edited = ids_by_key(replaced(base, from, to));
    REQUIRE(edited.size() == ids.size());
    std::size_t changed = 0;
    for (const auto& [key, id] : ids) {
      REQUIRE(edited.count(key) == 1);  // the readable key is the same...
      changed += edited.at(key) != id;  // ...the identity is not
    }
    const bool fixed_only = from.find("target: 28") == 0 || from[0] == '[' || from.find("wpn") != std::string::npos;
    const bool gen_only = from.find("high") == 0 || from.find("fraction") == 0;
    CHECK(changed == (fixed_only || gen_only ? 1u : 2u));
  }
  // Comments and the order of keys change the file's hash, not the runs.
  CHECK(ids_by_key("# a comment\n" + base) == ids);
  const Plan plan = parse_plan(base, "t.yaml", wcs::test::plugins());
  CHECK(plan.wcs_version == wcs_version());
  CHECK_FALSE(plan.runs[0].strategy_version.empty());
}

TEST_CASE("names of results folders and of files a run writes stay inside the output folder", "[plan][errors][paths]") {
  const std::string tail = "problems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n";
  for (const char* name : {"..", ".", ".hidden", "a/b", "/etc"}) {
    INFO(name);
    const auto e = errors_of(std::string("name: '") + name + "'\n" + tail);
    REQUIRE_FALSE(e.empty());
    CHECK(e[0].rfind("t.yaml:1:7: name: ", 0) == 0);
  }
  for (const char* table : {"/any/path", "../escape.csv", "a/b.csv", "..", ".", ".x"}) {
    INFO(table);
    const auto e = errors_of("name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n"
                             "  - name: reference\n    params: {truth_table: ['" + std::string(table) + "']}\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:6:28: strategies[0].params.truth_table[0]: ", 0) == 0);
    CHECK_THAT(e[0], Catch::Matchers::Contains("is not a plain file name"));
  }
  CHECK(errors_of("name: x.y-1_2\n" + tail).empty());
  CHECK(errors_of("name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n"
                  "  - name: reference\n    params: {truth_table: t.csv}\n").empty());
}

TEST_CASE("limits are checked before anything is generated, with the position", "[plan][errors][limits]") {
  const auto t0 = std::chrono::steady_clock::now();
  auto gen = [](const std::string& n, const std::string& more = "") {
    std::string text = "name: x\n";
    text += more;
    text += "problems:\n  - name: g\n    generator: uniform_int\n    n: ";
    text += n;
    text += "\n    target: 1\nstrategies:\n  - name: greedy\n  - name: reference\n";
    return text;
  };
  auto e = errors_of(gen("1000000000"));
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "t.yaml:5:8: problems[0].n: N = 1000000000 is above the largest N of an experiment (100000)");
  e = errors_of(gen("[4, 9223372036854775000]"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:5:12: problems[0].n[1]: N = 9223372036854775000 is above the largest N", 0) == 0);
  // 1 + 2 + ... + 20000 coefficients: 200 million.
  std::string sizes = "[";
  for (int n = 1; n <= 20000; ++n) sizes += std::string(n > 1 ? "," : "") + std::to_string(n);
  e = errors_of(gen(sizes + "]"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:3:5: problems[0]: the plan's problems reach ", 0) == 0);
  CHECK_THAT(e[0], Catch::Matchers::Contains("above the limit of 10000000"));
  // More than a million runs.
  std::string seeds = "[";
  for (int s = 0; s < 1001; ++s) seeds += std::string(s ? "," : "") + std::to_string(s);
  std::string iters = "[";
  for (int s = 1; s <= 500; ++s) iters += std::string(s > 1 ? "," : "") + std::to_string(s);
  std::string defaults = "defaults: {seeds: ";
  defaults += seeds;
  defaults += "], max_iter: ";
  defaults += iters;
  defaults += "]}\n";
  e = errors_of(gen("3", defaults));
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:4:5: problems[0]: the plan reaches 1001000 runs here, above the limit of 1000000 (2 strategy", 0) == 0);
  // N beyond the max_n of every listed strategy: nothing but skips, refused.
  e = errors_of("name: x\nproblems:\n  - {name: g, generator: uniform_int, n: [8, 31], target: 1}\n"
                "strategies:\n  - name: reference\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "t.yaml:3:46: problems[0].n[1]: N = 31 is above the max_n of every listed strategy (the largest: 30 of 'reference')");
  std::string many = "[";
  for (int i = 0; i < 31; ++i) many += std::string(i ? "," : "") + std::to_string(i + 1);
  std::string fixed = "name: x\nproblems:\n  - {name: f, coefficients: ";
  fixed += many;
  fixed += "], target: 1}\nstrategies:\n  - name: reference\n";
  e = errors_of(fixed);
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:3:29: problems[0].coefficients: N = 31 is above the max_n of every listed strategy", 0) == 0);
  CHECK(errors_of("name: x\nproblems:\n  - {name: g, generator: uniform_int, n: [8, 31], target: 1}\n"
                  "strategies:\n  - name: reference\n  - name: greedy\n").empty());  // greedy takes N = 31
  e = errors_of(gen("3", "defaults: {repetitions: 1000000}\n"));
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Catch::Matchers::Contains("defaults.repetitions: 1000000 is above the largest allowed value 1000"));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 5000);  // each refused in milliseconds; before, the first took a minute and 7.8 GB
}

TEST_CASE("non-UTF-8 text, duplicate keys and a second document are errors with a position", "[plan][errors][yaml]") {
  auto e = errors_of("name: x\ndescription: caf\xe9\nproblems: []\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "t.yaml:2:17: yaml: byte 0xe9 is not UTF-8 text (experiment files are UTF-8, without control characters)");
  e = errors_of("name: x\x01\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:1:8: yaml: byte 0x01", 0) == 0);
  // An escape can make a value the file does not hold.
  e = errors_of("name: x\ndescription: \"\\x01\"\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                "strategies:\n  - name: reference\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:2:14: description: the value is not UTF-8 text", 0) == 0);
  e = errors_of("name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1, target: 2}\n"
                "strategies:\n  - name: reference\nname: y\n");
  REQUIRE(e.size() == 2);
  CHECK(e[0] == "t.yaml:3:48: target: duplicate key (first at line 3)");
  CHECK(e[1] == "t.yaml:6:1: name: duplicate key (first at line 1)");
  e = errors_of("name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n"
                "---\nname: y\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("t.yaml:6:1: yaml: a second document", 0) == 0);
  // Valid UTF-8 is fine, in values and in comments.
  CHECK(errors_of("name: x # caf\xc3\xa9\ndescription: \xe2\x86\x92 \xf0\x9f\x98\x80\nproblems:\n"
                  "  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n").empty());
  CHECK(invalid_text_at("a\xc0\xafz") == 1);        // overlong '/'
  CHECK(invalid_text_at("\xed\xa0\x80") == 0);      // a surrogate
  CHECK(invalid_text_at("ok\xf4\x90\x80\x80") == 2);  // above U+10FFFF
  CHECK(invalid_text_at("tab\tcr\r\n") == std::string::npos);
}

TEST_CASE("seeds follow one rule, the same as `wcs solve --seed`", "[plan][errors][seed]") {
  auto e = errors_of("name: x\ndefaults: {seeds: [1, -1]}\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                     "strategies:\n  - name: reference\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == "t.yaml:2:23: defaults.seeds[1]: '-1' is not a seed (" + wcs::seed_rule() + ")");
  CHECK_THROWS_WITH(wcs::parse_seed("-1", "seed"), "seed: '-1' is not a seed (" + wcs::seed_rule() + ")");
  CHECK(wcs::to_seed("9223372036854775807") == 9223372036854775807ull);
  CHECK_FALSE(wcs::to_seed("9223372036854775808"));
  CHECK_FALSE(wcs::to_seed("1.5"));
}

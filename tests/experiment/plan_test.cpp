// Experiment files -> plans: Cartesian expansion, stable ids, shards, generators,
// skips, and validation messages with their positions.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>

#include "conformance.hpp"
#include "experiment/generators.hpp"
#include "experiment/plan.hpp"

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
    params: {truth_table: ["", "/dev/null"]}
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
  CHECK(plan.runs[1].key == "fixed/n=3/seed=1/max_iter=10/tol=2/reference{truth_table=/dev/null}");
  CHECK(plan.file_hash.rfind("fnv1a64:", 0) == 0);
}

TEST_CASE("run ids are stable, unique and do not depend on the order in the file", "[plan]") {
  const Plan a = parse_plan(kSweep, "a.yaml", wcs::test::plugins());
  const Plan b = parse_plan(kSweep, "b.yaml", wcs::test::plugins());
  std::set<std::string> ids_a, ids_b;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    CHECK(a.runs[i].id == b.runs[i].id);
    CHECK(a.runs[i].id == fnv1a_hex(a.runs[i].key));
    CHECK(a.runs[i].index == i);
    ids_a.insert(a.runs[i].id);
  }
  CHECK(ids_a.size() == a.runs.size());
  // The same experiment with the params listed the other way round.
  std::string swapped = kSweep;
  swapped.replace(swapped.find("[\"\", \"/dev/null\"]"), 17, "[\"/dev/null\", \"\"]");
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
  CHECK(parse_shard("2/5") == std::pair<std::size_t, std::size_t>{2, 5});
  CHECK_THROWS_AS(parse_shard("5/5"), wcs::InputError);
  CHECK_THROWS_AS(parse_shard("-1/5"), wcs::InputError);
  CHECK_THROWS_AS(parse_shard("1/0"), wcs::InputError);
  CHECK_THROWS_AS(parse_shard("1"), wcs::InputError);
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

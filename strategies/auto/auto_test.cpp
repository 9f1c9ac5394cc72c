// `auto`: the rule table is well formed, the choice follows it among what is
// registered (real modules and stand-ins), the choice is reported in every result,
// and no row fitting is an error naming N.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>
#include <string>

#include "conformance.hpp"
#include "rules.hpp"
#include "wcs/error.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

using wcs::autorule::Rule;

std::string module_path(const std::string& name) {
  const char* dir = std::getenv("WCS_TEST_PLUGIN_DIR");
  REQUIRE(dir != nullptr);
  return std::string(dir) + "/" + name + "/wcs-strategy-" + name + ".so";
}

void load(const std::string& name, wcs::Registry& registry) {
  wcs::PluginReport report;
  wcs::load_plugin(module_path(name), registry, report);
  for (const auto& p : report.problems) FAIL("plugin: " << p);
}

// A stand-in strategy: reports its name, its options and the seed it was given.
class StandIn final : public wcs::Strategy {
 public:
  StandIn(std::string name, std::string options) : name_(std::move(name)), options_(std::move(options)) {}
  wcs::SolveResult solve(const wcs::Problem& p, const wcs::SolveOptions& o) override {
    wcs::SolveResult r;
    r.weights.assign(p.n(), 0.0);
    r.error = std::fabs(p.target);
    r.notes["ran"] = name_;
    r.notes["ran_options"] = options_;
    r.notes["seed"] = std::to_string(o.seed);
    return r;
  }

 private:
  std::string name_, options_;
};

void add_stand_in(wcs::Registry& registry, const std::string& name, std::size_t max_n, wcs::Family family) {
  wcs::StrategyInfo info;
  info.name = name;
  info.family = family;
  info.max_n = max_n;
  if (name == "greedy") info.options = {wcs::OptionSpec::boolean("pair_flips", false, "pair moves")};
  registry.add(std::move(info), [name](const wcs::Options& o, const wcs::Registry&) {
    std::string text;
    for (const auto& [k, v] : o.canonical()) text += k + "=" + v + ";";
    return std::make_unique<StandIn>(name, text);
  });
}

wcs::Problem problem_of_size(std::size_t n) {
  wcs::Problem p;
  for (std::size_t i = 0; i < n; ++i) p.coefficients.push_back(static_cast<double>(i % 7) - 3.0 + 0.5);
  p.target = 4;
  p.tolerance = 0.5;
  p.max_iter = 5;
  return p;
}

// The catalogue of strategies.md.
const std::set<std::string> kCatalogue = {"reference", "lazy",   "early-stop", "fused",        "gray",
                                          "simd-xsimd", "simd-highway", "parallel", "mitm",   "sampling",
                                          "hierarchical", "greedy", "auto",       "adamw",  "least-norm"};

}  // namespace

TEST_CASE("auto: the rule table is well formed") {
  const auto& table = wcs::autorule::rules();
  REQUIRE_FALSE(table.empty());
  bool seen_converging = false;
  std::size_t last_converging_max = 0;
  for (std::size_t k = 0; k < table.size(); ++k) {
    const Rule& rule = table[k];
    INFO("row " << k << ": " << rule.strategy << " up to N = " << rule.max_n);
    CHECK(kCatalogue.count(rule.strategy) == 1);
    CHECK(rule.strategy != "auto");
    CHECK(rule.max_n >= 1);
    // Exact while fast, converging above: no exact row after a converging one, and
    // the converging rows sorted by the N they cover.
    if (rule.exact) CHECK_FALSE(seen_converging);
    if (!rule.exact) {
      CHECK(rule.max_n >= last_converging_max);
      last_converging_max = rule.max_n;
      seen_converging = true;
    }
    // No dead row: an earlier row with the same strategy and options covering at
    // least as many N would always be chosen first.
    for (std::size_t j = 0; j < k; ++j)
      CHECK_FALSE((table[j].strategy == rule.strategy && table[j].options == rule.options &&
                   table[j].max_n >= rule.max_n));
  }
  CHECK(table.back().max_n == wcs::autorule::kAnyN);  // some row for every N, once converging ones exist
  CHECK(seen_converging);
}

TEST_CASE("auto: every registered row names the right family and valid options") {
  const wcs::Registry& registry = wcs::test::plugins();
  for (const Rule& rule : wcs::autorule::rules()) {
    const wcs::StrategyInfo* info = registry.find(rule.strategy);
    if (info == nullptr) continue;  // not built (yet): the rule skips it
    INFO("row " << rule.strategy << " up to N = " << rule.max_n);
    CHECK(rule.exact == (info->family == wcs::Family::identical));
    CHECK_NOTHROW(wcs::resolve_options(rule.strategy, info->options, rule.options));
    if (rule.max_n != wcs::autorule::kAnyN && rule.max_n > info->max_n)
      WARN("row promises N <= " << rule.max_n << " but " << rule.strategy << " accepts only N <= " << info->max_n);
  }
}

TEST_CASE("auto: with only reference registered it picks reference for small N and says so") {
  wcs::Registry registry;
  load("reference", registry);
  load("auto", registry);
  REQUIRE(registry.size() == 2);
  wcs::Solver automatic = registry.create("auto");
  wcs::Solver reference = registry.create("reference");
  CHECK(automatic.info().family == wcs::Family::converging);
  const auto cases = wcs::test::problems(120, 16, 20261204);
  wcs::SolveOptions traced;
  traced.trace = true;
  for (const auto& c : cases) {
    INFO(c.label);
    const wcs::SolveResult got = automatic.solve(c.problem, traced);
    const wcs::SolveResult want = reference.solve(c.problem, traced);
    CHECK(got.notes.at("chose") == "reference");
    CHECK(got.notes.at("chose_options") == "truth_table=");
    // The same strategy with the same options: the very same answer.
    CHECK(got.weights == want.weights);
    CHECK(got.cycles == want.cycles);
    CHECK(got.evaluations == want.evaluations);
    CHECK(got.converged == want.converged);
    CHECK(got.trace.size() == want.trace.size());
  }
}

TEST_CASE("auto: no row fits is an input error naming N, never a silent fallback") {
  wcs::Registry registry;
  load("reference", registry);
  load("auto", registry);
  wcs::Solver automatic = registry.create("auto");
  // reference accepts N <= 30, but the rule uses it only while it is fast (N <= 20).
  CHECK(automatic.solve(problem_of_size(20)).notes.at("chose") == "reference");
  CHECK_THROWS_AS(automatic.solve(problem_of_size(21)), wcs::InputError);
  CHECK_THROWS_WITH(automatic.solve(problem_of_size(21)),
                    Catch::Contains("N = 21") && Catch::Contains("auto") && Catch::Contains("reference (N <= 20)"));
  CHECK_THROWS_WITH(automatic.solve(problem_of_size(1000)), Catch::Contains("N = 1000"));

  wcs::Registry alone;
  load("auto", alone);
  CHECK_THROWS_WITH(alone.create("auto").solve(problem_of_size(3)),
                    Catch::Contains("N = 3") && Catch::Contains("none of its rows"));
}

TEST_CASE("auto: the choice follows the table among what is registered") {
  wcs::Registry registry;
  add_stand_in(registry, "fused", 30, wcs::Family::identical);
  add_stand_in(registry, "mitm", 64, wcs::Family::identical);
  add_stand_in(registry, "greedy", wcs::autorule::kAnyN, wcs::Family::converging);
  add_stand_in(registry, "sampling", wcs::autorule::kAnyN, wcs::Family::converging);
  load("auto", registry);
  wcs::Solver automatic = registry.create("auto");
  auto chose = [&](std::size_t n) {
    const wcs::SolveResult r = automatic.solve(problem_of_size(n));
    CHECK(r.notes.at("ran") == r.notes.at("chose"));  // what it says is what ran
    return r.notes.at("chose");
  };
  CHECK(chose(1) == "fused");
  CHECK(chose(12) == "fused");
  CHECK(chose(13) == "mitm");
  CHECK(chose(50) == "mitm");
  CHECK(chose(51) == "greedy");
  CHECK(chose(200) == "greedy");
  CHECK(chose(201) == "sampling");
  CHECK(chose(5000) == "sampling");

  // The row's options reach the strategy and are reported.
  const wcs::SolveResult r = automatic.solve(problem_of_size(100));
  CHECK(r.notes.at("ran_options") == "pair_flips=true;");
  CHECK(r.notes.at("chose_options") == "pair_flips=true");
  // Settings of the solve (the seed) pass through unchanged.
  wcs::SolveOptions seeded;
  seeded.seed = 4242;
  CHECK(automatic.solve(problem_of_size(100), seeded).notes.at("seed") == "4242");
}

TEST_CASE("auto: a row is skipped when its strategy does not accept N") {
  wcs::Registry registry;
  add_stand_in(registry, "mitm", 40, wcs::Family::identical);  // below the row's 50
  add_stand_in(registry, "greedy", wcs::autorule::kAnyN, wcs::Family::converging);
  const auto& table = wcs::autorule::rules();
  REQUIRE(wcs::autorule::choose(table, registry, 40) != nullptr);
  CHECK(wcs::autorule::choose(table, registry, 40)->strategy == "mitm");
  REQUIRE(wcs::autorule::choose(table, registry, 41) != nullptr);
  CHECK(wcs::autorule::choose(table, registry, 41)->strategy == "greedy");
  CHECK(wcs::autorule::choose(table, registry, 41)->options.at("pair_flips") == "true");

  wcs::Registry none;
  add_stand_in(none, "mitm", 40, wcs::Family::identical);
  CHECK(wcs::autorule::choose(table, none, 41) == nullptr);
}

TEST_CASE("auto passes the conformance kit with the modules built here") {
  wcs::test::check_family("auto", {}, wcs::test::problems(300, 16, 20261205));
}

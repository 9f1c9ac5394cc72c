// `auto`: the fitted tables are well formed, the features are what features.hpp says,
// a plan's attempts run in order until one converges (stand-in strategies that
// converge or not on demand), refusals and missing strategies are said and skipped,
// and with the real modules auto is honest and gives the answer of the strategy it
// names.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "conformance.hpp"
#include "rules.hpp"
#include "wcs/error.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

namespace ar = wcs::autorule;

std::string module_path(const std::string& name) {
  const char* dir = std::getenv("WCS_TEST_PLUGIN_DIR");
  REQUIRE(dir != nullptr);
  return std::string(dir) + "/wcs-strategy-" + name + ".so";
}

void load(const std::string& name, wcs::Registry& registry) {
  wcs::PluginReport report;
  wcs::load_plugin(module_path(name), registry, report);
  for (const auto& p : report.problems) FAIL("plugin: " << p);
}

// The catalogue auto may choose from: every strategy of the table in
// strategies/meson.build (what `wcs list` shows in a full build) but auto itself and
// the peers that are registered here.
std::set<std::string> choosable() {
  const char* table = std::getenv("WCS_STRATEGY_TABLE");
  REQUIRE(table != nullptr);
  std::set<std::string> names;
  std::stringstream in(table);
  for (std::string name; std::getline(in, name, ',');) names.insert(name);
  REQUIRE(names.count("reference") == 1);
  names.erase("auto");
  for (const wcs::StrategyInfo* info : wcs::test::plugins().list())
    if (info->family == wcs::Family::peer) names.erase(info->name);
  return names;
}

// What a stand-in does with a problem: converge (error 0), or not (this error), or
// refuse (an InputError, as dp does outside its domain).
struct Behaviour {
  enum Kind { converge, miss, refuse } kind = miss;
  double error = 1.0;
};

// A stand-in strategy: behaves as told and reports its name and options.
class StandIn final : public wcs::Strategy {
 public:
  StandIn(std::string name, std::string options, std::map<std::string, Behaviour>* script)
      : name_(std::move(name)), options_(std::move(options)), script_(script) {}
  wcs::SolveResult solve(const wcs::Problem& p, const wcs::SolveOptions& o) override {
    const Behaviour b = script_->count(name_) ? script_->at(name_) : Behaviour{};
    if (b.kind == Behaviour::refuse) throw wcs::InputError(fmt::format("{}: cycle 1: outside my domain", name_));
    wcs::SolveResult r;
    r.weights.assign(p.n(), 0.0);
    r.converged = b.kind == Behaviour::converge;
    r.error = r.converged ? 0.0 : b.error;
    r.result = p.target + r.error;
    r.cycles = 3;
    r.evaluations = 10;
    r.notes["chose"] = "not me";  // overwritten by auto's own note
    r.notes["own"] = fmt::format("{}|{}|{}", name_, options_, o.seed);
    return r;
  }

 private:
  std::string name_, options_;
  std::map<std::string, Behaviour>* script_;
};

// A registry with a stand-in for every strategy the fitted table names (identical
// ones declare a domain, so they may refuse), and auto.
void add_stand_ins(wcs::Registry& registry, std::map<std::string, Behaviour>* script) {
  std::set<std::string> names;
  for (const ar::Attempt& a : ar::kAttempts) names.insert(a.strategy);
  for (const std::string& name : names) {
    wcs::StrategyInfo info;
    info.name = name;
    info.family = wcs::Family::converging;
    info.domain = "stand-in: may refuse";
    if (name == "greedy") info.options = {wcs::OptionSpec::boolean("pair_flips", false, "pair moves")};
    if (name == "sampling") info.options = {wcs::OptionSpec::integer("sample_size", 10000, 1, 1e9, "samples")};
    registry.add(std::move(info), [name, script](const wcs::Options& o, const wcs::Registry&) {
      std::string text;
      for (const auto& [k, v] : o.canonical()) text += fmt::format("{}={};", k, v);
      return std::make_unique<StandIn>(name, text, script);
    });
  }
  load("auto", registry);
}

wcs::Problem make_problem(std::size_t n, bool integer, double tolerance, double target_scale, long long budget = 20) {
  wcs::Problem p;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = static_cast<double>(1 + (i * 37) % 97) * (i % 3 == 2 ? -1 : 1);
    p.coefficients.push_back(integer ? a : a + 0.137 * static_cast<double>(i % 5 + 1));
  }
  double positive = 0;
  for (double a : p.coefficients) positive += std::max(a, 0.0);
  p.target = std::round(positive * target_scale);
  p.tolerance = tolerance;
  p.max_iter = budget;
  return p;
}

// One problem per leaf the grid reaches.
std::map<int, wcs::Problem> problems_by_leaf() {
  std::map<int, wcs::Problem> out;
  for (std::size_t n : {1, 2, 3, 5, 8, 12, 16, 20, 24, 30, 40, 50, 70, 100, 200, 500, 1000, 3000})
    for (bool integer : {true, false})
      for (double tol : {0.0, 0.001, 0.01, 0.1, 0.5, 2.0, 10.0, 100.0})
        for (double scale : {0.3, 1.7})
          for (long long budget : {1, 2, 5, 20, 64, 100}) {
            const wcs::Problem p = make_problem(n, integer, tol, scale, budget);
            out.emplace(ar::leaf_of(ar::features(p)), p);
          }
  return out;
}

// The attempts auto may run for a problem in `leaf`, in order: its plan's, then the
// net's that are not in the plan.
std::vector<int> sequence_of(int leaf) {
  const ar::Plan& plan = ar::kPlans[ar::kTree[leaf].plan];
  std::vector<int> out(ar::kSteps + plan.first, ar::kSteps + plan.first + plan.count);
  const std::vector<int> in_plan = out;
  for (const int index : ar::kNet)
    if (std::find(in_plan.begin(), in_plan.end(), index) == in_plan.end()) out.push_back(index);
  return out;
}

}  // namespace

TEST_CASE("auto: the fitted tree and plans are well formed") {
  const std::size_t nodes = std::size(ar::kTree), plans = std::size(ar::kPlans), attempts = std::size(ar::kAttempts);
  REQUIRE(nodes >= 1);
  std::vector<int> parents(nodes, 0);
  for (std::size_t i = 0; i < nodes; ++i) {
    const ar::Node& node = ar::kTree[i];
    INFO("node " << i);
    if (node.feature < 0) {
      CHECK(node.plan >= 0);
      CHECK(static_cast<std::size_t>(node.plan) < plans);
      continue;
    }
    CHECK(node.feature < ar::kFeatureCount);
    CHECK(std::isfinite(node.threshold));
    for (int child : {node.below, node.above}) {
      REQUIRE(child > static_cast<int>(i));  // children after their parent: no cycle
      REQUIRE(static_cast<std::size_t>(child) < nodes);
      ++parents[static_cast<std::size_t>(child)];
    }
  }
  CHECK(parents[0] == 0);
  for (std::size_t i = 1; i < nodes; ++i) CHECK(parents[i] == 1);  // a tree: one parent each
  const std::size_t steps = std::size(ar::kSteps);
  for (std::size_t p = 0; p < plans; ++p) {
    INFO("plan " << p);
    CHECK(ar::kPlans[p].count >= 1);
    CHECK(ar::kPlans[p].first >= 0);
    CHECK(static_cast<std::size_t>(ar::kPlans[p].first + ar::kPlans[p].count) <= steps);
  }
  for (const int step : ar::kSteps) {
    CHECK(step >= 0);
    CHECK(static_cast<std::size_t>(step) < attempts);
  }
  // The net: attempts run whole, each once, and among them one that takes every N.
  std::set<int> net;
  bool any_n = false;
  for (const int index : ar::kNet) {
    REQUIRE(index >= 0);
    REQUIRE(static_cast<std::size_t>(index) < attempts);
    CHECK(ar::kAttempts[index].cycles == 0);
    CHECK(net.insert(index).second);
    any_n = any_n || ar::kAttempts[index].max_n == ar::kAnyN;
  }
  CHECK(any_n);
  const std::set<std::string> catalogue = choosable();
  for (const ar::Attempt& a : ar::kAttempts) {
    INFO(ar::attempt_label(a));
    CHECK(catalogue.count(a.strategy) == 1);
    CHECK(a.max_n >= 1);
    CHECK(a.cycles >= 0);
  }
}

TEST_CASE("auto: every attempt of the table has valid options for its registered strategy") {
  const wcs::Registry& registry = wcs::test::plugins();
  for (const ar::Attempt& a : ar::kAttempts) {
    const wcs::StrategyInfo* info = registry.find(a.strategy);
    if (info == nullptr) continue;  // not built in this tree: auto says so and skips it
    INFO(ar::attempt_label(a));
    CHECK_NOTHROW(wcs::resolve_options(a.strategy, info->options, ar::attempt_options(a)));
  }
}

TEST_CASE("auto: the features of a problem") {
  wcs::Problem p;
  for (int i = 1; i <= 50; ++i) p.coefficients.push_back(i);
  p.target = 637;
  p.tolerance = 10;
  ar::Features f = ar::features(p);
  CHECK(f[ar::kN] == 50);
  CHECK(f[ar::kSpan] == 1276);  // 1 + ... + 50 + 1: every integer sum from 0 to 1275
  CHECK(f[ar::kRelTol] == 10 / 25.5);
  CHECK(f[ar::kInside] == 1);
  CHECK(f[ar::kBudget] == 32);
  CHECK(f.text() == "n=50 span=1276 rel_tol=0.39215686274509803 inside=1 budget=32");
  p.target = 5000;  // beyond every line of the first cycle
  CHECK(ar::features(p)[ar::kInside] == 0);
  p.coefficients = {0.5, -1.25, 2.0};  // dyadic: units of 1/4
  p.tolerance = 0;
  f = ar::features(p);
  CHECK(f[ar::kSpan] == (0.5 + 1.25 + 2.0) * 4 + 1);
  CHECK(f[ar::kRelTol] == 0);
  p.initial_wpn = 0.5;  // the first cycle's d_i are a_i p: units of 1/8
  CHECK(ar::features(p)[ar::kSpan] == (0.25 + 0.625 + 1.0) * 8 + 1);
  p.coefficients = {1.1, 2.3};  // decimal: not exact in binary
  CHECK(std::isinf(ar::features(p)[ar::kSpan]));
  p.coefficients = {1e300, 1.0};  // exact but beyond 2^52 units
  CHECK(std::isinf(ar::features(p)[ar::kSpan]));
}

TEST_CASE("auto: the leaf and its rule text follow the tree") {
  for (const auto& [leaf, p] : problems_by_leaf()) {
    const ar::Features f = ar::features(p);
    INFO(f.text());
    CHECK(ar::kTree[leaf].feature < 0);
    // Walk it again by hand, checking each step the rule text names.
    const std::string text = ar::rule_text(leaf);
    int at = 0;
    while (ar::kTree[at].feature >= 0) {
      const ar::Node& node = ar::kTree[at];
      const bool below = f[node.feature] <= node.threshold;
      CHECK(text.find(fmt::format("{} {} ", ar::kFeatureNames[node.feature], below ? "<=" : ">")) != std::string::npos);
      at = below ? node.below : node.above;
    }
    CHECK(at == leaf);
    CHECK(text.find(fmt::format("-> plan {}", ar::kTree[leaf].plan)) != std::string::npos);
    // The walk auto makes, computing the span only where the path asks for it, ends
    // in the same leaf; asked for all features, it has them all.
    ar::Features lazy, all;
    CHECK(ar::leaf_of(p, lazy, false) == leaf);
    CHECK(ar::leaf_of(p, all, true) == leaf);
    CHECK(all.text() == f.text());
    for (int feature = 0; feature < ar::kFeatureCount; ++feature)
      CHECK((lazy[feature] == 0.0 || lazy[feature] == f[feature]));
    CHECK(lazy[ar::kN] == f[ar::kN]);
    CHECK(lazy[ar::kBudget] == f[ar::kBudget]);
  }
}

TEST_CASE("auto: a plan's attempts, then the net's, run in order until one converges, and the notes say so") {
  std::map<std::string, Behaviour> script;
  wcs::Registry registry;
  add_stand_ins(registry, &script);
  wcs::Solver automatic = registry.create("auto");
  wcs::SolveOptions seeded;
  seeded.seed = 4242;
  seeded.trace = true;  // auto adds its features then
  std::size_t plans_checked = 0;
  for (const auto& [leaf, p] : problems_by_leaf()) {
    const std::vector<int> sequence = sequence_of(leaf);
    INFO("leaf " << leaf << ": " << ar::rule_text(leaf));
    for (std::size_t converging = 0; converging <= sequence.size(); ++converging) {
      // Attempts before `converging` miss (with decreasing errors), it converges, and
      // none after it runs; converging == size: every attempt misses. A strategy's
      // behaviour is that of its first attempt in the sequence.
      script.clear();
      for (std::size_t k = 0; k < sequence.size(); ++k) {
        const ar::Attempt& a = ar::kAttempts[sequence[k]];
        if (script.contains(a.strategy)) continue;
        script[a.strategy] = k == converging ? Behaviour{Behaviour::converge, 0.0}
                                             : Behaviour{Behaviour::miss, 10.0 - static_cast<double>(k)};
      }
      const wcs::SolveResult r = automatic.solve(p, seeded);
      const std::string& ran = r.notes.at("ran");
      INFO("ran: " << ran);
      // What auto must do, attempt by attempt: skip one above its N, run the others
      // until one converges.
      int ran_count = 0, first_run = -1;
      bool converged = false, stopped = false;
      for (std::size_t k = 0; k < sequence.size(); ++k) {
        const ar::Attempt& a = ar::kAttempts[sequence[k]];
        const std::string entry = fmt::format("{}: ", ar::attempt_label(a));
        const bool listed = ran.rfind(entry, 0) == 0 || ran.find("; " + entry) != std::string::npos;
        CHECK(listed == !stopped);
        if (stopped || p.n() > a.max_n) continue;
        ++ran_count;
        if (first_run < 0) first_run = static_cast<int>(k);
        if (script[a.strategy].kind == Behaviour::converge) converged = stopped = true;
      }
      if (ran_count == 0) continue;
      CHECK(r.converged == converged);
      CHECK(r.evaluations == std::uint64_t{10} * static_cast<std::uint64_t>(ran_count));
      // The answer is the named strategy's, with its options and the solve's seed.
      const std::string own = r.notes.at("own");
      const std::string& chose = r.notes.at("chose");
      CHECK(own.rfind(fmt::format("{}|", chose.substr(0, chose.find('{'))), 0) == 0);
      CHECK(own.find(fmt::format("|{}", seeded.seed)) != std::string::npos);
      CHECK(r.notes.at("features") == ar::features(p).text());
      CHECK(r.notes.at("rule") == ar::rule_text(leaf));
      // Untraced: no features; when the first attempt converged, only the strategy
      // (the cheap common case), else the same detail.
      wcs::SolveOptions plain = seeded;
      plain.trace = false;
      const wcs::SolveResult quiet = automatic.solve(p, plain);
      CHECK_FALSE(quiet.notes.contains("features"));
      CHECK(quiet.notes.at("chose") == r.notes.at("chose"));
      const bool first_converged = first_run == 0 && converged && ran_count == 1;
      if (first_converged) {
        CHECK_FALSE(quiet.notes.contains("ran"));
        CHECK_FALSE(quiet.notes.contains("rule"));
      } else {
        CHECK(quiet.notes.at("ran") == r.notes.at("ran"));
        CHECK(quiet.notes.at("rule") == r.notes.at("rule"));
      }
    }
    ++plans_checked;
  }
  CHECK(plans_checked >= 2);
}

TEST_CASE("auto: a refusal inside a declared domain is said and the plan goes on") {
  std::map<std::string, Behaviour> script;
  wcs::Registry registry;
  add_stand_ins(registry, &script);
  wcs::Solver automatic = registry.create("auto");
  for (const auto& [leaf, p] : problems_by_leaf()) {
    const std::vector<int> sequence = sequence_of(leaf);
    const ar::Attempt& first = ar::kAttempts[sequence[0]];
    const ar::Attempt& second = ar::kAttempts[sequence[1]];
    if (std::string(first.strategy) == second.strategy || p.n() > first.max_n || p.n() > second.max_n) continue;
    script.clear();
    script[first.strategy] = {Behaviour::refuse, 0};
    script[second.strategy] = {Behaviour::converge, 0};
    const wcs::SolveResult r = automatic.solve(p);
    CHECK(r.notes.at("ran").find(fmt::format("{}: refused ({}: cycle 1", ar::attempt_label(first), first.strategy)) !=
          std::string::npos);
    CHECK(r.notes.at("chose") == ar::attempt_label({second.strategy, second.options, second.max_n, 0}));
    CHECK(r.converged);
    // Every attempt refusing: an input error that names N and what happened.
    for (const ar::Attempt& a : ar::kAttempts) script[a.strategy] = {Behaviour::refuse, 0};
    CHECK_THROWS_AS(automatic.solve(p), wcs::InputError);
    CHECK_THROWS_WITH(automatic.solve(p), Catch::Contains(fmt::format("N = {}", p.n())) && Catch::Contains("refused"));
    return;
  }
  WARN("the fitted table has no plan of two different strategies both taking N: nothing to check");
}

TEST_CASE("auto: with none of its strategies registered it fails, naming N and what it tried") {
  wcs::Registry alone;
  load("auto", alone);
  const wcs::Problem p = make_problem(3, true, 0.5, 0.3);
  CHECK_THROWS_AS(alone.create("auto").solve(p), wcs::InputError);
  CHECK_THROWS_WITH(alone.create("auto").solve(p), Catch::Contains("N = 3") && Catch::Contains("not registered"));
}

TEST_CASE("auto passes the conformance kit with the modules built here") {
  wcs::test::check_family("auto", {}, wcs::test::problems(300, 16, 20261205));
}

TEST_CASE("auto gives the answer of the strategy it names, run directly") {
  wcs::Registry& registry = wcs::test::plugins();
  wcs::Solver automatic = registry.create("auto");
  wcs::SolveOptions seeded;
  seeded.seed = 77;
  std::size_t compared = 0;
  for (const auto& c : wcs::test::problems(120, 30, 99)) {
    const wcs::SolveResult got = automatic.solve(c.problem, seeded);
    // "name" or "name{k=v,k=v}": the strategy and the options the plan gave it.
    const std::string& chose = got.notes.at("chose");
    const std::size_t brace = chose.find('{');
    const std::map<std::string, std::string> options =
        wcs::autorule::options_of(brace == std::string::npos ? "" : chose.substr(brace + 1, chose.size() - brace - 2));
    const wcs::SolveResult want = registry.create(chose.substr(0, brace), options).solve(c.problem, seeded);
    INFO(c.label << ": auto chose " << got.notes.at("chose"));
    CHECK(got.weights == want.weights);
    CHECK(got.converged == want.converged);
    CHECK(got.cycles == want.cycles);
    ++compared;
  }
  CHECK(compared == 120);
}

TEST_CASE("an attempt stopped after K cycles gives the whole run's answer where it converges within K") {
  // What auto's attempts stopped early rely on: a cycle does not depend on the budget,
  // so the same strategy with max_iter = K gives the same answer as with the whole
  // budget when that run converged within K cycles, and misses otherwise.
  wcs::Registry& registry = wcs::test::plugins();
  std::set<std::string> capped;
  for (const ar::Attempt& a : ar::kAttempts)
    if (a.cycles > 0 && registry.find(a.strategy) != nullptr)
      capped.insert(ar::attempt_label({a.strategy, a.options, a.max_n, 0}));
  std::size_t agreed = 0, missed = 0;
  for (const ar::Attempt& a : ar::kAttempts) {
    const std::string label = ar::attempt_label({a.strategy, a.options, a.max_n, 0});
    if (a.cycles != 0 || !capped.contains(label)) continue;
    wcs::Solver whole = registry.create(a.strategy, ar::attempt_options(a));
    wcs::Solver stopped = registry.create(a.strategy, ar::attempt_options(a));
    for (const auto& c : wcs::test::problems(60, std::min<std::size_t>(a.max_n, 20), 2323)) {
      wcs::Problem p = c.problem;
      p.max_iter = 30;
      p.tolerance = std::max(p.tolerance, 1e-3);
      const wcs::SolveResult full = whole.solve(p);
      for (long long k : {1LL, 3LL}) {
        wcs::Problem short_budget = p;
        short_budget.max_iter = k;
        const wcs::SolveResult part = stopped.solve(short_budget);
        INFO(label << " " << c.label << " K = " << k << ": whole run converged " << full.converged << " in "
                   << full.cycles);
        if (full.converged && full.cycles <= k) {
          CHECK(part.converged);
          CHECK(part.weights == full.weights);
          CHECK(part.cycles == full.cycles);
          ++agreed;
        } else {
          CHECK_FALSE(part.converged);
          ++missed;
        }
      }
    }
  }
  if (!capped.empty()) {
    CHECK(agreed > 0);
    CHECK(missed > 0);
  }
}

TEST_CASE("auto on the original's benchmark: converges and says what it ran and why") {
  wcs::Problem p;
  for (int i = 1; i <= 50; ++i) p.coefficients.push_back(i);
  p.target = 637;
  p.tolerance = 10;
  p.max_iter = 50;
  wcs::SolveOptions traced;
  traced.trace = true;
  const wcs::SolveResult r = wcs::test::plugins().create("auto").solve(p, traced);
  CHECK(r.converged);
  CHECK(r.notes.at("features") == "n=50 span=1276 rel_tol=0.39215686274509803 inside=1 budget=50");
  CHECK(r.notes.at("rule").find("-> plan ") != std::string::npos);
  CHECK(r.notes.at("rule").find("(leaf ") != std::string::npos);
  CHECK(r.notes.at("ran").find(r.notes.at("chose")) != std::string::npos);
  // An answer stopped early carries no "@" unless it missed with no attempt run whole.
  CHECK(r.notes.at("chose").find('@') == std::string::npos);
}

TEST_CASE("auto is honest at N = 100 to 1000") {
  wcs::Solver automatic = wcs::test::plugins().create("auto");
  for (const auto& p : wcs::test::large_problems(6, 100, 1000, 4711, 10))
    wcs::test::check_honest(p, automatic.solve(p), false);
}

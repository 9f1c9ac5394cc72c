// `auto`: an algorithm selector. It computes the cheap features of the problem
// (features.hpp: N, the span of the first cycle's subset sums when they are exact in
// binary, the tolerance over the mean |a|, whether the target lies within the first
// cycle's sums), walks the decision tree fitted from experiments/auto-suite.yaml
// (rules.hpp, fitted_rule.hpp) to a plan, and runs the plan's strategies in order
// until one reaches the tolerance: cheap attempts (greedy, sampling) first where
// they usually suffice, an exact one (dp, mitm, simd-highway) where they do not.
//
// It answers with the first attempt that converged, else the closest one. Its notes
// say what it ran and why: `chose` always (the strategy whose answer it is) and
// `chose_options` when the plan gives that strategy options; with detail also
// `rule` (the path to the leaf of the tree and the plan), `ran` (every attempt and its
// outcome) and, for a traced solve, `features`. Detail comes with a traced solve or
// whenever more than the first attempt ran or it did not converge (an experiment
// with `trace: true` records it for every run). An attempt whose strategy is not
// registered, or does not take N, is skipped and said; one that refuses the problem
// outside its declared domain (dp on decimal data) is said and the plan goes on. If
// no attempt of the plan could run, solving fails with an input error naming N and
// the plan.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules.hpp"
#include "wcs/error.hpp"
#include "wcs/plugin.hpp"

namespace {

using wcs::autorule::Attempt;

class Auto final : public wcs::Strategy {
 public:
  explicit Auto(const wcs::Registry& registry)
      : registry_(registry),
        attempts_(std::size(wcs::autorule::kAttempts)),
        rules_(std::size(wcs::autorule::kTree)) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    // The features the path to the leaf needs (all of them for a traced solve).
    wcs::autorule::Features f;
    const int leaf = wcs::autorule::leaf_of(problem, f, options.trace);
    const wcs::autorule::Plan& plan = wcs::autorule::kPlans[wcs::autorule::kTree[leaf].plan];
    const std::size_t n = problem.n();

    std::optional<wcs::SolveResult> best;
    State* chosen = nullptr;
    std::string ran;  // written only once something other than "the first attempt converged" happened
    std::uint64_t evaluations = 0;
    for (int k = 0; k < plan.count; ++k) {
      State& state = attempt(plan.first + k);
      auto entry = [&](const std::string& what) {
        ran += fmt::format("{}{}: {}", ran.empty() ? "" : "; ", state.label, what);
      };
      if (state.info == nullptr) {
        entry("not registered");
        continue;
      }
      if (n > state.max_n) {
        entry(fmt::format("skipped, N above {}", state.max_n));
        continue;
      }
      wcs::SolveResult r;
      try {
        r = solver(state).solve_validated(problem, options);  // auto's own caller validated it
      } catch (const wcs::InputError& e) {
        if (state.info->domain.empty()) throw;
        entry(fmt::format("refused ({})", e.what()));
        continue;
      }
      evaluations += r.evaluations;
      const bool converged = r.converged;
      if (converged && ran.empty() && !options.trace) {  // the common case: the first attempt converged
        annotate(r, state, leaf, f, options, ran);
        return r;
      }
      // (A first attempt converging in a traced solve gets its line from annotate.)
      if (!(converged && k == 0)) entry(converged ? fmt::format("converged in {} cycles", r.cycles)
                                                  : fmt::format("not converged, error {}", r.error));
      if (!best || converged || r.error < best->error) {
        best = std::move(r);
        chosen = &state;
      }
      if (converged) break;
    }
    if (!best)
      throw wcs::InputError(fmt::format(
          "coefficients: N = {}: strategy 'auto' could run no strategy of its plan for this problem ({})", n, ran));

    wcs::SolveResult out = std::move(*best);
    out.evaluations = evaluations;  // the work of every attempt
    annotate(out, *chosen, leaf, f, options, ran);
    return out;
  }

 private:
  // What one attempt of the table needs, looked up once: its registry entry, its
  // label, and a configured solver made on first use (a strategy object keeps its
  // buffers between solves, as it would when used directly).
  struct State {
    bool ready = false;
    const wcs::StrategyInfo* info = nullptr;
    std::size_t max_n = 0;
    std::string strategy, label, options_text;
    std::optional<wcs::Solver> solver;
  };

  // What auto adds to a strategy that converges in a tenth of a microsecond is mostly
  // its notes (a map node each, about 30 to 70 ns), so the common case (the first
  // attempt converged, no trace: `ran` empty) writes one: `chose`, the strategy, with
  // `chose_options` when the plan gives it options. Otherwise, or with a traced solve,
  // `rule` spells out the path to the leaf and the plan, `ran` lists every attempt;
  // a traced solve adds the features. In key order, each after the last.
  void annotate(wcs::SolveResult& out, const State& chosen, int leaf, const wcs::autorule::Features& f,
                const wcs::SolveOptions& options, std::string& ran) {
    const bool detail = options.trace || !ran.empty();
    auto& notes = out.notes;
    notes.insert_or_assign(notes.end(), "chose", chosen.strategy);
    if (detail || !chosen.options_text.empty()) notes.insert_or_assign(notes.end(), "chose_options", chosen.options_text);
    if (options.trace) notes.insert_or_assign(notes.end(), "features", f.text());
    if (!detail) return;
    if (ran.empty()) ran = fmt::format("{}: converged in {} cycles", chosen.label, out.cycles);
    notes.insert_or_assign(notes.end(), "ran", std::move(ran));
    std::string& rule = rules_[static_cast<std::size_t>(leaf)];
    if (rule.empty()) rule = wcs::autorule::rule_text(leaf);
    notes.insert_or_assign(notes.end(), "rule", rule);
  }

  State& attempt(int index) {
    State& s = attempts_[static_cast<std::size_t>(index)];
    if (!s.ready) {
      const Attempt& a = wcs::autorule::kAttempts[index];
      s.ready = true;
      s.strategy = a.strategy;
      s.label = wcs::autorule::attempt_label(a);
      s.options_text = a.options;
      s.info = registry_.find(a.strategy);
      if (s.info != nullptr) s.max_n = std::min(s.info->max_n, a.max_n);
    }
    return s;
  }

  wcs::Solver& solver(State& s) {
    if (!s.solver) {
      const Attempt& a = wcs::autorule::kAttempts[&s - attempts_.data()];
      s.solver.emplace(registry_.create(a.strategy, wcs::autorule::attempt_options(a)));
    }
    return *s.solver;
  }

  const wcs::Registry& registry_;
  std::vector<State> attempts_;
  std::vector<std::string> rules_;   // rule_text of each leaf, made on first use
};

void register_auto(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "auto";
  info.family = wcs::Family::converging;
  info.description =
      "algorithm selector: a tree fitted on experiments/auto-suite.yaml picks a plan from cheap features; "
      "cheap attempts first, exact ones when the tolerance is not met; notes say what ran and why";
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry& host) {
    return std::make_unique<Auto>(host);
  });
}

}  // namespace

WCS_PLUGIN(register_auto)

// `auto`: an algorithm selector. It computes the cheap features of the problem
// (features.hpp: N, the span of the first cycle's subset sums when they are exact in
// binary, the tolerance over the mean |a|, whether the target lies within the first
// cycle's sums, the budget of cycles), walks the decision tree fitted from
// experiments/auto-fit.yaml (rules.hpp, fitted_rule.hpp) to a plan, and runs the
// plan's strategies in order until one reaches the tolerance: cheap attempts first
// where they usually suffice (some stopped after a cycle or three: a cycle does not
// depend on the budget, so one that converges gives the answer of its strategy run
// whole, and one that does not costs little), an exact one where they do not. After
// a plan that missed, the rest of the portfolio runs in the net's order
// (fitted_rule.hpp), so that auto reaches the tolerance wherever one of its
// strategies does.
//
// It answers with the first attempt that converged, else the closest one. Its notes
// say what it ran and why: `chose` always (the strategy whose answer it is, with its
// options as an experiment labels it: "greedy{pair_flips=true}"); with detail also
// `rule` (the path to the leaf of the tree and the plan), `ran` (every attempt and its
// outcome) and, for a traced solve, `features`. Detail comes with a traced solve or
// whenever more than the first attempt ran or it did not converge (an experiment
// with `trace: true` records it for every run). An attempt whose strategy is not
// registered, or does not take N, is skipped and said; one that refuses the problem
// outside its declared domain (dp on decimal data) is said and the plan goes on. If
// no attempt of the plan or the net could run, solving fails with an input error
// naming N and what was tried.
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
      : registry_(registry), attempts_(std::size(wcs::autorule::kAttempts)), rules_(std::size(wcs::autorule::kTree)) {}

  wcs::SolveResult solve(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    // The features the path to the leaf needs (all of them for a traced solve).
    wcs::autorule::Features f;
    const int leaf = wcs::autorule::leaf_of(problem, f, options.trace);
    const wcs::autorule::Plan& plan = wcs::autorule::kPlans[wcs::autorule::kTree[leaf].plan];
    if (!options.trace) {
      // The common case, kept short (auto's own cost decides the sub-microsecond
      // problems): the first attempt runs and converges; its answer is returned as it
      // came, with the one note `chose`.
      State& state = attempt(wcs::autorule::kSteps[plan.first]);
      if (state.plain && problem.n() <= state.max_n) {
        const wcs::Problem& input = budget_of(state, problem);
        wcs::SolveResult r = solver(state).solve_validated(input, options);
        if (r.converged) {
          r.notes.insert_or_assign("chose", state.whole_label);
          return r;
        }
        Progress run;
        keep(state, std::move(r), &input != &problem, run);
        return finish(problem, options, leaf, f, plan, 1, std::move(run));
      }
    }
    return finish(problem, options, leaf, f, plan, 0, Progress{});
  }

 private:
  // What the attempts of one solve found so far: the best answer (the first that
  // converged, else the closest), whose attempt it was, every attempt's line for the
  // notes (written only once something other than "the first attempt converged"
  // happened) and the work of all.
  struct State;
  struct Progress {
    std::optional<wcs::SolveResult> best;
    const State* chosen = nullptr;
    bool stopped_early = false;  // the best is an attempt stopped before the budget that missed
    std::string ran;
    std::uint64_t evaluations = 0;
    bool converged() const { return best && best->converged; }
    // One attempt's line in `ran`.
    void say(const std::string& label, const std::string& what) {
      ran += fmt::format("{}{}: {}", ran.empty() ? "" : "; ", label, what);
    }
  };

  // The plan's attempts from the `from`-th on, then the net, until one converges; the
  // answer with its notes.
  wcs::SolveResult finish(const wcs::Problem& problem, const wcs::SolveOptions& options, int leaf,
                          const wcs::autorule::Features& f, const wcs::autorule::Plan& plan, int from, Progress run) {
    for (int k = from; k < plan.count && !run.converged(); ++k)
      try_attempt(wcs::autorule::kSteps[plan.first + k], problem, options, run);
    // The plan did not reach the tolerance: the rest of the portfolio, in the net's
    // order, so that auto converges wherever one of its strategies does.
    for (const int index : wcs::autorule::kNet) {
      if (run.converged()) break;
      bool in_plan = false;
      for (int k = 0; k < plan.count; ++k) in_plan = in_plan || wcs::autorule::kSteps[plan.first + k] == index;
      if (!in_plan) try_attempt(index, problem, options, run);
    }
    if (!run.best)
      throw wcs::InputError(
          fmt::format("coefficients: N = {}: strategy 'auto' could run no strategy of its plan for this problem ({})",
                      problem.n(), run.ran));

    wcs::SolveResult out = std::move(*run.best);
    out.evaluations = run.evaluations;  // the work of every attempt
    annotate(out, *run.chosen, run.stopped_early, leaf, f, options, run.ran);
    return out;
  }

  // What one attempt of the table needs, looked up once: its registry entry, its
  // label, and a configured solver made on first use (a strategy object keeps its
  // buffers between solves, as it would when used directly).
  struct State {
    bool ready = false;
    bool plain = false;  // registered, and refuses nothing inside a declared domain: the common case may run it
    const wcs::StrategyInfo* info = nullptr;
    std::size_t max_n = 0;
    long long cycles = 0;
    std::string strategy, label, whole_label;
    std::optional<wcs::Solver> solver;
  };

  // Runs attempt `index` on the problem (stopped after its cycles, if it has a cap
  // below the budget) and keeps its answer in `run` when it is the best so far; what
  // could not run (not registered, N above its bound, refused) is said in `ran`.
  void try_attempt(int index, const wcs::Problem& problem, const wcs::SolveOptions& options, Progress& run) {
    State& state = attempt(index);
    if (state.info == nullptr) {
      run.say(state.label, "not registered");
      return;
    }
    if (problem.n() > state.max_n) {
      run.say(state.label, fmt::format("skipped, N above {}", state.max_n));
      return;
    }
    const wcs::Problem* input = &budget_of(state, problem);
    wcs::SolveResult r;
    try {
      r = solver(state).solve_validated(*input, options);  // auto's own caller validated it
    } catch (const wcs::InputError& e) {
      if (state.info->domain.empty()) throw;
      run.say(state.label, fmt::format("refused ({})", e.what()));
      return;
    }
    keep(state, std::move(r), input != &problem, run);
  }

  // The problem an attempt solves: the problem itself, or with a cycle cap below its
  // budget a copy with that budget (the copy's buffer is reused: no allocation after
  // the first).
  const wcs::Problem& budget_of(const State& state, const wcs::Problem& problem) {
    if (state.cycles <= 0 || state.cycles >= problem.max_iter) return problem;
    capped_ = problem;
    capped_.max_iter = state.cycles;
    return capped_;
  }

  // Counts an attempt's answer, says it in `ran`, and keeps it when it is the best so
  // far: the first that converged, else the closest of the attempts run whole (one
  // stopped early answers only when no attempt ran whole), so that an answer that
  // missed is always that of the strategy `chose` names, run as is.
  static void keep(const State& state, wcs::SolveResult&& r, bool stopped_early, Progress& run) {
    run.evaluations += r.evaluations;
    const bool first = !run.best && run.ran.empty();
    // (A first attempt converging in a traced solve gets its line from annotate.)
    if (!(r.converged && first))
      run.say(state.label, r.converged ? fmt::format("converged in {} cycles", r.cycles)
                                       : fmt::format("not converged, error {}", r.error));
    const bool better = !run.best || r.converged || (run.stopped_early && !stopped_early) ||
                        (run.stopped_early == stopped_early && r.error < run.best->error);
    if (better) {
      run.stopped_early = stopped_early && !r.converged;
      run.best = std::move(r);
      run.chosen = &state;
    }
  }

  // What auto adds to a strategy that converges in a tenth of a microsecond is mostly
  // its notes (a map node each, about 30 to 70 ns), so the common case (the first
  // attempt converged, no trace: `ran` empty) writes one: `chose`, the strategy with
  // its options as an experiment labels it ("greedy{pair_flips=true}"; "@K" added when
  // the answer is that of an attempt stopped after K cycles that missed, which only
  // happens when no attempt ran whole). Otherwise, or with a traced solve, `rule`
  // spells out the path to the leaf and the plan, `ran` lists every attempt; a traced
  // solve adds the features. In key order, each after the last.
  void annotate(wcs::SolveResult& out, const State& chosen, bool stopped_early, int leaf,
                const wcs::autorule::Features& f, const wcs::SolveOptions& options, std::string& ran) {
    const bool detail = options.trace || !ran.empty();
    auto& notes = out.notes;
    notes.insert_or_assign(notes.end(), "chose", stopped_early ? chosen.label : chosen.whole_label);
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
      s.cycles = a.cycles;
      s.label = wcs::autorule::attempt_label(a);
      s.whole_label = wcs::autorule::attempt_label({a.strategy, a.options, a.max_n, 0});
      s.info = registry_.find(a.strategy);
      if (s.info != nullptr) s.max_n = std::min(s.info->max_n, a.max_n);
      s.plain = s.info != nullptr && s.info->domain.empty();
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
  wcs::Problem capped_;             // the problem with a smaller budget, for an attempt stopped early
  std::vector<std::string> rules_;  // rule_text of each leaf, made on first use
};

void register_auto(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "auto";
  info.family = wcs::Family::converging;
  info.description =
      "algorithm selector: a tree fitted on experiments/auto-fit.yaml picks a plan from cheap features; "
      "cheap attempts first (some stopped after a few cycles), exact ones when the tolerance is not met, then the rest "
      "of its portfolio; notes say what ran and why";
  registry.add(std::move(info),
               [](const wcs::Options&, const wcs::Registry& host) { return std::make_unique<Auto>(host); });
}

}  // namespace

WCS_PLUGIN(register_auto)

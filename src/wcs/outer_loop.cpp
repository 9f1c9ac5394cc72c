#include <algorithm>
#include <chrono>
#include <cmath>

#include "wcs/strategy.hpp"

namespace wcs {

void apply_weight_update(std::span<double> w, const Combination& winner, double wpn) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!winner.test(i)) continue;
    if (w[i] == 0.0) w[i] = 1.0;
    w[i] = w[i] * wpn;
  }
}

double next_wpn(double wpn, bool all_below_target, double lo, double hi) {
  const double p = all_below_target ? 2 * wpn : wpn / 2;
  return std::clamp(p, lo, hi);
}

void add_trace(SolveResult& out, const SolveOptions& options, TraceEntry&& entry) {
  if (options.trace_sink) {
    if (!options.trace_sink(entry)) ++out.trace_dropped;
    return;
  }
  // What one stored entry holds: the entry, W before the cycle and the winner's bits.
  const std::size_t n = entry.weights_before.size();
  const std::size_t entry_bytes = sizeof(TraceEntry) + n * sizeof(double) + (n + 63) / 64 * 8;
  if (out.trace_dropped == 0 && (out.trace.size() + 1) * entry_bytes <= options.trace_bytes)
    out.trace.push_back(std::move(entry));
  else
    ++out.trace_dropped;
}

SolveResult run_cycles(const Problem& problem, CycleSearch& search, const SolveOptions& options) {
  const std::size_t n = problem.n();
  SolveResult out;
  out.weights.assign(n, 0.0);
  double wpn = problem.initial_wpn;
  // The trace's clock starts before prepare (buffers sized there are part of the solve).
  const auto start = options.trace ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  search.prepare(problem, options);
  for (long long cycle = 1; cycle <= problem.max_iter; ++cycle) {
    poll_stop(options);
    CycleInput in{problem.coefficients, out.weights, wpn, problem.target, problem.tolerance, cycle};
    CycleOutcome won = search.search(in);
    out.evaluations += won.evaluations;
    out.cycles = cycle;
    out.result = won.result;
    out.error = std::fabs(won.result - problem.target);
    out.converged = out.error <= problem.tolerance;
    if (options.trace) {
      TraceEntry e;
      e.cycle = cycle;
      if (n <= kMaxLineBits) e.line = won.winner.line();
      e.combination = won.winner;
      e.result = won.result;
      e.wpn = wpn;
      e.weights_before = out.weights;
      e.evaluations = out.evaluations;
      e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      add_trace(out, options, std::move(e));
    }
    apply_weight_update(out.weights, won.winner, wpn);
    if (out.converged) break;
    wpn = next_wpn(wpn, won.all_below_target, problem.wpn_lo, problem.wpn_hi);
  }
  search.finish(out);
  return out;
}

namespace {

class CycleStrategy final : public Strategy {
 public:
  explicit CycleStrategy(std::unique_ptr<CycleSearch> search) : search_(std::move(search)) {}
  SolveResult solve(const Problem& problem, const SolveOptions& options) override {
    return run_cycles(problem, *search_, options);
  }

 private:
  std::unique_ptr<CycleSearch> search_;
};

}  // namespace

std::unique_ptr<Strategy> make_cycle_strategy(std::unique_ptr<CycleSearch> search) {
  return std::make_unique<CycleStrategy>(std::move(search));
}

std::string family_name(Family f) {
  switch (f) {
    case Family::identical: return "identical";
    case Family::converging: return "converging";
    case Family::peer: return "peer";
  }
  return "?";
}

}  // namespace wcs

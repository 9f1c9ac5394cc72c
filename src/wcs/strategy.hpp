// The two strategy interfaces: a whole-run Strategy, and a CycleSearch that only
// finds each cycle's winner and shares the outer loop of the core.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wcs/combination.hpp"
#include "wcs/error.hpp"
#include "wcs/options.hpp"
#include "wcs/problem.hpp"
#include "wcs/result.hpp"

namespace wcs {

/// Per-solve settings that are not strategy options.
struct SolveOptions {
  bool trace = false;        ///< record the per-cycle trace in the result
  std::uint64_t seed = 0;    ///< every random choice of a strategy derives from it
  /// With `trace`: each entry goes to this function as it is made instead of into the
  /// result (a streamed trace of any length in constant memory). It returns false when
  /// it did not keep the entry (it is full): the solve counts the entry in
  /// SolveResult::trace_dropped, so whoever reads the trace knows it is cut.
  std::function<bool(const TraceEntry&)> trace_sink = nullptr;
  /// With `trace` and no sink: the most bytes the stored trace may hold. Entries
  /// beyond it are counted in SolveResult::trace_dropped, not stored, so a trace of
  /// 10^8 cycles cannot exhaust the machine.
  std::size_t trace_bytes = std::size_t{64} << 20;
  /// When set, another thread or a signal handler stores true to end the solve early:
  /// every strategy polls it (poll_stop) at least every few milliseconds of work and
  /// then throws wcs::Stopped. Null: never stopped (nothing to poll).
  const std::atomic<bool>* stop = nullptr;
};

/// Throws wcs::Stopped when `options.stop` is set; one relaxed load otherwise. Call it
/// between blocks of work of at most a few milliseconds.
inline void poll_stop(const SolveOptions& options) {
  if (options.stop && options.stop->load(std::memory_order_relaxed)) throw Stopped();
}

/// The stop flag of the solve running on this thread (Solver::solve sets it from
/// SolveOptions::stop for the solve's duration), for loops deep in a search that see
/// no SolveOptions. Null: none.
const std::atomic<bool>* thread_stop();
void set_thread_stop(const std::atomic<bool>* stop);

/// poll_stop for such loops: throws wcs::Stopped when this thread's solve is stopped.
inline void poll_stop() {
  const std::atomic<bool>* stop = thread_stop();
  if (stop && stop->load(std::memory_order_relaxed)) throw Stopped();
}

/// Adds one trace entry as `options` say: to the sink, else to `out.trace` while it
/// stays within options.trace_bytes; an entry not kept either way is counted in
/// out.trace_dropped. Strategies with their own loop call it: it is the one way a
/// trace entry leaves a solve.
void add_trace(SolveResult& out, const SolveOptions& options, TraceEntry&& entry);

/// Read-only view of one cycle.
struct CycleInput {
  std::span<const double> a;  ///< coefficients
  std::span<const double> w;  ///< weights before the cycle
  double wpn = 1.0;           ///< p of this cycle
  double target = 0.0;
  double tolerance = 0.0;
  long long cycle = 1;        ///< 1-based cycle number
};

/// What a cycle search found.
struct CycleOutcome {
  Combination winner;          ///< the winning combination (never empty)
  double result = 0.0;         ///< its r
  bool all_below_target = false;  ///< every line of the cycle has r < target (drives the WPN rule)
  std::uint64_t evaluations = 0;  ///< lines actually computed this cycle
};

/// Finds the winner of one cycle. One object serves one solve at a time.
class CycleSearch {
 public:
  virtual ~CycleSearch() = default;
  /// Called once before the first cycle of a solve (size buffers, seed generators).
  virtual void prepare(const Problem&, const SolveOptions&) {}
  virtual CycleOutcome search(const CycleInput& in) = 0;
  /// Called once after the last cycle (flush files); may add notes to the result.
  virtual void finish(SolveResult&) {}
};

/// A whole-run strategy. Implementations may assume a validated problem whose N is
/// within the strategy's declared max_n (the registry's Solver checks both).
class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual SolveResult solve(const Problem& problem, const SolveOptions& options) = 0;
};

/// The shared outer loop (weight update, WPN rule and clamping, convergence, trace,
/// evaluations) around a cycle search.
SolveResult run_cycles(const Problem& problem, CycleSearch& search, const SolveOptions& options);

/// Weight update of docs/algorithm.md for the winner: selected W[i] = (W[i] != 0 ? W[i] : 1) * p.
void apply_weight_update(std::span<double> w, const Combination& winner, double wpn);

/// WPN rule of docs/algorithm.md: 2p when every line was below the target, else p/2; clamped.
double next_wpn(double wpn, bool all_below_target, double lo, double hi);

/// A Strategy that runs the shared outer loop around `search`.
std::unique_ptr<Strategy> make_cycle_strategy(std::unique_ptr<CycleSearch> search);

/// What a strategy promises (docs/strategies.md).
enum class Family { identical, converging, peer };
std::string family_name(Family f);

}  // namespace wcs

// A run's record made from its plan and its solve: identity and problem from the
// plan, the result checked against the problem, the trajectory through one sink.
#pragma once
#include <cstddef>
#include <functional>

#include "experiment/plan.hpp"
#include "record/record.hpp"
#include "wcs/result.hpp"
#include "wcs/strategy.hpp"

namespace wcs::experiment {

using record::Json;
using record::RunRecord;

/// The experiment description written beside the runs (experiment.json): name,
/// file, its hash, seeds, runs planned, estimates. Same plan, same bytes.
Json experiment_json(const Plan& plan);

/// A new record of `run` of `plan` (identity, instance, strategy, program; the
/// commit is the runner's to set), status unset.
RunRecord plan_record(const Plan& plan, const Run& run);

using record::set_result;

/// Collects a traced solve's trajectory point by point (cycle, evaluations, seconds,
/// error, best error so far) in constant memory per point, up to `max_points`; the
/// points beyond are counted, and the trajectory says it is not complete.
class TrajectorySink {
 public:
  explicit TrajectorySink(double target, std::size_t max_points = std::size_t{1} << 20);
  /// The function for SolveOptions::trace_sink (false: the point was dropped).
  std::function<bool(const TraceEntry&)> sink();
  /// The trajectory into the record, after the solve: a strategy that traced nothing
  /// gives one point, its final state at `wall_seconds`; cycles the solve itself
  /// dropped (result.trace_dropped) count as dropped too.
  void finish(RunRecord& r, const SolveResult& s, double wall_seconds);

 private:
  bool add(double cycle, double evaluations, double seconds, double error);
  double target_;
  std::size_t max_points_;
  double best_ = INFINITY;
  record::Trajectory t_;
};

}  // namespace wcs::experiment

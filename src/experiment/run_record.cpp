#include "experiment/run_record.hpp"

#include <filesystem>

#include "wcs/format.hpp"


namespace wcs::experiment {

namespace fs = std::filesystem;

Json experiment_json(const Plan& plan) {
  Json j;
  j["name"] = plan.name;
  j["description"] = plan.description;
  j["file"] = fs::path(plan.file).filename().string();
  j["file_hash"] = plan.file_hash;
  j["wcs_version"] = plan.wcs_version;
  j["seeds"] = plan.seeds;
  j["runs_planned"] = plan.runs.size();
  if (!plan.baseline.empty()) j["baseline"] = plan.baseline;
  if (!plan.estimates.empty()) {
    j["estimates_source"] = plan.estimates_source;
    Json list = Json::array();
    for (const auto& e : plan.estimates)
      list.push_back({{"problem", e.problem}, {"label", e.label}, {"n", e.n}, {"ms", e.ms}});
    j["estimates"] = std::move(list);
  }
  return j;
}

RunRecord plan_record(const Plan& plan, const Run& run) {
  const Instance& inst = plan.instances[run.instance];
  const Problem& p = inst.problem_data;
  RunRecord r;
  r.id = run.id;
  r.key = run.key;
  r.index = run.index;
  r.experiment = plan.name;
  r.experiment_hash = plan.file_hash;
  r.problem = inst.problem;
  r.instance = inst.key;
  r.generator = inst.generator;
  r.seed = inst.seed;
  record::set_problem(r, p);
  r.strategy = run.strategy;
  r.strategy_identity = run.strategy_version;
  r.wcs_version = plan.wcs_version;
  r.wcs_commit = "unknown";  // the runner sets the build's commit (add_build_context)
  r.label = run.label;
  r.family = run.family;
  r.params = run.params;
  r.options = run.options;
  r.repetitions = run.timing.repetitions;
  r.min_time = run.timing.min_time;
  r.iterations = run.timing.iterations;
  return r;
}

TrajectorySink::TrajectorySink(double target, std::size_t max_points) : target_(target), max_points_(max_points) {}

bool TrajectorySink::add(double cycle, double evaluations, double seconds, double error) {
  if (t_.size() >= max_points_) return false;
  best_ = std::min(best_, error);
  t_.cycle.push_back(cycle);
  t_.evaluations.push_back(evaluations);
  t_.seconds.push_back(seconds);
  t_.error.push_back(error);
  t_.best_error.push_back(best_);
  return true;
}

std::function<bool(const TraceEntry&)> TrajectorySink::sink() {
  return [this](const TraceEntry& e) {
    return add(static_cast<double>(e.cycle), static_cast<double>(e.evaluations), e.seconds,
               std::fabs(e.result - target_));
  };
}

void TrajectorySink::finish(RunRecord& r, const SolveResult& s, double wall_seconds) {
  t_.source = "trace";
  if (t_.size() == 0 && s.trace_dropped == 0) {
    // A strategy that keeps no per-cycle trace: its final state, at the solve's time.
    add(static_cast<double>(s.cycles), static_cast<double>(s.evaluations), wall_seconds, s.error);
    t_.source = "final";
  }
  t_.dropped = s.trace_dropped;
  t_.complete = t_.dropped == 0;
  r.traced = true;
  r.trajectory = std::move(t_);
  t_ = record::Trajectory{};
  best_ = INFINITY;
}

}  // namespace wcs::experiment

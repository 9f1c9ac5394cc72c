#include "experiment/runner.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "experiment/run_record.hpp"
#include "store/files.hpp"
#include "store/folder.hpp"
#include "store/lock.hpp"
#include "wcs/format.hpp"

#ifndef WCS_COMPILER
#define WCS_COMPILER "unknown"
#endif
#ifndef WCS_CXX_FLAGS
#define WCS_CXX_FLAGS "unknown"
#endif
#ifndef WCS_BUILD_TYPE
#define WCS_BUILD_TYPE "unknown"
#endif

namespace wcs::experiment {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string>& build_context() {
  static std::map<std::string, std::string> context;
  return context;
}

// Experiment keys go straight into each record's context: AddCustomContext keeps the
// first value of a key for the whole process, and one process may run several plans.
void add_experiment_context(Json& context, const Plan& plan, const RunnerOptions& o) {
  for (const auto& [k, v] : build_context()) context[k] = v;
  context["wcs_experiment"] = plan.name;
  context["wcs_experiment_file"] = fs::path(plan.file).filename().string();
  context["wcs_experiment_hash"] = plan.file_hash;
  std::string seeds;
  for (auto s : plan.seeds) seeds += fmt::format("{}{}", seeds.empty() ? "" : ",", s);
  context["wcs_seeds"] = seeds;
  context["wcs_shard"] = fmt::format("{}/{}", o.shard, o.shards);
}

// Google Benchmark writes NaN and Infinity, which JSON has not (the cv aggregate of a
// counter that is 0 in every repetition is 0/0): they become null.
std::string json_numbers(std::string text) {
  for (const char* bad : {": -NaN", ": NaN", ": -Infinity", ": Infinity"}) {
    const std::string b = bad;
    for (std::size_t p = 0; (p = text.find(b, p)) != std::string::npos;) {
      text.replace(p, b.size(), ": null");
      p += 6;
    }
  }
  return text;
}

// The run's params with files it writes placed under the results folder (the plan
// checked they are plain file names).
std::map<std::string, std::string> solver_params(const Run& run, const fs::path& out) {
  std::map<std::string, std::string> params = run.params;
  auto it = params.find("truth_table");
  if (it != params.end() && !it->second.empty()) {
    fs::create_directories(out / "truth_tables");
    it->second = (out / "truth_tables" / (run.id + "-" + it->second)).string();
  }
  return params;
}

std::string clock_text(double seconds) {
  const long s = std::lround(seconds);
  return fmt::format("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

// Progress on standard error: on a terminal one line redrawn after every run; else
// (a Slurm log, a pipe) a line each time another 5% of the runs is done or 30 s
// have passed since the last line.
class Progress {
 public:
  Progress(const RunnerOptions& o, std::size_t total) : on_(o.progress), terminal_(o.terminal), total_(total) {}

  // After `done` runs (`resumed` of them already recorded), `failed` failures.
  void update(std::size_t done, std::size_t resumed, std::size_t failed, const std::string& next) {
    if (!on_) return;
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const std::size_t worked = done - resumed;  // the ETA comes from runs actually run
    const std::string eta = worked == 0 || done == total_
                                ? std::string(done == total_ ? "00:00:00" : "--:--:--")
                                : clock_text(elapsed / static_cast<double>(worked) * static_cast<double>(total_ - done));
    if (terminal_) {
      std::cerr << fmt::format("\r[{}/{}] {} failed, ETA {}  {:<50.50}", done, total_, failed, eta, next) << std::flush;
      return;
    }
    const std::size_t step = total_ == 0 ? 20 : done * 20 / total_;  // 5% steps
    if (step == step_ && now - last_ < std::chrono::seconds(30)) return;
    step_ = step;
    last_ = now;
    std::cerr << fmt::format("wcs run: {}/{} runs ({}%), {} failed, {} elapsed, ETA {}\n", done, total_,
                             total_ == 0 ? 100 : done * 100 / total_, failed, clock_text(elapsed), eta)
              << std::flush;
  }

  void finish(std::size_t failed) {
    if (on_ && terminal_)
      std::cerr << fmt::format("\r[{}/{}] done, {} failed{:<60}\n", total_, total_, failed, "") << std::flush;
  }

 private:
  bool on_, terminal_;
  std::size_t total_;
  std::size_t step_ = 0;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now();
};

// Google Benchmark appends the timing settings to a benchmark's name
// ("/min_time:0.005/repeats:3/real_time"), so a rerun with other settings matched
// nothing in compare.py: every entry is named by the run's key alone (aggregates
// keep their "_median"-style suffix, as Google Benchmark names them).
void name_entries(Json& benchmarks, const std::string& key) {
  for (auto& b : benchmarks) {
    b["run_name"] = key;
    const bool aggregate = b.value("run_type", std::string()) == "aggregate";
    b["name"] = aggregate ? key + "_" + b.value("aggregate_name", std::string()) : key;
  }
}


// Google Benchmark's run of `body` with the run's timing settings; its JSON report.
// Nanoseconds: compare.py prints whole numbers of the unit and matches entries only
// of the same unit, so one fixed unit fine enough for the fastest run. The CPU time
// is the whole process's (every thread), so that a repetition whose real time is far
// above it shows the process was stopped or starved (starved_repetitions).
std::string time_solves(const Run& run, const std::function<void(benchmark::State&)>& body) {
  benchmark::ClearRegisteredBenchmarks();
  auto* b = benchmark::RegisterBenchmark(run.key.c_str(), body);
  b->Unit(benchmark::kNanosecond)->UseRealTime()->MeasureProcessCPUTime()->Repetitions(run.timing.repetitions);
  if (run.timing.iterations > 0) b->Iterations(run.timing.iterations);
  else b->MinTime(run.timing.min_time);
  std::ostringstream out, err;
  benchmark::JSONReporter reporter;
  reporter.SetOutputStream(&out);
  reporter.SetErrorStream(&err);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();
  return out.str();
}

// The last solve's measures as Google Benchmark counters and label (finite numbers
// only, for the JSON to read back).
void set_counters(benchmark::State& state, const SolveResult& last) {
  auto counter = [&](const char* name, double v) {
    if (std::isfinite(v)) state.counters[name] = v;
  };
  counter("error", last.error);
  counter("converged", last.converged ? 1.0 : 0.0);
  counter("cycles", static_cast<double>(last.cycles));
  counter("evaluations", static_cast<double>(last.evaluations));
  counter("nonzero_weights", static_cast<double>(last.nonzero_weights()));
  std::string label;
  for (const auto& [k, v] : last.notes) label += fmt::format("{}{}={}", label.empty() ? "" : " ", k, v);
  if (!label.empty()) state.SetLabel(label);
}

// One more solve with the per-cycle trace on, its trajectory into the record through
// the trajectory sink; returns its wall time. A traced solve may say more in its notes
// (auto's rule, attempts and features): `last` keeps those the timed solves left out.
double trace_run(Solver& solver, const Instance& inst, const SolveOptions& so, RunRecord& record, SolveResult& last) {
  TrajectorySink trajectory(inst.problem_data.target);
  SolveOptions traced = so;
  traced.trace = true;
  traced.trace_sink = trajectory.sink();
  const auto t0 = Clock::now();
  const SolveResult r = solver.solve(inst.problem_data, traced);
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  trajectory.finish(record, r, wall);
  last.notes.insert(r.notes.begin(), r.notes.end());
  return wall;
}

// Repetitions whose real time is above kStarvedRatio times the process's CPU time.
std::uint64_t starved_repetitions(const Json& benchmarks) {
  std::uint64_t starved = 0;
  for (const auto& b : benchmarks) {
    if (b.value("run_type", std::string("iteration")) == "aggregate") continue;
    const double real = b.value("real_time", 0.0), cpu = b.value("cpu_time", 0.0);
    starved += real > kStarvedRatio * cpu;
  }
  return starved;
}

}  // namespace

void add_build_context(const std::string& commit, const std::string& simd_target) {
  static bool added = false;
  if (added) return;
  added = true;
  auto& c = build_context();
  // The build's `git describe --dirty`: HEX, or HEX-dirty when the checkout it was
  // built from had changes, or "unknown" (no checkout).
  const std::string mark = "-dirty";
  const bool dirty = commit.size() > mark.size() && commit.ends_with(mark);
  c["wcs_git_commit"] = commit.empty() ? "unknown" : dirty ? commit.substr(0, commit.size() - mark.size()) : commit;
  c["wcs_git_dirty"] = commit.empty() || commit == "unknown" ? "unknown" : dirty ? "true" : "false";
  c["wcs_commit"] = commit.empty() ? "unknown" : commit;  // as the record's wcs_commit has it
  c["wcs_compiler"] = WCS_COMPILER;
  c["wcs_cxx_flags"] = WCS_CXX_FLAGS;
  c["wcs_build_type"] = WCS_BUILD_TYPE;
  c["wcs_simd_target"] = simd_target;
  for (const auto& [key, value] : c) benchmark::AddCustomContext(key, value);
}

namespace {

// Everything a run needs from the loop around it.
struct RunContext {
  const Plan& plan;
  const Registry& registry;
  const RunnerOptions& o;
};

// One timed run: Google Benchmark's repetitions of the solve, then the traced solve
// when asked. Fills the record (status, result, Google Benchmark's part) and returns
// the seconds spent inside the strategy.
double benchmark_run(const RunContext& ctx, const Run& run, RunRecord& record) {
  const Instance& inst = ctx.plan.instances[run.instance];
  std::string failure;
  SolveResult last;
  double inside = 0.0;
  try {
    // Making and destroying the strategy (allocating and freeing its buffers) is the
    // strategy's time, not the harness's: it counts as `inside`.
    const auto made = Clock::now();
    std::optional<Solver> solver(ctx.registry.create(run.strategy, solver_params(run, ctx.o.out)));
    inside += std::chrono::duration<double>(Clock::now() - made).count();
    SolveOptions so;
    so.seed = inst.seed;
    const std::string json = time_solves(run, [&](benchmark::State& state) {
      const auto t0 = Clock::now();
      for (auto _ : state) {
        try {
          last = solver->solve(inst.problem_data, so);
        } catch (const std::exception& e) {
          failure = e.what();
          state.SkipWithError(failure.c_str());
          break;
        }
        benchmark::DoNotOptimize(last);
      }
      inside += std::chrono::duration<double>(Clock::now() - t0).count();
      if (failure.empty()) set_counters(state, last);
    });
    if (failure.empty() && run.trace) inside += trace_run(*solver, inst, so, record, last);
    const auto destroyed = Clock::now();
    solver.reset();
    inside += std::chrono::duration<double>(Clock::now() - destroyed).count();
    if (failure.empty()) {
      Json gb = Json::parse(json_numbers(json));
      record.context = std::move(gb["context"]);
      record.benchmarks = std::move(gb["benchmarks"]);
      name_entries(record.benchmarks, run.key);
    }
  } catch (const Stopped&) {
    throw;
  } catch (const std::exception& e) {
    failure = e.what();
  }
  add_experiment_context(record.context, ctx.plan, ctx.o);
  if (failure.empty()) {
    set_result(record, last);
    record.starved = starved_repetitions(record.benchmarks);
  } else {
    record.status = record::status::failed;
    record.reason = failure;
    record.traced = false;
  }
  return inside;
}

// Whether `--resume` keeps the folder's record of `run`.
bool recorded(const std::map<std::string, std::pair<std::string, std::string>>& existing, const Run& run, bool retry_failed) {
  auto it = existing.find(run.id);
  if (it == existing.end() || it->second.second != run.key) return false;
  const std::string& status = it->second.first;
  if (status == record::status::ok || status == record::status::skipped) return true;
  return !retry_failed;  // a failed or faulty run is made again only when asked
}

}  // namespace

RunnerSummary run_plan(const Plan& plan, const Registry& registry, const RunnerOptions& o) {
  const auto start = Clock::now();
  RunnerSummary sum;
  const auto runs = shard_runs(plan, o.shard, o.shards);
  sum.in_shard = runs.size();
  const store::FolderLock lock(o.out, o.command.empty() ? "wcs run " + plan.file : o.command);
  store::Owner owner{plan.name, fs::path(plan.file).filename().string(), plan.file_hash, {}};
  for (const auto& r : plan.runs) owner.ids.insert(r.id);
  const store::Prepared folder = store::prepare_folder(o.out, owner, o.fresh);
  sum.stale = folder.stale;
  sum.temporaries = folder.temporaries;
  sum.removed = folder.removed;
  sum.left = folder.left;
  sum.unpacked = folder.unpacked;
  store::write_atomic(o.out / "experiment.json", experiment_json(plan).dump(2) + "\n");
  const auto existing = o.resume ? store::recorded_runs(o.out) : std::map<std::string, std::pair<std::string, std::string>>{};

  const RunContext ctx{plan, registry, o};
  std::size_t done = 0;
  Progress progress(o, runs.size());
  if (o.terminal && !runs.empty()) progress.update(0, 0, 0, runs.front()->key);
  for (const Run* run : runs) {
    if (o.stop && *o.stop) {
      sum.stopped_by = *o.stop;
      break;
    }
    if (done > 0) progress.update(done, sum.resumed, sum.failed, run->key);
    ++done;
    if (o.resume && recorded(existing, *run, o.retry_failed)) {
      ++sum.resumed;
      continue;
    }
    RunRecord record = plan_record(plan, *run);
    if (auto it = build_context().find("wcs_commit"); it != build_context().end()) record.wcs_commit = it->second;
    if (!run->skip_reason.empty()) {
      add_experiment_context(record.context, plan, o);
      record.status = record::status::skipped;
      record.reason = run->skip_reason;
      ++sum.skipped;
    } else {
      sum.strategy_seconds += benchmark_run(ctx, *run, record);
      ++sum.ran;
      if (!record.ok()) ++sum.failed;
    }
    store::write_atomic(store::record_path(o.out, run->id), record::to_file_json(record).dump(2) + "\n");
  }
  progress.update(done, sum.resumed, sum.failed, "");
  progress.finish(sum.failed);
  sum.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return sum;
}

}  // namespace wcs::experiment

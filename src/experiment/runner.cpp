#include "experiment/runner.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "experiment/record.hpp"
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
  c["wcs_compiler"] = WCS_COMPILER;
  c["wcs_cxx_flags"] = WCS_CXX_FLAGS;
  c["wcs_build_type"] = WCS_BUILD_TYPE;
  c["wcs_simd_target"] = simd_target;
  for (const auto& [key, value] : c) benchmark::AddCustomContext(key, value);
}

RunnerSummary run_plan(const Plan& plan, const Registry& registry, const RunnerOptions& o) {
  const auto start = Clock::now();
  RunnerSummary sum;
  const auto runs = shard_runs(plan, o.shard, o.shards);
  sum.in_shard = runs.size();
  const FolderCheck folder = prepare_results_folder(o.out, plan, o.fresh);
  sum.stale = folder.stale;
  sum.temporaries = folder.temporaries;
  sum.removed = folder.removed;
  write_atomic(o.out / "experiment.json", experiment_json(plan).dump(2) + "\n");

  std::size_t done = 0;
  double strategy_seconds = 0.0;
  Progress progress(o, runs.size());
  if (o.terminal && !runs.empty()) progress.update(0, 0, 0, runs.front()->key);
  for (const Run* run : runs) {
    if (o.stop && *o.stop) {
      sum.stopped_by = *o.stop;
      break;
    }
    if (done > 0) progress.update(done, sum.resumed, sum.failed, run->key);
    ++done;
    if (o.resume && has_record(o.out, plan, *run)) {
      ++sum.resumed;
      continue;
    }
    RunRecord record = plan_record(plan, *run);
    if (!run->skip_reason.empty()) {
      add_experiment_context(record.context, plan, o);
      record.status = "skipped";
      record.reason = run->skip_reason;
      write_atomic(record_path(o.out, run->id), record.json().dump(2) + "\n");
      ++sum.skipped;
      continue;
    }
    const Instance& inst = plan.instances[run->instance];
    std::string failure;
    SolveResult last;
    double inside = 0.0;
    try {
      // Making and destroying the strategy (allocating and freeing its buffers) is
      // the strategy's time, not the harness's: it counts as `inside`.
      const auto made = Clock::now();
      std::optional<Solver> solver(registry.create(run->strategy, solver_params(*run, o.out)));
      inside += std::chrono::duration<double>(Clock::now() - made).count();
      SolveOptions so;
      so.seed = inst.seed;
      benchmark::ClearRegisteredBenchmarks();
      auto* b = benchmark::RegisterBenchmark(run->key.c_str(), [&](benchmark::State& state) {
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
        if (!failure.empty()) return;
        // Counters must be finite numbers for the JSON to be read back.
        auto counter = [&](const char* name, double v) { if (std::isfinite(v)) state.counters[name] = v; };
        counter("error", last.error);
        counter("converged", last.converged ? 1.0 : 0.0);
        counter("cycles", static_cast<double>(last.cycles));
        counter("evaluations", static_cast<double>(last.evaluations));
        counter("nonzero_weights", static_cast<double>(last.nonzero_weights()));
        std::string label;
        for (const auto& [k, v] : last.notes) label += fmt::format("{}{}={}", label.empty() ? "" : " ", k, v);
        if (!label.empty()) state.SetLabel(label);
      });
      // Nanoseconds: compare.py prints whole numbers of the unit and matches entries only
      // of the same unit, so one fixed unit fine enough for the fastest run.
      b->Unit(benchmark::kNanosecond)->UseRealTime()->Repetitions(run->timing.repetitions);
      if (run->timing.iterations > 0) b->Iterations(run->timing.iterations);
      else b->MinTime(run->timing.min_time);
      std::ostringstream out, err;
      benchmark::JSONReporter reporter;
      reporter.SetOutputStream(&out);
      reporter.SetErrorStream(&err);
      benchmark::RunSpecifiedBenchmarks(&reporter);
      benchmark::ClearRegisteredBenchmarks();
      if (failure.empty() && run->trace) {
        SolveOptions traced = so;
        traced.trace = true;
        const auto t0 = Clock::now();
        const SolveResult r = solver->solve(inst.problem_data, traced);
        const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        inside += wall;
        set_trajectory(record, r, wall);
        // A traced solve may say more in its notes (auto's rule, attempts and
        // features): the record keeps those the timed solves left out.
        last.notes.insert(r.notes.begin(), r.notes.end());
      }
      const auto destroyed = Clock::now();
      solver.reset();
      inside += std::chrono::duration<double>(Clock::now() - destroyed).count();
      if (failure.empty()) {
        Json gb = Json::parse(json_numbers(out.str()));
        record.context = std::move(gb["context"]);
        record.benchmarks = std::move(gb["benchmarks"]);
        name_entries(record.benchmarks, run->key);
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
    strategy_seconds += inside;
    add_experiment_context(record.context, plan, o);
    ++sum.ran;
    if (failure.empty()) {
      set_result(record, last);
    } else {
      record.status = "failed";
      record.reason = failure;
      record.trajectory.reset();
      ++sum.failed;
    }
    write_atomic(record_path(o.out, run->id), record.json().dump(2) + "\n");
  }
  progress.update(done, sum.resumed, sum.failed, "");
  progress.finish(sum.failed);
  sum.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sum.strategy_seconds = strategy_seconds;
  return sum;
}

}  // namespace wcs::experiment

// Runs a plan: one Google Benchmark per run, registered at run time, and one record
// per run written atomically.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>

#include "experiment/plan.hpp"
#include "wcs/registry.hpp"

namespace wcs::experiment {

struct RunnerOptions {
  std::filesystem::path out;          ///< results folder (records go to out/runs)
  std::size_t shard = 0, shards = 1;  ///< run the runs with index % shards == shard
  bool resume = false;                ///< skip runs that already have a finished record
  bool progress = false;              ///< runs done, failures and ETA on standard error
  bool terminal = false;              ///< progress redrawn in place; else a line every 5% or 30 s
};

struct RunnerSummary {
  std::size_t in_shard = 0;     ///< runs of this shard
  std::size_t ran = 0;          ///< benchmarked now (ok or failed)
  std::size_t failed = 0;       ///< the strategy threw; recorded with status failed
  std::size_t skipped = 0;      ///< over a max_n; recorded with status skipped
  std::size_t resumed = 0;      ///< already recorded, left alone
  double seconds = 0.0;         ///< wall time of the whole call
  double strategy_seconds = 0.0;  ///< time spent inside the strategies' solve calls
};

/// Context keys of this build and checkout (git commit and dirty flag, compiler and
/// flags, build type, SIMD target), added to Google Benchmark's context once per
/// process with benchmark::AddCustomContext.
void add_build_context(const std::filesystem::path& checkout);

/// Runs the shard of `plan`. Writes out/experiment.json and one record per run. A run
/// with `trace` is solved once more, untimed by Google Benchmark, with the per-cycle
/// trace on; its trajectory (cycle, evaluations, seconds, error, best error so far)
/// goes into the record as `wcs.trajectory`.
RunnerSummary run_plan(const Plan& plan, const Registry& registry, const RunnerOptions& options);

}  // namespace wcs::experiment

// Runs a plan: one Google Benchmark per run, registered at run time, and one record
// per run written atomically.
#pragma once
#include <csignal>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/plan.hpp"
#include "wcs/registry.hpp"

namespace wcs::experiment {

struct RunnerOptions {
  std::filesystem::path out;          ///< results folder (records go to out/runs)
  std::size_t shard = 0, shards = 1;  ///< run the runs with index % shards == shard
  bool resume = false;                ///< skip runs that already have a record (ok, skipped; failed ones too unless retry_failed)
  bool retry_failed = false;          ///< with resume: make failed and faulty runs again
  bool fresh = false;                 ///< remove what the harness wrote in the folder first (store::remove_results)
  std::string command;                ///< the command line, named in the folder's lock for a second writer
  bool progress = false;              ///< runs done, failures and ETA on standard error
  bool terminal = false;              ///< progress redrawn in place; else a line every 5% or 30 s
  /// When set and non-zero (a signal handler stores the signal number), the runner
  /// stops at the next run boundary: every record written stays, none is half written.
  const volatile std::sig_atomic_t* stop = nullptr;
};

struct RunnerSummary {
  std::size_t in_shard = 0;     ///< runs of this shard
  std::size_t ran = 0;          ///< benchmarked now (ok or failed)
  std::size_t failed = 0;       ///< the strategy threw (failed) or its result failed the checks (non-finite, inconsistent)
  std::size_t skipped = 0;      ///< over a max_n; recorded with status skipped
  std::size_t resumed = 0;      ///< already recorded, left alone
  std::size_t stale = 0;        ///< records of runs the (edited) plan no longer has, removed
  std::size_t temporaries = 0;  ///< leftover temporary files of killed writers, removed
  std::size_t removed = 0;      ///< files removed by `fresh`
  std::vector<std::string> left;  ///< files `fresh` left (the harness did not write them)
  std::size_t unpacked = 0;     ///< records of a pack moved back to runs/ to go on
  int stopped_by = 0;           ///< the signal that stopped the runner early, or 0
  double seconds = 0.0;         ///< wall time of the whole call
  double strategy_seconds = 0.0;  ///< time spent inside the strategies' solve calls
};

/// Context keys of this build (the commit it was built from and whether that checkout
/// had changes, compiler and flags, build type, and `simd_target`, the caller's
/// description of the SIMD code the strategies run: `wcs run` gives its fastest
/// kernel), added to Google Benchmark's context once per process with
/// benchmark::AddCustomContext. `commit` is the program's own, fixed when it was
/// built (`git describe --always --dirty`: HEX, HEX-dirty or "unknown"; `wcs
/// --version` prints it), never read from a checkout, whose code may not be the
/// program's.
void add_build_context(const std::string& commit, const std::string& simd_target);

/// A repetition whose real time exceeds this many times the process's CPU time was
/// stopped or starved: its record counts it (timing.starved).
inline constexpr double kStarvedRatio = 1.5;

/// Runs the shard of `plan`. Takes the folder's lock (InputError naming the holder
/// when another wcs writes into it), checks and prepares the folder
/// (store::prepare_folder: InputError for another experiment's folder), then writes
/// out/experiment.json and one record per run. Truth tables the runs write go to
/// out/truth_tables/<run id>-<name>. A run with `trace` is solved once more, untimed
/// by Google Benchmark, with the per-cycle trace on; its trajectory (cycle,
/// evaluations, seconds, error, best error so far) goes into the record as
/// `wcs.trajectory`.
RunnerSummary run_plan(const Plan& plan, const Registry& registry, const RunnerOptions& options);

}  // namespace wcs::experiment

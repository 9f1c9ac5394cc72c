// An experiment file (YAML) turned into a validated, deterministic plan of runs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/limits.hpp"
#include "wcs/error.hpp"
#include "wcs/problem.hpp"
#include "wcs/registry.hpp"

namespace wcs::experiment {

/// How Google Benchmark times each run.
struct Timing {
  int repetitions = 3;        ///< benchmark repetitions (statistics when > 1)
  double min_time = 0.01;     ///< seconds per repetition, unless `iterations` is set
  long long iterations = 0;   ///< fixed iterations per repetition (0: chosen by min_time)
};

/// One concrete problem instance of the plan, shared by the runs of every strategy.
struct Instance {
  std::string problem;        ///< the problem entry's name
  std::string generator;      ///< "fixed", "uniform_int" or "uniform_real"
  std::string key;            ///< "problem/n=8/seed=1/max_iter=32/tol=0"
  std::uint64_t seed = 0;     ///< generator seed, also SolveOptions::seed
  Problem problem_data;
};

/// One run: a strategy with concrete options on one instance.
struct Run {
  std::size_t index = 0;      ///< position in the plan (shards take index % N == I)
  std::string key;            ///< readable, stable: instance key + "/" + strategy label
  /// 16 hex digits of a hash of everything that determines the run's result: the key,
  /// the instance's problem data (coefficients, target, tolerance, max_iter, wpn and
  /// bounds), its seed, the strategy and its identity, every option, the timing
  /// settings, the skip reason and the program's version. The record's file name: a
  /// changed run gets another id, so `--resume` runs it again.
  std::string id;
  std::size_t instance = 0;   ///< into Plan::instances
  std::string strategy;
  std::string strategy_version;  ///< the strategy's identity (StrategyInfo::identity)
  std::string label;          ///< strategy plus the params given, "sampling{mode=random}"
  std::map<std::string, std::string> params;   ///< given in the file, canonical text
  std::map<std::string, std::string> options;  ///< every option, canonical text
  std::string family;
  std::string skip_reason;    ///< non-empty: planned but not run (max_n), with why
  Timing timing;
  bool trace = false;         ///< also record the per-cycle trajectory (`trace: true`)
};

/// A published figure to print beside measured times (e.g. the user's document).
struct Estimate {
  std::string problem;        ///< problem entry it compares with
  std::string label;          ///< column title
  std::size_t n = 0;
  double ms = 0.0;            ///< milliseconds
};

/// The whole validated experiment.
struct Plan {
  std::string name;
  std::string description;
  std::string file;           ///< path as given
  std::string file_hash;      ///< "fnv1a64:<16 hex>" of the file's bytes
  std::string wcs_version;    ///< the program's version (part of every run id)
  std::vector<std::uint64_t> seeds;  ///< every seed used, sorted
  std::string baseline;       ///< `baseline:` label, the speed-up base where reference did not run
  std::string estimates_source;
  std::vector<Estimate> estimates;
  std::vector<Instance> instances;
  std::vector<Run> runs;
};

/// Parses and validates experiment text (`file` names it in messages). Strategies and
/// their options are checked against `registry`. Throws ExperimentError listing every
/// problem found.
Plan parse_plan(const std::string& text, const std::string& file, const Registry& registry);

/// Reads the file and parses it (ExperimentError also when it cannot be read).
Plan load_plan(const std::string& path, const Registry& registry);

/// Shard I of N: the runs with index % count == shard, in plan order.
std::vector<const Run*> shard_runs(const Plan& plan, std::size_t shard, std::size_t count);

/// 64-bit FNV-1a of bytes, as 16 lower-case hex digits.
std::string fnv1a_hex(const std::string& bytes);

/// The program's version recorded in plans and records ("0.1.0").
std::string wcs_version();

/// A name that is one plain file name: letters, digits, '-', '_' and '.', not starting
/// with '.' (so never "." or ".."), at most 100 characters. Experiment names (they
/// name results folders) and problem names follow it.
bool valid_name(const std::string& s);

/// A file name an experiment may give a file it writes (truth_table): one plain file
/// name, no '/', not "." or "..", not hidden, at most 200 bytes, no control characters.
/// Such files go under the run's results folder.
bool plain_file_name(const std::string& s);


}  // namespace wcs::experiment

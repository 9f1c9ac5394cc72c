// The strategy registry (owned by the program, not a global) and Solver, a
// configured strategy that checks its inputs before it runs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "wcs/memory.hpp"
#include "wcs/options.hpp"
#include "wcs/strategy.hpp"

namespace wcs {

class Registry;

/// Makes a strategy from its checked options. The registry is the one creating it
/// (for strategies that delegate, like `auto`); it outlives the strategy.
using StrategyFactory = std::function<std::unique_ptr<Strategy>(const Options&, const Registry&)>;

/// The most bytes a solve of `n` coefficients with `options` allocates (a safe upper
/// bound of the buffers that grow with N; saturate rather than overflow, see
/// wcs/memory.hpp).
using MemoryEstimate = std::function<std::uint64_t(std::size_t n, const Options& options)>;

/// What a strategy declares about itself.
struct StrategyInfo {
  std::string name;
  Family family = Family::identical;
  std::string description;  ///< one line
  std::vector<OptionSpec> options;
  std::size_t max_n = std::numeric_limits<std::size_t>::max();  ///< largest N it accepts
  /// Set by every strategy whose memory grows faster than N (tables of 2^N or
  /// 2^(N/2) entries, samples): the Solver refuses a solve that needs more than the
  /// machine has ("needs X GB, Y GB available") before the strategy allocates.
  MemoryEstimate memory_bytes;
  /// Empty: the strategy solves every valid problem of N <= max_n with any options.
  /// Otherwise one line saying which problems it accepts (e.g. `dp`: cycles whose
  /// sums are exact in binary and span at most max_span units); outside that domain
  /// solve() refuses with an InputError saying why, never a silent fallback. Tests
  /// (the conformance kit, the differential test) count such refusals separately.
  std::string domain;
  std::string origin;  ///< module path, set by the loader
  /// What decides the strategy's behaviour, set by the loader: "MODULE-CORE", the
  /// hash of the sources compiled into its module (its own, and those of the
  /// libraries linked into it) and the hash of the core's sources (wcs::core_identity),
  /// 16 hex digits each. Part of every run id: a changed strategy is run again.
  std::string identity;
};

/// A strategy with its options, ready to solve problems.
class Solver {
 public:
  Solver(const StrategyInfo& info, Options options, std::unique_ptr<Strategy> strategy)
      : info_(&info), options_(std::move(options)), strategy_(std::move(strategy)) {}
  /// Validates the problem, N against max_n and the memory estimate against the
  /// memory available (InputError), then solves.
  SolveResult solve(const Problem& problem, const SolveOptions& options = {});
  /// As solve, for a problem its caller has validated already (a strategy that runs
  /// others on the problem it was given, as `auto` does): checks N and memory only.
  SolveResult solve_validated(const Problem& problem, const SolveOptions& options = {});
  const StrategyInfo& info() const { return *info_; }
  const Options& options() const { return options_; }

 private:
  const StrategyInfo* info_;
  Options options_;
  std::unique_ptr<Strategy> strategy_;
};

class Registry {
 public:
  /// Adds a strategy. A strategy without a name or a factory, or a second strategy
  /// with the same name, throws InputError.
  void add(StrategyInfo info, StrategyFactory factory);
  /// Moves every strategy of `other` in; all or nothing when a name is taken.
  void merge(Registry&& other);
  const StrategyInfo* find(const std::string& name) const;
  /// Throws InputError naming the strategy and listing the registered ones.
  const StrategyInfo& get(const std::string& name) const;
  /// Checks the options (InputError) and makes the strategy.
  Solver create(const std::string& name, const std::map<std::string, std::string>& options = {}) const;
  /// Registered strategies, sorted by name.
  std::vector<const StrategyInfo*> list() const;
  std::vector<std::string> names() const;
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<StrategyInfo> info;  // stable address for Solver
    StrategyFactory factory;
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace wcs

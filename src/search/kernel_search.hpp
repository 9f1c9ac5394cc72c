// The cycle search of the kernel strategies (fused, gray, simd-xsimd, simd-highway,
// parallel): per cycle base and d_i, an enumeration kernel (src/kernels) over every
// line through a RangeRunner (one call, or parallel's threads), then the exact step,
// which makes the winner, its r and the WPN decision reference's to the bit.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernels.hpp"
#include "search/exact_step.hpp"
#include "wcs/registry.hpp"
#include "wcs/strategy.hpp"

namespace wcs::search {

/// Runs a kernel over the lines [1, end) of one cycle.
class RangeRunner {
 public:
  virtual ~RangeRunner() = default;
  /// Once per solve, before the first cycle.
  virtual void prepare(std::size_t /*n*/) {}
  /// The kernel's pick among lines [1, end). `side` is work of the cycle that does
  /// not depend on the kernel (the exact step's staging): it runs exactly once, on
  /// any thread, before run() returns.
  virtual kernels::RangeBest run(kernels::RangeKernel kernel, const kernels::CycleView& view, std::uint64_t end,
                                 const std::function<void()>& side) = 0;
  /// Facts for the result's notes ("threads", ...).
  virtual void notes(std::map<std::string, std::string>& /*notes*/) const {}
};

/// The kernel over lines [first, last) in blocks of 2^24 (a few tens of milliseconds), their
/// picks by the winner order; between blocks, `stop` is polled: when set, what was
/// found so far is returned at once (the caller throws wcs::Stopped).
kernels::RangeBest run_in_blocks(kernels::RangeKernel kernel, const kernels::CycleView& view, std::uint64_t first,
                                 std::uint64_t last, const std::atomic<bool>* stop);

/// The kernel over the whole cycle in blocks (the solve's stop flag polled between
/// them), then `side`.
class SerialRunner final : public RangeRunner {
 public:
  kernels::RangeBest run(kernels::RangeKernel kernel, const kernels::CycleView& view, std::uint64_t end,
                         const std::function<void()>& side) override;
};

/// The CycleSearch. Notes: "kernel", "isa", "exact_cycles" (cycles decided in exact
/// arithmetic), "exact_rechecks" (lines re-evaluated bit-exactly) and
/// "winners_repaired" (cycles whose winner is not the kernel's line).
class KernelSearch final : public CycleSearch {
 public:
  /// `runner` defaults to a SerialRunner.
  explicit KernelSearch(const kernels::KernelInfo& kernel, std::unique_ptr<RangeRunner> runner = nullptr);

  void prepare(const Problem& problem, const SolveOptions& options) override;
  CycleOutcome search(const CycleInput& in) override;
  void finish(SolveResult& result) override;

 private:
  const kernels::KernelInfo& kernel_;
  std::unique_ptr<RangeRunner> runner_;
  std::size_t n_ = 0;
  std::vector<double> d_, dl_;
  ExactStep exact_;
  std::uint64_t exact_rechecks_ = 0, repaired_ = 0, exact_cycles_ = 0;
  TieRuleTally ties_;  // cycles decided by the tie rule (past max_rechecks lines within rounding)
};

/// The strategy of the kernel named `kernel` (kernels::find) run serially; a
/// std::logic_error when no such kernel is compiled in.
std::unique_ptr<Strategy> make_kernel_strategy(const std::string& kernel);

/// Registers the identical-family strategy named after `kernel`: the kernel run
/// serially through the exact step (its memory estimate), N up to `max_n`.
void register_kernel_strategy(Registry& registry, const std::string& kernel, std::string description,
                              std::size_t max_n);

}  // namespace wcs::search

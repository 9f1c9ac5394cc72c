#include "search/kernel_search.hpp"

#include <optional>
#include <stdexcept>

#include "wcs/formula.hpp"

namespace wcs::search {

kernels::RangeBest run_in_blocks(kernels::RangeKernel kernel, const kernels::CycleView& view, std::uint64_t first,
                                 std::uint64_t last, const std::atomic<bool>* stop) {
  constexpr std::uint64_t kBlock = std::uint64_t{1} << 24;
  kernels::RangeBest best;
  while (first < last) {
    if (stop && stop->load(std::memory_order_relaxed)) break;
    const std::uint64_t to = last - first > kBlock ? (first / kBlock + 1) * kBlock : last;
    const kernels::RangeBest b = kernel(view, first, to);
    if (b.line != 0 && (best.line == 0 || line_wins(b.error, b.result, b.line, best.error, best.result, best.line)))
      best = b;
    first = to;
  }
  return best;
}

kernels::RangeBest SerialRunner::run(kernels::RangeKernel kernel, const kernels::CycleView& view, std::uint64_t end,
                                     const std::function<void()>& side) {
  const kernels::RangeBest best = run_in_blocks(kernel, view, 1, end, thread_stop());
  poll_stop();
  side();
  return best;
}

KernelSearch::KernelSearch(const kernels::KernelInfo& kernel, std::unique_ptr<RangeRunner> runner)
    : kernel_(kernel), runner_(runner ? std::move(runner) : std::make_unique<SerialRunner>()) {}

void KernelSearch::prepare(const Problem& problem, const SolveOptions&) {
  n_ = problem.n();
  d_.assign(n_, 0.0);
  dl_.assign(n_, 0.0);
  runner_->prepare(n_);
  exact_rechecks_ = repaired_ = exact_cycles_ = 0;
  ties_ = {};
}

CycleOutcome KernelSearch::search(const CycleInput& in) {
  const double base = cycle_terms(in.a, in.w, in.wpn, d_);
  for (std::size_t j = 0; j < n_; ++j) dl_[j] = d_[n_ - 1 - j];  // line bit j = coefficient N-1-j
  const std::uint64_t lines = (std::uint64_t{1} << n_) - 1;
  const kernels::RangeBest best =
      runner_->run(kernel_.run, kernels::CycleView{base, dl_, in.target}, lines + 1, [&] { exact_.stage(d_); });
  std::optional<std::uint64_t> hint;
  if (best.line != 0) hint = key_of_line(best.line, n_);
  const ExactOutcome exact = exact_.resolve(in, base, d_, hint);
  exact_rechecks_ += exact.exact_rechecks;
  repaired_ += !hint || exact.key != *hint;
  exact_cycles_ += exact.exact_arithmetic;
  ties_.add(exact);
  CycleOutcome out;
  out.winner = combination_of_key(exact.key, n_);
  out.result = exact.result;
  out.all_below_target = exact.all_below_target;
  out.evaluations = lines;
  return out;
}

void KernelSearch::finish(SolveResult& result) {
  result.notes["kernel"] = kernel_.name;
  result.notes["isa"] = kernel_.isa();
  result.notes["exact_cycles"] = std::to_string(exact_cycles_);
  result.notes["exact_rechecks"] = std::to_string(exact_rechecks_);
  result.notes["winners_repaired"] = std::to_string(repaired_);
  ties_.write(result.notes);
  runner_->notes(result.notes);
}

std::unique_ptr<Strategy> make_kernel_strategy(const std::string& kernel) {
  const kernels::KernelInfo* info = kernels::find(kernel);
  if (info == nullptr) throw std::logic_error("no kernel named " + kernel + " (known: " + kernels::names() + ")");
  return make_cycle_strategy(std::make_unique<KernelSearch>(*info));
}

void register_kernel_strategy(Registry& registry, const std::string& kernel, std::string description,
                              std::size_t max_n) {
  StrategyInfo info;
  info.name = kernel;
  info.family = Family::identical;
  info.description = std::move(description);
  info.max_n = max_n;
  info.memory_bytes = [](std::size_t n, const Options&) { return ExactStep::memory_bytes(n); };
  registry.add(std::move(info), [kernel](const Options&, const Registry&) { return make_kernel_strategy(kernel); });
}

}  // namespace wcs::search

// `early-stop`: the seed's early convergence (idea 4). Like `lazy` (bit-exact values,
// line order, one pass), but a cycle stops at the first line with
// |r - target| <= factor * tolerance and takes it as the winner. Such a line meets
// the tolerance, so the search converges in that cycle, exactly when `reference`
// would (its winner is at least as close); every earlier cycle has no such line, is
// searched in full and so has reference's winner.
#include <cmath>
#include <memory>
#include <vector>

#include "search/exact_step.hpp"
#include "wcs/line_scan.hpp"
#include "wcs/plugin.hpp"

namespace {

constexpr std::size_t kMaxN = 40;  // as lazy: a full cycle at N = 40 takes hours

class EarlyStopSearch final : public wcs::CycleSearch {
 public:
  explicit EarlyStopSearch(double factor) : factor_(factor) {}

  void prepare(const wcs::Problem&, const wcs::SolveOptions&) override { stopped_ = 0; }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const wcs::LineScan scan = wcs::scan_lines_exact(in, factor_ * in.tolerance);
    wcs::CycleOutcome out = scan.outcome(in.a.size());
    if (scan.stopped) {
      // Stopped early: the cycle converges, so the WPN rule is not applied; still
      // report it as reference would.
      ++stopped_;
      out.all_below_target = wcs::search::all_below_target(in);
    }
    return out;
  }

  void finish(wcs::SolveResult& result) override { result.notes["stopped_early"] = stopped_ ? "yes" : "no"; }

 private:
  double factor_;
  std::uint64_t stopped_ = 0;
};

void register_early_stop(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "early-stop";
  info.family = wcs::Family::converging;
  info.description = "like lazy, but a cycle stops at the first line within factor * tolerance and takes it";
  info.max_n = kMaxN;
  info.options = {wcs::OptionSpec::real("factor", 1.0, 0.0, 1.0,
                                        "stop a cycle at the first line with |r - target| <= factor * tolerance",
                                        /*min_exclusive=*/true, /*max_exclusive=*/false)};
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<EarlyStopSearch>(options.real("factor")));
  });
}

}  // namespace

WCS_PLUGIN(register_early_stop)

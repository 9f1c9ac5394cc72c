// `mitm`: exact meet-in-the-middle search of each cycle (Horowitz and Sahni, 1974,
// "Computing partitions with applications to the knapsack problem", JACM 21(2)).
//
// A cycle is a closest-subset-sum problem over the d_i (docs/algorithm.md, base + d_i
// form). The coefficients whose d_i is not 0 are split into a high half (coefficient
// 0 side) and a low half; each half's 2^(N/2) subset sums are generated already
// sorted (one merge per coefficient), and the closest total to the target is found
// with two pointers: O(2^(N/2)) time and memory per cycle instead of O(2^N).
//
// That is the exact step of every identical strategy (src/search/exact_step.hpp)
// run without a kernel in front of it: the step lists the two halves anyway, finds
// their closest sum, and makes the winner, its r and the WPN decision reference's to
// the bit (equal sums stand for their smallest line, so ties cost nothing; rounding
// near-ties are re-evaluated in the bit-exact form). Past 48 coefficients it uses
// Schroeppel and Shamir's four lists (src/search/four_list.hpp): the same time,
// O(2^(N/4)) memory.
#include <memory>
#include <string>

#include "search/exact_step.hpp"
#include "search/sorted_scan.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// Every line key fits 64 bits. Beyond 48 coefficients with d != 0 the exact step
// walks four lists of 2^(N/4) sums (a few MB at N = 64) instead of holding two halves
// of 2^(N/2); time stays O(2^(N/2)) per cycle.
constexpr std::size_t kMaxN = 64;

class MitmSearch final : public wcs::CycleSearch {
 public:
  void prepare(const wcs::Problem& problem, const wcs::SolveOptions&) override {
    d_.assign(problem.n(), 0.0);
    exact_rechecks_ = exact_cycles_ = 0;
    ties_ = {};
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    const wcs::search::ExactOutcome exact = exact_.resolve(in, base, d_);
    exact_rechecks_ += exact.exact_rechecks;
    exact_cycles_ += exact.exact_arithmetic;
    ties_.add(exact);
    wcs::CycleOutcome out;
    out.winner = wcs::search::combination_of_key(exact.key, d_.size());
    out.result = exact.result;
    out.all_below_target = exact.all_below_target;
    out.evaluations = exact.half_entries + exact.exact_rechecks;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    result.notes["exact_cycles"] = std::to_string(exact_cycles_);
    result.notes["exact_rechecks"] = std::to_string(exact_rechecks_);
    // The instruction set of the exact step's vector scans (the rest is scalar).
    result.notes["isa"] = wcs::search::scan_isa();
    // Cycles whose lines within rounding of the closest were too many to re-evaluate
    // (src/search/tie_rule.hpp): their winner is the tie rule's on exact values.
    ties_.write(result.notes);
  }

 private:
  std::vector<double> d_;
  wcs::search::ExactStep exact_;
  std::uint64_t exact_rechecks_ = 0, exact_cycles_ = 0;
  wcs::search::TieRuleTally ties_;
};

void register_mitm(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "mitm";
  info.family = wcs::Family::identical;
  info.description =
      "exact meet-in-the-middle (Horowitz-Sahni): sorted subset sums of two halves, two pointers; O(2^(N/2)) per cycle";
  info.max_n = kMaxN;
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::search::ExactStep::memory_bytes(n); };
  registry.add(std::move(info), [](const wcs::Options&, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<MitmSearch>());
  });
}

}  // namespace

WCS_PLUGIN(register_mitm)

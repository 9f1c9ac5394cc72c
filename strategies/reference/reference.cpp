// `reference`: the faithful port of the original WeightCombinationSearch cycle.
//
// Like the original, each cycle first builds the full list of the 2^N - 1
// combinations (in line order) and the list of their results, then finds the
// winner in a second pass. It deliberately has none of the optimisations that the
// other strategies exist to measure (on-the-fly generation, fused loops, SIMD,
// threads); its line values use the bit-exact form of docs/algorithm.md.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"
#include "wcs/truth_table.hpp"

namespace {

constexpr std::size_t kMaxN = 30;  // 2^30 lines per cycle, ~12 GB of lists

class ReferenceSearch final : public wcs::CycleSearch {
 public:
  explicit ReferenceSearch(std::string truth_table_path) : truth_table_path_(std::move(truth_table_path)) {}

  void prepare(const wcs::Problem&, const wcs::SolveOptions&) override {
    table_.reset();
    if (!truth_table_path_.empty()) table_ = std::make_unique<wcs::TruthTableWriter>(truth_table_path_);
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const std::uint64_t lines = (std::uint64_t{1} << n) - 1;

    // Pass 1: the list of every combination in line order (coefficient 0 is the
    // most significant bit of the line), stored as one selection bit per
    // coefficient (bit i = coefficient i: 4 bytes a line, so N = 30 fits in
    // memory), then the list of every result.
    std::vector<std::uint32_t> combinations;
    combinations.reserve(lines);
    for (std::uint64_t line = 1; line <= lines; ++line) {
      if ((line & 0xfffff) == 0) wcs::poll_stop();  // every 2^20 lines: Ctrl-C in Python
      std::uint32_t selected = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (wcs::line_selects(line, n, i)) selected |= std::uint32_t{1} << i;
      combinations.push_back(selected);
    }
    std::vector<double> results;
    results.reserve(lines);
    for (const std::uint32_t selected : combinations) {
      if ((results.size() & 0xfffff) == 0) wcs::poll_stop();
      results.push_back(wcs::line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((selected >> i) & 1u); }));
    }

    // Pass 2: the winner (smallest error, then larger result, then smaller line:
    // scanning in line order, only a strictly better line replaces the winner).
    std::uint64_t best = 0;
    double best_error = std::fabs(results[0] - in.target);
    bool all_below = true;
    for (std::uint64_t k = 0; k < lines; ++k) {
      if ((k & 0xfffff) == 0) wcs::poll_stop();
      const double error = std::fabs(results[k] - in.target);
      if (wcs::ranks_before(error, results[k], best_error, results[best])) {
        best = k;
        best_error = error;
      }
      all_below = all_below && results[k] < in.target;
    }

    if (table_) {
      table_->begin_cycle(in.cycle, in.w, in.wpn);
      for (std::uint64_t k = 0; k < lines; ++k) table_->row(k + 1, n, results[k], in.target, k == best);
    }

    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_mask(combinations[best], n);
    out.result = results[best];
    out.all_below_target = all_below;
    out.evaluations = lines;
    return out;
  }

  void finish(wcs::SolveResult&) override {
    if (table_) table_->finish();
    table_.reset();
  }

 private:
  std::string truth_table_path_;
  std::unique_ptr<wcs::TruthTableWriter> table_;
};

void register_reference(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "reference";
  info.family = wcs::Family::identical;
  info.description = "faithful port of the original: lists all 2^N-1 combinations and their results, then picks the winner";
  info.max_n = kMaxN;
  info.memory_bytes = [](std::size_t n, const wcs::Options&) { return wcs::pow2_bytes(n, 12); };  // both lists
  info.options = {wcs::OptionSpec::text("truth_table", "", "CSV file for the truth table (one row per line per cycle); empty: off")};
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return wcs::make_cycle_strategy(std::make_unique<ReferenceSearch>(options.text("truth_table")));
  });
}

}  // namespace

WCS_PLUGIN(register_reference)

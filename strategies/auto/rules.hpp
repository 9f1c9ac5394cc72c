// The rule of `auto` as data: which strategy (with which options) solves a problem
// of N coefficients, and the lookup that applies it to what is registered.
#pragma once
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "wcs/registry.hpp"

namespace wcs::autorule {

inline constexpr std::size_t kAnyN = std::numeric_limits<std::size_t>::max();

/// One row: use `strategy` with `options` while N <= max_n. `exact` rows name
/// strategies of the identical family, the others converging ones.
struct Rule {
  std::size_t max_n;
  std::string strategy;
  std::map<std::string, std::string> options;
  bool exact;
};

/// The rule, in order of preference: the first row whose max_n is at least N and
/// whose strategy is registered and accepts N wins. Exact strategies come first,
/// while they are fast; converging ones take over above. Limits are first guesses
/// from the catalogue's complexities (2^N lines per cycle for enumeration,
/// 2^(N/2) for mitm), to be tuned from the measured tables under results/.
inline const std::vector<Rule>& rules() {
  static const std::vector<Rule> table = {
      // Tiny N: one allocation-free pass over <= 4095 lines beats sorting two halves.
      {12, "simd-highway", {}, true},
      {12, "simd-xsimd", {}, true},
      {12, "fused", {}, true},
      {12, "gray", {}, true},
      // Up to ~50: meet in the middle, 2 x 2^25 sums per cycle at the top.
      {50, "mitm", {}, true},
      // Without mitm: full enumeration while a cycle stays around a second or less.
      {26, "parallel", {}, true},
      {24, "simd-highway", {}, true},
      {24, "simd-xsimd", {}, true},
      {22, "fused", {}, true},
      {22, "gray", {}, true},
      {20, "lazy", {}, true},
      {20, "reference", {}, true},
      // Above: converging strategies, O(N^2) per cycle while that stays cheap, then O(N).
      {200, "greedy", {{"pair_flips", "true"}}, false},
      {kAnyN, "sampling", {}, false},
      {kAnyN, "greedy", {}, false},
  };
  return table;
}

/// The first row of `table` that fits N with what `registry` holds, or nullptr.
/// A row fits when N <= max_n, its strategy is registered, and the strategy's own
/// max_n admits N.
inline const Rule* choose(const std::vector<Rule>& table, const Registry& registry, std::size_t n) {
  for (const Rule& rule : table) {
    if (n > rule.max_n) continue;
    const StrategyInfo* info = registry.find(rule.strategy);
    if (info == nullptr || n > info->max_n) continue;
    return &rule;
  }
  return nullptr;
}

}  // namespace wcs::autorule

// The rule of `auto` as data: a decision tree over the features of features.hpp whose
// leaves are plans (strategies to try in order until one reaches the tolerance). The
// tree and the plans are fitted from the committed experiment
// experiments/auto-fit.yaml by tools/fit-auto.py, which writes fitted_rule.hpp;
// nothing here is tuned by hand.
#pragma once
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "features.hpp"
#include "wcs/format.hpp"

namespace wcs::autorule {

inline constexpr std::size_t kAnyN = std::numeric_limits<std::size_t>::max();

/// One attempt of a plan: a strategy with options ("k=v,k=v"), used while N <= max_n
/// (the largest N the suite ran it at when the suite capped it; kAnyN otherwise),
/// stopped after `cycles` cycles when that is above 0 and below the problem's budget.
/// A cycle does not depend on the budget, so an attempt stopped early that reaches the
/// tolerance gives the answer of the same strategy run whole; one that does not costs
/// only its few cycles before the plan goes on.
struct Attempt {
  const char* strategy;
  const char* options;
  std::size_t max_n;
  long long cycles;
};

/// A plan: the attempts kAttempts[kSteps[first]], ..., kAttempts[kSteps[first + count - 1]],
/// in order.
struct Plan {
  int first;
  int count;
};

/// A node of the tree: an inner node sends a problem to `below` when its feature is
/// <= threshold (and to `above` otherwise, NaN included); a leaf (feature < 0) names
/// its plan.
struct Node {
  int feature;
  double threshold;
  int below, above;
  int plan;
};

}  // namespace wcs::autorule

#include "fitted_rule.hpp"

namespace wcs::autorule {

/// Options written "k=v,k=v" (an attempt's options, the note chose_options) as a
/// map; an item without '=' is skipped.
inline std::map<std::string, std::string> options_of(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const std::string& kv : wcs::split_list(text)) {
    const std::size_t eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

/// The options of an attempt as a map.
inline std::map<std::string, std::string> attempt_options(const Attempt& a) { return options_of(a.options); }

/// "greedy" or "greedy{pair_flips=true}", as experiment labels name them, with
/// "@K" for an attempt stopped after K cycles (as tools/fit-auto.py names it).
inline std::string attempt_label(const Attempt& a) {
  std::string label = *a.options ? fmt::format("{}{{{}}}", a.strategy, a.options) : std::string(a.strategy);
  return a.cycles > 0 ? fmt::format("{}@{}", label, a.cycles) : label;
}

/// The leaf of the fitted tree for the features `value(f)` gives (an index into kTree).
template <class Value>
int leaf_of_values(Value&& value) {
  int at = 0;
  while (kTree[at].feature >= 0) {
    const Node& node = kTree[at];
    at = value(node.feature) <= node.threshold ? node.below : node.above;
  }
  return at;
}

/// The leaf of the fitted tree for `f` (an index into kTree).
inline int leaf_of(const Features& f) {
  return leaf_of_values([&](int feature) { return f[feature]; });
}

/// The leaf of the fitted tree for `p`, and its features in `f`: n and the budget
/// always, the others only when the path to the leaf asks for them or `all` is set
/// (else left at 0): rel_tol and inside take a pass over the coefficients, the span
/// another one that reads every value's bits.
inline int leaf_of(const Problem& p, Features& f, bool all) {
  f = Features{};
  f.value[kN] = static_cast<double>(p.n());
  f.value[kBudget] = static_cast<double>(p.max_iter);
  bool pass = false, span = false;
  auto need = [&](int feature) {
    if ((feature == kRelTol || feature == kInside) && !pass) {
      const Features g = features_but_span(p);
      f.value[kRelTol] = g[kRelTol];
      f.value[kInside] = g[kInside];
      pass = true;
    }
    if (feature == kSpan && !span) {
      f.value[kSpan] = span_of(p);
      span = true;
    }
  };
  if (all) {
    need(kRelTol);
    need(kSpan);
  }
  return leaf_of_values([&](int feature) {
    need(feature);
    return f[feature];
  });
}

/// The path from the root to `leaf`, as text ("n <= 26.83, span > 4096 -> plan 3 (leaf 5)").
inline std::string rule_text(int leaf) {
  std::vector<std::string> steps;
  for (int at = leaf; at != 0;) {
    int parent = 0;
    while (kTree[parent].below != at && kTree[parent].above != at) ++parent;
    const Node& node = kTree[parent];
    steps.push_back(
        fmt::format("{} {} {:.4g}", kFeatureNames[node.feature], node.below == at ? "<=" : ">", node.threshold));
    at = parent;
  }
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) out += (out.empty() ? "" : ", ") + *it;
  return fmt::format("{} -> plan {} (leaf {})", out.empty() ? std::string("(every problem)") : out, kTree[leaf].plan,
                     leaf);
}

}  // namespace wcs::autorule

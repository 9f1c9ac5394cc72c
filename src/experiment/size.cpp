// The size of a plan before anything is read or expanded: the runs and coefficients
// from the sizes of the sweeps alone (a list's length; a scalar is one), checked
// against the limits and the memory this process may allocate. A small file can make
// every sweep large through aliases (a list of a million aliases, an anchored params
// map repeated in every strategy entry); counted here, it is refused in milliseconds.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

#include "experiment/checker.hpp"
#include "wcs/memory.hpp"

namespace wcs::experiment {

namespace {

// The entries of a sweep: a list's length, one for anything else (what is wrong with a
// value is reported when it is read).
std::uint64_t sweep(const YAML::Node& n) { return n && n.IsSequence() && n.size() > 0 ? n.size() : 1; }

// A problem entry's field, else the default's.
YAML::Node field(const YAML::Node& entry, const YAML::Node& defaults, const char* key) {
  if (const YAML::Node n = entry[key]) return n;
  if (defaults && defaults.IsMap())
    if (const YAML::Node n = defaults[key]) return n;
  return YAML::Node();
}

// A count for messages: a saturated one (past 2^64 - 1) as such.
std::string count_text(std::uint64_t v) {
  return v == std::numeric_limits<std::uint64_t>::max() ? "more than 10^19" : std::to_string(v);
}

// The configurations of the strategies: each entry the product of its params' sweeps.
// False, with the error, beyond kMaxRuns.
bool count_configs(Checker& c, const YAML::Node& strategies, std::uint64_t& configs) {
  if (!strategies || !strategies.IsSequence()) return true;
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    const YAML::Node e = strategies[i];
    std::uint64_t product = 1;
    if (e.IsMap())
      if (const YAML::Node p = e["params"]; p && p.IsMap())
        for (auto it = p.begin(); it != p.end(); ++it) product = mul_bytes(product, sweep(it->second));
    configs = add_bytes(configs, product);
    if (configs > kMaxRuns) {
      c.error(e, fmt::format("strategies[{}]", i),
              fmt::format("the strategies and their params sweeps give {} configurations up to here, above the "
                          "limit of {} runs (nothing was expanded)",
                          count_text(configs), kMaxRuns));
      return false;
    }
  }
  return true;
}

// The sum of a problem's sizes n (unreadable ones count as one, larger ones as kMaxN;
// they are reported when read).
std::uint64_t sum_of_n(const YAML::Node& n) {
  auto one = [](const YAML::Node& x) -> std::uint64_t {
    if (!x.IsScalar()) return 1;
    const auto v = to_integer(x.Scalar());
    // Beyond kMaxN the entry is refused when read, with its position.
    return v && *v > 0 ? std::min(static_cast<std::uint64_t>(*v), std::uint64_t{kMaxN}) : 1;
  };
  if (!n.IsSequence()) return one(n);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n.size(); ++i) sum = add_bytes(sum, one(n[i]));
  return sum;
}

// Bytes of the plan: each run (its key, id, label, options; measured at about 1.6 KB
// with a few options) and each coefficient (the instance's, and its identity text).
constexpr std::uint64_t kRunBytes = 2048;
constexpr std::uint64_t kCoefficientBytes = 32;

}  // namespace

bool check_size(Checker& c, const YAML::Node& root) {
  std::uint64_t configs = 0;
  if (!count_configs(c, root["strategies"], configs)) return false;
  const YAML::Node problems = root["problems"];
  if (!problems || !problems.IsSequence()) return true;
  const YAML::Node defaults = root["defaults"];
  std::uint64_t runs = 0, coefficients = 0;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const YAML::Node e = problems[i];
    if (!e.IsMap()) continue;
    const std::string path = fmt::format("problems[{}]", i);
    // Instances of one size: seeds x max_iter x tolerance.
    const std::uint64_t per_size =
        mul_bytes(mul_bytes(sweep(field(e, defaults, "seeds")), sweep(field(e, defaults, "max_iter"))),
                  sweep(field(e, defaults, "tolerance")));
    const YAML::Node co = e["coefficients"], n = e["n"];
    const std::uint64_t sizes = co ? 1 : sweep(n);
    runs = add_bytes(runs, mul_bytes(mul_bytes(per_size, sizes), std::max<std::uint64_t>(configs, 1)));
    if (runs > kMaxRuns) {
      c.error(e, path,
              fmt::format("the plan reaches {} runs here, above the limit of {} ({} strategy configuration(s) times "
                          "each problem's sizes x seeds x max_iter x tolerance; nothing was expanded)",
                          count_text(runs), kMaxRuns, configs));
      return false;
    }
    // Only now the n are read: fewer than the runs counted.
    const std::uint64_t size_sum = co ? (co.IsSequence() ? co.size() : 1) : n ? sum_of_n(n) : 0;
    coefficients = add_bytes(coefficients, mul_bytes(per_size, size_sum));
    if (coefficients > kMaxCoefficients) {
      c.error(e, path,
              fmt::format("the plan's problems reach {} coefficients here, above the limit of {} (nothing was "
                          "generated)",
                          count_text(coefficients), kMaxCoefficients));
      return false;
    }
  }
  const std::uint64_t bytes = add_bytes(mul_bytes(runs, kRunBytes), mul_bytes(coefficients, kCoefficientBytes));
  if (bytes > (std::uint64_t{256} << 20)) {
    const std::uint64_t available = available_memory_bytes();
    if (bytes > available) {
      c.error(root, "problems",
              fmt::format("the plan of {} runs and {} coefficients needs {}, {} available (nothing was expanded)", runs,
                          coefficients, gigabytes(bytes), gigabytes(available)));
      return false;
    }
  }
  return true;
}

}  // namespace wcs::experiment

// Experiment file -> plan. Every check collects a message with the YAML position
// (checker.hpp) instead of stopping, so one pass reports every problem of the file.
// The seams: settings and strategies are read first, then each problem entry is
// read (read_problem), checked against the limits (within_limits) and expanded into
// instances and runs (expand, add_runs); estimates and baseline last.
#include "experiment/plan.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "experiment/checker.hpp"
#include "experiment/generators.hpp"
#include "wcs/format.hpp"
#include "wcs/hash.hpp"
#include "wcs/memory.hpp"

#ifndef WCS_VERSION
#define WCS_VERSION "unknown"
#endif

namespace wcs::experiment {

namespace {

// Settings that defaults give and problem or strategy entries may override.
struct Settings {
  Timing timing;
  std::vector<long long> max_iter{32};
  std::vector<double> tolerance{0.0};
  std::vector<std::uint64_t> seeds{1};
  double initial_wpn = 1.0;
  double wpn_lo = -std::numeric_limits<double>::infinity(), wpn_hi = std::numeric_limits<double>::infinity();
};

void read_timing(Checker& c, const YAML::Node& map, const std::string& path, Timing& t) {
  if (auto n = map["repetitions"])
    if (auto v = c.integer(n, path + "repetitions", 1, kMaxRepetitions)) t.repetitions = static_cast<int>(*v);
  if (auto n = map["iterations"]) if (auto v = c.integer(n, path + "iterations", 0, kMaxIterations)) t.iterations = *v;
  if (auto n = map["min_time"]) {
    if (auto v = c.number(n, path + "min_time")) {
      if (*v <= 0) c.error(n, path + "min_time", format_number(*v) + " is not > 0 (seconds)");
      else if (*v > kMaxMinTime) c.error(n, path + "min_time", fmt::format("{} is above {} seconds", format_number(*v), kMaxMinTime));
      else t.min_time = *v;
    }
  }
}

void read_settings(Checker& c, const YAML::Node& map, const std::string& path, Settings& s) {
  read_timing(c, map, path, s.timing);
  if (auto n = map["max_iter"])
    if (auto v = c.list<long long>(n, path + "max_iter", [&](const YAML::Node& x, const std::string& k) { return c.integer(x, k, 1); }))
      s.max_iter = *v;
  if (auto n = map["tolerance"]) {
    auto v = c.list<double>(n, path + "tolerance", [&](const YAML::Node& x, const std::string& k) {
      auto d = c.number(x, k);
      if (d && *d < 0) { c.error(x, k, format_number(*d) + " is negative"); return std::optional<double>{}; }
      return d;
    });
    if (v) s.tolerance = *v;
  }
  if (auto n = map["seeds"]) {
    auto v = c.list<std::uint64_t>(n, path + "seeds", [&](const YAML::Node& x, const std::string& k) { return c.seed(x, k); });
    if (v) s.seeds = *v;
  }
  if (auto n = map["initial_wpn"]) if (auto v = c.number(n, path + "initial_wpn")) s.initial_wpn = *v;
  if (auto n = map["wpn_bounds"]) {
    auto v = c.list<double>(n, path + "wpn_bounds", [&](const YAML::Node& x, const std::string& k) { return c.number(x, k, false); });
    if (v && v->size() != 2) c.error(n, path + "wpn_bounds", "needs two values [lo, hi]");
    else if (v) { s.wpn_lo = (*v)[0]; s.wpn_hi = (*v)[1]; }
  }
}

// One params combination of a strategy entry.
struct Config {
  std::string label;
  std::map<std::string, std::string> params, options;
  Options resolved;  // for the strategy's memory estimate
};

struct StrategyEntry {
  const StrategyInfo* info = nullptr;
  std::vector<Config> configs;
  std::size_t max_n = SIZE_MAX;
  Timing timing;
  bool trace = false;
  YAML::Mark mark;
  std::string path;  // "strategies[2]"
};

// The run of the plan whose strategy estimates the most memory (StrategyInfo::
// memory_bytes), checked against the machine once the plan is expanded.
struct LargestNeed {
  std::uint64_t bytes = 0;
  const StrategyEntry* entry = nullptr;
  std::string label;
  std::size_t n = 0;
};

const std::vector<std::string> kTopKeys{"name", "description", "defaults", "problems", "strategies", "estimates", "baseline"};
const std::vector<std::string> kDefaultKeys{"repetitions", "min_time", "iterations", "max_iter", "tolerance", "seeds",
                                            "initial_wpn", "wpn_bounds"};
const std::vector<std::string> kFixedKeys{"name", "coefficients", "target", "tolerance", "max_iter", "seeds",
                                          "initial_wpn", "wpn_bounds", "trace"};
const std::vector<std::string> kGeneratorKeys{"name", "generator", "low", "high", "sign", "n", "target", "tolerance",
                                              "max_iter", "seeds", "initial_wpn", "wpn_bounds", "trace"};
const std::vector<std::string> kTargetKeys{"rule", "fraction", "low", "high"};
const std::vector<std::string> kStrategyKeys{"name", "params", "max_n", "repetitions", "min_time", "iterations", "trace"};
const std::vector<std::string> kEstimateKeys{"source", "problem", "entries"};
const std::vector<std::string> kEntryKeys{"problem", "label", "n", "ms"};

std::vector<StrategyEntry> read_strategies(Checker& c, const YAML::Node& list, const Registry& registry, const Timing& timing) {
  std::vector<StrategyEntry> out;
  if (!list.IsSequence() || list.size() == 0) {
    c.error(list, "strategies", "expected a non-empty list of {name, params, max_n}");
    return out;
  }
  std::set<std::string> labels;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node e = list[i];
    const std::string path = fmt::format("strategies[{}]", i);
    if (!c.keys(e, path, kStrategyKeys)) continue;
    StrategyEntry s;
    s.mark = e.Mark();
    s.path = path;
    s.timing = timing;
    read_timing(c, e, path + ".", s.timing);
    if (auto m = e["max_n"]) if (auto v = c.integer(m, path + ".max_n", 1)) s.max_n = static_cast<std::size_t>(*v);
    if (auto t = e["trace"]) if (auto v = c.boolean(t, path + ".trace")) s.trace = *v;
    const YAML::Node name = e["name"];
    if (!name) { c.error(e, path + ".name", "missing (the strategy to run, see `wcs list`)"); continue; }
    auto n = c.text(name, path + ".name");
    if (!n) continue;
    try {
      s.info = &registry.get(*n);
    } catch (const InputError& err) {
      c.error(name, path + ".name", err.what());
      continue;
    }
    // Params: each value a scalar or a list; the runs sweep the Cartesian product.
    std::vector<std::pair<std::string, std::vector<std::string>>> axes;
    std::vector<YAML::Mark> marks;
    bool ok = true;
    if (const YAML::Node p = e["params"]) {
      if (!p.IsMap()) { c.error(p, path + ".params", "expected a mapping option: value or option: [values]"); continue; }
      for (auto it = p.begin(); it != p.end(); ++it) {
        const std::string key = it->first.Scalar();
        auto vals = c.list<std::string>(it->second, path + ".params." + key, [&](const YAML::Node& x, const std::string& k) {
          auto v = c.text(x, k);
          // A file the run writes: a plain name, the file goes under the results folder.
          if (v && key == "truth_table" && !v->empty() && !plain_file_name(*v)) {
            c.error(x, k, "'" + *v + "' is not a plain file name (no '/', '.' or '..'; the file goes under the results folder)");
            return std::optional<std::string>{};
          }
          return v;
        });
        if (!vals) { ok = false; continue; }
        axes.emplace_back(key, *vals);
        marks.push_back(it->first.Mark());
      }
    }
    if (!ok) continue;
    // Unknown options first, once per key, at the key's position.
    for (std::size_t a = 0; a < axes.size(); ++a) {
      bool known = false;
      for (const auto& spec : s.info->options) known = known || spec.name == axes[a].first;
      if (!known) {
        try { resolve_options(s.info->name, s.info->options, {{axes[a].first, axes[a].second.front()}}); }
        catch (const InputError& err) { c.error(marks[a], path + ".params." + axes[a].first, err.what()); }
        ok = false;
      }
    }
    if (!ok) continue;
    std::uint64_t product = 1;
    for (const auto& axis : axes) product = mul_bytes(product, axis.second.size());
    if (product > kMaxRuns) {
      c.error(e["params"], path + ".params", fmt::format("{} combinations of params, above the limit of {} runs", product, kMaxRuns));
      continue;
    }
    std::vector<std::size_t> pos(axes.size(), 0);
    std::set<std::string> bad;
    for (;;) {
      std::map<std::string, std::string> given;
      for (std::size_t a = 0; a < axes.size(); ++a) given[axes[a].first] = axes[a].second[pos[a]];
      try {
        Options o = resolve_options(s.info->name, s.info->options, given);
        Config cfg;
        cfg.options = o.canonical();
        cfg.resolved = o;
        for (const auto& [k, v] : given) cfg.params[k] = cfg.options.at(k);
        cfg.label = s.info->name;
        if (!cfg.params.empty()) {
          std::vector<std::string> kv;
          for (const auto& [k, v] : cfg.params) kv.push_back(k + "=" + v);
          cfg.label += "{" + join(kv, ",") + "}";
        }
        if (!labels.insert(cfg.label).second)
          c.error(e, path, "'" + cfg.label + "' is listed twice (same strategy and params)");
        else
          s.configs.push_back(std::move(cfg));
      } catch (const InputError& err) {
        if (bad.insert(err.what()).second) c.error(e["params"], path + ".params", err.what());
      }
      std::size_t a = 0;
      while (a < axes.size() && ++pos[a] == axes[a].second.size()) pos[a++] = 0;
      if (a == axes.size()) break;
    }
    out.push_back(std::move(s));
  }
  return out;
}

// FNV-1a over an identity text that is never built: each field is hashed as
// "name length:value\n", length-prefixed so no value can imitate another field.
class Identity {
 public:
  void field(std::string_view name, std::string_view value) {
    add(name);
    add(" ");
    add(std::to_string(value.size()));
    add(":");
    add(value);
    add("\n");
  }
  std::string hex() const { return h_.hex(); }

 private:
  void add(std::string_view bytes) { h_.add(bytes); }
  Fnv1a64 h_;
};

// Everything of an instance that determines a run's result, hashed.
std::string instance_identity(const Instance& inst) {
  const Problem& p = inst.problem_data;
  Identity id;
  id.field("generator", inst.generator);
  id.field("seed", std::to_string(inst.seed));
  std::string coefficients;
  coefficients.reserve(p.coefficients.size() * 8);
  for (double a : p.coefficients) {
    coefficients += format_number(a);
    coefficients += ';';
  }
  id.field("coefficients", coefficients);
  id.field("target", format_number(p.target));
  id.field("tolerance", format_number(p.tolerance));
  id.field("max_iter", std::to_string(p.max_iter));
  id.field("initial_wpn", format_number(p.initial_wpn));
  id.field("wpn_bounds", format_number(p.wpn_lo) + "," + format_number(p.wpn_hi));
  return id.hex();
}

// Everything that determines a run's result, hashed: the run id.
std::string run_identity(const Run& r, const std::string& instance_hash, const std::string& version) {
  Identity id;
  id.field("wcs", version);
  id.field("key", r.key);
  id.field("instance", instance_hash);
  id.field("strategy", r.strategy);
  id.field("strategy_version", r.strategy_version);
  for (const auto& [k, v] : r.options) {
    id.field("option", k);
    id.field("value", v);
  }
  id.field("repetitions", std::to_string(r.timing.repetitions));
  id.field("min_time", format_number(r.timing.min_time));
  id.field("iterations", std::to_string(r.timing.iterations));
  id.field("skip", r.skip_reason);
  return id.hex();
}

}  // namespace

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 100 || s[0] == '.') return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) return false;
  return true;
}

bool plain_file_name(const std::string& s) {
  if (s.empty() || s.size() > 200 || s[0] == '.' || invalid_text_at(s) != std::string::npos) return false;
  return s.find('/') == std::string::npos && s.find('\\') == std::string::npos;
}

std::string wcs_version() { return WCS_VERSION; }

std::string fnv1a_hex(const std::string& bytes) { return fnv1a64_hex(bytes); }

std::vector<const Run*> shard_runs(const Plan& plan, std::size_t shard, std::size_t count) {
  std::vector<const Run*> out;
  for (const auto& r : plan.runs)
    if (r.index % count == shard) out.push_back(&r);
  return out;
}

Plan load_plan(const std::string& path, const Registry& registry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ExperimentError({path + ": cannot read the experiment file"});
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes)
    throw ExperimentError({fmt::format("{}: the experiment file is larger than {} bytes", path, kMaxFileBytes)});
  return parse_plan(text, path, registry);
}

namespace {

// The N an experiment may ask for: at most kMaxN, and at most the largest max_n of the
// listed strategies (beyond it the plan would hold nothing but skips).
struct SizeLimit {
  std::size_t largest = 0;  // the largest max_n of a listed strategy
  std::string largest_name;
  bool any = false;         // strategies were listed (and read)

  explicit SizeLimit(const std::vector<StrategyEntry>& strategies) : any(!strategies.empty()) {
    for (const auto& st : strategies)
      if (st.info->max_n >= largest) {
        largest = st.info->max_n;
        largest_name = st.info->name;
      }
  }

  bool check(Checker& c, const YAML::Mark& m, const std::string& key, std::size_t n) const {
    if (n > kMaxN) {
      c.error(m, key, fmt::format("N = {} is above the largest N of an experiment ({})", n, kMaxN));
      return false;
    }
    if (any && n > largest) {
      c.error(m, key, fmt::format("N = {} is above the max_n of every listed strategy (the largest: {} of '{}')", n, largest,
                                  largest_name));
      return false;
    }
    return true;
  }
};

// One entry of `problems:`, read and checked; nothing generated yet.
struct ProblemEntry {
  std::string path;  // "problems[2]", for messages
  YAML::Node node;
  std::string name;
  bool fixed = false;                 // coefficients given, not generated
  Settings settings;
  bool trace = false;
  std::vector<double> coefficients;   // fixed
  std::vector<std::size_t> sizes;     // the N to plan
  CoefficientRule rule;               // generated
  TargetRule target_rule;
  std::optional<double> target;       // a number given (fixed, or a generator's fixed target)
  std::string generator = "fixed";
};

// A problem entry (`names` collects the problem names, for duplicates and
// estimates); nullopt when it has errors (reported).
std::optional<ProblemEntry> read_problem(Checker& c, const YAML::Node& e, const std::string& path, const Settings& defaults,
                                         const SizeLimit& limit, std::set<std::string>& names) {
  ProblemEntry p;
  p.path = path;
  p.node = e;
  p.fixed = e.IsMap() && e["coefficients"];
  if (!c.keys(e, path, p.fixed ? kFixedKeys : kGeneratorKeys)) return std::nullopt;
  const std::size_t errors_before = c.count;
  if (auto n = e["name"]) {
    if (auto v = c.text(n, path + ".name")) {
      if (!valid_name(*v)) c.error(n, path + ".name", "'" + *v + "' must be letters, digits, '-', '_' or '.', not starting with '.'");
      else if (!names.insert(*v).second) c.error(n, path + ".name", "'" + *v + "' is used twice");
      p.name = *v;
    }
  } else {
    c.error(e, path + ".name", "missing");
  }
  p.settings = defaults;
  read_settings(c, e, path + ".", p.settings);
  if (auto t = e["trace"]) if (auto v = c.boolean(t, path + ".trace")) p.trace = *v;

  // Coefficients: a fixed list, or a generator over n.
  if (p.fixed) {
    const YAML::Node co = e["coefficients"];
    if (!co.IsSequence() || co.size() == 0) {
      c.error(co, path + ".coefficients", "expected a non-empty list of numbers");
    } else if (limit.check(c, co.Mark(), path + ".coefficients", co.size())) {
      for (std::size_t i = 0; i < co.size(); ++i)
        if (auto v = c.number(co[i], fmt::format("{}.coefficients[{}]", path, i))) p.coefficients.push_back(*v);
      p.sizes.push_back(co.size());
    }
    if (auto t = e["target"]) p.target = c.number(t, path + ".target");
    else c.error(e, path + ".target", "missing");
  } else {
    const YAML::Node g = e["generator"];
    if (!g) {
      c.error(e, path, "needs either coefficients (a fixed case) or generator (uniform_int, uniform_real)");
    } else if (auto v = c.text(g, path + ".generator")) {
      if (*v != "uniform_int" && *v != "uniform_real")
        c.error(g, path + ".generator", "unknown generator '" + *v + "' (valid: uniform_int, uniform_real)");
      p.rule.kind = p.generator = *v;
    }
    if (auto n = e["low"]) if (auto v = c.number(n, path + ".low")) p.rule.low = *v;
    if (auto n = e["high"]) if (auto v = c.number(n, path + ".high")) p.rule.high = *v;
    if (p.rule.kind == "uniform_int" && (p.rule.low != std::floor(p.rule.low) || p.rule.high != std::floor(p.rule.high) ||
                                       std::abs(p.rule.low) > 1e15 || std::abs(p.rule.high) > 1e15))
      c.error(e, path + ".low", "uniform_int needs integer low and high (|x| <= 1e15)");
    if (p.rule.low > p.rule.high || (p.rule.kind == "uniform_real" && p.rule.low == p.rule.high))
      c.error(e, path + ".high", fmt::format("high {} must be above low {}", format_number(p.rule.high), format_number(p.rule.low)));
    if (auto n = e["sign"]) {
      if (auto v = c.text(n, path + ".sign")) {
        if (*v == "mixed") p.rule.mixed_sign = true;
        else if (*v != "positive") c.error(n, path + ".sign", "unknown sign '" + *v + "' (valid: positive, mixed)");
      }
    }
    if (auto n = e["n"]) {
      auto v = c.list<long long>(n, path + ".n", [&](const YAML::Node& x, const std::string& k) {
        auto i = c.integer(x, k, 1);
        if (i && !limit.check(c, x.Mark(), k, static_cast<std::size_t>(*i))) return std::optional<long long>{};
        return i;
      });
      if (v) for (auto x : *v) p.sizes.push_back(static_cast<std::size_t>(x));
    } else {
      c.error(e, path + ".n", "missing (the sizes to generate, a number or a list)");
    }
    const YAML::Node t = e["target"];
    if (!t) {
      c.error(e, path + ".target", "missing (a number, or {rule: fraction_of_sum|subset_sum|random})");
    } else if (t.IsScalar()) {
      p.target = c.number(t, path + ".target");
    } else if (c.keys(t, path + ".target", kTargetKeys)) {
      const YAML::Node r = t["rule"];
      if (!r) c.error(t, path + ".target.rule", "missing (fraction_of_sum, subset_sum or random)");
      else if (auto v = c.text(r, path + ".target.rule")) {
        if (*v != "fraction_of_sum" && *v != "subset_sum" && *v != "random")
          c.error(r, path + ".target.rule", "unknown rule '" + *v + "' (valid: fraction_of_sum, subset_sum, random)");
        p.target_rule.kind = *v;
      }
      if (auto n = t["fraction"]) if (auto v = c.number(n, path + ".target.fraction")) p.target_rule.fraction = *v;
      if (auto n = t["low"]) if (auto v = c.number(n, path + ".target.low")) p.target_rule.low = *v;
      if (auto n = t["high"]) if (auto v = c.number(n, path + ".target.high")) p.target_rule.high = *v;
      if (p.target_rule.kind == "random" && !(p.target_rule.low < p.target_rule.high))
        c.error(t, path + ".target", "random needs low < high");
    }
  }
  if (c.count != errors_before) return std::nullopt;
  return p;
}

// Runs and coefficients of the plan so far, against kMaxRuns and kMaxCoefficients.
struct Totals {
  std::uint64_t runs = 0, coefficients = 0;
};

// Adds what `p` will plan (before anything is generated); false, with the error, when
// the plan goes over a limit.
bool within_limits(Checker& c, const ProblemEntry& p, std::size_t configs, Totals& totals) {
  const Settings& s = p.settings;
  const std::uint64_t per_size = mul_bytes(mul_bytes(s.seeds.size(), s.max_iter.size()), s.tolerance.size());
  for (std::size_t n : p.sizes) {
    totals.runs = add_bytes(totals.runs, mul_bytes(per_size, configs));
    totals.coefficients = add_bytes(totals.coefficients, mul_bytes(per_size, n));
  }
  if (totals.runs > kMaxRuns) {
    c.error(p.node, p.path, fmt::format("the plan reaches {} runs here, above the limit of {}", totals.runs, kMaxRuns));
    return false;
  }
  if (totals.coefficients > kMaxCoefficients) {
    c.error(p.node, p.path, fmt::format("the plan's problems reach {} coefficients here, above the limit of {}",
                                        totals.coefficients, kMaxCoefficients));
    return false;
  }
  return true;
}

// The runs of one instance: every strategy configuration, skipped beyond a max_n.
void add_runs(Checker& c, const ProblemEntry& p, const std::vector<StrategyEntry>& strategies, std::size_t instance,
              Plan& plan, std::set<std::string>& run_keys, LargestNeed& need) {
  const Instance& inst = plan.instances[instance];
  const std::size_t n = inst.problem_data.n();
  const std::string instance_hash = instance_identity(inst);
  for (const auto& st : strategies)
    for (const auto& cfg : st.configs) {
      Run r;
      r.index = plan.runs.size();
      r.key = inst.key + "/" + cfg.label;
      r.instance = instance;
      r.strategy = st.info->name;
      r.strategy_version = st.info->identity;
      r.label = cfg.label;
      r.params = cfg.params;
      r.options = cfg.options;
      r.family = family_name(st.info->family);
      r.timing = st.timing;
      r.trace = p.trace || st.trace;
      if (n > st.info->max_n)
        r.skip_reason = fmt::format("N={} is above the largest N strategy '{}' accepts (max_n {})", n, st.info->name,
                                    st.info->max_n);
      else if (n > st.max_n)
        r.skip_reason = fmt::format("N={} is above max_n {} set for '{}' in the experiment", n, st.max_n, cfg.label);
      else if (st.info->memory_bytes)
        if (const std::uint64_t bytes = st.info->memory_bytes(n, cfg.resolved); bytes > need.bytes)
          need = {bytes, &st, cfg.label, n};
      r.id = run_identity(r, instance_hash, plan.wcs_version);
      if (!run_keys.insert(r.key).second)
        c.error(p.node, p.path, "run '" + r.key + "' appears twice (repeated n, seed, max_iter or tolerance)");
      plan.runs.push_back(std::move(r));
    }
}

// The instances of a problem entry, n x seeds x max_iter x tolerance in that order,
// each with its runs (`seeds` collects the seeds used).
void expand(Checker& c, const ProblemEntry& p, const std::vector<StrategyEntry>& strategies, Plan& plan,
            std::set<std::uint64_t>& seeds, std::set<std::string>& run_keys, LargestNeed& need) {
  const Settings& s = p.settings;
  bool reported = false;
  for (std::size_t n : p.sizes)
    for (std::uint64_t seed : s.seeds) {
      Problem problem;
      if (p.fixed) {
        problem.coefficients = p.coefficients;
        problem.target = *p.target;
      } else {
        Generated g = generate(p.rule, p.target_rule, n, seed);
        problem.coefficients = std::move(g.coefficients);
        problem.target = p.target ? *p.target : g.target;
      }
      problem.initial_wpn = s.initial_wpn;
      problem.wpn_lo = s.wpn_lo;
      problem.wpn_hi = s.wpn_hi;
      for (long long max_iter : s.max_iter)
        for (double tol : s.tolerance) {
          problem.max_iter = max_iter;
          problem.tolerance = tol;
          try {
            validate(problem);
          } catch (const InputError& err) {
            if (!reported) c.error(p.node, p.path, fmt::format("{} (N={}, seed {})", err.what(), n, seed));
            reported = true;
            continue;
          }
          seeds.insert(seed);
          Instance inst;
          inst.problem = p.name;
          inst.generator = p.generator;
          inst.seed = seed;
          inst.key = fmt::format("{}/n={}/seed={}/max_iter={}/tol={}", p.name, n, seed, max_iter, format_number(tol));
          inst.problem_data = problem;
          plan.instances.push_back(std::move(inst));
          add_runs(c, p, strategies, plan.instances.size() - 1, plan, run_keys, need);
        }
    }
}

// `estimates:`, published figures printed beside measured times.
void read_estimates(Checker& c, const YAML::Node& root, const std::set<std::string>& problem_names, Plan& plan) {
  if (const YAML::Node est = root["estimates"]) {
    if (c.keys(est, "estimates", kEstimateKeys)) {
      if (auto n = est["source"]) if (auto v = c.text(n, "estimates.source")) plan.estimates_source = *v;
      std::string default_problem;
      if (auto n = est["problem"]) if (auto v = c.text(n, "estimates.problem")) default_problem = *v;
      const YAML::Node entries = est["entries"];
      if (!entries || !entries.IsSequence()) c.error(est, "estimates.entries", "expected a list of {label, n, ms}");
      else
        for (std::size_t i = 0; i < entries.size(); ++i) {
          const std::string path = fmt::format("estimates.entries[{}]", i);
          if (!c.keys(entries[i], path, kEntryKeys)) continue;
          Estimate x;
          x.problem = default_problem;
          if (auto n = entries[i]["problem"]) if (auto v = c.text(n, path + ".problem")) x.problem = *v;
          if (auto n = entries[i]["label"]) { if (auto v = c.text(n, path + ".label")) x.label = *v; }
          else c.error(entries[i], path + ".label", "missing");
          if (auto n = entries[i]["n"]) { if (auto v = c.integer(n, path + ".n", 1)) x.n = static_cast<std::size_t>(*v); }
          else c.error(entries[i], path + ".n", "missing");
          if (auto n = entries[i]["ms"]) { if (auto v = c.number(n, path + ".ms")) x.ms = *v; }
          else c.error(entries[i], path + ".ms", "missing (milliseconds)");
          if (!problem_names.contains(x.problem))
            c.error(entries[i], path + ".problem", "'" + x.problem + "' is not a problem of this experiment");
          plan.estimates.push_back(std::move(x));
        }
    }
  }
}

// `baseline:`, the speed-up base where reference did not run: a listed label.
void read_baseline(Checker& c, const YAML::Node& root, const std::vector<StrategyEntry>& strategies, Plan& plan) {
  if (const YAML::Node b = root["baseline"]) {
    if (auto v = c.text(b, "baseline")) {
      std::vector<std::string> labels;
      for (const auto& st : strategies)
        for (const auto& cfg : st.configs) labels.push_back(cfg.label);
      if (std::find(labels.begin(), labels.end(), *v) == labels.end())
        c.error(b, "baseline", "'" + *v + "' is not a strategy of this experiment (valid: " + join(labels, ", ") + ")");
      else
        plan.baseline = *v;
    }
  }
}

}  // namespace

namespace {

// The whole file: its structure, the top-level keys, the plan's size from its sweeps,
// then strategies (their options checked against the registry), problems (each read,
// checked against the limits, then expanded into instances and runs), estimates and
// baseline.
Plan plan_of(Checker& c, const std::string& text, const std::string& file, const Registry& registry) {
  if (text.size() > kMaxFileBytes) c.error(YAML::Mark(), "yaml", fmt::format("the text is larger than {} bytes", kMaxFileBytes));
  if (!c.ok() || !check_structure(c, text)) throw c.failure();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    c.error(e.mark, "yaml", e.msg);
    throw c.failure();
  }
  Plan plan;
  plan.file = file;
  plan.file_hash = "fnv1a64:" + fnv1a_hex(text);
  plan.wcs_version = wcs_version();
  if (!c.keys(root, "", kTopKeys) || !check_size(c, root)) throw c.failure();

  if (auto n = root["name"]) {
    if (auto v = c.text(n, "name")) {
      if (valid_name(*v)) plan.name = *v;
      else c.error(n, "name", "'" + *v + "' must be letters, digits, '-', '_' or '.', not starting with '.' (it names the results folder)");
    }
  } else {
    c.error(root, "name", "missing (names the experiment and its results folder)");
  }
  if (auto n = root["description"]) if (auto v = c.text(n, "description")) plan.description = *v;

  Settings defaults;
  if (auto d = root["defaults"])
    if (c.keys(d, "defaults", kDefaultKeys)) read_settings(c, d, "defaults.", defaults);

  std::vector<StrategyEntry> strategies;
  if (auto s = root["strategies"]) strategies = read_strategies(c, s, registry, defaults.timing);
  else c.error(root, "strategies", "missing (a list of {name, params, max_n})");
  std::size_t configs = 0;
  for (const auto& st : strategies) configs += st.configs.size();
  const SizeLimit limit(strategies);

  Totals totals;
  LargestNeed need;
  std::set<std::uint64_t> seeds;
  std::set<std::string> problem_names, run_keys;
  const YAML::Node problems = root["problems"];
  if (!problems) c.error(root, "problems", "missing (a list of fixed cases or generators)");
  else if (!problems.IsSequence() || problems.size() == 0) c.error(problems, "problems", "expected a non-empty list");
  else
    for (std::size_t pi = 0; pi < problems.size(); ++pi) {
      const auto p = read_problem(c, problems[pi], fmt::format("problems[{}]", pi), defaults, limit, problem_names);
      if (!p) continue;
      if (!within_limits(c, *p, configs, totals)) break;
      expand(c, *p, strategies, plan, seeds, run_keys, need);
    }
  // A run the machine cannot hold is refused with the plan, before anything runs.
  if (need.entry) {
    try {
      check_memory(need.entry->info->name, need.n, need.bytes);
    } catch (const InputError& err) {
      c.error(need.entry->mark, need.entry->path,
              fmt::format("{} (its largest run, '{}' at N = {}; lower the options or N)", err.what(), need.label, need.n));
    }
  }

  read_estimates(c, root, problem_names, plan);
  read_baseline(c, root, strategies, plan);
  if (!c.ok()) throw c.failure();
  plan.seeds.assign(seeds.begin(), seeds.end());
  return plan;
}

}  // namespace

Plan parse_plan(const std::string& text, const std::string& file, const Registry& registry) {
  Checker c{file, {}};
  try {
    return plan_of(c, text, file, registry);
  } catch (const TooManyErrors&) {  // checking stopped at kCountedErrors
    throw c.failure();
  }
}

}  // namespace wcs::experiment

// wcs-bench: Google Benchmark timing of strategies on one cycle (or a full solve)
// at chosen N, all in one run so that ratios against `reference` are fair.
//
//   wcs-bench --strategies=reference,fused,parallel[threads=1],parallel[threads=2]
//             --n=10,16,20 [--cycles=1] [--problems=default,decimal,integer,range,integer-999]
//             [--set fused.key=value]... [--plugin-dir DIR] [Google Benchmark flags]
//
// A strategy may carry its own options in brackets (KEY=VALUE separated by ';'), so
// that one strategy can be timed with several settings in the same run. A spec
// ending in `*2` runs two independent solves at once on two threads, each with its
// own strategy object (what two processes get: nothing shared but the machine); its
// time is the wall time of both, so its throughput is two solves per time.
//
// Problems, drawn by the experiments' generators (src/experiment/generators.hpp) so
// that a seed gives the same problem everywhere: `default` (coefficients in [0.5, 1.5),
// every third negated; one cycle uses a target no line reaches, --cycles=K > 1 a
// reachable one with tolerance 0 so every cycle runs), `decimal` (coefficients in
// +-[1, 100] with 6 decimals, target 300.3) and `integer` (integers in +-[1, 99],
// target 300.5: thousands of lines tie), `range` (the original's benchmark:
// coefficients 1..N, target floor(N(N+1)/4), 637 at N = 50) and `integer-M` (integers
// in +-[1, M], target 300.5: the span of the subset sums grows with M, for `dp`).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <sys/resource.h>

#include "experiment/generators.hpp"
#include "report/stats.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

namespace ex = wcs::experiment;

const std::vector<std::string> kProblems = {"default", "decimal", "integer", "range", "integer-M"};

/// What the command line asks for.
struct BenchArgs {
  std::string strategies = "reference", sizes = "10,16,20", seed_text = "1", problems = "default";
  long long cycles = 1;
  double tolerance = 0;
  bool choice = false;
  std::vector<std::string> sets, plugin_dirs;
};

/// M of a problem kind `integer-M` (M >= 1), or 0 when `kind` is not of that form.
long long integer_magnitude(const std::string& kind) {
  const std::string head = "integer-";
  if (kind.rfind(head, 0) != 0) return 0;
  const std::optional<long long> m = wcs::to_integer(kind.substr(head.size()));
  return m && *m >= 1 && *m <= (1LL << 40) ? *m : 0;
}

/// The benchmark problem `kind` of size n (see the file comment), seeded.
wcs::Problem bench_problem(const std::string& kind, std::size_t n, long long cycles, std::uint64_t seed,
                           double tolerance) {
  wcs::Problem p;
  p.max_iter = cycles;
  p.tolerance = tolerance;
  if (kind == "range") {
    for (std::size_t i = 1; i <= n; ++i) p.coefficients.push_back(static_cast<double>(i));
    p.target = std::floor(static_cast<double>(n * (n + 1)) / 4);
    return p;
  }
  // decimal: whole units of 10^-6, so that each coefficient is the double nearest a
  // number with 6 decimals.
  const bool decimal = kind == "decimal", integer = kind == "integer" || integer_magnitude(kind) > 0;
  ex::CoefficientRule rule{"uniform_real", 0.5, 1.5, false};
  if (decimal) rule = {"uniform_int", 1e6, 1e8, true};
  if (integer) rule = {"uniform_int", 1, kind == "integer" ? 99.0 : static_cast<double>(integer_magnitude(kind)), true};
  const ex::Generated g = ex::generate(rule, ex::TargetRule{}, n, seed * 1000003u + n);
  double magnitude = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double a = decimal ? g.coefficients[i] / 1e6 : g.coefficients[i];
    if (!decimal && !integer && i % 3 == 2) a = -a;
    p.coefficients.push_back(a);
    magnitude += std::fabs(a);
  }
  if (decimal || integer) p.target = integer ? 300.5 : 300.3;
  else p.target = cycles == 1 ? 1e6 * (magnitude + 1) : 0.37 * magnitude;  // unreachable for one cycle
  return p;
}

/// The non-empty items of a comma-separated list.
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  for (std::string& item : wcs::split_list(s))
    if (!item.empty()) out.push_back(std::move(item));
  return out;
}

/// The processor's model name, as /proc/cpuinfo gives it.
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

/// Splits "a,b[x=1;y=2],c" on the commas outside brackets.
std::vector<std::string> split_specs(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  int depth = 0;
  for (char c : s) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

/// One entry of --strategies: "NAME[KEY=VALUE;...]" with an optional trailing "*2".
struct Spec {
  std::string text;  ///< as given, without "*2"
  std::string name;
  std::map<std::string, std::string> options;
  int copies = 1;  ///< 2: two independent solves at once
};

Spec parse_spec(std::string text, const std::map<std::string, std::map<std::string, std::string>>& sets) {
  Spec spec;
  if (text.size() > 2 && text.compare(text.size() - 2, 2, "*2") == 0) {
    spec.copies = 2;
    text.resize(text.size() - 2);
  }
  const auto bracket = text.find('[');
  spec.text = text;
  spec.name = text.substr(0, bracket);
  if (auto it = sets.find(spec.name); it != sets.end()) spec.options = it->second;
  if (bracket == std::string::npos) return spec;
  if (text.back() != ']') throw wcs::InputError("--strategies: '" + text + "' lacks its closing ]");
  std::string inner = text.substr(bracket + 1, text.size() - bracket - 2);
  std::replace(inner.begin(), inner.end(), ';', ',');
  for (const auto& kv : split(inner)) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) throw wcs::InputError("--strategies: '" + kv + "' in '" + text + "' is not KEY=VALUE");
    spec.options[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return spec;
}

/// --set STRATEGY.KEY=VALUE, by strategy.
std::map<std::string, std::map<std::string, std::string>> parse_sets(const std::vector<std::string>& sets) {
  std::map<std::string, std::map<std::string, std::string>> options;
  for (const auto& s : sets) {
    const auto dot = s.find('.'), eq = s.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot)
      throw wcs::InputError("--set: '" + s + "' is not STRATEGY.KEY=VALUE");
    options[s.substr(0, dot)][s.substr(dot + 1, eq - dot - 1)] = s.substr(eq + 1);
  }
  return options;
}

std::vector<std::size_t> parse_sizes(const std::string& sizes) {
  std::vector<std::size_t> ns;
  for (const auto& t : split(sizes)) {
    const long long v = wcs::parse_integer(t, "n");
    if (v < 1) throw wcs::InputError("n: '" + t + "' is not an N >= 1");
    ns.push_back(static_cast<std::size_t>(v));
  }
  return ns;
}

std::vector<std::string> parse_kinds(const std::string& problems) {
  std::vector<std::string> kinds = split(problems);
  for (const auto& k : kinds)
    if (std::find(kProblems.begin(), kProblems.end(), k) == kProblems.end() && integer_magnitude(k) == 0)
      throw wcs::InputError("--problems: '" + k +
                            "' is not one of default, decimal, integer, range, integer-M (M >= 1)");
  return kinds;
}

/// The run's settings and each problem in Google Benchmark's context, so that the
/// same solve can be timed elsewhere (tools/python-vs-bench.py): "a,b,c -> target"
/// under wcs.problem.N=<n> for the default kind, wcs.problem.<kind>.N=<n> for the others.
void add_context(const std::vector<std::string>& kinds, const std::vector<std::size_t>& ns, long long cycles,
                 std::uint64_t seed, double tolerance) {
  benchmark::AddCustomContext("wcs.cycles", std::to_string(cycles));
  benchmark::AddCustomContext("wcs.tolerance", wcs::format_number(tolerance));
  benchmark::AddCustomContext("wcs.compiler", std::string("g++ ") + __VERSION__);
  benchmark::AddCustomContext("wcs.cpu", cpu_model());
  benchmark::AddCustomContext("wcs.seed", std::to_string(seed));
  for (const auto& kind : kinds)
    for (std::size_t n : ns) {
      const wcs::Problem p = bench_problem(kind, n, cycles, seed, tolerance);
      std::string text, key = "wcs.problem.";
      for (double a : p.coefficients) {
        if (!text.empty()) text += ',';
        text += wcs::format_number(a);
      }
      text += " -> ";
      text += wcs::format_number(p.target);
      if (kind != "default") key += kind + ".";
      key += "N=";
      key += std::to_string(n);
      benchmark::AddCustomContext(key, text);
    }
}

/// The timed loop of one benchmark, and its counters and label from the last solve.
void time_solves(benchmark::State& state, const std::vector<std::shared_ptr<wcs::Solver>>& solvers,
                 const wcs::Problem& problem) {
  wcs::Solver& solver = *solvers[static_cast<std::size_t>(state.thread_index())];
  wcs::SolveResult r;
  for (auto _ : state) {
    try {
      r = solver.solve(problem);
    } catch (const std::exception& e) {  // e.g. dp refusing a span above its bound
      const std::string message = e.what();
      state.SkipWithError(message.c_str());
      return;
    }
    benchmark::DoNotOptimize(r.result);
  }
  if (state.thread_index() != 0) return;
  const std::size_t n = problem.n();
  const double lines = n < 64 ? std::ldexp(1.0, static_cast<int>(n)) - 1 : 0.0;
  state.counters["n"] = static_cast<double>(n);
  state.counters["cycles"] = static_cast<double>(r.cycles);
  state.counters["error"] = r.error;
  state.counters["evaluations"] = static_cast<double>(r.evaluations);
  // The process's peak resident memory so far (getrusage): an upper bound of this
  // benchmark's own, exact for the largest run of a process.
  struct rusage usage {};
  if (::getrusage(RUSAGE_SELF, &usage) == 0)
    state.counters["peak_rss_bytes"] = static_cast<double>(usage.ru_maxrss) * 1024.0;
  // Seconds per line of the enumeration (2^N - 1 lines a cycle).
  state.counters["seconds_per_line"] =
      benchmark::Counter(lines * static_cast<double>(r.cycles),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  std::string label;
  for (const auto& [k, v] : r.notes) label += (label.empty() ? "" : " ") + k + "=" + v;
  state.SetLabel(label);
}

/// What every benchmark of the run shares: the problems and, with --choice, the pairs
/// of (auto's benchmark, its choice's benchmark) whose difference is auto's own cost.
struct Setup {
  std::vector<std::string> kinds;
  std::vector<std::size_t> ns;
  long long cycles = 1;
  std::uint64_t seed = 1;
  double tolerance = 0;
  bool choice = false;
  std::vector<std::pair<std::string, std::string>> pairs;
};

/// Registers one benchmark of `spec` on `problem`, named by `title`.
void register_one(const wcs::Registry& registry, const Spec& spec, const wcs::Problem& problem,
                  const std::string& title) {
  // One strategy object per concurrent solve: a strategy serves one solve at a time.
  std::vector<std::shared_ptr<wcs::Solver>> solvers;
  for (int c = 0; c < spec.copies; ++c)
    solvers.push_back(std::make_shared<wcs::Solver>(registry.create(spec.name, spec.options)));
  auto* b = benchmark::RegisterBenchmark(
      title.c_str(), [solvers, problem](benchmark::State& state) { time_solves(state, solvers, problem); });
  // ns: compare.py prints whole units (ms printed 0 below 1 ms) and matches one unit only.
  b->Unit(benchmark::kNanosecond)->UseRealTime();
  if (spec.copies > 1) b->Threads(spec.copies);
}

/// The strategy `auto` chooses for `problem` (its note `chose`, "name" or
/// "name{k=v,k=v}"), as a spec of its own; nothing when auto ran more than one attempt
/// (its note `ran`), whose time is then not its own cost plus the choice's.
std::optional<Spec> choice_of(const wcs::Registry& registry, const wcs::Problem& problem) {
  wcs::Solver solver(registry.create("auto", {}));
  const wcs::SolveResult r = solver.solve(problem);
  if (const auto ran = r.notes.find("ran"); ran != r.notes.end() && ran->second.find("; ") != std::string::npos) {
    std::cerr << "wcs-bench: auto ran more than one attempt here (" << ran->second << "): own cost not measured\n";
    return std::nullopt;
  }
  std::string text = r.notes.at("chose");
  const auto brace = text.find('{');
  if (brace != std::string::npos && text.back() == '}') {
    std::replace(text.begin(), text.end(), ',', ';');
    text = text.substr(0, brace) + "[" + text.substr(brace + 1, text.size() - brace - 2) + "]";
  }
  return parse_spec(text, {});
}

/// One benchmark per problem kind and N of `spec` (N above its max_n skipped, said
/// so); with --choice, `auto` is followed by the strategy it chose, alone.
void register_spec(const wcs::Registry& registry, const Spec& spec, Setup& setup) {
  const wcs::StrategyInfo& info = registry.get(spec.name);
  for (const auto& kind : setup.kinds)
    for (std::size_t n : setup.ns) {
      if (n > info.max_n) {
        std::cerr << "wcs-bench: skipping " << spec.name << " at N = " << n << " (supports N <= " << info.max_n
                  << ")\n";
        continue;
      }
      const wcs::Problem problem = bench_problem(kind, n, setup.cycles, setup.seed, setup.tolerance);
      const std::string tail =
          "/N=" + std::to_string(n) + "/cycles=" + std::to_string(setup.cycles) + "/problem=" + kind;
      const std::string title = spec.text + (spec.copies > 1 ? "*2" : "") + tail;
      register_one(registry, spec, problem, title);
      if (!setup.choice || spec.name != "auto" || spec.copies > 1 || !spec.options.empty()) continue;
      const std::optional<Spec> chosen = choice_of(registry, problem);
      if (!chosen) continue;
      const std::string choice_title = "auto>" + chosen->text + tail;
      register_one(registry, *chosen, problem, choice_title);
      setup.pairs.emplace_back(title + "/real_time", choice_title + "/real_time");
    }
}

/// The console output, keeping each benchmark's real time per solve (the median of
/// its repetitions) for the own-cost lines printed after it.
class KeepTimes final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Iteration && !r.error_occurred)
        times_[r.benchmark_name()].push_back(r.GetAdjustedRealTime());
  }
  /// The median real time of `name` in ns, or NaN when it did not run.
  double median(const std::string& name) const {
    const auto it = times_.find(name);
    return it == times_.end() ? std::nan("") : wcs::report::median(it->second);
  }

 private:
  std::map<std::string, std::vector<double>> times_;
};

/// auto's own cost on each problem: its time minus that of the strategy it chose, run
/// alone in the same process; then their median.
void print_own_costs(const Setup& setup, const KeepTimes& times) {
  std::vector<double> costs;
  for (const auto& [with_auto, alone] : setup.pairs) {
    const double a = times.median(with_auto), c = times.median(alone);
    if (std::isnan(a) || std::isnan(c)) continue;
    costs.push_back(a - c);
    std::cout << fmt::format("auto's own cost on {}: {:.1f} ns (auto {:.1f} ns, {} alone {:.1f} ns)\n",
                             with_auto.substr(with_auto.find('/') + 1), a - c, a, alone.substr(5, alone.find('/') - 5),
                             c);
  }
  if (costs.empty()) return;
  std::sort(costs.begin(), costs.end());
  std::cout << fmt::format("auto's own cost: median {:.1f} ns, largest {:.1f} ns over {} problems\n",
                           costs[costs.size() / 2], costs.back(), costs.size());
}

// --help: this program's flags, then Google Benchmark's (which parses first and
// calls this for -h/--help).
CLI::App* help_app = nullptr;
void print_help() {
  if (help_app) std::cout << help_app->help() << "\n";
  std::cout << "Google Benchmark's flags (all of them work here):\n";
  benchmark::PrintDefaultHelp();
}

void add_flags(CLI::App& app, BenchArgs& a) {
  app.add_option("--strategies", a.strategies,
                 "comma-separated strategy names, each optionally with its options in brackets, "
                 "NAME[KEY=VALUE;KEY=VALUE] (see `wcs list`); a trailing *2 times two independent solves at once on "
                 "two threads (what two processes get)")
      ->capture_default_str();
  app.add_option("--n", a.sizes, "comma-separated N (a strategy is skipped above its largest N)")
      ->capture_default_str();
  app.add_option("--cycles", a.cycles,
                 "cycles per solve (1: one cycle with an unreachable target; K > 1: a reachable "
                 "target with tolerance 0, K cycles)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", a.seed_text, "seed of the benchmark problems")->capture_default_str();
  app.add_option("--problems", a.problems,
                 "comma-separated problem kinds: default (coefficients in [0.5, 1.5), every third negated), decimal "
                 "(+-[1, 100] with 6 decimals, target 300.3), integer (+-[1, 99], target 300.5), range (1..N, target "
                 "floor(N(N+1)/4)), integer-M (+-[1, M])")
      ->capture_default_str();
  app.add_option("--tolerance", a.tolerance, "tolerance of every problem (>= 0)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--choice", a.choice,
               "with auto among --strategies: also time the strategy auto chooses on each problem, alone, and print "
               "auto's own cost (its time minus that one's) after the table (console output)");
  app.add_option("--set", a.sets, "STRATEGY.KEY=VALUE strategy option for every instance of STRATEGY (repeatable)");
  app.add_option("--plugin-dir", a.plugin_dirs, "extra folder of strategy modules (repeatable; also WCS_PLUGIN_PATH)");
}

int run(int argc, char** argv) {
  CLI::App app{
      "wcs-bench: Google Benchmark of WCS strategies on one cycle (or --cycles) at chosen N, all in one\n"
      "run so that ratios against reference are fair. Example:\n"
      "  wcs-bench --strategies=reference,fused,'parallel[threads=2]' --n=16,20 --benchmark_out=t.json",
      "wcs-bench"};
  BenchArgs args;
  add_flags(app, args);
  help_app = &app;
  benchmark::Initialize(&argc, argv, &print_help);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Outlives the benchmarks: solvers point into it, and `auto` creates through it.
  wcs::Registry registry;
  Setup setup;
  try {
    const wcs::PluginReport report = wcs::load_plugins(registry, args.plugin_dirs);
    for (const auto& p : report.problems) std::cerr << "wcs-bench: warning: plugin " << p << "\n";
    setup.seed = wcs::parse_seed(args.seed_text, "seed");
    const auto sets = parse_sets(args.sets);
    setup.ns = parse_sizes(args.sizes);
    setup.kinds = parse_kinds(args.problems);
    setup.cycles = args.cycles;
    setup.tolerance = args.tolerance;
    setup.choice = args.choice;
    add_context(setup.kinds, setup.ns, setup.cycles, setup.seed, setup.tolerance);
    for (const std::string& text : split_specs(args.strategies)) register_spec(registry, parse_spec(text, sets), setup);
  } catch (const wcs::InputError& e) {
    std::cerr << "wcs-bench: error: " << e.what() << "\n";
    return 2;
  }
  if (setup.pairs.empty()) {
    benchmark::RunSpecifiedBenchmarks();
  } else {
    KeepTimes times;
    benchmark::RunSpecifiedBenchmarks(&times);
    print_own_costs(setup, times);
  }
  benchmark::Shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Any other failure (a strategy that cannot be made, a benchmark that throws) is
  // status 1 with its message, never an uncaught exception.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "wcs-bench: error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "wcs-bench: error: unknown exception\n";
  }
  return 1;
}

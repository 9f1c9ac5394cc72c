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
// Problems: `default` (coefficients in +-[0.5, 1.5]; one cycle uses a target no line
// reaches, --cycles=K > 1 a reachable one with tolerance 0 so every cycle runs),
// `decimal` (coefficients uniform in +-[1, 100] with 6 decimals, target 300.3) and
// `integer` (integers in +-[1, 99], target 300.5: thousands of lines tie), `range`
// (the original's benchmark: coefficients 1..N, target floor(N(N+1)/4), 637 at N = 50)
// and `integer-M` (integers in +-[1, M], target 300.5: the span of the subset sums
// grows with M, for `dp`).
#include <benchmark/benchmark.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>

#include <sys/resource.h>

#include "wcs/error.hpp"
#include "wcs/format.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

const std::vector<std::string> kProblems = {"default", "decimal", "integer", "range", "integer-M"};

/// M of a problem kind `integer-M` (M >= 1), or 0 when `kind` is not of that form.
long long integer_magnitude(const std::string& kind) {
  const std::string head = "integer-";
  if (kind.rfind(head, 0) != 0) return 0;
  const std::optional<long long> m = wcs::to_integer(kind.substr(head.size()));
  return m && *m >= 1 && *m <= (1LL << 40) ? *m : 0;
}

/// The benchmark problem `kind` of size n (see the file comment), seeded.
wcs::Problem bench_problem(const std::string& kind, std::size_t n, long long cycles, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 1000003u + n);
  wcs::Problem p;
  p.max_iter = cycles;
  p.tolerance = 0;
  if (kind == "range") {
    for (std::size_t i = 1; i <= n; ++i) p.coefficients.push_back(static_cast<double>(i));
    p.target = std::floor(static_cast<double>(n * (n + 1)) / 4);
    return p;
  }
  if (kind == "decimal" || kind == "integer" || integer_magnitude(kind) > 0) {
    const bool integer = kind != "decimal";
    const long long top = kind == "integer" ? 99 : integer_magnitude(kind);
    std::uniform_int_distribution<long long> units(integer ? 1 : 1000000, integer ? top : 100000000);
    for (std::size_t i = 0; i < n; ++i) {
      const double magnitude = integer ? static_cast<double>(units(rng)) : static_cast<double>(units(rng)) / 1e6;
      p.coefficients.push_back(rng() & 1 ? magnitude : -magnitude);
    }
    p.target = integer ? 300.5 : 300.3;
    return p;
  }
  std::uniform_real_distribution<double> coef(0.5, 1.5);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    p.coefficients.push_back(coef(rng) * (i % 3 == 2 ? -1.0 : 1.0));
    sum += std::fabs(p.coefficients.back());
  }
  p.target = cycles == 1 ? 1e6 * (sum + 1) : 0.37 * sum;  // unreachable for one cycle
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

// --help: this program's flags, then Google Benchmark's (which parses first and
// calls this for -h/--help).
CLI::App* help_app = nullptr;
void print_help() {
  if (help_app) std::cout << help_app->help() << "\n";
  std::cout << "Google Benchmark's flags (all of them work here):\n";
  benchmark::PrintDefaultHelp();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wcs-bench: Google Benchmark of WCS strategies on one cycle (or --cycles) at chosen N, all in one\n"
               "run so that ratios against reference are fair. Example:\n"
               "  wcs-bench --strategies=reference,fused,'parallel[threads=2]' --n=16,20 --benchmark_out=t.json",
               "wcs-bench"};
  std::string strategies = "reference", sizes = "10,16,20", seed_text = "1", problems = "default";
  long long cycles = 1;
  std::vector<std::string> sets, plugin_dirs;
  app.add_option("--strategies", strategies,
                 "comma-separated strategy names, each optionally with its options in brackets, "
                 "NAME[KEY=VALUE;KEY=VALUE] (see `wcs list`); a trailing *2 times two independent solves at once on "
                 "two threads (what two processes get)")->capture_default_str();
  app.add_option("--n", sizes, "comma-separated N (a strategy is skipped above its largest N)")->capture_default_str();
  app.add_option("--cycles", cycles, "cycles per solve (1: one cycle with an unreachable target; K > 1: a reachable "
                 "target with tolerance 0, K cycles)")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seed", seed_text, "seed of the benchmark problems")->capture_default_str();
  app.add_option("--problems", problems,
                 "comma-separated problem kinds: default (coefficients in +-[0.5, 1.5]), decimal (+-[1, 100] with 6 "
                 "decimals, target 300.3), integer (+-[1, 99], target 300.5), range (1..N, target floor(N(N+1)/4)), "
                 "integer-M (+-[1, M])")->capture_default_str();
  app.add_option("--set", sets, "STRATEGY.KEY=VALUE strategy option for every instance of STRATEGY (repeatable)");
  app.add_option("--plugin-dir", plugin_dirs, "extra folder of strategy modules (repeatable)");
  help_app = &app;
  benchmark::Initialize(&argc, argv, &print_help);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  // Outlives the benchmarks: solvers point into it, and `auto` creates through it.
  wcs::Registry registry;
  try {
    wcs::PluginReport report;
    wcs::load_plugin_dir(wcs::default_plugin_dir(), registry, report);
    for (const auto& d : plugin_dirs) wcs::load_plugin_dir(d, registry, report);
    for (const auto& p : report.problems) std::cerr << "wcs-bench: warning: plugin " << p << "\n";
    const std::uint64_t seed = wcs::parse_seed(seed_text, "seed");
    std::map<std::string, std::map<std::string, std::string>> options;
    for (const auto& s : sets) {
      const auto dot = s.find('.'), eq = s.find('=');
      if (dot == std::string::npos || eq == std::string::npos || eq < dot)
        throw wcs::InputError("--set: '" + s + "' is not STRATEGY.KEY=VALUE");
      options[s.substr(0, dot)][s.substr(dot + 1, eq - dot - 1)] = s.substr(eq + 1);
    }
    std::vector<std::size_t> ns;
    for (const auto& t : split(sizes)) {
      const long long v = wcs::parse_integer(t, "n");
      if (v < 1) throw wcs::InputError("n: '" + t + "' is not an N >= 1");
      ns.push_back(static_cast<std::size_t>(v));
    }
    benchmark::AddCustomContext("wcs.cycles", std::to_string(cycles));
    benchmark::AddCustomContext("wcs.compiler", std::string("g++ ") + __VERSION__);
    benchmark::AddCustomContext("wcs.cpu", cpu_model());
    benchmark::AddCustomContext("wcs.seed", std::to_string(seed));
    std::vector<std::string> kinds = split(problems);
    for (const auto& k : kinds)
      if (std::find(kProblems.begin(), kProblems.end(), k) == kProblems.end() && integer_magnitude(k) == 0)
        throw wcs::InputError("--problems: '" + k + "' is not one of default, decimal, integer, range, integer-M (M >= 1)");
    // Each problem, so that the same solve can be timed elsewhere
    // (tools/python-vs-bench.py): "a,b,c -> target" under wcs.problem.N=<n> for the
    // default kind, wcs.problem.<kind>.N=<n> for the others.
    for (const auto& kind : kinds)
      for (std::size_t n : ns) {
        const wcs::Problem p = bench_problem(kind, n, cycles, seed);
        std::string text, key = "wcs.problem.";
        for (double a : p.coefficients) {
          if (!text.empty()) text += ',';
          text += wcs::format_number(a);
        }
        text += " -> ";
        text += wcs::format_number(p.target);
        if (kind != "default") {
          key += kind;
          key += '.';
        }
        key += "N=";
        key += std::to_string(n);
        benchmark::AddCustomContext(key, text);
      }
    for (std::string spec : split_specs(strategies)) {
      // "NAME[...]*2": two independent solves at once.
      int copies = 1;
      if (spec.size() > 2 && spec.compare(spec.size() - 2, 2, "*2") == 0) {
        copies = 2;
        spec.resize(spec.size() - 2);
      }
      const auto bracket = spec.find('[');
      const std::string name = spec.substr(0, bracket);
      auto given = options[name];
      if (bracket != std::string::npos) {
        if (spec.back() != ']') throw wcs::InputError("--strategies: '" + spec + "' lacks its closing ]");
        std::string inner = spec.substr(bracket + 1, spec.size() - bracket - 2);
        for (auto& c : inner) if (c == ';') c = ',';
        for (const auto& kv : split(inner)) {
          const auto eq = kv.find('=');
          if (eq == std::string::npos) throw wcs::InputError("--strategies: '" + kv + "' in '" + spec + "' is not KEY=VALUE");
          given[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
      }
      const wcs::StrategyInfo& info = registry.get(name);
      for (const auto& kind : kinds) {
        for (std::size_t n : ns) {
          if (n > info.max_n) {
            std::cerr << "wcs-bench: skipping " << name << " at N = " << n << " (supports N <= " << info.max_n << ")\n";
            continue;
          }
          // One strategy object per concurrent solve: a strategy serves one solve at a time.
          std::vector<std::shared_ptr<wcs::Solver>> solvers;
          for (int c = 0; c < copies; ++c) solvers.push_back(std::make_shared<wcs::Solver>(registry.create(name, given)));
          const wcs::Problem problem = bench_problem(kind, n, cycles, seed);
          const std::string title = spec + (copies > 1 ? "*2" : "") + "/N=" + std::to_string(n) +
                                    "/cycles=" + std::to_string(cycles) + "/problem=" + kind;
          auto* b = benchmark::RegisterBenchmark(title.c_str(), [solvers, problem, n](benchmark::State& state) {
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
            const double lines = n < 64 ? std::ldexp(1.0, static_cast<int>(n)) - 1 : 0.0;
            state.counters["n"] = static_cast<double>(n);
            state.counters["cycles"] = static_cast<double>(r.cycles);
            state.counters["error"] = r.error;
            state.counters["evaluations"] = static_cast<double>(r.evaluations);
            // The process's peak resident memory so far (getrusage): an upper bound of
            // this benchmark's own, exact for the largest run of a process.
            struct rusage usage {};
            if (::getrusage(RUSAGE_SELF, &usage) == 0)
              state.counters["peak_rss_bytes"] = static_cast<double>(usage.ru_maxrss) * 1024.0;
            // Seconds per line of the enumeration (2^N - 1 lines a cycle).
            state.counters["seconds_per_line"] = benchmark::Counter(
                lines * static_cast<double>(r.cycles),
                benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
            std::string label;
            for (const auto& [k, v] : r.notes) label += (label.empty() ? "" : " ") + k + "=" + v;
            state.SetLabel(label);
          });
          // ns: compare.py prints whole units (ms printed 0 below 1 ms) and matches one unit only.
          b->Unit(benchmark::kNanosecond)->UseRealTime();
          if (copies > 1) b->Threads(copies);
        }
      }
    }
  } catch (const wcs::InputError& e) {
    std::cerr << "wcs-bench: error: " << e.what() << "\n";
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

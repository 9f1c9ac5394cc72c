// wcs-bench: Google Benchmark timing of strategies on one cycle (or a full solve)
// at chosen N, all in one run so that ratios against `reference` are fair.
//
//   wcs-bench --strategies=reference,fused,parallel[threads=1],parallel[threads=2]
//             --n=10,16,20 [--cycles=1] [--set fused.key=value]... [--plugin-dir DIR]
//             [Google Benchmark flags]
//
// A strategy may carry its own options in brackets (KEY=VALUE separated by ';'), so
// that one strategy can be timed with several settings in the same run.
//
// One cycle uses a target no line reaches (no early convergence); --cycles=K > 1
// uses a reachable target with tolerance 0 so the solve runs all K cycles.
#include <benchmark/benchmark.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include "wcs/error.hpp"
#include "wcs/format.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

/// The benchmark problem of size n: seeded random decimal coefficients.
wcs::Problem bench_problem(std::size_t n, long long cycles, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 1000003u + n);
  std::uniform_real_distribution<double> coef(0.5, 1.5);
  wcs::Problem p;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    p.coefficients.push_back(coef(rng) * (i % 3 == 2 ? -1.0 : 1.0));
    sum += std::fabs(p.coefficients.back());
  }
  p.max_iter = cycles;
  p.tolerance = 0;
  p.target = cycles == 1 ? 1e6 * (sum + 1) : 0.37 * sum;  // unreachable for one cycle
  return p;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    const auto item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
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

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  CLI::App app{"wcs-bench: Google Benchmark of WCS strategies (other flags go to Google Benchmark, e.g. --benchmark_out=FILE --benchmark_out_format=json)"};
  std::string strategies = "reference", sizes = "10,16,20", seed_text = "1";
  long long cycles = 1;
  std::vector<std::string> sets, plugin_dirs;
  app.add_option("--strategies", strategies, "comma-separated strategy names, each optionally with [KEY=VALUE;...]")->capture_default_str();
  app.add_option("--n", sizes, "comma-separated N")->capture_default_str();
  app.add_option("--cycles", cycles, "cycles per solve (1: one cycle, target unreachable)")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seed", seed_text, "seed of the benchmark problems")->capture_default_str();
  app.add_option("--set", sets, "STRATEGY.KEY=VALUE strategy option (repeatable)");
  app.add_option("--plugin-dir", plugin_dirs, "extra folder of strategy modules");
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
    const auto seed = static_cast<std::uint64_t>(wcs::parse_number(seed_text, "seed"));
    std::map<std::string, std::map<std::string, std::string>> options;
    for (const auto& s : sets) {
      const auto dot = s.find('.'), eq = s.find('=');
      if (dot == std::string::npos || eq == std::string::npos || eq < dot)
        throw wcs::InputError("--set: '" + s + "' is not STRATEGY.KEY=VALUE");
      options[s.substr(0, dot)][s.substr(dot + 1, eq - dot - 1)] = s.substr(eq + 1);
    }
    std::vector<std::size_t> ns;
    for (const auto& t : split(sizes)) {
      const double v = wcs::parse_number(t, "n");
      if (v < 1 || v != std::floor(v)) throw wcs::InputError("n: '" + t + "' is not an N >= 1");
      ns.push_back(static_cast<std::size_t>(v));
    }
    benchmark::AddCustomContext("wcs.cycles", std::to_string(cycles));
    benchmark::AddCustomContext("wcs.compiler", std::string("g++ ") + __VERSION__);
    benchmark::AddCustomContext("wcs.cpu", cpu_model());
    benchmark::AddCustomContext("wcs.seed", std::to_string(seed));
    for (const auto& spec : split_specs(strategies)) {
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
      for (std::size_t n : ns) {
        if (n > info.max_n) {
          std::cerr << "wcs-bench: skipping " << name << " at N = " << n << " (supports N <= " << info.max_n << ")\n";
          continue;
        }
        auto solver = std::make_shared<wcs::Solver>(registry.create(name, given));
        const wcs::Problem problem = bench_problem(n, cycles, seed);
        benchmark::RegisterBenchmark(
            (spec + "/N=" + std::to_string(n) + "/cycles=" + std::to_string(cycles)).c_str(),
            [solver, problem, n](benchmark::State& state) {
              wcs::SolveResult r;
              for (auto _ : state) {
                r = solver->solve(problem);
                benchmark::DoNotOptimize(r.result);
              }
              const double lines = n < 64 ? std::ldexp(1.0, static_cast<int>(n)) - 1 : 0.0;
              state.counters["n"] = static_cast<double>(n);
              state.counters["cycles"] = static_cast<double>(r.cycles);
              state.counters["error"] = r.error;
              state.counters["evaluations"] = static_cast<double>(r.evaluations);
              // Seconds per line of the enumeration (2^N - 1 lines a cycle).
              state.counters["seconds_per_line"] = benchmark::Counter(
                  lines * static_cast<double>(r.cycles),
                  benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
              std::string label;
              for (const auto& [k, v] : r.notes) label += (label.empty() ? "" : " ") + k + "=" + v;
              state.SetLabel(label);
            })
            ->Unit(benchmark::kNanosecond)  // compare.py prints whole units: ms showed 0 below 1 ms
            ->UseRealTime();
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

// Per-line cost of the enumeration kernels on one core, the kernel function alone
// (no exact step, no strategy): Google Benchmark of gray_range and of the table scan
// on every instruction set this CPU runs (each xsimd instance, each Highway target),
// over the whole cycle [1, 2^N) of the first cycle of wcs-bench's problems.
//   kernels_bench [--n=N] [Google Benchmark flags]     (tools/bench-kernels.sh runs it)
// kernels_counts runs one of them once, for valgrind (tools/kernels_counts.py).
// A benchmark is named KERNEL/ISA/PROBLEM/N=n; its label says isa=ISA, its counter
// seconds_per_line is the CPU time per line of the cycle, and a table kernel's
// filtered_share and double_blocks say how many lines its float filter scanned (the
// others were skipped by the bound) and how many blocks it scanned again in double.
// Ratios come from tools/kernels_table.py.
#include <benchmark/benchmark.h>

#include <algorithm>

#include <hwy/targets.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench_cycles.hpp"
#include "kernels.hpp"
#include "simd_table.hpp"
#include "simd_xsimd.hpp"

namespace {

namespace st = wcs::kernels::simd_table;
using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;
using wcs::kernels::bench::bench_cycle;
using wcs::kernels::bench::current;
using wcs::kernels::bench::Cycle;
using wcs::kernels::bench::table_scan;

/// One kernel on one instruction set: `prepare` selects it (the table primitives,
/// Highway's target), `run` scans a range.
struct Variant {
  std::string kernel, isa;
  std::function<void()> prepare;
  std::function<RangeBest(const CycleView&, std::uint64_t, std::uint64_t)> run;
};

std::vector<Variant> variants() {
  std::vector<Variant> out;
  out.push_back({"gray", "scalar", [] { current = {}; }, &wcs::kernels::gray_range});
  for (const auto& inst : wcs::kernels::xsimd_detail::runnable_instances()) {
    const st::FilterForm form = inst.bits_filter ? st::FilterForm::bits : st::FilterForm::abs_value;
    out.push_back({"simd-xsimd", inst.name,
                   [inst, form] {
                     current = {inst.block_min, inst.block_find, inst.block_filter, form};
                   },
                   &table_scan});
    // The double pass alone (no float filter): what the filter saves.
    out.push_back({"simd-xsimd-f64", inst.name, [inst] { current = {inst.block_min, inst.block_find}; }, &table_scan});
  }
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets())
    out.push_back({"simd-highway", hwy::TargetName(target),
                   [target] {
                     hwy::SetSupportedTargetsForTest(target);
                     current = {
                         &wcs::kernels::simd_highway_block_min, &wcs::kernels::simd_highway_block_find,
                         &wcs::kernels::simd_highway_block_filter,
                         wcs::kernels::simd_highway_filter_bits() ? st::FilterForm::bits : st::FilterForm::abs_value};
                   },
                   &table_scan});
  return out;
}

/// The processor's model name, as /proc/cpuinfo gives it (for the table's header).
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string bench_name(const Variant& v, const std::string& problem, std::size_t n) {
  return v.kernel + "/" + v.isa + "/" + problem + "/N=" + std::to_string(n);
}

/// Removes `--name=VALUE` from argv and returns VALUE (or `fallback`).
std::string take_flag(int& argc, char** argv, const char* name, const std::string& fallback) {
  const std::string head = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], head.c_str(), head.size()) != 0) continue;
    std::string value = argv[i] + head.size();
    for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
    --argc;
    return value;
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string n_text = take_flag(argc, argv, "n", "24");
  char* end = nullptr;
  const long n_long = std::strtol(n_text.c_str(), &end, 10);
  if (*end != '\0' || n_long < 1 || n_long > 40) {
    std::fprintf(stderr, "kernels_bench: --n: '%s' is not an integer in 1..40\n", n_text.c_str());
    return 2;
  }
  const auto n = static_cast<std::size_t>(n_long);
  const std::vector<Variant> all = variants();
  const std::vector<std::string> problems = {"default", "decimal", "integer"};
  for (const auto& v : all)
    for (const auto& p : problems)
      benchmark::RegisterBenchmark(bench_name(v, p, n).c_str(), [v, p, n](benchmark::State& state) {
        v.prepare();
        const Cycle c = bench_cycle(p, n);
        const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
        current.filtered_blocks = current.double_blocks = 0;  // this run's counts only
        for (auto _ : state) benchmark::DoNotOptimize(v.run(c.view(), 1, lines + 1));
        state.SetLabel("isa=" + v.isa);
        state.counters["seconds_per_line"] = benchmark::Counter(
            static_cast<double>(lines), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
        // Table kernels: the share of the cycle's lines that went through the float
        // filter (the rest were skipped by the bound), and double passes per cycle.
        const auto cycles = static_cast<double>(state.iterations());
        const double block = std::ldexp(1.0, static_cast<int>(std::min<std::size_t>(n, st::kLowBits)));
        if (current.block_filter)
          state.counters["filtered_share"] =
              static_cast<double>(current.filtered_blocks) * block / (cycles * static_cast<double>(lines));
        if (current.block_min) state.counters["double_blocks"] = static_cast<double>(current.double_blocks) / cycles;
      })->Unit(benchmark::kMillisecond);
  benchmark::AddCustomContext("wcs.compiler", std::string("g++ ") + __VERSION__);
  benchmark::AddCustomContext("wcs.cpu", cpu_model());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  hwy::SetSupportedTargetsForTest(0);
  return 0;
}

// Per-line cost of the enumeration kernels on one core, the kernel function alone
// (no exact step, no strategy): Google Benchmark of gray_range and of the table scan
// on every instruction set this CPU runs (each xsimd instance, each Highway target),
// over the whole cycle [1, 2^N) of the first cycle of wcs-bench's problems.
//   kernels_bench [--n=N] [Google Benchmark flags]     timings (tools/bench-kernels.sh)
//   kernels_bench --once=NAME [--n=N]                   one run of one benchmark, for
//                                                       valgrind --tool=callgrind
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
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "kernels.hpp"
#include "simd_table.hpp"
#include "simd_xsimd.hpp"

namespace {

namespace st = wcs::kernels::simd_table;
using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;

/// The first cycle of wcs-bench's problem `kind` (src/bench/bench.cpp, seed 1, one
/// cycle): W = 0 and p = 1, so base = 0 and d_i = a[i]; dl is in line-bit order.
struct Cycle {
  std::vector<double> dl;
  double target = 0.0;
  CycleView view() const { return {0.0, dl, target}; }
};

Cycle bench_cycle(const std::string& kind, std::size_t n) {
  constexpr std::uint64_t kSeed = 1;  // wcs-bench's default --seed
  std::mt19937_64 rng(kSeed * 1000003u + n);
  std::vector<double> a;
  Cycle c;
  if (kind == "default") {
    std::uniform_real_distribution<double> coef(0.5, 1.5);
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      a.push_back(coef(rng) * (i % 3 == 2 ? -1.0 : 1.0));
      sum += std::fabs(a.back());
    }
    c.target = 1e6 * (sum + 1);
  } else {
    const bool integer = kind == "integer";
    std::uniform_int_distribution<long long> units(integer ? 1 : 1000000, integer ? 99 : 100000000);
    for (std::size_t i = 0; i < n; ++i) {
      const double magnitude = integer ? static_cast<double>(units(rng)) : static_cast<double>(units(rng)) / 1e6;
      a.push_back(rng() & 1 ? magnitude : -magnitude);
    }
    c.target = integer ? 300.5 : 300.3;
  }
  c.dl.assign(a.rbegin(), a.rend());
  return c;
}

/// The table scan's primitives of the variant being run, and what they did: the
/// benchmark calls them through the counting wrappers below (one call per batch of
/// blocks, so the count costs nothing measurable).
struct Table {
  st::BlockMin block_min = nullptr;
  st::BlockFind block_find = nullptr;
  st::BlockFilter block_filter = nullptr;
  st::FilterForm form = st::FilterForm::abs_value;
  std::uint64_t filtered_blocks = 0;  ///< blocks the float filter scanned
  std::uint64_t double_blocks = 0;    ///< blocks the double pass scanned
};
Table current;

double counting_min(const double* table, std::size_t count, double offset) {
  ++current.double_blocks;
  return current.block_min(table, count, offset);
}

std::size_t counting_filter(const float* table, std::size_t count, const float* offsets, const float* limits,
                            std::size_t blocks) {
  const std::size_t b = current.block_filter(table, count, offsets, limits, blocks);
  current.filtered_blocks += b < blocks ? b + 1 : blocks;
  return b;
}

/// One kernel on one instruction set: `prepare` selects it (the table primitives,
/// Highway's target), `run` scans a range.
struct Variant {
  std::string kernel, isa;
  std::function<void()> prepare;
  std::function<RangeBest(const CycleView&, std::uint64_t, std::uint64_t)> run;
};

RangeBest table_scan(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  return st::scan(c, first, last, &counting_min, current.block_find, current.block_filter ? &counting_filter : nullptr,
                  current.form);
}

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
  const std::string once = take_flag(argc, argv, "once", "");
  char* end = nullptr;
  const long n_long = std::strtol(n_text.c_str(), &end, 10);
  if (*end != '\0' || n_long < 1 || n_long > 40) {
    std::fprintf(stderr, "kernels_bench: --n: '%s' is not an integer in 1..40\n", n_text.c_str());
    return 2;
  }
  const auto n = static_cast<std::size_t>(n_long);
  const std::vector<Variant> all = variants();
  const std::vector<std::string> problems = {"default", "decimal", "integer"};
  if (!once.empty()) {
    for (const auto& v : all)
      for (const auto& p : problems)
        if (bench_name(v, p, n) == once) {
          v.prepare();
          const Cycle c = bench_cycle(p, n);
          const RangeBest b = v.run(c.view(), 1, std::uint64_t{1} << n);
          std::printf("%s: line %llu error %.17g\n", once.c_str(), static_cast<unsigned long long>(b.line), b.error);
          return 0;
        }
    std::fprintf(stderr, "kernels_bench: --once: '%s' is not a benchmark (see --benchmark_list_tests)\n", once.c_str());
    return 2;
  }
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
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  hwy::SetSupportedTargetsForTest(0);
  return 0;
}

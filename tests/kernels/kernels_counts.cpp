// One run of one kernel over the whole first cycle of a wcs-bench problem, for
// valgrind --tool=callgrind (tools/kernels_counts.py): gray and the xsimd instances
// only, so that it links no Highway (libhwy 1.0.3 runs RDTSCP as it loads, an
// instruction valgrind 3.19 refuses on a CPU that does not list it).
//   kernels_counts KERNEL/ISA/PROBLEM [--n=N]     KERNEL: gray, simd-xsimd, simd-xsimd-f64
// Prints the pick and, for a table kernel, the blocks its float filter and its double
// pass scanned. Exit status 2 on a bad argument.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_cycles.hpp"
#include "simd_xsimd.hpp"

namespace {

namespace kb = wcs::kernels::bench;
namespace st = wcs::kernels::simd_table;

/// The run that callgrind's --toggle-collect='*run_once*' counts.
[[gnu::noinline]] wcs::kernels::RangeBest run_once(const std::string& kernel, const kb::Cycle& c, std::uint64_t end) {
  if (kernel == "gray") return wcs::kernels::gray_range(c.view(), 1, end);
  return kb::table_scan(c.view(), 1, end);
}

int usage(const std::string& what) {
  std::fprintf(stderr, "kernels_counts: %s\n", what.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) return usage("usage: kernels_counts KERNEL/ISA/PROBLEM [--n=N]");
  const std::string name = argv[1];
  long n = 24;
  if (argc == 3) {
    const std::string flag = argv[2];
    char* end = nullptr;
    if (flag.rfind("--n=", 0) == 0) n = std::strtol(flag.c_str() + 4, &end, 10);
    if (end == nullptr || *end != '\0' || n < 1 || n > 40) return usage("--n: '" + flag + "' is not --n=1..40");
  }
  const auto slash1 = name.find('/'), slash2 = name.rfind('/');
  if (slash1 == std::string::npos || slash1 == slash2) return usage("name: '" + name + "' is not KERNEL/ISA/PROBLEM");
  const std::string kernel = name.substr(0, slash1), isa = name.substr(slash1 + 1, slash2 - slash1 - 1);
  const std::string problem = name.substr(slash2 + 1);
  if (problem != "default" && problem != "decimal" && problem != "integer")
    return usage("problem: '" + problem + "' is not default, decimal or integer");
  bool found = kernel == "gray" && isa == "scalar";
  for (const auto& inst : wcs::kernels::xsimd_detail::runnable_instances()) {
    if (isa != inst.name) continue;
    if (kernel == "simd-xsimd")
      kb::current = {inst.block_min, inst.block_find, inst.block_filter,
                     inst.bits_filter ? st::FilterForm::bits : st::FilterForm::abs_value};
    else if (kernel == "simd-xsimd-f64") kb::current = {inst.block_min, inst.block_find};
    else continue;
    found = true;
  }
  if (!found) return usage("name: '" + name + "' is not a kernel and instruction set this CPU runs");
  const kb::Cycle c = kb::bench_cycle(problem, static_cast<std::size_t>(n));
  const auto b = run_once(kernel, c, std::uint64_t{1} << n);
  std::printf("%s N=%ld: line=%llu error=%.17g lines=%llu filtered_blocks=%llu double_blocks=%llu block_lines=%llu\n",
              name.c_str(), n, static_cast<unsigned long long>(b.line), b.error,
              static_cast<unsigned long long>((std::uint64_t{1} << n) - 1),
              static_cast<unsigned long long>(kb::current.filtered_blocks),
              static_cast<unsigned long long>(kb::current.double_blocks),
              static_cast<unsigned long long>(std::uint64_t{1} << std::min<long>(n, st::kLowBits)));
  return 0;
}

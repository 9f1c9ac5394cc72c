// Enumeration kernels: find a line of smallest error in a range of lines of one
// cycle, in the base + d_i form and the kernel's own arithmetic. Shared by the fast
// identical strategies (fused, gray, simd-*, parallel), which pick one by name; the
// exact step (src/search/exact_step.hpp) turns a kernel's line into reference's
// winner, so a kernel is free to add in any order and to break ties as it likes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace wcs::kernels {

/// One cycle in the base + d_i form, ready for enumeration. `dl[j]` is the term of
/// line bit j, that is d of coefficient N-1-j (docs/algorithm.md: coefficient 0 is the
/// most significant bit of the line), so line k has value base + sum of dl[j] over
/// the set bits j of k.
struct CycleView {
  double base = 0.0;
  std::span<const double> dl;  ///< N terms, line-bit order
  double target = 0.0;
  /// An error, in the kernel's arithmetic, of some line of the cycle (a runner that
  /// splits the cycle passes what its other ranges found): a kernel may skip lines
  /// whose error exceeds it, never one whose error is at most it. So the range's
  /// line of smallest error is still returned whenever its error is at most `bound`,
  /// and the cycle's pick does not depend on when the bound was read.
  double bound = std::numeric_limits<double>::infinity();
};

/// A kernel's pick in a range of lines. `line == 0` means the range was empty (or
/// every error was NaN).
struct RangeBest {
  double error = 0.0;   ///< |result - target| as the kernel computed it
  double result = 0.0;  ///< the kernel's value of the line (may differ from the
                        ///< bit-exact form in the last bits)
  std::uint64_t line = 0;
};

/// A kernel: a line of smallest error among lines [first, last), 1 <= first <= last
/// <= 2^N, in the kernel's own arithmetic. When no addition rounds (integer and
/// dyadic problems) every kernel's values are exact, so its error is the cycle's
/// smallest; which of several tied lines it returns is free.
using RangeKernel = RangeBest (*)(const CycleView& cycle, std::uint64_t first, std::uint64_t last);

struct KernelInfo {
  const char* name;  ///< option value of `parallel`'s `kernel`
  RangeKernel run;
  const char* (*isa)();  ///< instruction set it will use on this machine ("scalar", "AVX2", ...)
  unsigned priority;     ///< higher = faster; `fastest()` takes the highest
  /// The strategy of the same name (strategies/kernel_strategy.cpp): one line for
  /// `wcs list`, and the largest N it takes.
  const char* description;
  std::size_t max_n;
};

/// Every compiled kernel.
std::span<const KernelInfo> all();
/// The kernel named `name`, or nullptr.
const KernelInfo* find(const std::string& name);
/// The fastest kernel on this machine.
const KernelInfo& fastest();
/// Names of all kernels, for error messages ("fused, gray, ...").
std::string names();

/// The scalar reference kernel: for each line, base + the dl of its set bits added
/// in line-bit order, no other trick. Every other kernel is tested against it.
RangeBest fused_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last);

/// Gray-code kernel (gray.cpp): visits aligned blocks of lines in Gray-code order, one
/// add per line (path-dependent sums).
RangeBest gray_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last);

/// SIMD kernels (simd_table.hpp): a table of the subset sums of the low 11 line bits
/// added to each high part's partial sum; per block of 2^11 lines a float32 filter
/// pass, and a double pass only for the blocks that can hold a better line (the pick
/// is the double pass's, to the bit; docs/performance.md).
/// xsimd with per-architecture instances (simd_xsimd*.cpp), Highway with run-time
/// dispatch (simd_highway.cpp).
RangeBest simd_xsimd_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last);
/// The xsimd architecture it runs on ("avx512f", "avx2", "sse2").
const char* simd_xsimd_isa();
RangeBest simd_highway_range(const CycleView& cycle, std::uint64_t first, std::uint64_t last);
/// The Highway target it dispatches to (hwy::TargetName: "AVX3", "AVX2", ...).
const char* simd_highway_isa();

}  // namespace wcs::kernels

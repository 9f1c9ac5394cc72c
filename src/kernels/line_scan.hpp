// The one-pass scan in line order with the bit-exact line value: no lists, each
// line's combination read off its number (coefficient i is bit N-1-i). Shared by
// `lazy` (every line) and `early-stop` (stops at the first good-enough line).
#pragma once
#include <cmath>
#include <cstdint>

#include "wcs/formula.hpp"
#include "wcs/strategy.hpp"

namespace wcs::kernels {

struct LineScan {
  std::uint64_t line = 0;       ///< the winner (or the line the scan stopped at)
  double result = 0.0;          ///< its bit-exact value
  bool all_below = true;        ///< every scanned line had r < target
  std::uint64_t evaluated = 0;  ///< lines computed
  bool stopped = false;         ///< stopped early at a line with error <= stop_error
};

/// Scans lines 1 .. 2^N - 1 of the cycle in line order, keeping the winner by the
/// order of algorithm.md (lines come in increasing order, so only a strictly better
/// line replaces it). Stops at the first line with |r - target| <= stop_error and
/// takes it as the winner; a negative stop_error scans every line.
inline LineScan scan_lines_exact(const CycleInput& in, double stop_error) {
  const std::size_t n = in.a.size();
  const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
  LineScan s;
  double best_error = 0.0;
  for (std::uint64_t line = 1; line <= lines; ++line) {
    const double r = line_value(in.a, in.w, in.wpn, [&](std::size_t i) { return bool((line >> (n - 1 - i)) & 1u); });
    const double error = std::fabs(r - in.target);
    ++s.evaluated;
    if (error <= stop_error) {
      s.line = line;
      s.result = r;
      s.stopped = true;
      return s;
    }
    if (s.line == 0 || ranks_before(error, r, best_error, s.result)) {
      s.line = line;
      s.result = r;
      best_error = error;
    }
    s.all_below = s.all_below && r < in.target;
  }
  return s;
}

}  // namespace wcs::kernels

// The one-pass scan in line order with the bit-exact line value: no lists, each
// line's combination read off its number (coefficient i is bit N-1-i). Used by
// `lazy` (every line), `early-stop` (stops at the first good-enough line) and the
// strategy template of tools/new-strategy.sh; part of the core so that a strategy
// needs no other library to call it.
#pragma once
#include <cstdint>

#include "wcs/strategy.hpp"

namespace wcs {

struct LineScan {
  std::uint64_t line = 0;         ///< the winner (or the line the scan stopped at)
  double result = 0.0;            ///< its bit-exact value
  bool all_below = true;          ///< every scanned line had r < target
  std::uint64_t evaluations = 0;  ///< lines computed
  bool stopped = false;           ///< stopped early at a line with error <= stop_error

  /// The cycle's outcome for N coefficients: the winner, its r, the all-below
  /// decision over the scanned lines and the lines computed.
  CycleOutcome outcome(std::size_t n) const;
};

/// Scans lines 1 .. 2^N - 1 of the cycle in line order (N <= 63), keeping the winner
/// by the order of docs/algorithm.md (lines come in increasing order, so only a strictly
/// better line replaces it). Stops at the first line with |r - target| <= stop_error
/// and takes it as the winner; a negative stop_error scans every line.
LineScan scan_lines_exact(const CycleInput& in, double stop_error);

}  // namespace wcs

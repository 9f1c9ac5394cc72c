// The result record every strategy returns, with its optional per-cycle trace.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wcs/combination.hpp"

namespace wcs {

/// One cycle of the trace: the winner and the state it was found in.
struct TraceEntry {
  long long cycle = 0;                  ///< 1-based
  std::optional<std::uint64_t> line;    ///< the winner's line (N <= 63)
  Combination combination;              ///< the winner
  double result = 0.0;                  ///< the winner's r
  double wpn = 0.0;                     ///< p during the cycle
  std::vector<double> weights_before;   ///< W before the update
  std::uint64_t evaluations = 0;        ///< lines computed so far, this cycle included
  /// Seconds from the start of the solve to the end of this cycle; NaN when the
  /// strategy does not measure it.
  double seconds = std::numeric_limits<double>::quiet_NaN();
};

/// What a solve returns (docs/algorithm.md, "Output").
struct SolveResult {
  std::vector<double> weights;
  double result = 0.0;        ///< sum a[i] W[i], the last winner's r
  double error = 0.0;         ///< |result - target|
  bool converged = false;     ///< the last cycle (or step) met the tolerance
  long long cycles = 0;       ///< cycles (or steps) run
  std::uint64_t evaluations = 0;  ///< line values computed in all
  std::vector<TraceEntry> trace;  ///< per cycle, when asked (the first ones, see SolveOptions::trace_bytes)
  std::uint64_t trace_dropped = 0;  ///< cycles traced but not kept (beyond SolveOptions::trace_bytes, or a full sink)
  /// Strategy-specific facts worth recording: "chose" for auto, "isa" for SIMD, ...
  std::map<std::string, std::string> notes;

  /// How many weights are non-zero (WCS answers are sparse; peers' are not).
  std::size_t nonzero_weights() const {
    std::size_t k = 0;
    for (double w : weights) k += w != 0.0;
    return k;
  }
};

}  // namespace wcs

#include "wcs/line_scan.hpp"

#include <cmath>

#include "wcs/formula.hpp"
#include "wcs/strategy.hpp"

namespace wcs {

CycleOutcome LineScan::outcome(std::size_t n) const {
  CycleOutcome out;
  out.winner = Combination::from_line(line, n);
  out.result = result;
  out.all_below_target = all_below;
  out.evaluations = evaluations;
  return out;
}

LineScan scan_lines_exact(const CycleInput& in, double stop_error) {
  const std::size_t n = in.a.size();
  const std::uint64_t lines = (std::uint64_t{1} << n) - 1;
  LineScan s;
  double best_error = 0.0;
  for (std::uint64_t line = 1; line <= lines; ++line) {
    if ((line & 0xfffff) == 0) poll_stop();  // every 2^20 lines: a few milliseconds
    const double r = line_value(in.a, in.w, in.wpn, line_selection(line, n));
    const double error = std::fabs(r - in.target);
    ++s.evaluations;
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

}  // namespace wcs

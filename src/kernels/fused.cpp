// The `fused` kernel: a tight, allocation-free loop over lines in the base + d_i form.
#include <cmath>

#include "kernels.hpp"
#include "wcs/formula.hpp"

namespace wcs::kernels {

RangeBest better_of(const RangeBest& x, const RangeBest& y) {
  if (x.line == 0) return y;
  if (y.line == 0) return x;
  return line_wins(x.error, x.result, x.line, y.error, y.result, y.line) ? x : y;
}

RangeBest fused_range(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  RangeBest best;
  const std::size_t n = c.dl.size();
  const double* dl = c.dl.data();
  for (std::uint64_t line = first; line < last; ++line) {
    double r = c.base;
    for (std::size_t j = 0; j < n; ++j)
      if ((line >> j) & 1u) r += dl[j];
    const double error = std::fabs(r - c.target);
    // Lines come in increasing order: only a strictly better one replaces the best.
    if (best.line == 0 || ranks_before(error, r, best.error, best.result)) best = {error, r, line};
  }
  return best;
}

}  // namespace wcs::kernels

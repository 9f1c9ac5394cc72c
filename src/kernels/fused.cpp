// The `fused` kernel: a tight, allocation-free loop over lines in the base + d_i form.
#include <cmath>

#include "kernels.hpp"
#include "wcs/formula.hpp"

namespace wcs::kernels {

RangeBest fused_range(const CycleView& c, std::uint64_t first, std::uint64_t last) {
  RangeBest best;
  const std::size_t n = c.dl.size();
  const double* dl = c.dl.data();
  auto one_line = [&](std::uint64_t line) {
    double r = c.base;
    for (std::size_t j = 0; j < n; ++j) r += ((line >> j) & 1u) ? dl[j] : 0.0;
    return r;
  };
  auto consider = [&](double r, std::uint64_t line) {
    const double error = std::fabs(r - c.target);
    // Lines come in increasing order: only a strictly better one replaces the best.
    if (best.line == 0 || ranks_before(error, r, best.error, best.result)) best = {error, r, line};
  };
  // Sixteen lines at a time: the N additions of one line form a serial chain of
  // floating-point latency; sixteen independent chains (kept in vector registers)
  // keep the adder busy. In an aligned group of 16 lines only the four low bits
  // differ, so every higher bit adds the same term (or +0.0) to all sixteen sums.
  // Adding +0.0 leaves a sum unchanged, so each line's value is exactly base + its
  // dl in line-bit order, as in the one-line loop below (zero-d ties stay exact).
  constexpr unsigned kLanes = 16, kLaneBits = 4;
  std::uint64_t line = first;
  for (; line < last && (line % kLanes) != 0; ++line) consider(one_line(line), line);
  if (n >= kLaneBits) {
    for (; line + kLanes <= last; line += kLanes) {
      double r[kLanes];
      for (unsigned l = 0; l < kLanes; ++l) r[l] = c.base;
      for (std::size_t j = 0; j < kLaneBits; ++j)
        for (unsigned l = 0; l < kLanes; ++l) r[l] += ((l >> j) & 1u) ? dl[j] : 0.0;
      for (std::size_t j = kLaneBits; j < n; ++j) {
        const double term = ((line >> j) & 1u) ? dl[j] : 0.0;
        for (unsigned l = 0; l < kLanes; ++l) r[l] += term;
      }
      for (unsigned l = 0; l < kLanes; ++l) consider(r[l], line + l);
    }
  }
  for (; line < last; ++line) consider(one_line(line), line);
  return best;
}

}  // namespace wcs::kernels

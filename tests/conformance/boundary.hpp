// Boundary problems for the differential test of the identical family: the cases
// where rounding decides (targets on a line value, on the largest line value, a few
// ulps beside them), exact ties (equal coefficients, integer problems with .5
// targets, zero coefficients), tolerance 0 and small, 4 to 10 cycles. One generator
// serves the seeded Catch2 test, tools/fuzz-identical.sh and the libFuzzer target
// (which feeds it arbitrary bytes).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "conformance.hpp"

namespace wcs::test {

/// Where the generator's choices come from.
class Draw {
 public:
  virtual ~Draw() = default;
  /// An integer in [lo, hi] (lo <= hi).
  virtual long long between(long long lo, long long hi) = 0;
};

/// Choices from a seeded std::mt19937_64.
class SeededDraw final : public Draw {
 public:
  explicit SeededDraw(std::uint64_t seed) : rng_(seed) {}
  long long between(long long lo, long long hi) override {
    return std::uniform_int_distribution<long long>(lo, hi)(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

/// Choices read from bytes (a fuzzer's input): eight bytes per choice, taken modulo
/// the range; `lo` once the bytes run out.
class ByteDraw final : public Draw {
 public:
  explicit ByteDraw(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  long long between(long long lo, long long hi) override;

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

/// One boundary problem (N from 3 to 12; see the file comment), labelled with its kind.
/// One in five is a lattice problem (lattice_problem with N <= 12).
Case boundary_problem(Draw& draw);

/// A problem on a decimal lattice (issue 23), where line values tie by the thousand:
/// N from 3 to max_n, coefficients with 0 to 6 decimals, either uniform in +-[1, 99]
/// (mixed signs), or a few units of the last decimal (small integer ranges: many
/// equal sums), or a few distinct values repeated; targets on a lattice point that
/// some subset reaches, half a unit beside one, or on a line value of a later cycle.
Case lattice_problem(Draw& draw, std::size_t max_n);

/// The `wcs solve` command line that reproduces a solve of `problem` by `strategy`.
std::string solve_command(const std::string& strategy, const std::map<std::string, std::string>& options,
                          const Problem& problem);

/// The first difference between an identical strategy's traced result and
/// reference's (per cycle: line, r and p; then cycles, convergence, weights, result,
/// error), all compared to the bit; nullopt when there is none.
std::optional<std::string> identical_difference(const SolveResult& got, const SolveResult& want);

}  // namespace wcs::test

// The truth table (one CSV row per evaluated line) written as a stream.
#pragma once
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "wcs/combination.hpp"

namespace wcs {

/// Streams truth-table rows to `path`: written to `path.partial.<random>` (created
/// exclusively, never through a link) and renamed by finish(), so an interrupted run
/// never leaves a half table under the real name.
/// Columns: cycle,line,combination,weights_before,wpn,result,delta_abs,delta_cond,is_winner.
/// Throws std::runtime_error when the file cannot be written.
class TruthTableWriter {
 public:
  explicit TruthTableWriter(std::string path);
  ~TruthTableWriter();  ///< without finish(): removes the partial file
  TruthTableWriter(const TruthTableWriter&) = delete;
  TruthTableWriter& operator=(const TruthTableWriter&) = delete;

  /// Starts a cycle: its number, W before the update and p.
  void begin_cycle(long long cycle, std::span<const double> weights_before, double wpn);
  /// One row; `line` is empty for N > 63.
  void row(std::uint64_t line, const Combination& combination, double result, double target, bool is_winner);
  /// Same, from a line number (N <= 63) without building a Combination.
  void row(std::uint64_t line, std::size_t n, double result, double target, bool is_winner);
  void finish();
  std::uint64_t rows() const { return rows_; }

 private:
  void write_tail(double result, double target, bool is_winner);
  std::string path_, partial_;
  std::FILE* file_ = nullptr;
  std::string cycle_prefix_;  // "cycle,"
  std::string cycle_state_;   // ",weights_before,wpn,"
  std::string combination_;
  std::uint64_t rows_ = 0;
};

}  // namespace wcs

// The limits of an experiment file and the error that lists its problems: what the
// checker and the planner both know (so that neither includes the other).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "wcs/error.hpp"

namespace wcs::experiment {

/// The problems of an experiment file, one `file:line:col: key: message` per line:
/// the first kShownErrors of them, and how many there are in all. Thrown before
/// anything runs; programs map it (an InputError) to exit status 2.
class ExperimentError : public InputError {
 public:
  /// `total`: every problem found (at least messages.size()).
  explicit ExperimentError(std::vector<std::string> messages, std::size_t total = 0);
  const std::vector<std::string>& messages() const { return messages_; }
  std::size_t total() const { return total_; }

 private:
  std::vector<std::string> messages_;
  std::size_t total_;
};

/// Limits of one experiment, checked before anything is generated or allocated: a
/// file beyond one is refused with the position (exit status 2) within a second.
inline constexpr std::size_t kMaxFileBytes = std::size_t{16} << 20;  ///< experiment file size
inline constexpr std::size_t kMaxRuns = 1'000'000;                   ///< runs of the whole plan
inline constexpr std::size_t kMaxN = 100'000;                        ///< coefficients of one problem
inline constexpr std::size_t kMaxCoefficients = 10'000'000;          ///< over every instance of the plan
inline constexpr long long kMaxRepetitions = 1000;                   ///< Google Benchmark repetitions
inline constexpr long long kMaxIterations = 1'000'000'000;           ///< fixed iterations per repetition
inline constexpr double kMaxMinTime = 3600;                          ///< seconds per repetition
inline constexpr std::size_t kMaxNesting = 32;   ///< levels of lists and mappings in the file
inline constexpr std::size_t kShownErrors = 20;  ///< problems listed; the rest are counted
inline constexpr std::size_t kCountedErrors = 10'000;  ///< problems counted; checking stops there

}  // namespace wcs::experiment

// The one exact step of the identical strategies: whatever a fast search found in a
// cycle (a kernel's best line, a meet-in-the-middle's closest sum, nothing at all),
// this turns it into `reference`'s winner, its r and the all-below decision of the
// WPN rule, bit for bit (docs/algorithm.md, "Equivalent form").
//
// Why a separate step: fast searches add the d_i of the base + d_i form in their own
// order, `reference` adds the terms (a[i] * e_i) * m_i in index order, and the two
// may differ in the last bits. Every decision of a cycle is reference's: the winner
// (smallest |r - target|, then larger r, then smaller line) and whether every line is
// strictly below the target. The step makes both exactly, in one of two ways:
//
// - Exact arithmetic. When every term of either form is a multiple of one power of
//   two 2^g and every sum stays below 2^(52 + g) (integer problems with moderate
//   weights, dyadic ones), no addition rounds: both forms give the same value for
//   every line. The winner is then found among the distinct subset sums of two
//   halves (Horowitz and Sahni, "Computing partitions with applications to the
//   knapsack problem", JACM 21(2), 1974), each equal sum standing for its smallest
//   line, so ties cost nothing however many lines share a value. The all-below
//   decision is the largest line value, base + the positive d_i, against the target.
// - Otherwise. `eps` bounds how far any form's computed value of a line lies from
//   the real sum of its terms. The search's candidate (or the halves' closest sum)
//   has a bit-exact error e; every line that could beat it exactly lies within
//   e + 3 eps of the target in the d form, and those lines, found with the same
//   halves, are re-evaluated with wcs::line_value. The all-below decision is the
//   largest line value unless it lies within 2 eps of the target; then the few
//   lines near the top are found by flipping the smallest |d_i| and checked exactly.
//
// - Too many lines within rounding. When more than max_rechecks lines (2^24 by
//   default: never at N <= 24) lie within rounding of the closest, as on a decimal
//   lattice at N = 60, listing them would take gigabytes: the step decides by the
//   tie rule on exact integer sums instead (src/search/tie_rule.hpp; the outcome says
//   so), which is not necessarily reference's choice among those lines.
//
// Lines that differ only in coefficients whose d_i is exactly 0 have bit-identical
// values in the reference form ((a W) p == a W means both terms are the same
// double), so only the smallest of them is ever considered.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "search/four_list.hpp"
#include "search/line_key.hpp"
#include "search/tie_rule.hpp"
#include "wcs/combination.hpp"
#include "wcs/strategy.hpp"

namespace wcs::search {

/// The combination of a key (any N <= 64).
Combination combination_of_key(std::uint64_t key, std::size_t n);

/// reference's bit-exact r (wcs::line_value) of the line with this key.
double exact_value(const CycleInput& in, std::uint64_t key);

/// Facts of one cycle that every exact decision needs.
struct CycleBounds {
  bool finite = false;  ///< every term, d_i and base is finite
  bool exact = false;   ///< no addition of either form rounds (see above)
  double eps = 0.0;     ///< bound on |computed - real| of any line value, either form
  /// The coefficient with d_i == 0 of the largest index (the smallest line that
  /// selects only such coefficients), if any.
  std::optional<std::size_t> zero_index;
};
/// `d` in coefficient order and `base` from wcs::cycle_terms.
CycleBounds cycle_bounds(const CycleInput& in, double base, std::span<const double> d);

/// reference's all-below decision (every line has r < target, bit-exact), for any N.
/// Costs O(N) unless the largest line value lies within rounding of the target.
/// `exact_rechecks` counts lines evaluated in the bit-exact form.
bool all_below_target(const CycleInput& in, double base, std::span<const double> d, const CycleBounds& bounds,
                      std::uint64_t& exact_rechecks);

/// The same for a cycle given only its input (computes base and d itself).
bool all_below_target(const CycleInput& in);

/// What the exact step decided.
struct ExactOutcome {
  std::uint64_t key = 0;             ///< reference's winner, as a line key
  double result = 0.0;               ///< its bit-exact r
  bool all_below_target = false;     ///< reference's WPN decision
  std::uint64_t exact_rechecks = 0;  ///< lines evaluated in the bit-exact form
  std::uint64_t half_entries = 0;    ///< subset sums listed in the two halves (0 when not staged)
  bool exact_arithmetic = false;     ///< the cycle's sums were exact (nothing to repair)
  /// More lines lay within rounding of the closest than max_rechecks: the winner is
  /// the tie rule's on exact values (src/search/tie_rule.hpp), not re-evaluated.
  bool tie_rule = false;
  std::uint64_t tied_lines = 0;  ///< with tie_rule: lines sharing the winner's exact value
};

/// The cycles of a solve decided by the tie rule, for the result's notes, written
/// only when there were some: "exact_ties" (how many cycles), "tie_rule" (the rule
/// in words) and "tied_lines" (lines sharing the winners' exact values, summed over
/// those cycles, saturating).
struct TieRuleTally {
  std::uint64_t cycles = 0, tied_lines = 0;
  void add(const ExactOutcome& outcome);
  void write(std::map<std::string, std::string>& notes) const;
};

/// The exact step. One object serves one solve at a time; buffers are kept between
/// cycles, so a cycle allocates nothing once they have grown.
class ExactStep {
 public:
  /// Halves of at most 2^two_list_max_bits sums are listed whole (about 50 MB at 20);
  /// beyond, the four-list walk (src/search/four_list.hpp) cuts each half into a
  /// small list, walked with a heap, and a big one of at most 2^big_list_bits sums
  /// (about 130 MB for the two at 22): memory stays bounded, and the smaller heap
  /// walks faster than the O(2^(m/4)) heap of the textbook form. Tests lower both to
  /// run every path on the same problems.
  /// At most `max_rechecks` lines within rounding of the closest are held and
  /// re-evaluated bit-exactly (2^24: every line of N <= 24, so that reference's winner
  /// is found on any data there); beyond, the tie rule decides.
  explicit ExactStep(std::size_t two_list_max_bits = 20, std::size_t big_list_bits = 22,
                     std::size_t max_rechecks = kMaxRechecks)
      : two_list_max_bits_(two_list_max_bits),
        big_list_bits_(big_list_bits),
        max_rechecks_(max_rechecks),
        tie_rule_(two_list_max_bits, big_list_bits) {}

  static constexpr std::size_t kMaxRechecks = std::size_t{1} << 24;
  /// In the four-list walk (more than 40 coefficients with d != 0) at most 2^16 (it
  /// stops once more than 2^15 lines tie within rounding): a larger cap walks on (with
  /// 2^24, half the time of a cycle at N = 60 with six decimals) only to hand over
  /// to the tie rule anyway.
  static constexpr std::size_t kMaxRechecksFourLists = std::size_t{1} << 16;

  /// The most bytes the step's lists and buffers take for N coefficients, with these
  /// settings, in the worst case (saturating): the lists, the candidates and their
  /// re-evaluation up to max_rechecks lines, and the tie rule's integer lists.
  static std::uint64_t memory_bytes(std::size_t n, std::size_t two_list_max_bits = 20, std::size_t big_list_bits = 22,
                                    std::size_t max_rechecks = kMaxRechecks);

  /// Largest N for which a cycle with overflowing values (no rounding bound) is
  /// decided by evaluating every line bit-exactly; above it such a cycle throws
  /// InputError.
  static constexpr std::size_t kFullScanMaxN = 30;

  /// The part that depends only on `d`: the coefficients with d != 0 split in two
  /// halves (coefficient 0 side first) and each half's subset sums listed in order
  /// (merged, or insertion-sorted from last cycle's order when that moved little).
  /// A caller may run it beside its own search (parallel does, on a worker);
  /// resolve() runs it when it was not called for this cycle.
  void stage(std::span<const double> d);

  /// reference's winner, r and all-below decision of the cycle. `hint`: the key of a
  /// line the caller's search found close to the target (the closer, the fewer
  /// lines are re-evaluated); without one, the halves' closest sum is used.
  /// Throws InputError when values overflow and N > kFullScanMaxN.
  ExactOutcome resolve(const CycleInput& in, double base, std::span<const double> d,
                       std::optional<std::uint64_t> hint = std::nullopt);

  /// How many lists (halves or quarters) were sorted from last cycle's order rather
  /// than merged afresh, since construction (for tests and profiles).
  std::uint64_t reordered_lists() const { return reordered_lists_; }

 private:
  // Candidates within kPad eps of the closest sum of the halves' own rounding hold
  // every line that can win in reference's form: the closest line's bit-exact error
  // is within 2 eps of its own, and the window of reach_of() adds 3 eps.
  static constexpr double kPad = 6.0;

  // `slot` names the list (0, 1: high_, low_; 2..5: quarters_) for resort_half.
  void build_half(std::span<const double> d, std::size_t from, std::size_t to, SubsetSums& half, std::size_t slot);
  // The list in last cycle's order with this cycle's sums, insertion-sorted; false
  // (the list is then a permutation to build afresh) when that cannot apply or takes
  // more than a few moves.
  bool resort_half(std::span<const double> d, std::size_t from, std::size_t to, SubsetSums& half, std::size_t slot);
  static void run_starts(const SubsetSums& half, std::vector<std::uint32_t>& starts);
  static double reach_of(double error, const CycleBounds& b);
  // Two-list candidates: exact sums (pairs of runs at the smallest error), the
  // closest sum and every pair within kPad eps of it, or every pair within reach of
  // a hint.
  void exact_candidates(double base, double target, std::optional<std::uint64_t> zero_key);
  void closest_candidates(double base, double target, const CycleBounds& b, std::optional<std::uint64_t> zero_key);
  void window_candidates(const CycleInput& in, double base, const CycleBounds& b, std::optional<std::uint64_t> zero_key,
                         std::uint64_t hint);
  // The winner among the candidates, exactly as reference ranks lines.
  ExactOutcome pick_exact() const;
  ExactOutcome pick_repaired(const CycleInput& in, const CycleBounds& b, std::optional<std::uint64_t> hint);
  ExactOutcome full_scan(const CycleInput& in) const;
  // The winner by the tie rule on exact values, when the candidates overflowed.
  ExactOutcome decide_by_tie_rule(const CycleInput& in);
  // Throws CandidateOverflow once the candidates reach max_rechecks_.
  void add_candidate(const FourListCandidate& c);
  // Each coefficient's term off and on the line, as reference computes it, and a
  // line's value from them (bit for bit exact_value()).
  void load_terms(const CycleInput& in);
  double value_of(std::uint64_t key) const;
  // value_of() of each key, four at a time: four independent chains of additions
  // (one chain waits on the latency of its adds), each the same operations in the
  // same order.
  void values_of(std::span<const std::uint64_t> keys, std::span<double> out) const;

  std::size_t two_list_max_bits_, big_list_bits_, max_rechecks_;
  TieRule tie_rule_;
  std::vector<std::size_t> active_;  // coefficients with d != 0, in index order
  bool four_lists_ = false;
  SubsetSums high_, low_;   // the two halves (two-list)
  SubsetSums quarters_[4];  // small and big list of each half (four-list)
  std::vector<std::uint32_t> high_runs_, low_runs_;
  std::vector<FourListCandidate> candidates_;
  std::vector<double> terms_;
  std::vector<std::uint64_t> recheck_keys_;  // pick_repaired's lines to evaluate
  std::vector<double> recheck_values_;
  std::vector<std::int32_t> split_;  // per high entry, the low entry at or below the target
  std::vector<double> near_;         // per high entry, the error of its nearest pair
  std::vector<double> scratch_sum_;
  std::vector<std::uint64_t> scratch_key_;
  // Per list, the first of its coefficients when they were consecutive (SIZE_MAX when
  // not, or never built): its keys shifted down are then subset masks.
  std::size_t built_first_[6] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
  std::size_t reuse_wait_[6] = {}, reuse_backoff_[6] = {};  // cycles to skip resort_half, and the next wait
  std::uint64_t reordered_lists_ = 0;
  bool staged_ = false;
};

}  // namespace wcs::search

// The exact step's answer when too many lines lie within rounding of the closest to
// re-evaluate each in the bit-exact form (issue 23): on a fine lattice (decimal
// coefficients at N = 60) billions of lines share the closest lattice point, and
// their bit-exact values differ only in rounding.
//
// Every term of reference's form is a double, and every double is a multiple of a
// power of two: with 2^g the lowest bit of all terms and of the target, every line's
// real value (the exact sum of its terms) is an integer multiple of 2^g, held here as
// a 128-bit integer. The lines are compared by those exact values, with the order of
// docs/algorithm.md: smallest |R - target|, then larger R, then smallest line. The
// two halves (or four lists, past `two_list_max_bits` per half) of subset sums are
// listed as integers, equal sums are one run that keeps only its two smallest keys
// and its size, and two pointers walk the runs of the halves: memory grows with the
// lists, never with the number of tied lines. The result's r is still the winner's
// bit-exact value; only which of the lines within rounding wins differs from
// reference, which would rank them by their rounded values.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "wcs/strategy.hpp"

namespace wcs::search {

__extension__ typedef __int128 Int128;            // NOLINT(modernize-use-using): __extension__ keeps -Wpedantic quiet
__extension__ typedef unsigned __int128 UInt128;  // NOLINT(modernize-use-using)

/// A subset-sum list of one half or quarter in exact integers, sorted by (sum, key).
struct FixedSums {
  std::vector<Int128> sum;
  std::vector<std::uint64_t> key;
};

/// What the tie rule decided.
struct TieRuleOutcome {
  std::uint64_t key = 0;           ///< the winner's line key
  std::uint64_t tied_lines = 0;    ///< lines whose exact value is the winner's (saturating)
  std::uint64_t half_entries = 0;  ///< sums listed
};

/// One object serves one solve at a time; its lists are kept between cycles.
class TieRule {
 public:
  /// The largest span, in bits, of the integers (terms, target, and every sum of them)
  /// that 128-bit arithmetic holds here with room to spare.
  static constexpr int kMaxSpanBits = 112;

  /// `chunk_pairs`: pairs of the four-list walk sorted at a time (a few MB); tests
  /// lower it to cross chunk boundaries.
  TieRule(std::size_t two_list_max_bits, std::size_t big_list_bits, std::size_t chunk_pairs = std::size_t{1} << 15)
      : two_list_max_bits_(two_list_max_bits), big_list_bits_(big_list_bits), chunk_pairs_(chunk_pairs) {}

  /// The winner by exact values, or nullopt when the terms of the cycle span more
  /// than kMaxSpanBits bits (then no 128-bit integer holds them all).
  std::optional<TieRuleOutcome> decide(const CycleInput& in);

  /// The most bytes its lists take for N coefficients (saturating).
  static std::uint64_t memory_bytes(std::size_t n, std::size_t two_list_max_bits, std::size_t big_list_bits);

 private:
  void build(std::span<const std::size_t> coefficients, FixedSums& out);

  std::size_t two_list_max_bits_, big_list_bits_, chunk_pairs_;
  std::vector<Int128> d_;
  std::vector<std::size_t> active_;
  FixedSums lists_[4];
  FixedSums scratch_;
};

}  // namespace wcs::search

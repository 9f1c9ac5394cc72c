// The exact step's candidates for large N with little memory: Schroeppel and
// Shamir's four lists ("A T = O(2^(n/2)), S = O(2^(n/4)) algorithm for certain
// NP-complete problems", SIAM J. Comput. 10(3), 1981).
//
// The coefficients with d_i != 0 are cut into four lists A, B (coefficient 0 side)
// and C, D, and each list's subset sums are listed in order. The sums of A + B are
// produced in increasing order by a heap holding, for every entry of A, the next sum
// of B not yet paired with it, and the sums of C + D in decreasing order the same way.
// Walking the two streams against each other is the two-pointer search of the
// two-list meet in the middle, in O(2^(m/2) log |A|) time and O(|A| + |B|) memory
// instead of O(2^(m/2)). The textbook form takes four quarters of 2^(m/4); the exact
// step gives B and D up to 2^22 sums instead, so the heaps over A and C stay small
// (a few levels, in L1) while memory stays bounded. Equal sums of B (or D) form runs
// that one heap node stands for, so ties cost nothing.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace wcs::search {

/// A quarter's subset sums, ascending; `key` is each subset's line key.
struct SubsetSums {
  std::vector<double> sum;
  std::vector<std::uint64_t> key;
};

/// A line the walk found near the target: its value in the halves' arithmetic,
/// (base + (A + B)) + (C + D), that value's error, and its line key.
struct FourListCandidate {
  double value = 0.0;
  double error = 0.0;
  std::uint64_t key = 0;
};

/// Thrown when more lines lie within the bar than the caller will re-evaluate
/// (lines tied on a fine lattice): the exact step then decides by the tie rule
/// (src/search/tie_rule.hpp) instead of materialising them.
struct CandidateOverflow {};

/// Every line whose error in the halves' arithmetic is at most the smallest such
/// error plus `pad`, and a few more. With `exact` (no sum rounds) each pair of equal
/// sums of the two halves stands for its smallest line and `pad` should be 0. The
/// empty line is none: it stands for the line `zero_key` (a coefficient whose d is
/// 0) when there is one. `quarters` are A, B, C, D, each sorted by (sum, key); A
/// and C are the heap sides. Throws CandidateOverflow when more than about
/// `max_candidates` lines (or subsets of one sum) would have to be held.
std::vector<FourListCandidate> four_list_candidates(const SubsetSums (&quarters)[4], double base, double target,
                                                    double pad, bool exact, std::optional<std::uint64_t> zero_key,
                                                    std::size_t max_candidates);

/// Drops the candidates whose error is above `bar` once the list is longer than
/// `limit`, and doubles `limit` when most of them stay (amortised O(1) a candidate).
void prune(std::vector<FourListCandidate>& candidates, double bar, std::size_t& limit);

}  // namespace wcs::search

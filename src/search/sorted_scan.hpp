// A vector scan for the entries of a list that come before their predecessor, for
// the exact step's reuse of last cycle's order (exact_step.cpp, resort_half): most
// cycles move few entries or none, and this finds them at a few lanes a step,
// compiled by Highway for every target of the build and chosen at run time.
#pragma once
#include <cstddef>
#include <cstdint>

namespace wcs::search {

/// The first i in [from, count) whose (s[i], k[i]) comes before (s[i - 1], k[i - 1])
/// (smaller sum, or equal sum and smaller key), or `count` when there is none;
/// from >= 1. NaN compares as neither.
std::size_t first_unsorted(const double* s, const std::uint64_t* k, std::size_t from, std::size_t count);

}  // namespace wcs::search

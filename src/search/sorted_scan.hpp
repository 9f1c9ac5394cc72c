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

/// s[j] = the sum of bits[b] over the bits b set in key[j] >> shift (b < m <= 16),
/// for every j < count, each sum added in a tree over the bits (at most m - 1
/// additions, the rounding bound of the exact step's sums). False when the vectors
/// are too short to pay (then nothing is written).
bool sums_by_mask(const std::uint64_t* key, std::size_t count, unsigned shift, const double* bits, std::size_t m,
                  double* s);

/// The first i in [from, count) with !(v[i] > limit), or `count` when there is none.
std::size_t first_not_above(const double* v, std::size_t from, std::size_t count, double limit);

/// How far split_points() got.
struct SplitScan {
  std::size_t done = 0;  ///< entries [0, done) of the high list are done
  std::ptrdiff_t j = 0;  ///< split of entry done - 1 (nl - 1 when done is 0)
  double best = 0.0;     ///< smallest near over [0, done) but entry `skip` (+inf for none)
};

/// The two-pointer pass of the exact step over two lists sorted by sum, `high` and
/// `low`, a vector of high entries at a time: for each entry a, with hb = base +
/// high[a], split[a] = the last j with hb + low[j] <= target (-1: none) and near[a] =
/// the smaller of |(hb + low[j]) - target| at j = split[a] and split[a] + 1 (a j
/// outside the list counts as +inf). Every value is computed with the operations of
/// the scalar pass, so the results are the same to the bit. Stops short of the end
/// (at most a vector's worth of entries) for the caller's scalar pass to finish.
SplitScan split_points(const double* high, std::size_t nh, const double* low, std::size_t nl, double base,
                       double target, std::size_t skip, std::int32_t* split, double* near);

/// The Highway target these scans dispatch to (hwy::TargetName: "AVX3", "AVX2", ...).
const char* scan_isa();

}  // namespace wcs::search

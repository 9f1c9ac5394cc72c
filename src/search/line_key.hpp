// Lines as 64-bit keys whose unsigned order is line order: what the exact step, the
// four-list walk and the tie rule all speak (a header of its own, so that none of
// them includes another for it).
#pragma once
#include <cstddef>
#include <cstdint>

namespace wcs::search {

/// A combination of N <= 64 coefficients as a 64-bit word whose unsigned order is
/// line order: coefficient i is bit 63 - i (coefficient 0 most significant), so the
/// key of line k is k << (64 - N).
inline std::uint64_t key_bit(std::size_t i) { return std::uint64_t{1} << (63 - i); }
inline std::uint64_t key_of_line(std::uint64_t line, std::size_t n) { return n == 0 ? 0 : line << (64 - n); }
inline std::uint64_t line_of_key(std::uint64_t key, std::size_t n) { return n == 0 ? 0 : key >> (64 - n); }
inline bool key_selects(std::uint64_t key, std::size_t i) { return (key >> (63 - i)) & 1u; }

}  // namespace wcs::search

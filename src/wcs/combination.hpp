// Combinations (subsets of the coefficients) for any N, and their line numbers.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wcs {

/// Largest N for which a line number fits in 64 bits (lines 1 .. 2^N - 1).
inline constexpr std::size_t kMaxLineBits = 63;

/// Whether line `line` of `n` coefficients selects coefficient i: bit N-1-i of the
/// line (coefficient 0 is the most significant bit, docs/algorithm.md).
inline bool line_selects(std::uint64_t line, std::size_t n, std::size_t i) { return (line >> (n - 1 - i)) & 1u; }

/// The selection of line `line` as the predicate wcs::line_value takes.
inline auto line_selection(std::uint64_t line, std::size_t n) {
  return [line, n](std::size_t i) { return line_selects(line, n, i); };
}

/// Line order of two selections stored as masks whose bit i is coefficient i
/// (words of 64 bits, the same count): true when x's line is smaller than y's. At the
/// lowest coefficient where they differ, the one that selects it is the larger line.
bool mask_line_less(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y);
inline bool mask_line_less(std::uint64_t x, std::uint64_t y) { return mask_line_less({&x, 1}, {&y, 1}); }

/// A subset of the N coefficients, for any N (a dynamic bitset). Bit i of the set is
/// coefficient i. Line numbers (docs/algorithm.md) put coefficient 0 in the most
/// significant bit: line k selects coefficient i when bit N-1-i of k is set.
class Combination {
 public:
  Combination() = default;
  /// The empty combination of `n` coefficients.
  explicit Combination(std::size_t n) : n_(n), words_((n + 63) / 64, 0) {}

  /// The combination of line `line` for `n` coefficients (n <= 63).
  static Combination from_line(std::uint64_t line, std::size_t n);
  /// From a mask whose bit i is coefficient i (n <= 64).
  static Combination from_mask(std::uint64_t mask, std::size_t n);
  /// From a string of '0' and '1', coefficient 0 first.
  static Combination from_string(const std::string& bits);

  std::size_t size() const { return n_; }
  bool test(std::size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1u; }
  void set(std::size_t i, bool on = true) {
    const std::uint64_t bit = std::uint64_t{1} << (i & 63);
    if (on) words_[i >> 6] |= bit; else words_[i >> 6] &= ~bit;
  }
  void flip(std::size_t i) { words_[i >> 6] ^= std::uint64_t{1} << (i & 63); }
  std::size_t count() const;
  bool empty() const;

  /// The line number; requires size() <= 63.
  std::uint64_t line() const;
  /// '0'/'1' per coefficient, coefficient 0 first.
  std::string to_string() const;

  /// True when this combination's line number is smaller than `other`'s (both of
  /// the same size; works for any N): mask_line_less on the two.
  bool line_less(const Combination& other) const { return mask_line_less(words_, other.words_); }

  bool operator==(const Combination& other) const = default;

 private:
  std::size_t n_ = 0;
  std::vector<std::uint64_t> words_;
};

}  // namespace wcs

#include "wcs/combination.hpp"

#include <bit>
#include <stdexcept>

namespace wcs {

Combination Combination::from_line(std::uint64_t line, std::size_t n) {
  Combination c(n);
  for (std::size_t i = 0; i < n; ++i)
    if ((line >> (n - 1 - i)) & 1u) c.set(i);
  return c;
}

Combination Combination::from_mask(std::uint64_t mask, std::size_t n) {
  Combination c(n);
  if (n) c.words_[0] = n >= 64 ? mask : (mask & ((std::uint64_t{1} << n) - 1));
  return c;
}

Combination Combination::from_string(const std::string& bits) {
  Combination c(bits.size());
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] == '1') c.set(i);
    else if (bits[i] != '0') throw std::invalid_argument("combination: '" + bits + "' is not a string of 0 and 1");
  }
  return c;
}

std::size_t Combination::count() const {
  std::size_t total = 0;
  for (auto w : words_) total += static_cast<std::size_t>(std::popcount(w));
  return total;
}

bool Combination::empty() const {
  for (auto w : words_) if (w) return false;
  return true;
}

std::uint64_t Combination::line() const {
  if (n_ > kMaxLineBits) throw std::logic_error("combination: no line number for N > 63");
  std::uint64_t line = 0;
  for (std::size_t i = 0; i < n_; ++i)
    if (test(i)) line |= std::uint64_t{1} << (n_ - 1 - i);
  return line;
}

std::string Combination::to_string() const {
  std::string s(n_, '0');
  for (std::size_t i = 0; i < n_; ++i) if (test(i)) s[i] = '1';
  return s;
}

bool Combination::line_less(const Combination& other) const {
  // Coefficient 0 is the most significant digit: the first index where the two
  // differ decides, and the one that selects it is the larger line.
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const std::uint64_t diff = words_[w] ^ other.words_[w];
    if (diff) {
      const int lowest = std::countr_zero(diff);
      return other.test(w * 64 + static_cast<std::size_t>(lowest));
    }
  }
  return false;
}

}  // namespace wcs

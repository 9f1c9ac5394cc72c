#include "wcs/combination.hpp"

#include <bit>
#include <stdexcept>

namespace wcs {

Combination Combination::from_line(std::uint64_t line, std::size_t n) {
  Combination c(n);
  for (std::size_t i = 0; i < n; ++i)
    if (line_selects(line, n, i)) c.set(i);
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

bool mask_line_less(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y) {
  for (std::size_t w = 0; w < x.size(); ++w) {
    const std::uint64_t diff = x[w] ^ y[w];
    if (diff) return (y[w] >> std::countr_zero(diff)) & 1u;
  }
  return false;
}

}  // namespace wcs

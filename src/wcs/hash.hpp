// FNV-1a, 64 bits: the one hash of the project's identities (run and instance ids,
// experiment files) and of the seeds derived from names.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace wcs {

/// FNV-1a over bytes added in pieces: hashing "ab" then "c" equals hashing "abc".
/// Not a cryptographic hash: it tells apart what the project itself wrote.
class Fnv1a64 {
 public:
  Fnv1a64& add(std::string_view bytes) {
    for (unsigned char ch : bytes) {
      h_ ^= ch;
      h_ *= 1099511628211ull;  // the 64-bit FNV prime
    }
    return *this;
  }
  std::uint64_t value() const { return h_; }
  /// 16 lower-case hex digits.
  std::string hex() const;

 private:
  std::uint64_t h_ = 14695981039346656037ull;  // the 64-bit FNV offset basis
};

/// The FNV-1a hash of `bytes`.
inline std::uint64_t fnv1a64(std::string_view bytes) { return Fnv1a64().add(bytes).value(); }

/// The same as 16 lower-case hex digits.
inline std::string fnv1a64_hex(std::string_view bytes) { return Fnv1a64().add(bytes).hex(); }

}  // namespace wcs

#include "wcs/hash.hpp"

#include <fmt/format.h>

namespace wcs {

std::string Fnv1a64::hex() const { return fmt::format("{:016x}", h_); }

}  // namespace wcs

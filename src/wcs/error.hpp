// Typed errors of the core: bad input (exit status 2) versus other failures.
#pragma once
#include <stdexcept>
#include <string>

namespace wcs {

/// Bad input: a field or option with an invalid value, an unknown name, an N a
/// strategy does not support. The message is one line that names the field and the
/// value. Programs map it to exit status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wcs

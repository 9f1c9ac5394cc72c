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

/// A solve that ended early because SolveOptions::stop was set (an interrupt): not a
/// result and not bad input. Programs map it to exit status 130 (Python:
/// KeyboardInterrupt).
class Stopped : public std::runtime_error {
 public:
  Stopped() : std::runtime_error("the solve was stopped (interrupted)") {}
};

}  // namespace wcs

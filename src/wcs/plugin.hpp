// The plugin ABI: what a strategy module exports, and the macro that writes it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>

#include "wcs/registry.hpp"

/// Bumped whenever a core header that plugins compile against changes incompatibly.
#define WCS_PLUGIN_ABI_VERSION 2u  // 2: TraceEntry gained evaluations and seconds

extern "C" {
/// Returned by a module's `wcs_plugin_entry`. `register_strategies` adds the
/// module's strategies to the registry it is given and returns 0, or writes a
/// message into `error` and returns non-zero; it never lets an exception out.
struct wcs_plugin_v1 {
  std::uint32_t abi_version;
  const char* name;
  const char* version;
  int (*register_strategies)(wcs::Registry* registry, char* error, std::size_t error_size);
};
typedef const wcs_plugin_v1* (*wcs_plugin_entry_fn)();
}

namespace wcs::detail {
template <void (*Register)(Registry&)>
int register_thunk(Registry* registry, char* error, std::size_t error_size) noexcept {
  try {
    Register(*registry);
    return 0;
  } catch (const std::exception& e) {
    std::strncpy(error, e.what(), error_size - 1);
    error[error_size - 1] = '\0';
  } catch (...) {
    std::strncpy(error, "unknown exception", error_size - 1);
    error[error_size - 1] = '\0';
  }
  return 1;
}
}  // namespace wcs::detail

/// Defines the module's entry point. REGISTER is a `void(wcs::Registry&)` function
/// that calls `registry.add(...)` for each strategy of the module.
#define WCS_PLUGIN(NAME, VERSION, REGISTER)                                                  \
  extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() { \
    static const wcs_plugin_v1 plugin{WCS_PLUGIN_ABI_VERSION, NAME, VERSION,                  \
                                      &::wcs::detail::register_thunk<REGISTER>};              \
    return &plugin;                                                                           \
  }

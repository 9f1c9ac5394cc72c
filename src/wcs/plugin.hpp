// The plugin ABI: what a strategy module exports, and the macro that writes it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>

#include "wcs/abi_fingerprint.hpp"
#include "wcs/registry.hpp"

/// The layout of `wcs_plugin_v1` below; bumped when that struct changes. Version 2
/// added `abi_fingerprint`.
#define WCS_PLUGIN_ABI_VERSION 2u

#define WCS_ABI_STR_(x) #x
#define WCS_ABI_STR(x) WCS_ABI_STR_(x)
#ifdef _GLIBCXX_USE_CXX11_ABI
#define WCS_ABI_CXX11_ "cxx11abi=" WCS_ABI_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define WCS_ABI_CXX11_ "cxx11abi=none"
#endif
#ifdef _GLIBCXX_DEBUG
#define WCS_ABI_DEBUG_ " glibcxx-debug"  // debug-mode containers have another layout
#else
#define WCS_ABI_DEBUG_ ""
#endif
/// What a module is built against: the hash of the core's public headers (made at
/// build time, wcs/abi_fingerprint.hpp), the compiler's C++ ABI and the standard
/// library's string/list ABI. The loader refuses a module whose fingerprint is not
/// the core's (wcs::abi_fingerprint()).
#define WCS_ABI_FINGERPRINT \
  "headers=" WCS_ABI_HEADERS_HASH " gxxabi=" WCS_ABI_STR(__GXX_ABI_VERSION) " " WCS_ABI_CXX11_ WCS_ABI_DEBUG_

extern "C" {
/// Returned by a module's `wcs_plugin_entry`. `register_strategies` adds the
/// module's strategies to the registry it is given and returns 0, or writes a
/// message into `error` and returns non-zero; it never lets an exception out.
struct wcs_plugin_v1 {
  std::uint32_t abi_version;
  const char* name;
  const char* version;
  int (*register_strategies)(wcs::Registry* registry, char* error, std::size_t error_size);
  const char* abi_fingerprint;  ///< WCS_ABI_FINGERPRINT of the headers it was built with (ABI version >= 2)
};
typedef const wcs_plugin_v1* (*wcs_plugin_entry_fn)();
}

namespace wcs {
/// The fingerprint the core library was built with (WCS_ABI_FINGERPRINT as compiled
/// into libwcs, not as seen by the caller's headers).
const char* abi_fingerprint();
}  // namespace wcs

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
                                      &::wcs::detail::register_thunk<REGISTER>,               \
                                      WCS_ABI_FINGERPRINT};                                   \
    return &plugin;                                                                           \
  }

// The plugin ABI: what a strategy module exports, and the macro that writes it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>

#include "wcs/abi_fingerprint.hpp"
#include "wcs/registry.hpp"

/// The layout of `wcs_plugin_v1` below and what its fields mean; bumped when either
/// changes. Version 2 added `abi_fingerprint`; version 3 made `name` the build's and
/// `identity` (a hand-typed version before) the hash of the module's sources.
#define WCS_PLUGIN_ABI_VERSION 3u

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
/// module's one strategy, named `name`, to the registry it is given and returns 0,
/// or writes a message into `error` and returns non-zero; it never lets an exception
/// out.
struct wcs_plugin_v1 {
  std::uint32_t abi_version;
  const char* name;      ///< the strategy it registers, as its build names it (WCS_STRATEGY_NAME)
  const char* identity;  ///< the hash of the sources compiled into it, made by its build
  int (*register_strategies)(wcs::Registry* registry, char* error, std::size_t error_size);
  const char* abi_fingerprint;  ///< WCS_ABI_FINGERPRINT of the headers it was built with
};
typedef const wcs_plugin_v1* (*wcs_plugin_entry_fn)();
}

namespace wcs {
/// The fingerprint the core library was built with (WCS_ABI_FINGERPRINT as compiled
/// into libwcs, not as seen by the caller's headers).
const char* abi_fingerprint();
/// The hash of the core's own sources (src/wcs), made when libwcs was built. The
/// outer loop and everything else of the core a strategy calls is the code of the
/// libwcs it runs with: the second half of every strategy's identity
/// (StrategyInfo::identity).
const char* core_identity();
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

#ifdef WCS_STRATEGY_NAME
/// The hash of this module's sources, defined by a file its build generates
/// (identity.py sources OUTPUT DEPFILE wcs_module_identity ...).
extern "C" __attribute__((visibility("hidden"))) const char wcs_module_identity[];

/// Defines the module's entry point. REGISTER is a `void(wcs::Registry&)` function
/// that calls `registry.add(...)` for the module's strategy, named
/// WCS_STRATEGY_NAME. The build defines that name (strategies/meson.build, the one
/// place it is written) and generates wcs_module_identity; the loader refuses a
/// module that registers another name.
#define WCS_PLUGIN(REGISTER)                                                                          \
  extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {         \
    static const wcs_plugin_v1 plugin{WCS_PLUGIN_ABI_VERSION, WCS_STRATEGY_NAME, wcs_module_identity, \
                                      &::wcs::detail::register_thunk<REGISTER>, WCS_ABI_FINGERPRINT}; \
    return &plugin;                                                                                   \
  }
#else
#define WCS_PLUGIN(REGISTER)                                                                                     \
  static_assert(false,                                                                                           \
                "WCS_PLUGIN: WCS_STRATEGY_NAME is not defined: build the module as strategies/meson.build does " \
                "(or, out of the tree, as examples/out-of-tree-plugin/meson.build does)");
#endif

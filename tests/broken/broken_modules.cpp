// Deliberately broken strategy modules for the loader tests; one file, built once
// per kind with a different BROKEN_KIND and WCS_STRATEGY_NAME (tests/broken/meson.build).
#include <memory>
#include <stdexcept>

#include "wcs/plugin.hpp"

// What identity.py generates for a real module.
extern "C" __attribute__((visibility("hidden"))) const char wcs_module_identity[] = "0123456789abcdef";

namespace {
[[maybe_unused]] std::unique_ptr<wcs::Strategy> none(const wcs::Options&, const wcs::Registry&) { return nullptr; }
[[maybe_unused]] void register_throws(wcs::Registry&) { throw std::runtime_error("boom"); }
[[maybe_unused]] void register_named(wcs::Registry& registry, const char* name) {
  wcs::StrategyInfo info;
  info.name = name;
  registry.add(info, &none);
}
[[maybe_unused]] void register_duplicate(wcs::Registry& registry) { register_named(registry, "reference"); }
[[maybe_unused]] void register_other_name(wcs::Registry& registry) { register_named(registry, "other-name"); }
[[maybe_unused]] void register_two(wcs::Registry& registry) {
  register_named(registry, "two-strategies");
  register_named(registry, "also-good");
}
[[maybe_unused]] void register_nothing(wcs::Registry&) {}
[[maybe_unused]] void register_no_factory(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "no-factory";
  registry.add(info, nullptr);
}
[[maybe_unused]] void register_null_strategy(wcs::Registry& registry) { register_named(registry, "null-strategy"); }
[[maybe_unused]] int register_never(wcs::Registry*, char*, std::size_t) { return 0; }
}  // namespace

#define BROKEN_ENTRY(...)                                                                     \
  extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() { \
    static const wcs_plugin_v1 plugin{__VA_ARGS__, WCS_ABI_FINGERPRINT};                      \
    return &plugin;                                                                           \
  }

#if BROKEN_KIND == 1  // an ordinary shared object without the entry point
extern "C" __attribute__((visibility("default"))) int not_a_plugin() { return 1; }
#elif BROKEN_KIND == 2   // another ABI version
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{999, "wrong-abi", "0", nullptr, nullptr};
  return &plugin;
}
#elif BROKEN_KIND == 10  // this ABI version, but built against other headers
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{WCS_PLUGIN_ABI_VERSION, "wrong-fingerprint", "0",
                                    &wcs::detail::register_thunk<register_nothing>,
                                    "headers=0000000000000000 gxxabi=0 cxx11abi=0"};
  return &plugin;
}
#elif BROKEN_KIND == 3
WCS_PLUGIN(register_throws)
#elif BROKEN_KIND == 4   // built as 'reference' and registers it: the name is taken
WCS_PLUGIN(register_duplicate)
#elif BROKEN_KIND == 5   // an entry whose register function is null
BROKEN_ENTRY(WCS_PLUGIN_ABI_VERSION, "null-register", "0", nullptr)
#elif BROKEN_KIND == 6   // null name and identity
BROKEN_ENTRY(WCS_PLUGIN_ABI_VERSION, nullptr, nullptr, &register_never)
#elif BROKEN_KIND == 7   // the entry point returns a null pointer
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() { return nullptr; }
#elif BROKEN_KIND == 8   // registers a strategy without a factory
WCS_PLUGIN(register_no_factory)
#elif BROKEN_KIND == 11  // its code registers another name than its build gives it
WCS_PLUGIN(register_other_name)
#elif BROKEN_KIND == 12  // registers its own strategy and a second one
WCS_PLUGIN(register_two)
#elif BROKEN_KIND == 13  // registers nothing
WCS_PLUGIN(register_nothing)
#else                    // a factory that makes nothing: loads, but creating the strategy fails cleanly
WCS_PLUGIN(register_null_strategy)
#endif

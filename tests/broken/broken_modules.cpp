// Deliberately broken strategy modules for the loader tests; one file, built once
// per kind with a different BROKEN_KIND.
#include "wcs/plugin.hpp"

namespace {
[[maybe_unused]] void register_throws(wcs::Registry&) { throw std::runtime_error("boom"); }
[[maybe_unused]] void register_duplicate(wcs::Registry& registry) {
  wcs::StrategyInfo good;
  good.name = "also-good";
  auto none = [](const wcs::Options&, const wcs::Registry&) -> std::unique_ptr<wcs::Strategy> { return nullptr; };
  registry.add(good, none);
  wcs::StrategyInfo dup;
  dup.name = "reference";
  registry.add(dup, none);
}
[[maybe_unused]] void register_no_factory(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "no-factory";
  registry.add(info, nullptr);
}
[[maybe_unused]] void register_null_strategy(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "null-strategy";
  registry.add(info, [](const wcs::Options&, const wcs::Registry&) -> std::unique_ptr<wcs::Strategy> { return nullptr; });
}
[[maybe_unused]] int register_never(wcs::Registry*, char*, std::size_t) { return 0; }
}  // namespace

#define BROKEN_ENTRY(...)                                                                     \
  extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() { \
    static const wcs_plugin_v1 plugin{__VA_ARGS__, WCS_ABI_FINGERPRINT};                       \
    return &plugin;                                                                           \
  }

#if BROKEN_KIND == 1  // an ordinary shared object without the entry point
extern "C" __attribute__((visibility("default"))) int not_a_plugin() { return 1; }
#elif BROKEN_KIND == 2  // another ABI version
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{999, "wrong-abi", "0", nullptr, nullptr};
  return &plugin;
}
#elif BROKEN_KIND == 10  // this ABI version, but built against other headers
static void register_nothing(wcs::Registry&) {}
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{WCS_PLUGIN_ABI_VERSION, "wrong-fingerprint", "0",
                                    &wcs::detail::register_thunk<register_nothing>,
                                    "headers=0000000000000000 gxxabi=0 cxx11abi=0"};
  return &plugin;
}
#elif BROKEN_KIND == 3
WCS_PLUGIN("throws", "0", register_throws)
#elif BROKEN_KIND == 4
WCS_PLUGIN("duplicate", "0", register_duplicate)
#elif BROKEN_KIND == 5  // an entry whose register function is null
BROKEN_ENTRY(WCS_PLUGIN_ABI_VERSION, "null-register", "0", nullptr)
#elif BROKEN_KIND == 6  // null name and version
BROKEN_ENTRY(WCS_PLUGIN_ABI_VERSION, nullptr, nullptr, &register_never)
#elif BROKEN_KIND == 7  // the entry point returns a null pointer
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() { return nullptr; }
#elif BROKEN_KIND == 8  // registers a strategy without a factory
WCS_PLUGIN("no-factory", "0", register_no_factory)
#else  // a factory that makes nothing: loads, but creating the strategy fails cleanly
WCS_PLUGIN("null-strategy", "0", register_null_strategy)
#endif

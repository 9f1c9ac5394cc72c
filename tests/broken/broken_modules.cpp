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
}  // namespace

#if BROKEN_KIND == 1  // an ordinary shared object without the entry point
extern "C" __attribute__((visibility("default"))) int not_a_plugin() { return 1; }
#elif BROKEN_KIND == 2  // another ABI version
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{999, "wrong-abi", "0", nullptr, nullptr};
  return &plugin;
}
#elif BROKEN_KIND == 7  // this ABI version, but built against other headers
static void register_nothing(wcs::Registry&) {}
extern "C" __attribute__((visibility("default"))) const wcs_plugin_v1* wcs_plugin_entry() {
  static const wcs_plugin_v1 plugin{WCS_PLUGIN_ABI_VERSION, "wrong-fingerprint", "0",
                                    &wcs::detail::register_thunk<register_nothing>,
                                    "headers=0000000000000000 gxxabi=0 cxx11abi=0"};
  return &plugin;
}
#elif BROKEN_KIND == 3
WCS_PLUGIN("throws", "0", register_throws)
#else
WCS_PLUGIN("duplicate", "0", register_duplicate)
#endif

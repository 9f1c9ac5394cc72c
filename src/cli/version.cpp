#include "version.hpp"

#include <fmt/format.h>
#include <hwy/targets.h>

#include "commit.hpp"
#include "kernels/kernels.hpp"
#include "wcs/plugin.hpp"
#include "wcs/plugin_loader.hpp"

#ifndef WCS_VERSION
#define WCS_VERSION "unknown"
#endif
#ifndef WCS_COMPILER
#define WCS_COMPILER "unknown"
#endif
#ifndef WCS_BUILD_TYPE
#define WCS_BUILD_TYPE "unknown"
#endif
#ifndef WCS_XSIMD_ARCHES
#define WCS_XSIMD_ARCHES "unknown"
#endif
#ifndef WCS_CXX_FLAGS
#define WCS_CXX_FLAGS "unknown"
#endif

namespace wcs::cli {
namespace {

/// Names of the Highway targets in a mask, best first (hwy::TargetName).
std::string hwy_targets(std::int64_t mask) {
  std::string out;
  for (std::int64_t t = mask; t != 0; t &= t - 1) {
    const std::int64_t bit = t & -t;  // lower bits are the better targets
    if (!out.empty()) out += ' ';
    out += hwy::TargetName(bit);
  }
  return out;
}

}  // namespace

std::string build_commit() { return WCS_GIT_COMMIT; }

std::string simd_target() {
  const auto& k = wcs::kernels::fastest();
  return fmt::format("{} ({})", k.isa(), k.name);
}

std::string version_text() {
  std::string kernels_compiled, kernels_chosen;
  for (const auto& k : wcs::kernels::all()) {
    kernels_compiled += fmt::format("{}{}", kernels_compiled.empty() ? "" : " ", k.name);
    kernels_chosen += fmt::format("{}{}={}", kernels_chosen.empty() ? "" : " ", k.name, k.isa());
  }
  const auto& fastest = wcs::kernels::fastest();
  std::string text;
  text += fmt::format("wcs {}\n", WCS_VERSION);
  text += fmt::format("commit        {}\n", build_commit());
  text += fmt::format("compiler      {}\n", WCS_COMPILER);
  text += fmt::format("build type    {} ({})\n", WCS_BUILD_TYPE, WCS_CXX_FLAGS);
  text += fmt::format("simd built    kernels: {}; Highway targets: {}; xsimd: {}\n", kernels_compiled,
                      hwy_targets(HWY_TARGETS), WCS_XSIMD_ARCHES);
  text += fmt::format("simd chosen   {}; Highway on this CPU: {}; fastest kernel: {} ({})\n", kernels_chosen,
                      hwy_targets(hwy::SupportedTargets() & HWY_TARGETS), fastest.name, fastest.isa());
  text += fmt::format("plugin ABI    version {}, fingerprint {}\n", WCS_PLUGIN_ABI_VERSION, wcs::abi_fingerprint());
  text += fmt::format("plugins       {}", wcs::default_plugin_dir());
  return text;
}

}  // namespace wcs::cli

// What `wcs --version` prints: version, commit, compiler, build type, SIMD targets
// compiled in and chosen on this machine, and the plugin ABI.
#pragma once
#include <string>

namespace wcs::cli {

/// Several lines, the first "wcs VERSION".
std::string version_text();

/// The commit this program was built from, fixed at build time: `git describe
/// --always --dirty` of the source tree (HEX, HEX-dirty, or "unknown" outside a
/// checkout).
std::string build_commit();

/// The fastest kernel on this CPU, "ISA (kernel)": the SIMD target `wcs run` records
/// in each run's context (wcs_simd_target).
std::string simd_target();

}  // namespace wcs::cli

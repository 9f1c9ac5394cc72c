// The strategies of the enumeration kernels (`fused`, `gray`, `simd-xsimd`,
// `simd-highway`): this one source, built once per kernel with WCS_STRATEGY_NAME
// naming it (strategies/meson.build). The kernel table (src/kernels/table.cpp) gives
// each its description and N limit. A cycle runs the kernel over every line, then
// the exact step (src/search/exact_step.hpp) makes the winner, its r and the WPN
// decision those of `reference` to the bit. Each strategy's idea is in its folder's
// README.
#include <stdexcept>

#include "kernels.hpp"
#include "search/kernel_search.hpp"
#include "wcs/plugin.hpp"

namespace {

void register_kernel(wcs::Registry& registry) {
  const wcs::kernels::KernelInfo* kernel = wcs::kernels::find(WCS_STRATEGY_NAME);
  if (kernel == nullptr)
    throw std::logic_error("strategy '" WCS_STRATEGY_NAME "': no kernel of that name (src/kernels/table.cpp)");
  wcs::search::register_kernel_strategy(registry, kernel->name, kernel->description, kernel->max_n);
}

}  // namespace

WCS_PLUGIN(register_kernel)

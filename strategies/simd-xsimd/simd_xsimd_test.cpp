// `simd-xsimd`: every compiled xsimd instance this CPU runs against a scalar min and
// against fused_range on random ranges (N = 1..22, exact ties from zero terms), the
// dispatched kernel, and the strategy against `reference` (conformance kit).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "conformance.hpp"
#include "kernel_checks.hpp"
#include "wcs/error.hpp"
#include "kernels.hpp"
#include "simd_table.hpp"
#include "simd_xsimd.hpp"

namespace {

using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;
namespace st = wcs::kernels::simd_table;
namespace xd = wcs::kernels::xsimd_detail;

}  // namespace

TEST_CASE("every runnable xsimd instance computes min |table + offset|") {
  for (const auto& inst : xd::runnable_instances()) {
    INFO("instance " << inst.name);
    wcs::test::check_block_primitives(inst.block_min, inst.block_find);
  }
}

TEST_CASE("every runnable xsimd instance keeps the kernel contract against fused_range on random ranges") {
  const auto instances = xd::runnable_instances();
  REQUIRE(instances.size() >= 1);
  for (const auto& inst : instances) {
    INFO("instance " << inst.name);
    wcs::test::check_against_fused(
        [&](const CycleView& view, std::uint64_t first, std::uint64_t last) {
          return st::scan(view, first, last, inst.block_min, inst.block_find);
        },
        20261201, 132);
  }
}

TEST_CASE("the dispatched xsimd kernel is in the kernel table and uses the best instance") {
  const auto* k = wcs::kernels::find("simd-xsimd");
  REQUIRE(k != nullptr);
  CHECK(k->run == &wcs::kernels::simd_xsimd_range);
  const std::string isa = k->isa();
  CHECK(isa == xd::runnable_instances().front().name);
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 5u, 11u, 12u, 17u, 20u}) {
    const auto dl = wcs::test::random_dl(rng, n, true, true);
    const CycleView view{3.0, dl, 25.0};
    const std::uint64_t end = std::uint64_t{1} << n;
    const RangeBest want = wcs::kernels::fused_range(view, 1, end);
    const RangeBest got = k->run(view, 1, end);
    INFO("N=" << n);
    CHECK(got.error == want.error);  // integer terms: exact
    CHECK(got.result == wcs::test::fused_value(view, got.line));
  }
}

TEST_CASE("simd-xsimd passes the conformance kit against reference") {
  wcs::test::check_family("simd-xsimd");
  // Larger N: the table (11 bits) and the vector blocks are in play.
  wcs::test::check_family("simd-xsimd", {}, wcs::test::problems(24, 19, 4242));
}

TEST_CASE("simd-xsimd reports its instruction set, refuses N above its max_n, repairs a near-tie") {
  wcs::test::check_table_strategy("simd-xsimd", wcs::kernels::simd_xsimd_isa());
}

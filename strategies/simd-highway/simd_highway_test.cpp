// `simd-highway`: for every Highway target compiled and supported here, the vector
// primitive against a scalar min, the kernel against fused_range on random ranges
// (N = 1..22, exact ties from zero terms), and the strategy against `reference`
// (conformance kit); plus the dispatched target as the reported instruction set.
#include <catch2/catch.hpp>

#include <hwy/highway.h>
#include <hwy/targets.h>

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

namespace {

using wcs::kernels::CycleView;
using wcs::kernels::RangeBest;

// Runs `body(target name)` once per target compiled into this build that this CPU
// supports, with dispatch forced to that target; restores normal dispatch after.
template <class Body>
void for_each_target(Body&& body) {
  const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  REQUIRE(!targets.empty());
  for (const std::int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    INFO("Highway target " << hwy::TargetName(target));
    CHECK(std::string(wcs::kernels::simd_highway_isa()) == hwy::TargetName(target));
    body(std::string(hwy::TargetName(target)));
  }
  hwy::SetSupportedTargetsForTest(0);
}

}  // namespace

TEST_CASE("every Highway target computes min |table + offset|") {
  for_each_target([&](const std::string&) {
    wcs::test::check_block_primitives(&wcs::kernels::simd_highway_block_min, &wcs::kernels::simd_highway_block_find);
  });
}

TEST_CASE("every Highway target keeps the kernel contract against fused_range on random ranges") {
  for_each_target([](const std::string&) { wcs::test::check_against_fused(&wcs::kernels::simd_highway_range, 20261201, 132); });
}

TEST_CASE("the Highway kernel is in the kernel table and reports the dispatched target") {
  const auto* k = wcs::kernels::find("simd-highway");
  REQUIRE(k != nullptr);
  CHECK(k->run == &wcs::kernels::simd_highway_range);
  // Without a forced target, dispatch takes the best supported one (the first).
  CHECK(std::string(k->isa()) == hwy::TargetName(hwy::SupportedAndGeneratedTargets().front()));
}

TEST_CASE("simd-highway passes the conformance kit against reference on every target") {
  wcs::test::check_family("simd-highway");
  wcs::test::check_family("simd-highway", {}, wcs::test::problems(24, 19, 4242));
  // The module has its own dispatch table but shares Highway's chosen target.
  for_each_target([](const std::string&) { wcs::test::check_family("simd-highway", {}, wcs::test::problems(60, 16, 77)); });
}

TEST_CASE("simd-highway reports its instruction set on every target, refuses N above its max_n, repairs a near-tie") {
  wcs::test::check_table_strategy("simd-highway", wcs::kernels::simd_highway_isa());
  for_each_target([&](const std::string& name) { wcs::test::check_table_strategy("simd-highway", name); });
}

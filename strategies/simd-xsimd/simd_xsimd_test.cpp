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

template <class Arch>
double block_min_of(const double* table, std::size_t count, double offset) {
  return xd::BlockMin{}(Arch{}, table, count, offset);
}

template <class Arch>
std::size_t block_find_of(const double* table, std::size_t count, double offset, double value) {
  return xd::BlockFind{}(Arch{}, table, count, offset, value);
}

struct Instance {
  std::string name;
  st::BlockMin fn;
  st::BlockFind find;
};

// The instances compiled into this build that this CPU can run.
std::vector<Instance> runnable_instances() {
  __builtin_cpu_init();
  std::vector<Instance> out;
  out.push_back({"sse2", &block_min_of<xsimd::sse2>, &block_find_of<xsimd::sse2>});
  if (__builtin_cpu_supports("avx2")) out.push_back({"avx2", &block_min_of<xsimd::avx2>, &block_find_of<xsimd::avx2>});
  if (__builtin_cpu_supports("avx512f"))
    out.push_back({"avx512f", &block_min_of<xsimd::avx512f>, &block_find_of<xsimd::avx512f>});
  return out;
}

}  // namespace

TEST_CASE("every runnable xsimd instance computes min |table + offset|") {
  std::mt19937_64 rng(7);
  std::vector<double> table(2048);
  for (auto& x : table) x = std::uniform_real_distribution<double>(-100.0, 100.0)(rng);
  for (const double offset : {0.0, -3.5, 1e3, 17.25}) {
    double want = std::numeric_limits<double>::infinity();
    double want_first32 = want;
    for (std::size_t j = 0; j < table.size(); ++j) {
      want = std::min(want, std::fabs(table[j] + offset));
      if (j < 32) want_first32 = want;
    }
    for (const auto& inst : runnable_instances()) {
      INFO(inst.name << " offset " << offset);
      CHECK(inst.fn(table.data(), table.size(), offset) == want);
      CHECK(inst.fn(table.data(), 32, offset) == want_first32);
      // find: the first index holding the minimum, and count when the value is absent.
      const std::size_t at = inst.find(table.data(), table.size(), offset, want);
      REQUIRE(at < table.size());
      CHECK(std::fabs(table[at] + offset) == want);
      for (std::size_t j = 0; j < at; ++j) CHECK(std::fabs(table[j] + offset) != want);
      CHECK(inst.find(table.data(), table.size(), offset, -1.0) == table.size());
    }
  }
}

TEST_CASE("every runnable xsimd instance keeps the kernel contract against fused_range on random ranges") {
  const auto instances = runnable_instances();
  REQUIRE(instances.size() >= 1);
  for (const auto& inst : instances) {
    INFO("instance " << inst.name);
    wcs::test::check_against_fused(
        [&](const CycleView& view, std::uint64_t first, std::uint64_t last) {
          return st::scan(view, first, last, inst.fn, inst.find);
        },
        20261201, 132);
  }
}

TEST_CASE("the dispatched xsimd kernel is in the kernel table and uses the best instance") {
  const auto* k = wcs::kernels::find("simd-xsimd");
  REQUIRE(k != nullptr);
  CHECK(k->run == &wcs::kernels::simd_xsimd_range);
  const std::string isa = k->isa();
  CHECK(isa == runnable_instances().back().name);
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

TEST_CASE("simd-xsimd reports the instruction set it used") {
  wcs::Problem p;
  p.coefficients = {3, 7, 11, 15, 19, 23, 27, 31};
  p.target = 120;
  p.tolerance = 3;
  p.max_iter = 50;
  const wcs::SolveResult r = wcs::test::plugins().create("simd-xsimd").solve(p);
  REQUIRE(r.notes.count("isa") == 1);
  CHECK(r.notes.at("isa") == wcs::kernels::simd_xsimd_isa());
  CHECK(r.converged);
  CHECK(r.result == 121);  // worked example: the tie 121 / 119 goes to the larger r
}

TEST_CASE("simd-xsimd refuses N above its max_n") {
  wcs::Problem p;
  p.coefficients.assign(41, 1.0);
  p.target = 3;
  CHECK_THROWS_AS(wcs::test::plugins().create("simd-xsimd").solve(p), wcs::InputError);
}

TEST_CASE("simd-xsimd repairs a near-tie that the table values rank the other way") {
  // Found by a seeded search: 0.91+1.14+1.26+2.7-... (line 241) and line 47 both sum
  // to 6.55 exactly; reference's bit-exact sums give line 47 the smaller error, the
  // d form's summation orders may give it to line 241.
  wcs::Problem p;
  p.coefficients = {-1.08, 2.75, 1.27, 0.91, 0.18, 1.14, 1.26, 2.7};
  p.target = 6.55;
  p.max_iter = 1;
  wcs::SolveOptions traced;
  traced.trace = true;
  const wcs::SolveResult want = wcs::test::plugins().create("reference").solve(p, traced);
  const wcs::SolveResult got = wcs::test::plugins().create("simd-xsimd").solve(p, traced);
  REQUIRE(got.trace.size() == 1);
  CHECK(want.trace[0].line == std::optional<std::uint64_t>(47));
  CHECK(got.trace[0].line == want.trace[0].line);
  CHECK(got.result == want.result);  // to the bit
}

// Defaults that work: every registered strategy, with its default options, accepts
// every valid problem of N = 1, 2 and 3 and keeps its family's promise on it (the
// conformance kit: identical strategies equal reference to the bit, the others are
// honest). A strategy that declares a narrower domain (StrategyInfo::domain) may
// refuse a problem outside it, and only there (checked for `dp`: exactly at the
// first cycle outside exact binary arithmetic).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "conformance.hpp"
#include "wcs/error.hpp"

namespace {

// The kit's problems at N = 1 to 3 (integer and decimal, reachable, unreachable and
// random targets, tolerance 0 and positive, WPN rules), each N present.
std::vector<wcs::test::Case> tiny_cases() {
  auto cases = wcs::test::problems(240, 3, 20261201);
  std::set<std::size_t> sizes;
  for (const auto& c : cases) sizes.insert(c.problem.n());
  REQUIRE(sizes == std::set<std::size_t>{1, 2, 3});
  return cases;
}

}  // namespace

TEST_CASE("every registered strategy accepts N = 1, 2 and 3 with its default options") {
  const auto cases = tiny_cases();
  wcs::Registry& registry = wcs::test::plugins();
  REQUIRE(registry.size() >= 2);
  wcs::Solver reference = registry.create("reference");
  wcs::SolveOptions traced;
  traced.trace = true;
  for (const wcs::StrategyInfo* info : registry.list()) {
    INFO("strategy " << info->name);
    if (info->max_n < 3) {
      FAIL_CHECK(info->name << " declares max_n = " << info->max_n << ", below 3");
      continue;
    }
    // The family promise on every case (refusals only where a domain allows them).
    const wcs::test::FamilyCounts counts = wcs::test::check_family_counts(info->name, {}, cases);
    CHECK(counts.solved + counts.refused == cases.size());
    if (info->domain.empty()) CHECK(counts.refused == 0);
    wcs::Solver solver = registry.create(info->name);
    for (const auto& [k, message] : counts.refusals) {
      INFO(cases[k].label << ": " << message);
      CHECK(wcs::test::domain_mismatch(solver, cases[k].problem, reference.solve(cases[k].problem, traced), &message) ==
            "");
    }
    // A strategy with a domain still takes every integer problem: a refusal of one
    // comes in a later cycle (for dp, once halvings of p have widened the span).
    if (!info->domain.empty()) {
      CHECK(counts.solved > 0);
      for (const auto& [k, message] : counts.refusals) {
        if (!cases[k].integer) continue;
        INFO(cases[k].label << ": " << message);
        const std::string head = info->name + ": cycle ";
        REQUIRE(message.rfind(head, 0) == 0);
        CHECK(std::stoll(message.substr(head.size())) >= 2);
      }
    }
  }
}

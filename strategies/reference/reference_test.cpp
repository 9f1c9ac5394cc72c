// `reference` against the worked examples of algorithm.md, cycle by cycle, and
// against the conformance kit.
#include <catch2/catch.hpp>

#include "conformance.hpp"

TEST_CASE("reference passes the conformance kit against itself") {
  wcs::test::check_family("reference");
}

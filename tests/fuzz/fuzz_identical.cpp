// libFuzzer target: the identical family's promise on arbitrary inputs. The input
// drives the boundary generator of the differential test
// (tests/conformance/boundary.hpp: each eight bytes one of its choices), or, when its
// first byte is odd, gives the coefficients and the target as raw doubles, or, when
// it is 2 modulo 4, drives the lattice generator up to N = 16 (decimal lattices
// where lines tie by the thousand, issue 23). Every
// identical strategy, and sampling at or below its threshold, must then give
// reference's winner, r and p in every cycle, to the bit; a difference prints the
// `wcs solve` command that reproduces it and aborts (a finding).
//
// The strategy modules come from WCS_FUZZ_PLUGIN_DIR, else from the build tree beside
// this program (build-fuzz/strategies).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "wcs/error.hpp"
#include "wcs/plugin_loader.hpp"

namespace {

struct Setup {
  wcs::Registry registry;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> candidates;
};

Setup& setup() {
  static Setup s = [] {
    Setup out;
    std::string dir;
    if (const char* env = std::getenv("WCS_FUZZ_PLUGIN_DIR"); env && *env) dir = env;
    else dir = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / ".." / ".." / "strategies").string();
    wcs::PluginReport report;
    wcs::load_plugin_dir(dir, out.registry, report);
    for (const auto& p : report.problems) std::fprintf(stderr, "fuzz_identical: plugin %s\n", p.c_str());
    if (!out.registry.find("reference")) {
      std::fprintf(stderr, "fuzz_identical: no reference strategy in %s\n", dir.c_str());
      std::abort();
    }
    for (const wcs::StrategyInfo* info : out.registry.list())
      if (info->family == wcs::Family::identical && info->name != "reference") out.candidates.push_back({info->name, {}});
    if (out.registry.find("sampling")) out.candidates.push_back({"sampling", {{"threshold", "12"}}});
    return out;
  }();
  return s;
}

// Coefficients and target as raw doubles (eight bytes each): N from the second byte.
bool raw_problem(const std::uint8_t* data, std::size_t size, wcs::Problem& p) {
  if (size < 2) return false;
  const std::size_t n = 1 + data[1] % 10;
  if (size < 2 + 8 * (n + 1) + 1) return false;
  auto take = [&](std::size_t k) {
    double x;
    std::memcpy(&x, data + 2 + 8 * k, sizeof x);
    return x;
  };
  for (std::size_t i = 0; i < n; ++i) p.coefficients.push_back(take(i));
  p.target = take(n);
  p.max_iter = 1 + data[2 + 8 * (n + 1)] % 10;
  // Keep sums finite: wild magnitudes only test overflow, which is not the promise.
  for (double a : p.coefficients)
    if (!std::isfinite(a) || std::fabs(a) > 1e12) return false;
  return std::isfinite(p.target) && std::fabs(p.target) <= 1e13;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Setup& s = setup();
  wcs::test::Case c;
  if (size > 0 && (data[0] & 1)) {
    if (!raw_problem(data, size, c.problem)) return 0;
    c.label = "raw doubles";
  } else if (size > 0 && (data[0] & 3) == 2) {
    wcs::test::ByteDraw draw({data + 1, size - 1});
    c = wcs::test::lattice_problem(draw, 16);
  } else {
    wcs::test::ByteDraw draw({data, size});
    c = wcs::test::boundary_problem(draw);
  }
  wcs::SolveOptions traced;
  traced.trace = true;
  wcs::SolveResult want;
  try {
    want = s.registry.create("reference").solve(c.problem, traced);
  } catch (const wcs::InputError&) {
    return 0;  // not a valid problem (all coefficients ~0, say): nothing to compare
  }
  for (const auto& [name, options] : s.candidates) {
    wcs::Solver solver = s.registry.create(name, options);
    if (c.problem.n() > solver.info().max_n) continue;
    if (name == "sampling" && c.problem.n() > 12) continue;  // exhaustive, hence identical, up to its threshold only
    wcs::SolveResult got;
    try {
      got = solver.solve(c.problem, traced);
    } catch (const wcs::InputError& e) {
      if (!solver.info().domain.empty()) continue;  // outside a declared narrower domain
      std::fprintf(stderr, "%s refused a problem reference solved (%s): %s\n  reproduce: %s\n", name.c_str(),
                   c.label.c_str(), e.what(), wcs::test::solve_command(name, options, c.problem).c_str());
      std::abort();
    }
    if (const auto difference = wcs::test::identical_difference(got, want)) {
      std::fprintf(stderr, "%s on %s: %s\n  reproduce: %s\n", name.c_str(), c.label.c_str(), difference->c_str(),
                   wcs::test::solve_command(name, options, c.problem).c_str());
      std::abort();
    }
  }
  return 0;
}

// The plugin loader: bad modules are reported with their path and reason, and the
// good ones keep working; the registry rejects duplicate names.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "conformance.hpp"
#include "wcs/error.hpp"
#include "wcs/memory.hpp"
#include "wcs/plugin.hpp"
#include "wcs/plugin_loader.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  REQUIRE(v != nullptr);
  return v;
}
bool reported(const wcs::PluginReport& report, const std::string& path, const std::string& reason) {
  for (const auto& p : report.problems)
    if (p.find(path) == 0 && p.find(reason) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("a plugin folder with broken modules: each is reported, the rest work") {
  const wcs::test::TempDir fresh;
  const fs::path& dir = fresh.path();
  const fs::path broken = env("WCS_TEST_BROKEN_PLUGIN_DIR");
  for (const char* name :
       {"no-entry.so", "wrong-abi.so", "throws.so", "duplicate.so", "null-register.so", "null-name.so", "null-entry.so",
        "no-factory.so", "null-strategy.so", "wrong-name.so", "two-strategies.so", "no-strategy.so"})
    fs::copy_file(broken / name, dir / name);
  std::ofstream(dir / "garbage.so") << "not an ELF file";
  fs::copy_file(fs::path(env("WCS_TEST_PLUGIN_DIR")) / "wcs-strategy-reference.so", dir / "a-reference.so");

  wcs::Registry registry;
  wcs::PluginReport report;
  wcs::load_plugin_dir(dir.string(), registry, report);
  CHECK(report.loaded.size() == 2);  // a-reference.so and null-strategy.so
  CHECK(registry.find("reference") != nullptr);
  CHECK(registry.find("no-factory") == nullptr);
  CHECK(report.problems.size() == 12);
  CHECK(reported(report, (dir / "garbage.so").string(), "cannot load"));
  CHECK(reported(report, (dir / "no-entry.so").string(), "no wcs_plugin_entry"));
  CHECK(reported(report, (dir / "wrong-abi.so").string(), "ABI version 999"));
  CHECK(reported(report, (dir / "throws.so").string(), "registration failed: boom"));
  CHECK(reported(report, (dir / "duplicate.so").string(), "'reference': already registered"));
  // Null pointers in the entry are reported and the module skipped, never called.
  CHECK(reported(report, (dir / "null-register.so").string(), "null pointers: register_strategies"));
  CHECK(reported(report, (dir / "null-name.so").string(), "null pointers: name identity"));
  CHECK(reported(report, (dir / "null-entry.so").string(), "wcs_plugin_entry returned a null pointer"));
  CHECK(reported(report, (dir / "no-factory.so").string(),
                 "registration failed: strategy 'no-factory': registered without a factory"));
  // The name is the build's: a module whose code registers another name, a second
  // strategy or none is refused, and registers nothing (all or nothing).
  CHECK(reported(report, (dir / "wrong-name.so").string(),
                 "strategy 'other-name': registered by the module built as 'wrong-name'"));
  CHECK(registry.find("other-name") == nullptr);
  CHECK(reported(report, (dir / "two-strategies.so").string(),
                 "strategy 'also-good': registered by the module built as 'two-strategies'"));
  CHECK(registry.find("two-strategies") == nullptr);
  CHECK(registry.find("also-good") == nullptr);
  CHECK(
      reported(report, (dir / "no-strategy.so").string(), "strategy 'no-strategy': the module registers no strategy"));
  // A factory that makes nothing fails when the strategy is made, not with a crash.
  REQUIRE(registry.find("null-strategy") != nullptr);
  CHECK(registry.find("null-strategy")->identity == std::string("0123456789abcdef-") + wcs::core_identity());
  CHECK_THROWS_WITH(registry.create("null-strategy"), Contains("factory returned no strategy"));

  // The good module still solves.
  wcs::Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  p.tolerance = 2;
  p.max_iter = 50;
  CHECK(registry.create("reference").solve(p).result == 29.5);
  fs::remove_all(dir);
}

TEST_CASE("a strategy's identity is its module's sources' hash and the core's, made by the build") {
  wcs::Registry registry;
  const wcs::PluginReport report = [&] {
    wcs::PluginReport r;
    wcs::load_plugin_dir(env("WCS_TEST_PLUGIN_DIR"), registry, r);
    return r;
  }();
  CHECK(report.problems.empty());
  REQUIRE(registry.size() > 0);
  const std::string core = wcs::core_identity();
  CHECK(core.size() == 16);
  CHECK(core.find_first_not_of("0123456789abcdef") == std::string::npos);
  std::set<std::string> modules;
  for (const wcs::StrategyInfo* info : registry.list()) {
    INFO(info->name << ": " << info->identity);
    REQUIRE(info->identity.size() == 33);
    CHECK(info->identity.substr(0, 16).find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(info->identity.substr(16) == "-" + core);
    modules.insert(info->identity.substr(0, 16));
  }
  // Every module compiles other sources, or the same kernel source with another name.
  CHECK(modules.size() == registry.size());
}

TEST_CASE("a module built against other headers is refused, naming it and both fingerprints") {
  const fs::path module = fs::path(env("WCS_TEST_BROKEN_PLUGIN_DIR")) / "wrong-fingerprint.so";
  wcs::Registry registry;
  wcs::PluginReport report;
  wcs::load_plugin(module.string(), registry, report);
  CHECK(report.loaded.empty());
  CHECK(registry.size() == 0);
  REQUIRE(report.problems.size() == 1);
  CHECK_THAT(report.problems[0], Contains(module.string()) && Contains("'wrong-fingerprint'") &&
                                     Contains("headers=0000000000000000 gxxabi=0 cxx11abi=0") &&
                                     Contains(std::string("this wcs has '") + wcs::abi_fingerprint() + "'"));
  // The real modules carry the core's fingerprint: they load.
  wcs::PluginReport good;
  wcs::load_plugin((fs::path(env("WCS_TEST_PLUGIN_DIR")) / "wcs-strategy-reference.so").string(), registry, good);
  CHECK(good.problems.empty());
  CHECK(registry.find("reference") != nullptr);
}

TEST_CASE("the ABI fingerprint names the headers' hash and the compiler's ABI") {
  const std::string fp = wcs::abi_fingerprint();
  CHECK(fp == WCS_ABI_FINGERPRINT);  // the library's and these headers' agree
  CHECK_THAT(fp, Contains("headers=") && Contains("gxxabi="));
  CHECK(fp.find("headers=") == 0);
  CHECK(fp.size() > std::string("headers=").size() + 16);
}

TEST_CASE("a missing plugin folder is reported") {
  wcs::Registry registry;
  wcs::PluginReport report;
  wcs::load_plugin_dir("/nonexistent/wcs-plugins", registry, report);
  REQUIRE(report.problems.size() == 1);
  CHECK_THAT(report.problems[0], Contains("/nonexistent/wcs-plugins") && Contains("does not exist"));
}

TEST_CASE("the registry rejects two strategies with one name and unknown names") {
  wcs::Registry registry;
  wcs::StrategyInfo info;
  info.name = "x";
  auto factory = [](const wcs::Options&, const wcs::Registry&) -> std::unique_ptr<wcs::Strategy> { return nullptr; };
  registry.add(info, factory);
  CHECK_THROWS_AS(registry.add(info, factory), wcs::InputError);
  CHECK_THROWS_WITH(registry.get("y"), Contains("'y' is not registered") && Contains("valid: x"));
}

TEST_CASE("WCS_PLUGIN_PATH style lists split on colons") {
  CHECK(wcs::split_path_list("/a::/b:") == std::vector<std::string>{"/a", "/b"});
  CHECK(wcs::split_path_list("").empty());
}

namespace {
// A stand-in strategy that records whether it ran.
struct Probe final : wcs::Strategy {
  bool* ran;
  explicit Probe(bool* r) : ran(r) {}
  wcs::SolveResult solve(const wcs::Problem& p, const wcs::SolveOptions&) override {
    *ran = true;
    wcs::SolveResult r;
    r.weights.assign(p.n(), 0.0);
    return r;
  }
};
}  // namespace

TEST_CASE("a solve the machine lacks the memory for is refused before the strategy runs") {
  bool ran = false;
  wcs::Registry registry;
  wcs::StrategyInfo info;
  info.name = "hungry";
  info.options = {wcs::OptionSpec::integer("bits", 10, 0, 200, "2^bits bytes")};
  info.memory_bytes = [](std::size_t, const wcs::Options& o) {
    return wcs::pow2_bytes(static_cast<std::size_t>(o.integer("bits")), 1);
  };
  registry.add(info, [&ran](const wcs::Options&, const wcs::Registry&) -> std::unique_ptr<wcs::Strategy> {
    return std::make_unique<Probe>(&ran);
  });
  wcs::Problem p;
  p.coefficients = {1, 2, 3};
  p.target = 2;
  registry.create("hungry").solve(p);  // 1 KB
  CHECK(ran);
  ran = false;
  // 2^70 bytes: more than any machine has; saturates instead of overflowing.
  CHECK_THROWS_AS(registry.create("hungry", {{"bits", "70"}}).solve(p), wcs::InputError);
  CHECK_THROWS_WITH(registry.create("hungry", {{"bits", "70"}}).solve(p),
                    Contains("coefficients: N = 3: strategy 'hungry' needs") && Contains("GB available"));
  CHECK_FALSE(ran);
  CHECK(wcs::available_memory_bytes() > 0);
  CHECK(wcs::pow2_bytes(64, 1) == UINT64_MAX);
  CHECK(wcs::pow2_bytes(10, 3) == 3072);
  CHECK(wcs::gigabytes(8'600'000'000) == "8.6 GB");
}

TEST_CASE("every strategy with tables that grow faster than N declares its memory; max_n fits this machine") {
  const wcs::Registry& registry = []() -> wcs::Registry& {
    static wcs::Registry r;
    wcs::PluginReport report;
    wcs::load_plugin_dir(env("WCS_TEST_PLUGIN_DIR"), r, report);
    return r;
  }();
  for (const char* name : {"reference", "mitm", "parallel", "fused", "gray", "sampling", "hierarchical"}) {
    const wcs::StrategyInfo* info = registry.find(name);
    if (!info) continue;  // not built in this tree (-Donly_strategies)
    INFO(name);
    REQUIRE(info->memory_bytes);
    const wcs::Options defaults = wcs::resolve_options(name, info->options, {});
    if (info->max_n != std::numeric_limits<std::size_t>::max())  // 24 GB: the machine this project runs on
      CHECK(info->memory_bytes(info->max_n, defaults) < 24'000'000'000ull);
    CHECK(info->memory_bytes(20, defaults) < 100'000'000ull);
  }
  if (const wcs::StrategyInfo* parallel = registry.find("parallel")) CHECK(parallel->max_n <= 40);
  if (const wcs::StrategyInfo* reference = registry.find("reference"))  // 12 bytes per line
    CHECK(reference->memory_bytes(30, {}) == 12ull << 30);
}

namespace {
// A cycle search that always picks the first coefficient and never reaches the target.
struct FirstOnly final : wcs::CycleSearch {
  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    wcs::CycleOutcome out;
    out.winner = wcs::Combination::from_line(std::uint64_t{1} << (in.a.size() - 1), in.a.size());
    out.result = -1;
    out.all_below_target = true;
    out.evaluations = 1;
    return out;
  }
};
}  // namespace

TEST_CASE("a stored trace is bounded; a trace sink gets every cycle and nothing is stored") {
  wcs::Problem p;
  p.coefficients = {1, 2, 3, 4};
  p.target = 1e300;
  p.max_iter = 10000;
  FirstOnly search;
  wcs::SolveOptions o;
  o.trace = true;
  o.trace_bytes = 100 * (sizeof(wcs::TraceEntry) + 4 * sizeof(double) + 8);  // 100 entries of N = 4
  const wcs::SolveResult bounded = wcs::run_cycles(p, search, o);
  CHECK(bounded.cycles == 10000);
  CHECK(bounded.trace.size() == 100);
  CHECK(bounded.trace_dropped == 9900);
  CHECK(bounded.trace.back().cycle == 100);  // the first cycles are kept
  std::vector<long long> seen;
  o.trace_sink = [&seen](const wcs::TraceEntry& e) {
    seen.push_back(e.cycle);
    return true;
  };
  const wcs::SolveResult streamed = wcs::run_cycles(p, search, o);
  CHECK(streamed.trace.empty());
  CHECK(streamed.trace_dropped == 0);
  REQUIRE(seen.size() == 10000);
  CHECK(seen.back() == 10000);
  // A sink that is full says so, and the solve counts what it could not keep.
  seen.clear();
  o.trace_sink = [&seen](const wcs::TraceEntry& e) {
    if (seen.size() == 10) return false;
    seen.push_back(e.cycle);
    return true;
  };
  const wcs::SolveResult cut = wcs::run_cycles(p, search, o);
  CHECK(seen.size() == 10);
  CHECK(cut.trace_dropped == 9990);
  // The default bound holds tens of thousands of cycles of a small problem.
  CHECK(wcs::SolveOptions{}.trace_bytes == std::size_t{64} << 20);
}

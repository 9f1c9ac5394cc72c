// The plugin loader: bad modules are reported with their path and reason, and the
// good ones keep working; the registry rejects duplicate names.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "wcs/error.hpp"
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
  const fs::path dir = fs::temp_directory_path() / "wcs_broken_plugins_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path broken = env("WCS_TEST_BROKEN_PLUGIN_DIR");
  for (const char* name : {"no-entry.so", "wrong-abi.so", "throws.so", "duplicate.so"})
    fs::copy_file(broken / name, dir / name);
  std::ofstream(dir / "garbage.so") << "not an ELF file";
  fs::copy_file(fs::path(env("WCS_TEST_PLUGIN_DIR")) / "reference" / "wcs-strategy-reference.so",
                dir / "a-reference.so");

  wcs::Registry registry;
  wcs::PluginReport report;
  wcs::load_plugin_dir(dir.string(), registry, report);
  CHECK(report.loaded.size() == 1);
  CHECK(registry.find("reference") != nullptr);
  CHECK(registry.find("also-good") == nullptr);  // duplicate.so registers nothing: all or nothing
  CHECK(report.problems.size() == 5);
  CHECK(reported(report, (dir / "garbage.so").string(), "cannot load"));
  CHECK(reported(report, (dir / "no-entry.so").string(), "no wcs_plugin_entry"));
  CHECK(reported(report, (dir / "wrong-abi.so").string(), "ABI version 999"));
  CHECK(reported(report, (dir / "throws.so").string(), "registration failed: boom"));
  CHECK(reported(report, (dir / "duplicate.so").string(), "'reference': already registered"));

  // The good module still solves.
  wcs::Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  p.tolerance = 2;
  p.max_iter = 50;
  CHECK(registry.create("reference").solve(p).result == 29.5);
  fs::remove_all(dir);
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
  wcs::load_plugin((fs::path(env("WCS_TEST_PLUGIN_DIR")) / "reference" / "wcs-strategy-reference.so").string(),
                   registry, good);
  CHECK(good.problems.empty());
  CHECK(registry.find("reference") != nullptr);
}

TEST_CASE("the ABI fingerprint names the headers' hash and the compiler's ABI") {
  const std::string fp = wcs::abi_fingerprint();
  CHECK(fp == WCS_ABI_FINGERPRINT);  // the library's and these headers' agree
  CHECK_THAT(fp, Contains("headers=") && Contains("gxxabi="));
  CHECK(fp.find("headers=") == 0);
  CHECK(fp.size() > std::string("headers=") .size() + 16);
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

// The `wcs` program end to end: exit statuses, one-line errors, JSON output.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

#include "conformance.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

struct Run {
  int status;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh folder of this test program, removed when it ends.
const fs::path& scratch() {
  static const wcs::test::TempDir dir;
  return dir.path();
}

Run wcs_run(const std::string& args, const std::string& env_prefix = "") {
  const char* exe = std::getenv("WCS_EXE");
  REQUIRE(exe != nullptr);
  const fs::path out = scratch() / "out.txt", err = scratch() / "err.txt";
  const std::string cmd = env_prefix + " '" + exe + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("solve --json prints one object with the result record") {
  const Run r = wcs_run("solve --strategy reference --coef=15,47,-12 --target=28 --tol=2 --max-iter=50 --trace --json");
  REQUIRE(r.status == 0);
  CHECK(lines(r.out) == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["strategy"] == "reference");
  CHECK(j["n"] == 3);
  CHECK(j["weights"] == nlohmann::json::array({0.5, 0.5, 0.125}));
  CHECK(j["result"] == 29.5);
  CHECK(j["error"] == 1.5);
  CHECK(j["converged"] == true);
  CHECK(j["cycles"] == 3);
  CHECK(j["evaluations"] == 21);
  CHECK(j["seconds"].get<double>() >= 0);
  REQUIRE(j["trace"].size() == 3);
  CHECK(j["trace"][0]["line"] == 3);
  CHECK(j["trace"][0]["combination"] == "011");
  CHECK(j["trace"][2]["wpn"] == 0.25);
}

TEST_CASE("numbers in JSON read back to the same double; negative values work") {
  const Run r = wcs_run("solve --coef=-0.1,0.7,-1e-3 --target=-0.3 --tol=0 --max-iter=3 --wpn=-0.5 --wpn-bounds=-2,3 --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  const Run again = wcs_run("solve --coef=-0.1,0.7,-1e-3 --target=-0.3 --tol=0 --max-iter=3 --wpn=-0.5 --wpn-bounds=-2,3 --json");
  const auto k = nlohmann::json::parse(again.out);
  CHECK(j["result"].get<double>() == k["result"].get<double>());
  CHECK(j["target"].get<double>() == -0.3);
}

TEST_CASE("human output names the result, and --help tells the options") {
  const Run r = wcs_run("solve --coef=5,10,15,20,25 --target=100 --tol=2 --max-iter=50");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("converged    yes after 2 cycles") && Contains("weights      1 1 1 1 2"));
  const Run help = wcs_run("solve --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Contains("--coef") && Contains("--truth-table") && Contains("--wpn-bounds"));
  CHECK(wcs_run("--help").status == 0);
  CHECK(wcs_run("list --help").status == 0);
}

TEST_CASE("bad input: one line naming the field and value, exit status 2, no output") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"solve --coef=1,nan --target=3", "coefficients[1]: nan is not finite"},
      {"solve --coef '' --target=3", "--coef: empty value"},
      {"solve --coef=1,,2 --target=3", "coefficients[1]: '' is not a number"},
      {"solve --coef=0,0 --target=3", "every value is zero"},
      {"solve --coef=1,2 --target=abc", "target: 'abc' is not a number"},
      {"solve --coef=1,2 --target=3 --tol=-1", "tolerance: -1 is negative"},
      {"solve --coef=1,2 --target=3 --max-iter=0", "max_iter: 0 is below 1"},
      {"solve --coef=1,2 --target=3 --max-iter=2.5", "max_iter: '2.5' is not an integer"},
      {"solve --coef=1,2 --target=3 --wpn=0", "initial_wpn: 0"},
      {"solve --coef=1,2 --target=3 --wpn-bounds=2,1", "wpn_bounds: [2, 1] needs lo < hi"},
      {"solve --coef=1,2 --target=3 --wpn-bounds=2", "wpn_bounds: '2' needs two values"},
      {"solve --coef=1,2 --target=3 --strategy nope", "strategy: 'nope' is not registered; valid: "},
      {"solve --coef=1,2 --target=3 --set nope=1", "option 'nope' (value '1')"},
      {"solve --coef=1,2 --target=3 --set nope", "--set: 'nope' is not KEY=VALUE"},
      {"solve --coef=1,2 --target=3 --seed=x", "seed: 'x' is not a seed (an integer from 0 to 9223372036854775807)"},
      {"solve --coef=1,2 --target=3 --seed=-1", "seed: '-1' is not a seed (an integer from 0 to 9223372036854775807)"},
      {"solve --coef=1,2 --target=3 --seed=9223372036854775808", "seed: '9223372036854775808' is not a seed"},
      {"solve --coef=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31 --target=3",
       "N = 31 is beyond what strategy 'reference' supports (N <= 30)"},
  };
  for (const auto& [args, needle] : cases) {
    INFO(args);
    const Run r = wcs_run(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Contains(needle));
  }
  const Run usage = wcs_run("solve --target=3");
  CHECK(usage.status == 2);
  CHECK_THAT(usage.err, Contains("--coef"));
  CHECK(wcs_run("").status == 2);
}

TEST_CASE("--truth-table writes the CSV; refused for a strategy without the option") {
  const fs::path csv = scratch() / "truth.csv";
  const Run r = wcs_run("solve --coef=15,47,-12 --target=28 --tol=2 --max-iter=50 --truth-table=" + csv.string());
  CHECK(r.status == 0);
  CHECK(lines(slurp(csv)) == 22);
  fs::remove(csv);
  const Run bad = wcs_run("solve --coef=1,2 --target=3 --truth-table=/nonexistent/x.csv");
  CHECK(bad.status == 1);
  CHECK(lines(bad.err) == 1);
  CHECK_FALSE(fs::exists("/nonexistent/x.csv"));
}

TEST_CASE("list shows every strategy and its options; --plugin-dir and WCS_PLUGIN_PATH add folders") {
  const Run r = wcs_run("list --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& s : j)
    if (s["name"] == "reference") {
      found = true;
      CHECK(s["family"] == "identical");
      CHECK(s["max_n"] == 30);
      CHECK(s["options"][0]["name"] == "truth_table");
    }
  CHECK(found);
  const char* broken = std::getenv("WCS_TEST_BROKEN_PLUGIN_DIR");
  REQUIRE(broken != nullptr);
  const Run with_dir = wcs_run(std::string("list --plugin-dir ") + broken);
  CHECK(with_dir.status == 0);
  CHECK_THAT(with_dir.out, Contains("reference"));
  CHECK_THAT(with_dir.err, Contains("wrong-abi.so: plugin ABI version 999"));
  const Run with_env = wcs_run("list", std::string("WCS_PLUGIN_PATH=") + broken);
  CHECK_THAT(with_env.err, Contains("no-entry.so: no wcs_plugin_entry"));
  const Run missing = wcs_run("solve --plugin-dir /nonexistent --coef=1 --target=1 --json");
  CHECK(missing.status == 0);
  CHECK_THAT(missing.err, Contains("/nonexistent: plugin folder does not exist"));
}

namespace {
// Concatenation without GCC 12's false -Wrestrict on "literal" + std::string.
template <class... T>
std::string cat(const T&... parts) {
  std::string out;
  ((out += parts), ...);
  return out;
}
bool has_strategy(const std::string& name) {
  const Run r = wcs_run("list --json");
  for (const auto& s : nlohmann::json::parse(r.out))
    if (s["name"] == name) return true;
  return false;
}
std::string coefficients(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += ',';
    out += std::to_string(i);
  }
  return out;
}
}  // namespace

TEST_CASE("broken plugins with null pointers are reported and skipped, never called") {
  const char* broken = std::getenv("WCS_TEST_BROKEN_PLUGIN_DIR");
  REQUIRE(broken != nullptr);
  const Run r = wcs_run(std::string("list --plugin-dir ") + broken);
  CHECK(r.status == 0);  // before: SIGSEGV
  CHECK_THAT(r.out, Contains("reference"));
  CHECK_THAT(r.err, Contains("null-register.so: its wcs_plugin_entry has null pointers: register_strategies"));
  CHECK_THAT(r.err, Contains("null-name.so: its wcs_plugin_entry has null pointers: name identity"));
  CHECK_THAT(r.err, Contains("null-entry.so: wcs_plugin_entry returned a null pointer"));
  CHECK_THAT(r.err, Contains("no-factory.so: registration failed: strategy 'no-factory': registered without a factory"));
  const Run made = wcs_run(std::string("solve --plugin-dir ") + broken + " --strategy null-strategy --coef=1,2 --target=3");
  CHECK(made.status == 1);
  CHECK_THAT(made.err, Contains("strategy 'null-strategy': its factory returned no strategy"));
}

TEST_CASE("a solve beyond the machine's memory or a strategy's max_n exits 2 before allocating") {
  if (has_strategy("sampling")) {
    // A fixed sample of 10^9 masks of 4000 bits: 504 GB.
    const Run r = wcs_run(cat("solve --strategy sampling --set resample=fixed --set sample_size=1000000000 --coef=",
                              coefficients(4000), " --target=3"));
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Contains("coefficients: N = 4000: strategy 'sampling' needs 504.0 GB, ") && Contains(" GB available"));
  }
  if (has_strategy("parallel")) {
    const Run r = wcs_run(cat("solve --strategy parallel --coef=", coefficients(56), " --target=3"));
    CHECK(r.status == 2);  // before: std::bad_alloc after 8.4 GB
    CHECK_THAT(r.err, Contains("N = 56 is beyond what strategy 'parallel' supports (N <= 40)"));
  }
}

TEST_CASE("--trace streams the human table; the JSON trace is bounded and says what it dropped") {
  // 2000 cycles that never converge: every cycle is printed, in order, before the summary.
  const Run r = wcs_run("solve --strategy greedy --coef=1,2,4 --target=0.3333333333333333 --max-iter=2000 --trace");
  REQUIRE(r.status == 0);
  CHECK(r.out.rfind(" cycle       line  combination", 0) == 0);
  const auto table_end = r.out.find("\n\nstrategy     greedy\n");
  REQUIRE(table_end != std::string::npos);
  CHECK(lines(r.out.substr(0, table_end + 1)) == 1 + 2000);  // the header and one row per cycle
  CHECK_THAT(r.out, Contains("\n  2000 ") && Contains("converged    no after 2000 cycles"));
  const Run j = wcs_run("solve --strategy greedy --coef=1,2,4 --target=0.3333333333333333 --max-iter=2000 --trace --json");
  REQUIRE(j.status == 0);
  const auto parsed = nlohmann::json::parse(j.out);
  CHECK(parsed["trace"].size() == 2000);
  CHECK(parsed["trace_dropped"] == 0);
#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer reserves terabytes of address space
  // 2,000,000 cycles in 250 MB of address space: a stored trace needs twice that.
  const fs::path out = scratch() / "big.txt";
  const std::string cmd = cat("ulimit -v 250000; ('", std::getenv("WCS_EXE"),
                              "' solve --strategy greedy --coef=1,2,4 --target=0.3333333333333333 --max-iter=2000000 --trace; "
                              "echo \"exit $?\") 2>&1 | tail -n 4 >'", out.string(), "'");
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string tail = slurp(out);
  CHECK_THAT(tail, Contains("weights      0 0.125 0.03125") && Contains("exit 0"));
#endif
}

TEST_CASE("flags cannot swallow each other: an empty value is an error naming the flag") {
  // `--NAME=` with nothing after '=': CLI11 took the next argument as its value.
  const std::vector<std::pair<std::string, std::string>> assignments{
      {"solve --coef= --target=4", "--coef: empty value after '=' (it would take the next argument, '--target=4'"},
      {"solve --coef=1,2 --target= --tol=1", "--target: empty value after '='"},
      {"solve --coef=1,2 --target=3 --strategy= --json", "--strategy: empty value after '='"},
      {"solve --coef=1,2 --target=3 --set= --json", "--set: empty value after '='"},
      {"solve --coef=1,2 --target=3 --wpn-bounds= --tol=1", "--wpn-bounds: empty value after '='"},
      {"run --out= x.yaml", "--out: empty value after '='"},
      {"--plugin-dir= list", "--plugin-dir: empty value after '='"},
      {"compare a b --html= --csv", "--html: empty value after '='"},
  };
  for (const auto& [args, message] : assignments) {
    INFO(args);
    const Run r = wcs_run(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Contains(message));
  }
  // An empty argument as a value: refused by every option that takes one.
  const std::vector<std::pair<std::string, std::string>> empties{
      {"solve --coef '' --target 4", "--coef: empty value"},
      {"solve --coef 1,2 --target ''", "--target: empty value"},
      {"solve --coef 1,2 --target 3 -s ''", "--strategy: empty value"},
      {"solve --coef 1,2 --target 3 --seed ''", "--seed: empty value"},
      {"solve --coef 1,2 --target 3 --truth-table ''", "--truth-table: empty value"},
      {"solve --coef 1,2 --target 3 --max-iter ''", "--max-iter: empty value"},
      {"run ''", "experiment: empty value"},
      {"run x.yaml --shard ''", "--shard: empty value"},
      {"compare '' b", "empty value"},
  };
  for (const auto& [args, message] : empties) {
    INFO(args);
    const Run r = wcs_run(args);
    CHECK(r.status == 2);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Contains(message));
  }
  // After `--` and inside a value, '=' at the end is data, not an empty flag.
  const Run ok = wcs_run("solve --coef=1,2 --target=3 --set=threshold=");
  CHECK(ok.status == 2);  // the strategy option's own check, not the flag's
  CHECK_THAT(ok.err, !Contains("empty value after '='"));
}

TEST_CASE("class 3: strategies whose options size their memory estimate it first: exit 2, not bad_alloc") {
  if (has_strategy("dp")) {
    // Limits raised past the machine: the table its options allow, refused before a cycle.
    for (const char* sets : {"--set max_table_mb=10000000 --set max_span=1000000000000000",
                             "--set max_span=100000000000 --set max_table_mb=10000000",
                             "--set max_table_mb=9000000 --set max_span=10000000000000"}) {
      INFO(sets);
      const Run r = wcs_run(cat("solve --strategy dp --coef=1000000000000,3,5,999999999999,77777777777,123456789012 "
                                "--target=1234567890123 ",
                                sets));
      CHECK(r.status == 2);  // before: std::bad_alloc, exit 1
      CHECK(lines(r.err) == 1);
      CHECK_THAT(r.err, Contains("strategy 'dp' needs ") && Contains(" GB available"));
    }
    // The default limits on a machine with 1 GB of address space: refused the same way.
    // (Not under AddressSanitizer, whose shadow memory alone needs terabytes of it.)
#if !defined(__SANITIZE_ADDRESS__)
    const Run small = wcs_run(cat("solve --strategy dp --coef=", coefficients(40), " --target=3"), "ulimit -v 1000000;");
    CHECK(small.status == 2);
    CHECK_THAT(small.err, Contains("strategy 'dp' needs 1.1 GB, "));
#endif
    // Within them, it solves.
    CHECK(wcs_run("solve --strategy dp --coef=1,2,3,4,5,6,7,8,9,10 --target=17").status == 0);
  }
  if (has_strategy("hierarchical")) {  // its largest option fits anywhere: 2^20 sums of 8 bytes
    CHECK(wcs_run(cat("solve --strategy hierarchical --set refine_width=20 --max-iter=2 --coef=", coefficients(24), " --target=3"))
              .status == 0);
  }
}

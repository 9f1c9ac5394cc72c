// The `wcs` program end to end: run, dry run, bad files, resume, shards and merge,
// report. Runs the program built in this tree (WCS_EXE) in a fresh temporary folder.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "experiment/record.hpp"

namespace fs = std::filesystem;
using wcs::experiment::Json;
using wcs::experiment::read_text;

namespace {

const char* kExperiment = R"(name: harness
description: end-to-end test of the harness
defaults:
  repetitions: 2
  min_time: 0.0001
  seeds: [1, 2, 3]
problems:
  - name: worked
    coefficients: [15, 47, -12]
    target: 28
    tolerance: 2
    max_iter: 50
  - name: small
    generator: uniform_int
    low: 1
    high: 60
    sign: mixed
    n: [4, 6]
    target: {rule: fraction_of_sum, fraction: 0.4}
    tolerance: 0.5
strategies:
  - name: reference
  - name: reference
    params: {truth_table: ""}
    max_n: 4
)";
// 3 worked runs x 2 configs + 2 sizes x 3 seeds x 2 configs = 18 runs, 3 skipped.

// A fresh folder per test case holding the experiment file.
struct Sandbox {
  fs::path dir;
  Sandbox() {
    static int count = 0;
    dir = fs::temp_directory_path() / ("wcs-harness-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "exp.yaml") << kExperiment;
  }
  ~Sandbox() { fs::remove_all(dir); }
  // Runs `wcs ARGS` in the folder; standard output and error to out.txt / err.txt.
  int wcs(const std::string& args) const {
    const char* exe = std::getenv("WCS_EXE");
    REQUIRE(exe != nullptr);
    const std::string cmd = "cd '" + dir.string() + "' && '" + exe + "' " + args + " > out.txt 2> err.txt";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return read_text(dir / "out.txt"); }
  std::string err() const { return read_text(dir / "err.txt"); }
};

// id -> record, of a results folder.
std::map<std::string, Json> records(const fs::path& dir) {
  std::map<std::string, Json> out;
  for (auto& r : wcs::experiment::read_records(dir)) out[r["wcs"]["id"].get<std::string>()] = r;
  return out;
}

std::map<std::string, std::string> file_texts(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_text(e.path());
  return out;
}

}  // namespace

TEST_CASE("dry run prints the plan and writes nothing", "[harness]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --dry-run --shard 1/4") == 0);
  const std::string out = s.out();
  CHECK(out.find("18 runs, 3 skipped by max_n; shard 1/4: 5 runs") != std::string::npos);
  CHECK(out.find("worked/n=3/seed=1/max_iter=50/tol=2/reference{truth_table=}") != std::string::npos);
  CHECK(out.find("[skip: N=6 is above max_n 4") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "results"));
}

TEST_CASE("a bad experiment file exits 2 with positions and writes nothing", "[harness][errors]") {
  Sandbox s;
  std::ofstream(s.dir / "bad.yaml") << "name: bad\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                                       "strategies:\n  - name: reference\n    params: {speed: 3}\n  - name: nosuch\n";
  CHECK(s.wcs("run bad.yaml --out res") == 2);
  const std::string err = s.err();
  CHECK(err.find("bad.yaml:6:14: strategies[0].params.speed: ") != std::string::npos);
  CHECK(err.find("bad.yaml:7:11: strategies[1].name: ") != std::string::npos);
  CHECK(err.find("2 problems in bad.yaml; nothing was run") != std::string::npos);
  CHECK(s.out().empty());
  CHECK_FALSE(fs::exists(s.dir / "res"));
  CHECK_FALSE(fs::exists(s.dir / "results"));
}

TEST_CASE("a run writes one record per run; resume skips what is recorded", "[harness]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  auto recs = records(s.dir / "res");
  REQUIRE(recs.size() == 18);
  std::size_t ok = 0, skipped = 0;
  for (const auto& [id, r] : recs) {
    const auto& w = r["wcs"];
    CHECK(w["id"] == id);
    CHECK(w["experiment"] == "harness");
    if (w["status"] == "ok") {
      ++ok;
      CHECK_FALSE(r["benchmarks"].empty());
      CHECK(r["context"].contains("wcs_git_commit"));
      CHECK(r["context"].contains("wcs_simd_target"));
      CHECK(r["context"]["wcs_seeds"] == "1,2,3");
      // Counters and the exact result agree.
      const auto& first = r["benchmarks"][0];
      CHECK(first["error"].get<double>() == w["result"]["error"].get<double>());
      CHECK(first["evaluations"].get<double>() == w["result"]["evaluations"].get<double>());
    } else {
      ++skipped;
      CHECK(w["status"] == "skipped");
      CHECK(w["reason"].get<std::string>().find("max_n 4") != std::string::npos);
    }
  }
  CHECK(ok == 15);
  CHECK(skipped == 3);
  // The worked example of algorithm.md, as recorded.
  for (const auto& [id, r] : recs)
    if (r["wcs"]["problem"]["name"] == "worked") {
      CHECK(r["wcs"]["result"]["weights"] == Json::array({0.5, 0.5, 0.125}));
      CHECK(r["wcs"]["result"]["error"].get<double>() == 1.5);
    }
  CHECK(fs::exists(s.dir / "res" / "experiment.json"));
  for (const auto& e : fs::directory_iterator(s.dir / "res" / "runs"))  // no temporary left behind
    CHECK(e.path().extension() == ".json");

  const auto before = file_texts(s.dir / "res" / "runs");
  fs::remove(s.dir / "res" / "runs" / (recs.begin()->first + ".json"));
  REQUIRE(s.wcs("run exp.yaml --out res --resume") == 0);
  CHECK(s.out().find(" 1 ran, 0 skipped by max_n, 17 already recorded") != std::string::npos);
  const auto after = file_texts(s.dir / "res" / "runs");
  REQUIRE(after.size() == before.size());
  for (const auto& [name, text] : before)
    if (name != recs.begin()->first + ".json") CHECK(after.at(name) == text);  // untouched
}

TEST_CASE("shards merged equal the unsharded run apart from timings", "[harness][merge]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out whole") == 0);
  REQUIRE(s.wcs("run exp.yaml --out part0 --shard 0/2") == 0);
  REQUIRE(s.wcs("run exp.yaml --out part1 --shard 1/2") == 0);
  CHECK(records(s.dir / "part0").size() == 9);
  REQUIRE(s.wcs("merge part0 part1 --out joined") == 0);
  CHECK(s.out().find("merged 18 run records of harness from 2 folders") != std::string::npos);
  const auto whole = records(s.dir / "whole"), joined = records(s.dir / "joined");
  REQUIRE(whole.size() == joined.size());
  for (const auto& [id, r] : whole) {
    REQUIRE(joined.count(id) == 1);
    const auto& a = r["wcs"];
    const auto& b = joined.at(id)["wcs"];
    CHECK(a["key"] == b["key"]);
    CHECK(a["status"] == b["status"]);
    CHECK(a["problem"] == b["problem"]);
    if (a.contains("result")) CHECK(a["result"] == b["result"]);
  }
  CHECK(read_text(s.dir / "whole" / "experiment.json") == read_text(s.dir / "joined" / "experiment.json"));
  // Accuracy and convergence tables of the joined set equal the unsharded ones.
  REQUIRE(s.wcs("report whole") == 0);
  REQUIRE(s.wcs("report joined") == 0);
  CHECK(read_text(s.dir / "whole/tables/accuracy.csv") == read_text(s.dir / "joined/tables/accuracy.csv"));
  CHECK(read_text(s.dir / "whole/tables/convergence.csv") == read_text(s.dir / "joined/tables/convergence.csv"));

  std::ofstream(s.dir / "other.yaml") << std::string(kExperiment) + "# another version\n";
  REQUIRE(s.wcs("run other.yaml --out other --shard 0/9") == 0);
  CHECK(s.wcs("merge part0 other --out mixed") == 2);
  CHECK(s.err().find("differs from harness") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "mixed"));
}

TEST_CASE("report is byte-identical on rerun and accuracy tables repeat with the seed", "[harness][report]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out a") == 0);
  REQUIRE(s.wcs("run exp.yaml --out b") == 0);
  REQUIRE(s.wcs("report a") == 0);
  const auto first = file_texts(s.dir / "a" / "tables");
  REQUIRE(s.wcs("report a") == 0);
  CHECK(file_texts(s.dir / "a" / "tables") == first);
  for (const char* name : {"report.md", "speed.csv", "accuracy.csv", "convergence.csv", "skipped.csv", "benchmarks.json"})
    CHECK(first.count(name) == 1);
  REQUIRE(s.wcs("report b") == 0);
  CHECK(read_text(s.dir / "a/tables/accuracy.csv") == read_text(s.dir / "b/tables/accuracy.csv"));
  CHECK(read_text(s.dir / "a/tables/convergence.csv") == read_text(s.dir / "b/tables/convergence.csv"));
  const std::string accuracy = first.at("accuracy.csv");
  CHECK(accuracy.rfind("problem,N,max_iter,tolerance,strategy,runs,converged,mean error,worst error,agrees with,agreement,mean gap\n", 0) == 0);
  CHECK(accuracy.find("worked,3,50,2,reference,3,1,1.5,1.5,-,,\n") != std::string::npos);
  CHECK(accuracy.find("worked,3,50,2,reference{truth_table=},3,1,1.5,1.5,reference,1,0\n") != std::string::npos);
  const std::string speed = first.at("speed.csv");
  CHECK(speed.find("\nworked,3,50,reference,3,") != std::string::npos);
  CHECK(s.wcs("report nosuch") != 0);
}

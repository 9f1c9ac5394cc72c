// The `wcs` program end to end: run, dry run, bad files, resume, shards and merge,
// report. Runs the program built in this tree (WCS_EXE) in a fresh temporary folder.
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "record/record.hpp"
#include "sandbox.hpp"
#include "store/files.hpp"
#include "store/folder.hpp"

namespace fs = std::filesystem;
using wcs::record::Json;
using wcs::store::read_text;
using namespace wcs::test;

TEST_CASE("dry run prints the plan and writes nothing", "[harness]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --dry-run --shard 1/4") == 0);
  const std::string out = s.out();
  CHECK(out.find("18 runs, 3 skipped by max_n; shard 1/4: 5 runs") != std::string::npos);
  CHECK(out.find("worked/n=3/seed=1/max_iter=50/tol=2/reference{truth_table=}") != std::string::npos);
  CHECK(out.find("[skip: N=6 is above max_n 4") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "results"));
}

TEST_CASE("--shard takes I/N with 0 <= I < N and nothing else", "[harness]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --dry-run --shard 2/5") == 0);
  CHECK(s.out().find("shard 2/5:") != std::string::npos);
  for (const char* bad : {"5/5", "-1/5", "1/0", "1", "/5", "1/", "1/5x", "a/5"}) {
    INFO(bad);
    CHECK(s.wcs(std::string("run exp.yaml --dry-run --shard '") + bad + "'") == 2);
    CHECK(s.err().find(std::string("--shard: '") + bad + "' is not I/N with 0 <= I < N") != std::string::npos);
    CHECK(s.out().empty());
  }
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
  // Typed, the records say the same and write the same bytes.
  const auto typed = round_trip(s.dir / "res");
  REQUIRE(typed.size() == recs.size());
  for (const auto& [id, r] : typed) {
    const auto& w = recs.at(id)["wcs"];
    CHECK(r.key == w["key"]);
    CHECK(r.status == w["status"]);
    CHECK(r.n == w["problem"]["n"].get<std::size_t>());
    CHECK(r.machine.simd_target == recs.at(id)["context"]["wcs_simd_target"]);
    if (r.ok()) {
      CHECK(r.rep_seconds.size() == 2);  // repetitions: 2, aggregates left out
      CHECK(r.evaluations == w["result"]["evaluations"].get<std::uint64_t>());
    } else {
      CHECK(r.rep_seconds.empty());
      CHECK(r.reason == w["reason"]);
    }
  }
  // The worked example of docs/algorithm.md, as recorded.
  for (const auto& [id, r] : recs)
    if (r["wcs"]["problem"]["name"] == "worked") {
      CHECK(r["wcs"]["result"]["weights"] == Json::array({0.5, 0.5, 0.125}));
      CHECK(r["wcs"]["result"]["error"].get<double>() == 1.5);
    }
  CHECK(fs::exists(s.dir / "res" / "experiment.json"));
  for (const auto& e : fs::directory_iterator(s.dir / "res" / "runs"))  // no temporary left behind
    CHECK(e.path().extension() == ".json");

  const auto before = file_texts(s.dir / "res" / "runs");
  const std::string removed = first_ok(recs);
  fs::remove(s.dir / "res" / "runs" / (removed + ".json"));
  REQUIRE(s.wcs("run exp.yaml --out res --resume") == 0);
  CHECK(s.out().find(" 1 ran, 0 skipped by max_n, 17 already recorded") != std::string::npos);
  const auto after = file_texts(s.dir / "res" / "runs");
  REQUIRE(after.size() == before.size());
  for (const auto& [name, text] : before)
    if (name != removed + ".json") CHECK(after.at(name) == text);  // untouched
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
  CHECK(s.err().find("differs from 'harness'") != std::string::npos);
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
  for (const char* name :
       {"report.md", "report.html", "speed.csv", "accuracy.csv", "convergence.csv", "skipped.csv", "benchmarks.json",
        "runs.csv", "trajectories.csv", "fixed_target.csv", "ecdf.csv", "profile.csv", "ert.csv"})
    CHECK(first.count(name) == 1);
  REQUIRE(s.wcs("report b") == 0);
  for (const char* name : {"accuracy.csv", "convergence.csv"})  // no times in them
    CHECK(read_text(s.dir / "a/tables" / name) == read_text(s.dir / "b/tables" / name));
  const std::string accuracy = first.at("accuracy.csv");
  CHECK(accuracy.rfind("problem,n,max_iter,tolerance,strategy,family,runs,converged,converged_rate,converged_ci_low,"
                       "converged_ci_high,median_error,mean_error,worst_error,agrees_with,agreement,mean_gap\n",
                       0) == 0);
  CHECK(accuracy.find("worked,3,50,2,reference,identical,3,3,1,0.43850296824495455,1,1.5,1.5,1.5,,,\n") !=
        std::string::npos);
  CHECK(
      accuracy.find(
          "worked,3,50,2,reference{truth_table=},identical,3,3,1,0.43850296824495455,1,1.5,1.5,1.5,reference,1,0\n") !=
      std::string::npos);
  const std::string speed = first.at("speed.csv");
  CHECK(speed.find("\nworked,3,50,2,reference,identical,3,2,") != std::string::npos);
  // Every time in the Markdown has a unit in its column header; nothing is printed as ms by default.
  const std::string md = first.at("report.md");
  CHECK(md.find("| strategy | family | N=4 (") != std::string::npos);
  CHECK(md.find("## Fixed target: reaching the tolerance") != std::string::npos);
  CHECK(md.find("rho(1)") != std::string::npos);
  // The runs table: one row per record (18 + header).
  const std::string runs = first.at("runs.csv");
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 19);
  CHECK(s.wcs("report nosuch") != 0);
}

TEST_CASE("trace: true keeps each run's trajectory; trajectories.csv holds them in long form", "[harness][trace]") {
  Sandbox s;
  std::string text = kExperiment;
  text.replace(text.find("    max_iter: 50\n"), 17, "    max_iter: 50\n    trace: true\n");
  std::ofstream(s.dir / "traced.yaml") << text;
  REQUIRE(s.wcs("run traced.yaml --out res --quiet") == 0);
  std::size_t traced = 0;
  for (const auto& [id, r] : records(s.dir / "res")) {
    const auto& w = r["wcs"];
    if (w["problem"]["name"] != "worked" || w["status"] != "ok") {
      CHECK_FALSE(w.contains("trajectory"));
      continue;
    }
    ++traced;
    REQUIRE(w.contains("trajectory"));
    const auto& t = w["trajectory"];
    CHECK(t["source"] == "trace");
    // The worked example: three cycles of 7 lines each, errors as docs/algorithm.md has them.
    CHECK(t["cycle"] == Json::array({1, 2, 3}));
    CHECK(t["evaluations"] == Json::array({7, 14, 21}));
    REQUIRE(t["error"].size() == 3);
    CHECK(t["error"][2].get<double>() == w["result"]["error"].get<double>());
    double last_seconds = 0, best = INFINITY;
    for (std::size_t i = 0; i < 3; ++i) {
      const double sec = t["seconds"][i].get<double>();
      CHECK(sec >= last_seconds);
      last_seconds = sec;
      best = std::min(best, t["error"][i].get<double>());
      CHECK(t["best_error"][i].get<double>() == best);
    }
  }
  CHECK(traced == 6);
  for (const auto& [id, r] : round_trip(s.dir / "res"))  // trajectories typed and written back to the byte
    if (r.traced) CHECK(r.trajectory.cycle == std::vector<double>{1, 2, 3});
  REQUIRE(s.wcs("report res") == 0);
  const std::string csv = read_text(s.dir / "res/tables/trajectories.csv");
  CHECK(csv.rfind("experiment,run_key,problem,n,seed,max_iter,tolerance,strategy,family,run,source,complete,cycle,"
                  "evaluations,seconds,error,best_error\n",
                  0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 6 * 3);
  CHECK(csv.find("\nharness,worked/n=3/seed=2/max_iter=50/tol=2/"
                 "reference,worked,3,2,50,2,reference,identical,2,trace,1,3,21,") != std::string::npos);
  // A value that is not true or false: exit 2 naming the key, nothing run.
  std::string bad = text;
  bad.replace(bad.find("trace: true"), 11, "trace: yes!");
  std::ofstream(s.dir / "bad.yaml") << bad;
  CHECK(s.wcs("run bad.yaml --out bad --quiet") == 2);
  CHECK(s.err().find("problems[0].trace: 'yes!' is not true or false") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "bad"));
  // Traced runs are solved once more outside the timing: the timed results are the same.
  Sandbox plain;
  REQUIRE(plain.wcs("run exp.yaml --out res --quiet") == 0);
  const auto a = records(s.dir / "res"), b = records(plain.dir / "res");
  for (const auto& [id, r] : b)
    if (r["wcs"].contains("result")) CHECK(a.at(id)["wcs"]["result"] == r["wcs"]["result"]);
}

TEST_CASE("a traced run's record keeps the notes the timed solves leave out (auto's rule and features)",
          "[harness][trace]") {
  Sandbox s;
  std::ofstream(s.dir / "auto.yaml") << R"(name: auto-notes
defaults: {repetitions: 1, min_time: 0.0001, seeds: [1]}
problems:
  - {name: plain, coefficients: [15, 47, -12], target: 28, tolerance: 2, max_iter: 50}
  - {name: traced, coefficients: [15, 47, -12], target: 28, tolerance: 2, max_iter: 50, trace: true}
strategies:
  - name: auto
)";
  REQUIRE(s.wcs("run auto.yaml --out res --quiet") == 0);
  std::size_t seen = 0;
  for (const auto& [id, r] : records(s.dir / "res")) {
    const auto& w = r["wcs"];
    REQUIRE(w["status"] == "ok");
    const Json& notes = w["result"]["notes"];
    CHECK(notes.contains("chose"));
    if (w.contains("trajectory")) {
      ++seen;
      CHECK(notes.contains("rule"));
      CHECK(notes.contains("features"));
      CHECK(notes["features"].get<std::string>().rfind("n=3 ", 0) == 0);
    } else {
      // The first attempt of its plan converges here: the timed solve says only what ran.
      CHECK_FALSE(notes.contains("rule"));
      CHECK_FALSE(notes.contains("features"));
    }
  }
  CHECK(seen == 1);
}

TEST_CASE("benchmark entries are named by the run key and timed in ns (compare.py)", "[harness][benchmark]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  for (const auto& [id, r] : records(s.dir / "res")) {
    const std::string key = r["wcs"]["key"].get<std::string>();
    for (const auto& b : r["benchmarks"]) {
      CHECK(b["time_unit"] == "ns");
      CHECK(b["run_name"] == key);
      const std::string name = b["name"].get<std::string>();
      CHECK(name.find("min_time") == std::string::npos);
      CHECK(name.find("repeats") == std::string::npos);
      CHECK((name == key || name == key + "_" + b["aggregate_name"].get<std::string>()));
      if (b["run_type"] == "iteration") CHECK(b["real_time"].get<double>() > 1.0);  // > 1 ns: printed as a whole number
    }
  }
  REQUIRE(s.wcs("report res") == 0);
  const Json combined = Json::parse(read_text(s.dir / "res/tables/benchmarks.json"));
  CHECK(combined["benchmarks"].size() > 15);
  for (const auto& b : combined["benchmarks"])
    CHECK(b["name"].get<std::string>().find("/min_time:") == std::string::npos);
}

TEST_CASE("progress: a line every 5% with failures and ETA when standard error is a file; --quiet silences it",
          "[harness][progress]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  const std::string err = s.err();
  CHECK(err.find("wcs run: 1/18 runs (5%), 0 failed, ") != std::string::npos);
  CHECK(err.find("wcs run: 18/18 runs (100%), 0 failed, ") != std::string::npos);
  CHECK(err.find(" ETA ") != std::string::npos);
  CHECK(err.find('\r') == std::string::npos);  // no terminal redraws in a log
  REQUIRE(s.wcs("run exp.yaml --out res2 --quiet") == 0);
  CHECK(s.err().empty());
}

TEST_CASE("baseline: the speed-up base where reference did not run", "[harness][baseline]") {
  Sandbox s;
  const std::string text = R"(name: base
baseline: reference{truth_table=}
defaults: {repetitions: 2, min_time: 0.0001, seeds: [1, 2]}
problems:
  - {name: small, generator: uniform_int, low: 1, high: 60, n: [4, 6], target: 40, tolerance: 0.5}
strategies:
  - {name: reference, max_n: 4}
  - {name: reference, params: {truth_table: ""}}
)";
  std::ofstream(s.dir / "base.yaml") << text;
  REQUIRE(s.wcs("run base.yaml --out res --quiet") == 0);
  REQUIRE(s.wcs("report res") == 0);
  const std::string speed = read_text(s.dir / "res/tables/speed.csv");
  // N = 4: reference ran and is the baseline; N = 6: only the experiment's baseline ran.
  CHECK(speed.find("\nsmall,4,32,0.5,reference{truth_table=},identical,2,2,") != std::string::npos);
  const auto line_of = [&](const std::string& start) {
    const auto p = speed.find("\n" + start);
    return p == std::string::npos ? std::string() : speed.substr(p + 1, speed.find('\n', p + 1) - p - 1);
  };
  CHECK(line_of("small,4,32,0.5,reference{truth_table=},").find(",reference,") != std::string::npos);
  CHECK(line_of("small,6,32,0.5,reference{truth_table=},").find(",reference{truth_table=},1,") != std::string::npos);
  CHECK(read_text(s.dir / "res/tables/report.md").find("N=6 vs reference{truth_table=}") != std::string::npos);
  CHECK(Json::parse(read_text(s.dir / "res/experiment.json"))["baseline"] == "reference{truth_table=}");
  std::string bad = text;
  bad.replace(bad.find("baseline: reference{truth_table=}"), 33, "baseline: nosuch");
  std::ofstream(s.dir / "bad.yaml") << bad;
  CHECK(s.wcs("run bad.yaml --out bad --quiet") == 2);
  CHECK(s.err().find("bad.yaml:2:11: baseline: 'nosuch' is not a strategy of this experiment (valid: reference, "
                     "reference{truth_table=})") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "bad"));
}

namespace {
// A copy of a results folder with every time multiplied by `factor` and, optionally,
// another SIMD target in the records' context.
void scaled_copy(const fs::path& from, const fs::path& to, double factor, const std::string& simd = "") {
  fs::create_directories(to / "runs");
  fs::copy_file(from / "experiment.json", to / "experiment.json");
  for (const auto& e : fs::directory_iterator(from / "runs")) {
    Json r = Json::parse(read_text(e.path()));
    for (auto& b : r["benchmarks"])
      for (const char* f : {"real_time", "cpu_time"})
        if (b.contains(f) && b[f].is_number()) b[f] = b[f].get<double>() * factor;
    if (!simd.empty()) r["context"]["wcs_simd_target"] = simd;
    std::ofstream(to / "runs" / e.path().filename()) << r.dump(2);
  }
}
}  // namespace

TEST_CASE("compare: ratio, U test and verdict per cell; --fail-on-slowdown for CI", "[harness][compare]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out a --quiet") == 0);
  scaled_copy(s.dir / "a", s.dir / "slow", 1000.0);
  scaled_copy(s.dir / "a", s.dir / "other", 1.0, "SSE2 (test)");
  // The same records: no difference anywhere, exit 0 even with the CI flag.
  REQUIRE(s.wcs("compare a a --fail-on-slowdown 5") == 0);
  std::string out = s.out();
  CHECK(out.find("| problem | N | max_iter | strategy | seeds | A (") != std::string::npos);
  CHECK(out.find("| worked | 3 | 50 | reference | 3 | ") != std::string::npos);
  CHECK(out.find(" | 1.00 [") != std::string::npos);
  CHECK(out.find(" | 1.00 | no difference |") != std::string::npos);
  CHECK(out.find("5 cells: 0 faster, 0 slower, 5 no difference") != std::string::npos);
  CHECK(out.find("Warning") == std::string::npos);
  // B 1000 times slower: every cell slower, exit 1 with the flag, 0 without.
  REQUIRE(s.wcs("compare a slow") == 0);
  CHECK(s.out().find("5 cells: 0 faster, 5 slower, 0 no difference; geometric mean of B / A: 1000.") !=
        std::string::npos);
  CHECK(s.wcs("compare a slow --fail-on-slowdown 10") == 1);
  CHECK(s.err().find("wcs compare: 5 cells are slower than A by more than 10%:") != std::string::npos);
  CHECK(s.wcs("compare slow a --fail-on-slowdown 10") == 0);
  CHECK(s.out().find("| faster |") != std::string::npos);
  CHECK(s.wcs("compare a slow --fail-on-slowdown 100000000") == 0);  // slower, but within the allowance
  // Another instruction set: a warning on top.
  REQUIRE(s.wcs("compare a other") == 0);
  out = s.out();
  CHECK(out.rfind("**Warning: instruction sets differ: A has simd_target ", 0) == 0);
  CHECK(out.find("B has simd_target SSE2 (test)") != std::string::npos);
  CHECK(s.err().find("wcs compare: warning: instruction sets differ") != std::string::npos);
  REQUIRE(s.wcs("compare a slow --csv") == 0);
  CHECK(s.out().rfind("problem,n,max_iter,tolerance,strategy,seeds,a_time_s,b_time_s,ratio,", 0) == 0);
  // Bad input: exit 2, one line naming the folder.
  CHECK(s.wcs("compare a nosuch") == 2);
  CHECK(s.err() == "wcs: error: B: nosuch/runs: no such folder of run records (nor a pack runs.jsonl.gz)\n");
  CHECK(s.wcs("compare a slow --fail-on-slowdown -3") == 2);
}

TEST_CASE("an edited experiment under --resume runs its changed runs again and drops the stale ones",
          "[harness][identity]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  const auto before = records(s.dir / "res");
  // The worked problem's target changes: its 6 runs (3 seeds x 2 configs) are new runs.
  std::ofstream(s.dir / "exp.yaml") << replaced(kExperiment, "target: 28", "target: 30");
  REQUIRE(s.wcs("run exp.yaml --out res --resume") == 0);
  CHECK(s.out().find(" 6 ran, 0 skipped by max_n, 12 already recorded") != std::string::npos);
  CHECK(s.out().find("removed 6 stale records") != std::string::npos);
  const auto after = records(s.dir / "res");
  REQUIRE(after.size() == 18);
  const Json experiment = Json::parse(read_text(s.dir / "res" / "experiment.json"));
  std::size_t kept = 0;
  for (const auto& [id, r] : after) {
    CHECK(r["wcs"]["experiment_hash"] == experiment["file_hash"]);  // one version in the folder
    if (r["wcs"]["problem"]["name"] == "worked") {
      CHECK_FALSE(before.contains(id));
      CHECK(r["wcs"]["problem"]["target"] == 30);
    } else {
      kept += before.count(id);
    }
  }
  CHECK(kept == 12);
  // The tables are those of the edited file: the worked rows answer target 30.
  REQUIRE(s.wcs("report res") == 0);
  std::ofstream(s.dir / "fresh.yaml") << replaced(kExperiment, "target: 28", "target: 30");
  REQUIRE(s.wcs("run fresh.yaml --out clean") == 0);
  REQUIRE(s.wcs("report clean") == 0);
  CHECK(read_text(s.dir / "res/tables/accuracy.csv") == read_text(s.dir / "clean/tables/accuracy.csv"));
  CHECK(read_text(s.dir / "res/tables/convergence.csv") == read_text(s.dir / "clean/tables/convergence.csv"));
  // Without --resume too: every run again, the stale ones gone (the worked runs are
  // back at target 28, the small ones have another tolerance: all 18 changed).
  std::ofstream(s.dir / "exp.yaml") << replaced(kExperiment, "tolerance: 0.5", "tolerance: 0.25");
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  CHECK(s.out().find("removed 18 stale records") != std::string::npos);
  CHECK(records(s.dir / "res").size() == 18);
  // An edit that changes no run, seen by one shard: every shard's records are
  // relabelled with the new version, so the folder reports as one experiment.
  std::ofstream(s.dir / "exp.yaml") << replaced(replaced(kExperiment, "tolerance: 0.5", "tolerance: 0.25"),
                                                "description: end-to-end test", "description: edited test");
  REQUIRE(s.wcs("run exp.yaml --out res --shard 0/2") == 0);
  CHECK(s.out().find("stale") == std::string::npos);
  CHECK(s.wcs("report res") == 0);
}

TEST_CASE("a folder of another experiment is refused; --fresh starts it over", "[harness][identity]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  const auto before = tree(s.dir / "res");
  std::ofstream(s.dir / "other.yaml") << replaced(kExperiment, "name: harness", "name: other");
  for (const char* flags : {"", " --resume"}) {
    INFO(flags);
    CHECK(s.wcs(std::string("run other.yaml --out res") + flags) == 2);
    CHECK(s.err() ==
          "wcs: error: res: holds the results of experiment 'harness' (exp.yaml), not of 'other' (other.yaml); use "
          "another "
          "--out, or --fresh to remove its results first\n");
    CHECK(tree(s.dir / "res") == before);  // nothing written or lost
  }
  // A record of another experiment without experiment.json is found too; and --fresh
  // refuses a folder whose experiment.json does not prove what the harness wrote.
  const std::string description = read_text(s.dir / "res" / "experiment.json");
  fs::remove(s.dir / "res" / "experiment.json");
  CHECK(s.wcs("run other.yaml --out res") == 2);
  CHECK(s.err().find("holds the results of experiment 'harness'") != std::string::npos);
  CHECK(s.wcs("run other.yaml --out res --fresh") == 2);
  CHECK(s.err().find("--fresh: not a results folder of wcs (no experiment.json); nothing was removed") !=
        std::string::npos);
  std::ofstream(s.dir / "res" / "experiment.json") << description;
  REQUIRE(s.wcs("run other.yaml --out res --fresh") == 0);
  CHECK(s.out().find("--fresh removed 19 result files") != std::string::npos);  // 18 records and experiment.json
  for (const auto& [id, r] : records(s.dir / "res")) CHECK(r["wcs"]["experiment"] == "other");
  CHECK(records(s.dir / "res").size() == 18);

  // merge into a folder of another experiment: refused, or --fresh.
  REQUIRE(s.wcs("run exp.yaml --out a --shard 0/2") == 0);
  const auto other = tree(s.dir / "res");
  CHECK(s.wcs("merge a --out res") == 2);
  CHECK(s.err().find("res: holds the results of experiment 'other'") != std::string::npos);
  CHECK(tree(s.dir / "res") == other);
  REQUIRE(s.wcs("merge a --out res --fresh") == 0);
  CHECK(records(s.dir / "res").size() == 9);
  CHECK(s.wcs("merge a --out a --fresh") == 2);  // would remove its own input
  // Merging into a folder of the same experiment adds to it.
  REQUIRE(s.wcs("run exp.yaml --out b --shard 1/2") == 0);
  REQUIRE(s.wcs("merge b --out res") == 0);
  CHECK(records(s.dir / "res").size() == 18);
}

TEST_CASE("merge: identical duplicates are fine, different results are a conflict, order does not matter",
          "[harness][merge]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out whole") == 0);
  REQUIRE(s.wcs("run exp.yaml --out p0 --shard 0/2") == 0);
  REQUIRE(s.wcs("run exp.yaml --out p1 --shard 1/2") == 0);
  // whole and p0 hold the same runs, timed twice: the same results, other timings.
  const int merged = s.wcs("merge whole p0 p1 --out ab");
  INFO(s.err());
  REQUIRE(merged == 0);
  CHECK(s.out().find("merged 18 run records") != std::string::npos);
  REQUIRE(s.wcs("merge p1 p0 whole --out ba") == 0);
  CHECK(tree(s.dir / "ab") == tree(s.dir / "ba"));  // byte for byte
  REQUIRE(s.wcs("merge p0 whole --out x") == 0);
  REQUIRE(s.wcs("merge whole p0 --out y") == 0);
  CHECK(tree(s.dir / "x") == tree(s.dir / "y"));

  // Starved repetitions (a loaded machine) and the build's commit are not results:
  // the same run with either changed is no conflict, whatever the order.
  const std::string id = first_ok(records(s.dir / "p0"));
  Json rec = Json::parse(read_text(s.dir / "p0" / "runs" / (id + ".json")));
  rec["wcs"]["timing"]["starved"] = 2;
  rec["wcs"]["wcs_commit"] = "0123456789abcdef0123456789abcdef01234567";
  std::ofstream(s.dir / "p0" / "runs" / (id + ".json")) << rec.dump(2) << "\n";
  REQUIRE(s.wcs("merge p0 whole --out s1") == 0);
  REQUIRE(s.wcs("merge whole p0 --out s2") == 0);
  CHECK(tree(s.dir / "s1") == tree(s.dir / "s2"));

  // A failed record loses to a finished one, whatever the order.
  REQUIRE(rec["wcs"]["status"] == "ok");
  rec["wcs"]["status"] = "failed";
  rec["wcs"]["reason"] = "killed";
  rec["wcs"].erase("result");
  std::ofstream(s.dir / "p0" / "runs" / (id + ".json")) << rec.dump(2) << "\n";
  REQUIRE(s.wcs("merge p0 whole --out f1") == 0);
  REQUIRE(s.wcs("merge whole p0 --out f2") == 0);
  CHECK(tree(s.dir / "f1") == tree(s.dir / "f2"));
  CHECK(records(s.dir / "f1").at(id)["wcs"]["status"] == "ok");

  // Different results of one run: an error naming both files, nothing written.
  rec = Json::parse(read_text(s.dir / "whole" / "runs" / (id + ".json")));
  rec["wcs"]["result"]["notes"]["other"] = "result";
  std::ofstream(s.dir / "p0" / "runs" / (id + ".json")) << rec.dump(2) << "\n";
  for (const char* order : {"p0 whole", "whole p0"}) {
    INFO(order);
    CHECK(s.wcs(std::string("merge ") + order + " --out conflict") == 2);
    CHECK(s.err().find("has different results in p0/runs/" + id + ".json and whole/runs/" + id + ".json") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(s.dir / "conflict"));
  }
}

TEST_CASE("leftover temporary files of killed writers are removed; a live writer's are kept", "[harness][files]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res") == 0);
  char host[256] = {0};
  REQUIRE(::gethostname(host, sizeof host - 1) == 0);
  const std::string id = records(s.dir / "res").begin()->first;
  const std::string dead = std::to_string(ended_pid()), live = std::to_string(::getpid());
  const fs::path runs = s.dir / "res" / "runs";
  const std::vector<fs::path> leftovers{runs / (id + ".json.tmp." + dead),  // the form of earlier versions
                                        runs / (id + ".json.tmp." + std::string(host) + "." + dead),
                                        s.dir / "res" / ("experiment.json.tmp." + dead)};
  const fs::path writing = runs / (id + ".json.tmp." + std::string(host) + "." + live);
  for (const auto& p : leftovers) std::ofstream(p) << "{\"half\":";
  std::ofstream(writing) << "{\"half\":";
  REQUIRE(s.wcs("run exp.yaml --out res --resume") == 0);
  CHECK(s.out().find("removed 3 leftover temporary files") != std::string::npos);
  for (const auto& p : leftovers) CHECK_FALSE(fs::exists(p));
  CHECK(fs::exists(writing));  // another process still writing it: not ours to remove
  // Reports read only the records.
  CHECK(s.wcs("report res") == 0);
}

TEST_CASE("truth tables of an experiment go under its results folder", "[harness][paths]") {
  Sandbox s;
  std::ofstream(s.dir / "t.yaml")
      << "name: tables\ndefaults: {repetitions: 1, iterations: 1}\nproblems:\n"
         "  - {name: p, coefficients: [15, 47, -12], target: 28, tolerance: 2, max_iter: 50}\n"
         "strategies:\n  - name: reference\n    params: {truth_table: t.csv}\n";
  REQUIRE(s.wcs("run t.yaml --out res") == 0);
  const auto recs = records(s.dir / "res");
  REQUIRE(recs.size() == 1);
  const fs::path table = s.dir / "res" / "truth_tables" / (recs.begin()->first + "-t.csv");
  CHECK(fs::exists(table));
  CHECK(count_of(read_text(table), "\n") == 22);  // the header and 3 cycles x 7 lines
  CHECK_FALSE(fs::exists(s.dir / "t.csv"));
  std::ofstream(s.dir / "escape.yaml") << "name: x\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                                          "strategies:\n  - name: reference\n    params: {truth_table: ../../x.csv}\n";
  CHECK(s.wcs("run escape.yaml --out esc") == 2);
  CHECK(s.err().find("escape.yaml:6:27: strategies[0].params.truth_table: '../../x.csv' is not a plain file name") !=
        std::string::npos);
  std::ofstream(s.dir / "dots.yaml") << "name: ..\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                                        "strategies:\n  - name: reference\n";
  CHECK(s.wcs("run dots.yaml") == 2);  // without --out it would name results/..
  CHECK(s.err().find("dots.yaml:1:7: name: '..' must be") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "results"));
}

TEST_CASE("hostile files: limits, non-UTF-8 text, duplicate keys exit 2 at once, dry run or not", "[harness][errors]") {
  Sandbox s;
  std::ofstream(s.dir / "huge.yaml")
      << "name: x\nproblems:\n  - {name: g, generator: uniform_int, n: 1000000000, target: 1}\n"
         "strategies:\n  - name: greedy\n";
  std::ofstream(s.dir / "latin1.yaml")
      << "name: x\ndescription: caf\xe9\nproblems:\n"
         "  - {name: p, coefficients: [1, 2], target: 1}\nstrategies:\n  - name: reference\n";
  std::ofstream(s.dir / "dup.yaml") << "name: x\nname: y\nproblems:\n  - {name: p, coefficients: [1, 2], target: 1}\n"
                                       "strategies:\n  - name: reference\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"huge.yaml", "huge.yaml:3:42: problems[0].n: N = 1000000000 is above the largest N of an experiment"},
      {"latin1.yaml", "latin1.yaml:2:17: yaml: byte 0xe9 is not UTF-8 text"},
      {"dup.yaml", "dup.yaml:2:1: name: duplicate key (first at line 1)"},
  };
  for (const auto& [file, message] : cases)
    for (const char* flags : {" --dry-run", " --out res"}) {
      INFO(file << flags);
      CHECK(s.wcs("run " + file + flags) == 2);
      CHECK(s.err().find(message) != std::string::npos);
      CHECK_FALSE(fs::exists(s.dir / "res"));
    }
}

TEST_CASE("broken records: report, merge and compare build from the good ones and name the bad", "[harness][errors]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --shard 0/3") == 0);
  const auto recs = records(s.dir / "res");
  const std::string id = first_ok(recs);
  const fs::path file = s.dir / "res" / "runs" / (id + ".json");
  const std::string good = read_text(file);
  struct Case {
    std::string field, value, message;
  };
  const std::vector<Case> cases{
      {"/wcs/problem/n", "\"x\"", "wcs.problem.n: expected an unsigned integer, found \"x\""},
      {"/wcs/result/converged", "1", "wcs.result.converged: expected true or false, found 1"},
      {"/wcs/status", "\"done\"",
       "wcs.status: 'done' is not a status (valid: ok, skipped, failed, non-finite, inconsistent)"},
      {"/wcs/result/error", "\"abc\"", "wcs.result.error: expected a number, found \"abc\""},
      {"/benchmarks/0/real_time", "\"fast\"", "benchmarks[0].real_time: expected a number, found \"fast\""},
      {"/wcs/experiment_hash", "\"fnv1a64:0\"", "wcs.experiment_hash: fnv1a64:0 is not the version of"},
      {"/wcs/id", "\"0000000000000000\"", "wcs.id: '0000000000000000' is not the record's file name"},
  };
  const std::string where = "res/runs/" + id + ".json";
  for (const auto& c : cases) {
    INFO(c.field);
    Json j = Json::parse(good);
    j[Json::json_pointer(c.field)] = Json::parse(c.value);
    std::ofstream(file) << j.dump(2);
    // The report is made from the good records; the bad one is listed with its field.
    CHECK(s.wcs("report res") == 0);
    CHECK(s.err().find("wcs report: warning: 1 record could not be read") != std::string::npos);
    const std::string md = read_text(s.dir / "res/tables/report.md");
    CHECK(md.find("| " + where + " | " + c.message.substr(0, c.message.find(':'))) != std::string::npos);
    CHECK(read_text(s.dir / "res/tables/unreadable.csv").find(where) != std::string::npos);
    CHECK(s.wcs("report res --strict") == 1);
    // merge leaves it out and says so; --strict refuses, writing nothing.
    fs::remove_all(s.dir / "merged");
    CHECK(s.wcs("merge res --out merged") == 0);
    CHECK(s.err().rfind("wcs merge: warning: left out " + where + ": " + c.message, 0) == 0);
    CHECK(records(s.dir / "merged").size() == recs.size() - 1);
    fs::remove_all(s.dir / "merged");
    CHECK(s.wcs("merge res --out merged --strict") == 2);
    CHECK_FALSE(fs::exists(s.dir / "merged" / "runs"));
  }
  std::ofstream(file) << "{\"wcs\": ";
  CHECK(s.wcs("report res") == 0);
  CHECK(read_text(s.dir / "res/tables/unreadable.csv").find("not JSON") != std::string::npos);
  // A result that is not finite, or does not satisfy its problem, is never ok: read
  // as the fault it is, listed with the failed runs, and left out of the tables.
  for (const auto& [edit, status] : std::vector<std::pair<std::string, std::string>>{
           {"/wcs/result/error", "non-finite"}, {"/wcs/result/weights", "inconsistent"}}) {
    INFO(edit);
    Json j = Json::parse(good);
    if (edit == "/wcs/result/error") j[Json::json_pointer(edit)] = "-nan";
    else j[Json::json_pointer(edit)].push_back(1.0);
    std::ofstream(file) << j.dump(2);
    CHECK(s.wcs("report res") == 0);
    CHECK(s.err().find("1 run failed or gave a faulty result") != std::string::npos);
    CHECK(read_text(s.dir / "res/tables/skipped.csv").find("," + status + ",") != std::string::npos);
    const auto folder = wcs::store::read_folder(s.dir / "res");
    CHECK(folder.unreadable.empty());
    CHECK(folder.failed() == 1);
  }
  std::ofstream(file) << good;
  std::ofstream(s.dir / "res" / "experiment.json") << "{\"name\": 3}";
  CHECK(s.wcs("report res") == 2);
  CHECK(s.err().rfind("wcs: error: res/experiment.json: name: expected a string, found 3", 0) == 0);
  CHECK(s.wcs("report nosuch") == 2);
}

TEST_CASE("SIGINT and SIGTERM stop a run at the next run boundary; --resume continues", "[harness][signals]") {
  Sandbox s;
  // 240 runs of at least 5 ms each, stopped after the first record.
  std::ofstream(s.dir / "long.yaml")
      << "name: long\ndefaults: {repetitions: 1, min_time: 0.005, seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}\n"
         "problems:\n  - {name: g, generator: uniform_int, n: [3, 4, 5, 6, 7, 8], "
         "max_iter: [5, 6, 7, 8], target: {rule: subset_sum}}\n"
         "strategies:\n  - name: reference\n";
  const char* exe = std::getenv("WCS_EXE");
  REQUIRE(exe != nullptr);
  for (const int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    fs::remove_all(s.dir / "res");
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      if (::chdir(s.dir.c_str()) != 0) ::_exit(99);
      if (!std::freopen("out.txt", "w", stdout) || !std::freopen("err.txt", "w", stderr)) ::_exit(99);
      ::execl(exe, exe, "run", "long.yaml", "--out", "res", static_cast<char*>(nullptr));
      ::_exit(98);
    }
    // Wait for the first record (the plan is loaded and the handler in place).
    for (int i = 0; i < 60000; ++i) {
      std::error_code ec;
      if (fs::is_directory(s.dir / "res" / "runs", ec) && !fs::is_empty(s.dir / "res" / "runs", ec)) break;
      ::usleep(1000);
    }
    REQUIRE(::kill(pid, sig) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + sig);
    const std::string err = s.err();
    CHECK(err.find(sig == SIGINT ? "wcs: stopped by SIGINT: " : "wcs: stopped by SIGTERM: ") != std::string::npos);
    CHECK(err.find("`wcs run long.yaml --out res --resume` continues") != std::string::npos);
    const auto recorded = records(s.dir / "res").size();
    CHECK(recorded >= 1);
    CHECK(recorded < 240);
    for (const auto& e : fs::directory_iterator(s.dir / "res" / "runs")) CHECK(e.path().extension() == ".json");
  }
  const auto recorded = records(s.dir / "res").size();
  REQUIRE(s.wcs("run long.yaml --out res --resume") == 0);
  CHECK(s.out().find(std::to_string(recorded) + " already recorded") != std::string::npos);
  CHECK(records(s.dir / "res").size() == 240);
}

// The results folder under hostile conditions: two writers at once, a stopped or
// starved process, fresh starts in folders the harness did not write, planted links,
// FIFOs, output that cannot be written, a disk that fills during a report, shards
// that never arrived, packs. Each case checks the property for several inputs.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "record/record.hpp"
#include "sandbox.hpp"
#include "store/files.hpp"
#include "store/folder.hpp"
#include "store/lock.hpp"

namespace fs = std::filesystem;
using wcs::record::Json;
using wcs::store::read_text;
using namespace wcs::test;

namespace {

// A long experiment (about 100 runs of at least 20 ms).
const char* kLong =
    "name: long\ndefaults: {repetitions: 1, min_time: 0.02, seeds: [1, 2, 3, 4, 5]}\n"
    "problems:\n  - {name: g, generator: uniform_int, n: [3, 4, 5, 6, 7], max_iter: [5, 6, 7, 8], target: {rule: "
    "subset_sum}}\n"
    "strategies:\n  - name: reference\n";

// `wcs ARGS` started in the folder, not waited for.
pid_t start(const Sandbox& s, const std::vector<std::string>& args) {
  const char* exe = std::getenv("WCS_EXE");
  REQUIRE(exe != nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(s.dir.c_str()) != 0) ::_exit(99);
    if (!std::freopen("bg-out.txt", "w", stdout) || !std::freopen("bg-err.txt", "w", stderr)) ::_exit(99);
    std::vector<char*> argv{const_cast<char*>(exe)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe, argv.data());
    ::_exit(98);
  }
  return pid;
}

// Waits until `path` exists (at most 60 s).
void wait_for(const fs::path& path) {
  for (int i = 0; i < 60000 && !fs::exists(path); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(fs::exists(path));
}

int wait_exit(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("one writer per results folder: the second is refused naming the first; kill -9 frees it", "[folder][lock]") {
  Sandbox s;
  std::ofstream(s.dir / "long.yaml") << kLong;
  const pid_t first = start(s, {"run", "long.yaml", "--out", "res", "--quiet"});
  wait_for(s.dir / "res" / wcs::store::kLockNote);
  for (const char* command : {"run long.yaml --out res", "run long.yaml --out res --resume",
                              "run exp.yaml --out res --fresh", "merge res --out res", "pack res"}) {
    INFO(command);
    CHECK(s.wcs(command) == 2);
    CHECK(s.err().find("res: another wcs is writing to this results folder (pid " + std::to_string(first)) !=
          std::string::npos);
    CHECK(s.err().find("wcs run long.yaml") != std::string::npos);
  }
  REQUIRE(::kill(first, SIGKILL) == 0);
  CHECK(wait_exit(first) == 128 + SIGKILL);
  // The operating system dropped the lock with its holder: --resume goes on.
  CHECK(s.wcs("run long.yaml --out res --resume --quiet") == 0);
  CHECK(records(s.dir / "res").size() == 100);
  CHECK_FALSE(fs::exists(s.dir / "res" / wcs::store::kLockNote));  // the note goes with the lock
}

TEST_CASE("a repetition whose real time is far above its CPU time is marked, and report and compare say so",
          "[folder][starved]") {
  Sandbox s;
  std::ofstream(s.dir / "slow.yaml") << "name: slow\ndefaults: {repetitions: 2, min_time: 0.4}\n"
                                        "problems:\n  - {name: p, coefficients: [3, 5, 7, 11], target: 13}\n"
                                        "strategies:\n  - name: reference\n";
  // (Whether the calm run was starved depends on what else the machine is doing.)
  REQUIRE(s.wcs("run slow.yaml --out calm --quiet") == 0);
  const pid_t pid = start(s, {"run", "slow.yaml", "--out", "res", "--quiet"});
  wait_for(s.dir / "res" / "experiment.json");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(::kill(pid, SIGSTOP) == 0);  // the process is stopped for 1.5 s in the middle of its timing
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  REQUIRE(::kill(pid, SIGCONT) == 0);
  REQUIRE(wait_exit(pid) == 0);
  const auto recs = records(s.dir / "res");
  REQUIRE(recs.size() == 1);
  CHECK(recs.begin()->second["wcs"]["timing"]["starved"].get<int>() >= 1);
  REQUIRE(s.wcs("report res") == 0);
  CHECK(s.err().find("1 run had starved repetitions: their times are not comparable") != std::string::npos);
  CHECK(read_text(s.dir / "res/tables/report.md").find("## Runs whose timing was starved") != std::string::npos);
  REQUIRE(s.wcs("compare calm res") == 0);
  CHECK(s.out().find("(starved: not trusted)") != std::string::npos);
  CHECK(s.err().find("hold runs whose repetitions were starved") != std::string::npos);
  // A starved cell never fails the gate: its times say nothing.
  CHECK(s.wcs("compare calm res --fail-on-slowdown 0") == 0);
}

TEST_CASE("--fresh removes only what experiment.json proves the harness wrote", "[folder][fresh]") {
  Sandbox s;
  // Folders without experiment.json are refused, whatever they hold; nothing goes.
  for (const char* planted : {"tables/report.md", "plots/time_vs_n.png", "runs/0123456789abcdef.json", "notes.txt"}) {
    INFO(planted);
    fs::remove_all(s.dir / "res");
    fs::create_directories((s.dir / "res" / planted).parent_path());
    std::ofstream(s.dir / "res" / planted) << "mine";
    const auto before = tree(s.dir / "res");
    CHECK(s.wcs("run exp.yaml --out res --fresh") == 2);
    CHECK(s.err().find("not a results folder of wcs (no experiment.json); nothing was removed") != std::string::npos);
    CHECK(tree(s.dir / "res") == before);
  }
  // A folder of the harness with files of someone else: those stay, and are named.
  fs::remove_all(s.dir / "res");
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  REQUIRE(s.wcs("report res") == 0);
  for (const char* planted : {"tables/notes.md", "runs/README", "runs/abc.json", "plots/mine.png",
                              "truth_tables/keep.csv", "analysis.ipynb"}) {
    fs::create_directories((s.dir / "res" / planted).parent_path());
    std::ofstream(s.dir / "res" / planted) << "mine";
  }
  REQUIRE(s.wcs("report res") == 0);  // the report keeps files it did not write, too
  CHECK(read_text(s.dir / "res/tables/notes.md") == "mine");
  REQUIRE(s.wcs("run exp.yaml --out res --fresh --quiet") == 0);
  CHECK(s.out().find("--fresh left 6 files the harness did not write") != std::string::npos);
  for (const char* planted :
       {"tables/notes.md", "runs/README", "runs/abc.json", "plots/mine.png", "truth_tables/keep.csv", "analysis.ipynb"})
    CHECK(read_text(s.dir / "res" / planted) == "mine");
  const auto folder = wcs::store::read_folder(s.dir / "res");
  CHECK(folder.runs.size() == 18);  // the new run is all there; runs/abc.json is listed as unreadable
  REQUIRE(folder.unreadable.size() == 1);
  CHECK(folder.unreadable.front().file.find("runs/abc.json") != std::string::npos);
}

TEST_CASE("records and tables are written through exclusive temporaries: planted links lead nowhere",
          "[folder][links]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  std::ofstream(s.dir / "outside.txt") << "untouched";
  const std::string id = records(s.dir / "res").begin()->first;
  // A link under a record's name, the report's files and the old temporary names.
  fs::remove(s.dir / "res" / "runs" / (id + ".json"));
  fs::create_symlink(s.dir / "outside.txt", s.dir / "res" / "runs" / (id + ".json"));
  for (const char* name : {"tables/report.md", "tables/runs.csv.tmp", "experiment.json.tmp"}) {
    fs::create_directories((s.dir / "res" / name).parent_path());
    fs::remove(s.dir / "res" / name);
    fs::create_symlink(s.dir / "outside.txt", s.dir / "res" / name);
  }
  // The link under a record's name is not a record: it is listed, not followed.
  REQUIRE(s.wcs("report res") == 0);
  CHECK(read_text(s.dir / "res/tables/report.md").find("not a regular file") != std::string::npos);
  REQUIRE(s.wcs("run exp.yaml --out res --resume --quiet") == 0);  // writes that record again
  CHECK(read_text(s.dir / "outside.txt") == "untouched");
  CHECK(wcs::store::is_plain_file(s.dir / "res" / "runs" / (id + ".json")));
}

TEST_CASE("anything in runs/ that is not a regular file is skipped with a message, never opened to block",
          "[folder][fifo]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  REQUIRE(::mkfifo((s.dir / "res" / "runs" / "fifo0000000000ab.json").c_str(), 0644) == 0);
  fs::create_directory(s.dir / "res" / "runs" / "dir00000000000ab.json");
  fs::create_symlink("/dev/zero", s.dir / "res" / "runs" / "zero000000000ab.json");
  for (const char* command : {"report res", "merge res --out m", "compare res res", "pack res"}) {
    INFO(command);
    // timeout: a blocking open of the FIFO would hang here.
    const int status = s.sh(std::string("timeout 60 \"$WCS\" ") + command);
    CHECK(status != 124);
    CHECK(s.err().find("fifo0000000000ab.json: not a regular file") != std::string::npos);
  }
}

TEST_CASE("output that cannot be written is an error; a closed pipe ends quietly", "[folder][output]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out a --quiet") == 0);
  const std::vector<std::string> commands{
      "solve --coef=1,2,3 --target=4 --json", "list --json", "compare a a --csv", "compare a a", "schema",
      "solve --coef=1,2,3 --target=4"};
  for (const auto& c : commands) {
    INFO(c);
    CHECK(s.sh("\"$WCS\" " + c + " > /dev/full") == 1);
    CHECK(s.err().find("cannot write standard output: No space left on device") != std::string::npos);
    CHECK(s.sh("\"$WCS\" " + c + " >&-") != 0);
    // A reader that stops early (head): the program ends by SIGPIPE, saying nothing.
    CHECK(s.sh("\"$WCS\" " + c + " 2>pipe-err.txt | head -c 1 >/dev/null; echo \"${PIPESTATUS[0]}\" > status.txt") ==
          0);
    const std::string status = read_text(s.dir / "status.txt");
    CHECK((status == "141\n" || status == "0\n"));  // 0 when it wrote everything before head left
    CHECK(read_text(s.dir / "pipe-err.txt").find("cannot write") == std::string::npos);
  }
}

TEST_CASE("a disk that fills during a report leaves the old tables whole and says why", "[folder][all-or-nothing]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  REQUIRE(s.wcs("report res") == 0);
  const auto before = tree(s.dir / "res" / "tables");
  // Fewer records, so that new tables would differ; then files may hold 8 KiB at most.
  for (int i = 0; i < 3; ++i) fs::remove(s.dir / "res" / "runs" / (records(s.dir / "res").begin()->first + ".json"));
  for (const char* limit : {"1", "8", "16"}) {
    INFO(limit);
    CHECK(s.sh(std::string("trap '' XFSZ; ulimit -f ") + limit + "; \"$WCS\" report res") == 1);
    CHECK(s.err().find("File too large") != std::string::npos);
    CHECK(tree(s.dir / "res" / "tables") == before);
    for (const auto& e : fs::directory_iterator(s.dir / "res"))  // no half-made set left beside it
      CHECK(e.path().filename().string().rfind(".wcs-new.", 0) != 0);
  }
  REQUIRE(s.wcs("report res") == 0);
  CHECK(tree(s.dir / "res" / "tables") != before);
}

TEST_CASE("a comparison that matched nothing does not pass", "[folder][compare]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out all --quiet") == 0);
  REQUIRE(s.wcs("run exp.yaml --out p0 --shard 0/2 --quiet") == 0);
  REQUIRE(s.wcs("run exp.yaml --out p1 --shard 1/2 --quiet") == 0);
  std::ofstream(s.dir / "other.yaml") << replaced(
      replaced(replaced(kExperiment, "name: harness", "name: other"), "name: worked", "name: another"), "name: small",
      "name: tiny");
  REQUIRE(s.wcs("run other.yaml --out other --quiet") == 0);
  for (const char* pair : {"p0 p1", "all other", "other p1"}) {
    INFO(pair);
    for (const char* flags : {"", " --fail-on-slowdown 5", " --csv"}) {
      CHECK(s.wcs(std::string("compare ") + pair + flags) == 1);
      CHECK(s.err().find("nothing matched") != std::string::npos);
      CHECK(s.err().find("wcs compare: matched 0 of A's") != std::string::npos);
    }
  }
  REQUIRE(s.wcs("compare all p0 --fail-on-slowdown 100000") == 0);
  CHECK(s.err().find("wcs compare: matched 9 of A's 15 timed runs and 9 of B's 9") != std::string::npos);
}

TEST_CASE("a folder knows what it lacks: missing and failed runs are counted", "[folder][missing]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out p0 --shard 0/3 --quiet") == 0);
  REQUIRE(s.wcs("merge p0 --out merged") == 0);  // an interrupted merge: one shard of three
  REQUIRE(s.wcs("report merged") == 0);
  CHECK(s.err().find("12 of the 18 planned runs have no record") != std::string::npos);
  CHECK(read_text(s.dir / "merged/tables/report.md").find("12 of the 18 planned runs have no record") !=
        std::string::npos);
  CHECK(s.wcs("report merged --strict") == 1);
  CHECK(s.wcs("merge p0 --out m2 --strict") == 1);
  // A failed run is kept by --resume unless asked to retry it.
  const std::string id = first_ok(records(s.dir / "p0"));
  Json rec = Json::parse(read_text(s.dir / "p0" / "runs" / (id + ".json")));
  rec["wcs"]["status"] = "failed";
  rec["wcs"]["reason"] = "a test";
  rec["wcs"].erase("result");
  std::ofstream(s.dir / "p0" / "runs" / (id + ".json")) << rec.dump(2) << "\n";
  REQUIRE(s.wcs("run exp.yaml --out p0 --shard 0/3 --resume") == 0);
  CHECK(records(s.dir / "p0").at(id)["wcs"]["status"] == "failed");
  REQUIRE(s.wcs("run exp.yaml --out p0 --shard 0/3 --resume --retry-failed") == 0);
  CHECK(records(s.dir / "p0").at(id)["wcs"]["status"] == "ok");
}

TEST_CASE("a packed folder reads as the folder of records it came from", "[folder][pack]") {
  Sandbox s;
  REQUIRE(s.wcs("run exp.yaml --out res --quiet") == 0);
  REQUIRE(s.wcs("report res") == 0);
  const auto tables = tree(s.dir / "res" / "tables");
  const auto recs = records(s.dir / "res");
  REQUIRE(s.wcs("pack res") == 0);
  CHECK(s.out().find("packed 18 run records into res/runs.jsonl.gz") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "res" / "runs"));
  const auto packed = wcs::store::read_folder(s.dir / "res");
  REQUIRE(packed.runs.size() == 18);
  CHECK(packed.unreadable.empty());
  REQUIRE(s.wcs("report res") == 0);
  for (const auto& [name, text] : tree(s.dir / "res" / "tables")) {
    INFO(name);
    if (name == "runs.csv") continue;  // its `record` column names the pack's lines
    CHECK(text == tables.at(name));
  }
  // merge, compare and resume take the pack too.
  REQUIRE(s.wcs("merge res --out merged") == 0);
  CHECK(records(s.dir / "merged") == recs);
  REQUIRE(s.wcs("compare res merged") == 0);
  REQUIRE(s.wcs("run exp.yaml --out res --resume") == 0);
  CHECK(s.out().find("18 already recorded") != std::string::npos);
  // A pack cut short or damaged: the report names it and builds from the rest.
  REQUIRE(s.wcs("pack res") == 0);
  const std::string whole = read_text(s.dir / "res" / "runs.jsonl.gz");
  std::ofstream(s.dir / "res" / "runs.jsonl.gz", std::ios::binary) << whole.substr(0, whole.size() / 2);
  CHECK(s.wcs("report res") == 0);
  CHECK(read_text(s.dir / "res/tables/report.md").find("runs.jsonl.gz") != std::string::npos);
  // A folder with runs missing is packed only when asked.
  REQUIRE(s.wcs("run exp.yaml --out part --shard 0/2 --quiet") == 0);
  CHECK(s.wcs("pack part") == 2);
  CHECK(s.err().find("9 of 18 planned runs have no record") != std::string::npos);
  CHECK(s.wcs("pack part --allow-missing") == 0);
}

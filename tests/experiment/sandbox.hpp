// The `wcs` program run in a fresh temporary folder, and what the harness tests read
// of a results folder: shared by the tests of tests/experiment.
#pragma once
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "record/record.hpp"
#include "store/files.hpp"
#include "store/folder.hpp"

namespace wcs::test {

namespace fs = std::filesystem;
using wcs::record::Json;
using wcs::store::read_text;

inline const char* kExperiment = R"(name: harness
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
    dir =
        fs::temp_directory_path() / ("wcs-harness-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
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
  // Runs a bash command in the folder with $WCS set to the program; standard output
  // and error to out.txt / err.txt unless the command redirects them itself.
  int sh(const std::string& command) const {
    const char* exe = std::getenv("WCS_EXE");
    REQUIRE(exe != nullptr);
    std::ofstream(dir / "cmd.sh") << "cd '" << dir.string() << "' || exit 97\nWCS='" << exe << "'\n" << command << "\n";
    const std::string cmd = "bash '" + (dir / "cmd.sh").string() + "' > '" + (dir / "out.txt").string() + "' 2> '" +
                            (dir / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return read_text(dir / "out.txt"); }
  std::string err() const { return read_text(dir / "err.txt"); }

  // `wcs ARGS` run directly (no shell between), measured: its exit status, its wall
  // time and its peak resident memory (wait4's rusage of that one process).
  struct Measured {
    int status = -1;
    double seconds = 0;
    long max_rss_kb = 0;
  };
  Measured measured(const std::vector<std::string>& args) const {
    const char* exe = std::getenv("WCS_EXE");
    REQUIRE(exe != nullptr);
    std::vector<std::string> argv_text{exe};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out_file = (dir / "out.txt").string(), err_file = (dir / "err.txt").string();
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int o = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (o < 0 || e < 0 || ::chdir(dir.c_str()) != 0 || ::dup2(o, 1) < 0 || ::dup2(e, 2) < 0) ::_exit(97);
      ::execv(exe, argv.data());
      ::_exit(98);
    }
    int status = 0;
    rusage usage{};
    REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
    Measured m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.max_rss_kb = usage.ru_maxrss;
    return m;
  }
};

// id -> record as written, of a results folder (read_folder checks them first: none
// may be unreadable).
inline std::map<std::string, Json> records(const fs::path& dir) {
  std::map<std::string, Json> out;
  const auto folder = wcs::store::read_folder(dir);
  CHECK(folder.unreadable.empty());
  for (const auto& r : folder.runs) out[r.id] = Json::parse(read_text(wcs::store::record_path(dir, r.id)));
  return out;
}

// The id of the first record (in id order, which follows hashes) whose run completed:
// a test that changes or removes "a run" must not pick one skipped by max_n.
inline std::string first_ok(const std::map<std::string, Json>& recs) {
  for (const auto& [id, r] : recs)
    if (r["wcs"]["status"] == "ok") return id;
  FAIL("no completed run among the records");
  return {};
}

// Every record of DIR read as a typed RunRecord writes the same bytes again; returns
// the typed records by id.
inline std::map<std::string, wcs::record::RunRecord> round_trip(const fs::path& dir) {
  std::map<std::string, wcs::record::RunRecord> out;
  for (const auto& e : fs::directory_iterator(dir / "runs")) {
    const std::string text = read_text(e.path());
    auto r = wcs::record::from_json(Json::parse(text), e.path().string());
    CHECK(wcs::record::to_file_json(r).dump(2) + "\n" == text);
    out.emplace(r.id, std::move(r));
  }
  return out;
}

inline std::map<std::string, std::string> file_texts(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_text(e.path());
  return out;
}

// Every file under `dir` (relative path -> bytes).
inline std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_text(e.path());
  return out;
}

inline std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto p = text.find(part); p != std::string::npos; p = text.find(part, p + 1)) ++n;
  return n;
}

inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The pid of a process that has ended (its number is free).
inline pid_t ended_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

}  // namespace wcs::test

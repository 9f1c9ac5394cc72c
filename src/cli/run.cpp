// `wcs run`: an experiment file -> validated plan -> benchmarked runs -> run records.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "experiment/plan.hpp"
#include "experiment/runner.hpp"
#include "version.hpp"
#include "wcs/error.hpp"

namespace wcs::cli {

namespace {
struct RunFlags {
  std::string file, out, shard = "0/1";
  bool resume = false, retry_failed = false, dry_run = false, fresh = false, quiet = false;
};

// SIGINT or SIGTERM: the runner stops at the next run boundary. The handler resets
// itself, so a second signal ends the program at once.
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int sig) {
  stop_signal = sig;
  static const char message[] = "\nwcs: stopping after the current run (send the signal again to stop at once)\n";
  const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
}

void catch_stop_signals() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") == std::string::npos)
    return s;
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

// --shard "I/N" (0 <= I < N); InputError naming --shard otherwise.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  std::size_t i = 0, n = 0, used1 = 0, used2 = 0;
  bool ok = slash != std::string::npos && slash > 0 && slash + 1 < text.size();
  if (ok) {
    try {
      const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
      ok = a.find('-') == std::string::npos && b.find('-') == std::string::npos;
      i = std::stoull(a, &used1);
      n = std::stoull(b, &used2);
      ok = ok && used1 == a.size() && used2 == b.size() && n >= 1 && i < n;
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok) throw InputError("--shard: '" + text + "' is not I/N with 0 <= I < N");
  return {i, n};
}
}  // namespace

Command add_run(CLI::App& app, const GlobalFlags& flags) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "Run an experiment file: every run benchmarked, one record per run");
  cmd->add_option("experiment", f->file, "the experiment file (YAML)")->required();
  cmd->add_option("--out", f->out, "results folder (default results/<experiment name>)");
  cmd->add_option("--shard", f->shard, "I/N: run only the runs with index % N == I (e.g. a job-array task id)")
      ->capture_default_str();
  cmd->add_flag("--resume", f->resume,
                "skip runs already recorded in the results folder (failed ones too, unless --retry-failed)");
  cmd->add_flag("--retry-failed", f->retry_failed, "with --resume: run the failed and faulty runs again");
  cmd->add_flag("--fresh", f->fresh,
                "remove what the harness wrote in the results folder first (its experiment.json says what that is; "
                "a folder without one is refused)");
  cmd->add_flag("--dry-run", f->dry_run, "print the expanded plan and exit");
  cmd->add_flag("--quiet", f->quiet,
                "no progress on standard error (by default: a line every 5% of the runs or 30 s, redrawn in place on a terminal)");
  return [f, &flags]() -> int {
    namespace ex = wcs::experiment;
    const auto [shard, shards] = parse_shard(f->shard);
    Registry registry = load_registry(flags);
    const auto t0 = std::chrono::steady_clock::now();
    ex::Plan plan;
    try {
      plan = ex::load_plan(f->file, registry);
    } catch (const ex::ExperimentError& e) {
      for (const auto& m : e.messages()) std::cerr << m << "\n";
      const bool stopped = e.total() >= ex::kCountedErrors;
      if (e.total() > e.messages().size())
        std::cerr << fmt::format("... and {}{} more (the first {} are listed{})\n", stopped ? "at least " : "",
                                 e.total() - e.messages().size(), e.messages().size(),
                                 stopped ? "; checking stopped there" : "");
      std::cerr << fmt::format("wcs: error: {}{} problem{} in {}; nothing was run\n", stopped ? "at least " : "", e.total(),
                               e.total() == 1 ? "" : "s", f->file);
      return 2;
    }
    const double plan_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const auto runs = ex::shard_runs(plan, shard, shards);
    std::size_t skips = 0;
    for (const auto& r : plan.runs) skips += !r.skip_reason.empty();
    const std::filesystem::path out = f->out.empty() ? std::filesystem::path("results") / plan.name : std::filesystem::path(f->out);
    if (f->dry_run) {
      fmt::print("experiment {} ({}, {}): {} runs, {} skipped by max_n; shard {}/{}: {} runs -> {}\n", plan.name, f->file,
                 plan.file_hash, plan.runs.size(), skips, shard, shards, runs.size(), out.string());
      for (const auto* r : runs)
        fmt::print("{:>6} {} {}{}\n", r->index, r->id, r->key, r->skip_reason.empty() ? "" : "  [skip: " + r->skip_reason + "]");
      std::cerr << fmt::format("planned {} runs in {:.1f} ms\n", plan.runs.size(), plan_ms);
      return 0;
    }
    ex::RunnerOptions o;
    o.out = out;
    o.shard = shard;
    o.shards = shards;
    o.resume = f->resume;
    o.retry_failed = f->retry_failed;
    o.command = "wcs run " + f->file;
    o.fresh = f->fresh;
    o.progress = !f->quiet;
    o.terminal = ::isatty(STDERR_FILENO) != 0;
    o.stop = &stop_signal;
    ex::add_build_context(build_commit(), simd_target());
    catch_stop_signals();
    const auto s = ex::run_plan(plan, registry, o);
    if (f->fresh) fmt::print("{}: --fresh removed {} result file{}\n", out.string(), s.removed, s.removed == 1 ? "" : "s");
    if (!s.left.empty())
      fmt::print("{}: --fresh left {} file{} the harness did not write: {}{}\n", out.string(), s.left.size(),
                 s.left.size() == 1 ? "" : "s", s.left.front(), s.left.size() > 1 ? ", ..." : "");
    if (s.unpacked)
      fmt::print("{}: moved the {} records of its pack back to runs/ to go on (`wcs pack` packs them again)\n",
                 out.string(), s.unpacked);
    if (s.stale)
      fmt::print("{}: removed {} stale record{} (runs the experiment file no longer has, or has changed)\n", out.string(),
                 s.stale, s.stale == 1 ? "" : "s");
    if (s.temporaries)
      fmt::print("{}: removed {} leftover temporary file{} of interrupted writes\n", out.string(), s.temporaries,
                 s.temporaries == 1 ? "" : "s");
    const double harness_ms = s.ran ? (s.seconds - s.strategy_seconds) * 1e3 / static_cast<double>(s.ran + s.skipped) : 0.0;
    fmt::print("{}: shard {}/{} has {} of {} runs: {} ran, {} skipped by max_n, {} already recorded, {} failed; "
               "{:.2f} s ({:.2f} s in strategies, harness {:.3f} ms per run) -> {}\n",
               plan.name, shard, shards, s.in_shard, plan.runs.size(), s.ran, s.skipped, s.resumed, s.failed, s.seconds,
               s.strategy_seconds, harness_ms, out.string());
    if (s.stopped_by) {
      const std::size_t recorded = s.resumed + s.ran - s.failed + s.skipped;
      std::cerr << fmt::format("wcs: stopped by {}: {} run{} recorded by this command, {} of the shard's {} runs recorded "
                               "in all; `wcs run {} --out {}{} --resume` continues\n",
                               s.stopped_by == SIGINT ? "SIGINT" : s.stopped_by == SIGTERM ? "SIGTERM" : "a signal",
                               s.ran + s.skipped, s.ran + s.skipped == 1 ? "" : "s", recorded, s.in_shard,
                               shell_word(f->file), shell_word(out.string()),
                               shards > 1 ? " --shard " + f->shard : std::string());
      return 128 + s.stopped_by;
    }
    if (s.failed) {
      std::cerr << fmt::format("wcs: {} run{} failed or gave a faulty result (their records say which; `wcs report` lists "
                               "them; `--resume --retry-failed` runs them again)\n",
                               s.failed, s.failed == 1 ? "" : "s");
      return 1;
    }
    return 0;
  };
}

}  // namespace wcs::cli

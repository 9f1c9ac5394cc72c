// `wcs run`: an experiment file -> validated plan -> benchmarked runs -> run records.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "experiment/plan.hpp"
#include "experiment/runner.hpp"

namespace wcs::cli {

namespace {
struct RunFlags {
  std::string file, out, shard = "0/1";
  bool resume = false, dry_run = false, quiet = false;
};
}  // namespace

Command add_run(CLI::App& app, const GlobalFlags& flags) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand("run", "Run an experiment file: every run benchmarked, one record per run");
  cmd->add_option("experiment", f->file, "the experiment file (YAML)")->required();
  cmd->add_option("--out", f->out, "results folder (default results/<experiment name>)");
  cmd->add_option("--shard", f->shard, "I/N: run only the runs with index % N == I (e.g. a job-array task id)")
      ->capture_default_str();
  cmd->add_flag("--resume", f->resume, "skip runs already recorded in the results folder");
  cmd->add_flag("--dry-run", f->dry_run, "print the expanded plan and exit");
  cmd->add_flag("--quiet", f->quiet,
                "no progress on standard error (by default: a line every 5% of the runs or 30 s, redrawn in place on a terminal)");
  return [f, &flags]() -> int {
    namespace ex = wcs::experiment;
    const auto [shard, shards] = ex::parse_shard(f->shard);
    Registry registry = load_registry(flags);
    const auto t0 = std::chrono::steady_clock::now();
    ex::Plan plan;
    try {
      plan = ex::load_plan(f->file, registry);
    } catch (const ex::ExperimentError& e) {
      for (const auto& m : e.messages()) std::cerr << m << "\n";
      std::cerr << fmt::format("wcs: error: {} problem{} in {}; nothing was run\n", e.messages().size(),
                               e.messages().size() == 1 ? "" : "s", f->file);
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
    o.progress = !f->quiet;
    o.terminal = ::isatty(STDERR_FILENO) != 0;
    ex::add_build_context(std::filesystem::path(f->file).parent_path());
    const auto s = ex::run_plan(plan, registry, o);
    const double harness_ms = s.ran ? (s.seconds - s.strategy_seconds) * 1e3 / static_cast<double>(s.ran + s.skipped) : 0.0;
    fmt::print("{}: shard {}/{} has {} of {} runs: {} ran, {} skipped by max_n, {} already recorded, {} failed; "
               "{:.2f} s ({:.2f} s in strategies, harness {:.3f} ms per run) -> {}\n",
               plan.name, shard, shards, s.in_shard, plan.runs.size(), s.ran, s.skipped, s.resumed, s.failed, s.seconds,
               s.strategy_seconds, harness_ms, out.string());
    if (s.failed) {
      std::cerr << fmt::format("wcs: {} run{} failed (status failed in their records; `wcs report` lists them)\n", s.failed,
                               s.failed == 1 ? "" : "s");
      return 1;
    }
    return 0;
  };
}

}  // namespace wcs::cli

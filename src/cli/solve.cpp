// `wcs solve`: one problem, one strategy, from the command line.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "record/record.hpp"
#include "solve_args.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::cli {
namespace {

using Json = nlohmann::ordered_json;

// One trace entry of `--json --trace`.
Json trace_entry_json(const TraceEntry& t) {
  Json e;
  e["cycle"] = t.cycle;
  e["line"] = t.line ? Json(*t.line) : Json(nullptr);
  e["combination"] = t.combination.to_string();
  e["result"] = t.result;
  e["wpn"] = t.wpn;
  e["weights_before"] = t.weights_before;
  e["evaluations"] = t.evaluations;
  return e;
}

std::string trace_header(std::size_t n) {
  return fmt::format("{:>6} {:>10}  {:<{}}  {:>14} {:>10}\n", "cycle", "line", "combination", std::max<std::size_t>(n, 11),
                     "result", "wpn");
}

std::string trace_row(const TraceEntry& t, std::size_t n) {
  return fmt::format("{:>6} {:>10}  {:<{}}  {:>14} {:>10}\n", t.cycle, t.line ? std::to_string(*t.line) : "-",
                     t.combination.to_string(), std::max<std::size_t>(n, 11), format_number(t.result), format_number(t.wpn));
}

void print_human(const Solver& solver, const Problem& p, const SolveResult& r, double seconds) {
  std::string weights;
  for (double w : r.weights) weights += (weights.empty() ? "" : " ") + format_number(w);
  fmt::print("strategy     {}\n", solver.info().name);
  fmt::print("N            {}\n", p.n());
  fmt::print("converged    {} after {} cycle{} ({} evaluations)\n", r.converged ? "yes" : "no", r.cycles,
             r.cycles == 1 ? "" : "s", r.evaluations);
  fmt::print("result       {} (target {}, error {}, tolerance {})\n", r.result, p.target, r.error, p.tolerance);
  fmt::print("weights      {} ({} non-zero)\n", weights, r.nonzero_weights());
  for (const auto& [k, v] : r.notes) fmt::print("{:<12} {}\n", k, v);
  fmt::print("seconds      {:.6f}\n", seconds);
}

}  // namespace

Command add_solve(CLI::App& app, const GlobalFlags& flags) {
  auto f = std::make_shared<SolveFlags>();
  CLI::App* cmd = app.add_subcommand("solve", "Solve one problem with one strategy and print the result");
  add_solve_options(*cmd, *f);
  return [f, &flags]() -> int {
    const SolveRequest req = solve_request(*f);
    const Problem& problem = req.problem;
    Registry registry = load_registry(flags);
    const StrategyInfo& info = registry.get(req.strategy);
    if (!req.truth_table.empty()) {
      bool has = false;
      for (const auto& o : info.options) has = has || o.name == "truth_table";
      if (!has) throw InputError("--truth-table: strategy '" + req.strategy + "' cannot write a truth table (try reference)");
    }
    Solver solver = registry.create(req.strategy, req.options);
    SolveOptions so;
    so.trace = req.trace;
    so.seed = req.seed;
    // The human trace is printed as the solve runs (any length, constant memory); the
    // JSON one is kept, up to SolveOptions::trace_bytes.
    bool header = false;
    if (req.trace && !req.json)
      so.trace_sink = [&](const TraceEntry& t) {
        if (!header) std::fputs(trace_header(problem.n()).c_str(), stdout);
        header = true;
        std::fputs(trace_row(t, problem.n()).c_str(), stdout);
        return true;
      };
    const auto start = std::chrono::steady_clock::now();
    const SolveResult r = solver.solve(problem, so);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (req.json) {
      // The fields of the record's table that `wcs solve --json` has (record.hpp).
      const wcs::record::RunRecord record = wcs::record::solve_record(problem, req.strategy, solver.options().canonical(), r);
      Json extras{{"seconds", seconds}};
      if (req.trace) extras["trace_dropped"] = r.trace_dropped;
      std::string text = wcs::record::solve_json(record, extras).dump();
      if (req.trace) {  // entry by entry: the trace never exists twice in memory
        text.pop_back();
        text += ",\"trace\":[";
        std::fputs(text.c_str(), stdout);
        for (std::size_t i = 0; i < r.trace.size(); ++i) {
          if (i) std::fputc(',', stdout);
          std::fputs(trace_entry_json(r.trace[i]).dump().c_str(), stdout);
        }
        text = "]}";
      }
      std::fputs(text.c_str(), stdout);
      std::fputc('\n', stdout);
    } else {
      if (header) std::fputc('\n', stdout);
      print_human(solver, problem, r, seconds);
      if (r.trace_dropped) fmt::print("trace        {} cycles not kept\n", r.trace_dropped);
    }
    // A result that fails its checks is the strategy's failure, whatever was printed.
    const auto fault = wcs::record::check_result(wcs::record::solve_record(problem, req.strategy, {}, r));
    if (fault) {
      std::fflush(stdout);
      std::cerr << "wcs: failure: the result is " << fault->first << ": " << fault->second << "\n";
      return 1;
    }
    return 0;
  };
}

}  // namespace wcs::cli

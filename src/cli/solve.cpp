// `wcs solve`: one problem, one strategy, from the command line.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::cli {
namespace {

struct SolveFlags {
  std::string strategy = "reference";
  std::string coef, target, tol = "0", max_iter = "32", wpn = "1", wpn_bounds, truth_table, seed = "0";
  std::vector<std::string> sets;
  bool trace = false, json = false;
};


Problem problem_from(const SolveFlags& f) {
  Problem p;
  p.coefficients = parse_number_list(f.coef, "coefficients");
  p.target = parse_number(f.target, "target");
  p.tolerance = parse_number(f.tol, "tolerance");
  p.max_iter = parse_integer(f.max_iter, "max_iter");
  p.initial_wpn = parse_number(f.wpn, "initial_wpn");
  if (!f.wpn_bounds.empty()) {
    const auto b = parse_number_list(f.wpn_bounds, "wpn_bounds");
    if (b.size() != 2) throw InputError("wpn_bounds: '" + f.wpn_bounds + "' needs two values LO,HI");
    p.wpn_lo = b[0];
    p.wpn_hi = b[1];
  }
  validate(p);
  return p;
}

std::map<std::string, std::string> options_from(const SolveFlags& f) {
  std::map<std::string, std::string> options;
  for (const auto& s : f.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError("--set: '" + s + "' is not KEY=VALUE");
    options[s.substr(0, eq)] = s.substr(eq + 1);
  }
  if (!f.truth_table.empty()) options["truth_table"] = f.truth_table;
  return options;
}

void print_human(const Solver& solver, const Problem& p, const SolveResult& r, double seconds, bool trace) {
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
  if (!trace) return;
  fmt::print("\n{:>6} {:>10}  {:<{}}  {:>14} {:>10}\n", "cycle", "line", "combination", std::max<std::size_t>(p.n(), 11),
             "result", "wpn");
  for (const auto& t : r.trace)
    fmt::print("{:>6} {:>10}  {:<{}}  {:>14} {:>10}\n", t.cycle, t.line ? std::to_string(*t.line) : "-",
               t.combination.to_string(), std::max<std::size_t>(p.n(), 11), format_number(t.result),
               format_number(t.wpn));
}

}  // namespace

Command add_solve(CLI::App& app, const GlobalFlags& flags) {
  auto f = std::make_shared<SolveFlags>();
  CLI::App* cmd = app.add_subcommand("solve", "Solve one problem with one strategy and print the result");
  cmd->add_option("-s,--strategy", f->strategy, "strategy name (see `wcs list`)")->capture_default_str();
  cmd->add_option("--coef", f->coef, "coefficients A,B,C (use --coef=-1,2 for negative values)")->required();
  cmd->add_option("--target", f->target, "the value to reach")->required();
  cmd->add_option("--tol", f->tol, "stop when the cycle's best error is <= this")->capture_default_str();
  cmd->add_option("--max-iter", f->max_iter, "most cycles to run")->capture_default_str();
  cmd->add_option("--wpn", f->wpn, "initial Weighted Possibility Number p (!= 0)")->capture_default_str();
  cmd->add_option("--wpn-bounds", f->wpn_bounds, "LO,HI: p is clamped into it (default -inf,inf)");
  cmd->add_option("--set", f->sets, "strategy option KEY=VALUE (repeatable; see `wcs list`)");
  cmd->add_option("--seed", f->seed, "seed of every random choice")->capture_default_str();
  cmd->add_flag("--trace", f->trace, "print (or add to the JSON) the winner of every cycle");
  cmd->add_option("--truth-table", f->truth_table, "write the truth table to this CSV file (strategy option truth_table)");
  cmd->add_flag("--json", f->json, "print exactly one JSON object on standard output");
  return [f, cmd, &flags]() -> int {
    (void)cmd;
    const Problem problem = problem_from(*f);
    const auto options = options_from(*f);
    Registry registry = load_registry(flags);
    const StrategyInfo& info = registry.get(f->strategy);
    if (!f->truth_table.empty()) {
      bool has = false;
      for (const auto& o : info.options) has = has || o.name == "truth_table";
      if (!has) throw InputError("--truth-table: strategy '" + f->strategy + "' cannot write a truth table (try reference)");
    }
    Solver solver = registry.create(f->strategy, options);
    SolveOptions so;
    so.trace = f->trace;
    so.seed = static_cast<std::uint64_t>(parse_integer(f->seed, "seed"));
    const auto start = std::chrono::steady_clock::now();
    const SolveResult r = solver.solve(problem, so);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (f->json) {
      const nlohmann::ordered_json record = result_json(r, f->trace);
      nlohmann::ordered_json j;
      j["strategy"] = f->strategy;
      j["n"] = problem.n();
      j["target"] = problem.target;
      j["tolerance"] = problem.tolerance;
      j["max_iter"] = problem.max_iter;
      j["options"] = solver.options().canonical();
      for (const auto& [k, v] : record.items())
        if (k != "trace") j[k] = v;
      j["seconds"] = seconds;
      if (f->trace) j["trace"] = record["trace"];
      std::cout << j.dump() << "\n";
    } else {
      print_human(solver, problem, r, seconds, f->trace);
    }
    return 0;
  };
}

}  // namespace wcs::cli

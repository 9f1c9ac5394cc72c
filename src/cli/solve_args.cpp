#include "solve_args.hpp"

#include <algorithm>

#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::cli {

void add_solve_options(CLI::App& cmd, SolveFlags& f) {
  cmd.add_option("-s,--strategy", f.strategy, "strategy name (see `wcs list`)")->capture_default_str();
  cmd.add_option("--coef", f.coef, "coefficients A,B,C (use --coef=-1,2 for negative values)")->required();
  cmd.add_option("--target", f.target, "the value to reach")->required();
  cmd.add_option("--tol", f.tol, "stop when the cycle's best error is <= this")->capture_default_str();
  cmd.add_option("--max-iter", f.max_iter, "most cycles to run")->capture_default_str();
  cmd.add_option("--wpn", f.wpn, "initial Weighted Possibility Number p (!= 0)")->capture_default_str();
  cmd.add_option("--wpn-bounds", f.wpn_bounds, "LO,HI: p is clamped into it (default -inf,inf)");
  cmd.add_option("--set", f.sets, "strategy option KEY=VALUE (repeatable; see `wcs list`)");
  cmd.add_option("--seed", f.seed, "seed of every random choice (" + seed_rule() + ")")->capture_default_str();
  cmd.add_flag("--trace", f.trace,
               "print the winner of every cycle as it is found (with --json: the first cycles, up to 64 MiB, and "
               "trace_dropped)");
  cmd.add_option("--truth-table", f.truth_table, "write the truth table to this CSV file (strategy option truth_table)");
  cmd.add_flag("--json", f.json, "print exactly one JSON object on standard output");
}

SolveRequest solve_request(const SolveFlags& f) {
  SolveRequest r;
  r.strategy = f.strategy;
  Problem& p = r.problem;
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
  for (const auto& s : f.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError("--set: '" + s + "' is not KEY=VALUE");
    r.options[s.substr(0, eq)] = s.substr(eq + 1);
  }
  if (!f.truth_table.empty()) r.options["truth_table"] = f.truth_table;
  r.truth_table = f.truth_table;
  r.seed = parse_seed(f.seed, "seed");
  r.trace = f.trace;
  r.json = f.json;
  return r;
}

void reject_empty_values(CLI::App& app) {
  static const CLI::Validator non_empty(
      [](std::string& value) { return value.empty() ? std::string("empty value (give one)") : std::string(); }, "", "");
  for (CLI::Option* o : app.get_options())
    if (o->get_type_size_max() > 0) o->check(non_empty);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) reject_empty_values(*sub);
}

void check_empty_assignments(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return;
    if (a.size() > 3 && a.rfind("--", 0) == 0 && a.back() == '=' && a.find('=') == a.size() - 1)
      throw CLI::ValidationError(a.substr(0, a.size() - 1),
                                 "empty value after '='" +
                                     (i + 1 < args.size() ? " (it would take the next argument, '" + args[i + 1] + "', as its value)"
                                                          : std::string()));
  }
}

SolveRequest parse_solve_args(const std::vector<std::string>& args) {
  CLI::App app{"wcs solve"};
  SolveFlags flags;
  add_solve_options(app, flags);
  reject_empty_values(app);
  check_empty_assignments(args);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  app.parse(reversed);
  return solve_request(flags);
}

}  // namespace wcs::cli

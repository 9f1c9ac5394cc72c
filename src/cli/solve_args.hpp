// The arguments of `wcs solve`, parsed and checked in process: the program and the
// fuzz target of the parser (tests/fuzz) share this code.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wcs/problem.hpp"

namespace wcs::cli {

/// The text of every option of `wcs solve`, as given.
struct SolveFlags {
  std::string strategy = "reference";
  std::string coef, target, tol = "0", max_iter = "32", wpn = "1", wpn_bounds, truth_table, seed = "0";
  std::vector<std::string> sets;
  bool trace = false, json = false;
};

/// A checked `wcs solve` request; nothing is loaded or solved yet.
struct SolveRequest {
  std::string strategy;
  Problem problem;                              ///< validated
  std::map<std::string, std::string> options;   ///< --set KEY=VALUE and --truth-table
  std::uint64_t seed = 0;                       ///< the rule of every seed (wcs::to_seed)
  bool trace = false, json = false;
  std::string truth_table;
};

/// Adds the options of `wcs solve` to `cmd`, stored into `flags` (which must outlive it).
void add_solve_options(CLI::App& cmd, SolveFlags& flags);

/// Checks the flags and makes the request: InputError naming the field and the value.
SolveRequest solve_request(const SolveFlags& flags);

/// Every option of `app` and its subcommands that takes a value refuses an empty one
/// (CLI::ValidationError naming the option): `--coef ""` is an error, not an empty list.
void reject_empty_values(CLI::App& app);

/// Refuses `--NAME=` with nothing after '=' among `args` (before a `--`): CLI11 would
/// take the next argument as its value, so `--coef= --target=4` read `--target=4` as
/// the coefficients. CLI::ValidationError naming the flag.
void check_empty_assignments(const std::vector<std::string>& args);

/// Parses the arguments that follow `wcs solve` (no program name) in process:
/// CLI::ParseError for usage errors, InputError for bad values.
SolveRequest parse_solve_args(const std::vector<std::string>& args);

}  // namespace wcs::cli

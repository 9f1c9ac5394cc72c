// libFuzzer target: the argument parser of `wcs solve`. The input is the argument
// list, one argument per NUL-separated piece. Parsing must end in a request whose
// problem is valid and whose seed follows the seed rule, a CLI::ParseError (usage)
// or an InputError naming a field; anything else is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "solve_args.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\0') args.emplace_back();
    else args.back() += static_cast<char>(data[i]);
  }
  if (args.back().empty()) args.pop_back();
  try {
    const wcs::cli::SolveRequest r = wcs::cli::parse_solve_args(args);
    wcs::validate(r.problem);
    if (!wcs::to_seed(std::to_string(r.seed))) std::abort();
    if (r.strategy.empty() && r.problem.n() == 0) std::abort();
  } catch (const CLI::ParseError&) {
  } catch (const wcs::InputError& e) {
    if (std::string(e.what()).find(": ") == std::string::npos) std::abort();  // "field: what is wrong"
  }
  return 0;
}

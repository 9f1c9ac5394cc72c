// `wcs report`: tables (Markdown, CSV) from a results folder's run records.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "report/report.hpp"

namespace wcs::cli {

Command add_report(CLI::App& app, const GlobalFlags&) {
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("report", "Write the tables of a results folder from its run records");
  cmd->add_option("results", *dir, "results folder (holds runs/ and experiment.json)")->required();
  return [dir]() -> int {
    for (const auto& p : wcs::report::write_report(*dir)) fmt::print("wrote {}\n", p.string());
    return 0;
  };
}

}  // namespace wcs::cli

// `wcs report`: tables (Markdown, CSV) from a results folder's run records.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "commands.hpp"
#include "report/report.hpp"

namespace wcs::cli {

namespace {
struct ReportFlags {
  std::string dir;
  bool strict = false;
};
}  // namespace

Command add_report(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand("report", "Write the tables of a results folder from its run records");
  cmd->add_option("results", f->dir, "results folder (holds experiment.json and runs/ or runs.jsonl.gz)")->required();
  cmd->add_flag("--strict", f->strict,
                "for CI: exit 1 when a record is unreadable, a run failed or gave a faulty result, or planned runs "
                "are missing (the tables are written all the same)");
  return [f]() -> int {
    const auto s = wcs::report::write_report(f->dir);
    for (const auto& p : s.written) fmt::print("wrote {}\n", p.string());
    for (const auto& w : s.warnings) std::cerr << "wcs report: warning: " << w << "\n";
    // The first unreadable records by name (report.md lists them all).
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < s.problems.size() && i < kShown; ++i)
      std::cerr << "wcs report: left out " << s.problems[i] << "\n";
    if (s.problems.size() > kShown) std::cerr << "wcs report: ... and " << s.problems.size() - kShown << " more\n";
    return f->strict && (s.unreadable || s.ignored || s.failed || s.missing) ? 1 : 0;
  };
}

}  // namespace wcs::cli

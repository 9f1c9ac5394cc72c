// `wcs compare A B`: the time of every cell two result folders share, B against A.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "report/compare.hpp"
#include "store/files.hpp"

namespace wcs::cli {

namespace {
struct CompareFlags {
  std::string a, b, html;
  double fail_on_slowdown = NAN;
  bool csv = false, strict = false;
};
}  // namespace

Command add_compare(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<CompareFlags>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare two results folders cell by cell: time ratio B / A with its interval, Mann-Whitney U test, verdict");
  cmd->add_option("A", f->a, "results folder before (holds runs/)")->required();
  cmd->add_option("B", f->b, "results folder after (holds runs/)")->required();
  cmd->add_option("--fail-on-slowdown", f->fail_on_slowdown,
                  "PCT: exit 1 when a cell of B is significantly slower than A by more than PCT percent (for CI)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--csv", f->csv, "print CSV instead of Markdown");
  cmd->add_option("--html", f->html,
                  "FILE: also write the comparison as a self-contained HTML page (sortable table, slower cells marked, "
                  "B / A against N with its interval)");
  cmd->add_flag("--strict", f->strict, "for CI: exit 1 when either folder has unreadable, failed or missing runs");
  return [f]() -> int {
    const auto report = wcs::report::compare_folders(f->a, f->b);
    for (const auto& w : report.warnings) std::cerr << "wcs compare: warning: " << w << "\n";
    std::cout << (f->csv ? wcs::report::compare_csv(report) : wcs::report::compare_markdown(report, f->a, f->b));
    if (!f->html.empty()) {
      wcs::store::write_atomic(f->html, wcs::report::compare_page(report, f->a, f->b));
      std::cerr << "wcs compare: wrote " << f->html << "\n";
    }
    std::cerr << fmt::format("wcs compare: matched {} of A's {} timed runs and {} of B's {}\n", report.a.matched,
                             report.a.timed, report.b.matched, report.b.timed);
    // A comparison of nothing is no comparison: it never passes.
    if (report.cells.empty()) {
      std::cerr << "wcs compare: error: nothing matched: no run was timed in both folders (other experiments, or "
                   "different run keys)\n";
      return 1;
    }
    const auto bad = [](const wcs::report::Side& s) { return s.unreadable + s.failed + s.missing; };
    if (f->strict && bad(report.a) + bad(report.b)) {
      std::cerr << "wcs compare: --strict: a folder has unreadable, failed or missing runs\n";
      return 1;
    }
    if (std::isnan(f->fail_on_slowdown)) return 0;
    const auto slow = wcs::report::slowdowns(report, f->fail_on_slowdown);
    if (slow.empty()) return 0;
    std::cerr << fmt::format("wcs compare: {} cell{} slower than A by more than {}%:", slow.size(),
                             slow.size() == 1 ? " is" : "s are", f->fail_on_slowdown);
    for (const auto* c : slow)
      std::cerr << fmt::format(" {} N={} {} ({:.3g}x)", c->problem, c->n, c->strategy, c->ratio);
    std::cerr << "\n";
    return 1;
  };
}

}  // namespace wcs::cli

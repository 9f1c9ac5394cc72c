// The `wcs` program: solve, list, and the experiment harness: run, report, merge, compare.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "version.hpp"
#include "wcs/error.hpp"

int main(int argc, char** argv) {
  using namespace wcs::cli;
  CLI::App app{"wcs: a research harness for WeightCombinationSearch strategies"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", [] { return wcs::cli::version_text(); },
                       "print the version, commit, compiler, build type, SIMD targets and plugin ABI, and exit");
  GlobalFlags flags;
  app.add_option("--plugin-dir", flags.plugin_dirs, "extra folder of strategy modules (repeatable; also WCS_PLUGIN_PATH)");
  std::vector<std::pair<CLI::App*, Command>> commands;
  auto add = [&](const char* name, Command c) { commands.emplace_back(app.get_subcommand(name), std::move(c)); };
  add("solve", add_solve(app, flags));
  add("list", add_list(app, flags));
  add("run", add_run(app, flags));
  add("report", add_report(app, flags));
  add("merge", add_merge(app, flags));
  add("compare", add_compare(app, flags));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "wcs: " << e.what() << " (see --help)\n";
    return 2;
  }
  try {
    for (auto& [cmd, run] : commands)
      if (cmd->parsed()) return run();
  } catch (const wcs::InputError& e) {
    std::cerr << "wcs: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "wcs: failure: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

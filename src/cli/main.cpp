// The `wcs` program: solve, list, and the experiment harness: run, report, merge, compare.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <unistd.h>

#include "commands.hpp"
#include "solve_args.hpp"
#include "version.hpp"
#include "wcs/error.hpp"

namespace {

// Every write is checked to the last byte: output that could not be written (a full
// disk, a closed or failing standard output) is an error with a message; a closed
// pipe (`| head`) ends the program quietly, by SIGPIPE, as Unix tools do.
int checked_exit(int status) {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  int err = errno;
  std::cout.flush();
  if (flushed && !std::ferror(stdout) && std::cout.good()) return status;
  if (err == 0) {
    // The output failed in an earlier flush, whose errno is gone: ask the descriptor
    // once more (the output is lost already; a pipe whose reader left gets SIGPIPE).
    err = ::write(STDOUT_FILENO, "\n", 1) < 0 ? errno : EIO;
  }
  if (err == EPIPE) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    return 128 + SIGPIPE;
  }
  std::cerr << "wcs: error: cannot write standard output: " << std::strerror(err) << "\n";
  return status == 0 ? 1 : status;
}

int run_program(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) { return checked_exit(run_program(argc, argv)); }

namespace {

int run_program(int argc, char** argv) {
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
  add("pack", add_pack(app, flags));
  add("schema", add_schema(app, flags));
  reject_empty_values(app);
  try {
    check_empty_assignments(std::vector<std::string>(argv + 1, argv + argc));
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

}  // namespace

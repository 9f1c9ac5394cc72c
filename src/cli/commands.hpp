// The `wcs` subcommands; each adds itself to the CLI11 app and runs when chosen.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>

#include "app.hpp"

namespace wcs::cli {

/// Adds a subcommand to `app`; the returned function runs it (exit status).
using Command = std::function<int()>;
Command add_solve(CLI::App& app, const GlobalFlags& flags);
Command add_list(CLI::App& app, const GlobalFlags& flags);
Command add_run(CLI::App& app, const GlobalFlags& flags);
Command add_report(CLI::App& app, const GlobalFlags& flags);
Command add_merge(CLI::App& app, const GlobalFlags& flags);
Command add_compare(CLI::App& app, const GlobalFlags& flags);
Command add_pack(CLI::App& app, const GlobalFlags& flags);
Command add_schema(CLI::App& app, const GlobalFlags& flags);

}  // namespace wcs::cli

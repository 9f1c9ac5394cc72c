// `wcs pack`: a finished experiment's records into one file; `wcs schema`: the run
// record's fields.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "commands.hpp"
#include "record/record.hpp"
#include "store/folder.hpp"
#include "store/lock.hpp"
#include "store/pack.hpp"

namespace wcs::cli {

namespace {
struct PackFlags {
  std::string dir;
  bool allow_missing = false;
};
}  // namespace

Command add_pack(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<PackFlags>();
  CLI::App* cmd = app.add_subcommand(
      "pack", std::string("Pack a finished results folder's records (runs/*.json) into one compressed file, ") +
                  wcs::store::kPackFile + ", that every command and the Python loader read as they read runs/");
  cmd->add_option("results", f->dir, "results folder")->required();
  cmd->add_flag("--allow-missing", f->allow_missing, "pack even when planned runs have no record");
  return [f]() -> int {
    const wcs::store::FolderLock lock(f->dir, "wcs pack " + f->dir);
    const std::size_t n = wcs::store::pack_folder(f->dir, f->allow_missing);
    fmt::print("packed {} run records into {}/{}\n", n, f->dir, wcs::store::kPackFile);
    return 0;
  };
}

Command add_schema(CLI::App& app, const GlobalFlags&) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("schema", "Print the fields of a run record (docs/record.md is made from it)");
  cmd->add_flag("--json", *json, "as JSON");
  return [json]() -> int {
    std::cout << (*json ? wcs::record::fields_json().dump(2) + "\n" : wcs::record::fields_markdown());
    return 0;
  };
}

}  // namespace wcs::cli

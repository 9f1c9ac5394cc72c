// `wcs merge`: joins the results folders of shards into one result set.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "experiment/record.hpp"
#include "wcs/error.hpp"

namespace wcs::cli {

namespace {
struct MergeFlags {
  std::vector<std::string> dirs;
  std::string out;
};
}  // namespace

Command add_merge(CLI::App& app, const GlobalFlags&) {
  auto f = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "Join results folders of one experiment (e.g. shards) into one");
  cmd->add_option("results", f->dirs, "results folders to join")->required();
  cmd->add_option("--out", f->out, "the joined results folder")->required();
  return [f]() -> int {
    namespace ex = wcs::experiment;
    namespace fs = std::filesystem;
    std::string experiment_text, name, hash;
    std::map<std::string, std::pair<std::string, std::string>> records;  // id -> (key, text)
    std::size_t planned = 0;
    // Read and check everything before writing anything.
    for (const auto& d : f->dirs) {
      const fs::path dir(d);
      std::string text;
      try {
        text = ex::read_text(dir / "experiment.json");
      } catch (const std::exception&) {
        throw InputError(d + ": no experiment.json (not a results folder of `wcs run`)");
      }
      const auto j = ex::Json::parse(text);
      const std::string n = j.value("name", std::string()), h = j.value("file_hash", std::string());
      if (experiment_text.empty()) {
        experiment_text = text;
        name = n;
        hash = h;
        planned = j.value("runs_planned", std::size_t{0});
      } else if (n != name || h != hash) {
        throw InputError(fmt::format("{}: experiment {} ({}) differs from {} ({}) of {}", d, n, h, name, hash, f->dirs.front()));
      }
      std::vector<fs::path> files;
      if (fs::is_directory(dir / "runs"))
        for (const auto& e : fs::directory_iterator(dir / "runs"))
          if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        std::string rt = ex::read_text(file);
        ex::Json rec;
        try {
          rec = ex::Json::parse(rt);
        } catch (const std::exception& e) {
          throw InputError(file.string() + ": not JSON: " + e.what());
        }
        if (!rec.contains("wcs") || !rec["wcs"].contains("id") || !rec["wcs"].contains("key"))
          throw InputError(file.string() + ": not a wcs run record");
        if (rec["wcs"].value("experiment_hash", std::string()) != hash)
          throw InputError(file.string() + ": record of another version of the experiment (hash differs)");
        const std::string id = rec["wcs"]["id"].get<std::string>(), key = rec["wcs"]["key"].get<std::string>();
        auto it = records.find(id);
        if (it == records.end()) records.emplace(id, std::make_pair(key, std::move(rt)));
        else if (it->second.first != key) throw InputError(fmt::format("{}: id {} names two runs: {} and {}", file.string(), id, key, it->second.first));
        // The same run in two folders: the first folder given wins.
      }
    }
    const fs::path out(f->out);
    ex::write_atomic(out / "experiment.json", experiment_text);
    for (const auto& [id, rec] : records) ex::write_atomic(ex::record_path(out, id), rec.second);
    fmt::print("merged {} run records of {} from {} folder{} into {} ({} planned{})\n", records.size(), name, f->dirs.size(),
               f->dirs.size() == 1 ? "" : "s", out.string(), planned,
               records.size() < planned ? fmt::format(", {} missing", planned - records.size()) : "");
    return 0;
  };
}

}  // namespace wcs::cli

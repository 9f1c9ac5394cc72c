// Grouping of run records for the tables: a cell is one (problem, N, max_iter,
// tolerance, strategy label) over its seeds; a row one problem instance shape
// (problem, N, max_iter, tolerance) over strategies; a panel one (problem, max_iter,
// tolerance) with its N as columns. Rows and columns keep plan order (smallest run
// index first), so the tables read like the experiment file and do not depend on
// file-system order. Times and speed-ups of each cell are computed here once.
#pragma once
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "report/runs.hpp"
#include "report/stats.hpp"
#include "store/folder.hpp"

namespace wcs::report {

struct Cell {
  std::string key, row, problem, label, family;
  std::size_t n = 0, first = SIZE_MAX;
  long long max_iter = 0;
  double tolerance = 0;
  std::vector<const RunRecord*> ok, skipped, failed;
  // Derived.
  Estimate time, speedup;
  std::string baseline;   // label the speed-up is against ("" none)
  std::size_t seeds = 0;  // ok runs with times
  std::size_t reps = 0;   // most repetitions of a run
};

struct Row {
  std::string key, problem, baseline;
  std::size_t n = 0, first = SIZE_MAX;
  long long max_iter = 0;
  double tolerance = 0;
};

struct Panel {
  std::string title;
  std::vector<std::string> rows;     // row keys, one column each
  std::vector<std::string> headers;  // "N=4" or "worked-1 N=3"
};

struct Model {
  std::vector<RunRecord> runs;     // plan order
  std::vector<std::string> files;  // where each run was read, same order
  std::vector<store::Unreadable> unreadable;
  std::vector<std::string> ignored;  // entries of runs/ that are not regular files
  std::size_t planned = 0, missing = 0;
  std::vector<std::string> labels;  // plan order
  std::map<std::string, std::string> family;
  std::map<std::string, Cell> cells;
  std::vector<std::string> row_order;
  std::map<std::string, Row> rows;
  std::vector<Panel> panels;
  std::string baseline_key;  // the experiment's `baseline:`

  const Cell* cell(const std::string& row, const std::string& label) const {
    auto it = cells.find(cell_key(row, label));
    return it == cells.end() ? nullptr : &it->second;
  }
};

/// The family of problems a row belongs to, its panel's title: "problem (max_iter M,
/// tolerance T)".
std::string panel_title(const Row& row);

/// The records of a folder grouped into cells, rows and panels, in plan order; its
/// experiment.json (may be null) gives the `baseline:`.
Model group(store::Records records);

}  // namespace wcs::report

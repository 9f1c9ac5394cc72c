// Tables (Markdown and CSV) from the run records of a results folder, and nothing else.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace wcs::report {

/// One table: a title, column names and rows of cells, already formatted.
struct Table {
  std::string name;    ///< file stem ("speed")
  std::string title;   ///< Markdown heading
  std::string note;    ///< a line under the heading
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;       ///< for Markdown (rounded)
  std::vector<std::vector<std::string>> csv_rows;   ///< for CSV (full precision)
};

/// The tables of a set of records: speed, accuracy, convergence, skipped and failed
/// runs, and the published estimates beside measured times when `experiment` (the
/// content of experiment.json, may be null) has them. Deterministic: the same records
/// give the same tables.
std::vector<Table> make_tables(const std::vector<nlohmann::ordered_json>& records, const nlohmann::ordered_json& experiment);

/// GitHub Markdown of all tables, with `heading` on top.
std::string markdown(const std::vector<Table>& tables, const std::string& heading);

/// One table as CSV (RFC 4180 quoting), header first.
std::string csv(const Table& table);

/// Every benchmark entry of the records in one Google Benchmark JSON file (for
/// compare.py), ordered by run index.
std::string combined_benchmark_json(const std::vector<nlohmann::ordered_json>& records);

/// Reads DIR/runs/*.json and DIR/experiment.json and writes DIR/tables/report.md,
/// DIR/tables/<table>.csv and DIR/tables/benchmarks.json atomically. Returns the
/// files written. std::runtime_error when DIR has no records.
std::vector<std::filesystem::path> write_report(const std::filesystem::path& dir);

}  // namespace wcs::report

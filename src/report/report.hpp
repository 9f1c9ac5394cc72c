// Tables (Markdown, CSV) from the run records of a results folder, and nothing else.
// The records are grouped (model.hpp), each table is made by its own function
// (tables.hpp), and each format has its writer: markdown.cpp, csv.cpp and
// benchmark_json.cpp (Google Benchmark's JSON for compare.py).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "experiment/record.hpp"

namespace wcs::report {

/// One table: Markdown cells (rounded, units chosen per column) and CSV cells (full
/// precision, seconds), either of which may be left out.
struct Table {
  std::string name;     ///< CSV file stem ("speed"); empty: Markdown only
  std::string section;  ///< "##" heading shared by consecutive tables; empty: the title is the "##" heading
  std::string title;    ///< heading of the table
  std::string note;     ///< a paragraph under the heading
  std::vector<std::string> columns;                 ///< Markdown headers
  std::vector<std::vector<std::string>> rows;       ///< Markdown cells
  std::vector<std::string> csv_columns;             ///< CSV headers (snake_case); empty: no CSV
  std::vector<std::vector<std::string>> csv_rows;   ///< CSV cells
  std::size_t text_columns = 1;  ///< leading columns aligned left (the rest right)
  bool markdown = true;          ///< appears in report.md
  std::string link;              ///< CSV the note links to (default: its own)
};

/// The tables of a set of records: pivot tables (strategy by N) of time, speed-up,
/// convergence and error; fixed-target results (reached fraction, ECDF, ERT,
/// performance profile); accuracy against the exact answer; cycles and evaluations;
/// skipped and failed runs; the published estimates beside measured times when
/// `experiment` (the content of experiment.json, may be null) has them; and the tidy
/// per-run and per-cycle CSV files. Deterministic: the same records give the same
/// tables, byte for byte (every bootstrap is seeded from its cell).
std::vector<Table> make_tables(const std::vector<experiment::RunRecord>& records, const nlohmann::ordered_json& experiment);

/// GitHub Markdown of the tables that have Markdown, with `heading` on top.
std::string markdown(const std::vector<Table>& tables, const std::string& heading);

/// One table as CSV (RFC 4180 quoting), header first.
std::string csv(const Table& table);

/// Every benchmark entry of the records in one Google Benchmark JSON file for
/// compare.py, ordered by run index: names are the run keys (no timing settings) and
/// times are in ns, whatever older records used.
std::string combined_benchmark_json(const std::vector<experiment::RunRecord>& records);

/// Reads DIR/runs/*.json and DIR/experiment.json and writes DIR/tables/report.md,
/// DIR/tables/<table>.csv and DIR/tables/benchmarks.json atomically. Returns the
/// files written. std::runtime_error when DIR has no records.
std::vector<std::filesystem::path> write_report(const std::filesystem::path& dir);

}  // namespace wcs::report

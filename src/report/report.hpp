// `wcs report`: the tables of a results folder from its run records, and nothing
// else. The records are read and checked (store/folder.hpp), grouped (model.hpp), made
// into tables (tables.hpp) and written by the Markdown, CSV and Google Benchmark JSON
// writers (table.hpp, benchmark_json.cpp) as one set (all or nothing).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "record/record.hpp"

namespace wcs::report {

/// What write_report found and wrote.
struct ReportSummary {
  std::vector<std::filesystem::path> written;
  std::size_t records = 0;     ///< readable records
  std::size_t failed = 0;      ///< readable records that failed (failed, non-finite, inconsistent)
  std::size_t unreadable = 0;  ///< records that could not be read (listed in report.md)
  std::size_t ignored = 0;     ///< entries of runs/ that are not regular files
  std::size_t missing = 0;     ///< planned runs with no record
  std::size_t starved = 0;     ///< records with starved repetitions (times not comparable)
  /// One line each: what is missing or failed, for standard error.
  std::vector<std::string> warnings;
  /// One line per record that could not be read: "FILE: FIELD: what is wrong".
  std::vector<std::string> problems;
};

/// Reads DIR's records (runs/*.json and the pack) and experiment.json and writes
/// DIR/tables/ (report.md, one CSV per table, benchmarks.json) as one set: the old set
/// stays until the new one is complete. The tables come from the good records;
/// failed, faulty and unreadable ones are listed in report.md with their file and
/// field. InputError when DIR has no record at all.
ReportSummary write_report(const std::filesystem::path& dir);

/// Every benchmark entry of the records in one Google Benchmark JSON file for
/// compare.py, ordered by run index: names are the run keys (no timing settings) and
/// times are in ns, whatever older records used.
std::string combined_benchmark_json(const std::vector<record::RunRecord>& records);

}  // namespace wcs::report

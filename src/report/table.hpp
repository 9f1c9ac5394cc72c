// One table of the report, and its writers: Markdown (report.md) and CSV (one file
// per table, RFC 4180 quoting: the one CSV writer of the program).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace wcs::report {

/// One table: Markdown cells (rounded, units chosen per column) and CSV cells (full
/// precision, seconds), either of which may be left out.
struct Table {
  std::string name;     ///< CSV file stem ("speed"); empty: Markdown only
  std::string section;  ///< "##" heading shared by consecutive tables; empty: the title is the "##" heading
  std::string title;    ///< heading of the table
  std::string note;     ///< a paragraph under the heading
  std::vector<std::string> columns;                ///< Markdown headers
  std::vector<std::vector<std::string>> rows;      ///< Markdown cells
  std::vector<std::string> csv_columns;            ///< CSV headers (snake_case); empty: no CSV
  std::vector<std::vector<std::string>> csv_rows;  ///< CSV cells
  std::size_t text_columns = 1;                    ///< leading columns aligned left (the rest right)
  bool markdown = true;                            ///< appears in report.md
  std::string link;                                ///< CSV the note links to (default: its own)
};

/// GitHub Markdown of the tables that have Markdown, with `heading` on top.
std::string markdown(const std::vector<Table>& tables, const std::string& heading);

/// One table as CSV (RFC 4180 quoting), header first.
std::string csv(const Table& table);

/// One CSV field, quoted when it must be (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace wcs::report

// One table of the report described as data (its columns: header, CSV names, number
// format, interval), and its writers: Markdown (report.md), CSV (one file per table,
// RFC 4180 quoting: the one CSV writer of the program) and the HTML page (html.hpp).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wcs::report {

/// How a column's values are written. Markdown rounds (three significant digits, a
/// unit per time column); CSV keeps full precision, times in seconds, "" for missing.
enum class Format {
  text,     ///< Value::text as it is ("-" in Markdown when empty)
  count,    ///< a whole number
  real,     ///< three significant digits
  seconds,  ///< a time: Markdown in the column's unit (ns, us, ms or s, from its values), CSV in seconds
  ratio,    ///< a speed-up: "1.50x"
  percent,  ///< a fraction shown as "45%"
  tally,    ///< k of n with its rate: "k/n, 45% [20, 70]"; CSV: k, rate (and its interval)
};

/// What the interval of a column's values is (Markdown writes it "[lo, hi]", CSV as
/// two columns, the page names it in the tooltip).
enum class Interval { none, bootstrap, wilson, range };

/// Names of the enums, for the page's data.
std::string_view format_name(Format f);
std::string_view interval_name(Interval i);

/// One column of a table.
struct Column {
  std::string header;            ///< Markdown and page header ("" : CSV only); a time column gets its unit added
  std::vector<std::string> csv;  ///< CSV names: the value's (tally: the count's, then the rate's), then the interval's
                                 ///< low and high when the column has one; empty: not in CSV
  Format format = Format::text;
  Interval interval = Interval::none;
  bool markdown = true;  ///< appears in report.md and the page
};

/// One cell. Text columns use `text`; the others `x` (NaN: missing) with `lo`, `hi`
/// (NaN: no interval) and, for a tally, `k` of `n`; `text` of a number is a remark
/// written after it in Markdown ("(2x1)").
struct Value {
  std::string text;
  double x = NAN, lo = NAN, hi = NAN;
  std::uint64_t k = 0, n = 0;
};

/// Shorthands for cells.
inline Value text_value(std::string s) { return Value{std::move(s)}; }
inline Value number(double x, double lo = NAN, double hi = NAN) { return Value{{}, x, lo, hi}; }
inline Value count_value(std::uint64_t c) { return Value{{}, static_cast<double>(c)}; }

struct Table {
  std::string name;     ///< CSV file stem ("speed"); empty: no CSV file
  std::string section;  ///< "##" heading shared by consecutive tables; empty: the title is the "##" heading
  std::string title;    ///< heading of the table
  std::string note;     ///< a paragraph under the heading
  std::string link;     ///< CSV the note links to (default: its own)
  std::vector<Column> columns;
  std::vector<std::vector<Value>> rows;
  bool markdown = true;      ///< appears in report.md and the page (else CSV only)
  std::vector<bool> marked;  ///< rows the page marks (compare: the slower cells); empty: none

  /// The column whose first CSV name is `csv`, or SIZE_MAX.
  std::size_t column(std::string_view csv) const;
};

/// The unit every time column of a table is written in, Markdown's headers (a time
/// column's with its unit) and each cell's Markdown text: what report.md and the page
/// show.
struct Shown {
  std::vector<std::string> headers;             ///< of the Markdown columns
  std::vector<std::size_t> columns;             ///< their indices in Table::columns
  std::vector<std::vector<std::string>> cells;  ///< per row, per Markdown column
};
Shown shown(const Table& table);

/// GitHub Markdown of the tables that have Markdown, with `heading` on top.
std::string markdown(const std::vector<Table>& tables, const std::string& heading);

/// The table alone, header and rows, as GitHub Markdown.
std::string markdown_table(const Table& table);

/// One table as CSV (RFC 4180 quoting), header first.
std::string csv(const Table& table);

/// One CSV field, quoted when it must be (RFC 4180).
std::string csv_field(const std::string& s);

/// A number at full precision for CSV: "" for NaN, "inf" for infinity.
std::string csv_number(double x);

}  // namespace wcs::report

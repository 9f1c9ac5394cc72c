// The HTML writer: a page of `wcs report` or `wcs compare --html` as one self-contained
// file (Chart.js from Debian's libjs-chart.js, the page's script and style inlined at
// build time; the data as one JSON blob), which opens offline and fetches nothing.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "report/table.hpp"

namespace wcs::report {

/// What a page shows. (nlohmann's json destructor may allocate while it takes a deep
/// value apart, which clang-tidy reads as a destructor that may throw.)
struct Page {  // NOLINT(bugprone-exception-escape)
  std::string title;
  std::vector<std::string> intro;     ///< paragraphs (text with `code` and [links](file))
  std::vector<std::string> warnings;  ///< shown on top
  std::vector<Table> tables;          ///< those with Markdown, in order, each sortable and filterable
  nlohmann::ordered_json plots;       ///< the plots' data and descriptions (null: none)
};

/// A table as the page's data: its headings, its row count and its columns (header
/// with unit, format, interval), each with the Markdown text of its cells and, for
/// numbers, the number to sort by.
nlohmann::ordered_json table_json(const Table& table);

/// A number of the page's data: null for NaN, "inf" and "-inf" for infinities, else
/// rounded to `digits` significant digits (the plots need no more; the tables' text
/// keeps what report.md shows).
nlohmann::ordered_json data_number(double x, int digits = 6);

/// The page.
std::string html_page(const Page& page);

}  // namespace wcs::report

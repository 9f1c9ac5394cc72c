// The CSV writer: one file per table, RFC 4180 quoting, full precision.
#include <fmt/format.h>

#include "report/table.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string csv_number(double x) { return std::isnan(x) ? "" : format_number(x); }

namespace {

// The CSV fields of one cell: one per CSV name of its column (a name left empty
// leaves its field out).
void append_fields(const Column& col, const Value& v, std::vector<std::string>& out) {
  const std::size_t names = col.csv.size();
  if (names == 0) return;
  std::vector<std::string> all;
  switch (col.format) {
    case Format::text:
      all.push_back(v.text);
      break;
    case Format::count:
      all.push_back(std::isnan(v.x) ? "" : fmt::format("{:.0f}", v.x));
      break;
    case Format::tally:
      all.push_back(std::to_string(v.k));
      all.push_back(csv_number(v.x));
      break;
    default:
      all.push_back(csv_number(v.x));
      break;
  }
  all.push_back(csv_number(v.lo));  // the interval, when the column names it
  all.push_back(csv_number(v.hi));
  for (std::size_t i = 0; i < names; ++i)
    if (!col.csv[i].empty()) out.push_back(all[i]);
}

std::string line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += fmt::format("{}{}", i ? "," : "", csv_field(fields[i]));
  return out + "\n";
}

}  // namespace

std::string csv(const Table& t) {
  std::vector<std::string> header;
  for (const auto& col : t.columns)
    for (const auto& name : col.csv)
      if (!name.empty()) header.push_back(name);
  std::string out = line(header);
  std::vector<std::string> fields;
  for (const auto& row : t.rows) {
    fields.clear();
    for (std::size_t i = 0; i < t.columns.size(); ++i) append_fields(t.columns[i], row[i], fields);
    out += line(fields);
  }
  return out;
}

}  // namespace wcs::report

// The CSV writer: one file per table, RFC 4180 quoting, full precision.
#include <fmt/format.h>

#include "report/table.hpp"

namespace wcs::report {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string csv(const Table& t) {
  const auto field = csv_field;
  std::string out;
  for (std::size_t i = 0; i < t.csv_columns.size(); ++i) out += fmt::format("{}{}", i ? "," : "", field(t.csv_columns[i]));
  out += "\n";
  for (const auto& row : t.csv_rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += fmt::format("{}{}", i ? "," : "", field(row[i]));
    out += "\n";
  }
  return out;
}

}  // namespace wcs::report

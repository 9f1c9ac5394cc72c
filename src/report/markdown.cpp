// The Markdown writer: report.md, GitHub tables under "##" and "###" headings.
#include <fmt/format.h>

#include "report/table.hpp"

namespace wcs::report {

namespace {

std::string md_cell(const std::string& cell) {
  std::string c = cell;
  for (std::size_t p = 0; (p = c.find('|', p)) != std::string::npos; p += 2) c.replace(p, 1, "\\|");
  return c;
}

}  // namespace

std::string markdown(const std::vector<Table>& tables, const std::string& heading) {
  std::string out = "# " + heading + "\n";
  std::string section;
  for (const auto& t : tables) {
    if (!t.markdown) continue;
    if (t.section != section) {
      section = t.section;
      if (!section.empty()) out += fmt::format("\n## {}\n", section);
    }
    out += fmt::format("\n{} {}\n\n{}", section.empty() ? "##" : "###", t.title, t.note);
    const std::string link = !t.link.empty() ? t.link : t.csv_columns.empty() ? "" : t.name + ".csv";
    if (!link.empty()) out += fmt::format(" ([CSV]({}))", link);
    out += "\n\n|";
    for (const auto& c : t.columns) out += fmt::format(" {} |", md_cell(c));
    out += "\n|";
    for (std::size_t i = 0; i < t.columns.size(); ++i) out += i < t.text_columns ? " --- |" : " ---: |";
    out += "\n";
    for (const auto& row : t.rows) {
      out += "|";
      for (const auto& cell : row) out += fmt::format(" {} |", md_cell(cell));
      out += "\n";
    }
    if (t.rows.empty()) out += "\n(no rows)\n";
  }
  return out;
}

}  // namespace wcs::report

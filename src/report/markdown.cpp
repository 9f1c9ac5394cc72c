// The Markdown writer (report.md: GitHub tables under "##" and "###" headings) and
// the text of each cell, which the HTML page shows too.
#include <fmt/format.h>

#include "report/stats.hpp"
#include "report/table.hpp"

namespace wcs::report {

namespace {

std::string md_cell(const std::string& cell) {
  std::string c = cell;
  for (std::size_t p = 0; (p = c.find('|', p)) != std::string::npos; p += 2) c.replace(p, 1, "\\|");
  return c;
}

std::string percent(double fraction) { return std::isnan(fraction) ? "-" : fmt::format("{:.0f}%", fraction * 100); }

// A cell's Markdown text; `unit` is its column's, for times.
std::string cell_text(const Column& col, const Value& v, TimeUnit unit) {
  if (col.format == Format::text) return v.text.empty() ? "-" : v.text;
  std::string s;
  const auto with_interval = [&](const auto& f) {
    s = f(v.x);
    if (!std::isnan(v.x) && !std::isnan(v.lo)) s += " [" + f(v.lo) + ", " + f(v.hi) + "]";
  };
  switch (col.format) {
    case Format::count:
      s = std::isnan(v.x) ? "-" : fmt::format("{:.0f}", v.x);
      break;
    case Format::real:
      with_interval(sig3);
      break;
    case Format::seconds:
      with_interval([&](double x) { return time_in(x, unit); });
      break;
    case Format::ratio:
      s = std::isnan(v.x) ? "-" : sig3(v.x) + "x";
      if (!std::isnan(v.x) && !std::isnan(v.lo)) s += " [" + sig3(v.lo) + ", " + sig3(v.hi) + "]";
      break;
    case Format::percent:
      s = percent(v.x);
      break;
    case Format::tally:
      if (v.n == 0) return "-";
      s = fmt::format("{}/{}, {}", v.k, v.n, percent(v.x));
      if (!std::isnan(v.lo)) s += fmt::format(" [{:.0f}, {:.0f}]", v.lo * 100, v.hi * 100);
      break;
    case Format::text:
      break;
  }
  if (!v.text.empty() && !std::isnan(v.x)) s += " " + v.text;
  return s;
}

}  // namespace

std::string_view format_name(Format f) {
  static constexpr std::string_view names[] = {"text", "count", "real", "seconds", "ratio", "percent", "tally"};
  return names[static_cast<int>(f)];
}

std::string_view interval_name(Interval i) {
  static constexpr std::string_view names[] = {"", "95% bootstrap interval", "95% Wilson interval",
                                               "smallest, largest"};
  return names[static_cast<int>(i)];
}

std::size_t Table::column(std::string_view csv) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (!columns[i].csv.empty() && columns[i].csv.front() == csv) return i;
  return SIZE_MAX;
}

Shown shown(const Table& t) {
  Shown out;
  std::vector<TimeUnit> units;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const Column& col = t.columns[i];
    if (!col.markdown || col.header.empty()) continue;
    out.columns.push_back(i);
    TimeUnit unit = TimeUnit::ns;
    std::string header = col.header;
    if (col.format == Format::seconds) {
      std::vector<double> values;
      for (const auto& row : t.rows) values.push_back(row[i].x);
      unit = unit_for(values);
      header += fmt::format(" ({})", unit_name(unit));
    }
    units.push_back(unit);
    out.headers.push_back(std::move(header));
  }
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (std::size_t k = 0; k < out.columns.size(); ++k)
      cells.push_back(cell_text(t.columns[out.columns[k]], row[out.columns[k]], units[k]));
    out.cells.push_back(std::move(cells));
  }
  return out;
}

std::string markdown_table(const Table& t) {
  const Shown s = shown(t);
  std::string out = "|";
  for (const auto& h : s.headers) out += fmt::format(" {} |", md_cell(h));
  out += "\n|";
  for (std::size_t k : s.columns) out += t.columns[k].format == Format::text ? " --- |" : " ---: |";
  out += "\n";
  for (const auto& row : s.cells) {
    out += "|";
    for (const auto& cell : row) out += fmt::format(" {} |", md_cell(cell));
    out += "\n";
  }
  if (s.cells.empty()) out += "\n(no rows)\n";
  return out;
}

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
    const std::string link = !t.link.empty() ? t.link : t.name.empty() ? "" : t.name + ".csv";
    if (!link.empty()) out += fmt::format(" ([CSV]({}))", link);
    out += "\n\n" + markdown_table(t);
  }
  return out;
}

}  // namespace wcs::report

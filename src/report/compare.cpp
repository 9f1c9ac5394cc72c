#include "report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/html.hpp"
#include "report/model.hpp"
#include "report/runs.hpp"
#include "report/stats.hpp"
#include "report/table.hpp"
#include "store/folder.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

namespace fs = std::filesystem;

namespace {

// One side's readable records, its counts and its problems.
std::vector<RunRecord> load(const fs::path& dir, const char* which, Side& side) {
  store::Records records;
  try {
    records = store::read_folder(dir);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", which, e.what()));
  }
  if (records.runs.empty() && records.unreadable.empty())
    throw InputError(fmt::format("{}: '{}' has no run records", which, dir.string()));
  side.failed = records.failed();
  side.unreadable = records.unreadable.size() + records.ignored.size();
  side.missing = records.missing();
  for (const auto& u : records.unreadable) side.problems.push_back(fmt::format("{}: {}: {}", u.file, u.field, u.what));
  side.problems.insert(side.problems.end(), records.ignored.begin(), records.ignored.end());
  for (const auto& r : records.runs) side.timed += r.ok() && !r.rep_seconds.empty();
  return std::move(records.runs);
}

void side_warnings(const Side& s, const char* which, std::vector<std::string>& out) {
  if (s.unreadable) {
    std::string listed;
    for (std::size_t i = 0; i < s.problems.size() && i < 5; ++i) listed += (i ? "; " : "") + s.problems[i];
    out.push_back(fmt::format("{} has {} record{} that could not be read, left out: {}{}", which, s.unreadable,
                              s.unreadable == 1 ? "" : "s", listed, s.problems.size() > 5 ? "; ..." : ""));
  }
  if (s.failed)
    out.push_back(fmt::format("{} has {} failed or faulty run{}, left out", which, s.failed, s.failed == 1 ? "" : "s"));
  if (s.missing) out.push_back(fmt::format("{} lacks {} planned run{}", which, s.missing, s.missing == 1 ? "" : "s"));
}

// The distinct values of context fields over the records that ran.
std::set<std::string> values_of(const std::vector<RunRecord>& runs, const std::vector<const char*>& keys) {
  std::set<std::string> out;
  for (const auto& r : runs) {
    if (!r.ok() || r.machine.host_name.empty()) continue;
    std::string v;
    for (const char* k : keys) {
      const std::string value = record::cell_text(*record::find_field(std::string("context.") + k), r);
      v += (v.empty() ? "" : ", ") + std::string(k) + " " + (value.empty() ? "?" : value);
    }
    out.insert(v);
  }
  return out;
}

std::string joined(const std::set<std::string>& s) {
  std::string out;
  for (const auto& v : s) out += (out.empty() ? "" : "; ") + v;
  return out.empty() ? "(not recorded)" : out;
}

}  // namespace

CompareReport compare_folders(const fs::path& a_dir, const fs::path& b_dir) {
  CompareReport out;
  const auto a = load(a_dir, "A", out.a), b = load(b_dir, "B", out.b);
  const std::vector<std::pair<const char*, std::vector<const char*>>> aspects{
      {"machines", {"host_name", "num_cpus", "mhz_per_cpu"}},
      {"instruction sets", {"simd_target"}},
      {"build types", {"build_type"}},
      {"compilers", {"compiler", "cxx_flags"}},
  };
  for (const auto& [what, keys] : aspects) {
    const auto va = values_of(a, keys), vb = values_of(b, keys);
    if (va != vb) out.warnings.push_back(fmt::format("{} differ: A has {}; B has {}", what, joined(va), joined(vb)));
  }
  // Cells of B: cell key -> instance -> run.
  std::map<std::string, std::map<std::string, const RunRecord*>> b_cells;
  for (const auto& r : b)
    if (r.ok() && !r.rep_seconds.empty()) b_cells[cell_key(r)][r.instance] = &r;
  std::map<std::string, std::vector<const RunRecord*>> a_cells;
  std::vector<std::string> order;
  for (const auto& r : a)
    if (r.ok() && !r.rep_seconds.empty()) {
      const std::string key = cell_key(r);
      if (!a_cells.contains(key)) order.push_back(key);
      a_cells[key].push_back(&r);
    }
  for (const auto& key : order) {
    auto it = b_cells.find(key);
    if (it == b_cells.end()) continue;
    Groups ga, gb;
    std::vector<double> xa, xb;
    std::size_t starved = 0;
    for (const RunRecord* ra : a_cells[key]) {
      auto jt = it->second.find(ra->instance);
      if (jt == it->second.end()) continue;
      starved += (ra->starved != 0) + (jt->second->starved != 0);
      ga.push_back(ra->rep_seconds);
      gb.push_back(jt->second->rep_seconds);
      xa.insert(xa.end(), ra->rep_seconds.begin(), ra->rep_seconds.end());
      xb.insert(xb.end(), jt->second->rep_seconds.begin(), jt->second->rep_seconds.end());
    }
    if (ga.empty()) continue;
    const RunRecord& first = *a_cells[key].front();
    Comparison c;
    c.problem = first.problem;
    c.strategy = first.label;
    c.n = first.n;
    c.max_iter = first.max_iter;
    c.tolerance = first.tolerance;
    c.instances = ga.size();
    c.a_seconds = median(xa);
    c.b_seconds = median(xb);
    const Estimate e = ratio_ci(gb, ga, seed_of("compare\x1f" + key));
    c.ratio = e.value;
    c.lo = e.lo;
    c.hi = e.hi;
    c.p = mann_whitney_u(xb, xa).p;
    c.verdict = !(c.p < 0.05) || c.ratio == 1 ? "no difference" : c.ratio < 1 ? "faster" : "slower";
    c.starved = starved;
    out.a.matched += c.instances;
    out.b.matched += c.instances;
    out.cells.push_back(std::move(c));
  }
  side_warnings(out.a, "A", out.warnings);
  side_warnings(out.b, "B", out.warnings);
  std::size_t starved = 0;
  for (const auto& c : out.cells) starved += c.starved != 0;
  if (starved)
    out.warnings.push_back(
        fmt::format("{} cell{} hold runs whose repetitions were starved (real time far above CPU "
                    "time): their verdicts are marked and not trusted",
                    starved, starved == 1 ? "" : "s"));
  return out;
}

Table compare_table(const CompareReport& report) {
  Table t;
  t.name = "compare";
  t.title = "B against A, cell by cell";
  t.note =
      "Ratio = B's median time / A's over the problem instances both timed, with its 95% bootstrap interval; p: "
      "two-sided Mann-Whitney U test of the repetition times; verdict for B at the 5% level.";
  const auto col = [](std::string header, std::vector<std::string> csv, Format f = Format::text,
                      Interval i = Interval::none, bool markdown = true) {
    return Column{std::move(header), std::move(csv), f, i, markdown};
  };
  t.columns = {col("problem", {"problem"}),
               col("N", {"n"}, Format::count),
               col("max_iter", {"max_iter"}),
               col("tolerance", {"tolerance"}, Format::text, Interval::none, false),
               col("strategy", {"strategy"}),
               col("seeds", {"seeds"}, Format::count),
               col("A", {"a_time_s"}, Format::seconds),
               col("B", {"b_time_s"}, Format::seconds),
               col("B / A", {"ratio", "ratio_ci_low", "ratio_ci_high"}, Format::real, Interval::bootstrap),
               col("p", {"p_value"}, Format::real),
               col("verdict", {"verdict"}),
               col("", {"starved"}, Format::count),
               col("trusted", {}, Format::text)};
  for (const auto& c : report.cells) {
    t.rows.push_back({text_value(c.problem), count_value(c.n), text_value(std::to_string(c.max_iter)),
                      text_value(format_number(c.tolerance)), text_value(c.strategy), count_value(c.instances),
                      number(c.a_seconds), number(c.b_seconds), number(c.ratio, c.lo, c.hi), number(c.p),
                      text_value(c.verdict), count_value(c.starved),
                      text_value(c.starved ? "(starved: not trusted)" : "")});
    t.marked.push_back(c.verdict == "slower");
  }
  return t;
}

std::string compare_summary(const CompareReport& report) {
  std::size_t faster = 0, slower = 0;
  double log_sum = 0;
  for (const auto& c : report.cells) {
    faster += c.verdict == "faster";
    slower += c.verdict == "slower";
    log_sum += std::log(c.ratio);
  }
  std::string out = fmt::format("Matched: {} of A's {} timed runs and {} of B's {} (the same run key in both).\n",
                                report.a.matched, report.a.timed, report.b.matched, report.b.timed);
  if (report.cells.empty()) return out + "\nNothing matched: no cell was timed in both folders.\n";
  return out + fmt::format("\n{} cells: {} faster, {} slower, {} no difference; geometric mean of B / A: {}.\n",
                           report.cells.size(), faster, slower, report.cells.size() - faster - slower,
                           sig3(std::exp(log_sum / static_cast<double>(report.cells.size()))));
}

std::string compare_markdown(const CompareReport& report, const std::string& a, const std::string& b) {
  std::string out;
  for (const auto& w : report.warnings)
    out += "**Warning: " + w + ".** Times from different set-ups are not comparable like for like.\n\n";
  const Table t = compare_table(report);
  out += fmt::format("A = {}, B = {}. {}\n\n", a, b, t.note);
  out += markdown_table(t);
  return out + "\n" + compare_summary(report);
}

std::string compare_csv(const CompareReport& report) { return csv(compare_table(report)); }

std::string compare_page(const CompareReport& report, const std::string& a, const std::string& b) {
  Page page;
  page.title = "B against A: " + b + " against " + a;
  page.warnings = report.warnings;
  Table t = compare_table(report);
  page.intro = {fmt::format("A = `{}`, B = `{}`. {} Slower cells are marked.", a, b, t.note)};
  for (const auto& line : split_list(compare_summary(report), '\n'))
    if (!line.empty()) page.intro.push_back(line);
  // The plot: B / A against N per strategy, for the chosen problem family.
  nlohmann::ordered_json panels = nlohmann::ordered_json::array(), series = nlohmann::ordered_json::array();
  nlohmann::ordered_json cells = {
      {"panel", nlohmann::ordered_json::array()},    {"n", nlohmann::ordered_json::array()},
      {"series", nlohmann::ordered_json::array()},   {"ratio", nlohmann::ordered_json::array()},
      {"ratio_lo", nlohmann::ordered_json::array()}, {"ratio_hi", nlohmann::ordered_json::array()}};
  std::map<std::string, std::size_t> panel_of, series_of;
  for (const auto& c : report.cells) {
    Row row;
    row.problem = c.problem;
    row.max_iter = c.max_iter;
    row.tolerance = c.tolerance;
    const std::string family = panel_title(row);
    if (panel_of.emplace(family, panel_of.size()).second) panels.push_back(family);
    if (series_of.emplace(c.strategy, series_of.size()).second) series.push_back(c.strategy);
    cells["panel"].push_back(panel_of.at(family));
    cells["n"].push_back(c.n);
    cells["series"].push_back(series_of.at(c.strategy));
    cells["ratio"].push_back(data_number(c.ratio));
    cells["ratio_lo"].push_back(data_number(c.lo));
    cells["ratio_hi"].push_back(data_number(c.hi));
  }
  const std::size_t ratio = t.column("ratio");
  nlohmann::ordered_json chart = {{"id", "ratio"},
                                  {"title", "B / A against N"},
                                  {"kind", "vsn"},
                                  {"note", "B's median time over A's (below 1: B is faster); the band is its " +
                                               std::string(interval_name(t.columns[ratio].interval)) + "."},
                                  {"y", "ratio"},
                                  {"label", t.columns[ratio].header},
                                  {"format", format_name(t.columns[ratio].format)},
                                  {"interval", interval_name(t.columns[ratio].interval)}};
  page.plots = {{"panels", std::move(panels)},
                {"series", std::move(series)},
                {"cells", std::move(cells)},
                {"charts", nlohmann::ordered_json::array({std::move(chart)})}};
  page.tables.push_back(std::move(t));
  return html_page(page);
}

std::vector<const Comparison*> slowdowns(const CompareReport& report, double percent) {
  std::vector<const Comparison*> out;
  for (const auto& c : report.cells)
    if (c.verdict == "slower" && c.ratio > 1 + percent / 100 && c.starved == 0) out.push_back(&c);
  return out;
}

}  // namespace wcs::report

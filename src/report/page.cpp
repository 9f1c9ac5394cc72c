#include "report/page.hpp"

#include <fmt/format.h>

#include <map>

#include "report/measures.hpp"
#include "report/runs.hpp"

namespace wcs::report {

using Json = nlohmann::ordered_json;

namespace {

// The fields that say where a record was made.
bool provenance_field(const record::Field& f) {
  return f.when == record::When::context || f.path == "wcs_commit" || f.path == "wcs_version";
}

// A plot of the page: against N from a measure of the cells, or from the runs' runtimes.
struct PlotSpec {
  const char* id;
  const char* title;
  const char* kind;     // "vsn": a measure against N; "ecdf"; "profile"
  const char* measure;  // for "vsn"
  const char* note;
};

// clang-format off
const PlotSpec kPlots[] = {
  {"time", "Time per solve against N", "vsn", "time",
   "Median over seeds and repetitions; the band is its 95% bootstrap interval."},
  {"speedup", "Speed-up against the baseline", "vsn", "speedup",
   "The baseline's median time over this strategy's on the same instances (above 1: faster); the band is its 95% "
   "bootstrap interval."},
  {"convergence", "Convergence rate against N", "vsn", "converged",
   "Runs that met the tolerance; the band is the 95% Wilson interval."},
  {"ert", "Expected running time against N", "vsn", "ert_evaluations",
   "COCO's ERT in line evaluations: evaluations of all runs over the runs that met the tolerance."},
  {"ecdf", "ECDF of the runtime to the target", "ecdf", "",
   "Fraction of the runs (of the chosen family and N) that met the tolerance within each budget."},
  {"profile", "Performance profile", "profile", "",
   "Dolan-More on the time to the target over the chosen instances: fraction solved within tau times the fastest "
   "chosen strategy's time."},
};
// clang-format on

}  // namespace

Table provenance_table(const Model& m) {
  Table t;
  t.section = "";
  t.title = "Where the records come from";
  std::vector<const record::Field*> fields;
  for (const auto& f : record::record_fields())
    if (provenance_field(f)) fields.push_back(&f);
  for (const auto* f : fields) {
    t.columns.push_back(Column{std::string(f->name()), {}, Format::text, Interval::none, true});
    t.note += fmt::format("{}{}: {}", t.note.empty() ? "One row per machine and build the records name. " : "; ",
                          f->name(), f->doc);
  }
  t.note += ".";
  t.columns.push_back(Column{"records", {}, Format::count, Interval::none, true});
  std::map<std::vector<std::string>, std::size_t> seen;
  std::vector<std::vector<std::string>> order;
  for (const auto& r : m.runs) {
    std::vector<std::string> key;
    for (const auto* f : fields) key.push_back(record::cell_text(*f, r));
    if (seen[key]++ == 0) order.push_back(key);
  }
  for (const auto& key : order) {
    std::vector<Value> row;
    for (const auto& v : key) row.push_back(text_value(v));
    row.push_back(count_value(seen[key]));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Json plot_data(const Model& m) {
  const auto stats = cell_stats(m);
  Json panels = Json::array();
  std::map<std::string, std::size_t> panel_of;  // by row key
  std::map<std::string, std::size_t> title_pos;
  for (const auto& rk : m.row_order) {
    const std::string title = panel_title(m.rows.at(rk));
    auto [it, fresh] = title_pos.emplace(title, title_pos.size());
    if (fresh) panels.push_back(title);
    panel_of[rk] = it->second;
  }
  std::map<std::string, std::size_t> series_of;
  for (const auto& l : m.labels) series_of.emplace(l, series_of.size());
  Json cells = {{"panel", Json::array()}, {"n", Json::array()}, {"series", Json::array()}};
  Json charts = Json::array();
  for (const auto& p : kPlots) {
    Json c = {{"id", p.id}, {"title", p.title}, {"kind", p.kind}, {"note", p.note}};
    if (std::string_view(p.kind) == "vsn") {
      const Measure& mes = measure(p.measure);
      c["y"] = p.measure;
      c["label"] = mes.column.header;
      c["format"] = format_name(mes.column.format);
      c["interval"] = interval_name(mes.column.interval);
      cells[p.measure] = Json::array();
      if (mes.column.interval != Interval::none) {
        cells[std::string(p.measure) + "_lo"] = Json::array();
        cells[std::string(p.measure) + "_hi"] = Json::array();
      }
    }
    charts.push_back(std::move(c));
  }
  for (const auto& rk : m.row_order)
    for (const auto& label : m.labels) {
      const Cell* c = m.cell(rk, label);
      if (!c) continue;
      cells["panel"].push_back(panel_of.at(rk));
      cells["n"].push_back(c->n);
      cells["series"].push_back(series_of.at(label));
      for (const auto& p : kPlots) {
        if (std::string_view(p.kind) != "vsn") continue;
        const Value v = measure(p.measure).of(stats.at(c->key));
        cells[p.measure].push_back(data_number(v.x));
        if (cells.contains(std::string(p.measure) + "_lo")) {
          cells[std::string(p.measure) + "_lo"].push_back(data_number(v.lo));
          cells[std::string(p.measure) + "_hi"].push_back(data_number(v.hi));
        }
      }
    }
  Json runs = {{"panel", Json::array()},    {"n", Json::array()},           {"series", Json::array()},
               {"instance", Json::array()}, {"evaluations", Json::array()}, {"seconds", Json::array()}};
  std::map<std::string, std::size_t> instance_of;
  for (const auto& r : m.runs) {
    if (r.status == record::status::skipped) continue;
    const Runtime rt = runtime_to_target(r);
    runs["panel"].push_back(panel_of.at(row_key(r)));
    runs["n"].push_back(r.n);
    runs["series"].push_back(series_of.at(r.label));
    runs["instance"].push_back(instance_of.emplace(r.instance, instance_of.size()).first->second);
    runs["evaluations"].push_back(data_number(rt.evaluations, 17));
    runs["seconds"].push_back(data_number(rt.seconds));
  }
  Json series = Json::array();
  for (const auto& l : m.labels) series.push_back(l);
  return {{"panels", std::move(panels)},
          {"series", std::move(series)},
          {"cells", std::move(cells)},
          {"runs", std::move(runs)},
          {"charts", std::move(charts)}};
}

std::string report_page(const Model& m, const std::string& title, const std::vector<std::string>& intro,
                        const std::vector<std::string>& warnings, const std::vector<Table>& tables) {
  Page page;
  page.title = title;
  page.intro = intro;
  page.warnings = warnings;
  page.tables.push_back(provenance_table(m));
  for (const auto& t : tables)
    if (t.markdown) page.tables.push_back(t);
  page.plots = plot_data(m);
  return html_page(page);
}

}  // namespace wcs::report

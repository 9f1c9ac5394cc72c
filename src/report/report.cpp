// Aggregation rule: a row is one (problem, N, max_iter, tolerance, strategy label)
// over its seeds; rows keep plan order (smallest run index first), so the tables read
// like the experiment file and do not depend on file-system order.
#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "experiment/record.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

double to_ms(double value, const std::string& unit) {
  if (unit == "ns") return value * 1e-6;
  if (unit == "us") return value * 1e-3;
  if (unit == "s") return value * 1e3;
  return value;
}

// The run's time per solve in ms: Google Benchmark's median over repetitions, or the
// mean of its iteration entries when there was one repetition.
std::optional<double> run_ms(const Json& record) {
  const Json& b = record.value("benchmarks", Json::array());
  double sum = 0;
  int count = 0;
  for (const auto& e : b) {
    if (e.value("error_occurred", false)) return std::nullopt;
    const double t = to_ms(e.value("real_time", 0.0), e.value("time_unit", std::string("ns")));
    if (e.value("run_type", std::string()) == "aggregate") {
      if (e.value("aggregate_name", std::string()) == "median") return t;
    } else {
      sum += t;
      ++count;
    }
  }
  if (count == 0) return std::nullopt;
  return sum / count;
}

double number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return parse_number(v.get<std::string>(), "number");
  return NAN;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / static_cast<double>(v.size());
}

// Short decimal for Markdown: 4 significant digits, no exponent below 1e6.
std::string short_number(double x) {
  if (std::isnan(x)) return "-";
  if (x == 0) return "0";
  const double a = std::abs(x);
  if (a >= 1e6 || a < 1e-4) return fmt::format("{:.3e}", x);
  if (a >= 1000) return fmt::format("{:.0f}", x);
  return fmt::format("{:.4g}", x);
}

std::string csv_number(double x) { return std::isnan(x) ? "" : format_number(x); }

struct Group {
  std::size_t first = SIZE_MAX;       // smallest run index: the row order
  std::string problem, label, strategy;
  std::size_t n = 0;
  long long max_iter = 0;
  double tolerance = 0;
  std::vector<const Json*> ok, skipped, failed;
};

// Row key of an instance (problem, N, max_iter, tolerance) and of a row.
std::string instance_row(const Json& w) {
  const Json& p = w["problem"];
  return fmt::format("{}\x1f{}\x1f{}\x1f{}", p["name"].get<std::string>(), p["n"].get<std::size_t>(),
                     p["max_iter"].get<long long>(), format_number(number(p["tolerance"])));
}

}  // namespace

std::vector<Table> make_tables(const std::vector<Json>& records, const Json& experiment) {
  // Groups by row, and the exact answers (reference, else mitm) per instance.
  std::map<std::string, Group> groups;
  std::map<std::string, const Json*> reference_of, mitm_of;   // instance key -> record
  std::map<std::string, double> reference_ms;                 // instance row -> median ms
  std::map<std::string, std::vector<double>> reference_times;
  for (const auto& r : records) {
    const Json& w = r["wcs"];
    const std::string label = w["label"].get<std::string>();
    const std::string row = instance_row(w);
    Group& g = groups[row + "\x1f" + label];
    g.first = std::min(g.first, w["index"].get<std::size_t>());
    g.problem = w["problem"]["name"].get<std::string>();
    g.label = label;
    g.strategy = w["strategy"].get<std::string>();
    g.n = w["problem"]["n"].get<std::size_t>();
    g.max_iter = w["problem"]["max_iter"].get<long long>();
    g.tolerance = number(w["problem"]["tolerance"]);
    const std::string status = w["status"].get<std::string>();
    if (status == "ok") {
      g.ok.push_back(&r);
      const std::string inst = w["problem"]["instance"].get<std::string>();
      if (label == "reference") {
        reference_of[inst] = &r;
        if (auto t = run_ms(r)) reference_times[row].push_back(*t);
      }
      if (label == "mitm") mitm_of[inst] = &r;
    } else if (status == "skipped") {
      g.skipped.push_back(&r);
    } else {
      g.failed.push_back(&r);
    }
  }
  for (const auto& [row, times] : reference_times) reference_ms[row] = median(times);

  std::vector<const Group*> order;
  for (const auto& [k, g] : groups) order.push_back(&g);
  // Rows of one instance stay together, in plan order of their first run.
  std::map<std::string, std::size_t> row_first;
  for (const auto& [k, g] : groups) {
    const std::string row = k.substr(0, k.rfind('\x1f'));
    auto it = row_first.find(row);
    if (it == row_first.end()) row_first[row] = g.first;
    else it->second = std::min(it->second, g.first);
  }
  auto row_of = [](const Group& g) {
    return fmt::format("{}\x1f{}\x1f{}\x1f{}", g.problem, g.n, g.max_iter, format_number(g.tolerance));
  };
  std::sort(order.begin(), order.end(), [&](const Group* a, const Group* b) {
    const auto ra = row_first.at(row_of(*a)), rb = row_first.at(row_of(*b));
    return ra != rb ? ra < rb : a->first < b->first;
  });

  Table speed{"speed", "Speed", "Median time per solve in ms over seeds (each run: Google Benchmark's median over repetitions); speed-up = reference's median / this median, same problems, same run.",
              {"problem", "N", "max_iter", "strategy", "runs", "median ms", "min ms", "max ms", "speed-up vs reference"}, {}, {}};
  Table accuracy{"accuracy", "Accuracy", "Error = |sum a[i] W[i] - target|; agreement: same result as the exact strategy (reference, else mitm) on the same problem, within relative 1e-9; gap = mean of (error - exact error).",
                 {"problem", "N", "max_iter", "tolerance", "strategy", "runs", "converged", "mean error", "worst error", "agrees with", "agreement", "mean gap"}, {}, {}};
  Table convergence{"convergence", "Convergence", "Means over seeds; `chose` counts the strategy `auto` picked (note `chose`).",
                    {"problem", "N", "max_iter", "strategy", "runs", "mean cycles", "mean evaluations", "mean non-zero weights", "chose"}, {}, {}};
  Table skipped{"skipped", "Skipped and failed runs", "Planned runs that did not run (max_n) or whose strategy failed, with the reason.",
                {"problem", "N", "max_iter", "strategy", "runs", "status", "reason"}, {}, {}};

  for (const Group* g : order) {
    const std::string n = std::to_string(g->n), mi = std::to_string(g->max_iter);
    for (const auto* list : {&g->skipped, &g->failed})
      if (!list->empty()) {
        const Json& w = (*list->front())["wcs"];
        std::vector<std::string> row{g->problem, n, mi, g->label, std::to_string(list->size()), w["status"].get<std::string>(),
                                     w.value("reason", std::string())};
        skipped.rows.push_back(row);
        skipped.csv_rows.push_back(row);
      }
    if (g->ok.empty()) continue;
    const std::string runs = std::to_string(g->ok.size());
    // Speed.
    std::vector<double> times;
    for (const Json* r : g->ok) if (auto t = run_ms(*r)) times.push_back(*t);
    if (!times.empty()) {
      const double med = median(times);
      const double lo = *std::min_element(times.begin(), times.end()), hi = *std::max_element(times.begin(), times.end());
      double up = NAN;
      if (auto it = reference_ms.find(row_of(*g)); it != reference_ms.end() && med > 0) up = it->second / med;
      speed.rows.push_back({g->problem, n, mi, g->label, std::to_string(times.size()), short_number(med), short_number(lo),
                            short_number(hi), std::isnan(up) ? "-" : fmt::format("{:.3g}x", up)});
      speed.csv_rows.push_back({g->problem, n, mi, g->label, std::to_string(times.size()), csv_number(med), csv_number(lo),
                                csv_number(hi), csv_number(up)});
    }
    // Accuracy and convergence.
    std::vector<double> errors, cycles, evals, nonzero, gaps;
    std::size_t converged = 0, agree = 0, compared = 0;
    std::string exact_name;
    std::map<std::string, int> chose;
    for (const Json* r : g->ok) {
      const Json& w = (*r)["wcs"];
      const Json& res = w["result"];
      errors.push_back(number(res["error"]));
      converged += res["converged"].get<bool>();
      cycles.push_back(res["cycles"].get<double>());
      evals.push_back(res["evaluations"].get<double>());
      nonzero.push_back(res["nonzero_weights"].get<double>());
      if (res.contains("notes") && res["notes"].contains("chose")) ++chose[res["notes"]["chose"].get<std::string>()];
      const std::string inst = w["problem"]["instance"].get<std::string>();
      const Json* exact = nullptr;
      if (auto it = reference_of.find(inst); it != reference_of.end()) { exact = it->second; exact_name = "reference"; }
      else if (auto jt = mitm_of.find(inst); jt != mitm_of.end()) { exact = jt->second; exact_name = "mitm"; }
      if (exact && exact != r) {
        const double x = number(res["result"]), y = number((*exact)["wcs"]["result"]["result"]);
        ++compared;
        agree += std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y));
        gaps.push_back(number(res["error"]) - number((*exact)["wcs"]["result"]["error"]));
      }
    }
    const double rate = static_cast<double>(converged) / static_cast<double>(g->ok.size());
    const double worst = *std::max_element(errors.begin(), errors.end());
    const std::string with = compared ? exact_name : "-";
    const std::string agreement = compared ? fmt::format("{}/{}", agree, compared) : "-";
    accuracy.rows.push_back({g->problem, n, mi, short_number(g->tolerance), g->label, runs,
                             fmt::format("{}/{} ({:.0f}%)", converged, g->ok.size(), rate * 100), short_number(mean(errors)),
                             short_number(worst), with, agreement, gaps.empty() ? "-" : short_number(mean(gaps))});
    accuracy.csv_rows.push_back({g->problem, n, mi, csv_number(g->tolerance), g->label, runs, csv_number(rate),
                                 csv_number(mean(errors)), csv_number(worst), with,
                                 compared ? csv_number(static_cast<double>(agree) / static_cast<double>(compared)) : "",
                                 gaps.empty() ? "" : csv_number(mean(gaps))});
    std::vector<std::pair<std::string, int>> picks(chose.begin(), chose.end());
    std::stable_sort(picks.begin(), picks.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string chose_text;
    for (const auto& [k, c] : picks) chose_text += fmt::format("{}{} x{}", chose_text.empty() ? "" : ", ", k, c);
    std::vector<std::string> crow{g->problem, n, mi, g->label, runs, short_number(mean(cycles)), short_number(mean(evals)),
                                  short_number(mean(nonzero)), chose_text.empty() ? "-" : chose_text};
    convergence.rows.push_back(crow);
    crow[5] = csv_number(mean(cycles));
    crow[6] = csv_number(mean(evals));
    crow[7] = csv_number(mean(nonzero));
    if (chose_text.empty()) crow[8] = "";
    convergence.csv_rows.push_back(crow);
  }

  std::vector<Table> tables{speed, accuracy, convergence};
  if (!skipped.rows.empty()) tables.push_back(skipped);

  // Published estimates beside the measured medians of the same problem and N.
  if (experiment.is_object() && experiment.contains("estimates")) {
    Table est{"estimates", "Measured beside the document's estimates",
              "Estimates: " + experiment.value("estimates_source", std::string("(no source given)")) +
                  ". Measured: median ms per solve over seeds, this run.",
              {"problem", "N"}, {}, {}};
    std::vector<std::string> est_labels, measured_labels;
    std::map<std::string, std::map<std::size_t, double>> est_values;  // problem -> ...
    std::map<std::pair<std::string, std::size_t>, std::map<std::string, double>> cells;
    std::vector<std::string> problems;
    for (const auto& e : experiment["estimates"]) {
      const std::string label = e["label"].get<std::string>(), problem = e["problem"].get<std::string>();
      if (std::find(est_labels.begin(), est_labels.end(), label) == est_labels.end()) est_labels.push_back(label);
      if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(problem);
      cells[{problem, e["n"].get<std::size_t>()}]["est:" + label] = e["ms"].get<double>();
    }
    std::map<std::pair<std::string, std::size_t>, std::map<std::string, std::vector<double>>> measured;
    for (const Group* g : order) {
      if (std::find(problems.begin(), problems.end(), g->problem) == problems.end()) continue;
      if (std::find(measured_labels.begin(), measured_labels.end(), g->label) == measured_labels.end())
        measured_labels.push_back(g->label);
      for (const Json* r : g->ok)
        if (auto t = run_ms(*r)) measured[{g->problem, g->n}][g->label].push_back(*t);
      cells[{g->problem, g->n}];
    }
    for (const auto& l : est_labels) est.columns.push_back(l + " (estimate, ms)");
    for (const auto& l : measured_labels) est.columns.push_back(l + " (ms)");
    for (const auto& problem : problems)
      for (const auto& [key, values] : cells) {
        if (key.first != problem) continue;
        std::vector<std::string> row{problem, std::to_string(key.second)}, crow = row;
        for (const auto& l : est_labels) {
          auto it = values.find("est:" + l);
          row.push_back(it == values.end() ? "-" : short_number(it->second));
          crow.push_back(it == values.end() ? "" : csv_number(it->second));
        }
        for (const auto& l : measured_labels) {
          auto& m = measured[key];
          auto it = m.find(l);
          const double v = it == m.end() || it->second.empty() ? NAN : median(it->second);
          row.push_back(short_number(v));
          crow.push_back(csv_number(v));
        }
        est.rows.push_back(row);
        est.csv_rows.push_back(crow);
      }
    tables.push_back(est);
  }
  return tables;
}

std::string markdown(const std::vector<Table>& tables, const std::string& heading) {
  std::string out = "# " + heading + "\n";
  for (const auto& t : tables) {
    out += "\n## " + t.title + "\n\n" + t.note + " ([CSV](" + t.name + ".csv))\n\n|";
    for (const auto& c : t.columns) out += " " + c + " |";
    out += "\n|";
    for (std::size_t i = 0; i < t.columns.size(); ++i) out += i < 4 ? " --- |" : " ---: |";
    out += "\n";
    for (const auto& row : t.rows) {
      out += "|";
      for (const auto& cell : row) {
        std::string c = cell;
        for (std::size_t p = 0; (p = c.find('|', p)) != std::string::npos; p += 2) c.replace(p, 1, "\\|");
        out += " " + c + " |";
      }
      out += "\n";
    }
    if (t.rows.empty()) out += "\n(no rows)\n";
  }
  return out;
}

std::string csv(const Table& t) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string out;
  for (std::size_t i = 0; i < t.columns.size(); ++i) out += fmt::format("{}{}", i ? "," : "", field(t.columns[i]));
  out += "\n";
  for (const auto& row : t.csv_rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += fmt::format("{}{}", i ? "," : "", field(row[i]));
    out += "\n";
  }
  return out;
}

std::string combined_benchmark_json(const std::vector<Json>& records) {
  std::vector<const Json*> order;
  for (const auto& r : records) order.push_back(&r);
  std::sort(order.begin(), order.end(), [](const Json* a, const Json* b) {
    return (*a)["wcs"]["index"].get<std::size_t>() < (*b)["wcs"]["index"].get<std::size_t>();
  });
  Json out;
  out["context"] = Json::object();
  out["benchmarks"] = Json::array();
  for (const Json* r : order) {
    if ((*r)["wcs"]["status"] != "ok") continue;
    if (out["context"].empty() && r->contains("context")) out["context"] = (*r)["context"];
    for (const auto& b : (*r)["benchmarks"]) out["benchmarks"].push_back(b);
  }
  return out.dump(2) + "\n";
}

std::vector<fs::path> write_report(const fs::path& dir) {
  const auto records = wcs::experiment::read_records(dir);
  if (records.empty()) throw std::runtime_error((dir / "runs").string() + ": no run records");
  const Json experiment = wcs::experiment::read_experiment(dir);  // checked: InputError names the file and field
  const auto tables = make_tables(records, experiment);
  std::string heading = experiment.is_object() ? experiment.value("name", std::string("results")) : std::string("results");
  heading = "Experiment " + heading;
  std::string intro;
  if (experiment.is_object() && !experiment.value("description", std::string()).empty())
    intro = "\n" + experiment["description"].get<std::string>() + "\n";
  std::size_t ok = 0;
  for (const auto& r : records) ok += r["wcs"]["status"] == "ok";
  intro += fmt::format("\n{} run records ({} ran), generated by `wcs report` from `runs/`; machine and build in each record's `context`.\n",
                       records.size(), ok);
  std::vector<fs::path> written;
  const fs::path out = dir / "tables";
  std::string md = markdown(tables, heading);
  md.insert(md.find('\n') + 1, intro);
  wcs::experiment::write_atomic(out / "report.md", md);
  written.push_back(out / "report.md");
  for (const auto& t : tables) {
    wcs::experiment::write_atomic(out / (t.name + ".csv"), csv(t));
    written.push_back(out / (t.name + ".csv"));
  }
  wcs::experiment::write_atomic(out / "benchmarks.json", combined_benchmark_json(records));
  written.push_back(out / "benchmarks.json");
  return written;
}

}  // namespace wcs::report

#include "report/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "report/measures.hpp"
#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

using Json = nlohmann::ordered_json;

namespace {

using Stats = std::map<std::string, CellStats>;

// Column names of CSV files: lower case, anything but letters and digits as '_'.
std::string snake(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

Column col(std::string header, std::vector<std::string> csv, Format f = Format::text, Interval i = Interval::none) {
  return Column{std::move(header), std::move(csv), f, i, true};
}

// Every cell of the model, rows in plan order and strategies in plan order in each.
void for_each_cell(const Model& m, const std::function<void(const Cell&)>& f) {
  for (const auto& row : m.row_order)
    for (const auto& label : m.labels)
      if (const Cell* c = m.cell(row, label)) f(*c);
}

// ---- Tables with one row per cell, described as data: which measures, in which output.

enum class In { both, csv, markdown };
struct Use {
  std::string_view measure;
  In in = In::both;
};
struct CellTable {
  std::string_view name, title, note;
  bool markdown;
  bool (*include)(const Cell&);
  std::vector<Use> columns;
};

bool timed(const Cell& c) { return !c.ok.empty() && c.seeds > 0; }
bool ran_ok(const Cell& c) { return !c.ok.empty(); }
bool ran(const Cell& c) { return !c.ok.empty() || !c.failed.empty(); }

// clang-format off
const CellTable kSpeed{"speed", "", "", false, timed,
  {{"problem"}, {"n"}, {"max_iter"}, {"tolerance"}, {"strategy"}, {"family"}, {"seeds"}, {"repetitions"}, {"time"},
   {"time_min"}, {"time_max"}, {"baseline"}, {"speedup"}}};
const CellTable kAccuracy{"accuracy", "Accuracy against the exact answer",
  "Error = |sum a[i] W[i] - target|. Converged: runs that met the tolerance, with the 95% Wilson interval. Agreement: "
  "the same answer as the exact one on the same problem (`reference`, else the baseline or another identical "
  "strategy): the same weights, or results within relative 1e-9 (a finite result never agrees with an infinite one); "
  "gap = mean of (error - exact error).", true, ran_ok,
  {{"problem"}, {"n"}, {"max_iter"}, {"tolerance"}, {"strategy"}, {"family", In::csv}, {"runs"}, {"converged"},
   {"median_error"}, {"mean_error", In::csv}, {"worst_error"}, {"agrees_with"}, {"agreement"}, {"mean_gap"}}};
const CellTable kCycles{"convergence", "Cycles, evaluations and weights",
  "Means over seeds; `chose` counts the strategy `auto` picked (its note `chose`); trajectories: traced runs, and how "
  "many of them were cut (a cap left cycles out: their convergence plots stop early).", true, ran_ok,
  {{"problem"}, {"n"}, {"max_iter"}, {"tolerance"}, {"strategy"}, {"family", In::csv}, {"runs"}, {"mean_cycles"},
   {"mean_evaluations"}, {"mean_nonzero_weights"}, {"chose"}, {"trajectories", In::markdown}, {"traced"},
   {"traced_cut"}}};
const CellTable kErt{"ert", "", "", false, ran,
  {{"problem"}, {"n"}, {"max_iter"}, {"tolerance"}, {"strategy"}, {"family"}, {"runs"}, {"reached"},
   {"ert_evaluations"}, {"ert_s"}}};
// clang-format on

Table cell_table(const Model& m, const Stats& stats, const CellTable& spec) {
  Table t;
  t.name = spec.name;
  t.title = spec.title;
  t.note = spec.note;
  t.markdown = spec.markdown;
  std::vector<const Measure*> used;
  for (const Use& u : spec.columns) {
    used.push_back(&measure(u.measure));
    Column c = used.back()->column;
    if (u.in == In::csv) c.markdown = false;
    if (u.in == In::markdown) c.csv.clear();
    t.columns.push_back(std::move(c));
  }
  for_each_cell(m, [&](const Cell& c) {
    if (!spec.include(c)) return;
    const CellStats& s = stats.at(c.key);
    std::vector<Value> row;
    for (const Measure* u : used) row.push_back(u->of(s));
    t.rows.push_back(std::move(row));
  });
  return t;
}

// ---- Pivot tables: one measure, strategy by N, one table per panel.

struct Pivot {
  std::string_view section, title_prefix, measure, note, link;
};

// clang-format off
const Pivot kTimePivot{"Time per solve", "", "time",
  "Median time per solve [95% bootstrap interval] over {counts} (Google Benchmark's time of each repetition); the unit "
  "is chosen per column. A cell with other counts shows them as (seeds x repetitions).", "speed.csv"};
const Pivot kSpeedupPivot{"Speed-up against the baseline", "", "speedup",
  "Speed-up = the baseline's median time / this strategy's, on the same problem instances, with its 95% bootstrap "
  "interval (seeds drawn in pairs). Baseline: `reference` where it ran{fallback}; above 1 is faster.", "speed.csv"};
const Pivot kConvergencePivot{"Convergence rate", "", "converged",
  "Runs that met the tolerance: count, rate and its 95% Wilson interval, over the seeds that ran.", "accuracy.csv"};
const Pivot kErrorPivot{"Median error", "", "error",
  "Median of the final error |sum a[i] W[i] - target| over the seeds, [smallest, largest] where they differ.",
  "accuracy.csv"};
const Pivot kErtPivot{"Fixed target: reaching the tolerance", "ERT in evaluations: ", "ert_evaluations",
  "Expected running time in line evaluations (COCO's ERT): evaluations of all runs / runs that met the tolerance; inf "
  "where none did.", "ert.csv"};
// clang-format on

// One pivot table of a panel; `headers` of its columns (default: the panel's), `remark`
// adds a cell's remark. No row for a strategy without a value in the panel.
Table pivot(const Model& m, const Stats& stats, const Panel& p, const Pivot& spec, const std::string& note,
            const std::vector<std::string>& headers, const std::function<void(const Cell&, Value&)>& remark = nullptr) {
  const Measure& mes = measure(spec.measure);
  Table t;
  t.section = spec.section;
  t.title = std::string(spec.title_prefix) + p.title;
  t.note = note;
  t.link = spec.link;
  t.columns = {col("strategy", {}), col("family", {})};
  for (const auto& h : headers) t.columns.push_back(col(h, {}, mes.column.format, mes.column.interval));
  for (const auto& label : m.labels) {
    std::vector<Value> row{text_value(label), text_value(m.family.at(label))};
    bool any = false;
    for (const auto& rk : p.rows) {
      const Cell* c = m.cell(rk, label);
      Value v = c ? mes.of(stats.at(c->key)) : Value{};
      if (c && remark && !std::isnan(v.x)) remark(*c, v);
      any = any || !std::isnan(v.x);
      row.push_back(std::move(v));
    }
    if (any) t.rows.push_back(std::move(row));
  }
  return t;
}

// "S seeds x R repetitions" most cells of the panel have.
std::pair<std::size_t, std::size_t> usual_counts(const Model& m, const Panel& p) {
  std::map<std::pair<std::size_t, std::size_t>, int> seen;
  for (const auto& row : p.rows)
    for (const auto& label : m.labels)
      if (const Cell* c = m.cell(row, label); c && c->seeds) ++seen[{c->seeds, c->reps}];
  std::pair<std::size_t, std::size_t> best{0, 0};
  int most = 0;
  for (const auto& [k, count] : seen)
    if (count > most) {
      most = count;
      best = k;
    }
  return best;
}

void pivot_tables(const Model& m, const Stats& stats, const Pivot& spec, std::vector<Table>& out) {
  for (const auto& p : m.panels) {
    if (spec.measure == "time") {
      const auto [seeds, reps] = usual_counts(m, p);
      const std::string counts =
          fmt::format("{} seed{} x {} repetition{}", seeds, seeds == 1 ? "" : "s", reps, reps == 1 ? "" : "s");
      out.push_back(pivot(m, stats, p, spec, fmt::format(fmt::runtime(spec.note), fmt::arg("counts", counts)),
                          p.headers, [&, seeds = seeds, reps = reps](const Cell& c, Value& v) {
                            if (c.seeds != seeds || c.reps != reps) v.text = fmt::format("({}x{})", c.seeds, c.reps);
                          }));
    } else if (spec.measure == "speedup") {
      std::vector<std::string> headers;
      bool any = false;
      for (std::size_t i = 0; i < p.rows.size(); ++i) {
        const Row& r = m.rows.at(p.rows[i]);
        any = any || !r.baseline.empty();
        headers.push_back(r.baseline.empty()          ? p.headers[i] + " (no baseline)"
                          : r.baseline == "reference" ? p.headers[i]
                                                      : p.headers[i] + " vs " + r.baseline);
      }
      if (!any) continue;
      const std::string fallback =
          m.baseline_key.empty() ? "" : ", else `" + m.baseline_key + "` (the experiment's `baseline:`)";
      // The baseline against itself is 1 by definition: no interval.
      out.push_back(pivot(m, stats, p, spec, fmt::format(fmt::runtime(spec.note), fmt::arg("fallback", fallback)),
                          headers, [](const Cell& c, Value& v) {
                            if (c.label == c.baseline) v = Value{"(baseline)", 1};
                          }));
    } else {
      out.push_back(pivot(m, stats, p, spec, std::string(spec.note), p.headers));
    }
  }
}

}  // namespace

// ---- Fixed target: pooled over problems, N and seeds, per strategy.

namespace {

const char* const kFixedTarget = "Fixed target: reaching the tolerance";

// Runs of each label that ran (ok or failed), pooled over problems, N and seeds.
using Ran = std::map<std::string, std::vector<const RunRecord*>>;

// Runtime to the target of each run that ran (infinite when it did not converge).
struct Runtimes {
  std::vector<double> evaluations, seconds;
};

Runtimes runtimes_of(const std::vector<const RunRecord*>& runs) {
  Runtimes rt;
  for (const RunRecord* r : runs) {
    const Runtime one = runtime_to_target(*r);
    rt.evaluations.push_back(one.evaluations);
    rt.seconds.push_back(one.seconds);
  }
  return rt;
}

// Decades from the smallest to the largest finite value, at most eight (every other
// decade, then every third, ... when they span more).
std::vector<double> decades(const std::vector<double>& values) {
  double lo = INFINITY, hi = 0;
  for (double v : values)
    if (std::isfinite(v) && v > 0) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) return {};
  const int a = static_cast<int>(std::floor(std::log10(lo))), b = static_cast<int>(std::ceil(std::log10(hi)));
  const int span = std::max(1, b - a);
  const int step = (span + 7) / 8;
  std::vector<double> out;
  for (int e = a; e <= b; e += step) out.push_back(std::pow(10.0, e));
  if (out.size() < 2) out.push_back(std::pow(10.0, a + step));
  return out;
}

std::string budget_text(double seconds) {
  const TimeUnit u = unit_for({seconds});
  return format_number(std::round(seconds / unit_seconds(u))) + " " + unit_name(u);
}

// Reached, the performance profile (with the ECDF and profile CSV files), and every
// run's runtime to the target for the budget tables.
struct Reached {
  Table summary, ecdf_csv, profile_csv;
  std::vector<double> all_evals, all_seconds;
};

// Time to the target of every label (columns, in m.labels order) on every instance
// anything ran on (rows): infinite where it did not run or did not converge.
std::vector<std::vector<double>> runtime_matrix(const Model& m, Ran& ran) {
  std::map<std::string, std::size_t> instance_pos;
  for (const auto& r : m.runs)
    if (r.status != "skipped" && !instance_pos.contains(r.instance))
      instance_pos.emplace(r.instance, instance_pos.size());
  std::vector<std::vector<double>> cost(instance_pos.size(), std::vector<double>(m.labels.size(), INFINITY));
  for (std::size_t s = 0; s < m.labels.size(); ++s)
    for (const RunRecord* r : ran[m.labels[s]]) cost[instance_pos.at(r->instance)][s] = runtime_to_target(*r).seconds;
  return cost;
}

// Per label: the sorted performance ratios of time to target over every instance
// anything ran on; `instances` counts them.
std::vector<std::vector<double>> profile_ratios(const Model& m, Ran& ran, std::size_t& instances) {
  const auto cost = runtime_matrix(m, ran);
  instances = cost.size();
  return performance_ratios(cost);
}

// Each label against the virtual best of the others: on every instance some other
// label reached the tolerance on, whether this one did too, and within twice the
// fastest of the others (what a selector such as `auto` is judged by; its portfolio
// is every other label of the experiment).
Table virtual_best_table(const Model& m, Ran& ran) {
  const auto cost = runtime_matrix(m, ran);
  Table t;
  t.section = kFixedTarget;
  t.name = "virtual_best";
  t.title = "Against the virtual best of the others";
  t.note =
      "For each strategy, the problem instances some other strategy of the experiment reached the tolerance on; the "
      "virtual best is the fastest of those (median real time of a solve). Converged: the strategy reached the "
      "tolerance too; within 2x: and in at most twice the virtual best's time; both with 95% Wilson intervals. "
      "Ratio: the median of its time over the virtual best's (infinite where it did not converge).";
  t.columns = {col("strategy", {"strategy"}), col("instances", {"instances"}, Format::count),
               col("converged", {"converged", "converged_rate", "converged_ci_low", "converged_ci_high"}, Format::tally,
                   Interval::wilson),
               col("within 2x", {"within_2x", "within_2x_rate", "within_2x_ci_low", "within_2x_ci_high"}, Format::tally,
                   Interval::wilson),
               col("median ratio", {"median_ratio"}, Format::real)};
  for (std::size_t s = 0; s < m.labels.size(); ++s) {
    if (ran[m.labels[s]].empty()) continue;
    std::size_t instances = 0, converged = 0, within = 0;
    std::vector<double> ratios;
    for (const auto& row : cost) {
      double best = INFINITY;
      for (std::size_t o = 0; o < row.size(); ++o)
        if (o != s) best = std::min(best, row[o]);
      if (!std::isfinite(best)) continue;
      ++instances;
      converged += std::isfinite(row[s]);
      within += row[s] <= 2 * best;
      ratios.push_back(row[s] / best);
    }
    if (instances == 0) continue;
    t.rows.push_back({text_value(m.labels[s]), count_value(instances), tally_value(converged, instances),
                      tally_value(within, instances), number(median(std::move(ratios)))});
  }
  return t;
}

Reached reached_tables(const Model& m, Ran& ran) {
  Reached got;
  std::size_t instances = 0;
  const auto ratios = profile_ratios(m, ran, instances);
  Table& summary = got.summary;
  summary.section = kFixedTarget;
  summary.title = "Reached, and the performance profile";
  summary.note = fmt::format(
      "Over all problems, N and seeds each strategy ran on (runs skipped by max_n left out). Reached: runs that met "
      "the "
      "tolerance, with the 95% Wilson interval. Performance profile (Dolan-More) on the time to the target over the {} "
      "problem instances: rho(tau) = fraction of instances the strategy solved within tau times the fastest strategy's "
      "time on that instance (an instance it did not run on or did not solve counts against it).",
      instances);
  summary.name = "fixed_target";
  summary.columns = {col("strategy", {"strategy"}), col("family", {"family"}), col("runs", {"runs"}, Format::count),
                     col("reached", {"reached", "reached_rate", "reached_ci_low", "reached_ci_high"}, Format::tally,
                         Interval::wilson)};
  const double taus[] = {1, 2, 10, 100};
  for (double tau : taus)
    summary.columns.push_back(col(fmt::format("rho({:g})", tau), {fmt::format("profile_{:g}", tau)}, Format::percent));
  summary.columns.push_back(col("solved", {"profile_solved"}, Format::percent));
  got.ecdf_csv.name = "ecdf";
  got.ecdf_csv.markdown = false;
  got.ecdf_csv.columns = {col("strategy", {"strategy"}),
                          col("family", {"family"}),
                          col("measure", {"measure"}),
                          col("budget", {"budget"}, Format::real),
                          col("fraction", {"fraction"}, Format::real),
                          col("runs", {"runs"}, Format::count)};
  got.profile_csv.name = "profile";
  got.profile_csv.markdown = false;
  got.profile_csv.columns = {col("strategy", {"strategy"}), col("family", {"family"}),
                             col("tau", {"tau"}, Format::real), col("fraction", {"fraction"}, Format::real),
                             col("instances", {"instances"}, Format::count)};
  for (std::size_t s = 0; s < m.labels.size(); ++s) {
    const std::string& label = m.labels[s];
    const auto& runs = ran[label];
    if (runs.empty()) continue;
    const Value name = text_value(label), family = text_value(m.family.at(label));
    std::size_t k = 0;
    for (const RunRecord* r : runs) k += r->ok() && r->converged;
    const Value reached = tally_value(k, runs.size());
    const auto& rs = ratios[s];
    double solved = 0;
    for (double x : rs) solved += std::isfinite(x);
    std::vector<Value> row{name, family, count_value(runs.size()), reached};
    for (double tau : taus) row.push_back(number(profile_at(rs, tau)));
    row.push_back(number(solved / static_cast<double>(rs.size())));
    summary.rows.push_back(std::move(row));
    const Runtimes rt = runtimes_of(runs);
    for (const auto& [what, values] : {std::pair{"evaluations", &rt.evaluations}, std::pair{"seconds", &rt.seconds}})
      for (const auto& [budget, fraction] : ecdf(*values))
        got.ecdf_csv.rows.push_back(
            {name, family, text_value(what), number(budget), number(fraction), count_value(values->size())});
    got.all_evals.insert(got.all_evals.end(), rt.evaluations.begin(), rt.evaluations.end());
    got.all_seconds.insert(got.all_seconds.end(), rt.seconds.begin(), rt.seconds.end());
    for (std::size_t i = 0; i < rs.size(); ++i) {
      if (!std::isfinite(rs[i])) break;
      if (i + 1 < rs.size() && rs[i + 1] == rs[i]) continue;
      got.profile_csv.rows.push_back({name, family, number(rs[i]),
                                      number(static_cast<double>(i + 1) / static_cast<double>(rs.size())),
                                      count_value(rs.size())});
    }
  }
  return got;
}

// The ECDF at budget decades, in evaluations and in time.
void budget_tables(const Model& m, Ran& ran, const Reached& got, std::vector<Table>& out) {
  for (const bool time : {false, true}) {
    const auto budgets = decades(time ? got.all_seconds : got.all_evals);
    if (budgets.empty()) continue;
    Table t;
    t.section = kFixedTarget;
    t.title = std::string("Reached within a budget of ") + (time ? "time" : "evaluations");
    t.note = std::string(
                 "ECDF of the runtime to the target (COCO style): fraction of each strategy's runs that met the "
                 "tolerance using at most the budget of ") +
             (time ? "time (the run's median time per solve)." : "line evaluations.");
    t.columns = {col("strategy", {}), col("family", {})};
    for (double b : budgets)
      t.columns.push_back(col(time ? budget_text(b) : fmt::format("{:g}", b), {}, Format::percent));
    t.link = "ecdf.csv";
    for (const auto& label : m.labels) {
      if (ran[label].empty()) continue;
      const Runtimes rt = runtimes_of(ran[label]);
      std::vector<Value> row{text_value(label), text_value(m.family.at(label))};
      for (double b : budgets) row.push_back(number(ecdf_at(time ? rt.seconds : rt.evaluations, b)));
      t.rows.push_back(std::move(row));
    }
    out.push_back(std::move(t));
  }
}

std::vector<Table> fixed_target_tables(const Model& m, const Stats& stats) {
  Ran ran;
  for (const auto& r : m.runs)
    if (r.status != "skipped") ran[r.label].push_back(&r);
  Reached got = reached_tables(m, ran);
  std::vector<Table> out{got.summary};
  if (m.labels.size() >= 2) out.push_back(virtual_best_table(m, ran));
  budget_tables(m, ran, got, out);
  out.push_back(cell_table(m, stats, kErt));
  pivot_tables(m, stats, kErtPivot, out);
  out.push_back(std::move(got.ecdf_csv));
  out.push_back(std::move(got.profile_csv));
  return out;
}

}  // namespace

// ---- Runs that did not count, and the records.

namespace {

std::optional<Table> skipped_table(const Model& m) {
  Table t;
  t.name = "skipped";
  t.title = "Skipped and failed runs";
  t.note =
      "Planned runs that did not run (max_n), whose strategy failed, or whose result failed its checks (non-finite, "
      "inconsistent), with the reason of the first; none of them counts in the tables above.";
  t.columns = {col("problem", {"problem"}),     col("N", {"n"}, Format::count), col("max_iter", {"max_iter"}),
               col("tolerance", {"tolerance"}), col("strategy", {"strategy"}),  col("runs", {"runs"}, Format::count),
               col("status", {"status"}),       col("reason", {"reason"})};
  for_each_cell(m, [&](const Cell& c) {
    std::map<std::string, std::vector<const RunRecord*>> by_status;
    for (const auto* list : {&c.skipped, &c.failed})
      for (const RunRecord* r : *list) by_status[r->status].push_back(r);
    for (const auto& [status, list] : by_status)
      t.rows.push_back({text_value(c.problem), count_value(c.n), text_value(std::to_string(c.max_iter)),
                        text_value(csv_number(c.tolerance)), text_value(c.label), count_value(list.size()),
                        text_value(status), text_value(list.front()->reason)});
  });
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<Table> unread_table(const Model& m) {
  Table t;
  t.name = "unreadable";
  t.title = "Records that could not be read";
  t.note = fmt::format(
      "Files of the folder that are not good run records (or not regular files), with the field and what is wrong; "
      "the tables above leave them out. {} planned run{} {} no record.",
      m.missing, m.missing == 1 ? "" : "s", m.missing == 1 ? "has" : "have");
  t.columns = {col("file", {"file"}), col("field", {"field"}), col("what is wrong", {"problem"})};
  for (const auto& u : m.unreadable) t.rows.push_back({text_value(u.file), text_value(u.field), text_value(u.what)});
  for (const auto& i : m.ignored) t.rows.push_back({text_value(i), text_value(""), text_value("not a regular file")});
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<Table> starved_table(const Model& m) {
  Table t;
  t.name = "starved";
  t.title = "Runs whose timing was starved";
  t.note =
      "Repetitions whose real time was more than 1.5 times the process's CPU time: the process was stopped or "
      "shared its core, and their times (in every table above) are not comparable. Run them again on a quiet "
      "machine (remove their records and `wcs run --resume`).";
  t.columns = {col("run", {"run_key"}), col("strategy", {"strategy"}),
               col("starved repetitions", {"starved"}, Format::count), col("of", {"repetitions"}, Format::count)};
  for (const auto& r : m.runs)
    if (r.starved)
      t.rows.push_back(
          {text_value(r.key), text_value(r.label), count_value(r.starved), count_value(r.rep_seconds.size())});
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<Table> estimates_table(const Model& m, const Json& experiment) {
  if (!experiment.is_object() || !experiment.contains("estimates")) return std::nullopt;
  Table est;
  est.name = "estimates";
  est.title = "Measured beside the document's estimates";
  est.note = "Estimates: " + experiment.value("estimates_source", std::string("(no source given)")) +
             ". Measured: median time per solve over seeds, this run; the unit is chosen per column.";
  std::vector<std::string> keys, problems;  // estimates first ("est:" + label), then measured labels
  std::map<std::pair<std::string, std::size_t>, std::map<std::string, double>> cells;  // seconds
  const auto add_key = [&](const std::string& k) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  for (const auto& e : experiment["estimates"]) {
    const std::string label = e["label"].get<std::string>(), problem = e["problem"].get<std::string>();
    add_key("est:" + label);
    if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(problem);
    cells[{problem, e["n"].get<std::size_t>()}]["est:" + label] = e["ms"].get<double>() * 1e-3;
  }
  for_each_cell(m, [&](const Cell& c) {
    if (std::find(problems.begin(), problems.end(), c.problem) == problems.end()) return;
    auto& slot = cells[{c.problem, c.n}];
    if (c.seeds) slot[c.label] = c.time.value;
  });
  for (const auto& label : m.labels)  // measured columns in plan order
    for (const auto& [key, values] : cells)
      if (values.contains(label)) {
        add_key(label);
        break;
      }
  est.columns = {col("problem", {"problem"}), col("N", {"n"}, Format::count)};
  for (const auto& k : keys) {
    const bool is_est = k.rfind("est:", 0) == 0;
    const std::string l = is_est ? k.substr(4) : k;
    est.columns.push_back(
        col(is_est ? "estimate: " + l : l, {snake(l) + (is_est ? "_estimate_s" : "_s")}, Format::seconds));
  }
  for (const auto& problem : problems)
    for (const auto& [key, values] : cells) {
      if (key.first != problem) continue;
      std::vector<Value> row{text_value(problem), count_value(key.second)};
      for (const auto& k : keys) {
        auto it = values.find(k);
        row.push_back(number(it == values.end() ? NAN : it->second));
      }
      est.rows.push_back(std::move(row));
    }
  return est;
}

}  // namespace

// Tidy data: one row per record: the record's fields that have a runs.csv column
// (record::record_fields; a map of options one column per option), then the
// statistics of its repetition times (run_statistics) and each repetition's time.
Table runs_table(const Model& m) {
  Table t;
  t.name = "runs";
  t.markdown = false;
  std::set<std::string> options;
  std::size_t reps = 0;
  for (const auto& r : m.runs) {
    for (const auto& [k, v] : r.options)
      if (!v.empty()) options.insert(k);  // an option empty in every run says nothing
    reps = std::max(reps, r.rep_seconds.size());
  }
  t.columns.push_back(col("record", {"record"}));
  for (const auto& f : record::record_fields()) {
    if (f.csv.empty()) continue;
    if (f.csv == "opt_") {
      for (const auto& o : options) t.columns.push_back(col("", {"opt_" + snake(o)}));
    } else {
      t.columns.push_back(col("", {std::string(f.csv)}));
    }
  }
  t.columns.push_back(col("", {"iterations"}, Format::real));
  for (const auto& s : run_statistics()) t.columns.push_back(col("", {s.column}, Format::seconds));
  for (std::size_t i = 1; i <= reps; ++i)
    t.columns.push_back(col("", {fmt::format("time_rep{}_s", i)}, Format::seconds));
  for (std::size_t k = 0; k < m.runs.size(); ++k) {
    const RunRecord& r = m.runs[k];
    std::vector<Value> row{text_value(m.files[k])};
    for (const auto& f : record::record_fields()) {
      if (f.csv.empty()) continue;
      if (f.csv != "opt_") {
        row.push_back(text_value(record::cell_text(f, r)));
        continue;
      }
      for (const auto& o : options) {
        auto it = r.options.find(o);
        row.push_back(text_value(it == r.options.end() ? "" : it->second));
      }
    }
    row.push_back(number(r.rep_iterations.empty() ? NAN : r.rep_iterations.front()));
    for (const auto& s : run_statistics()) row.push_back(number(s.of(r.rep_seconds)));
    for (std::size_t i = 0; i < reps; ++i) row.push_back(number(i < r.rep_seconds.size() ? r.rep_seconds[i] : NAN));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Trajectories in long form, one row per cycle of a traced run.
Table trajectories_table(const Model& m) {
  Table t;
  t.name = "trajectories";
  t.markdown = false;
  for (const char* c : {"experiment", "run_key", "problem"}) t.columns.push_back(col("", {c}));
  t.columns.push_back(col("", {"n"}, Format::count));
  for (const char* c : {"seed", "max_iter", "tolerance", "strategy", "family"}) t.columns.push_back(col("", {c}));
  t.columns.push_back(col("", {"run"}, Format::count));
  t.columns.push_back(col("", {"source"}));
  t.columns.push_back(col("", {"complete"}, Format::count));
  for (const char* c : {"cycle", "evaluations", "seconds", "error", "best_error"})
    t.columns.push_back(col("", {c}, Format::real));
  std::map<std::string, std::size_t> run_number;  // (problem, N, strategy) -> runs so far
  for (const auto& r : m.runs) {
    if (!r.traced) continue;
    const std::size_t run = ++run_number[r.problem + "\x1f" + std::to_string(r.n) + "\x1f" + r.label];
    const Trajectory& tr = r.trajectory;
    for (std::size_t i = 0; i < tr.cycle.size(); ++i)
      t.rows.push_back({text_value(r.experiment), text_value(r.key), text_value(r.problem), count_value(r.n),
                        text_value(std::to_string(r.seed)), text_value(std::to_string(r.max_iter)),
                        text_value(csv_number(r.tolerance)), text_value(r.label), text_value(r.family),
                        count_value(run), text_value(tr.source), count_value(tr.complete ? 1 : 0), number(tr.cycle[i]),
                        number(tr.evaluations[i]), number(tr.seconds[i]), number(tr.error[i]),
                        number(tr.best_error[i])});
  }
  return t;
}

std::vector<Table> make_tables(const Model& m, const Json& experiment) {
  const Stats stats = cell_stats(m);
  std::vector<Table> tables;
  for (const Pivot* p : {&kTimePivot, &kSpeedupPivot, &kConvergencePivot, &kErrorPivot})
    pivot_tables(m, stats, *p, tables);
  for (auto& t : fixed_target_tables(m, stats)) tables.push_back(std::move(t));
  for (const CellTable* c : {&kSpeed, &kAccuracy, &kCycles}) tables.push_back(cell_table(m, stats, *c));
  for (auto optional : {skipped_table(m), unread_table(m), starved_table(m), estimates_table(m, experiment)})
    if (optional) tables.push_back(std::move(*optional));
  tables.push_back(runs_table(m));
  tables.push_back(trajectories_table(m));
  return tables;
}

}  // namespace wcs::report

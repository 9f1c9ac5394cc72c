#include "report/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "record/outcome.hpp"
#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

using Json = nlohmann::ordered_json;

namespace {

std::string csv_number(double x) { return std::isnan(x) ? "" : format_number(x); }

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / static_cast<double>(v.size());
}

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

std::string percent(double fraction) { return std::isnan(fraction) ? "-" : fmt::format("{:.0f}%", fraction * 100); }

// "[lo, hi]" of an interval in the same format as its value.
std::string bracket(const Estimate& e, const std::function<std::string(double)>& f) {
  if (std::isnan(e.lo)) return "";
  return " [" + f(e.lo) + ", " + f(e.hi) + "]";
}


// A pivot table: one row per strategy label (plan order) with any cell, one column per
// row key of the panel; `text` gives a cell's text (nullopt: "-").
Table pivot(const Model& m, const Panel& p, const std::string& section, const std::string& note,
            const std::vector<std::string>& headers,
            const std::function<std::optional<std::string>(const Cell&, std::size_t)>& text) {
  Table t;
  t.section = section;
  t.title = p.title;
  t.note = note;
  t.columns = {"strategy", "family"};
  t.columns.insert(t.columns.end(), headers.begin(), headers.end());
  t.text_columns = 2;
  for (const auto& label : m.labels) {
    std::vector<std::string> row{label, m.family.at(label)};
    bool any = false;
    for (std::size_t col = 0; col < p.rows.size(); ++col) {
      const Cell* c = m.cell(p.rows[col], label);
      std::optional<std::string> v = c ? text(*c, col) : std::nullopt;
      any = any || v.has_value();
      row.push_back(v.value_or("-"));
    }
    if (any) t.rows.push_back(std::move(row));
  }
  return t;
}

// "S seeds x R repetitions" most cells of the panel have, and a cell's own count when
// it differs.
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

std::string counts_text(std::size_t seeds, std::size_t reps) {
  return fmt::format("{} seed{} x {} repetition{}", seeds, seeds == 1 ? "" : "s", reps, reps == 1 ? "" : "s");
}

}  // namespace

std::vector<Table> time_tables(const Model& m) {
  std::vector<Table> out;
  for (const auto& p : m.panels) {
    std::vector<std::string> headers;
    std::vector<TimeUnit> units;
    for (std::size_t col = 0; col < p.rows.size(); ++col) {
      std::vector<double> medians;
      for (const auto& label : m.labels)
        if (const Cell* c = m.cell(p.rows[col], label); c && c->seeds) medians.push_back(c->time.value);
      units.push_back(unit_for(medians));
      headers.push_back(p.headers[col] + " (" + unit_name(units.back()) + ")");
    }
    const auto counts = usual_counts(m, p);
    const std::size_t seeds = counts.first, reps = counts.second;
    const std::string note = fmt::format(
        "Median time per solve [95% bootstrap interval] over {} (Google Benchmark's time of each repetition); "
        "the unit is chosen per column. A cell with other counts shows them as (seeds x repetitions).",
        counts_text(seeds, reps));
    out.push_back(pivot(m, p, "Time per solve", note, headers, [&](const Cell& c, std::size_t col) -> std::optional<std::string> {
      if (!c.seeds) return std::nullopt;
      const auto f = [&](double x) { return time_in(x, units[col]); };
      std::string s = f(c.time.value) + bracket(c.time, f);
      if (c.seeds != seeds || c.reps != reps) s += fmt::format(" ({}x{})", c.seeds, c.reps);
      return s;
    }));
    out.back().link = "speed.csv";
  }
  return out;
}

std::vector<Table> speedup_tables(const Model& m) {
  std::vector<Table> out;
  const std::string fallback = m.baseline_key.empty() ? "" : ", else `" + m.baseline_key + "` (the experiment's `baseline:`)";
  for (const auto& p : m.panels) {
    std::vector<std::string> headers;
    bool any = false;
    for (const auto& row : p.rows) {
      const Row& r = m.rows.at(row);
      any = any || !r.baseline.empty();
      headers.push_back(r.baseline.empty()     ? p.headers[headers.size()] + " (no baseline)"
                        : r.baseline == "reference" ? p.headers[headers.size()]
                                                    : p.headers[headers.size()] + " vs " + r.baseline);
    }
    if (!any) continue;
    const std::string note =
        "Speed-up = the baseline's median time / this strategy's, on the same problem instances, with its 95% bootstrap "
        "interval (seeds drawn in pairs). Baseline: `reference` where it ran" + fallback +
        "; above 1 is faster.";
    out.push_back(pivot(m, p, "Speed-up against the baseline", note, headers, [&](const Cell& c, std::size_t) -> std::optional<std::string> {
      if (std::isnan(c.speedup.value)) return std::nullopt;
      if (c.label == c.baseline) return std::string("1 (baseline)");
      return sig3(c.speedup.value) + "x" + bracket(c.speedup, sig3);
    }));
    out.back().link = "speed.csv";
  }
  return out;
}

std::vector<Table> convergence_tables(const Model& m) {
  std::vector<Table> out;
  for (const auto& p : m.panels) {
    const std::string note =
        "Runs that met the tolerance: count, rate and its 95% Wilson interval, over the seeds that ran.";
    out.push_back(pivot(m, p, "Convergence rate", note, p.headers, [&](const Cell& c, std::size_t) -> std::optional<std::string> {
      if (c.ok.empty()) return std::nullopt;
      std::size_t k = 0;
      for (const RunRecord* r : c.ok) k += r->converged;
      const Estimate w = wilson(k, c.ok.size());
      return fmt::format("{}/{}, {} [{:.0f}, {:.0f}]", k, c.ok.size(), percent(w.value), w.lo * 100, w.hi * 100);
    }));
    out.back().link = "accuracy.csv";
  }
  return out;
}

std::vector<Table> error_tables(const Model& m) {
  std::vector<Table> out;
  for (const auto& p : m.panels) {
    const std::string note =
        "Median of the final error |sum a[i] W[i] - target| over the seeds, [smallest, largest] where they differ.";
    out.push_back(pivot(m, p, "Median error", note, p.headers, [&](const Cell& c, std::size_t) -> std::optional<std::string> {
      if (c.ok.empty()) return std::nullopt;
      std::vector<double> e;
      for (const RunRecord* r : c.ok) e.push_back(r->error);
      const auto [lo, hi] = std::minmax_element(e.begin(), e.end());
      return sig3(median(e)) + (*lo != *hi ? " [" + sig3(*lo) + ", " + sig3(*hi) + "]" : "");
    }));
    out.back().link = "accuracy.csv";
  }
  return out;
}

namespace {

// Runtime to the target of each run that ran (infinite when it did not converge).
struct Runtimes {
  std::vector<double> evaluations, seconds;
};

Runtimes runtimes_of(const std::vector<const RunRecord*>& runs) {
  Runtimes rt;
  for (const RunRecord* r : runs) {
    const bool reached = r->ok() && r->converged;
    rt.evaluations.push_back(reached ? static_cast<double>(r->evaluations) : INFINITY);
    rt.seconds.push_back(reached && !r->rep_seconds.empty() ? median_seconds(*r) : INFINITY);
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

}  // namespace

namespace {

const char* const kFixedTarget = "Fixed target: reaching the tolerance";

// Runs of each label that ran (ok or failed), pooled over problems, N and seeds.
using Ran = std::map<std::string, std::vector<const RunRecord*>>;

// What the reached table gathers for the tables after it.
struct Reached {
  Table summary, ecdf_csv, profile_csv;
  std::vector<double> all_evals, all_seconds;  // every run's runtime to the target
};

// Reached and the performance profile (with the ECDF and profile CSV files).
Reached reached_tables(const Model& m, Ran& ran) {
  Reached got;
  Table& summary = got.summary;
  Table& ecdf_csv = got.ecdf_csv;
  Table& profile_csv = got.profile_csv;
  std::vector<double>& all_evals = got.all_evals;
  std::vector<double>& all_seconds = got.all_seconds;
  // Performance profile on time to target over every instance anything ran on.
  std::vector<std::string> instances;
  std::map<std::string, std::size_t> instance_pos;
  for (const auto& r : m.runs)
    if (r.status != "skipped" && !instance_pos.contains(r.instance)) {
      instance_pos[r.instance] = instances.size();
      instances.push_back(r.instance);
    }
  std::vector<std::vector<double>> cost(instances.size(), std::vector<double>(m.labels.size(), INFINITY));
  for (std::size_t s = 0; s < m.labels.size(); ++s)
    for (const RunRecord* r : ran[m.labels[s]])
      if (r->ok() && r->converged && !r->rep_seconds.empty()) cost[instance_pos.at(r->instance)][s] = median_seconds(*r);
  const auto ratios = performance_ratios(cost);

  summary.section = kFixedTarget;
  summary.title = "Reached, and the performance profile";
  summary.note = fmt::format(
      "Over all problems, N and seeds each strategy ran on (runs skipped by max_n left out). Reached: runs that met the "
      "tolerance, with the 95% Wilson interval. Performance profile (Dolan-More) on the time to the target over the {} "
      "problem instances: rho(tau) = fraction of instances the strategy solved within tau times the fastest strategy's "
      "time on that instance (an instance it did not run on or did not solve counts against it).",
      instances.size());
  summary.columns = {"strategy", "family", "runs", "reached", "rho(1)", "rho(2)", "rho(10)", "rho(100)", "solved"};
  summary.csv_columns = {"strategy", "family", "runs", "reached", "reached_rate", "reached_ci_low", "reached_ci_high",
                         "profile_1", "profile_2", "profile_10", "profile_100", "profile_solved"};
  summary.text_columns = 2;
  summary.name = "fixed_target";
  ecdf_csv.name = "ecdf";
  ecdf_csv.markdown = false;
  ecdf_csv.csv_columns = {"strategy", "family", "measure", "budget", "fraction", "runs"};
  profile_csv.name = "profile";
  profile_csv.markdown = false;
  profile_csv.csv_columns = {"strategy", "family", "tau", "fraction", "instances"};

  for (std::size_t s = 0; s < m.labels.size(); ++s) {
    const std::string& label = m.labels[s];
    const auto& runs = ran[label];
    if (runs.empty()) continue;
    std::size_t k = 0;
    for (const RunRecord* r : runs) k += r->ok() && r->converged;
    const Estimate w = wilson(k, runs.size());
    const auto& rs = ratios[s];
    double solved = 0;
    for (double x : rs) solved += std::isfinite(x);
    solved /= static_cast<double>(rs.size());
    summary.rows.push_back({label, m.family.at(label), std::to_string(runs.size()),
                            fmt::format("{}/{}, {} [{:.0f}, {:.0f}]", k, runs.size(), percent(w.value), w.lo * 100, w.hi * 100),
                            percent(profile_at(rs, 1)), percent(profile_at(rs, 2)), percent(profile_at(rs, 10)),
                            percent(profile_at(rs, 100)), percent(solved)});
    summary.csv_rows.push_back({label, m.family.at(label), std::to_string(runs.size()), std::to_string(k), csv_number(w.value),
                                csv_number(w.lo), csv_number(w.hi), csv_number(profile_at(rs, 1)), csv_number(profile_at(rs, 2)),
                                csv_number(profile_at(rs, 10)), csv_number(profile_at(rs, 100)), csv_number(solved)});
    const Runtimes rt = runtimes_of(runs);
    for (const auto& [measure, values] : {std::pair{"evaluations", &rt.evaluations}, std::pair{"seconds", &rt.seconds}})
      for (const auto& [budget, fraction] : ecdf(*values))
        ecdf_csv.csv_rows.push_back({label, m.family.at(label), measure, csv_number(budget), csv_number(fraction),
                                     std::to_string(values->size())});
    all_evals.insert(all_evals.end(), rt.evaluations.begin(), rt.evaluations.end());
    all_seconds.insert(all_seconds.end(), rt.seconds.begin(), rt.seconds.end());
    for (std::size_t i = 0; i < rs.size(); ++i) {
      if (!std::isfinite(rs[i])) break;
      if (i + 1 < rs.size() && rs[i + 1] == rs[i]) continue;
      profile_csv.csv_rows.push_back({label, m.family.at(label), csv_number(rs[i]),
                                      csv_number(static_cast<double>(i + 1) / static_cast<double>(rs.size())),
                                      std::to_string(rs.size())});
    }
  }
  return got;
}

// The ECDF at budget decades, in evaluations and in time.
void budget_tables(const Model& m, Ran& ran, const Reached& got, std::vector<Table>& out) {
  const std::string section = kFixedTarget;
  for (const auto& [what, values] : {std::pair{"evaluations", &got.all_evals}, std::pair{"time", &got.all_seconds}}) {
    const auto budgets = decades(*values);
    if (budgets.empty()) continue;
    Table t;
    t.section = section;
    t.title = std::string("Reached within a budget of ") + what;
    t.note = std::string("ECDF of the runtime to the target (COCO style): fraction of each strategy's runs that met the "
                         "tolerance using at most the budget of ") +
             (std::string(what) == "time" ? "time (the run's median time per solve)." : "line evaluations.");
    t.columns = {"strategy", "family"};
    for (double b : budgets) t.columns.push_back(std::string(what) == "time" ? budget_text(b) : fmt::format("{:g}", b));
    t.text_columns = 2;
    t.link = "ecdf.csv";
    for (const auto& label : m.labels) {
      if (ran[label].empty()) continue;
      const Runtimes rt = runtimes_of(ran[label]);
      const auto& v = std::string(what) == "time" ? rt.seconds : rt.evaluations;
      std::vector<std::string> row{label, m.family.at(label)};
      for (double b : budgets) row.push_back(percent(ecdf_at(v, b)));
      t.rows.push_back(std::move(row));
    }
    out.push_back(std::move(t));
  }

}

// ERT per cell: pivot tables in Markdown, every cell in CSV.
void ert_tables(const Model& m, std::vector<Table>& out) {
  const std::string section = kFixedTarget;
  Table ert_csv;
  ert_csv.name = "ert";
  ert_csv.markdown = false;
  ert_csv.csv_columns = {"problem", "n", "max_iter", "tolerance", "strategy", "family", "runs", "reached",
                         "ert_evaluations", "ert_s"};
  for (const auto& row : m.row_order)
    for (const auto& label : m.labels) {
      const Cell* c = m.cell(row, label);
      if (!c || (c->ok.empty() && c->failed.empty())) continue;
      std::vector<const RunRecord*> runs = c->ok;
      runs.insert(runs.end(), c->failed.begin(), c->failed.end());
      std::vector<double> evals, secs;
      std::vector<bool> reached, reached_t;
      for (const RunRecord* r : c->ok) {
        evals.push_back(static_cast<double>(r->evaluations));
        reached.push_back(r->converged);
        if (!r->rep_seconds.empty()) {
          secs.push_back(median_seconds(*r));
          reached_t.push_back(r->converged);
        }
      }
      std::size_t k = 0;
      for (bool b : reached) k += b;
      ert_csv.csv_rows.push_back({c->problem, std::to_string(c->n), std::to_string(c->max_iter), csv_number(c->tolerance), label,
                                  c->family, std::to_string(c->ok.size()), std::to_string(k), csv_number(ert(evals, reached)),
                                  csv_number(ert(secs, reached_t))});
    }
  out.push_back(ert_csv);
  for (const auto& p : m.panels) {
    const std::string note =
        "Expected running time in line evaluations (COCO's ERT): evaluations of all runs / runs that met the tolerance; "
        "inf where none did.";
    out.push_back(pivot(m, p, section, note, p.headers, [&](const Cell& c, std::size_t) -> std::optional<std::string> {
      if (c.ok.empty()) return std::nullopt;
      std::vector<double> evals;
      std::vector<bool> reached;
      for (const RunRecord* r : c.ok) {
        evals.push_back(static_cast<double>(r->evaluations));
        reached.push_back(r->converged);
      }
      return sig3(ert(evals, reached));
    }));
    out.back().title = "ERT in evaluations: " + p.title;
    out.back().link = "ert.csv";
  }
}

}  // namespace

std::vector<Table> fixed_target_tables(const Model& m) {
  Ran ran;
  for (const auto& r : m.runs)
    if (r.status != "skipped") ran[r.label].push_back(&r);
  Reached got = reached_tables(m, ran);
  std::vector<Table> out{got.summary};
  budget_tables(m, ran, got, out);
  ert_tables(m, out);
  out.push_back(std::move(got.ecdf_csv));
  out.push_back(std::move(got.profile_csv));
  return out;
}

namespace {

// The exact answer of an instance: reference where it ran, else the experiment's
// baseline when it is an identical strategy, else the first identical strategy.
std::map<std::string, const RunRecord*> exact_answers(const Model& m) {
  std::map<std::string, const RunRecord*> out;
  auto rank = [&](const RunRecord& r) {
    if (r.label == "reference") return 0;
    if (r.label == m.baseline_key) return 1;
    return 2;
  };
  for (const auto& r : m.runs) {
    if (!r.ok() || r.family != "identical") continue;
    auto it = out.find(r.instance);
    if (it == out.end() || rank(r) < rank(*it->second)) out[r.instance] = &r;
  }
  return out;
}

}  // namespace

namespace {

// Every cell of the model, rows in plan order and strategies in plan order in each.
void for_each_cell(const Model& m, const std::function<void(const Cell&)>& f) {
  for (const auto& row : m.row_order)
    for (const auto& label : m.labels)
      if (const Cell* c = m.cell(row, label)) f(*c);
}

}  // namespace

Table speed_table(const Model& m) {
  Table speed;
  speed.name = "speed";
  speed.markdown = false;
  speed.csv_columns = {"problem", "n", "max_iter", "tolerance", "strategy", "family", "seeds", "repetitions",
                       "time_median_s", "time_ci_low_s", "time_ci_high_s", "time_min_s", "time_max_s",
                       "baseline", "speedup", "speedup_ci_low", "speedup_ci_high"};
  for_each_cell(m, [&](const Cell& c) {
    if (c.ok.empty() || !c.seeds) return;
    std::vector<double> t;
    for (const RunRecord* r : c.ok) t.insert(t.end(), r->rep_seconds.begin(), r->rep_seconds.end());
    const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
    speed.csv_rows.push_back({c.problem, std::to_string(c.n), std::to_string(c.max_iter), csv_number(c.tolerance), c.label,
                              c.family, std::to_string(c.seeds), std::to_string(c.reps), csv_number(c.time.value),
                              csv_number(c.time.lo), csv_number(c.time.hi), csv_number(*lo), csv_number(*hi), c.baseline,
                              csv_number(c.speedup.value), csv_number(c.speedup.lo), csv_number(c.speedup.hi)});
  });
  return speed;
}

Table accuracy_table(const Model& m) {
  Table accuracy;
  accuracy.name = "accuracy";
  accuracy.title = "Accuracy against the exact answer";
  accuracy.note =
      "Error = |sum a[i] W[i] - target|. Agreement: the same answer as the exact one on the same problem (`reference`, "
      "else the baseline or another identical strategy): the same weights, or results within relative 1e-9 (a finite "
      "result never agrees with an infinite one); gap = mean of (error - exact error).";
  accuracy.columns = {"problem", "N", "max_iter", "tolerance", "strategy", "runs", "converged", "median error", "worst error",
                      "agrees with", "agreement", "mean gap"};
  accuracy.csv_columns = {"problem", "n", "max_iter", "tolerance", "strategy", "family", "runs", "converged",
                          "converged_rate", "converged_ci_low", "converged_ci_high", "median_error", "mean_error",
                          "worst_error", "agrees_with", "agreement", "mean_gap"};
  accuracy.text_columns = 5;
  const auto exact = exact_answers(m);
  for_each_cell(m, [&](const Cell& c) {
    if (c.ok.empty()) return;
    const std::string n = std::to_string(c.n), mi = std::to_string(c.max_iter), tol = csv_number(c.tolerance);
    std::vector<double> errors, gaps;
    std::size_t converged = 0, agree = 0, compared = 0;
    std::set<std::string> exact_names;
    for (const RunRecord* r : c.ok) {
      errors.push_back(r->error);
      converged += r->converged;
      auto it = exact.find(r->instance);
      if (it != exact.end() && it->second != r) {
        const RunRecord& x = *it->second;
        ++compared;
        exact_names.insert(x.label);
        agree += record::agrees(*r, x);
        gaps.push_back(record::error_gap(r->error, x.error));
      }
    }
    const Estimate w = wilson(converged, c.ok.size());
    const double worst = *std::max_element(errors.begin(), errors.end());
    std::string with = "-";
    if (compared) {
      with.clear();
      for (const auto& e : exact_names) with += (with.empty() ? "" : ", ") + e;
    }
    const std::string runs = std::to_string(c.ok.size());
    accuracy.rows.push_back({c.problem, n, mi, tol, c.label, runs,
                             fmt::format("{}/{} ({})", converged, c.ok.size(), percent(w.value)), sig3(median(errors)),
                             sig3(worst), with, compared ? fmt::format("{}/{}", agree, compared) : "-",
                             gaps.empty() ? "-" : sig3(mean(gaps))});
    accuracy.csv_rows.push_back({c.problem, n, mi, tol, c.label, c.family, runs, std::to_string(converged), csv_number(w.value),
                                 csv_number(w.lo), csv_number(w.hi), csv_number(median(errors)), csv_number(mean(errors)),
                                 csv_number(worst), compared ? with : "",
                                 compared ? csv_number(static_cast<double>(agree) / static_cast<double>(compared)) : "",
                                 gaps.empty() ? "" : csv_number(mean(gaps))});
  });
  return accuracy;
}

Table cycles_table(const Model& m) {
  Table convergence;
  convergence.name = "convergence";
  convergence.title = "Cycles, evaluations and weights";
  convergence.note =
      "Means over seeds; `chose` counts the strategy `auto` picked (its note `chose`); trajectories: traced runs, and "
      "how many of them were cut (a cap left cycles out: their convergence plots stop early).";
  convergence.columns = {"problem", "N", "max_iter", "strategy", "runs", "mean cycles", "mean evaluations",
                         "mean non-zero weights", "chose", "trajectories"};
  convergence.csv_columns = {"problem", "n", "max_iter", "tolerance", "strategy", "family", "runs", "mean_cycles",
                             "mean_evaluations", "mean_nonzero_weights", "chose", "traced", "traced_cut"};
  convergence.text_columns = 4;
  for_each_cell(m, [&](const Cell& c) {
    if (c.ok.empty()) return;
    const std::string n = std::to_string(c.n), mi = std::to_string(c.max_iter), tol = csv_number(c.tolerance);
    std::vector<double> cycles, evals, nonzero;
    std::map<std::string, int> chose;
    std::size_t traced = 0, cut = 0;
    for (const RunRecord* r : c.ok) {
      traced += r->traced;
      cut += r->traced && !r->trajectory.complete;
      cycles.push_back(static_cast<double>(r->cycles));
      evals.push_back(static_cast<double>(r->evaluations));
      nonzero.push_back(static_cast<double>(r->nonzero_weights));
      if (auto it = r->notes.find("chose"); it != r->notes.end()) ++chose[it->second];
    }
    std::vector<std::pair<std::string, int>> picks(chose.begin(), chose.end());
    std::stable_sort(picks.begin(), picks.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string chose_text;
    for (const auto& [k, count] : picks) chose_text += fmt::format("{}{} x{}", chose_text.empty() ? "" : ", ", k, count);
    const std::string runs = std::to_string(c.ok.size());
    const std::string trajectories =
        traced == 0 ? "-" : cut == 0 ? std::to_string(traced) : fmt::format("{} ({} cut)", traced, cut);
    convergence.rows.push_back({c.problem, n, mi, c.label, runs, sig3(mean(cycles)), sig3(mean(evals)), sig3(mean(nonzero)),
                                chose_text.empty() ? "-" : chose_text, trajectories});
    convergence.csv_rows.push_back({c.problem, n, mi, tol, c.label, c.family, runs, csv_number(mean(cycles)),
                                    csv_number(mean(evals)), csv_number(mean(nonzero)), chose_text, std::to_string(traced),
                                    std::to_string(cut)});
  });
  return convergence;
}

std::optional<Table> skipped_table(const Model& m) {
  Table skipped;
  skipped.name = "skipped";
  skipped.title = "Skipped and failed runs";
  skipped.note =
      "Planned runs that did not run (max_n), whose strategy failed, or whose result failed its checks (non-finite, "
      "inconsistent), with the reason of the first; none of them counts in the tables above.";
  skipped.columns = {"problem", "N", "max_iter", "strategy", "runs", "status", "reason"};
  skipped.csv_columns = {"problem", "n", "max_iter", "tolerance", "strategy", "runs", "status", "reason"};
  skipped.text_columns = 7;
  for_each_cell(m, [&](const Cell& c) {
    const std::string n = std::to_string(c.n), mi = std::to_string(c.max_iter), tol = csv_number(c.tolerance);
    std::map<std::string, std::vector<const RunRecord*>> by_status;
    for (const auto* list : {&c.skipped, &c.failed})
      for (const RunRecord* r : *list) by_status[r->status].push_back(r);
    for (const auto& [status, list] : by_status) {
      const RunRecord& r = *list.front();
      skipped.rows.push_back({c.problem, n, mi, c.label, std::to_string(list.size()), status, r.reason});
      skipped.csv_rows.push_back({c.problem, n, mi, tol, c.label, std::to_string(list.size()), status, r.reason});
    }
  });
  if (skipped.rows.empty()) return std::nullopt;
  return skipped;
}

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
  t.csv_columns = {"record"};
  for (const auto& f : record::record_fields()) {
    if (f.csv.empty()) continue;
    if (f.csv == "opt_") {
      for (const auto& o : options) t.csv_columns.push_back("opt_" + snake(o));
    } else {
      t.csv_columns.emplace_back(f.csv);
    }
  }
  t.csv_columns.emplace_back("iterations");
  for (const auto& s : run_statistics()) t.csv_columns.emplace_back(s.column);
  for (std::size_t i = 1; i <= reps; ++i) t.csv_columns.push_back(fmt::format("time_rep{}_s", i));
  for (std::size_t k = 0; k < m.runs.size(); ++k) {
    const RunRecord& r = m.runs[k];
    std::vector<std::string> row{m.files[k]};
    for (const auto& f : record::record_fields()) {
      if (f.csv.empty()) continue;
      if (f.csv != "opt_") {
        row.push_back(record::cell_text(f, r));
        continue;
      }
      for (const auto& o : options) {
        auto it = r.options.find(o);
        row.push_back(it == r.options.end() ? "" : it->second);
      }
    }
    row.push_back(r.rep_iterations.empty() ? "" : csv_number(r.rep_iterations.front()));
    for (const auto& s : run_statistics()) row.push_back(csv_number(s.of(r.rep_seconds)));
    for (std::size_t i = 0; i < reps; ++i) row.push_back(i < r.rep_seconds.size() ? csv_number(r.rep_seconds[i]) : "");
    t.csv_rows.push_back(std::move(row));
  }
  return t;
}

// Trajectories in long form, one row per cycle of a traced run.
Table trajectories_table(const Model& m) {
  Table t;
  t.name = "trajectories";
  t.markdown = false;
  t.csv_columns = {"experiment", "run_key", "problem", "n", "seed", "max_iter", "tolerance", "strategy", "family", "run",
                   "source", "complete", "cycle", "evaluations", "seconds", "error", "best_error"};
  std::map<std::string, std::size_t> run_number;  // (problem, N, strategy) -> runs so far
  for (const auto& r : m.runs) {
    if (!r.traced) continue;
    const std::size_t run = ++run_number[r.problem + "\x1f" + std::to_string(r.n) + "\x1f" + r.label];
    const Trajectory& tr = r.trajectory;
    for (std::size_t i = 0; i < tr.cycle.size(); ++i)
      t.csv_rows.push_back({r.experiment, r.key, r.problem, std::to_string(r.n), std::to_string(r.seed),
                            std::to_string(r.max_iter), csv_number(r.tolerance), r.label, r.family, std::to_string(run),
                            tr.source, tr.complete ? "1" : "0", csv_number(tr.cycle[i]), csv_number(tr.evaluations[i]), csv_number(tr.seconds[i]),
                            csv_number(tr.error[i]), csv_number(tr.best_error[i])});
  }
  return t;
}

std::optional<Table> estimates_table(const Model& m, const Json& experiment) {
  if (!experiment.is_object() || !experiment.contains("estimates")) return std::nullopt;
  Table est;
  est.name = "estimates";
  est.title = "Measured beside the document's estimates";
  est.note = "Estimates: " + experiment.value("estimates_source", std::string("(no source given)")) +
             ". Measured: median time per solve over seeds, this run; the unit is chosen per column.";
  std::vector<std::string> est_labels, problems, measured_labels;
  std::map<std::pair<std::string, std::size_t>, std::map<std::string, double>> cells;  // seconds
  for (const auto& e : experiment["estimates"]) {
    const std::string label = e["label"].get<std::string>(), problem = e["problem"].get<std::string>();
    if (std::find(est_labels.begin(), est_labels.end(), label) == est_labels.end()) est_labels.push_back(label);
    if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(problem);
    cells[{problem, e["n"].get<std::size_t>()}]["est:" + label] = e["ms"].get<double>() * 1e-3;
  }
  for (const auto& row : m.row_order)
    for (const auto& label : m.labels) {
      const Cell* c = m.cell(row, label);
      if (!c || std::find(problems.begin(), problems.end(), c->problem) == problems.end()) continue;
      if (std::find(measured_labels.begin(), measured_labels.end(), label) == measured_labels.end())
        measured_labels.push_back(label);
      auto& slot = cells[{c->problem, c->n}];
      if (c->seeds) slot[label] = c->time.value;
    }
  std::vector<std::string> keys;
  for (const auto& l : est_labels) keys.push_back("est:" + l);
  keys.insert(keys.end(), measured_labels.begin(), measured_labels.end());
  std::vector<TimeUnit> units;
  for (const auto& k : keys) {
    std::vector<double> v;
    for (const auto& [key, values] : cells)
      if (auto it = values.find(k); it != values.end()) v.push_back(it->second);
    units.push_back(unit_for(v));
  }
  est.columns = {"problem", "N"};
  est.csv_columns = {"problem", "n"};
  est.text_columns = 2;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool is_est = i < est_labels.size();
    const std::string l = is_est ? est_labels[i] : keys[i];
    est.columns.push_back(l + (is_est ? " (estimate, " : " (") + unit_name(units[i]) + ")");
    est.csv_columns.push_back(snake(l) + (is_est ? "_estimate_s" : "_s"));
  }
  for (const auto& problem : problems)
    for (const auto& [key, values] : cells) {
      if (key.first != problem) continue;
      std::vector<std::string> row{problem, std::to_string(key.second)};
      std::vector<std::string> crow = row;
      for (std::size_t i = 0; i < keys.size(); ++i) {
        auto it = values.find(keys[i]);
        row.push_back(it == values.end() ? "-" : time_in(it->second, units[i]));
        crow.push_back(it == values.end() ? "" : csv_number(it->second));
      }
      est.rows.push_back(std::move(row));
      est.csv_rows.push_back(std::move(crow));
    }
  return est;
}


std::optional<Table> unread_table(const Model& m) {
  Table t;
  t.name = "unreadable";
  t.title = "Records that could not be read";
  t.note = fmt::format(
      "Files of the folder that are not good run records (or not regular files), with the field and what is wrong; "
      "the tables above leave them out. {} planned run{} {} no record.",
      m.missing, m.missing == 1 ? "" : "s", m.missing == 1 ? "has" : "have");
  t.columns = {"file", "field", "what is wrong"};
  t.csv_columns = {"file", "field", "problem"};
  t.text_columns = 3;
  for (const auto& u : m.unreadable) {
    t.rows.push_back({u.file, u.field, u.what});
    t.csv_rows.push_back({u.file, u.field, u.what});
  }
  for (const auto& i : m.ignored) {
    t.rows.push_back({i, "", "not a regular file"});
    t.csv_rows.push_back({i, "", "not a regular file"});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<Table> starved_table(const Model& m) {
  Table t;
  t.name = "starved";
  t.title = "Runs whose timing was starved";
  t.note = "Repetitions whose real time was more than 1.5 times the process's CPU time: the process was stopped or "
           "shared its core, and their times (in every table above) are not comparable. Run them again on a quiet "
           "machine (remove their records and `wcs run --resume`).";
  t.columns = {"run", "strategy", "starved repetitions", "of"};
  t.csv_columns = {"run_key", "strategy", "starved", "repetitions"};
  t.text_columns = 2;
  for (const auto& r : m.runs)
    if (r.starved) {
      t.rows.push_back({r.key, r.label, std::to_string(r.starved), std::to_string(r.rep_seconds.size())});
      t.csv_rows.push_back({r.key, r.label, std::to_string(r.starved), std::to_string(r.rep_seconds.size())});
    }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::vector<Table> make_tables(const Model& m, const Json& experiment) {
  std::vector<Table> tables;
  for (auto part : {time_tables(m), speedup_tables(m), convergence_tables(m), error_tables(m), fixed_target_tables(m)})
    for (auto& t : part) tables.push_back(std::move(t));
  tables.push_back(speed_table(m));
  tables.push_back(accuracy_table(m));
  tables.push_back(cycles_table(m));
  for (auto optional : {skipped_table(m), unread_table(m), starved_table(m), estimates_table(m, experiment)})
    if (optional) tables.push_back(std::move(*optional));
  tables.push_back(runs_table(m));
  tables.push_back(trajectories_table(m));
  return tables;
}

}  // namespace wcs::report

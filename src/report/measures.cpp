#include "report/measures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "record/outcome.hpp"
#include "report/stats.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

namespace {

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / static_cast<double>(v.size());
}

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

void agreement(CellStats& s, const std::map<std::string, const RunRecord*>& exact) {
  std::set<std::string> names;
  std::vector<double> gaps;
  for (const RunRecord* r : s.cell->ok) {
    auto it = exact.find(r->instance);
    if (it == exact.end() || it->second == r) continue;
    const RunRecord& x = *it->second;
    ++s.compared;
    names.insert(x.label);
    s.agree += record::agrees(*r, x);
    gaps.push_back(record::error_gap(r->error, x.error));
  }
  for (const auto& e : names) s.agrees_with += (s.agrees_with.empty() ? "" : ", ") + e;
  s.mean_gap = mean(gaps);
}

void outcome(CellStats& s) {
  const Cell& c = *s.cell;
  std::vector<double> errors, cycles, evals, nonzero, secs;
  std::vector<bool> reached, reached_t;
  std::map<std::string, int> chose;
  for (const RunRecord* r : c.ok) {
    errors.push_back(r->error);
    s.converged += r->converged;
    s.traced += r->traced;
    s.cut += r->traced && !r->trajectory.complete;
    cycles.push_back(static_cast<double>(r->cycles));
    evals.push_back(static_cast<double>(r->evaluations));
    nonzero.push_back(static_cast<double>(r->nonzero_weights));
    reached.push_back(r->converged);
    if (!r->rep_seconds.empty()) {
      secs.push_back(median_seconds(*r));
      reached_t.push_back(r->converged);
    }
    if (auto it = r->notes.find("chose"); it != r->notes.end()) ++chose[it->second];
  }
  if (!errors.empty()) {
    s.median_error = median(errors);
    s.mean_error = mean(errors);
    s.worst_error = *std::max_element(errors.begin(), errors.end());
    s.best_error = *std::min_element(errors.begin(), errors.end());
  }
  s.mean_cycles = mean(cycles);
  s.mean_evaluations = mean(evals);
  s.mean_nonzero = mean(nonzero);
  s.ert_evaluations = ert(evals, reached);
  s.ert_seconds = ert(secs, reached_t);
  std::vector<std::pair<std::string, int>> picks(chose.begin(), chose.end());
  std::stable_sort(picks.begin(), picks.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [k, count] : picks) s.chose += fmt::format("{}{} x{}", s.chose.empty() ? "" : ", ", k, count);
}

void times(CellStats& s) {
  std::vector<double> t;
  for (const RunRecord* r : s.cell->ok) t.insert(t.end(), r->rep_seconds.begin(), r->rep_seconds.end());
  if (t.empty()) return;
  const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
  s.time_min = *lo;
  s.time_max = *hi;
}

Column key_column(std::string header, std::string csv, Format f = Format::text) {
  return Column{std::move(header), {std::move(csv)}, f, Interval::none, true};
}

Column stat_column(std::string header, std::vector<std::string> csv, Format f, Interval i = Interval::none) {
  return Column{std::move(header), std::move(csv), f, i, true};
}

// An interval is written only where it says something: a range whose ends differ.
Value range_value(double x, double lo, double hi) { return lo == hi ? number(x) : number(x, lo, hi); }

}  // namespace

Value tally_value(std::size_t k, std::size_t n) {
  const Estimate w = wilson(k, n);
  Value v = number(w.value, w.lo, w.hi);
  v.k = k;
  v.n = n;
  return v;
}

std::map<std::string, CellStats> cell_stats(const Model& m) {
  const auto exact = exact_answers(m);
  std::map<std::string, CellStats> out;
  for (const auto& [key, c] : m.cells) {
    CellStats s;
    s.cell = &c;
    times(s);
    outcome(s);
    agreement(s, exact);
    out.emplace(key, std::move(s));
  }
  return out;
}

// clang-format off
const std::vector<Measure>& measures() {
  static const std::vector<Measure> table{
    // The cell's keys.
    {"problem", key_column("problem", "problem"), [](const CellStats& s) { return text_value(s.cell->problem); }},
    {"n", key_column("N", "n", Format::count), [](const CellStats& s) { return count_value(s.cell->n); }},
    {"max_iter", key_column("max_iter", "max_iter"), [](const CellStats& s) { return text_value(std::to_string(s.cell->max_iter)); }},
    {"tolerance", key_column("tolerance", "tolerance"), [](const CellStats& s) { return text_value(csv_number(s.cell->tolerance)); }},
    {"strategy", key_column("strategy", "strategy"), [](const CellStats& s) { return text_value(s.cell->label); }},
    {"family", key_column("family", "family"), [](const CellStats& s) { return text_value(s.cell->family); }},
    // Times: the median over seeds and repetitions with its bootstrap interval.
    {"seeds", stat_column("seeds", {"seeds"}, Format::count), [](const CellStats& s) { return count_value(s.cell->seeds); }},
    {"repetitions", stat_column("repetitions", {"repetitions"}, Format::count),
     [](const CellStats& s) { return count_value(s.cell->reps); }},
    {"time", stat_column("median time", {"time_median_s", "time_ci_low_s", "time_ci_high_s"}, Format::seconds, Interval::bootstrap),
     [](const CellStats& s) { return number(s.cell->time.value, s.cell->time.lo, s.cell->time.hi); }},
    {"time_min", stat_column("fastest", {"time_min_s"}, Format::seconds), [](const CellStats& s) { return number(s.time_min); }},
    {"time_max", stat_column("slowest", {"time_max_s"}, Format::seconds), [](const CellStats& s) { return number(s.time_max); }},
    {"baseline", stat_column("baseline", {"baseline"}, Format::text), [](const CellStats& s) { return text_value(s.cell->baseline); }},
    {"speedup", stat_column("speed-up", {"speedup", "speedup_ci_low", "speedup_ci_high"}, Format::ratio, Interval::bootstrap),
     [](const CellStats& s) { return number(s.cell->speedup.value, s.cell->speedup.lo, s.cell->speedup.hi); }},
    // Convergence and error.
    {"runs", stat_column("runs", {"runs"}, Format::count), [](const CellStats& s) { return count_value(s.cell->ok.size()); }},
    {"converged", stat_column("converged", {"converged", "converged_rate", "converged_ci_low", "converged_ci_high"}, Format::tally, Interval::wilson),
     [](const CellStats& s) { return tally_value(s.converged, s.cell->ok.size()); }},
    {"error", stat_column("median error", {}, Format::real, Interval::range),
     [](const CellStats& s) { return range_value(s.median_error, s.best_error, s.worst_error); }},
    {"median_error", stat_column("median error", {"median_error"}, Format::real), [](const CellStats& s) { return number(s.median_error); }},
    {"mean_error", stat_column("mean error", {"mean_error"}, Format::real), [](const CellStats& s) { return number(s.mean_error); }},
    {"worst_error", stat_column("worst error", {"worst_error"}, Format::real), [](const CellStats& s) { return number(s.worst_error); }},
    {"agrees_with", stat_column("agrees with", {"agrees_with"}, Format::text), [](const CellStats& s) { return text_value(s.agrees_with); }},
    {"agreement", stat_column("agreement", {"", "agreement"}, Format::tally),
     [](const CellStats& s) {
       Value v = number(s.compared ? static_cast<double>(s.agree) / static_cast<double>(s.compared) : NAN);
       v.k = s.agree;
       v.n = s.compared;
       return v;
     }},
    {"mean_gap", stat_column("mean gap", {"mean_gap"}, Format::real), [](const CellStats& s) { return number(s.mean_gap); }},
    // Cycles, evaluations, weights.
    {"mean_cycles", stat_column("mean cycles", {"mean_cycles"}, Format::real), [](const CellStats& s) { return number(s.mean_cycles); }},
    {"mean_evaluations", stat_column("mean evaluations", {"mean_evaluations"}, Format::real),
     [](const CellStats& s) { return number(s.mean_evaluations); }},
    {"mean_nonzero_weights", stat_column("mean non-zero weights", {"mean_nonzero_weights"}, Format::real),
     [](const CellStats& s) { return number(s.mean_nonzero); }},
    {"chose", stat_column("chose", {"chose"}, Format::text), [](const CellStats& s) { return text_value(s.chose); }},
    {"trajectories", stat_column("trajectories", {}, Format::text),
     [](const CellStats& s) {
       return text_value(s.traced == 0 ? "" : s.cut == 0 ? std::to_string(s.traced) : fmt::format("{} ({} cut)", s.traced, s.cut));
     }},
    {"traced", stat_column("", {"traced"}, Format::count), [](const CellStats& s) { return count_value(s.traced); }},
    {"traced_cut", stat_column("", {"traced_cut"}, Format::count), [](const CellStats& s) { return count_value(s.cut); }},
    // Fixed target.
    {"reached", stat_column("reached", {"reached"}, Format::count), [](const CellStats& s) { return count_value(s.converged); }},
    {"ert_evaluations", stat_column("ERT (evaluations)", {"ert_evaluations"}, Format::real),
     [](const CellStats& s) { return number(s.ert_evaluations); }},
    {"ert_s", stat_column("ERT", {"ert_s"}, Format::seconds), [](const CellStats& s) { return number(s.ert_seconds); }},
  };
  return table;
}
// clang-format on

const Measure& measure(std::string_view key) {
  for (const auto& m : measures())
    if (m.key == key) return m;
  throw std::out_of_range("no measure '" + std::string(key) + "'");
}

}  // namespace wcs::report

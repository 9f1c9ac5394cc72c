#include "report/model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "wcs/format.hpp"

namespace wcs::report {

namespace {

constexpr std::size_t kMaxPivotColumns = 8;

}  // namespace

std::string panel_title(const Row& r) {
  return fmt::format("{} (max_iter {}, tolerance {})", r.problem, r.max_iter, format_number(r.tolerance));
}

namespace {

// Times of every cell, then speed-ups against the row's baseline: reference where it
// ran, else the experiment's `baseline:`.
void estimate(Model& m) {
  for (auto& [key, c] : m.cells) {
    Groups g;
    for (const RunRecord* r : c.ok)
      if (!r->rep_seconds.empty()) {
        g.push_back(r->rep_seconds);
        c.reps = std::max(c.reps, r->rep_seconds.size());
      }
    c.seeds = g.size();
    c.time = median_ci(g, seed_of("time\x1f" + key));
  }
  for (auto& [row, rw] : m.rows) {
    for (const std::string& cand : {std::string("reference"), m.baseline_key}) {
      const Cell* b = cand.empty() ? nullptr : m.cell(row, cand);
      if (b && b->seeds > 0) {
        rw.baseline = cand;
        break;
      }
    }
  }
  for (auto& [key, c] : m.cells) {
    const Row& rw = m.rows.at(c.row);
    if (rw.baseline.empty() || c.seeds == 0) continue;
    const Cell& b = *m.cell(c.row, rw.baseline);
    std::map<std::string, const RunRecord*> base_of;
    for (const RunRecord* r : b.ok) base_of[r->instance] = r;
    Groups num, den;
    for (const RunRecord* r : c.ok) {
      auto it = base_of.find(r->instance);
      if (it == base_of.end() || r->rep_seconds.empty() || it->second->rep_seconds.empty()) continue;
      num.push_back(it->second->rep_seconds);
      den.push_back(r->rep_seconds);
    }
    if (num.empty()) continue;
    c.baseline = rw.baseline;
    c.speedup = ratio_ci(num, den, seed_of("speedup\x1f" + key));
  }
}

// Panels: one per (problem, max_iter, tolerance) in plan order; problems with a single
// N share one panel; at most kMaxPivotColumns columns each.
void make_panels(Model& m) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& row : m.row_order) {
    const Row& r = m.rows.at(row);
    const std::string title = panel_title(r);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == title; });
    if (it == groups.end()) groups.push_back({title, {row}});
    else it->second.push_back(row);
  }
  Panel singles{"Problems of one size each", {}, {}};
  auto add_panel = [&](Panel p) {
    for (std::size_t i = 0; i < p.rows.size(); i += kMaxPivotColumns) {
      Panel part{p.title, {}, {}};
      for (std::size_t k = i; k < std::min(p.rows.size(), i + kMaxPivotColumns); ++k) {
        part.rows.push_back(p.rows[k]);
        part.headers.push_back(p.headers[k]);
      }
      if (p.rows.size() > kMaxPivotColumns) part.title += fmt::format(", part {}", i / kMaxPivotColumns + 1);
      m.panels.push_back(std::move(part));
    }
  };
  for (auto& [title, rows] : groups) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const auto& a, const auto& b) { return m.rows.at(a).n < m.rows.at(b).n; });
    if (rows.size() == 1) {
      const Row& r = m.rows.at(rows.front());
      singles.rows.push_back(rows.front());
      singles.headers.push_back(fmt::format("{} N={}", r.problem, r.n));
      continue;
    }
    Panel p{title, rows, {}};
    for (const auto& row : rows) p.headers.push_back(fmt::format("N={}", m.rows.at(row).n));
    add_panel(std::move(p));
  }
  if (!singles.rows.empty()) add_panel(std::move(singles));
}

}  // namespace

Model group(store::Records records) {
  Model m;
  m.missing = records.missing();
  m.planned = records.planned;
  m.runs = std::move(records.runs);
  m.files = std::move(records.files);
  m.unreadable = std::move(records.unreadable);
  m.ignored = std::move(records.ignored);
  if (records.experiment.is_object()) m.baseline_key = records.experiment.value("baseline", std::string());
  for (const auto& r : m.runs) {
    if (!m.family.contains(r.label)) {
      m.labels.push_back(r.label);
      m.family[r.label] = r.family;
    }
    const std::string row = row_key(r), cell = cell_key(row, r.label);
    Row& rw = m.rows[row];
    if (rw.first == SIZE_MAX) {
      m.row_order.push_back(row);
      rw = Row{row, r.problem, "", r.n, r.index, r.max_iter, r.tolerance};
    }
    Cell& c = m.cells[cell];
    if (c.first == SIZE_MAX) {
      c.key = cell;
      c.row = row;
      c.problem = r.problem;
      c.label = r.label;
      c.family = r.family;
      c.n = r.n;
      c.max_iter = r.max_iter;
      c.tolerance = r.tolerance;
      c.first = r.index;
    }
    if (r.ok()) c.ok.push_back(&r);
    else if (r.status == record::status::skipped) c.skipped.push_back(&r);
    else c.failed.push_back(&r);  // failed, non-finite, inconsistent
  }
  estimate(m);
  make_panels(m);
  return m;
}

}  // namespace wcs::report

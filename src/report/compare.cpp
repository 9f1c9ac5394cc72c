#include "report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "experiment/record.hpp"
#include "report/runs.hpp"
#include "report/stats.hpp"
#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::report {

namespace fs = std::filesystem;

namespace {

std::vector<RunRecord> load(const fs::path& dir, const char* which) {
  std::error_code ec;
  if (!fs::is_directory(dir / "runs", ec))
    throw InputError(fmt::format("{}: '{}' has no runs/ folder of run records", which, dir.string()));
  auto records = wcs::experiment::read_records(dir);
  if (records.empty()) throw InputError(fmt::format("{}: '{}' has no run records", which, dir.string()));
  return by_index(std::move(records));
}

// The distinct values of a context field over the records that ran.
std::set<std::string> values_of(const std::vector<RunRecord>& runs, const std::vector<const char*>& keys) {
  std::set<std::string> out;
  for (const auto& r : runs) {
    if (!r.ok() || r.machine.empty()) continue;
    std::string v;
    for (const char* k : keys) {
      auto it = r.machine.find(k);
      v += (v.empty() ? "" : ", ") + std::string(k) + " " + (it == r.machine.end() ? "?" : it->second);
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
  const auto a = load(a_dir, "A"), b = load(b_dir, "B");
  CompareReport out;
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
      if (!a_cells.count(key)) order.push_back(key);
      a_cells[key].push_back(&r);
    }
  for (const auto& key : order) {
    auto it = b_cells.find(key);
    if (it == b_cells.end()) continue;
    Groups ga, gb;
    std::vector<double> xa, xb;
    for (const RunRecord* ra : a_cells[key]) {
      auto jt = it->second.find(ra->instance);
      if (jt == it->second.end()) continue;
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
    out.cells.push_back(std::move(c));
  }
  return out;
}

std::string compare_markdown(const CompareReport& report, const std::string& a, const std::string& b) {
  std::string out;
  for (const auto& w : report.warnings) out += "**Warning: " + w + ".** Times from different set-ups are not comparable like for like.\n\n";
  std::vector<double> ta, tb;
  for (const auto& c : report.cells) {
    ta.push_back(c.a_seconds);
    tb.push_back(c.b_seconds);
  }
  const TimeUnit ua = unit_for(ta), ub = unit_for(tb);
  out += fmt::format("A = {}, B = {}. Ratio = B's median time / A's over the problem instances both timed, with its 95% "
                     "bootstrap interval; p: two-sided Mann-Whitney U test of the repetition times; verdict for B at the "
                     "5% level.\n\n",
                     a, b);
  out += fmt::format("| problem | N | max_iter | strategy | seeds | A ({}) | B ({}) | B / A | p | verdict |\n", unit_name(ua),
                     unit_name(ub));
  out += "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
  std::size_t faster = 0, slower = 0;
  double log_sum = 0;
  for (const auto& c : report.cells) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} [{}, {}] | {} | {} |\n", c.problem, c.n, c.max_iter, c.strategy,
                       c.instances, time_in(c.a_seconds, ua), time_in(c.b_seconds, ub), sig3(c.ratio), sig3(c.lo), sig3(c.hi),
                       sig3(c.p), c.verdict);
    faster += c.verdict == "faster";
    slower += c.verdict == "slower";
    log_sum += std::log(c.ratio);
  }
  if (report.cells.empty()) out += "\n(no cell was timed in both)\n";
  else
    out += fmt::format("\n{} cells: {} faster, {} slower, {} no difference; geometric mean of B / A: {}.\n", report.cells.size(),
                       faster, slower, report.cells.size() - faster - slower,
                       sig3(std::exp(log_sum / static_cast<double>(report.cells.size()))));
  return out;
}

std::string compare_csv(const CompareReport& report) {
  std::string out = "problem,n,max_iter,tolerance,strategy,seeds,a_time_s,b_time_s,ratio,ratio_ci_low,ratio_ci_high,p_value,verdict\n";
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  for (const auto& c : report.cells)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", field(c.problem), c.n, c.max_iter, format_number(c.tolerance),
                       field(c.strategy), c.instances, format_number(c.a_seconds), format_number(c.b_seconds),
                       format_number(c.ratio), format_number(c.lo), format_number(c.hi), format_number(c.p), c.verdict);
  return out;
}

std::vector<const Comparison*> slowdowns(const CompareReport& report, double percent) {
  std::vector<const Comparison*> out;
  for (const auto& c : report.cells)
    if (c.verdict == "slower" && c.ratio > 1 + percent / 100) out.push_back(&c);
  return out;
}

}  // namespace wcs::report

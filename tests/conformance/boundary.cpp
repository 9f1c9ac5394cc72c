#include "boundary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "wcs/line_scan.hpp"
#include "wcs/formula.hpp"
#include "wcs/strategy.hpp"

namespace wcs::test {

long long ByteDraw::between(long long lo, long long hi) {
  std::uint64_t x = 0;
  for (int k = 0; k < 8 && at_ < bytes_.size(); ++k) x = (x << 8) | bytes_[at_++];
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;  // 0: the full range
  return span == 0 ? static_cast<long long>(x) : lo + static_cast<long long>(x % span);
}

namespace {

// A decimal with 2 to 4 decimals, magnitude in [0.01, 100], either sign.
double decimal(Draw& draw) {
  const int decimals = static_cast<int>(draw.between(2, 4));
  const long long scale = decimals == 2 ? 100 : decimals == 3 ? 1000 : 10000;
  const long long units = draw.between(1, 100 * scale);
  const double x = static_cast<double>(units) / static_cast<double>(scale);
  return draw.between(0, 3) == 0 ? -x : x;
}

// Every line value, by line, of the cycle with weights `w` and WPN `wpn`, in
// reference's bit-exact form.
std::vector<double> cycle_values(const Problem& p, std::span<const double> w, double wpn) {
  const std::size_t n = p.n();
  std::vector<double> values((std::size_t{1} << n) - 1);
  for (std::uint64_t line = 1; line <= values.size(); ++line)
    values[line - 1] = line_value(p.coefficients, w, wpn, line_selection(line, n));
  return values;
}

// reference's semantics, independent of the strategy modules: every line of every
// cycle in line order, bit-exact (what the generator needs to know which cycles a
// target leads to).
SolveResult traced_run(const Problem& p) {
  struct EveryLine final : CycleSearch {
    CycleOutcome search(const CycleInput& in) override {
      return scan_lines_exact(in, -1.0).outcome(in.a.size());
    }
  } search;
  SolveOptions traced;
  traced.trace = true;
  return run_cycles(p, search, traced);
}

// Moves the target onto a line value (the largest, or a random one) of a cycle after
// the first, as that cycle is reached with the new target: the target is set to a
// value of cycle k of the current run, and kept once the run with it reaches cycle k
// through the same winners and WPN (so cycle k's lines are the same); otherwise the
// next attempt starts from the run with the new target. Returns the cycle, or 0 when
// no attempt held (the target then goes on a line value of cycle 1, which always
// holds).
long long move_to_later_cycle(Problem& p, Draw& draw, bool largest) {
  SolveResult run = traced_run(p);
  if (run.trace.size() >= 2) {
    const std::size_t k = static_cast<std::size_t>(draw.between(1, static_cast<long long>(run.trace.size()) - 1));
    const long long which = draw.between(0, (std::int64_t{1} << p.n()) - 2);
    for (int attempt = 0; attempt < 8 && run.trace.size() > k; ++attempt) {
      const auto values = cycle_values(p, run.trace[k].weights_before, run.trace[k].wpn);
      p.target = largest ? *std::max_element(values.begin(), values.end()) : values[static_cast<std::size_t>(which)];
      SolveResult again = traced_run(p);
      bool same = again.trace.size() > k;
      for (std::size_t c = 0; same && c < k; ++c)
        same = again.trace[c].combination == run.trace[c].combination && again.trace[c].wpn == run.trace[c].wpn;
      if (same) return static_cast<long long>(k) + 1;
      run = std::move(again);
    }
  }
  const auto values = cycle_values(p, std::vector<double>(p.n(), 0.0), p.initial_wpn);
  p.target = largest ? *std::max_element(values.begin(), values.end())
                     : values[static_cast<std::size_t>(draw.between(0, static_cast<long long>(values.size()) - 1))];
  return 0;
}

// `x` moved by `ulps` representable doubles (either direction).
double beside(double x, long long ulps) {
  const double toward = ulps < 0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  for (long long k = 0; k < std::llabs(ulps); ++k) x = std::nextafter(x, toward);
  return x;
}

// The lattice problem's coefficients, in units of 10^-decimals (signed), by shape.
std::vector<long long> lattice_units(Draw& draw, std::size_t n, long long scale, int shape) {
  std::vector<long long> units;
  std::vector<long long> distinct;
  for (int k = 0; k < 3; ++k) distinct.push_back(draw.between(scale, 99 * scale));
  for (std::size_t i = 0; i < n; ++i) {
    long long u = 0;
    switch (shape) {
      case 0: u = draw.between(scale, 99 * scale); break;  // uniform in [1, 99]
      case 1: u = draw.between(1, 9); break;                // a few units: many equal sums
      default: u = distinct[static_cast<std::size_t>(draw.between(0, 2))];  // equal coefficients
    }
    units.push_back(draw.between(0, 1) == 0 ? -u : u);
  }
  return units;
}

}  // namespace

Case lattice_problem(Draw& draw, std::size_t max_n) {
  Case c;
  Problem& p = c.problem;
  const std::size_t n = static_cast<std::size_t>(draw.between(3, static_cast<long long>(max_n)));
  const int decimals = static_cast<int>(draw.between(0, 6));
  long long scale = 1;
  for (int k = 0; k < decimals; ++k) scale *= 10;
  const int shape = static_cast<int>(draw.between(0, 2));
  const std::vector<long long> units = lattice_units(draw, n, scale, shape);
  // units / scale is the correctly rounded decimal, as the parser of `wcs solve` reads it.
  auto value = [&](long long u) { return static_cast<double>(u) / static_cast<double>(scale); };
  for (long long u : units) p.coefficients.push_back(value(u));
  switch (draw.between(0, 5)) {
    case 0: p.initial_wpn = 0.5; break;
    case 1: p.wpn_lo = 0.5; p.wpn_hi = 1.0; break;  // p sticks at 1: zero d terms
    case 2: p.initial_wpn = 1.5; break;
    default: break;
  }
  p.tolerance = draw.between(0, 2) == 0 ? 1.0 / static_cast<double>(scale) : 0.0;
  c.integer = decimals == 0 && p.initial_wpn != 1.5;
  p.max_iter = n > 14 ? draw.between(1, 3) : draw.between(4, 10);
  // The target: a lattice point that a subset reaches, half a unit beside one (equal
  // errors on both sides), or (small N) a line value of a later cycle.
  long long reached = 0;
  for (long long u : units)
    if (draw.between(0, 1) == 1) reached += u;
  const int where = static_cast<int>(draw.between(0, n <= 14 ? 2 : 1));
  std::string target;
  if (where == 0) {
    p.target = value(reached);
    target = "a reached lattice point";
  } else if (where == 1) {
    p.target = (static_cast<double>(reached) + 0.5) / static_cast<double>(scale);
    target = "half a unit beside a reached lattice point";
  } else {
    const long long cycle = move_to_later_cycle(p, draw, false);
    target = fmt::format("a line value of cycle {}", cycle == 0 ? 1 : cycle);
  }
  static const char* const kShapes[] = {"uniform in +-[1, 99]", "a few units", "repeated values"};
  c.label = fmt::format("N={}, lattice of {} decimals, {}, target on {}", n, decimals, kShapes[shape], target);
  return c;
}

Case boundary_problem(Draw& draw) {
  if (draw.between(0, 4) == 0) return lattice_problem(draw, 12);
  Case c;
  Problem& p = c.problem;
  const std::size_t n = static_cast<std::size_t>(draw.between(3, 12));
  const int kind = static_cast<int>(draw.between(0, 7));
  c.integer = kind == 4 || kind == 5;
  std::string label;
  switch (kind) {
    case 3: {  // equal coefficients: a few distinct decimals, each repeated
      const int distinct = static_cast<int>(draw.between(1, 3));
      std::vector<double> values;
      for (int k = 0; k < distinct; ++k) values.push_back(decimal(draw));
      for (std::size_t i = 0; i < n; ++i)
        p.coefficients.push_back(values[static_cast<std::size_t>(draw.between(0, distinct - 1))]);
      label = "equal decimals";
      break;
    }
    case 4:
    case 5:
      for (std::size_t i = 0; i < n; ++i)
        p.coefficients.push_back(static_cast<double>(draw.between(1, 99) * (draw.between(0, 2) == 0 ? -1 : 1)));
      label = "integers";
      break;
    case 7:  // some coefficients exactly 0: lines tie in every cycle
      for (std::size_t i = 0; i < n; ++i) p.coefficients.push_back(draw.between(0, 2) == 0 ? 0.0 : decimal(draw));
      if (std::all_of(p.coefficients.begin(), p.coefficients.end(), [](double a) { return a == 0.0; }))
        p.coefficients[0] = 1.25;
      label = "decimals with zeros";
      break;
    default:
      for (std::size_t i = 0; i < n; ++i) p.coefficients.push_back(decimal(draw));
      label = "decimals";
  }
  // The WPN: mostly 1; sometimes 0.5 or 2 (exact), 1.5 (inexact) or a tight clamp.
  switch (draw.between(0, 7)) {
    case 0: p.initial_wpn = 0.5; break;
    case 1: p.initial_wpn = 2.0; break;
    case 2: p.initial_wpn = 1.5; break;
    case 3: p.wpn_lo = 0.25; p.wpn_hi = 4.0; break;
    default: break;
  }
  switch (draw.between(0, 3)) {
    case 0:
    case 1: p.tolerance = 0.0; break;
    case 2: p.tolerance = std::ldexp(1.0, -static_cast<int>(draw.between(1, 30))); break;
    default: p.tolerance = std::pow(10.0, -static_cast<double>(draw.between(1, 6))); break;
  }
  p.max_iter = draw.between(4, 10);
  // Targets: on a line value (the largest, or any) of cycle 1 or of a later cycle, a
  // few ulps beside one, a .5 between integers, or a plain decimal.
  auto place = [&](bool largest) {
    std::string where = largest ? "the largest line value" : "a line value";
    if (draw.between(0, 2) != 0) {
      if (const long long cycle = move_to_later_cycle(p, draw, largest)) return fmt::format("{} of cycle {}", where, cycle);
      return where + " of cycle 1";
    }
    const auto values = cycle_values(p, std::vector<double>(p.n(), 0.0), p.initial_wpn);
    p.target = largest ? *std::max_element(values.begin(), values.end())
                       : values[static_cast<std::size_t>(draw.between(0, static_cast<long long>(values.size()) - 1))];
    return where + " of cycle 1";
  };
  switch (kind) {
    case 1:
      label += ", target on " + place(true);
      break;
    case 2: {
      const long long ulps = draw.between(1, 4) * (draw.between(0, 1) ? 1 : -1);
      const std::string where = place(draw.between(0, 1) == 1);
      p.target = beside(p.target, ulps);
      label += fmt::format(", target {} ulps beside {}", ulps, where);
      break;
    }
    case 4:
      p.target = static_cast<double>(draw.between(-300, 300)) + 0.5;
      label += ", .5 target";
      break;
    case 6:
      p.target = decimal(draw) * static_cast<double>(draw.between(1, 5));
      label += ", decimal target";
      break;
    default:
      label += ", target on " + place(false);
  }
  c.label = fmt::format("N={}, {}", n, label);
  return c;
}

std::string solve_command(const std::string& strategy, const std::map<std::string, std::string>& options,
                          const Problem& p) {
  std::string coef;
  for (double a : p.coefficients) coef += fmt::format("{}{}", coef.empty() ? "" : ",", a);
  std::string cmd = fmt::format("wcs solve --strategy {} --coef={} --target={} --tol={} --max-iter={}", strategy, coef,
                                p.target, p.tolerance, p.max_iter);
  if (p.initial_wpn != 1.0) cmd += fmt::format(" --wpn={}", p.initial_wpn);
  if (std::isfinite(p.wpn_lo) || std::isfinite(p.wpn_hi)) cmd += fmt::format(" --wpn-bounds={},{}", p.wpn_lo, p.wpn_hi);
  for (const auto& [k, v] : options) cmd += fmt::format(" --set {}={}", k, v);
  return cmd + " --trace";
}

std::optional<std::string> identical_difference(const SolveResult& got, const SolveResult& want) {
  const std::size_t cycles = std::min(got.trace.size(), want.trace.size());
  for (std::size_t k = 0; k < cycles; ++k) {
    const TraceEntry& g = got.trace[k];
    const TraceEntry& w = want.trace[k];
    if (!(g.combination == w.combination))
      return fmt::format("cycle {}: winner {} instead of reference's {}", k + 1, g.combination.to_string(),
                         w.combination.to_string());
    if (g.result != w.result) return fmt::format("cycle {}: r {} instead of reference's {}", k + 1, g.result, w.result);
    if (g.wpn != w.wpn) return fmt::format("cycle {}: p {} instead of reference's {}", k + 1, g.wpn, w.wpn);
  }
  if (got.cycles != want.cycles) return fmt::format("{} cycles instead of reference's {}", got.cycles, want.cycles);
  if (got.trace.size() != want.trace.size()) return fmt::format("{} trace entries instead of {}", got.trace.size(), want.trace.size());
  if (got.converged != want.converged) return fmt::format("converged {} instead of {}", got.converged, want.converged);
  if (got.weights != want.weights) return std::string("weights differ");
  if (got.result != want.result) return fmt::format("result {} instead of {}", got.result, want.result);
  if (got.error != want.error) return fmt::format("error {} instead of {}", got.error, want.error);
  return std::nullopt;
}

}  // namespace wcs::test

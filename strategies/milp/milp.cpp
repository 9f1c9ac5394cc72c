// `milp`: each cycle's closest subset sum solved as a mixed-integer linear programme
// by COIN-OR CBC (https://github.com/coin-or/Cbc), the solver a user would reach for
// instead of a purpose-built search: the yardstick of the exact strategies.
//
// A cycle is a closest-subset-sum problem in the base + d_i form (docs/algorithm.md):
// r(x) = base + sum_i d_i x_i over binary x. The programme is the textbook
// linearisation of an absolute value (Williams, "Model Building in Mathematical
// Programming", 5th ed., 2013, section 3.2.3):
//
//   minimise t  subject to  t - sum d_i x_i >= base - target,
//                           t + sum d_i x_i >= target - base,
//                           sum x_i >= 1 (the empty combination is no line),
//                           x_i in {0, 1}, t >= 0,
//
// with every d_i and base - target divided by S = max |d_i| so that CBC's absolute
// tolerances (integrality, primal feasibility, the gap that counts as proof) mean the
// same at any magnitude; all four are set to kTolerance. Coefficients with d_i == 0
// change no line's value (bit for bit in reference's form, src/search/exact_step.hpp),
// so they stay out of the programme; when there is one, a line of only such
// coefficients is a real line and the cardinality row is dropped.
//
// CBC runs as its command-line program does (CbcMain0/CbcMain1 with default cuts and
// heuristics), silenced, with a wall-clock time limit per cycle, repeatable threads
// (100 + n, CBC's deterministic mode) and its random seeds from SolveOptions::seed.
// Its answer is rounded to 0/1; the winner's r is then reference's bit-exact
// wcs::line_value, and the WPN rule's all-below decision is the exact step's
// (wcs::search::all_below_target), so only the choice of the line depends on CBC.
// When CBC stops on the time limit the solve goes on with the best line it found;
// the notes count such cycles and keep the largest gap to CBC's bound.
#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinError.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "search/exact_step.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/plugin.hpp"

namespace {

// The programme has N + 1 columns and 3 rows whatever N is, and a cycle costs at most
// time_limit seconds; what grows with N is the error bound (m + 4) kTolerance S of the
// README. At N = 1000 it stays near 1e-6 of the largest d_i, and N = 1000 is the
// largest size the experiments run for the strategies that do not enumerate.
constexpr std::size_t kMaxN = 1000;
// CBC's integrality, primal feasibility, absolute gap and cutoff increment, in units
// of S = max |d_i|. Clp keeps 1e-9 on a 3-row problem scaled to [-1, 1]; tighter
// values leave the LP's own rounding (about 1e-15 here) as the limit.
constexpr double kTolerance = 1e-9;

// CbcMain1 parses its arguments through globals (CbcOrClpRead_mode and
// CbcOrClpReadCommand in CbcSolver.cpp, "will need to be moved into an object ... to
// make this set of calls thread-safe"), so solves in one process take turns.
std::mutex& cbc_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Ends CBC's branch and bound at the next node once SolveOptions::stop is set. CBC
// calls it after every node (CbcModel::doOneNode), microseconds apart on this model,
// and copies it into the models it makes (CbcMain1's babModel_, sub-MIPs of heuristics).
class StopHandler final : public CbcEventHandler {
 public:
  explicit StopHandler(const std::atomic<bool>* flag) : flag_(flag) {}
  CbcAction event(CbcEvent) override { return asked() ? stop : noAction; }
  CbcAction event(CbcEvent, void*) override { return asked() ? stop : noAction; }
  CbcEventHandler* clone() const override { return new StopHandler(*this); }

 private:
  bool asked() const { return flag_->load(std::memory_order_relaxed); }
  const std::atomic<bool>* flag_;
};

struct Settings {
  double time_limit = 60.0;
  long long threads = 1;
};

// What CBC returned for one cycle, in the units of r (S times its own).
struct CbcAnswer {
  std::vector<bool> chosen;  // per column of the programme
  bool proved = false;       // the search ended (optimal within its tolerances)
  double gap = 0.0;          // incumbent - bound when not proved
  std::uint64_t nodes = 0;
};

class MilpSearch final : public wcs::CycleSearch {
 public:
  explicit MilpSearch(Settings s) : s_(s) {}

  void prepare(const wcs::Problem& problem, const wcs::SolveOptions& options) override {
    d_.assign(problem.n(), 0.0);
    stop_ = options.stop;
    // 0 would make CBC and Clp seed from the time of day: 1 .. 2^31 - 1.
    seed_ = static_cast<long long>(options.seed % 2147483646u) + 1;
    proved_all_ = true;
    stopped_cycles_ = 0;
    largest_gap_ = 0.0;
    nodes_ = 0;
  }

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    const std::size_t n = in.a.size();
    const double base = wcs::cycle_terms(in.a, in.w, in.wpn, d_);
    const wcs::search::CycleBounds bounds = wcs::search::cycle_bounds(in, base, d_);
    if (!bounds.finite)
      throw wcs::InputError(fmt::format(
          "milp: cycle {}: line values overflow (p = {}); a programme needs finite coefficients", in.cycle, in.wpn));

    active_.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (d_[i] != 0.0) active_.push_back(i);

    wcs::Combination winner(n);
    std::uint64_t lp_work = 0;
    if (active_.empty()) {
      winner.set(n - 1);  // every line has the value base: take the smallest, line 1
    } else {
      const CbcAnswer answer = solve_programme(in, base, bounds.zero_index.has_value());
      lp_work = answer.nodes + 1;  // the root's LP and one per node
      nodes_ += answer.nodes;
      if (!answer.proved) {
        proved_all_ = false;
        ++stopped_cycles_;
        largest_gap_ = std::max(largest_gap_, answer.gap);
      }
      for (std::size_t j = 0; j < active_.size(); ++j)
        if (answer.chosen[j]) winner.set(active_[j]);
      if (winner.empty()) winner.set(*bounds.zero_index);  // a line of d_i == 0 only
    }

    wcs::CycleOutcome out;
    out.winner = std::move(winner);
    out.result = wcs::line_value(in.a, in.w, in.wpn, std::as_const(out.winner));
    std::uint64_t rechecks = 0;
    out.all_below_target = wcs::search::all_below_target(in, base, d_, bounds, rechecks);
    out.evaluations = lp_work + 1 + rechecks;
    return out;
  }

  void finish(wcs::SolveResult& result) override {
    result.notes["proved"] = proved_all_ ? "yes" : "no";
    result.notes["stopped_cycles"] = std::to_string(stopped_cycles_);
    result.notes["gap"] = fmt::format("{}", largest_gap_);
    result.notes["nodes"] = std::to_string(nodes_);
  }

 private:
  CbcAnswer solve_programme(const wcs::CycleInput& in, double base, bool has_zero) {
    const auto m = static_cast<int>(active_.size());
    double scale = 0.0, reach = 0.0;
    for (std::size_t i : active_) scale = std::max(scale, std::abs(d_[i]));
    for (std::size_t i : active_) reach += std::abs(d_[i]) / scale;
    // A target beyond every line's reach (|offset| > sum |d_i| / S) leaves the sign of
    // r - target the same on every line, so any offset beyond it has the same best
    // lines; clamping keeps the row bounds far below Clp's infinity (1e30), which a
    // cycle of tiny d_i and a distant target would otherwise pass.
    const double offset = std::clamp((base - in.target) / scale, -(reach + 1), reach + 1);
    const int rows = has_zero ? 2 : 3;

    // Column-major: x_j has -d_j / S in row 0, d_j / S in row 1 and 1 in row 2; t has
    // 1 in rows 0 and 1.
    std::vector<CoinBigIndex> start;
    std::vector<int> index;
    std::vector<double> value;
    start.reserve(active_.size() + 2);
    for (std::size_t i : active_) {
      start.push_back(static_cast<CoinBigIndex>(index.size()));
      const double dj = d_[i] / scale;
      index.insert(index.end(), {0, 1});
      value.insert(value.end(), {-dj, dj});
      if (!has_zero) {
        index.push_back(2);
        value.push_back(1.0);
      }
    }
    start.push_back(static_cast<CoinBigIndex>(index.size()));
    index.insert(index.end(), {0, 1});
    value.insert(value.end(), {1.0, 1.0});
    start.push_back(static_cast<CoinBigIndex>(index.size()));

    const double inf = COIN_DBL_MAX;
    std::vector<double> col_lo(active_.size() + 1, 0.0), col_hi(active_.size() + 1, 1.0);
    col_hi.back() = inf;
    std::vector<double> objective(active_.size() + 1, 0.0);
    objective.back() = 1.0;
    const std::vector<double> row_lo{offset, -offset, 1.0}, row_hi{inf, inf, inf};

    OsiClpSolverInterface lp;
    lp.messageHandler()->setLogLevel(0);
    lp.getModelPtr()->setLogLevel(0);
    lp.loadProblem(m + 1, rows, start.data(), index.data(), value.data(), col_lo.data(), col_hi.data(),
                   objective.data(), row_lo.data(), row_hi.data());
    for (int j = 0; j < m; ++j) lp.setInteger(j);

    const std::string sec = fmt::format("{}", s_.time_limit), tol = fmt::format("{}", kTolerance);
    const std::string threads = std::to_string(100 + s_.threads), seed = std::to_string(seed_);
    std::vector<const char*> argv{
        "wcs-milp", "-log",       "0",         "-slog",         "0",         "-sec",      sec.c_str(),
        "-timeM",   "elapsed",    "-threads",  threads.c_str(), "-allow",    tol.c_str(), "-ratio",
        "0",        "-inc",       tol.c_str(), "-integerT",     tol.c_str(), "-primalT",  tol.c_str(),
        "-randomC", seed.c_str(), "-randomS",  seed.c_str(),    "-solve",    "-quit"};

    CbcAnswer answer;
    {
      const std::lock_guard<std::mutex> lock(cbc_mutex());
      CbcModel model(lp);
      model.setLogLevel(0);
      model.messageHandler()->setLogLevel(0);
      if (stop_) {
        const StopHandler handler(stop_);
        model.passInEventHandler(&handler);  // the model keeps a clone
      }
      CbcSolverUsefulData data;
      CbcMain0(model, data);
      data.noPrinting_ = true;
      try {
        CbcMain1(static_cast<int>(argv.size()), argv.data(), model, nullptr, data);
      } catch (const CoinError& e) {  // COIN-OR's own exception type, not a std::exception
        throw std::runtime_error(fmt::format("milp: cycle {}: CBC failed: {}::{}: {}", in.cycle, e.className(),
                                             e.methodName(), e.message()));
      }
      if (stop_ && stop_->load(std::memory_order_relaxed)) throw wcs::Stopped();
      const double* x = model.bestSolution();
      if (!x && model.secondaryStatus() == 4)
        throw std::runtime_error(fmt::format(
            "milp: cycle {}: CBC found no line within time_limit={} s; raise time_limit", in.cycle, s_.time_limit));
      if (!x)
        throw std::runtime_error(
            fmt::format("milp: cycle {}: CBC ended without a line (status {}, secondary status {}), which every "
                        "cycle has: a numerical failure of the solver",
                        in.cycle, model.status(), model.secondaryStatus()));
      answer.chosen.resize(active_.size());
      for (std::size_t j = 0; j < active_.size(); ++j) answer.chosen[j] = x[j] > 0.5;
      answer.proved = model.status() == 0;
      if (!answer.proved)
        answer.gap = std::max(0.0, model.getMinimizationObjValue() - model.getBestPossibleObjValue()) * scale;
      answer.nodes = static_cast<std::uint64_t>(std::max(0, model.getNodeCount()));
    }
    return answer;
  }

  Settings s_;
  std::vector<double> d_;
  std::vector<std::size_t> active_;
  const std::atomic<bool>* stop_ = nullptr;
  long long seed_ = 1;
  bool proved_all_ = true;
  std::uint64_t stopped_cycles_ = 0;
  double largest_gap_ = 0.0;
  std::uint64_t nodes_ = 0;
};

void register_milp(wcs::Registry& registry) {
  wcs::StrategyInfo info;
  info.name = "milp";
  info.family = wcs::Family::peer;
  info.description =
      "each cycle as a mixed-integer programme solved by COIN-OR CBC: min |base + sum d_i x_i - target|, x binary; "
      "exact in error within CBC's tolerances, a time limit per cycle";
  info.max_n = kMaxN;
  info.options = {
      wcs::OptionSpec::real("time_limit", 60.0, 0.0, 1e6,
                            "wall-clock seconds CBC may take per cycle; past it the best line found wins and the "
                            "notes say proved=no",
                            true),
      wcs::OptionSpec::integer("threads", 1, 1, 64, "CBC's threads per cycle (its repeatable mode)"),
  };
  registry.add(std::move(info), [](const wcs::Options& options, const wcs::Registry&) {
    return wcs::make_cycle_strategy(
        std::make_unique<MilpSearch>(Settings{options.real("time_limit"), options.integer("threads")}));
  });
}

}  // namespace

WCS_PLUGIN(register_milp)

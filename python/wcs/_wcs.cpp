// wcs._wcs: the core and its strategy plugins from Python (pybind11). The plugins
// are loaded once per process, on first use; each solve releases the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "_args.hpp"
#include "record/record.hpp"
#include "report/model.hpp"
#include "report/table.hpp"
#include "report/tables.hpp"
#include "store/folder.hpp"
#include "wcs/error.hpp"
#include "wcs/formula.hpp"
#include "wcs/format.hpp"
#include "wcs/plugin.hpp"
#include "wcs/plugin_loader.hpp"
#include "wcs/registry.hpp"
#include "wcs/strategy_list.hpp"

#ifndef WCS_VERSION
#define WCS_VERSION "unknown"
#endif

namespace py = pybind11;

namespace {

/// The process's registry: the built-in plugin folder and WCS_PLUGIN_PATH, loaded
/// on first use; more folders with load_plugin_dir(). Solves hold the lock shared
/// (the registry is read, and `auto` creates strategies through it while it runs),
/// loading holds it exclusively.
struct Engine {
  std::shared_mutex lock;
  wcs::Registry registry;
  std::vector<std::string> dirs;
  std::vector<std::string> problems;
};

/// Loads `dir` (caller holds the lock exclusively); returns the new problems.
std::vector<std::string> load_dir(Engine& e, const std::string& dir) {
  wcs::PluginReport report;
  wcs::load_plugin_dir(dir, e.registry, report);
  e.dirs.push_back(dir);
  for (const auto& p : report.problems) e.problems.push_back(p);
  return report.problems;
}

void warn(const std::vector<std::string>& problems) {
  for (const auto& p : problems)
    if (PyErr_WarnEx(PyExc_RuntimeWarning, ("wcs: plugin " + p).c_str(), 2) != 0) throw py::error_already_set();
}

Engine& engine() {
  static Engine e;
  static std::once_flag once;
  std::vector<std::string> problems;
  std::call_once(once, [&] {
    std::unique_lock guard(e.lock);
    for (const auto& d : wcs::plugin_search_path()) {
      const auto more = load_dir(e, d);
      problems.insert(problems.end(), more.begin(), more.end());
    }
  });
  warn(problems);
  return e;
}

/// A strategy option's value as the text the command line would pass.
std::string option_text(const std::string& key, const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(value)) return py::str(value);
  if (py::isinstance<py::float_>(value)) return wcs::format_number(value.cast<double>());
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  throw py::type_error(key + ": a " + std::string(py::str(value.get_type().attr("__name__"))) +
                       " is not an option value (use a bool, int, float or str)");
}


/// A JSON value as the Python object json.loads would give (numbers that are text,
/// "inf" and "nan", stay text as in `wcs solve --json`).
py::object to_python(const wcs::record::Json& j) {
  using Json = wcs::record::Json;
  switch (j.type()) {
    case Json::value_t::null: return py::none();
    case Json::value_t::boolean: return py::bool_(j.get<bool>());
    case Json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case Json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case Json::value_t::number_float: return py::float_(j.get<double>());
    case Json::value_t::string: return py::str(j.get<std::string>());
    case Json::value_t::array: {
      py::list out;
      for (const auto& x : j) out.append(to_python(x));
      return out;
    }
    default: {
      py::dict out;
      for (const auto& [k, v] : j.items()) out[py::str(k)] = to_python(v);
      return out;
    }
  }
}

/// The result of wcs.solve: the fields of `wcs solve --json`, from the record's table
/// (record/record.hpp), as attributes; weights as a numpy array. A field the table
/// declares but this result does not have (the trace of an untraced solve, the reason
/// of an ok one) reads as None.
struct Result {
  py::dict fields;  ///< in the order of `wcs solve --json`; weights as numpy
};

py::list trace_list(const std::vector<wcs::TraceEntry>& trace) {
  py::list out;
  for (const auto& t : trace) {
    py::dict e;
    e["cycle"] = t.cycle;
    e["line"] = t.line ? py::object(py::int_(*t.line)) : py::object(py::none());
    e["combination"] = t.combination.to_string();
    e["result"] = t.result;
    e["wpn"] = t.wpn;
    e["weights_before"] = py::cast(t.weights_before);
    e["evaluations"] = t.evaluations;
    out.append(std::move(e));
  }
  return out;
}

Result make_result(const std::string& strategy, const wcs::Problem& problem,
                   const std::map<std::string, std::string>& options, const wcs::SolveResult& r, double seconds,
                   bool trace) {
  const wcs::record::RunRecord record = wcs::record::solve_record(problem, strategy, options, r);
  wcs::record::Json extras{{"seconds", seconds}};
  if (trace) extras["trace_dropped"] = r.trace_dropped;
  Result out;
  out.fields = to_python(wcs::record::solve_json(record, extras));
  out.fields["weights"] = py::array_t<double>(static_cast<py::ssize_t>(r.weights.size()), r.weights.data());
  if (trace) out.fields["trace"] = trace_list(r.trace);
  return out;
}

wcs::Problem make_problem(std::vector<double> coefficients, double target, double tolerance, long long max_iter,
                          double initial_wpn, const py::object& wpn_bounds) {
  wcs::Problem problem;
  problem.coefficients = std::move(coefficients);
  problem.target = target;
  problem.tolerance = tolerance;
  problem.max_iter = max_iter;
  problem.initial_wpn = initial_wpn;
  if (!wpn_bounds.is_none()) {
    if (!(py::isinstance<py::list>(wpn_bounds) || py::isinstance<py::tuple>(wpn_bounds) ||
          py::isinstance<py::array>(wpn_bounds)))
      throw py::type_error("wpn_bounds: expected a pair (lo, hi) of real numbers, got " + wcs::python::shown(wpn_bounds));
    const auto b = wcs::python::real_numbers("wpn_bounds", wpn_bounds);
    if (b.size() != 2)
      throw wcs::InputError("wpn_bounds: " + std::string(py::repr(wpn_bounds)) + " needs two values (lo, hi)");
    problem.wpn_lo = b[0];
    problem.wpn_hi = b[1];
  }
  wcs::validate(problem);
  return problem;
}

/// Runs `work(stop)` on a worker thread with the GIL released. The calling thread
/// waits, and every 20 ms takes the GIL to run Python's signal handlers: when one
/// raises (Ctrl-C's KeyboardInterrupt), it sets `stop` (the solve polls it and throws
/// wcs::Stopped within milliseconds), waits for the worker and raises that exception.
template <class R, class Work>
R interruptible(Work work) {
  std::atomic<bool> stop{false};
  std::promise<R> promise;
  std::future<R> done = promise.get_future();
  bool interrupted = false;
  {
    py::gil_scoped_release nogil;
    std::thread worker([&] {
      try {
        promise.set_value(work(&stop));
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    });
    while (done.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {  // the exception stays set on this thread
        interrupted = true;
        stop = true;
        break;
      }
    }
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  return done.get();
}

/// The original implementation's sampled cycle (its adaptive sampling): the same
/// list of combinations, its sample, is tried in order every cycle. Line values
/// are the bit-exact form; the winner is the original's (strictly closer, or as
/// close and larger, replaces it; with early stopping the first row within the
/// tolerance ends the cycle); and, as in the original, the WPN rule looks only at
/// the rows tried.
class GivenSample final : public wcs::CycleSearch {
 public:
  GivenSample(std::vector<std::uint8_t> rows, std::size_t n, bool early_stop)
      : rows_(std::move(rows)), n_(n), early_stop_(early_stop) {}

  wcs::CycleOutcome search(const wcs::CycleInput& in) override {
    wcs::CycleOutcome out;
    const std::size_t count = rows_.size() / n_;
    std::size_t best = 0;
    double best_error = 0.0;
    out.all_below_target = true;
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint8_t* row = &rows_[k * n_];
      const double r = wcs::line_value(in.a, in.w, in.wpn, [row](std::size_t i) { return row[i] != 0; });
      const double error = std::fabs(r - in.target);
      ++out.evaluations;
      out.all_below_target = out.all_below_target && r - in.target < 0;
      const bool stop = early_stop_ && error <= in.tolerance;
      if (k == 0 || stop || error < best_error || (error == best_error && r > out.result)) {
        best = k;
        best_error = error;
        out.result = r;
      }
      if (stop) break;
    }
    out.winner = wcs::Combination(n_);
    for (std::size_t i = 0; i < n_; ++i) out.winner.set(i, rows_[best * n_ + i] != 0);
    return out;
  }

 private:
  std::vector<std::uint8_t> rows_;
  std::size_t n_;
  bool early_stop_;
};

Result solve_sample(const py::object& coefficients, double target,
                    const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& sample,
                    bool early_stop, double tolerance, long long max_iter, double initial_wpn,
                    const py::object& wpn_bounds) {
  const wcs::Problem problem = make_problem(wcs::python::real_numbers("coefficients", coefficients), target, tolerance,
                                            max_iter, initial_wpn, wpn_bounds);
  if (sample.ndim() != 2 || static_cast<std::size_t>(sample.shape(1)) != problem.n() || sample.shape(0) < 1)
    throw wcs::InputError("sample: expected a (rows >= 1, N = " + std::to_string(problem.n()) + ") array of 0/1");
  std::vector<std::uint8_t> rows(sample.data(), sample.data() + sample.size());
  for (std::size_t k = 0; k < rows.size(); k += problem.n()) {
    bool any = false;
    for (std::size_t i = 0; i < problem.n(); ++i) any = any || rows[k + i] != 0;
    if (!any) throw wcs::InputError("sample: row " + std::to_string(k / problem.n()) + " selects no coefficient");
  }
  wcs::SolveResult r;
  double seconds = 0;
  {
    py::gil_scoped_release nogil;
    GivenSample search(std::move(rows), problem.n(), early_stop);
    wcs::SolveOptions so;
    so.trace = true;
    const auto start = std::chrono::steady_clock::now();
    r = wcs::run_cycles(problem, search, so);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return make_result("original-sample", problem, {{"early_stop", early_stop ? "true" : "false"}}, r, seconds, true);
}

Result solve(const py::object& coefficients, const py::object& target, const py::object& strategy_arg,
             const py::object& tolerance, const py::object& max_iter, const py::object& seed, const py::object& trace_arg,
             const py::object& initial_wpn, const py::object& wpn_bounds, const py::kwargs& kwargs) {
  namespace arg = wcs::python;
  const std::string strategy = arg::text("strategy", strategy_arg);
  const bool trace = arg::boolean("trace", trace_arg);
  const wcs::Problem problem =
      make_problem(arg::real_numbers("coefficients", coefficients), arg::real_number("target", target),
                   arg::real_number("tolerance", tolerance), arg::integer("max_iter", max_iter),
                   arg::real_number("initial_wpn", initial_wpn), wpn_bounds);
  std::map<std::string, std::string> options;
  for (const auto& [k, v] : kwargs) {
    const std::string key = py::str(k);
    options[key] = option_text(key, v);
  }
  wcs::SolveOptions so;
  so.trace = trace;
  so.seed = arg::seed("seed", seed);

  Engine& e = engine();
  struct Solved {
    wcs::SolveResult r;
    std::map<std::string, std::string> canonical;
    double seconds = 0;
  };
  Solved s = interruptible<Solved>([&](const std::atomic<bool>* stop) {
    std::shared_lock guard(e.lock);
    wcs::Solver solver = e.registry.create(strategy, options);
    Solved out;
    out.canonical = solver.options().canonical();
    wcs::SolveOptions with_stop = so;
    with_stop.stop = stop;
    const auto start = std::chrono::steady_clock::now();
    out.r = solver.solve(problem, with_stop);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  });
  return make_result(strategy, problem, s.canonical, s.r, s.seconds, trace);
}

/// What `wcs list --json` prints, as Python objects (the same function builds both).
py::object strategies() {
  Engine& e = engine();
  std::string text;
  {
    std::shared_lock guard(e.lock);
    text = wcs::strategy_list_json(e.registry);
  }
  return py::module_::import("json").attr("loads")(text);
}

/// A results folder's runs and trajectories as the CSV text of runs.csv and
/// trajectories.csv, made by the report's own tables (wcs.load reads them into
/// DataFrames, so the columns are those of the files by construction), the records
/// that could not be read ("FILE: FIELD: what is wrong") and experiment.json.
py::dict read_results(const std::string& dir) {
  std::string runs, trajectories, experiment;
  std::vector<std::string> unreadable;
  {
    py::gil_scoped_release nogil;
    wcs::store::Records records = wcs::store::read_folder(dir);
    if (!records.experiment.is_null()) experiment = records.experiment.dump();
    const wcs::report::Model model = wcs::report::group(std::move(records));
    for (const auto& u : model.unreadable) unreadable.push_back(u.file + ": " + u.field + ": " + u.what);
    unreadable.insert(unreadable.end(), model.ignored.begin(), model.ignored.end());
    runs = wcs::report::csv(wcs::report::runs_table(model));
    trajectories = wcs::report::csv(wcs::report::trajectories_table(model));
  }
  py::dict out;
  out["runs"] = runs;
  out["trajectories"] = trajectories;
  out["unreadable"] = unreadable;
  out["experiment"] = experiment.empty() ? py::object(py::none()) : py::object(py::str(experiment));
  return out;
}

}  // namespace

PYBIND11_MODULE(_wcs, m) {
  m.doc() = "The wcs core and its strategy plugins (see the package `wcs`).";
  m.attr("__version__") = WCS_VERSION;
  // Bad input raises this ValueError with the command line's one-line message.
  py::register_exception<wcs::InputError>(m, "InputError", PyExc_ValueError);

  // Result's attributes are the fields of `wcs solve --json`, from the record's table.
  std::string doc = "What wcs.solve returns: the fields of `wcs solve --json` as attributes (weights as a numpy array).\n\n";
  py::list names;
  for (const auto& f : wcs::record::record_fields()) {
    if (!f.solve) continue;
    names.append(py::str(std::string(f.name())));
    doc += std::string(f.name()) + ": " + std::string(f.doc) + (f.unit.empty() ? "" : " (" + std::string(f.unit) + ")") + "\n";
  }
  py::class_<Result>(m, "Result", doc.c_str())
      .def("__getattr__",
           [names](const Result& r, const std::string& name) -> py::object {
             if (r.fields.contains(name)) return py::object(r.fields[py::str(name)]);
             for (const auto& n : names)
               if (n.cast<std::string>() == name) return py::none();
             throw py::attribute_error("wcs.Result has no field '" + name + "'");
           })
      .def("__dir__", [names](const Result&) { return names; })
      .def_property_readonly_static("fields", [names](const py::object&) { return names; },
                                    "The names of the fields, in the order of `wcs solve --json`.")
      .def(
          "as_dict",
          [](const Result& r) {
            py::dict d;
            for (const auto& [k, v] : r.fields) d[k] = py::isinstance<py::array>(v) ? v.attr("tolist")() : v;
            return d;
          },
          "The fields as a dict in the order of `wcs solve --json` (weights as a list).")
      .def("__repr__", [](const Result& r) {
        auto text = [&](const char* k) -> std::string {
          if (!r.fields.contains(k)) return "None";
          return py::str(py::object(r.fields[k])).cast<std::string>();
        };
        return "wcs.Result(strategy=" + text("strategy") + ", n=" + text("n") + ", status=" + text("status") +
               ", result=" + text("result") + ", error=" + text("error") + ", converged=" + text("converged") +
               ", cycles=" + text("cycles") + ")";
      });

  m.def("solve", &solve, py::arg("coefficients"), py::arg("target"), py::arg("strategy") = "auto",
        py::arg("tolerance") = 0.0, py::arg("max_iter") = 32, py::arg("seed") = 0, py::arg("trace") = false,
        py::kw_only(), py::arg("initial_wpn") = 1.0, py::arg("wpn_bounds") = py::none(),
        R"(Solves sum(a[i] * W[i]) ~ target with one strategy, as `wcs solve` does.

coefficients: a list or a one-dimensional numpy array of N numbers.
target, tolerance, max_iter, seed, initial_wpn, wpn_bounds=(lo, hi): as the
    command line's --target, --tol, --max-iter, --seed, --wpn, --wpn-bounds.
strategy: a name of wcs.strategies() ("auto" chooses and says so in notes).
trace: also return the winner of every cycle (Result.trace).
**options: the strategy's options (wcs.strategies() lists them), e.g.
    wcs.solve(a, t, "sampling", threshold=8, mode="random"); values may be bool,
    int, float or str (truth_table="table.csv" for reference).

Returns a Result with every field of `wcs solve --json` (weights as a numpy
array; Result.as_dict() gives the JSON's fields). Bad input raises ValueError
(wcs.InputError) with the command line's one-line message. The GIL is released
while the strategy runs, so threads can solve in parallel.)");
  m.def("solve_sample", &solve_sample, py::arg("coefficients"), py::arg("target"), py::arg("sample"),
        py::arg("early_stop"), py::arg("tolerance"), py::arg("max_iter"), py::arg("initial_wpn") = 1.0,
        py::arg("wpn_bounds") = py::none(),
        "The original implementation's sampled search over a given sample (rows of 0/1 per coefficient), "
        "every cycle the same rows in order; used by WeightCombinationSearch. Always traced.");
  m.def("strategies", &strategies, "Every registered strategy, as `wcs list --json` lists them.");
  m.def(
      "load_plugin_dir",
      [](const std::string& dir) {
        Engine& e = engine();
        std::vector<std::string> problems;
        {
          py::gil_scoped_release nogil;
          std::unique_lock guard(e.lock);
          problems = load_dir(e, dir);
        }
        warn(problems);
        return problems;
      },
      py::arg("dir"), "Loads the strategy modules of another folder; returns the problems (also warned).");
  m.def(
      "plugin_dirs",
      [] {
        Engine& e = engine();
        std::shared_lock guard(e.lock);
        return e.dirs;
      },
      "The plugin folders loaded, in order.");
  m.def(
      "plugin_problems",
      [] {
        Engine& e = engine();
        std::shared_lock guard(e.lock);
        return e.problems;
      },
      "Every module that could not be loaded, as 'PATH: reason'.");
  m.def("abi_fingerprint", &wcs::abi_fingerprint, "The plugin ABI fingerprint of the core library.");
  m.def("read_results", &read_results, py::arg("folder"),
        "A results folder read as `wcs report` reads it: runs.csv's and trajectories.csv's text, the records that "
        "could not be read, experiment.json (used by wcs.load).");
}

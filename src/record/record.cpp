// The table of a run record's fields and what is made from it: the JSON writer, the
// typed reader with every check, and the documentation of the fields.
#include "record/record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cfloat>

#include "wcs/format.hpp"

namespace wcs::record {

namespace {

constexpr std::array<std::string_view, 5> kStatuses{status::ok, status::skipped, status::failed, status::non_finite,
                                                    status::inconsistent};

std::string check_status(const RunRecord& r) {
  if (std::find(kStatuses.begin(), kStatuses.end(), r.status) != kStatuses.end()) return "";
  std::string valid;
  for (auto s : kStatuses) valid += fmt::format("{}{}", valid.empty() ? "" : ", ", s);
  return fmt::format("'{}' is not a status (valid: {})", r.status, valid);
}

std::string check_format(const RunRecord& r) {
  return r.format >= 1 && r.format <= kFormat
             ? ""
             : fmt::format("{} is not a record format this program reads (1 to {})", r.format, kFormat);
}

std::string check_n(const RunRecord& r) {
  return r.coefficients.size() == r.n
             ? ""
             : fmt::format("{} is not the number of coefficients ({})", r.n, r.coefficients.size());
}

std::string check_bounds(const RunRecord& r) {
  return r.wpn_bounds.size() == 2 ? "" : fmt::format("expected two values [lo, hi], found {}", r.wpn_bounds.size());
}

std::string check_columns(const RunRecord& r) {
  const Trajectory& t = r.trajectory;
  const std::size_t len = t.cycle.size();
  if (t.evaluations.size() != len || t.seconds.size() != len || t.error.size() != len || t.best_error.size() != len)
    return "the trajectory's columns have different lengths";
  return "";
}

std::string check_complete(const RunRecord& r) {
  return r.trajectory.complete == (r.trajectory.dropped == 0)
             ? ""
             : "complete must be true exactly when no cycle was dropped";
}

// The table. Each line: path, kind, unit, when, doc, runs.csv column, in `wcs solve
// --json`, since which format, where it lives, its own check.
// clang-format off: one line per field
#define WCS_AT(member) [](RunRecord& r) -> Slot { return &r.member; }
const Field kFields[] = {
    {"format", Kind::count, "", When::always,
     "format of the record (2 today; 1: before identities and trajectory completeness)", "", false, 1, WCS_AT(format),
     check_format},
    {"id", Kind::text, "", When::always,
     "16 hex digits of a hash of everything that decides the run's result; the record's file name", "", false, 1,
     WCS_AT(id), nullptr},
    {"key", Kind::text, "", When::always, "readable and stable: problem/n=/seed=/max_iter=/tol=/strategy label",
     "run_key", false, 1, WCS_AT(key), nullptr},
    {"index", Kind::count, "", When::always, "position of the run in the plan (shards take index % K == I)",
     "run_index", false, 1, WCS_AT(index), nullptr},
    {"experiment", Kind::text, "", When::always, "the experiment's name", "experiment", false, 1, WCS_AT(experiment),
     nullptr},
    {"experiment_hash", Kind::text, "", When::always, "hash of the experiment file's bytes", "", false, 1,
     WCS_AT(experiment_hash), nullptr},
    {"problem.name", Kind::text, "", When::always, "the problem entry's name", "problem", false, 1, WCS_AT(problem),
     nullptr},
    {"problem.instance", Kind::text, "", When::always, "the instance: problem/n=/seed=/max_iter=/tol=", "instance",
     false, 1, WCS_AT(instance), nullptr},
    {"problem.generator", Kind::text, "", When::always, "fixed, uniform_int or uniform_real", "generator", false, 1,
     WCS_AT(generator), nullptr},
    {"problem.n", Kind::count, "coefficients", When::always, "N, the number of coefficients", "n", true, 1, WCS_AT(n),
     check_n},
    {"problem.seed", Kind::count, "", When::always, "the generator's seed, also the solve's seed", "seed", false, 1,
     WCS_AT(seed), nullptr},
    {"problem.coefficients", Kind::reals, "", When::always, "the coefficients a[i]", "", false, 1, WCS_AT(coefficients),
     nullptr},
    {"problem.target", Kind::real, "", When::always, "the value to reach", "target", true, 1, WCS_AT(target), nullptr},
    {"problem.tolerance", Kind::real, "", When::always, "convergence when the cycle's best error is at most this",
     "tolerance", true, 1, WCS_AT(tolerance), nullptr},
    {"problem.max_iter", Kind::integer, "cycles", When::always, "most cycles to run", "max_iter", true, 1,
     WCS_AT(max_iter), nullptr},
    {"problem.initial_wpn", Kind::real, "", When::always, "the starting Weighted Possibility Number p", "", false, 1,
     WCS_AT(initial_wpn), nullptr},
    {"problem.wpn_bounds", Kind::reals, "", When::always, "[lo, hi]: p is clamped into it", "", false, 1,
     WCS_AT(wpn_bounds), check_bounds},
    {"strategy", Kind::text, "", When::always, "the strategy's name", "strategy_name", true, 1, WCS_AT(strategy),
     nullptr},
    {"strategy_identity", Kind::text, "", When::always,
     "hash of the strategy's sources and the core it was built against, made by the build", "strategy_identity", false,
     2, WCS_AT(strategy_identity), nullptr},
    {"wcs_version", Kind::text, "", When::always, "the program's version", "wcs_version", false, 1, WCS_AT(wcs_version),
     nullptr},
    {"wcs_commit", Kind::text, "", When::always,
     "the commit the program was built from, fixed at build time ('-dirty': with local changes)", "wcs_commit", false,
     2, WCS_AT(wcs_commit), nullptr},
    {"label", Kind::text, "", When::always, "the strategy with the params given in the file: sampling{mode=random}",
     "strategy", false, 1, WCS_AT(label), nullptr},
    {"family", Kind::text, "", When::always, "identical, converging or peer", "family", false, 1, WCS_AT(family),
     nullptr},
    {"params", Kind::texts, "", When::always, "the options given in the experiment file, canonical text", "", false, 1,
     WCS_AT(params), nullptr},
    {"options", Kind::texts, "", When::always, "every option of the strategy, defaults filled in, canonical text",
     "opt_", true, 1, WCS_AT(options), nullptr},
    {"timing.repetitions", Kind::integer, "", When::always, "Google Benchmark repetitions planned", "repetitions",
     false, 1, WCS_AT(repetitions), nullptr},
    {"timing.min_time", Kind::real, "s", When::always, "least time of one repetition, unless iterations is set", "",
     false, 1, WCS_AT(min_time), nullptr},
    {"timing.iterations", Kind::integer, "", When::always, "fixed solves per repetition (0: chosen by min_time)", "",
     false, 1, WCS_AT(iterations), nullptr},
    {"timing.starved", Kind::count, "repetitions", When::result,
     "repetitions whose real time was far above their CPU time (the process was stopped or starved): their times are "
     "not comparable",
     "starved", false, 2, WCS_AT(starved), nullptr},
    {"status", Kind::text, "", When::always,
     "ok, skipped (max_n), failed (the strategy threw), non-finite or inconsistent (a result that fails its checks)",
     "status", true, 1, WCS_AT(status), check_status},
    {"reason", Kind::text, "", When::not_ok,
     "why the run is not ok: the error, or the field of the result and what is wrong", "reason", true, 1,
     WCS_AT(reason), nullptr},
    {"result.weights", Kind::reals, "", When::result, "the weights W", "", true, 1, WCS_AT(weights), nullptr},
    {"result.result", Kind::real, "", When::result, "sum a[i] W[i], the last winner's r", "result", true, 1,
     WCS_AT(result), nullptr},
    {"result.error", Kind::real, "", When::result, "|result - target|", "error", true, 1, WCS_AT(error), nullptr},
    {"result.converged", Kind::flag, "", When::result, "the last cycle met the tolerance", "converged", true, 1,
     WCS_AT(converged), nullptr},
    {"result.cycles", Kind::count, "cycles", When::result, "cycles (or steps) run", "cycles", true, 1, WCS_AT(cycles),
     nullptr},
    {"result.evaluations", Kind::count, "lines", When::result, "line values computed in all", "evaluations", true, 1,
     WCS_AT(evaluations), nullptr},
    {"result.nonzero_weights", Kind::count, "weights", When::result, "weights that are not 0", "nonzero_weights", true,
     1, WCS_AT(nonzero_weights), nullptr},
    {"result.notes", Kind::texts, "", When::result,
     "facts of the strategy: what auto chose, the SIMD target, exact ties, ...", "notes", true, 1, WCS_AT(notes),
     nullptr},
    {"trajectory.source", Kind::text, "", When::traced,
     "trace (one point per cycle) or final (one point: a strategy that keeps no trace)", "trajectory", false, 1,
     WCS_AT(trajectory.source), nullptr},
    {"trajectory.complete", Kind::flag, "", When::traced, "every cycle is in the trajectory (false: a cap cut it)",
     "trajectory_complete", false, 2, WCS_AT(trajectory.complete), check_complete},
    {"trajectory.dropped", Kind::count, "cycles", When::traced, "cycles left out of the trajectory", "", false, 2,
     WCS_AT(trajectory.dropped), nullptr},
    {"trajectory.cycle", Kind::counts, "", When::traced, "per point: the cycle", "", false, 1, WCS_AT(trajectory.cycle),
     check_columns},
    {"trajectory.evaluations", Kind::counts, "lines", When::traced, "per point: line values computed so far", "", false,
     1, WCS_AT(trajectory.evaluations), nullptr},
    {"trajectory.seconds", Kind::reals, "s", When::traced,
     "per point: seconds since the traced solve started (nan: not measured)", "", false, 1, WCS_AT(trajectory.seconds),
     nullptr},
    {"trajectory.error", Kind::reals, "", When::traced, "per point: |r - target| of the cycle's winner", "", false, 1,
     WCS_AT(trajectory.error), nullptr},
    {"trajectory.best_error", Kind::reals, "", When::traced, "per point: the smallest error so far", "", false, 1,
     WCS_AT(trajectory.best_error), nullptr},
    {"context.host_name", Kind::text, "", When::context, "the machine's name", "host_name", false, 1,
     WCS_AT(machine.host_name), nullptr},
    {"context.num_cpus", Kind::text, "", When::context, "its CPUs", "", false, 1, WCS_AT(machine.num_cpus), nullptr},
    {"context.mhz_per_cpu", Kind::text, "MHz", When::context, "their clock", "", false, 1, WCS_AT(machine.mhz_per_cpu),
     nullptr},
    {"context.simd_target", Kind::text, "", When::context, "the instruction set the fastest kernel chose",
     "simd_target", false, 1, WCS_AT(machine.simd_target), nullptr},
    {"context.build_type", Kind::text, "", When::context, "release, debugoptimized, ...", "build_type", false, 1,
     WCS_AT(machine.build_type), nullptr},
    {"context.compiler", Kind::text, "", When::context, "the compiler and its version", "compiler", false, 1,
     WCS_AT(machine.compiler), nullptr},
    {"context.cxx_flags", Kind::text, "", When::context, "the build's flags", "", false, 1, WCS_AT(machine.cxx_flags),
     nullptr},
    {"context.git_commit", Kind::text, "", When::context, "the commit the program was built from", "git_commit", false,
     1, WCS_AT(machine.git_commit), nullptr},
    {"context.git_dirty", Kind::text, "", When::context, "true when it was built with local changes", "", false, 1,
     WCS_AT(machine.git_dirty), nullptr},
    {"seconds", Kind::real, "s", When::solve_only, "wall time of the solve itself", "", true, 1, nullptr, nullptr},
    {"trace_dropped", Kind::count, "cycles", When::solve_only,
     "cycles traced beyond the trace's memory bound, not kept (with the trace)", "", true, 1, nullptr, nullptr},
    {"trace", Kind::entries, "", When::solve_only,
     "per cycle: cycle, line, combination, result, wpn, weights_before, evaluations (when traced)", "", true, 1,
     nullptr, nullptr},
};
#undef WCS_AT
// clang-format on

// A value of one kind as JSON.
Json real_json(double x) { return std::isfinite(x) ? Json(x) : Json(format_number(x)); }

// A value as JSON: counts kept as doubles (trajectory columns) as the integers they are.
Json value_json(const Field& f, const Slot& s) {
  return std::visit(
      [&f](auto* p) -> Json {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) {
          return real_json(*p);
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          Json out = Json::array();
          for (double x : *p) out.push_back(f.kind == Kind::counts ? Json(whole(x)) : real_json(x));
          return out;
        } else {
          return Json(*p);
        }
      },
      s);
}

// Where a path of the `wcs` object lands in `j`, made on the way.
Json& at_path(Json& j, std::string_view path) {
  Json* cur = &j;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    const std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    cur = &(*cur)[part];
    if (dot == std::string_view::npos) return *cur;
    start = dot + 1;
  }
}

// The value at a path, or nullptr.
const Json* find_path(const Json& j, std::string_view path) {
  const Json* cur = &j;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    const std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string_view::npos) return cur;
    start = dot + 1;
  }
}

bool written(const Field& f, const RunRecord& r) {
  switch (f.when) {
    case When::always:
      return true;
    case When::result:
      return r.has_result();
    case When::not_ok:
      return !r.ok();
    case When::traced:
      return r.traced;
    case When::context:
    case When::solve_only:
      return false;
  }
  return false;
}

// Short text of a JSON value for messages.
std::string shown(const Json& v) {
  std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// A number, or the text of a non-finite one; nullopt when it is neither.
std::optional<double> real_of(const Json& v, bool null_is_nan) {
  if (v.is_number()) return v.get<double>();
  if (v.is_null() && null_is_nan) return NAN;  // format 1 wrote an unmeasured time as null
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "inf" || s == "+inf") return INFINITY;
    if (s == "-inf") return -INFINITY;
    if (s == "nan" || s == "-nan") return NAN;
    try {
      return parse_number(s, "number");
    } catch (const InputError&) {
    }
  }
  return std::nullopt;
}

// Reads one value of the field's kind into its slot; returns what is wrong, or "".
std::string read_value(const Json& v, const Slot& slot, bool old) {
  return std::visit(
      [&](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!v.is_string()) return "expected a string, found " + shown(v);
          *p = v.get<std::string>();
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          // A JSON parser gives an unsigned integer; a record made in memory may hold a
          // signed one that is not negative.
          if (!v.is_number_unsigned() && !(v.is_number_integer() && v.template get<std::int64_t>() >= 0))
            return "expected an unsigned integer, found " + shown(v);
          *p = v.template get<std::uint64_t>();
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          if (!v.is_number_integer()) return "expected an integer, found " + shown(v);
          *p = v.get<std::int64_t>();
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!v.is_boolean()) return "expected true or false, found " + shown(v);
          *p = v.get<bool>();
        } else if constexpr (std::is_same_v<T, double>) {
          const auto x = real_of(v, false);
          if (!x) return "expected a number, found " + shown(v);
          *p = *x;
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          if (!v.is_array()) return "expected an array of numbers, found " + shown(v);
          p->clear();
          p->reserve(v.size());
          for (std::size_t i = 0; i < v.size(); ++i) {
            const auto x = real_of(v[i], old);
            if (!x) return fmt::format("expected numbers, found {} at [{}]", shown(v[i]), i);
            p->push_back(*x);
          }
        } else {
          if (!v.is_object()) return "expected an object of texts, found " + shown(v);
          p->clear();
          for (const auto& [k, x] : v.items()) {
            if (!x.is_string()) return fmt::format("expected texts, found {} at .{}", shown(x), k);
            (*p)[k] = x.template get<std::string>();
          }
        }
        return "";
      },
      slot);
}

// The repetitions of Google Benchmark's part: real and CPU time per solve, iterations.
void read_benchmarks(RunRecord& r, const std::string& file) {
  if (!r.benchmarks.is_array())
    throw RecordError(file, "benchmarks", "expected an array, found " + shown(r.benchmarks));
  for (std::size_t i = 0; i < r.benchmarks.size(); ++i) {
    const Json& b = r.benchmarks[i];
    const std::string where = fmt::format("benchmarks[{}]", i);
    if (!b.is_object()) throw RecordError(file, where, "expected an object, found " + shown(b));
    auto text = [&](const char* k, const char* dflt) {
      auto it = b.find(k);
      if (it == b.end()) return std::string(dflt);
      if (!it->is_string()) throw RecordError(file, where + "." + k, "expected a string, found " + shown(*it));
      return it->get<std::string>();
    };
    auto number = [&](const char* k) -> double {
      auto it = b.find(k);
      if (it == b.end()) return NAN;
      const auto x = real_of(*it, true);
      if (!x) throw RecordError(file, where + "." + k, "expected a number, found " + shown(*it));
      return *x;
    };
    if (auto it = b.find("error_occurred"); it != b.end() && !it->is_boolean())
      throw RecordError(file, where + ".error_occurred", "expected true or false, found " + shown(*it));
    if (b.value("error_occurred", false)) {
      r.rep_seconds.clear();
      r.rep_cpu_seconds.clear();
      r.rep_iterations.clear();
      return;
    }
    if (text("run_type", "iteration") == "aggregate") continue;
    const std::string unit = text("time_unit", "ns");
    const double scale = unit == "ns" ? 1e-9 : unit == "us" ? 1e-6 : unit == "ms" ? 1e-3 : 1.0;
    r.rep_seconds.push_back(number("real_time") * scale);
    r.rep_cpu_seconds.push_back(number("cpu_time") * scale);
    r.rep_iterations.push_back(number("iterations"));
  }
}

// Context fields: "wcs_<name>" (the harness's keys) or "<name>" (Google Benchmark's).
void read_context(RunRecord& r) {
  if (!r.context.is_object()) return;
  for (const Field& f : kFields) {
    if (f.when != When::context) continue;
    const std::string name(f.name());
    const Json* v = r.context.contains("wcs_" + name) ? &r.context["wcs_" + name]
                    : r.context.contains(name)        ? &r.context[name]
                                                      : nullptr;
    if (!v || v->is_null()) continue;
    *std::get<std::string*>(f.slot(r)) = v->is_string() ? v->get<std::string>() : v->dump();
  }
}

}  // namespace

std::span<const std::string_view> statuses() { return kStatuses; }

std::string_view Field::name() const {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::span<const Field> record_fields() { return kFields; }

const Field* find_field(std::string_view path) {
  for (const Field& f : kFields)
    if (f.path == path) return &f;
  return nullptr;
}

std::uint64_t whole(double x) { return x >= 0 && x < 1.8e19 ? static_cast<std::uint64_t>(x) : 0; }

Json to_json(const RunRecord& record) {
  RunRecord& r = const_cast<RunRecord&>(record);  // slots are only read here
  Json j = Json::object();
  for (const Field& f : kFields)
    if (written(f, record)) at_path(j, f.path) = value_json(f, f.slot(r));
  return j;
}

Json to_file_json(const RunRecord& record) {
  Json j;
  j["context"] = record.context;
  j["benchmarks"] = record.benchmarks;
  j["wcs"] = to_json(record);
  return j;
}

RecordError::RecordError(std::string file, std::string field, std::string what)
    : InputError(fmt::format("{}: {}: {}", file, field, what)),
      file_(std::move(file)),
      field_(std::move(field)),
      what_(std::move(what)) {}

RunRecord from_json(const Json& j, const std::string& file) {
  if (!j.is_object())
    throw RecordError(file, "(record)", "expected a JSON object (a wcs run record), found " + shown(j));
  const auto wit = j.find("wcs");
  if (wit == j.end() || !wit->is_object())
    throw RecordError(file, "wcs", wit == j.end() ? "missing" : "expected an object, found " + shown(*wit));
  const Json& w = *wit;
  RunRecord r;
  // What decides which fields must be there: the format, the status, a trajectory.
  for (const char* early : {"format", "status"}) {
    const Field& f = *find_field(early);
    const Json* v = find_path(w, f.path);
    if (!v && f.path == "format") continue;  // format 1 records of the first version had none
    if (!v) throw RecordError(file, "wcs.status", "missing");
    if (std::string bad = read_value(*v, f.slot(r), false); !bad.empty())
      throw RecordError(file, "wcs." + std::string(f.path), bad);
    if (std::string bad = f.check(r); !bad.empty()) throw RecordError(file, "wcs." + std::string(f.path), bad);
  }
  r.traced = w.contains("trajectory");
  const bool old = r.format < kFormat;
  for (const Field& f : kFields) {
    if (f.when == When::context || f.when == When::solve_only) continue;
    const std::string where = "wcs." + std::string(f.path);
    const Json* v = find_path(w, f.path);
    if (!v) {
      const bool required = written(f, r) && r.format >= f.since;
      if (required) throw RecordError(file, where, "missing");
      continue;
    }
    if (!written(f, r)) continue;  // a field the status does not have (a reason of an ok run) is not read
    if (std::string bad = read_value(*v, f.slot(r), old); !bad.empty()) throw RecordError(file, where, bad);
  }
  if (old) {  // format 1: the identity was a typed version
    if (const Json* v = find_path(w, "strategy_version"); v && v->is_string())
      r.strategy_identity = v->get<std::string>();
    r.trajectory.complete = r.trajectory.dropped == 0;
  }
  for (const Field& f : kFields)
    if (f.check && written(f, r))
      if (std::string bad = f.check(r); !bad.empty()) throw RecordError(file, "wcs." + std::string(f.path), bad);
  if (auto it = j.find("context"); it != j.end()) {
    if (!it->is_object()) throw RecordError(file, "context", "expected an object, found " + shown(*it));
    r.context = *it;
  }
  if (auto it = j.find("benchmarks"); it != j.end()) r.benchmarks = *it;
  read_benchmarks(r, file);
  read_context(r);
  const std::string stem = std::filesystem::path(file).stem().string();
  if (std::filesystem::path(file).extension() == ".json" && stem != r.id)
    throw RecordError(
        file, "wcs.id",
        "'" + r.id + "' is not the record's file name " + std::filesystem::path(file).filename().string());
  // An ok record whose result fails the checks (written by an older program, or
  // edited) is read as the fault it is: listed with the failures, never counted.
  if (r.ok())
    if (auto fault = check_result(r)) {
      r.status = fault->first;
      r.reason = "read as " + fault->first + ": " + fault->second;
    }
  return r;
}

std::optional<std::pair<std::string, std::string>> check_result(const RunRecord& r) {
  auto fault = [](std::string_view status, std::string what) {
    return std::make_optional(std::make_pair(std::string(status), std::move(what)));
  };
  for (std::size_t i = 0; i < r.weights.size(); ++i)
    if (!std::isfinite(r.weights[i]))
      return fault(status::non_finite,
                   fmt::format("result.weights: W[{}] = {} is not finite", i, format_number(r.weights[i])));
  if (!std::isfinite(r.result))
    return fault(status::non_finite, fmt::format("result.result: {} is not finite", format_number(r.result)));
  if (!std::isfinite(r.error))
    return fault(status::non_finite, fmt::format("result.error: {} is not finite", format_number(r.error)));
  if (r.weights.size() != r.n)
    return fault(status::inconsistent, fmt::format("result.weights: {} weights for N = {}", r.weights.size(), r.n));
  // error = |result - target|, up to the rounding of that one subtraction.
  const double diff = std::fabs(r.result - r.target);
  if (std::fabs(r.error - diff) > 2 * DBL_EPSILON * (std::fabs(r.result) + std::fabs(r.target)) + DBL_MIN)
    return fault(status::inconsistent, fmt::format("result.error: {} is not |result - target| = {}",
                                                   format_number(r.error), format_number(diff)));
  // result = sum a[i] W[i], up to the rounding of either way of adding the terms: each
  // computed sum of N products lies within (N + 1) eps sum |a W| of the real one.
  double sum = 0, magnitude = 0;
  std::uint64_t nonzero = 0;
  for (std::size_t i = 0; i < r.weights.size() && i < r.coefficients.size(); ++i) {
    sum += r.coefficients[i] * r.weights[i];
    magnitude += std::fabs(r.coefficients[i] * r.weights[i]);
    nonzero += r.weights[i] != 0.0;
  }
  const double bound = 2 * static_cast<double>(r.n + 2) * DBL_EPSILON * magnitude + DBL_MIN;
  if (std::isfinite(bound) && std::fabs(r.result - sum) > bound)
    return fault(status::inconsistent, fmt::format("result.result: {} is not sum a[i] W[i] = {}",
                                                   format_number(r.result), format_number(sum)));
  if (r.converged && !(r.error <= r.tolerance))
    return fault(status::inconsistent, fmt::format("result.converged: true with error {} above the tolerance {}",
                                                   format_number(r.error), format_number(r.tolerance)));
  if (r.nonzero_weights != nonzero)
    return fault(status::inconsistent,
                 fmt::format("result.nonzero_weights: {} but {} weights are not 0", r.nonzero_weights, nonzero));
  return std::nullopt;
}

bool present(const Field& f, const RunRecord& r) {
  if (f.when == When::context) return !std::get<std::string*>(f.slot(const_cast<RunRecord&>(r)))->empty();
  return written(f, r);
}

std::string cell_text(const Field& f, const RunRecord& record) {
  if (!present(f, record)) return "";
  RunRecord& r = const_cast<RunRecord&>(record);
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) return *p;
        else if constexpr (std::is_same_v<T, bool>) return *p ? "1" : "0";
        else if constexpr (std::is_same_v<T, double>) return std::isnan(*p) ? "" : format_number(*p);
        else if constexpr (std::is_same_v<T, std::vector<double>>) return format_weights(*p);
        else if constexpr (std::is_same_v<T, Texts>) {
          std::string out;
          for (const auto& [k, v] : *p) out += (out.empty() ? "" : "; ") + k + "=" + v;
          return out;
        } else return std::to_string(*p);
      },
      f.slot(r));
}

void set_result(RunRecord& r, const SolveResult& s) {
  r.status = status::ok;
  r.reason.clear();
  r.weights = s.weights;
  r.result = s.result;
  r.error = s.error;
  r.converged = s.converged;
  r.cycles = s.cycles < 0 ? 0 : static_cast<std::uint64_t>(s.cycles);
  r.evaluations = s.evaluations;
  r.nonzero_weights = s.nonzero_weights();
  r.notes = s.notes;
  if (auto fault = check_result(r)) {
    r.status = fault->first;
    r.reason = fault->second;
  }
}

void set_problem(RunRecord& r, const Problem& p) {
  r.n = p.n();
  r.coefficients = p.coefficients;
  r.target = p.target;
  r.tolerance = p.tolerance;
  r.max_iter = p.max_iter;
  r.initial_wpn = p.initial_wpn;
  r.wpn_bounds = {p.wpn_lo, p.wpn_hi};
}

RunRecord solve_record(const Problem& p, const std::string& strategy, const Texts& options, const SolveResult& result) {
  RunRecord r;
  set_problem(r, p);
  r.strategy = strategy;
  r.label = strategy;
  r.options = options;
  set_result(r, result);
  return r;
}

Json solve_json(const RunRecord& record, const Json& extras) {
  RunRecord& r = const_cast<RunRecord&>(record);
  Json j = Json::object();
  for (const Field& f : kFields) {
    if (!f.solve) continue;
    const std::string name(f.name());
    if (f.when == When::solve_only) {
      if (extras.contains(name)) j[name] = extras[name];
      continue;
    }
    if (present(f, record)) j[name] = value_json(f, f.slot(r));
  }
  return j;
}

namespace {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::text:
      return "text";
    case Kind::count:
      return "count";
    case Kind::integer:
      return "integer";
    case Kind::real:
      return "real";
    case Kind::flag:
      return "flag";
    case Kind::reals:
      return "reals";
    case Kind::counts:
      return "counts";
    case Kind::entries:
      return "entries";
    case Kind::texts:
      return "texts";
  }
  return "?";
}

const char* when_name(When w) {
  switch (w) {
    case When::always:
      return "always";
    case When::result:
      return "with a result";
    case When::not_ok:
      return "unless ok";
    case When::traced:
      return "when traced";
    case When::context:
      return "context";
    case When::solve_only:
      return "solve only";
  }
  return "?";
}

}  // namespace

std::string fields_markdown() {
  std::string out =
      "| field | kind | unit | present | runs.csv | solve | what it holds |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const Field& f : kFields) {
    std::string csv(f.csv);
    if (csv == "opt_") csv = "opt_<option>";
    out +=
        fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", f.path, kind_name(f.kind), f.unit.empty() ? "" : f.unit,
                    when_name(f.when), csv.empty() ? "" : "`" + csv + "`", f.solve ? "yes" : "", f.doc);
  }
  return out;
}

Json fields_json() {
  Json out = Json::array();
  for (const Field& f : kFields)
    out.push_back({{"path", f.path},
                   {"name", f.name()},
                   {"kind", kind_name(f.kind)},
                   {"unit", f.unit},
                   {"present", when_name(f.when)},
                   {"csv", f.csv},
                   {"solve", f.solve},
                   {"since", f.since},
                   {"doc", f.doc}});
  return out;
}

}  // namespace wcs::record

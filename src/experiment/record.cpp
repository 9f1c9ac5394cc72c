#include "experiment/record.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::experiment {

namespace fs = std::filesystem;

namespace {

// This host's name as it appears in temporary file names (no '/').
const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {0};
    std::string h = ::gethostname(buf, sizeof buf - 1) == 0 && buf[0] ? buf : "localhost";
    std::replace(h.begin(), h.end(), '/', '_');
    return h;
  }();
  return name;
}

// fsync of a folder, so the names in it (a new file, a rename) are on disk. File
// systems that cannot sync a folder (EINVAL) are left as they are.
void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err == EIO) throw std::runtime_error("cannot sync folder " + dir.string() + ": " + std::strerror(err));
}

[[noreturn]] void fail_write(const fs::path& tmp, const char* what, int err) {
  ::unlink(tmp.c_str());
  throw std::runtime_error(fmt::format("cannot {} {}: {}", what, tmp.string(), std::strerror(err)));
}

}  // namespace

void write_atomic(const fs::path& path, const std::string& text) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (fs::create_directories(dir)) sync_folder(dir.has_parent_path() ? dir.parent_path() : fs::path("."));
  const fs::path tmp = path.string() + fmt::format(".tmp.{}.{}", host_name(), static_cast<long>(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      fail_write(tmp, "write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail_write(tmp, "sync", err);
  }
  if (::close(fd) != 0) fail_write(tmp, "close", errno);
  sync_folder(dir);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), std::strerror(err)));
  }
  sync_folder(dir);
}

std::size_t remove_stale_temporaries(const fs::path& dir) {
  std::size_t removed = 0;
  const auto now = fs::file_time_type::clock::now();
  for (const fs::path& folder : {dir, dir / "runs", dir / "tables"}) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      const std::string name = e.path().filename().string();
      const auto at = name.rfind(".tmp.");
      if (at == std::string::npos || at == 0) continue;
      // <file>.tmp.<host>.<pid>, or <file>.tmp.<pid> of earlier versions (this host).
      const std::string tail = name.substr(at + 5);
      const auto dot = tail.rfind('.');
      const std::string host = dot == std::string::npos ? host_name() : tail.substr(0, dot);
      const std::string pid_text = dot == std::string::npos ? tail : tail.substr(dot + 1);
      const std::optional<long long> pid = to_integer(pid_text);
      if (!pid || *pid <= 0 || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
      bool stale = false;
      if (host == host_name()) {
        stale = ::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH;
      } else {
        const auto written = fs::last_write_time(e.path(), ec);
        stale = !ec && now - written > std::chrono::hours(1);
      }
      if (stale && fs::remove(e.path(), ec)) ++removed;
    }
  }
  return removed;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path record_path(const fs::path& dir, const std::string& id) { return dir / "runs" / (id + ".json"); }

Json experiment_json(const Plan& plan) {
  Json j;
  j["name"] = plan.name;
  j["description"] = plan.description;
  j["file"] = fs::path(plan.file).filename().string();
  j["file_hash"] = plan.file_hash;
  j["wcs_version"] = plan.wcs_version;
  j["seeds"] = plan.seeds;
  j["runs_planned"] = plan.runs.size();
  if (!plan.baseline.empty()) j["baseline"] = plan.baseline;
  if (!plan.estimates.empty()) {
    j["estimates_source"] = plan.estimates_source;
    Json list = Json::array();
    for (const auto& e : plan.estimates) list.push_back({{"problem", e.problem}, {"label", e.label}, {"n", e.n}, {"ms", e.ms}});
    j["estimates"] = std::move(list);
  }
  return j;
}

RunRecord plan_record(const Plan& plan, const Run& run) {
  const Instance& inst = plan.instances[run.instance];
  const Problem& p = inst.problem_data;
  RunRecord r;
  r.id = run.id;
  r.key = run.key;
  r.index = run.index;
  r.experiment = plan.name;
  r.experiment_hash = plan.file_hash;
  r.problem = inst.problem;
  r.instance = inst.key;
  r.generator = inst.generator;
  r.n = p.n();
  r.seed = inst.seed;
  r.coefficients = p.coefficients;
  r.target = p.target;
  r.tolerance = p.tolerance;
  r.max_iter = p.max_iter;
  r.initial_wpn = p.initial_wpn;
  r.wpn_lo = format_number(p.wpn_lo);
  r.wpn_hi = format_number(p.wpn_hi);
  r.strategy = run.strategy;
  r.strategy_version = run.strategy_version;
  r.wcs_version = plan.wcs_version;
  r.label = run.label;
  r.family = run.family;
  r.params = run.params;
  r.options = run.options;
  r.repetitions = run.timing.repetitions;
  r.min_time = run.timing.min_time;
  r.iterations = run.timing.iterations;
  return r;
}

void set_result(RunRecord& r, const SolveResult& s) {
  r.status = "ok";
  r.reason.clear();
  r.weights = s.weights;
  r.result = s.result;
  r.error = s.error;
  r.converged = s.converged;
  r.cycles = s.cycles;
  r.evaluations = s.evaluations;
  r.nonzero_weights = s.nonzero_weights();
  r.notes = s.notes;
}

void set_trajectory(RunRecord& r, const SolveResult& s, double wall_seconds) {
  Trajectory t;
  double best_so_far = INFINITY;
  auto add = [&](long long c, std::uint64_t e, double sec, double err) {
    best_so_far = std::min(best_so_far, err);
    t.cycle.push_back(static_cast<double>(c));
    t.evaluations.push_back(static_cast<double>(e));
    t.seconds.push_back(sec);
    t.error.push_back(err);
    t.best_error.push_back(best_so_far);
  };
  // A strategy that keeps no per-cycle trace gives one point: its final state, at the
  // solve's own wall time.
  for (const auto& e : s.trace) add(e.cycle, e.evaluations, e.seconds, std::fabs(e.result - r.target));
  if (s.trace.empty()) add(s.cycles, s.evaluations, wall_seconds, s.error);
  t.source = s.trace.empty() ? "final" : "trace";
  r.trajectory = std::move(t);
}

namespace {

// A JSON number, or the text of a non-finite one (JSON has no infinity).
Json finite_or_text(double x) { return std::isfinite(x) ? Json(x) : Json(format_number(x)); }

// A count kept as a double (trajectories): written as the integer it is.
template <class Int>
Json whole(const std::vector<double>& v) {
  Json out = Json::array();
  for (double x : v) out.push_back(static_cast<Int>(x));
  return out;
}

}  // namespace

Json RunRecord::wcs_json() const {
  Json j;
  j["format"] = 1;
  j["id"] = id;
  j["key"] = key;
  j["index"] = index;
  j["experiment"] = experiment;
  j["experiment_hash"] = experiment_hash;
  Json pj;
  pj["name"] = problem;
  pj["instance"] = instance;
  pj["generator"] = generator;
  pj["n"] = n;
  pj["seed"] = seed;
  pj["coefficients"] = coefficients;
  pj["target"] = target;
  pj["tolerance"] = tolerance;
  pj["max_iter"] = max_iter;
  pj["initial_wpn"] = initial_wpn;
  pj["wpn_bounds"] = {wpn_lo, wpn_hi};
  j["problem"] = std::move(pj);
  j["strategy"] = strategy;
  j["strategy_version"] = strategy_version;
  j["wcs_version"] = wcs_version;
  j["label"] = label;
  j["family"] = family;
  j["params"] = params;
  j["options"] = options;
  j["timing"] = {{"repetitions", repetitions}, {"min_time", min_time}, {"iterations", iterations}};
  j["status"] = status;
  if (!ok()) {
    j["reason"] = reason;
    return j;
  }
  Json res;
  res["weights"] = weights;
  // Non-finite values (a diverging run) would be written as null: keep their text.
  const bool finite = std::isfinite(result) && std::isfinite(error);
  res["result"] = finite ? Json(result) : Json(format_number(result));
  res["error"] = finite ? Json(error) : Json(format_number(error));
  res["converged"] = converged;
  res["cycles"] = cycles;
  res["evaluations"] = evaluations;
  res["nonzero_weights"] = nonzero_weights;
  res["notes"] = notes;
  j["result"] = std::move(res);
  if (trajectory) {
    const Trajectory& t = *trajectory;
    Json tj;
    tj["source"] = t.source;
    tj["cycle"] = whole<long long>(t.cycle);
    tj["evaluations"] = whole<std::uint64_t>(t.evaluations);
    Json seconds = Json::array(), err = Json::array(), best = Json::array();
    for (std::size_t i = 0; i < t.cycle.size(); ++i) {
      seconds.push_back(std::isnan(t.seconds[i]) ? Json(nullptr) : Json(t.seconds[i]));
      err.push_back(finite_or_text(t.error[i]));
      best.push_back(finite_or_text(t.best_error[i]));
    }
    tj["seconds"] = std::move(seconds);
    tj["error"] = std::move(err);
    tj["best_error"] = std::move(best);
    j["trajectory"] = std::move(tj);
  }
  return j;
}

Json RunRecord::json() const {
  Json j;
  j["context"] = context;
  j["benchmarks"] = benchmarks;
  j["wcs"] = wcs_json();
  return j;
}

double to_seconds(double value, const std::string& unit) {
  if (unit == "ns") return value * 1e-9;
  if (unit == "us") return value * 1e-6;
  if (unit == "ms") return value * 1e-3;
  return value;  // "s"
}

double json_number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      return parse_number(v.get<std::string>(), "number");
    } catch (const std::exception&) {
      return NAN;
    }
  }
  return NAN;
}

namespace {

std::string text_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::vector<double> numbers(const Json& list) {
  std::vector<double> out;
  if (!list.is_array()) return out;
  for (const auto& v : list) out.push_back(json_number(v));
  return out;
}

std::map<std::string, std::string> texts(const Json& object) {
  std::map<std::string, std::string> out;
  if (object.is_object())
    for (const auto& [k, v] : object.items()) out[k] = text_of(v);
  return out;
}

// The typed record of a checked one (check_record): fields it does not require are
// read leniently (absent: empty; not a number: NaN), as the report always read them.
RunRecord typed(const Json& record) {
  const Json& w = record.at("wcs");
  RunRecord r;
  r.id = w.value("id", std::string());
  r.key = w.at("key").get<std::string>();
  r.index = w.at("index").get<std::size_t>();
  r.experiment = w.value("experiment", std::string());
  r.experiment_hash = w.value("experiment_hash", std::string());
  const Json& p = w.at("problem");
  r.problem = p.at("name").get<std::string>();
  r.instance = p.at("instance").get<std::string>();
  r.generator = p.value("generator", std::string());
  r.n = p.at("n").get<std::size_t>();
  r.seed = p.value("seed", std::uint64_t{0});
  r.coefficients = numbers(p.value("coefficients", Json()));
  r.target = json_number(p.value("target", Json()));
  r.tolerance = json_number(p.at("tolerance"));
  r.max_iter = p.at("max_iter").get<long long>();
  r.initial_wpn = json_number(p.value("initial_wpn", Json()));
  if (const Json b = p.value("wpn_bounds", Json()); b.is_array() && b.size() == 2) {
    r.wpn_lo = text_of(b[0]);
    r.wpn_hi = text_of(b[1]);
  }
  r.strategy = w.at("strategy").get<std::string>();
  r.strategy_version = w.value("strategy_version", std::string());
  r.wcs_version = w.value("wcs_version", std::string());
  r.label = w.at("label").get<std::string>();
  r.family = w.value("family", std::string());
  r.params = texts(w.value("params", Json()));
  r.options = texts(w.value("options", Json()));
  if (w.contains("timing")) {
    const Json& t = w["timing"];
    r.repetitions = t.value("repetitions", 0);
    r.min_time = json_number(t.value("min_time", Json()));
    r.iterations = t.value("iterations", 0LL);
  }
  r.status = w.at("status").get<std::string>();
  r.reason = w.value("reason", std::string());
  if (record.contains("context")) r.context = record["context"];
  if (record.contains("benchmarks")) r.benchmarks = record["benchmarks"];
  for (const auto& b : r.benchmarks) {
    if (b.value("error_occurred", false)) {
      r.rep_seconds.clear();
      r.rep_iterations.clear();
      break;
    }
    if (b.value("run_type", std::string("iteration")) == "aggregate") continue;
    r.rep_seconds.push_back(to_seconds(json_number(b.value("real_time", Json())), b.value("time_unit", std::string("ns"))));
    r.rep_iterations.push_back(json_number(b.value("iterations", Json())));
  }
  if (w.contains("result")) {
    const Json& res = w["result"];
    r.weights = numbers(res.value("weights", Json()));
    r.result = json_number(res.value("result", Json()));
    r.error = json_number(res.value("error", Json()));
    r.converged = res.value("converged", false);
    r.cycles = res.value("cycles", 0LL);
    r.evaluations = res.value("evaluations", std::uint64_t{0});
    r.nonzero_weights = res.value("nonzero_weights", std::size_t{0});
    r.notes = texts(res.value("notes", Json()));
  }
  if (w.contains("trajectory")) {
    const Json& t = w["trajectory"];
    Trajectory tr;
    tr.source = t.value("source", std::string());
    tr.cycle = numbers(t.value("cycle", Json()));
    tr.evaluations = numbers(t.value("evaluations", Json()));
    tr.seconds = numbers(t.value("seconds", Json()));
    tr.error = numbers(t.value("error", Json()));
    tr.best_error = numbers(t.value("best_error", Json()));
    const std::size_t len = tr.cycle.size();
    if (tr.evaluations.size() != len || tr.seconds.size() != len || tr.error.size() != len || tr.best_error.size() != len)
      throw std::runtime_error("trajectory columns of different lengths");
    r.trajectory = std::move(tr);
  }
  if (r.context.is_object()) {
    const Json& c = r.context;
    for (const char* k : {"host_name", "num_cpus", "mhz_per_cpu"})
      if (c.contains(k)) r.machine[k] = text_of(c[k]);
    for (const char* k : {"simd_target", "build_type", "compiler", "cxx_flags", "git_commit", "git_dirty"})
      if (c.contains(std::string("wcs_") + k)) r.machine[k] = text_of(c[std::string("wcs_") + k]);
  }
  return r;
}

// typed(), with failures named by the record's id.
RunRecord typed_named(const Json& record) {
  try {
    return typed(record);
  } catch (const std::exception& e) {
    std::string id = "?";
    if (record.contains("wcs") && record["wcs"].contains("id")) id = text_of(record["wcs"]["id"]);
    throw std::runtime_error("run record " + id + ": " + e.what());
  }
}

}  // namespace

bool has_record(const fs::path& dir, const Plan& plan, const Run& run) {
  const fs::path path = record_path(dir, run.id);
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  Json j;
  try {
    j = Json::parse(read_text(path));
    const auto& w = j.at("wcs");
    const std::string status = w.at("status").get<std::string>();
    if (w.at("id").get<std::string>() != run.id || w.at("key").get<std::string>() != run.key ||
        (status != "ok" && status != "skipped"))
      return false;
    if (w.at("experiment_hash").get<std::string>() == plan.file_hash) return true;
  } catch (const std::exception&) {
    return false;  // unreadable: run it again
  }
  // The same run under an edited experiment file: kept, relabelled with this version.
  j["wcs"]["experiment_hash"] = plan.file_hash;
  if (j.contains("context") && j["context"].is_object() && j["context"].contains("wcs_experiment_hash"))
    j["context"]["wcs_experiment_hash"] = plan.file_hash;
  write_atomic(path, j.dump(2) + "\n");
  return true;
}

namespace {

// Short text of a JSON value for messages.
std::string shown(const Json& v) {
  std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// Checks fields of one JSON object; every failure names the file and the field.
class Fields {
 public:
  Fields(const fs::path& file, const Json& object, std::string path) : file_(file), object_(object), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(fmt::format("{}: {}: {}", file_.string(), name(key), what));
  }
  std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  // The field, or nullptr when it is absent and optional.
  const Json* get(const std::string& key, bool required) const {
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) fail(key, "missing");
      return nullptr;
    }
    return &*it;
  }
  const Json* object(const std::string& key, bool required = true) const { return typed(key, required, Json::value_t::object, "an object"); }
  const Json* array(const std::string& key, bool required = true) const { return typed(key, required, Json::value_t::array, "an array"); }
  const Json* string(const std::string& key, bool required = true) const { return typed(key, required, Json::value_t::string, "a string"); }
  const Json* boolean(const std::string& key, bool required = true) const { return typed(key, required, Json::value_t::boolean, "true or false"); }
  void unsigned_integer(const std::string& key, bool required = true) const {
    if (const Json* v = get(key, required); v && !v->is_number_unsigned()) fail(key, "expected an unsigned integer, found " + shown(*v));
  }
  void integer(const std::string& key, bool required = true) const {
    if (const Json* v = get(key, required); v && !v->is_number_integer()) fail(key, "expected an integer, found " + shown(*v));
  }
  // A number, or the text of one ("inf", "nan": JSON has no such numbers).
  void number(const std::string& key, bool required = true) const {
    const Json* v = get(key, required);
    if (!v || v->is_number()) return;
    if (v->is_string()) {
      try {
        parse_number(v->get<std::string>(), key);
        return;
      } catch (const InputError&) {
      }
    }
    fail(key, "expected a number, found " + shown(*v));
  }
  Fields sub(const Json& object, const std::string& key) const { return Fields(file_, object, name(key)); }

 private:
  const Json* typed(const std::string& key, bool required, Json::value_t type, const char* what) const {
    const Json* v = get(key, required);
    if (v && v->type() != type) fail(key, std::string("expected ") + what + ", found " + shown(*v));
    return v;
  }
  const fs::path& file_;
  const Json& object_;
  std::string path_;
};

Json parse_file(const fs::path& file) {
  std::string text;
  try {
    text = read_text(file);
  } catch (const std::exception& e) {
    throw InputError(e.what());
  }
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw InputError(file.string() + ": not JSON: " + e.what());
  }
}

const char* const kResultFolders[] = {"runs", "tables", "plots", "truth_tables"};

}  // namespace

void check_record(const Json& record, const fs::path& file) {
  if (!record.is_object()) throw InputError(file.string() + ": expected a JSON object (a wcs run record), found " + shown(record));
  const Fields top(file, record, "");
  top.object("context", false);
  if (const Json* b = top.array("benchmarks", false))
    for (std::size_t i = 0; i < b->size(); ++i) {
      const std::string key = fmt::format("benchmarks[{}]", i);
      if (!(*b)[i].is_object()) top.fail(key, "expected an object, found " + shown((*b)[i]));
      const Fields e = top.sub((*b)[i], key);
      e.boolean("error_occurred", false);
      e.number("real_time", false);
      e.string("time_unit", false);
      e.string("run_type", false);
      e.string("aggregate_name", false);
    }
  const Json& w = *top.object("wcs");
  const Fields f = top.sub(w, "wcs");
  const std::string& id = f.string("id")->get_ref<const std::string&>();
  if (file.extension() == ".json" && file.stem().string() != id)
    f.fail("id", "'" + id + "' is not the record's file name " + file.filename().string());
  f.string("key");
  f.unsigned_integer("index");
  f.string("experiment");
  f.string("experiment_hash");
  f.string("strategy");
  f.string("label");
  const std::string& status = f.string("status")->get_ref<const std::string&>();
  if (status != "ok" && status != "skipped" && status != "failed") f.fail("status", "'" + status + "' is not ok, skipped or failed");
  f.string("reason", status != "ok");
  const Fields p = f.sub(*f.object("problem"), "problem");
  p.string("name");
  p.string("instance");
  p.unsigned_integer("n");
  p.integer("max_iter");
  p.number("tolerance");
  if (status != "ok") return;
  const Fields r = f.sub(*f.object("result"), "result");
  r.number("result");
  r.number("error");
  r.boolean("converged");
  r.unsigned_integer("cycles");
  r.unsigned_integer("evaluations");
  r.unsigned_integer("nonzero_weights");
  if (const Json* weights = r.array("weights", false))
    for (const auto& x : *weights)
      if (!x.is_number()) r.fail("weights", "expected numbers, found " + shown(x));
  if (const Json* notes = r.object("notes", false))
    for (const auto& [k, v] : notes->items())
      if (!v.is_string()) r.sub(*notes, "notes").fail(k, "expected a string, found " + shown(v));
}

Json read_experiment(const fs::path& dir) {
  const fs::path file = dir / "experiment.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return Json();
  Json j = parse_file(file);
  if (!j.is_object()) throw InputError(file.string() + ": expected a JSON object, found " + shown(j));
  const Fields f(file, j, "");
  f.string("name");
  f.string("file_hash");
  f.string("description", false);
  f.string("estimates_source", false);
  if (const Json* list = f.array("estimates", false))
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string key = fmt::format("estimates[{}]", i);
      if (!(*list)[i].is_object()) f.fail(key, "expected an object, found " + shown((*list)[i]));
      const Fields e = f.sub((*list)[i], key);
      e.string("label");
      e.string("problem");
      e.unsigned_integer("n");
      if (!(*list)[i]["ms"].is_number()) e.fail("ms", "expected a number, found " + shown((*list)[i]["ms"]));
    }
  return j;
}

std::size_t remove_results(const fs::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  if (fs::remove(dir / "experiment.json", ec)) ++removed;
  for (const char* sub : kResultFolders) {
    if (!fs::is_directory(dir / sub, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir / sub, ec)) removed += e.is_regular_file(ec);
    fs::remove_all(dir / sub, ec);
  }
  return removed;
}

FolderCheck prepare_results_folder(const fs::path& dir, const Plan& plan, bool fresh) {
  FolderCheck out;
  std::error_code ec;
  if (fresh) {
    out.removed = remove_results(dir);
    return out;
  }
  auto refuse = [&](const std::string& other, const std::string& source) {
    throw InputError(fmt::format("{}: holds the results of experiment '{}' ({}), not of '{}' ({}); use another --out, or "
                                 "--fresh to remove its results first",
                                 dir.string(), other, source, plan.name, fs::path(plan.file).filename().string()));
  };
  // Check everything before anything is removed.
  const fs::path experiment = dir / "experiment.json";
  const bool described = fs::exists(experiment, ec);
  bool edited = false;  // the folder holds an earlier version of this experiment
  if (described) {
    Json j;
    try {
      j = Json::parse(read_text(experiment));
    } catch (const std::exception& e) {
      throw InputError(experiment.string() + ": not an experiment description of wcs (" + e.what() +
                       "); use another --out, or --fresh to remove it");
    }
    const std::string name = j.is_object() && j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "?";
    if (name != plan.name)
      refuse(name, j.is_object() && j.contains("file") && j["file"].is_string() ? j["file"].get<std::string>() : "experiment.json");
    edited = !j.contains("file_hash") || j["file_hash"] != plan.file_hash;
  }
  std::set<std::string> ids;
  for (const auto& r : plan.runs) ids.insert(r.id);
  std::vector<fs::path> stale, kept;
  if (fs::is_directory(dir / "runs", ec)) {
    for (const auto& e : fs::directory_iterator(dir / "runs")) {
      const bool planned = ids.count(e.path().stem().string()) != 0;
      if (planned && edited && e.path().extension() == ".json") kept.push_back(e.path());
      // Runs of this plan are this experiment's when experiment.json says so (another
      // experiment may have runs with the same ids).
      if (e.path().extension() != ".json" || (planned && described)) continue;
      // Not a run of this plan: a record of an earlier version of this experiment
      // (stale) or of another experiment (refused).
      Json j;
      try {
        j = Json::parse(read_text(e.path()));
      } catch (const std::exception&) {
        throw InputError(e.path().string() + ": not a wcs run record; remove it, or use --fresh to remove every result");
      }
      if (!j.is_object() || !j.contains("wcs") || !j["wcs"].is_object() || !j["wcs"].contains("experiment") ||
          !j["wcs"]["experiment"].is_string())
        throw InputError(e.path().string() + ": not a wcs run record; remove it, or use --fresh to remove every result");
      const std::string name = j["wcs"]["experiment"].get<std::string>();
      if (name != plan.name) refuse(name, e.path().filename().string());
      if (!planned) stale.push_back(e.path());
    }
  }
  for (const auto& f : stale)
    if (fs::remove(f, ec)) ++out.stale;
  // Runs the edit did not change keep their records, relabelled with this version
  // (every shard's, so the folder is one version whichever shards run next).
  for (const auto& f : kept) {
    try {
      Json j = Json::parse(read_text(f));
      if (!j.is_object() || !j.contains("wcs") || !j["wcs"].is_object() || j["wcs"].value("experiment_hash", "") == plan.file_hash)
        continue;
      j["wcs"]["experiment_hash"] = plan.file_hash;
      if (j.contains("context") && j["context"].is_object() && j["context"].contains("wcs_experiment_hash"))
        j["context"]["wcs_experiment_hash"] = plan.file_hash;
      write_atomic(f, j.dump(2) + "\n");
    } catch (const Json::exception&) {
      // unreadable: the shard it belongs to runs it again
    }
  }
  out.temporaries = remove_stale_temporaries(dir);
  return out;
}

std::vector<RunRecord> read_records(const fs::path& dir) {
  std::vector<fs::path> files;
  const fs::path runs = dir / "runs";
  std::error_code ec;
  if (!fs::is_directory(runs, ec)) throw InputError(runs.string() + ": no such folder of run records");
  for (const auto& e : fs::directory_iterator(runs))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const Json experiment = read_experiment(dir);
  // Every file is checked before any is typed, so a broken file is named first.
  std::vector<Json> checked;
  checked.reserve(files.size());
  for (const auto& f : files) {
    Json j = parse_file(f);
    check_record(j, f);
    if (experiment.is_object()) {
      const Json& w = j["wcs"];
      if (w["experiment"] != experiment["name"])
        throw InputError(fmt::format("{}: wcs.experiment: '{}' is not the experiment of {} ('{}')", f.string(),
                                     w["experiment"].get<std::string>(), (dir / "experiment.json").string(),
                                     experiment["name"].get<std::string>()));
      if (w["experiment_hash"] != experiment["file_hash"])
        throw InputError(fmt::format("{}: wcs.experiment_hash: {} is not the version of {} ({}); rerun with --resume",
                                     f.string(), w["experiment_hash"].get<std::string>(),
                                     (dir / "experiment.json").string(), experiment["file_hash"].get<std::string>()));
    }
    checked.push_back(std::move(j));
  }
  std::vector<RunRecord> out;
  out.reserve(checked.size());
  for (const auto& j : checked) out.push_back(typed_named(j));
  return out;
}

RunRecord RunRecord::read(const Json& record, const fs::path& file) {
  check_record(record, file);
  return typed_named(record);
}

}  // namespace wcs::experiment

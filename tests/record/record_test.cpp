// The run record's one table: every field written, read back and checked from it;
// a result's own checks; the definitions of agreement for infinities, NaN and
// overflow; docs/record.md made from the table.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "record/outcome.hpp"
#include "record/record.hpp"
#include "store/files.hpp"

using wcs::record::Field;
using wcs::record::Json;
using wcs::record::RunRecord;
using wcs::record::When;

namespace {

// A record with every field set: ok, with a result and a trajectory.
RunRecord full_record() {
  RunRecord r;
  r.id = "0123456789abcdef";
  r.key = "p/n=3/seed=1/max_iter=5/tol=0/reference";
  r.index = 7;
  r.experiment = "e";
  r.experiment_hash = "fnv1a64:0011223344556677";
  r.problem = "p";
  r.instance = "p/n=3/seed=1/max_iter=5/tol=0";
  r.generator = "fixed";
  r.n = 3;
  r.seed = 1;
  r.coefficients = {15, 47, -12};
  r.target = 28;
  r.tolerance = 2;
  r.max_iter = 50;
  r.initial_wpn = 1;
  r.strategy = r.label = "reference";
  r.strategy_identity = "sha256:abc";
  r.wcs_version = "0.1.0";
  r.wcs_commit = "deadbeef-dirty";
  r.family = "identical";
  r.params = {{"truth_table", ""}};
  r.options = {{"truth_table", ""}};
  r.repetitions = 3;
  r.min_time = 0.01;
  r.status = "ok";
  r.weights = {0.5, 0.5, 0.125};
  r.result = 29.5;
  r.error = 1.5;
  r.converged = true;
  r.cycles = 3;
  r.evaluations = 21;
  r.nonzero_weights = 3;
  r.notes = {{"isa", "scalar"}};
  r.traced = true;
  r.trajectory.source = "trace";
  r.trajectory.cycle = {1, 2, 3};
  r.trajectory.evaluations = {7, 14, 21};
  r.trajectory.seconds = {1e-6, NAN, 3e-6};
  r.trajectory.error = {7, 3, 1.5};
  r.trajectory.best_error = {7, 3, 1.5};
  return r;
}

Json file_of(const RunRecord& r) { return wcs::record::to_file_json(r); }

// The field's position in the record's JSON, as a JSON pointer.
Json::json_pointer pointer_of(const Field& f) {
  std::string p = "/wcs/" + std::string(f.path);
  for (auto& ch : p)
    if (ch == '.') ch = '/';
  return Json::json_pointer(p);
}

}  // namespace

TEST_CASE("every field of the table is written and read back to the same record") {
  const RunRecord r = full_record();
  const Json j = file_of(r);
  const RunRecord back = wcs::record::from_json(j, "x/0123456789abcdef.json");
  CHECK(file_of(back) == j);
  CHECK(back.trajectory.complete);
  CHECK(std::isnan(back.trajectory.seconds[1]));
  for (const Field& f : wcs::record::record_fields()) {
    INFO(f.path);
    if (f.when == When::context || f.when == When::solve_only) continue;
    CHECK(j.contains(pointer_of(f)) == wcs::record::present(f, r));
  }
}

TEST_CASE("a field that is missing or of another kind is named, with the file") {
  const Json good = file_of(full_record());
  for (const Field& f : wcs::record::record_fields()) {
    if (f.when == When::context || f.when == When::solve_only || f.path == "format") continue;
    if (!good.contains(pointer_of(f))) continue;  // not a field this record has (its reason)
    INFO(f.path);
    Json missing = good;
    missing[pointer_of(f).parent_pointer()].erase(std::string(f.name()));
    CHECK_THROWS_WITH(wcs::record::from_json(missing, "runs.jsonl.gz:1"),
                      Catch::Matchers::StartsWith("runs.jsonl.gz:1: wcs." + std::string(f.path) + ": missing"));
    Json wrong = good;
    wrong[pointer_of(f)] = Json::array({Json::object()});  // no kind takes a list of objects
    CHECK_THROWS_WITH(wcs::record::from_json(wrong, "runs.jsonl.gz:1"),
                      Catch::Matchers::StartsWith("runs.jsonl.gz:1: wcs." + std::string(f.path) + ": expected"));
  }
}

TEST_CASE("a record of format 1 is read with defaults for what it lacks") {
  Json old = file_of(full_record());
  old["wcs"]["format"] = 1;
  old["wcs"].erase("strategy_identity");
  old["wcs"].erase("wcs_commit");
  old["wcs"]["strategy_version"] = "1.0";
  old["wcs"]["timing"].erase("starved");
  old["wcs"]["trajectory"].erase("complete");
  old["wcs"]["trajectory"].erase("dropped");
  old["wcs"]["trajectory"]["seconds"][1] = nullptr;  // format 1 wrote an unmeasured time as null
  const RunRecord r = wcs::record::from_json(old, "runs.jsonl.gz:1");
  CHECK(r.format == 1);
  CHECK(r.strategy_identity == "1.0");
  CHECK(r.trajectory.complete);
  CHECK(std::isnan(r.trajectory.seconds[1]));
}

TEST_CASE("a cut trajectory says so, and must say it consistently") {
  RunRecord r = full_record();
  r.trajectory.dropped = 97;
  r.trajectory.complete = false;
  const RunRecord back = wcs::record::from_json(file_of(r), "runs.jsonl.gz:1");
  CHECK_FALSE(back.trajectory.complete);
  CHECK(back.trajectory.dropped == 97);
  r.trajectory.complete = true;  // 97 cycles dropped, yet complete
  CHECK_THROWS_WITH(wcs::record::from_json(file_of(r), "runs.jsonl.gz:1"),
                    Catch::Matchers::Contains("wcs.trajectory.complete"));
  r = full_record();
  r.trajectory.error.pop_back();
  CHECK_THROWS_WITH(wcs::record::from_json(file_of(r), "runs.jsonl.gz:1"),
                    Catch::Matchers::Contains("different lengths"));
}

TEST_CASE("a result that is not finite, or does not satisfy its problem, is never ok") {
  struct Case {
    const char* what;
    void (*edit)(RunRecord&);
    const char* status;
    const char* field;
  };
  const Case cases[] = {
      {"a weight is inf", [](RunRecord& r) { r.weights[1] = INFINITY; }, "non-finite", "result.weights"},
      {"a weight is nan", [](RunRecord& r) { r.weights[0] = NAN; }, "non-finite", "result.weights"},
      {"the result is -inf", [](RunRecord& r) { r.result = -INFINITY; }, "non-finite", "result.result"},
      {"the error is nan", [](RunRecord& r) { r.error = -NAN; }, "non-finite", "result.error"},
      {"two weights for N = 3", [](RunRecord& r) { r.weights.pop_back(); }, "inconsistent", "result.weights"},
      {"the error is not |result - target|", [](RunRecord& r) { r.error = 1.25; }, "inconsistent", "result.error"},
      {"the result is not sum a W", [](RunRecord& r) { r.result += 1, r.error += 1; }, "inconsistent", "result.result"},
      {"converged above the tolerance", [](RunRecord& r) { r.tolerance = 1; }, "inconsistent", "result.converged"},
      {"non-zero weights miscounted", [](RunRecord& r) { r.nonzero_weights = 2; }, "inconsistent",
       "result.nonzero_weights"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    RunRecord r = full_record();
    c.edit(r);
    const auto fault = wcs::record::check_result(r);
    REQUIRE(fault);
    CHECK(fault->first == c.status);
    CHECK(fault->second.rfind(std::string(c.field) + ": ", 0) == 0);
    // Written as ok by an older program: read as the fault it is, never as ok.
    const RunRecord back = wcs::record::from_json(file_of(r), "runs.jsonl.gz:1");
    CHECK(back.status == c.status);
    CHECK(back.reason.find(c.field) != std::string::npos);
  }
  CHECK_FALSE(wcs::record::check_result(full_record()));
  // Huge but finite values are results, and so is the rounding of their sum.
  RunRecord big = full_record();
  big.coefficients = {1e300, 3e299, -1e299};
  big.weights = {1, 1, 1};
  big.result = 1e300 + 3e299 - 1e299;
  big.target = 0;
  big.error = big.result;
  big.tolerance = 1e301;
  CHECK_FALSE(wcs::record::check_result(big));
}

TEST_CASE("agreement is defined for infinities, NaN and overflow") {
  using wcs::record::same_value;
  CHECK(same_value(1.0, 1.0));
  CHECK(same_value(1.0 + 1e-12, 1.0));
  CHECK_FALSE(same_value(1.0 + 1e-6, 1.0));
  CHECK(same_value(INFINITY, INFINITY));
  CHECK_FALSE(same_value(INFINITY, -INFINITY));
  CHECK_FALSE(same_value(1e308, INFINITY));
  CHECK_FALSE(same_value(INFINITY, 1e308));
  CHECK_FALSE(same_value(NAN, NAN));
  CHECK_FALSE(same_value(NAN, 1.0));
  CHECK_FALSE(same_value(1.7e308, -1.7e308));  // the difference overflows: far apart
  CHECK(same_value(1.7e308, 1.7e308 * (1 - 1e-12)));
  // Same weights: the same answer, even when the error overflowed.
  RunRecord a = full_record(), b = full_record();
  a.result = b.result = INFINITY;
  a.error = b.error = INFINITY;
  CHECK(wcs::record::agrees(a, b));
  b.weights = {0.5, 0.5, 0.25};
  CHECK(wcs::record::agrees(a, b));  // both results inf
  b.result = 1e308;
  CHECK_FALSE(wcs::record::agrees(a, b));
  b.status = "failed";
  CHECK_FALSE(wcs::record::agrees(a, b));  // no result, no agreement
  using wcs::record::error_gap;
  CHECK(error_gap(2.0, 1.5) == 0.5);
  CHECK(error_gap(INFINITY, INFINITY) == 0.0);
  CHECK(error_gap(INFINITY, 1.0) == INFINITY);
  CHECK(std::isnan(error_gap(NAN, 1.0)));
}

TEST_CASE("wcs solve --json's fields come from the table") {
  wcs::Problem p;
  p.coefficients = {15, 47, -12};
  p.target = 28;
  p.tolerance = 2;
  p.max_iter = 50;
  wcs::SolveResult s;
  s.weights = {0.5, 0.5, 0.125};
  s.result = 29.5;
  s.error = 1.5;
  s.converged = true;
  s.cycles = 3;
  s.evaluations = 21;
  const RunRecord r = wcs::record::solve_record(p, "reference", {{"truth_table", ""}}, s);
  CHECK(r.ok());
  const Json j = wcs::record::solve_json(r, Json{{"seconds", 0.5}});
  std::vector<std::string> names;
  for (const auto& [k, v] : j.items()) names.push_back(k);
  std::vector<std::string> expected;
  for (const Field& f : wcs::record::record_fields())
    if (f.solve && f.path != "reason" && f.path != "trace_dropped" && f.path != "trace")
      expected.emplace_back(f.name());
  CHECK(names == expected);
  CHECK(j["weights"] == Json::array({0.5, 0.5, 0.125}));
  CHECK(j["status"] == "ok");
  s.error = NAN;
  const Json bad = wcs::record::solve_json(wcs::record::solve_record(p, "reference", {}, s), Json::object());
  CHECK(bad["status"] == "non-finite");
  CHECK(bad["error"] == "nan");  // its text: JSON has no NaN
  CHECK(bad["reason"] == "result.error: nan is not finite");
}

TEST_CASE("docs/record.md is made from the table") {
  const char* root = std::getenv("WCS_SOURCE_ROOT");
  REQUIRE(root != nullptr);
  const std::string doc = wcs::store::read_text(std::string(root) + "/docs/record.md");
  const std::string table = wcs::record::fields_markdown();
  // Between its markers the page holds exactly `wcs schema`'s table.
  const std::string begin = "<!-- wcs schema: begin -->\n", end = "<!-- wcs schema: end -->";
  const auto a = doc.find(begin), b = doc.find(end);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(doc.substr(a + begin.size(), b - a - begin.size()) == table);
  // Every field has a row.
  for (const Field& f : wcs::record::record_fields())
    CHECK(doc.find("| `" + std::string(f.path) + "` |") != std::string::npos);
}

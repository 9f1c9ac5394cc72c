// libFuzzer target: any bytes as an experiment file. The planner must either return a
// plan within the limits whose records can be written (valid UTF-8 JSON, unique run
// ids) or throw ExperimentError whose every message has a position; anything else (a
// crash, another exception, a sanitizer report, a time-out, running out of memory) is
// a finding. Strategies are stand-ins with every option type, so the target needs no
// plugin.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "experiment/plan.hpp"
#include "experiment/run_record.hpp"

namespace {

const wcs::Registry& registry() {
  static const wcs::Registry r = [] {
    wcs::Registry reg;
    auto none = [](const wcs::Options&, const wcs::Registry&) -> std::unique_ptr<wcs::Strategy> { return nullptr; };
    auto add = [&](const char* name, wcs::Family family, std::size_t max_n, std::vector<wcs::OptionSpec> options) {
      wcs::StrategyInfo info;
      info.name = name;
      info.family = family;
      info.max_n = max_n;
      info.options = std::move(options);
      info.identity = "0123456789abcdef-0123456789abcdef";
      reg.add(std::move(info), none);
    };
    using wcs::OptionSpec;
    add("reference", wcs::Family::identical, 30, {OptionSpec::text("truth_table", "", "CSV file")});
    add("mitm", wcs::Family::identical, 54, {});
    add("sampling", wcs::Family::converging, SIZE_MAX,
        {OptionSpec::integer("threshold", 12, 0, 30, "exhaustive up to"),
         OptionSpec::integer("sample_size", 10000, 1, 1e9, "per cycle"),
         OptionSpec::choice("mode", "importance", {"importance", "random", "progressive"}, "mode"),
         OptionSpec::choice("resample", "per_cycle", {"per_cycle", "fixed"}, "resample")});
    add("greedy", wcs::Family::converging, SIZE_MAX, {OptionSpec::boolean("pair_flips", false, "pairs")});
    add("adamw", wcs::Family::peer, SIZE_MAX,
        {OptionSpec::real("lr", 0.01, 0.0, 1e6, "rate", true), OptionSpec::real("beta1", 0.9, 0.0, 1.0, "b1", false, true)});
    return reg;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ex = wcs::experiment;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const ex::Plan plan = ex::parse_plan(text, "fuzz.yaml", registry());
    if (plan.runs.empty() || plan.runs.size() > ex::kMaxRuns) std::abort();
    std::set<std::string> ids;
    std::size_t coefficients = 0;
    for (const auto& inst : plan.instances) {
      wcs::validate(inst.problem_data);  // throws (a finding) when an invalid problem was planned
      coefficients += inst.problem_data.n();
      if (inst.problem_data.n() > ex::kMaxN) std::abort();
    }
    if (coefficients > ex::kMaxCoefficients) std::abort();
    for (const auto& r : plan.runs)
      if (!ids.insert(r.id).second) std::abort();  // two runs, one record file
    // What the runner writes must be writable: experiment.json and the first records.
    (void)ex::experiment_json(plan).dump();
    for (std::size_t i = 0; i < plan.runs.size() && i < 64; ++i) (void)wcs::record::to_file_json(ex::plan_record(plan, plan.runs[i])).dump();
  } catch (const ex::ExperimentError& e) {
    if (e.messages().empty()) std::abort();
    for (const auto& m : e.messages())
      if (m.rfind("fuzz.yaml:", 0) != 0) std::abort();  // every message names the file and a position
  }
  return 0;
}

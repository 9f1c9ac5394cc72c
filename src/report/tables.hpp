// The tables of the report, one function per table (or per family of pivot tables,
// one per panel), each from the grouped records (model.hpp). make_tables puts them in
// the report's order; the Markdown and CSV writers print them.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include "report/model.hpp"
#include "report/table.hpp"

namespace wcs::report {

// Pivot tables (strategy by N), one per panel.
std::vector<Table> time_tables(const Model& m);         ///< median time per solve
std::vector<Table> speedup_tables(const Model& m);      ///< against the row's baseline
std::vector<Table> convergence_tables(const Model& m);  ///< convergence rate
std::vector<Table> error_tables(const Model& m);        ///< median error
/// Fixed target: reached and performance profile, ECDF over budgets, ERT (with the
/// ecdf, profile and ert CSV files).
std::vector<Table> fixed_target_tables(const Model& m);
// One row per cell.
Table speed_table(const Model& m);        ///< speed.csv: times and speed-ups
Table accuracy_table(const Model& m);     ///< against the exact answer
Table cycles_table(const Model& m);       ///< convergence.csv: cycles, evaluations, weights
std::optional<Table> skipped_table(const Model& m);  ///< skipped and failed runs, when there are any
/// The published estimates beside measured times, when experiment.json has them.
std::optional<Table> estimates_table(const Model& m, const nlohmann::ordered_json& experiment);
/// Records that could not be read and entries of runs/ that are not files, when any.
std::optional<Table> unread_table(const Model& m);
/// Runs with starved repetitions (times not comparable), when any.
std::optional<Table> starved_table(const Model& m);
// Tidy data.
Table runs_table(const Model& m);          ///< one row per record
Table trajectories_table(const Model& m);  ///< one row per cycle of a traced run

/// Every table of the report, in its order; `experiment` is experiment.json (may be
/// null). Deterministic: the same records give the same tables, byte for byte (every
/// bootstrap is seeded from its cell).
std::vector<Table> make_tables(const Model& m, const nlohmann::ordered_json& experiment);

}  // namespace wcs::report

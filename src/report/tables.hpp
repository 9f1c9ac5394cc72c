// The tables of the report, each described as data: the per-cell tables and the pivot
// tables (strategy by N) as lists of measures (measures.hpp), the others as columns
// with their formats. make_tables puts them in the report's order; the Markdown, CSV
// and HTML writers print them.
#pragma once
#include <nlohmann/json.hpp>

#include <vector>

#include "report/model.hpp"
#include "report/table.hpp"

namespace wcs::report {

/// Tidy data: one row per record (runs.csv).
Table runs_table(const Model& m);
/// Tidy data: one row per cycle of a traced run (trajectories.csv).
Table trajectories_table(const Model& m);

/// Every table of the report, in its order; `experiment` is experiment.json (may be
/// null). Deterministic: the same records give the same tables, byte for byte (every
/// bootstrap is seeded from its cell).
std::vector<Table> make_tables(const Model& m, const nlohmann::ordered_json& experiment);

}  // namespace wcs::report

// The page of `wcs report` (tables/report.html): the report's tables, where its records
// come from, the failed and unreadable runs, and the data of its interactive plots
// (speed, speed-up, convergence and ERT against N; ECDF; performance profile).
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "report/html.hpp"
#include "report/model.hpp"
#include "report/table.hpp"

namespace wcs::report {

/// The machines and builds the records name: one row per distinct context (the
/// record's `context.` fields and the program's version and commit, from
/// record::record_fields), with its count of records.
Table provenance_table(const Model& m);

/// The plots' data: the families (panels) and series (strategies), every cell's
/// measures that the plots against N draw, every run's runtime to the target (for the
/// ECDF and the profile), and each plot's description (its measure's header, format
/// and interval, from the table of measures).
nlohmann::ordered_json plot_data(const Model& m);

/// The page: the tables that have Markdown after the provenance, with the plots.
std::string report_page(const Model& m, const std::string& title, const std::vector<std::string>& intro,
                        const std::vector<std::string>& warnings, const std::vector<Table>& tables);

}  // namespace wcs::report

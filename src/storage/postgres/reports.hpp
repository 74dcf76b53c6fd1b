#pragma once

#include "connection.hpp"
#include "sileram/storage/reports.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace sileram::storage::postgres {

// A WHERE fragment (each condition starting with " AND") and its parameters, numbered $N from
// the parameters bound before it.
struct Where {
    std::string sql;
    Params params;
    int next = 1;

    // "$N" for the next parameter, which the caller adds to `params`.
    std::string placeholder() { return "$" + std::to_string(next++); }
};

// The report filter's field conditions on signals aliased `s`, and the window on `time_column`
// when given; `leading` parameters are bound before them.
Where filter_where(const ReportFilter& filter, std::string_view time_column, Params leading);

// Sums over signals aliased `s`: count, contacts, score, cost in cents.
inline constexpr const char* k_sums =
    "count(*), coalesce(sum(s.contacts), 0), coalesce(sum(s.contacts * s.satisfaction_impact), 0), "
    "coalesce(sum(s.contacts * s.cost_per_contact_cents), 0)";

// The states the impact report counts: analysed and not yet measured, closed, rejected or dropped.
inline constexpr std::string_view k_open_impact_states =
    "('analysed', 'prioritised', 'parked', 'root-caused', 'planned', 'approved', "
    "'in-progress', 'implemented')";

// " LIMIT n" for a positive limit, else nothing.
std::string limit_clause(const ReportFilter& filter);

domain::ImpactSums sums_at(const Result& r, int row, int column);

// `sileram report impact` on PostgreSQL (report_impact.cpp): plain aggregates over the signals.
ImpactData impact_report(Connection& db, const ReportFilter& filter, const std::string& by,
                         const domain::ReportSettings& settings);

// The report queries and the customers table on PostgreSQL.
std::unique_ptr<ReportQueries> make_report_queries(Connection& db);

} // namespace sileram::storage::postgres

#pragma once

#include "../as_of_sql.hpp"
#include "connection.hpp"
#include "sileram/storage/reports.hpp"

#include <fmt/format.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage::postgres {

// The past as the history tells it (as_of.cpp): while it lives, temporary tables and views of
// the same names shadow the real ones with what was there just before `end`; nothing without an
// `end`. Made inside the report's snapshot, which must allow temporary tables.
class PastView {
public:
    // `needs`: the tables the report reads besides signals.
    PastView(Connection& db, const std::optional<domain::Timestamp>& end,
             const AsOfNeeds& needs = {});
    ~PastView();
    PastView(const PastView&) = delete;
    PastView& operator=(const PastView&) = delete;

private:
    Connection& m_db;
    bool m_open = false;
};

// A WHERE fragment (each condition starting with " AND") and its parameters, numbered $N from
// the parameters bound before it.
struct Where {
    std::string sql;
    Params params;
    int next = 1;

    // "$N" for the next parameter, which the caller adds to `params`. (Not "$" + to_string: GCC
    // 12 at -O3 warns falsely about overlapping memcpy in that operator+.)
    std::string placeholder() { return fmt::format("${}", next++); }
};

// The report filter's field conditions on signals aliased `s`, and the window on `time_column`
// when given; `leading` parameters are bound before them.
Where filter_where(const ReportFilter& filter, std::string_view time_column, Params leading);

// Sums over signals aliased `s`: count, contacts, score, cost in cents.
inline constexpr const char* k_sums =
    "count(*), coalesce(sum(s.contacts), 0), coalesce(sum(s.contacts * s.satisfaction_impact), 0), "
    "coalesce(sum(s.contacts * s.cost_per_contact_cents), 0)";

// The sums per value of the standard field `name` over every signal, from tally_fields (schema
// 12), as the query over the signals gives them: signals without the field are the value '',
// customers are one value ignoring ASCII case in their first spelling (bytewise). `condition`:
// more of the WHERE clause on the tally (" AND open"). Ordered most signals first, then by
// value when `ranked`, else by value.
std::vector<domain::ImpactGroupInput> tallied_values(Connection& db, const std::string& name,
                                                     std::string_view condition,
                                                     bool ranked = true);

// " LIMIT n" for a positive limit, else nothing.
std::string limit_clause(const ReportFilter& filter);

// Whether a filter narrows the report at all.
bool has_filter(const ReportFilter& filter);

// The four sums of k_sums from `column` on.
domain::ImpactSums sums_at(const Result& r, int row, int column);
// A stored state, time or amount in hundredths; throws SystemFailure for text sileram never wrote.
domain::State state_at(const Result& r, int row, int column);
domain::Timestamp time_at(const Result& r, int row, int column);
std::optional<domain::Decimal> decimal_at(const Result& r, int row, int column);

// One report per file (report_NAME.cpp), each a few plain aggregates over indexed columns,
// giving the rows, order and figures of the SQLite report of the same name. Each runs inside
// the snapshot the caller holds.
ImpactData impact_report(Connection& db, const ReportFilter& filter, const std::string& by,
                         const domain::ReportSettings& settings);
FunnelData funnel_report(Connection& db, const ReportFilter& filter, domain::Timestamp month_since,
                         const domain::StepTargets& targets);
EffectData effect_report(Connection& db, const ReportFilter& filter,
                         const domain::ImpactSettings& impact);
FieldsData fields_report(Connection& db, const ReportFilter& filter,
                         const std::vector<std::string>& names);
CustomersData customers_report(Connection& db, const ReportFilter& filter,
                               domain::Timestamp care_since, std::int64_t high);
OverdueData overdue_report(Connection& db, const ReportFilter& filter, domain::Date today,
                           domain::Timestamp stale_before, domain::Timestamp silent_before,
                           const domain::LateCuts& late);
std::vector<domain::ResponseInput> response_report(Connection& db, const ReportFilter& filter);
// `report response` without a filter, from the tallies of schema 12.
domain::ResponseCounts tallied_responses(Connection& db, std::optional<int> target_days,
                                         domain::Timestamp now);
TrendData trend_report(Connection& db, const ReportFilter& filter, domain::Timestamp month_since);
RecurrenceData recurrence_report(Connection& db, const ReportFilter& filter);
ScopeData scope_report(Connection& db, const ReportFilter& filter);
// Every project, by name ignoring case (report_scope.cpp).
std::vector<domain::Project> read_projects(Connection& db);

// The report queries and the customers table on PostgreSQL.
std::unique_ptr<ReportQueries> make_report_queries(Connection& db);

} // namespace sileram::storage::postgres

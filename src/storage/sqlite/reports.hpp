#pragma once

#include "../as_of_sql.hpp"
#include "connection.hpp"
#include "sileram/storage/reports.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sileram::storage::sqlite {

// The report queries on an open connection, which must outlive them.
std::unique_ptr<ReportQueries> make_report_queries(Connection& db);

// The past as the history tells it (as_of.cpp): while it lives, temporary tables and views of
// the same names shadow the real ones with what was there just before `end`; nothing without an
// `end`. Made inside the report's read transaction.
class PastView {
public:
    // `needs`: the tables the report reads besides signals; `indexes`: also the indexes its
    // queries name in INDEXED BY.
    PastView(Connection& db, const std::optional<domain::Timestamp>& end,
             const AsOfNeeds& needs = {}, bool indexes = false);
    ~PastView();
    PastView(const PastView&) = delete;
    PastView& operator=(const PastView&) = delete;

private:
    Connection& m_db;
    bool m_open = false;
};

// What the reports share (reports.cpp); each report lives in report_NAME.cpp, beside the
// PostgreSQL report of the same name.

using Value = std::variant<std::int64_t, std::string>;

// A WHERE fragment (starting with " AND", or empty) and the values it binds, in order.
struct Where {
    std::string sql;
    std::vector<Value> values;

    void add(std::string_view fragment) { sql += fragment; }
    template <typename T>
    void add(std::string_view fragment, T value) {
        sql += fragment;
        values.emplace_back(std::move(value));
    }
};

// The field filters on signals aliased `s`, and the window on `time_column` when given.
Where filter_where(const ReportFilter& f, std::string_view time_column);

// Whether a filter narrows the report at all; without one the tallies of migration 5 answer.
bool has_filter(const ReportFilter& f);

// The two waits, in seconds, a bound walk of an index in order gives at its first row and, when
// `next`, the row after (else the first again): the ranks a median or percentile lies between.
// Resets the walk. Throws when the walk finds no row: the tally `what` counted more than the
// index holds.
std::pair<std::int64_t, std::int64_t> waits_at_rank(Statement& walk, bool next,
                                                    std::string_view what);

// Binds leading values, then the filter's, from position 1.
template <typename... Leading>
void bind_with_filter(Statement& statement, const Where& where, const Leading&... leading) {
    int index = 0;
    (statement.bind(++index, leading), ...);
    for (const Value& v : where.values) {
        std::visit([&](const auto& x) { statement.bind(++index, x); }, v);
    }
}

// count(*) of the rows a "FROM … WHERE …" clause selects, bound as bind_with_filter binds; a
// report's total beside its limited list.
template <typename... Leading>
std::int64_t count_rows(Connection& db, const std::string& from, const Where& where,
                        const Leading&... leading) {
    Statement count = db.prepare("SELECT count(*) " + from);
    bind_with_filter(count, where, leading...);
    return count.step() ? count.integer(0) : 0;
}

// A stored state, time, the four sums of k_sums from `column` on, or an amount in hundredths;
// throws SystemFailure for text sileram never wrote.
domain::State state_of(const Statement& row, int column);
domain::Timestamp time_of(const Statement& row, int column);
// Every project, by name ignoring case (report_scope.cpp).
std::vector<domain::Project> read_projects(Connection& db);
domain::ImpactSums sums_at(const Statement& row, int column);
std::optional<domain::Decimal> decimal_at(const Statement& row, int column);

// " LIMIT n" for a positive limit, else nothing.
std::string limit_clause(const ReportFilter& f);

// How to group by a field: a standard column, or a custom field's value joined in (its name
// bound as the first parameter).
struct FieldGroup {
    std::string join;
    std::string expression;
    std::string group;
};
FieldGroup field_group(const std::string& field);

// Sums over signals aliased `s`: count, contacts, score, cost in cents.
inline constexpr const char* k_sums =
    "count(*), coalesce(sum(s.contacts), 0), coalesce(sum(s.contacts * s.satisfaction_impact), 0), "
    "coalesce(sum(s.contacts * s.cost_per_contact_cents), 0)";

// Sums per value of a standard field (bound as the first parameter) from the field tally, in
// the order the GROUP BY over the signals gives: customers grouped ignoring case. `ranked` orders
// by signals, most first, then value, as the fields report does.
std::string tally_groups_sql(const std::string& field, std::string_view condition, bool ranked);

// The reports, each inside the read transaction its caller holds: from the tallies of
// migration 5 without a filter, from the signals with one.
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
// Without a filter, from the response tallies of migration 11.
domain::ResponseCounts response_report(Connection& db, const ReportFilter& filter,
                                       std::optional<int> target_days, domain::Timestamp now);
TrendData trend_report(Connection& db, const ReportFilter& filter, domain::Timestamp month_since);
RecurrenceData recurrence_report(Connection& db, const ReportFilter& filter);
ScopeData scope_report(Connection& db, const ReportFilter& filter);

} // namespace sileram::storage::sqlite

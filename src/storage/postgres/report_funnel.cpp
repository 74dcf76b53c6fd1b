#include "../state_lists.hpp"
#include "reports.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// The stays of the filtered signals in each step, from their history: a stay begins with a
// history row whose step differs from the row before it and ends with the next such row. This is
// how SQLite fills its table step_stays from the history (its migration 3) and what its trigger
// keeps since; PostgreSQL derives it in the query instead of keeping a second copy.
std::string stays_cte(const std::string& where_sql) {
    return fmt::format(
        "WITH stepped AS (SELECT h.signal_id, h.id, h.at, {} AS step FROM history h "
        "JOIN signals s ON s.id = h.signal_id WHERE true{}), "
        "changes AS (SELECT signal_id, id, at, step, "
        "lag(step) OVER (PARTITION BY signal_id ORDER BY id) AS previous FROM stepped), "
        "stays AS (SELECT signal_id, step, at AS entered_at, "
        "lead(at) OVER (PARTITION BY signal_id ORDER BY id) AS left_at FROM changes "
        "WHERE previous IS NULL OR previous <> step) ",
        sql_step_of_history("h.to_state", "h.from_state", "s.step"), where_sql);
}

// Per step: the finished stays (count, longest, the two middle lengths as the sorted list has
// them, one twice for an odd count), the open ones (count, the oldest by entry, then id), and
// the finished ones within the step's target ($1: the targets in seconds, an array by step).
constexpr const char* k_stays_per_step = R"sql(
, timed AS (
    SELECT step, signal_id, entered_at, left_at,
           CASE WHEN left_at IS NOT NULL THEN (extract(epoch FROM left_at::timestamptz)
               - extract(epoch FROM entered_at::timestamptz))::bigint END AS seconds
    FROM stays),
ranked AS (
    SELECT step, signal_id, entered_at, left_at, seconds,
           row_number() OVER (PARTITION BY step, seconds IS NULL ORDER BY seconds) AS rank,
           count(seconds) OVER (PARTITION BY step) AS n
    FROM timed)
SELECT step, count(seconds), max(seconds),
       min(seconds) FILTER (WHERE seconds IS NOT NULL AND rank = (n + 1) / 2),
       min(seconds) FILTER (WHERE seconds IS NOT NULL AND rank = n / 2 + 1),
       count(*) FILTER (WHERE left_at IS NULL),
       min(entered_at) FILTER (WHERE left_at IS NULL),
       (array_agg(signal_id ORDER BY entered_at, signal_id) FILTER (WHERE left_at IS NULL))[1],
       count(*) FILTER (WHERE seconds <= ($1::bigint[])[step])
FROM ranked GROUP BY step ORDER BY step
)sql";

std::vector<StateCount> signals_per_state(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "s.submitted_at", Params());
    const Result r = db.exec(fmt::format("SELECT s.state, s.step, count(*) FROM signals s "
                                         "WHERE true{} GROUP BY 1, 2 ORDER BY 1, 2",
                                         where.sql)
                                 .c_str(),
                             where.params);
    std::vector<StateCount> states;
    for (int row = 0; row < r.rows(); ++row) {
        states.push_back(StateCount{state_at(r, row, 0), static_cast<int>(r.integer(row, 1)),
                                    r.integer(row, 2)});
    }
    return states;
}

// "{NULL,172800,…}": the target of each step 1-10 in seconds, NULL where it has none.
std::string target_seconds_array(const StepTargets& targets) {
    std::string array = "{";
    for (int step = 1; step <= 10; ++step) {
        const auto target = targets.find(step);
        array += step > 1 ? "," : "";
        array +=
            target == targets.end()
                ? std::string("NULL")
                : std::to_string(std::chrono::seconds(std::chrono::days(target->second)).count());
    }
    return array + "}";
}

std::vector<StepStayInput> stays_per_step(Connection& db, const ReportFilter& filter,
                                          const StepTargets& targets) {
    const Where where =
        filter_where(filter, "s.submitted_at", Params(target_seconds_array(targets)));
    const Result r = db.exec((stays_cte(where.sql) + k_stays_per_step).c_str(), where.params);
    std::vector<StepStayInput> stays;
    for (int row = 0; row < r.rows(); ++row) {
        StepStayInput s;
        s.step = static_cast<int>(r.integer(row, 0));
        s.completed = r.integer(row, 1);
        if (s.completed > 0) {
            s.longest_seconds = r.integer(row, 2);
            s.middle_lower_seconds = static_cast<double>(r.integer(row, 3));
            s.middle_upper_seconds = static_cast<double>(r.integer(row, 4));
        }
        s.waiting = r.integer(row, 5);
        if (s.waiting > 0) {
            s.oldest_entered = time_at(r, row, 6);
            s.oldest_signal = r.integer(row, 7);
        }
        s.within_target = r.integer(row, 8);
        stays.push_back(s);
    }
    return stays;
}

// Entering (submitted) and leaving (closed) per month within [month_since, until), of the
// signals the field filters select; the report's own time window does not narrow the months.
std::vector<MonthFlow> flow_per_month(Connection& db, const ReportFilter& filter,
                                      Timestamp month_since) {
    ReportFilter fields_only;
    fields_only.fields = filter.fields;
    const std::optional<std::string> until =
        filter.until ? std::optional<std::string>(format_timestamp(*filter.until)) : std::nullopt;
    const Params window(format_timestamp(month_since), until);
    std::map<std::string, MonthFlow> months;

    const Where by_field = filter_where(fields_only, "", window);
    const Result entered = db.exec(
        fmt::format("SELECT substr(s.submitted_at, 1, 7), count(*) FROM signals s "
                    "WHERE s.submitted_at >= $1 AND s.submitted_at < coalesce($2, '9999'){} "
                    "GROUP BY 1",
                    by_field.sql)
            .c_str(),
        by_field.params);
    for (int row = 0; row < entered.rows(); ++row) {
        MonthFlow& m = months[entered.text(row, 0)];
        m.month = entered.text(row, 0);
        m.entered = entered.integer(row, 1);
    }
    // Reaching step 10 is the history row that closes the signal.
    const std::string of_fields =
        filter.fields.empty()
            ? std::string()
            : fmt::format(" AND h.signal_id IN (SELECT s.id FROM signals s WHERE true{})",
                          by_field.sql);
    const Result left =
        db.exec(fmt::format("SELECT substr(h.at, 1, 7), count(*) FROM history h "
                            "WHERE h.to_state = 'closed' AND h.from_state IS DISTINCT FROM "
                            "'closed' AND h.at >= $1 AND h.at < coalesce($2, '9999'){} GROUP BY 1",
                            of_fields)
                    .c_str(),
                by_field.params);
    for (int row = 0; row < left.rows(); ++row) {
        MonthFlow& m = months[left.text(row, 0)];
        m.month = left.text(row, 0);
        m.left = left.integer(row, 1);
    }
    std::vector<MonthFlow> flow;
    for (auto& [month, m] : months) {
        flow.push_back(m);
    }
    return flow;
}

} // namespace

FunnelData funnel_report(Connection& db, const ReportFilter& filter, Timestamp month_since,
                         const StepTargets& targets) {
    FunnelData data;
    data.states = signals_per_state(db, filter);
    data.stays = stays_per_step(db, filter, targets);
    data.months = flow_per_month(db, filter, month_since);
    return data;
}

} // namespace sileram::storage::postgres

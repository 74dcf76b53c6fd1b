#include "../state_lists.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>
#include <map>
#include <vector>

namespace sileram::storage::postgres {

using namespace domain;

// The queries of the SQLite report of the same name: each figure per month (UTC, the first
// seven characters of the stored moment, as the funnel's months), within [$1, coalesce($2,
// '9999')), of the signals `s` the field filters select ({0}).
namespace {

constexpr const char* k_signals_in =
    "SELECT substr(s.submitted_at, 1, 7), count(*) FROM signals s WHERE s.submitted_at >= $1 "
    "AND s.submitted_at < coalesce($2, '9999'){0} GROUP BY 1";

// The first quality-check verdict of each signal ({1}: the events).
constexpr const char* k_verdicts =
    "SELECT substr(v.at, 1, 7), count(*) FROM (SELECT signal_id, min(at) AS at FROM history "
    "WHERE event IN {1} GROUP BY signal_id) v JOIN signals s ON s.id = v.signal_id "
    "WHERE v.at >= $1 AND v.at < coalesce($2, '9999'){0} GROUP BY 1";

// Each history row that brings a signal into `closed`, with the submission it ends.
constexpr const char* k_closings =
    "SELECT substr(h.at, 1, 7), h.at, s.submitted_at FROM history h JOIN signals s ON s.id = "
    "h.signal_id WHERE h.to_state = 'closed' AND h.from_state IS DISTINCT FROM 'closed' "
    "AND h.at >= $1 AND h.at < coalesce($2, '9999'){0}";

// The realised savings per period of each signal's latest measurement, as `report effect`.
constexpr const char* k_saved =
    "SELECT substr(m.measured_at, 1, 7), sum((s.contacts - m.contacts) * "
    "s.cost_per_contact_cents) FROM (SELECT signal_id, max(id) AS id FROM measurements GROUP BY "
    "signal_id) latest JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = "
    "latest.signal_id WHERE s.contacts IS NOT NULL AND m.measured_at >= $1 AND m.measured_at < "
    "coalesce($2, '9999'){0} GROUP BY 1";

// From the tallies of schema 12, the months from $1 (YYYY-MM) on.
constexpr const char* k_tallied_months = R"sql(
SELECT month, entered, verdicts, closed, saved_cents FROM tally_months
WHERE month >= $1 AND (entered > 0 OR verdicts > 0 OR closed > 0 OR measured > 0)
ORDER BY month
)sql";
// The closings' waits at rank $2 and the next, in seconds, walked in the index: of one month
// ($1), of every month from $1 on.
constexpr const char* k_month_close_ranks =
    "SELECT seconds FROM tally_closings WHERE month = $1 ORDER BY seconds LIMIT 2 OFFSET $2";
constexpr const char* k_close_ranks_since =
    "SELECT seconds FROM tally_closings WHERE month >= $1 ORDER BY seconds LIMIT 2 OFFSET $2";

// The median of `count` closings' waits that `walk` finds in order from `month`.
std::optional<double> median_in_index(Connection& db, const char* walk, const std::string& month,
                                      std::int64_t count) {
    if (count <= 0) {
        return std::nullopt;
    }
    const Result r = db.exec(walk, Params(month, (count - 1) / 2));
    if (r.rows() == 0) {
        throw SystemFailure("the report tallies count more closings than their index holds");
    }
    const std::int64_t lower = r.integer(0, 0);
    return median_days_of_middle(count, lower,
                                 count % 2 == 0 && r.rows() > 1 ? r.integer(1, 0) : lower);
}

TrendData tallied_trend(Connection& db, Timestamp month_since) {
    const std::string since = format_timestamp(month_since).substr(0, 7);
    TrendData data;
    const Result months = db.exec(k_tallied_months, Params(since));
    std::int64_t closed = 0;
    for (int row = 0; row < months.rows(); ++row) {
        TrendMonthInput m;
        m.month = months.text(row, 0);
        m.signals_in = months.integer(row, 1);
        m.verdicts = months.integer(row, 2);
        m.closed = months.integer(row, 3);
        m.saved_per_period_cents = months.integer(row, 4);
        m.median_days_to_close = median_in_index(db, k_month_close_ranks, m.month, m.closed);
        closed += m.closed;
        data.months.push_back(std::move(m));
    }
    data.median_days_to_close = median_in_index(db, k_close_ranks_since, since, closed);
    return data;
}

} // namespace

TrendData trend_report(Connection& db, const ReportFilter& filter, Timestamp month_since) {
    if (!has_filter(filter)) {
        return tallied_trend(db, month_since);
    }
    ReportFilter fields_only;
    fields_only.fields = filter.fields;
    const std::optional<std::string> until =
        filter.until ? std::optional<std::string>(format_timestamp(*filter.until)) : std::nullopt;
    const Where where = filter_where(fields_only, "", Params(format_timestamp(month_since), until));
    std::map<std::string, TrendMonthInput> months;
    const auto month = [&](const std::string& key) -> TrendMonthInput& {
        TrendMonthInput& m = months[key];
        m.month = key;
        return m;
    };
    const auto run = [&](const char* sql) {
        return db.exec(fmt::format(fmt::runtime(sql), where.sql, sql_verdict_events()).c_str(),
                       where.params);
    };
    const Result in = run(k_signals_in);
    for (int row = 0; row < in.rows(); ++row) {
        month(in.text(row, 0)).signals_in = in.integer(row, 1);
    }
    const Result verdicts = run(k_verdicts);
    for (int row = 0; row < verdicts.rows(); ++row) {
        month(verdicts.text(row, 0)).verdicts = verdicts.integer(row, 1);
    }
    const Result closings = run(k_closings);
    std::map<std::string, std::vector<std::int64_t>> close_seconds;
    std::vector<std::int64_t> all_close_seconds;
    for (int row = 0; row < closings.rows(); ++row) {
        const std::string key = closings.text(row, 0);
        ++month(key).closed;
        const std::int64_t seconds =
            (time_at(closings, row, 1) - time_at(closings, row, 2)).count();
        close_seconds[key].push_back(seconds);
        all_close_seconds.push_back(seconds);
    }
    for (auto& [key, seconds] : close_seconds) {
        month(key).median_days_to_close = median_days_to_close(seconds);
    }
    const Result saved = run(k_saved);
    for (int row = 0; row < saved.rows(); ++row) {
        month(saved.text(row, 0)).saved_per_period_cents = saved.integer(row, 1);
    }
    TrendData data;
    data.median_days_to_close = median_days_to_close(all_close_seconds);
    for (auto& [key, m] : months) {
        data.months.push_back(std::move(m));
    }
    return data;
}

} // namespace sileram::storage::postgres

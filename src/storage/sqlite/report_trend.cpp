#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>
#include <map>
#include <vector>

namespace sileram::storage::sqlite {

using namespace domain;

// Each figure per month (UTC, the first seven characters of the stored moment, as the funnel's
// months), within [?1, coalesce(?2, '9999')), of the signals `s` the field filters select ({0}).
namespace {

constexpr const char* k_signals_in =
    "SELECT substr(s.submitted_at, 1, 7), count(*) FROM signals s WHERE s.submitted_at >= ? "
    "AND s.submitted_at < coalesce(?, '9999'){0} GROUP BY 1";

// The first quality-check verdict of each signal ({1}: the events).
constexpr const char* k_verdicts =
    "SELECT substr(v.at, 1, 7), count(*) FROM (SELECT signal_id, min(at) AS at FROM history "
    "WHERE event IN {1} GROUP BY signal_id) v JOIN signals s ON s.id = v.signal_id "
    "WHERE v.at >= ? AND v.at < coalesce(?, '9999'){0} GROUP BY 1";

// Each history row that brings a signal into `closed`, with the submission it ends.
constexpr const char* k_closings =
    "SELECT substr(h.at, 1, 7), h.at, s.submitted_at FROM history h JOIN signals s ON s.id = "
    "h.signal_id WHERE h.to_state = 'closed' AND coalesce(h.from_state, '') <> 'closed' "
    "AND h.at >= ? AND h.at < coalesce(?, '9999'){0}";

// The realised savings per period of each signal's latest measurement, as `report effect`.
constexpr const char* k_saved =
    "SELECT substr(m.measured_at, 1, 7), sum((s.contacts - m.contacts) * "
    "s.cost_per_contact_cents) FROM (SELECT signal_id, max(id) AS id FROM measurements GROUP BY "
    "signal_id) latest JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = "
    "latest.signal_id WHERE s.contacts IS NOT NULL AND m.measured_at >= ? AND m.measured_at < "
    "coalesce(?, '9999'){0} GROUP BY 1";

// From the tallies of migrations 5 and 11, the months from ?1 (YYYY-MM) on.
constexpr const char* k_tallied_months = R"sql(
SELECT month, entered, verdicts, closed, saved_cents FROM tally_months
WHERE month >= ?1 AND (entered > 0 OR verdicts > 0 OR closed > 0 OR measured > 0)
)sql";
// The closings' waits at a rank and the next, in seconds, walked in the index: of one month
// (?1), of every month from ?1 on. ?2: the rank.
constexpr const char* k_month_close_ranks =
    "SELECT seconds FROM tally_closings INDEXED BY tally_closings_month WHERE month = ?1 "
    "ORDER BY seconds LIMIT 2 OFFSET ?2";
constexpr const char* k_close_ranks_since =
    "SELECT seconds FROM tally_closings INDEXED BY tally_closings_seconds WHERE month >= ?1 "
    "ORDER BY seconds LIMIT 2 OFFSET ?2";

// The median of `count` closings' waits that `walk` finds in order for `month`.
std::optional<double> median_in_index(Statement& walk, const std::string& month,
                                      std::int64_t count) {
    if (count <= 0) {
        return std::nullopt;
    }
    walk.bind(1, month);
    walk.bind(2, (count - 1) / 2);
    const auto [lower, upper] = waits_at_rank(walk, count % 2 == 0, "closings");
    return median_days_of_middle(count, lower, upper);
}

TrendData tallied_trend(Connection& db, Timestamp month_since) {
    const std::string since = format_timestamp(month_since).substr(0, 7);
    TrendData data;
    Statement months = db.prepare(k_tallied_months);
    months.bind(1, since);
    Statement month_ranks = db.prepare(k_month_close_ranks);
    std::int64_t closed = 0;
    while (months.step()) {
        TrendMonthInput m;
        m.month = months.text(0);
        m.signals_in = months.integer(1);
        m.verdicts = months.integer(2);
        m.closed = months.integer(3);
        m.saved_per_period_cents = months.integer(4);
        m.median_days_to_close = median_in_index(month_ranks, m.month, m.closed);
        closed += m.closed;
        data.months.push_back(std::move(m));
    }
    Statement all_ranks = db.prepare(k_close_ranks_since);
    data.median_days_to_close = median_in_index(all_ranks, since, closed);
    return data;
}

} // namespace

TrendData trend_report(Connection& db, const ReportFilter& filter, Timestamp month_since) {
    if (!has_filter(filter)) {
        return tallied_trend(db, month_since);
    }
    ReportFilter fields_only;
    fields_only.fields = filter.fields;
    const Where where = filter_where(fields_only, "");
    const std::string since = format_timestamp(month_since);
    const std::optional<std::string> until =
        filter.until ? std::optional<std::string>(format_timestamp(*filter.until)) : std::nullopt;
    std::map<std::string, TrendMonthInput> months;
    const auto month = [&](const std::string& key) -> TrendMonthInput& {
        TrendMonthInput& m = months[key];
        m.month = key;
        return m;
    };
    const auto run = [&](const char* sql, auto&& row) {
        Statement q = db.prepare(fmt::format(fmt::runtime(sql), where.sql, sql_verdict_events()));
        bind_with_filter(q, where, since, until);
        while (q.step()) {
            row(q);
        }
    };
    run(k_signals_in, [&](Statement& q) { month(q.text(0)).signals_in = q.integer(1); });
    run(k_verdicts, [&](Statement& q) { month(q.text(0)).verdicts = q.integer(1); });
    std::map<std::string, std::vector<std::int64_t>> close_seconds;
    std::vector<std::int64_t> all_close_seconds;
    run(k_closings, [&](Statement& q) {
        const std::string key = q.text(0);
        ++month(key).closed;
        const std::int64_t seconds = (time_of(q, 1) - time_of(q, 2)).count();
        close_seconds[key].push_back(seconds);
        all_close_seconds.push_back(seconds);
    });
    for (auto& [key, seconds] : close_seconds) {
        month(key).median_days_to_close = median_days_to_close(seconds);
    }
    run(k_saved, [&](Statement& q) { month(q.text(0)).saved_per_period_cents = q.integer(1); });
    TrendData data;
    data.median_days_to_close = median_days_to_close(all_close_seconds);
    for (auto& [key, m] : months) {
        data.months.push_back(std::move(m));
    }
    return data;
}

} // namespace sileram::storage::sqlite

#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>
#include <map>

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

} // namespace

TrendData trend_report(Connection& db, const ReportFilter& filter, Timestamp month_since) {
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
    run(k_closings, [&](Statement& q) {
        TrendMonthInput& m = month(q.text(0));
        ++m.closed;
        m.close_seconds.push_back((time_of(q, 1) - time_of(q, 2)).count());
    });
    run(k_saved, [&](Statement& q) { month(q.text(0)).saved_per_period_cents = q.integer(1); });
    TrendData data;
    for (auto& [key, m] : months) {
        data.months.push_back(std::move(m));
    }
    return data;
}

} // namespace sileram::storage::sqlite

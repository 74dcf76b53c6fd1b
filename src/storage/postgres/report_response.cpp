#include "../state_lists.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// From the tallies of schema 12: the responses per month, channel and whole day waited.
constexpr const char* k_responded =
    "SELECT month, channel, day, signals FROM tally_response_days WHERE signals > 0";
// The responses that took the target to the second: within it, though in the target's day.
// $1: the target in seconds.
constexpr const char* k_responded_at_target = R"sql(
SELECT month, channel, count(*) FROM tally_responses WHERE seconds = $1 GROUP BY month, channel
)sql";
// $1: the day (YYYY-MM-DD) of the cut: a signal submitted before it has waited past the target.
constexpr const char* k_unanswered = R"sql(
SELECT substr(day, 1, 7), channel, sum(signals), sum(CASE WHEN day < $1 THEN signals ELSE 0 END)
FROM tally_unanswered WHERE signals > 0 GROUP BY 1, 2
)sql";
// Those submitted on the cut's day before the cut itself ($2).
constexpr const char* k_unanswered_on_cut_day = R"sql(
SELECT substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), count(*)
FROM signals s JOIN tally_responses r ON r.signal_id = s.id
WHERE s.submitted_at >= $1 AND s.submitted_at < $2 AND r.seconds IS NULL
GROUP BY 1, 2
)sql";
// The waits at rank $2 and the next, in seconds, walked in the index from the first second $3
// of a whole day: of a month, of a channel ($1), of all. The next rank may lie in a later day.
constexpr const char* k_month_ranks =
    "SELECT seconds FROM tally_responses WHERE month = $1 AND seconds >= $3 "
    "ORDER BY seconds LIMIT 2 OFFSET $2";
constexpr const char* k_channel_ranks =
    "SELECT seconds FROM tally_responses WHERE channel = $1 AND seconds >= $3 "
    "ORDER BY seconds LIMIT 2 OFFSET $2";
constexpr const char* k_all_ranks =
    "SELECT seconds FROM tally_responses WHERE $1::text IS NOT NULL AND seconds >= $3 "
    "ORDER BY seconds LIMIT 2 OFFSET $2";

// Responses per whole day waited, in order.
using WaitDays = std::map<std::int64_t, std::int64_t>;

// The `fraction` percentile of the waits `walk` (one of the *_ranks) finds for `key`, of
// `responded` of them, which `days` counts per day: the rank's day from the counts, the rank
// within it from the index.
std::optional<double> percentile_in_index(Connection& db, const char* walk, const std::string& key,
                                          const WaitDays& days, std::int64_t responded,
                                          double fraction) {
    if (responded <= 0) {
        return std::nullopt;
    }
    const PercentileRanks ranks = percentile_ranks(responded, fraction);
    const RankInDays at = locate_rank(days, ranks.lower).value_or(RankInDays{});
    const Result r = db.exec(walk, Params(key, at.offset, at.from_seconds));
    if (r.rows() == 0) {
        throw SystemFailure("the report tallies count more responses than their index holds");
    }
    const std::int64_t lower = r.integer(0, 0);
    const std::int64_t upper = ranks.upper > ranks.lower && r.rows() > 1 ? r.integer(1, 0) : lower;
    return percentile_between(ranks, seconds_as_days(lower), seconds_as_days(upper));
}

void add_percentiles(Connection& db, const char* walk, const std::string& key, const WaitDays& days,
                     ResponseCount& count) {
    const std::int64_t responded = count.signals - count.waiting;
    count.median_days = percentile_in_index(db, walk, key, days, responded, k_response_median);
    count.p90_days = percentile_in_index(db, walk, key, days, responded, k_response_p90);
}

} // namespace

ResponseCounts tallied_responses(Connection& db, std::optional<int> target_days, Timestamp now) {
    ResponseCounts counts;
    const auto add = [&](const std::string& month, const std::string& channel, auto&& change) {
        change(counts.months[month]);
        change(counts.channels[channel]);
        change(counts.total);
    };
    std::map<std::string, WaitDays> month_days;
    std::map<std::string, WaitDays> channel_days;
    WaitDays all_days;
    const Result responded = db.exec(k_responded);
    for (int row = 0; row < responded.rows(); ++row) {
        const std::string month = responded.text(row, 0);
        const std::string channel = responded.text(row, 1);
        const std::int64_t day = responded.integer(row, 2);
        const std::int64_t n = responded.integer(row, 3);
        month_days[month][day] += n;
        channel_days[channel][day] += n;
        all_days[day] += n;
        add(month, channel, [&](ResponseCount& c) {
            c.signals += n;
            if (target_days) {
                c.judged += n;
                c.within += day < *target_days ? n : 0;
            }
        });
    }
    std::string cut_day = "0000-00-00";
    std::string cut;
    if (target_days) {
        const std::int64_t target_seconds = std::int64_t{*target_days} * 86400;
        const Result at_target = db.exec(k_responded_at_target, Params(target_seconds));
        for (int row = 0; row < at_target.rows(); ++row) {
            const std::int64_t n = at_target.integer(row, 2);
            add(at_target.text(row, 0), at_target.text(row, 1),
                [&](ResponseCount& c) { c.within += n; });
        }
        cut = format_timestamp(now - std::chrono::days(*target_days));
        cut_day = cut.substr(0, 10);
    }
    const Result unanswered = db.exec(k_unanswered, Params(cut_day));
    for (int row = 0; row < unanswered.rows(); ++row) {
        const std::int64_t n = unanswered.integer(row, 2);
        const std::int64_t past_target = unanswered.integer(row, 3);
        add(unanswered.text(row, 0), unanswered.text(row, 1), [&](ResponseCount& c) {
            c.signals += n;
            c.waiting += n;
            c.judged += target_days ? past_target : 0;
        });
    }
    if (target_days) {
        const Result on_cut_day = db.exec(k_unanswered_on_cut_day, Params(cut_day, cut));
        for (int row = 0; row < on_cut_day.rows(); ++row) {
            const std::int64_t n = on_cut_day.integer(row, 2);
            add(on_cut_day.text(row, 0), on_cut_day.text(row, 1),
                [&](ResponseCount& c) { c.judged += n; });
        }
    }
    for (auto& [month, count] : counts.months) {
        add_percentiles(db, k_month_ranks, month, month_days[month], count);
    }
    for (auto& [channel, count] : counts.channels) {
        add_percentiles(db, k_channel_ranks, channel, channel_days[channel], count);
    }
    add_percentiles(db, k_all_ranks, "all", all_days, counts.total);
    return counts;
}

std::vector<ResponseInput> response_report(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "s.submitted_at", Params());
    // The first response of every signal, as SQLite's: the first history row by id of a
    // response event, per signal in one pass.
    const Result r = db.exec(
        fmt::format("SELECT substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), s.submitted_at, "
                    "f.at FROM signals s LEFT JOIN (SELECT DISTINCT ON (signal_id) signal_id, at "
                    "FROM history WHERE event IN {} ORDER BY signal_id, id) f "
                    "ON f.signal_id = s.id WHERE true{} ORDER BY s.id",
                    sql_response_events(), where.sql)
            .c_str(),
        where.params);
    std::vector<ResponseInput> signals;
    signals.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        ResponseInput in;
        in.month = r.text(row, 0);
        in.channel = r.text(row, 1);
        in.submitted_at = time_at(r, row, 2);
        if (!r.is_null(row, 3)) {
            in.responded_at = time_at(r, row, 3);
        }
        signals.push_back(std::move(in));
    }
    return signals;
}

} // namespace sileram::storage::postgres

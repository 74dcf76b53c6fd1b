#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>
#include <map>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// Every signal submitted in the window, its channel and its first response.
std::vector<ResponseInput> response_signals(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "s.submitted_at");
    // The first response of every signal in one pass over the history, its time the bare
    // column of min(id) (SQLite takes it from that row). NOT INDEXED: through the index on
    // (signal_id, id) each history row is a random read, and a probe per signal took twice as
    // long on 100,000 signals.
    Statement rows = db.prepare(fmt::format(
        "SELECT substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), s.submitted_at, f.at "
        "FROM signals s LEFT JOIN (SELECT signal_id, min(id), at FROM history NOT INDEXED "
        "WHERE event IN {} GROUP BY signal_id) f ON f.signal_id = s.id WHERE 1 = 1{} "
        "ORDER BY s.id",
        sql_response_events(), where.sql));
    bind_with_filter(rows, where);
    std::vector<ResponseInput> signals;
    while (rows.step()) {
        ResponseInput in;
        in.month = rows.text(0);
        in.channel = rows.text(1);
        in.submitted_at = time_of(rows, 2);
        if (!rows.is_null(3)) {
            in.responded_at = time_of(rows, 3);
        }
        signals.push_back(std::move(in));
    }
    return signals;
}

// From the tallies of migration 11: the responses per month, channel and whole day waited.
constexpr const char* k_responded =
    "SELECT month, channel, day, signals FROM tally_response_days WHERE signals > 0";
// The responses that took the target to the second: within it, though in the target's day.
// ?1: the target in seconds.
constexpr const char* k_responded_at_target = R"sql(
SELECT month, channel, count(*) FROM tally_responses INDEXED BY tally_responses_seconds
WHERE seconds = ?1 GROUP BY month, channel
)sql";
// ?1: the day (YYYY-MM-DD) of the cut: a signal submitted before it has waited past the target.
constexpr const char* k_unanswered = R"sql(
SELECT substr(day, 1, 7), channel, sum(signals), sum(CASE WHEN day < ?1 THEN signals ELSE 0 END)
FROM tally_unanswered WHERE signals > 0 GROUP BY 1, 2
)sql";
// Those submitted on the cut's day before the cut itself (?2).
constexpr const char* k_unanswered_on_cut_day = R"sql(
SELECT substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), count(*)
FROM signals s INDEXED BY signals_submitted_at
WHERE s.submitted_at >= ?1 AND s.submitted_at < ?2
  AND NOT EXISTS (SELECT 1 FROM tally_responses r WHERE r.signal_id = s.id)
GROUP BY 1, 2
)sql";
// The waits at a rank and the next, in seconds, walked in the index from the first of a whole
// day: of a month, of a channel, of all. ?1: the month or channel, ?2: the rank within the
// day, ?3: the day's first second. The next rank may lie in a later day.
constexpr const char* k_month_ranks =
    "SELECT seconds FROM tally_responses INDEXED BY tally_responses_month WHERE month = ?1 AND "
    "seconds >= ?3 ORDER BY seconds LIMIT 2 OFFSET ?2";
constexpr const char* k_channel_ranks =
    "SELECT seconds FROM tally_responses INDEXED BY tally_responses_channel WHERE channel = ?1 "
    "AND seconds >= ?3 ORDER BY seconds LIMIT 2 OFFSET ?2";
constexpr const char* k_all_ranks =
    "SELECT seconds FROM tally_responses INDEXED BY tally_responses_seconds WHERE ?1 IS NOT "
    "NULL AND seconds >= ?3 ORDER BY seconds LIMIT 2 OFFSET ?2";

// Responses per whole day waited, in order.
using WaitDays = std::map<std::int64_t, std::int64_t>;

// The `fraction` percentile of the waits `walk` (one of the *_ranks) finds for `key`, of
// `responded` of them, which `days` counts per day: the rank's day from the counts, the rank
// within it from the index.
std::optional<double> percentile_in_index(Statement& walk, const std::string& key,
                                          const WaitDays& days, std::int64_t responded,
                                          double fraction) {
    if (responded <= 0) {
        return std::nullopt;
    }
    const PercentileRanks ranks = percentile_ranks(responded, fraction);
    const RankInDays at = locate_rank(days, ranks.lower).value_or(RankInDays{});
    walk.bind(1, key);
    walk.bind(2, at.offset);
    walk.bind(3, at.from_seconds);
    const auto [lower, upper] = waits_at_rank(walk, ranks.upper > ranks.lower, "responses");
    return percentile_between(ranks, seconds_as_days(lower), seconds_as_days(upper));
}

void add_percentiles(Statement& walk, const std::string& key, const WaitDays& days,
                     ResponseCount& count) {
    const std::int64_t responded = count.signals - count.waiting;
    count.median_days = percentile_in_index(walk, key, days, responded, k_response_median);
    count.p90_days = percentile_in_index(walk, key, days, responded, k_response_p90);
}

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
    Statement responded = db.prepare(k_responded);
    while (responded.step()) {
        const std::string month = responded.text(0);
        const std::string channel = responded.text(1);
        const std::int64_t day = responded.integer(2);
        const std::int64_t n = responded.integer(3);
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
        Statement at_target = db.prepare(k_responded_at_target);
        at_target.bind(1, target_seconds);
        while (at_target.step()) {
            const std::int64_t n = at_target.integer(2);
            add(at_target.text(0), at_target.text(1), [&](ResponseCount& c) { c.within += n; });
        }
        cut = format_timestamp(now - std::chrono::days(*target_days));
        cut_day = cut.substr(0, 10);
    }
    Statement unanswered = db.prepare(k_unanswered);
    unanswered.bind(1, cut_day);
    while (unanswered.step()) {
        const std::int64_t n = unanswered.integer(2);
        const std::int64_t past_target = unanswered.integer(3);
        add(unanswered.text(0), unanswered.text(1), [&](ResponseCount& c) {
            c.signals += n;
            c.waiting += n;
            c.judged += target_days ? past_target : 0;
        });
    }
    if (target_days) {
        Statement on_cut_day = db.prepare(k_unanswered_on_cut_day);
        on_cut_day.bind_all(cut_day, cut);
        while (on_cut_day.step()) {
            const std::int64_t n = on_cut_day.integer(2);
            add(on_cut_day.text(0), on_cut_day.text(1), [&](ResponseCount& c) { c.judged += n; });
        }
    }
    Statement month_ranks = db.prepare(k_month_ranks);
    for (auto& [month, count] : counts.months) {
        add_percentiles(month_ranks, month, month_days[month], count);
    }
    Statement channel_ranks = db.prepare(k_channel_ranks);
    for (auto& [channel, count] : counts.channels) {
        add_percentiles(channel_ranks, channel, channel_days[channel], count);
    }
    Statement all_ranks = db.prepare(k_all_ranks);
    add_percentiles(all_ranks, "all", all_days, counts.total);
    return counts;
}

} // namespace

ResponseCounts response_report(Connection& db, const ReportFilter& filter,
                               std::optional<int> target_days, Timestamp now) {
    if (has_filter(filter)) {
        return count_responses(response_signals(db, filter), target_days, now);
    }
    return tallied_responses(db, target_days, now);
}

} // namespace sileram::storage::sqlite

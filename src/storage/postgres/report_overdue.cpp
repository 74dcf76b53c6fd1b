#include "../late_sql.hpp"
#include "../state_lists.hpp"
#include "reports.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// Actions not done, due before $1, of signals being carried out.
std::string overdue_actions_from(const std::string& where_sql) {
    return fmt::format("FROM actions a JOIN signals s ON s.id = a.signal_id "
                       "WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL "
                       "AND a.due < $1 AND s.state IN {}{}",
                       sql_executing_states(), where_sql);
}

void list_overdue_actions(Connection& db, const ReportFilter& filter, Date today,
                          OverdueData& data) {
    const Where where = filter_where(filter, "s.submitted_at", Params(format_date(today)));
    const std::string from = overdue_actions_from(where.sql);
    // Without a filter the overdue actions are counted per due date in a tally (schema 13).
    data.actions_total =
        has_filter(filter)
            ? db.exec(("SELECT count(*) " + from).c_str(), where.params).integer(0, 0)
            : db.exec("SELECT coalesce(sum(actions), 0) FROM tally_due WHERE due < $1",
                      Params(format_date(today)))
                  .integer(0, 0);
    // In due order from the index actions_open_due: the first overdue actions end the scan.
    const Result r = db.exec(
        fmt::format("SELECT a.signal_id, s.title, a.number, a.title, a.owner, a.due, a.status, "
                    "a.progress {} ORDER BY a.due, a.signal_id, a.number{}",
                    from, limit_clause(filter))
            .c_str(),
        where.params);
    for (int row = 0; row < r.rows(); ++row) {
        OverdueActionInput a;
        a.signal = r.integer(row, 0);
        a.signal_title = r.text(row, 1);
        a.number = static_cast<int>(r.integer(row, 2));
        a.title = r.text(row, 3);
        a.owner = r.text(row, 4);
        a.due = *parse_date(r.text(row, 5));
        a.status = parse_action_status(r.text(row, 6)).value_or(ActionStatus::planned);
        a.progress = static_cast<int>(r.integer(row, 7));
        data.actions.push_back(std::move(a));
    }
}

// Signals not closed and unchanged since $1, the longest unchanged first.
void list_stale_signals(Connection& db, const ReportFilter& filter, Timestamp stale_before,
                        OverdueData& data) {
    const Where where =
        filter_where(filter, "s.submitted_at", Params(format_timestamp(stale_before)));
    const std::string from =
        fmt::format("FROM signals s WHERE s.state <> 'closed' AND s.updated_at < $1{}", where.sql);
    // Without a filter: the signals not closed (tally_states, schema 12) less those changed
    // since the cut, which are few.
    data.stale_total =
        has_filter(filter)
            ? db.exec(("SELECT count(*) " + from).c_str(), where.params).integer(0, 0)
            : db.exec("SELECT (SELECT coalesce(sum(signals), 0) FROM tally_states "
                      "WHERE state <> 'closed') - (SELECT count(*) FROM signals "
                      "WHERE state <> 'closed' AND updated_at >= $1)",
                      Params(format_timestamp(stale_before)))
                  .integer(0, 0);
    const Result r = db.exec(fmt::format("SELECT s.id, s.title, s.state, s.updated_at {} "
                                         "ORDER BY s.updated_at, s.id{}",
                                         from, limit_clause(filter))
                                 .c_str(),
                             where.params);
    for (int row = 0; row < r.rows(); ++row) {
        data.stale.push_back(StaleSignalInput{r.integer(row, 0), r.text(row, 1),
                                              state_at(r, row, 2), time_at(r, row, 3)});
    }
}

// Per address ignoring ASCII case: its first spelling (bytewise), the signals not closed, and
// the oldest of them (by time, then id) with its time. $1: the cut.
constexpr const char* k_silent_submitted = R"sql(
SELECT min(s.submitted_by), count(*), min(s.submitted_at),
       (array_agg(s.id ORDER BY s.submitted_at, s.id))[1]
FROM signals s WHERE s.state <> 'closed' AND s.submitted_at < $1{}
GROUP BY ascii_lower(s.submitted_by)
)sql";
// The same for those who joined a signal later.
constexpr const char* k_silent_joined = R"sql(
SELECT min(u.email), count(*), min(u.joined_at),
       (array_agg(u.signal_id ORDER BY u.joined_at, u.signal_id))[1]
FROM submitters u JOIN signals s ON s.id = u.signal_id
WHERE u.via <> 'submit' AND s.state <> 'closed' AND u.joined_at < $1{}
GROUP BY ascii_lower(u.email)
)sql";

// Without a filter, the same from the tallies: per spelling, the signals not closed
// (tally_submitted, schema 13) less those since the cut (bound as $1), which are few, and its
// oldest signal not closed (tally_submitted_oldest, schema 15; a spelling with a signal before
// the cut has its oldest before it); then per address ignoring ASCII case (kept beside the
// spelling: computed here it took longer than the rest) the first spelling, the sum and the
// oldest of those spellings.
constexpr const char* k_tallied_submitted = R"sql(
WITH recent AS (
    SELECT s.submitted_by AS email, count(*) AS n FROM signals s
    WHERE s.state <> 'closed' AND s.submitted_at >= $1 GROUP BY 1),
spellings AS (
    SELECT o.address, t.email, t.signals - coalesce(r.n, 0) AS n, o.submitted_at AS since,
           o.signal_id
    FROM tally_submitted t JOIN tally_submitted_oldest o ON o.email = t.email
    LEFT JOIN recent r ON r.email = t.email
    WHERE t.signals - coalesce(r.n, 0) > 0)
SELECT min(email), sum(n), min(since), (array_agg(signal_id ORDER BY since, signal_id))[1]
FROM spellings GROUP BY address
)sql";
constexpr const char* k_tallied_joined = R"sql(
WITH recent AS (
    SELECT u.email, count(*) AS n FROM submitters u JOIN signals s ON s.id = u.signal_id
    WHERE u.via <> 'submit' AND u.joined_at >= $1 AND s.state <> 'closed' GROUP BY 1),
spellings AS (
    SELECT o.address, t.email, t.signals - coalesce(r.n, 0) AS n, o.joined_at AS since,
           o.signal_id
    FROM tally_joined t JOIN tally_joined_oldest o ON o.email = t.email
    LEFT JOIN recent r ON r.email = t.email
    WHERE t.signals - coalesce(r.n, 0) > 0)
SELECT min(email), sum(n), min(since), (array_agg(signal_id ORDER BY since, signal_id))[1]
FROM spellings GROUP BY address
)sql";

// Who submitted or joined a signal that is not closed before `silent_before`, and has waited
// since: one entry per address ignoring ASCII case, the longest waiting first.
void list_silent_submitters(Connection& db, const ReportFilter& filter, Timestamp silent_before,
                            OverdueData& data) {
    const Where where =
        filter_where(filter, "s.submitted_at", Params(format_timestamp(silent_before)));
    std::map<std::string, SilentSubmitterInput> silent;
    const bool tallied = !has_filter(filter);
    for (const char* sql : {tallied ? k_tallied_submitted : k_silent_submitted,
                            tallied ? k_tallied_joined : k_silent_joined}) {
        const Result r = db.exec(fmt::format(fmt::runtime(sql), where.sql).c_str(), where.params);
        for (int row = 0; row < r.rows(); ++row) {
            const std::string email = r.text(row, 0);
            std::string key = email;
            std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
                return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            });
            const Timestamp since = time_at(r, row, 2);
            const SignalId oldest = r.integer(row, 3);
            auto [it, fresh] =
                silent.try_emplace(key, SilentSubmitterInput{email, 0, since, oldest});
            it->second.signals += r.integer(row, 1);
            if (!fresh && since < it->second.waiting_since) {
                it->second.waiting_since = since;
                it->second.oldest_signal = oldest;
            }
        }
    }
    data.silent = rank_silent_submitters(std::move(silent), filter.limit, data.silent_total);
}

// Signals in needs-info: when they were asked, to whom the question went (the submitters, in
// the order they came) and the last question.
constexpr const char* k_waiting_columns = R"sql(
SELECT s.id, s.title, {},
       (SELECT string_agg(u.email, ', ' ORDER BY u.id) FROM submitters u
        WHERE u.signal_id = s.id),
       coalesce((SELECT h.detail FROM history h WHERE h.signal_id = s.id
                 AND h.to_state = 'needs-info' ORDER BY h.id DESC LIMIT 1), '')
)sql";

void list_waiting_signals(Connection& db, const ReportFilter& filter, OverdueData& data) {
    const Where where = filter_where(filter, "s.submitted_at", Params());
    const std::string from =
        fmt::format("FROM signals s WHERE s.state = 'needs-info'{}", where.sql);
    data.waiting_total = db.exec(("SELECT count(*) " + from).c_str(), where.params).integer(0, 0);
    const Result r =
        db.exec((fmt::format(fmt::runtime(k_waiting_columns), storage::k_late_entered_at) +
                 fmt::format("{} ORDER BY 3, s.id{}", from, limit_clause(filter)))
                    .c_str(),
                where.params);
    for (int row = 0; row < r.rows(); ++row) {
        data.waiting.push_back(WaitingInput{r.integer(row, 0), r.text(row, 1), time_at(r, row, 2),
                                            r.text(row, 3), r.text(row, 4)});
    }
}

// " AND (…)": the facts of lateness in tally_late `l` (schema 15) are late by `cuts`, as
// storage::late_condition has it for the tables; each range is one of the tally's indexes.
std::string tallied_late_condition(const LateCuts& cuts, Params& params) {
    std::vector<std::string> any;
    const auto add = [&params](const std::string& value) {
        params.add(value);
        return fmt::format("${}", params.values().size());
    };
    if (cuts.first_response_before) {
        any.push_back(fmt::format("(l.state = 'submitted' AND NOT l.responded "
                                  "AND l.submitted_at < {})",
                                  add(format_timestamp(*cuts.first_response_before))));
    }
    for (const auto& [state, before] : cuts.entered_before) {
        const std::string state_param = add(std::string(to_string(state)));
        any.push_back(fmt::format("(l.state = {} AND l.entered_at < {})", state_param,
                                  add(format_timestamp(before))));
    }
    if (cuts.review_before) {
        any.push_back(fmt::format("(l.state = 'parked' AND l.parked_until < {})",
                                  add(format_date(*cuts.review_before))));
    }
    return any.empty() ? " AND 1 = 0" : fmt::format(" AND ({})", fmt::join(any, " OR "));
}

// The late signals of `r`: id, title, state, submitted_at, entered_at, responded (0 or 1) and
// parked_until, in that order, from the tallies or the tables alike.
void add_late_signals(const Result& r, OverdueData& data) {
    for (int row = 0; row < r.rows(); ++row) {
        LateSignalInput late{r.integer(row, 0), r.text(row, 1), {}};
        late.facts.state = state_at(r, row, 2);
        late.facts.submitted_at = time_at(r, row, 3);
        late.facts.entered_at = time_at(r, row, 4);
        late.facts.responded = r.integer(row, 5) != 0;
        if (!r.is_null(row, 6)) {
            late.facts.parked_until = parse_date(r.text(row, 6));
        }
        data.late.push_back(std::move(late));
    }
}

// Without a filter: the late signals from tally_late (schema 15), counted from its indexes, the
// first `limit` in order of submission, then their titles.
void list_tallied_late_signals(Connection& db, const ReportFilter& filter, const LateCuts& cuts,
                               OverdueData& data) {
    Params params;
    const std::string from = "FROM tally_late l WHERE true" + tallied_late_condition(cuts, params);
    data.late_total = db.exec(("SELECT count(*) " + from).c_str(), params).integer(0, 0);
    const Result r = db.exec(
        fmt::format("SELECT s.id, s.title, l.state, l.submitted_at, l.entered_at, "
                    "CASE WHEN l.responded THEN 1 ELSE 0 END, l.parked_until "
                    "FROM (SELECT * {} ORDER BY l.submitted_at, l.signal_id{}) l "
                    "JOIN signals s ON s.id = l.signal_id ORDER BY l.submitted_at, l.signal_id",
                    from, limit_clause(filter))
            .c_str(),
        params);
    add_late_signals(r, data);
}

void list_late_signals(Connection& db, const ReportFilter& filter, const LateCuts& cuts,
                       OverdueData& data) {
    if (!has_filter(filter)) {
        list_tallied_late_signals(db, filter, cuts, data);
        return;
    }
    Where where = filter_where(filter, "s.submitted_at", Params());
    std::vector<std::string> late_values;
    const std::string condition = storage::late_condition(
        cuts, [&where] { return where.placeholder(); }, late_values);
    for (const std::string& value : late_values) {
        where.params.add(value);
    }
    const std::string from = fmt::format("FROM signals s WHERE true{}{}", where.sql, condition);
    data.late_total = db.exec(("SELECT count(*) " + from).c_str(), where.params).integer(0, 0);
    // The late signals first, then their order: left to choose, the planner walked every signal
    // in the order of submission to find the few late ones (4 s of 6 at 1,000,000 signals).
    // OFFSET 0 keeps the subquery apart.
    const Result r = db.exec(fmt::format("SELECT s.id, s.title, s.state, s.submitted_at{} FROM "
                                         "(SELECT * {} OFFSET 0) s "
                                         "ORDER BY s.submitted_at, s.id{}",
                                         storage::late_columns(), from, limit_clause(filter))
                                 .c_str(),
                             where.params);
    add_late_signals(r, data);
}

} // namespace

OverdueData overdue_report(Connection& db, const ReportFilter& filter, Date today,
                           Timestamp stale_before, Timestamp silent_before, const LateCuts& late) {
    OverdueData data;
    list_overdue_actions(db, filter, today, data);
    list_stale_signals(db, filter, stale_before, data);
    list_silent_submitters(db, filter, silent_before, data);
    list_waiting_signals(db, filter, data);
    list_late_signals(db, filter, late, data);
    return data;
}

} // namespace sileram::storage::postgres

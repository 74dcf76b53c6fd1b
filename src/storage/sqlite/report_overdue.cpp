#include "../late_sql.hpp"
#include "../state_lists.hpp"
#include "reports.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// Submitters of signals not closed, submitted before the cut (bound as 1): as the GROUP BY over
// the signals gives them (spellings grouped ignoring case, the first spelling, the count, the
// oldest signal), from the tally of migration 5 less the signals since the cut.
constexpr const char* k_tallied_submitted = R"sql(
WITH recent AS (
    SELECT submitted_by AS email, count(*) AS n FROM signals INDEXED BY signals_open_submitted
    WHERE state <> 'closed' AND submitted_at >= ?1 GROUP BY submitted_by),
spellings AS (
    SELECT t.email, t.signals - coalesce(r.n, 0) AS n
    FROM tally_submitted t LEFT JOIN recent r ON r.email = t.email WHERE t.signals > 0),
addresses AS (
    SELECT min(email) AS email, sum(n) AS n FROM spellings WHERE n > 0
    GROUP BY email COLLATE NOCASE)
SELECT a.email, a.n, o.submitted_at, o.id FROM addresses a JOIN signals o ON o.id = (
    SELECT s.id FROM signals s WHERE s.submitted_by = a.email COLLATE NOCASE
    AND s.state <> 'closed' ORDER BY s.submitted_at, s.id LIMIT 1)
)sql";

// The same for those who joined a signal not closed before the cut (bound as 1).
constexpr const char* k_tallied_joined = R"sql(
WITH recent AS (
    SELECT u.email COLLATE BINARY AS email, count(*) AS n
    FROM submitters u INDEXED BY submitters_joined_at JOIN signals s ON s.id = u.signal_id
    WHERE u.via <> 'submit' AND u.joined_at >= ?1 AND s.state <> 'closed' GROUP BY 1),
spellings AS (
    SELECT t.email, t.signals - coalesce(r.n, 0) AS n
    FROM tally_joined t LEFT JOIN recent r ON r.email = t.email WHERE t.signals > 0),
addresses AS (
    SELECT min(email) AS email, sum(n) AS n FROM spellings WHERE n > 0
    GROUP BY email COLLATE NOCASE)
SELECT a.email, a.n, o.joined_at, o.signal_id FROM addresses a JOIN submitters o ON o.id = (
    SELECT u.id FROM submitters u INDEXED BY submitters_joined_email
    JOIN signals s ON s.id = u.signal_id
    WHERE u.email = a.email AND u.via <> 'submit' AND s.state <> 'closed'
    ORDER BY u.joined_at, u.signal_id LIMIT 1)
)sql";

// Actions not done, due before the day bound first, of signals being carried out.
std::string overdue_actions_join(const Where& where) {
    return fmt::format("JOIN signals s ON s.id = a.signal_id "
                       "WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL "
                       "AND a.due < ? AND s.state IN {}{}",
                       sql_executing_states(), where.sql);
}

void list_overdue_actions(Connection& db, const ReportFilter& filter, const Where& where,
                          Date today, OverdueData& data) {
    const std::string day = format_date(today);
    const std::string actions_join = overdue_actions_join(where);
    // Without a filter the overdue actions are counted per due date in a tally (migration 5).
    if (has_filter(filter)) {
        data.actions_total = count_rows(db, "FROM actions a " + actions_join, where, day);
    } else {
        Statement due = db.prepare("SELECT coalesce(sum(actions), 0) FROM tally_due WHERE due < ?");
        due.bind(1, day);
        data.actions_total = due.step() ? due.integer(0) : 0;
    }
    Statement actions = db.prepare(
        // In due order from the index: the first overdue actions end the scan.
        fmt::format("SELECT a.signal_id, s.title, a.number, a.title, a.owner, a.due, a.status, "
                    "a.progress {} ORDER BY a.due, a.signal_id, a.number{}",
                    "FROM actions a INDEXED BY actions_open_due " + actions_join,
                    limit_clause(filter)));
    bind_with_filter(actions, where, day);
    while (actions.step()) {
        OverdueActionInput a;
        a.signal = actions.integer(0);
        a.signal_title = actions.text(1);
        a.number = static_cast<int>(actions.integer(2));
        a.title = actions.text(3);
        a.owner = actions.text(4);
        a.due = *parse_date(actions.text(5));
        a.status = parse_action_status(actions.text(6)).value_or(ActionStatus::planned);
        a.progress = static_cast<int>(actions.integer(7));
        data.actions.push_back(std::move(a));
    }
}

void list_stale_signals(Connection& db, const ReportFilter& filter, const Where& where,
                        Timestamp stale_before, OverdueData& data) {
    const std::string stale_from =
        fmt::format("FROM signals s WHERE s.state <> 'closed' AND s.updated_at < ?{}", where.sql);
    const std::string stale_cut = format_timestamp(stale_before);
    // Without a filter: the signals not closed (a tally, migration 5) less those changed
    // since the cut, which are few.
    if (has_filter(filter)) {
        data.stale_total = count_rows(db, stale_from, where, stale_cut);
    } else {
        Statement stale_count = db.prepare(
            "SELECT (SELECT coalesce(sum(signals), 0) FROM tally_states WHERE state <> "
            "'closed') "
            "- (SELECT count(*) FROM signals WHERE state <> 'closed' AND updated_at >= ?)");
        stale_count.bind(1, stale_cut);
        data.stale_total = stale_count.step() ? stale_count.integer(0) : 0;
    }
    Statement stale = db.prepare(
        fmt::format("SELECT s.id, s.title, s.state, s.updated_at {} ORDER BY s.updated_at, s.id{}",
                    stale_from, limit_clause(filter)));
    bind_with_filter(stale, where, stale_cut);
    while (stale.step()) {
        data.stale.push_back(StaleSignalInput{stale.integer(0), stale.text(1), state_of(stale, 2),
                                              time_of(stale, 3)});
    }
}

using Silent = std::map<std::string, SilentSubmitterInput>;

// Adds each row (address, signals, since, oldest signal) to its address ignoring ASCII case.
void merge_silent(Statement& row, Silent& silent) {
    while (row.step()) {
        std::string email = row.text(0);
        std::string key = email;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
            return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        });
        const Timestamp since = time_of(row, 2);
        auto [it, fresh] =
            silent.try_emplace(key, SilentSubmitterInput{email, 0, since, row.integer(3)});
        it->second.signals += row.integer(1);
        if (since < it->second.waiting_since) {
            it->second.waiting_since = since;
            it->second.oldest_signal = row.integer(3);
        }
        (void)fresh;
    }
}

// Who submitted or joined a signal that is not closed, and has waited since: the submitters of
// the signals themselves, and those who joined later; the longest waiting first.
void list_silent_submitters(Connection& db, const ReportFilter& filter, const Where& where,
                            Timestamp silent_before, OverdueData& data) {
    const std::string silent_cut = format_timestamp(silent_before);
    Silent silent;
    // Without a filter: per spelling, the signals not closed (a tally, migration 5) less
    // those since the cut, which are few; then the oldest of each address from its index.
    const bool tallied = !has_filter(filter);
    Statement submitted = db.prepare(
        tallied ? std::string(k_tallied_submitted)
                : fmt::format("SELECT min(s.submitted_by), count(*), min(s.submitted_at), "
                              "s.id FROM signals s WHERE s.state <> 'closed' AND "
                              "s.submitted_at < ?{} GROUP BY s.submitted_by COLLATE NOCASE",
                              where.sql));
    bind_with_filter(submitted, where, silent_cut);
    merge_silent(submitted, silent);
    Statement joined = db.prepare(
        tallied ? std::string(k_tallied_joined)
                : fmt::format("SELECT min(u.email), count(*), min(u.joined_at), u.signal_id "
                              "FROM submitters u JOIN signals s ON s.id = u.signal_id WHERE "
                              "u.via <> 'submit' AND s.state <> 'closed' AND u.joined_at < "
                              "?{} GROUP BY u.email COLLATE NOCASE",
                              where.sql));
    bind_with_filter(joined, where, silent_cut);
    merge_silent(joined, silent);
    data.silent = rank_silent_submitters(std::move(silent), filter.limit, data.silent_total);
}

// Signals in needs-info: when they were asked, to whom the question went (the submitters, in
// the order they came) and the last question.
constexpr const char* k_waiting_columns = R"sql(
SELECT s.id, s.title, {},
       (SELECT group_concat(e, ', ') FROM (
            SELECT u.email AS e FROM submitters u WHERE u.signal_id = s.id ORDER BY u.id)),
       coalesce((SELECT h.detail FROM history h WHERE h.signal_id = s.id
                 AND h.to_state = 'needs-info' ORDER BY h.id DESC LIMIT 1), '')
)sql";

void list_waiting_signals(Connection& db, const ReportFilter& filter, const Where& where,
                          OverdueData& data) {
    const std::string from =
        fmt::format("FROM signals s WHERE s.state = 'needs-info'{}", where.sql);
    data.waiting_total = count_rows(db, from, where);
    Statement waiting =
        db.prepare(fmt::format(k_waiting_columns, storage::k_late_entered_at) +
                   fmt::format("{} ORDER BY 3, s.id{}", from, limit_clause(filter)));
    bind_with_filter(waiting, where);
    while (waiting.step()) {
        data.waiting.push_back(WaitingInput{waiting.integer(0), waiting.text(1),
                                            time_of(waiting, 2), waiting.text(3), waiting.text(4)});
    }
}

// Binds the late condition's values, then the filter's, from position 1.
void bind_late(Statement& statement, const std::vector<std::string>& late_values,
               const Where& where) {
    int index = 0;
    for (const std::string& value : late_values) {
        statement.bind(++index, value);
    }
    for (const Value& v : where.values) {
        std::visit([&](const auto& x) { statement.bind(++index, x); }, v);
    }
}

void list_late_signals(Connection& db, const ReportFilter& filter, const Where& where,
                       const LateCuts& cuts, OverdueData& data) {
    std::vector<std::string> late_values;
    const std::string condition = storage::late_condition(
        cuts, [] { return std::string("?"); }, late_values);
    const std::string from = fmt::format("FROM signals s WHERE 1 = 1{}{}", condition, where.sql);
    Statement count = db.prepare("SELECT count(*) " + from);
    bind_late(count, late_values, where);
    data.late_total = count.step() ? count.integer(0) : 0;
    Statement late = db.prepare(fmt::format("SELECT s.id, s.title, s.state, s.submitted_at{} {} "
                                            "ORDER BY s.submitted_at, s.id{}",
                                            storage::late_columns(), from, limit_clause(filter)));
    bind_late(late, late_values, where);
    while (late.step()) {
        LateSignalInput row{late.integer(0), late.text(1), {}};
        row.facts.state = state_of(late, 2);
        row.facts.submitted_at = time_of(late, 3);
        row.facts.entered_at = time_of(late, 4);
        row.facts.responded = late.integer(5) != 0;
        if (!late.is_null(6)) {
            row.facts.parked_until = parse_date(late.text(6));
        }
        data.late.push_back(std::move(row));
    }
}

} // namespace

OverdueData overdue_report(Connection& db, const ReportFilter& filter, Date today,
                           Timestamp stale_before, Timestamp silent_before, const LateCuts& late) {
    OverdueData data;
    const Where where = filter_where(filter, "s.submitted_at");
    list_overdue_actions(db, filter, where, today, data);
    list_stale_signals(db, filter, where, stale_before, data);
    list_silent_submitters(db, filter, where, silent_before, data);
    list_waiting_signals(db, filter, where, data);
    list_late_signals(db, filter, where, late, data);
    return data;
}

} // namespace sileram::storage::sqlite

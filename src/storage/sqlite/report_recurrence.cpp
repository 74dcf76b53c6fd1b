#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// The recurrences submit recorded of closed signals `s` that can recur ({0}: sql_can_recur),
// with the moment of their last close ({1}: the event), submitted on or after it; bound: the
// filter ({2}). Submit records only what is at least domain::k_recurrence_similarity alike.
// CROSS JOIN keeps SQLite reading the few recurrences first: left to choose, it scanned the
// closed signals and, for each, the new signals submitted after it.
constexpr const char* k_recurrence_pairs = R"sql(
SELECT x.closed, x.process, x.cause, x.closed_at, x.signal, x.title, x.state, x.submitted_at,
       x.similarity
FROM (SELECT s.id AS closed, coalesce(s.process, '') AS process, c.cause AS cause,
             (SELECT max(h.at) FROM history h WHERE h.signal_id = s.id AND h.event = '{1}')
                 AS closed_at,
             n.id AS signal, n.title AS title, n.state AS state, n.submitted_at AS submitted_at,
             r.similarity AS similarity
      FROM recurrences r CROSS JOIN signals s CROSS JOIN root_causes c CROSS JOIN signals n
      WHERE s.id = r.closed_signal_id AND c.signal_id = s.id AND n.id = r.signal_id
      AND {0}{2}) x
WHERE x.submitted_at >= x.closed_at
)sql";

// The closed signals `s` that can recur ({0}), per process, under the field filters ({1}).
constexpr const char* k_closed_causes = R"sql(
SELECT coalesce(s.process, ''), count(*) FROM signals s WHERE {0}{1}
GROUP BY coalesce(s.process, '')
)sql";

} // namespace

RecurrenceData recurrence_report(Connection& db, const ReportFilter& filter) {
    RecurrenceData data;
    const Where pairs_where = filter_where(filter, "n.submitted_at");
    Statement pairs = db.prepare(fmt::format(fmt::runtime(k_recurrence_pairs), sql_can_recur("s"),
                                             to_string(Event::close), pairs_where.sql));
    bind_with_filter(pairs, pairs_where);
    while (pairs.step()) {
        data.pairs.push_back(RecurrenceInput{pairs.integer(0), pairs.text(1), pairs.text(2),
                                             time_of(pairs, 3), pairs.integer(4), pairs.text(5),
                                             state_of(pairs, 6), time_of(pairs, 7), pairs.real(8)});
    }
    // Every closed root cause counts, whenever it recurred: the window is on the new signals.
    // Without a field filter, from the tally of migration 11.
    const Where closed_where = filter_where(filter, "");
    Statement closed = db.prepare(
        filter.fields.empty() && !filter.as_of
            ? std::string("SELECT process, signals FROM tally_recurrable WHERE signals > 0")
            : fmt::format(fmt::runtime(k_closed_causes), sql_can_recur("s"), closed_where.sql));
    bind_with_filter(closed, closed_where);
    while (closed.step()) {
        data.closed.push_back(ClosedCausesInput{closed.text(0), closed.integer(1)});
    }
    return data;
}

} // namespace sileram::storage::sqlite

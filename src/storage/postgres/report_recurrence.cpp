#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// The recurrences submit recorded of closed signals `s` that can recur ({0}: sql_can_recur),
// with the moment of their last close ({1}: the event), submitted on or after it; bound: the
// filter ({2}). Submit records only what is at least domain::k_recurrence_similarity alike.
constexpr const char* k_recurrence_pairs = R"sql(
SELECT x.closed, x.process, x.cause, x.closed_at, x.signal, x.title, x.state, x.submitted_at,
       x.similarity
FROM (SELECT s.id AS closed, coalesce(s.process, '') AS process, c.cause AS cause,
             (SELECT max(h.at) FROM history h WHERE h.signal_id = s.id AND h.event = '{1}')
                 AS closed_at,
             n.id AS signal, n.title AS title, n.state AS state, n.submitted_at AS submitted_at,
             r.similarity AS similarity
      FROM recurrences r JOIN signals s ON s.id = r.closed_signal_id
      JOIN root_causes c ON c.signal_id = s.id JOIN signals n ON n.id = r.signal_id
      WHERE {0}{2}) x
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
    const Where pairs_where = filter_where(filter, "n.submitted_at", Params());
    const Result pairs = db.exec(fmt::format(fmt::runtime(k_recurrence_pairs), sql_can_recur("s"),
                                             to_string(Event::close), pairs_where.sql)
                                     .c_str(),
                                 pairs_where.params);
    for (int row = 0; row < pairs.rows(); ++row) {
        data.pairs.push_back(
            RecurrenceInput{pairs.integer(row, 0), pairs.text(row, 1), pairs.text(row, 2),
                            time_at(pairs, row, 3), pairs.integer(row, 4), pairs.text(row, 5),
                            state_at(pairs, row, 6), time_at(pairs, row, 7), pairs.real(row, 8)});
    }
    // Every closed root cause counts, whenever it recurred: the window is on the new signals.
    // Without a field filter they are counted in the tallies of schema 12.
    const Where closed_where = filter_where(filter, "", Params());
    const Result closed =
        filter.fields.empty() && !filter.as_of
            ? db.exec("SELECT process, signals FROM tally_recurrable WHERE signals > 0")
            : db.exec(
                  fmt::format(fmt::runtime(k_closed_causes), sql_can_recur("s"), closed_where.sql)
                      .c_str(),
                  closed_where.params);
    for (int row = 0; row < closed.rows(); ++row) {
        data.closed.push_back(ClosedCausesInput{closed.text(row, 0), closed.integer(row, 1)});
    }
    return data;
}

} // namespace sileram::storage::postgres

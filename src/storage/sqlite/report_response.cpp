#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

std::vector<ResponseInput> response_report(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "s.submitted_at");
    // The first response of each signal from its history by the index on (signal_id, id): one
    // probe per signal, where a join would group the whole history.
    Statement rows = db.prepare(
        fmt::format("SELECT substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), s.submitted_at, "
                    "(SELECT h.at FROM history h WHERE h.signal_id = s.id AND h.event IN {} "
                    "ORDER BY h.id LIMIT 1) FROM signals s WHERE 1 = 1{} ORDER BY s.id",
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

} // namespace sileram::storage::sqlite

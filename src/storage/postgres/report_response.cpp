#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

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

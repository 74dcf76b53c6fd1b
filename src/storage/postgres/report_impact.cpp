#include "../state_lists.hpp"
#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

// With a filter the indexes signals_state_score and signals (state, …) serve the aggregates.
ImpactData impact_report(Connection& db, const ReportFilter& filter, const std::string& by,
                         const ReportSettings& settings) {
    ImpactData data;
    // Without a filter the tallies of schema 12 hold the sums.
    const bool tallied = !has_filter(filter);
    if (tallied) {
        const Result quadrants = db.exec(
            fmt::format("SELECT contacts >= $1, satisfaction_impact >= $2, sum(signals), "
                        "sum(signals * contacts), coalesce(sum(signals * contacts * "
                        "satisfaction_impact), 0), coalesce(sum(signals * contacts * "
                        "cost_per_contact_cents), 0) FROM tally_impact WHERE state IN {} AND "
                        "signals > 0 GROUP BY 1, 2",
                        sql_impact_states())
                .c_str(),
            Params(settings.many_contacts,
                   static_cast<std::int64_t>(settings.high_satisfaction_impact)));
        for (int r = 0; r < quadrants.rows(); ++r) {
            data.quadrants.push_back(QuadrantInput{quadrants.text(r, 0) == "t",
                                                   quadrants.text(r, 1) == "t",
                                                   sums_at(quadrants, r, 2)});
        }
    } else {
        Where where =
            filter_where(filter, "s.submitted_at",
                         Params(settings.many_contacts,
                                static_cast<std::int64_t>(settings.high_satisfaction_impact)));
        const Result quadrants = db.exec(
            fmt::format("SELECT s.contacts >= $1, s.satisfaction_impact >= $2, {} FROM signals s "
                        "WHERE s.contacts IS NOT NULL AND s.state IN {}{} GROUP BY 1, 2",
                        k_sums, sql_impact_states(), where.sql)
                .c_str(),
            where.params);
        for (int r = 0; r < quadrants.rows(); ++r) {
            data.quadrants.push_back(QuadrantInput{quadrants.text(r, 0) == "t",
                                                   quadrants.text(r, 1) == "t",
                                                   sums_at(quadrants, r, 2)});
        }
    }
    if (!by.empty() && tallied && is_standard_field(by)) {
        data.groups = tallied_values(db, by, " AND open", false);
    } else if (!by.empty()) {
        const bool standard = is_standard_field(by);
        Where where = filter_where(filter, "s.submitted_at", standard ? Params() : Params(by));
        // The column name comes from the fixed list of standard fields, not from input.
        const std::string value = standard ? fmt::format("s.{}", by) : std::string("fv.value");
        const std::string group = by == "customer" ? "ascii_lower(s.customer)" : value;
        const std::string join =
            standard ? std::string()
                     : " LEFT JOIN signal_fields fv ON fv.signal_id = s.id AND fv.name = $1";
        const Result groups = db.exec(
            fmt::format("SELECT min(coalesce({}, '')), {} FROM signals s{} WHERE s.contacts IS "
                        "NOT NULL AND s.state IN {}{} GROUP BY {} ORDER BY {} NULLS FIRST",
                        value, k_sums, join, sql_impact_states(), where.sql, group, group)
                .c_str(),
            where.params);
        for (int r = 0; r < groups.rows(); ++r) {
            data.groups.push_back(ImpactGroupInput{groups.text(r, 0), sums_at(groups, r, 1)});
        }
    }
    Where where = filter_where(filter, "s.submitted_at", Params());
    const Result ranked =
        db.exec(fmt::format("SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
                            "s.cost_per_contact_cents, s.satisfaction_hundredths FROM signals s "
                            "WHERE s.contacts IS NOT NULL AND s.state IN {}{} "
                            "ORDER BY s.contacts * s.satisfaction_impact DESC, s.id{}",
                            sql_impact_states(), where.sql, limit_clause(filter))
                    .c_str(),
                where.params);
    for (int r = 0; r < ranked.rows(); ++r) {
        RankedSignalInput in;
        in.id = ranked.integer(r, 0);
        in.title = ranked.text(r, 1);
        in.state = state_at(ranked, r, 2);
        in.impact =
            Impact{ranked.integer(r, 3), static_cast<int>(ranked.integer(r, 4)),
                   Decimal::from_hundredths(ranked.integer(r, 5)), decimal_at(ranked, r, 6)};
        data.ranked.push_back(std::move(in));
    }
    return data;
}

} // namespace sileram::storage::postgres

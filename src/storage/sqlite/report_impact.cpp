#include "../state_lists.hpp"
#include "reports.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// The impact sums from the impact cells of migration 5 (each cell: signals with equal figures).
constexpr const char* k_tally_impact_sums =
    "sum(signals), sum(contacts * signals), sum(contacts * satisfaction_impact * signals), "
    "sum(contacts * cost_per_contact_cents * signals)";

} // namespace

ImpactData impact_report(Connection& db, const ReportFilter& filter, const std::string& by,
                         const ReportSettings& settings) {
    ImpactData data;
    const Where where = filter_where(filter, "s.submitted_at");
    const std::string open =
        fmt::format("s.contacts IS NOT NULL AND s.state IN {}{}", sql_impact_states(), where.sql);

    // Without a filter the tallies hold the sums (migration 5); with one, the signals. Filters
    // on standard fields and time are covered by the indexes of the open signals.
    const bool tallied = !has_filter(filter);
    // The rebuilt past (--as-of) has none of these indexes.
    const bool covered =
        !filter.as_of && std::all_of(filter.fields.begin(), filter.fields.end(),
                                     [](const auto& f) { return is_standard_field(f.first); });
    const std::string_view open_index = covered ? " INDEXED BY signals_open_impact" : "";
    Statement quadrants = db.prepare(
        tallied ? fmt::format("SELECT contacts >= ?, satisfaction_impact >= ?, {} FROM "
                              "tally_impact WHERE state IN {} AND signals > 0 GROUP BY 1, 2",
                              k_tally_impact_sums, sql_impact_states())
                : fmt::format("SELECT s.contacts >= ?, s.satisfaction_impact >= ?, {} FROM "
                              "signals s{} WHERE {} GROUP BY 1, 2",
                              k_sums, open_index, open));
    bind_with_filter(quadrants, where, settings.many_contacts,
                     static_cast<std::int64_t>(settings.high_satisfaction_impact));
    while (quadrants.step()) {
        data.quadrants.push_back(QuadrantInput{quadrants.integer(0) != 0, quadrants.integer(1) != 0,
                                               sums_at(quadrants, 2)});
    }

    if (!by.empty() && tallied && is_standard_field(by)) {
        Statement groups = db.prepare(tally_groups_sql(by, "AND open = 1", false));
        groups.bind(1, by);
        while (groups.step()) {
            data.groups.push_back(ImpactGroupInput{groups.text(0), sums_at(groups, 1)});
        }
    } else if (!by.empty()) {
        const FieldGroup g = field_group(by);
        Statement groups =
            db.prepare(fmt::format("SELECT min({}), {} FROM signals s{}{} WHERE {} GROUP BY {}",
                                   g.expression, k_sums, open_index, g.join, open, g.group));
        if (is_standard_field(by)) {
            bind_with_filter(groups, where);
        } else {
            bind_with_filter(groups, where, by);
        }
        while (groups.step()) {
            data.groups.push_back(ImpactGroupInput{groups.text(0), sums_at(groups, 1)});
        }
    }

    Statement ranked = db.prepare(fmt::format(
        "SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
        "s.cost_per_contact_cents, s.satisfaction_hundredths FROM signals s{} WHERE {} "
        "ORDER BY s.contacts * s.satisfaction_impact DESC, s.id{}",
        // The first rows of the index in this order that pass the filter are the answer.
        covered ? " INDEXED BY signals_open_score" : "", open, limit_clause(filter)));
    bind_with_filter(ranked, where);
    while (ranked.step()) {
        RankedSignalInput in;
        in.id = ranked.integer(0);
        in.title = ranked.text(1);
        in.state = state_of(ranked, 2);
        in.impact = Impact{ranked.integer(3), static_cast<int>(ranked.integer(4)),
                           Decimal::from_hundredths(ranked.integer(5)), decimal_at(ranked, 6)};
        data.ranked.push_back(std::move(in));
    }
    return data;
}

} // namespace sileram::storage::sqlite
